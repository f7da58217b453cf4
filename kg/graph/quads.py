"""The graph as N-Quads lines and as an Oxigraph store: how a large graph travels through the build.

rdflib is kg's vocabulary for *making* triples (``KG.backs``, ``Literal(..., lang="en")``);
it is slow at *holding* many of them. So the build keeps only the small core of the graph
in rdflib, and the per-article part — article nodes and the evidence quoted from them,
most of the graph — as N-Quads lines written by Oxigraph (one canonical spelling of every
term), which are sorted, joined into ``dataset.nq``, bulk-loaded into a store, and parsed
back into rdflib only for a reader who asks for an rdflib graph.

>>> from rdflib import Literal, URIRef
>>> line = quad_line((URIRef("urn:s"), URIRef("urn:p"), Literal('a "quote"', lang="en")), "urn:g")
>>> line
'<urn:s> <urn:p> "a \\\\"quote\\\\""@en <urn:g> .'
>>> store = store_of_lines([line])
>>> [q.object.value for q in store]
['a "quote"']
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable
from typing import Any

from ..namespaces import PREFIXES, bind_prefixes

#: the rdflib default graph's identifier (its triples are written without a graph term)
RDFLIB_DEFAULT = "urn:x-rdflib:default"


def quad_line(triple: tuple[Any, Any, Any], graph: str = "") -> str:
    """An rdflib triple as an N-Quads line in ``graph`` ("" for the default graph), without the newline:
    each term as Oxigraph writes it."""
    s, p, o = triple
    if graph:
        return f"{_text(s)} {_text(p)} {_text(o)} {_iri_text(graph)} ."
    return f"{_text(s)} {_text(p)} {_text(o)} ."


def triple_line(line: str, graph: str) -> str:
    """An N-Quads line in ``graph`` ("" for the default graph) as the N-Triples line of its triple.

    >>> triple_line("<urn:s> <urn:p> <urn:o> <urn:g> .", "urn:g")
    '<urn:s> <urn:p> <urn:o> .'
    """
    return line[:-len(graph) - 5] + " ." if graph else line   # (" <graph> ." cut)


def quad_lines_of(triples: Iterable[tuple[Any, Any, Any]], graph: str = "") -> list[str]:
    """:func:`quad_line` of every triple, sorted and without duplicates."""
    return sorted({quad_line(t, graph) for t in triples})


def store_of_lines(lines: Iterable[str]):
    """An in-memory Oxigraph store holding N-Quads lines."""
    import pyoxigraph as ox

    store = ox.Store()
    load_nquads(store, "".join(line + "\n" for line in lines))
    return store


class Filling:
    """An in-memory Oxigraph store being filled with N-Quads lines in a thread: Oxigraph's loader lets go
    of Python's lock, so this process goes on meanwhile. Lines with blank nodes are added by
    :meth:`store` (the loader would relabel them).

    >>> filling = Filling(["<urn:a> <urn:p> <urn:b> <urn:g> ."])
    >>> len(filling.store(["_:x <urn:p> <urn:b> <urn:g> ."]))
    2
    """

    def __init__(self, lines: Iterable[str]):
        import pyoxigraph as ox

        self._store = ox.Store()
        self._failure: Exception | None = None
        self._later: list[str] = []
        text: list[str] = []
        for line in lines:
            (self._later if "_:" in line else text).append(line + "\n")
        data = "".join(text).encode("utf-8")

        def load() -> None:
            try:
                if data:
                    self._store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
            except Exception as exc:  # noqa: BLE001 - raised where the store is asked for
                self._failure = exc

        self._thread = threading.Thread(target=load, name="kg-store-filling", daemon=True)
        self._thread.start()

    def store(self, more: Iterable[str] = ()):
        """The store, once loaded, with ``more`` lines (and those with blank nodes) added."""
        self._thread.join()
        if self._failure is not None:
            raise self._failure
        load_nquads(self._store, "".join([*self._later, *(line + "\n" for line in more)]))
        return self._store


def load_nquads(store, data: str | bytes) -> None:
    """Add an N-Quads document to a store, keeping its blank node labels (Oxigraph's loader would
    give them fresh random ones, and the outputs written from the store would differ between builds)."""
    import pyoxigraph as ox

    if data:
        store.bulk_extend(ox.parse(data.encode("utf-8") if isinstance(data, str) else data,
                                   format=ox.RdfFormat.N_QUADS))


def store_lines(store) -> list[str]:
    """Every quad of an Oxigraph store as a sorted N-Quads line (without the newline)."""
    return sorted(str(q) + " ." for q in store)


def select(store, query: str) -> list[dict[str, Any]]:
    """A SPARQL SELECT on an Oxigraph store, its default graph the union of the named graphs and kg's
    prefixes declared: each row as its bound variables (Oxigraph terms).

    >>> [row["o"].value for row in select(store_of_lines(['<urn:s> <urn:p> "x" <urn:g> .']),
    ...                                    "SELECT ?o WHERE { ?s ?p ?o }")]
    ['x']
    """
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    result = store.query(prologue + query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: v for n, v in zip(names, row, strict=True) if v is not None} for row in result]


def rdflib_lines(data: Any) -> list[str]:
    """An rdflib Dataset or Graph as sorted N-Quads lines, blank nodes labelled canonically
    (a plain Graph's triples, and a Dataset's default graph, go to the default graph)."""
    return [line for _, line in rdflib_quads(data)]


def rdflib_quads(data: Any) -> list[tuple[str, str]]:
    """:func:`rdflib_lines` with the graph of each line: (graph IRI or "" for the default graph, line)."""
    from rdflib import Dataset

    quads: dict[str, str] = {}
    contexts = [g for g in data.graphs() if len(g)] if isinstance(data, Dataset) else [data]
    for ctx in contexts:
        graph = str(ctx.identifier) if isinstance(data, Dataset) else ""
        graph = "" if graph == RDFLIB_DEFAULT else graph
        quads.update((line, graph) for line in _graph_lines(ctx, graph))
    return [(quads[line], line) for line in sorted(quads)]


def _graph_lines(graph: Any, name: str) -> list[str]:
    """:func:`quad_line` of every triple of an rdflib graph, in ``name``, its blank nodes labelled by
    :func:`canonical` (read in one pass when it has none, as most graphs)."""
    from rdflib import BNode

    lines = []
    for triple in graph:
        if isinstance(triple[0], BNode) or isinstance(triple[2], BNode):
            return [quad_line(t, name) for t in canonical(graph)]
        lines.append(quad_line(triple, name))
    return lines


def as_store(data: Any):
    """An Oxigraph store of ``data``: a store as it is, an rdflib Dataset or Graph copied."""
    import pyoxigraph as ox

    if isinstance(data, ox.Store):
        return data
    return store_of_lines(rdflib_lines(data))


def to_rdflib(lines: Iterable[str], *, dataset: bool = True) -> Any:
    """N-Quads lines parsed into an rdflib Dataset (or, with ``dataset=False``, one Graph of all
    their triples), kg's prefixes bound."""
    from rdflib import Dataset, Graph

    text = "".join(line + "\n" for line in lines)
    graph = Dataset() if dataset else Graph()
    if text:
        graph.parse(data=text if dataset else _without_graphs(text), format="nquads" if dataset else "nt")
    bind_prefixes(graph)
    return graph


def _without_graphs(text: str) -> str:
    import pyoxigraph as ox

    triples = {str(q.triple) + " .\n" for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)}
    return "".join(sorted(triples))


def canonical(graph: Any) -> Any:
    """The graph with its blank nodes labelled from its structure (rdflib's canonical labelling);
    a graph without blank nodes is returned as it is."""
    from rdflib import BNode, Graph
    from rdflib.compare import to_canonical_graph

    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph
    out = Graph()
    for triple in to_canonical_graph(graph):
        out.add(triple)
    return out


@functools.lru_cache(maxsize=1 << 14)
def _iri(text: str):
    import pyoxigraph as ox

    return ox.NamedNode(text)


@functools.lru_cache(maxsize=1 << 16)
def _iri_text(text: str) -> str:
    return str(_iri(text))


def _text(term: Any) -> str:
    """An rdflib term in N-Triples, as Oxigraph writes it (IRIs remembered: they recur).

    A literal with nothing to escape is written here, as Oxigraph would write it; any
    other term is written by Oxigraph:

    >>> from rdflib import Literal
    >>> [_text(Literal(t, lang="en")) for t in ("plain", 'a "quote"')]
    ['"plain"@en', '"a \\\\"quote\\\\""@en']
    """
    iri, literal = _rdflib_terms()
    if isinstance(term, iri):
        return _iri_text(str(term))
    if isinstance(term, literal) and _PLAIN.fullmatch(term):
        if term.language:
            if _LANGUAGE.fullmatch(term.language):
                return f'"{term}"@{term.language}'
        elif term.datatype is None or str(term.datatype) == _XSD_STRING:
            return f'"{term}"'
        else:
            return f'"{term}"^^{_iri_text(str(term.datatype))}'
    return str(_term(term))


#: what :func:`_text` needs no help with: text with no character N-Triples escapes, a lower-case tag
_PLAIN = re.compile(r'[^"\\\x00-\x1f\x7f]*')
_LANGUAGE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_XSD_STRING = PREFIXES["xsd"] + "string"


@functools.cache
def _rdflib_terms() -> tuple[Any, Any]:
    """rdflib's URIRef and Literal (imported on first use: this module is read before rdflib is needed)."""
    from rdflib import Literal, URIRef

    return URIRef, Literal


def _term(term: Any):
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return _iri(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=_iri(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")
