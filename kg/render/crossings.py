"""Fewer edge crossings: count them, and move nodes one at a time to where theirs are fewest.

Two straight segments cross when each one's ends lie strictly on either side of the
other; segments that share an actor never count. :func:`uncross` is a local search
(each node, most connected first, tries spots around itself and its neighbours'
centre, and takes the one with the fewest weighted crossings, short edges and no
overlap), the usual finishing step of a force layout for drawings read by people.
"""

from __future__ import annotations

#: above this many pairs the local search is skipped (its cost grows with pairs squared).
UNCROSS_UP_TO = 3000
#: up to this many pairs, each node tries more spots (a finer search) and more sweeps.
FINE_UP_TO = 400
#: the segment-pair tests one map's local search may make (spots x a node's edges x all pairs, summed
#: over the nodes it tries): a dense map stops early rather than spend minutes (a count, not a
#: clock, so the same graph always gets the same drawing)
WORK = 10_000_000
#: nodes with more edges than this stay where the force layout put them (moving a hub moves
#: a whole fan of edges: the search would look at most of the map for little gain).
HUB = 24


def crossings(pos, pairs, weight=None) -> float:
    """How many pairs of segments ``pos[a]``-``pos[b]`` (``a, b`` in ``pairs``) cross; with a
    ``weight`` per pair, the sum of the products of the weights of the crossing segments.

    >>> import numpy as np
    >>> square = np.array([[0, 0], [1, 1], [0, 1], [1, 0]], dtype=float)
    >>> crossings(square, np.array([[0, 1], [2, 3]])), crossings(square, np.array([[0, 2], [1, 3]]))
    (1.0, 0.0)
    """
    import numpy as np

    pairs = np.asarray(pairs)
    if len(pairs) < 2:
        return 0.0
    a, b = pairs[:, 0], pairs[:, 1]
    w = np.ones(len(pairs)) if weight is None else np.asarray(weight, dtype=float)
    hit = _cross(pos[a], pos[b], pos[a], pos[b])
    shared = ((a[:, None] == a[None, :]) | (a[:, None] == b[None, :]) |
              (b[:, None] == a[None, :]) | (b[:, None] == b[None, :]))
    return float(((hit & ~shared) * w[:, None] * w[None, :]).sum() / 2)


def uncross(pos, pairs, boxes, *, length: float, gap: float, centres, reach, weight=None,
            sweeps: int = 3):
    """Move nodes one by one to nearby spots with fewer crossings; returns new positions.

    ``boxes`` gives each node's box around its centre, (left, top, right, bottom) as in
    :func:`kg.render.forces.separate` (no two may come closer than ``gap``),
    ``centres``/``reach`` the centre and radius of each node's camp (leaving it costs),
    ``weight`` a weight per pair (a crossing costs the product of its two weights).

    >>> import numpy as np
    >>> square = np.array([[0, 0], [100, 100], [0, 100], [100, 0]], dtype=float)
    >>> pairs = np.array([[0, 1], [2, 3]])
    >>> out = uncross(square, pairs, np.array([[-5.0, -5.0, 5.0, 5.0]] * 4), length=100.0, gap=5.0,
    ...               centres=np.full((4, 2), 50.0), reach=np.full(4, 200.0))
    >>> crossings(out, pairs)
    0.0
    """
    import numpy as np

    pos = np.array(pos, dtype=float)
    pairs = np.asarray(pairs)
    n, m = len(pos), len(pairs)
    weight = np.ones(m) if weight is None else np.asarray(weight, dtype=float)
    incident: list[list[int]] = [[] for _ in range(n)]
    for k, (a, b) in enumerate(pairs):
        incident[a].append(k)
        incident[b].append(k)
    order = sorted((v for v in range(n) if len(incident[v]) <= HUB or m <= FINE_UP_TO),
                   key=lambda v: (-len(incident[v]), v))
    fine = m <= FINE_UP_TO
    angles = np.linspace(0, 2 * np.pi, 16 if fine else 8, endpoint=False)
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    steps = np.array([0.3, 0.6, 1.0, 1.5] if fine else [0.4, 0.9]) * length
    spent = 0
    for _ in range(sweeps if fine else min(sweeps, 2)):
        moved = 0
        for v in order:
            mine = incident[v]
            if not mine:
                continue
            spent += (2 + 2 * len(steps) * len(ring)) * len(mine) * m
            if spent > WORK:
                return pos
            ends = np.array([pairs[k, 1] if pairs[k, 0] == v else pairs[k, 0] for k in mine])
            bary = pos[ends].mean(axis=0)
            spots = np.concatenate([pos[v][None], bary[None],
                                    *((base + s * ring) for base in (pos[v], bary) for s in steps)])
            score = _scores(spots, v, ends, np.array(mine), pos, pairs, weight, boxes, gap=gap,
                            length=length, centre=centres[v], reach=reach[v])
            best = int(np.argmin(score))
            if score[best] < score[0] - 1e-9:
                pos[v] = spots[best]
                moved += 1
        if not moved:
            break
    return pos


def _scores(spots, v, ends, mine, pos, pairs, weight, boxes, *, gap, length, centre, reach):
    """The cost of moving node ``v`` to each of ``spots``: weighted crossings of its edges, edges
    drawn through nodes, their length, the distance beyond its camp; infinite where it would
    overlap another node. Only the segments and nodes near the spots are looked at."""
    import numpy as np

    c = len(spots)
    region = np.concatenate([spots, pos[ends]])
    low, high = region.min(axis=0) - length, region.max(axis=0) + length
    others = np.ones(len(pairs), dtype=bool)
    others[mine] = False
    oa, ob = pairs[:, 0], pairs[:, 1]
    others &= (np.minimum(pos[oa], pos[ob]) <= high).all(axis=1) & (np.maximum(pos[oa], pos[ob]) >= low).all(axis=1)
    oa, ob, ow = oa[others], ob[others], weight[others]
    starts = np.repeat(spots, len(ends), axis=0)                      # (c * k) x 2
    stops = np.tile(pos[ends], (c, 1))
    hit = _cross(starts, stops, pos[oa], pos[ob])                     # (c * k) x m'
    tiled = np.tile(ends, c)[:, None]
    shared = (tiled == oa[None, :]) | (tiled == ob[None, :])
    cost = (hit & ~shared) * ow[None, :]
    crossed = (cost.sum(axis=1) * np.tile(weight[mine], c)).reshape(c, len(ends)).sum(axis=1)
    stretch = np.linalg.norm(stops - starts, axis=1).reshape(c, len(ends)).mean(axis=1) / length
    outside = np.maximum(np.linalg.norm(spots - centre, axis=1) - reach, 0) / length
    nearby = ((pos >= low) & (pos <= high)).all(axis=1)
    nearby[v] = False
    # an edge drawn through a node it does not join reads as a tie of that node: it costs as a crossing
    size = -boxes[:, 1]   # the shape's radius (the box reaches further down, for the label)
    through = (_distance(spots, pos[oa], pos[ob]) < size[v] + 4).sum(axis=1)
    passive = nearby.copy()
    passive[ends] = False
    covered = (_distance(pos[passive], starts, stops) < size[passive][:, None] + 4).sum(axis=0)
    crossed = crossed + 2 * through + 2 * covered.reshape(c, len(ends)).sum(axis=1)
    near = np.flatnonzero(nearby)
    over_x = np.minimum(spots[:, None, 0] + boxes[v, 2], pos[None, near, 0] + boxes[None, near, 2]) - \
        np.maximum(spots[:, None, 0] + boxes[v, 0], pos[None, near, 0] + boxes[None, near, 0]) + gap
    over_y = np.minimum(spots[:, None, 1] + boxes[v, 3], pos[None, near, 1] + boxes[None, near, 3]) - \
        np.maximum(spots[:, None, 1] + boxes[v, 1], pos[None, near, 1] + boxes[None, near, 1]) + gap
    blocked = ((over_x > 1e-6) & (over_y > 1e-6)).any(axis=1)
    blocked[0] = False
    return np.where(blocked, np.inf, crossed + 0.3 * stretch + 0.5 * outside)


def _distance(points, a, b):
    """The distance from each point to each segment a[j]-b[j]: a points x segments array."""
    import numpy as np

    ab = b - a
    t = np.clip(((points[:, None, :] - a[None, :, :]) * ab[None, :, :]).sum(axis=2) /
                np.maximum((ab**2).sum(axis=1), 1e-9)[None, :], 0, 1)
    nearest = a[None, :, :] + t[:, :, None] * ab[None, :, :]
    return np.linalg.norm(points[:, None, :] - nearest, axis=2)


def _cross(p, q, r, s):
    """Whether segment p[i]-q[i] crosses r[j]-s[j], for every i and j (strictly: no touching)."""
    import numpy as np

    def side(a, b, c):
        return np.sign((b[..., 0] - a[..., 0]) * (c[..., 1] - a[..., 1]) -
                       (b[..., 1] - a[..., 1]) * (c[..., 0] - a[..., 0]))

    p, q, r, s = p[:, None, :], q[:, None, :], r[None, :, :], s[None, :, :]
    return (side(p, q, r) * side(p, q, s) < 0) & (side(r, s, p) * side(r, s, q) < 0)
