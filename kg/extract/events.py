"""Event nouns: an attack, a strike, a deal — who did it to whom, and where.

An **event noun** relates its agent (possessor, actor-modifier, "by"-object, or the
subject of a light verb: "launched air strikes on") to its target; an attack made on
the ground also places its attacker where it happened. A mixin of
:class:`kg.extract.relations.Reader`, which supplies ``_emit`` and ``_fit``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..vocabulary import SYMMETRIC
from .arguments import AGENTS, PLACES
from .entities import Hit, Ref
from .lexicon import Frame
from .modality import LIGHT_VERBS

#: attacks made on the ground, so the attacker is where it attacks (not so for air strikes and missiles)
GROUND_ATTACKS = frozenset("""
attack raid storm overrun invade assault ambush besiege offensive incursion invasion onslaught shelling
strike airstrike air-strike bomb bombing bombardment shell gain advance push drive counteroffensive
counter-offensive operation siege action
""".split())

#: verbs whose subject receives what their object names: "won the backing of X"
RECEIVING = frozenset("win receive get enjoy have secure gain earn obtain seek lose retain count need".split())



class Events:
    """Event nouns (a mixin of :class:`kg.extract.relations.Reader`)."""

    _emit: Callable[..., list[Hit]]
    _fit: Callable[[Frame, list[Ref]], list[Ref]]
    actors_of: Callable[..., list[Ref]]
    subjects: Callable[..., Any]
    mood: Callable[..., Any]
    noun_mood: Callable[..., Any]

    def event(self, n, frame: Frame, refs: dict[int, Ref]) -> list[Hit]:
        agents: list[Ref] = []
        own = refs.get(n.i)
        if own is not None:
            agents.append(own)   # "Turkish troops in Syria", "Houthi rebels in Yemen"
        targets: list[Ref] = []
        pair: list[Ref] = []
        modifiers = []
        for c in n.children:
            if c.dep_ in {"poss", "compound", "amod", "nmod"}:
                agents.extend(self.actors_of(c, refs))
                modifiers.append(c)
                for g in c.children:   # "U.S.-Russian cooperation": "U.S." hangs on "Russian"
                    if g.dep_ in {"npadvmod", "compound"} and g.i < c.i and refs.get(g.i) is not None:
                        agents.extend(self.actors_of(g, refs))
                        modifiers.append(g)
            elif c.dep_ in {"prep", "agent"} and c.lower_ == "by":
                agents.extend(r for p in c.children if p.dep_ == "pobj" for r in self.actors_of(p, refs))
            elif c.dep_ == "prep" and c.lower_ == "between" and "prep:between" in frame.object:
                pair.extend(r for p in c.children if p.dep_ == "pobj" for r in self.actors_of(p, refs))
            elif c.dep_ == "prep" and f"prep:{c.lower_}" in frame.object:
                targets.extend(r for p in c.children if p.dep_ == "pobj" for r in self.actors_of(p, refs))
        if frame.place and not targets and n.dep_ == "dobj":
            # "cut its troops in Iraq": the parser hangs the place on the verb
            for c in n.head.children:
                if c.dep_ == "prep" and f"prep:{c.lower_}" in frame.object and c.i > n.i:
                    targets.extend(r for p in c.children if p.dep_ == "pobj" for r in self.actors_of(p, refs))
        if frame.relation == "backs" and n.dep_ == "dobj" and n.head.lemma_.lower() in RECEIVING:
            # "won the backing of Qatar", "enjoys the support of Iran": the of-object backs the subject
            givers = [r.as_state() for c in n.children if c.dep_ == "prep" and c.lower_ in {"of", "from"}
                      for p in c.children if p.dep_ == "pobj" for r in self.actors_of(p, refs)]
            givers += [r.as_state() for c in n.children if c.dep_ == "poss" for r in self.actors_of(c, refs)]
            if givers:
                return self._emit(givers, "backs", self.subjects(n.head, refs), frame.confidence,
                                  f"event {frame.lemma} (received)", self.mood(n.head))
        if frame.relation == "backs" and n.dep_ == "pobj" and n.head.lower_ == "to" and not agents:
            # "came to Syria's aid", "rushed to Baku's defence": the subject backs the possessor
            owners = [r.as_state() for c in n.children if c.dep_ == "poss" for r in self.actors_of(c, refs)]
            verb = n.head.head
            if owners and verb.pos_ in {"VERB", "AUX"}:
                return self._emit(self.subjects(verb, refs), "backs", owners, frame.confidence,
                                  f"event {frame.lemma} (came to)", self.mood(verb))
        node = n
        if n.dep_ == "pobj" and n.head.lower_ == "of" and n.head.head.dep_ in {"dobj", "nsubjpass"}:
            node = n.head.head            # "carried out dozens of raids"
        if not agents and node.dep_ in {"dobj"} and node.head.lemma_.lower() in LIGHT_VERBS:
            agents = self.subjects(node.head, refs)
        if not agents and node.dep_ == "pobj" and node.head.head.lemma_.lower() in LIGHT_VERBS:
            agents = self.subjects(node.head.head, refs)
        if not agents and n.dep_ == "pobj" and n.head.lower_ in {"in", "with", "at"} and n.head.dep_ == "prep" \
                and n.head.head.pos_ in {"VERB", "AUX"} and (frame.relation == "backs" or frame.lemma in {
                    "action", "war", "conflict", "battle", "combat"}):
            # "fighting Boko Haram in support of the government", "jets were in action against the PKK"
            agents = self.subjects(n.head.head, refs)    # "fighting Boko Haram in support of the government"
        if not targets and node.dep_ == "dobj":
            # "launched its offensive on Marib in February": the parser hangs the target on the verb
            for c in node.head.children:
                if c.dep_ == "prep" and f"prep:{c.lower_}" in frame.object and c.i > node.i:
                    targets.extend(r for p in c.children if p.dep_ == "pobj" for r in self.actors_of(p, refs))
        mood = self.noun_mood(n)
        rule = f"event {frame.lemma}"
        hits: list[Hit] = []
        if len(pair) >= 2:
            for i, a in enumerate(pair):
                for b in pair[i + 1:]:
                    hits.extend(self._emit([a], frame.relation, [b], frame.confidence, rule + " between", mood))
        agents = [a for a in agents if a.actor.cls in AGENTS]
        if not targets and not pair and len(agents) >= 2 and frame.relation in SYMMETRIC \
                and _joined([c for c in modifiers if c.dep_ != "poss" and refs.get(c.i) is not None]):
            # "U.S.-Russian cooperation", "the Saudi-Iranian rivalry": between the modifiers
            for i, a in enumerate(agents):
                for b in agents[i + 1:]:
                    hits.extend(self._emit([a], frame.relation, [b], frame.confidence, rule + " (pair)", mood))
            return hits
        targets = self._fit(frame, targets)
        hits.extend(self._emit(agents, frame.relation, targets, frame.confidence, rule, mood))
        if frame.relation == "attacked" and targets and frame.lemma in GROUND_ATTACKS:
            places = self._places_in(n, refs)
            hits.extend(self._emit(agents, "operatesIn", places, frame.confidence * 0.9, rule + " (place)", mood))
        return hits

    def _places_in(self, n, refs: dict[int, Ref]) -> list[Ref]:
        """Places an event happened in: "in"-objects of the event noun and of its target phrases."""
        out: list[Ref] = []
        for node in n.subtree:
            if node.dep_ == "prep" and node.lower_ in {"in", "inside", "across", "near", "around"}:
                for p in node.children:
                    if p.dep_ == "pobj":
                        out.extend(r for r in self.actors_of(p, refs) if r.actor.cls in PLACES)
        return out


def _joined(modifiers) -> bool:
    """True when two actor-modifiers are written as a pair: "U.S.-Russian", "Saudi and Iranian"."""
    modifiers = sorted(modifiers, key=lambda t: t.i)
    for a, b in zip(modifiers, modifiers[1:], strict=False):
        between = a.doc[a.i + 1:b.i]
        if 0 < len(between) <= 2 and all(t.text in {"-", "–", "/", "and", ","} for t in between):
            return True
    return False
