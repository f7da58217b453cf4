"""Relations read from the dependency parse, driven by the lexicon (``data/lexicon.yaml``).

For each sentence, every token whose lemma the lexicon knows is a trigger:

- a **verb** relates its subject to its object: active and passive ("backed by"),
  participles ("the LNA, backed by Russia", "mercenaries deployed in Libya"),
  relative clauses ("which Russia backs"), shared subjects of coordinated verbs and
  of control verbs ("continued to back");
- a **relational noun** relates its holder (an apposition, the subject of "is", the
  name it titles) to its possessor, its "of"-object or an actor-modifier: "Qatar,
  Turkey's closest ally", "Iran, the main backer of Hezbollah", "Ethiopian Prime
  Minister Abiy Ahmed", "Hezbollah, Iran's proxy";
- an **event noun** relates its agent (possessor, actor-modifier, "by"-object, or
  the subject of a light verb: "launched air strikes on") to its target;
- a **marker** is a participle glued to an actor: "Iranian-backed", "Saudi-led",
  "Houthi-controlled", "Russian-brokered".

Coordination spreads a relation over every conjunct. A trigger that is negated,
under a modal, in a condition or a question, or governed by a word such as deny,
plan, hope, seek or threaten is not a fact — except that a threat gives
``opposes`` — and a claim reported as an accusation is left out.
"""

from __future__ import annotations

from ..inputs.catalogue import Actor
from ..vocabulary import SYMMETRIC
from .arguments import AGENTS, PEOPLE, PLACES, Arguments, _appositive, _heads
from .entities import OFFICE_WORDS, Hit, Ref
from .events import GROUND_ATTACKS, Events
from .lexicon import Frame, Lexicon
from .modality import Modality
from .offices import TENURES, Offices, _title_words, office_relation
from .world import World

#: verbs of sending fighters or arms ("sent mercenaries to fight for X")
SENDING = frozenset("send dispatch despatch deploy fly ship transfer recruit hire dispatch".split())

#: nouns for a group or its branch: "a Nigerian jihadist group", "the Libyan branch of Islamic State"
BRANCH_NOUNS = frozenset("""
group wing branch affiliate franchise cell chapter offshoot faction militia movement insurgency
organisation organization outfit force
""".split())

#: places a state holds: "the Greek island of X"; and "the ruling party" of a state
PLACE_WORDS = frozenset("""
island islands enclave exclave territory territories colony colonies protectorate party junta government
""".split())

#: verbs done to a place, not to its government: "defend Tripoli" is not backing Libya
PHYSICAL = frozenset("defend protect shield rescue reinforce besiege encircle surround".split())




#: verbs the small parser often takes for other words ("Egypt back Haftar": an adverb)
MISPARSED = frozenset({"back", "backs", "support", "supports", "arm", "arms", "fund", "funds"})


class Reader(Arguments, Modality, Offices, Events):
    """Reads the relations of parsed sentences, given who each token refers to."""

    def __init__(self, lexicon: Lexicon, world: World):
        self.lex = lexicon
        self.world = world
        #: the state the article being read names most (for a bare title: "President X")
        self.focus: Actor | None = None
        #: the year of the article being read, for the offices people held then
        self.year: int | None = None

    # ------------------------------------------------------------------ arguments


    # ------------------------------------------------------------------ modality


    # ------------------------------------------------------------------ triggers

    def read(self, sent, refs: dict[int, Ref]) -> list[Hit]:
        """Every relation stated in one sentence (an attack on an actor is also hostility to it)."""
        hits = self._read(sent, refs)
        hostile = [Hit(h.subject, "opposes", h.object, h.confidence * 0.95, h.rule + " (attack)") for h in hits
                   if h.relation == "attacked" and h.object.actor.cls in AGENTS and h.subject.actor.cls in AGENTS]
        return hits + hostile

    def _read(self, sent, refs: dict[int, Ref]) -> list[Hit]:
        if sent.text.rstrip().rstrip("\"'”’)").endswith("?"):
            return []
        hits: list[Hit] = []
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.lower_ in MISPARSED and not tok.tag_.startswith("VB"):
                hits.extend(self.misparsed(tok, refs))
            if tok.pos_ in {"VERB", "AUX", "ADJ", "ADV"} or tok.tag_.startswith("VB"):
                for frame in self.lex.verbs.get(lemma, ()):
                    hits.extend(self.verb(tok, frame, refs))
            if tok.pos_ in {"NOUN", "PROPN"} or tok.dep_ == "compound" or (
                    tok.pos_ == "ADJ" and any(c.dep_ == "appos" for c in tok.children)):   # "secretary-general, X"
                noun_frame = self.lex.nouns.get(lemma) or self.lex.nouns.get(tok.lower_)
                if noun_frame is not None:
                    hits.extend(self.noun(tok, noun_frame, refs))
                for frame in self.lex.events.get(lemma, ()) or self.lex.events.get(tok.lower_, ()):
                    hits.extend(self.event(tok, frame, refs))
            ref = refs.get(tok.i)
            if ref is not None and ref.actor.cls == "ArmedGroup" and tok.dep_ not in {"compound"}:
                hits.extend(self.home(tok, ref, refs))
            if ref is None and tok.pos_ == "NOUN" and lemma in BRANCH_NOUNS:
                hits.extend(self.branch(tok, refs))
            if ref is not None and ref.actor.cls == "Agreement" and ref.kind in {"agreement", "name", "new"} \
                    and (tok.i + 1 >= len(sent.doc) or refs.get(tok.i + 1) is not ref):
                hits.extend(self.agreement_parties(tok, ref, refs))
            if ref is not None and ref.actor.cls == "Leader" and (tok.i == 0 or refs.get(tok.i - 1) is not ref):
                hits.extend(self.title(tok, ref, refs))
            if ref is None and tok.pos_ == "NOUN" and lemma in TENURES:
                # "the last year of his presidency": the person held that office
                for c in tok.children:
                    holder = refs.get(c.i)
                    if c.dep_ == "poss" and holder is not None and holder.actor.cls == "Leader":
                        own = self._office(holder, tok.doc[tok.i:tok.i + 1][0], strict=False)
                        hits.extend(Hit(holder, "leaderOf", o, 0.7, "tenure") for o in own)
            if ref is None and tok.pos_ == "NOUN" and lemma in PLACE_WORDS:
                hits.extend(self.possession(tok, refs))
            if ref is not None and ref.actor.cls == "Leader" and tok.dep_ not in {"compound", "poss"}:
                # "the UN's Guterres", "Russia's Lavrov", "Abu Omar of the Hamza Brigade"
                for c in tok.children:
                    owner = refs.get(c.i)
                    if c.dep_ == "poss" and owner is not None and owner.actor.cls in {"State", "Organization"}:
                        hits.append(Hit(ref, "memberOf", owner, 0.75, "possessive person"))
                    if c.dep_ == "prep" and c.lower_ == "of":   # a new person only of an armed group, not a think tank
                        hits.extend(Hit(ref, "memberOf", r, 0.75, "person of") for p in c.children
                                    if p.dep_ == "pobj" for r in self.actors_of(p, refs)
                                    if r.actor.cls == "ArmedGroup" or (ref.kind != "new" and r.actor.cls == "Organization"))
            if ref is not None and ref.actor.cls == "Leader" and tok.dep_ == "poss" \
                    and tok.head.lemma_.lower() in {"army", "government", "regime", "forces", "force", "military"}:
                # "Idriss Déby's Chadian army": he led the state the army is of
                for c in tok.head.children:
                    state = refs.get(c.i)
                    if c.dep_ in {"amod", "compound"} and state is not None and state.actor.cls == "State" \
                            and state is not ref:
                        hits.append(Hit(ref, "leaderOf", state, 0.75, "possessive army"))
            if ref is not None and ref.actor.cls == "Leader" and tok.dep_ == "poss":
                # "Khalifa Haftar's Libyan National Army", "Erdogan's Turkey"
                owned = refs.get(tok.head.i)
                if owned is not None and owned.actor.cls in {"State", "ArmedGroup", "Organization"} \
                        and owned.kind in {"name", "new"}:
                    hits.append(Hit(ref, "leaderOf", owned, 0.75, "possessive"))
            marker = self.lex.markers.get(lemma)
            if marker is not None and tok.i >= 2 and tok.doc[tok.i - 1].text in {"-", "–"}:
                hits.extend(self.marker(tok, marker, refs))
        return hits


    def agreement_parties(self, n, deal: Ref, refs: dict[int, Ref]) -> list[Hit]:
        """The parties an agreement's own phrase names: "Sisi's gas deal with Israel", "the
        US-Taliban deal", "the truce between Armenia and Azerbaijan"; they are parties, and cooperate.
        An indefinite one ("an agreement between X and Y" that efforts failed to bring about) is
        not yet an agreement."""
        if any(c.dep_ == "det" and c.lower_ in {"a", "an", "any", "some", "no"} for c in n.children) \
                or (n.head.lower_ == "of" and n.head.head.lemma_.lower() in {"sort", "kind", "form", "type"}):
            return []
        parties: list[Ref] = []
        for c in n.children:
            if c.dep_ in {"poss", "compound", "amod", "nmod", "npadvmod"} and refs.get(c.i) is not deal:
                parties.extend(self.actors_of(c, refs))
                parties.extend(r for g in c.children if g.dep_ in {"compound", "npadvmod", "amod"}
                               and refs.get(g.i) is not deal for r in self.actors_of(g, refs))
            elif c.dep_ == "prep" and c.lower_ in {"with", "between", "among"}:
                parties.extend(r for p in c.children if p.dep_ == "pobj" for r in self.actors_of(p, refs))
        seen: dict[str, Ref] = {}
        for r in parties:
            if r.actor.cls in AGENTS and r.kind != "capital":
                seen.setdefault(r.actor.id, r)
        parties = list(seen.values())
        mood = self.mood(n)
        hits = self._emit(parties, "partyTo", [deal], 0.75, "agreement parties", mood)
        for i, a in enumerate(parties):
            hits += self._emit([a], "cooperatesWith", parties[i + 1:], 0.7, "agreement parties", mood)
        return hits

    def possession(self, n, refs: dict[int, Ref]) -> list[Hit]:
        """"the Turkish island of Imbros", "its Pacific islands of Tahiti and Bora Bora",
        "Angola's ruling party, the MPLA": who holds the place (or the state)."""
        owners = [refs[c.i] for c in n.children if c.dep_ in {"amod", "poss", "compound"} and c.i in refs
                  and refs[c.i].actor.cls == "State" and c.i < n.i]
        lemma = n.lemma_.lower()
        if not owners and lemma in {"party", "junta"} and self.focus is not None:
            owners = [Ref(self.focus, "", 0, 0, "focus", 0.8)]   # "the ruling party, the ANC"
        if not owners:
            return []
        if lemma in {"party", "junta", "government"}:
            if not any(c.lower_ in {"ruling", "governing"} for c in n.children):
                return []
            rulers = [r for c in n.children if c.dep_ == "appos" for r in self.actors_of(c, refs)]
            if n.dep_ == "appos":
                rulers += self.actors_of(n.head, refs)
            return [Hit(r, "controls", owners[0], 0.75, "ruling party") for r in rulers
                    if r.actor.cls in {"ArmedGroup", "Organization"}]
        places = [r for c in n.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                  if p.dep_ == "pobj" for r in self.actors_of(p, refs) if r.actor.cls == "Region"]
        if n.dep_ == "appos":
            places += [r for r in self.actors_of(n.head, refs) if r.actor.cls == "Region"]
        if lemma in {"colony", "colonies", "protectorate"}:   # "a Portuguese colony until 1975, Mozambique"
            places += [r for r in self.holder(n, refs) if r.actor.cls in PLACES]
        return [Hit(owners[0], "controls", p, 0.75, "possession") for p in places if p.actor.id != owners[0].actor.id]

    def branch(self, n, refs: dict[int, Ref]) -> list[Hit]:
        """"the Libyan branch of Islamic State", "Boko Haram, a Nigerian jihadist group": a group and its country."""
        states = [refs[c.i] for c in n.children if c.dep_ in {"amod", "compound"} and c.i in refs
                  and refs[c.i].actor.cls == "State" and c.i < n.i]
        if not states:
            return []
        groups = [r for c in n.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                  if p.dep_ == "pobj" for r in self.actors_of(p, refs) if r.actor.cls == "ArmedGroup"]
        if not groups and n.dep_ == "appos":
            groups = [r for r in self.actors_of(n.head, refs) if r.actor.cls == "ArmedGroup"]
        return [Hit(g, "operatesIn", states[0], 0.7, "branch") for g in groups]

    def home(self, tok, group: Ref, refs: dict[int, Ref]) -> list[Hit]:
        """"Lebanon's Hezbollah", "a Somali jihadist group": the group operates in that state."""
        out: list[Hit] = []
        if tok.lemma_.lower() in self.lex.nouns:
            return out   # "Turkey's rebel proxies": a relation, not a home
        for c in tok.children:
            if c.dep_ in {"poss", "amod", "compound"}:
                r = refs.get(c.i)
                if r is None or r is group or r.actor.cls != "State" or c.i > tok.i \
                        or (c.i + 1 < len(c.doc) and c.doc[c.i + 1].text in {"-", "–"}):
                    continue
                if (c.dep_ == "poss" and group.confidence >= 0.6) or group.kind != "new":
                    out.append(Hit(group, "operatesIn", r, 0.7, "home"))
        return out

    def misparsed(self, tok, refs: dict[int, Ref]) -> list[Hit]:
        """"The UAE and Egypt back General Haftar": the small parser often takes "back" for an adverb.
        Between a name (and its conjuncts) and a name, read as the verb it is."""
        doc = tok.doc
        left = refs.get(tok.i - 1) if tok.i > 0 else None
        k = tok.i + 1
        while k < len(doc) and (doc[k].lower_ in {"the", "general", "president", "mr", "gen.", "field", "marshal"}
                                or doc[k].pos_ == "DET"):
            k += 1
        right = refs.get(k) if k < len(doc) else None
        if left is None or right is None or left is right:
            return []
        if any(t.dep_ == "neg" or t.lower_ in {"not", "n't", "never"} for t in doc[max(tok.i - 3, 0):tok.i]):
            return []
        head = doc[tok.i - 1]
        while head.dep_ in {"compound", "conj"} and head.head.i < head.i and refs.get(head.head.i) is not None:
            head = head.head   # "the UAE and Egypt": from the last conjunct up to the first
        subjects = [r for r in self.actors_of(head, refs) if r.actor.cls in AGENTS - PEOPLE] or [left]
        return self._emit([x.as_state() for x in subjects], "backs", [right.as_state()], 0.7,
                          f"verb {tok.lower_} (misparsed)", None)

    def _emit(self, subjects, relation, objects, confidence, rule, mood) -> list[Hit]:
        if mood == "hostile" and relation in {"attacked", "opposes", "controls", "operatesIn"}:
            relation, confidence, rule = "opposes", 0.7, rule + " (threat)"
            objects = [o for o in objects if o.actor.cls in AGENTS]
        elif mood is not None:
            return []
        return [Hit(s, relation, o, confidence, rule) for s in subjects for o in objects
                if s.actor.id != o.actor.id]

    def verb(self, v, frame: Frame, refs: dict[int, Ref]) -> list[Hit]:
        if frame.particle and not any(c.dep_ == "prt" and c.lower_ == frame.particle for c in v.children):
            return []
        passive = any(c.dep_ in {"nsubjpass", "auxpass", "agent"} for c in v.children) or (
            v.dep_ == "acl" and v.tag_ == "VBN")
        inherited: list[Ref] = []
        if passive:
            subjects = [r for c in v.children if c.dep_ == "agent"
                        for p in c.children if p.dep_ == "pobj" for r in self.actors_of(p, refs)]
            direct = [c for c in v.children if c.dep_ == "nsubjpass"]
            if v.dep_ == "acl" and not direct:
                direct = [v.head]
            elif not direct:   # "is armed and funded by Iran": the subject of the first verb
                inherited = self.subjects(v, refs)
            if not subjects and frame.relation in SYMMETRIC:
                # "Moscow, which is allied with Yerevan": a symmetric relation has no agent
                subjects = [r for d in direct for r in self.actors_of(d, refs)] or inherited
                direct, inherited = [], []
        else:
            subjects = self.subjects(v, refs)
            direct = [c for c in v.children if c.dep_ in {"dobj"}]
            if v.dep_ == "relcl" and not direct and v.head.pos_ in {"NOUN", "PROPN"} and any(
                    c.dep_ == "nsubj" and c.lower_ not in {"which", "who", "that"} for c in v.children):
                relative = next((c for c in v.children if c.lower_ in {"which", "whom", "that"}), v)
                direct = [_appositive(v.head, relative) or v.head]     # "the LNA, which Russia backs"
        if not subjects:
            return []
        partners = [p for p in self._co_agents(v, refs) if all(p.actor.id != x.actor.id for x in subjects)]
        together = self._emit(subjects, "alliedWith", partners, 0.7, "along with", self.mood(v)) \
            if frame.relation in {"operatesIn", "attacked", "opposes"} else []
        subjects = subjects + partners
        nouns = [h for d in direct for h in _heads(d)]
        if frame.noun and not any(d.lemma_.lower() in frame.noun or d.lower_ in frame.noun for d in nouns) \
                and not any(frame.noun & {p.lemma_.lower() for c in v.children if c.dep_ == "prep"
                                           for p in c.children if p.dep_ == "pobj"}):
            return []
        objects: list[Ref] = []
        for spec in frame.object:
            if spec == "dobj":
                for d in direct:
                    objects.extend(self.actors_of(d, refs))
                objects.extend(inherited)
            elif spec == "dative":
                for c in v.children:
                    if c.dep_ == "dative":
                        targets = [p for p in c.children if p.dep_ == "pobj"] if c.pos_ == "ADP" else [c]
                        for p in targets:
                            objects.extend(self.actors_of(p, refs))
            elif spec.startswith("prep:"):
                # "is active in X": the parser hangs the phrase on the copula
                holders = [v, v.head] if v.dep_ in {"acomp", "oprd"} else [v]
                for c in (c for h in holders for c in h.children):
                    if c.dep_ in {"prep", "dative", "agent"} and c.lower_ == spec[5:]:
                        for p in c.children:
                            if p.dep_ == "pobj":
                                objects.extend(self.actors_of(p, refs))
            elif spec.startswith("dobj.prep:"):
                for d in nouns:
                    if frame.noun and d.lemma_.lower() not in frame.noun and d.lower_ not in frame.noun:
                        continue
                    # "took control of X", "has 2,000 troops in X", "a number of forces in X"
                    nodes = [d] + ([d.head.head] if d.dep_ == "pobj" and d.head.lower_ == "of" else [])
                    for c in (c for node in nodes for c in node.children):
                        if c.dep_ == "prep" and c.lower_ == spec[10:]:
                            for p in c.children:
                                if p.dep_ == "pobj":
                                    objects.extend(self.actors_of(p, refs))
        if frame.swap and frame.place:   # "Djibouti hosts a Chinese base": the subject is the place
            subjects = [x for x in subjects if x.actor.cls in PLACES]
            objects = [o for o in objects if o.actor.cls in AGENTS]
        else:
            objects = self._fit(frame, objects)
        subjects = [s for s in subjects if not frame.person or s.actor.cls == "Leader"]
        mood = self.mood(v)
        rule = f"verb {frame.lemma}"
        subjects = [x.as_state() for x in subjects]
        reciprocal = any(spec in {"dobj", "prep:with", "prep:against", "dobj.prep:with"} for spec in frame.object)
        each_other = any(t.lower_ in {"another", "other"} and t.i > 0 and t.doc[t.i - 1].lower_ in {"one", "each"}
                         for t in v.subtree if t.head.i == v.i or t.head.head.i == v.i)
        if each_other and len(subjects) < 2 and v.dep_ == "relcl":
            # "Colombia and the guerrillas of the FARC, who fought each other for decades"
            node = v.head
            while node.dep_ in {"pobj", "prep"} and node.head.i != node.i:
                node = node.head
            wider = self.actors_of(node, refs)
            if len(wider) >= 2:
                subjects = [x for x in wider if x.actor.cls in AGENTS]
        if not objects and reciprocal and frame.relation in SYMMETRIC and len(subjects) >= 2 and (each_other or not any(
                (c.dep_ == "dobj" and not frame.noun) or (c.dep_ == "prep" and c.lower_ in {"with", "against", "alongside"})
                for c in v.children)):
            # "Armenia and Azerbaijan have fought", "Russia and Turkey co-operate"
            return together + [h for i, a in enumerate(subjects) for h in
                    self._emit([a], frame.relation, subjects[i + 1:], frame.confidence, rule + " (each other)",
                               mood)]
        if frame.swap:
            return together + self._emit(objects, frame.relation, subjects, frame.confidence, rule, mood)
        if frame.joint:   # "France and Italy joined Greece for exercises": every pair took part
            everyone = list({r.actor.id: r for r in [*subjects, *objects] if r.actor.cls in AGENTS}.values())
            return together + [h for i, a in enumerate(everyone) for h in
                    self._emit([a], frame.relation, everyone[i + 1:], frame.confidence, rule + " (joint)", mood)]
        hits = self._emit(subjects, frame.relation, objects, frame.confidence, rule, mood)
        if frame.relation == "alliedWith" and v.dep_ in {"advcl", "xcomp"} and v.head.lemma_.lower() in SENDING:
            # "Turkey sent mercenaries to fight for Azerbaijan": the sender backs the side they fight for
            head = v.head
            senders = [r for c in head.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"
                       for r in self.actors_of(p, refs)] or \
                [r for c in head.children if c.dep_ == "nsubj" for r in self.actors_of(c, refs)]
            hits += self._emit([x.as_state() for x in senders], "backs", objects, 0.75, rule + " (sent)",
                               self.mood(head))
        if frame.relation == "partyTo" and hits:
            hits += self._counterparts(v, direct, subjects, objects, frame, mood, refs)
        if frame.relation == "attacked" and frame.lemma in GROUND_ATTACKS:
            places = [o for o in objects if o.actor.cls == "Region"]
            hits += self._emit(subjects, "operatesIn", places, frame.confidence * 0.9, rule + " (place)", mood)
        return together + hits

    def _counterparts(self, v, direct, subjects, agreements, frame, mood, refs) -> list[Hit]:
        """"X signed a deal with Y", "X and Y agreed a truce": Y is a party too, and they cooperate."""
        others: list[Ref] = []
        for node in (v, *direct):
            for c in node.children:
                if c.dep_ == "prep" and c.lower_ in {"with", "between"}:
                    for p in c.children:
                        if p.dep_ == "pobj":
                            others.extend(r for r in self.actors_of(p, refs)
                                          if r.actor.cls in AGENTS and r.actor.cls != "Region")
        parties = [s for s in subjects if s.actor.cls in AGENTS]
        if frame.lemma in {"broker", "mediate"}:   # mediators cooperate with each other, not with the parties
            return [h for i, a in enumerate(parties) for h in
                    self._emit([a], "cooperatesWith", parties[i + 1:], 0.7, f"verb {frame.lemma} (together)", mood)]
        hits = self._emit(others, "partyTo", agreements, frame.confidence * 0.95, f"verb {frame.lemma} with",
                          mood)
        everyone = parties + [o for o in others if all(o.actor.id != p.actor.id for p in parties)]
        for i, a in enumerate(everyone):
            for b in everyone[i + 1:]:
                hits += self._emit([a], "cooperatesWith", [b], 0.7, f"verb {frame.lemma} (parties)", mood)
        return hits


    def _fit(self, frame: Frame, objects: list[Ref]) -> list[Ref]:
        if not frame.place and frame.relation not in {"operatesIn", "controls", "attacked"} \
                and frame.lemma not in PHYSICAL:
            objects = [o.as_state() for o in objects]   # "support for Baku" is support for Azerbaijan
        if frame.place:
            objects = [o for o in objects if o.actor.cls in PLACES and o.kind != "adjective"]

        if frame.organization:
            objects = [o for o in objects if o.actor.cls == "Organization"]
        if frame.group:
            objects = [o for o in objects if o.actor.cls == "ArmedGroup"]
        if frame.relation == "partyTo":
            objects = [o for o in objects if o.actor.cls == "Agreement"]
        elif frame.relation == "attacked":
            objects = [o for o in objects if o.actor.cls != "Agreement"]
        elif frame.relation not in {"operatesIn", "controls"}:
            objects = [o for o in objects if o.actor.cls not in {"Region", "Agreement"}]
        return objects


    def noun(self, n, frame: Frame, refs: dict[int, Ref]) -> list[Hit]:
        own = refs.get(n.i)
        holders = [own] if own is not None and own.kind == "coref" else self.holder(n, refs)
        if frame.person:
            holders = [h for h in holders if h.actor.cls == "Leader"]
        if not holders and frame.relation == "alliedWith":
            # "its allies in NATO": the possessor is allied with, and a member of, the body
            owners = [r for c in n.children if c.dep_ == "poss" for r in self.actors_of(c, refs)]
            bodies = [r for c in n.children if c.dep_ == "prep" and c.lower_ in {"in", "from"}
                      for p in c.children if p.dep_ == "pobj" for r in self.actors_of(p, refs)
                      if r.actor.cls == "Organization"]
            return (self._emit(owners, "alliedWith", bodies, frame.confidence * 0.9, "noun ally in", None)
                    + self._emit(owners, "memberOf", bodies, frame.confidence * 0.9, "noun ally in", None))
        if not holders:
            return []
        if frame.relation == "leaderOf":
            if any(t.lower_ in {"elect", "designate", "would-be"} for t in n.doc[max(n.i - 1, 0):n.i + 3]):
                return []   # a president-elect is not yet in office (a former one was, and that counts)
            preps = ("of", "for") if n.lemma_.lower() in {"spokesman", "spokeswoman", "spokesperson"} else ("of",)
            others = self.complement(n, refs, {h.actor.id for h in holders}, preps)
            # "his Iraqi counterpart": Iraq, not the "his"
            others = sorted(others, key=lambda r: r.actor.cls == "Leader")[:1]
        else:
            others = self.complement(n, refs, {h.actor.id for h in holders})
        if frame.organization:
            others = [o for o in others if o.actor.cls == "Organization"]
        if frame.place:   # "Algeria's colonial master, France": France held the place
            others = [o for o in others if o.actor.cls in PLACES and o.kind != "adjective"]
        elif frame.relation == "partyTo":   # "a guarantor of the Astana process"
            others = [o for o in others if o.actor.cls == "Agreement"]
        else:
            others = [o for o in others if o.actor.cls not in {"Region", "Agreement"}]
        # a relational noun presupposes its relation ("if Turkey's president, Erdogan, ..."), unless
        # it is what a clause asserts ("X is Y's ally", "X is not Y's ally")
        mood = self.mood(n.head) if n.dep_ in {"attr", "acomp"} else None
        rule = f"noun {frame.lemma}"
        relation = frame.relation
        if relation == "leaderOf":
            relation = office_relation(_title_words(n))
        if frame.relation == "leaderOf" and not others:
            # no state or body named beside the title: each person's own office, if the gazetteer knows it
            hits = []
            if any(c.dep_ == "prep" and c.lower_ == "of" and not any(p.lower_ in OFFICE_WORDS for p in c.subtree)
                   for c in n.children):
                return []   # "the leader of the officers behind the mutiny": the text says what, we do not know it
            for holder in holders:
                posts = self._office(holder, n, strict=True) or self._focus_title(holder, n)
                hits += self._emit([holder], relation, posts, frame.confidence * 0.9, rule + " (office)", mood)
            return hits
        if frame.relation == "leaderOf":
            others = [o for o in others if o.actor.cls in {"State", "ArmedGroup", "Organization"}]
            return self._emit(holders, relation, others, frame.confidence, rule, mood)
        elif frame.relation == "alliedWith" and len(holders) >= 2 and all(
                o.actor.cls == "Organization" for o in others):
            # "Greece and Turkey, NATO allies": allied with each other, and members of NATO
            hits = [Hit(a, "alliedWith", b, frame.confidence, rule + " (each other)")
                    for i, a in enumerate(holders) for b in holders[i + 1:]] if mood is None else []
            orgs = others or [r for c in n.children if c.dep_ in {"compound", "amod"} for r in self.actors_of(c, refs)
                              if r.actor.cls == "Organization"]
            return hits + self._emit(holders, "memberOf", orgs, frame.confidence, rule + " (members)", mood)
        if frame.holder == "object":
            return self._emit(others, frame.relation, holders, frame.confidence, rule, mood)
        return self._emit(holders, frame.relation, others, frame.confidence, rule, mood)


    def marker(self, m, frame: Frame, refs: dict[int, Ref]) -> list[Hit]:
        glued = refs.get(m.i - 2)
        if glued is not None and glued is refs.get(m.i):
            # the marker is inside a known name ("the Saudi-led coalition"): the word before it
            word = m.doc[m.i - 2]
            actor = self.world.by_word(word.text)
            glued = Ref(actor, word.text, glued.start, glued.start + len(word.text), "adjective") \
                if actor is not None else None
            if glued is not None:
                return self._emit_marker(glued, m, frame, [refs[m.i]])
            return []
        if glued is None or glued.actor.cls not in AGENTS:
            return []
        head = m.head if m.dep_ in {"amod", "compound", "acl", "nmod"} else None
        if head is None:
            return []
        return self._emit_marker(glued, m, frame, self.actors_of(head, refs) or self.holder(head, refs))

    def _emit_marker(self, glued: Ref, m, frame: Frame, objects: list[Ref]) -> list[Hit]:
        relation = frame.relation
        if relation == "leads":
            if glued.actor.cls == "Leader":
                relation = "leaderOf"
            elif glued.actor.cls == "State":
                relation = "memberOf"
                objects = [o for o in objects if o.actor.cls == "Organization"]
            else:
                return []
        objects = self._fit(frame, objects) if relation != "memberOf" else objects
        return self._emit([glued], relation, objects, frame.confidence, f"marker -{m.lower_}", self.mood(m.head))
