"""What a map shows, as plain data: nodes and edges (made with pyvis), styles, evidence, conflicts.

:func:`map_data` reads a :class:`~kg.built.BuiltGraph` — its network, its analysis
(PageRank sizes the nodes, conflicts of interest can be drawn) and its article
metadata — and returns the JSON-ready dict the page script draws. Nothing here
writes HTML: :mod:`kg.render.page` does.

>>> from kg.built import BuiltGraph
>>> from kg.network import _example_graph
>>> data = map_data(BuiltGraph.of(_example_graph()), MapOptions(focus="Failaq al-Sham"))
>>> data["focus"], sorted(n["id"] for n in data["nodes"]), [e["relation"] for e in data["edges"]]
('FailaqAlSham', ['FailaqAlSham', 'Turkey'], ['backs'])
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..built import BuiltGraph
from ..dates import PartialDate, span
from ..errors import UsageError
from ..graph.iris import edge_of_statement
from ..inputs.catalogue import fold
from ..network import project, undirected
from ..vocabulary import ACTOR_CLASSES, FAMILIES, RELATIONS, Relation
from .layout import layout
from .page import vis_options

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


def map_data(graph: BuiltGraph | Any, options: MapOptions | None = None) -> dict:
    """Everything the page shows, as plain JSON-ready data (nodes and edges made with pyvis).

    ``graph`` is a :class:`~kg.built.BuiltGraph`, or an rdflib Graph or Dataset built by kg
    (read and analysed first). Raises :class:`kg.errors.UsageError` for an unknown focus
    actor or relation, or a bad date.
    """
    built = graph if isinstance(graph, BuiltGraph) else BuiltGraph.of(graph)
    options = options or MapOptions()
    _check(options)
    g = built.network
    if options.relations or options.as_of:
        g = project(g, relations=list(options.relations) or None, as_of=options.as_of)
    scores = built.analysis.score("pagerank")
    focus = None
    if options.focus:
        focus = resolve_actor(g, options.focus)
        keep = nx.ego_graph(undirected(g), focus, radius=options.depth).nodes
        g = g.subgraph(keep).copy()
    net = _network(g, layout(g), scores, built.analysis.score("betweenness"), focus)
    nodes, edges, _heading, _height, _width, _options = net.get_network_data()
    conflicts = [conflict_data(c) for c in built.analysis.conflicts if c.a in g and c.b in g]
    dates = sorted({d for *_, e in g.edges(data=True) for d in e["dates"]})
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
        "dates": dates,
        "spans": {d: list(span(d)) for d in dates},
        "articles": built.articles,
        "sources": built.sources,
        "conflicts": conflicts,
        "focus": focus,
        "links": [{"text": t, "href": h} for t, h in options.links],
        "scored_by": "kg:pagerank",
    }


def conflict_data(c) -> dict:
    """A conflict of interest as the page shows it: the pair, its score and the map's edges of each side."""
    def edges(chains) -> list[str]:
        found = {edge_of_statement(link.statement) for chain in chains for link in chain.links}
        return sorted("|".join(e) for e in found if e is not None)

    return {"a": c.a, "b": c.b, "score": round(c.score, 6), "kind": c.kind,
            "cooperative": edges(c.cooperative), "adversarial": edges(c.adversarial)}


def resolve_actor(g, name: str) -> str:
    """The node a name (id, label or alias; case and accents ignored) refers to in ``g``."""
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


def _darker(color: str) -> str:
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * 0.7) for c in (r, g, b)))
