"""Mentions, actors and relations found in the text of an article (plain data, no rdflib).

::

    from kg.extract import Extractor
    extraction = Extractor(catalogue).extract(article)
    extraction.facts        # kg.facts.Fact objects with method="extracted", a confidence, the sentence
    extraction.new_actors   # proposals for actors the catalogue lacks

The pipeline, per article: sentences (:mod:`.sentences`) -> catalogue mentions
(:mod:`.mentions`) and new-actor proposals (:mod:`.newactors`) -> within-article
references ("the group", "the Syrian leader", "they") -> relation rewrites and
patterns over each sentence's template (:mod:`.relations`) -> facts, each with the
exact sentence it comes from. Nothing is asserted that a pattern did not read in
that sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..articles import Article, normalize_space
from ..catalogue import Actor, Catalogue, fold
from ..facts import Fact
from . import relations as rel
from .mentions import Gazetteer, Mention, fold_chars
from .newactors import NewActor, is_proposed, propose_actors
from .sentences import Sentence as TextSentence
from .sentences import split_sentences

#: extracted facts below this confidence stay out of the build (``kg extract`` shows them all)
BUILD_THRESHOLD = 0.5

#: the relations the extractor looks for (locatedIn is left to curators)
EXTRACTED_RELATIONS = ("leaderOf", "backs", "alliedWith", "cooperatesWith", "opposes", "attacked",
                       "partyTo", "memberOf", "operatesIn", "controls")

_SAID = re.compile(r"(?:\b(?:said|says|told|wrote|added|noted|tweeted|according to)\s+"
                   r"(?P<a>(?:Mr\.|Mrs\.|Ms\.|Dr\.)?\s*[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){0,3}))|"
                   r"(?:(?P<b>[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){0,3}),?\s+(?:said|says|told|wrote|added|"
                   r"noted|tweeted)\b)")
_COREF_GROUP = re.compile(r"\bthe (?:armed |militant |rebel |jihadist )?(?:group|militia|faction)\b")
_COREF_LEADER = re.compile(r"\bthe <(\d+):a> (?:leader|president|strongman|ruler|head of state)\b")
_COREF_PLACE = re.compile(r"\bthe (province|governorate|city|town|enclave|region)\b")
_COREF_DEAL = re.compile(r"\b((?:reneged on|violated|violating|breached|breaching|abandoned|withdrew from|"
                         r"pulled out of|signed|quit|ratified|rejected) )it\b")
_COREF_ATTACK = re.compile(r"\bthe (?:attack|strike|air strike|airstrike|raid|bombardment|assault)\b(?! (?:on|against|by))")


@dataclass
class Extraction:
    """What the extractor found in one article."""

    article: str
    facts: list[Fact] = field(default_factory=list)
    new_actors: list[NewActor] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


class Extractor:
    """An extractor for one catalogue (its gazetteer is built once and reused across articles)."""

    def __init__(self, catalogue: Catalogue, *, propose: bool = True):
        self.catalogue = catalogue
        self.gazetteer = Gazetteer(catalogue)
        self.propose = propose
        self.adjectives = {fold(a): actor for actor in catalogue.actors.values() if actor.cls == "State"
                           for a in actor.adjectives}
        for actor in catalogue.actors.values():
            if actor.cls == "State":
                self.adjectives.setdefault(fold(actor.label), actor)

    def resolve_word(self, word: str) -> Actor | None:
        """A modifier word to its actor: 'rebel' -> the actor named 'rebels' or 'rebel fighters'."""
        for candidate in (word, word + "s", word + " fighters", word + " forces", word + " groups"):
            actor = self.catalogue.resolve(candidate)
            if actor is not None:
                return actor
        return self.adjectives.get(fold(word))

    def extract(self, article: Article) -> Extraction:
        text = article.text
        sentences = split_sentences(text)
        folded = fold_chars(text)
        mentions = self.gazetteer.find(text, folded)
        proposals: list[NewActor] = []
        if self.propose:
            proposals, extra = propose_actors(text, sentences, mentions, self.catalogue)
            if extra:
                taken = [(m.start, m.end) for m in extra]
                mentions = [m for m in mentions if not any(a < m.end and m.start < b for a, b in taken)]
                mentions = sorted(mentions + extra, key=lambda m: m.start)
        state = rel.State()
        state.adjectives = self.adjectives  # type: ignore[attr-defined]
        history: list[tuple[int, Mention]] = []
        self._last_attacker: tuple[int, Actor] | None = None
        facts: dict[tuple, Fact] = {}
        by_sentence = _group(mentions, sentences)
        prev: TextSentence | None = None
        for sentence in sentences:
            ms = by_sentence.get(sentence.index, [])
            s = rel.Sentence(list(ms), rel.template(sentence.text, sentence.start, ms,
                                                    folded[sentence.start:sentence.end]), state)
            self._corefs(s, sentence, history)
            rel.rewrite_titles(s)
            for i in range(len(s.mentions)):
                if s.mentions[i].kind in {"name", "force", "new"}:
                    rel.inner_markers(s, i, self.gazetteer)
            rel.rewrite_markers(s, self.resolve_word)
            rel.inherit_backers(s)
            rel.rewrite_purchases(s)
            rel.rewrite_strongholds(s, self.resolve_word)
            rel.rewrite_possessives(s)
            rel.rewrite_appositions(s)
            rel.respectively(s, state.leader_pair)
            pair = rel.last_pair(s)
            rel.resolve_pairs(s, pair or state.pair)
            rel.plain_adjectives(s)
            rel.find_hits(s)
            said_by = self._speaker(sentence.text)
            for hit in s.hits:
                subject, obj = s.actor(hit.subject), s.actor(hit.object)
                if hit.relation not in EXTRACTED_RELATIONS or not rel.valid(subject, hit.relation, obj):
                    continue
                quote = sentence.text
                if hit.rule == "respectively" and prev is not None:
                    quote = text[prev.start:sentence.end]
                fact = Fact(subject=subject, relation=hit.relation, object=obj, quote=normalize_space(quote),
                            article=article.id, date=article.date, said_by=said_by, method="extracted",
                            confidence=round(hit.confidence, 3),
                            subject_mention=s.mentions[hit.subject].text,
                            object_mention=s.mentions[hit.object].text,
                            note=f"pattern: {hit.rule}")
                if hit.relation == "attacked":
                    self._last_attacker = (sentence.index, subject)
                key = (fact.edge, fact.quote)
                if key not in facts or facts[key].confidence < fact.confidence:
                    facts[key] = fact
            if pair is not None:
                state.pair = pair
            leaders = [m for m in ms if m.actor.cls == "Leader"]
            distinct = list({m.actor.id: m for m in leaders}.values())
            if len(distinct) == 2:
                state.leader_pair = (distinct[0], distinct[1])
            elif distinct:
                state.leader_pair = None
            history.extend((sentence.index, m) for m in ms if m.kind != "adjective")
            prev = sentence
        return Extraction(article.id, sorted(facts.values(), key=_order), proposals, mentions)

    def _corefs(self, s: rel.Sentence, sentence: TextSentence, history: list[tuple[int, Mention]]) -> None:
        """'the group', 'the Syrian leader', 'the province': the one actor they can refer to, or nothing."""
        recent_groups = {m.actor.id: m for i, m in history if i >= sentence.index - 2
                         and m.actor.cls == "ArmedGroup"}
        recent_groups.update({m.actor.id: m for m in s.mentions if m.actor.cls == "ArmedGroup"})
        if len(recent_groups) == 1:
            (group,) = recent_groups.values()
            s.t = _COREF_GROUP.sub(lambda m: s.ph(s.add_mention(
                Mention(group.start, group.end, m.group(), group.actor, "coref"), group.actor, "coref")), s.t)

        def leader(m: re.Match) -> str:
            state = s.actor(int(m[1]))
            led = [lid for lid, st in s.state.leads.items() if st.id == state.id]
            if len(led) != 1:
                return m.group()
            actor = self.catalogue.by_id(led[0])
            if actor is None:
                return m.group()
            like = s.mentions[int(m[1])]
            return s.ph(s.add_mention(Mention(like.start, like.end, m.group(), actor, "coref"), actor, "coref"))

        s.t = _COREF_LEADER.sub(leader, s.t)

        def place(m: re.Match) -> str:
            noun = m[1]
            for _, mention in reversed(history):
                if mention.actor.cls == "Region" and any(noun in fold(n) for n in mention.actor.names):
                    return s.ph(s.add_mention(Mention(mention.start, mention.end, m.group(), mention.actor,
                                                      "coref"), mention.actor, "coref"))
            return m.group()

        s.t = _COREF_PLACE.sub(place, s.t)

        def agreement(m: re.Match) -> str:
            here = [i for i, x in enumerate(s.mentions) if x.actor.cls == "Agreement"
                    and f"<{i}:A>" in s.t[: m.start()]]
            if here:
                target = s.mentions[here[-1]]
            else:
                earlier = [x for i, x in history if i >= sentence.index - 1 and x.actor.cls == "Agreement"]
                if len({x.actor.id for x in earlier}) != 1:
                    return m.group()
                target = earlier[-1]
            i = s.add_mention(Mention(target.start, target.end, "it", target.actor, "coref"), target.actor, "coref")
            return m[1] + s.ph(i)

        s.t = _COREF_DEAL.sub(agreement, s.t)

        def attack(m: re.Match) -> str:
            last = self._last_attacker
            if last is None or last[0] < sentence.index - 2:
                return m.group()
            actor = last[1]
            return s.ph(s.add_mention(Mention(sentence.start, sentence.start, m.group(), actor, "coref"),
                                      actor, "coref"))

        s.t = _COREF_ATTACK.sub(attack, s.t)

    def _speaker(self, text: str) -> str | None:
        """Who the sentence says makes the claim, when it names them ("..., said Charles Lister")."""
        for m in _SAID.finditer(text):
            name = (m["a"] or m["b"] or "").strip().rstrip(".,")
            name = re.sub(r"^(?:Mr|Mrs|Ms|Dr)\.\s*", "", name)
            found = self.catalogue.resolve(name) or self.catalogue.resolve_source(name)
            if found is None:
                last = fold(name.split()[-1]) if name.split() else ""
                found = next((src for src in self.catalogue.sources.values()
                              if fold(src.label).split()[-1:] == [last] and src.kind == "Person"), None)
            if found is not None:
                return found.label
        return None


def extract_article(article: Article, catalogue: Catalogue) -> Extraction:
    """The facts and new-actor proposals the extractor finds in one article."""
    return Extractor(catalogue).extract(article)


def _group(mentions: list[Mention], sentences: list[TextSentence]) -> dict[int, list[Mention]]:
    out: dict[int, list[Mention]] = {}
    j = 0
    for m in mentions:
        while j < len(sentences) and sentences[j].end <= m.start:
            j += 1
        if j < len(sentences) and sentences[j].start <= m.start and m.end <= sentences[j].end:
            out.setdefault(sentences[j].index, []).append(m)
    return out


def _order(fact: Fact):
    return (fact.quote, fact.subject.label, fact.relation, fact.object.label)




# ---------------------------------------------------------------- files and formats

TSV_COLUMNS = ("subject", "subject_mention", "relation", "object", "object_mention", "confidence", "quote")
ACTOR_COLUMNS = ("label", "mention", "class", "confidence")


def extract_files(paths, catalogue: Catalogue, *, min_confidence: float = 0.0) -> list[Extraction]:
    """Read article files (anywhere) and extract each; unreadable files raise :class:`kg.errors.InputError`."""
    from pathlib import Path

    from ..articles import read_article
    from ..errors import InputError

    extractor = Extractor(catalogue)
    out = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise InputError(f"{path}: no such article file")
        extraction = extractor.extract(read_article(path))
        extraction.facts = [f for f in extraction.facts if f.confidence >= min_confidence]
        out.append(extraction)
    return out


def _cell(text) -> str:
    return " ".join(str(text if text is not None else "").split())


def facts_tsv(extractions: list[Extraction]) -> str:
    """One fact per line: subject, subject_mention, relation, object, object_mention, confidence, quote."""
    lines = ["\t".join(TSV_COLUMNS)]
    for ex in extractions:
        for f in ex.facts:
            lines.append("\t".join(_cell(x) for x in (f.subject.label, f.subject_mention, f.relation,
                                                        f.object.label, f.object_mention,
                                                        f"{f.confidence:.2f}", f.quote)))
    return "\n".join(lines) + "\n"


def actors_tsv(extractions: list[Extraction]) -> str:
    """One proposed actor per line: label, mention, class, confidence."""
    lines = ["\t".join(ACTOR_COLUMNS)]
    for ex in extractions:
        for a in ex.new_actors:
            lines.append("\t".join(_cell(x) for x in (a.label, "; ".join(a.mentions), a.cls,
                                                        f"{a.confidence:.2f}")))
    return "\n".join(lines) + "\n"


def as_json(extractions: list[Extraction], *, actors: bool = False) -> list[dict]:
    """Plain data for ``--format json``."""
    out = []
    for ex in extractions:
        if actors:
            out.extend({"article": ex.article, "label": a.label, "mentions": a.mentions, "class": a.cls,
                        "confidence": a.confidence, "rule": a.rule, "similar": a.similar}
                       for a in ex.new_actors)
        else:
            out.extend({"article": ex.article, "subject": f.subject.label, "subject_id": f.subject.id,
                        "subject_mention": f.subject_mention, "relation": f.relation,
                        "object": f.object.label, "object_id": f.object.id,
                        "object_mention": f.object_mention, "confidence": f.confidence,
                        "quote": f.quote, "said_by": f.said_by, "pattern": (f.note or "")[9:],
                        "new_actor": is_proposed(f.subject) or is_proposed(f.object)}
                       for f in ex.facts)
    return out


def facts_turtle(extractions: list[Extraction], catalogue: Catalogue) -> str:
    """The extracted facts as Turtle: the triples, and a kg:Statement with the evidence for each."""
    import hashlib
    from decimal import Decimal

    from rdflib import Graph, Literal
    from rdflib.namespace import RDF, RDFS, XSD

    from .. import namespaces as ns

    KG = ns.KG
    g = Graph()
    ns.bind_prefixes(g)
    for ex in extractions:
        for f in ex.facts:
            s, p, o = f.edge
            g.add((KG[s], KG[p], KG[o]))
            st = KG["statement/" + ".".join(f.edge)]
            g.add((st, RDF.type, KG.Statement))
            g.add((st, RDF.subject, KG[s]))
            g.add((st, RDF.predicate, KG[p]))
            g.add((st, RDF.object, KG[o]))
            key = "\x1f".join([f.article, f.quote, *f.edge, f.method])
            e = KG["evidence/" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]]
            g.add((st, KG.evidence, e))
            g.add((e, RDF.type, KG.Evidence))
            g.add((e, KG.quote, Literal(f.quote, lang="en")))
            g.add((e, KG.fromArticle, KG[f"article/{f.article}"]))
            g.add((e, KG.method, Literal("extracted")))
            g.add((e, KG.confidence, Literal(Decimal(str(f.confidence)), datatype=XSD.decimal)))
            for actor in (f.subject, f.object):
                if is_proposed(actor):
                    g.add((KG[actor.id], RDF.type, KG[actor.cls]))
                    g.add((KG[actor.id], RDFS.label, Literal(actor.label, lang="en")))
                    g.add((KG[actor.id], RDFS.comment, Literal("proposed by the extractor, not in the "
                                                               "catalogue", lang="en")))
    return g.serialize(format="turtle")


__all__ = ["BUILD_THRESHOLD", "EXTRACTED_RELATIONS", "Extraction", "Extractor", "NewActor", "actors_tsv",
           "as_json", "extract_article", "extract_files", "facts_tsv", "facts_turtle", "is_proposed"]
