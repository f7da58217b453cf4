"""Centrality: who matters, on graphs whose answers are known, and on the seed articles."""

import json
import math

import networkx as nx
import pytest

from kg.analysis import Projection, network
from kg.analysis.centrality import actor_graph, centrality
from kg.cli import cli


def multigraph(edges, quotes=None):
    g = nx.MultiDiGraph()
    for u, v in edges:
        n = (quotes or {}).get((u, v), 1)
        g.add_edge(u, v, key="cooperatesWith", relation="cooperatesWith", sign=1,
                   evidence=[{"quote": "q", "confidence": 1.0}] * n)
    return g


def by_actor(result):
    return {a.actor: a for a in result.actors}


def test_the_centre_of_a_star_has_the_known_scores():
    leaves = "abcde"
    result = centrality(multigraph([("centre", leaf) for leaf in leaves]))
    scores = by_actor(result)
    centre, leaf = scores["centre"], scores["a"]
    assert centre.degree == 1.0 and leaf.degree == pytest.approx(1 / 5)
    assert centre.betweenness == 1.0 and leaf.betweenness == 0.0
    assert centre.eigenvector == pytest.approx(1 / math.sqrt(2), abs=1e-6)
    assert leaf.eigenvector == pytest.approx(1 / math.sqrt(10), abs=1e-6)
    n, d = len(leaves), 0.85        # PageRank of a star's centre: (1 + d n) / ((n + 1)(1 + d))
    assert centre.pagerank == pytest.approx((1 + d * n) / ((n + 1) * (1 + d)), abs=1e-5)
    assert result.top(1)[0].actor == "centre"
    assert result.brokers == []     # the centre has every tie: a hub, not a broker


def test_the_bridge_between_two_cliques_is_a_broker():
    left = [(f"l{i}", f"l{j}") for i in range(5) for j in range(i + 1, 5)]
    right = [(f"r{i}", f"r{j}") for i in range(5) for j in range(i + 1, 5)]
    result = centrality(multigraph(left + right + [("l0", "bridge"), ("bridge", "r0")]))
    assert result.brokers == ["bridge"]
    assert by_actor(result)["bridge"].ties == 2
    assert result.top(1, by="betweenness")[0].actor == "bridge"


def test_a_pair_with_several_relations_is_one_tie_weighted_by_all_its_evidence():
    g = multigraph([("Turkey", "Russia")], quotes={("Turkey", "Russia"): 2})
    g.add_edge("Russia", "Turkey", key="opposes", relation="opposes", sign=-1,
               evidence=[{"quote": "q", "confidence": 0.5}])
    h = actor_graph(g)
    assert h.number_of_edges() == 1 and h["Russia"]["Turkey"]["weight"] == pytest.approx(2.5)
    assert by_actor(centrality(g))["Turkey"].ties == 1


def test_eigenvector_and_pagerank_weigh_ties_by_their_evidence():
    result = by_actor(centrality(multigraph([("a", "b"), ("b", "c")], quotes={("a", "b"): 5})))
    assert result["a"].eigenvector > result["c"].eigenvector
    assert result["a"].pagerank > result["c"].pagerank
    assert result["a"].degree == result["c"].degree      # degree counts ties, not quotes


def test_sampled_betweenness_is_reproducible_and_says_so():
    g = multigraph(list(nx.barabasi_albert_graph(60, 2, seed=1).edges()))
    first, second = centrality(g, k=10), centrality(g, k=10)
    assert first.betweenness_sample == 10 and centrality(g).betweenness_sample is None
    assert [a.betweenness for a in first.actors] == [a.betweenness for a in second.actors]


def test_on_the_seed_graph_turkey_then_russia_are_the_most_central(seed_dataset):
    result = centrality(network(seed_dataset, Projection()))
    for measure in ("degree", "betweenness", "pagerank"):
        assert [a.actor for a in result.top(2, by=measure)] == ["Turkey", "Russia"], measure
    assert "Turkey" not in result.brokers and result.brokers
    states = centrality(network(seed_dataset, Projection(view="states")))
    assert {a.cls for a in states.actors} == {"State"}


def test_kg_analyze_centrality_states_its_graph_and_weights(runner, seed_project):
    result = runner.invoke(cli, ["--root", str(seed_project), "analyze", "centrality", "--top", "5"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "graph: undirected actor graph" in result.output and "weights:" in result.output
    assert next(line for line in lines if line.strip().startswith("1 ")).split()[1] == "Turkey"
    assert "brokers (high betweenness, few ties):" in result.output
    data = json.loads(runner.invoke(cli, ["--root", str(seed_project), "analyze", "centrality", "--measure",
                                          "betweenness", "--format", "json", "--top", "3"]).output)
    assert data["ranked_by"] == "betweenness" and data["actors"][0]["actor"] == "Turkey"
    assert len(data["actors"]) == 3 and data["betweenness"] == "exact"
