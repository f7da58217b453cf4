"""How the map scales, before and after, in one run: render time in Python, first draw, stable view
and the answer to a filter click in Chromium, for the seed graph and generated graphs of 600 and
5,000 actors.

Run on demand: ``.venv/bin/python -m benchmarks.bench_render`` (needs chromium; about a quarter
of an hour, most of it the old renderer laying out 5,000 actors). Writes
benchmarks/REPORT-render.md and the screenshots in benchmarks/screenshots/.

"Before" is the map of the ``--baseline`` revision (default: the one before the camps layout),
taken with ``git archive`` into a temporary folder and run in a subprocess on the same graph,
written as N-Triples. Each page is opened from disk at 1280x800 with a hook (a Playwright init
script, outside the page, so both pages are timed alike) that stamps every vis-network
``afterDrawing``:

- first draw: the frame after the first drawing (the map is on screen);
- stable: the frame after the last drawing before a second with none (labels placed, nothing moves);
- filter click: from the click on a relation's box to the end of the drawing that follows,
  five times; the budget is :data:`CLICK_BUDGET_MS`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from kg.vocabulary import ACTOR_CLASSES, RELATIONS

SIZES = (600, 5000)
ROOT = Path(__file__).resolve().parent.parent
REPORT = Path(__file__).parent / "REPORT-render.md"
SHOTS = Path(__file__).parent / "screenshots"
BASELINE = "ed36d7d"
VIEW = {"width": 1280, "height": 800}
#: a filter click should be drawn within this many milliseconds (six frames at 60 Hz).
CLICK_BUDGET_MS = 100

HOOK = """(() => {
  const t = window.__kgDraws = {draws: [], firstFrame: null, lastFrame: null};
  let vis;
  Object.defineProperty(window, 'vis', {configurable: true, get() { return vis; }, set(v) {
    vis = v;
    let Network;
    Object.defineProperty(v, 'Network', {configurable: true, enumerable: true, get() { return Network; }, set(c) {
      Network = c;
      const emit = c.prototype.emit;
      c.prototype.emit = function (name) {
        if (name === 'afterDrawing') {
          t.draws.push(performance.now());
          if (t.firstFrame === null) { t.firstFrame = 0; requestAnimationFrame(() => { t.firstFrame = performance.now(); }); }
          requestAnimationFrame(() => { t.lastFrame = performance.now(); });
        }
        return emit.apply(this, arguments);
      };
    }});
  }});
})();"""

CLICK = """async (relation) => {
  const box = document.querySelector('#kg-relations input[data-relation="' + relation + '"]');
  const times = [];
  for (let i = 0; i < 6; i++) {
    const before = window.__kgDraws.draws.length, start = performance.now();
    box.click();
    while (window.__kgDraws.draws.length === before && performance.now() - start < 5000) {
      await new Promise(r => requestAnimationFrame(r));
    }
    times.push(window.__kgDraws.draws[window.__kgDraws.draws.length - 1] - start);
  }
  return times;
}"""

OLD_RENDER = """
import sys, time
sys.path.insert(0, sys.argv[3])
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
from rdflib import Graph
import kg
from kg.built import BuiltGraph
from kg.render import html_page, map_data
assert kg.__file__.startswith(sys.argv[3]), kg.__file__
built = BuiltGraph.of(Graph().parse(sys.argv[1], format="nt"))
t0 = time.perf_counter()
html = html_page(map_data(built))
print(time.perf_counter() - t0)
open(sys.argv[2], "w", encoding="utf-8").write(html)
"""


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


def old_renderer(baseline: str, folder: Path) -> Path:
    """The baseline revision's kg package, unpacked into ``folder`` (git archive: nothing changes here)."""
    archive = folder / "old.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", baseline, "kg"], cwd=ROOT, stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder / "old", filter="data")
    return folder / "old"


def render_old(old: Path, graph, folder: Path, name: str) -> tuple[Path, float]:
    source, page = folder / f"{name}.nt", folder / f"{name}-before.html"
    graph.serialize(source, format="nt", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", OLD_RENDER, str(source), str(page), str(old)],
                          env={**os.environ, "PYTHONPATH": str(old)}, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the old renderer failed on {name}: {done.stderr[-2000:]}")
    return page, float(done.stdout.strip().splitlines()[-1])


def measure(browser, path: Path, shot: Path | None, relation: str) -> dict:
    """Open a map at 1280x800 and time it: first draw, stable view, filter clicks."""
    page = browser.new_page(viewport=VIEW)
    page.add_init_script(HOOK)
    page.goto(path.as_uri())
    page.wait_for_function("window.kgMap !== undefined && window.__kgDraws.firstFrame > 0", timeout=300000)
    start = time.perf_counter()
    while time.perf_counter() - start < 30:
        quiet = page.evaluate("performance.now() - window.__kgDraws.draws[window.__kgDraws.draws.length - 1]")
        if quiet > 1000:
            break
        page.wait_for_timeout(200)
    draws = page.evaluate("window.__kgDraws")
    shown = page.evaluate("kgMap.drawn()")
    if shot is not None:
        page.screenshot(path=str(shot))
    clicks = page.evaluate(CLICK, relation)
    opened = None
    if page.evaluate("!!(kgMap.nodes.get('camp:1') && kgMap.nodeView.get('camp:1'))"):
        opened = page.evaluate("""async () => {
            const before = window.__kgDraws.draws.length, start = performance.now();
            kgMap.network.body.emitter.emit('click', {nodes: ['camp:1'], edges: [], pointer: {}});
            while (window.__kgDraws.draws.length === before) { await new Promise(r => requestAnimationFrame(r)); }
            return {ms: window.__kgDraws.draws[window.__kgDraws.draws.length - 1] - start, drawn: kgMap.drawn()};
        }""")
        page.wait_for_timeout(1000)
        if shot is not None:
            page.screenshot(path=str(shot.with_name(shot.stem + "-camp-open.png")))
        opened["clicks"] = page.evaluate(CLICK, relation)
    page.close()
    return {"first": draws["firstFrame"], "stable": draws["lastFrame"], "drawn": shown,
            "click": statistics.median(clicks), "click_max": max(clicks), "opened": opened}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE, help="the revision whose map is 'before'")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="generated graphs' sizes")
    args = parser.parse_args()
    import kg
    from kg.built import BuiltGraph
    from kg.render import MapOptions, html_page, map_data

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("chromium is needed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="bench-render-"))
    rows = []
    try:
        old = old_renderer(args.baseline, folder)
        t0 = time.perf_counter()
        seed = BuiltGraph.of(kg.build_graph(ROOT))
        seed_read = time.perf_counter() - t0
        cases = [("seed graph", "seed", seed.rdf)]
        cases += [(f"generated, {n} actors", f"generated-{n}", synthetic(n)) for n in map(int, args.sizes.split(","))]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--headless", "--disable-gpu"])
            for title, name, graph in cases:
                before_page, before_s = render_old(old, graph, folder, name)
                t0 = time.perf_counter()
                built = seed if name == "seed" else BuiltGraph.of(graph)
                t1 = time.perf_counter()
                after_html = html_page(map_data(built))
                t2 = time.perf_counter()
                after_page = folder / f"{name}-after.html"
                after_page.write_text(after_html, encoding="utf-8")
                shoot = name in ("seed", "generated-600")
                before = measure(browser, before_page, SHOTS / f"{name}-before.png" if shoot else None, "opposes")
                after = measure(browser, after_page, SHOTS / f"{name}.png" if shoot else None, "opposes")
                read = seed_read if name == "seed" else t1 - t0
                rows.append({"title": title, "actors": len(built.network), "relations": built.network.number_of_edges(),
                             "render_before": before_s, "read": read, "render_after": t2 - t1,
                             "mb_before": before_page.stat().st_size / 1e6, "mb_after": after_page.stat().st_size / 1e6,
                             "before": before, "after": after})
                print(json.dumps(rows[-1]), flush=True)
            focused = folder / "focused.html"
            focused.write_text(html_page(map_data(seed, MapOptions(focus="Turkey"))), encoding="utf-8")
            measure(browser, focused, SHOTS / "focused-turkey.png", "backs")
            browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    write_report(rows, args.baseline)


SCREENSHOTS = [
    "## What the numbers are about",
    "",
    "The screenshots in `screenshots/` are the pages the table times, at 1280x800, as they open:",
    "",
    "- `seed-before.png` and `seed.png`: the seed map before (every actor, a fan of parallel curves per pair,",
    "  the unconnected actors in rows at the bottom) and after (the actors with a relation among them, camps",
    "  apart, one edge per pair, the labels that fit);",
    "- `focused-turkey.png`: the focused map of Turkey (`kg render --focus Turkey`), every class shown;",
    "- `generated-600-before.png` and `generated-600.png`: 600 generated actors, all at once before, and",
    "  after opening on their camps (cluster nodes named after their most central actors);",
    "  `generated-600-camp-open.png`: the same after a click on the largest camp.",
    "",
    "The generated graphs are random (a few hubs with hundreds of ties, relations of every kind between any",
    "classes): they measure cost, not readability.",
]


def write_report(rows: list[dict], baseline: str) -> None:
    lines = [
        "# The map: first draw, stable view and filter clicks, before and after",
        "",
        "`.venv/bin/python -m benchmarks.bench_render` (headless Debian chromium at 1280x800, 2 cores, shared box;",
        f"before = revision {baseline}'s map, after = this one, on the same graphs in the same run). Times in the",
        "browser are from the start of navigation to the frame after the first drawing (first draw) and after the",
        "last drawing before a second with none (stable: labels placed, nothing moves); a filter click is timed",
        f"from the click to the end of the drawing it causes (median of six, and the slowest; budget {CLICK_BUDGET_MS} ms).",
        "",
        "| graph | actors | relations | | render s | first draw s | stable s | drawn at first (nodes / edges) | filter click ms (max) | file MB |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        for when in ("before", "after"):
            m = r[when]
            render = r["render_before"] if when == "before" else r["render_after"]
            lines.append(f"| {r['title'] if when == 'before' else ''} | {r['actors'] if when == 'before' else ''} | "
                         f"{r['relations'] if when == 'before' else ''} | {when} | {render:.1f} | {m['first'] / 1000:.2f} | "
                         f"{m['stable'] / 1000:.2f} | {m['drawn']['nodes']} / {m['drawn']['edges']} | "
                         f"{m['click']:.0f} ({m['click_max']:.0f}) | {r['mb_' + when]:.1f} |")
    lines += ["", "Opening the largest camp of an aggregated map (a click on its cluster node, to the end of the drawing):", ""]
    for r in rows:
        opened = r["after"]["opened"]
        if opened:
            lines.append(f"- {r['title']}: {opened['ms']:.0f} ms, then {opened['drawn']['nodes']} nodes and "
                         f"{opened['drawn']['edges']} edges drawn; a filter click then takes "
                         f"{statistics.median(opened['clicks']):.0f} ms ({max(opened['clicks']):.0f})")
    lines += ["", "Render = `html_page(map_data(built))`, before and after alike; reading and analysing the graph "
              "(`BuiltGraph.of`; for the seed, building it from the articles), which both share, is left out: "
              + ", ".join(f"{r['title']} {r['read']:.1f} s" for r in rows) + ".", ""]
    lines += SCREENSHOTS
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {REPORT}")


if __name__ == "__main__":
    main()
