"""Extracted facts in the build: method and confidence, curated facts win, curators' rejections."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

import kg
from kg.corpus import load_corpus
from kg.errors import ValidationError
from kg.extract.curation import build_extraction, parse_rejections

from .conftest import MINI_ARTICLE, MINI_FACTS

KG = "https://w3id.org/conflict-kg/"
EXTRA = MINI_ARTICLE + "Moscow backs the regime. Ankara and Damascus are heading towards a confrontation.\n"


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
    prov, st = statement(ds, "Russia", "attacked", "FailaqAlSham")  # curated and also extracted
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
    text = MINI_ARTICLE + "Wagner Group mercenaries are backed by Moscow.\n"
    root = make_project(articles={"a": text})
    result = kg.run_build(root, tmp_path / "out")
    proposals = (tmp_path / "out" / "proposals.tsv").read_text(encoding="utf-8")
    assert "\tWagner Group\tWagner Group; Wagner Group mercenaries\tArmedGroup\t" in proposals
    assert "Russia backs Wagner Group" in proposals
    extraction = build_extraction(load_corpus(root))
    assert any(f.object.label == "Wagner Group" for f in extraction.proposed)
    assert not any("Wagner" in str(s) for s in result.dataset.graph(URIRef(KG + "graph/facts")).subjects())


def test_low_confidence_facts_stay_out(make_project):
    extraction = build_extraction(load_corpus(make_project(articles={"a": EXTRA})), threshold=0.99)
    assert extraction.facts == [] and extraction.below_threshold
