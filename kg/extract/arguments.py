"""Who the words of a relation are: subjects, objects and holders read through the parse.

A relation's arguments are seldom bare names. They are conjuncts ("Russia, Egypt and
the UAE"), forces ("Turkish troops", "the forces of Turkey", "Assad's regime"), parts
and places of an actor ("Somalia's army", "the city of X"), relative pronouns ("the LNA,
which ..."), appositions ("the capital, Sanaa"), shared subjects of coordinated and
control verbs ("continued to back"), and co-agents ("together with Iran"). This module
turns each into the actors it refers to.

>>> "troop" in FORCE_HEADS and "part" in PARTITIVE
True
"""

from __future__ import annotations

from ..inputs.catalogue import Actor
from .entities import Ref, doc_text
from .world import World

#: heads that stand for the actor that modifies them: "Turkey's forces", "the forces of Turkey"
FORCE_HEADS = frozenset("""
force troop soldier army military militia fighter government regime official authority navy unit
jet warplane drone aircraft plane helicopter ship warship vessel position base post outpost convoy
camp facility delegation diplomat administration ministry police guard loyalist rebel militant
gunman personnel contingent battalion brigade commander leadership side proxy mercenary artillery
campaign offensive operation strike airstrike bombing raid mission intervention air insurgent
jihadist guerrilla separatist extremist loyalist partisan cadre operative affiliate
""".split())

#: nouns that stand for what their possessor or "of"-object names: "part of Somalia's army",
#: "Yemen's civil war", "Turkish territory"
TRANSPARENT = frozenset("""
member element remnant section wing faction war conflict crisis fighting affairs politics soil council
cabinet parliament junta
territory airspace waters coast border target interest asset installation site stronghold enclave
bastion heartland fiefdom redoubt
""".split())

#: quantity words: "part of Somalia's army" is Somalia's army, but "most of the country" is not all of it
PARTITIVE = frozenset("part some most many portion number rest bulk half much swathe swath chunk".split())

#: words that make a conjunct a guess: "Eritrea and perhaps Ethiopia"
HEDGES = frozenset({"perhaps", "possibly", "maybe", "probably", "reportedly", "allegedly", "arguably",
                    "presumably", "apparently", "supposedly"})

COPULAS = frozenset({"be", "become", "remain", "seem", "appear", "stay"})

PEOPLE = frozenset({"Leader"})

PLACES = frozenset({"Region", "State"})

AGENTS = frozenset({"State", "ArmedGroup", "Organization", "Leader"})

QUANTITIES = frozenset("""
number hundreds thousands dozens tens scores handful contingent battalion fleet squadron force
couple few
""".split())



def _appositive(antecedent, pronoun):
    """"In Libya, the GNA, which the UN recognises": the apposition nearest the relative pronoun,
    which the parser hangs on the first noun."""
    nearer = [c for c in antecedent.children if c.dep_ == "appos" and antecedent.i < c.i < pronoun.i]
    return max(nearer, key=lambda c: c.i) if nearer else None


def _heads(d) -> list:
    """The nouns a phrase is about: itself and its conjuncts, through quantities ("a number of forces")."""
    out = []
    for t in (d, *d.conjuncts):
        out.append(t)
        if t.lemma_.lower() in QUANTITIES:
            out.extend(p for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                       for p in c.children if p.dep_ == "pobj")
    return out


class Arguments:
    """The actors a phrase refers to (a mixin of :class:`.relations.Reader`: it needs ``world``)."""

    world: World

    def actors_of(self, tok, refs: dict[int, Ref], depth: int = 0) -> list[Ref]:
        """The actors a phrase headed by ``tok`` refers to, one per conjunct."""
        if tok.lower_ in {"which", "who", "that", "whom"} and tok.head.dep_ == "relcl" and depth < 3:
            antecedent = tok.head.head
            nearer = [c for c in antecedent.conjuncts if antecedent.i < c.i < tok.i]
            if _appositive(antecedent, tok) is not None:
                return self.actors_of(_appositive(antecedent, tok), refs, depth + 1)
            if not nearer:   # "America and the Taliban, who have been fighting": all of them (before "who")
                offset = tok.doc.user_data.get("kg_offset", 0)
                return [r for r in self.actors_of(antecedent, refs, depth + 1) if r.start < tok.idx + offset]
        out: list[Ref] = []
        for t in (tok, *tok.conjuncts):
            if t.i != tok.i and any(c.dep_ == "advmod" and c.lower_ in HEDGES for c in t.children):
                continue   # "active in Chad and perhaps Niger"
            ref = self.one(t, refs, depth)
            for r in (ref.members or (ref,)) if ref is not None else ():
                if all(r.actor.id != x.actor.id for x in out):
                    out.append(r)
        return out

    def one(self, t, refs: dict[int, Ref], depth: int = 0) -> Ref | None:
        ref = refs.get(t.i)
        if ref is not None:
            # "an Eritrean" is a person, not Eritrea; "Turkish troops" is a force mention, not an adjective
            return None if ref.kind == "adjective" and t.pos_ in {"ADJ", "NOUN", "PROPN"} \
                and t.dep_ not in {"amod", "compound", "npadvmod"} else ref
        if depth > 3:
            return None
        if t.lower_ in {"which", "who", "that", "whom"} and t.head.dep_ == "relcl":
            antecedent = _appositive(t.head.head, t) or t.head.head
            # "the army and Assad's regime, which ...": the parser often hangs the clause on the first
            # conjunct; the nearest one before the pronoun is the likelier antecedent
            nearer = [c for c in antecedent.conjuncts if antecedent.i < c.i < t.i]
            return self.one(max(nearer, key=lambda c: c.i) if nearer else antecedent, refs, depth + 1)
        lemma = t.lemma_.lower()
        if t.dep_ == "appos" and t.pos_ == "NOUN" and refs.get(t.head.i) is not None:
            return refs[t.head.i]   # "the Wagner Group, a Russian firm loyal to Moscow"
        if lemma in FORCE_HEADS or t.lower_ in FORCE_HEADS:
            for c in t.children:
                if c.dep_ in {"poss", "compound", "amod", "nmod"}:
                    r = refs.get(c.i)
                    glued = c.i + 1 < len(c.doc) and c.doc[c.i + 1].text in {"-", "–"}
                    if r is None and c.lower_ == "whose" and t.head.dep_ == "relcl":
                        r = self.one(t.head.head, refs, depth + 1)   # "Le Drian, whose government ..."
                    if r is not None and r.actor.cls in PEOPLE and c.dep_ == "poss" and not glued:
                        return r   # "Assad's regime": the person, who stands for the state they lead
                    if r is not None and r.kind == "capital" and r.state is not None:
                        r = r.as_state()   # "the Mogadishu government", "the Kabul regime"
                    if r is not None and r.actor.cls in AGENTS - PEOPLE and not glued:
                        # the words from the name to the head: "Turkish troops", "Wagner Group mercenaries"
                        offset = t.doc.user_data.get("kg_offset", 0)
                        end = t.idx + len(t.text) + offset
                        start = min(r.start, t.idx + offset)
                        text = doc_text(t.doc)[start - offset:end - offset]
                        return Ref(r.actor, text, start, end, "force", r.confidence)
                if c.dep_ == "prep" and c.lower_ in {"of", "from"}:
                    for p in c.children:
                        if p.dep_ == "pobj":
                            r = refs.get(p.i)
                            if r is not None and r.actor.cls in AGENTS - PEOPLE:
                                return r
        if lemma in {"government", "authorities", "administration", "regime"}:
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ == "in":
                    for p in c.children:
                        place = refs.get(p.i)
                        if p.dep_ == "pobj" and place is not None and place.kind == "capital":
                            # "the government in Tripoli": the catalogue's "Tripoli government", else the state
                            named = self.world.catalogue.resolve(f"{p.text} {lemma}")
                            if named is not None:
                                return Ref(named, t.doc[t.i:p.i + 1].text, place.start, place.end, "name", 0.9)
                            return place.as_state()
        if lemma in TRANSPARENT or lemma in PARTITIVE:
            for c in t.children:
                if c.dep_ in {"poss", "compound", "amod"} and refs.get(c.i) is not None:
                    return refs[c.i]
                if c.dep_ == "prep" and c.lower_ == "of":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            found = self.one(p, refs, depth + 1)
                            if found is not None and lemma in PARTITIVE and found.actor.cls in PLACES:
                                return Ref(found.actor, found.text, found.start, found.end, "part",
                                           found.confidence)
                            if found is not None:
                                return found
        if t.pos_ == "NOUN":
            # "the capital, Sana'a": a common noun with a named apposition
            for c in t.children:
                if c.dep_ == "appos" and refs.get(c.i) is not None:
                    return refs[c.i]
        if t.dep_ == "appos" and t.pos_ in {"NOUN"}:
            return refs.get(t.head.i)
        return None

    def holder(self, n, refs: dict[int, Ref]) -> list[Ref]:
        """What a describing noun describes: "X, <n>", "<n>, X", "X is <n>", "<n> X" (a title)."""
        if n.dep_ == "appos":
            return self.actors_of(n.head, refs)
        for c in n.children:
            if c.dep_ == "appos" or (c.dep_ == "conj" and c.i == n.i + 2 and n.doc[n.i + 1].text == ","):
                # "X's colonial masters, France and Turkey": the parser may take the names for conjuncts
                found = self.actors_of(c, refs)
                if found:
                    return found
        if n.dep_ in {"attr", "acomp"} and n.head.lemma_ in COPULAS:
            for c in n.head.children:
                if c.dep_ in {"nsubj", "nsubjpass"}:
                    return self.actors_of(c, refs)
        if n.dep_ == "compound":
            head = n.head
            while head.dep_ == "compound" and head.head.i > head.i:
                head = head.head
            r = refs.get(head.i)
            if r is not None:
                return [r]
        if n.dep_ == "pobj" and n.head.lower_ == "as" and n.head.head.pos_ in {"VERB", "AUX"}:
            return self.subjects(n.head.head, refs)   # "X emerged as his ally", "X served as president"
        if n.dep_ == "conj":
            if refs.get(n.head.i) is not None and n.tag_ == "NNS":   # "Greece and Turkey, NATO allies"
                return self.actors_of(n.head, refs)
            return self.holder(n.head, refs)
        return []

    def complement(self, n, refs: dict[int, Ref], exclude: set[str], preps=("of", "to", "for", "in", "at")
                   ) -> list[Ref]:
        """The other side of a relational noun: its possessor, "of"-object or an actor-modifier."""
        found: list[Ref] = []
        candidates = []
        for c in n.children:
            if c.dep_ == "poss":
                candidates.append(c)
            elif c.dep_ == "prep" and c.lower_ in preps:
                candidates.extend(p for p in c.children if p.dep_ == "pobj")
            elif c.dep_ in {"compound", "amod", "nmod", "npadvmod"}:
                candidates.append(c)
                candidates.extend(g for g in c.children if g.dep_ in {"compound", "amod", "poss"})
        if n.dep_ == "compound":  # "Iraqi Prime Minister Haider al-Abadi": the modifiers hang elsewhere
            for c in n.head.children:
                if c.i < n.i and c.dep_ in {"compound", "amod", "poss", "nmod"}:
                    candidates.append(c)
                    candidates.extend(g for g in c.children if g.dep_ in {"compound", "amod", "poss"})
        for c in candidates:
            for r in self.actors_of(c, refs):
                if r.actor.id not in exclude and all(r.actor.id != x.actor.id for x in found):
                    found.append(r)
        # a known actor before a proposed one ("French Defense Minister": France, not "Defense")
        found.sort(key=lambda r: r.kind == "new")
        return found

    def subjects(self, v, refs: dict[int, Ref], depth: int = 0) -> list[Ref]:
        """The grammatical subject of a verb, or the one it shares with its governing verb."""
        for c in v.children:
            if c.dep_ in {"nsubj", "csubj"} or (depth > 0 and c.dep_ == "nsubjpass"):
                return self.actors_of(c, refs)
        if depth > 4:
            return []
        if v.dep_ == "xcomp":
            objects = [c for c in v.head.children if c.dep_ == "dobj"]
            if objects:     # "urged Turkey to attack": the object controls
                return self.actors_of(objects[0], refs)
            return self.subjects(v.head, refs, depth + 1)
        if v.dep_ == "conj" and v.head.pos_ in {"VERB", "AUX", "ADJ"}:
            return self.subjects(v.head, refs, depth + 1)
        if v.dep_ == "advcl" and (v.tag_ in {"VBG", "VBN"} or any(c.lower_ == "to" and c.dep_ == "aux"
                                                                   for c in v.children)):
            return self.subjects(v.head, refs, depth + 1)
        if v.dep_ in {"acomp", "oprd"}:
            return self.subjects(v.head, refs, depth + 1)
        if v.dep_ in {"amod"} and v.head.pos_ in {"NOUN", "PROPN"}:
            return self.actors_of(v.head, refs)
        if v.dep_ == "acl" and v.tag_ == "VBG":
            return self.actors_of(v.head, refs)
        return []

    def _co_agents(self, v, refs: dict[int, Ref]) -> list[Ref]:
        """"Russia deployed jets to Syria together with Iran": Iran did it too."""
        out: list[Ref] = []
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in {"along", "together"}:
                out += [r for w in c.children if w.dep_ == "prep" and w.lower_ == "with"
                        for p in w.children if p.dep_ == "pobj" for r in self.actors_of(p, refs)]
            elif c.dep_ == "advmod" and c.lower_ in {"along", "together"}:
                out += [r for w in c.children if w.dep_ == "prep" and w.lower_ == "with"
                        for p in w.children if p.dep_ == "pobj" for r in self.actors_of(p, refs)]
        return [r for r in out if r.actor.cls in AGENTS]


def valid(subject: Actor, relation: str, obj: Actor) -> bool:
    """The guideline's and the ontology's class constraints; no self-loops, no places as agents.

    >>> iran, houthis = Actor("Iran", "Iran", "State"), Actor("Houthis", "Houthis", "ArmedGroup")
    >>> valid(iran, "backs", houthis), valid(iran, "operatesIn", houthis), valid(iran, "backs", iran)
    (True, False, False)
    """
    if subject.id == obj.id or subject.cls in {"Agreement", "Region"}:
        return False
    if relation == "partyTo":
        return obj.cls == "Agreement"
    if obj.cls == "Agreement":
        return False
    if relation in {"operatesIn", "controls"}:
        return obj.cls in PLACES
    if relation == "attacked":
        return True
    if obj.cls == "Region":
        return False
    if relation == "leaderOf":
        return subject.cls == "Leader" and obj.cls in {"State", "ArmedGroup", "Organization"}
    if relation == "memberOf":
        return obj.cls in {"Organization", "ArmedGroup", "State"} and not (
            subject.cls == "State" and obj.cls != "Organization")
    if relation == "backs":
        return subject.cls in {"State", "Organization", "Leader"} and obj.cls in {"ArmedGroup", "State", "Leader",
                                                                                 "Organization"}
    return True
