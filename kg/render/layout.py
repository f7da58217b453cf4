"""Where each actor sits: a deterministic force layout, computed once, shipped as fixed positions.

Each connected part is laid out by :func:`spring` (Fruchterman-Reingold in numpy from
seeded positions), the largest in the middle and the others on shelves below; the
page turns physics off, so the same graph always opens in the same arrangement.
"""

from __future__ import annotations

import math


def layout(g, *, seed: int = 7) -> dict[str, tuple[int, int]]:
    """Deterministic positions in whole pixels: each connected part laid out by :func:`spring`
    (a force layout from seeded positions), the largest in the middle, the others on shelves below.

    >>> import networkx as nx
    >>> layout(nx.path_graph(["a", "b", "c"])) == layout(nx.path_graph(["a", "b", "c"]))
    True
    """
    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from(sorted(g.nodes))
    simple.add_edges_from(sorted((min(u, v), max(u, v)) for u, v in g.edges() if u != v))
    parts = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c)))
    placed: dict[str, tuple[int, int]] = {}
    width = 2 * _radius(len(parts[0])) if parts else 0
    x = y = row = 0.0
    for i, part in enumerate(parts):
        r = _radius(len(part))
        sub = simple.subgraph(sorted(part))
        pos = spring(sub, seed=seed) if len(part) > 1 else {next(iter(part)): (0.0, 0.0)}
        if i == 0:
            cx, cy, x, y = 0.0, 0.0, -width / 2, width / 2 + 60
        else:
            if x + 2 * r > width / 2 and x > -width / 2:
                x, y, row = -width / 2, y + row + 40, 0.0
            cx, cy = x + r, y + r
            x, row = x + 2 * r + 40, max(row, 2 * r)
        for node, (px, py) in pos.items():
            placed[node] = (round(cx + float(px) * r), round(cy + float(py) * r))
    return placed


def spring(sub, *, seed: int, iterations: int = 150) -> dict:
    """Fruchterman-Reingold force layout in numpy (the dense form networkx uses below 500 nodes,
    at any size), from seeded random positions; coordinates in [-1, 1].

    >>> pos = spring(__import__("networkx").path_graph(3), seed=1)
    >>> sorted(pos), all(-1 <= c <= 1 for xy in pos.values() for c in xy)
    ([0, 1, 2], True)
    """
    import networkx as nx
    import numpy as np

    nodes = list(sub.nodes)
    n = len(nodes)
    adjacency = nx.to_numpy_array(sub, nodelist=nodes, weight=None)
    pos = np.random.default_rng(seed).random((n, 2))
    k = 3.0 / math.sqrt(n)
    t = 0.1
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.clip(np.linalg.norm(delta, axis=-1), 0.01, None)
        force = k * k / distance**2 - adjacency * distance / k
        displacement = np.einsum("ijk,ij->ik", delta, force)
        length = np.linalg.norm(displacement, axis=-1)
        length = np.where(length < 0.01, 0.1, length)
        pos += displacement * (t / length)[:, None]
        t -= 0.1 / (iterations + 1)
    pos -= pos.mean(axis=0)
    pos /= max(float(np.abs(pos).max()), 1e-9)
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, pos, strict=True)}


def _radius(n: int) -> float:
    """The radius of the disc a connected part of ``n`` nodes is drawn in (about 150 px per node)."""
    return 40.0 if n == 1 else 85.0 * math.sqrt(n)


