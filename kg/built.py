"""The built knowledge graph as every output reads it: RDF, network and analysis, each made once.

A :class:`BuiltGraph` holds the graph in an Oxigraph store, the networkx graph read
from it (:func:`kg.network.read_network`, once) and its
:class:`~kg.analysis.results.Analysis` (computed once). The build makes one from the graph it just built (:func:`complete`,
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
from operator import itemgetter
from typing import Any

import networkx as nx

from . import namespaces as ns
from .analysis.results import Analysis, analyse, analysis_triples
from .graph.quads import (
    load_nquads,
    quad_line,
    rdflib_lines,
    select,
    store_lines,
    store_of_lines,
    to_rdflib,
    triple_line,
)
from .network import local, read_network

#: the ontology's named graph, which the knowledge graph (``graph.ttl``, :attr:`BuiltGraph.rdf`) leaves out
ONTOLOGY = f"{ns.KG_IRI}graph/ontology"


class BuiltGraph:
    """A knowledge graph with its network and analysis (see the module's docstring).

    ``lines`` is the graph as sorted N-Quads lines (a build's named graphs, or one default
    graph): the outputs are written from them, word for word. ``store`` holds the same
    quads in Oxigraph for queries (Oxigraph keeps values, not spellings: ``0.50`` is ``0.5``
    there). :attr:`rdf` and :attr:`data` are rdflib copies, made only for a reader who asks.
    """

    def __init__(self, lines: list[str], store: Any, network: nx.MultiDiGraph, analysis: Analysis,
                 data: Any = None):
        self.lines = lines
        self.store = store
        self.network = network
        self.analysis = analysis
        if data is not None:
            self.__dict__["data"] = data

    @classmethod
    def of(cls, data: Any, *, store: Any = None) -> BuiltGraph:
        """Read a built graph — N-Quads lines (or (graph, line) pairs sorted by line), an rdflib Dataset
        or Graph, or an Oxigraph store —: its network, then its analysis. ``store``, with lines, is an
        in-memory store that holds them already (the build fills one while it sorts them)."""
        import pyoxigraph as ox

        quads = None
        if isinstance(data, list):
            if data and isinstance(data[0], tuple):   # (graph, line) pairs, sorted by line
                quads = data
                lines = [line for _, line in quads]
            else:
                lines = sorted(set(data))
            store, original = store if store is not None else store_of_lines(lines), None
        elif isinstance(data, ox.Store):
            lines, store, original = store_lines(data), data, None
        else:
            lines = rdflib_lines(data)
            store, original = store_of_lines(lines), data
        network = read_network(store)
        built = cls(lines, store, network, analyse(network), original)
        if quads is not None:
            built.__dict__["quads"] = quads
        return built

    @cached_property
    def quads(self) -> list[tuple[str, str]]:
        """(graph IRI or "" for the default graph, N-Quads line) for every line, in line order."""
        import pyoxigraph as ox

        text = "".join(line + "\n" for line in self.lines).encode("utf-8")
        return [(q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "", line)
                for q, line in zip(ox.parse(text, format=ox.RdfFormat.N_QUADS), self.lines, strict=True)]

    @cached_property
    def is_dataset(self) -> bool:
        """Whether the graph has named graphs (a build's dataset does; a plain graph does not)."""
        return any(graph for graph, _ in self.quads)

    @cached_property
    def triple_lines(self) -> list[str]:
        """The knowledge graph (every named graph but the ontology) as sorted N-Triples lines."""
        # (the quads are sorted, so their triples nearly are: a quick sort)
        cut = sorted(triple_line(line, graph) for graph, line in self.quads if graph != ONTOLOGY)
        return [line for i, line in enumerate(cut) if not i or line != cut[i - 1]]   # (a triple in two graphs)

    @cached_property
    def rdf(self) -> Any:
        """The knowledge graph as an rdflib Graph (made on first use: it is slow on a large graph)."""
        return to_rdflib(self.triple_lines, dataset=False)

    @cached_property
    def data(self) -> Any:
        """The graph as rdflib has it: a Dataset with its named graphs, or a Graph."""
        return to_rdflib(self.lines) if self.is_dataset else self.rdf

    def select(self, query: str) -> list[dict[str, str]]:
        """A SPARQL SELECT over the graph (the union of its graphs; kg's prefixes declared): each row's
        bound variables, as text."""
        return [{n: v.value for n, v in row.items()} for row in select(self.store, query)]

    @cached_property
    def articles(self) -> dict[str, dict[str, str]]:
        """Per article id: its ``title``, ``date`` and ``publisher`` (label), "" when unknown."""
        out: dict[str, dict[str, str]] = {}
        rows = self.select("""SELECT ?a ?title ?date ?publisher ?name WHERE { ?a a kg:Article .
            OPTIONAL { ?a dcterms:title ?title } OPTIONAL { ?a dcterms:issued ?date }
            OPTIONAL { ?a dcterms:publisher ?publisher OPTIONAL { ?publisher rdfs:label ?name } } }""")
        for row in sorted(rows, key=lambda r: tuple(sorted(r.items()))):
            info = out.setdefault(local(row["a"]).removeprefix("article/"), {"title": "", "date": "", "publisher": ""})
            for name in ("title", "date"):
                info[name] = info[name] or row.get(name, "")
            if "publisher" in row and not info["publisher"]:
                info["publisher"] = row.get("name") or local(row["publisher"]).rsplit("/", 1)[-1]
        return dict(sorted(out.items()))

    @cached_property
    def sources(self) -> dict[str, str]:
        """Per source (``source/CharlesLister``): its label."""
        rows = self.select("SELECT ?s ?label WHERE { ?s a kg:Source ; rdfs:label ?label }")
        out: dict[str, str] = {}
        for row in sorted(rows, key=lambda r: (r["s"], r["label"])):
            out.setdefault(local(row["s"]), row["label"])
        return out


def complete(data: Any, *, store: Any = None) -> BuiltGraph:
    """The build's analysis step: read the network of a freshly built graph (its N-Quads lines, or what
    else :meth:`BuiltGraph.of` reads, with the ``store`` that holds them if there is one), analyse it,
    and state the results in ``kg:graph/analysis`` (so the serialised dataset carries them; an rdflib
    Dataset given gains them too)."""
    from rdflib import Dataset

    built = BuiltGraph.of(data, store=store)
    graph = f"{ns.KG_IRI}graph/analysis"
    triples = list(analysis_triples(built.analysis))
    if isinstance(data, Dataset):   # an rdflib dataset given gains them too
        target = data.graph(ns.GRAPH_ANALYSIS)
        for triple in triples:
            target.add(triple)
    existing = set(built.lines)
    added = sorted({quad_line(triple, graph) for triple in triples} - existing)
    load_nquads(built.store, "".join(line + "\n" for line in added))
    # (sorting a sorted list with a few more lines at its end is quick: the sort merges the two runs)
    if "quads" in built.__dict__:   # (known: kept)
        built.__dict__["quads"] = sorted(built.quads + [(graph, line) for line in added], key=itemgetter(1))
        built.lines = [line for _, line in built.quads]
    else:
        built.lines = sorted(built.lines + added)
    return built
