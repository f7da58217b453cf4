"""Query parameters: ``NAME=VALUE`` pairs parsed into RDF terms, checked against what a query declares.

A value is an actor's (or source's) label or alias, a prefixed name (``kg:Turkey``),
an ``<IRI>``, a quoted literal (``"text"@en``, ``"1"^^xsd:int``) or a number. It is
parsed into a pyoxigraph term, which :func:`kg.sparql.text.bind` writes into a
``VALUES`` block in its escaped form: a value is never pasted into the query as
text, so ``"} ; DROP ALL`` is only ever a string.

>>> parse_params(["patron=Turkey"])
{'patron': 'Turkey'}
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from ..errors import UsageError
from ..inputs.catalogue import Actor, Catalogue
from ..namespaces import PREFIXES
from .library import Query
from .text import VARNAME, query_variables

if TYPE_CHECKING:
    import pyoxigraph as ox

_LITERAL = re.compile(r'^"(?P<v>(?:[^"\\]|\\.)*)"(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(?P<dt>\S+))?$', re.S)
_PREFIXED = re.compile(r"^(?P<p>[A-Za-z][\w\-.]*)?:(?P<l>\S*)$")
_XSD = PREFIXES["xsd"]


def parse_term(value: str, *, where: str | None = None) -> ox.NamedNode | ox.Literal | None:
    """An IRI in ``<...>``, a prefixed name, a quoted literal (``"x"@en``, ``"1"^^xsd:int``) or a
    number, as a pyoxigraph term; None when ``value`` is none of these (a name, say).

    ``where`` (``"parameter 'patron'"``, say) starts the message of an error.

    >>> parse_term("kg:Turkey")
    <NamedNode value=https://w3id.org/conflict-kg/Turkey>
    >>> parse_term('"Ankara"@en'), parse_term("42")
    (<Literal value=Ankara language=en>, <Literal value=42 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>)
    >>> parse_term("Turkey") is None
    True
    >>> parse_term("<http://x> } DROP ALL { <http://y>", where="parameter 'p'")
    Traceback (most recent call last):
    kg.errors.UsageError: parameter 'p': '<http://x> } DROP ALL { <http://y>' is not a valid RDF term: ...
    """
    import pyoxigraph as ox

    prefix = f"{where}: " if where else ""
    value = value.strip()
    try:
        if value.startswith("<") and value.endswith(">"):
            return ox.NamedNode(value[1:-1])
        match = _LITERAL.match(value)
        if match:
            text = re.sub(r'\\(.)', r'\1', match["v"], flags=re.S)
            if match["lang"]:
                return ox.Literal(text, language=match["lang"])
            if match["dt"]:
                dt = parse_term(match["dt"], where=where)
                if not isinstance(dt, ox.NamedNode):
                    raise UsageError(f"{prefix}datatype {match['dt']!r} is not an IRI")
                return ox.Literal(text, datatype=dt)
            return ox.Literal(text)
        if re.fullmatch(r"[+-]?\d+", value):
            return ox.Literal(value, datatype=ox.NamedNode(_XSD + "integer"))
        if re.fullmatch(r"[+-]?\d*\.\d+", value):
            return ox.Literal(value, datatype=ox.NamedNode(_XSD + "decimal"))
        if value in ("true", "false"):
            return ox.Literal(value, datatype=ox.NamedNode(_XSD + "boolean"))
        match = _PREFIXED.match(value)
        if match and (match["p"] or "") in PREFIXES:
            return ox.NamedNode(PREFIXES[match["p"] or ""] + match["l"])
    except ValueError as exc:
        raise UsageError(f"{prefix}{value!r} is not a valid RDF term: {exc}") from None
    return None


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``["patron=Turkey", ...]`` -> ``{"patron": "Turkey"}``; a leading ``?`` or ``$`` is dropped.

    >>> parse_params(["?a=Russia", "b=Failaq al-Sham"])
    {'a': 'Russia', 'b': 'Failaq al-Sham'}
    >>> parse_params(["patron"])
    Traceback (most recent call last):
    kg.errors.UsageError: parameter 'patron': write NAME=VALUE, e.g. patron=Turkey
    """
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not VARNAME.match(name):
            raise UsageError(f"parameter {pair!r}: write NAME=VALUE, e.g. patron=Turkey")
        if name in params:
            raise UsageError(f"parameter {name!r} is given twice")
        params[name] = value
    return params


class NameResolver(Protocol):
    """Anything that turns an actor's or source's name into its IRI (every engine does)."""

    def resolve_name(self, name: str, kind: str, where: str) -> ox.NamedNode: ...


def bind_params(query: Query, params: dict[str, str],
                engine: NameResolver) -> dict[str, ox.NamedNode | ox.Literal]:
    """Each parameter's value parsed into an RDF term, checked against what the query declares.

    Names are resolved by ``engine`` against the data being queried.

    >>> bind_params(Query("SELECT ?n WHERE {}"), {"n": "42"}, engine=None)
    {'n': <Literal value=42 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>}
    >>> bind_params(Query("SELECT ?n WHERE {}"), {"m": "42"}, engine=None)
    Traceback (most recent call last):
    kg.errors.UsageError: parameter 'm': the query has no variable ?m
    """
    import pyoxigraph as ox

    declared = {p.name: p for p in query.params}
    if query.declared:
        for name in params:
            if name not in declared:
                known = ", ".join(declared) or "none"
                raise UsageError(f"query {query.name!r} has no parameter {name!r} (its parameters: {known})")
        missing = [p.name for p in query.params if not p.optional and p.name not in params]
        if missing:
            shown = ", ".join(f"?{m}" for m in missing)
            raise UsageError(f"query {query.name!r} needs a value for {shown} "
                             f"({'; '.join(f'{m}: {declared[m].description}' for m in missing)})")
    else:
        used = query_variables(query.text)
        for name in params:
            if name not in used:
                raise UsageError(f"parameter {name!r}: the query has no variable ?{name}")
    bound: dict[str, ox.NamedNode | ox.Literal] = {}
    for name, value in params.items():
        kind = declared[name].kind if name in declared else "term"
        where = f"parameter {name!r}"
        if kind == "text":
            bound[name] = ox.Literal(value)
        elif kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", value.strip()):
                raise UsageError(f"{where}: {value!r} is not an integer")
            bound[name] = ox.Literal(value.strip(), datatype=ox.NamedNode(_XSD + "integer"))
        else:
            term = parse_term(value, where=where)
            if term is None:
                term = engine.resolve_name(value, "source" if kind == "source" else "actor", where)
            bound[name] = term
    return bound


class NameIndex:
    """Actor (or source) names -> IRIs, built from the labels in the data being queried.

    The index is a :class:`kg.catalogue.Catalogue` whose entries carry the IRI as
    their id, so names match the way the build matches them: case and diacritics
    do not matter, and every alias counts.

    >>> kg = "https://w3id.org/conflict-kg/"
    >>> index = NameIndex([(kg + "Turkey", "Turkey", None), (kg + "Turkey", None, "Ankara")], "actor")
    >>> index.resolve("ankara", "parameter 'patron'")
    <NamedNode value=https://w3id.org/conflict-kg/Turkey>
    >>> index.resolve("Turky", "parameter 'patron'")
    Traceback (most recent call last):
    kg.errors.UsageError: parameter 'patron': unknown actor 'Turky'; did you mean Turkey?
    """

    #: the query that lists the names of each kind: rows of (IRI, label, alias)
    QUERIES = {
        "actor": """SELECT ?x ?label ?alt WHERE {
            ?x a kg:Actor .
            { ?x skos:prefLabel ?label } UNION { ?x rdfs:label ?label } UNION { ?x skos:altLabel ?alt } }""",
        "source": "SELECT ?x ?label ?alt WHERE { ?x a kg:Source ; rdfs:label ?label }",
    }

    def __init__(self, rows: Iterable[tuple[str, str | None, str | None]], kind: str):
        labels: dict[str, str] = {}
        aliases: dict[str, list[str]] = {}
        for iri, label, alt in rows:
            if label is not None:
                labels.setdefault(iri, label)
            if alt is not None:
                aliases.setdefault(iri, []).append(alt)
        actors = {}
        for iri in sorted(set(labels) | set(aliases)):
            label = labels.get(iri) or aliases[iri][0]
            actors[iri] = Actor(label, iri, kind, tuple(a for a in aliases.get(iri, ()) if a != label))
        self.kind = kind
        self.catalogue = Catalogue(actors, {})

    def resolve(self, name: str, where: str) -> ox.NamedNode:
        """The IRI of the actor (or source) called ``name``; an error suggesting names otherwise."""
        import pyoxigraph as ox

        actor = self.catalogue.resolve(name)
        if actor is not None:
            return ox.NamedNode(actor.id)
        close = self.catalogue.suggest(name)
        hint = f"; did you mean {', '.join(close)}?" if close else \
            " (give an IRI as <...>, a prefixed name like kg:Turkey, or a literal in quotes)"
        raise UsageError(f"{where}: unknown {self.kind} {name!r}{hint}")
