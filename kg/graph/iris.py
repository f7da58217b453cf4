"""Every IRI kg mints, in one place: actors, articles, sources, statements, evidence.

IRIs are minted from catalogue ids and article file stems, so they do not change when
facts are added; an evidence IRI is a digest of what the evidence says, so the same
quote for the same edge is the same node in every build.

>>> str(actor_iri("Turkey")), str(statement_iri(("Turkey", "backs", "FailaqAlSham")))
('https://w3id.org/conflict-kg/Turkey', 'https://w3id.org/conflict-kg/statement/Turkey.backs.FailaqAlSham')
>>> edge_of_statement("https://w3id.org/conflict-kg/statement/Turkey.backs.FailaqAlSham")
('Turkey', 'backs', 'FailaqAlSham')
"""

from __future__ import annotations

import functools
import hashlib

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .. import namespaces as ns
from ..dates import PartialDate
from ..inputs.facts import Fact
from ..vocabulary import RELATIONS

KG = ns.KG


@functools.lru_cache(maxsize=1 << 16)   # (terms are immutable; the same ones recur)
def actor_iri(actor_id: str) -> URIRef:
    return KG[actor_id]


@functools.lru_cache(maxsize=1 << 16)
def article_iri(article_id: str) -> URIRef:
    return KG[f"article/{article_id}"]


@functools.lru_cache(maxsize=1 << 16)
def source_iri(source_id: str) -> URIRef:
    return KG[f"source/{source_id}"]


def statement_iri(edge: tuple[str, str, str]) -> URIRef:
    """``kg:statement/Turkey.backs.FailaqAlSham``"""
    return KG["statement/" + ".".join(edge)]


def evidence_iri(fact: Fact) -> URIRef:
    key = "\x1f".join([fact.article, fact.quote, *fact.edge, fact.method])
    return KG["evidence/" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]]


@functools.lru_cache(maxsize=1 << 16)
def date_literal(date: PartialDate) -> Literal:
    """A date as xsd:date, xsd:gYearMonth or xsd:gYear, by its precision."""
    return typed_date(str(date), date.xsd_type)


@functools.lru_cache(maxsize=1 << 16)
def typed_date(text: str, xsd_type: str) -> Literal:
    """:func:`date_literal` of a date written ``text`` whose precision is ``xsd_type`` (``date``, ``gYearMonth``,
    ``gYear``): how a date kept as plain values becomes a literal again."""
    return Literal(text, datatype=XSD[xsd_type])


@functools.lru_cache(maxsize=1 << 16)
def edge_of_statement(iri: str) -> tuple[str, str, str] | None:
    """The edge a statement IRI names (``kg:statement/Turkey.backs.FailaqAlSham``), or None.

    Actor ids may hold dots, so the relation is found by name rather than by position.
    """
    text = str(iri)
    prefix = ns.KG_IRI + "statement/"
    if not text.startswith(prefix):
        return None
    parts = text[len(prefix):].split(".")
    for i, part in enumerate(parts):
        if part in RELATIONS and 0 < i < len(parts) - 1:
            return ".".join(parts[:i]), part, ".".join(parts[i + 1:])
    return None
