"""Extracted facts in the build: method and confidence, curated facts win (new sentences for a
curated edge are extracted evidence of it), curators' rejections."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

import kg
from kg.errors import ValidationError
from kg.extract.curation import build_extraction, parse_rejections
from kg.inputs.corpus import load_corpus

from .conftest import MINI_ARTICLE, MINI_FACTS

KG = "https://w3id.org/conflict-kg/"
EXTRA = MINI_ARTICLE + "Moscow backs the regime. Ankara and Damascus clashed again.\n"


def statement(ds, s, p, o):
    prov = ds.graph(URIRef(KG + "graph/provenance"))
    st = URIRef(f"{KG}statement/{s}.{p}.{o}")
    return prov, st if (st, RDF.type, URIRef(KG + "Statement")) in prov else None


def test_extracted_facts_enter_the_graph_with_method_confidence_and_sentence(make_project):
    ds = kg.build_graph(make_project(articles={"a": EXTRA}))
    facts = ds.graph(URIRef(KG + "graph/facts"))
    assert (URIRef(KG + "Russia"), URIRef(KG + "backs"), URIRef(KG + "Syria")) in facts
    prov, st = statement(ds, "Russia", "backs", "Syria")
    assert prov.value(st, URIRef(KG + "method")) == Literal("extracted")
    evidence = prov.value(st, URIRef(KG + "evidence"))
    assert str(prov.value(evidence, URIRef(KG + "quote"))) == "Moscow backs the regime."
    assert 0.5 <= float(prov.value(evidence, URIRef(KG + "confidence"))) < 1
    # symmetric, canonical order
    assert statement(ds, "Syria", "opposes", "Turkey")[1] is not None


def test_a_curated_fact_on_the_same_edge_wins(make_project):
    ds = kg.build_graph(make_project(articles={"a": EXTRA}))
    # curated, and extracted from the very sentence the curated fact quotes: nothing new
    prov, st = statement(ds, "Russia", "attacked", "FailaqAlSham")
    assert prov.value(st, URIRef(KG + "method")) == Literal("curated")
    methods = {str(prov.value(e, URIRef(KG + "method"))) for e in prov.objects(st, URIRef(KG + "evidence"))}
    assert methods == {"curated"}


def test_a_rejected_fact_stays_out_and_is_listed(make_project, tmp_path):
    sidecar = MINI_FACTS + """\
rejected:
  - fact: Russia backs Damascus
    quote: Moscow backs the regime.
    reason: a test says no
"""
    root = make_project(articles={"a": EXTRA}, sidecars={"a": sidecar})
    result = kg.run_build(root, tmp_path / "out")
    assert statement(result.dataset, "Russia", "backs", "Syria")[1] is None
    review = (tmp_path / "out" / "extracted.tsv").read_text(encoding="utf-8")
    assert "rejected\ta\tRussia\tbacks\tSyria" in review
    assert any("rejected by curators" in n for n in result.notes)


@pytest.mark.parametrize("entry, message", [
    ("  - fact: Narnia backs Syria\n", "unknown actor 'Narnia'"),
    ("  - fact: Russia supports Syria\n", "cannot read rejected fact"),
    ("  - fact: Russia backs Syria\n    quote: words that are not there\n", "does not occur"),
    ("  - fact: Russia backs Syria\n    because: no\n", "unknown keys"),
])
def test_a_bad_rejection_names_its_file_and_line(make_project, entry, message):
    root = make_project(sidecars={"a": MINI_FACTS + "rejected:\n" + entry})
    with pytest.raises(ValidationError) as err:
        parse_rejections(load_corpus(root))
    assert message in str(err.value) and "seeds/a.yaml:" in str(err.value)


def test_new_actors_go_to_proposals_not_into_the_graph(make_project, tmp_path):
    text = MINI_ARTICLE + "The Black Lion Brigade is backed by Moscow.\n"
    root = make_project(articles={"a": text})
    result = kg.run_build(root, tmp_path / "out")
    proposals = (tmp_path / "out" / "proposals.tsv").read_text(encoding="utf-8")
    assert "\tBlack Lion Brigade\tBlack Lion Brigade\tArmedGroup\t" in proposals
    assert "Russia backs Black Lion Brigade" in proposals
    extraction = build_extraction(load_corpus(root))
    assert any(f.object.label == "Black Lion Brigade" for f in extraction.proposed)
    assert not any("Lion" in str(s) for s in result.dataset.graph(URIRef(KG + "graph/facts")).subjects())


def test_an_actor_the_world_gazetteer_knows_enters_the_graph_with_its_fact(make_project, tmp_path):
    # the mini catalogue has no Wagner Group; the gazetteer shipped with kg does
    text = MINI_ARTICLE + "Wagner Group mercenaries are backed by Moscow.\n"
    result = kg.run_build(make_project(articles={"a": text}), tmp_path / "out")
    assert result.report.conforms
    ds = result.dataset
    wagner = URIRef(KG + "WagnerGroup")
    assert (URIRef(KG + "Russia"), URIRef(KG + "backs"), wagner) in ds.graph(URIRef(KG + "graph/facts"))
    actors = ds.graph(URIRef(KG + "graph/actors"))
    assert (wagner, RDF.type, URIRef(KG + "ArmedGroup")) in actors
    # a gazetteer actor no fact in the graph names stays out: the graph is not the world
    assert (URIRef(KG + "Houthis"), RDF.type, URIRef(KG + "ArmedGroup")) not in actors


def test_low_confidence_facts_stay_out(make_project):
    extraction = build_extraction(load_corpus(make_project(articles={"a": EXTRA})), threshold=0.99)
    assert extraction.facts == [] and extraction.below_threshold


NEWS_2021 = " date 2021-03-01\n\nRussia attacked Failaq al-Sham on Monday.\n"


def test_new_evidence_for_a_curated_relation_is_kept_as_extracted_evidence(make_project, tmp_path):
    # article a curates "Russia attacked Failaq al-Sham" (dated 2020-10-26); article b, of
    # 2021, says it again in a sentence the extractor reads: the statement stays curated,
    # and b's sentence and date are a second piece of its evidence
    root = make_project(articles={"a": MINI_ARTICLE, "b": NEWS_2021})
    result = kg.run_build(root, tmp_path / "out")
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    rows = sorted(graph.query("""
        SELECT ?stmethod ?method ?quote ?article ?date WHERE {
          ?st rdf:subject kg:Russia ; rdf:predicate kg:attacked ; rdf:object kg:FailaqAlSham ;
              kg:method ?stmethod ; kg:evidence ?e .
          ?e kg:method ?method ; kg:quote ?quote ; kg:fromArticle ?article ; kg:confidence ?conf .
          OPTIONAL { ?e kg:date ?date }
        }""", initNs={"kg": KG, "rdf": str(RDF)}), key=lambda r: str(r.method))
    assert [(str(r.stmethod), str(r.method), str(r.quote), str(r.article), str(r.date)) for r in rows] == [
        ("curated", "curated", "A Russian air strike hit Failaq al-Sham", KG + "article/a", "2020-10-26"),
        ("curated", "extracted", "Russia attacked Failaq al-Sham on Monday.", KG + "article/b", "2021-03-01"),
    ]
    assert result.report.conforms  # SHACL accepts extracted evidence on a curated statement

    # the curators' review says which extraction became evidence and which added nothing
    review = (tmp_path / "out" / "extracted.tsv").read_text(encoding="utf-8")
    assert "curated-evidence\tb\tRussia\tattacked\tFailaq al-Sham" in review
    assert "curated-already\ta\tRussia\tattacked\tFailaq al-Sham" in review  # the curated sentence itself

    # a 2021 window sees the relation through the new evidence; curated-only does not count it
    from kg.network import to_networkx

    window = to_networkx(result.dataset, start="2021-01-01", include_undated=False)
    edge = window.get_edge_data("Russia", "FailaqAlSham", key="attacked")
    assert edge is not None and "2021-03-01" in edge["dates"] and edge["method"] == "curated"
    curated = to_networkx(result.dataset, curated_only=True).get_edge_data("Russia", "FailaqAlSham", key="attacked")
    assert [e["article"] for e in curated["evidence"]] == ["a"]
