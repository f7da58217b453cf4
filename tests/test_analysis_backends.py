"""The fast paths of the heavy analyses give the results of networkx and of the pure-Python code.

:mod:`kg.analysis.arrays` computes betweenness (Brandes' algorithm on batches of sources,
with scipy) and the balance analysis (triads, local search, signed Louvain) on index
arrays; ``reference=True`` runs networkx / the pure-Python code instead. Here both run
on small seeded graphs and must agree: betweenness to float rounding, balance exactly.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import defaultdict

import networkx as nx
import pytest

from kg.analysis import arrays, evidence_weight
from kg.analysis.balance import (
    _exact_split,
    _local_search_split,
    _triads,
    balance,
    signed_blocs,
    signed_graph,
)
from kg.analysis.centrality import actor_graph, centrality


def shapes() -> dict[str, nx.Graph]:
    return {
        "path": nx.path_graph(7),
        "star": nx.star_graph(6),
        "two cliques and a bridge": nx.barbell_graph(5, 2),
        "scale-free": nx.barabasi_albert_graph(80, 2, seed=1),
        "disconnected, with isolated nodes": nx.gnm_random_graph(60, 55, seed=2),
        "grid (many equal shortest paths)": nx.grid_2d_graph(5, 6),
        "string ids": nx.relabel_nodes(nx.karate_club_graph(), lambda i: f"a{i:02d}"),
        "one edge": nx.Graph([(0, 1)]),
        "no edge": nx.empty_graph(3),
    }


SHAPES = shapes()


def same_scores(got: dict, want: dict) -> None:
    assert list(got) == list(want)
    for node in want:
        assert got[node] == pytest.approx(want[node], rel=1e-12, abs=1e-15, nan_ok=True), node


@pytest.mark.parametrize("name", SHAPES)
def test_exact_betweenness_is_networkx(name):
    h = SHAPES[name]
    same_scores(arrays.betweenness(h), nx.betweenness_centrality(h))


@pytest.mark.parametrize("name", [n for n in SHAPES if SHAPES[n].number_of_nodes() > 2])
@pytest.mark.parametrize("seed", [0, 7])
def test_sampled_betweenness_is_networkx_with_the_same_sources(name, seed):
    h = SHAPES[name]
    n = h.number_of_nodes()
    for k in sorted({1, 2, 3, n // 2, n - 1, n}):
        same_scores(arrays.betweenness(h, k=k, seed=seed), nx.betweenness_centrality(h, k=k, seed=seed))


def test_the_batches_do_not_change_betweenness():
    h = SHAPES["scale-free"]
    nodes = list(h)
    a = arrays.adjacency(h, nodes)
    import numpy as np

    sources = np.arange(len(nodes))
    whole = arrays._brandes(a, sources, batch=len(nodes))
    for batch in (1, 3, 16):
        assert np.allclose(arrays._brandes(a, sources, batch=batch), whole, rtol=1e-13, atol=0)


def test_a_directed_graph_is_refused():
    with pytest.raises(ValueError):
        arrays.betweenness(nx.DiGraph([(0, 1)]))


@pytest.mark.parametrize("weight", [None, "weight"])
def test_the_adjacency_matrix_is_networkx_s(weight):
    rng = random.Random(3)
    h = nx.gnm_random_graph(40, 90, seed=3)
    for u, v in h.edges:
        h[u][v]["weight"] = rng.choice([0.25, 0.5, 1.0, 2.75])
    h.add_edge(5, 5, weight=1.5)     # a self-loop: once on the diagonal
    nodes = sorted(h, reverse=True)
    got = arrays.adjacency(h, nodes, weight=weight)
    want = nx.to_scipy_sparse_array(h, nodelist=nodes, weight=weight, dtype=float, format="csr")
    want.sum_duplicates()
    assert (got.indptr == want.indptr).all() and (got.indices == want.indices).all()
    assert (got.data == want.data).all()


def evidence_multigraph(n: int, m: int, *, seed: int, negative: float = 0.3) -> nx.MultiDiGraph:
    """A kg-like MultiDiGraph: relations with a sign and 1–3 quotes of varied confidence."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    names = [f"actor{i:03d}" for i in range(n)]
    for name in names:
        g.add_node(name, label=name.title(), cls="State")
    for _ in range(m):
        u, v = rng.sample(names, 2)
        sign = -1 if rng.random() < negative else 1
        relation = "opposes" if sign < 0 else "cooperatesWith"
        quotes = [{"confidence": rng.choice([0.3, 0.55, 0.7, 0.85, 1.0])} for _ in range(rng.randint(1, 3))]
        g.add_edge(u, v, key=f"{relation}{rng.random()}", relation=relation, sign=sign, evidence=quotes)
    return g


@pytest.mark.parametrize("k", [None, 10])
def test_centrality_is_the_reference_s(k):
    g = evidence_multigraph(120, 300, seed=4)
    assert centrality(g, k=k).to_dict() == centrality(g, k=k, reference=True).to_dict()


def old_actor_graph(g):
    """kg's actor graph as built before it was sped up."""
    h = nx.Graph()
    for u, v, d in g.edges(data=True):
        if u == v:
            continue
        if h.has_edge(u, v):
            h[u][v]["weight"] += evidence_weight(d)
            h[u][v]["relations"] += 1
        else:
            h.add_edge(u, v, weight=evidence_weight(d), relations=1)
    ordered = nx.Graph()
    for node in sorted(h.nodes):
        ordered.add_node(node, **g.nodes[node]) if node in g.nodes else ordered.add_node(node)
    ordered.add_edges_from(sorted((min(u, v), max(u, v), d) for u, v, d in h.edges(data=True)))
    return ordered


def old_signed_graph(g):
    """kg's signed actor graph as built before it was sped up."""
    net: dict[tuple[str, str], float] = defaultdict(float)
    for u, v, d in g.edges(data=True):
        sign = d.get("sign", 0)
        if u != v and sign:
            net[(min(u, v), max(u, v))] += sign * evidence_weight(d)
    h = nx.Graph()
    ambivalent = []
    for (u, v), total in sorted(net.items()):
        if abs(total) < 1e-12:
            ambivalent.append((u, v))
            continue
        for node in (u, v):
            if node not in h:
                h.add_node(node, **(g.nodes[node] if node in g.nodes else {}))
        h.add_edge(u, v, sign=1 if total > 0 else -1, weight=abs(total))
    h.graph["ambivalent"] = ambivalent
    return h


def same_graph(got: nx.Graph, want: nx.Graph) -> None:
    assert list(got.nodes(data=True)) == list(want.nodes(data=True))
    assert list(got.edges(data=True)) == list(want.edges(data=True))
    assert {u: list(got[u]) for u in got} == {u: list(want[u]) for u in want}   # neighbour order too
    assert got.graph == want.graph


@pytest.mark.parametrize("seed", range(3))
def test_the_actor_and_signed_graphs_are_built_as_before(seed):
    g = evidence_multigraph(50, 160, seed=seed)
    g.add_edge("actor001", "actor001", key="opposes", sign=-1, evidence=[{}])      # a self-loop is left out
    g.add_edge("actor002", "actor003", key="x", sign=1, evidence=[{}])            # cancels out: ambivalent
    g.add_edge("actor003", "actor002", key="y", sign=-1, evidence=[{}])
    same_graph(actor_graph(g), old_actor_graph(g))
    same_graph(signed_graph(g), old_signed_graph(g))


#: (actors, relations, share of adversarial relations, seed) of the seeded signed graphs compared.
SIGNED = [(12, 20, 0.3, 0), (40, 90, 0.3, 1), (40, 90, 0.7, 2), (150, 420, 0.4, 3), (400, 1200, 0.25, 4),
          (400, 1200, 0.6, 5), (30, 60, 0.0, 6), (30, 60, 1.0, 7)]


@pytest.mark.parametrize("n,m,negative,seed", SIGNED)
def test_balance_is_the_pure_python_reference_s(n, m, negative, seed):
    g = evidence_multigraph(n, m, seed=seed, negative=negative)
    h = signed_graph(g)
    s = arrays.signed(h)
    assert _triads(h, s) == _triads(h)
    assert _local_search_split(h, s) == _local_search_split(h)
    assert signed_blocs(h) == signed_blocs(h, reference=True)
    # the local search's bound, and on the smaller graphs the exact split
    for exact_max_edges in (0, 1000) if h.number_of_edges() <= 100 else (0,):
        fast = balance(g, exact_max_edges=exact_max_edges)
        assert fast.to_dict() == balance(g, exact_max_edges=exact_max_edges, reference=True).to_dict()


def test_the_exact_split_falls_back_to_the_same_local_search():
    h = signed_graph(evidence_multigraph(150, 420, seed=3, negative=0.4))
    side, exact = _exact_split(h, 0.0, arrays.signed(h))    # no time to prove anything
    assert not exact and side == _local_search_split(h)


def digest(blocs: list[list[str]]) -> str:
    return hashlib.sha256(repr(blocs).encode()).hexdigest()[:12]


#: What the pure-Python code gave before the arrays came in: (frustration index from the local
#: search, number of blocs, signed modularity, digest of the blocs), per seeded graph of SIGNED.
RECORDED = {
    3: (99, 12, 0.412451, "62fab95b469b"),
    4: (299, 16, 0.444761, "b2d4e7f22075"),
    5: (285, 37, 0.348202, "b294302084ce"),
}


@pytest.mark.parametrize("index", sorted(RECORDED))
def test_balance_gives_what_the_pure_python_code_gave(index):
    n, m, negative, seed = SIGNED[index]
    result = balance(evidence_multigraph(n, m, seed=seed, negative=negative), exact_max_edges=0)
    assert (result.frustration, len(result.blocs), result.modularity, digest(result.blocs)) == RECORDED[index]


def test_blocs_of_an_empty_signed_graph():
    assert signed_blocs(nx.Graph()) == ([], 0.0) == signed_blocs(nx.Graph(), reference=True)
    assert math.isclose(balance(nx.MultiDiGraph()).balance, 1.0)
