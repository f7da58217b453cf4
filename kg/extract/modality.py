"""Whether a sentence states a relation as a fact: negation, modality, conditions, attribution.

A trigger that is negated ("does not back"), under a modal ("could send"), in a
condition ("if Turkey attacks"), or governed by a word of denial, plan, hope, refusal
or the like ("denied backing", "plans to seize") states no fact; one governed by
"threaten" is hostility ("threatened to attack" gives ``opposes``); one reported as an
accusation ("accused X of arming Y") is left out. An event named by a noun phrase is
presupposed ("its attack last year on X") unless a light verb asserts it unreal ("could
launch an offensive").

>>> "launch" in LIGHT_VERBS
True
"""

from __future__ import annotations

from .lexicon import Lexicon

#: light verbs whose subject is the agent of their event-noun object ("launched an offensive")
LIGHT_VERBS = frozenset("""
launch carry conduct mount stage begin start continue intensify escalate wage step unleash order
resume have hold lead fight pursue announce keep maintain declare pledge express voice provide give
lend extend offer increase boost expand strengthen deepen make score achieve win
""".split())



def word_forms(token) -> set[str]:
    """The lemma and the plain stems of a word, since the small model's lemmatizer errs ("hoping" -> "hop").

    >>> sorted(word_forms(type("T", (), {"lemma_": "hop", "lower_": "hoping"})()))
    ['hop', 'hope', 'hoping']
    """
    lower = token.lower_
    forms = {token.lemma_.lower(), lower}
    if lower.endswith("ing") and len(lower) > 5:
        forms |= {lower[:-3], lower[:-3] + "e"}
    if lower.endswith("ed") and len(lower) > 4:
        forms |= {lower[:-2], lower[:-1]}
    if lower.endswith("s") and len(lower) > 3:
        forms.add(lower[:-1])
    return forms


class Modality:
    """The mood of a trigger (a mixin of :class:`.relations.Reader`: it needs ``lex``)."""

    lex: Lexicon

    def noun_mood(self, n) -> str | None:
        """The mood of an event named by a noun phrase: presupposed ("its attack last year on X",
        "rebels in Yemen" under "may be destined for"), unless negated ("no support"), governed by
        a word of denial, plan or threat, or asserted by a light verb that is itself unreal
        ("could launch an offensive")."""
        if any(c.dep_ == "det" and c.lower_ in {"no", "neither"} or c.dep_ == "neg" for c in n.children):
            return "negated"
        head, dep = n.head, n.dep_
        if dep == "pobj" and head.dep_ == "prep":
            head, dep = head.head, "prep"
        if head.i == n.i:
            return None
        if dep in {"attr", "nsubj", "nsubjpass"} and any(c.dep_ == "neg" for c in head.children):
            return "negated"   # "this wasn't a Russian attack on the opposition"
        governed = self.governed(head)
        if governed is not None:
            return governed
        if head.pos_ in {"VERB", "AUX"} and head.lemma_.lower() in LIGHT_VERBS:
            return self.mood(head)
        return None

    def governed(self, head) -> str | None:
        """What a governing word makes of the relation under it: ``hostile`` ("threatened to"),
        ``attribution`` ("accused X of"), ``irrealis`` ("plans to", "denied", "hoping to"), or None."""
        lex = self.lex
        forms = word_forms(head)
        if forms & lex.hostile:
            return "hostile"
        if forms & lex.attribution:
            return "attribution"
        if forms & lex.irrealis or (head.pos_ == "NOUN" and head.lemma_.lower() in lex.irrealis_nouns):
            return "irrealis"
        return None

    def mood(self, tok) -> str | None:
        """None for a stated fact; else negated, irrealis, hostile or attribution."""
        lex = self.lex
        t, hops = tok, 0
        while True:
            for c in t.children:
                if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in {"no", "neither"}):
                    return "negated"
                if c.dep_ in {"aux", "auxpass"} and c.lower_ in lex.modal_aux:
                    return "irrealis"
                if c.dep_ == "mark" and c.lower_ in lex.conditional:
                    return "irrealis"
                if c.dep_ == "aux" and c.lower_ == "to" and (
                        (t.dep_ in {"acl", "relcl"} and t.head.pos_ in {"NOUN", "PROPN"})
                        or (t.dep_ == "advcl" and t.head.lemma_.lower() in LIGHT_VERBS | lex.irrealis)):
                    # "an offensive to take Marib", "launched a drive to take": a purpose,
                    # not a result (but "swept south to seize Aden" tells what happened)
                    return "irrealis"
            if t.dep_ in {"xcomp", "ccomp", "pcomp", "prep", "pobj", "conj", "acl", "dobj", "advcl",
                          "relcl", "attr", "nsubj", "nsubjpass", "appos", "compound", "acomp"} and t.head.i != t.i:
                dep, h = t.dep_, t.head
                lemma = h.lemma_.lower()
                if dep in {"xcomp", "ccomp", "pcomp", "dobj", "acl", "prep", "attr", "nsubj", "acomp"}:
                    governed = self.governed(h)
                    # a subject governed by a verb of plan is real ("the plan failed"), not by a plan noun
                    if governed is not None and not (governed == "irrealis" and dep == "nsubj"
                                                     and lemma not in lex.irrealis_nouns):
                        return governed
                if dep in {"dobj", "pobj"} and t.pos_ in {"NOUN", "PROPN"} and h.pos_ in {"VERB", "AUX"} \
                        and lemma not in LIGHT_VERBS:
                    return None   # "cut its troops in Iraq": the troops are there
                if dep in {"advcl", "relcl", "nsubj", "nsubjpass", "appos", "compound"}:
                    # a subordinate clause has its own mood; a subject or apposition is stated
                    return None
                t, hops = h, hops + 1
                if hops > 8:
                    return None
                continue
            return None
