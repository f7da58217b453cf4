"""The heavy analyses on arrays: the same results as networkx and the pure-Python code, faster.

:mod:`kg.analysis.centrality` and :mod:`kg.analysis.balance` keep their networkx API
(a ``networkx`` graph in, plain dataclasses out) and call these kernels on the graph's
arrays; ``reference=True`` there runs the plain networkx / pure-Python code instead
(slower, the same results: ``tests/test_analysis_backends.py`` compares the two).

betweenness
    Brandes' algorithm (the one networkx runs) for a batch of sources at once: the
    breadth-first search advances level by level for every source of the batch with one
    sparse-matrix product (scipy), and the dependencies flow back the same way. Path
    counts are sums of integers, so exact; the dependencies differ from networkx's only
    by the order of floating-point additions (relative 1e-15). Sampled sources are drawn
    as networkx draws them (``random.Random(seed).sample(nodes, k)``) and scaled as the
    installed networkx scales them.
signed graph
    The signed actor graph as index arrays, for the triads (edge-wise set intersections
    instead of pairs of neighbours), the local search (an incremental count of each
    actor's frustrated ties, visiting only the actors a move may have changed, in the
    order the passes over every actor would) and the signed Louvain (flat lists instead
    of dictionaries of dictionaries, the same sums in the same order, so the same blocs;
    a node's links are summed again only after a neighbour moved, and a node is not
    weighed again while nothing it weighed has changed). The Louvain method stays
    sequential Python: each move depends on the moves before it.
"""

from __future__ import annotations

import heapq
import random
import re
from dataclasses import dataclass

#: sources per batch of the breadth-first searches (three n × batch arrays per batch).
BATCH = 16


def adjacency(h, nodes: list, *, weight: str | None = None):
    """The symmetric adjacency matrix of a simple undirected graph, rows in ``nodes`` order.

    The same CSR matrix as ``networkx.to_scipy_sparse_array(h, nodelist=nodes,
    weight=weight)`` (entries 1.0 when ``weight`` is None), built from two index arrays.

    >>> import networkx as nx
    >>> a = adjacency(nx.path_graph(3), [0, 1, 2])
    >>> a.toarray().tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    import numpy as np
    from scipy.sparse import coo_array

    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    rows, cols, data = [], [], []
    for u, v, w in h.edges(data=weight, default=1.0):
        rows.append(index[u])
        cols.append(index[v])
        data.append(1.0 if weight is None else w)
    r, c, d = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(data, dtype=float)
    loop = r == c
    r, c, d = np.concatenate([r, c[~loop]]), np.concatenate([c, r[~loop]]), np.concatenate([d, d[~loop]])
    a = coo_array((d, (r, c)), shape=(n, n)).tocsr()
    a.sum_duplicates()
    return a


def betweenness(h, *, k: int | None = None, seed: int = 0) -> dict:
    """``networkx.betweenness_centrality(h, k=k, seed=seed, normalized=True)`` of an undirected graph.

    Hop counts (unweighted), endpoints left out, normalised; with ``k``, estimated from
    ``k`` sources sampled as networkx samples them.

    >>> import networkx as nx
    >>> betweenness(nx.path_graph(3))
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    import numpy as np

    if h.is_directed():
        raise ValueError("betweenness: an undirected graph is expected")
    nodes = list(h)
    n = len(nodes)
    if k is not None and k == n:
        k = None
    sampled = None if k is None else random.Random(seed).sample(nodes, k)
    index = {node: i for i, node in enumerate(nodes)}
    sources = np.arange(n) if sampled is None else np.array([index[s] for s in sampled], dtype=np.int64)
    raw = _brandes(adjacency(h, nodes), sources) if n else np.zeros(0)
    scaled = _rescale(raw, n, sources if sampled is not None else None)
    return {node: float(x) for node, x in zip(nodes, scaled, strict=True)}


def _brandes(a, sources, batch: int = BATCH):
    """The summed dependencies of every node on the shortest paths from ``sources`` (unscaled)."""
    import numpy as np

    n = a.shape[0]
    total = np.zeros(n)
    for start in range(0, len(sources), batch):
        src = sources[start:start + batch]
        cols = np.arange(len(src))
        depth = np.full((n, len(src)), -1, dtype=np.int32)   # hops from each source, -1 unreached
        sigma = np.zeros((n, len(src)))                      # shortest paths from each source
        depth[src, cols] = 0
        sigma[src, cols] = 1.0
        level = 0
        while True:     # breadth first, one level of every source's search per product
            reached = a @ np.where(depth == level, sigma, 0.0)
            new = (depth == -1) & (reached > 0)
            if not new.any():
                break
            level += 1
            depth[new] = level
            sigma[new] = reached[new]
        delta = np.zeros((n, len(src)))
        coefficient = np.zeros((n, len(src)))
        for lev in range(level, 1, -1):   # dependencies flow back; a source's own stays 0
            coefficient.fill(0.0)
            np.divide(1.0 + delta, sigma, out=coefficient, where=depth == lev)
            back = a @ coefficient
            before = depth == lev - 1
            delta[before] = sigma[before] * back[before]
        total += delta.sum(axis=1)
    return total


def _rescale(raw, n: int, sampled):
    """Normalise as networkx does for an undirected graph without endpoints."""
    import networkx as nx
    import numpy as np

    if n - 1 < 2:
        return raw
    if sampled is None:
        return raw * (1 / ((n - 1) * (n - 2)))
    k = len(sampled)
    if tuple(int(re.sub(r"\D.*", "", p) or 0) for p in nx.__version__.split(".")[:2]) < (3, 5):
        # networkx before 3.5 scaled every node alike
        return raw * (1 / ((n - 1) * (n - 2)) * n / k)
    source = np.zeros(n, dtype=bool)
    source[sampled] = True
    scale_source = 1 / ((k - 1) * (n - 2)) if k > 1 else np.nan
    return np.where(source, raw * scale_source, raw * (1 / (k * (n - 2))))


@dataclass
class Signed:
    """A signed actor graph on arrays: actors in id order, edges in the graph's own order."""

    names: list[str]
    u: list[int]          # an edge's ends, as indices into names
    v: list[int]
    sign: list[int]       # +1 / -1
    weight: list[float]

    @property
    def n(self) -> int:
        return len(self.names)

    def neighbours(self) -> list[list[tuple[int, int]]]:
        """Each actor's (neighbour, sign), neighbours in id order."""
        rows: list[list[tuple[int, int]]] = [[] for _ in self.names]
        for i, j, s in zip(self.u, self.v, self.sign, strict=True):
            rows[i].append((j, s))
            rows[j].append((i, s))
        for row in rows:
            row.sort()
        return rows


def signed(h) -> Signed:
    """The :class:`Signed` arrays of a graph with ``sign`` and ``weight`` on its edges."""
    names = sorted(h.nodes)
    index = {name: i for i, name in enumerate(names)}
    u, v, sign, weight = [], [], [], []
    for a, b, d in h.edges(data=True):
        u.append(index[a])
        v.append(index[b])
        sign.append(d["sign"])
        weight.append(d.get("weight", 1.0))
    return Signed(names, u, v, sign, weight)


def triads(s: Signed) -> list[tuple[tuple[int, int, int], tuple[int, int, int]]]:
    """Every triangle (i < j < l) with the signs of (i,j), (i,l), (j,l), in index order."""
    later: list[dict[int, int]] = [{} for _ in s.names]
    for i, j, sign in zip(s.u, s.v, s.sign, strict=True):
        lo, hi = (i, j) if i < j else (j, i)
        later[lo][hi] = sign
    found = []
    for i, row in enumerate(later):
        for j, s_ij in row.items():
            for m in row.keys() & later[j].keys():
                found.append(((i, j, m), (s_ij, row[m], later[j][m])))
    found.sort()
    return found


def local_search(s: Signed) -> list[int]:
    """Each actor's camp (0/1): a BFS spanning tree's 2-colouring, then single-actor moves.

    The same split as passes over the actors in id order, each moving any actor with
    more than half of its ties frustrated until a pass moves none: only the actors next
    to a move can start wanting to move, so only they are visited again, in that order.
    """
    rows = s.neighbours()
    side = [-1] * s.n
    for root in range(s.n):
        if side[root] >= 0:
            continue
        side[root] = 0
        queue = [root]
        for u in queue:     # grows as it goes: a breadth-first order
            for v, sign in rows[u]:
                if side[v] < 0:
                    side[v] = side[u] if sign > 0 else 1 - side[u]
                    queue.append(v)
    bad = [sum(1 for v, sign in row if (side[u] == side[v]) != (sign > 0)) for u, row in enumerate(rows)]
    this_pass = [u for u in range(s.n) if 2 * bad[u] > len(rows[u])]
    heapq.heapify(this_pass)
    while this_pass:
        next_pass: list[int] = []
        last = -1
        while this_pass:
            u = heapq.heappop(this_pass)
            if u == last or 2 * bad[u] <= len(rows[u]):
                continue
            last = u
            side[u] = 1 - side[u]
            bad[u] = len(rows[u]) - bad[u]
            for v, sign in rows[u]:
                if (side[u] == side[v]) != (sign > 0):
                    bad[v] += 1
                    if 2 * bad[v] > len(rows[v]) and v > u:     # later in this pass
                        heapq.heappush(this_pass, v)
                    elif 2 * bad[v] > len(rows[v]):             # in the next pass
                        next_pass.append(v)
                else:
                    bad[v] -= 1
        this_pass = next_pass
        heapq.heapify(this_pass)
    return side


def louvain(s: Signed, max_sweeps: int) -> tuple[list[list[int]], float]:
    """Blocs (index lists, largest first) and signed modularity, as ``balance.signed_blocs``.

    The same local moving and aggregation, step for step and sum for sum, on lists.
    """
    pos: list[list[tuple[int, float]]] = [[] for _ in s.names]
    neg: list[list[tuple[int, float]]] = [[] for _ in s.names]
    for i, j, sign, w in zip(s.u, s.v, s.sign, s.weight, strict=True):
        target = pos if sign > 0 else neg
        target[i].append((j, w))
        target[j].append((i, w))
    k_pos = [sum(w for _, w in row) for row in pos]
    k_neg = [sum(w for _, w in row) for row in neg]
    two_m = (sum(k_pos), sum(k_neg))
    members = [[i] for i in range(s.n)]
    level_pos, level_neg, level_kp, level_kn = pos, neg, k_pos, k_neg
    while True:
        community = _local_moving(level_pos, level_neg, level_kp, level_kn, two_m, max_sweeps)
        renumber: dict[int, int] = {}
        for c in community:         # numbered by their least node
            renumber.setdefault(c, len(renumber))
        if len(renumber) == len(community):
            break
        into = [renumber[c] for c in community]
        new_rows: list[list[list[tuple[int, float]]]] = []
        for rows in (level_pos, level_neg):
            merged: list[dict[int, float]] = [{} for _ in renumber]
            for u, row in enumerate(rows):
                cu, sums = into[u], merged[into[u]]
                for v, w in row:
                    cv = into[v]
                    if cu != cv:
                        sums[cv] = sums.get(cv, 0.0) + w
            new_rows.append([list(m.items()) for m in merged])
        level_pos, level_neg = new_rows
        new_kp, new_kn = [0.0] * len(renumber), [0.0] * len(renumber)
        new_members: list[list[int]] = [[] for _ in renumber]
        for node, c in enumerate(into):
            new_kp[c] += level_kp[node]
            new_kn[c] += level_kn[node]
            new_members[c] += members[node]
        level_kp, level_kn, members = new_kp, new_kn, new_members
    blocs = sorted((sorted(m) for m in members), key=lambda b: (-len(b), b[0]))
    return blocs, round(modularity(blocs, pos, neg, k_pos, k_neg, *two_m), 6)


def _local_moving(pos, neg, k_pos, k_neg, two_m, max_sweeps: int) -> list[int]:
    """One Louvain local-moving phase on signed modularity; node -> community (a node's id).

    Every sweep visits every node in id order, as ``balance._blocs`` does, with two
    shortcuts that change nothing. A node's links to each community are summed again
    only when one of its neighbours has moved since they were last summed. A node that
    stayed put when last weighed, whose neighbours have not moved and whose candidate
    communities' totals have not changed since, would weigh the same numbers again and
    stay put again, so it is not weighed.
    """
    two_m_pos, two_m_neg = two_m
    n = len(k_pos)
    community = list(range(n))
    tot_pos, tot_neg = list(k_pos), list(k_neg)
    size = [1] * n
    empty: list[int] = []       # communities left empty (a heap; stale entries skipped)
    changed = [0] * n           # the visit at which a community's totals or size last changed
    stayed = [-1] * n           # the visit at which a node was weighed and stayed (-1: weigh it)
    summed: list[tuple[dict[int, float], dict[int, float], list[tuple[int, float, float]]] | None] = [None] * n
    visit = 0
    for _ in range(max_sweeps):
        moved = False
        for u in range(n):
            visit += 1
            own = community[u]
            last = stayed[u]
            if last >= 0 and changed[own] < last:
                for c, _, _ in summed[u][2]:      # type: ignore[index]  # set while stayed[u] >= 0
                    if changed[c] >= last:
                        break
                else:
                    continue
            kp, kn = k_pos[u], k_neg[u]
            own_pos, own_neg = tot_pos[own], tot_neg[own]
            tot_pos[own] = left_pos = own_pos - kp
            tot_neg[own] = left_neg = own_neg - kn
            size[own] -= 1
            links = summed[u]
            if links is None:
                links_pos: dict[int, float] = {}
                links_neg: dict[int, float] = {}
                for v, w in pos[u]:
                    c = community[v]
                    links_pos[c] = links_pos.get(c, 0.0) + w
                for v, w in neg[u]:
                    c = community[v]
                    links_neg[c] = links_neg.get(c, 0.0) + w
                links = summed[u] = (links_pos, links_neg, [
                    (c, links_pos.get(c, 0.0), links_neg.get(c, 0.0))
                    for c in sorted(links_pos.keys() | links_neg.keys())])
            links_pos, links_neg, candidates = links
            best = own
            best_gain = ((links_pos.get(own, 0.0) - kp * left_pos / two_m_pos if two_m_pos else 0.0)
                         - (links_neg.get(own, 0.0) - kn * left_neg / two_m_neg if two_m_neg else 0.0))
            for c, c_pos, c_neg in candidates:
                value = ((c_pos - kp * tot_pos[c] / two_m_pos if two_m_pos else 0.0)
                         - (c_neg - kn * tot_neg[c] / two_m_neg if two_m_neg else 0.0))
                if value > best_gain + 1e-12:
                    best, best_gain = c, value
            if best_gain < -1e-12:      # better alone: the least empty community
                if size[own] == 0:
                    best = own
                else:
                    while size[empty[0]]:
                        heapq.heappop(empty)
                    best = empty[0]
            if best == own:
                tot_pos[own] = back_pos = left_pos + kp
                tot_neg[own] = back_neg = left_neg + kn
                size[own] += 1
                if back_pos != own_pos or back_neg != own_neg:   # rounding: the totals changed
                    changed[own] = visit
                stayed[u] = visit
                continue
            community[u] = best
            tot_pos[best] += kp
            tot_neg[best] += kn
            size[best] += 1
            changed[own] = changed[best] = visit
            stayed[u] = -1
            for v, _ in pos[u]:
                stayed[v] = -1
                summed[v] = None
            for v, _ in neg[u]:
                stayed[v] = -1
                summed[v] = None
            moved = True
            if size[own] == 0:
                heapq.heappush(empty, own)
        if not moved:
            break
    return community


def modularity(blocs, pos, neg, k_pos, k_neg, two_m_pos, two_m_neg) -> float:
    """Signed modularity of ``blocs``: ``pos``/``neg`` give each actor's (neighbour, weight) pairs,
    ``k_*`` its weighted degrees and ``two_m_*`` twice the total weights (both ways of the Louvain step)."""
    q_pos = q_neg = 0.0
    for members in blocs:
        inside = set(members)
        if two_m_pos:
            q_pos += sum(w for u in members for v, w in pos[u] if v in inside) \
                - sum(k_pos[u] for u in members) ** 2 / two_m_pos
        if two_m_neg:
            q_neg += sum(w for u in members for v, w in neg[u] if v in inside) \
                - sum(k_neg[u] for u in members) ** 2 / two_m_neg
    return (q_pos - q_neg) / (two_m_pos + two_m_neg)
