"""Exports: every format is read back by an independent consumer, and its counts match the graph.

The expected counts come from the graph itself (SPARQL over the seed graph), never
from fixed numbers, so the tests hold when extracted facts are added.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from kg.export import CONTEXT_URL, EXPORTERS, context_text, export, export_all, jsonld_context
from kg.graph.build import knowledge_graph
from kg.namespaces import KG_IRI

ROOT = Path(__file__).resolve().parent.parent
KG = KG_IRI


@pytest.fixture(scope="module")
def exported(seed_dataset, tmp_path_factory):
    """Every format of the seed graph, written into one folder."""
    folder = tmp_path_factory.mktemp("export")
    export_all(seed_dataset, folder)
    return folder


@pytest.fixture(scope="module")
def kgraph(seed_dataset):
    return knowledge_graph(seed_dataset)


@pytest.fixture(scope="module")
def counts(kgraph):
    """How many actors, relations and dated relations the graph holds, counted in the graph."""
    from rdflib.namespace import RDF, SKOS

    from kg.vocabulary import ACTOR_CLASSES

    actors = {a for cls in ACTOR_CLASSES for a in kgraph.subjects(RDF.type, URIRef(KG + cls))
              if kgraph.value(a, SKOS.prefLabel) is not None}
    statements = [st for st in kgraph.subjects(RDF.type, URIRef(KG + "Statement"))
                  if kgraph.value(st, RDF.subject) in actors and kgraph.value(st, RDF.object) in actors]
    dated = [st for st in statements
             if any(kgraph.value(e, URIRef(KG + "date")) for e in kgraph.objects(st, URIRef(KG + "evidence")))]
    n = {"actors": len(actors), "relations": len(statements), "dated": len(dated)}
    assert n["actors"] > 10 and n["relations"] > 10 and 0 < n["dated"] <= n["relations"]
    return n


def _actors_and_relations(graph) -> tuple[int, int]:
    """Count actors and relation statements in a parsed graph (rdflib)."""
    a = graph.query(f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <{KG}Actor> }}")
    r = graph.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{KG}Statement> }}")
    return int(next(iter(a))[0]), int(next(iter(r))[0])


def test_every_format_is_written_with_the_context(exported):
    names = {p.name for p in exported.iterdir()}
    assert names == {e.filename for e in EXPORTERS.values()} | {"context.jsonld"}
    assert all((exported / name).stat().st_size > 100 for name in names)


# ---------------------------------------------------------------- RDF


@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("ntriples", "nt"), ("rdfxml", "xml")])
def test_rdf_graph_formats_hold_exactly_the_knowledge_graph(exported, kgraph, counts, fmt, parser):
    parsed = Graph().parse(exported / EXPORTERS[fmt].filename, format=parser)
    assert set(parsed) == set(kgraph)
    assert _actors_and_relations(parsed) == (counts["actors"], counts["relations"])


@pytest.mark.parametrize("fmt,oxformat", [("turtle", "TURTLE"), ("ntriples", "N_TRIPLES"),
                                          ("rdfxml", "RDF_XML")])
def test_pyoxigraph_reads_the_rdf_graph_formats(exported, kgraph, fmt, oxformat):
    import pyoxigraph as ox

    with open(exported / EXPORTERS[fmt].filename, "rb") as fh:
        triples = list(ox.parse(fh, format=getattr(ox.RdfFormat, oxformat)))
    assert len(triples) == len(kgraph)


def test_ntriples_are_written_as_oxigraph_writes_them_sorted(exported):
    import pyoxigraph as ox

    text = (exported / EXPORTERS["ntriples"].filename).read_text()
    lines = text.splitlines()
    assert lines == sorted(lines)
    assert lines == [f"{t} ." for t in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]


@pytest.mark.parametrize("fmt,oxformat", [("trig", "TRIG"), ("nquads", "N_QUADS")])
def test_dataset_formats_keep_every_named_graph_with_provenance(exported, seed_dataset, counts,
                                                               fmt, oxformat):
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(exported / EXPORTERS[fmt].filename), format=getattr(ox.RdfFormat, oxformat))
    expected = {(str(g.identifier), len(g)) for g in seed_dataset.graphs() if len(g)}
    got = {(g.value, len(list(store.quads_for_pattern(None, None, None, g))))
           for g in store.named_graphs()}
    assert got == expected
    assert {KG + "graph/provenance", KG + "graph/facts"} <= {g for g, _ in got}
    statements = list(store.query(
        f"SELECT (COUNT(?s) AS ?n) WHERE {{ GRAPH <{KG}graph/provenance> {{ ?s a <{KG}Statement> }} }}"))
    assert int(statements[0][0].value) == counts["relations"]


def test_trig_and_nquads_are_the_same_dataset_for_rdflib(exported):
    trig = Dataset().parse(exported / "dataset.trig", format="trig")
    nq = Dataset().parse(exported / "dataset.nq", format="nquads")
    def ground(ds):  # the ontology's blank nodes get new ids in every parse
        return {q for q in ds.quads() if not any(isinstance(t, BNode) for t in q)}

    assert len(trig) == len(nq) and ground(trig) == ground(nq)
    assert {str(g.identifier) for g in trig.graphs() if len(g)} == {str(g.identifier) for g in nq.graphs() if len(g)}


def test_jsonld_expands_with_pyld_to_exactly_the_knowledge_graph(exported, kgraph):
    from pyld import jsonld

    doc = json.loads((exported / "graph.jsonld").read_text())
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    parsed = Graph().parse(data=nquads, format="nt")
    assert set(parsed) == set(kgraph)


def test_jsonld_keeps_every_term_however_it_is_spelled_in_n_triples():
    """The JSON-LD writer reads N-Triples as text: escapes, tags, datatypes and blank nodes come back whole."""
    from pyld import jsonld
    from rdflib.namespace import RDFS, XSD

    g = Graph()
    s, b = URIRef(KG + "Turkey"), BNode("b0")
    odd = ['say "no"', "back\\slash", "two\nlines\ttab\r", "\u2028 and \U0001F600", "\x01\x7f", "plain"]
    for i, text in enumerate(odd):
        g.add((s, URIRef(KG + f"note{i}"), Literal(text, lang="en")))
        g.add((s, RDFS.comment, Literal(text)))
    for lexical, datatype in [("007", XSD.integer), ("7", XSD.integer), ("true", XSD.boolean), ("1", XSD.boolean),
                              ("0.50", XSD.decimal), ("2020-03", XSD.gYearMonth), ("x y", URIRef("urn:my-type"))]:
        g.add((s, URIRef(KG + "value"), Literal(lexical, datatype=datatype)))
    g.add((s, RDFS.label, Literal("Türkiye", lang="tr")))
    g.add((s, URIRef(KG + "backs"), b))
    g.add((b, RDFS.label, Literal("a blank node", lang="en")))
    g.add((b, URIRef("urn:other:p"), URIRef("urn:other:o")))
    doc = json.loads(export(g, "jsonld"))
    parsed = Graph().parse(data=jsonld.to_rdf(doc, {"format": "application/n-quads"}), format="nt")
    assert len(parsed) == len(g)
    # blank nodes are relabelled on reading: the graphs are compared up to their labels
    from rdflib.compare import to_isomorphic

    assert to_isomorphic(parsed) == to_isomorphic(g)


def test_rdflib_reads_the_jsonld_too(exported, kgraph):
    parsed = Graph().parse(exported / "graph.jsonld", format="json-ld")
    assert set(parsed) == set(kgraph)


def test_jsonld_uses_short_keys_from_the_context(exported):
    doc = json.loads((exported / "graph.jsonld").read_text())
    turkey = next(n for n in doc["@graph"] if n["@id"] == "kg:Turkey")
    assert "kg:FailaqAlSham" in turkey["backs"]
    assert turkey["label"] == "Turkey" and "State" in turkey["@type"]
    evidence = next(n for n in doc["@graph"] if n.get("@type") == "Evidence")
    assert {"quote", "fromArticle", "method", "assertedBy"} <= set(evidence)


def test_the_published_context_expands_a_document_that_links_to_it(exported, kgraph):
    """A document that refers to the context by its URL expands through the repo's copy."""
    from pyld import jsonld

    published = json.loads((ROOT / "ontology" / "context.jsonld").read_text())

    def loader(url, options=None):
        assert url == CONTEXT_URL, url
        return {"contextUrl": None, "documentUrl": url, "document": published}

    doc = {"@context": CONTEXT_URL, "@id": "kg:Turkey", "backs": "kg:FailaqAlSham",
           "label": "Turkey", "method": "curated"}
    expanded = jsonld.expand(doc, {"documentLoader": loader})[0]
    assert expanded[KG + "backs"] == [{"@id": KG + "FailaqAlSham"}]
    assert expanded["http://www.w3.org/2000/01/rdf-schema#label"] == [{"@value": "Turkey", "@language": "en"}]
    assert expanded[KG + "method"] == [{"@value": "curated"}]


def test_the_context_in_the_repo_is_the_one_the_code_writes(exported):
    assert (ROOT / "ontology" / "context.jsonld").read_text() == context_text()
    assert (exported / "context.jsonld").read_text() == context_text()


def test_the_context_has_a_short_key_for_every_term_of_the_ontology(seed_dataset):
    from kg.namespaces import GRAPH_ONTOLOGY

    ontology = seed_dataset.graph(GRAPH_ONTOLOGY)
    terms = ontology.query("""
        SELECT DISTINCT ?t WHERE { ?t a ?kind . VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty }
          FILTER(isIRI(?t) && STRSTARTS(STR(?t), "https://w3id.org/conflict-kg/")) }""")
    ctx = jsonld_context()["@context"]
    missing = [str(t) for (t,) in terms if str(t)[len(KG):] not in ctx]
    assert not missing, f"add these to the JSON-LD context: {missing}"


# ---------------------------------------------------------------- graph tools


def test_graphml_reads_back_in_networkx_with_typed_attributes(exported, counts):
    import networkx as nx

    g = nx.read_graphml(exported / "graph.graphml")
    assert g.number_of_nodes() == counts["actors"]
    assert g.number_of_edges() == counts["relations"]
    assert g.nodes["Turkey"]["cls"] == "State" and g.nodes["Turkey"]["label"] == "Turkey"
    assert isinstance(g.nodes["Turkey"]["proxy"], bool)
    edge = g.edges["Turkey", "FailaqAlSham", "Turkey.backs.FailaqAlSham"]
    assert edge["relation"] == "backs" and edge["sign"] == 1 and isinstance(edge["sign"], int)
    assert edge["evidence_count"] >= 1 and isinstance(edge["confidence"], float)
    assert {d["sign"] for _, _, d in g.edges(data=True)} == {-1, 0, 1}


def test_graphml_reads_back_in_igraph(exported, counts):
    import igraph

    g = igraph.Graph.Read_GraphML(str(exported / "graph.graphml"))
    assert (g.vcount(), g.ecount()) == (counts["actors"], counts["relations"])
    assert g.is_directed()
    assert set(g.es["relation"]) >= {"backs", "opposes", "leaderOf"}


def test_gexf_reads_back_with_time_intervals_on_dated_relations(exported, counts):
    import networkx as nx

    g = nx.read_gexf(exported / "graph.gexf")
    assert g.number_of_nodes() == counts["actors"]
    assert g.number_of_edges() == counts["relations"]
    assert g.graph["mode"] == "dynamic"
    dated = [d for _, _, d in g.edges(data=True) if "start" in d]
    assert len(dated) == counts["dated"]
    assert all(len(d["start"]) == 10 and d["start"] <= d["end"] for d in dated)
    assert all(d["first_date"] == "" for _, _, d in g.edges(data=True) if "start" not in d)


def test_gexf_leaves_undated_relations_without_an_interval():
    import networkx as nx

    from kg.network import _example_graph

    g = nx.read_gexf(io.BytesIO(export(_example_graph(), "gexf").encode()))
    intervals = {d["relation"]: (d.get("start"), d.get("end")) for _, _, d in g.edges(data=True)}
    assert intervals == {"opposes": ("2020-03-01", "2020-03-01"), "backs": (None, None)}


@pytest.mark.parametrize("date, interval", [("2020-02", ("2020-02-01", "2020-02-29")),
                                            ("2019", ("2019-01-01", "2019-12-31"))])
def test_gexf_partial_dates_become_whole_periods(date, interval):
    import networkx as nx

    from kg.namespaces import KG
    from kg.network import _example_graph

    graph = _example_graph()
    graph.set((KG.e1, KG.date, Literal(date)))
    g = nx.read_gexf(io.BytesIO(export(graph, "gexf").encode()))
    assert {d["relation"]: (d.get("start"), d.get("end")) for _, _, d in g.edges(data=True)}["opposes"] == interval


def test_node_link_json_reads_back_for_d3_and_networkx(exported, counts):
    import networkx as nx

    data = json.loads((exported / "graph.json").read_text())
    assert len(data["nodes"]) == counts["actors"] and len(data["links"]) == counts["relations"]
    ids = {n["id"] for n in data["nodes"]}
    assert all(link["source"] in ids and link["target"] in ids for link in data["links"])
    link = next(x for x in data["links"] if x["id"] == "Turkey.backs.FailaqAlSham")
    assert link["evidence"][0]["quote"]
    g = nx.node_link_graph(data, edges="links")
    assert g.number_of_edges() == counts["relations"]


def test_cytoscape_json_reads_back(exported, counts):
    import networkx as nx

    data = json.loads((exported / "graph.cyjs").read_text())
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert len(nodes) == counts["actors"] and len(edges) == counts["relations"]
    assert len({e["data"]["id"] for e in edges}) == len(edges)
    assert nx.cytoscape_graph(data).number_of_edges() == counts["relations"]


def test_csv_nodes_and_edges_read_back(exported, counts):
    nodes = list(csv.DictReader(io.StringIO((exported / "nodes.csv").read_text())))
    edges = list(csv.DictReader(io.StringIO((exported / "edges.csv").read_text())))
    assert len(nodes) == counts["actors"] and len(edges) == counts["relations"]
    ids = {n["id"] for n in nodes}
    assert all(e["source"] in ids and e["target"] in ids for e in edges)
    assert {e["sign"] for e in edges} == {"-1", "0", "1"}


def test_the_analysis_scores_of_each_actor_become_typed_node_attributes(seed_dataset):
    """PageRank, betweenness, bloc... as the analysis computed them, typed, on the graph formats' nodes."""
    import networkx as nx

    from kg.built import BuiltGraph

    built = BuiltGraph.of(seed_dataset)
    scores = built.analysis.scores()
    g = nx.read_graphml(io.BytesIO(export(built, "graphml").encode()))
    assert g.nodes["Turkey"]["pagerank"] == pytest.approx(scores["Turkey"]["pagerank"])
    assert g.nodes["Turkey"]["bloc"] == scores["Turkey"]["bloc"] and isinstance(g.nodes["Turkey"]["bloc"], int)
    regions = [n for n, d in g.nodes(data=True) if d["cls"] == "Region"]
    assert regions and all("pagerank" not in g.nodes[n] for n in regions), "regions are not in the actor graph"
    header = export(built, "csv-nodes").splitlines()[0].split(",")
    assert {"pagerank", "betweenness", "bloc", "frustration"} <= set(header)


# ---------------------------------------------------------------- determinism, build, CLI


def test_exports_are_byte_identical_across_processes(mini, tmp_path):
    """Different hash seeds (so different set orders) give the same bytes."""
    script = ("import sys, kg; from kg.export import export_all; "
              "export_all(kg.build_graph(sys.argv[1]), sys.argv[2])")
    for seed in ("1", "2"):
        subprocess.run([sys.executable, "-c", script, str(mini), str(tmp_path / seed)], check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
    for path in sorted((tmp_path / "1").iterdir()):
        assert path.read_bytes() == (tmp_path / "2" / path.name).read_bytes(), path.name


def test_the_build_writes_every_export(mini, tmp_path):
    import kg
    from kg.export import DATASET_FORMATS

    result = kg.run_build(mini, tmp_path / "b")
    folder = tmp_path / "b" / "export"
    in_export = {e.filename for e in EXPORTERS.values() if e.name not in DATASET_FORMATS}
    assert {p.name for p in folder.iterdir()} == in_export | {"context.jsonld"}
    assert folder / "graph.graphml" in result.files
    for name in DATASET_FORMATS:  # the dataset itself sits at the top of build/, written once
        filename = EXPORTERS[name].filename
        assert tmp_path / "b" / filename in result.files and not (folder / filename).exists()


def test_kg_export_writes_a_file_and_prints_to_stdout(runner, mini, tmp_path):
    import networkx as nx

    from kg.cli import cli

    out = tmp_path / "g.graphml"
    result = runner.invoke(cli, ["--root", str(mini), "export", "--format", "graphml", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(out).number_of_nodes() == 10  # the mini project's catalogue
    result = runner.invoke(cli, ["--root", str(mini), "export", "--format", "csv-nodes"])
    assert result.exit_code == 0 and result.output.startswith("id,label,class")


def test_kg_export_refuses_an_unknown_format(runner, mini):
    from kg.cli import cli

    result = runner.invoke(cli, ["--root", str(mini), "export", "--format", "pdf"])
    assert result.exit_code == 2 and "graphml" in result.output
