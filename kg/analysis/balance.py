"""Structural balance of the signed actor graph: triads, frustration and blocs.

The **signed actor graph** has one undirected edge per pair of actors whose ties in
the projection have a net sign: the evidence-weighted sum of their cooperative (+1)
and adversarial (−1) relations. Pairs whose sum is exactly 0 are *ambivalent* and
left out (they are listed); territorial relations have no sign.

Triads (Heider 1946; Cartwright & Harary 1956)
    A triangle is **balanced** when the product of its signs is positive ("the friend of
    my friend is my friend", "the enemy of my enemy is my friend") and **unbalanced**
    otherwise, e.g. two partners of which one backs the other's enemy.

Frustration index (Aref & Wilson 2018, 2019)
    The least number of edges whose removal (or sign flip) leaves a balanced graph,
    i.e. the least number of "frustrated" edges (positive between, or negative within)
    over every split of the actors into two camps. Computed exactly as a binary linear
    program (solved with HiGHS through ``scipy.optimize.milp``) when the graph has at
    most ``exact_max_edges`` edges and the solver proves optimality within
    ``time_limit``; otherwise bounded from above by a local search (a spanning-tree
    2-colouring improved by single-actor moves). The normalised
    **balance** is ``1 − L / (m / 2)``. An actor's frustration is the number of its
    frustrated ties in the optimal split.

Blocs (Traag & Bruggeman 2009)
    A partition into any number of blocs maximising signed modularity: positive ties
    dense inside blocs, negative ties between them, both against a null model. It is
    maximised by the local-moving phase of the Louvain method with actors visited in
    id order (deterministic, no random seed). Blocs are numbered by size.

A leader acts for what he leads: on the graph the analyses make
(:func:`kg.analysis.network`) a leader of one actor is folded into it, his ties counted
as its ties, so he is in its bloc; :attr:`Balance.folded` lists them.

The triads, the local search and the Louvain method run on index arrays
(:mod:`kg.analysis.arrays`): the same triads, split, blocs and modularity as the
pure-Python code kept here, about twice as fast on 10k–100k actors (the Louvain method
stays a sequential Python loop); ``reference=True`` runs the pure-Python code.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field

from . import arrays, evidence_weight


@dataclass
class Triad:
    actors: tuple[str, str, str]
    signs: tuple[int, int, int]     # of (a,b), (a,c), (b,c)

    @property
    def balanced(self) -> bool:
        return self.signs[0] * self.signs[1] * self.signs[2] > 0

    def to_dict(self) -> dict:
        return {"actors": list(self.actors), "signs": list(self.signs), "balanced": self.balanced}


@dataclass
class ActorBalance:
    actor: str
    label: str
    ties: int
    frustrated: int
    bloc: int

    @property
    def share(self) -> float:
        return round(self.frustrated / self.ties, 6) if self.ties else 0.0

    def to_dict(self) -> dict:
        return {"actor": self.actor, "label": self.label, "ties": self.ties,
                "frustrated": self.frustrated, "share": self.share, "bloc": self.bloc}


@dataclass
class Balance:
    """Structural balance of a signed actor graph."""

    nodes: int
    positive: int
    negative: int
    ambivalent: list[tuple[str, str]]
    triads: list[Triad]
    frustration: int
    exact: bool
    method: str
    actors: list[ActorBalance]
    blocs: list[list[str]]
    modularity: float
    frustrated_edges: list[tuple[str, str, int]] = field(default_factory=list)
    folded: dict[str, tuple[str, str]] = field(default_factory=dict)   # leader -> (actor he leads, his label)

    def bloc_of(self, actor: str) -> int | None:
        """The bloc of an actor, or of the actor a folded leader leads (None: not in the signed graph)."""
        actor = self.folded.get(actor, (actor, ""))[0]
        return next((i for i, members in enumerate(self.blocs, 1) if actor in members), None)

    def leaders_of(self, actor: str) -> list[str]:
        """The labels of the leaders folded into ``actor``."""
        return sorted(label for into, label in self.folded.values() if into == actor)

    @property
    def edges(self) -> int:
        return self.positive + self.negative

    @property
    def balanced_triads(self) -> list[Triad]:
        return [t for t in self.triads if t.balanced]

    @property
    def unbalanced_triads(self) -> list[Triad]:
        return [t for t in self.triads if not t.balanced]

    @property
    def balance(self) -> float:
        """Aref & Wilson's normalised balance 1 − L / (m/2) (1 when balanced)."""
        return round(1 - self.frustration / (self.edges / 2), 6) if self.edges else 1.0

    def to_dict(self) -> dict:
        return {
            "nodes": self.nodes, "edges": self.edges, "positive": self.positive, "negative": self.negative,
            "ambivalent": [list(p) for p in self.ambivalent],
            "triads": {"balanced": len(self.balanced_triads), "unbalanced": len(self.unbalanced_triads)},
            "unbalanced_triads": [t.to_dict() for t in self.unbalanced_triads],
            "frustration_index": self.frustration, "exact": self.exact, "method": self.method,
            "balance": self.balance,
            "frustrated_edges": [{"a": a, "b": b, "sign": s} for a, b, s in self.frustrated_edges],
            "blocs": [{"bloc": i, "actors": members,
                       "folded_leaders": sorted(n for n, (into, _) in self.folded.items() if into in members)}
                      for i, members in enumerate(self.blocs, 1)],
            "folded_leaders": [{"leader": n, "label": label, "into": into, "bloc": self.bloc_of(n)}
                               for n, (into, label) in sorted(self.folded.items())],
            "modularity": self.modularity,
            "actors": [a.to_dict() for a in self.actors]}


def signed_graph(g):
    """The signed actor graph of a MultiDiGraph: edges with ``sign`` (+1/−1) and ``weight``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("Turkey", "Russia", key="cooperatesWith", sign=1, evidence=[{}] * 3)
    >>> _ = g.add_edge("Russia", "Turkey", key="opposes", sign=-1, evidence=[{}])
    >>> h = signed_graph(g)
    >>> h["Russia"]["Turkey"]["sign"], h["Russia"]["Turkey"]["weight"]
    (1, 2.0)
    """
    import networkx as nx

    net: dict[tuple[str, str], float] = defaultdict(float)
    for u, v, d in g.edges(data=True):
        sign = d.get("sign", 0)
        if u != v and sign:
            net[(min(u, v), max(u, v))] += sign * evidence_weight(d)
    h = nx.Graph()
    ambivalent: list[tuple[str, str, float]] = []
    kept: list[tuple[str, str, float]] = []
    for (u, v), total in sorted(net.items()):
        (ambivalent if abs(total) < 1e-12 else kept).append((u, v, total))
    nodes = g.nodes
    h.add_nodes_from((node, nodes[node] if node in nodes else {})
                     for node in dict.fromkeys(node for u, v, _ in kept for node in (u, v)))
    h.add_edges_from((u, v, {"sign": 1 if total > 0 else -1, "weight": abs(total)}) for u, v, total in kept)
    h.graph["ambivalent"] = [(u, v) for u, v, _ in ambivalent]
    return h


#: the exact solver is tried up to this many signed ties: HiGHS proves such graphs optimal in well under
#: a second, while a dense graph of 400 ties took it seconds, and one that ran into the time limit on a
#: slower machine would give another split there (the build's outputs must not depend on the machine)
EXACT_MAX_EDGES = 150


def balance(g, *, exact_max_edges: int = EXACT_MAX_EDGES, time_limit: float = 10.0,
            reference: bool = False) -> Balance:
    """Triads, frustration index and signed blocs of the signed actor graph of ``g``.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        As made by :func:`kg.network.to_networkx` (edges with ``sign`` and ``evidence``).
    exact_max_edges : int
        Solve the frustration index exactly up to this many signed edges; above it,
        give a local-search upper bound.
    time_limit : float
        Seconds the exact solver may take; when it has not proven its split optimal by
        then, the (deterministic) local-search bound is reported instead and ``exact``
        is False.
    reference : bool
        Run the pure-Python triads, local search and Louvain method instead of
        :mod:`kg.analysis.arrays` (slower; the same result).

    Examples
    --------
    The friend of my enemy is not my friend:

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> for u, v, sign in [("a", "b", 1), ("b", "c", 1), ("a", "c", -1)]:
    ...     _ = g.add_edge(u, v, sign=sign, evidence=[{}])
    >>> result = balance(g)
    >>> len(result.unbalanced_triads), result.frustration, result.exact
    (1, 1, True)
    """
    h = signed_graph(g)
    s = None if reference else arrays.signed(h)
    nodes = list(h.nodes)
    edges = ([(u, v, h[u][v]["sign"]) for u, v in h.edges] if s is None
             else [(s.names[i], s.names[j], sign) for i, j, sign in zip(s.u, s.v, s.sign, strict=True)])
    triads = _triads(h, s)
    side: dict[str, int]
    if not edges:
        side, exact, method = {}, True, "trivial (no signed ties)"
    elif len(edges) <= exact_max_edges:
        side, exact = _exact_split(h, time_limit, s)
        method = ("exact: binary linear program (Aref & Wilson), HiGHS via scipy.optimize.milp" if exact
                  else f"upper bound: local search (the exact solver did not finish in {time_limit:g} s)")
    else:
        side, exact = _local_search_split(h, s), False
        method = "upper bound: spanning-tree 2-colouring improved by single-actor moves (local search)"
    frustrated = [(u, v, sign) for u, v, sign in edges if (side[u] == side[v]) != (sign > 0)]
    per_actor: dict[str, int] = defaultdict(int)
    for u, v, _ in frustrated:
        per_actor[u] += 1
        per_actor[v] += 1
    blocs, modularity = _blocs(h, 100) if s is None else _named_blocs(s, 100)
    bloc_of = {a: i for i, members in enumerate(blocs, 1) for a in members}
    data, degree = h.nodes, dict(h.degree)
    actors = [ActorBalance(actor=a, label=data[a].get("label", a), ties=degree[a],
                           frustrated=per_actor[a], bloc=bloc_of[a]) for a in nodes]
    return Balance(nodes=len(nodes), positive=sum(1 for *_, sign in edges if sign > 0),
                   negative=sum(1 for *_, sign in edges if sign < 0), ambivalent=h.graph["ambivalent"],
                   triads=triads, frustration=len(frustrated), exact=exact, method=method,
                   actors=actors, blocs=blocs, modularity=modularity, frustrated_edges=frustrated,
                   folded={n: (into, g.graph.get("folded_labels", {}).get(n, n))
                           for n, into in sorted(g.graph.get("folded", {}).items())})


def _triads(h, s: arrays.Signed | None = None) -> list[Triad]:
    """Every triangle, its actors in id order, in id order (``s``: on arrays; None: pure Python)."""
    if s is not None:
        names = s.names
        return [Triad((names[i], names[j], names[m]), signs) for (i, j, m), signs in arrays.triads(s)]
    order = {node: i for i, node in enumerate(sorted(h.nodes))}
    found = []
    for u in sorted(h.nodes):
        later = sorted((v for v in h[u] if order[v] > order[u]), key=order.__getitem__)
        for i, v in enumerate(later):
            for w in later[i + 1:]:
                if h.has_edge(v, w):
                    found.append(Triad((u, v, w), (h[u][v]["sign"], h[u][w]["sign"], h[v][w]["sign"])))
    return found


def _exact_split(h, time_limit: float, s: arrays.Signed | None = None) -> tuple[dict[str, int], bool]:
    """The two camps with the fewest frustrated edges, by binary linear programming.

    Variables: x_v (the actor's camp) and f_e (edge e is frustrated), all binary;
    minimise the sum of f_e subject to, for a positive edge, f_e >= |x_u - x_v| and,
    for a negative edge, f_e >= 1 - |x_u + x_v - 1| (two linear inequalities each).
    One actor per connected component is fixed to camp 0. When the solver does not
    prove optimality, the local search's split (``s`` as in :func:`_local_search_split`).
    """
    import networkx as nx
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import lil_matrix

    nodes = list(h.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    edges = list(h.edges)
    n, m = len(nodes), len(edges)
    a = lil_matrix((2 * m, n + m))
    lower = np.zeros(2 * m)
    for k, (u, v) in enumerate(edges):
        i, j, f = index[u], index[v], n + k
        if h[u][v]["sign"] > 0:       # f >= x_i - x_j and f >= x_j - x_i
            a[2 * k, f], a[2 * k, i], a[2 * k, j] = 1, -1, 1
            a[2 * k + 1, f], a[2 * k + 1, i], a[2 * k + 1, j] = 1, 1, -1
        else:                          # f >= x_i + x_j - 1 and f >= 1 - x_i - x_j
            a[2 * k, f], a[2 * k, i], a[2 * k, j] = 1, -1, -1
            lower[2 * k] = -1
            a[2 * k + 1, f], a[2 * k + 1, i], a[2 * k + 1, j] = 1, 1, 1
            lower[2 * k + 1] = 1
    upper_bounds = np.ones(n + m)
    for component in nx.connected_components(h):
        upper_bounds[index[min(component)]] = 0
    cost = np.concatenate([np.zeros(n), np.ones(m)])
    result = milp(cost, constraints=LinearConstraint(a.tocsr(), lower, np.inf),
                  integrality=np.ones(n + m), bounds=Bounds(np.zeros(n + m), upper_bounds),
                  options={"time_limit": time_limit, "disp": False})
    if result.status != 0 or result.x is None:     # not proven optimal: keep the output deterministic
        return _local_search_split(h, s), False
    return {node: int(round(result.x[index[node]])) for node in nodes}, True


def _local_search_split(h, s: arrays.Signed | None = None) -> dict[str, int]:
    """A 2-colouring following a BFS spanning tree's signs, then single-actor moves while they help.

    With ``s`` (``h`` on arrays) :func:`kg.analysis.arrays.local_search` finds the same
    split incrementally; without it, passes over every actor in pure Python.
    """
    if s is not None:
        return dict(zip(s.names, arrays.local_search(s), strict=True))
    side: dict[str, int] = {}
    for root in sorted(h.nodes):
        if root in side:
            continue
        side[root] = 0
        queue = deque([root])
        while queue:
            u = queue.popleft()
            for v in sorted(h[u]):
                if v not in side:
                    side[v] = side[u] if h[u][v]["sign"] > 0 else 1 - side[u]
                    queue.append(v)
    order = sorted(h.nodes)
    improved = True
    while improved:
        improved = False
        for u in order:
            bad = sum(1 for v in h[u] if (side[u] == side[v]) != (h[u][v]["sign"] > 0))
            if 2 * bad > h.degree(u):
                side[u] = 1 - side[u]
                improved = True
    return side


def signed_blocs(h, *, max_sweeps: int = 100, reference: bool = False) -> tuple[list[list[str]], float]:
    """Blocs maximising Traag & Bruggeman's signed modularity (the Louvain method).

    Local moving (each actor, in id order, joins the neighbouring bloc that raises
    signed modularity most) alternates with aggregation (each bloc becomes one node)
    until nothing moves. Returns the blocs (each a sorted list of actors; largest
    first) and their signed modularity. It runs on arrays
    (:func:`kg.analysis.arrays.louvain`), or in pure Python with ``reference``: the same
    blocs and modularity.

    Examples
    --------
    Two camps, friends inside, enemies across:

    >>> import networkx as nx
    >>> h = nx.Graph()
    >>> h.add_edges_from([("a", "b"), ("c", "d")], sign=1, weight=1.0)
    >>> h.add_edges_from([("a", "c"), ("b", "d")], sign=-1, weight=1.0)
    >>> signed_blocs(h)[0]
    [['a', 'b'], ['c', 'd']]
    >>> signed_blocs(h, reference=True)[0]
    [['a', 'b'], ['c', 'd']]
    """
    return _blocs(h, max_sweeps) if reference else _named_blocs(arrays.signed(h), max_sweeps)


def _named_blocs(s: arrays.Signed, max_sweeps: int) -> tuple[list[list[str]], float]:
    if not s.n:
        return [], 0.0
    blocs, modularity = arrays.louvain(s, max_sweeps)
    return [[s.names[i] for i in bloc] for bloc in blocs], modularity


def _blocs(h, max_sweeps: int) -> tuple[list[list[str]], float]:
    """The pure-Python Louvain method of :func:`signed_blocs`."""
    nodes = sorted(h.nodes)
    if not nodes:
        return [], 0.0
    pos: dict = defaultdict(dict)
    neg: dict = defaultdict(dict)
    for u, v, d in h.edges(data=True):
        target = pos if d["sign"] > 0 else neg
        target[u][v] = target[v][u] = d.get("weight", 1.0)
    k_pos = {u: sum(pos[u].values()) for u in nodes}
    k_neg = {u: sum(neg[u].values()) for u in nodes}
    two_m = (sum(k_pos.values()), sum(k_neg.values()))
    members = {i: [u] for i, u in enumerate(nodes)}          # level node -> actors
    index = {u: i for i, u in enumerate(nodes)}
    level_pos = {i: {index[v]: w for v, w in pos[u].items()} for i, u in enumerate(nodes)}
    level_neg = {i: {index[v]: w for v, w in neg[u].items()} for i, u in enumerate(nodes)}
    level_k = {i: (k_pos[u], k_neg[u]) for i, u in enumerate(nodes)}
    while True:
        community = _local_moving(level_pos, level_neg, level_k, two_m, max_sweeps)
        groups: dict[int, list[int]] = defaultdict(list)
        for node in sorted(community):
            groups[community[node]].append(node)
        if len(groups) == len(community):
            break
        renumber = {c: i for i, c in enumerate(sorted(groups, key=lambda c: min(groups[c])))}
        new_pos: dict = defaultdict(lambda: defaultdict(float))
        new_neg: dict = defaultdict(lambda: defaultdict(float))
        for source, target in ((level_pos, new_pos), (level_neg, new_neg)):
            for u, row in source.items():
                for v, w in row.items():
                    cu, cv = renumber[community[u]], renumber[community[v]]
                    if cu != cv:
                        target[cu][cv] += w
        new_k: dict[int, tuple[float, float]] = defaultdict(lambda: (0.0, 0.0))
        new_members: dict[int, list[str]] = defaultdict(list)
        for node, c in community.items():
            kp, kn = new_k[renumber[c]]
            new_k[renumber[c]] = (kp + level_k[node][0], kn + level_k[node][1])
            new_members[renumber[c]] += members[node]
        level_pos = {c: dict(new_pos[c]) for c in new_members}
        level_neg = {c: dict(new_neg[c]) for c in new_members}
        level_k, members = dict(new_k), dict(new_members)
    blocs = sorted((sorted(m) for m in members.values()), key=lambda b: (-len(b), b[0]))
    rows = {u: list(pos[u].items()) for u in nodes}, {u: list(neg[u].items()) for u in nodes}
    return blocs, round(arrays.modularity(blocs, *rows, k_pos, k_neg, *two_m), 6)


def _local_moving(pos, neg, k, two_m, max_sweeps: int) -> dict[int, int]:
    """One Louvain local-moving phase on signed modularity; node -> community."""
    two_m_pos, two_m_neg = two_m
    order = sorted(k)
    community = {u: u for u in order}
    tot = {u: list(k[u]) for u in order}
    size = {u: 1 for u in order}

    def gain(u: int, c: int, links_pos: float, links_neg: float) -> float:
        value = 0.0
        if two_m_pos:
            value += links_pos - k[u][0] * tot[c][0] / two_m_pos
        if two_m_neg:
            value -= links_neg - k[u][1] * tot[c][1] / two_m_neg
        return value

    for _ in range(max_sweeps):
        moved = False
        for u in order:
            own = community[u]
            tot[own][0] -= k[u][0]
            tot[own][1] -= k[u][1]
            size[own] -= 1
            links: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
            for v, w in pos.get(u, {}).items():
                links[community[v]][0] += w
            for v, w in neg.get(u, {}).items():
                links[community[v]][1] += w
            best, best_gain = own, gain(u, own, *links.get(own, (0.0, 0.0)))
            for c in sorted(links):
                value = gain(u, c, *links[c])
                if value > best_gain + 1e-12:
                    best, best_gain = c, value
            if best_gain < -1e-12:      # better alone: an empty community (gain 0)
                best = own if size[own] == 0 else min(c for c, n in size.items() if n == 0)
            community[u] = best
            tot[best][0] += k[u][0]
            tot[best][1] += k[u][1]
            size[best] += 1
            moved |= best != own
        if not moved:
            break
    return community

