"""The interactive relationship map: one self-contained HTML file per view of the graph.

The nodes and edges are made with pyvis (one node per actor, one edge per
relation) and rendered through kg's own template (``kg/templates/map.html``),
not pyvis's: the template inlines the vis-network code bundled with pyvis and
kg's own script and style (``kg/static/``), so the file needs no network, and
every piece of text from the articles reaches the page only as escaped JSON
that the script puts into the page with ``textContent``, never as HTML.

Layout: positions are computed here (a Fruchterman-Reingold force layout in numpy
from seeded positions, per connected part) and shipped as fixed ``x``/``y``;
physics is off in the browser.
The same graph therefore always opens in the same arrangement, and nothing
jiggles, however many nodes there are.

>>> import kg, kg.render                                        # doctest: +SKIP
>>> html = kg.render.render_map(kg.build_graph("."))            # doctest: +SKIP
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .dates import PartialDate
from .errors import UsageError
from .namespaces import KG_IRI
from .vocabulary import ACTOR_CLASSES, FAMILIES, RELATIONS, Relation

#: node shape and colour per actor class (shapes that take a size; labels sit below them).
CLASS_STYLE: dict[str, dict[str, str]] = {
    "State": {"shape": "dot", "color": "#1f77b4", "text": "a state"},
    "ArmedGroup": {"shape": "triangle", "color": "#ff7f0e", "text": "an armed group"},
    "Leader": {"shape": "diamond", "color": "#2ca02c", "text": "a leader or official"},
    "Organization": {"shape": "hexagon", "color": "#9467bd", "text": "an international organization"},
    "Agreement": {"shape": "star", "color": "#17becf", "text": "an agreement"},
    "Region": {"shape": "square", "color": "#a0826d", "text": "a region"},
}

#: the border that marks a proxy group (an armed group backed by a state): the colour of ``backs``.
PROXY_BORDER = "#8e44ad"

#: extracted (not curated) relations are dotted and thinner.
EXTRACTED_DASHES = [2, 5]

_TEMPLATES = Path(__file__).parent / "templates"
_STATIC = Path(__file__).parent / "static"
_WIKIDATA = re.compile(r"^Q\d+$")


@dataclass(frozen=True)
class MapOptions:
    """What a map shows: all of the graph, or the neighbourhood of one actor, at a date."""

    focus: str | None = None
    depth: int = 1
    as_of: str | None = None
    relations: tuple[str, ...] = ()
    title: str | None = None
    links: tuple[tuple[str, str], ...] = field(default=())  # (text, href) shown in the header


def render_map(graph, options: MapOptions | None = None) -> str:
    """The map of a knowledge graph (an rdflib Graph or Dataset built by kg) as HTML text.

    Raises :class:`kg.errors.UsageError` for an unknown focus actor, relation or a bad date.
    """
    data = map_data(graph, options or MapOptions())
    return html_page(data)


def write_map(graph, path: Path | str, options: MapOptions | None = None) -> Path:
    """Render the map and write it atomically to ``path``."""
    from .outputs import atomic_write

    path = Path(path)
    atomic_write(path, render_map(graph, options))
    return path


@dataclass(frozen=True)
class Rendered:
    """A map written to a file, and what it shows."""

    path: Path
    actors: int
    relations: int
    focus: str | None


def render_project(root: Path | str = ".", options: MapOptions | None = None,
                   out: Path | str | None = None) -> Rendered:
    """Build the graph of the project at ``root`` and write its map (``kg render``).

    The default file is ``root/build/map.html``, or ``root/build/maps/<Actor>.html`` for a focus.
    """
    from .outputs import atomic_write
    from .pipeline import build_graph

    options = options or MapOptions()
    _check(options)
    data = map_data(build_graph(root), options)
    if out is None:
        build = Path(root) / "build"
        out = build / "maps" / f"{data['focus']}.html" if data["focus"] else build / "map.html"
    atomic_write(Path(out), html_page(data))
    return Rendered(Path(out), len(data["nodes"]), len(data["edges"]), data["focus"])


@dataclass(frozen=True)
class Prepared:
    """A graph read once for several maps: the RDF, its networkx form and the analysis results."""

    rdf: Any
    network: Any
    extras: dict


def prepare(graph) -> Prepared:
    """Read a knowledge graph (rdflib Graph or Dataset) once, for :func:`map_data`."""
    from .network import to_networkx

    rdf = _as_graph(graph)
    return Prepared(rdf, to_networkx(rdf), _extras(graph))


def map_data(graph, options: MapOptions) -> dict:
    """Everything the page shows, as plain JSON-ready data (nodes and edges made with pyvis).

    ``graph`` is an rdflib Graph or Dataset built by kg, or a :class:`Prepared` one.
    """
    import networkx as nx

    from .network import to_networkx, undirected

    _check(options)
    prepared = graph if isinstance(graph, Prepared) else prepare(graph)
    extras = prepared.extras
    g = prepared.network
    if options.relations or options.as_of:
        g = to_networkx(prepared.rdf, relations=list(options.relations) or None, as_of=options.as_of)
    scores = extras["pagerank"] or _pagerank(g)
    focus = None
    if options.focus:
        focus = resolve_actor(g, options.focus)
        keep = nx.ego_graph(undirected(g), focus, radius=options.depth).nodes
        g = g.subgraph(keep).copy()
    positions = layout(g)
    net = _network(g, positions, scores, extras["betweenness"], focus)
    nodes, edges, _heading, _height, _width, _options = net.get_network_data()
    in_map = set(g.nodes)
    conflicts = [c for c in extras["conflicts"] if c["a"] in in_map and c["b"] in in_map]
    return {
        "title": options.title or _title(g, focus, options),
        "nodes": nodes,
        "edges": edges,
        "options": vis_options(),
        "classes": [{"name": c, **CLASS_STYLE[c], "count": sum(1 for _, d in g.nodes(data=True) if d["cls"] == c)}
                    for c in ACTOR_CLASSES],
        "relations": [{**relation_style(r), "name": r.name, "text": r.text, "arrows": not r.symmetric,
                       "count": sum(1 for *_, d in g.edges(data=True) if d["relation"] == r.name)}
                      for r in RELATIONS.values()],
        "dates": sorted({d for *_, e in g.edges(data=True) for d in e["dates"]}),
        "articles": extras["articles"],
        "sources": extras["sources"],
        "conflicts": conflicts,
        "focus": focus,
        "links": [{"text": t, "href": h} for t, h in options.links],
        "scored_by": "kg:pagerank" if extras["pagerank"] else "PageRank computed for the map",
    }


def html_page(data: dict) -> str:
    """Fill the map template: vis-network, kg's script and style, and the data, all inline."""
    vis_js = vis_network_js()
    app_js = (_STATIC / "map.js").read_text(encoding="utf-8")
    css = (_STATIC / "map.css").read_text(encoding="utf-8")
    for name, code in (("vis-network", vis_js), ("map.js", app_js)):
        if re.search(r"</script|<!--", code, re.IGNORECASE):
            raise UsageError(f"{name} contains a sequence that would end its <script> element")
    scripts = [vis_js, app_js]
    csp = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
           "script-src " + " ".join(f"'sha256-{_digest(s)}'" for s in scripts) + "; "
           "base-uri 'none'; form-action 'none'")
    env = _jinja()
    return env.get_template("map.html").render(
        title=data["title"], csp=csp, css=css, vis_js=vis_js, app_js=app_js,
        data_json=safe_json(data), links=data["links"])


def safe_json(value) -> str:
    """JSON that can sit inside a ``<script>`` element: ``<``, ``>``, ``&``, U+2028/9 are escaped.

    >>> safe_json({"q": "</script><b>&"})
    '{"q": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def vis_network_js() -> str:
    """The vis-network code bundled with the installed pyvis package."""
    import pyvis

    lib = Path(pyvis.__file__).parent
    candidates = sorted(lib.glob("lib/vis-*/vis-network.min.js")) + sorted(
        lib.glob("templates/lib/vis-*/vis-network.min.js"))
    if not candidates:
        raise UsageError(f"the installed pyvis ({lib}) has no bundled vis-network.min.js")
    return max(candidates, key=lambda p: _version(p.parent.name)).read_text(encoding="utf-8")


def vis_options() -> dict:
    """vis-network options: no physics (positions are fixed), hover tooltips, keyboard and zoom."""
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False,
                        "keyboard": {"enabled": True, "bindToWindow": False},
                        "multiselect": False, "hideEdgesOnDrag": False},
        "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3,
                           "strokeColor": "#ffffff"},
                  "borderWidth": 1.5, "borderWidthSelected": 4},
        "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1.5,
                  "arrows": {"to": {"scaleFactor": 0.7}}},
    }


def layout(g, *, seed: int = 7) -> dict[str, tuple[int, int]]:
    """Deterministic positions in whole pixels: each connected part laid out by :func:`spring`
    (a force layout from seeded positions), the largest in the middle, the others on shelves below.

    >>> import networkx as nx
    >>> layout(nx.path_graph(["a", "b", "c"])) == layout(nx.path_graph(["a", "b", "c"]))
    True
    """
    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from(sorted(g.nodes))
    simple.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in g.edges() if u != v))
    parts = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c)))
    placed: dict[str, tuple[float, float]] = {}
    width = 2 * _radius(len(parts[0])) if parts else 0
    x = y = row = 0.0
    for i, part in enumerate(parts):
        r = _radius(len(part))
        sub = simple.subgraph(sorted(part))
        pos = spring(sub, seed=seed) if len(part) > 1 else {next(iter(part)): (0.0, 0.0)}
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


def spring(sub, *, seed: int, iterations: int = 150) -> dict:
    """Fruchterman-Reingold force layout in numpy (the dense form networkx uses below 500 nodes,
    at any size), from seeded random positions; coordinates in [-1, 1].

    >>> pos = spring(__import__("networkx").path_graph(3), seed=1)
    >>> sorted(pos), all(-1 <= c <= 1 for xy in pos.values() for c in xy)
    ([0, 1, 2], True)
    """
    import networkx as nx
    import numpy as np

    nodes = list(sub.nodes)
    n = len(nodes)
    adjacency = nx.to_numpy_array(sub, nodelist=nodes, weight=None)
    pos = np.random.default_rng(seed).random((n, 2))
    k = 3.0 / math.sqrt(n)
    t = 0.1
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.clip(np.linalg.norm(delta, axis=-1), 0.01, None)
        force = k * k / distance**2 - adjacency * distance / k
        displacement = np.einsum("ijk,ij->ik", delta, force)
        length = np.linalg.norm(displacement, axis=-1)
        length = np.where(length < 0.01, 0.1, length)
        pos += displacement * (t / length)[:, None]
        t -= 0.1 / (iterations + 1)
    pos -= pos.mean(axis=0)
    pos /= max(float(np.abs(pos).max()), 1e-9)
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, pos, strict=True)}


def _radius(n: int) -> float:
    """The radius of the disc a connected part of ``n`` nodes is drawn in (about 150 px per node)."""
    return 40.0 if n == 1 else 85.0 * math.sqrt(n)


def resolve_actor(g, name: str) -> str:
    """The node a name (id, label or alias; case and accents ignored) refers to in ``g``."""
    import difflib

    from .catalogue import fold

    names: dict[str, str] = {}
    for node, d in g.nodes(data=True):
        for text in (node, d["label"], *d["aliases"]):
            names.setdefault(fold(text), node)
    if fold(name) in names:
        return names[fold(name)]
    close = difflib.get_close_matches(fold(name), list(names), n=6, cutoff=0.6)
    labels = list(dict.fromkeys(g.nodes[names[c]]["label"] for c in close))[:3]
    hint = f"; did you mean {', '.join(map(repr, labels))}?" if labels else ""
    raise UsageError(f"no actor named {name!r} in the map{hint}")


#: how many focused maps the build draws (the most central states and armed groups).
FOCUSED_MAPS = 8

#: what the index says about files other stages may have written.
KNOWN_FILES = {
    "analysis.md": "the analysis report",
    "analysis.json": "the analysis results as JSON",
    "analysis.html": "the analysis report",
    "graph.ttl": "the knowledge graph in Turtle",
    "dataset.trig": "the dataset of named graphs in TriG",
    "dataset.nq": "the dataset of named graphs in N-Quads",
}
_NOT_LISTED = {"index.html", "map.html", "store.stamp"}


def map_stage(ctx) -> None:
    """Build stage: ``build/map.html``, ``build/maps/<Actor>.html`` and ``build/index.html``."""
    prepared = prepare(ctx.dataset)
    whole = map_data(prepared, MapOptions(links=(("index", "index.html"),)))
    ctx.staging.write("map.html", html_page(whole))
    focused = []
    for actor in central_actors(prepared, FOCUSED_MAPS):
        data = map_data(prepared, MapOptions(focus=actor, depth=1,
                                             links=(("index", "../index.html"), ("whole map", "../map.html"))))
        ctx.staging.write(f"maps/{actor}.html", html_page(data))
        node = prepared.network.nodes[actor]
        focused.append({"href": f"maps/{actor}.html", "label": node["label"], "cls": node["cls"],
                        "actors": len(data["nodes"]), "relations": len(data["edges"])})
    ctx.staging.write("index.html", index_page(ctx.staging.dir, prepared, focused))


def central_actors(prepared: Prepared, n: int) -> list[str]:
    """The ``n`` most central states and armed groups that have relations, most central first."""
    g = prepared.network
    scores = prepared.extras["pagerank"] or _pagerank(g)
    candidates = [a for a, d in g.nodes(data=True) if d["cls"] in ("State", "ArmedGroup") and g.degree(a)]
    return sorted(candidates, key=lambda a: (-scores.get(a, 0.0), a))[:n]


def index_page(folder: Path, prepared: Prepared, focused: list[dict]) -> str:
    """The build's front page: the maps, the analysis report and the data files found in ``folder``."""
    files = sorted(p.relative_to(folder).as_posix() for p in Path(folder).rglob("*") if p.is_file())
    listed = [f for f in files if f not in _NOT_LISTED and not f.startswith(("maps/", "store/", "."))]
    reports = [{"href": f, "what": KNOWN_FILES.get(f, "")} for f in listed if f.startswith("analysis")]
    data = [{"href": f, "what": KNOWN_FILES.get(f, "")} for f in listed if not f.startswith("analysis")]
    g = prepared.network
    return _jinja().get_template("index.html").render(
        title="The knowledge graph: maps, analysis and data", focused=focused, reports=reports, files=data,
        actors=g.number_of_nodes(), relations=g.number_of_edges(),
        evidence=sum(d["weight"] for *_, d in g.edges(data=True)))


def relation_style(relation: Relation) -> dict:
    """The map's edge style for a relation: its colour and dash pattern (False: a solid line)."""
    return {"color": relation.color, "dashes": list(relation.dashes) if relation.dashes else False}


def _check(options: MapOptions) -> None:
    if options.as_of:
        try:
            PartialDate.parse(options.as_of)
        except ValueError as exc:
            raise UsageError(f"the as-of date: {exc}") from None
    unknown = [r for r in options.relations if r not in RELATIONS and r not in FAMILIES]
    if unknown:
        raise UsageError(f"unknown relation {', '.join(map(repr, unknown))}; choose from "
                         f"{', '.join(RELATIONS)} or the families {', '.join(FAMILIES)}")
    if options.depth < 0:
        raise UsageError(f"a map's depth must be 0 or more, not {options.depth}")


def _network(g, positions, scores, betweenness, focus):
    """The pyvis Network of the graph: styled nodes and edges carrying the data the page shows."""
    from pyvis.network import Network

    net = Network(directed=True)
    top = max((scores.get(n, 0.0) for n in g.nodes), default=0.0) or 1.0
    for node, d in sorted(g.nodes(data=True)):
        style = CLASS_STYLE[d["cls"]]
        score = scores.get(node, 0.0)
        x, y = positions[node]
        border = PROXY_BORDER if d["proxy"] else _darker(style["color"])
        net.add_node(
            node, label=d["label"], shape=style["shape"],
            color={"background": style["color"], "border": border,
                   "highlight": {"background": style["color"], "border": "#000000"},
                   "hover": {"background": style["color"], "border": "#000000"}},
            borderWidth=4 if d["proxy"] else 1.5,
            size=round(10 + 26 * math.sqrt(score / top), 1), x=x, y=y,
            title=_node_title(d),
            cls=d["cls"], aliases=d["aliases"], proxy=d["proxy"], iri=d["iri"],
            wikidata=d["wikidata"] if _WIKIDATA.match(d["wikidata"] or "") else "",
            pagerank=round(score, 6), betweenness=betweenness.get(node),
            focus=node == focus)
    labels = {n: d["label"] for n, d in g.nodes(data=True)}
    pair_index: dict[tuple[str, str], int] = {}
    for u, v, d in sorted(g.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relation"])):
        style = relation_style(RELATIONS[d["relation"]])
        extracted = d["method"] != "curated"
        pair = (min(u, v), max(u, v))
        k = pair_index[pair] = pair_index.get(pair, -1) + 1
        net.add_edge(
            u, v, id=f"{u}|{d['relation']}|{v}",
            arrows={"to": {"enabled": not d["symmetric"]}},
            color={"color": style["color"], "highlight": style["color"], "hover": style["color"],
                   "opacity": 0.55 if extracted else 0.9},
            dashes=EXTRACTED_DASHES if extracted else style["dashes"],
            width=round((0.6 if extracted else 1.0) * (1 + 2 * math.log2(1 + d["weight"])), 2),
            smooth=_smooth(k, reverse=(u, v) != pair),
            title=f"{labels[u]} {d['relation']} {labels[v]} — {d['weight']} piece(s) of evidence"
                  f"{' (extracted)' if extracted else ''}; click for the quotes",
            relation=d["relation"], symmetric=d["symmetric"], method=d["method"],
            confidence=d["confidence"], weight=d["weight"], dates=d["dates"],
            articles=d["articles"], evidence=d["evidence"])
    return net


def _smooth(k: int, *, reverse: bool) -> dict:
    """The k-th edge between a pair: straight, then curving alternately to either side."""
    if k == 0:
        return {"enabled": False}
    clockwise = (k % 2 == 1) != reverse
    return {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
            "roundness": round(0.2 * ((k + 1) // 2), 2)}


def _node_title(d: dict) -> str:
    """The hover text (plain text: vis-network shows a string title with ``innerText``)."""
    lines = [f"{d['label']} — {CLASS_STYLE[d['cls']]['text']}"]
    if d["proxy"]:
        lines.append("proxy group: an armed group backed by a state")
    if d["aliases"]:
        lines.append("also: " + ", ".join(d["aliases"]))
    lines.append("click for details")
    return "\n".join(lines)


def _title(g, focus, options: MapOptions) -> str:
    parts = [f"{g.nodes[focus]['label']} and its neighbours (depth {options.depth})" if focus
             else "Who backs, leads, fights and deals with whom"]
    if options.relations:
        parts.append("relations: " + ", ".join(options.relations))
    if options.as_of:
        parts.append(f"as of {options.as_of}")
    return " — ".join(parts)


def _as_graph(graph):
    from rdflib import Dataset

    if isinstance(graph, Dataset):
        from .build import knowledge_graph

        return knowledge_graph(graph)
    return graph


def _graphs(graph):
    """Every graph to look in for analysis results (a Dataset's named graphs, or the graph)."""
    from rdflib import Dataset

    return list(graph.graphs()) if isinstance(graph, Dataset) else [graph]


def _extras(graph) -> dict:
    """Centrality scores, conflicts of interest and article metadata, where the graph has them."""
    from rdflib import RDF, RDFS, URIRef
    from rdflib.namespace import DCTERMS

    kg = lambda name: URIRef(KG_IRI + name)  # noqa: E731
    pagerank: dict[str, float] = {}
    betweenness: dict[str, float] = {}
    conflicts: dict[str, dict] = {}
    articles: dict[str, dict] = {}
    names: dict[str, str] = {}
    for g in _graphs(graph):
        for s in g.subjects(RDF.type, kg("Source")):
            label = g.value(s, RDFS.label)
            if label is not None:
                names[_local(s)] = str(label)
        for s, _, o in g.triples((None, kg("pagerank"), None)):
            pagerank[_local(s)] = float(o)
        for s, _, o in g.triples((None, kg("betweenness"), None)):
            betweenness[_local(s)] = float(o)
        for c in g.subjects(RDF.type, kg("ConflictOfInterest")):
            pair = sorted(_local(x) for x in g.objects(c, kg("between")))
            score = g.value(c, kg("score"))
            note = g.value(c, RDFS.comment)
            kind = g.value(c, kg("kind"))
            if len(pair) == 2:
                conflicts[str(c)] = {
                    "a": pair[0], "b": pair[1], "score": float(score) if score is not None else None,
                    "note": str(note) if note is not None else "", "kind": str(kind) if kind else "",
                    "cooperative": sorted(filter(None, map(_edge_id, g.objects(c, kg("cooperativeLink"))))),
                    "adversarial": sorted(filter(None, map(_edge_id, g.objects(c, kg("adversarialLink")))))}
        for a in g.subjects(RDF.type, kg("Article")):
            key = _local(a).removeprefix("article/")
            info = articles.setdefault(key, {"title": "", "date": "", "publisher": ""})
            for name, pred in (("title", DCTERMS.title), ("date", DCTERMS.issued)):
                value = g.value(a, pred)
                if value is not None:
                    info[name] = str(value)
            publisher = g.value(a, DCTERMS.publisher)
            if publisher is not None:
                info["publisher"] = str(g.value(publisher, RDFS.label) or _local(publisher).rsplit("/", 1)[-1])
    ordered = sorted(conflicts.values(), key=lambda c: (-(c["score"] or 0), c["a"], c["b"]))
    return {"pagerank": pagerank, "betweenness": betweenness, "conflicts": ordered, "articles": articles,
            "sources": names}


def _edge_id(statement) -> str | None:
    """``kg:statement/Turkey.backs.FailaqAlSham`` -> ``"Turkey|backs|FailaqAlSham"`` (the map's edge id)."""
    parts = _local(statement).removeprefix("statement/").split(".")
    for i, part in enumerate(parts):
        if part in RELATIONS and 0 < i < len(parts) - 1:
            return f"{'.'.join(parts[:i])}|{part}|{'.'.join(parts[i + 1:])}"
    return None


def _pagerank(g) -> dict[str, float]:
    import networkx as nx

    from .network import undirected

    if g.number_of_nodes() == 0:
        return {}
    return nx.pagerank(undirected(g), weight="weight")


def _local(iri) -> str:
    text = str(iri)
    return text[len(KG_IRI):] if text.startswith(KG_IRI) else text


def _darker(color: str) -> str:
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * 0.7) for c in (r, g, b)))


def _digest(code: str) -> str:
    return base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", name))


def _jinja():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(str(_TEMPLATES)),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       keep_trailing_newline=True)
