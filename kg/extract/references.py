"""References inside an article: pronouns and definite descriptions to the actor they mean.

"it", "its", "they", "he", "the group", "the kingdom", "the country", "the Syrian
leader", "the council", "the government" resolve by agreement in class (and number
where English marks it), by recency (this sentence before the word, then the two
sentences before) and by syntactic role (a subject is preferred). When two
candidates fit equally, the word is left unresolved: a wrong reference makes a
wrong fact, a missing one only a missed fact.

The history holds the last few sentences only, so resolution costs the same at
the end of a 5 MB article as at its start.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from ..inputs.catalogue import fold
from .entities import Article, Ref, doc_text

SINGULAR = {"it", "its", "itself"}
PAIR_NOUNS = {"countries", "nations", "states", "sides", "neighbours", "neighbors", "rivals", "men",
              "leaders", "governments", "capitals", "powers", "allies", "adversaries", "parties", "groups"}
PLURAL = {"they", "their", "them", "theirs", "themselves"}
PERSONAL = {"he", "his", "him", "she", "her", "himself", "herself"}

GROUP_NOUNS = {"group", "militia", "militias", "militants", "rebels", "insurgents", "jihadists",
               "fighters", "movement", "faction", "outfit", "organisation", "organization",
               "insurgency", "separatists", "mercenaries", "extremists", "terrorists", "mutineers",
               "putschists", "plotters", "junta", "guerrillas", "jihadis"}
MONARCHY_NOUNS = {"kingdom", "emirate", "sultanate", "monarchy"}
STATE_NOUNS = {"country", "nation"}
GOVERNMENT_NOUNS = {"government", "regime", "junta", "authorities", "administration"}
LEADER_NOUNS = {"leader", "president", "strongman", "dictator", "ruler", "premier", "autocrat",
                "king", "emir", "general", "commander", "warlord", "minister"}
NON_REFERRING = {"state", "region", "area", "city", "town", "war", "conflict", "people", "west",
                 "world", "south", "north", "east", "army", "military", "forces", "troops"}

#: verbs whose "it" is a place: "took the port in 2015 and held it for a year"
PLACE_VERBS = {"rule", "govern", "hold", "control", "seize", "capture", "take", "retake", "occupy", "administer",
               "lose", "abandon", "annex", "besiege", "recapture", "storm", "overrun"}

#: relation-class pairs where "it" may mean an agreement ("signed it", "violated it")
AGREEMENT_VERBS = {"sign", "ratify", "violate", "breach", "abandon", "quit", "implement", "honour",
                   "honor", "reject", "accept", "respect", "negotiate", "broker"}


class References:
    """Resolves the references of one article, sentence after sentence."""

    def __init__(self, article: Article):
        self.article = article
        self.history: deque[list[tuple[Ref, bool]]] = deque(maxlen=3)  # per sentence: (ref, is subject)
        self.leads: dict[str, str] = {}     # leader id -> the state/group id the article says they lead
        self.named_leaders: list[str] = []  # every person the article has named so far
        self.pair: tuple[Ref, Ref] | None = None  # the last two actors named together ("Greece and Turkey")
        self.described: dict[str, Ref] = {}  # "port" -> the actor last described as "a strategic port"
        self.pair_age = 0

    def _candidates(self, before: list[tuple[Ref, bool]], classes: set[str]) -> list[tuple[Ref, bool]]:
        out = [x for x in before if x[0].actor.cls in classes]
        if out:
            return out
        for sentence in reversed(self.history):
            found = [x for x in sentence if x[0].actor.cls in classes]
            if found:
                return found
        return []

    def _pick(self, candidates: list[tuple[Ref, bool]], here: Sequence[tuple[Ref, bool]] = ()) -> Ref | None:
        """The one candidate; or, among the previous sentence's, its one subject. Two candidates in the
        same sentence as the reference are left alone ("Ankara backs Baku in its fight": whose?)."""
        distinct = {r.actor.id: r for r, _ in candidates}
        if len(distinct) == 1:
            return next(iter(distinct.values()))
        if any(c in here for c in candidates):
            return None
        subjects = {r.actor.id: r for r, s in candidates if s}
        if len(subjects) == 1:
            return next(iter(subjects.values()))
        return None

    def resolve(self, sent, refs: dict[int, Ref]) -> None:
        """Add a Ref to ``refs`` for every pronoun or definite description of ``sent`` that resolves."""
        before: list[tuple[Ref, bool]] = []
        seen: set[int] = set()
        for t in sent:
            ref = refs.get(t.i)
            if ref is not None:
                if ref.actor.cls == "Leader" and ref.actor.id not in self.named_leaders:
                    self.named_leaders.append(ref.actor.id)
                if id(ref) not in seen:
                    seen.add(id(ref))
                    before.append((ref, _is_subject(t)))
                continue
            lower = t.lower_
            found = None
            if lower == "two" and any(c.dep_ == "det" and c.lower_ == "the" for c in t.children) \
                    and t.dep_ in {"nsubj", "dobj", "pobj", "nsubjpass"}:
                found = self._pair_ref("the two")     # "The two have long quarrelled"
            elif lower in {"former", "latter"} and any(c.dep_ == "det" and c.lower_ == "the" for c in t.children) \
                    and t.dep_ in {"nsubj", "dobj", "pobj", "nsubjpass"} and self.pair is not None \
                    and self.pair_age <= 1:
                one = self.pair[0 if lower == "former" else 1]    # "The former sent mercenaries"
                found = Ref(one.actor, one.text, one.start, one.end, "coref", 0.85)
            elif t.pos_ == "PRON" or lower in SINGULAR | PLURAL | PERSONAL:
                found = self._pronoun(t, lower, before)
            elif t.pos_ == "NOUN" and any(c.dep_ == "appos" and c.i in refs for c in t.children) \
                    or (t.dep_ == "appos" and t.head.i in refs):
                found = None    # "the president, Michel Aoun": named right there
            elif t.pos_ == "NOUN" and any(c.dep_ in {"det", "predet"} and c.lower_ in {"the", "this", "that", "both"}
                                           for c in t.children):
                found = self._definite(t, before, refs)
            elif t.pos_ == "NOUN" and any(c.dep_ == "poss" for c in t.children):
                found = self.possessive_title(t, refs)
            if found is not None:
                # the mention is the name the article used for the actor, not the pronoun
                words = found.text or (t.text if t.pos_ == "PRON" else _phrase(t))
                offset = t.doc.user_data.get("kg_offset", 0)   # where the paragraph starts in the article
                coref = Ref(found.actor, words, t.idx + offset, t.idx + len(t.text) + offset, "coref", found.confidence,
                            members=found.members)
                refs[t.i] = coref
                before.append((coref, _is_subject(t)))
        self.history.append(before)
        self._remember_pair(sent, refs)
        for t in sent:
            r = refs.get(t.i)
            if r is not None and r.kind != "coref" and r.actor.cls != "Leader":
                for c in t.children:   # "X, a strategic port": X is "the port" later on
                    if c.dep_ == "appos" and c.pos_ == "NOUN" and c.i not in refs:
                        self.described[c.lemma_.lower()] = r
                if t.dep_ == "appos" and t.head.pos_ == "NOUN" and t.head.i not in refs:
                    self.described[t.head.lemma_.lower()] = r   # "the ruling party, the ANC"

    def _remember_pair(self, sent, refs) -> None:
        """The last two actors of one class named together, for "they", "the two countries", "both sides"."""
        self.pair_age += 1
        for t in sent:
            r = refs.get(t.i)
            if r is None or r.kind == "coref" or t.dep_ == "conj":
                continue
            others = [refs.get(c.i) for c in t.conjuncts]
            group = [r] + [o for o in others if o is not None and o.actor.cls == r.actor.cls]
            distinct = list({g.actor.id: g for g in group}.values())
            head = t
            while head.dep_ in {"compound", "amod", "det"} and head.head.i != head.i:
                head = head.head
            if len(distinct) == 2 and r.actor.cls in {"State", "ArmedGroup", "Leader", "Organization"} \
                    and (head.dep_ in {"nsubj", "nsubjpass"}
                         or (head.dep_ == "pobj" and head.head.lower_ in {"between", "with"})):
                self.pair, self.pair_age = (distinct[0], distinct[1]), 0

    #: set by the extractor: whether a noun is a relational one of the lexicon ("ally", "backer")
    relational = staticmethod(lambda noun: False)

    def _pronoun(self, t, lower: str, before) -> Ref | None:
        if lower in PERSONAL:
            cands = self._candidates(before, {"Leader"})
            if lower in {"his", "her"} and self.relational(t.head):
                # "Kadyrov became his ally": the ally's "his" is not Kadyrov
                cands = [c for c in cands if not c[1]] or cands
                return self._pick(cands, [c for c in before if not c[1]])
            return self._pick(cands, before)
        if lower in SINGULAR:
            if lower == "it" and t.head.lemma_.lower() in AGREEMENT_VERBS and t.dep_ == "dobj":
                return self._pick(self._candidates(before, {"Agreement"}), before)
            if lower == "it" and t.dep_ not in {"nsubj", "nsubjpass", "dobj", "pobj"}:
                return None   # "it is said that ...", "make it clear"
            if lower == "it" and t.dep_ == "dobj" and t.head.lemma_.lower() in PLACE_VERBS:
                return self._pick(self._candidates(before, {"Region"}), before)  # "seized Aden and ruled it"
            cands = self._candidates(before, {"State", "Organization", "ArmedGroup"})
            singular = [c for c in cands if not _plural_name(c[0]) or fold(c[0].actor.label).startswith("al-")]
            return self._pick(singular, before)
        if lower in PLURAL:
            cands = self._candidates(before, {"ArmedGroup", "Organization", "State"})
            plural = [c for c in cands if _plural_name(c[0])]
            if plural:
                return self._pick(plural, before)
            return self._pair_ref(t.text)
        return None

    def holder_of(self, organ_id: str, title: str | None = None) -> Ref | None:
        """The one person the article has named who leads ``organ_id`` (per the article or the gazetteer)."""
        world = self.article.entities.world
        named = [a for a in self.named_leaders if self.leads.get(a) == organ_id
                 or any(o.of == organ_id and (title is None or title in LEADER_NOUNS)
                        for o in world.offices.get(a, []))]
        if len(set(named)) == 1:
            actor = self.article.actor(named[0])
            if actor is not None:
                return Ref(actor, "", 0, 0, "coref", 0.9)
        return None

    def possessive_title(self, t, refs) -> Ref | None:
        """"Syria's dictator", "Turkey's president" (with no name beside it): the person the article named."""
        if t.lemma_.lower() not in LEADER_NOUNS or any(c.dep_ == "appos" for c in t.children) \
                or t.dep_ in {"appos", "compound"}:
            return None
        owners = [refs[c.i] for c in t.children if c.dep_ == "poss" and c.i in refs]
        if len(owners) != 1 or owners[0].actor.cls not in {"State", "ArmedGroup", "Organization"}:
            return None
        return self.holder_of(owners[0].actor.id, t.lemma_.lower())

    def _pair_ref(self, words: str) -> Ref | None:
        """Both actors of the pair named together in this sentence or the one before."""
        if self.pair is None or self.pair_age > 1:
            return None
        a, b = self.pair
        return Ref(a.actor, words, a.start, a.end, "coref", 0.85, members=(a, b))

    def _definite(self, t, before, refs) -> Ref | None:
        noun = t.lower_
        lemma = t.lemma_.lower()
        if noun in PAIR_NOUNS and any(c.lower_ in {"two", "both"} for c in t.children):
            return self._pair_ref(_phrase(t))
        mods = [c for c in t.children if c.dep_ in {"amod", "compound"}]
        if noun in NON_REFERRING:
            return None
        if mods:
            # "the Syrian leader": the leader of the state the adjective names
            if lemma in LEADER_NOUNS and len(mods) == 1 and refs.get(mods[0].i) is not None:
                return self.holder_of(refs[mods[0].i].actor.id, lemma)
            return None
        described = self.described.get(lemma)
        if described is not None and t.dep_ != "appos" and not any(c.dep_ == "prep" for c in t.children):
            return described    # "Hodeidah, a vital port ... the port"
        if noun in GROUP_NOUNS or lemma in GROUP_NOUNS:
            return self._pick(self._candidates(before, {"ArmedGroup"}), before)
        if noun in MONARCHY_NOUNS:
            monarchies = self.article.entities.world.monarchies
            for sentence in [before, *reversed(self.history)]:
                found = [x for x in sentence if x[0].actor.id in monarchies]
                if found:
                    return self._pick(found)
            return None
        if noun in STATE_NOUNS:
            return self._pick(self._candidates(before, {"State"}), before)
        if noun in GOVERNMENT_NOUNS or lemma in GOVERNMENT_NOUNS:
            state = self.article.focus_state()
            return Ref(state, "", 0, 0, "coref", 0.85) if state is not None else None
        if lemma in LEADER_NOUNS and lemma not in {"minister", "general", "commander"}:
            # "the dictator", "the president": the one such person named in the last sentences whom
            # the article or the gazetteer knows to hold an office (not a quoted reporter)
            world = self.article.entities.world
            cands = [c for c in self._candidates(before, {"Leader"})
                     if c[0].actor.id in self.leads or world.offices.get(c[0].actor.id)]
            return self._pick(cands, before)
        # "the council", "the coalition": a recent actor whose name ends with the noun
        matches = {}
        for sentence in [before, *reversed(self.history)]:
            for r, _ in sentence:
                words = fold(r.actor.label).split()
                if words and words[-1] in {noun, lemma, noun + "s"}:
                    matches[r.actor.id] = r
        if len(matches) == 1:
            return next(iter(matches.values()))
        return None


def _is_subject(t) -> bool:
    head = t
    while head.dep_ in {"compound", "amod", "poss", "det", "conj"} and head.head.i != head.i:
        head = head.head
    return head.dep_ in {"nsubj", "nsubjpass"}


def _plural_name(ref: Ref) -> bool:
    label = fold(ref.actor.label)
    return ref.actor.cls == "ArmedGroup" and (label.endswith("s") or label in {"taliban", "al-shabaab"})


def _phrase(t) -> str:
    words = [c for c in t.lefts if c.dep_ in {"det", "amod", "compound"}]
    start = words[0].idx if words else t.idx
    return doc_text(t.doc)[start:t.idx + len(t.text)]
