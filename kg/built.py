"""The built knowledge graph as every output reads it: RDF, network and analysis, each made once.

A :class:`BuiltGraph` holds the rdflib dataset, the networkx graph read from it
(:func:`kg.network.read_network`, once) and its :class:`~kg.analysis.results.Analysis`
(computed once). The build makes one from the graph it just built (:func:`complete`,
which also states the analysis in ``kg:graph/analysis``); ``kg render``, ``kg export``
and ``kg analyze`` make one from the dataset the build wrote (:meth:`BuiltGraph.of`).
The same dataset gives the same network and the same analysis either way, so the map
``kg render`` draws is the map ``kg build`` drew.

>>> from kg.network import _example_graph
>>> built = BuiltGraph.of(_example_graph())
>>> sorted(built.network.nodes), built.analysis.conflicts
(['FailaqAlSham', 'Russia', 'Turkey'], [])
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import networkx as nx

from . import namespaces as ns
from .analysis.results import Analysis, analyse, analysis_triples
from .graph.build import knowledge_graph
from .network import local, read_network


class BuiltGraph:
    """A knowledge graph with its network and analysis (see the module's docstring).

    ``data`` is an rdflib Dataset built by kg (provenance in named graphs) or a plain
    rdflib Graph; ``rdf`` is its union without the ontology (for a Graph, itself).
    """

    def __init__(self, data: Any, rdf: Any, network: nx.MultiDiGraph, analysis: Analysis):
        self.data = data
        self.rdf = rdf
        self.network = network
        self.analysis = analysis

    @classmethod
    def of(cls, data: Any) -> BuiltGraph:
        """Read a built graph (an rdflib Dataset or Graph): its network, then its analysis."""
        from rdflib import Dataset

        rdf = knowledge_graph(data) if isinstance(data, Dataset) else data
        network = read_network(rdf)
        return cls(data, rdf, network, analyse(network))

    @property
    def is_dataset(self) -> bool:
        from rdflib import Dataset

        return isinstance(self.data, Dataset)

    @cached_property
    def articles(self) -> dict[str, dict[str, str]]:
        """Per article id: its ``title``, ``date`` and ``publisher`` (label), "" when unknown."""
        from rdflib.namespace import DCTERMS, RDF, RDFS

        g = self.rdf
        out: dict[str, dict[str, str]] = {}
        for a in sorted(g.subjects(RDF.type, ns.KG.Article)):
            info = out.setdefault(local(a).removeprefix("article/"), {"title": "", "date": "", "publisher": ""})
            for name, pred in (("title", DCTERMS.title), ("date", DCTERMS.issued)):
                value = g.value(a, pred)
                if value is not None:
                    info[name] = str(value)
            publisher = g.value(a, DCTERMS.publisher)
            if publisher is not None:
                info["publisher"] = str(g.value(publisher, RDFS.label) or local(publisher).rsplit("/", 1)[-1])
        return out

    @cached_property
    def sources(self) -> dict[str, str]:
        """Per source (``source/CharlesLister``): its label."""
        from rdflib.namespace import RDF, RDFS

        g = self.rdf
        return {local(s): str(g.value(s, RDFS.label)) for s in sorted(g.subjects(RDF.type, ns.KG.Source))
                if g.value(s, RDFS.label) is not None}


def complete(dataset: Any) -> BuiltGraph:
    """The build's analysis step: read the network of a freshly built dataset, analyse it, and
    state the results in its ``kg:graph/analysis`` (so the serialised dataset carries them)."""
    built = BuiltGraph.of(dataset)
    target = dataset.graph(ns.GRAPH_ANALYSIS)
    for triple in analysis_triples(built.analysis):
        target.add(triple)
        built.rdf.add(triple)
    return built
