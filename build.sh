#!/usr/bin/env bash
# ./build.sh        set up .venv, install kg, build the knowledge graph into build/
# ./build.sh test   set up .venv, install kg with its test tools, run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.kg-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "installing kg and its dependencies into .venv (log: .venv/install.log) ..." >&2
    if ! { .venv/bin/python -m pip install --upgrade pip &&
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
        .venv/bin/python -m pytest "$@"
        ;;
    *)
        echo "usage: ./build.sh [build|test] [args...]" >&2
        exit 2
        ;;
esac
