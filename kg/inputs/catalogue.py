"""The actor catalogue (``ontology/actors.yaml``) and the quoted sources (``ontology/sources.yaml``).

Every actor has one preferred label (the YAML key), a class, every alias under
which the articles name it, the adjectives that refer to it ("Turkish"), and its
Wikidata id where one exists. Names resolve to actors through
:meth:`Catalogue.resolve`, which ignores case and diacritics, so ``erdogan``,
``Erdoğan`` and ``Mr. Erdogan`` all find the same actor.

Sources (analysts, think tanks, outlets) are not actors: they are who makes a claim.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, ValidationError
from ..vocabulary import ACTOR_CLASSES, RELATIONS
from .yamlfile import LineDict, load_yaml

SOURCE_KINDS = ("Person", "Organization", "Outlet")
_WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")
_LOCAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]*$")


#: characters that stand for the same one in names: curly and straight quotes, dashes, dotless i.
#: Shared by :func:`fold` and the extractor's length-keeping fold, so both match names alike.
EQUIVALENT_CHARS = {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "–": "-", "—": "-", "‑": "-", "ı": "i",
                    "“": '"', "”": '"'}
_EQUIVALENT = str.maketrans(EQUIVALENT_CHARS)


def fold(name: str) -> str:
    """The key names are matched on: no diacritics, case folded, one kind of apostrophe and dash.

    >>> fold("Erdoğan") == fold("ERDOGAN"), fold("Hay’et  Tahrir") == fold("hay'et tahrir")
    (True, True)
    """
    text = unicodedata.normalize("NFKD", name.translate(_EQUIVALENT))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def local_name(label: str) -> str:
    """A readable, stable IRI local name made from a label.

    >>> local_name("Recep Tayyip Erdoğan"), local_name("Hayat Tahrir al-Sham"), local_name("NATO")
    ('RecepTayyipErdogan', 'HayatTahrirAlSham', 'NATO')
    """
    text = unicodedata.normalize("NFKD", label.replace("ı", "i"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.split(r"[^A-Za-z0-9]+", text)
    return "".join(w[:1].upper() + w[1:] for w in words if w)


@dataclass(frozen=True)
class Actor:
    """One actor of the catalogue."""

    label: str
    id: str
    cls: str
    aliases: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    wikidata: str | None = None
    description: str | None = None
    line: int | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The label and every alias."""
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class Source:
    """An analyst, think tank or news outlet that makes claims; not an actor."""

    label: str
    id: str
    kind: str
    role: str | None = None
    affiliation: str | None = None
    line: int | None = None


@dataclass
class Catalogue:
    """The actors and sources, with an index from every folded name to its owner."""

    actors: dict[str, Actor]
    sources: dict[str, Source]
    path: str = "ontology/actors.yaml"

    def __post_init__(self) -> None:
        self._index: dict[str, Actor] = {}
        for actor in self.actors.values():
            for name in actor.names:
                self._index.setdefault(fold(name), actor)
        self._source_index = {fold(s.label): s for s in self.sources.values()}

    def resolve(self, name: str) -> Actor | None:
        """The actor a name (label or alias) refers to, or None.

        >>> cat = Catalogue({"Turkey": Actor("Turkey", "Turkey", "State", ("Ankara",))}, {})
        >>> cat.resolve("ankara").label
        'Turkey'
        """
        return self._index.get(fold(name))

    def resolve_source(self, name: str) -> Source | None:
        return self._source_index.get(fold(name))

    def by_id(self, local: str) -> Actor | None:
        return next((a for a in self.actors.values() if a.id == local), None)

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """The closest known labels and aliases to a name, for "did you mean" messages."""
        names = {fold(x): x for a in self.actors.values() for x in a.names}
        close = difflib.get_close_matches(fold(name), list(names), n=n, cutoff=0.6)
        return [names[c] for c in close]


def load_catalogue(actors_path: Path, sources_path: Path | None = None, *, root: Path | None = None) -> Catalogue:
    """Read and check the catalogue; every problem found is reported at once, with its line."""
    shown = _display(actors_path, root)
    problems: list[Problem] = []
    data = load_yaml(actors_path, display=shown) or LineDict()
    if not isinstance(data, LineDict):
        raise ValidationError("the actor catalogue must be a mapping of label -> entry",
                              [Problem("expected 'Label:' entries", shown, 1)])
    reserved = set(ACTOR_CLASSES) | set(RELATIONS) | {r.inverse for r in RELATIONS.values() if r.inverse} | {"Actor", "ProxyGroup", "Statement", "Evidence",
                                                        "Article", "Source"}
    actors: dict[str, Actor] = {}
    seen_names: dict[str, tuple[str, int]] = {}
    seen_ids: dict[str, str] = {}
    for label, entry in data.items():
        line = data.line_of(label)
        label = str(label).strip()
        if not isinstance(entry, LineDict):
            problems.append(Problem(f"{label!r}: expected a mapping with at least 'class:'", shown, line))
            continue
        unknown = set(entry) - {"class", "aliases", "adjectives", "wikidata", "description", "id"}
        if unknown:
            problems.append(Problem(f"{label!r}: unknown keys {sorted(unknown)}", shown, line))
        cls = entry.get("class")
        if cls not in ACTOR_CLASSES:
            problems.append(Problem(f"{label!r}: class {cls!r} is not one of {', '.join(ACTOR_CLASSES)}",
                                    shown, entry.line_of("class")))
            continue
        local = str(entry.get("id") or local_name(label))
        if not _LOCAL.match(local) or local in reserved:
            problems.append(Problem(f"{label!r}: {local!r} cannot be an IRI name; set 'id:'", shown, line))
            continue
        if local in seen_ids:
            problems.append(Problem(f"{label!r} and {seen_ids[local]!r} get the same IRI kg:{local}; "
                                    "give one of them an 'id:'", shown, line))
            continue
        seen_ids[local] = label
        aliases = _strings(entry.get("aliases"), "aliases", label, shown, entry.line_of("aliases"), problems)
        adjectives = _strings(entry.get("adjectives"), "adjectives", label, shown,
                              entry.line_of("adjectives"), problems)
        wikidata = entry.get("wikidata")
        if wikidata is not None and not _WIKIDATA.match(str(wikidata)):
            problems.append(Problem(f"{label!r}: wikidata {wikidata!r} is not a Q-identifier",
                                    shown, entry.line_of("wikidata")))
            wikidata = None
        actor = Actor(label, local, cls, tuple(dict.fromkeys(a for a in aliases if a != label)),
                      tuple(adjectives), str(wikidata) if wikidata else None,
                      _text(entry.get("description")), line)
        for name in actor.names:
            key = fold(name)
            if key in seen_names and seen_names[key][0] != label:
                other, other_line = seen_names[key]
                problems.append(Problem(f"the name {name!r} belongs to both {other!r} (line {other_line}) "
                                        f"and {label!r}; a name must identify one actor", shown, line))
            seen_names.setdefault(key, (label, line))
        actors[label] = actor

    sources: dict[str, Source] = {}
    if sources_path is not None and Path(sources_path).exists():
        sources = _load_sources(sources_path, root, problems)
        for source in sources.values():
            if fold(source.label) in seen_names:
                problems.append(Problem(f"{source.label!r} is both a source and an actor; sources are not actors",
                                        _display(sources_path, root), source.line))
    if problems:
        raise ValidationError("the catalogue has problems", problems)
    return Catalogue(actors, sources, shown)


def _load_sources(path: Path, root: Path | None, problems: list[Problem]) -> dict[str, Source]:
    shown = _display(path, root)
    data = load_yaml(path, display=shown) or LineDict()
    if not isinstance(data, LineDict):
        problems.append(Problem("the sources must be a mapping of label -> entry", shown, 1))
        return {}
    sources: dict[str, Source] = {}
    for label, entry in data.items():
        line = data.line_of(label)
        entry = entry or {}
        kind = entry.get("kind", "Person") if isinstance(entry, dict) else None
        if kind not in SOURCE_KINDS:
            problems.append(Problem(f"source {label!r}: kind {kind!r} is not one of {', '.join(SOURCE_KINDS)}",
                                    shown, line))
            continue
        sources[str(label)] = Source(str(label), local_name(str(label)), kind, _text(entry.get("role")),
                                     _text(entry.get("affiliation")), line)
    for source in sources.values():
        if source.affiliation and source.affiliation not in sources:
            problems.append(Problem(f"source {source.label!r}: affiliation {source.affiliation!r} "
                                    "is not a source of this file", shown, source.line))
    return sources


def _strings(value, key, label, shown, line, problems) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        problems.append(Problem(f"{label!r}: {key} must be a list of names", shown, line))
        return []
    return [str(v).strip() for v in value if str(v).strip()]


def _text(value) -> str | None:
    return " ".join(str(value).split()) if value is not None and str(value).strip() else None


def _display(path: Path, root: Path | None) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(root).resolve())) if root else str(path)
    except ValueError:
        return str(path)
