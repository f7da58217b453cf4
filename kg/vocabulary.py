"""kg's vocabulary, defined once: the classes of actor and the relations between them.

Every part of kg that needs to know something about a relation — the curated-fact
parser, the RDF build, the network's signs, the extractor, the map's legend, the
exports — reads it from :data:`RELATIONS`. ``tests/test_vocabulary.py`` checks this
registry against ``ontology/kg.ttl`` (property, inverse, symmetry, transitivity,
domain and range) and ``ontology/shapes.ttl``, so adding a relation is one entry here
and its axioms there.

>>> RELATIONS["backs"].inverse, RELATIONS["backs"].sign, RELATIONS["opposes"].symmetric
('backedBy', 1, True)
>>> sorted(expand(["hostility"]))
['attacked', 'opposes']
>>> check_signature("partyTo", "State", "Region")
'partyTo needs an object of class Agreement, not Region'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .errors import UsageError
from .namespaces import KG_IRI

#: the classes of actor, by local name, in the order reports use.
ACTOR_CLASSES: tuple[str, ...] = ("State", "ArmedGroup", "Leader", "Organization", "Agreement", "Region")

#: the classes that can act (back, fight, lead...): every actor but agreements and places.
AGENT_CLASSES: frozenset[str] = frozenset({"State", "ArmedGroup", "Leader", "Organization"})

COOPERATIVE, ADVERSARIAL, NEUTRAL = 1, -1, 0


@dataclass(frozen=True)
class Relation:
    """One relation between actors, with everything kg's stages need to know about it.

    ``sign`` is +1 for cooperative ties, -1 for adversarial ones and 0 for the spatial
    ones; ``family`` groups relations an analyst projects onto together; ``domain`` and
    ``range`` are the actor classes allowed as subject and object (None: any actor);
    ``extracted`` says whether the extractor looks for the relation in text (locatedIn
    is left to curators); ``color``/``dashes``/``text`` are its style in the map legend.
    """

    name: str
    sign: int
    family: str
    text: str
    color: str
    dashes: tuple[int, ...] | None = None
    symmetric: bool = False
    transitive: bool = False
    inverse: str | None = None
    domain: frozenset[str] | None = None
    range: frozenset[str] | None = None
    extracted: bool = True

    @property
    def iri(self) -> str:
        return KG_IRI + self.name

    @property
    def cooperative(self) -> bool:
        return self.sign == COOPERATIVE

    @property
    def adversarial(self) -> bool:
        return self.sign == ADVERSARIAL

    def canonical(self, subject: str, obj: str) -> tuple[str, str]:
        """The pair in the order the graph stores it: a symmetric relation's ends sorted.

        >>> RELATIONS["opposes"].canonical("Turkey", "Russia"), RELATIONS["backs"].canonical("Turkey", "Russia")
        (('Russia', 'Turkey'), ('Turkey', 'Russia'))
        """
        return (obj, subject) if self.symmetric and obj < subject else (subject, obj)


_AGENTS = AGENT_CLASSES
_PLACE = frozenset({"Region"})

#: the relations between actors, by local name, in the order reports use.
RELATIONS: dict[str, Relation] = {r.name: r for r in (
    Relation("leaderOf", COOPERATIVE, "leadership", "leader of", "#7f7f7f", inverse="hasLeader",
             domain=frozenset({"Leader"}), range=frozenset({"State", "ArmedGroup", "Organization"})),
    Relation("backs", COOPERATIVE, "patronage", "backs: patron → proxy or client", "#8e44ad", (10, 6),
             inverse="backedBy"),
    Relation("alliedWith", COOPERATIVE, "cooperation", "allied with", "#1a9850", symmetric=True),
    Relation("cooperatesWith", COOPERATIVE, "cooperation", "cooperates with", "#78c679", symmetric=True),
    Relation("opposes", ADVERSARIAL, "hostility", "opposes: hostility, fighting", "#d62728", symmetric=True),
    Relation("attacked", ADVERSARIAL, "hostility", "attacked: attacker → target", "#7b0000",
             inverse="attackedBy"),
    Relation("partyTo", COOPERATIVE, "agreements", "party to an agreement", "#17a2b8", (4, 4),
             inverse="hasParty", range=frozenset({"Agreement"})),
    Relation("memberOf", COOPERATIVE, "leadership", "member of", "#5b7fa6", inverse="hasMember"),
    Relation("operatesIn", NEUTRAL, "territory", "operates in a region", "#c49c6b", (2, 4), range=_PLACE),
    Relation("controls", NEUTRAL, "territory", "controls a region", "#8c564b", inverse="controlledBy",
             range=_PLACE),
    Relation("locatedIn", NEUTRAL, "territory", "located in", "#bdbdbd", transitive=True, domain=_PLACE,
             range=_PLACE, extracted=False),
)}

#: relation names in report order.
RELATION_NAMES: tuple[str, ...] = tuple(RELATIONS)

SYMMETRIC: frozenset[str] = frozenset(r.name for r in RELATIONS.values() if r.symmetric)
EXTRACTED: tuple[str, ...] = tuple(r.name for r in RELATIONS.values() if r.extracted)


def _family(name: str) -> frozenset[str]:
    return frozenset(r.name for r in RELATIONS.values() if r.family == name)


#: named groups of relations an analyst can project onto (``--relations adversarial``).
FAMILIES: dict[str, frozenset[str]] = {
    "cooperative": frozenset(r.name for r in RELATIONS.values() if r.cooperative),
    "adversarial": frozenset(r.name for r in RELATIONS.values() if r.adversarial),
    **{family: _family(family) for family in dict.fromkeys(r.family for r in RELATIONS.values())},
}

#: named projections of the graph: which actor classes a view keeps (None: all).
VIEWS: dict[str, frozenset[str] | None] = {
    "all": None,
    "actors": AGENT_CLASSES,
    "states": frozenset({"State"}),
}


def relation(name: str) -> Relation:
    """The relation of that name; :class:`~kg.errors.UsageError` naming the choices otherwise."""
    try:
        return RELATIONS[name]
    except KeyError:
        raise UsageError(f"unknown relation {name!r}; choose one of {', '.join(RELATIONS)}") from None


def sign_of(name: str) -> int:
    """+1 cooperative, -1 adversarial, 0 otherwise (also for a name that is not a relation)."""
    found = RELATIONS.get(name)
    return found.sign if found else NEUTRAL


def expand(names: Iterable[str]) -> frozenset[str]:
    """Relation and family names -> the relation names they stand for.

    Raises :class:`~kg.errors.UsageError` for a name that is neither.
    """
    out: set[str] = set()
    for name in names:
        if name in FAMILIES:
            out |= FAMILIES[name]
        elif name in RELATIONS:
            out.add(name)
        else:
            raise UsageError(f"unknown relation or family {name!r}; choose from "
                             f"{', '.join([*RELATIONS, *FAMILIES])}")
    return frozenset(out)


def check_view(view: str) -> str:
    """The view name, if it is one; :class:`~kg.errors.UsageError` naming the choices otherwise."""
    if view not in VIEWS:
        raise UsageError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    return view


def check_signature(name: str, subject_class: str, object_class: str) -> str | None:
    """Why a relation cannot join actors of these classes, or None when it can."""
    rel = relation(name)
    if rel.domain is not None and subject_class not in rel.domain:
        return f"{name} needs a subject of class {'/'.join(sorted(rel.domain))}, not {subject_class}"
    if rel.range is not None and object_class not in rel.range:
        return f"{name} needs an object of class {'/'.join(sorted(rel.range))}, not {object_class}"
    return None
