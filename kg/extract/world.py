"""The world gazetteer shipped with kg, merged under the project's curated catalogue.

``kg/extract/data/world/`` holds what any article about any war may name: every
state (names, demonyms, capital, seat-of-power metonyms), the international
organizations and coalitions, heads of state and government and ministers with
their offices and years, and the major non-state armed groups with their
aliases, transliterations and theatres. The project's ``ontology/actors.yaml``
extends and overrides it: a world entry that shares a name or a Wikidata id with
a curated actor *is* that actor (its extra names and knowledge are added where no
other curated actor owns them); any other world name a curated actor owns stays
the curated actor's.

Knowing a name never creates a fact: the gazetteer only says who a mention is,
what class it has, which state a capital or a demonym stands for, which offices a
person held and in which theatres a group fights.

>>> world = load_world(Catalogue({}, {}))
>>> world.catalogue.resolve("Ansar Allah").label, world.catalogue.resolve("Saudis").cls
('Houthis', 'State')
>>> world.capital_state(world.catalogue.resolve("Riyadh")).label
'Saudi Arabia'
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from ..inputs.catalogue import Actor, Catalogue, fold, local_name

DATA = Path(__file__).parent / "data" / "world"
FILES = ("states.yaml", "organizations.yaml", "leaders.yaml", "armed_groups.yaml")


@dataclass(frozen=True)
class Office:
    """A post a person held: ``president`` of Turkey from 2014."""

    title: str
    of: str            # actor id
    start: int | None = None
    end: int | None = None


@dataclass
class World:
    """The merged catalogue (curated actors first) and what the gazetteer knows about its actors."""

    catalogue: Catalogue
    origin: dict[str, str] = field(default_factory=dict)            # actor id -> "catalogue" | "world"
    capitals: dict[str, str] = field(default_factory=dict)          # capital Region id -> State id
    offices: dict[str, list[Office]] = field(default_factory=dict)  # Leader id -> offices
    theatres: dict[str, set[str]] = field(default_factory=dict)     # ArmedGroup id -> State ids
    monarchies: set[str] = field(default_factory=set)
    metonyms: dict[str, str] = field(default_factory=dict)          # folded metonym -> State id

    def actor(self, actor_id: str) -> Actor | None:
        return self._by_id.get(actor_id)

    def __post_init__(self) -> None:
        self._by_id = {a.id: a for a in self.catalogue.actors.values()}
        self._words = {fold(a): actor for actor in self.catalogue.actors.values() for a in actor.adjectives}

    def by_word(self, word: str) -> Actor | None:
        """The actor a single word names, as a name or as an adjective ("Saudi" -> Saudi Arabia)."""
        return self._words.get(fold(word)) or self.catalogue.resolve(word)

    def capital_state(self, region: Actor) -> Actor | None:
        """The state whose capital a Region is, or None."""
        state = self.capitals.get(region.id)
        return self._by_id.get(state) if state else None

    def is_world(self, actor: Actor) -> bool:
        """True for an actor the project's catalogue does not have (it comes from the gazetteer)."""
        return self.origin.get(actor.id) == "world"


def load_world(catalogue: Catalogue, *, data: Path = DATA) -> World:
    """The world gazetteer under ``catalogue``: curated actors win every name they own."""
    entries = _entries(str(data))
    curated_names = {fold(n): a for a in catalogue.actors.values() for n in (*a.names, *a.adjectives)}
    curated_wd = {a.wikidata: a for a in catalogue.actors.values() if a.wikidata}
    actors: dict[str, Actor] = dict(catalogue.actors)
    origin = {a.id: "catalogue" for a in actors.values()}
    ids = {a.id for a in actors.values()}
    owned = dict(curated_names)
    merged: dict[str, Actor] = {}   # world label -> actor it became
    pending: list[tuple[str, dict, Actor]] = []
    for label, entry in entries:
        cls = entry["class"]
        names = [label, *entry.get("aliases", []), *entry.get("metonyms", [])]
        wikidata = entry.get("wikidata")
        twin = (curated_wd.get(wikidata) if wikidata is not None else None) or curated_names.get(fold(label))
        if twin is not None and twin.cls == cls:
            extra = tuple(n for n in names if fold(n) not in owned)
            adjectives = tuple(a for a in entry.get("adjectives", []) if fold(a) not in owned)
            for n in (*extra, *adjectives):
                owned[fold(n)] = twin
            grown = replace(twin, aliases=twin.aliases + extra, adjectives=twin.adjectives + adjectives)
            actors[twin.label] = grown
            merged[label] = grown
            pending.append((label, entry, grown))
            continue
        free = [n for n in names if fold(n) not in owned]
        if not free or label in actors:
            continue
        local = local_name(label)
        while local in ids:
            local += "_"
        ids.add(local)
        adjectives = tuple(a for a in entry.get("adjectives", []) if fold(a) not in owned)
        actor = Actor(free[0], local, cls, tuple(free[1:]), adjectives, entry.get("wikidata"),
                      entry.get("description"))
        for n in (*free, *adjectives):
            owned.setdefault(fold(n), actor)
        actors[actor.label] = actor
        origin[actor.id] = "world"
        merged[label] = actor
        pending.append((label, entry, actor))

    world = World(Catalogue({}, {}), origin)
    for _label, entry, actor in pending:
        if entry["class"] == "State":
            if entry.get("monarchy"):
                world.monarchies.add(actor.id)
            for metonym in entry.get("metonyms", []):
                world.metonyms.setdefault(fold(metonym), actor.id)
            capitals = [c for c in entry.get("capital", []) if c]
            if capitals:
                region = _capital_region(capitals, owned, actors, ids, origin)
                if region is not None:
                    world.capitals[region.id] = actor.id
    for _label, entry, actor in pending:
        if entry["class"] == "Leader":
            offices = []
            for office in entry.get("offices", []):
                of = merged.get(office.get("of")) or catalogue.resolve(str(office.get("of", "")))
                if of is not None:
                    offices.append(Office(str(office.get("title", "")), of.id, office.get("from"),
                                          office.get("to")))
            if offices:
                world.offices[actor.id] = offices
        if entry["class"] == "ArmedGroup":
            theatre = {s.id for s in (merged.get(c) or catalogue.resolve(c) for c in entry.get("country", []))
                       if s is not None}
            if theatre:
                world.theatres[actor.id] = theatre
    # the curated States' own capitals ("Ankara" as an alias of Turkey) are capitals too
    world.catalogue = Catalogue(actors, catalogue.sources, catalogue.path)
    world.__post_init__()
    return world


def _capital_region(capitals: list[str], owned: dict[str, Actor], actors: dict[str, Actor],
                    ids: set[str], origin: dict[str, str]) -> Actor | None:
    """The Region actor of a capital city: the curated one if there is one, else a new world Region."""
    for name in capitals:
        known = owned.get(fold(name))
        if known is not None and known.cls == "Region":
            return known
    free = [c for c in capitals if fold(c) not in owned or owned[fold(c)].cls == "State"]
    if not free:
        return None
    label = free[0]
    if label in actors:
        return actors[label] if actors[label].cls == "Region" else None
    local = local_name(label)
    while local in ids:
        local += "_"
    ids.add(local)
    region = Actor(label, local, "Region", tuple(free[1:]), description="capital city")
    actors[label] = region
    origin[local] = "world"
    for name in free:
        owned.setdefault(fold(name), region)
    return region


@lru_cache(maxsize=2)
def _entries(data: str) -> tuple[tuple[str, dict], ...]:
    """Every entry of the gazetteer files, in file order (parsed once per process)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out: list[tuple[str, dict]] = []
    for name in FILES:
        path = Path(data) / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as f:
            content = yaml.load(f, Loader=loader) or {}
        for label, entry in content.items():
            if isinstance(entry, dict) and entry.get("class"):
                entry = dict(entry)
                for key in ("aliases", "adjectives", "capital", "metonyms", "country"):
                    value = entry.get(key) or []
                    entry[key] = [str(v) for v in ([value] if isinstance(value, str) else value)]
                out.append((str(label), entry))
    return tuple(out)
