"""Facts -> RDF: the knowledge graph as an rdflib Dataset with provenance.

The dataset has five named graphs (``kg:graph/<name>``):

- ``ontology``   the OWL ontology (``ontology/kg.ttl``);
- ``actors``     the catalogue: class, labels, aliases, Wikidata ids; and the sources;
- ``facts``      one triple per relation (``kg:Turkey kg:backs kg:FailaqAlSham``);
- ``inferred``   what the ontology entails from them: inverses (``kg:backedBy``),
                 symmetric and transitive closure, superclasses, and ``kg:ProxyGroup``;
- ``provenance`` the articles, and for each relation a ``kg:Statement``
                 (an ``rdf:Statement``) whose ``kg:evidence`` nodes carry the quote,
                 article, date, who asserts it, method and confidence.

From any edge, one query reaches its evidence::

    SELECT ?quote ?article ?date WHERE {
      ?st rdf:subject kg:Turkey ; rdf:predicate kg:backs ; rdf:object kg:FailaqAlSham ;
          kg:evidence ?e .
      ?e kg:quote ?quote ; kg:fromArticle ?article .
      OPTIONAL { ?e kg:date ?date }
    }

IRIs are minted from catalogue ids, so they do not change when facts are added.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from operator import itemgetter
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .. import namespaces as ns
from ..inputs.corpus import Corpus
from ..inputs.facts import Fact
from .inference import add_inferred
from .iris import actor_iri, article_iri, date_literal, evidence_iri, source_iri, statement_iri
from .quads import canonical, quad_lines_of, rdflib_quads

KG = ns.KG
SCHEMA = ns.SCHEMA
WD = ns.WD


Triples = list[tuple[Any, Any, Any]]


@dataclass
class GraphParts:
    """The knowledge graph in the parts the build makes, checks and writes it in.

    ``core`` is an rdflib Dataset of what grows with actors and relations: the ontology,
    the actors, the facts, what inference adds, and in ``kg:graph/provenance`` the
    statements (with their ``kg:evidence`` links). ``articles`` holds, per article id, the
    provenance triples that grow with the articles: the article's node and every piece of
    evidence quoted from it; ``orphans`` the evidence from no article of the corpus (which
    validation reports). :meth:`lines` is the whole dataset as N-Quads lines, made without
    putting the articles' triples into rdflib (:func:`build_dataset` puts them there).
    """

    core: Dataset
    articles: dict[str, Triples] = field(default_factory=dict)
    orphans: Triples = field(default_factory=list)
    evidence: set[URIRef] = field(default_factory=set)

    @cached_property
    def article_lines(self) -> dict[str, list[str]]:
        """Per article id, its part as sorted N-Quads lines in ``kg:graph/provenance``."""
        graph = str(ns.GRAPH_PROVENANCE)
        return {a: quad_lines_of(triples, graph) for a, triples in self.articles.items()}

    def lines(self) -> list[str]:
        """Every quad of the dataset, as sorted N-Quads lines (without their newlines)."""
        return [line for _, line in self.quads()]

    def quads(self) -> list[tuple[str, str]]:
        """:meth:`lines` with the graph of each line: (graph IRI, line)."""
        provenance = str(ns.GRAPH_PROVENANCE)
        quads = {line: graph for graph, line in rdflib_quads(self.core)}
        theirs = [line for part in self.article_lines.values() for line in part]
        theirs += quad_lines_of(self.orphans, provenance)
        quads.update((line, provenance) for line in theirs)
        return sorted(((graph, line) for line, graph in quads.items()), key=itemgetter(1))


@functools.lru_cache(maxsize=1 << 12)
def _decimal(value: float) -> Literal:
    return Literal(Decimal(str(round(value, 3))), datatype=XSD.decimal)


def load_ontology(corpus: Corpus) -> Graph:
    """The ontology, with its blank nodes given canonical labels so that outputs are deterministic."""
    return canonical(Graph().parse(corpus.ontology_path, format="turtle"))


def build_dataset(corpus: Corpus, facts: Iterable[Fact] | None = None) -> Dataset:
    """The knowledge graph of a corpus, with provenance, as an rdflib Dataset.

    ``facts`` defaults to the corpus's curated facts; the extractor passes
    curated and extracted facts together. Where an edge has a curated fact, the
    statement's method is ``curated`` whatever else was extracted for it; every
    fact stating the edge is still one piece of its evidence, with its own method,
    confidence, quote, article and date.
    """
    return merged(build_parts(corpus, facts))


def merged(parts: GraphParts) -> Dataset:
    """The parts' core with every article's part added to its provenance: the whole graph in rdflib
    (the core is changed, and returned)."""
    prov = parts.core.graph(ns.GRAPH_PROVENANCE)
    for triples in [*parts.articles.values(), parts.orphans]:
        for triple in triples:
            prov.add(triple)
    return parts.core


def build_parts(corpus: Corpus, facts: Iterable[Fact] | None = None) -> GraphParts:
    """The knowledge graph of a corpus (as :func:`build_dataset` makes it) in its :class:`GraphParts`."""
    facts = list(corpus.facts if facts is None else facts)
    ds = Dataset()
    ns.bind_prefixes(ds)
    ontology = load_ontology(corpus)
    g_ont = ds.graph(ns.GRAPH_ONTOLOGY)
    for triple in ontology:
        g_ont.add(triple)
    _add_actors(ds.graph(ns.GRAPH_ACTORS), corpus)
    g_facts = ds.graph(ns.GRAPH_FACTS)
    parts = GraphParts(ds, {article_id: [] for article_id in corpus.articles})
    _add_articles(parts.articles, corpus)

    def part_of(article_id: str) -> Triples:
        return parts.articles.get(article_id, parts.orphans)

    _add_facts(g_facts, ds.graph(ns.GRAPH_PROVENANCE), part_of, corpus, facts, parts.evidence)
    add_inferred(ds.graph(ns.GRAPH_INFERRED), ontology, ds.graph(ns.GRAPH_ACTORS), g_facts)
    return parts


def knowledge_graph(ds: Dataset) -> Graph:
    """The union of every named graph but the ontology: what ``build/graph.ttl`` holds
    (the analysis graph is empty until the build's analysis stage has run)."""
    graph = Graph()
    ns.bind_prefixes(graph)
    for name in (ns.GRAPH_ACTORS, ns.GRAPH_FACTS, ns.GRAPH_INFERRED, ns.GRAPH_PROVENANCE,
                 ns.GRAPH_ANALYSIS):
        for triple in ds.graph(name):
            graph.add(triple)
    return graph


def _add_actors(g: Graph, corpus: Corpus) -> None:
    for actor in corpus.catalogue.actors.values():
        a = actor_iri(actor.id)
        g.add((a, RDF.type, KG[actor.cls]))
        g.add((a, SKOS.prefLabel, Literal(actor.label, lang="en")))
        g.add((a, RDFS.label, Literal(actor.label, lang="en")))
        for alias in actor.aliases:
            g.add((a, SKOS.altLabel, Literal(alias, lang="en")))
        for adjective in actor.adjectives:
            g.add((a, KG.adjective, Literal(adjective, lang="en")))
        if actor.wikidata:
            g.add((a, KG.wikidata, Literal(actor.wikidata)))
            g.add((a, SKOS.exactMatch, WD[actor.wikidata]))
        if actor.description:
            g.add((a, SKOS.definition, Literal(actor.description, lang="en")))
    for source in corpus.catalogue.sources.values():
        s = source_iri(source.id)
        g.add((s, RDF.type, KG.Source))
        g.add((s, RDF.type, PROV.Agent))
        g.add((s, RDF.type, SCHEMA.Person if source.kind == "Person" else SCHEMA.Organization))
        g.add((s, RDFS.label, Literal(source.label, lang="en")))
        g.add((s, KG.sourceKind, Literal(source.kind)))
        if source.role:
            g.add((s, KG.role, Literal(source.role, lang="en")))
        if source.affiliation:
            affiliation = corpus.catalogue.sources[source.affiliation]
            g.add((s, KG.affiliation, source_iri(affiliation.id)))


def _add_articles(parts: dict[str, Triples], corpus: Corpus) -> None:
    for article in corpus.articles.values():
        a = article_iri(article.id)
        g = parts[article.id]
        g.append((a, RDF.type, KG.Article))
        g.append((a, RDF.type, SCHEMA.NewsArticle))
        g.append((a, DCTERMS.identifier, Literal(article.id)))
        g.append((a, KG.file, Literal(f"seeds/{article.path.name}")))
        g.append((a, KG.sha256, Literal(article.sha256)))
        if article.title:
            g.append((a, DCTERMS.title, Literal(article.title, lang="en")))
        if article.date:
            g.append((a, DCTERMS.issued, date_literal(article.date)))
            g.append((a, KG.dateBasis, Literal(article.date_basis or "header")))
        publisher = corpus.catalogue.resolve_source(article.publisher) if article.publisher else None
        if publisher:
            g.append((a, DCTERMS.publisher, source_iri(publisher.id)))
            if article.publisher_basis:
                g.append((a, KG.publisherBasis, Literal(article.publisher_basis, lang="en")))


def _asserter(fact: Fact, corpus: Corpus) -> URIRef:
    catalogue = corpus.catalogue
    if fact.said_by:
        actor = catalogue.resolve(fact.said_by)
        if actor is not None:
            return actor_iri(actor.id)
        source = catalogue.resolve_source(fact.said_by)
        if source is not None:
            return source_iri(source.id)
    article = corpus.articles.get(fact.article)
    if article and article.publisher:
        source = catalogue.resolve_source(article.publisher)
        if source is not None:
            return source_iri(source.id)
    return article_iri(fact.article)


def _add_facts(g_facts: Graph, g_prov: Graph, part_of: Callable[[str], Triples], corpus: Corpus,
               facts: list[Fact], evidence_nodes: set[URIRef]) -> None:
    # (the terms named once: a namespace makes a new term at every attribute read)
    TYPE, SUBJECT, PREDICATE, OBJECT, COMMENT = RDF.type, RDF.subject, RDF.predicate, RDF.object, RDFS.comment
    STATEMENT, EVIDENCE, METHOD, CONFIDENCE = KG.Statement, KG.Evidence, KG.method, KG.confidence
    QUOTE, FROM, ASSERTED, DATE, CURATED_IN = KG.quote, KG.fromArticle, KG.assertedBy, KG.date, KG.curatedIn
    methods = {name: Literal(name) for name in ("curated", "extracted")}
    by_edge: dict[tuple[str, str, str], list[Fact]] = defaultdict(list)
    for fact in facts:
        by_edge[fact.edge].append(fact)
    for edge, edge_facts in by_edge.items():
        s, p, o = edge
        g_facts.add((actor_iri(s), KG[p], actor_iri(o)))
        st = statement_iri(edge)
        g_prov.add((st, TYPE, STATEMENT))
        g_prov.add((st, SUBJECT, actor_iri(s)))
        g_prov.add((st, PREDICATE, KG[p]))
        g_prov.add((st, OBJECT, actor_iri(o)))
        curated = any(f.method == "curated" for f in edge_facts)
        g_prov.add((st, METHOD, methods["curated" if curated else "extracted"]))
        g_prov.add((st, CONFIDENCE, _decimal(max(f.confidence for f in edge_facts))))
        evidence = {evidence_iri(f): f for f in edge_facts}
        g_prov.add((st, KG.evidenceCount, Literal(len(evidence))))
        for e, fact in evidence.items():
            g_prov.add((st, KG.evidence, e))
            evidence_nodes.add(e)
            part = part_of(fact.article)
            part.append((e, TYPE, EVIDENCE))
            part.append((e, QUOTE, Literal(fact.quote, lang="en")))
            part.append((e, FROM, article_iri(fact.article)))
            part.append((e, METHOD, methods.get(fact.method) or Literal(fact.method)))
            part.append((e, CONFIDENCE, _decimal(fact.confidence)))
            part.append((e, ASSERTED, _asserter(fact, corpus)))
            if fact.date:
                part.append((e, DATE, date_literal(fact.date)))
            if fact.note:
                part.append((e, COMMENT, Literal(fact.note, lang="en")))
            if fact.method == "curated" and fact.path:
                part.append((e, CURATED_IN, Literal(f"{fact.path}:{fact.line}")))
