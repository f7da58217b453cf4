"""Structural balance: triads, the frustration index and signed blocs, on graphs with known answers."""

import itertools
import json
import random

import networkx as nx
import pytest

from kg.analysis import Projection, network
from kg.analysis.balance import _exact_split, _local_search_split, balance, signed_graph
from kg.cli import cli


def signed(*edges, quotes: int = 1) -> nx.MultiDiGraph:
    """A MultiDiGraph from (u, v, sign) triples."""
    g = nx.MultiDiGraph()
    for u, v, sign in edges:
        g.add_edge(u, v, key="cooperatesWith" if sign > 0 else "opposes", sign=sign,
                   evidence=[{"confidence": 1.0}] * quotes)
    return g


@pytest.mark.parametrize("signs", [(1, 1, 1), (1, -1, -1)])
def test_a_balanced_triangle_has_no_frustration(signs):
    result = balance(signed(("a", "b", signs[0]), ("a", "c", signs[1]), ("b", "c", signs[2])))
    assert len(result.balanced_triads) == 1 and result.unbalanced_triads == []
    assert result.frustration == 0 and result.exact and result.balance == 1.0


@pytest.mark.parametrize("signs", [(1, 1, -1), (-1, -1, -1)])
def test_an_unbalanced_triangle_has_one_frustrated_tie(signs):
    result = balance(signed(("a", "b", signs[0]), ("a", "c", signs[1]), ("b", "c", signs[2])))
    (triad,) = result.unbalanced_triads
    assert triad.actors == ("a", "b", "c") and triad.signs == signs
    assert result.frustration == 1 and result.exact
    assert sum(a.frustrated for a in result.actors) == 2      # one tie, two ends


def test_two_hostile_camps_are_two_blocs():
    result = balance(signed(("a", "b", 1), ("c", "d", 1), ("a", "c", -1), ("b", "d", -1), ("a", "d", -1)))
    assert result.blocs == [["a", "b"], ["c", "d"]]
    assert {a.actor: a.bloc for a in result.actors} == {"a": 1, "b": 1, "c": 2, "d": 2}
    assert result.frustration == 0 and result.modularity > 0


def test_a_pair_whose_cooperation_and_hostility_weigh_the_same_is_left_out_as_ambivalent():
    g = signed(("a", "b", 1), ("b", "a", -1), ("b", "c", 1))
    h = signed_graph(g)
    assert not h.has_edge("a", "b") and h.graph["ambivalent"] == [("a", "b")]
    assert balance(g).ambivalent == [("a", "b")]


def brute_force_frustration(h) -> int:
    nodes = sorted(h.nodes)
    best = len(h.edges)
    for bits in itertools.product((0, 1), repeat=len(nodes) - 1):
        side = dict(zip(nodes, (0, *bits), strict=True))
        best = min(best, sum(1 for u, v, d in h.edges(data=True) if (side[u] == side[v]) != (d["sign"] > 0)))
    return best


@pytest.mark.parametrize("seed", range(5))
def test_the_exact_frustration_index_equals_brute_force_and_bounds_the_local_search(seed):
    rng = random.Random(seed)
    edges = [(f"n{u}", f"n{v}", rng.choice((1, -1))) for u, v in nx.gnm_random_graph(10, 22, seed=seed).edges]
    h = signed_graph(signed(*edges))
    expected = brute_force_frustration(h)
    side, exact = _exact_split(h, 20.0)
    assert exact and sum(1 for u, v, d in h.edges(data=True)
                         if (side[u] == side[v]) != (d["sign"] > 0)) == expected
    local = _local_search_split(h)
    assert sum(1 for u, v, d in h.edges(data=True) if (local[u] == local[v]) != (d["sign"] > 0)) >= expected
    bounded = balance(signed(*edges), exact_max_edges=0)
    assert not bounded.exact and bounded.frustration >= expected and "upper bound" in bounded.method


def test_on_the_seed_graph_turkey_and_russia_are_partners_in_different_blocs(seed_dataset):
    result = balance(network(seed_dataset, Projection()))
    assert result.exact
    assert ("Turkey", "Russia", 1) in result.frustrated_edges or ("Russia", "Turkey", 1) in result.frustrated_edges
    bloc = {a.actor: a.bloc for a in result.actors}
    assert bloc["Turkey"] != bloc["Russia"] and bloc["Russia"] == bloc["Syria"]
    assert any(set(t.actors) == {"Russia", "Syria", "Turkey"} for t in result.unbalanced_triads)


def test_kg_analyze_balance_reports_triads_frustration_and_blocs(runner, seed_project):
    result = runner.invoke(cli, ["--root", str(seed_project), "analyze", "balance"])
    assert result.exit_code == 0, result.output
    assert "unbalanced" in result.output and "frustration index:" in result.output and "blocs:" in result.output
    data = json.loads(runner.invoke(cli, ["--root", str(seed_project), "analyze", "balance", "--format", "json"]).output)
    assert data["exact"] is True and data["triads"]["unbalanced"] >= 1 and data["blocs"]
