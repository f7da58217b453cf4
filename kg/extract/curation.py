"""Extracted facts in the build: thresholds, curators' rejections, and curated facts winning.

A curator rejects an extracted fact in the article's sidecar, beside the curated
facts, so that it never comes back::

    rejected:
      - fact: Dmitry Peskov memberOf Russian Ministry of Defence   # <subject> <relation> <object>
        quote: "said Dmitry Peskov, the spokesman of the Russian defence ministry"  # optional
        reason: the article misnames his office; he is the Kremlin's spokesman      # optional

A rejection names the edge by labels or aliases (symmetric relations in either
order) and applies to what the extractor reads in *that* article; with a
``quote`` it applies only to extractions whose sentence contains the quote. A
malformed entry, an unknown actor or a quote not in the article is refused with
its file and line, like a curated fact.

What reaches the graph (:func:`build_extraction`): every fact the extractor finds
in the corpus's articles, at or above the confidence threshold, between catalogue
actors (a proposed actor is not in the graph: SHACL requires every actor to be
catalogued; such facts go to ``build/proposals.tsv`` with the proposals) and not
rejected. On an edge that a curated fact already states, the curated fact wins
the statement (its ``kg:method`` stays ``curated``) but the extracted fact is still
one more piece of its evidence, with method ``extracted``, its confidence, sentence,
article and date, so that the timeline and date windows see it
(``curated-evidence`` in ``build/extracted.tsv``). Only an extraction of the very
sentence a curated fact quotes for that edge in that article adds nothing and stays
out (``curated-already``): its quote equals, contains or is contained in the
curated quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..errors import Problem, ValidationError
from ..inputs.articles import normalize_space
from ..inputs.catalogue import Actor, Catalogue
from ..inputs.corpus import Corpus
from ..inputs.facts import Fact, check_signature, split_fact
from ..vocabulary import RELATIONS
from . import BUILD_THRESHOLD, EXTRACTED_RELATIONS, Extraction, is_proposed
from .cache import ExtractionCache
from .parallel import Workers, extract_corpus
from .world import load_world

_KEYS = {"fact", "quote", "reason"}


@dataclass(frozen=True)
class Rejection:
    """A curator's 'no' to an extracted fact in one article."""

    article: str
    edge: tuple[str, str, str]
    quote: str | None = None
    reason: str | None = None
    path: str | None = None
    line: int | None = None

    def matches(self, fact: Fact) -> bool:
        return (fact.article == self.article and fact.edge == self.edge
                and (self.quote is None or self.quote in fact.quote))


@dataclass
class BuildExtraction:
    """What the extractor adds to a build, and what it left out and why."""

    facts: list[Fact] = field(default_factory=list)          # into the graph (includes curated_evidence)
    curated_evidence: list[Fact] = field(default_factory=list)  # of those, evidence for a curated statement
    rejected: list[Fact] = field(default_factory=list)       # a curator said no
    curated: list[Fact] = field(default_factory=list)        # a curated fact quotes the same sentence
    below_threshold: list[Fact] = field(default_factory=list)
    proposed: list[Fact] = field(default_factory=list)       # about a proposed new actor
    unfit: list[Fact] = field(default_factory=list)          # breaks the ontology's class constraints
    extractions: list[Extraction] = field(default_factory=list)
    world_actors: dict[str, Actor] = field(default_factory=dict)  # gazetteer actors the graph needs
    threshold: float = BUILD_THRESHOLD


def parse_rejections(corpus: Corpus) -> list[Rejection]:
    """The ``rejected:`` entries of every sidecar, checked; raise one error listing every problem."""
    problems: list[Problem] = []
    out: list[Rejection] = []
    catalogue = corpus.catalogue
    for article_id, entries in sorted(corpus.rejected.items()):
        article = corpus.articles[article_id]
        path = f"seeds/{article.path.with_suffix('.yaml').name}"
        for entry in entries:
            line = getattr(entry, "line", None)
            if not isinstance(entry, dict):
                problems.append(Problem("each rejection must be a mapping '- fact: <subject> <relation> "
                                        "<object>' with optional 'quote:' and 'reason:'", path, line))
                continue
            unknown = set(entry) - _KEYS
            if unknown:
                problems.append(Problem(f"unknown keys {sorted(unknown)} in a rejection; use "
                                        f"{', '.join(sorted(_KEYS))}", path, line))
            parts = split_fact(str(entry.get("fact") or ""))
            if parts is None:
                problems.append(Problem(f"cannot read rejected fact {entry.get('fact')!r}: write "
                                        "'<subject> <relation> <object>'", path, line))
                continue
            s_name, relation, o_name = parts
            actors: list[Actor] = []
            for name in (s_name, o_name):
                actor = catalogue.resolve(name)
                if actor is None:
                    hint = catalogue.suggest(name)
                    problems.append(Problem(f"unknown actor {name!r} in a rejection"
                                            + (f" (did you mean {', '.join(map(repr, hint))}?)" if hint else ""),
                                            path, line))
                else:
                    actors.append(actor)
            quote = entry.get("quote")
            if quote is not None and not article.contains(str(quote)):
                problems.append(Problem(f"the quote of rejected {entry['fact']!r} does not occur in "
                                        f"{article.path.name}", path, line))
            if len(actors) < 2:   # an unknown actor, reported above
                continue
            s, o = RELATIONS[relation].canonical(actors[0].id, actors[1].id)
            out.append(Rejection(article_id, (s, relation, o),
                                 normalize_space(str(quote)) if quote is not None else None,
                                 str(entry["reason"]) if entry.get("reason") else None, path, line))
    if problems:
        raise ValidationError(f"{len(problems)} problem(s) in the rejected extractions", problems)
    return out


def build_extraction(corpus: Corpus, *, threshold: float = BUILD_THRESHOLD, progress=None,
                     workers: Workers | None = None, cache: ExtractionCache | None = None,
                     meanwhile=None) -> BuildExtraction:
    """Extract every article of the corpus and sort each fact into the graph or out of it (and why).

    ``progress``, if given, is called as ``progress(done, total)`` as articles are done;
    ``workers`` and ``cache`` say where articles are extracted and where their extractions are
    kept, and ``meanwhile`` what this process does while another extracts (see
    :func:`kg.extract.parallel.extract_corpus`).
    """
    rejections = parse_rejections(corpus)
    curated_edges = {f.edge for f in corpus.facts}
    curated_quotes: dict[tuple[str, tuple[str, str, str]], list[str]] = {}
    for f in corpus.facts:
        curated_quotes.setdefault((f.article, f.edge), []).append(normalize_space(f.quote))
    world = load_world(corpus.catalogue)
    articles = [article for _, article in sorted(corpus.articles.items())]
    extractions = extract_corpus(articles, corpus.catalogue, world, workers=workers, cache=cache, progress=progress,
                                 meanwhile=meanwhile)
    result = BuildExtraction(threshold=threshold)
    for extraction in extractions:
        result.extractions.append(extraction)
        for fact in extraction.facts:
            if fact.relation not in EXTRACTED_RELATIONS:
                continue
            if is_proposed(fact.subject) or is_proposed(fact.object):
                result.proposed.append(fact)
            elif check_signature(fact.subject, fact.relation, fact.object):
                result.unfit.append(fact)   # e.g. a State as the place of operatesIn: the graph wants a Region
            elif any(r.matches(fact) for r in rejections):
                result.rejected.append(fact)
            elif _same_sentence(fact, curated_quotes.get((fact.article, fact.edge), ())):
                result.curated.append(fact)
            elif fact.confidence < threshold:
                result.below_threshold.append(fact)
            else:
                result.facts.append(fact)
                if fact.edge in curated_edges:
                    result.curated_evidence.append(fact)
                for actor in (fact.subject, fact.object):
                    if world.is_world(actor):
                        result.world_actors[actor.id] = actor
    return result


def with_world_actors(corpus: Corpus, result: BuildExtraction) -> Corpus:
    """The corpus whose catalogue also holds the world-gazetteer actors that facts in the graph name.

    The gazetteer knows every state, organization and major armed group; an actor from it
    enters the graph only when a fact that enters the graph names it.
    """
    if not result.world_actors:
        return corpus
    actors = dict(corpus.catalogue.actors)
    for actor in sorted(result.world_actors.values(), key=lambda a: a.label):
        actors.setdefault(actor.label, actor)
    catalogue = Catalogue(actors, corpus.catalogue.sources, corpus.catalogue.path)
    return replace(corpus, catalogue=catalogue)


def _same_sentence(fact: Fact, curated_quotes) -> bool:
    """Whether a curated fact of the same article and edge quotes this fact's sentence (or part of it)."""
    quote = normalize_space(fact.quote)
    return any(q == quote or q in quote or quote in q for q in curated_quotes if q and quote)


def review_tsv(result: BuildExtraction) -> str:
    """Every extracted fact with what became of it, for curators (``build/extracted.tsv``).

    ``in-graph``: a statement of its own (method extracted); ``curated-evidence``: one
    more piece of evidence of a curated statement; ``curated-already``: a curated fact
    quotes the same sentence, nothing new; ``below-threshold``, ``rejected`` (by a
    curator) and ``new-actor`` (about a proposed actor): left out.
    """
    cols = ("status", "article", "subject", "relation", "object", "confidence", "pattern", "quote")
    lines = ["\t".join(cols)]
    evidence = {id(f) for f in result.curated_evidence}
    in_graph = [f for f in result.facts if id(f) not in evidence]
    for status, facts in (("in-graph", in_graph), ("curated-evidence", result.curated_evidence),
                          ("curated-already", result.curated),
                          ("below-threshold", result.below_threshold), ("rejected", result.rejected),
                          ("not-in-ontology", result.unfit),
                          ("new-actor", result.proposed)):
        for f in facts:
            lines.append("\t".join(" ".join(str(x).split()) for x in (
                status, f.article, f.subject.label, f.relation, f.object.label, f"{f.confidence:.2f}",
                (f.note or "")[9:], f.quote)))
    return "\n".join(lines) + "\n"


def proposals_tsv(result: BuildExtraction) -> str:
    """The proposed new actors of every article, with the facts that involve them (``build/proposals.tsv``)."""
    cols = ("article", "label", "mention", "class", "confidence", "similar", "facts")
    lines = ["\t".join(cols)]
    for ex in result.extractions:
        for a in ex.new_actors:
            facts = [f"{f.subject.label} {f.relation} {f.object.label}" for f in ex.facts
                     if a.label in (f.subject.label, f.object.label) and (is_proposed(f.subject)
                                                                          or is_proposed(f.object))]
            lines.append("\t".join(" ".join(str(x).split()) for x in (
                ex.article, a.label, "; ".join(a.mentions), a.cls, f"{a.confidence:.2f}",
                "; ".join(a.similar), "; ".join(facts))))
    return "\n".join(lines) + "\n"
