"""The relation lexicon (``data/lexicon.yaml``): which lemmas state which relation, as data.

Each entry names lemmas, the relation, where its object is found in the parse, a
confidence and example sentences that the test suite runs. See the comment at the
top of the data file for the shapes.

>>> lex = load_lexicon()
>>> [f.relation for f in lex.verbs["back"]][:1], lex.markers["lead"].relation
(['backs'], 'leads')
>>> "threaten" in lex.hostile
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from ..vocabulary import EXTRACTED

LEXICON = Path(__file__).parent / "data" / "lexicon.yaml"
#: what a lexicon entry may name: an extracted relation, or "leads" (a person's office, read by kg.extract.offices)
RELATIONS = (*EXTRACTED, "leads")


@dataclass(frozen=True)
class Frame:
    """One lexicon entry for one lemma."""

    kind: str                    # verb | noun | event | marker
    lemma: str
    relation: str
    confidence: float
    object: tuple[str, ...] = ()   # verbs: where the object is; events: the target's prepositions
    noun: frozenset[str] = frozenset()
    particle: str | None = None
    holder: str = "subject"
    place: bool = False
    person: bool = False
    organization: bool = False
    swap: bool = False
    group: bool = False
    joint: bool = False


@dataclass
class Lexicon:
    verbs: dict[str, list[Frame]] = field(default_factory=dict)
    nouns: dict[str, Frame] = field(default_factory=dict)
    events: dict[str, list[Frame]] = field(default_factory=dict)
    markers: dict[str, Frame] = field(default_factory=dict)
    irrealis: frozenset[str] = frozenset()
    hostile: frozenset[str] = frozenset()
    attribution: frozenset[str] = frozenset()
    conditional: frozenset[str] = frozenset()
    modal_aux: frozenset[str] = frozenset()
    irrealis_nouns: frozenset[str] = frozenset()
    examples: list[tuple[str, list[str], list[str]]] = field(default_factory=list)  # text, facts, not


def _entry(kind: str, entry: dict, where: str) -> list[Frame]:
    relation = entry.get("relation")
    if relation not in RELATIONS:
        raise InputError(f"{where}: unknown relation {relation!r} in the lexicon")
    lemmas = entry.get("lemmas") or []
    if not lemmas:
        raise InputError(f"{where}: a lexicon entry needs lemmas")
    target = entry.get("object") or entry.get("target") or (["dobj"] if kind == "verb" else [])
    return [Frame(kind, str(lemma).lower(), relation, float(entry.get("confidence", 0.7)),
                  tuple(str(t) for t in target), frozenset(str(n).lower() for n in entry.get("noun") or ()),
                  entry.get("particle"), str(entry.get("holder", "subject")), bool(entry.get("place")),
                  bool(entry.get("person")), bool(entry.get("organization")), bool(entry.get("swap")),
                  bool(entry.get("group")), bool(entry.get("joint")))
            for lemma in lemmas]


@lru_cache(maxsize=2)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Read and check the lexicon (cached)."""
    import yaml

    source = Path(path) if path else LEXICON
    try:
        data = yaml.load(source.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{source.name}: cannot read the relation lexicon: {exc}") from exc
    lex = Lexicon()
    for kind, section in (("verb", "verbs"), ("noun", "nouns"), ("event", "events"), ("marker", "markers")):
        for n, entry in enumerate(data.get(section) or [], 1):
            for frame in _entry(kind, entry, f"{source.name}: {section}[{n}]"):
                if kind == "verb":
                    lex.verbs.setdefault(frame.lemma, []).append(frame)
                elif kind == "event":
                    lex.events.setdefault(frame.lemma, []).append(frame)
                elif kind == "noun":
                    lex.nouns.setdefault(frame.lemma, frame)
                else:
                    lex.markers.setdefault(frame.lemma, frame)
            for example in entry.get("examples") or []:
                lex.examples.append((str(example["text"]), list(example.get("facts") or []),
                                     list(example.get("not") or [])))
    modality = data.get("modality") or {}
    for key in ("irrealis", "hostile", "attribution", "conditional", "modal_aux", "irrealis_nouns"):
        setattr(lex, key, frozenset(str(w).lower() for w in modality.get(key) or ()))
    for trap in data.get("traps") or []:
        lex.examples.append((str(trap["text"]), list(trap.get("facts") or []), list(trap.get("not") or [])))
    return lex
