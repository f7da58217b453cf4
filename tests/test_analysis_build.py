"""The build writes the analysis: build/analysis.json, build/analysis.md, and RDF in kg:graph/analysis."""

import json

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

import kg
from kg.built import complete
from kg.graph.validate import validate
from kg.inputs.corpus import load_corpus
from kg.namespaces import GRAPH_ANALYSIS, GRAPH_NAMES, KG
from tests.conftest import ROOT

ANALYSIS_TERMS = ["ConflictOfInterest", "between", "score", "rank", "kind", "cooperativeLink",
                  "adversarialLink", "degreeCentrality", "betweenness", "eigenvector", "pagerank",
                  "frustration", "bloc"]


@pytest.fixture(scope="module")
def seed_build(seed_project):
    return seed_project / "build"


def test_the_build_writes_the_analysis_as_json_and_markdown(seed_build):
    data = json.loads((seed_build / "analysis.json").read_text())
    top = data["conflicts"]["pairs"][0]
    assert (top["a"], top["b"], top["rank"]) == ("Russia", "Turkey", 1)
    assert data["centrality"]["actors"][0]["actor"] == "Turkey"
    assert data["balance"]["exact"] is True and data["balance"]["blocs"]
    report = (seed_build / "analysis.md").read_text()
    assert "## Conflicts of interest" in report and "## Centrality" in report and "## Structural balance" in report
    assert "### 1. Russia – Turkey" in report and "S-400" in report and "Failaq al-Sham" in report


def test_graph_ttl_holds_the_analysis_in_kg_vocabulary_and_sparql_reaches_the_evidence(seed_build):
    graph = Graph().parse(seed_build / "graph.ttl")
    conflict = KG["conflict/Russia--Turkey"]
    assert (conflict, RDF.type, KG.ConflictOfInterest) in graph
    assert set(graph.objects(conflict, KG.between)) == {KG.Russia, KG.Turkey}
    assert graph.value(conflict, KG.rank).toPython() == 1
    assert graph.value(conflict, KG.kind) == Literal("direct+proxy")
    assert graph.value(KG.Turkey, KG.pagerank).datatype == URIRef("http://www.w3.org/2001/XMLSchema#decimal")
    assert graph.value(KG.Turkey, KG.bloc) != graph.value(KG.Russia, KG.bloc)
    rows = graph.query("""
        SELECT ?quote ?date WHERE {
          ?c a kg:ConflictOfInterest ; kg:rank 1 ; kg:adversarialLink ?st .
          ?st rdf:predicate kg:attacked ; rdf:object kg:FailaqAlSham ; kg:evidence ?e .
          ?e kg:quote ?quote ; kg:date ?date .
        }""", initNs={"kg": KG, "rdf": RDF})
    assert any("Failaq al-Sham" in str(r.quote) and str(r.date) == "2020-10-26" for r in rows)
    rows = graph.query("""
        SELECT ?quote WHERE { <https://w3id.org/conflict-kg/conflict/Russia--Turkey> kg:cooperativeLink ?st .
          ?st rdf:object kg:S400Purchase ; kg:evidence/kg:quote ?quote }""", initNs={"kg": KG, "rdf": RDF})
    assert any("S-400" in str(r.quote) for r in rows)


def test_the_dataset_has_the_named_analysis_graph(seed_build):
    assert "analysis" in GRAPH_NAMES
    ds = Dataset().parse(seed_build / "dataset.trig", format="trig")
    assert len(ds.graph(GRAPH_ANALYSIS)) > 100


def test_the_analysis_conforms_to_the_shapes_and_a_broken_conflict_does_not(mini):
    corpus = load_corpus(mini)
    ds = kg.build_dataset(corpus)
    complete(ds)
    assert (KG["conflict/Russia--Turkey"], RDF.type, KG.ConflictOfInterest) in ds.graph(GRAPH_ANALYSIS)
    report = validate(ds, corpus)
    assert report.conforms, report.text()
    ds.graph(GRAPH_ANALYSIS).remove((KG["conflict/Russia--Turkey"], KG.between, KG.Russia))
    broken = validate(ds, corpus)
    assert not broken.conforms and "between exactly two actors" in broken.text()


def test_two_builds_write_byte_identical_analysis(mini, tmp_path):
    kg.run_build(mini, tmp_path / "one")
    kg.run_build(mini, tmp_path / "two")
    for name in ("analysis.json", "analysis.md", "graph.ttl", "dataset.nq"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    assert (KG["conflict/Russia--Turkey"], RDF.type, KG.ConflictOfInterest) in Graph().parse(tmp_path / "one" / "graph.ttl")


def test_every_analysis_term_is_in_the_ontology_with_a_label_and_definition():
    ontology = Graph().parse(ROOT / "ontology" / "kg.ttl")
    for name in ANALYSIS_TERMS:
        assert ontology.value(KG[name], RDFS.label) is not None, name
        assert ontology.value(KG[name], SKOS.definition) is not None, name
