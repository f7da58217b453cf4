"""Actors the catalogue lacks, proposed from the naming patterns of the domain.

A proposal has a label, the words that named it, a proposed class and a
confidence that reflects how telling the pattern is:

=====================================================  ============  ==========
pattern                                                 class         confidence
=====================================================  ============  ==========
"the Sultan Murad Brigade", "... Front/Army/Legion"     ArmedGroup    0.8
"Wagner Group mercenaries", "X militia"                 ArmedGroup    0.75
"President Ilham Aliyev", "Defence Minister X"          Leader        0.8
"X, the prime minister of Y"                            Leader        0.75
"the Minsk Agreement", "... Treaty/Protocol/Accord"     Agreement     0.75
"the town of Afrin", "Tal Abyad district"               Region        0.75
"the government of Y", "the Republic of Y"              State         0.6
"in/near Afrin" (a capitalised word after a preposition) Region       0.4
=====================================================  ============  ==========

A name that resolves to a catalogue actor (under any alias, with or without
diacritics) is that actor and never a proposal. A name that merely looks like a
catalogue name ("Syrian National Army" beside "Libyan National Army") is proposed
as a new actor and the look-alike is listed in ``similar`` for the curator: kg
never merges two actors on similarity. Quoted analysts and outlets
(``ontology/sources.yaml``) are sources, not actors, and are not proposed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..catalogue import Actor, Catalogue, fold, local_name
from .mentions import Mention
from .sentences import Sentence

_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ"
_WORD = rf"(?:[{_UP}][\w’']*(?:-[{_UP}][\w’']*)*|al-[{_UP}][\w’']*|Al-[{_UP}][\w’']*)"
_NAME = rf"{_WORD}(?:\s+(?:of\s+the\s+|of\s+|al-|bin\s+|el-|and\s+)?{_WORD}){{0,4}}"
_GROUP_HEADS = (r"Front|Brigade|Brigades|Army|Militia|Division|Legion|Battalion|Battalions|Corps|"
                r"Forces|Movement|Group|Units|Regiment|Guards?|Force|Committee|Council|Alliance")
_TITLE = (r"President|Prime Minister|Premier|Foreign Minister|Defen[cs]e Minister|Interior Minister|"
          r"Minister|General|Gen\.|Lt\. Gen\.|Commander|Field Marshal|Marshal|King|Emir|Sultan|Sheikh|"
          r"Crown Prince|Colonel|Col\.|Ambassador|Envoy|spokesman|spokeswoman|commander|leader|envoy|"
          r"minister|president|warlord|chief")
_PEOPLE_STOP = {"Putin", "Kremlin", "Moscow"}

_ARABIC = (r"Failaq|Faylaq|Liwa|Jaysh|Jaish|Harakat|Hay’at|Hay'at|Hay’et|Hay'et|Hayat|Ahrar|Jabhat|Katibat|"
           r"Kataib|Kata’ib|Saraya|Ansar|Asa’ib|Asaib|Firqat|Fatah|Jund|Tajamu")

RULES: list[tuple[str, re.Pattern, str, float, str]] = [
    ("arabic-group-name", re.compile(rf"\b(?P<n>(?:{_ARABIC})\s+(?:al-|Al-)?[\w’'-]+(?:\s+(?:al-|Al-)[\w’'-]+)*)"),
     "ArmedGroup", 0.8, ""),
    ("organization-name", re.compile(rf"\b(?P<n>(?:Government|Council|Ministry|Committee|Organi[sz]ation|Agency|"
                                     rf"Commission|Authority) (?:of|for) (?:the )?{_WORD}(?:\s+(?:of\s+)?{_WORD}){{0,3}})"),
     "Organization", 0.75, ""),
    ("group-name", re.compile(rf"\b(?P<n>{_WORD}(?:\s+(?:of\s+the\s+|of\s+|al-|and\s+)?{_WORD}){{0,4}}"
                              rf"\s+(?:{_GROUP_HEADS}))\b"), "ArmedGroup", 0.8, ""),
    ("mercenaries", re.compile(rf"\b(?P<n>{_WORD}(?:\s+Group)?)\s+(?:mercenaries|contractors|"
                               r"private military (?:company|contractors)|PMC)\b"), "ArmedGroup", 0.75,
     "Group"),
    ("militia", re.compile(rf"\b(?P<n>{_NAME})\s+(?:militia|militias|militiamen|rebels|fighters)\b"),
     "ArmedGroup", 0.6, ""),
    ("title-person", re.compile(rf"\b(?:{_TITLE})\s+(?P<n>{_WORD}(?:\s+(?:al-|bin\s+|el-)?{_WORD}){{0,3}})"),
     "Leader", 0.8, ""),
    ("person-apposition", re.compile(rf"\b(?P<n>{_WORD}(?:\s+{_WORD}){{1,3}}),\s+(?:the\s+|a\s+)?"
                                     r"(?:[A-Za-z-]+\s+){0,3}(?:president|prime minister|minister|"
                                     r"commander|leader|spokesman|spokeswoman|envoy|ambassador)\s+(?:of|for)\b"),
     "Leader", 0.75, ""),
    ("agreement-lower", re.compile(rf"\b(?P<n>(?:\d{{4}}\s+)?{_WORD}(?:\s+{_WORD})?\s+(?:peace\s+|ceasefire\s+)?"
                                   r"(?:agreements?|accord|treaty|deal|ceasefire|truce|pact|process|talks|"
                                   r"memorandum|protocol))\b"), "Agreement", 0.65, ""),
    ("agreement", re.compile(rf"\b(?P<n>(?:{_WORD}|\d{{4}})(?:\s+(?:{_WORD}|\d{{4}}|of|on)){{0,4}}\s+"
                             r"(?:Agreement|Accord|Accords|Treaty|Protocol|Memorandum|Ceasefire|Truce|Pact|"
                             r"Declaration|Convention|Deal))\b"), "Agreement", 0.75, ""),
    ("place-of", re.compile(rf"\b(?:town|city|village|province|district|region|governorate|port|"
                            rf"airport|air base|enclave|capital) of (?P<n>{_WORD}(?:\s+{_WORD})?)"),
     "Region", 0.75, ""),
    ("place-head", re.compile(rf"\b(?P<n>{_WORD}(?:\s+{_WORD})?\s+(?:province|Province|governorate|"
                              r"Governorate|district|District|air base|Air Base|airport|Airport|region))\b"),
     "Region", 0.75, ""),
    ("state-of", re.compile(rf"\b(?:government|parliament|president|army|Republic|Kingdom|State) of "
                            rf"(?P<n>{_WORD})"), "State", 0.6, ""),
    ("place-after-in", re.compile(rf"\b(?:in|near|around|outside|towards|toward|into|from|at)\s+"
                                  rf"(?P<n>{_WORD}(?:\s+{_WORD})?)"), "Region", 0.4, ""),
]

_STOP = set("""
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
August September October November December Feb Jan Aug Sept Sep Oct Nov Dec Mr Mrs Ms Dr The A An This
That These Those It He She They We I But And Or If When While As In On At For With From By Of To
Earlier Later Last Next Meanwhile However Still Also Since After Before During Western Eastern
Previous Recent Past Future New Further
Fresh Renewed Earlier Direct Peace Such Any Some Many Several Both All No
Northern Southern Islamic Islamist World War II WWI WWII Twitter Facebook God COVID Covid
""".split())


#: the id prefix of proposed actors (catalogue ids cannot contain "/"): ``kg:proposed/WagnerGroup``
PROPOSED = "proposed/"


def is_proposed(actor: Actor) -> bool:
    """True for an actor the extractor proposed, which the catalogue does not hold."""
    return actor.id.startswith(PROPOSED)


@dataclass
class NewActor:
    """A proposed actor: what the text calls it, the class it seems to have and how sure we are."""

    label: str
    cls: str
    confidence: float
    mentions: list[str] = field(default_factory=list)
    rule: str = ""
    similar: list[str] = field(default_factory=list)

    @property
    def actor(self) -> Actor:
        return Actor(self.label, PROPOSED + local_name(self.label), self.cls,
                     description=f"proposed by the extractor ({self.rule})")


def propose_actors(text: str, sentences: list[Sentence], mentions: list[Mention],
                   catalogue: Catalogue) -> tuple[list[NewActor], list[Mention]]:
    """Proposals for actors the catalogue lacks, and their mentions in the text.

    Catalogue names win: a proposal is dropped when its words are (or contain as
    the whole) a catalogue name, and its mentions never overlap a catalogue
    mention other than a bare adjective.
    """
    found: dict[str, NewActor] = {}
    spans: list[tuple[int, int, str]] = []
    names = [(m.start, m.end) for m in mentions if m.kind not in {"adjective", "force"}]
    for rule, rx, cls, conf, suffix in RULES:
        for m in rx.finditer(text):
            start, end = m.span("n")
            raw = _clean(m["n"])
            if not raw:
                continue
            start = text.find(raw, start)
            end = m.end() if rule in {"mercenaries", "militia"} else start + len(raw)
            label = raw + (" " + suffix if suffix and not raw.endswith(suffix) else "")
            label = re.sub(r"\s+region$", "", label)
            if not _plausible(label, raw, cls, catalogue, rule):
                continue
            inside_ok = cls in {"Agreement", "ArmedGroup", "Organization"} and len(raw.split()) > 1
            if any(a < end and start < b and not (inside_ok and start <= a and b <= end and (a, b) != (start, end))
                   for a, b in names):
                continue
            key = fold(label)
            prop = found.get(key)
            if prop is None:
                prop = found[key] = NewActor(label, cls, conf, [], rule, _similar(label, catalogue))
            elif conf > prop.confidence:
                prop.cls, prop.confidence, prop.rule = cls, conf, rule
            if text[start:end] not in prop.mentions:
                prop.mentions.append(text[start:end])
            spans.append((start, end, key))
    # people: later mentions by surname alone
    for prop in found.values():
        if prop.cls == "Leader" and len(prop.label.split()) > 1:
            surname = prop.label.split()[-1]
            if catalogue.resolve(surname) is None:
                for m in re.finditer(rf"\b{re.escape(surname)}\b", text):
                    spans.append((m.start(), m.end(), fold(prop.label)))
    extra: list[Mention] = []
    taken: list[tuple[int, int]] = list(names)
    for start, end, key in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        if any(a < end and start < b for a, b in taken):
            continue
        prop = found[key]
        taken.append((start, end))
        extra.append(Mention(start, end, text[start:end], prop.actor, "new"))
    # a proposal from a weak rule that the text names only once stays a proposal but gains no weight
    for prop in found.values():
        count = sum(1 for _, _, k in spans if k == fold(prop.label))
        if count > 1 and prop.confidence < 0.9:
            prop.confidence = round(min(0.9, prop.confidence + 0.05 * (count - 1)), 2)
    kept = {m.actor.label for m in extra}
    proposals = sorted((p for p in found.values() if p.label in kept),
                       key=lambda p: (-p.confidence, p.label))
    return proposals, extra


def _clean(name: str) -> str:
    name = re.sub(r"^(?:The|the)\s+", "", name.strip())
    name = re.sub(r"[’']s$", "", name)
    return name.strip(" ,.")


def _plausible(label: str, raw: str, cls: str, catalogue: Catalogue, rule: str = "") -> bool:
    words = raw.split()
    if not words or words[0] in _STOP or all(w in _STOP for w in words):
        return False
    if cls == "Agreement" and words[0] in {"Government", "Council", "Ministry"}:
        return False
    if cls in {"State", "Region", "Leader"} and (words[0] in _TITLE_WORDS or _HEAD_RX.search(raw)):
        return False
    adjectives = _adjectives(catalogue)
    if rule in {"militia", "mercenaries"} and any(
            fold(w) in adjectives or "’s" in w or "'s" in w or catalogue.resolve(w) for w in words):
        return False
    if rule == "agreement-lower" and any("’s" in w or "'s" in w for w in words):
        return False
    if rule == "agreement-lower" and all(fold(w) in adjectives or catalogue.resolve(w) is not None
                                         for w in words[:-1] if not w.isdigit() and w.islower() is False):
        return False
    if catalogue.resolve(label) is not None or catalogue.resolve(raw) is not None:
        return False
    folded = fold(raw)
    if catalogue.resolve_source(raw) is not None or any(s.endswith(folded) for s in _sources(catalogue)):
        return False
    if cls == "Leader" and (words[-1] in _PEOPLE_STOP or any(catalogue.resolve(w) for w in words)):
        return False
    if cls in {"Region", "State"} and any(fold(w) in _adjectives(catalogue) for w in words):
        return False
    if cls == "Region" and len(words) == 1 and catalogue.resolve(words[0]) is not None:
        return False
    return True


_TITLE_WORDS = {"President", "Minister", "Prime", "General", "King", "Emir", "Sultan", "Sheikh", "Colonel"}
_HEAD_RX = re.compile(rf"\b(?:{_GROUP_HEADS})$")

_ADJ_CACHE: dict[int, set[str]] = {}
_SRC_CACHE: dict[int, list[str]] = {}
_NAME_CACHE: dict[int, dict[str, list[tuple[str, str]]]] = {}


def _sources(catalogue: Catalogue) -> list[str]:
    key = id(catalogue)
    if key not in _SRC_CACHE:
        _SRC_CACHE[key] = [fold(s.label) for s in catalogue.sources.values()]
    return _SRC_CACHE[key]


def _similar(label: str, catalogue: Catalogue, n: int = 3) -> list[str]:
    """Catalogue labels that look like ``label`` (sharing a word and close in spelling), for the curator."""
    import difflib

    key = id(catalogue)
    if key not in _NAME_CACHE:
        index: dict[str, list[tuple[str, str]]] = {}
        for actor in catalogue.actors.values():
            for name in actor.names:
                for word in set(fold(name).split()):
                    if len(word) > 3:
                        index.setdefault(word, []).append((fold(name), actor.label))
        _NAME_CACHE[key] = index
    target = fold(label)
    scored: dict[str, float] = {}
    for word in set(target.split()):
        for name, owner in _NAME_CACHE[key].get(word, ()):
            ratio = difflib.SequenceMatcher(None, target, name).ratio()
            if ratio >= 0.6 and owner != label:
                scored[owner] = max(scored.get(owner, 0), ratio)
    return [o for o, _ in sorted(scored.items(), key=lambda x: -x[1])[:n]]


def _adjectives(catalogue: Catalogue) -> set[str]:
    key = id(catalogue)
    if key not in _ADJ_CACHE:
        _ADJ_CACHE[key] = {fold(a) for actor in catalogue.actors.values() for a in actor.adjectives}
    return _ADJ_CACHE[key]
