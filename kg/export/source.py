"""What the exporters read: a built graph, with the views they share made once."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import networkx as nx

from ..built import ONTOLOGY, BuiltGraph
from ..graph.quads import to_rdflib
from .graphs import flat_network
from .rdf import default_ontology


class Source:
    """A :class:`~kg.built.BuiltGraph` as the exporters read it: its RDF, its ontology, its network
    with the analysis scores on the actors, and the flat network of the graph formats."""

    def __init__(self, data: BuiltGraph | Any):
        self.built = data if isinstance(data, BuiltGraph) else BuiltGraph.of(data)

    @property
    def is_dataset(self) -> bool:
        return self.built.is_dataset

    @cached_property
    def ntriples(self) -> str:
        """The knowledge graph (every named graph but the ontology) as sorted N-Triples: N-Triples,
        Turtle, RDF/XML and JSON-LD are written from them."""
        return "".join(line + "\n" for line in self.built.triple_lines)

    @property
    def quad_lines(self) -> list[tuple[str, str]]:
        """The dataset's sorted N-Quads lines with their graphs (N-Quads and TriG are written from them)."""
        return self.built.quads

    @cached_property
    def ontology(self) -> Any:
        """The ontology as an rdflib Graph: the dataset's ontology graph, else the project's ``ontology/kg.ttl``."""
        if self.is_dataset:
            lines = [line for graph, line in self.built.quads if graph == ONTOLOGY]
            if lines:
                return to_rdflib(lines, dataset=False)
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
