"""Query results written out: the W3C result formats, RDF syntaxes, tables for people, and HTTP media types.

- ``json``, ``xml``, ``csv`` and ``tsv`` are the W3C SPARQL 1.1 result formats
  (written by pyoxigraph); ``table`` and ``markdown`` are for people, with prefixed
  names and labels; CONSTRUCT/DESCRIBE results go out in any RDF syntax of
  :data:`GRAPH_FORMATS`. :func:`format_result` writes them all.
- For HTTP, :data:`RESULT_TYPES` and :data:`GRAPH_TYPES` map media types to
  pyoxigraph's formats, and :func:`negotiate` picks one from an ``Accept`` header
  (or a ``format`` parameter of :data:`FORMAT_NAMES`).

>>> prefixed("https://w3id.org/conflict-kg/Turkey")
'kg:Turkey'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeAlias

from ..errors import NotAcceptable
from ..formats import GRAPH_FORMATS as GRAPH_FORMATS
from ..formats import QUERY_FORMATS
from ..formats import RESULT_FORMATS as RESULT_FORMATS
from ..namespaces import PREFIXES
from .text import GRAPH_FORMS

if TYPE_CHECKING:
    import pyoxigraph as ox

    #: what running a query gives: solutions, a boolean, or triples
    Result: TypeAlias = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]
    Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

#: every format a query's answers can be written in (result formats, then RDF syntaxes)
FORMATS = QUERY_FORMATS

#: the W3C result formats: name -> pyoxigraph QueryResultsFormat name
_W3C = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}
#: the RDF syntaxes: name -> pyoxigraph RdfFormat name
_RDF = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG",
        "jsonld": "JSON_LD", "rdfxml": "RDF_XML", "n3": "N3"}
_TABLE_CELL = 80

#: result formats of SELECT/ASK over HTTP: media type -> pyoxigraph QueryResultsFormat name
RESULT_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
#: graph formats of CONSTRUCT/DESCRIBE over HTTP: media type -> pyoxigraph RdfFormat name
GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON_LD",
}
#: the short names an HTTP ``format`` parameter may give: name -> media type
FORMAT_NAMES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
    "ntriples": "application/n-triples", "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
#: the Content-Type each pyoxigraph format is answered with
CANONICAL_TYPES = {
    "JSON": "application/sparql-results+json", "XML": "application/sparql-results+xml",
    "CSV": "text/csv; charset=utf-8", "TSV": "text/tab-separated-values; charset=utf-8",
    "TURTLE": "text/turtle; charset=utf-8", "N_TRIPLES": "application/n-triples",
    "RDF_XML": "application/rdf+xml", "JSON_LD": "application/ld+json",
}


@dataclass
class Output:
    """What a query produced, formatted: the bytes to write and how many rows or triples."""

    data: bytes
    form: str
    count: int | None = None
    notes: list[str] = field(default_factory=list)


class Labeller(Protocol):
    """Anything that finds the labels of IRIs (every engine does)."""

    def labels(self, iris: list[ox.NamedNode]) -> dict[str, str]: ...


def format_result(result: Result, form: str, fmt: str, engine: Labeller | None = None) -> Output:
    """Write a pyoxigraph result in a format (see :data:`FORMATS`); tables show ``engine``'s labels.

    >>> import pyoxigraph as ox
    >>> kg = lambda name: ox.NamedNode("https://w3id.org/conflict-kg/" + name)
    >>> store = ox.Store()
    >>> store.add(ox.Quad(kg("Turkey"), kg("backs"), kg("FailaqAlSham")))
    >>> query = "SELECT ?g WHERE { ?p ?b ?g }"
    >>> print(format_result(store.query(query), "SELECT", "table").data.decode(), end="")
    g
    ---------------
    kg:FailaqAlSham
    (1 row)
    >>> format_result(store.query(query), "SELECT", "csv").data
    b'g\\r\\nhttps://w3id.org/conflict-kg/FailaqAlSham\\r\\n'
    """
    import pyoxigraph as ox

    if form in GRAPH_FORMS:
        triples = list(result)  # type: ignore[arg-type]
        rdf_format = getattr(ox.RdfFormat, _RDF[fmt])
        items: list = triples
        if rdf_format.supports_datasets:
            items = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
        prefixes = PREFIXES if fmt in ("turtle", "trig", "n3", "rdfxml", "jsonld") else None
        data = ox.serialize(items, format=rdf_format, prefixes=prefixes)
        return Output(data or b"", form, len(triples))
    if fmt in _W3C:
        data = result.serialize(format=getattr(ox.QueryResultsFormat, _W3C[fmt]))  # type: ignore[union-attr]
        return Output(data or b"", form)
    if form == "ASK":
        answer = "yes" if bool(result) else "no"
        return Output((answer + "\n").encode(), form, 1)
    names = [v.value for v in result.variables]  # type: ignore[union-attr]
    rows = [tuple(row[i] for i in range(len(names))) for row in result]  # type: ignore[union-attr]
    labels = engine.labels(sorted({t for row in rows for t in row if isinstance(t, ox.NamedNode)},
                                  key=str)) if engine else {}
    cells = [[display(t, labels) for t in row] for row in rows]
    text = markdown_table(names, cells) if fmt == "markdown" else text_table(names, cells)
    return Output(text.encode("utf-8"), form, len(rows))


def prefixed(iri: str) -> str:
    """``kg:Turkey`` for ``https://w3id.org/conflict-kg/Turkey``; ``<iri>`` when no prefix fits.

    >>> prefixed("https://w3id.org/conflict-kg/Turkey"), prefixed("http://example.org/x")
    ('kg:Turkey', '<http://example.org/x>')
    """
    best = max(((p, ns) for p, ns in PREFIXES.items() if iri.startswith(ns)),
               key=lambda x: len(x[1]), default=None)
    if best is None or len(iri) == len(best[1]) or any(c in iri[len(best[1]):] for c in " <>\"{}|^`\\#"):
        return f"<{iri}>"
    return f"{best[0]}:{iri[len(best[1]):]}"


def display(term: Term | None, labels: dict[str, str] | None = None) -> str:
    """A term as people read it: a prefixed name and, if it says more, the label; a literal's text.

    >>> import pyoxigraph as ox
    >>> iri = "https://w3id.org/conflict-kg/RecepTayyipErdogan"
    >>> display(ox.NamedNode(iri), {iri: "Recep Tayyip Erdoğan"})
    'kg:RecepTayyipErdogan (Recep Tayyip Erdoğan)'
    >>> display(ox.Literal("two\\n lines"))
    'two lines'
    """
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        name = prefixed(term.value)
        label = (labels or {}).get(term.value)
        if label and _squash(label) != _squash(name.split(":", 1)[-1]):
            return f"{name} ({label})"
        return name
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return " ".join(term.value.split())
    return str(term)


def _squash(text: str) -> str:
    """Letters and digits only, lower case: a label that squashes to the IRI's local name adds nothing."""
    return "".join(c for c in text if c.isalnum()).lower()


def text_table(names: list[str], rows: list[list[str]]) -> str:
    """A plain-text table with aligned columns; long cells are cut with an ellipsis.

    >>> print(text_table(["a", "bb"], [["x", "y"]]), end="")
    a  bb
    -  --
    x  y
    (1 row)
    """
    cut = [[c if len(c) <= _TABLE_CELL else c[:_TABLE_CELL - 1] + "…" for c in row] for row in rows]
    widths = [max([len(n)] + [len(r[i]) for r in cut]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(names), line(["-" * w for w in widths])]
    out += [line(r) for r in cut]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def markdown_table(names: list[str], rows: list[list[str]]) -> str:
    """A GitHub-flavoured Markdown table (pipes escaped).

    >>> print(markdown_table(["a"], [["x|y"]]), end="")
    | a |
    | --- |
    | x\\|y |
    """
    def esc(cell: str) -> str:
        return cell.replace("\\", "\\\\").replace("|", "\\|")

    out = ["| " + " | ".join(names) + " |", "|" + "|".join(" --- " for _ in names) + "|"]
    out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def negotiate(accept: str | None, form: str, fmt: str | None = None) -> tuple[str, str]:
    """(pyoxigraph format name, Content-Type) for a client's Accept header and a query form.

    ``fmt`` (a name of :data:`FORMAT_NAMES`, or a media type) wins over ``accept``;
    :class:`~kg.errors.NotAcceptable` when nothing fits.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "SELECT")
    ('XML', 'application/sparql-results+xml')
    >>> negotiate("*/*", "CONSTRUCT")
    ('TURTLE', 'text/turtle; charset=utf-8')
    >>> negotiate(None, "ASK", "csv")
    ('CSV', 'text/csv; charset=utf-8')
    >>> negotiate("image/png", "SELECT")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.NotAcceptable: none of the types in Accept: image/png can carry a SELECT query's results; ...
    """
    graph = form in GRAPH_FORMS
    table = GRAPH_TYPES if graph else RESULT_TYPES
    default = "TURTLE" if graph else "JSON"
    if fmt:
        media = FORMAT_NAMES.get(fmt, fmt)
        if media not in table:
            raise NotAcceptable(f"format {fmt!r} does not fit a {form} query; choose one of "
                                f"{', '.join(k for k, v in FORMAT_NAMES.items() if v in table)}")
        return table[media], CANONICAL_TYPES[table[media]]
    if not accept:
        return default, CANONICAL_TYPES[default]
    ranges = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((-q, i, media.lower()))
    for _, _, media in sorted(ranges):
        if media in table:
            return table[media], CANONICAL_TYPES[table[media]]
        if media == "*/*":
            return default, CANONICAL_TYPES[default]
        if media.endswith("/*"):
            for candidate, name in table.items():
                if candidate.startswith(media[:-1]):
                    return name, CANONICAL_TYPES[name]
    raise NotAcceptable(f"none of the types in Accept: {accept} can carry a {form} query's results; "
                        f"the types offered are {', '.join(table)}")
