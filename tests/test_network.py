"""RDF -> networkx: one node per actor, one edge per relation, projections."""

import kg
from kg.network import to_networkx, undirected


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
