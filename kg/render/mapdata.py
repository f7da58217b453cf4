"""What a map shows, as plain data: nodes and edges (made with pyvis), styles, evidence, conflicts.

:func:`map_data` reads a :class:`~kg.built.BuiltGraph` — its network, its analysis
(PageRank sizes the nodes, the signed blocs make the camps, conflicts of interest can
be drawn) and its article metadata — and returns the JSON-ready dict the page script
draws. Nothing here writes HTML: :mod:`kg.render.page` does.

The map draws ONE edge per pair of actors: ``data["edges"]`` has one entry per pair,
carrying every relation between the two (``edge["relations"]``, the most telling
first: see :data:`PRIORITY`), each with its style and evidence.

>>> from kg.built import BuiltGraph
>>> from kg.network import _example_graph
>>> data = map_data(BuiltGraph.of(_example_graph()), MapOptions(focus="Failaq al-Sham"))
>>> data["focus"], sorted(n["id"] for n in data["nodes"])
('FailaqAlSham', ['FailaqAlSham', 'Turkey'])
>>> [(e["id"], [r["id"] for r in e["relations"]]) for e in data["edges"]]
[('FailaqAlSham|Turkey', ['Turkey|backs|FailaqAlSham'])]
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
from ..memo import Memo
from ..network import induced, project, undirected
from ..vocabulary import ACTOR_CLASSES, AGENT_CLASSES, FAMILIES, RELATIONS, Relation
from .camps import camps, clusters
from .forces import separate
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

#: the order of an edge's relations, most telling first: the first one shown gives the edge its
#: colour, line and dashes; the others show as small coloured marks on it.
PRIORITY = ("attacked", "opposes", "backs", "alliedWith", "cooperatesWith", "leaderOf", "memberOf",
            "controls", "partyTo", "operatesIn", "locatedIn")

#: a map that would open with more actors than this opens on its camps, as cluster nodes.
AGGREGATE_ABOVE = 250

#: plural names of the actor classes, for the clusters of actors in no camp.
PLURALS = {"State": "states", "ArmedGroup": "armed groups", "Leader": "leaders",
           "Organization": "organizations", "Agreement": "agreements", "Region": "regions"}

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


def map_data(graph: BuiltGraph | Any, options: MapOptions | None = None, *, layouts: Memo | None = None) -> dict:
    """Everything the page shows, as plain JSON-ready data (nodes and edges made with pyvis).

    ``graph`` is a :class:`~kg.built.BuiltGraph`, or an rdflib Graph or Dataset built by kg
    (read and analysed first). Raises :class:`kg.errors.UsageError` for an unknown focus
    actor or relation, or a bad date. ``layouts`` remembers the map's layout
    (:func:`kg.render.layout.layouts`).
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
        g = induced(g, keep)
    sizes = _sizes(g, scores)
    groups = camps(g, built.analysis.balance.bloc_of, least=max(3, len(g) // 100))
    core = [n for n, d in g.nodes(data=True) if d["cls"] in AGENT_CLASSES]
    positions = layout(g, camps=groups, sizes=sizes, core=core,
                       labels={n: g.nodes[n]["label"] for n in core}, memo=layouts)
    net = _network(g, positions, sizes, scores, built.analysis.score("betweenness"), focus)
    nodes, edges, _heading, _height, _width, _options = net.get_network_data()
    conflicts = [conflict_data(c) for c in built.analysis.conflicts if c.a in g and c.b in g]
    dates = sorted({d for *_, e in g.edges(data=True) for d in e["dates"]})
    view = initial_view(g, focus=focus, filtered=bool(options.relations))
    return {
        "title": options.title or _title(g, focus, options),
        "nodes": nodes,
        "edges": edges,
        "groups": _clusters(g, groups, scores, positions),
        "view": view,
        "options": vis_options(),
        "classes": [{"name": c, **CLASS_STYLE[c], "count": sum(1 for _, d in g.nodes(data=True) if d["cls"] == c)}
                    for c in ACTOR_CLASSES],
        "relations": [{**relation_style(r), "name": r.name, "text": r.text, "arrows": not r.symmetric,
                       "sign": r.sign, "count": sum(1 for *_, d in g.edges(data=True) if d["relation"] == r.name)}
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


def relation_count(data: dict) -> int:
    """How many relations a map's data holds (its edges carry one or more each)."""
    return sum(len(e["relations"]) for e in data["edges"])


def initial_view(g, *, focus: str | None, filtered: bool) -> dict:
    """What the map shows when it opens (the page's controls change it; a permalink overrides it).

    The whole map opens on the actors (agreements and regions are a layer the class
    filter adds) and leaves out actors with no relation shown; a focused map, or one
    drawn for chosen relations, opens on everything. A map that would still open with
    more than :data:`AGGREGATE_ABOVE` actors opens on its camps.
    """
    present = [c for c in ACTOR_CLASSES if any(d["cls"] == c for _, d in g.nodes(data=True))]
    agents = {n for n, d in g.nodes(data=True) if d["cls"] in AGENT_CLASSES}
    tied = any(u in agents and v in agents and u != v for u, v in g.edges())
    whole = focus is None and not filtered and tied
    classes = [c for c in present if c in AGENT_CLASSES] if whole else present
    shown = {n for n, d in g.nodes(data=True) if d["cls"] in classes}
    if whole:
        shown = {n for u, v in g.edges() if u in shown and v in shown and u != v for n in (u, v)}
    return {"classes": classes, "hide_isolated": whole, "aggregate": len(shown) > AGGREGATE_ABOVE}


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
    if labels:
        hint = f"; did you mean {', '.join(map(repr, labels))}?"
    else:   # nothing alike: name the best-connected actors, so the user sees what the map holds
        hubs = sorted(g.nodes, key=lambda n: (-g.degree(n), n))[:3]
        hint = f"; the map's best-connected actors are {', '.join(repr(g.nodes[n]['label']) for n in hubs)}"
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


def _sizes(g, scores) -> dict[str, float]:
    """Each node's radius: 10 to 36 pixels by the square root of its PageRank."""
    top = max((scores.get(n, 0.0) for n in g.nodes), default=0.0) or 1.0
    return {n: round(10 + 26 * math.sqrt(scores.get(n, 0.0) / top), 1) for n in g.nodes}


def _network(g, positions, sizes, scores, betweenness, focus):
    """The pyvis Network of the graph: styled nodes, and one edge per pair carrying its relations."""
    from pyvis.network import Network

    net = Network(directed=True)
    for node, d in sorted(g.nodes(data=True)):
        style = CLASS_STYLE[d["cls"]]
        x, y = positions[node]
        border = PROXY_BORDER if d["proxy"] else _darker(style["color"])
        net.add_node(
            node, label=d["label"], shape=style["shape"],
            color={"background": style["color"], "border": border,
                   "highlight": {"background": style["color"], "border": "#000000"},
                   "hover": {"background": style["color"], "border": "#000000"}},
            borderWidth=4 if d["proxy"] else 1.5, size=sizes[node], x=x, y=y,
            title=_node_title(d),
            cls=d["cls"], aliases=d["aliases"], proxy=d["proxy"], iri=d["iri"],
            wikidata=d["wikidata"] if _WIKIDATA.match(d["wikidata"] or "") else "",
            pagerank=round(scores.get(node, 0.0), 6), betweenness=betweenness.get(node),
            focus=node == focus)
    pairs: dict[tuple[str, str], list[dict]] = {}
    for u, v, d in g.edges(data=True):
        pairs.setdefault((min(u, v), max(u, v)), []).append(relation_data(u, v, d))
    for (a, b), relations in sorted(pairs.items()):
        relations.sort(key=lambda r: (PRIORITY.index(r["relation"]), -r["weight"], r["id"]))
        net.add_edge(a, b, id=f"{a}|{b}", relations=relations)
    return net


def relation_data(u: str, v: str, d: dict) -> dict:
    """One relation of an edge as the page shows it: its style (colour, dashes, width, arrow) and
    everything it rests on (method, confidence, dates, articles, the quotes)."""
    style = relation_style(RELATIONS[d["relation"]])
    extracted = d["method"] != "curated"
    return {"id": f"{u}|{d['relation']}|{v}", "from": u, "to": v, "relation": d["relation"],
            "color": style["color"], "dashes": EXTRACTED_DASHES if extracted else style["dashes"],
            "opacity": 0.55 if extracted else 0.9, "arrows": not d["symmetric"],
            "width": round((0.6 if extracted else 1.0) * (1 + 2 * math.log2(1 + d["weight"])), 2),
            "symmetric": d["symmetric"], "method": d["method"], "confidence": d["confidence"],
            "weight": d["weight"], "dates": d["dates"], "articles": d["articles"], "evidence": d["evidence"]}


def _clusters(g, groups, scores, positions) -> list[dict]:
    """The aggregated view's cluster nodes, at their members' centre, pushed apart if they touch."""
    import numpy as np

    found = clusters(g, groups, scores, PLURALS)
    if not found:
        return []
    most = max(len(c["members"]) for c in found)
    radius = np.array([round(16 + 44 * math.sqrt(len(c["members"]) / most), 1) for c in found])
    centre = np.array([[sum(positions[m][i] for m in c["members"]) / len(c["members"]) for i in (0, 1)]
                       for c in found])
    centre = separate(centre, np.stack([-radius, -radius, radius, radius], axis=1), gap=40.0)
    for c, (x, y), r in zip(found, centre, radius, strict=True):
        c.update(x=round(float(x)), y=round(float(y)), size=float(r))
    return found


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
