"""The map's views, measured in Chromium: the first view reads, a large map opens on its camps,
"neighbours of" narrows it, a link reopens it, and every view can leave the page.

The first-view bounds are taken at 1280x800 from what vis-network itself draws: node boxes
from each node's shape, label boxes from each label's own size and position
(``network.body.nodes[id].labelModule.size``), crossings between the straight edges drawn.
The crossings are compared with the layout the map had before camps, :func:`legacy_layout`.
"""

from __future__ import annotations

import html
import struct
import xml.etree.ElementTree as ET

import networkx as nx
import numpy as np
import pytest

from kg.render import Map, map_data, render_map
from kg.render.crossings import crossings
from kg.render.forces import spring
from kg.vocabulary import AGENT_CLASSES
from tests import test_render_browser as pages

browser = pages.browser
open_map = pages.open_map
seed = pages.seed
seed_map = pages.seed_map
drawn = pages.drawn

FIRST_VIEW = (1280, 800)

#: every drawn node's box, every drawn label's box (canvas units), every drawn straight edge.
MEASURE = """() => {
    const net = kgMap.network;
    const nodes = net.body.nodeIndices.map(id => {
        const n = net.body.nodes[id];
        return {id, left: n.x - n.shape.width / 2, right: n.x + n.shape.width / 2,
                top: n.y - n.shape.height / 2, bottom: n.y + n.shape.height / 2};
    });
    const labels = kgMap.labels().map(id => {
        const s = net.body.nodes[id].labelModule.size;
        return {id, left: s.left, right: s.left + s.width, top: s.top, bottom: s.top + s.height};
    });
    const edges = net.body.edgeIndices.map(id => net.body.edges[id])
        .filter(e => !(e.options.smooth && e.options.smooth.enabled))
        .map(e => [e.fromId, e.toId]);
    const positions = net.getPositions();
    return {nodes, labels, edges, positions, scale: net.getScale()};
}"""


def overlapping(boxes: list[dict]) -> set[str]:
    """The ids of the boxes that overlap another box."""
    found = set()
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]:
                found.update((a["id"], b["id"]))
    return found


def crossings_of(positions: dict, edges) -> int:
    """Crossings between the straight segments joining the ends of ``edges``."""
    ids = sorted({n for e in edges for n in e[:2]})
    index = {n: i for i, n in enumerate(ids)}
    pos = np.array([[positions[n][0], positions[n][1]] if isinstance(positions[n], tuple | list)
                    else [positions[n]["x"], positions[n]["y"]] for n in ids], dtype=float)
    return int(crossings(pos, np.array([[index[a], index[b]] for a, b, *_ in edges]).reshape(-1, 2)))


def legacy_layout(g, *, seed: int = 7) -> dict:
    """The layout the map had before this one: a force layout per connected part, the largest in
    the middle, the others on shelves below. Kept as the reference for the crossings bound."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(g.nodes))
    simple.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in g.edges() if u != v))
    parts = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c)))

    def radius(n):
        return 40.0 if n == 1 else 85.0 * np.sqrt(n)

    placed = {}
    width = 2 * radius(len(parts[0]))
    x = y = row = 0.0
    for i, part in enumerate(parts):
        r = radius(len(part))
        pos = spring(simple.subgraph(part), seed=seed) if len(part) > 1 else {next(iter(part)): (0.0, 0.0)}
        if i == 0:
            cx, cy, x, y = 0.0, 0.0, -width / 2, width / 2 + 60
        else:
            if x + 2 * r > width / 2 and x > -width / 2:
                x, y, row = -width / 2, y + row + 40, 0.0
            cx, cy = x + r, y + r
            x, row = x + 2 * r + 40, max(row, 2 * r)
        for node, (px, py) in pos.items():
            placed[node] = (round(cx + float(px) * r), round(cy + float(py) * r))
    return placed


@pytest.fixture(scope="module")
def first_view(browser, seed_map):
    page = browser.new_page(viewport={"width": FIRST_VIEW[0], "height": FIRST_VIEW[1]})
    page.goto(seed_map.resolve().as_uri())
    page.wait_for_function("window.kgMap !== undefined", timeout=15000)
    yield page, page.evaluate(MEASURE)
    pages.ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(pages.ARTIFACTS / "first-view-1280x800.png"))
    page.close()


def test_the_first_view_has_no_node_on_another(first_view):
    _, seen = first_view
    assert len(seen["nodes"]) > 30
    assert overlapping(seen["nodes"]) == set()


def test_at_most_5_percent_of_the_drawn_labels_overlap_and_the_central_actors_have_theirs(first_view, seed):
    _, seen = first_view
    labels = seen["labels"]
    assert len(overlapping(labels)) <= 0.05 * len(labels)
    assert len(labels) >= 0.5 * len(seen["nodes"]), "most drawn actors are named at first sight"
    pagerank = seed.analysis.score("pagerank")
    drawn_ids = [n["id"] for n in seen["nodes"]]
    central = sorted(drawn_ids, key=lambda n: -pagerank.get(n, 0.0))[:8]
    assert set(central) <= {label["id"] for label in labels}
    heights = [(label["bottom"] - label["top"]) * seen["scale"] for label in labels]
    assert seen["scale"] < 1 and all(12 <= h <= 20 for h in heights), "labels keep their size on screen"


def test_edge_crossings_are_at_most_half_of_the_old_layout(first_view, seed):
    page, seen = first_view
    g = seed.network
    old = legacy_layout(g)
    drawn_pairs = seen["edges"]
    assert crossings_of(seen["positions"], drawn_pairs) <= 0.5 * crossings_of(old, drawn_pairs)
    # and with every layer drawn (agreements, regions): every pair of related actors
    pages.show_everything(page)
    everything = page.evaluate(MEASURE)
    related = {(min(u, v), max(u, v)) for u, v in g.edges() if u != v}
    assert {tuple(sorted(e)) for e in everything["edges"]} == related
    assert crossings_of(everything["positions"], everything["edges"]) <= 0.5 * crossings_of(old, list(related))


def test_camps_sit_apart(seed):
    """Actors of one signed bloc sit closer to each other than to the actors of the other blocs."""
    data = map_data(seed)
    at = {n["id"]: np.array([n["x"], n["y"]], dtype=float) for n in data["nodes"]}
    camps = [g["members"] for g in data["groups"] if g["kind"] == "bloc"]
    inside = [np.linalg.norm(at[a] - at[b]) for m in camps for i, a in enumerate(m) for b in m[i + 1:]]
    across = [np.linalg.norm(at[a] - at[b]) for i, m in enumerate(camps) for other in camps[i + 1:]
              for a in m for b in other]
    assert np.mean(inside) < 0.8 * np.mean(across)


def test_hidden_labels_show_on_hover_and_more_show_on_zoom(open_map, seed_map):
    page, log = open_map(seed_map, viewport=FIRST_VIEW)
    labelled = set(page.evaluate("kgMap.labels()"))
    scale = page.evaluate("kgMap.network.getScale()")
    bare = [n for n in page.evaluate("kgMap.network.body.nodeIndices") if n not in labelled]
    assert bare, "some small actors are unnamed at first sight"
    point = page.evaluate("id => kgMap.domPoint(kgMap.network.getPositions([id])[id])", bare[0])
    page.mouse.move(point["x"], point["y"])
    page.wait_for_function("id => kgMap.labels().includes(id)", arg=bare[0], timeout=3000)
    page.mouse.move(5, 5)
    box = page.locator("#kg-network").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(20):
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(60)
        if page.evaluate("kgMap.network.getScale()") > 2 * scale:
            break
    zoomed = page.evaluate(MEASURE)
    assert zoomed["scale"] > 2 * scale
    assert len(overlapping(zoomed["labels"])) <= 0.05 * len(zoomed["labels"])
    assert len(page.evaluate("kgMap.labels()")) > len(labelled), "zoomed in, more actors have room for a name"
    assert log.errors == []


def test_neighbours_of_an_actor_narrow_the_map_and_the_whole_map_comes_back(open_map, seed_map, seed):
    page, _ = open_map(seed_map)
    before = drawn(page)
    page.fill("#kg-search", "Turkey")
    page.press("#kg-search", "Enter")
    page.click("#kg-details button:has-text('only its neighbours')")
    actors = seed.network.subgraph(n for n, d in seed.network.nodes(data=True) if d["cls"] in AGENT_CLASSES)
    expected = set(nx.ego_graph(actors.to_undirected(as_view=True), "Turkey", radius=1))
    assert set(page.evaluate("kgMap.shownActors()")) == expected
    assert page.locator("#kg-focus-box").is_visible() and "Turkey" in page.text_content("#kg-focus-text")
    assert "focus=Turkey" in page.evaluate("kgMap.link()")
    page.click("#kg-unfocus")
    assert drawn(page) == before


def test_a_link_reopens_the_same_view(open_map, seed_map, browser):
    page, log = open_map(seed_map)
    page.uncheck("#kg-relations input[data-relation=backs]")
    page.check("#kg-classes input[data-class=Region]")
    page.evaluate("""() => { const from = document.getElementById('kg-date-from');
        from.value = 3; from.dispatchEvent(new Event('input')); }""")
    page.fill("#kg-search", "Russia")
    page.press("#kg-search", "Enter")
    page.click("#kg-details button:has-text('two steps out')")
    page.click("#kg-details button:has-text('Russia opposes Turkey')")
    link = page.evaluate("kgMap.link()")
    page.wait_for_function("link => location.hash === '#' + link", arg=link, timeout=3000)
    assert {"focus=Russia", "depth=2", "from=", "selected=Russia%7Copposes%7CTurkey"} <= \
        {part.split("=")[0] + "=" + (part.split("=")[1] if part.startswith(("focus", "depth", "selected")) else "")
         for part in link.split("&")}

    def view(p):
        return {"actors": p.evaluate("kgMap.shownActors()"), "drawn": drawn(p),
                "boxes": p.evaluate("[...document.querySelectorAll('#kg-controls input[type=checkbox]')]"
                                    ".map(b => b.checked)"),
                "dates": [p.text_content("#kg-date-from-text"), p.text_content("#kg-date-to-text")],
                "focus": p.text_content("#kg-focus-text"), "details": p.text_content("#kg-details h2"),
                "quotes": p.locator("#kg-details .kg-quote").all_text_contents()}

    again, log2 = open_map(seed_map, "#" + link)
    assert view(again) == view(page)
    assert again.evaluate("kgMap.link()") == link
    assert log.errors == log2.errors == []


def test_the_current_view_exports_as_png(open_map, seed_map):
    page, log = open_map(seed_map, viewport=FIRST_VIEW)
    with page.expect_download() as info:
        page.click("#kg-export-png")
    data = open(info.value.path(), "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and info.value.suggested_filename.endswith(".png")
    width, height = struct.unpack(">II", data[16:24])
    canvas = page.evaluate("[kgMap.network.canvas.frame.canvas.width, kgMap.network.canvas.frame.canvas.height]")
    assert width == canvas[0] and height > canvas[1], "the whole canvas, and a caption under it"
    # the image is the canvas: the same pixels at every drawn node's centre
    same = page.evaluate("""async () => {
        const blob = await kgMap.png(), image = await createImageBitmap(blob);
        const source = kgMap.network.canvas.frame.canvas, ratio = source.width / source.clientWidth;
        const copy = document.createElement('canvas');
        copy.width = image.width; copy.height = image.height;
        const context = copy.getContext('2d', {willReadFrequently: true});
        context.drawImage(image, 0, 0);
        const a = context.getImageData(0, 0, source.width, source.height).data;
        const b = source.getContext('2d').getImageData(0, 0, source.width, source.height).data;
        const net = kgMap.network;
        return net.body.nodeIndices.map(id => {
            const p = net.canvasToDOM(net.getPositions([id])[id]);
            const at = 4 * (Math.round(p.y * ratio) * source.width + Math.round(p.x * ratio));
            return b[at + 3] === 255 && a[at] === b[at] && a[at + 1] === b[at + 1] && a[at + 2] === b[at + 2];
        });
    }""")
    assert same and all(same)
    assert all(url.startswith(("file:", "blob:")) for url in log.requests) and log.errors == []


def test_the_current_view_exports_as_a_faithful_svg(open_map, seed_map, browser):
    page, log = open_map(seed_map, viewport=FIRST_VIEW)
    page.fill("#kg-search", "Syria")
    page.press("#kg-search", "Enter")
    with page.expect_download() as info:
        page.click("#kg-export-svg")
    text = open(info.value.path(), encoding="utf-8").read()
    pages.ARTIFACTS.mkdir(exist_ok=True)
    (pages.ARTIFACTS / "exported-view.svg").write_text(text, encoding="utf-8")
    root = ET.fromstring(text.split("?>", 1)[1])
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert not root.findall(".//s:script", ns) and not root.findall(".//s:foreignObject", ns)
    seen = page.evaluate(MEASURE)
    svg_nodes = {g.get("data-node"): g[0] for g in root.iterfind(".//s:g[@data-node]", ns)}
    assert set(svg_nodes) == {n["id"] for n in seen["nodes"]}
    for node_id, shape in svg_nodes.items():
        x, y = seen["positions"][node_id]["x"], seen["positions"][node_id]["y"]
        if shape.tag.endswith("circle"):
            assert abs(float(shape.get("cx")) - x) < 0.01 and abs(float(shape.get("cy")) - y) < 0.01
    svg_edges = [g.get("data-edge") for g in root.iterfind(".//s:g[@data-edge]", ns)]
    assert sorted(svg_edges) == sorted(page.evaluate("kgMap.network.body.edgeIndices"))
    labels = {t.get("data-label"): t.text for t in root.iterfind(".//s:text[@data-label]", ns)}
    assert set(labels) == set(page.evaluate("kgMap.labels()"))
    assert all(labels[i] == page.evaluate("id => kgMap.nodes.get(id).label", i) for i in labels)
    left, top, width, height = map(float, root.get("viewBox").split())
    corner = page.evaluate("kgMap.network.DOMtoCanvas({x: 0, y: 0})")
    assert abs(left - corner["x"]) < 0.01 and abs(top - corner["y"]) < 0.01
    # the file opens as a picture in the browser
    shown = pages.ARTIFACTS / "exported-view.svg"
    picture = browser.new_page()
    picture.goto(shown.resolve().as_uri())
    assert picture.locator("svg g[data-node]").count() == len(svg_nodes)
    picture.close()
    assert log.errors == []


def test_in_a_notebook_the_same_page_shows_in_an_isolated_frame(browser, seed, tmp_path):
    shown = Map(seed, height=700)
    assert shown.html == render_map(seed), "the page kg render writes"
    frame_html = shown._repr_html_()
    assert html.unescape(frame_html.split('srcdoc="', 1)[1].split('"', 1)[0]) == shown.html
    host = tmp_path / "notebook.html"
    host.write_text(f"<!DOCTYPE html><html><head><title>a notebook</title></head><body><h1>Out[1]:</h1>"
                    f"{frame_html}</body></html>", encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log = pages.Log()
    page.on("request", lambda r: log.requests.append(r.url))
    page.on("console", lambda m: log.errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: log.errors.append(str(e)))
    try:
        page.goto(host.resolve().as_uri())
        frame = page.frames[1]
        frame.wait_for_function("window.kgMap !== undefined", timeout=15000)
        first = frame.evaluate("kgMap.drawn()")
        assert first["nodes"] > 30 and first["edges"] > 30
        assert frame.locator("#kg-copy-link").is_hidden(), "a frame has no address to share"
        assert page.evaluate("document.querySelector('iframe').contentDocument") is None, "the notebook cannot reach in"
        assert frame.evaluate("(() => { try { return window.parent.document.title; } catch (e) { return 'blocked'; } })()") \
            == "blocked", "and the map cannot reach out"
        frame.locator("#kg-relations input[data-relation=opposes]").uncheck()
        assert frame.evaluate("kgMap.drawn()")["relations"] < first["relations"]
        pages.ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(pages.ARTIFACTS / "notebook-frame.png"))
        assert log.requests == [host.resolve().as_uri()], "nothing but the notebook's own page"
        assert log.errors == []
    finally:
        page.close()


def test_map_takes_the_options_by_name(seed):
    assert Map(seed, focus="Erdogan").data["focus"] == "RecepTayyipErdogan"
    assert "kg.Map" in repr(Map(seed, relations="backs"))
    with pytest.raises(TypeError, match="unknown option"):
        Map(seed, colour="red")
