"""Network analysis of the knowledge graph: one family of analyses per module.

- :mod:`kg.analysis.leaders`    a leader acts for what he leads: leaders folded into their state or group
- :mod:`kg.analysis.conflicts`  conflicts of interest: pairs that cooperate and are opposed
- :mod:`kg.analysis.centrality` who matters: degree, betweenness, eigenvector, PageRank, brokers
- :mod:`kg.analysis.balance`    structural balance: triads, frustration, signed blocs
- :mod:`kg.analysis.report`     all of them together, as JSON, Markdown and RDF

Every analysis is a pure function over the ``networkx.MultiDiGraph`` that
:func:`kg.network.to_networkx` makes (graph first, keyword parameters, plain
dataclasses back). :class:`Projection` names the graph an analysis runs on, so a
report can say which one it was; :func:`network` makes it, with every leader of one
actor folded into that actor (:mod:`kg.analysis.leaders`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx

from ..dates import PartialDate
from ..errors import UsageError
from ..network import project, read_network
from ..vocabulary import AGENT_CLASSES, check_view, expand
from .leaders import fold_leaders

#: the classes of actor that can be one side of a pair or a node of the actor graph, by view.
ENDPOINT_CLASSES: dict[str, frozenset[str]] = {
    "all": AGENT_CLASSES,
    "actors": AGENT_CLASSES,
    "states": frozenset({"State"}),
}


@dataclass(frozen=True)
class Projection:
    """Which part of the knowledge graph an analysis looks at (the CLI's shared options).

    ``view`` is ``all``, ``actors`` or ``states``; ``relations`` relation or family
    names (empty: all); ``as_of``/``start``/``end`` a date window (dates or their text:
    ``2020``, ``2020-03``, ``2020-03-05``; a partial date covers its whole year or month);
    ``curated_only`` drops evidence found by the extractor; ``fold_leaders`` (default
    True) counts a leader's ties as the ties of the one actor he leads
    (:mod:`kg.analysis.leaders`). A window that starts after it ends is refused.

    >>> Projection(view="states", relations=("backs",), start="2020").describe()
    'view=states; relations=backs; from=2020; evidence=all (weighted by confidence); leaders=folded into what they lead'
    >>> Projection(end="2020-13")
    Traceback (most recent call last):
    kg.errors.UsageError: the end of the window: '2020-13' is not a date...
    >>> Projection(start="2021", end="2020-06")
    Traceback (most recent call last):
    kg.errors.UsageError: the start of the window (2021) is later than its end (2020-06): no date falls inside it; give a start no later than the end
    """

    view: str = "actors"
    relations: tuple[str, ...] = ()
    as_of: PartialDate | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    curated_only: bool = False
    fold_leaders: bool = True

    def __post_init__(self) -> None:
        check_view(self.view)
        expand(self.relations)
        for name, what in (("as_of", "the as-of date"), ("start", "the start of the window"),
                           ("end", "the end of the window")):
            value: Any = getattr(self, name)
            if isinstance(value, str):
                try:
                    object.__setattr__(self, name, PartialDate.parse(value))
                except ValueError as exc:
                    raise UsageError(f"{what}: {exc}") from None
        for end, what in ((self.end, "its end"), (self.as_of, "the as-of date")):
            if self.start and end and self.start.is_after(end):
                raise UsageError(f"the start of the window ({self.start}) is later than {what} ({end}): "
                                 "no date falls inside it; give a start no later than the end")

    def describe(self) -> str:
        parts = [f"view={self.view}",
                 f"relations={','.join(self.relations) if self.relations else 'all'}"]
        if self.as_of:
            parts.append(f"as-of={self.as_of}")
        if self.start:
            parts.append(f"from={self.start}")
        if self.end:
            parts.append(f"to={self.end}")
        parts.append("evidence=curated only" if self.curated_only else "evidence=all (weighted by confidence)")
        parts.append("leaders=folded into what they lead" if self.fold_leaders else "leaders=kept apart")
        return "; ".join(parts)

    def to_dict(self) -> dict:
        data = asdict(self)
        data.update(relations=list(self.relations),
                    **{k: str(data[k]) if data[k] else None for k in ("as_of", "start", "end")})
        return data


def network(graph: Any, projection: Projection | None = None, *, view: str | None = None) -> nx.MultiDiGraph:
    """The MultiDiGraph of ``graph`` under ``projection``.

    ``graph`` is a network :func:`kg.network.read_network` made (projected without
    reading RDF again), or an rdflib Graph or Dataset built by kg. ``view`` overrides the
    projection's view (conflicts need every actor as an intermediary and apply the view
    to the pair's two ends instead).

    The steps: the date window and the evidence filter; then, unless the projection
    says otherwise, the leaders folded into what they lead (so leadership is read in
    the window, from every relation, and a leader's ties count in the ``states`` view);
    then the view and the relations. ``graph["folded"]`` maps each folded leader to the
    actor he leads (``graph["folded_labels"]`` to his label).
    """
    projection = projection or Projection()
    whole = graph if isinstance(graph, nx.MultiDiGraph) else read_network(graph)
    start, end, as_of = projection.start, projection.end, projection.as_of
    g = project(whole, as_of=as_of, start=start, end=end, curated_only=projection.curated_only)
    g = fold_leaders(g) if projection.fold_leaders else g
    h = project(g, view=view or projection.view, relations=list(projection.relations) or None,
                as_of=as_of, start=start, end=end)
    h.graph.update(folded=g.graph.get("folded", {}), folded_labels=g.graph.get("folded_labels", {}))
    return h


def evidence_weight(data: dict) -> float:
    """An edge's weight: the sum of its evidence's confidence (1 per curated quote)."""
    items = data.get("evidence") or []
    if not items:
        return float(data.get("confidence", 1.0)) * max(1, int(data.get("weight", 1)))
    return float(sum(e.get("confidence", 1.0) for e in items))
