"""The map in a real browser: Debian's chromium driven by Playwright, the file opened from disk.

Needs ``chromium`` on the PATH (``.ci/run`` installs it); CI fails instead of skipping.
Screenshots are saved in test-artifacts/.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kg.built import BuiltGraph
from kg.network import to_networkx
from kg.render import MapOptions, html_page, map_data, render_map
from tests.conftest import ROOT, require
from tests.test_render import HOSTILE_ARTICLE, HOSTILE_FACTS

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium")
    require("chromium", chromium is not None, "install Debian's chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require("playwright", False, "pip install playwright (the test extras)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Log:
    """What the page did besides drawing: console errors, requests, dialogs."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def open_map(browser, request):
    """``open_map(path, fragment="", viewport=(1400, 900))`` -> (page, log): the map loaded from
    disk (with a permalink's ``#...`` fragment), with everything it does logged."""
    pages = []

    def open_(path: Path, fragment: str = "", viewport: tuple[int, int] = (1400, 900)):
        page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        pages.append(page)
        log = Log()
        page.on("console", lambda m: log.errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: log.errors.append(str(e)))
        page.on("request", lambda r: log.requests.append(r.url))
        page.on("dialog", lambda d: (log.dialogs.append(d.message), d.dismiss()))
        page.goto(Path(path).resolve().as_uri() + fragment)
        page.wait_for_function("window.kgMap !== undefined", timeout=15000)
        return page, log

    yield open_
    for i, page in enumerate(pages):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{i}.png"))
        page.close()


@pytest.fixture(scope="module")
def seed(seed_dataset):
    return BuiltGraph.of(seed_dataset)


@pytest.fixture(scope="module")
def seed_map(seed, tmp_path_factory):
    path = tmp_path_factory.mktemp("map") / "map.html"
    path.write_text(render_map(seed), encoding="utf-8")
    return path


def drawn(page) -> dict:
    """Drawn nodes and edges (one per pair of actors), and the relations those edges carry."""
    return page.evaluate("kgMap.drawn()")


def shown_relations(page) -> set[str]:
    """The kinds of relation the drawn edges carry."""
    return set(page.evaluate("kgMap.edges.get().flatMap(e => e.members.map(id => id.split('|')[1]))"))


def show_everything(page) -> None:
    """Tick every class (agreements and regions start hidden) and show actors with no relation."""
    for box in page.locator("#kg-classes input").all():
        box.check()
    page.uncheck("#kg-hide-isolated")


def pairs(edges) -> int:
    """How many pairs of actors some of ``edges`` (u, v, ...) join: one drawn edge each."""
    return len({(min(u, v), max(u, v)) for u, v, *_ in edges})


def click_edge(page, edge_id: str) -> None:
    """Click with the mouse at the middle of a straight edge, checking that nothing else is there."""
    point = page.evaluate("""id => {
        const net = kgMap.network, e = kgMap.edges.get(id), p = net.getPositions([e.from, e.to]);
        const mid = {x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2};
        const dom = net.canvasToDOM(mid);
        return {page: kgMap.domPoint(mid), edge: net.getEdgeAt(dom), node: net.getNodeAt(dom) ?? null};
    }""", edge_id)
    assert point["edge"] == edge_id and point["node"] is None, f"{edge_id} is not clickable alone: {point}"
    page.mouse.click(point["page"]["x"], point["page"]["y"])


def clickable_edge(page, candidates: list[str]) -> str:
    """The first straight edge among ``candidates`` whose midpoint shows only that edge."""
    return page.evaluate("""ids => ids.find(id => {
        const net = kgMap.network, e = kgMap.edges.get(id);
        if (e.smooth && e.smooth.enabled) return false;
        const p = net.getPositions([e.from, e.to]);
        const dom = net.canvasToDOM({x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2});
        const box = net.body.container.getBoundingClientRect();
        // no other edge or node within a few pixels either: vis-network's click and getEdgeAt
        // may pick different ones of two edges that both pass under the pointer
        const around = [[0, 0], [4, 0], [-4, 0], [0, 4], [0, -4]].map(([dx, dy]) => ({x: dom.x + dx, y: dom.y + dy}));
        return dom.x > 5 && dom.y > 5 && dom.x < box.width - 5 && dom.y < box.height - 5
            && around.every(q => net.getEdgeAt(q) === id && net.getNodeAt(q) === undefined);
    })""", candidates)


def test_the_map_opens_offline_without_errors_or_requests(open_map, seed_map):
    page, log = open_map(seed_map)
    page.wait_for_timeout(300)
    assert log.errors == []
    assert log.requests == [seed_map.resolve().as_uri()], "the file itself and nothing else"
    assert page.title().startswith("Who backs")


def test_it_draws_as_many_actors_and_relations_as_the_graph_has(open_map, seed_map, seed_dataset):
    g = to_networkx(seed_dataset)
    actors = to_networkx(seed_dataset, view="actors")
    page, _ = open_map(seed_map)
    # the first view: the actors (agreements and regions are a layer) with a relation among them
    linked = {n for u, v in actors.edges() for n in (u, v)}
    assert drawn(page) == {"nodes": len(linked), "edges": pairs(actors.edges()), "relations": actors.number_of_edges()}
    show_everything(page)
    assert drawn(page) == {"nodes": g.number_of_nodes(), "edges": pairs(g.edges()), "relations": g.number_of_edges()}
    assert f"{g.number_of_nodes()} of {g.number_of_nodes()} actors" in page.text_content("#kg-counts")
    assert f"{g.number_of_edges()} of {g.number_of_edges()} relations" in page.text_content("#kg-counts")


def test_clicking_an_edge_shows_every_quote_of_every_relation_of_the_pair(open_map, seed_map, seed):
    page, log = open_map(seed_map)
    g = seed.network
    # the pairs with several relations first (their one edge carries them all), then by evidence
    ranked = sorted({(min(u, v), max(u, v)) for u, v in g.edges()},
                    key=lambda p: (-g.number_of_edges(*p) - g.number_of_edges(p[1], p[0]), p))
    edge_id = clickable_edge(page, [f"{a}|{b}" for a, b in ranked])
    assert edge_id, "some edge can be clicked"
    click_edge(page, edge_id)
    a, b = edge_id.split("|")
    relations = [(u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True) if {u, v} == {a, b}]
    panel = page.locator("#kg-details")
    assert page.evaluate("kgMap.network.getSelectedEdges()") == [edge_id]
    quotes = panel.locator(".kg-quote").all_text_contents()
    assert sorted(quotes) == sorted(e["quote"] for *_, d in relations for e in d["evidence"])
    text = panel.text_content()
    assert all(k in text for _, _, k, _ in relations) and g.nodes[a]["label"] in text and g.nodes[b]["label"] in text
    assert all(e["article"] in text and (e["date"] or "undated") in text for *_, d in relations for e in d["evidence"])
    assert log.errors == []


def test_one_edge_per_pair_lists_all_its_relations_on_hover(open_map, seed_map, seed):
    page, _ = open_map(seed_map)
    edge = page.evaluate("kgMap.edges.get('Russia|Turkey')")
    kinds = {k for u, v, k in seed.network.edges(keys=True) if {u, v} == {"Russia", "Turkey"}}
    assert len(kinds) >= 2 and {m.split("|")[1] for m in edge["members"]} == kinds
    assert all(kind in edge["title"] for kind in kinds), "the hover text lists every relation"
    assert edge["color"]["color"] == "#d62728", "coloured by its most telling relation: hostility"
    marks = page.evaluate("kgMap.marks()")
    assert len(marks) >= 2, "a coloured mark per kind of relation on the edges that have several"


def test_clicking_an_actor_shows_its_class_aliases_and_wikidata_link(open_map, seed_map, seed):
    page, _ = open_map(seed_map)
    point = page.evaluate("kgMap.domPoint(kgMap.network.getPositions(['Turkey']).Turkey)")
    page.mouse.click(point["x"], point["y"])
    panel = page.locator("#kg-details")
    assert panel.locator("h2").text_content() == "Turkey"
    assert "State" in panel.text_content() and "Ankara" in panel.text_content()
    assert panel.locator("a").get_attribute("href") == "https://www.wikidata.org/wiki/Q43"


def test_a_hostile_quote_shows_as_text_and_runs_nothing(open_map, make_project, tmp_path):
    import kg

    project = make_project(articles={"a": HOSTILE_ARTICLE}, sidecars={"a": HOSTILE_FACTS})
    path = tmp_path / "hostile.html"
    path.write_text(render_map(kg.build_graph(project)), encoding="utf-8")
    page, log = open_map(path, "#classes=Agreement,ArmedGroup,Leader,Organization,Region,State")
    hostile = {
        "FailaqAlSham|Russia": "A Russian air strike hit Failaq al-Sham <script>alert(1)</script> on Monday.",
        "FailaqAlSham|Turkey": "Turkey-backed Failaq al-Sham <img src=x onerror=alert(2)> holds the line.",
        "SochiAgreement|Turkey":
            "Turkey and Russia signed the Sochi agreement </script><script>window.__pwned=1</script>.",
    }
    real_clicks = 0
    for edge_id, quote in hostile.items():
        clickable = clickable_edge(page, [edge_id])
        if clickable:
            click_edge(page, edge_id)
            real_clicks += 1
        else:  # overlapping in this tiny layout: select it as the click handler would
            page.evaluate("id => { kgMap.network.selectEdges([id]); "
                          "kgMap.network.body.emitter.emit('click', {nodes: [], edges: [id]}); }", edge_id)
        assert quote in page.locator("#kg-details .kg-quote").all_text_contents()
        assert page.locator("#kg-details img, #kg-details script").count() == 0
    assert real_clicks >= 2, "most of them were clicked with the mouse"
    page.wait_for_timeout(300)
    assert log.dialogs == []
    assert page.evaluate("window.__pwned") is None
    assert page.locator("body img").count() == 0
    assert log.errors == []


def test_the_filter_for_one_relation_hides_the_others(open_map, seed_map, seed):
    page, _ = open_map(seed_map)
    show_everything(page)
    page.click("#kg-relations-none")
    assert drawn(page)["edges"] == 0
    page.check("#kg-relations input[data-relation=backs]")
    backs = [(u, v) for u, v, e in seed.network.edges(data=True) if e["relation"] == "backs"]
    assert drawn(page)["relations"] == len(backs) > 0 and drawn(page)["edges"] == pairs(backs)
    assert shown_relations(page) == {"backs"}
    page.check("#kg-hide-isolated")
    assert drawn(page)["nodes"] == len({n for u, v in backs for n in (u, v)})


def test_the_class_filter_leaves_what_the_states_view_has(open_map, seed_map, seed_dataset):
    states = to_networkx(seed_dataset, view="states")
    page, _ = open_map(seed_map)
    page.uncheck("#kg-hide-isolated")
    for box in page.locator("#kg-classes input").all():
        if box.get_attribute("data-class") != "State":
            box.uncheck()
    assert drawn(page) == {"nodes": states.number_of_nodes(), "edges": pairs(states.edges()),
                           "relations": states.number_of_edges()}


def test_the_date_range_keeps_what_the_network_window_keeps(open_map, seed_map, seed, seed_dataset):
    page, _ = open_map(seed_map)
    show_everything(page)
    dates = page.evaluate("JSON.parse(document.getElementById('kg-data').textContent).dates")
    full = [i for i, d in enumerate(dates) if len(d) == 10]
    lo, hi = full[len(full) // 3], full[2 * len(full) // 3]
    page.evaluate("""([lo, hi]) => {
        const from = document.getElementById('kg-date-from'), to = document.getElementById('kg-date-to');
        to.value = hi; to.dispatchEvent(new Event('input'));
        from.value = lo; from.dispatchEvent(new Event('input'));
    }""", [lo, hi])
    window = to_networkx(seed.rdf, start=dates[lo], end=dates[hi])
    assert drawn(page)["relations"] == window.number_of_edges() < seed.network.number_of_edges()
    assert drawn(page)["edges"] == pairs(window.edges())
    assert page.text_content("#kg-date-from-text") == dates[lo]


def test_relations_without_dated_evidence_can_be_left_out(open_map, make_project, tmp_path):
    import kg
    from tests.conftest import MINI_ARTICLE

    undated = make_project(articles={"a": MINI_ARTICLE.replace(" date 2020-10-27", "")})
    rdf = kg.knowledge_graph(kg.build_graph(undated))
    path = tmp_path / "undated.html"
    path.write_text(render_map(rdf), encoding="utf-8")
    page, _ = open_map(path)
    show_everything(page)
    assert drawn(page)["relations"] == to_networkx(rdf).number_of_edges()
    page.uncheck("#kg-undated")
    dated = to_networkx(rdf, start="2020-10-26", end="2020-10-26", include_undated=False)
    assert drawn(page)["relations"] == dated.number_of_edges() == 1


def test_the_search_box_finds_an_actor_by_alias_and_centres_it(open_map, seed_map):
    page, _ = open_map(seed_map)
    page.fill("#kg-search", "erdogan")
    page.press("#kg-search", "Enter")
    assert page.evaluate("kgMap.network.getSelectedNodes()") == ["RecepTayyipErdogan"]
    assert page.locator("#kg-details h2").text_content() == "Recep Tayyip Erdoğan"
    centre, node = page.evaluate("[kgMap.network.getViewPosition(), "
                                 "kgMap.network.getPositions(['RecepTayyipErdogan']).RecepTayyipErdogan]")
    assert abs(centre["x"] - node["x"]) < 1 and abs(centre["y"] - node["y"]) < 1
    page.fill("#kg-search", "Narnia")
    page.press("#kg-search", "Enter")
    assert "No actor named" in page.text_content("#kg-search-status")


def test_the_layout_is_the_shipped_one_and_does_not_move(open_map, seed_map):
    page, _ = open_map(seed_map)
    shipped = page.evaluate("Object.fromEntries(JSON.parse(document.getElementById('kg-data').textContent)"
                            ".nodes.map(n => [n.id, {x: n.x, y: n.y}]))")
    first = page.evaluate("kgMap.network.getPositions()")
    page.wait_for_timeout(1000)
    assert page.evaluate("kgMap.network.getPositions()") == first
    assert first and first == {n: shipped[n] for n in first}


def test_conflicts_of_interest_get_a_toggle_only_when_the_map_has_them(open_map, seed_map, seed, tmp_path):
    page, log = open_map(seed_map)
    show_everything(page)
    before = drawn(page)["edges"]
    assert page.locator("#kg-conflicts-box").is_visible()
    page.check("#kg-show-conflicts")
    assert drawn(page)["edges"] == before + len(seed.analysis.conflicts)
    page.click("#kg-conflicts button:has-text('Russia ↔ Turkey')")
    assert "Russia and Turkey" in page.text_content("#kg-details")
    page.click("#kg-details button:has-text('Russia opposes Turkey')")
    data = map_data(seed, MapOptions())
    (opposes,) = [r for e in data["edges"] for r in e["relations"] if r["id"] == "Russia|opposes|Turkey"]
    assert page.locator("#kg-details .kg-quote").all_text_contents() == [ev["quote"] for ev in opposes["evidence"]]
    assert log.errors == []
    path = tmp_path / "alone.html"
    path.write_text(html_page(map_data(seed, MapOptions(focus="Failaq al-Sham", depth=0))), encoding="utf-8")
    page, _ = open_map(path)
    assert page.locator("#kg-conflicts-box").is_hidden()


def test_the_index_leads_to_focused_maps_that_work(open_map, browser, make_project, tmp_path):
    import networkx as nx

    import kg
    from kg.network import undirected

    project, out = make_project(), tmp_path / "build"
    kg.run_build(project, out)
    page = browser.new_page()
    try:
        page.goto((out / "index.html").resolve().as_uri())
        href = page.locator("#focused a").first.get_attribute("href")
    finally:
        page.close()
    page, log = open_map(out / href)
    actor = href.removeprefix("maps/").removesuffix(".html")
    g = to_networkx(kg.build_graph(project))
    ego = g.subgraph(nx.ego_graph(undirected(g), actor, radius=1))
    assert drawn(page) == {"nodes": ego.number_of_nodes(), "edges": pairs(ego.edges()), "relations": ego.number_of_edges()}
    assert page.evaluate("kgMap.network.getSelectedNodes()") == [actor]
    assert page.locator("#kg-details h2").text_content() == g.nodes[actor]["label"]
    assert log.errors == [] and all(url.startswith("file:") for url in log.requests)
