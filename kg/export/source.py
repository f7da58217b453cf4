"""What the exporters read: a built graph, with the views they share made once."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import networkx as nx

from .. import namespaces as ns
from ..built import BuiltGraph
from ..graph.serialize import ntriples, quad_lines
from .graphs import flat_network
from .rdf import default_ontology


class Source:
    """A :class:`~kg.built.BuiltGraph` as the exporters read it: its RDF, its ontology, its network
    with the analysis scores on the actors, and the flat network of the graph formats."""

    def __init__(self, data: BuiltGraph | Any):
        self.built = data if isinstance(data, BuiltGraph) else BuiltGraph.of(data)

    @property
    def data(self) -> Any:
        """The rdflib Dataset (or Graph) exported."""
        return self.built.data

    @property
    def is_dataset(self) -> bool:
        return self.built.is_dataset

    @property
    def graph(self) -> Any:
        """The knowledge graph: every named graph but the ontology (for a Graph: itself)."""
        return self.built.rdf

    @cached_property
    def ntriples(self) -> str:
        """The knowledge graph as sorted N-Triples (N-Triples, Turtle and RDF/XML are written from them)."""
        return ntriples(self.graph)

    @cached_property
    def quad_lines(self) -> list[tuple[str, str]]:
        """The dataset's sorted N-Quads lines with their graphs (N-Quads and TriG are written from them)."""
        return quad_lines(self.data)

    @cached_property
    def ontology(self) -> Any:
        """The ontology: the dataset's ontology graph, else the project's ``ontology/kg.ttl``."""
        if self.is_dataset:
            graph = self.data.graph(ns.GRAPH_ONTOLOGY)
            if len(graph):
                return graph
        return default_ontology()

    @cached_property
    def network(self) -> nx.MultiDiGraph:
        """Every actor and relation, each actor with its analysis scores (``pagerank``, ``bloc``...)."""
        g = self.built.network.copy()
        for node, scores in self.built.analysis.scores().items():
            if node in g:
                g.nodes[node].update(scores)
        return g

    @cached_property
    def flat(self) -> nx.MultiDiGraph:
        return flat_network(self.network)
