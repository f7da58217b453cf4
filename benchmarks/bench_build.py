"""Whole builds of a synthetic corpus: cached, incremental, parallel and on a Dask cluster.

Run on demand (the machine should be otherwise idle for the parallel ratios)::

    .venv/bin/python -m benchmarks.bench_build                       # 1,000 articles (about 15 minutes)
    .venv/bin/python -m benchmarks.bench_build --articles 1000 10000 # and the growth to 10,000 (an hour)

The corpus is :func:`benchmarks.bench_extract.make_corpus` (seeded; about 700 words an
article, each about one of a few theatres). Every build runs in a fresh process, so its
peak memory (its own and its workers', as the kernel counts them) is its own. Measured,
all as ratios within the run:

- the full build with ``--jobs 1``: articles/s, peak memory, and the share of the time
  spent outside the per-article work (reading and extracting articles) — everything
  after it (merge, RDF, validation, analysis, outputs, store);
- ``--jobs 2`` and a 2-worker Dask ``LocalCluster`` against ``--jobs 1``;
- a rebuild after adding one article (everything else from the cache) against the full
  build;
- with two sizes, the growth exponent of time and memory (``t ∝ n^k``) between their
  ``--jobs 2`` builds (the larger size is built only that way, and rebuilt unchanged).

Results go to ``benchmarks/REPORT-build.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


#: the stages a build is timed by: (module, function, label). The per-article work is reading and extracting
#: the articles and checking each one's part of the graph (which validation does inside it, in parallel)
STAGES = (("kg.pipeline", "build_extraction", "extraction"), ("kg.pipeline", "plan_parts", "article checks"),
          ("kg.pipeline", "check_articles", "article checks"),
          ("kg.pipeline", "build_parts", "graph"),
          ("kg.pipeline", "complete", "network and analysis"), ("kg.pipeline", "extraction_files", "outputs and store"),
          ("kg.pipeline", "together", "outputs and store"), ("kg.pipeline", "write_store", "outputs and store"))
PER_ARTICLE = ("extraction", "article checks")


def one_build(root: str, out: str, jobs: int, cluster: bool, cache: bool) -> dict:
    """Build once in this process and return the stage timings (run by :func:`measure` in a child)."""
    import importlib

    import kg.pipeline as pipeline

    spent: dict[str, float] = {}
    inside: list[str] = []

    def timed(module_name: str, name: str, label: str) -> None:
        module = importlib.import_module(module_name)
        original = getattr(module, name)

        def run(*args, **kwargs):
            if inside:   # (the store is written inside the outputs' run: counted once)
                return original(*args, **kwargs)
            inside.append(label)
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - started
                inside.pop()

        setattr(module, name, run)

    for module_name, name, label in STAGES:
        timed(module_name, name, label)
    scheduler_setup = 0.0
    if cluster:
        from distributed import LocalCluster

        started = time.perf_counter()
        local = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        scheduler_setup = time.perf_counter() - started
        workers = pipeline.Workers(scheduler=local.scheduler_address, cache=cache)
    else:
        workers = pipeline.Workers(jobs=jobs, cache=cache)
    started = time.perf_counter()
    result = pipeline.run_build(root, out, workers=workers)
    total = time.perf_counter() - started
    if cluster:
        local.close()
    summary = result.summary()
    extraction = result.extraction
    assert extraction is not None
    stages = {label: round(spent.get(label, 0.0), 2) for *_, label in STAGES}
    stages["rest"] = round(total - sum(stages.values()), 2)
    per_article = sum(spent.get(label, 0.0) for label in PER_ARTICLE)
    return {"total": total, "per_article": per_article, "cluster_setup": scheduler_setup, "stages": stages,
            "extracted": sum(not x.from_cache for x in extraction.extractions),
            "articles": summary["articles"], "triples": summary["triples"], "relations": summary["relations"],
            "evidence": summary["evidence"]}


def measure(root: Path, out: Path, *, jobs: int = 1, cluster: bool = False, cache: bool = True) -> dict:
    """Run :func:`one_build` in a fresh Python process; add its peak resident memory (MB)."""
    code = ("import json, sys; from benchmarks.bench_build import one_build; "
            f"print(json.dumps(one_build({str(root)!r}, {str(out)!r}, {jobs}, {cluster}, {cache})))")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    stdout, stderr = proc.stdout.read(), proc.stderr.read()   # type: ignore[union-attr]
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"bench_build: a build failed:\n{stderr[-3000:]}")
    data = json.loads(stdout.strip().splitlines()[-1])
    data["peak_mb"] = usage.ru_maxrss / 1024
    label = "cluster" if cluster else f"jobs {jobs}"
    print(f"  {root.name} {label} cache={cache}: {data['total']:.1f} s, per-article {data['per_article']:.1f} s, "
          f"{data['extracted']} extracted, {data['peak_mb']:.0f} MB", file=sys.stderr)
    return data


#: how many times each rebuild is measured (the report gives the median, and the range): a rebuild takes
#: seconds, and on a shared machine seconds vary by a fifth from one run to the next
REBUILDS = 5


def median(runs: list[dict]) -> dict:
    """The run of median total time, with the range of the totals (``low``, ``high``)."""
    ordered = sorted(runs, key=lambda r: r["total"])
    return {**ordered[len(ordered) // 2], "low": ordered[0]["total"], "high": ordered[-1]["total"]}


def add_article(root: Path) -> None:
    """One more article, like the others (a copy of the first with a new sentence)."""
    first = sorted((root / "seeds").glob("*.txt"))[0]
    text = first.read_text(encoding="utf-8")
    (root / "seeds" / "zz_new.txt").write_text(text + "\nSaudi Arabia backs the Yemeni government.\n",
                                               encoding="utf-8")


def run_size(n: int, tmp: Path, *, small: bool) -> dict:
    """Every measurement on a corpus of ``small`` size; on a large one, the ``--jobs 2`` build and
    the rebuild with nothing changed (enough for the growth and the share after the per-article work)."""
    from benchmarks.bench_extract import make_corpus

    root = tmp / f"corpus{n}"
    words = make_corpus(root, n)
    print(f"{n} articles, {words:,} words", file=sys.stderr)
    row: dict = {"n": n, "words": words}
    cached = tmp / f"b{n}-cached"
    if small:
        row["full"] = measure(root, tmp / f"b{n}-1", jobs=1, cache=False)
        row["jobs2"] = measure(root, tmp / f"b{n}-2", jobs=2, cache=False)
        row["cluster"] = measure(root, tmp / f"b{n}-dask", cluster=True, cache=False)
        measure(root, cached, jobs=2)                       # fills the cache
    else:
        row["jobs2"] = measure(root, cached, jobs=2)        # a full build that fills the cache
    # nothing to extract (measured once on a large corpus: a minute or more)
    row["nochange"] = median([measure(root, cached, jobs=2) for _ in range(REBUILDS if small else 1)])
    if small:
        add_article(root)
        runs = []
        for _ in range(REBUILDS):   # one new article, each time from the same cache
            again = tmp / f"b{n}-again"
            shutil.rmtree(again, ignore_errors=True)
            shutil.copytree(cached, again)
            runs.append(measure(root, again, jobs=2))
        row["incremental"] = median(runs)
    shutil.rmtree(root, ignore_errors=True)
    for name in ("b{n}-1", "b{n}-2", "b{n}-dask", "b{n}-cached", "b{n}-again"):
        shutil.rmtree(tmp / name.format(n=n), ignore_errors=True)
    return row


def report(rows: list[dict], argv: list[str]) -> str:
    lines = ["# Build benchmark: cached, incremental, parallel and distributed builds", "",
             f"`.venv/bin/python -m benchmarks.bench_build {' '.join(argv)}` on {platform.machine()}, "
             f"Python {platform.python_version()}, {os.cpu_count()} cores, load average before the run "
             f"{LOAD_BEFORE:.1f}. Each build runs in a fresh process; times are wall-clock seconds, "
             "memory the peak resident set of the build or of its largest worker.", ""]
    lines += ["## Full builds", "",
              "| articles | words | jobs | build | articles/s | per-article work | after it | share after | "
              "peak memory | triples |", "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        for key, jobs in (("full", 1), ("jobs2", 2)):
            if key not in r:
                continue
            f = r[key]
            after = f["total"] - f["per_article"]
            lines.append(f"| {r['n']:,} | {r['words']:,} | {jobs} | {f['total']:.1f} s | {r['n'] / f['total']:.2f} | "
                         f"{f['per_article']:.1f} s | {after:.1f} s | {after / f['total']:.0%} | "
                         f"{f['peak_mb']:.0f} MB | {f['triples']:,} |")
    lines += ["", "## Parallel, distributed and incremental, as ratios", "",
              "Speed-ups are over the full `--jobs 1` build (the whole build / the per-article work); "
              f"rebuilds (with `--jobs 2`, the median of {REBUILDS} runs) are a share of it.", "",
              "| articles | `--jobs 2` | Dask LocalCluster, 2 workers | rebuild, nothing changed "
              "| rebuild after adding one article |", "| ---: | --- | --- | --- | --- |"]
    for r in rows:
        if "full" not in r:
            continue
        f = r["full"]

        def speed(key: str, r=r, f=f) -> str:
            x = r[key]
            return f"{f['total'] / x['total']:.2f}× / {f['per_article'] / x['per_article']:.2f}×"

        def share(key: str, r=r, f=f) -> str:
            x = r[key]
            return (f"{x['total'] / f['total']:.1%} ({x['total']:.1f} s; {x['low']:.1f}–{x['high']:.1f} s in "
                    f"{REBUILDS} runs)")

        lines.append(f"| {r['n']:,} | {speed('jobs2')} | {speed('cluster')} | {share('nochange')} | "
                     f"{share('incremental')}, {r['incremental']['extracted']} extracted |")
    labels = [*dict.fromkeys(label for *_, label in STAGES), "rest"]
    lines += ["", "## Where the time goes, stage by stage (seconds)", "",
              "The per-article work is *extraction* (reading the cache and extracting) and *article checks* "
              "(SHACL and quotes of the article parts not checked before, in parallel; a rebuild's few are "
              "checked beside the core, inside *network and analysis*); every other column is "
              "the merge after it (*network and analysis*: with the core's SHACL check alongside it, in a forked "
              "process; *outputs and store*: the maps, exports and reports, made together in forked processes "
              "while the build's process writes the on-disk store; *rest*: "
              "reading the inputs, sorting the graph's lines, filling the in-memory store, writing the files).",
              "",
              "| articles | build | total | " + " | ".join(labels) + " |",
              "| ---: | --- | ---: | " + " | ".join("---:" for _ in labels) + " |"]
    names = {"full": "full, `--jobs 1`", "jobs2": "full, `--jobs 2`", "nochange": "rebuild, nothing changed",
             "incremental": "rebuild, one article added"}
    for r in rows:
        for key, name in names.items():
            if key in r:
                stages = r[key]["stages"]
                lines.append(f"| {r['n']:,} | {name} | {r[key]['total']:.1f} | "
                             + " | ".join(f"{stages[label]:.1f}" for label in labels) + " |")
    if len(rows) > 1:
        a, b = rows[0]["jobs2"], rows[-1]["jobs2"]
        scale = math.log(rows[-1]["n"] / rows[0]["n"])

        def k(x: float, y: float) -> str:
            return f"{math.log(y / x) / scale:.2f}"

        lines += ["", "## Growth (`--jobs 2` builds)", "",
                  f"From {rows[0]['n']:,} to {rows[-1]['n']:,} articles: time ∝ n^{k(a['total'], b['total'])}, "
                  f"per-article work ∝ n^{k(a['per_article'], b['per_article'])}, after it ∝ n^"
                  f"{k(a['total'] - a['per_article'], b['total'] - b['per_article'])}, peak memory ∝ n^"
                  f"{k(a['peak_mb'], b['peak_mb'])}, triples ∝ n^{k(a['triples'], b['triples'])}."]
    return "\n".join(lines) + "\n"


LOAD_BEFORE = os.getloadavg()[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000])
    parser.add_argument("--small-up-to", type=int, default=1000,
                        help="take every measurement up to this many articles; above, the --jobs 2 build "
                             "and the rebuild with nothing changed")
    parser.add_argument("--report", type=Path, default=ROOT / "benchmarks" / "REPORT-build.md")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.articles:
            rows.append(run_size(n, Path(tmp), small=n <= args.small_up_to))
    text = report(rows, argv if argv is not None else sys.argv[1:])
    print(text)
    args.report.write_text(text + NOTES, encoding="utf-8")


NOTES = """
## Reading it

- *Per-article work* is reading and extracting the articles (`build_extraction`) and checking
  each article's part of the graph (`plan_parts`, `check_articles`: SHACL and quotes, in `--jobs` processes):
  what the cache saves and the workers share. *After it* is the merge on the machine that runs
  `kg build`: the graph in its parts (the core in rdflib, each article's node and evidence
  as N-Quads lines), the network read from an in-memory Oxigraph store and its analysis
  (while a forked process checks the core against the shapes), the maps, exports and
  reports (made together in `--jobs` processes forked from the build), and meanwhile, in the
  build's own process, the on-disk store.
- `--jobs 2` nearly halves the per-article work. The Dask cluster runs the same tasks in
  fresh worker processes (each loads the model while the build runs) with the scheduler
  in the build's process.
- The rebuild rows reuse `build/cache/`: only the added article is extracted (in a forked
  process that loads the model while the build reads the other extractions and imports what
  the later stages use), only its part of the graph made (`cache/parts/`) and validated
  (beside the core's check); the text of every other article's section of Turtle, TriG,
  JSON-LD and RDF/XML is read back (`cache/fragments/`), a map whose layout's inputs did not
  change is not laid out again (`cache/layout/`), and the store is the previous one changed
  by the quads that differ. What is still done again over the whole graph: the core and its
  inference, the network and its analysis (and the core's check), the graph exports and the
  maps (every map shows evidence counts and scores that one article changes), the sorted
  N-Quads, and writing every file.
"""


if __name__ == "__main__":
    main()
