"""Who each word of a parsed article refers to: known actors first, then the model's entities.

The article's paragraphs are parsed by spaCy. Before its statistical NER runs, the
names of the project's catalogue and of the world gazetteer are matched on folded
text (:class:`.mentions.Gazetteer`: any case, no diacritics, short capitals only in
capitals, longest first) and set as entities, so the NER works around them. Then:

- a capital is its state only where the parser shows it acting (the subject of a
  verb, a possessor: "Ankara sent", "Moscow's offer"); elsewhere it is the city;
- NER spans the gazetteer does not know (PERSON, ORG, NORP, GPE, LOC, FAC, EVENT,
  LAW) become proposed actors with a class and a confidence, or known ones when a
  later short form is a known name ("Mr Dbeibah" after "Abdul Hamid Dbeibah");
- an acronym in brackets after a name is that name ("... Council (STC)");
- generic words a curator tied to one actor ("rebels", "the regime") count only in
  an article that names that actor, or its country, by a proper name;
- agreements named in lower case ("a truce", "the gas deal") become Agreement
  actors with a label that stays the same within the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..inputs.catalogue import Actor, fold
from .mentions import Gazetteer, Mention
from .newactors import NewActor, classify_span, similar_labels
from .world import World

#: words a catalogue may list as an alias that say nothing about which actor, outside the article
GENERIC = frozenset({
    "rebels", "rebel", "militants", "militias", "militia", "insurgents", "jihadists", "separatists",
    "fighters", "opposition", "regime", "government", "junta", "authorities", "army", "military",
    "mercenaries", "the regime", "the government", "the rebels", "the militias", "the opposition",
    "the junta", "the authorities", "the army", "the military", "rebel fighters", "opposition fighters",
    "rebel groups", "the rebel groups", "the militants", "the insurgents", "the separatists"})

AGREEMENT_NOUNS = frozenset("""
agreement deal accord accords treaty ceasefire cease-fire truce pact protocol memorandum armistice
roadmap settlement
""".split())

#: words of an office, not of a name: "Defense" in "French Defense Minister X" is no actor
OFFICE_WORDS = frozenset("""
defense defence energy foreign interior finance affairs security health justice economy home
trade oil information war state minister ministry president prime secretary general deputy vice
chief high representative commissioner special envoy national
""".split())

#: "the town of X", "the province of X", "the siege of X": X is a place whatever the NER thought
PLACE_NOUNS = frozenset("""
town city village province district region governorate port island area county state capital
siege blockade fall capture recapture liberation outskirts heart centre center battle bombing
shelling occupation
""".split())

#: small words inside place and person names: "Vila do Conde", "Ras al Ain"
NAME_PARTICLES = frozenset({"da", "de", "do", "dos", "das", "del", "di", "la", "al", "el", "ash", "as", "ad", "bin",
                            "ibn", "abu", "van", "von"})

_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9-]{1,9})\s*\)")


def doc_text(doc) -> str:
    """The text of a parsed paragraph, kept once: spaCy's ``Doc.text`` rebuilds it at every call."""
    text = doc.user_data.get("kg_text")
    if text is None:
        text = doc.user_data["kg_text"] = doc.text
    return text


@dataclass
class Ref:
    """An actor as the text names it at some words."""

    actor: Actor
    text: str
    start: int              # offsets in the article text
    end: int
    kind: str = "name"      # name | adjective | force | capital | coref | new | agreement
    confidence: float = 1.0
    state: Actor | None = None   # for a capital: the state it stands for where it acts
    members: tuple = ()          # for "they", "the two countries": each actor meant

    def as_state(self) -> Ref:
        """A capital read as its government ("Ankara" in "support for Ankara"); anything else as it is."""
        if self.state is None:
            return self
        return Ref(self.state, self.text, self.start, self.end, "name", self.confidence)


@dataclass(frozen=True)
class Hit:
    """A relation read in one sentence, between two actors as the text names them."""

    subject: Ref
    relation: str
    object: Ref
    confidence: float
    rule: str


class Entities:
    """The gazetteer for one world (catalogue + gazetteer), reused across articles."""

    def __init__(self, world: World):
        self.world = world
        catalogue = world.catalogue
        self.gazetteer = Gazetteer(catalogue)
        # a curated state's alias that is its capital ("Ankara") is a capital mention
        for region_id, state_id in world.capitals.items():
            region = world.actor(region_id)
            if region is not None:
                for name in region.names:
                    self.gazetteer.add(name, region, "capital", replace=True)
                state = world.actor(state_id)
                if state is not None:
                    for name in state.aliases:
                        if fold(name) in {fold(n) for n in region.names}:
                            self.gazetteer.add(name, region, "capital", replace=True)
        self.surnames: dict[str, Actor] = {}
        ambiguous: set[str] = set()
        for actor in catalogue.actors.values():
            if actor.cls == "Leader":
                for name in actor.names:
                    last = fold(name).split()[-1] if name.split() else ""
                    if len(last) > 2:
                        if last in self.surnames and self.surnames[last].id != actor.id:
                            ambiguous.add(last)
                        self.surnames[last] = actor
        for last in ambiguous:
            self.surnames.pop(last, None)
        self.generic_owner = {fold(n): a for a in catalogue.actors.values() for n in a.aliases
                              if fold(n) in GENERIC}

    # ------------------------------------------------------------------ per article

    def find(self, text: str, folded: str) -> list[Mention]:
        """The gazetteer's mentions in an article, generic aliases kept only where the article earns them."""
        mentions = self.gazetteer.find(text, folded)
        named = {m.actor.id for m in mentions if fold(m.text) not in GENERIC}
        named |= {state for m in mentions if m.kind == "capital" and (state := self.world.capitals.get(m.actor.id))}
        named_words = {fold(n) for i in named if (a := self.world.actor(i)) is not None
                       for n in (*a.names, *a.adjectives)}
        keep = []
        for m in mentions:
            if fold(m.text) in GENERIC:
                actor = m.actor
                words = [w for w in fold(actor.label).split() if len(w) > 3]
                country_named = any(w in named_words for w in words)
                theatre = self.world.theatres.get(actor.id, set())
                if actor.id not in named and not country_named and not (theatre & named):
                    continue
            keep.append(m)
        return keep


class Article:
    """What the entity layer knows about the actors of one article as it is read."""

    def __init__(self, entities: Entities, text: str):
        self.entities = entities
        self.text = text
        self.proposed: dict[str, NewActor] = {}
        self.proposed_actor: dict[str, Actor] = {}
        self.persons: dict[str, Actor] = {}          # folded surname -> proposed person of this article
        self.acronyms: dict[str, Actor] = {}
        self.agreements: list[Actor] = []            # in order of first mention
        self.agreement_names: dict[str, Actor] = {}  # folded descriptive name -> Agreement
        self.counts: dict[str, int] = {}             # actor id -> mentions so far
        self.generic: dict[str, Actor] = {}          # "rebel" -> the "Syrian rebels" this article named
        self.last_place_cue: tuple = ()               # (paragraph, token) of the last name read as a place

    # proposals ------------------------------------------------------------

    def propose(self, label: str, cls: str, confidence: float, mention: str, rule: str) -> Actor:
        key = fold(label)
        prop = self.proposed.get(key)
        if prop is None:
            prop = self.proposed[key] = NewActor(label, cls, confidence, [], rule,
                                                 similar_labels(label, self.entities.world.catalogue))
            self.proposed_actor[key] = prop.actor
        elif confidence > prop.confidence:
            if cls != prop.cls:   # "Marib" the NER took for a person, then "an assault on Marib": a place
                prop.cls, prop.rule = cls, rule
                self.proposed_actor[key] = prop.actor
            prop.confidence = confidence
        if mention not in prop.mentions:
            prop.mentions.append(mention)
        return self.proposed_actor[key]

    def ner_ref(self, span, offset: int) -> Ref | None:
        """A known or proposed actor for an NER span the gazetteer did not match."""
        label_ = span.label_
        words = [t for t in span if not (t.i == span.start and t.lower_ in {"the", "a", "an"})]
        cut = next((k for k, t in enumerate(words) if t.text == "("), None)
        if cut:   # "National Defence Front (NDF": the name, then its acronym
            words = words[:cut]
        while words and (words[-1].tag_ == "POS" or words[-1].is_punct):
            words.pop()
        while words and words[0].is_punct:
            words.pop(0)
        if not words:
            return None
        if all(w.lower_ in OFFICE_WORDS for w in words):
            return None
        first = words[0]
        while first.i >= 2 and first.doc[first.i - 1].lower_ in NAME_PARTICLES \
                and first.doc[first.i - 2].text[:1].isupper() and not first.doc[first.i - 2].ent_type_.startswith("KG"):
            first = first.doc[first.i - 2]    # "Vila do Conde": the NER stopped at the particle
        words = [*first.doc[first.i:words[0].i], *words]
        doc = span.doc
        while words[-1].lower_ in NAME_PARTICLES and words[-1].i + 1 < len(doc) \
                and doc[words[-1].i + 1].text[:1].isupper():
            words.append(doc[words[-1].i + 1])   # "Mocímboa da" + "Praia": the NER stopped before the name's end
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        name = doc_text(doc)[start:end]
        catalogue = self.entities.world.catalogue
        known = catalogue.resolve(name)
        stripped = re.sub(r"^(?:Mr|Mrs|Ms|Dr|Gen|General)\.?\s+", "", name)
        if known is None and stripped != name:
            known = catalogue.resolve(stripped)
        if known is None and label_ == "PERSON":
            # "Mr Dbeibah" after "Abdul Hamid Dbeibah"; but "Ali Mahmoud" is not "Omar Mahmoud"
            parts = fold(stripped).split()
            last = parts[-1] if parts else ""
            known = self.persons.get(last) if len(parts) == 1 else None
            if known is None and len(parts) == 1 and last:
                known = self.entities.surnames.get(last)
        if known is None:
            known = self.acronyms.get(name)
        if catalogue.resolve_source(name) or catalogue.resolve_source(stripped):
            return None
        if known is not None:
            return Ref(known, name, start + offset, end + offset, "name")
        guess = classify_span(label_, stripped, doc[words[0].i:words[-1].i + 1])
        if guess is None:
            return None
        cls, confidence, rule = guess
        start_word = words[0]
        if start_word.i >= 2 and doc[start_word.i - 1].lower_ == "and" \
                and self.last_place_cue == (id(doc), start_word.i - 2):
            start_word = doc[start_word.i - 2]   # "the islands of X and Y": Y is a place as X is
        before = doc[start_word.i - 2:start_word.i] if start_word.i >= 2 else doc[0:0]
        if cls in {"Leader", "ArmedGroup"} and (
                (len(before) == 2 and before[1].lower_ == "of" and before[0].lemma_.lower() in PLACE_NOUNS)
                or (len(before) >= 1 and before[-1].lower_ in {"near", "outside", "around", "towards", "inside", "across"})
                or (cls == "Leader" and len(before) >= 1 and before[-1].lower_ in {"in", "into"}
                    and before[-1].dep_ == "prep" and before[-1].head.pos_ in {"VERB", "NOUN"})
                or (cls == "Leader" and len(words) == 1 and len(before) >= 1
                    and before[-1].lower_ in {"in", "into", "on", "across", "from", "inside", "to"})):
            cls, confidence, rule = "Region", 0.55, "place after a place word"
            self.last_place_cue = (id(doc), words[-1].i)
        label = stripped if cls == "Leader" else name
        actor = self.propose(label, cls, confidence, name, rule)
        if cls == "Leader":
            parts = fold(stripped).split()
            if len(parts) >= 2:
                self.persons.setdefault(parts[-1], actor)
        after = _ACRONYM.match(doc_text(doc), end)
        if after and cls in {"ArmedGroup", "Organization", "Agreement"}:
            self.acronyms[after[1]] = actor
        return Ref(actor, name, start + offset, end + offset, "new", confidence)

    def agreement(self, noun, offset: int) -> Ref | None:
        """An Agreement for a lower-case agreement noun phrase ("the gas deal", "a truce")."""
        doc = noun.doc
        mods = [c for c in noun.lefts if c.dep_ in {"compound", "amod", "nmod", "npadvmod"}
                and not c.ent_type_.startswith("KG") and c.pos_ in {"NOUN", "ADJ", "PROPN", "VERB"}]
        # hyphenated modifiers ("maritime-border deal") hang on the first modifier
        words = sorted({t.i for m in mods for t in m.subtree if not t.is_punct or t.text == "-"} | {noun.i})
        first = words[0]
        while first < noun.i and doc[first].dep_ in {"det", "poss", "case"}:
            first += 1
        phrase = doc[first:noun.i + 1]
        label = " ".join(phrase.text.split())
        key = fold(label)
        determiner = next((c.lower_ for c in noun.lefts if c.dep_ == "det"), "")
        actor = self.agreement_names.get(key)
        if actor is None and not mods and determiner in {"the", "this", "that"} and self.agreements:
            actor = self.agreements[-1]     # "the deal": the agreement last named
        if actor is None:   # a new agreement of this article, proposed like any new actor
            actor = self.propose(label[:1].upper() + label[1:], "Agreement", 0.6, label, "agreement noun")
            self.agreement_names[key] = actor
            self.agreements.append(actor)
        left = first - 1 if first > 0 and doc[first - 1].dep_ == "det" else first
        mention_start, end = doc[left].idx, noun.idx + len(noun.text)
        return Ref(actor, doc_text(doc)[mention_start:end], mention_start + offset, end + offset, "agreement")

    def actor(self, actor_id: str) -> Actor | None:
        """A known actor, or one this article proposed, by id."""
        known = self.entities.world.actor(actor_id)
        if known is not None:
            return known
        return next((a for a in self.proposed_actor.values() if a.id == actor_id), None)

    def note(self, actor: Actor) -> None:
        self.counts[actor.id] = self.counts.get(actor.id, 0) + 1

    def focus_state(self) -> Actor | None:
        """The state the article is about so far: named at least twice as often as any other
        (the government of "the government"), or None when no state stands out."""
        world = self.entities.world
        counts = sorted(((n, actor_id) for actor_id, n in self.counts.items()
                         if (a := world.actor(actor_id)) is not None and a.cls == "State"), reverse=True)
        if not counts or (len(counts) > 1 and counts[0][0] < 2 * counts[1][0]):
            return None
        return world.actor(counts[0][1])
