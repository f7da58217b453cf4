"""The RDF exports: Turtle, TriG, N-Quads, N-Triples, RDF/XML and JSON-LD with kg's context.

Each writer takes a :class:`~kg.export.source.Source` and returns deterministic text.
"""

from __future__ import annotations

import json
import re
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
    with pyld and compare the triples with the graph. The sorted N-Triples lines are
    read as text: making a term object of every node, property and value was most of the
    time this took on a large graph.
    """
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
    compacted: dict[str, str] = {}

    def compact(node: str) -> str:
        """An IRI (``<...>`` in N-Triples) as a prefixed name where a prefix fits; a blank node as it is."""
        if node in compacted:
            return compacted[node]
        text = node
        if node.startswith("<"):
            text = node[1:-1]
            for base, prefix in prefixes:
                if text.startswith(base) and text != base:
                    text = f"{prefix}:{text[len(base):]}"
                    break
        compacted[node] = text
        return text

    def value(obj: str, coerced: bool, plain: bool) -> object:
        if not obj.startswith('"'):
            return compact(obj) if coerced else {"@id": compact(obj)}
        lexical, tag, datatype = _nt_literal(obj)
        if tag:
            if tag == language and not plain:
                return lexical
            return {"@value": lexical, "@language": tag}
        if datatype == XSD + "string":
            return lexical if plain else {"@value": lexical}
        if datatype == XSD + "integer" and _canonical_int(lexical):
            return int(lexical)
        if datatype == XSD + "boolean" and lexical in ("true", "false"):
            return lexical == "true"
        return {"@value": lexical, "@type": compact(f"<{datatype}>")}

    def sort_key(v) -> str:
        if isinstance(v, str) and v.isprintable() and '"' not in v and "\\" not in v:
            return f'"{v}"'   # what json.dumps writes for it, without the call
        return json.dumps(v, sort_keys=True, ensure_ascii=False)

    def key(p: str) -> tuple[str, str, bool, bool]:
        """A property as written: (its IRI, its key, whether its values are IRIs, plain strings)."""
        term, definition = terms.get(p[1:-1], (compact(p),) * 2)
        return (p[1:-1], term, isinstance(definition, dict) and definition.get("@type") == "@id",
                isinstance(definition, dict) and "@language" in definition)

    nodes: dict[str, dict[str, list[str]]] = {}
    for line in src.built.triple_lines:   # (N-Triples: an IRI or a blank node label holds no space)
        s, p, o = line.split(" ", 2)
        nodes.setdefault(s, {}).setdefault(p, []).append(o[:-2])
    keys = {p: key(p) for properties in nodes.values() for p in properties}
    graph = []
    for s in sorted(nodes, key=lambda n: (n.startswith("_:"), n[2:] if n.startswith("_:") else n[1:-1])):
        node: dict = {"@id": compact(s)}
        props = nodes[s]
        types = props.pop(f"<{RDF_TYPE}>", [])
        if types:
            names = sorted(classes.get(t[1:-1], compact(t)) for t in types)
            node["@type"] = names[0] if len(names) == 1 else names
        for p in sorted(props, key=lambda p: keys[p][0]):
            _, term, coerced, plain = keys[p]
            values = [value(o, coerced, plain) for o in props[p]]
            if len(values) > 1:
                values.sort(key=sort_key)
            node[term] = values[0] if len(values) == 1 else values
        graph.append(node)
    return json_tree({"@context": context, "@graph": graph}, depth=2) + "\n"   # one node a line


def _nt_literal(term: str) -> tuple[str, str, str]:
    """(lexical form, language tag or "", datatype IRI) of a literal as N-Triples writes it.

    >>> _nt_literal(r'"say \\"no\\"\\n"@en')
    ('say "no"\\n', 'en', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString')
    >>> _nt_literal('"1"^^<urn:int>'), _nt_literal('"x"')[2]
    (('1', '', 'urn:int'), 'http://www.w3.org/2001/XMLSchema#string')
    """
    close = term.rindex('"')
    lexical, rest = term[1:close], term[close + 1:]
    if "\\" in lexical:
        lexical = _ESCAPE.sub(_unescape, lexical)
    if rest.startswith("@"):
        return lexical, rest[1:], _LANG_STRING
    if rest.startswith("^^<"):
        return lexical, "", rest[3:-1]
    return lexical, "", _XSD_STRING


#: an escape in an N-Triples string: \uXXXX, \UXXXXXXXX, or one of \t \b \n \r \f \" \' \\
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([tbnrf\"'\\]))")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_XSD_STRING = ns.PREFIXES["xsd"] + "string"
_LANG_STRING = ns.PREFIXES["rdf"] + "langString"


def _unescape(match: re.Match) -> str:
    code = match.group(1) or match.group(2)
    return chr(int(code, 16)) if code else _ECHAR[match.group(3)]
