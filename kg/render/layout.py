"""Where each actor sits: camps apart, a force layout inside each, no overlaps, few crossings.

The map is laid out once, in Python, and shipped as fixed positions (the page turns
physics off, so the same graph always opens in the same arrangement):

1. every actor with a relation belongs to a camp (:func:`kg.render.camps.camps`: the
   signed blocs of the analysis, grown to their neighbours);
2. the camps are discs, placed so that camps with many ties between them sit side by
   side (an adversarial tie then runs across the gap between two camps);
3. each camp is laid out by :func:`~kg.render.forces.spring` inside its disc, then the
   whole drawing relaxes under springs, repulsion and a pull towards each camp's
   centre (:func:`~kg.render.forces.refine`);
4. nodes that overlap are pushed apart (:func:`~kg.render.forces.separate`), and a local
   search moves nodes to spots with fewer edge crossings
   (:func:`~kg.render.crossings.uncross`);
5. actors with no relation at all sit in a compact grid under the drawing.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from pathlib import Path

from ..memo import Memo
from .crossings import FINE_UP_TO, UNCROSS_UP_TO, crossings, uncross
from .forces import refine, separate, spring

#: the edge length aimed at, in canvas pixels (node radii are 10 to 36).
EDGE = 150.0
#: the least free space between two nodes' boxes.
GAP = 24.0
#: room kept for a label under its node, in canvas pixels: per character, and its height. Labels
#: are 13 px on screen; a first view of a map of some fifty actors shows it at about half size.
LABEL_CHAR, LABEL_HEIGHT = 14.0, 34.0
#: the widest label room kept (a longer name may be hidden at the first view, and shown on zoom).
LABEL_WIDTH = 220.0
#: a camp larger than this starts from random spots in its disc rather than its own force layout.
SPRING_UP_TO = 500
#: the room kept for a node is its radius rounded up to a multiple of this (in pixels): one more quote
#: shifts PageRank, and so the sizes, by a fraction of a pixel; the layout (and its memo) seldom changes.
ROOM_STEP = 6.0
#: how many seeded starts a small map tries (the one with the fewest crossings is kept).
STARTS = 4


def layout(g, *, camps: list[list[str]] | None = None, sizes: Mapping[str, float] | None = None,
           labels: Mapping[str, str] | None = None, core: Collection[str] | None = None,
           seed: int = 7, memo: Memo | None = None) -> dict[str, tuple[int, int]]:
    """Deterministic positions in whole pixels for the nodes of ``g`` (any networkx graph).

    ``camps`` lists groups of nodes to keep together and apart from the others (default:
    one per connected part); ``sizes`` gives each node's radius (default 20; the room
    kept for it is rounded up, :func:`_room`); room is kept under a node for its entry in
    ``labels``; crossings between edges of ``core`` nodes (the first view's) count double.
    With a ``memo`` (:func:`layouts`), a layout made before from the same inputs is read back.

    >>> import networkx as nx
    >>> g = nx.path_graph(["a", "b", "c"])
    >>> pos = layout(g)
    >>> pos == layout(g), len(set(pos.values()))
    (True, 3)
    """
    nodes = sorted(g.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    counts: dict[tuple[int, int], int] = {}
    for u, v in g.edges():
        if u != v:
            key = (min(index[u], index[v]), max(index[u], index[v]))
            counts[key] = counts.get(key, 0) + 1
    radius = [_room(float((sizes or {}).get(node, 20.0))) for node in nodes]
    names = [(labels or {}).get(node, "") for node in nodes]
    main = sorted(set(core) & set(nodes)) if core is not None else nodes
    if memo is None:
        return _layout(nodes, counts, radius, names, camps, main, seed)
    inputs = {"nodes": nodes, "counts": sorted([a, b, n] for (a, b), n in counts.items()), "radius": radius,
              "labels": names, "camps": camps, "core": main, "seed": seed}
    made = memo(inputs, lambda: _layout(nodes, counts, radius, names, camps, main, seed))
    return {node: (int(x), int(y)) for node, (x, y) in made.items()}


def layouts(folder: Path | None) -> Memo:
    """Layouts remembered in ``folder`` (``build/cache/layout/``), keyed by their inputs and the code
    of this module, the forces and the crossings (and numpy's version, whose numerics they use)."""
    here = Path(__file__).parent
    return Memo(folder, code=[here / "layout.py", here / "forces.py", here / "crossings.py"], libraries=["numpy"])


def _layout(nodes: list[str], counts: dict[tuple[int, int], int], radii: list[float], labels: list[str],
            camps: list[list[str]] | None, core: list[str], seed: int) -> dict[str, tuple[int, int]]:
    """:func:`layout` of the nodes, the pairs of their indices with how many edges join each,
    their radii and labels, camps and core nodes."""
    import networkx as nx
    import numpy as np

    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array(sorted(counts), dtype=int).reshape(-1, 2)
    radius = np.array(radii)
    boxes = np.array([_box(r, label) for r, label in zip(radius, labels, strict=True)])
    linked = sorted({i for pair in counts for i in pair})
    simple = nx.Graph()
    simple.add_nodes_from(nodes[i] for i in linked)
    simple.add_edges_from((nodes[a], nodes[b]) for a, b in counts)
    groups = _groups(simple, camps)
    camp = np.zeros(len(nodes), dtype=int)
    for k, members in enumerate(groups):
        camp[[index[m] for m in members]] = k
    room = (boxes[:, 2] - boxes[:, 0] + GAP) * (boxes[:, 3] - boxes[:, 1] + GAP)
    reach = np.array([max(EDGE * 0.5 * math.sqrt(len(m)), math.sqrt(sum(room[index[x]] for x in m) / (math.pi * 0.4)))
                      + 2 * radius.max() for m in groups])
    centres = _place_camps(groups, reach, pairs, camp, linked)
    main = set(core)
    weight = np.array([2.0 if nodes[a] in main and nodes[b] in main else 1.0 for a, b in pairs])
    pos = np.zeros((len(nodes), 2))
    if linked:
        rows = np.array(linked)
        local = {i: r for r, i in enumerate(linked)}
        sub_pairs = np.array([[local[a], local[b]] for a, b in pairs], dtype=int).reshape(-1, 2)
        strength = np.array([1.0 + 0.5 * math.log2(counts[a, b]) for a, b in pairs])
        small = len(sub_pairs) <= UNCROSS_UP_TO
        tries = []
        for attempt in range(STARTS if len(sub_pairs) <= FINE_UP_TO else 1):
            start = np.zeros((len(rows), 2))
            for k, members in enumerate(groups):
                inner = _inner(simple, members, seed + attempt)
                for m in members:
                    start[local[index[m]]] = centres[k] + 0.8 * reach[k] * np.array(inner[m])
            placed = refine(start, sub_pairs, strength, length=EDGE, centres=centres[camp[rows]],
                            reach=reach[camp[rows]], pull=0.2)
            placed = separate(_spread(placed, camp[rows], centres, reach), boxes[rows], gap=GAP)
            tries.append((crossings(placed, sub_pairs, weight) if small else 0.0, attempt, placed))
        placed = min(tries, key=lambda t: (t[0], t[1]))[2]
        if small and len(sub_pairs):
            placed = uncross(placed, sub_pairs, boxes[rows], length=EDGE, gap=GAP,
                             centres=centres[camp[rows]], reach=reach[camp[rows]], weight=weight, sweeps=4)
        pos[rows] = placed
    _shelve(pos, radius, [i for i in range(len(nodes)) if i not in set(linked)], linked)
    return {node: (round(float(x)), round(float(y))) for node, (x, y) in zip(nodes, pos, strict=True)}


def _spread(pos, camp, centres, reach):
    """Each camp whose nodes the springs pulled closer than its disc allows (hubs with hundreds of
    ties do), spread out about its centre to fill the disc; the others as they are."""
    import numpy as np

    pos = pos.copy()
    for k in np.unique(camp):
        rows = camp == k
        offset = pos[rows] - centres[k]
        rms = float(np.sqrt((offset**2).sum(axis=1).mean()))
        want = 0.7 * float(reach[k])
        if 1e-9 < rms < want:
            pos[rows] = centres[k] + offset * (want / rms)
    return pos


def _inner(simple, members: list[str], seed: int) -> dict:
    """A camp's own layout in [-1, 1]: :func:`spring` for a camp of up to :data:`SPRING_UP_TO`
    actors; seeded random spots in the disc for a larger one (the refinement lays it out)."""
    import numpy as np

    if len(members) <= SPRING_UP_TO:
        return spring(simple.subgraph(members), seed=seed)
    rng = np.random.default_rng(seed)
    angle, r = rng.random(len(members)) * 2 * math.pi, np.sqrt(rng.random(len(members)))
    return {m: (float(r[i] * math.cos(angle[i])), float(r[i] * math.sin(angle[i]))) for i, m in enumerate(members)}


def _room(radius: float) -> float:
    """The radius a node's room is laid out with (:data:`ROOM_STEP`): never less than the node's own.

    >>> _room(29.4), _room(29.5), _room(30.0), _room(30.1)
    (30.0, 30.0, 30.0, 36.0)
    """
    return math.ceil(radius / ROOM_STEP) * ROOM_STEP


def _box(radius: float, label: str) -> tuple[float, float, float, float]:
    """A node's box around its centre (left, top, right, bottom): the shape, and its label's room."""
    if not label:
        return (-radius, -radius, radius, radius)
    half = max(radius, min(LABEL_CHAR * len(label), LABEL_WIDTH) / 2)
    return (-half, -radius, half, radius + LABEL_HEIGHT)


def _groups(simple, camps: list[list[str]] | None) -> list[list[str]]:
    """The camps restricted to linked nodes, plus one group per connected part of the rest."""
    import networkx as nx

    seen: set[str] = set()
    groups = []
    for members in camps or []:
        kept = sorted(m for m in members if m in simple and m not in seen)
        if kept:
            groups.append(kept)
            seen.update(kept)
    rest = simple.subgraph(n for n in simple if n not in seen)
    groups += [sorted(part) for part in nx.connected_components(rest)]
    return sorted(groups, key=lambda m: (-len(m), m[0]))


def _place_camps(groups, reach, pairs, camp, linked):
    """Centres for the camps' discs: apart from each other, tied camps side by side."""
    import numpy as np

    k = len(groups)
    ties = np.zeros((k, k))
    for a, b in pairs:
        if camp[a] != camp[b]:
            ties[camp[a], camp[b]] += 1
            ties[camp[b], camp[a]] += 1
    golden = math.pi * (3 - math.sqrt(5))
    spread = float(reach.sum()) if k else 0.0
    centres = np.array([[math.cos(i * golden), math.sin(i * golden)] for i in range(k)]) * \
        np.array([spread * math.sqrt(i / max(k, 1)) for i in range(k)])[:, None]
    if k < 2:
        return centres.reshape(k, 2)
    strength = ties / max(float(ties.max()), 1.0)
    for _ in range(400):
        delta = centres[:, None, :] - centres[None, :, :]
        d = np.maximum(np.linalg.norm(delta, axis=-1), 1e-6)
        need = reach[:, None] + reach[None, :] + 2 * GAP
        push = np.where(d < need, (need - d) / 2, 0.0)
        pull = np.where(d > need, -0.05 * strength * (d - need), 0.0)
        np.fill_diagonal(push, 0.0)
        shift = np.einsum("ijk,ij->ik", delta / d[..., None], push + pull)
        shift -= 0.01 * centres   # camps with no tie between them still stay near the others
        centres = centres + shift
    return centres


def _shelve(pos, radius, lonely: list[int], linked: list[int]) -> None:
    """Put the nodes with no relation in rows under the drawing (in ``pos``, in place)."""
    if not lonely:
        return
    cell = 2 * float(radius.max()) + 4 * GAP
    if linked:
        left, right = float(pos[linked, 0].min()), float(pos[linked, 0].max())
        top = float(pos[linked, 1].max()) + 2 * cell
    else:
        left = right = top = 0.0
    per_row = max(int((right - left) // cell) + 1, math.ceil(math.sqrt(len(lonely))))
    for n, i in enumerate(lonely):
        pos[i] = (left + (n % per_row) * cell, top + (n // per_row) * cell * 0.7)
