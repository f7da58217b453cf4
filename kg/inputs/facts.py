"""Facts: one relation between two catalogue actors, with its evidence.

Curators write facts in an article's sidecar (``seeds/<stem>.yaml``)::

    facts:
      - fact: Turkey backs Failaq al-Sham
        quote: "... Failaq al-Sham, one of the largest Turkey-backed armed groups in the area ..."
        date: 2020-10-26          # optional: when it happened, if the text says
        said_by: Charles Lister   # optional: a quoted source or actor making the claim

``fact`` reads ``<subject> <relation> <object>``; subject and object are labels or
aliases from the catalogue; relation is one of the ontology's property names.
The quote must occur verbatim in the article. The extractor produces the same
:class:`Fact` objects with ``method="extracted"`` and a confidence below 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..dates import PartialDate
from ..errors import Problem
from ..vocabulary import RELATIONS
from .articles import Article, normalize_space
from .catalogue import Actor, Catalogue

_FACT_KEYS = {"fact", "quote", "date", "said_by", "note"}
_RELATION_RX = re.compile(r"\s(" + "|".join(RELATIONS) + r")\s")


@dataclass(frozen=True)
class Fact:
    """A relation between two actors and one piece of evidence for it."""

    subject: Actor
    relation: str
    object: Actor
    quote: str
    article: str
    date: PartialDate | None = None
    said_by: str | None = None
    method: str = "curated"
    confidence: float = 1.0
    subject_mention: str | None = None
    object_mention: str | None = None
    note: str | None = field(default=None, compare=False)
    path: str | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)

    @property
    def edge(self) -> tuple[str, str, str]:
        """(subject id, relation, object id), with symmetric relations in a canonical order."""
        s, o = RELATIONS[self.relation].canonical(self.subject.id, self.object.id)
        return (s, self.relation, o)


def split_fact(text: str) -> tuple[str, str, str] | None:
    """Split ``"Turkey backs Failaq al-Sham"`` into subject, relation and object.

    >>> split_fact("Turkey backs Failaq al-Sham")
    ('Turkey', 'backs', 'Failaq al-Sham')
    >>> split_fact("Turkey supports Failaq al-Sham") is None
    True
    """
    matches = list(_RELATION_RX.finditer(f" {text} "))
    if len(matches) != 1:
        return None
    m = matches[0]
    padded = f" {text} "
    subject, obj = padded[: m.start()].strip(), padded[m.end():].strip()
    return (subject, m[1], obj) if subject and obj else None


def parse_curated_facts(entries, article: Article, catalogue: Catalogue, *, path: str,
                        problems: list[Problem]) -> list[Fact]:
    """Turn the ``facts:`` list of a sidecar into facts, adding a :class:`Problem` per bad entry."""
    facts: list[Fact] = []
    if entries is None:
        return facts
    if not isinstance(entries, list):
        problems.append(Problem("'facts:' must be a list of '- fact: ...' entries", path,
                                getattr(entries, "line", None)))
        return facts
    for entry in entries:
        line = getattr(entry, "line", None)
        if not isinstance(entry, dict):
            problems.append(Problem("each fact must be a mapping with 'fact:' and 'quote:'", path, line))
            continue
        fact = parse_fact_entry(entry, article, catalogue, path=path, line=line, problems=problems)
        if fact is not None:
            facts.append(fact)
    return facts


def parse_fact_entry(entry: dict, article: Article, catalogue: Catalogue, *, path: str,
                     line: int | None, problems: list[Problem]) -> Fact | None:
    """Check one ``fact:``/``quote:`` mapping against the catalogue and its article."""
    before = len(problems)
    unknown = set(entry) - _FACT_KEYS
    if unknown:
        problems.append(Problem(f"unknown keys {sorted(unknown)}; a fact has "
                                f"{', '.join(sorted(_FACT_KEYS))}", path, line))
    text = entry.get("fact")
    if not isinstance(text, str) or not text.strip():
        problems.append(Problem("missing 'fact: <subject> <relation> <object>'", path, line))
        return None
    parts = split_fact(text)
    if parts is None:
        problems.append(Problem(f"cannot read {text!r}: write '<subject> <relation> <object>' with "
                                f"exactly one relation of: {', '.join(RELATIONS)}", path, line))
        return None
    s_name, relation, o_name = parts
    subject, obj = catalogue.resolve(s_name), catalogue.resolve(o_name)
    for name, actor in ((s_name, subject), (o_name, obj)):
        if actor is None:
            hint = catalogue.suggest(name)
            problems.append(Problem(f"unknown actor {name!r}" + (f" (did you mean {', '.join(map(repr, hint))}?)"
                                    if hint else "") + "; add it to the catalogue first", path, line))
    quote = entry.get("quote")
    if not isinstance(quote, str) or not quote.strip():
        problems.append(Problem(f"{text!r} has no 'quote:'; every fact needs the article's words", path, line))
    elif not article.contains(quote):
        problems.append(Problem(f"the quote of {text!r} does not occur in {article.path.name}: "
                                f"{_short(quote)!r}", path, entry.line_of("quote") if hasattr(entry, "line_of") else line))
    date = None
    if entry.get("date") is not None:
        try:
            date = PartialDate.read(entry["date"])
        except ValueError as exc:
            problems.append(Problem(f"date {exc}", path, entry.line_of("date") if hasattr(entry, "line_of") else line))
    said_by = entry.get("said_by")
    if said_by is not None:
        speaker = catalogue.resolve(str(said_by)) or catalogue.resolve_source(str(said_by))
        if speaker is None:
            problems.append(Problem(f"said_by {said_by!r} is neither an actor nor a source", path, line))
        else:
            said_by = speaker.label
    if subject is not None and obj is not None:
        problems.extend(check_signature(subject, relation, obj, path=path, line=line))
    if len(problems) > before:
        return None
    # an unknown actor or a missing quote is a problem, so none of them is left here
    assert subject is not None and obj is not None and isinstance(quote, str)
    return Fact(subject, relation, obj, normalize_space(quote), article.id, date or article.date,
                said_by, "curated", 1.0, s_name, o_name,
                " ".join(str(entry["note"]).split()) if entry.get("note") else None, path, line)


def check_signature(subject: Actor, relation: str, obj: Actor, *, path=None, line=None) -> list[Problem]:
    """Problems with a relation's subject/object classes (leaderOf needs a Leader, ...)."""
    found = []
    if subject.id == obj.id:
        found.append(Problem(f"{subject.label!r} {relation} itself", path, line))
    rel = RELATIONS[relation]
    dom, rng = rel.domain, rel.range
    if dom and subject.cls not in dom:
        found.append(Problem(f"{relation} needs a subject of class {'/'.join(sorted(dom))}, but "
                             f"{subject.label!r} is a {subject.cls}", path, line))
    if rng and obj.cls not in rng:
        found.append(Problem(f"{relation} needs an object of class {'/'.join(sorted(rng))}, but "
                             f"{obj.label!r} is a {obj.cls}", path, line))
    return found


def _short(text: str, n: int = 80) -> str:
    text = normalize_space(text)
    return text if len(text) <= n else text[: n - 1] + "…"
