"""RDF -> networkx: one node per actor, one edge per relation, projections."""

import kg
from kg.namespaces import PREFIXES
from kg.network import ACTORS_QUERY, STATEMENTS_QUERY, local, read_network, to_networkx, undirected


def test_the_network_is_what_the_sparql_of_actors_and_statements_reads(seed_graph):
    """read_network runs its two queries on Oxigraph: rdflib's SPARQL engine, reading the same graph,
    selects the same actors, statements and evidence."""
    ns = {p: PREFIXES[p] for p in ("kg", "rdf", "skos")}
    g = read_network(seed_graph)
    actors = {}
    for row in seed_graph.query(ACTORS_QUERY, initNs=ns):
        actors.setdefault(local(row.a), (str(row.label), local(row.cls), str(row.wd or ""), bool(row.proxy.toPython())))
    assert {n: (d["label"], d["cls"], d["wikidata"], d["proxy"]) for n, d in g.nodes(data=True)} == actors
    edges: dict = {}
    for row in seed_graph.query(STATEMENTS_QUERY, initNs=ns):
        key = (local(row.s), local(row.o), local(row.p))
        entry = edges.setdefault(key, (str(row.st), str(row.method), float(row.conf), set()))
        if row.e is not None:
            entry[3].add((str(row.quote), str(row.date or ""), str(row.emethod), float(row.econf), local(row.who or "")))
    assert edges, "the seeds have statements"
    read = {(u, v, k): (d["statement"], d["method"], d["confidence"],
                        {(e["quote"], e["date"], e["method"], e["confidence"], e["asserted_by"]) for e in d["evidence"]})
            for u, v, k, d in g.edges(keys=True, data=True)}
    assert read == edges


def test_one_node_per_actor_and_one_edge_per_statement(mini):
    ds = kg.build_graph(mini)
    g = to_networkx(kg.knowledge_graph(ds))
    assert g.number_of_nodes() == 10
    assert g.number_of_edges() == 10  # 9 curated; the extractor reads the air strike as hostility too
    assert g.nodes["Turkey"]["label"] == "Turkey" and g.nodes["Turkey"]["cls"] == "State"
    assert g.nodes["FailaqAlSham"]["proxy"] is True
    assert "Mr. Erdogan" in g.nodes["RecepTayyipErdogan"]["aliases"]


def test_edges_carry_relation_sign_dates_and_evidence(mini):
    g = to_networkx(kg.knowledge_graph(kg.build_graph(mini)))
    attack = g.get_edge_data("Russia", "FailaqAlSham", "attacked")
    assert attack["sign"] == -1 and attack["weight"] == 1
    assert attack["dates"] == ["2020-10-26"] and attack["articles"] == ["a"]
    assert attack["evidence"][0]["quote"] == "A Russian air strike hit Failaq al-Sham"
    assert attack["evidence"][0]["asserted_by"] == "source/CharlesLister"
    assert g.get_edge_data("Turkey", "FailaqAlSham", "backs")["sign"] == 1


def test_a_symmetric_relation_is_one_edge(mini):
    g = to_networkx(kg.knowledge_graph(kg.build_graph(mini)), relations=["cooperatesWith"])
    assert g.number_of_edges() == 1
    (_, _, data), = g.edges(data=True)
    assert data["symmetric"] is True


def test_views_and_relation_families_project_the_graph(mini):
    graph = kg.knowledge_graph(kg.build_graph(mini))
    assert set(to_networkx(graph, view="states").nodes) == {"Turkey", "Russia", "Syria"}
    actors = to_networkx(graph, view="actors")
    assert "Idlib" not in actors and "SochiAgreement" not in actors and "NATO" in actors
    hostile = to_networkx(graph, relations=["adversarial"])
    assert {d["relation"] for *_, d in hostile.edges(data=True)} == {"attacked", "opposes"}


def test_a_date_window_keeps_dated_evidence_inside_it(mini):
    graph = kg.knowledge_graph(kg.build_graph(mini))
    before = to_networkx(graph, as_of="2020-10-26")
    assert before.has_edge("Russia", "FailaqAlSham")      # dated 2020-10-26
    assert not before.has_edge("Turkey", "FailaqAlSham")  # dated 2020-10-27 (the article)
    assert not to_networkx(graph, start="2021-01-01").number_of_edges()


def test_undirected_merges_pairs_and_keeps_their_signs(mini):
    h = undirected(to_networkx(kg.knowledge_graph(kg.build_graph(mini))))
    assert sorted(h["Russia"]["Turkey"]["signs"]) == [1]
    assert h["Russia"]["SochiAgreement"]["relations"] == ["partyTo"]
