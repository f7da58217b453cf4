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
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .. import namespaces as ns
from ..inputs.corpus import Corpus
from ..inputs.facts import Fact
from ..memo import Memo
from .inference import add_inferred
from .iris import actor_iri, article_iri, evidence_iri, source_iri, statement_iri, typed_date
from .quads import Filling, canonical, quad_lines_of, rdflib_quads, to_rdflib

KG = ns.KG
SCHEMA = ns.SCHEMA
WD = ns.WD


Triples = list[tuple[Any, Any, Any]]


@dataclass
class GraphParts:
    """The knowledge graph in the parts the build makes, checks and writes it in.

    ``core`` is an rdflib Dataset of what grows with actors and relations: the ontology,
    the actors, the facts, what inference adds, and in ``kg:graph/provenance`` the
    statements (with their ``kg:evidence`` links). ``article_lines`` holds, per article id,
    the provenance that grows with the articles, as sorted N-Quads lines: the article's node
    and every piece of evidence quoted from it (each article's lines a pure function of the
    article and its facts, remembered across builds: :func:`parts_memo`); ``orphans`` the
    evidence from no article of the corpus (which validation reports). :meth:`lines` is the
    whole dataset as N-Quads lines, made without putting the articles' triples into rdflib
    (:func:`build_dataset` puts them there).
    """

    core: Dataset
    article_lines: dict[str, list[str]] = field(default_factory=dict)
    orphans: Triples = field(default_factory=list)
    evidence: set[URIRef] = field(default_factory=set)

    @cached_property
    def articles(self) -> dict[str, Triples]:
        """Per article id, its part as rdflib triples (parsed from its lines, for a reader who wants rdflib)."""
        return {a: list(to_rdflib(lines, dataset=False)) for a, lines in self.article_lines.items()}

    def lines(self) -> list[str]:
        """Every quad of the dataset, as sorted N-Quads lines (without their newlines)."""
        return [line for _, line in self.quads()]

    def quads(self) -> list[tuple[str, str]]:
        """:meth:`lines` with the graph of each line: (graph IRI, line)."""
        provenance = str(ns.GRAPH_PROVENANCE)
        quads = {line: graph for graph, line in self.core_quads}
        quads.update((line, provenance) for part in self.article_lines.values() for line in part)
        return sorted(((graph, line) for line, graph in quads.items()), key=itemgetter(1))

    def quads_and_store(self) -> tuple[list[tuple[str, str]], Any]:
        """:meth:`quads`, and an in-memory Oxigraph store holding them: the articles' lines are loaded in a
        thread while the lines are sorted (:class:`kg.graph.quads.Filling`)."""
        filling = Filling(line for part in self.article_lines.values() for line in part)
        quads = self.quads()
        return quads, filling.store(line for _, line in self.core_quads)

    @cached_property
    def core_quads(self) -> list[tuple[str, str]]:
        """(graph IRI, line) of every quad but the articles' parts: the core, and the evidence from no
        article (made once: the parts are made, then read)."""
        provenance = str(ns.GRAPH_PROVENANCE)
        return [*rdflib_quads(self.core), *((provenance, line) for line in quad_lines_of(self.orphans, provenance))]


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


def build_parts(corpus: Corpus, facts: Iterable[Fact] | None = None, *, memo: Memo | None = None) -> GraphParts:
    """The knowledge graph of a corpus (as :func:`build_dataset` makes it) in its :class:`GraphParts`;
    each article's lines read from ``memo`` (:func:`parts_memo`) when made before from the same inputs."""
    facts = list(corpus.facts if facts is None else facts)
    ds = Dataset()
    ns.bind_prefixes(ds)
    ontology = load_ontology(corpus)
    g_ont = ds.graph(ns.GRAPH_ONTOLOGY)
    for triple in ontology:
        g_ont.add(triple)
    _add_actors(ds.graph(ns.GRAPH_ACTORS), corpus)
    g_facts = ds.graph(ns.GRAPH_FACTS)
    parts = GraphParts(ds)
    records = {article_id: _article_record(article, corpus) for article_id, article in corpus.articles.items()}
    evidence: dict[str, list[list]] = {article_id: [] for article_id in corpus.articles}
    stray: list[list] = []
    _add_facts(g_facts, ds.graph(ns.GRAPH_PROVENANCE), lambda a: evidence.get(a, stray), corpus, facts,
               parts.evidence)
    add_inferred(ds.graph(ns.GRAPH_INFERRED), ontology, ds.graph(ns.GRAPH_ACTORS), g_facts)
    memo = memo if memo is not None else Memo(None, code=())
    for article_id, record in records.items():
        inputs = {"article": record, "evidence": sorted(evidence[article_id], key=lambda r: r[0])}
        parts.article_lines[article_id] = memo(inputs, functools.partial(_part_lines, inputs))
    parts.orphans = [t for e in stray for t in _evidence_triples(e)]
    memo.prune(keep=2 * len(records) + 100)
    return parts


def parts_memo(folder: Path | None) -> Memo:
    """The article parts' lines remembered in ``folder`` (``build/cache/parts/``), keyed by what each part
    is made of and by the code that writes it (this module, the IRIs, the lines; rdflib's and Oxigraph's
    versions, which spell the terms)."""
    here = Path(__file__).parent
    return Memo(folder, code=[here / "build.py", here / "iris.py", here / "quads.py"],
                libraries=["rdflib", "pyoxigraph"])


def _part_lines(inputs: dict) -> list[str]:
    """An article's part as sorted N-Quads lines, from its record and the records of its evidence."""
    triples = _article_triples(inputs["article"])
    for record in inputs["evidence"]:
        triples += _evidence_triples(record)
    return quad_lines_of(triples, str(ns.GRAPH_PROVENANCE))


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


def _article_record(article, corpus: Corpus) -> list:
    """What an article's node is made of, as plain values (:func:`_article_triples` makes the node)."""
    publisher = corpus.catalogue.resolve_source(article.publisher) if article.publisher else None
    return [article.id, f"seeds/{article.path.name}", article.sha256, article.title,
            [str(article.date), article.date.xsd_type] if article.date else None,
            article.date_basis or "header", publisher.id if publisher else None, article.publisher_basis]


def _article_triples(record: list) -> Triples:
    article_id, file, sha256, title, date, date_basis, publisher, publisher_basis = record
    a = article_iri(article_id)
    g = [(a, RDF.type, KG.Article), (a, RDF.type, SCHEMA.NewsArticle), (a, DCTERMS.identifier, Literal(article_id)),
         (a, KG.file, Literal(file)), (a, KG.sha256, Literal(sha256))]
    if title:
        g.append((a, DCTERMS.title, Literal(title, lang="en")))
    if date:
        g.append((a, DCTERMS.issued, typed_date(*date)))
        g.append((a, KG.dateBasis, Literal(date_basis)))
    if publisher:
        g.append((a, DCTERMS.publisher, source_iri(publisher)))
        if publisher_basis:
            g.append((a, KG.publisherBasis, Literal(publisher_basis, lang="en")))
    return g


def _evidence_record(e: URIRef, fact: Fact, corpus: Corpus) -> list:
    """What a piece of evidence is made of, as plain values (:func:`_evidence_triples` makes its triples)."""
    return [str(e), fact.quote, fact.article, fact.method, fact.confidence, str(_asserter(fact, corpus)),
            [str(fact.date), fact.date.xsd_type] if fact.date else None, fact.note,
            f"{fact.path}:{fact.line}" if fact.method == "curated" and fact.path else None]


def _evidence_triples(record: list) -> Triples:
    iri, quote, article, method, confidence, asserter, date, note, curated_in = record
    e = URIRef(iri)
    g = [(e, RDF.type, KG.Evidence), (e, KG.quote, Literal(quote, lang="en")), (e, KG.fromArticle, article_iri(article)),
         (e, KG.method, Literal(method)), (e, KG.confidence, _decimal(confidence)),
         (e, KG.assertedBy, URIRef(asserter))]
    if date:
        g.append((e, KG.date, typed_date(*date)))
    if note:
        g.append((e, RDFS.comment, Literal(note, lang="en")))
    if curated_in:
        g.append((e, KG.curatedIn, Literal(curated_in)))
    return g


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


def _add_facts(g_facts: Graph, g_prov: Graph, evidence_of: Callable[[str], list[list]], corpus: Corpus,
               facts: list[Fact], evidence_nodes: set[URIRef]) -> None:
    # (the terms named once: a namespace makes a new term at every attribute read)
    TYPE, SUBJECT, PREDICATE, OBJECT = RDF.type, RDF.subject, RDF.predicate, RDF.object
    STATEMENT, METHOD, CONFIDENCE, EVIDENCE, COUNT = KG.Statement, KG.method, KG.confidence, KG.evidence, \
        KG.evidenceCount
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
        g_prov.add((st, COUNT, Literal(len(evidence))))
        for e, fact in evidence.items():
            g_prov.add((st, EVIDENCE, e))
            evidence_nodes.add(e)
            evidence_of(fact.article).append(_evidence_record(e, fact, corpus))
