"""A leader acts for what he leads: his ties, in the analyses, are the ties of his state or group.

The analyses look at states, armed groups and organizations as actors; a head of state's
ties are his state's ties ("Putin backs Erdoğan" is Russia backing Turkey's leader).
Left as separate nodes, a leader and his own state come out as a conflict of interest
(Russia – Vladimir Putin, through "Putin backs Erdoğan" and "Erdoğan opposes Syria"
against "Russia backs Syria") and fall into different signed blocs.

The rule, applied by every analysis (:func:`kg.analysis.network`), after the date window
and the evidence filter and before the view and the relations:

- a **Leader** who, in the graph analysed, is ``leaderOf`` exactly one actor (a State,
  ArmedGroup or Organization: the relation's range) is **folded** into it: the node goes
  and each of his relations is re-attached to that actor, keeping its statement and its
  evidence (the edge remembers the statement's own ends in ``stated``, so a report still
  shows "VladimirPutin backs RecepTayyipErdogan" as the link);
- the leadership itself, and any tie between a leader and what he leads, becomes a loop
  and is dropped: a state never faces its own leader;
- a leader of no actor, or of several, stays a node of his own.

Dates: leadership is read in the same window as every other tie. With a date window, a
leader is folded when the window holds evidence that he leads the actor (a ``leaderOf``
edge dated inside it), or when his ``leaderOf`` fact is undated; the whole graph adds up
all of its evidence, and so does the fold. A leader who leads different actors at
different dates is folded into each in a window that holds only one of them, and stays
himself in a window that holds both.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from ..vocabulary import RELATIONS

#: what a leader can be folded into: the range of ``leaderOf``.
LED_CLASSES: frozenset[str] = frozenset(RELATIONS["leaderOf"].range or ())


def led_by(g: nx.MultiDiGraph) -> dict[str, str]:
    """Each Leader of ``g`` who is ``leaderOf`` exactly one actor, and that actor.

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from(["Russia", "Turkey"], cls="State"); g.add_node("Putin", cls="Leader")
    >>> _ = g.add_edge("Putin", "Russia", relation="leaderOf")
    >>> led_by(g)
    {'Putin': 'Russia'}
    >>> _ = g.add_edge("Putin", "Turkey", relation="leaderOf")
    >>> led_by(g)
    {}
    """
    led: dict[str, set[str]] = defaultdict(set)
    for u, v, d in g.edges(data=True):
        if d.get("relation") == "leaderOf" and u != v and g.nodes[u].get("cls") == "Leader" \
                and g.nodes[v].get("cls") in LED_CLASSES:
            led[u].add(v)
    return {leader: min(actors) for leader, actors in sorted(led.items()) if len(actors) == 1}


def fold_leaders(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``g`` with every leader of exactly one actor folded into it (see the module's docstring).

    The result's ``graph["folded"]`` maps each folded leader to the actor he leads
    (``graph["folded_labels"]``: to his label). A re-attached edge keeps every attribute (relation, sign, statement, evidence, dates)
    and adds ``stated``: the statement's own (subject, object).

    Examples
    --------
    Putin backs Erdoğan: in the analyses, Russia backs Turkey, on that statement's evidence.

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from(["Russia", "Turkey"], cls="State")
    >>> g.add_nodes_from(["Putin", "Erdogan"], cls="Leader")
    >>> for s, p, o in [("Putin", "leaderOf", "Russia"), ("Erdogan", "leaderOf", "Turkey"),
    ...                 ("Putin", "backs", "Erdogan")]:
    ...     _ = g.add_edge(s, o, key=p, relation=p, statement=f"{s}.{p}.{o}")
    >>> h = fold_leaders(g)
    >>> sorted(h.nodes), h.graph["folded"]
    (['Russia', 'Turkey'], {'Erdogan': 'Turkey', 'Putin': 'Russia'})
    >>> [(u, v, d["relation"], d["stated"], d["statement"]) for u, v, d in h.edges(data=True)]
    [('Russia', 'Turkey', 'backs', ('Putin', 'Erdogan'), 'Putin.backs.Erdogan')]
    """
    folded = led_by(g)
    h = nx.MultiDiGraph(**{**g.graph, "folded": folded,
                           "folded_labels": {n: g.nodes[n].get("label", n) for n in folded}})
    h.add_nodes_from((n, d) for n, d in g.nodes(data=True) if n not in folded)
    for u, v, key, d in g.edges(keys=True, data=True):
        s, o = folded.get(u, u), folded.get(v, v)
        if (s, o) == (u, v):
            h.add_edge(u, v, key=key, **d)
        elif s != o:
            stated = d.get("stated", (u, v))
            h.add_edge(s, o, key=f"{key} {stated[0]}->{stated[1]}", **{**d, "stated": stated})
    return h
