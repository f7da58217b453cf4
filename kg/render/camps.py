"""The map's camps: the analysis' signed blocs, grown to the actors tied to them, and their summaries.

A camp keeps its actors together in the layout and becomes one cluster node in the
aggregated view of a large map. The signed blocs (:mod:`kg.analysis.balance`) only hold
actors with cooperative or adversarial ties; the others (a region, an agreement, an
organisation its members belong to) join the camp most of their relations lead to.

>>> import networkx as nx
>>> g = nx.Graph([("Turkey", "SNA"), ("SNA", "Afrin"), ("Russia", "Syria")])
>>> g.add_node("Cyprus")
>>> blocs = {"Turkey": 1, "SNA": 1, "Russia": 2, "Syria": 2}
>>> camps(g, blocs.get, least=2)
[['Afrin', 'SNA', 'Turkey'], ['Russia', 'Syria']]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

#: a cluster node's name lists this many of its most central actors.
NAMED = 2


def camps(g, bloc_of: Callable[[str], int | None], *, least: int = 3, rounds: int = 4) -> list[list[str]]:
    """The camps of the actors of ``g`` that have relations, largest first (each sorted).

    ``bloc_of`` gives an actor's signed bloc (None: in none); blocs with fewer than
    ``least`` actors in ``g`` are dropped. For ``rounds`` rounds, each actor in no camp
    joins the one most of its relations lead to (ties: the larger camp). Actors left
    over are in no camp.
    """
    linked = sorted(n for n in g if any(m != n for m in _neighbours(g, n)))
    found: dict[int, list[str]] = {}
    for node in linked:
        bloc = bloc_of(node)
        if bloc is not None:
            found.setdefault(bloc, []).append(node)
    kept = sorted((m for m in found.values() if len(m) >= least), key=lambda m: (-len(m), m[0]))
    camp_of = {node: k for k, members in enumerate(kept) for node in members}
    for _ in range(rounds):
        joined = {}
        for node in linked:
            if node in camp_of:
                continue
            votes: dict[int, int] = {}
            for other in _neighbours(g, node):
                if other in camp_of:
                    votes[camp_of[other]] = votes.get(camp_of[other], 0) + _ties(g, node, other)
            if votes:
                joined[node] = min(votes, key=lambda k: (-votes[k], k))
        if not joined:
            break
        camp_of.update(joined)
    members: list[list[str]] = [[] for _ in kept]
    for node, k in camp_of.items():
        members[k].append(node)
    return sorted((sorted(m) for m in members), key=lambda m: (-len(m), m[0]))


def clusters(g, groups: list[list[str]], scores: Mapping[str, float], classes: Mapping[str, str]) -> list[dict]:
    """The cluster nodes of the aggregated view: one per camp, then one per class for the rest.

    Each is ``{"id", "label", "title", "members", "kind"}``; the label names the
    :data:`NAMED` most central members (by ``scores``), ``classes`` maps an actor class
    to its plural ("states").
    """
    out = []
    placed = set()
    for k, members in enumerate(groups, 1):
        out.append(_cluster(g, f"camp:{k}", f"bloc {k}", members, scores, "bloc"))
        placed.update(members)
    rest: dict[str, list[str]] = {}
    for node, d in sorted(g.nodes(data=True)):
        if node not in placed:
            rest.setdefault(d["cls"], []).append(node)
    for cls, members in rest.items():
        out.append(_cluster(g, f"class:{cls}", f"other {classes.get(cls, cls)}", members, scores, "class"))
    return out


def _cluster(g, key: str, name: str, members: list[str], scores, kind: str) -> dict:
    top = sorted(members, key=lambda n: (-scores.get(n, 0.0), n))
    named = [g.nodes[n]["label"] for n in top[:NAMED]]
    more = len(members) - len(named)
    label = ", ".join(named) + (f" +{more}" if more else "")
    title = (f"{name}: {len(members)} actor{'s' if len(members) != 1 else ''}, the most central "
             f"{', '.join(g.nodes[n]['label'] for n in top[:6])}\nclick to open")
    return {"id": key, "label": label, "title": title, "members": members, "kind": kind, "name": name}


def _neighbours(g, node):
    if g.is_directed():
        return set(g.successors(node)) | set(g.predecessors(node))
    return set(g.neighbors(node))


def _ties(g, a, b) -> int:
    """How many relations join ``a`` and ``b`` (either way)."""
    count = g.number_of_edges(a, b)
    if g.is_directed():
        count += g.number_of_edges(b, a)
    return count
