"""Benchmark: the query library on graphs of growing size, on each engine.

Run on demand (not in the tests)::

    .venv/bin/python -m benchmarks.bench_query                 # 10k and 100k triples
    .venv/bin/python -m benchmarks.bench_query --sizes 10k,100k,1M

It generates graphs shaped like kg's (actors with labels and aliases, relations in
``kg:graph/facts``, their inverses and closures in ``kg:graph/inferred``, and a
``kg:Statement`` with one to three ``kg:Evidence`` nodes per relation in
``kg:graph/provenance``), writes each into an on-disk Oxigraph store the way
``kg build`` does, then runs every query of ``queries/`` with its parameters:

- **kg**: ``kg.sparql.run(engine, query, params=..., fmt="json")`` (parameters
  resolved from names, bound, the results written as W3C JSON), warm;
- **raw**: pyoxigraph on the same store, the same prepared query, the same output
  (``store.query(...).serialize(JSON)``) — the floor kg's fast path is held to (target
  within 1.3x);
- **rdflib**: rdflib's SPARQL engine over an in-memory Dataset of the same quads (in
  a child process, with a time limit per query; its parse time and memory reported).

It also times the cold start of ``kg query`` on the seed graph against
``python -c "import rdflib"``. The report goes to ``benchmarks/REPORT-query.md``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.namespaces import KG_IRI, PREFIXES

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REPORT = HERE / "REPORT-query.md"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}

CLASSES = [("State", 0.10), ("ArmedGroup", 0.30), ("Leader", 0.12), ("Organization", 0.10),
           ("Agreement", 0.15), ("Region", 0.23)]
# relation, subject classes, object classes, weight (roughly the seed graph's mix)
RELATIONS = [
    ("backs", ("State", "ArmedGroup", "Leader"), ("ArmedGroup", "State", "Leader"), 15),
    ("opposes", ("State", "ArmedGroup", "Leader"), ("State", "ArmedGroup", "Leader"), 10),
    ("attacked", ("State", "ArmedGroup"), ("State", "ArmedGroup"), 7),
    ("cooperatesWith", ("State", "Organization", "Leader"), ("State", "Organization", "Leader"), 6),
    ("alliedWith", ("State", "ArmedGroup"), ("State", "ArmedGroup"), 6),
    ("partyTo", ("State", "Leader", "Organization"), ("Agreement",), 21),
    ("memberOf", ("State", "Leader", "ArmedGroup"), ("Organization", "State", "ArmedGroup"), 7),
    ("operatesIn", ("State", "ArmedGroup", "Organization"), ("Region",), 17),
    ("controls", ("State", "ArmedGroup"), ("Region",), 6),
    ("leaderOf", ("Leader",), ("State", "ArmedGroup", "Organization"), 4),
    ("locatedIn", ("Region",), ("Region",), 4),
]
INVERSE = {"backs": "backedBy", "attacked": "attackedBy", "partyTo": "hasParty", "memberOf": "hasMember",
           "controls": "controlledBy", "leaderOf": "hasLeader"}
SYMMETRIC = {"opposes", "cooperatesWith", "alliedWith"}
WORDS = ("troops forces border talks ceasefire drone militia patrol envoy summit offensive rebels "
         "province deal sanctions pipeline convoy shelling town").split()
XSD = PREFIXES["xsd"]
RDF = PREFIXES["rdf"]

#: the parameters each library query runs with on a generated graph (names are resolved by kg)
PARAMS = {
    "proxies": {"patron": "State 1"}, "patrons": {"client": "Armed Group 1"}, "leaders": {},
    "agreements": {"actor": "State 1"}, "parties": {"agreement": "Agreement 1"},
    "in-region": {"region": "Region 1"}, "hostilities": {"actor": "State 1"},
    "cooperation": {"actor": "State 1"}, "proxy-conflicts": {}, "conflicts-of-interest": {}, "client-states": {},
    "evidence": {"a": "State 1", "b": "Armed Group 1"}, "timeline": {"actor": "State 1"},
    "claims": {"source": "Source 1"}, "most-connected": {"method": "curated"},
    "members": {"organization": "Organization 1"}, "search": {"text": "air strike"},
    "actors": {"class": "kg:State"}, "articles": {},
}


# --------------------------------------------------------------------------- the graphs

def generate(triples: int, seed: int = 7) -> str:
    """N-Quads of a kg-shaped dataset of about ``triples`` triples."""
    rng = random.Random(seed)
    n_rel = max(60, triples // 24)
    n_actors = max(60, n_rel // 4)
    out: list[str] = []
    g = {name: f"<{KG_IRI}graph/{name}>" for name in ("actors", "facts", "inferred", "provenance")}
    kg = lambda local: f"<{KG_IRI}{local}>"  # noqa: E731

    def quad(s, p, o, graph):
        out.append(f"{s} {p} {o} {g[graph]} .\n")

    def lit(text, lang=None, dtype=None):
        return f'"{text}"' + (f"@{lang}" if lang else f"^^<{dtype}>" if dtype else "")

    by_class: dict[str, list[str]] = {c: [] for c, _ in CLASSES}
    counters = {c: 0 for c, _ in CLASSES}
    spaced = {"ArmedGroup": "Armed Group"}
    for i in range(n_actors):
        cls = CLASSES[i % len(CLASSES)][0] if i < len(CLASSES) * 2 else \
            rng.choices([c for c, _ in CLASSES], [w for _, w in CLASSES])[0]
        counters[cls] += 1
        label = f"{spaced.get(cls, cls)} {counters[cls]}"
        iri = kg(label.replace(" ", ""))
        by_class[cls].append(iri)
        quad(iri, f"<{RDF}type>", kg(cls), "actors")
        quad(iri, f"<{PREFIXES['skos']}prefLabel>", lit(label, "en"), "actors")
        quad(iri, f"<{PREFIXES['rdfs']}label>", lit(label, "en"), "actors")
        for k in range(rng.randint(0, 2)):
            quad(iri, f"<{PREFIXES['skos']}altLabel>", lit(f"{label} alias {k}", "en"), "actors")
        if rng.random() < 0.5:
            quad(iri, kg("wikidata"), lit(f"Q{1000 + i}"), "actors")
        quad(iri, f"<{RDF}type>", kg("Actor"), "inferred")
    sources = [kg(f"source/Source{i}") for i in range(1, 51)]
    for i, s in enumerate(sources, 1):
        quad(s, f"<{RDF}type>", kg("Source"), "actors")
        quad(s, f"<{PREFIXES['rdfs']}label>", lit(f"Source {i}", "en"), "actors")
        quad(s, kg("sourceKind"), lit(("Person", "Outlet", "Organization")[i % 3]), "actors")
    n_articles = max(5, n_rel // 30)
    articles = [kg(f"article/a{i:06d}") for i in range(n_articles)]
    for i, a in enumerate(articles):
        quad(a, f"<{RDF}type>", kg("Article"), "provenance")
        quad(a, f"<{PREFIXES['dcterms']}identifier>", lit(f"a{i:06d}"), "provenance")
        quad(a, f"<{PREFIXES['dcterms']}issued>", lit(f"20{10 + i % 12}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                                                          dtype=XSD + "date"), "provenance")
        quad(a, kg("dateBasis"), lit("header"), "provenance")
        quad(a, f"<{PREFIXES['dcterms']}publisher>", sources[i % len(sources)], "provenance")

    edges: set[tuple[str, str, str]] = set()
    weights = [w for *_, w in RELATIONS]
    while len(edges) < n_rel:
        rel, subj_classes, obj_classes, _ = rng.choices(RELATIONS, weights)[0]
        s = rng.choice(by_class[rng.choice(subj_classes)])
        o = rng.choice(by_class[rng.choice(obj_classes)])
        if s == o:
            continue
        if rel == "locatedIn" and s >= o:          # keep locatedIn acyclic
            s, o = o, s
        if rel in SYMMETRIC and s > o:             # symmetric relations are stated once, in id order
            s, o = o, s
        edges.add((s, rel, o))
    # the two actors the benchmark asks about always have a relation of each kind
    state1, group1 = kg("State1"), kg("ArmedGroup1")
    edges |= {(state1, "backs", group1), (state1, "attacked", by_class["State"][1]),
              (by_class["State"][1], "backs", by_class["ArmedGroup"][1]),
              (by_class["ArmedGroup"][1], "attacked", group1), (state1, "memberOf", kg("Organization1"))}

    for s, rel, o in sorted(edges):
        quad(s, kg(rel), o, "facts")
        if rel in INVERSE:
            quad(o, kg(INVERSE[rel]), s, "inferred")
        if rel in SYMMETRIC:
            quad(o, kg(rel), s, "inferred")
        local = lambda iri: iri[len(KG_IRI) + 1:-1]  # noqa: E731
        st = kg(f"statement/{local(s)}.{rel}.{local(o)}")
        method = "curated" if rng.random() < 0.7 else "extracted"
        quad(st, f"<{RDF}type>", kg("Statement"), "provenance")
        quad(st, f"<{RDF}subject>", s, "provenance")
        quad(st, f"<{RDF}predicate>", kg(rel), "provenance")
        quad(st, f"<{RDF}object>", o, "provenance")
        quad(st, kg("method"), lit(method), "provenance")
        quad(st, kg("confidence"), lit("1.0" if method == "curated" else "0.8", dtype=XSD + "decimal"),
             "provenance")
        n_evidence = rng.choice((1, 1, 2, 3))
        quad(st, kg("evidenceCount"), lit(str(n_evidence), dtype=XSD + "integer"), "provenance")
        for _ in range(n_evidence):
            e = kg(f"evidence/{len(out):016x}")
            words = " ".join(rng.choice(WORDS) for _ in range(12))
            if rng.random() < 0.02:
                words += " after an air strike"
            quad(st, kg("evidence"), e, "provenance")
            quad(e, f"<{RDF}type>", kg("Evidence"), "provenance")
            quad(e, kg("quote"), lit(f"{local(s)} {rel} {local(o)}: {words}", "en"), "provenance")
            quad(e, kg("fromArticle"), rng.choice(articles), "provenance")
            quad(e, kg("method"), lit(method), "provenance")
            quad(e, kg("confidence"), lit("1.0", dtype=XSD + "decimal"), "provenance")
            quad(e, kg("assertedBy"), rng.choice(sources), "provenance")
            if rng.random() < 0.7:
                quad(e, kg("date"), lit(f"20{10 + rng.randrange(12)}-{rng.randint(1, 12):02d}-"
                                        f"{rng.randint(1, 28):02d}", dtype=XSD + "date"), "provenance")
    # closures: locatedIn is transitive, and proxy groups are armed groups a state backs
    located: dict[str, set[str]] = {}
    for s, rel, o in edges:
        if rel == "locatedIn":
            located.setdefault(s, set()).add(o)
    for start in list(located):
        seen, todo = set(), list(located[start])
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(located.get(x, ()))
        for x in seen - located[start]:
            quad(start, kg("locatedIn"), x, "inferred")
    states, groups = set(by_class["State"]), set(by_class["ArmedGroup"])
    for g_iri in sorted({o for s, rel, o in edges if rel == "backs" and s in states and o in groups}):
        quad(g_iri, f"<{RDF}type>", kg("ProxyGroup"), "inferred")
    return "".join(out)


# --------------------------------------------------------------------------- timing

def _timed_pair(a, b, min_total: float = 0.5, max_rounds: int = 15) -> tuple[float, float]:
    """The median wall times of ``a()`` and ``b()`` in seconds, run in alternation after a warm-up
    (so that a busy machine slows both alike)."""
    a(), b()
    ta: list[float] = []
    tb: list[float] = []
    while len(ta) < 3 or (sum(ta) + sum(tb) < min_total and len(ta) < max_rounds):
        for fn, times in ((a, ta), (b, tb)) if len(ta) % 2 else ((b, tb), (a, ta)):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
    return statistics.median(ta), statistics.median(tb)


def _clock(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def bench_oxigraph(store_path: Path, names: list[str]) -> dict[str, dict]:
    import pyoxigraph as ox

    from kg import sparql
    from kg.store import open_store

    store = open_store(store_path)
    engine = sparql.OxigraphEngine(store)
    library = sparql.library(ROOT)
    results = {}
    for name in names:
        query, params = library[name], PARAMS[name]
        text, _ = sparql.prepare(query, params, engine)

        def kg_run(query=query, params=params):
            return sparql.run(engine, query, params=params, fmt="json")

        def raw_run(text=text):
            return store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True).serialize(
                format=ox.QueryResultsFormat.JSON)

        rows = len(list(ox.parse_query_results(raw_run(), format=ox.QueryResultsFormat.JSON)))
        assert kg_run().data == raw_run(), name   # the same answers, byte for byte
        kg_time, raw_time = _timed_pair(kg_run, raw_run)
        own = statistics.median(_clock(lambda q=query, p=params: sparql.prepare(q, p, engine)) for _ in range(9))
        results[name] = {"rows": rows, "kg": kg_time, "raw": raw_time, "own": own}
    return results


def _rdflib_child(nq_path: str, names: list[str], conn) -> None:
    import resource

    from rdflib import Dataset

    from kg import sparql

    t = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(nq_path, format="nquads")
    parse = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    conn.send(("parsed", parse, rss))
    engine = sparql.RdflibEngine(ds)
    library = sparql.library(ROOT)
    for name in names:
        t = time.perf_counter()
        try:
            sparql.run(engine, library[name], params=PARAMS[name], fmt="json")
        except Exception as exc:  # noqa: BLE001 - reported in the table
            conn.send(("query", name, f"failed: {exc}"))
            continue
        conn.send(("query", name, time.perf_counter() - t))
    conn.send(("done",))


def bench_rdflib(nq_path: Path, names: list[str], limit: float) -> dict:
    """rdflib's engine in child processes; a query over ``limit`` seconds is stopped and marked."""
    ctx = mp.get_context("fork")
    out: dict = {"queries": {}}
    todo = list(names)
    while todo:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_rdflib_child, args=(str(nq_path), todo, child), daemon=True)
        proc.start()
        if not parent.poll(600):
            proc.kill()
            out["parse"] = None
            return out
        _, parse, rss = parent.recv()
        out.setdefault("parse", parse)
        out.setdefault("rss_mb", rss)
        while todo:
            if not parent.poll(limit):
                out["queries"][todo.pop(0)] = None      # over the limit: stopped
                proc.kill()
                proc.join()
                break
            msg = parent.recv()
            if msg[0] == "done":
                todo = []
                break
            out["queries"][msg[1]] = msg[2]
            todo.remove(msg[1])
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
    return out


def cold_start(runs: int = 5) -> dict:
    """The wall time of `kg query` on the seed graph (store built), against `python -c "import rdflib"`."""
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        for name in ("seeds", "ontology"):
            shutil.copytree(ROOT / name, work / name)
        kg = str(Path(sys.executable).parent / "kg")
        subprocess.run([kg, "--root", str(work), "build"], check=True, capture_output=True)

        def wall(cmd):
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                subprocess.run(cmd, check=True, capture_output=True)
                times.append(time.perf_counter() - t)
            return statistics.median(times)

        return {
            "kg query": wall([kg, "--root", str(work), "query", "proxies", "-p", "patron=Turkey", "-f", "csv"]),
            "kg query (inline)": wall([kg, "--root", str(work), "query", "-f", "csv",
                                       "SELECT ?g WHERE { kg:Turkey kg:backs ?g }"]),
            "python -c 'import rdflib'": wall([sys.executable, "-c", "import rdflib"]),
            "python -c 'pass'": wall([sys.executable, "-c", "pass"]),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --------------------------------------------------------------------------- the report

def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="graph sizes, of 10k, 100k, 1M (default 10k,100k)")
    parser.add_argument("--rdflib-sizes", default="10k,100k", help="sizes rdflib's engine also runs on")
    parser.add_argument("--rdflib-limit", type=float, default=20.0, help="seconds before an rdflib query is stopped")
    parser.add_argument("--report", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    rdflib_sizes = {s.strip() for s in args.rdflib_sizes.split(",")}
    from kg import sparql

    names = list(sparql.library(ROOT))
    sections, summary = [], []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
            t = time.perf_counter()
            nquads = generate(SIZES[size])
            gen = time.perf_counter() - t
            nq = Path(tmp) / "dataset.nq"
            nq.write_text(nquads)
            n_triples = nquads.count("\n")
            del nquads
            from kg.store import write_store

            t = time.perf_counter()
            write_store(nq.read_text(), Path(tmp) / "store")
            load = time.perf_counter() - t
            print(f"{size}: {n_triples} quads generated in {gen:.1f} s, stored in {load:.1f} s", flush=True)
            ox = bench_oxigraph(Path(tmp) / "store", names)
            rd = bench_rdflib(nq, names, args.rdflib_limit) if size in rdflib_sizes else None
        lines = [f"### {size}: {n_triples:,} triples",
                 "",
                 f"Loaded into the on-disk Oxigraph store in {load:.2f} s"
                 + (f"; rdflib parsed the N-Quads in {rd['parse']:.2f} s, peak RSS {rd['rss_mb']:.0f} MB."
                    if rd and rd.get("parse") else "."),
                 "",
                 "| query | rows | kg (ms) | raw pyoxigraph (ms) | kg / raw | kg's own work (ms) | rdflib (ms) "
                 "| rdflib / kg |",
                 "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        ratios, rd_ratios, failures = [], [], []
        for name in names:
            r = ox[name]
            ratio = r["kg"] / r["raw"]
            ratios.append(ratio)
            rtime = (rd or {}).get("queries", {}).get(name, "n/a") if rd else "n/a"
            if isinstance(rtime, float):
                rd_ratios.append(rtime / r["kg"])
                rcell, rratio = f"{rtime * 1000:,.0f}", f"{rtime / r['kg']:,.0f}x"
            elif isinstance(rtime, str) and rtime.startswith("failed"):
                rcell, rratio = "failed", ""
                failures.append(f"rdflib, `{name}`: {rtime[8:][:200]}")
            elif rtime is None:
                rcell, rratio = f"> {args.rdflib_limit:g} s (stopped)", f"> {args.rdflib_limit / r['kg']:,.0f}x"
            else:
                rcell, rratio = "not run", ""
            lines.append(f"| `{name}` | {r['rows']} | {r['kg'] * 1000:.2f} | {r['raw'] * 1000:.2f} | "
                         f"{ratio:.2f} | {r['own'] * 1000:.2f} | {rcell} | {rratio} |")
        geo = statistics.geometric_mean(ratios)
        lines += ["", f"kg / raw pyoxigraph: geometric mean **{geo:.2f}x**, worst {max(ratios):.2f}x."]
        lines += [f"\n- {f}" for f in failures]
        summary.append(f"| {size} | {n_triples:,} | {geo:.2f}x | {max(ratios):.2f}x | "
                       + (f"{statistics.geometric_mean(rd_ratios):,.0f}x" if rd_ratios else "n/a") + " |")
        sections.append("\n".join(lines))
        print(sections[-1], flush=True)
    cold = cold_start()
    print(cold, flush=True)
    report = [
        "# Benchmark: `kg query`",
        "",
        "Written by `python -m benchmarks.bench_query` "
        f"(`--sizes {args.sizes} --rdflib-sizes {args.rdflib_sizes} --rdflib-limit {args.rdflib_limit:g}`), "
        f"on {platform.machine()} with {os.cpu_count()} cores, Python {platform.python_version()}.",
        "Graphs are generated with kg's shape (actors with labels and aliases; relations; inverses and closures; "
        "a statement with 1-3 pieces of evidence per relation, in named graphs) and stored as `kg build` stores "
        "them. Each query of `queries/` runs with parameters given by name. *kg* is `kg.sparql.run(..., "
        "fmt=\"json\")` (names resolved, parameters bound, W3C JSON written); *raw* is pyoxigraph running the same "
        "prepared query on the same store and writing the same JSON (kg's output is checked byte-identical); "
        "*kg's own work* is the part of kg's time spent before the engine runs (parsing the parameters, resolving "
        "actor names, binding them into the query). *rdflib* is rdflib's engine over an in-memory Dataset of the "
        "same quads. Times are medians of warm runs, kg and raw alternating (rdflib: one run). The machine is "
        "shared, so single ratios of millisecond queries are noisy; the geometric mean is the figure to read.",
        "",
        "| size | triples | kg / raw (geometric mean) | worst query | rdflib / kg (geometric mean) |",
        "| --- | ---: | ---: | ---: | ---: |",
        *summary,
        "",
        "Target: kg within 1.3x of raw pyoxigraph.",
        "",
        *[s + "\n" for s in sections],
        "### Cold start on the seed graph (median of 5, wall time)",
        "",
        "| command | seconds |",
        "| --- | ---: |",
        *[f"| `{k}` | {v:.3f} |" for k, v in cold.items()],
        "",
    ]
    args.report.write_text("\n".join(report))
    print(f"wrote {args.report}")


if __name__ == "__main__":
    main()
