"""Force layouts in numpy: Fruchterman-Reingold for a part, and a refinement that keeps camps together.

:func:`spring` lays out one small part in [-1, 1] from seeded positions. :func:`refine`
moves every node at once under edge springs, repulsion and a pull towards its camp's
centre (dense below :data:`DENSE_UP_TO` nodes, otherwise with repulsion cut off at a few
edge lengths through a k-d tree). :func:`separate` then pushes apart any two nodes closer
than their sizes allow. Everything is deterministic: the same input gives the same floats.
"""

from __future__ import annotations

import math

#: above this many nodes, repulsion only acts within a few edge lengths (a k-d tree finds the pairs).
DENSE_UP_TO = 1500


def spring(sub, *, seed: int, iterations: int = 150) -> dict:
    """Fruchterman-Reingold force layout in numpy (the dense form networkx uses below 500 nodes,
    at any size), from seeded random positions; coordinates in [-1, 1].

    >>> pos = spring(__import__("networkx").path_graph(3), seed=1)
    >>> sorted(pos), all(-1 <= c <= 1 for xy in pos.values() for c in xy)
    ([0, 1, 2], True)
    """
    import networkx as nx
    import numpy as np

    nodes = sorted(sub.nodes)   # a subgraph view of a small part iterates a set: hash order
    n = len(nodes)
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
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


def refine(pos, pairs, weights, *, length: float, centres, reach, pull: float,
           iterations: int | None = None):
    """Move every node under springs along ``pairs`` (index pairs, ``weights`` per pair), mutual
    repulsion, and a pull of strength ``pull`` back towards its row of ``centres`` once it is
    further than its ``reach`` from it (a fence around each camp); returns new positions.

    ``pos`` and ``centres`` are n x 2 arrays in pixels; ``length`` is the edge length aimed at.

    >>> import numpy as np
    >>> out = refine(np.array([[0.0, 0.0], [1.0, 0.0]]), np.array([[0, 1]]), np.array([1.0]),
    ...              length=100.0, centres=np.zeros((2, 2)), reach=np.full(2, 500.0), pull=0.0)
    >>> 50 < float(np.linalg.norm(out[0] - out[1])) < 200
    True
    """
    import numpy as np

    pos = np.array(pos, dtype=float)
    n = len(pos)
    if n < 2:
        return pos
    iterations = iterations or (80 if n <= DENSE_UP_TO else 40)
    k2 = length * length
    heat = length
    for step in range(iterations):
        shift = np.zeros_like(pos)
        if n <= DENSE_UP_TO:
            delta = pos[:, None, :] - pos[None, :, :]
            d2 = np.maximum((delta**2).sum(axis=-1), 1.0)
            np.fill_diagonal(d2, np.inf)
            shift += np.einsum("ijk,ij->ik", delta, k2 / d2)
        else:
            i, j, delta, d2 = _near(pos, 2 * length)
            push = delta * (k2 / d2)[:, None]
            np.add.at(shift, i, push)
            np.add.at(shift, j, -push)
        if len(pairs):
            a, b = pairs[:, 0], pairs[:, 1]
            delta = pos[a] - pos[b]
            d = np.maximum(np.linalg.norm(delta, axis=1), 1e-6)
            pullback = delta * (weights * d / length)[:, None]
            np.add.at(shift, a, -pullback)
            np.add.at(shift, b, pullback)
        away = centres - pos
        far = np.maximum(np.linalg.norm(away, axis=1), 1e-9)
        shift += pull * away * (np.maximum(far - reach, 0) / far)[:, None]
        moved = np.maximum(np.linalg.norm(shift, axis=1), 1e-9)
        pos += shift * (np.minimum(moved, heat) / moved)[:, None]
        heat = length * (1 - (step + 1) / iterations) + 1
    return pos


def separate(pos, boxes, *, gap: float, rounds: int = 800):
    """Push apart every two nodes whose boxes overlap (or come closer than ``gap``), each time
    along the axis where they overlap least, until none do (or ``rounds`` pass); where a crowd
    stays jammed, the whole drawing is spread a little (every 40 rounds) to make room.

    ``boxes`` holds each node's box around its centre: (left, top, right, bottom) offsets,
    left and top negative (a node with its label under it reaches further down).

    >>> import numpy as np
    >>> boxes = np.array([[-10.0, -10.0, 10.0, 10.0]] * 2)
    >>> out = separate(np.array([[0.0, 0.0], [1.0, 0.0]]), boxes, gap=5.0)
    >>> float(abs(out[0, 0] - out[1, 0])) >= 25
    True
    """
    import numpy as np

    pos = np.array(pos, dtype=float)
    boxes = np.asarray(boxes, dtype=float)
    if len(pos) < 2:
        return pos
    reach = 2 * float(np.abs(boxes).max()) + gap
    for round_ in range(rounds):
        i, j, _delta, _d2 = _near(pos, reach * math.sqrt(2))
        over_x, over_y = _overlaps(pos, boxes, i, j, gap)
        hit = (over_x > 1e-6) & (over_y > 1e-6)
        if not hit.any():
            break
        if round_ % 40 == 39:   # still jammed (a crowd around a hub): make room everywhere
            middle = pos.mean(axis=0)
            pos = middle + (pos - middle) * 1.05
            continue
        i, j, over_x, over_y = i[hit], j[hit], over_x[hit], over_y[hit]
        # the side j's box centre lies on, seen from i's (two on one spot: a fixed side)
        cx = (pos[j, 0] + (boxes[j, 0] + boxes[j, 2]) / 2) - (pos[i, 0] + (boxes[i, 0] + boxes[i, 2]) / 2)
        cy = (pos[j, 1] + (boxes[j, 1] + boxes[j, 3]) / 2) - (pos[i, 1] + (boxes[i, 1] + boxes[i, 3]) / 2)
        along_x = over_x <= over_y
        step = np.zeros((len(i), 2))
        step[along_x, 0] = np.where(cx[along_x] >= 0, 1.0, -1.0) * (over_x[along_x] / 2 + 0.5)
        step[~along_x, 1] = np.where(cy[~along_x] >= 0, 1.0, -1.0) * (over_y[~along_x] / 2 + 0.5)
        shift = np.zeros_like(pos)
        np.add.at(shift, i, -step)
        np.add.at(shift, j, step)
        pos += shift
    return pos


def overlapping(pos, boxes, *, gap: float) -> int:
    """How many pairs of nodes have boxes closer than ``gap`` (see :func:`separate`).

    >>> import numpy as np
    >>> overlapping(np.array([[0.0, 0.0], [15.0, 0.0]]), np.array([[-10.0, -10.0, 10.0, 10.0]] * 2), gap=0.0)
    1
    """
    import numpy as np

    boxes = np.asarray(boxes, dtype=float)
    i, j, _delta, _d2 = _near(np.asarray(pos, dtype=float), 2 * math.sqrt(2) * (float(np.abs(boxes).max()) + gap))
    over_x, over_y = _overlaps(pos, boxes, i, j, gap)
    return int(((over_x > 1e-6) & (over_y > 1e-6)).sum())


def _overlaps(pos, boxes, i, j, gap: float):
    """How far the boxes of nodes i and j (plus ``gap``) overlap along x and along y."""
    import numpy as np

    over_x = np.minimum(pos[i, 0] + boxes[i, 2], pos[j, 0] + boxes[j, 2]) - \
        np.maximum(pos[i, 0] + boxes[i, 0], pos[j, 0] + boxes[j, 0]) + gap
    over_y = np.minimum(pos[i, 1] + boxes[i, 3], pos[j, 1] + boxes[j, 3]) - \
        np.maximum(pos[i, 1] + boxes[i, 1], pos[j, 1] + boxes[j, 1]) + gap
    return over_x, over_y


def _near(pos, reach: float):
    """The index pairs (i < j) of nodes within ``reach``, their offsets and squared distances."""
    import numpy as np
    from scipy.spatial import cKDTree

    pairs = cKDTree(pos).query_pairs(reach, output_type="ndarray")
    if not len(pairs):
        empty = np.zeros(0, dtype=int)
        return empty, empty, np.zeros((0, 2)), np.zeros(0)
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    i, j = pairs[:, 0], pairs[:, 1]
    delta = pos[i] - pos[j]
    return i, j, delta, np.maximum((delta**2).sum(axis=1), 1.0)
