"""How the network analyses scale: synthetic signed graphs of 1k, 10k and 100k actors.

Run on demand (about 15 minutes on 2 cores, most of it networkx's betweenness and the
pure-Python balance, the old ways)::

    .venv/bin/python -m benchmarks.bench_analysis            # writes benchmarks/REPORT-analysis.md
    .venv/bin/python -m benchmarks.bench_analysis --sizes 1000 10000 --out -
    .venv/bin/python -m benchmarks.bench_analysis --no-reference --out -   # the new ways only

The graphs look like kg's (``kg.network.to_networkx`` output): states, armed groups
and agreements in two hidden camps; each actor makes two ties, cooperative inside
its camp and adversarial across it, with 10% noise; every armed group is backed by a
state of its camp; every agreement has three states as parties. Each edge carries 1–3
quotes. Centrality and balance run on the actors (agreements left out), as a
``MultiDiGraph`` of their own, as :func:`kg.analysis.network` gives them.

Each analysis runs both ways in the same process: **today's way** (``reference=True``:
networkx's ``betweenness_centrality``, the pure-Python triads, local search and
Louvain) and the **new way** (:mod:`kg.analysis.arrays`); the ratio of the two is the
speed-up, and the results are compared (betweenness to 1e-9, balance exactly). Timings are
wall-clock seconds, the fastest of :data:`REPEATS` runs (one at 100k). As a reference for the machine's speed in the same
run, each size also times one pass of ``networkx.connected_components`` (linear in the
graph's size): the ratios to it are comparable across machines.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np
import scipy

from kg.analysis.balance import balance
from kg.analysis.centrality import actor_graph, centrality
from kg.analysis.conflicts import conflicts_of_interest
from kg.network import induced

REPORT = Path(__file__).with_name("REPORT-analysis.md")
#: betweenness sources sampled per size (None: exact), both ways. networkx's exact
#: betweenness is O(n·m): about 15 minutes at 10k actors and days at 100k.
SAMPLES = {1_000: None, 10_000: 200, 100_000: 50}
#: what the new way also runs, alone: exact at 10k, ten times the sample at 100k.
NEW_ONLY = {10_000: None, 100_000: 500}
#: runs of each timing per size, the fastest kept (short timings vary most on a shared machine).
REPEATS = {1_000: 3, 10_000: 3}
#: the frustration index is solved exactly (binary linear program) up to this many signed
#: ties, within the time limit; above it the local-search upper bound is used.
EXACT_MAX_EDGES = 2_500
EXACT_TIME_LIMIT = 20.0
LOAD = os.getloadavg()


def synthetic(n: int, *, seed: int = 0) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    states = max(3, n // 20)
    agreements = max(1, n // 50)
    camp = {}
    for i in range(n):
        node = f"a{i:06d}"
        cls = "State" if i < states else "ArmedGroup"
        camp[node] = rng.randrange(2)
        g.add_node(node, cls=cls, label=node)
    actors = list(camp)
    for i in range(agreements):
        g.add_node(f"deal{i:05d}", cls="Agreement", label=f"deal {i}")

    def edge(u, v, relation, sign):
        quotes = [{"quote": f"{u} {relation} {v} ({k})", "article": "synthetic", "date": "",
                   "confidence": 1.0} for k in range(rng.randint(1, 3))]
        g.add_edge(u, v, key=relation, relation=relation, sign=sign, statement=f"st/{u}.{relation}.{v}",
                   evidence=quotes)

    for u in actors:
        for _ in range(2):
            v = rng.choice(actors)
            if v == u:
                continue
            friendly = (camp[u] == camp[v]) != (rng.random() < 0.1)
            if friendly:
                edge(u, v, "cooperatesWith", 1)
            else:
                edge(u, v, "attacked" if rng.random() < 0.5 else "opposes", -1)
    patrons = {c: [s for s in actors[:states] if camp[s] == c] or actors[:1] for c in (0, 1)}
    for u in actors[states:]:
        edge(rng.choice(patrons[camp[u]]), u, "backs", 1)
    for i in range(agreements):
        for party in rng.sample(actors[:states], 3):
            edge(party, f"deal{i:05d}", "partyTo", 1)
    return g


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def best(repeat: int, fn, *args, **kwargs):
    """The result and the fastest of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        result, seconds = timed(fn, *args, **kwargs)
        times.append(seconds)
    return result, min(times)


def betweenness_gap(a, b) -> float:
    """The largest difference between two centralities' betweenness scores."""
    return max((abs(x.betweenness - y.betweenness) for x, y in zip(a.actors, b.actors, strict=True)), default=0.0)


def warm_up() -> None:
    """Run everything once on a small graph, so no timing pays for the first imports of numpy and scipy."""
    small = induced(synthetic(60), [f"a{i:06d}" for i in range(60)])
    for reference in (False, True):
        centrality(small, reference=reference)
        balance(small, reference=reference)


def run(n: int, *, reference: bool = True) -> dict:
    g, t_make = timed(synthetic, n)
    actors_only = induced(g, [v for v, d in g.nodes(data=True) if d["cls"] != "Agreement"])
    _, t_ref = timed(lambda: list(nx.connected_components(actor_graph(actors_only))))
    repeat = REPEATS.get(n, 1)
    row: dict = {"actors": n, "edges": g.number_of_edges(), "make": t_make, "reference": t_ref,
                 "repeat": repeat, "load_start": os.getloadavg()[0]}
    found, row["conflicts"] = timed(conflicts_of_interest, g)
    row["pairs"] = len(found)
    cheap = ("degree", "eigenvector", "pagerank")
    new_cheap, row["cheap_new"] = best(repeat, centrality, actors_only, measures=cheap)
    k = row["betweenness_k"] = SAMPLES.get(n)
    new_between, row["betweenness_new"] = best(repeat, centrality, actors_only, measures=("betweenness",), k=k)
    new_balance, row["balance_new"] = best(repeat, balance, actors_only, exact_max_edges=EXACT_MAX_EDGES,
                                           time_limit=EXACT_TIME_LIMIT)
    if n in NEW_ONLY:
        row["more_k"] = NEW_ONLY[n]
        _, row["betweenness_more"] = timed(centrality, actors_only, measures=("betweenness",), k=NEW_ONLY[n])
    if reference:
        old_cheap, row["cheap_old"] = best(repeat, centrality, actors_only, measures=cheap, reference=True)
        row["cheap_same"] = old_cheap.to_dict() == new_cheap.to_dict()
        old_between, row["betweenness_old"] = best(repeat, centrality, actors_only, measures=("betweenness",),
                                                   k=k, reference=True)
        row["betweenness_gap"] = betweenness_gap(old_between, new_between)
        row["betweenness_same"] = row["betweenness_gap"] <= 1e-9
        old_balance, row["balance_old"] = best(repeat, balance, actors_only, exact_max_edges=EXACT_MAX_EDGES,
                                               time_limit=EXACT_TIME_LIMIT, reference=True)
        row["balance_same"] = old_balance.to_dict() == new_balance.to_dict()
    row["frustration"] = new_balance.frustration
    row["balance_method"] = new_balance.method
    row["signed_edges"] = new_balance.edges
    row["triads"] = len(new_balance.triads)
    row["blocs"] = len(new_balance.blocs)
    row["modularity"] = new_balance.modularity
    row["load_end"] = os.getloadavg()[0]
    return row


def _between_label(k) -> str:
    return "exact" if k is None else f"k={k} sampled"


def _ratio(old: float | None, new: float) -> str:
    return f"{old / new:.1f}×" if old is not None and new > 0 else "–"


def _same(row: dict, key: str) -> str:
    return "–" if key not in row else ("yes" if row[key] else "**no**")


def report(rows: list[dict]) -> str:
    lines = ["# Benchmark: network analysis", "",
             "`.venv/bin/python -m benchmarks.bench_analysis` — synthetic kg-like signed graphs "
             "(see the module docstring); wall-clock seconds, the fastest of 3 runs at 1k and 10k actors, "
             "one run at 100k. *Old* is today's way "
             "(`reference=True`: networkx's betweenness, the pure-Python balance), *new* the arrays of "
             "`kg.analysis.arrays`; both run in the same process on the same graph.", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared with other engineers' jobs), "
             f"Python {platform.python_version()}, networkx {nx.__version__}, numpy {np.__version__}, "
             f"scipy {scipy.__version__}; load average {LOAD[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at "
             "the end (per size below). A busy machine slows both ways alike: read the ratios.", "",
             "## Old and new, in the same run", "",
             "| actors | relations | load | betweenness | old | new | speed-up | same scores | "
             "balance old | balance new | speed-up | same result |",
             "| ---: | ---: | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |"]
    for r in rows:
        old_between = f"{r['betweenness_old']:.2f}" if "betweenness_old" in r else "–"
        old_balance = f"{r['balance_old']:.2f}" if "balance_old" in r else "–"
        lines.append(
            f"| {r['actors']:,} | {r['edges']:,} | {r['load_start']:.1f}–{r['load_end']:.1f} | "
            f"{_between_label(r['betweenness_k'])} | {old_between} | {r['betweenness_new']:.2f} | "
            f"{_ratio(r.get('betweenness_old'), r['betweenness_new'])} | {_same(r, 'betweenness_same')} | "
            f"{old_balance} | {r['balance_new']:.2f} | {_ratio(r.get('balance_old'), r['balance_new'])} | "
            f"{_same(r, 'balance_same')} |")
    more = [r for r in rows if "betweenness_more" in r]
    if more:
        lines += ["", "What the new way makes practical (new way only):", ""]
        for r in more:
            k, t = r["more_k"], r["betweenness_more"]
            if k is None:
                estimate = r.get("betweenness_old", 0) * r["actors"] / r["betweenness_k"] if r["betweenness_k"] else 0
                old = f" (networkx: ≈ {estimate:,.0f} s, extrapolated from its k={r['betweenness_k']} run)" \
                    if estimate else ""
                lines.append(f"- {r['actors']:,} actors: exact betweenness in {t:.1f} s{old}.")
            else:
                lines.append(f"- {r['actors']:,} actors: betweenness from k={k} sampled sources in {t:.1f} s "
                             f"({k // (r['betweenness_k'] or 1)}× the sample of the table).")
    lines += ["", "The other analyses, and the reference for the machine's speed (seconds; the last two "
              "columns: the new ways' times over the reference's):", "",
              "| actors | reference (connected components) | conflicts of interest | "
              "degree + eigenvector + PageRank, old | new | same scores | betweenness / reference | "
              "balance / reference |",
              "| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |"]
    for r in rows:
        ref = r["reference"] or 1e-9
        old_cheap = f"{r['cheap_old']:.2f}" if "cheap_old" in r else "–"
        lines.append(f"| {r['actors']:,} | {r['reference']:.3f} | {r['conflicts']:.2f} | {old_cheap} | "
                     f"{r['cheap_new']:.2f} | {_same(r, 'cheap_same')} | {r['betweenness_new'] / ref:.0f}× | "
                     f"{r['balance_new'] / ref:.1f}× |")
    lines += ["", "What each size found (the same both ways where compared above):", "",
              "| actors | conflict pairs | signed ties | triads | frustration index | method | blocs | "
              "modularity |",
              "| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['actors']:,} | {r['pairs']:,} | {r['signed_edges']:,} | {r['triads']:,} | "
                     f"{r['frustration']:,} | {r['balance_method']} | {r['blocs']:,} | {r['modularity']} |")
    lines += ["", NOTES]
    return "\n".join(lines) + "\n"


NOTES = """## Reading it

- **Betweenness.** Old: networkx's Brandes algorithm, one breadth-first search per source
  in pure Python, O(n·m) when exact. New: the same algorithm in
  `kg.analysis.arrays.betweenness`, run for 16 sources at once: each level of the 16
  searches is one sparse-matrix product (scipy), and the dependencies flow back the same
  way. Path counts are sums of integers, so exact; the scores differ from networkx's only
  by the order of floating-point additions (the largest difference is checked to be below
  1e-9 here, and to 1e-12 relative on small graphs in `tests/test_analysis_backends.py`).
  Sampled sources are drawn as networkx draws them (`random.Random(seed).sample`) and scaled
  as networkx ≥ 3.5 scales them, so `kg analyze centrality --sample K` gives networkx's
  estimate. The products do more arithmetic than Brandes' loop (each level's product
  goes over every edge, so the edges are read about as many times as the searches have
  levels), but in compiled code, for 16 sources per pass. The times are whole
  `centrality()` calls: both ways first build the actor graph, which takes about the
  reference column's time (4–5 s at 100k actors), so the algorithm alone gains more than
  the ratio says.
- **Balance.** The graph conversions and the frustration index's exact solver (HiGHS, for
  small graphs) are shared; the triads (edge-wise set intersections instead of pairs of
  neighbours), the local search (an incremental count of frustrated ties, revisiting only
  the actors a move touched, in the order of the old passes) and the signed Louvain (flat
  lists; a node's links are summed again only when a neighbour has moved, and a node whose
  neighbourhood and candidate blocs have not changed is not weighed again) are new and give
  the old result exactly: the same triads, split, blocs and modularity, checked above on
  every size. The Louvain method stays sequential pure Python (each move depends on the
  moves before it), so it dominates what is left.
- **Degree, eigenvector, PageRank** were already networkx/scipy code. Both ways now share an
  actor graph built in one pass (the same graph) and a faster per-actor loop: looking up
  the brokers in a list made `centrality()` quadratic, about 18 s at 100k actors with k=50,
  whichever way betweenness ran. The old column differs only in the eigenvector's matrix
  (networkx's `to_scipy_sparse_array` there, index arrays here: the same matrix).
- **Against the previous report** (431 s for betweenness with k=50 and 204 s for balance at
  100k actors, load 6–7): those runs measured the analyses on a networkx subgraph view,
  whose every edge lookup is filtered; kg's `network()` gives a graph of its own, and so
  does this benchmark now. Together with the broker fix above and a quieter machine, the
  old ways take 61 s and 43 s here; the ratios old/new in the same run are the figures to
  compare.
- Candidates tried and not taken: `nx-parallel` 0.3 (the only release pip offers this Python
  3.11) fails to import with networkx 3.6 (it imports a function networkx removed), and at
  best it would split networkx's pure-Python loop over the 2 cores; `graphblas-algorithms` 2023.10
  has no betweenness (nor anything of balance) and would bring python-graphblas,
  SuiteSparse:GraphBLAS and numba. Compiling the Louvain local moving with numba (BSD-2)
  gave the same blocs at 100k actors in about 3 s instead of the Python loop's 12, but costs
  about 5 s of compilation in every new process (or a writable cache), and would add numba
  and llvmlite (≈ 50 MB, compiled) for one step: not taken.
- The **frustration index** is NP-hard. kg solves it exactly as a binary linear program
  (HiGHS through scipy) up to 1000 signed ties within 10 s (the defaults; the benchmark
  allows 2500 ties and 20 s) and otherwise reports a local-search upper bound; the "method"
  column says which was used.
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--out", default=str(REPORT), help="where to write the report ('-' for stdout)")
    parser.add_argument("--no-reference", action="store_true",
                        help="skip today's way (networkx betweenness, pure-Python balance)")
    args = parser.parse_args(argv)
    warm_up()
    rows = []
    for n in args.sizes:
        row = run(n, reference=not args.no_reference)
        rows.append(row)
        print(f"{n:>7} actors: " + ", ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}"
                                             for k, v in row.items()), file=sys.stderr, flush=True)
    text = report(rows)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
