"""The graph exports for Gephi, Cytoscape, yEd, D3 and spreadsheets: one node per actor, one edge
per relation, attributes typed (see :func:`flat_network`).
"""

from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING

import networkx as nx

from ..dates import PartialDate
from ..files import json_tree
from ..network import local

if TYPE_CHECKING:  # the exporters take a Source, which calls them: typed without an import cycle
    from .source import Source

_NODE_FIELDS = ("label", "cls", "proxy", "wikidata", "aliases", "iri")
_EDGE_FIELDS = ("relation", "sign", "symmetric", "evidence_count", "first_date", "last_date",
                "dates", "articles", "method", "confidence", "quotes", "statement")


def flat_network(g):
    """A copy of the network whose attributes are all scalars, as GraphML and GEXF need.

    Nodes keep ``label``, ``cls``, ``proxy`` (bool), ``wikidata``, ``iri``, any numeric
    scores, and ``aliases`` joined by ``"; "``. Edges are keyed by their statement id
    (``"Turkey.backs.FailaqAlSham"``) and carry ``relation``, ``sign`` (int),
    ``symmetric`` (bool), ``evidence_count`` and ``weight`` (int), ``first_date`` and
    ``last_date`` (ISO, possibly partial, "" when undated), ``dates`` and ``articles``
    joined by ``"; "``, ``method``, ``confidence`` (float), ``quotes`` (joined by
    ``" | "``) and ``statement`` (its IRI).
    """
    h = nx.MultiDiGraph(name="kg")
    for node, d in g.nodes(data=True):
        attrs = {k: v for k, v in d.items() if k not in _NODE_FIELDS}
        h.add_node(node, label=d["label"], cls=d["cls"], proxy=bool(d["proxy"]),
                   wikidata=d["wikidata"], aliases="; ".join(d["aliases"]), iri=d["iri"],
                   **dict(sorted(attrs.items())))
    for u, v, d in g.edges(data=True):
        key = local(d["statement"]).removeprefix("statement/")
        dates = d["dates"]
        h.add_edge(u, v, key=key, relation=d["relation"], sign=int(d["sign"]),
                   symmetric=bool(d["symmetric"]), evidence_count=int(d["weight"]),
                   weight=int(d["weight"]), first_date=dates[0] if dates else "",
                   last_date=dates[-1] if dates else "", dates="; ".join(dates),
                   articles="; ".join(d["articles"]), method=d["method"],
                   confidence=float(d["confidence"]),
                   quotes=" | ".join(e["quote"] for e in d["evidence"]), statement=d["statement"])
    return h


def score_names(g) -> list[str]:
    """The names of the numeric node attributes beyond the standard ones (sorted)."""
    names = set()
    for _, d in g.nodes(data=True):
        names |= {k for k in d if k not in _NODE_FIELDS}
    return sorted(names)


def to_graphml(src: Source) -> str:
    return "\n".join(nx.generate_graphml(src.flat, named_key_ids=True)) + "\n"


def to_gexf(src: Source) -> str:
    """GEXF 1.2; relations with dated evidence get ``start``/``end`` (the first and last day)."""
    h = src.flat.copy()
    h.graph = {"name": "kg"}
    for _, _, d in h.edges(data=True):
        if d["first_date"]:
            d["start"] = PartialDate.parse(d["first_date"]).first_day().isoformat()
            d["end"] = PartialDate.parse(d["last_date"]).last_day().isoformat()
        d["label"] = d["relation"]
    for _, _, key, d in h.edges(keys=True, data=True):
        d["id"] = key
    text = "\n".join(nx.generate_gexf(h)) + "\n"
    # networkx stamps today's date and its version; make the file depend on the graph only
    text = re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)
    return re.sub(r"<creator>[^<]*</creator>", "<creator>kg</creator>", text, count=1)


def to_nodelink(src: Source) -> str:
    """node-link JSON (``nodes``/``links``) with every attribute, evidence lists included."""
    g = src.network
    data = nx.node_link_data(g, edges="links")
    for link in data["links"]:
        link["id"] = link["statement"].rsplit("/", 1)[-1]
    return json_tree(data, depth=2, default=str) + "\n"   # one node or link a line


def to_cytoscape(src: Source) -> str:
    """Cytoscape.js JSON: ``{"data": ..., "elements": {"nodes": [{"data": ...}], "edges": [...]}}``.

    Each element's ``data`` has ``id`` (and ``value``/``name``, as networkx's
    ``cytoscape_graph`` reads them); edges have ``source``/``target`` and the
    relation's attributes, with the evidence list.
    """
    g = src.network
    nodes = [{"data": {"id": n, "value": n, "name": d["label"], **d}} for n, d in g.nodes(data=True)]
    edges = []
    for u, v, d in g.edges(data=True):
        key = d["statement"].rsplit("/", 1)[-1]
        edges.append({"data": {"id": key, "source": u, "target": v, "key": d["relation"], **d}})
    doc = {"data": {"name": "kg"}, "directed": True, "multigraph": True,
           "elements": {"nodes": nodes, "edges": edges}}
    return json_tree(doc, depth=3, default=str) + "\n"    # one element a line


def _csv(rows: list[dict], fields: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k, "")) for k in fields})
    return out.getvalue()


def _cell(value) -> object:
    return ("true" if value else "false") if isinstance(value, bool) else value


def to_csv_nodes(src: Source) -> str:
    h = src.flat
    fields = ["id", "label", "class", "proxy", "wikidata", "aliases", "iri", *score_names(h)]
    rows = [{"id": n, "class": d["cls"], **d} for n, d in h.nodes(data=True)]
    return _csv(rows, fields)


def to_csv_edges(src: Source) -> str:
    h = src.flat
    fields = ["id", "source", "target", "relation", "sign", "symmetric", "evidence_count",
              "first_date", "last_date", "dates", "articles", "method", "confidence", "quotes",
              "statement"]
    rows = [{"id": k, "source": u, "target": v, **d} for u, v, k, d in h.edges(keys=True, data=True)]
    return _csv(rows, fields)
