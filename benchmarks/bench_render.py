"""How the map scales: render time in Python and load time in Chromium for synthetic graphs.

Run on demand: ``.venv/bin/python -m benchmarks.bench_render`` (needs chromium; about a minute).
Writes benchmarks/REPORT-render.md. The reference in the same run is the seed graph's map.

Each synthetic graph has N actors (a fifth of them states) and 2N relations of mixed kinds,
each with one quote; the map is rendered, written, opened from disk in headless Chromium,
and timed until ``window.kgMap`` exists; then the positions are read twice, a second apart,
to show that nothing moves (physics is off; positions are precomputed).
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from pathlib import Path

from kg.vocabulary import ACTOR_CLASSES, RELATIONS

SIZES = (100, 300, 600)
REPORT = Path(__file__).parent / "REPORT-render.md"


def synthetic(n: int, seed: int = 1):
    """An rdflib Graph shaped like kg's: n actors, 2n statements with one piece of evidence each."""
    from rdflib import Graph

    rng = random.Random(seed)
    lines = ["@prefix kg: <https://w3id.org/conflict-kg/> .",
             "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .",
             "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ."]
    classes = ["State"] * 2 + list(ACTOR_CLASSES)
    for i in range(n):
        lines.append(f'kg:A{i} a kg:{rng.choice(classes)} ; skos:prefLabel "Actor {i}"@en .')
    seen = set()
    while len(seen) < 2 * n:
        s, o = rng.randrange(n), int(rng.paretovariate(1.2)) % n
        p = rng.choice([r for r in RELATIONS if r not in ("partyTo", "operatesIn", "controls", "locatedIn")])
        if s == o or (s, p, o) in seen:
            continue
        seen.add((s, p, o))
        k = len(seen)
        lines.append(f"kg:st{k} a kg:Statement ; rdf:subject kg:A{s} ; rdf:predicate kg:{p} ; rdf:object kg:A{o} ;"
                     f' kg:method "curated" ; kg:evidence kg:ev{k} .'
                     f' kg:ev{k} kg:quote "Actor {s} {p} actor {o}." ;'
                     f' kg:date "2020-{1 + k % 12:02d}-{1 + k % 28:02d}" .')
    return Graph().parse(data="\n".join(lines), format="turtle")


def main() -> None:
    import kg
    from kg.render import render_map

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("chromium is needed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    cases = [("seed graph (reference)", kg.build_graph(Path(__file__).parent.parent))]
    cases += [(f"synthetic, {n} actors", synthetic(n)) for n in SIZES]
    rows = []
    folder = Path(tempfile.mkdtemp(prefix="bench-render-"))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium,
                                        args=["--no-sandbox", "--headless", "--disable-gpu"])
            for name, graph in cases:
                t0 = time.perf_counter()
                html = render_map(graph)
                render_s = time.perf_counter() - t0
                path = folder / "map.html"
                path.write_text(html, encoding="utf-8")
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                t0 = time.perf_counter()
                page.goto(path.as_uri())
                page.wait_for_function("window.kgMap !== undefined", timeout=120000)
                load_s = time.perf_counter() - t0
                drawn = page.evaluate("kgMap.drawn()")
                before = page.evaluate("kgMap.network.getPositions()")
                page.wait_for_timeout(1000)
                still = page.evaluate("kgMap.network.getPositions()") == before
                page.close()
                rows.append((name, drawn["nodes"], drawn["edges"], render_s, load_s, len(html) / 1e6, still))
                print(rows[-1])
            browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    ref = rows[0]
    lines = ["# The map: render and load times", "",
             "`.venv/bin/python -m benchmarks.bench_render` (headless Debian chromium, 2 cores, shared box).",
             "Render = `kg.render.render_map` in Python (graph to networkx, layout, pyvis, HTML);",
             "load = opening the file from disk until the map is drawn; still = no node moved in the",
             "second after loading. Most of the render time of the large graphs is reading the RDF",
             "(`kg.network.to_networkx`, SPARQL in rdflib); the layout takes about a quarter.", "",
             "| graph | actors | relations | render s | × ref | load s | × ref | file MB | still |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for name, nodes, edges, render_s, load_s, mb, still in rows:
        lines.append(f"| {name} | {nodes} | {edges} | {render_s:.2f} | {render_s / ref[3]:.1f} | "
                     f"{load_s:.2f} | {load_s / ref[4]:.1f} | {mb:.2f} | {'yes' if still else 'NO'} |")
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {REPORT}")


if __name__ == "__main__":
    main()
