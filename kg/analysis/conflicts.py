"""Conflicts of interest: pairs of actors that cooperate and are, at the same time, on opposite sides.

A **conflict of interest** is a pair of actors A, B (both a State, ArmedGroup,
Leader or Organization) with at least one *cooperative tie* and at least one
*adversarial tie* in the graph analysed (so within the chosen date window):

cooperative ties (each a chain of evidence)
    ``direct``     a cooperative relation between A and B (alliedWith, cooperatesWith,
                   backs, leaderOf, memberOf, either direction);
    ``agreement``  A and B are both ``partyTo`` the same agreement (a deal, a truce, a purchase).

adversarial ties
    ``direct``     A opposes B, or one attacked the other;
    ``proxy``      through the armed groups they back (a ``kg:ProxyGroup`` when the patron is a state):
                   A backs X and X fights B (or B attacks X); or A backs X, B backs Y and
                   X and Y fight ("fights" is opposes or attacked, either direction), X and
                   Y armed groups.

Backing a client that is not an armed group (a state backing a state, a government,
an organization or a person) is **patronage**, not a proxy relation: such a chain
("Russia backs Syria; Syria attacked Turkey") is listed with the pair as ``patronage``
but not counted in its hostility, and makes no pair on its own.

A leader acts for what he leads: the analyses fold a leader of one actor into it
(:mod:`kg.analysis.leaders`), so his ties count as that actor's and a link keeps the
statement's own ends ("VladimirPutin backs RecepTayyipErdogan", counted as Russia
backs Turkey). An actor and what it leads are never a pair, even when the leader leads
several actors and stays a node of his own.

Each tie is a chain of links; each link is one ``kg:Statement`` with its quotes,
articles and dates. A link weighs the sum of its evidence's confidence (1 per
curated quote); a chain weighs its weakest link, halved for every ``backs`` step
(``proxy_discount``); when one side of an agreement chain is several links (a state
and its folded leader both party to it), that side weighs their sum. The pair's
**cooperation** and **hostility** are the sums of its chains' weights, and its
**score** is their geometric mean ``sqrt(cooperation * hostility)``: high only when
both sides are strong. Pairs are ranked by score (then by ids). ``kind`` says how the
adversarial side is established: ``direct``, ``proxy`` or ``direct+proxy``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from . import ENDPOINT_CLASSES, evidence_weight

#: the definition, as the CLI's help and the README give it.
DEFINITION = (
    "A conflict of interest is a pair of actors with at least one cooperative tie (a cooperative "
    "relation between them, or both party to the same agreement) and at least one adversarial tie "
    "(one opposes or attacked the other; or, through proxies, one backs an armed group that fights the "
    "other, or each backs an armed group and the two groups fight; backing a state or another client "
    "that is not an armed group is patronage, shown but not counted). A leader's ties count as those "
    "of the one state or group he leads, and an actor and what it leads are never a pair. "
    "Score = sqrt(cooperation x hostility), each the sum of its chains' weights; a chain weighs its "
    "weakest link (evidence count weighted by confidence), halved per proxy step."
)

#: the class of actor a proxy is (kg:ProxyGroup is an ArmedGroup some state backs).
PROXY_CLASS = "ArmedGroup"

PROXY_DISCOUNT = 0.5


@dataclass(frozen=True)
class Link:
    """One relation of a chain: a ``kg:Statement`` and its evidence."""

    statement: str
    subject: str
    relation: str
    object: str
    weight: float
    evidence: tuple[dict, ...] = ()
    counted_as: tuple[str, ...] = ()   # (subject, object) it counts for when a folded leader's, else ()

    def to_dict(self, *, evidence: bool = True) -> dict:
        data = {"statement": self.statement, "subject": self.subject, "relation": self.relation,
                "object": self.object, "weight": round(self.weight, 6)}
        if evidence:
            data["evidence"] = [dict(e) for e in self.evidence]
        if self.counted_as:
            data["counted_as"] = list(self.counted_as)
        return data

    def text(self) -> str:
        """The statement, and what it counts as when a leader stands for what he leads.

        >>> Link("st", "Putin", "backs", "Erdogan", 1.0, counted_as=("Russia", "Turkey")).text()
        'Putin backs Erdogan (as Russia backs Turkey)'
        """
        text = f"{self.subject} {self.relation} {self.object}"
        if self.counted_as:
            text += f" (as {self.counted_as[0]} {self.relation} {self.counted_as[1]})"
        return text


@dataclass(frozen=True)
class Chain:
    """A tie between the two actors of a pair, as the links that establish it."""

    kind: str                  # "direct", "agreement", "proxy" or "patronage" (not counted)
    links: tuple[Link, ...]
    weight: float
    via: tuple[str, ...] = ()  # the agreement or the proxies in between

    def to_dict(self, *, evidence: bool = True) -> dict:
        return {"kind": self.kind, "via": list(self.via), "weight": round(self.weight, 6),
                "links": [link.to_dict(evidence=evidence) for link in self.links]}

    def text(self) -> str:
        return "; ".join(link.text() for link in self.links)


@dataclass
class ConflictOfInterest:
    """A pair of actors with cooperative and adversarial ties, and the evidence of both."""

    a: str
    b: str
    score: float
    cooperation: float
    hostility: float
    kind: str
    cooperative: list[Chain] = field(default_factory=list)
    adversarial: list[Chain] = field(default_factory=list)
    patronage: list[Chain] = field(default_factory=list)   # hostility through non-proxy clients: not counted
    rank: int = 0
    labels: tuple[str, str] = ("", "")

    @property
    def pair(self) -> tuple[str, str]:
        return self.a, self.b

    def to_dict(self, *, evidence: bool = True) -> dict:
        """The pair as JSON data; without ``evidence``, its links name their statement only."""
        return {"rank": self.rank, "a": self.a, "b": self.b, "labels": list(self.labels),
                "score": round(self.score, 6), "cooperation": round(self.cooperation, 6),
                "hostility": round(self.hostility, 6), "kind": self.kind,
                "cooperative": [c.to_dict(evidence=evidence) for c in self.cooperative],
                "adversarial": [c.to_dict(evidence=evidence) for c in self.adversarial],
                "patronage": [c.to_dict(evidence=evidence) for c in self.patronage]}


def conflicts_of_interest(g, *, endpoints=None, proxy_discount: float = PROXY_DISCOUNT,
                          top: int | None = None) -> list[ConflictOfInterest]:
    """The pairs of actors that have both a cooperative and an adversarial tie, best first.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        As made by :func:`kg.network.to_networkx` (edges with ``relation``, ``sign``,
        ``statement`` and ``evidence``). Use the ``all`` view so that agreements and
        proxies are there to be passed through.
    endpoints : collection of class names, optional
        Which classes of actor may be one of the pair (default: states, armed groups,
        leaders and organizations; ``{"State"}`` for states only).
    proxy_discount : float
        What a chain's weight is multiplied by for each ``backs`` step.
    top : int, optional
        Return only the best ``top`` pairs.

    Returns
    -------
    list of ConflictOfInterest
        Ranked by score (highest first; ties by ids), ``rank`` starting at 1.

    Examples
    --------
    Ankara and Moscow signed a deal, and Moscow bombed a group Ankara backs:

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from(["Turkey", "Russia"], cls="State")
    >>> g.add_node("Deal", cls="Agreement"); g.add_node("Rebels", cls="ArmedGroup")
    >>> for s, p, o, sign in [("Turkey", "partyTo", "Deal", 1), ("Russia", "partyTo", "Deal", 1),
    ...                       ("Turkey", "backs", "Rebels", 1), ("Russia", "attacked", "Rebels", -1)]:
    ...     _ = g.add_edge(s, o, key=p, relation=p, sign=sign, statement=f"{s}.{p}.{o}",
    ...                    evidence=[{"quote": "...", "confidence": 1.0}])
    >>> [(c.a, c.b, c.kind, c.score) for c in conflicts_of_interest(g)]
    [('Russia', 'Turkey', 'proxy', 0.707107)]
    """
    classes = frozenset(endpoints) if endpoints is not None else ENDPOINT_CLASSES["actors"]

    def eligible(node: str) -> bool:
        return g.nodes[node].get("cls") in classes

    cooperative: dict[tuple[str, str], list[Chain]] = defaultdict(list)
    adversarial_edges: list[tuple[str, str, Link]] = []
    patrons: dict[str, list[tuple[str, Link]]] = defaultdict(list)
    parties: dict[str, dict[str, list[Link]]] = defaultdict(lambda: defaultdict(list))
    leads: set[tuple[str, str]] = set()
    for u, v, d in sorted(g.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("relation", ""),
                                                               e[2].get("statement", ""))):
        if u == v:
            continue
        link = _link(u, v, d)
        if d.get("relation") == "leaderOf":
            leads.add(_key(u, v))
        if d.get("sign", 0) < 0:
            adversarial_edges.append((u, v, link))
        elif d.get("sign", 0) > 0:
            if d["relation"] == "partyTo":
                parties[v][u].append(link)
                continue
            if d["relation"] == "backs":
                patrons[v].append((u, link))
            if eligible(u) and eligible(v):
                cooperative[_key(u, v)].append(Chain("direct", (link,), link.weight))
    for agreement, members in sorted(parties.items()):
        names = sorted(members)
        for i, p in enumerate(names):
            for q in names[i + 1:]:
                if eligible(p) and eligible(q):
                    lp, lq = members[p], members[q]
                    weight = min(sum(link.weight for link in lp), sum(link.weight for link in lq))
                    cooperative[(p, q)].append(Chain("agreement", (*lp, *lq), weight, (agreement,)))

    adversarial: dict[tuple[str, str], list[Chain]] = defaultdict(list)
    patronage: dict[tuple[str, str], list[Chain]] = defaultdict(list)
    for x, y, fight in adversarial_edges:
        for p, backs_x in [(x, None), *patrons.get(x, [])]:
            if not eligible(p):
                continue
            for q, backs_y in [(y, None), *patrons.get(y, [])]:
                if not eligible(q):
                    continue
                nodes = [p, *([x] if backs_x else []), *([y] if backs_y else []), q]
                if len(set(nodes)) != len(nodes) or _key(p, q) not in cooperative:
                    continue
                links = tuple(link for link in (backs_x, fight, backs_y) if link is not None)
                steps = (backs_x is not None) + (backs_y is not None)
                weight = min(link.weight for link in links) * proxy_discount ** steps
                via = tuple(n for n, via_link in ((x, backs_x), (y, backs_y)) if via_link is not None)
                kind = "direct" if not steps else \
                    "proxy" if all(g.nodes[n].get("cls") == PROXY_CLASS for n in via) else "patronage"
                if p > q:
                    links, via = links[::-1], via[::-1]
                (patronage if kind == "patronage" else adversarial)[_key(p, q)].append(
                    Chain(kind, links, weight, via))

    found = []
    for pair in sorted((set(cooperative) & set(adversarial)) - leads):
        coop = sorted(cooperative[pair], key=_chain_order)
        adv = sorted(adversarial[pair], key=_chain_order)
        cooperation = sum(c.weight for c in coop)
        hostility = sum(c.weight for c in adv)
        kinds = {c.kind for c in adv}
        kind = "direct+proxy" if kinds == {"direct", "proxy"} else kinds.pop()
        found.append(ConflictOfInterest(
            a=pair[0], b=pair[1], score=round(math.sqrt(cooperation * hostility), 6),
            cooperation=cooperation, hostility=hostility, kind=kind, cooperative=coop,
            adversarial=adv, patronage=sorted(patronage[pair], key=_chain_order),
            labels=(g.nodes[pair[0]].get("label", pair[0]), g.nodes[pair[1]].get("label", pair[1]))))
    found.sort(key=lambda c: (-c.score, c.a, c.b))
    for rank, conflict in enumerate(found, 1):
        conflict.rank = rank
    return found[:top] if top is not None else found


def _key(u: str, v: str) -> tuple[str, str]:
    return (u, v) if u < v else (v, u)


def _chain_order(chain: Chain):
    return (-chain.weight, chain.kind, [link.statement for link in chain.links])


def _link(u: str, v: str, d: dict) -> Link:
    evidence = tuple(
        {key: e.get(key, "") for key in ("quote", "article", "date", "method", "confidence", "asserted_by")}
        for e in d.get("evidence") or ())
    subject, obj = d.get("stated") or (u, v)
    return Link(statement=d.get("statement", f"{subject}.{d.get('relation')}.{obj}"), subject=subject,
                relation=d.get("relation", ""), object=obj, weight=evidence_weight(d), evidence=evidence,
                counted_as=(u, v) if (subject, obj) != (u, v) else ())
