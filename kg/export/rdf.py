"""The RDF exports: Turtle, TriG, N-Quads, N-Triples, RDF/XML and JSON-LD with kg's context.

Each writer takes a :class:`~kg.export.source.Source` and returns deterministic text.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .. import namespaces as ns
from ..files import json_tree
from ..graph.quads import triple_line
from ..graph.serialize import TEXT_HEADER, nquads, trig_body, turtle_body
from ..memo import Table

if TYPE_CHECKING:  # the exporters take a Source, which calls them: typed without an import cycle
    from .source import Source


def to_turtle(src: Source) -> str:
    """Turtle: the core, then each article's section (:attr:`Source.sections`), each written by Oxigraph
    (an article's text remembered while its lines are the same)."""
    core, articles = src.sections
    return TEXT_HEADER + turtle_body(_text(core)) + "".join(src.fragments_of("turtle", _turtle_of))


def to_trig(src: Source) -> str:
    """TriG: every named graph in IRI order (the provenance's core), then each article's section as a block
    of the provenance graph. A plain Graph has no named graphs: its TriG is its Turtle (the default graph)."""
    if not src.is_dataset:
        return to_turtle(src)
    _, articles = src.sections
    theirs = {line for lines in articles for line in lines}
    provenance = str(ns.GRAPH_PROVENANCE)
    core = [(graph, line) for graph, line in src.quad_lines
            if graph != provenance or triple_line(line, graph) not in theirs]
    return TEXT_HEADER + trig_body(core) + "".join(
        src.fragments_of("trig", functools.partial(_trig_of, graph=provenance)))


def _text(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _turtle_of(lines: list[str]) -> str:
    return turtle_body(_text(lines))


def _trig_of(lines: list[str], graph: str) -> str:
    return trig_body([(graph, f"{line[:-1]}<{graph}> .") for line in lines])


def fragments_table(folder: Path | None) -> Table:
    """The text of each article's section in Turtle, TriG, JSON-LD and RDF/XML, remembered in ``folder``
    (``build/cache/fragments/``) by its lines and the code that writes it (Oxigraph's version too)."""
    here = Path(__file__).parent
    return Table(folder, code=[here / "rdf.py", here.parent / "graph" / "serialize.py"], libraries=["pyoxigraph"])


def to_nquads(src: Source) -> str:
    return nquads(src.quad_lines) if src.is_dataset else to_ntriples(src)


def to_ntriples(src: Source) -> str:
    return src.ntriples


def to_rdfxml(src: Source) -> str:
    """RDF/XML, written by Oxigraph from the sorted triples (rdflib's writer follows set order): the core's
    descriptions, then each article's section's (its text remembered, as :func:`to_turtle`'s)."""
    head, body, foot = _rdfxml(_text(src.sections[0]))
    return head + body + "".join(src.fragments_of("rdfxml", _rdfxml_of)) + foot


def _rdfxml(text: str) -> tuple[str, str, str]:
    """The RDF/XML of N-Triples ``text`` in three: the XML declaration and the root element's start tag
    (which declares every prefix of kg, used or not), the descriptions, and the end tag."""
    import pyoxigraph as ox

    data = ox.serialize(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.RDF_XML,
                        prefixes=ns.PREFIXES)
    assert data is not None   # with no output file given, serialize returns the bytes
    doc = data.decode("utf-8")
    start = doc.index("\n", doc.index("\n") + 1) + 1
    end = doc.rindex("</rdf:RDF>")
    return doc[:start], doc[start:end], doc[end:]


def _rdfxml_of(lines: list[str]) -> str:
    return _rdfxml(_text(lines))[1]


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
    """JSON-LD: one node object per subject, with the context inline: the core's nodes, then each
    article's section (:attr:`Source.sections`), each sorted by subject.

    Written directly from the context's term definitions rather than through a
    compaction algorithm, so the output is short and deterministic; tests expand it
    with pyld and compare the triples with the graph. The sorted N-Triples lines are
    read as text: making a term object of every node, property and value was most of the
    time this took on a large graph.
    """
    context = jsonld_context(src.ontology)["@context"]
    nodes = _JsonLd(context).nodes
    core, _ = src.sections
    graph = nodes(core)
    for section in src.fragments_of("jsonld", nodes):
        graph += section
    listed = "[\n" + ",\n".join(f"    {node}" for node in graph) + "\n  ]" if graph else "[]"
    # (what json_tree writes at depth 2, one node a line; the nodes are made a section at a time)
    return '{\n  "@context": ' + json_tree(context, depth=1, indent=1) + ',\n  "@graph": ' + listed + "\n}\n"


class _JsonLd:
    """The node objects of N-Triples lines, compacted with a JSON-LD context's terms."""

    def __init__(self, context: dict):
        self.language = context["@language"]
        self.prefixes = sorted(((iri, p) for p, iri in ns.PREFIXES.items()), key=lambda t: -len(t[0]))
        self.terms: dict[str, tuple[str, dict | str]] = {}
        for term, definition in context.items():
            if term.startswith("@") or term in ns.PREFIXES:
                continue
            iri = definition if isinstance(definition, str) else definition["@id"]
            prefix, _, name = iri.partition(":")
            self.terms[ns.PREFIXES[prefix] + name] = (term, definition)
        self.classes = {ns.KG_IRI + t: t for t, d in context.items() if d == f"kg:{t}" and t[:1].isupper()}
        self.compacted: dict[str, str] = {}
        self.keys: dict[str, tuple[str, str, bool, bool]] = {}

    def compact(self, node: str) -> str:
        """An IRI (``<...>`` in N-Triples) as a prefixed name where a prefix fits; a blank node as it is."""
        if node in self.compacted:
            return self.compacted[node]
        text = node
        if node.startswith("<"):
            text = node[1:-1]
            for base, prefix in self.prefixes:
                if text.startswith(base) and text != base:
                    text = f"{prefix}:{text[len(base):]}"
                    break
        self.compacted[node] = text
        return text

    def value(self, obj: str, coerced: bool, plain: bool) -> object:
        if not obj.startswith('"'):
            return self.compact(obj) if coerced else {"@id": self.compact(obj)}
        lexical, tag, datatype = _nt_literal(obj)
        if tag:
            if tag == self.language and not plain:
                return lexical
            return {"@value": lexical, "@language": tag}
        if datatype == _XSD_STRING:
            return lexical if plain else {"@value": lexical}
        if datatype == _XSD_INTEGER and _canonical_int(lexical):
            return int(lexical)
        if datatype == _XSD_BOOLEAN and lexical in ("true", "false"):
            return lexical == "true"
        return {"@value": lexical, "@type": self.compact(f"<{datatype}>")}

    def key(self, p: str) -> tuple[str, str, bool, bool]:
        """A property as written: (its IRI, its key, whether its values are IRIs, plain strings)."""
        if p not in self.keys:
            term, definition = self.terms.get(p[1:-1], (self.compact(p),) * 2)
            self.keys[p] = (p[1:-1], term, isinstance(definition, dict) and definition.get("@type") == "@id",
                            isinstance(definition, dict) and "@language" in definition)
        return self.keys[p]

    def nodes(self, lines: list[str]) -> list[str]:
        """One node object per subject of the N-Triples ``lines``, sorted by subject, each as JSON text."""
        by_subject: dict[str, dict[str, list[str]]] = {}
        for line in lines:   # (N-Triples: an IRI or a blank node label holds no space)
            s, p, o = line.split(" ", 2)
            by_subject.setdefault(s, {}).setdefault(p, []).append(o[:-2])
        out = []
        for s in sorted(by_subject, key=lambda n: (n.startswith("_:"), n[2:] if n.startswith("_:") else n[1:-1])):
            node: dict = {"@id": self.compact(s)}
            props = by_subject[s]
            types = props.pop(_RDF_TYPE, [])
            if types:
                names = sorted(self.classes.get(t[1:-1], self.compact(t)) for t in types)
                node["@type"] = names[0] if len(names) == 1 else names
            for p in sorted(props, key=lambda p: self.key(p)[0]):
                _, term, coerced, plain = self.key(p)
                values = [self.value(o, coerced, plain) for o in props[p]]
                if len(values) > 1:
                    values.sort(key=_sort_key)
                node[term] = values[0] if len(values) == 1 else values
            out.append(json.dumps(node, ensure_ascii=False))
        return out


def _sort_key(v) -> str:
    if isinstance(v, str) and v.isprintable() and '"' not in v and "\\" not in v:
        return f'"{v}"'   # what json.dumps writes for it, without the call
    return json.dumps(v, sort_keys=True, ensure_ascii=False)


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
_XSD_STRING, _XSD_INTEGER, _XSD_BOOLEAN = (ns.PREFIXES["xsd"] + t for t in ("string", "integer", "boolean"))
_LANG_STRING = ns.PREFIXES["rdf"] + "langString"
_RDF_TYPE = f"<{ns.PREFIXES['rdf']}type>"


def _unescape(match: re.Match) -> str:
    code = match.group(1) or match.group(2)
    return chr(int(code, 16)) if code else _ECHAR[match.group(3)]
