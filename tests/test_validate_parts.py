"""Validation in parts: each article's part checked once and remembered, the core in one run,
the whole graph by queries on the store; together they find what one pySHACL run over the
whole graph finds."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from kg import namespaces as ns
from kg.built import BuiltGraph
from kg.forking import forked
from kg.graph import validate as validation
from kg.graph.build import knowledge_graph, merged
from kg.graph.quads import quad_line, rdflib_lines
from kg.graph.validate import validate
from kg.pipeline import Workers, assemble, run_build
from tests.conftest import MINI_ARTICLE

KG = ns.KG
OTHER = "Russian jets struck Idlib on Monday.\n\nTurkey backs Failaq al-Sham, one more time.\n"


@pytest.fixture
def built(make_project):
    root = make_project(articles={"a": MINI_ARTICLE, "b": OTHER})
    corpus, _, parts = assemble(root, workers=Workers(jobs=1, cache=False))
    return corpus, merged(parts)


def misquote(parts, article: str) -> str:
    """A fault: the first quote of an article's part becomes one the article does not contain. Returns
    the evidence it quoted."""
    lines = parts.article_lines[article]
    index = next(i for i, line in enumerate(lines) if f" <{KG.quote}> " in line)
    evidence = lines[index].split(" ", 1)[0][1:-1]
    lines[index] = quad_line((URIRef(evidence), KG.quote, Literal("Turkey backs nobody.", lang="en")),
                             str(ns.GRAPH_PROVENANCE))
    lines.sort()
    return evidence


def evidence_of(ds, article: str):
    prov = ds.graph(ns.GRAPH_PROVENANCE)
    return sorted(prov.subjects(KG.fromArticle, KG[f"article/{article}"]))


def whole_graph_violations(ds, corpus) -> int:
    data = knowledge_graph(ds)
    for triple in ds.graph(ns.GRAPH_ONTOLOGY):
        data.add(triple)
    conforms, results, _ = pyshacl.validate(data, shacl_graph=Graph().parse(corpus.shapes_path),
                                            inference="none", advanced=True)
    return len(set(results.subjects(RDF.type, ns.SH.ValidationResult)))


def test_a_conforming_part_is_not_checked_again(built, tmp_path):
    corpus, ds = built
    first = validate(ds, corpus, cache=tmp_path / "seen")
    assert first.conforms and first.parts_checked == 2
    again = validate(ds, corpus, cache=tmp_path / "seen")
    assert again.conforms and again.parts_checked == 0
    ds.graph(ns.GRAPH_PROVENANCE).set((evidence_of(ds, "b")[0], KG.confidence, Literal("0.7", datatype=XSD.decimal)))
    assert validate(ds, corpus, cache=tmp_path / "seen").parts_checked == 1, "only b's part changed"


def test_a_change_to_the_article_shapes_checks_every_part_again(built, tmp_path):
    corpus, ds = built
    validate(ds, corpus, cache=tmp_path / "seen")
    shapes = corpus.shapes_path
    shapes.write_text(shapes.read_text(encoding="utf-8") + '\nkg:EvidenceShape rdfs:comment "stricter now" .\n',
                      encoding="utf-8")
    assert validate(ds, corpus, cache=tmp_path / "seen").parts_checked == 2


def test_a_broken_part_is_found_when_the_others_are_remembered(built, tmp_path):
    corpus, ds = built
    validate(ds, corpus, cache=tmp_path / "seen")
    ds.graph(ns.GRAPH_PROVENANCE).set((evidence_of(ds, "b")[0], KG.confidence, Literal("1.5", datatype=XSD.decimal)))
    report = validate(ds, corpus, cache=tmp_path / "seen")
    assert not report.conforms and report.parts_checked == 1
    assert any("kg:confidence" in str(p) for p in report.problems)
    assert not validate(ds, corpus, cache=tmp_path / "seen").conforms, "a broken part is never remembered"


@pytest.mark.parametrize("breakage", ["second label", "statement without evidence", "evidence without quote",
                                      "bad article digest", "evidence from nowhere"])
def test_the_parts_find_what_one_run_over_the_whole_graph_finds(built, breakage, tmp_path):
    corpus, ds = built
    prov = ds.graph(ns.GRAPH_PROVENANCE)
    if breakage == "second label":
        ds.graph(ns.GRAPH_ACTORS).add((KG.Turkey, SKOS.prefLabel, Literal("Türkiye", lang="en")))
    elif breakage == "statement without evidence":
        st = next(prov.subjects(RDF.type, KG.Statement))
        prov.remove((st, KG.evidence, None))
    elif breakage == "evidence without quote":
        prov.remove((evidence_of(ds, "a")[0], KG.quote, None))
    elif breakage == "bad article digest":
        prov.set((KG["article/b"], KG.sha256, Literal("not a digest")))
    else:
        prov.set((evidence_of(ds, "b")[0], KG.fromArticle, KG["article/nowhere"]))
    report = validate(ds, corpus, cache=tmp_path / "seen")
    assert not report.conforms
    assert len(report.problems) >= whole_graph_violations(ds, corpus) >= 1


def test_identical_articles_are_a_warning_from_the_store(make_project, tmp_path):
    root = make_project(articles={"a": MINI_ARTICLE, "b": OTHER, "c": OTHER})
    result = run_build(root, tmp_path / "build", workers=Workers(jobs=1))
    warnings = [n for n in result.notes if n.startswith("warning:")]
    assert warnings == ["warning: articles with identical text (the same kg:sha256): their evidence counts "
                        "twice: article/b and article/c"]


def test_the_build_checks_its_parts_as_it_would_check_the_whole_dataset(make_project):
    """The build never merges the articles' triples into rdflib: its parts, written as N-Quads lines,
    are the dataset rdflib would hold, and they are checked as that dataset would be."""
    root = make_project(articles={"a": MINI_ARTICLE, "b": OTHER})
    corpus, _, parts = assemble(root, workers=Workers(jobs=1, cache=False))
    lines = parts.lines()
    report = validate(parts, corpus)
    assert report.conforms and report.parts_checked == 2
    assert BuiltGraph.of(lines).quads == parts.quads(), "the graph of each line, as a parser reads it"
    dataset = merged(parts)
    assert rdflib_lines(dataset) == lines
    assert validate(dataset, corpus).checked == report.checked
    evidence = misquote(parts, "b")
    broken = validate(parts, corpus)
    assert not broken.conforms
    assert [str(p) for p in broken.problems] == [f"{evidence}: quote not found in its article: 'Turkey backs nobody.'"]


def test_parts_checked_in_forked_processes_give_the_report_one_process_gives(make_project, monkeypatch):
    """The build checks the article parts in batches, in parallel: the same problems, whichever batch
    and process finds them."""
    monkeypatch.setattr(validation, "PARTS_PER_RUN", 1)
    root = make_project(articles={"a": MINI_ARTICLE, "b": OTHER, "c": OTHER.replace("Turkey", "Russia")})
    corpus, _, parts = assemble(root, workers=Workers(jobs=1, cache=False))
    misquote(parts, "b")
    one = validate(parts, corpus)
    two = validate(parts, corpus, run=forked(2))
    assert not one.conforms and one.parts_checked == 3
    assert (two.conforms, [str(p) for p in two.problems], two.checked, two.parts_checked) == \
        (one.conforms, [str(p) for p in one.problems], one.checked, one.parts_checked)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_rebuild_checks_its_changed_part_beside_the_core_and_refuses_it_when_broken(make_project, monkeypatch,
                                                                                     tmp_path, jobs):
    """A rebuild has few parts to check: they are checked with the core, while the network is analysed
    (in another process, with two jobs); a broken one is refused all the same, and nothing is written."""
    from kg import pipeline
    from kg.errors import ValidationError
    from kg.graph.build import build_parts

    root = make_project(articles={"a": MINI_ARTICLE, "b": OTHER})
    out = tmp_path / "build"
    run_build(root, out, workers=Workers(jobs=jobs))
    before = (out / "dataset.nq").read_bytes()

    def misquoted(corpus, facts=None, **options):   # a fault: one quote of b's part is not in the article
        parts = build_parts(corpus, facts, **options)
        misquote(parts, "b")
        return parts

    monkeypatch.setattr(pipeline, "build_parts", misquoted)
    real, checked_first = pipeline.check_articles, []
    monkeypatch.setattr(pipeline, "check_articles",
                        lambda plan, jobs: checked_first.append(real(plan, jobs)) or checked_first[-1])
    with pytest.raises(ValidationError) as refused:
        run_build(root, out, workers=Workers(jobs=jobs))
    assert checked_first == [None], "one part to check: not checked before the analysis"
    assert any("quote not found" in str(p) for p in refused.value.problems)
    assert (out / "dataset.nq").read_bytes() == before

