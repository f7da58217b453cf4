"""Deterministic RDF text: the same graph always gives the same bytes.

N-Quads and N-Triples are sorted line by line, blank nodes labelled canonically;
Turtle and TriG are written by Oxigraph from those sorted lines (TriG graph by graph
in IRI order). Two builds of the same inputs therefore
give byte-identical ``graph.ttl``, ``dataset.trig`` and ``dataset.nq``.

>>> from rdflib import Dataset, URIRef
>>> ds = Dataset()
>>> _ = ds.graph(URIRef("urn:g")).add((URIRef("urn:b"), URIRef("urn:p"), URIRef("urn:c")))
>>> _ = ds.graph(URIRef("urn:g")).add((URIRef("urn:a"), URIRef("urn:p"), URIRef("urn:c")))
>>> print(nquads(ds), end="")
<urn:a> <urn:p> <urn:c> <urn:g> .
<urn:b> <urn:p> <urn:c> <urn:g> .
"""

from __future__ import annotations

from ..namespaces import KG_IRI, PREFIXES
from .quads import rdflib_lines

#: the prefixes Turtle and TriG are written with: kg's own, and one per kind of node kg mints below its
#: namespace (kg.graph.iris, the analysis's conflicts, the named graphs), so that people read
#: ``statement:Turkey.backs.FailaqAlSham`` rather than an escaped ``kg:statement\\/...``
TEXT_PREFIXES = {**PREFIXES, **{kind: f"{KG_IRI}{kind}/" for kind in
                                ("article", "conflict", "evidence", "graph", "source", "statement")}}


#: the prefixes Turtle and TriG text begins with (Oxigraph writes them in no fixed order: written here, sorted)
TEXT_HEADER = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in sorted(TEXT_PREFIXES.items()))


def turtle(lines: str) -> str:
    """Turtle text, written by Oxigraph from N-Triples ``lines`` (sorted: rdflib's Turtle writer takes
    minutes on a large graph, and follows set order).

    >>> print(turtle('<https://w3id.org/conflict-kg/Turkey> <urn:p> "x"@en .\\n'), end="")
    @prefix article: <https://w3id.org/conflict-kg/article/> .
    ...
    @prefix kg: <https://w3id.org/conflict-kg/> .
    ...
    kg:Turkey <urn:p> "x"@en .
    """
    return TEXT_HEADER + turtle_body(lines)


def turtle_body(lines: str) -> str:
    """:func:`turtle` without its prefixes: the bodies of several pieces of a graph, each after the other,
    are the Turtle of the whole under :data:`TEXT_HEADER`."""
    return _oxigraph_body(lines, "N_TRIPLES", "TURTLE")


def _oxigraph_body(text: str, source: str, target: str) -> str:
    import pyoxigraph as ox

    if not text.strip():
        return ""
    statements = ox.parse(text, format=getattr(ox.RdfFormat, source))
    data = ox.serialize(statements, format=getattr(ox.RdfFormat, target), prefixes=TEXT_PREFIXES)
    assert data is not None   # with no output file given, serialize returns the bytes
    body = data.decode("utf-8").split("\n")
    while body and body[0].startswith("@prefix "):
        body.pop(0)
    return "\n".join(body)


def nquads(data) -> str:
    """N-Quads with the lines sorted and blank nodes labelled canonically, so the output is the
    same for the same graph however it was read (rdflib gives blank nodes fresh labels on parsing).
    ``data``: an rdflib Dataset or Graph, or its (graph IRI, N-Quads line) pairs sorted by line."""
    lines = data if isinstance(data, list) else [("", line) for line in rdflib_lines(data)]
    return "".join(line + "\n" for _, line in lines)


def trig(lines: list[tuple[str, str]]) -> str:
    """TriG, written by Oxigraph graph by graph in IRI order, each graph's triples sorted, from
    (graph IRI, N-Quads line) pairs."""
    return TEXT_HEADER + trig_body(lines)


def trig_body(lines: list[tuple[str, str]]) -> str:
    """:func:`trig` without its prefixes (as :func:`turtle_body`: a graph may be written in several blocks)."""
    ordered = sorted(lines)
    return _oxigraph_body("".join(line + "\n" for _, line in ordered), "N_QUADS", "TRIG")
