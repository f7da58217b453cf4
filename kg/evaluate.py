"""Scoring the extractor against the curated facts: precision, recall and F1.

A curated fact is *found* when the extractor, reading the same article, yields a
fact on the same canonical edge (subject id, relation, object id; symmetric
relations unordered; a person's ``memberOf`` and ``leaderOf`` are one office), whatever
sentence it quotes. Scores are micro-averaged
over articles, per relation and overall; ``locatedIn`` is left to curators and
not scored.

Only **gold** articles are scored: those whose sidecar records at least one fact
(curated, of any relation, or rejected). An article with no sidecar, or whose sidecar
records no fact, has not been annotated: what the extractor finds there is neither
right nor wrong as far as the curated facts know, so the article is left out (not
counted as false positives) and :attr:`Evaluation.left_out` says which and why. Extracted facts about proposed new actors are not about catalogue
actors and are not scored, except as described for leave-one-article-out.

Leave-one-article-out (``loao=True``): each article is extracted with a catalogue
reduced to what the *other* articles justify, so that the article under test
contributes nothing the extractor reads:

- an actor none of whose names or adjectives occurs in any other article's text
  is removed (it exists only because of this article);
- an alias or adjective that occurs in no other article is removed; a label that
  occurs in no other article stays the actor's identifier but is not matched
  (one of the actor's names that does occur elsewhere is matched instead);
- the extractor uses no curated facts at all, so no fact can leak.

An extracted fact whose actor is a *proposed* new actor counts against the
catalogue actor the proposal's label names (so "Failaq al-Sham", proposed as a
new ArmedGroup, matches the curated Failaq al-Sham): that is the fact a curator
would get by accepting the proposal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from .errors import UsageError
from .extract import BUILD_THRESHOLD, EXTRACTED_RELATIONS, Extractor, is_proposed
from .extract.mentions import tokens
from .inputs.catalogue import Actor, Catalogue
from .inputs.corpus import Corpus
from .inputs.facts import Fact


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "f1": round(self.f1, 3)}


@dataclass
class Evaluation:
    """The extractor's score against the curated facts, with what it missed and invented."""

    mode: str
    threshold: float
    overall: Score
    by_relation: dict[str, Score]
    misses: list[Fact] = field(default_factory=list)
    false_positives: list[Fact] = field(default_factory=list)
    via_proposals: int = 0
    unscored: int = 0
    removed: dict[str, list[str]] = field(default_factory=dict)
    left_out: dict[str, str] = field(default_factory=dict)   # article id -> why it is not gold

    def as_dict(self) -> dict:
        def row(f: Fact) -> dict:
            return {"article": f.article, "fact": f"{f.subject.label} {f.relation} {f.object.label}",
                    "confidence": f.confidence, "quote": f.quote}

        return {"mode": self.mode, "threshold": self.threshold, "overall": self.overall.as_dict(),
                "by_relation": {r: s.as_dict() for r, s in self.by_relation.items()},
                "via_proposals": self.via_proposals, "unscored": self.unscored,
                "left_out": [{"article": a, "reason": why} for a, why in self.left_out.items()],
                "misses": [row(f) for f in self.misses],
                "false_positives": [row(f) for f in self.false_positives]}


def not_gold(corpus: Corpus) -> dict[str, str]:
    """The articles that have not been annotated, and why: no sidecar, or one that records no fact."""
    annotated = {fact.article for fact in corpus.facts} | {a for a, rows in corpus.rejected.items() if rows}
    return {article_id: ("no sidecar (no curated facts)" if not article.path.with_suffix(".yaml").exists()
                         else "its sidecar records no facts")
            for article_id, article in sorted(corpus.articles.items()) if article_id not in annotated}


def evaluate(corpus: Corpus, *, loao: bool = False, threshold: float = 0.0) -> Evaluation:
    """Score the extractor on every gold article of a corpus, in-sample or leave-one-article-out.

    Raises :class:`kg.errors.UsageError` when no article is gold (see the module's docstring).
    """
    left_out = not_gold(corpus)
    if len(left_out) == len(corpus.articles):
        raise UsageError("nothing to score: no article has curated facts (an article is scored against "
                         "the facts its sidecar records)")
    gold: dict[str, dict[tuple, Fact]] = defaultdict(dict)
    for fact in corpus.facts:
        if fact.relation in EXTRACTED_RELATIONS:
            gold[fact.article].setdefault(_edge(fact), fact)
    by_relation = {r: Score() for r in EXTRACTED_RELATIONS}
    overall = Score()
    misses: list[Fact] = []
    fps: list[Fact] = []
    via, unscored = 0, 0
    removed: dict[str, list[str]] = {}
    full = Extractor(corpus.catalogue) if not loao else None
    for article_id, article in sorted(corpus.articles.items()):
        if article_id in left_out:
            continue
        if full is None:
            catalogue, gone = reduced_catalogue(corpus, article_id)
            removed[article_id] = gone
            extractor = Extractor(catalogue)
        else:
            extractor = full
        predicted: dict[tuple, Fact] = {}
        for fact in extractor.extract(article).facts:
            if fact.confidence < threshold:
                continue
            mapped = _map_proposals(fact, corpus.catalogue, extractor.catalogue)
            if mapped is None:
                unscored += 1
                continue
            edge = _edge(mapped)
            if mapped is not fact:
                via += edge in gold[article_id]
            if edge not in predicted or predicted[edge].confidence < mapped.confidence:
                predicted[edge] = mapped
        expected = gold.get(article_id, {})
        for edge, fact in predicted.items():
            score = by_relation[edge[1]]
            if edge in expected:
                score.tp += 1
                overall.tp += 1
            else:
                score.fp += 1
                overall.fp += 1
                fps.append(fact)
        for edge, fact in expected.items():
            if edge not in predicted:
                by_relation[edge[1]].fn += 1
                overall.fn += 1
                misses.append(fact)
    return Evaluation("leave-one-article-out" if loao else "in-sample", threshold, overall, by_relation,
                      misses, fps, via, unscored, removed, left_out)


def _edge(fact: Fact) -> tuple[str, str, str]:
    """The edge a fact is scored on: a person's office is one relation, ``leaderOf`` or ``memberOf``
    (the annotation convention analysts use: a spokesman "of" the Kremlin holds office in Russia)."""
    s, r, o = fact.edge
    if r == "memberOf" and fact.subject.cls == "Leader":
        r = "leaderOf"
    return (s, r, o)


def reduced_catalogue(corpus: Corpus, article_id: str) -> tuple[Catalogue, list[str]]:
    """The catalogue without what only ``article_id`` justifies (see the module docstring)."""
    grams: set[tuple[str, ...]] = set()
    for other_id, other in corpus.articles.items():
        if other_id == article_id:
            continue
        toks = [t for t, _, _ in tokens(other.text)]
        for n in range(1, 9):
            grams.update(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))

    def elsewhere(name: str) -> bool:
        return tuple(t for t, _, _ in tokens(name)) in grams

    actors: dict[str, Actor] = {}
    gone: list[str] = []
    for label, actor in corpus.catalogue.actors.items():
        names = [n for n in actor.names if elsewhere(n)]
        adjectives = tuple(a for a in actor.adjectives if elsewhere(a))
        if not names and not adjectives:
            gone.append(label)
            continue
        shown = names[0] if names else label
        if not names:
            # only an adjective is attested elsewhere: keep the actor, matched through the adjective
            shown = "\u2063" + label  # an invisible mark: the label itself is never matched in text
        actors[shown] = replace(actor, label=shown, aliases=tuple(n for n in names[1:]), adjectives=adjectives)
    return Catalogue(actors, corpus.catalogue.sources, corpus.catalogue.path), gone


def _map_proposals(fact: Fact, full: Catalogue, used: Catalogue) -> Fact | None:
    """A fact on proposed actors, mapped to the catalogue actors their labels name (None: unscorable)."""
    subject = full.resolve(fact.subject.label) if is_proposed(fact.subject) else full.by_id(fact.subject.id)
    obj = full.resolve(fact.object.label) if is_proposed(fact.object) else full.by_id(fact.object.id)
    if subject is None or obj is None:
        return None
    if subject.id == fact.subject.id and obj.id == fact.object.id:
        return fact
    return replace(fact, subject=subject, object=obj)


__all__ = ["Evaluation", "Score", "evaluate", "not_gold", "reduced_catalogue"]


def evaluate_corpus(corpus: Corpus, *, mode: str = "both", threshold: float | None = None) -> list[Evaluation]:
    """In-sample, leave-one-article-out, or both, at the build's threshold unless told otherwise."""
    threshold = BUILD_THRESHOLD if threshold is None else threshold
    modes = {"both": (False, True), "in-sample": (False,), "loao": (True,)}[mode]
    return [evaluate(corpus, loao=loao, threshold=threshold) for loao in modes]


def format_evaluation(results: list[Evaluation], *, details: bool = True) -> str:
    """A plain-text report: one table per mode, then the misses and false positives."""
    lines: list[str] = []
    for ev in results:
        lines.append(f"{ev.mode} (confidence >= {ev.threshold:g})")
        lines.append(f"  {'relation':<16}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}")
        for name, sc in [*ev.by_relation.items(), ("overall", ev.overall)]:
            lines.append(f"  {name:<16}{sc.precision:>7.3f}{sc.recall:>7.3f}{sc.f1:>7.3f}"
                         f"{sc.tp:>6}{sc.fp:>6}{sc.fn:>6}")
        if ev.via_proposals:
            lines.append(f"  ({ev.via_proposals} found through proposed new actors)")
        if ev.left_out:
            lines.append(f"  left out, not gold ({len(ev.left_out)} article(s) without curated facts, "
                         "so nothing found there is scored):")
            lines += [f"    {article}: {why}" for article, why in ev.left_out.items()]
        if details:
            lines.append("  false positives:")
            lines += [f"    {f.article}: {f.subject.label} {f.relation} {f.object.label} "
                      f"[{f.confidence:.2f}, {(f.note or '')[9:]}] \u2014 {f.quote}" for f in ev.false_positives]
            lines.append("  misses:")
            lines += [f"    {f.article}: {f.subject.label} {f.relation} {f.object.label} \u2014 {f.quote}"
                      for f in ev.misses]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
