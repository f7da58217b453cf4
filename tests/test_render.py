"""The map's HTML, read without a browser: self-contained, data safely embedded, styled by class
and relation, the same numbers as the graph, deterministic; and ``kg render``.

The browser tests (tests/test_render_browser.py) open the same files in Chromium.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from kg.built import BuiltGraph
from kg.errors import UsageError
from kg.network import to_networkx
from kg.render import EXTRACTED_DASHES, MapOptions, html_page, map_data, relation_count, render_map

#: an article whose text (and so whose quotes) carries markup that must never run.
HOSTILE_ARTICLE = (
    " date 2020-10-27 Fighters in Idlib.\n\n"
    "A Russian air strike hit Failaq al-Sham <script>alert(1)</script> on Monday. "
    "Turkey-backed Failaq al-Sham <img src=x onerror=alert(2)> holds the line. "
    "Turkey and Russia signed the Sochi agreement </script><script>window.__pwned=1</script>. "
    "Erdogan leads Turkey & its army \u2028 today.\n"
)
HOSTILE_FACTS = """\
article:
  publisher: Al Jazeera
  publisher_basis: the test says so
facts:
  - fact: Russia attacked Failaq al-Sham
    quote: "A Russian air strike hit Failaq al-Sham <script>alert(1)</script> on Monday."
    date: 2020-10-26
  - fact: Turkey backs Failaq al-Sham
    quote: "Turkey-backed Failaq al-Sham <img src=x onerror=alert(2)> holds the line."
  - fact: Turkey partyTo Sochi agreement
    quote: "Turkey and Russia signed the Sochi agreement </script><script>window.__pwned=1</script>."
  - fact: Erdogan leaderOf Turkey
    quote: "Erdogan leads Turkey & its army \u2028 today."
"""


@pytest.fixture
def hostile(make_project):
    return make_project(articles={"a": HOSTILE_ARTICLE}, sidecars={"a": HOSTILE_FACTS})


@pytest.fixture(scope="module")
def seed(seed_dataset):
    """The seed graph read and analysed once for the maps of this module."""
    return BuiltGraph.of(seed_dataset)


@pytest.fixture(scope="module")
def seed_html(seed):
    return render_map(seed)


class Tags(HTMLParser):
    """Every start tag and its attributes, and the text of each <script>."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in: dict | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in = dict(attrs)
            self.scripts.append((self._in, ""))

    def handle_data(self, data):
        if self._in is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = None


def parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def embedded(html: str) -> dict:
    """The data the page reads, parsed back as the browser's JSON.parse would."""
    (text,) = [t for attrs, t in parse(html).scripts if attrs.get("id") == "kg-data"]
    return json.loads(text)


def test_the_map_is_one_file_that_loads_nothing_from_the_network(seed_html):
    tags = parse(seed_html)
    assert not [t for t, a in tags.tags if t in ("link", "iframe", "img", "object", "embed")]
    assert not [a for t, a in tags.tags if "src" in a], "every script is inline"
    assert all(not a.get("href", "").startswith(("http:", "https:", "//")) for _, a in tags.tags)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", seed_html)
    assert "vis-network" in seed_html and "new vis.Network" in seed_html
    # the scripts: the data (JSON), vis-network, kg's own three (labels, export, the map)
    assert [a.get("type") for a, _ in tags.scripts] == ["application/json", None, None, None, None]


def test_a_content_security_policy_forbids_every_request_and_every_unlisted_script(seed_html):
    (csp,) = [a["content"] for t, a in parse(seed_html).tags
              if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    import base64
    import hashlib

    for _attrs, code in parse(seed_html).scripts[1:]:
        digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def relations_of(data: dict) -> list[dict]:
    """Every relation of a map's data, edge by edge."""
    return [r for e in data["edges"] for r in e["relations"]]


def test_the_map_draws_every_actor_and_relation_of_the_graph(seed_dataset, seed_html):
    g = to_networkx(seed_dataset)  # read afresh: the map is compared with the graph, not with itself
    data = embedded(seed_html)
    assert sorted(n["id"] for n in data["nodes"]) == sorted(g.nodes)
    assert relation_count(data) == g.number_of_edges()
    assert {(r["from"], r["relation"], r["to"]) for r in relations_of(data)} == \
        {(u, k, v) for u, v, k in g.edges(keys=True)}
    assert sum(len(r["evidence"]) for r in relations_of(data)) == sum(d["weight"] for *_, d in g.edges(data=True))


def test_one_edge_per_pair_carries_all_its_relations_most_telling_first(seed_html):
    from kg.render.mapdata import PRIORITY

    data = embedded(seed_html)
    pairs = [tuple(sorted((e["from"], e["to"]))) for e in data["edges"]]
    assert len(pairs) == len(set(pairs)), "one edge per pair of actors"
    for e in data["edges"]:
        assert {(r["from"], r["to"]) for r in e["relations"]} <= {(e["from"], e["to"]), (e["to"], e["from"])}
        ranks = [PRIORITY.index(r["relation"]) for r in e["relations"]]
        assert ranks == sorted(ranks)
    (russia_turkey,) = [e for e in data["edges"] if {e["from"], e["to"]} == {"Russia", "Turkey"}]
    kinds = [r["relation"] for r in russia_turkey["relations"]]
    assert len(kinds) >= 2 and kinds[0] == "opposes", "the hostility gives the edge its colour"


def test_nodes_are_styled_by_class_sized_by_centrality_and_proxies_are_marked(seed, seed_html):
    g = seed.network
    nodes = {n["id"]: n for n in embedded(seed_html)["nodes"]}
    turkey, region = nodes["Turkey"], nodes["Saraqib"]
    assert (turkey["shape"], turkey["cls"], turkey["label"], turkey["wikidata"]) == ("dot", "State", "Turkey", "Q43")
    assert region["shape"] == "square" and region["shape"] != turkey["shape"]
    assert turkey["size"] > region["size"], "Turkey is more central than a village"
    proxies = {n for n, d in g.nodes(data=True) if d["proxy"]}
    assert proxies and {n for n, d in nodes.items() if d["proxy"]} == proxies
    assert {nodes[n]["color"]["border"] for n in proxies} == {"#8e44ad"}
    assert all(nodes[n]["borderWidth"] > nodes["Turkey"]["borderWidth"] for n in proxies)


def test_relations_are_styled_by_relation_with_arrows_only_on_directed_ones(seed_html):
    edges = relations_of(embedded(seed_html))
    backs = [e for e in edges if e["relation"] == "backs"]
    opposes = [e for e in edges if e["relation"] == "opposes"]
    assert backs and all(e["dashes"] and e["arrows"] for e in backs)
    assert opposes and all(not e["arrows"] for e in opposes)
    # curated hostility is a solid line; what only the extractor read is dotted
    assert all(not e["dashes"] for e in opposes if e["method"] == "curated")
    assert all(e["dashes"] == EXTRACTED_DASHES for e in opposes if e["method"] == "extracted")
    assert {e["color"] for e in opposes} == {"#d62728"}
    by_weight = sorted(edges, key=lambda e: e["weight"])
    assert by_weight[0]["width"] < by_weight[-1]["width"], "more evidence, a thicker line"


def test_quotes_with_markup_are_embedded_as_inert_json(hostile):
    import kg

    html = render_map(kg.build_graph(hostile))
    assert "<script>alert" not in html and "<img src=x" not in html and "__pwned=1</script>" not in html
    assert "\u2028" not in html
    quotes = {ev["quote"] for e in relations_of(embedded(html)) for ev in e["evidence"]}
    assert "A Russian air strike hit Failaq al-Sham <script>alert(1)</script> on Monday." in quotes
    assert "Turkey-backed Failaq al-Sham <img src=x onerror=alert(2)> holds the line." in quotes
    assert "Turkey and Russia signed the Sochi agreement </script><script>window.__pwned=1</script>." in quotes


def test_a_title_with_markup_is_escaped_in_the_page(mini):
    import kg

    data = map_data(kg.build_graph(mini), MapOptions(title="<b>x</b> & y"))
    html = html_page(data)
    assert "<title>&lt;b&gt;x&lt;/b&gt; &amp; y</title>" in html


def test_the_same_graph_gives_the_same_file(seed_dataset, seed_html):
    assert render_map(seed_dataset) == seed_html, "read afresh, laid out afresh: the same bytes"


def test_positions_are_fixed_and_physics_is_off(seed_html):
    data = embedded(seed_html)
    assert data["options"]["physics"] == {"enabled": False}
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"]), "no two actors on one spot"


def test_sizes_follow_the_analysis_pagerank(seed, seed_html):
    """The map shows the scores the analysis computed (the ones in analysis.json), not its own."""
    nodes = {n["id"]: n for n in embedded(seed_html)["nodes"]}
    pagerank = seed.analysis.score("pagerank")
    assert {n: d["pagerank"] for n, d in nodes.items() if n in pagerank} == \
        {n: round(v, 6) for n, v in pagerank.items() if n in nodes}
    by_score = sorted(pagerank, key=pagerank.get)
    assert nodes[by_score[-1]]["size"] > nodes[by_score[0]]["size"]
    assert embedded(seed_html)["scored_by"] == "kg:pagerank"


def test_the_conflicts_of_interest_are_the_analysis_ones_with_both_sides_as_map_edges(seed, seed_html):
    data = embedded(seed_html)
    expected = [(c.a, c.b) for c in seed.analysis.conflicts]
    assert [(c["a"], c["b"]) for c in data["conflicts"]] == expected and ("Russia", "Turkey") in expected
    edges = {r["id"] for r in relations_of(data)}
    for conflict in data["conflicts"]:
        assert conflict["cooperative"] and conflict["adversarial"]
        assert set(conflict["cooperative"] + conflict["adversarial"]) <= edges
    russia_turkey = next(c for c in data["conflicts"] if (c["a"], c["b"]) == ("Russia", "Turkey"))
    assert "Russia|opposes|Turkey" in russia_turkey["adversarial"]
    focused = map_data(seed, MapOptions(focus="Failaq al-Sham", depth=0))
    assert focused["conflicts"] == [], "a conflict is shown only when both its actors are on the map"


def test_extracted_relations_are_drawn_thinner_and_dotted(mini):
    from kg.graph.build import build_dataset
    from kg.inputs.corpus import load_corpus
    from kg.inputs.facts import Fact

    corpus = load_corpus(mini)
    cat = corpus.catalogue
    guess = Fact(cat.resolve("Russia"), "opposes", cat.resolve("Failaq al-Sham"),
                 "A Russian air strike hit Failaq al-Sham", "a", method="extracted", confidence=0.6)
    edges = {e["relation"]: e for e in relations_of(map_data(build_dataset(corpus, [*corpus.facts, guess]),
                                                             MapOptions()))}
    assert edges["opposes"]["method"] == "extracted" and edges["opposes"]["confidence"] == 0.6
    assert edges["opposes"]["dashes"] == [2, 5]
    assert edges["opposes"]["width"] < edges["attacked"]["width"]


def test_a_focused_map_shows_the_actor_and_its_neighbours(seed):
    import networkx as nx

    from kg.network import undirected

    g = seed.network
    data = map_data(seed, MapOptions(focus="erdogan", depth=1))
    expected = set(nx.ego_graph(undirected(g), "RecepTayyipErdogan", radius=1))
    assert data["focus"] == "RecepTayyipErdogan"
    assert {n["id"] for n in data["nodes"]} == expected
    assert relation_count(data) == g.subgraph(expected).number_of_edges()
    assert "Erdoğan" in data["title"]


@pytest.mark.parametrize("options", [MapOptions(relations=("backs", "hostility")),
                                     MapOptions(as_of="2019-12-31")])
def test_relation_and_date_options_match_the_network_view(seed, options):
    g = to_networkx(seed.rdf, relations=list(options.relations) or None, as_of=options.as_of)
    data = map_data(seed, options)
    assert {e["id"] for e in relations_of(data)} == {f"{u}|{k}|{v}" for u, v, k in g.edges(keys=True)}
    assert 0 < relation_count(data) < seed.network.number_of_edges()


@pytest.mark.parametrize("options, message", [
    (MapOptions(focus="Narnia"), "no actor named 'Narnia'"),
    (MapOptions(focus="Erdgan"), "did you mean 'Recep Tayyip Erdoğan'"),
    (MapOptions(relations=("befriends",)), "unknown relation 'befriends'"),
    (MapOptions(as_of="2020-13-01"), "not a date"),
    (MapOptions(as_of="2020-02-30"), "does not exist"),
])
def test_bad_options_are_usage_errors(seed, options, message):
    with pytest.raises(UsageError, match=re.escape(message)):
        map_data(seed, options)


def test_kg_render_writes_the_map_and_says_where(mini, tmp_path):
    from tests.test_cli import run

    out = tmp_path / "m.html"
    code, stdout, err = run(None, "--root", str(mini), "render", "--out", str(out))
    assert code == 0, err
    # 9 curated relations, and one the extractor adds: the air strike on Failaq al-Sham is hostility too
    assert "10 actors, 10 relations" in stdout
    assert len(embedded(out.read_text())["nodes"]) == 10


def test_kg_render_focus_writes_under_build_maps(mini):
    from tests.test_cli import run

    code, stdout, err = run(None, "--root", str(mini), "render", "--focus", "Ankara", "--relations",
                            "backs,leaderOf")
    assert code == 0, err
    data = embedded((mini / "build" / "maps" / "Turkey.html").read_text())
    assert {e["relation"] for e in relations_of(data)} == {"backs", "leaderOf"}


def test_kg_render_bad_flags_exit_2_with_a_message(mini):
    from tests.test_cli import run

    code, stdout, err = run(None, "--root", str(mini), "render", "--as-of", "yesterday")
    assert code == 2 and "--as-of" in err and "Traceback" not in err


def test_the_build_writes_the_map_focused_maps_and_an_index_linking_them(mini, tmp_path):
    import kg

    out = tmp_path / "build"
    kg.run_build(mini, out)
    data = embedded((out / "map.html").read_text())
    assert len(data["nodes"]) == 10 and data["links"] == [{"text": "index", "href": "index.html"}]
    maps = sorted(p.stem for p in (out / "maps").glob("*.html"))
    assert maps and set(maps) <= {"Turkey", "Russia", "Syria", "FailaqAlSham"}
    assert "Syria" not in maps, "an actor with no relation gets no focused map"
    index = (out / "index.html").read_text()
    links = [a["href"] for t, a in parse(index).tags if t == "a"]
    assert "map.html" in links and {f"maps/{m}.html" for m in maps} <= set(links)
    assert "graph.ttl" in links and not any(link.startswith("store") for link in links)
    assert all((out / link).is_file() for link in links), "every link leads to a file of the build"
    assert "analysis.md" in links, "the analysis stage's report is linked from the index"


def test_the_index_links_the_analysis_report_and_other_outputs_when_they_exist(mini, tmp_path):
    import kg
    from kg.render import index_page

    outputs = ["analysis.md", "analysis.json", "graph.ttl", "exports/graph.graphml", "store.stamp"]
    index = index_page(BuiltGraph.of(kg.build_graph(mini)), [], outputs)
    links = [a["href"] for t, a in parse(index).tags if t == "a"]
    assert {"analysis.md", "analysis.json", "graph.ttl", "exports/graph.graphml"} <= set(links)
    assert "store.stamp" not in links
    assert index.index("analysis.md") < index.index("graph.ttl"), "the report comes before the data"


def test_kg_render_draws_the_map_the_build_drew_and_kg_analyze_ranks_as_it_did(seed_project, tmp_path):
    """Every command reads the one built project: the same nodes, sizes, positions, edges, conflicts and scores."""
    import json

    from tests.test_cli import run

    code, _, err = run(None, "--root", str(seed_project), "render", "--out", str(tmp_path / "again.html"))
    assert code == 0 and "building" not in err, err
    built, again = (embedded(p.read_text()) for p in (seed_project / "build" / "map.html", tmp_path / "again.html"))
    for key in ("nodes", "edges", "groups", "view", "conflicts", "relations", "classes", "dates"):
        assert again[key] == built[key], key
    assert built["conflicts"], "the seed map has conflicts of interest"
    code, stdout, err = run(None, "--root", str(seed_project), "analyze", "centrality", "--format", "json",
                            "--top", "1000")
    ranked = {a["actor"]: a["pagerank"] for a in json.loads(stdout)["actors"]}
    written = json.loads((seed_project / "build" / "analysis.json").read_text())["centrality"]["actors"]
    assert ranked == {a["actor"]: a["pagerank"] for a in written}


def test_a_focus_nobody_matches_still_gets_suggestions(seed):
    with pytest.raises(UsageError, match="best-connected actors are 'Turkey'"):
        map_data(seed, MapOptions(focus="Nobody"))
