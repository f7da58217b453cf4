"""The RDF exports: Turtle, TriG, N-Quads, N-Triples, RDF/XML and JSON-LD with kg's context.

Each writer takes a :class:`~kg.export.source.Source` and returns deterministic text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from .. import namespaces as ns
from ..files import json_tree
from ..graph.serialize import nquads, trig, turtle

if TYPE_CHECKING:  # the exporters take a Source, which calls them: typed without an import cycle
    from .source import Source


def to_turtle(src: Source) -> str:
    return turtle(src.ntriples)


def to_trig(src: Source) -> str:
    # A plain Graph has no named graphs; Turtle is valid TriG (the default graph).
    return trig(src.quad_lines) if src.is_dataset else to_turtle(src)


def to_nquads(src: Source) -> str:
    return nquads(src.quad_lines) if src.is_dataset else to_ntriples(src)


def to_ntriples(src: Source) -> str:
    return src.ntriples


def to_rdfxml(src: Source) -> str:
    """RDF/XML, written by Oxigraph from the sorted triples (rdflib's writer follows set order)."""
    import pyoxigraph as ox

    triples = ox.parse(to_ntriples(src).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    data = ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=ns.PREFIXES)
    assert data is not None   # with no output file given, serialize returns the bytes
    return data.decode("utf-8")


def jsonld_context(ontology=None) -> dict:
    """The JSON-LD context kg publishes (``ontology/context.jsonld``), made from the ontology.

    Every class and property of the ontology in the kg namespace is a short key
    (``State``, ``backs``, ``leaderOf``, ``quote``, ``pagerank``...); object properties
    take IRIs as plain strings; strings are English unless a key says otherwise.
    ``ontology`` is an rdflib Graph of ``ontology/kg.ttl`` (default: the project's).

    >>> ctx = jsonld_context()["@context"]
    >>> ctx["backs"], ctx["quote"], ctx["State"]
    ({'@id': 'kg:backs', '@type': '@id'}, 'kg:quote', 'kg:State')
    """
    from rdflib.namespace import OWL, RDF

    ontology = default_ontology() if ontology is None else ontology
    ctx: dict = {"@version": 1.1, "@language": "en"}
    ctx.update({p: iri for p, iri in sorted(ns.PREFIXES.items())})

    def names(kind) -> list[str]:
        return sorted(str(t)[len(ns.KG_IRI):] for t in set(ontology.subjects(RDF.type, kind))
                      if str(t).startswith(ns.KG_IRI) and "/" not in str(t)[len(ns.KG_IRI):])

    for name in names(OWL.Class):
        ctx[name] = f"kg:{name}"
    for name in names(OWL.ObjectProperty):
        ctx[name] = {"@id": f"kg:{name}", "@type": "@id"}
    for name in names(OWL.DatatypeProperty):
        ctx[name] = {"@id": f"kg:{name}", "@language": None} if name in _PLAIN_STRINGS else f"kg:{name}"
    ctx.update(_OTHER_TERMS)
    return {"@context": ctx}


def default_ontology():
    """The project's ontology (``ontology/kg.ttl`` beside the package), or an empty graph."""
    from rdflib import Graph

    graph = Graph()
    path = Path(__file__).resolve().parents[2] / "ontology" / "kg.ttl"
    if path.is_file():
        graph.parse(path, format="turtle")
    return graph


#: data properties whose values are plain (untagged) strings: their key says so
_PLAIN_STRINGS = frozenset({"method", "wikidata", "dateBasis", "sourceKind", "file", "sha256",
                            "curatedIn", "kind"})
_OTHER_TERMS = {
    "label": "rdfs:label",
    "comment": "rdfs:comment",
    "prefLabel": "skos:prefLabel",
    "altLabel": "skos:altLabel",
    "definition": "skos:definition",
    "exactMatch": {"@id": "skos:exactMatch", "@type": "@id"},
    "subject": {"@id": "rdf:subject", "@type": "@id"},
    "predicate": {"@id": "rdf:predicate", "@type": "@id"},
    "object": {"@id": "rdf:object", "@type": "@id"},
    "identifier": {"@id": "dcterms:identifier", "@language": None},
    "issued": "dcterms:issued",
    "title": "dcterms:title",
    "publisher": {"@id": "dcterms:publisher", "@type": "@id"},
}


def _canonical_int(lexical: str) -> bool:
    """Whether an xsd:integer's lexical form is the one JSON writes for its value."""
    try:
        return str(int(lexical)) == lexical
    except ValueError:
        return False


def context_text(ontology=None) -> str:
    """The published context as deterministic JSON text."""
    return json.dumps(jsonld_context(ontology), indent=2, ensure_ascii=False) + "\n"


def to_jsonld(src: Source) -> str:
    """JSON-LD: one node object per subject (sorted), with the context inline.

    Written directly from the context's term definitions rather than through a
    compaction algorithm, so the output is short and deterministic; tests expand it
    with pyld and compare the triples with the graph.
    """
    import pyoxigraph as ox

    XSD, RDF_TYPE = ns.PREFIXES["xsd"], ns.PREFIXES["rdf"] + "type"
    context = jsonld_context(src.ontology)["@context"]
    language = context["@language"]
    prefixes = sorted(((iri, p) for p, iri in ns.PREFIXES.items()), key=lambda t: -len(t[0]))
    terms: dict[str, tuple[str, dict | str]] = {}
    for term, definition in context.items():
        if term.startswith("@") or term in ns.PREFIXES:
            continue
        iri = definition if isinstance(definition, str) else definition["@id"]
        prefix, _, name = iri.partition(":")
        terms[ns.PREFIXES[prefix] + name] = (term, definition)
    classes = {ns.KG_IRI + t: t for t, d in context.items() if d == f"kg:{t}" and t[:1].isupper()}

    def compact(iri) -> str:
        text = iri.value
        if isinstance(iri, ox.BlankNode):
            return f"_:{text}"
        for base, prefix in prefixes:
            if text.startswith(base) and text != base:
                return f"{prefix}:{text[len(base):]}"
        return text

    def value(obj, definition) -> object:
        coerced = isinstance(definition, dict) and definition.get("@type") == "@id"
        plain = isinstance(definition, dict) and "@language" in definition
        if not isinstance(obj, ox.Literal):
            return compact(obj) if coerced else {"@id": compact(obj)}
        lexical, datatype = obj.value, obj.datatype.value
        if obj.language:
            if obj.language == language and not plain:
                return lexical
            return {"@value": lexical, "@language": obj.language}
        if datatype == XSD + "string":
            return lexical if plain else {"@value": lexical}
        if datatype == XSD + "integer" and _canonical_int(lexical):
            return int(lexical)
        if datatype == XSD + "boolean" and lexical in ("true", "false"):
            return lexical == "true"
        return {"@value": lexical, "@type": compact(obj.datatype)}

    def sort_key(v) -> str:
        if isinstance(v, str) and v.isprintable() and '"' not in v and "\\" not in v:
            return f'"{v}"'   # what json.dumps writes for it, without the call
        return json.dumps(v, sort_keys=True, ensure_ascii=False)

    nodes: dict = {}
    for t in ox.parse(src.ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
        nodes.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
    graph = []
    for s in sorted(nodes, key=lambda n: (isinstance(n, ox.BlankNode), n.value)):
        node: dict = {"@id": compact(s)}
        props = nodes[s]
        types = props.pop(RDF_TYPE, [])
        if types:
            names = sorted(classes.get(t.value, compact(t)) for t in types)
            node["@type"] = names[0] if len(names) == 1 else names
        for p in sorted(props):
            term, definition = terms.get(p, (compact(ox.NamedNode(p)),) * 2)
            values = [value(o, definition) for o in props[p]]
            if len(values) > 1:
                values.sort(key=sort_key)
            node[term] = values[0] if len(values) == 1 else values
        graph.append(node)
    return json_tree({"@context": context, "@graph": graph}, depth=2) + "\n"   # one node a line
