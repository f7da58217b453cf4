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

from rdflib import BNode, Dataset, Graph
from rdflib.compare import to_canonical_graph

from ..namespaces import KG_IRI, PREFIXES

#: the prefixes Turtle and TriG are written with: kg's own, and one per kind of node kg mints below its
#: namespace (kg.graph.iris, the analysis's conflicts, the named graphs), so that people read
#: ``statement:Turkey.backs.FailaqAlSham`` rather than an escaped ``kg:statement\\/...``
TEXT_PREFIXES = {**PREFIXES, **{kind: f"{KG_IRI}{kind}/" for kind in
                                ("article", "conflict", "evidence", "graph", "source", "statement")}}


def turtle(graph: Graph, lines: str | None = None) -> str:
    """Turtle text, written by Oxigraph from the sorted triples (rdflib's Turtle writer takes
    minutes on a large graph); blank nodes are labelled canonically. ``lines``: the graph's
    :func:`ntriples`, when the caller has them already.

    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph()
    >>> _ = g.add((URIRef("https://w3id.org/conflict-kg/Turkey"), URIRef("urn:p"), Literal("x", lang="en")))
    >>> print(turtle(g), end="")
    @prefix article: <https://w3id.org/conflict-kg/article/> .
    ...
    @prefix kg: <https://w3id.org/conflict-kg/> .
    ...
    kg:Turkey <urn:p> "x"@en .
    """
    return _oxigraph_text(ntriples(graph) if lines is None else lines, "N_TRIPLES", "TURTLE")


def ntriples(graph: Graph) -> str:
    """N-Triples, the lines sorted and blank nodes labelled canonically."""
    text = canonical(graph).serialize(format="nt")
    return "".join(line + "\n" for line in sorted({line for line in text.splitlines() if line.strip()}))


def _oxigraph_text(text: str, source: str, target: str) -> str:
    import pyoxigraph as ox

    header = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in sorted(TEXT_PREFIXES.items()))
    if not text.strip():
        return header
    statements = ox.parse(text, format=getattr(ox.RdfFormat, source))
    data = ox.serialize(statements, format=getattr(ox.RdfFormat, target), prefixes=TEXT_PREFIXES)
    assert data is not None   # with no output file given, serialize returns the bytes
    # Oxigraph writes the prefixes in no fixed order: they are written here, sorted
    body = data.decode("utf-8").split("\n")
    while body and body[0].startswith("@prefix "):
        body.pop(0)
    return header + "\n".join(body)


def quad_lines(ds: Dataset) -> list[tuple[str, str]]:
    """(graph IRI, N-Quads line) for every quad of the dataset, sorted by line, blank nodes labelled
    canonically ("" for the default graph)."""
    lines: set[tuple[str, str]] = set()
    for ctx in ds.graphs():
        if not len(ctx):
            continue
        default = str(ctx.identifier) == "urn:x-rdflib:default"
        graph = "" if default else str(ctx.identifier)
        for line in canonical(ctx).serialize(format="nt").splitlines():
            if line.strip():
                lines.add((graph, line if default else f"{line[:-2]} <{graph}> ."))
    return sorted(lines, key=lambda x: x[1])


def nquads(ds: Dataset, lines: list[tuple[str, str]] | None = None) -> str:
    """N-Quads with the lines sorted and blank nodes labelled canonically, so the output is the
    same for the same graph however it was read (rdflib gives blank nodes fresh labels on parsing).
    ``lines``: the dataset's :func:`quad_lines`, when the caller has them already."""
    lines = quad_lines(ds) if lines is None else lines
    return "".join(line + "\n" for _, line in lines)


def canonical(graph: Graph) -> Graph:
    """The graph with its blank nodes labelled from its structure (rdflib's canonical labelling);
    a graph without blank nodes is returned as it is."""
    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph
    out = Graph()
    for triple in to_canonical_graph(graph):
        out.add(triple)
    return out


def trig(ds: Dataset, lines: list[tuple[str, str]] | None = None) -> str:
    """TriG, written by Oxigraph graph by graph in IRI order, each graph's triples sorted.
    ``lines``: the dataset's :func:`quad_lines`, when the caller has them already."""
    lines = quad_lines(ds) if lines is None else lines
    ordered = sorted(lines)
    return _oxigraph_text("".join(line + "\n" for _, line in ordered), "N_QUADS", "TRIG")
