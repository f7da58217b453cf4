"""Deterministic RDF text: the same graph always gives the same bytes.

rdflib's Turtle writer sorts subjects and predicates; N-Quads are sorted line by line;
TriG is written graph by graph in IRI order. Two builds of the same inputs therefore
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


def turtle(graph: Graph) -> str:
    """Turtle text; rdflib sorts subjects and predicates, so the output is deterministic."""
    return graph.serialize(format="turtle")


def nquads(ds: Dataset) -> str:
    """N-Quads with the lines sorted and blank nodes labelled canonically, so the output is the
    same for the same graph however it was read (rdflib gives blank nodes fresh labels on parsing)."""
    lines: set[str] = set()
    for ctx in ds.graphs():
        if not len(ctx):
            continue
        default = str(ctx.identifier) == "urn:x-rdflib:default"
        text = canonical(ctx).serialize(format="nt")
        for line in text.splitlines():
            if line.strip():
                lines.add(line if default else f"{line[:-2]} <{ctx.identifier}> .")
    return "\n".join(sorted(lines)) + "\n"


def canonical(graph: Graph) -> Graph:
    """The graph with its blank nodes labelled from its structure (rdflib's canonical labelling);
    a graph without blank nodes is returned as it is."""
    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph
    out = Graph()
    for triple in to_canonical_graph(graph):
        out.add(triple)
    return out


def trig(ds: Dataset) -> str:
    """TriG with the named graphs in sorted order, each written as deterministic Turtle."""
    prefixes = [f"@prefix {p}: <{iri}> ." for p, iri in sorted(ds.namespaces()) if p]
    parts = ["\n".join(prefixes), ""]
    for ctx in sorted(ds.graphs(), key=lambda g: str(g.identifier)):
        if not len(ctx) or str(ctx.identifier) == "urn:x-rdflib:default":
            continue
        graph = Graph()
        for prefix, iri in ds.namespaces():
            graph.bind(prefix, iri, override=True, replace=True)
        for triple in ctx:
            graph.add(triple)
        body = [line for line in graph.serialize(format="turtle").splitlines()
                if not line.startswith("@prefix")]
        while body and not body[0].strip():
            body.pop(0)
        parts.append(f"<{ctx.identifier}> {{")
        parts.extend(("    " + line) if line.strip() else "" for line in body)
        parts.append("}\n")
    return "\n".join(parts)

