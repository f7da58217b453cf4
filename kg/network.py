"""RDF -> networkx: the knowledge graph as a ``networkx.MultiDiGraph`` for analysis and maps.

This is the one module that reads RDF and builds networkx graphs. One node per
actor (keyed by its local id, e.g. ``"Turkey"``) with ``iri``, ``label``, ``cls``,
``aliases``, ``wikidata`` and ``proxy``; one edge per relation (per
``kg:Statement``) with::

    relation     "backs", "opposes", ...
    sign         +1 cooperative (alliedWith, cooperatesWith, backs, leaderOf, partyTo, memberOf),
                 -1 adversarial (opposes, attacked), 0 otherwise (operatesIn, controls, locatedIn)
    symmetric    True for alliedWith/cooperatesWith/opposes; stored once, in a canonical direction
    weight       the number of pieces of evidence
    dates        sorted distinct dates of the evidence (ISO text; may be empty)
    articles     sorted distinct article ids
    method       "curated" or "extracted"
    confidence   the statement's confidence
    evidence     a list of {quote, article, date, method, confidence, asserted_by}

Symmetric relations are one edge, never two, so degrees and counts are not doubled;
analyses that need both directions use :func:`undirected` or read ``symmetric``.

>>> g = to_networkx(_example_graph(), view="actors")
>>> sorted(g.edges(keys=True))
[('Russia', 'Turkey', 'opposes'), ('Turkey', 'FailaqAlSham', 'backs')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from . import vocabulary
from .dates import PartialDate
from .graph.quads import as_store, select
from .namespaces import KG_IRI
from .vocabulary import ACTOR_CLASSES, RELATIONS, sign_of

#: relation families an analyst can project onto, and the named views (see :mod:`kg.vocabulary`).
FAMILIES = vocabulary.FAMILIES
VIEWS = vocabulary.VIEWS


def local(iri) -> str:
    """The local id of a kg IRI (``kg:Turkey`` -> ``"Turkey"``); other IRIs are kept whole."""
    text = str(iri)
    return text[len(KG_IRI):] if text.startswith(KG_IRI) else text


def to_networkx(graph, *, view: str = "all", relations: Iterable[str] | None = None,
                as_of: PartialDate | str | None = None, start: PartialDate | str | None = None,
                end: PartialDate | str | None = None,
                include_undated: bool = True, curated_only: bool = False) -> nx.MultiDiGraph:
    """The knowledge graph as a MultiDiGraph, optionally projected.

    Parameters
    ----------
    graph : rdflib Graph or Dataset
        A graph built by kg (``kg.build_graph(...)``, or ``build/graph.ttl`` parsed).
    view : "all" | "actors" | "states"
        ``actors`` drops agreements and regions; ``states`` keeps states only.
    relations : iterable of relation names or family names (see :data:`FAMILIES`), optional
        Keep only these relations, e.g. ``["backs"]`` or ``["adversarial"]``.
    as_of : a :class:`~kg.dates.PartialDate` or its text ("2020", "2020-03", "2020-03-05"), optional
        Keep relations with evidence dated up to the end of this date (same as ``end``).
    start, end : PartialDate or text, optional
        Keep relations with at least one piece of evidence dated inside the window (a partial
        date covers its whole month or year).
    include_undated : bool
        Whether relations with no dated evidence survive a date window (default True:
        an undated fact is not evidence that the relation did not hold).
    curated_only : bool
        Keep only curated evidence (``kg:method "curated"``); relations found only by
        the extractor are dropped.

    Examples
    --------
    >>> g = to_networkx(_example_graph(), view="states")
    >>> sorted(g.nodes), [(u, v, d["relation"], d["sign"]) for u, v, d in g.edges(data=True)]
    (['Russia', 'Turkey'], [('Russia', 'Turkey', 'opposes', -1)])
    """
    return project(read_network(graph), view=view, relations=relations, as_of=as_of, start=start, end=end,
                   include_undated=include_undated, curated_only=curated_only)


#: what :func:`read_network` selects (prefixes ``kg:``, ``rdf:``, ``skos:``): the actors...
ACTORS_QUERY = """
SELECT ?a ?cls ?label ?alias ?wd ?proxy WHERE {
  ?a skos:prefLabel ?label ; rdf:type ?cls .
  VALUES ?cls { CLASSES }
  OPTIONAL { ?a skos:altLabel ?alias }
  OPTIONAL { ?a kg:wikidata ?wd }
  BIND(EXISTS { ?a rdf:type kg:ProxyGroup } AS ?proxy)
}""".replace("CLASSES", " ".join(f"kg:{cls}" for cls in ACTOR_CLASSES))
#: ... and the statements with their evidence
STATEMENTS_QUERY = """
SELECT ?st ?s ?p ?o ?method ?conf ?e ?quote ?article ?date ?emethod ?econf ?who WHERE {
  ?st a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?st kg:method ?method }
  OPTIONAL { ?st kg:confidence ?conf }
  OPTIONAL {
    ?st kg:evidence ?e .
    ?e kg:quote ?quote .
    OPTIONAL { ?e kg:fromArticle ?article }
    OPTIONAL { ?e kg:date ?date }
    OPTIONAL { ?e kg:method ?emethod }
    OPTIONAL { ?e kg:confidence ?econf }
    OPTIONAL { ?e kg:assertedBy ?who }
  }
}"""


def read_network(graph) -> nx.MultiDiGraph:
    """Every actor and relation of a knowledge graph built by kg: an Oxigraph store, or an rdflib
    Graph or Dataset (copied into one).

    This is the one place RDF becomes networkx: a build reads its graph once, and every
    view an analysis or a map needs is a :func:`project` of the result. Where a node has
    several values of a property that should have one, the least is read.
    """
    store = as_store(graph)

    g = nx.MultiDiGraph(view="all", relations="all", start="", end="", curated_only=False)
    rank = {cls: i for i, cls in enumerate(ACTOR_CLASSES)}
    actors: dict[str, dict] = {}
    for row in sorted(select(store, ACTORS_QUERY), key=lambda r: (rank[local(r["cls"].value)], r["a"].value,
                                                          r["label"].value)):
        key = local(row["a"].value)
        cls = local(row["cls"].value)
        node = actors.setdefault(key, {"iri": row["a"].value, "label": row["label"].value, "cls": cls,
                                       "aliases": set(), "wikidata": "", "proxy": row["proxy"].value == "true"})
        if node["cls"] != cls:
            continue
        if "alias" in row:
            node["aliases"].add(row["alias"].value)
        if "wd" in row and (not node["wikidata"] or row["wd"].value < node["wikidata"]):
            node["wikidata"] = row["wd"].value
    for key, node in sorted(actors.items()):
        g.add_node(key, **{**node, "aliases": sorted(node["aliases"])})

    statements: dict[str, dict] = {}
    evidence: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in sorted(select(store, STATEMENTS_QUERY), key=_row_key):
        st = row["st"].value
        statements.setdefault(st, {"s": local(row["s"].value), "p": local(row["p"].value),
                                   "o": local(row["o"].value),
                                   "method": row["method"].value if "method" in row else "curated",
                                   "confidence": _number(row.get("conf"))})
        if "e" not in row or row["e"].value in evidence[st]:
            continue
        evidence[st][row["e"].value] = {
            "quote": row["quote"].value,
            "article": local(row["article"].value).removeprefix("article/") if "article" in row else "",
            "date": row["date"].value if "date" in row else "",
            "method": row["emethod"].value if "emethod" in row else "curated",
            "confidence": _number(row.get("econf")),
            "asserted_by": local(row["who"].value) if "who" in row else "",
        }
    for st, info in sorted(statements.items()):
        s, p, o = info["s"], info["p"], info["o"]
        if s not in g or o not in g or p not in RELATIONS:
            continue
        items = sorted(evidence[st].values(), key=lambda e: (e["date"], e["article"], e["quote"]))
        g.add_edge(s, o, key=p, relation=p, sign=sign_of(p), symmetric=RELATIONS[p].symmetric,
                   statement=st, method=info["method"], confidence=info["confidence"], **_with_evidence(items))
    return g


def _row_key(row: dict) -> tuple:
    return tuple(str(row[n].value) if n in row else "" for n in ("st", "method", "conf", "e", "article", "date",
                                                                  "emethod", "econf", "who"))


def _number(term) -> float:
    """A literal's number (1.0 when there is none or it is not a literal)."""
    import pyoxigraph as ox

    return float(term.value) if isinstance(term, ox.Literal) else 1.0


def project(g: nx.MultiDiGraph, *, view: str = "all", relations: Iterable[str] | None = None,
            as_of: PartialDate | str | None = None, start: PartialDate | str | None = None,
            end: PartialDate | str | None = None, include_undated: bool = True,
            curated_only: bool = False) -> nx.MultiDiGraph:
    """A view of a network :func:`read_network` made: the parameters are :func:`to_networkx`'s.

    >>> whole = read_network(_example_graph())
    >>> sorted(project(whole, relations=["patronage"]).edges(keys=True))
    [('Turkey', 'FailaqAlSham', 'backs')]
    """
    keep_classes = VIEWS[vocabulary.check_view(view)]
    keep_relations = vocabulary.expand(relations) if relations else None
    start = _date(start)
    end = min(filter(None, (_date(as_of), _date(end))), key=PartialDate.last_day, default=None)
    h = nx.MultiDiGraph(view=view, relations=sorted(keep_relations) if keep_relations else "all",
                        start=str(start or ""), end=str(end or ""), curated_only=curated_only)
    h.add_nodes_from((n, d) for n, d in g.nodes(data=True) if keep_classes is None or d["cls"] in keep_classes)
    for u, v, key, d in g.edges(keys=True, data=True):
        if (keep_relations and d["relation"] not in keep_relations) or u not in h or v not in h:
            continue
        items = d["evidence"]
        if curated_only:
            items = [e for e in items if e["method"] == "curated"]
            if not items:
                continue
        if start or end:
            items_in = [e for e in items if e["date"] and PartialDate.parse(e["date"]).overlaps(start, end)]
            if not items_in and not (include_undated and not any(e["date"] for e in items)):
                continue
        h.add_edge(u, v, key=key, **{**d, **_with_evidence(items)})
    return h


def induced(g: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    """The part of ``g`` on ``nodes``, in ``g``'s own order.

    networkx's subgraph views iterate the given set when the part is small, so their
    order (and everything drawn from it) would follow Python's hash seed.

    >>> g = read_network(_example_graph())
    >>> list(induced(g, {"Turkey", "FailaqAlSham"}).nodes)
    ['FailaqAlSham', 'Turkey']
    """
    keep = set(nodes)
    h = nx.MultiDiGraph(**g.graph)
    h.add_nodes_from((n, d) for n, d in g.nodes(data=True) if n in keep)
    h.add_edges_from((u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True) if u in keep and v in keep)
    return h


def _with_evidence(items: list[dict]) -> dict:
    """An edge's evidence attributes: the list, its size (the weight), its dates and articles."""
    return {"weight": len(items), "dates": sorted({e["date"] for e in items if e["date"]}),
            "articles": sorted({e["article"] for e in items if e["article"]}), "evidence": items}


def undirected(g: nx.MultiDiGraph, *, weight: str = "weight") -> nx.Graph:
    """A simple undirected graph: one edge per actor pair, weights summed, signs kept as a list."""
    h = nx.Graph(**g.graph)
    h.add_nodes_from(g.nodes(data=True))
    for u, v, d in g.edges(data=True):
        if u == v:
            continue
        if h.has_edge(u, v):
            h[u][v][weight] += d.get(weight, 1)
            h[u][v]["relations"].append(d["relation"])
            h[u][v]["signs"].append(d["sign"])
        else:
            h.add_edge(u, v, **{weight: d.get(weight, 1), "relations": [d["relation"]], "signs": [d["sign"]]})
    return h


def _date(value: PartialDate | str | None) -> PartialDate | None:
    return PartialDate.parse(value) if isinstance(value, str) else value


def _example_graph():
    """A three-actor graph for doctests: Turkey opposes Russia; Turkey backs Failaq al-Sham."""
    from rdflib import Graph

    return Graph().parse(data="""
        @prefix kg: <https://w3id.org/conflict-kg/> .
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        kg:Turkey a kg:State ; skos:prefLabel "Turkey"@en .
        kg:Russia a kg:State ; skos:prefLabel "Russia"@en .
        kg:FailaqAlSham a kg:ArmedGroup, kg:ProxyGroup ; skos:prefLabel "Failaq al-Sham"@en .
        kg:s1 a kg:Statement ; rdf:subject kg:Russia ; rdf:predicate kg:opposes ; rdf:object kg:Turkey ;
            kg:evidence kg:e1 . kg:e1 kg:quote "Russia and Turkey clash." ; kg:date "2020-03-01" .
        kg:s2 a kg:Statement ; rdf:subject kg:Turkey ; rdf:predicate kg:backs ; rdf:object kg:FailaqAlSham ;
            kg:evidence kg:e2 . kg:e2 kg:quote "Turkey-backed Failaq al-Sham" .
    """, format="turtle")
