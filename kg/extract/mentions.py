"""Finding the catalogue's actors in a text: a gazetteer with offsets.

Every label, alias and adjective of the catalogue becomes a sequence of folded
tokens (no diacritics, case folded, one kind of apostrophe and dash). A text is
folded character by character, keeping its length, so every match maps back to
the exact words of the article. At each token the longest known name wins
("Syrian government forces" before "Syrian"). Short all-capital names (US, UN,
EU, HTS) match only in capitals, so "us" is not the United States.

An alias that only adds a title or an adjective to another name of the same
actor ("Turkish President Recep Tayyip Erdogan", "Mr. Putin", "Turkish-backed
National Liberation Front") is left to the shorter name, so that the title or
adjective stays visible to the relation patterns (it says who leads or backs
whom).

Adjectives ("Turkish") are mentions of kind ``adjective``; followed by a word
for armed force or government ("Turkish soldiers", "Russian air strike",
"Syrian warplanes") they become mentions of kind ``force``, which stand for the
state. "Turkish and Russian forces" gives two force mentions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ..inputs.catalogue import EQUIVALENT_CHARS as _SPECIAL
from ..inputs.catalogue import Actor, Catalogue

_TOKEN = re.compile(r"\w+|[^\w\s]")

#: words after an adjective that make it stand for the state's armed forces or government
FORCE_NOUNS = (
    "troops", "soldiers", "forces", "force", "army", "military", "militaries", "air force", "navy",
    "jets", "fighter jets", "warplanes", "warplane", "planes", "drones", "aircraft", "artillery",
    "air strikes", "air strike", "airstrikes", "airstrike", "strikes", "strike", "attack", "attacks",
    "offensive", "operation", "operations", "military operation", "observation posts", "posts",
    "positions", "military positions", "bases", "base", "delegation", "delegations", "officials",
    "government", "authorities", "side", "leadership", "diplomats", "troop", "convoy", "patrols",
    "retaliation", "shelling", "bombardment", "intervention", "incursion", "counter-offensive",
    "ground forces", "special forces", "navy ships", "warships", "helicopters", "tanks",
)
_FORCE_RX = re.compile(r"(?:-| )(?:" + "|".join(re.escape(w) for w in sorted(FORCE_NOUNS, key=len, reverse=True))
                       + r")(?![\w-])")
_AND_RX = re.compile(r"\s*(?:,|and|,\s*and)\s*$")


def fold_chars(text: str, *, casefold: bool = True) -> str:
    """Fold a text character by character, keeping its length (offsets stay valid).

    >>> fold_chars("Erdoğan’s TÜRKİYE")
    "erdogan's turkiye"
    """
    out = []
    for c in text:
        if c in _SPECIAL:
            out.append(_SPECIAL[c])
            continue
        if c.isascii():
            out.append(c.lower() if casefold else c)
            continue
        if c.isspace():
            out.append(" ")
            continue
        d = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
        if casefold:
            d = "".join(x for x in unicodedata.normalize("NFKD", d.casefold())
                        if not unicodedata.combining(x))
        out.append(d[0] if len(d) >= 1 else c)
    return "".join(out)


def tokens(text: str, folded: str | None = None) -> list[tuple[str, int, int]]:
    """(folded token, start, end) for every word and punctuation sign."""
    folded = fold_chars(text) if folded is None else folded
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded)]


@dataclass(frozen=True)
class Mention:
    """Words of the text that name an actor."""

    start: int
    end: int
    text: str
    actor: Actor
    kind: str = "name"  # name | adjective | force | coref | new

    @property
    def is_modifier(self) -> bool:
        return self.kind == "adjective"


@dataclass(frozen=True)
class _Entry:
    actor: Actor
    kind: str
    exact: tuple[str, ...] | None  # case-sensitive tokens for short acronyms


class Gazetteer:
    """Every name of a catalogue, as token sequences, for longest-match lookup."""

    def __init__(self, catalogue: Catalogue, extra: Iterable[tuple[str, Actor, str]] = ()):
        self.catalogue = catalogue
        self._entries: dict[tuple[str, ...], _Entry] = {}
        self._lengths: dict[str, list[int]] = {}
        modifiers = {_key(a)[0] for actor in catalogue.actors.values() for a in actor.adjectives}
        modifiers |= {k[0] for actor in catalogue.actors.values() for n in actor.names
                      for k in [_key(n)] if len(k) == 1}
        for actor in catalogue.actors.values():
            names = [(n, _key(n)) for n in actor.names]
            keys = {k for _, k in names}
            for name, key in names:
                if any(key[i:] in keys and _is_title(name, key[:i], modifiers) for i in range(1, len(key))):
                    continue  # a title or adjective before another name of the same actor
                self._add(key, name, actor, "name")
            for adjective in actor.adjectives:
                self._add(_key(adjective), adjective, actor, "adjective")
        for name, actor, kind in extra:
            self._add(_key(name), name, actor, kind)

    def add(self, name: str, actor: Actor, kind: str = "name", *, replace: bool = False) -> None:
        """Know one more name (``replace``: even if another actor has it)."""
        key = _key(name)
        if replace:
            self._entries.pop(key, None)
        self._add(key, name, actor, kind)

    def _add(self, key: tuple[str, ...], name: str, actor: Actor, kind: str) -> None:
        if not key or key in self._entries:
            return
        letters = [c for c in name if c.isalpha()]
        exact = None
        if letters and len(letters) <= 3 and all(c.isupper() for c in letters):
            exact = tuple(t for t, _, _ in _raw_tokens(name))
        self._entries[key] = _Entry(actor, kind, exact)
        lengths = self._lengths.setdefault(key[0], [])
        if len(key) not in lengths:
            lengths.append(len(key))
            lengths.sort(reverse=True)

    def find(self, text: str, folded: str | None = None) -> list[Mention]:
        """Every non-overlapping mention in a text, leftmost-longest (``folded``: ``fold_chars(text)``)."""
        folded = fold_chars(text) if folded is None else folded
        toks = tokens(text, folded)
        raw = None
        found: list[Mention] = []
        i = 0
        while i < len(toks):
            hit = None
            for n in self._lengths.get(toks[i][0], ()):
                if i + n > len(toks):
                    continue
                key = tuple(t for t, _, _ in toks[i:i + n])
                entry = self._entries.get(key)
                if entry is None:
                    continue
                start, end = toks[i][1], toks[i + n - 1][2]
                if entry.exact is not None:
                    raw = raw if raw is not None else fold_chars(text, casefold=False)
                    if tuple(t for t, _, _ in _raw_tokens(raw[start:end])) != entry.exact:
                        continue
                if _glued(text, start, end):
                    continue
                hit = (n, Mention(start, end, text[start:end], entry.actor, entry.kind))
                break
            if hit:
                found.append(hit[1])
                i += hit[0]
            else:
                i += 1
        return _forces(text, found, folded)


def _glued(text: str, start: int, end: int) -> bool:
    """True when a match is part of a longer hyphenated or dotted word ("al-Qaeda-linked" is fine)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return before.isalnum() or after.isalnum() or after == "$"


def _forces(text: str, mentions: list[Mention], folded: str) -> list[Mention]:
    """Turn adjectives followed by a word for armed force or government into force mentions."""
    out = list(mentions)
    for i, m in enumerate(out):
        if m.kind != "adjective":
            continue
        limit = out[i + 1].start if i + 1 < len(out) else len(text)
        match = _FORCE_RX.match(folded, m.end, limit)
        if match:
            out[i] = Mention(m.start, match.end(), text[m.start:match.end()], m.actor, "force")
            # "Turkish and Russian forces": earlier adjectives joined by "and" share the noun
            j = i - 1
            while j >= 0 and out[j].kind == "adjective" and _AND_RX.fullmatch(folded[out[j].end:out[j + 1].start]):
                out[j] = Mention(out[j].start, out[j].end, out[j].text, out[j].actor, "force")
                j -= 1
    # "Turkish and Russian forces" where "Russian forces" is itself a name
    for i in range(len(out) - 2, -1, -1):
        nxt = out[i + 1]
        if out[i].kind == "adjective" and nxt.kind in {"force", "name"} and nxt.actor.cls == "State":
            if _AND_RX.fullmatch(folded[out[i].end:nxt.start]) and (
                    nxt.kind == "force" or _FORCE_RX.search(" " + fold_chars(nxt.text).split(" ", 1)[-1])):
                m = out[i]
                out[i] = Mention(m.start, m.end, m.text, m.actor, "force")
    return out


TITLES = frozenset("""
mr mrs ms dr president prime minister foreign defence defense interior spokesman spokeswoman chief
head leader commander general gen king emir sultan crown prince envoy special representative
ambassador secretary state warlord presidential vice deputy the his her their its
""".split())


def _is_title(name: str, prefix: tuple[str, ...], modifiers: set[str]) -> bool:
    """True when the words before a shorter name are a title, adjective or description."""
    words = [t for t in prefix if t[0].isalnum()]
    raw = _raw_tokens(name)[: len(prefix)]
    for w, (r, start, _) in zip(prefix, raw, strict=True):
        if not w[0].isalnum() or (start > 0 and not name[start - 1].isspace()):
            continue  # punctuation, or the inside of a word (Hay'et, al-Sham)
        if w in TITLES or w in modifiers or (r[:1].islower() and w not in {"al", "bin", "ibn", "el"}):
            return True
    return not words


def _key(name: str) -> tuple[str, ...]:
    return tuple(t for t, _, _ in tokens(name))


def _raw_tokens(text: str):
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
