"""Every analysis of a graph, computed once: what the build writes and every output shows.

:func:`analyse` runs centrality, conflicts of interest and structural balance on one
network (the one :func:`kg.network.read_network` made) and returns an
:class:`Analysis`: typed results, not text. The reports (:mod:`kg.analysis.report`)
format it; :func:`analysis_triples` states it in RDF for ``kg:graph/analysis``; the map
and the exports read its scores and conflicts from it directly.

>>> from kg.network import _example_graph, read_network
>>> result = analyse(read_network(_example_graph()))
>>> sorted(result.scores()["Turkey"])
['betweenness', 'bloc', 'degreeCentrality', 'eigenvector', 'frustration', 'pagerank']
>>> result.conflicts
[]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import networkx as nx

from .. import namespaces as ns
from . import ENDPOINT_CLASSES, Projection, network
from .balance import Balance, balance
from .centrality import Centrality, centrality
from .conflicts import ConflictOfInterest, conflicts_of_interest


@dataclass(frozen=True)
class Analysis:
    """Centrality, conflicts of interest and balance of one graph under one projection."""

    projection: Projection
    centrality: Centrality
    conflicts: list[ConflictOfInterest]
    balance: Balance

    def scores(self) -> dict[str, dict[str, float | int]]:
        """Per actor, its scores under the names the RDF gives them (``pagerank``, ``bloc``...)."""
        out: dict[str, dict[str, float | int]] = {}
        for a in self.centrality.actors:
            out[a.actor] = {"degreeCentrality": a.degree, "betweenness": a.betweenness,
                            "eigenvector": a.eigenvector, "pagerank": a.pagerank}
        for b in self.balance.actors:
            out.setdefault(b.actor, {}).update(frustration=b.frustrated, bloc=b.bloc)
        return out

    def score(self, measure: str) -> dict[str, float]:
        """One centrality measure of every actor that has it (``pagerank``, ``betweenness``...)."""
        return {a.actor: float(getattr(a, measure)) for a in self.centrality.actors}


def analyse(g: nx.MultiDiGraph, projection: Projection | None = None) -> Analysis:
    """Every analysis of the network ``g`` (all actors and relations) under ``projection``.

    Each runs on :func:`kg.analysis.network`'s graph, so a leader of one actor is folded into
    it (:mod:`kg.analysis.leaders`): he has no scores of his own and is never one of a pair.
    """
    projection = projection or Projection()
    actors = network(g, projection)
    return Analysis(projection=projection,
                    centrality=centrality(actors),
                    conflicts=conflicts_of_interest(network(g, projection, view="all"),
                                                    endpoints=ENDPOINT_CLASSES[projection.view]),
                    balance=balance(actors))


def analysis_triples(analysis: Analysis) -> Iterator[tuple[Any, Any, Any]]:
    """The results in kg's vocabulary, as rdflib triples for ``kg:graph/analysis``.

    Per actor: ``kg:degreeCentrality``, ``kg:betweenness``, ``kg:eigenvector``,
    ``kg:pagerank`` (xsd:decimal, 6 places), ``kg:frustration`` (frustrated ties,
    xsd:integer) and ``kg:bloc``. Per conflict of interest: ``kg:conflict/<A>--<B>``
    a ``kg:ConflictOfInterest`` with ``kg:between``, ``kg:score``, ``kg:rank``,
    ``kg:kind`` and ``kg:cooperativeLink`` / ``kg:adversarialLink`` to the statements
    of its chains (which carry the evidence).
    """
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, RDFS, XSD

    KG = ns.KG

    def decimal(value: float) -> Literal:
        return Literal(Decimal(f"{value:.6f}"), datatype=XSD.decimal)

    for a in analysis.centrality.actors:
        node = KG[a.actor]
        yield node, KG.degreeCentrality, decimal(a.degree)
        yield node, KG.betweenness, decimal(a.betweenness)
        yield node, KG.eigenvector, decimal(a.eigenvector)
        yield node, KG.pagerank, decimal(a.pagerank)
    for b in analysis.balance.actors:
        yield KG[b.actor], KG.frustration, Literal(b.frustrated, datatype=XSD.integer)
        yield KG[b.actor], KG.bloc, Literal(b.bloc, datatype=XSD.integer)
    for c in analysis.conflicts:
        node = KG[f"conflict/{c.a}--{c.b}"]
        yield node, RDF.type, KG.ConflictOfInterest
        yield node, RDFS.label, Literal(f"{c.labels[0]} – {c.labels[1]}", lang="en")
        yield node, KG.between, KG[c.a]
        yield node, KG.between, KG[c.b]
        yield node, KG.score, decimal(c.score)
        yield node, KG.rank, Literal(c.rank, datatype=XSD.integer)
        yield node, KG.kind, Literal(c.kind)
        for prop, chains in ((KG.cooperativeLink, c.cooperative), (KG.adversarialLink, c.adversarial)):
            for chain in chains:
                for link in chain.links:
                    yield node, prop, URIRef(link.statement)
