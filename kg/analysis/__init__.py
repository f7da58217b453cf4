"""Network analysis of the knowledge graph: one family of analyses per module.

- :mod:`kg.analysis.conflicts`  conflicts of interest: pairs that cooperate and are opposed
- :mod:`kg.analysis.centrality` who matters: degree, betweenness, eigenvector, PageRank, brokers
- :mod:`kg.analysis.balance`    structural balance: triads, frustration, signed blocs
- :mod:`kg.analysis.report`     all of them together, as JSON, Markdown and RDF

Every analysis is a pure function over the ``networkx.MultiDiGraph`` that
:func:`kg.network.to_networkx` makes (graph first, keyword parameters, plain
dataclasses back). :class:`Projection` names the graph an analysis runs on, so a
report can say which one it was.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

#: the classes of actor that can be one side of a pair or a node of the actor graph, by view.
ENDPOINT_CLASSES: dict[str, frozenset[str]] = {
    "all": frozenset({"State", "ArmedGroup", "Leader", "Organization"}),
    "actors": frozenset({"State", "ArmedGroup", "Leader", "Organization"}),
    "states": frozenset({"State"}),
}


@dataclass(frozen=True)
class Projection:
    """Which part of the knowledge graph an analysis looks at (the CLI's shared options).

    ``view`` is ``all``, ``actors`` or ``states``; ``relations`` relation or family
    names (empty: all); ``as_of``/``start``/``end`` a date window; ``curated_only``
    drops evidence found by the extractor.
    """

    view: str = "actors"
    relations: tuple[str, ...] = ()
    as_of: str | None = None
    start: str | None = None
    end: str | None = None
    curated_only: bool = False

    def __post_init__(self):
        from ..errors import UsageError
        from ..namespaces import RELATIONS
        from ..network import FAMILIES, VIEWS

        if self.view not in VIEWS:
            raise UsageError(f"--view: unknown view {self.view!r}; choose one of {', '.join(VIEWS)}")
        for name in self.relations:
            if name not in RELATIONS and name not in FAMILIES:
                raise UsageError(f"--relations: unknown relation or family {name!r}; choose from "
                                 f"{', '.join([*RELATIONS, *FAMILIES])}")
        _check_date("--as-of", self.as_of)
        _check_date("--from", self.start)
        _check_date("--to", self.end)

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
        return "; ".join(parts)

    def to_dict(self) -> dict:
        return {**asdict(self), "relations": list(self.relations)}


def network(graph, projection: Projection | None = None, *, view: str | None = None):
    """The MultiDiGraph of ``graph`` (an rdflib Graph or Dataset) under ``projection``.

    ``view`` overrides the projection's view (conflicts need every actor as an
    intermediary and apply the view to the pair's two ends instead).
    """
    from ..network import to_networkx

    projection = projection or Projection()

    return to_networkx(graph, view=view or projection.view, relations=list(projection.relations) or None,
                       as_of=_last_day(projection.as_of), start=_first_day(projection.start),
                       end=_last_day(projection.end),
                       curated_only=projection.curated_only)


def evidence_weight(data: dict) -> float:
    """An edge's weight: the sum of its evidence's confidence (1 per curated quote)."""
    items = data.get("evidence") or []
    if not items:
        return float(data.get("confidence", 1.0)) * max(1, int(data.get("weight", 1)))
    return float(sum(e.get("confidence", 1.0) for e in items))


def _first_day(value: str | None) -> str | None:
    """``2020`` -> ``2020-01-01``, ``2020-03`` -> ``2020-03-01`` (a window starts on its first day)."""
    return value + "-01-01"[len(value) - 4:] if value and len(value) < 10 else value


def _last_day(value: str | None) -> str | None:
    """``2020`` -> ``2020-12-31``, ``2020-02`` -> ``2020-02-29`` (a window ends on its last day)."""
    import calendar

    if not value or len(value) == 10:
        return value
    if len(value) == 4:
        return value + "-12-31"
    year, month = int(value[:4]), int(value[5:7])
    return f"{value}-{calendar.monthrange(year, month)[1]:02d}"


def _check_date(flag: str, value: str | None) -> None:
    from datetime import date

    from ..errors import UsageError

    if value is None:
        return
    padded = value + "-01-01"[len(value) - 4:] if len(value) in (4, 7) else value
    try:
        date.fromisoformat(padded)
        ok = len(value) in (4, 7, 10)
    except ValueError:
        ok = False
    if not ok:
        raise UsageError(f"{flag} {value!r} is not a date; write YYYY-MM-DD (or YYYY-MM, YYYY)")
