"""Building the graph: provenance, inference, determinism, atomic outputs, stable IRIs."""

from pathlib import Path

from rdflib import Literal
from rdflib.namespace import RDF, SKOS

import kg
from kg.namespaces import GRAPH_FACTS, GRAPH_INFERRED, KG


def test_a_fact_becomes_a_triple_with_a_statement_and_evidence(mini):
    ds = kg.build_graph(mini)
    graph = kg.knowledge_graph(ds)
    assert (KG.Turkey, KG.backs, KG.FailaqAlSham) in ds.graph(GRAPH_FACTS)
    rows = list(graph.query("""
        SELECT ?quote ?article ?date ?who ?method WHERE {
          ?st rdf:subject kg:Russia ; rdf:predicate kg:attacked ; rdf:object kg:FailaqAlSham ;
              kg:evidence ?e .
          ?e kg:quote ?quote ; kg:fromArticle ?article ; kg:date ?date ; kg:assertedBy ?who ; kg:method ?method .
        }"""))
    assert len(rows) == 1
    quote, article, date, who, method = rows[0]
    assert str(quote) == "A Russian air strike hit Failaq al-Sham"
    assert article == KG["article/a"]
    assert str(date) == "2020-10-26"           # the date the fact gives, not the article's
    assert who == KG["source/CharlesLister"]
    assert str(method) == "curated"


def test_a_fact_without_its_own_date_takes_the_articles_date(mini):
    graph = kg.knowledge_graph(kg.build_graph(mini))
    dates = {str(d) for d in graph.query(
        "SELECT ?d WHERE { ?st rdf:predicate kg:backs ; kg:evidence/kg:date ?d }").bindings[0].values()}
    assert dates == {"2020-10-27"}


def test_inverses_symmetry_transitivity_and_proxy_groups_are_inferred(mini):
    inferred = kg.build_graph(mini).graph(GRAPH_INFERRED)
    assert (KG.FailaqAlSham, KG.backedBy, KG.Turkey) in inferred
    assert (KG.Turkey, KG.hasLeader, KG.RecepTayyipErdogan) in inferred
    assert (KG.SochiAgreement, KG.hasParty, KG.Russia) in inferred
    assert {(KG.Russia, KG.cooperatesWith, KG.Turkey), (KG.Turkey, KG.cooperatesWith, KG.Russia)} & set(inferred)
    assert (KG.Saraqib, KG.locatedIn, KG.NorthwestSyria) in inferred
    assert (KG.FailaqAlSham, RDF.type, KG.ProxyGroup) in inferred
    assert (KG.Turkey, RDF.type, KG.Actor) in inferred


def test_a_symmetric_relation_is_one_statement_whichever_way_it_is_written(make_project):
    from tests.conftest import MINI_FACTS
    extra = MINI_FACTS + """\
  - fact: Turkey cooperatesWith Russia
    quote: Turkey and Russia signed the Sochi agreement.
"""
    graph = kg.knowledge_graph(kg.build_graph(make_project(sidecars={"a": extra})))
    statements = list(graph.query("SELECT ?st WHERE { ?st rdf:predicate kg:cooperatesWith }"))
    assert len(statements) == 1


def test_a_relation_stated_in_two_articles_keeps_both_pieces_of_evidence(make_project):
    from tests.conftest import MINI_ARTICLE, MINI_FACTS
    second = "Ankara backs Failaq al-Sham, say officials."
    project = make_project(
        articles={"a": MINI_ARTICLE, "b": second},
        sidecars={"a": MINI_FACTS, "b": "facts:\n  - fact: Ankara backs Failaq al-Sham\n    quote: "
                  "Ankara backs Failaq al-Sham, say officials.\n"})
    graph = kg.knowledge_graph(kg.build_graph(project))
    rows = list(graph.query("""SELECT ?article ?n WHERE {
        ?st rdf:subject kg:Turkey ; rdf:predicate kg:backs ; kg:evidenceCount ?n ; kg:evidence/kg:fromArticle ?article }"""))
    assert sorted(str(r.article).rsplit("/", 1)[1] for r in rows) == ["a", "b"]
    assert {int(r.n) for r in rows} == {2}


def test_actors_carry_labels_aliases_and_wikidata(mini):
    graph = kg.knowledge_graph(kg.build_graph(mini))
    assert graph.value(KG.RecepTayyipErdogan, SKOS.prefLabel) == Literal("Recep Tayyip Erdoğan", lang="en")
    assert Literal("Mr. Erdogan", lang="en") in set(graph.objects(KG.RecepTayyipErdogan, SKOS.altLabel))
    assert str(graph.value(KG.Turkey, SKOS.exactMatch)) == "http://www.wikidata.org/entity/Q43"


def test_two_builds_give_byte_identical_files(mini, tmp_path):
    first = kg.run_build(mini, tmp_path / "one")
    second = kg.run_build(mini, tmp_path / "two")
    # The store is a database (its files hold write logs); every other output must match.
    names = sorted(p.relative_to(first.out) for p in first.files if "store/" not in p.as_posix())
    assert names == sorted(p.relative_to(second.out) for p in second.files if "store/" not in p.as_posix())
    assert {"graph.ttl", "dataset.trig", "dataset.nq"} <= {str(n) for n in names}
    for name in names:
        assert (first.out / name).read_bytes() == (second.out / name).read_bytes(), name


def test_outputs_parse_back_with_every_triple(mini, tmp_path):
    from rdflib import Dataset, Graph

    result = kg.run_build(mini, tmp_path / "out")
    ttl = Graph().parse(result.out / "graph.ttl", format="turtle")
    assert len(ttl) == len(kg.knowledge_graph(result.dataset))
    for name, fmt in (("dataset.trig", "trig"), ("dataset.nq", "nquads")):
        ds = Dataset()
        ds.parse(result.out / name, format=fmt)
        assert len(ds) == len(result.dataset)


def test_a_failed_build_leaves_the_previous_outputs_intact(mini, tmp_path):
    import pytest
    out = tmp_path / "out"
    kg.run_build(mini, out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    sidecar = mini / "seeds" / "a.yaml"
    sidecar.write_text(sidecar.read_text() + "  - fact: Narnia backs Turkey\n    quote: Erdogan leads Turkey\n")
    with pytest.raises(kg.ValidationError, match="Narnia"):
        kg.run_build(mini, out)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_a_stage_that_fails_midway_leaves_the_previous_outputs_intact(mini, tmp_path, monkeypatch):
    import pytest

    from kg import pipeline
    out = tmp_path / "out"
    kg.run_build(mini, out)
    before = (out / "graph.ttl").read_bytes()
    (mini / "seeds" / "a.yaml").write_text((mini / "seeds" / "a.yaml").read_text().replace(
        "Erdogan leaderOf Turkey", "Erdogan memberOf Turkey"))

    def store_on_a_full_disk(text, path, previous=None):   # the last writer of the build fails after writing a part
        path.mkdir(parents=True)
        (path / "half").write_text(text[:100])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline, "write_store", store_on_a_full_disk)
    with pytest.raises(kg.KgError, match="No space left on device"):
        kg.run_build(mini, out)
    assert (out / "graph.ttl").read_bytes() == before
    assert not (out / "store" / "half").exists() and not list(out.glob(".staging-*"))


def test_actor_iris_do_not_change_when_facts_are_added(make_project):
    from tests.conftest import MINI_FACTS
    small = kg.knowledge_graph(kg.build_graph(make_project(sidecars={"a": "facts: []\n"})))
    large = kg.knowledge_graph(kg.build_graph(make_project(sidecars={"a": MINI_FACTS})))
    actors = lambda g: set(g.subjects(SKOS.prefLabel, None))  # noqa: E731
    assert actors(small) == actors(large)


def test_the_build_writes_a_persistent_store_that_answers_queries(mini, tmp_path):
    from kg.project import Project
    from kg.store import open_store, union_query

    result = kg.run_build(mini, tmp_path / "out")
    project = Project.at(mini, result.out)
    assert project.is_fresh()
    store = open_store(result.out / "store")
    rows = list(union_query(store, "SELECT ?g WHERE { <https://w3id.org/conflict-kg/Turkey> "
                                   "<https://w3id.org/conflict-kg/backs> ?g }"))
    assert [r[0].value.rsplit("/", 1)[1] for r in rows] == ["FailaqAlSham"]
    assert len(store) == len((result.out / "dataset.nq").read_text().splitlines())
    (mini / "seeds" / "a.txt").write_text((mini / "seeds" / "a.txt").read_text() + " More.")
    assert not project.is_fresh()


def test_the_package_exports_the_notebook_functions():
    from kg.export import export
    from kg.push import push
    from kg.server import make_app

    assert kg.export_graph is export and kg.push_graph is push and kg.make_app is make_app
    assert "graphml" in kg.EXPORTERS and callable(kg.load_built) and kg.Project and kg.BuiltGraph


def test_every_output_is_the_same_bytes_under_any_hash_seed(mini, tmp_path):
    """Set and dict order over strings changes with PYTHONHASHSEED; no output may follow it.

    Two builds in fresh processes with different hash seeds give the same bytes in every
    file (the Oxigraph store is a database: its files carry their own ids, so its content
    is compared instead), and `kg export` of every format gives the build's own file.
    """
    import os
    import subprocess
    import sys

    from kg.export import DATASET_FORMATS, EXPORTERS
    from kg.store import open_store

    for seed in ("1", "2"):
        subprocess.run([sys.executable, "-m", "kg", "--root", str(mini), "build", "--out", str(tmp_path / seed)],
                       check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
    files = sorted(p.relative_to(tmp_path / "1") for p in (tmp_path / "1").rglob("*")
                   if p.is_file() and "store" not in p.relative_to(tmp_path / "1").parts[:1])
    assert len(files) > 20 and Path("map.html") in files and Path("export/graph.json") in files
    assert files == sorted(p.relative_to(tmp_path / "2") for p in (tmp_path / "2").rglob("*")
                           if p.is_file() and "store" not in p.relative_to(tmp_path / "2").parts[:1])
    for name in files:
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name

    def content(folder):   # Oxigraph names blank nodes afresh when it loads: compare without their labels
        import re

        return sorted(re.sub(r"_:\w+", "_:b", str(q)) for q in open_store(folder / "store"))

    assert content(tmp_path / "1") == content(tmp_path / "2")
    from tests.test_cli import run

    for fmt, exporter in EXPORTERS.items():   # read back from the build: the same bytes as it wrote
        where = exporter.filename if fmt in DATASET_FORMATS else f"export/{exporter.filename}"
        code, out, err = run(None, "--root", str(mini), "export", "--format", fmt, "--build-dir", str(tmp_path / "1"))
        assert code == 0 and out == (tmp_path / "1" / where).read_text(encoding="utf-8"), (fmt, err)


def test_every_line_of_the_graph_spells_its_terms_as_oxigraph_does():
    """The build writes most N-Quads lines itself (a literal with nothing to escape needs no
    Oxigraph object): whatever a quote holds — quotation marks, backslashes, control characters,
    line separators, characters beyond the BMP — and whatever its tag or datatype, the line is the
    one Oxigraph writes, so the dataset's bytes do not depend on which path wrote a line."""
    import random

    import pyoxigraph as ox
    from rdflib import URIRef
    from rdflib.namespace import XSD

    from kg.graph.quads import quad_line

    chars = [chr(c) for c in [*range(0x00, 0x80), 0x85, 0xA0, 0xE9, 0x2028, 0x2029, 0xFEFF, 0x1F600]]
    pick = random.Random(7)
    graph, subject, predicate = "urn:g", URIRef("urn:s"), URIRef("urn:p")
    for _ in range(3000):
        text = "".join(pick.choice(chars) for _ in range(pick.randint(0, 6)))
        for obj in [Literal(text, lang="en"), Literal(text, lang="en-GB"), Literal(text),
                    Literal(text, datatype=XSD.string), Literal(text, datatype=XSD.token)]:
            lexical = str(obj)   # (rdflib's lexical form: what the build gives Oxigraph)
            oxi = ox.Literal(lexical, language=obj.language) if obj.language else \
                ox.Literal(lexical, datatype=ox.NamedNode(str(obj.datatype or XSD.string)))
            expected = str(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), oxi, ox.NamedNode(graph))) + " ."
            assert quad_line((subject, predicate, obj), graph) == expected, repr(obj)
