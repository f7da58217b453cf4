"""Offices: who holds which post in which state or body, read from titles and the gazetteer.

"U.S. Secretary of State Mike Pompeo", "Iraqi Prime Minister Haider al-Abadi",
"Turkey's Energy Minister X", "President X" (the gazetteer's office, else the
article's state for a head of state or government), "his presidency". A title that
leads ("president", "commander", "founder") gives ``leaderOf``; any other office
("minister", "spokesman") gives ``memberOf``.
"""

from __future__ import annotations

from ..inputs.catalogue import Actor
from .entities import OFFICE_WORDS, Hit, Ref
from .lexicon import Lexicon
from .world import Office, World

#: titles that lead what they are titles of; any other office ("minister", "spokesman") is membership
LEADING_TITLES = frozenset("""
president premier prime king emir sultan leader head chief commander chairman chairperson chair
founder ruler dictator strongman monarch warlord secretary-general boss supreme chancellor marshal
""".split())

#: words for whoever leads, whatever the office is called ("its leader" of a president)
GENERIC_HEADS = frozenset({"leader", "head", "ruler", "dictator", "strongman", "autocrat", "boss"})

#: titles of a head of state or government, the only ones read as "of the article's state"
HEAD_TITLES = frozenset({"president", "premier", "prime", "king", "emir", "sultan", "vice-president"})

STATE_TITLES = frozenset("""
president prime premier minister king emir sultan chancellor ruler dictator strongman spokesman
spokeswoman spokesperson ambassador envoy secretary vice-president prince monarch
""".split())

#: words of a title written before a name ("U.S. Secretary of State Mike Pompeo"), and its head words
TITLE_WORDS = frozenset("""
president vice vice-president prime minister premier foreign defence defense interior finance
secretary of state general lieutenant-general lt lt. gen gen. colonel col col. major commander chief
army staff spokesman spokeswoman spokesperson envoy special ambassador king emir sultan crown prince
sheikh high representative for affairs security policy chairman chairperson chair leader head deputy
supreme field marshal admiral ayatollah energy oil justice national adviser advisor director
intelligence the and acting interim
""".split())

TITLE_HEADS = frozenset("""
president vice-president minister premier secretary general commander chief spokesman spokeswoman
spokesperson envoy ambassador king emir sultan prince sheikh representative chairman chairperson
leader head marshal admiral ayatollah adviser advisor director
""".split())

#: a person's time in office: "his presidency", "her premiership"
TENURES = frozenset({"presidency", "premiership", "reign", "chairmanship", "rule"})


def office_relation(title: str) -> str:
    """``leaderOf`` for a title that leads ("president", "commander"), else ``memberOf`` ("minister").

    >>> office_relation("President"), office_relation("spokesman"), office_relation("prime minister")
    ('leaderOf', 'memberOf', 'leaderOf')
    """
    words = [w[:-1] if w.endswith("s") and w[:-1] in LEADING_TITLES else w
             for w in title.lower().replace("-", " ").split()]   # "the Russian and Turkish presidents"
    if "vice" in words or "deputy" in words:
        return "memberOf"
    return "leaderOf" if any(w in LEADING_TITLES for w in words) or title.lower() in LEADING_TITLES else "memberOf"


def _title_words(n) -> str:
    """The words of a title around its head noun: "prime minister", "deputy leader", "spokesman"."""
    words = [c for c in n.lefts if c.dep_ in {"compound", "amod", "npadvmod"} and c.ent_type_ in {"", "NORP"}
             and not c.ent_type_.startswith("KG")] + [n]
    text = " ".join(w.lower_ for w in words)
    return text.replace("secretary general", "secretary-general")


class Offices:
    """Titles and offices (a mixin of :class:`.relations.Reader`: it needs ``lex``, ``world``, ``focus``,
    ``year``)."""

    lex: Lexicon
    world: World
    focus: Actor | None
    year: int | None

    def title(self, first, person: Ref, refs: dict[int, Ref]) -> list[Hit]:
        """A title written before a name, read from the words (the parser often splits such titles):
        "U.S. Secretary of State Mike Pompeo", "Iraqi Prime Minister Haider al-Abadi", "Turkey's
        Energy Minister X", "President X" (the gazetteer's office, else the article's state)."""
        doc = first.doc
        i = first.i - 1
        words = []
        while i >= 0 and doc[i].lower_ in TITLE_WORDS and refs.get(doc[i].i) is None:
            words.append(doc[i])
            i -= 1
        heads = [w for w in words if w.lower_ in TITLE_HEADS]
        if not heads or (words and words[-1].lower_ in {"of", "for", "and", "the"}):
            return []
        # a president-elect is not yet in office; a former one was (and historical facts count)
        if any(t.lower_ in {"elect", "designate", "would-be"} for t in doc[max(i, 0):first.i + 3]):
            return []
        if i >= 0 and doc[i].tag_ == "POS" and i >= 1:
            i -= 1
        owner = refs.get(doc[i].i) if i >= 0 else None
        rule = "title"
        if owner is None or owner.actor.cls not in {"State", "ArmedGroup", "Organization"}:
            # "Secretary of State Mike Pompeo" has its state inside; else the gazetteer's office,
            # unless an apposition says what the person heads ("General X, the head of UN peacekeepers")
            root = first.head if first.dep_ == "compound" else first
            if any(c.dep_ == "appos" and (f := self.lex.nouns.get(c.lemma_.lower())) is not None
                   and f.relation == "leaderOf" and not any(g.dep_ == "poss" and g.pos_ == "PRON" for g in c.children)
                   for c in (*root.children, *first.children)):
                return []
            head = heads[0]
            offices = self._office(person, head)
            if offices:
                owner, rule = offices[0], "title (office)"
            elif self._focus_title(person, head):
                owner, rule = self._focus_title(person, head)[0], "title (the article's state)"
            else:
                return []
        relation = office_relation(" ".join(w.lower_ for w in reversed(words)))
        return [Hit(person, relation, owner, 0.85 if rule == "title" else 0.8, rule)]

    def _office(self, holder: Ref, n, strict: bool = False) -> list[Ref]:
        """The state or body a title refers to when the text does not say: the office the gazetteer knows
        (the one whose title matches, else the person's only state or body)."""
        offices = self.offices(holder.actor.id)
        title = n.lower_
        portfolio = {w.lower_ for c in n.children if c.dep_ == "prep" and c.lower_ == "of" for w in c.subtree
                     if w.lower_ in OFFICE_WORDS} | {c.lower_ for c in n.lefts if c.lower_ in OFFICE_WORDS}
        portfolio = {"defence" if w == "defense" else w for w in portfolio} - {"minister", "secretary"}
        matching = [o for o in offices if title in o.title.split() or title in o.title
                    or (title in GENERIC_HEADS and office_relation(o.title) == "leaderOf")
                    or (portfolio and portfolio <= set(o.title.replace("defense", "defence").split()))]
        organs = {o.of for o in (matching or ([] if strict else offices))}
        if len(organs) == 1:
            actor = self.world.actor(organs.pop())
            if actor is not None:
                return [Ref(actor, holder.text, holder.start, holder.end, "office", 0.9)]
        return []

    def offices(self, person_id: str) -> list[Office]:
        """The offices the gazetteer knows a person held in the article's year (all, if undated)."""
        return [o for o in self.world.offices.get(person_id, [])
                if self.year is None or ((o.start or 0) <= self.year and (o.end is None or self.year <= o.end))]

    def _focus_title(self, holder: Ref, n) -> list[Ref]:
        """A head of state or government with no state named: the article's state, if the gazetteer
        does not know the person (it would have said where they serve)."""
        if n.lower_ not in HEAD_TITLES or self.focus is None or self.world.offices.get(holder.actor.id):
            return []
        return [Ref(self.focus, holder.text, holder.start, holder.end, "focus", 0.75)]
