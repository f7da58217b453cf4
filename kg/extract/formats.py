"""The extractor's findings as people and tools read them: TSV, JSON and Turtle (``kg extract``)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from .. import namespaces as ns
from ..graph.iris import actor_iri, article_iri, evidence_iri, statement_iri
from ..inputs.catalogue import Catalogue
from .newactors import is_proposed

if TYPE_CHECKING:  # kg.extract re-exports these writers, so they name its Extraction without importing it
    from . import Extraction


TSV_COLUMNS = ("subject", "subject_mention", "relation", "object", "object_mention", "confidence", "quote")
ACTOR_COLUMNS = ("label", "mention", "class", "confidence")


def _cell(text) -> str:
    return " ".join(str(text if text is not None else "").split())


def facts_tsv(extractions: list[Extraction]) -> str:
    """One fact per line: subject, subject_mention, relation, object, object_mention, confidence, quote."""
    lines = ["\t".join(TSV_COLUMNS)]
    for ex in extractions:
        for f in ex.facts:
            lines.append("\t".join(_cell(x) for x in (f.subject.label, f.subject_mention, f.relation,
                                                        f.object.label, f.object_mention,
                                                        f"{f.confidence:.2f}", f.quote)))
    return "\n".join(lines) + "\n"


def actors_tsv(extractions: list[Extraction]) -> str:
    """One proposed actor per line: label, mention, class, confidence."""
    lines = ["\t".join(ACTOR_COLUMNS)]
    for ex in extractions:
        for a in ex.new_actors:
            lines.append("\t".join(_cell(x) for x in (a.label, "; ".join(a.mentions), a.cls,
                                                        f"{a.confidence:.2f}")))
    return "\n".join(lines) + "\n"


def as_json(extractions: list[Extraction], *, actors: bool = False) -> list[dict]:
    """Plain data for ``--format json``."""
    out: list[dict] = []
    for ex in extractions:
        if actors:
            out.extend({"article": ex.article, "label": a.label, "mentions": a.mentions, "class": a.cls,
                        "confidence": a.confidence, "rule": a.rule, "similar": a.similar}
                       for a in ex.new_actors)
        else:
            out.extend({"article": ex.article, "subject": f.subject.label, "subject_id": f.subject.id,
                        "subject_mention": f.subject_mention, "relation": f.relation,
                        "object": f.object.label, "object_id": f.object.id,
                        "object_mention": f.object_mention, "confidence": f.confidence,
                        "quote": f.quote, "said_by": f.said_by, "pattern": (f.note or "")[9:],
                        "new_actor": is_proposed(f.subject) or is_proposed(f.object)}
                       for f in ex.facts)
    return out


def facts_turtle(extractions: list[Extraction], catalogue: Catalogue) -> str:
    """The extracted facts as Turtle: the triples, and a kg:Statement with the evidence for each
    (the IRIs the build would give them)."""
    from rdflib import Graph, Literal
    from rdflib.namespace import RDF, RDFS, XSD

    KG = ns.KG
    g = Graph()
    ns.bind_prefixes(g)
    for ex in extractions:
        for f in ex.facts:
            s, p, o = f.edge
            g.add((actor_iri(s), KG[p], actor_iri(o)))
            st = statement_iri(f.edge)
            g.add((st, RDF.type, KG.Statement))
            g.add((st, RDF.subject, actor_iri(s)))
            g.add((st, RDF.predicate, KG[p]))
            g.add((st, RDF.object, actor_iri(o)))
            e = evidence_iri(f)
            g.add((st, KG.evidence, e))
            g.add((e, RDF.type, KG.Evidence))
            g.add((e, KG.quote, Literal(f.quote, lang="en")))
            g.add((e, KG.fromArticle, article_iri(f.article)))
            g.add((e, KG.method, Literal("extracted")))
            g.add((e, KG.confidence, Literal(Decimal(str(f.confidence)), datatype=XSD.decimal)))
            for actor in (f.subject, f.object):
                if is_proposed(actor):
                    g.add((actor_iri(actor.id), RDF.type, KG[actor.cls]))
                    g.add((actor_iri(actor.id), RDFS.label, Literal(actor.label, lang="en")))
                    g.add((actor_iri(actor.id), RDFS.comment, Literal("proposed by the extractor, not in the "
                                                                      "catalogue", lang="en")))
    return g.serialize(format="turtle")
