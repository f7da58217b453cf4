"""Facts and actors found in the text of an article, read from spaCy's parse (plain data, no rdflib).

::

    from kg.extract import Extractor
    extraction = Extractor(catalogue).extract(article)
    extraction.facts        # kg.facts.Fact objects with method="extracted", a confidence, the sentence
    extraction.new_actors   # proposals for actors neither the catalogue nor the gazetteer knows

The pipeline, per article (one module each):

1. :mod:`.model` — the spaCy pipeline (``en_core_web_sm``: tagger, parser, NER);
2. :mod:`.world` — the world gazetteer under the project's catalogue;
3. :mod:`.entities` — catalogue and gazetteer names set as entities before the NER
   runs; the NER's other entities become proposed actors; lower-case agreements;
4. :mod:`.references` — pronouns and definite descriptions resolved within the article;
5. :mod:`.relations` — relations read from the dependency parse, driven by the
   lexicon (:mod:`.lexicon`, ``data/lexicon.yaml``); who the arguments are
   (:mod:`.arguments`), whether the sentence states the relation as a fact
   (:mod:`.modality`), and offices from titles (:mod:`.offices`).

Every fact's quote is the sentence it was read in, verbatim. Knowing a name never
makes a fact: a fact needs a sentence that states it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..inputs.articles import Article, normalize_space, read_article
from ..inputs.catalogue import Catalogue
from ..inputs.corpus import article_paths
from ..inputs.facts import Fact
from ..vocabulary import EXTRACTED, SYMMETRIC
from .arguments import valid
from .entities import AGREEMENT_NOUNS, Entities, Hit, Ref, doc_text
from .entities import Article as ArticleState
from .formats import actors_tsv, as_json, facts_tsv, facts_turtle
from .lexicon import load_lexicon
from .mentions import Mention, fold_chars
from .model import load_model
from .newactors import NewActor, is_proposed
from .references import References
from .relations import Reader
from .world import World, load_world

#: extracted facts below this confidence stay out of the build (``kg extract`` shows them all)
BUILD_THRESHOLD = 0.6

#: the relations the extractor looks for (locatedIn is left to curators)
EXTRACTED_RELATIONS = EXTRACTED

#: processes that count as agreements when named: "the Geneva talks", "peace talks", "the Berlin conference"
PROCESS_NOUNS = frozenset({"talks", "negotiations", "process", "conference", "summit", "dialogue"})

#: words that make a part of a place a place of its own: "western Syria", "north-east Syria"
DIRECTIONS = frozenset("""
north south east west northern southern eastern western north-east north-west south-east south-west
northeast northwest southeast southwest north-eastern north-western south-eastern south-western
northeastern northwestern southeastern southwestern central upper lower
""".split())

#: common nouns for armed groups: with a people's name ("Syrian rebels") they name one
GROUP_NOUNS = frozenset("""
rebel insurgent militant jihadist separatist militia mercenary fighter gunman guerrilla extremist
islamist loyalist paramilitary
""".split())

#: words that make a common group noun a group of the article's own country: "local militias"
LOCAL_WORDS = frozenset("local tribal village community pro-government government-backed self-defence "
                        "self-defense vigilante".split())

#: armed-group nouns that, bare ("the rebels"), name the article's own rebels
BARE_GROUPS = frozenset("rebel insurgent militant jihadist separatist guerrilla".split())

#: relations in which a head of state or government stands for the state ("Mr Erdogan sent troops")
STATE_LEVEL = frozenset({"backs", "attacked", "operatesIn", "partyTo", "cooperatesWith", "opposes",
                         "alliedWith", "controls"})
_CHUNK = 20_000   # characters at most per parsed piece: a line without breaks is cut at sentence ends


@dataclass
class Extraction:
    """What the extractor found in one article."""

    article: str
    facts: list[Fact] = field(default_factory=list)
    new_actors: list[NewActor] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    #: sentences the reader could not read (character offset, error): a bug to report, not a lost article
    skipped: list[tuple[int, str]] = field(default_factory=list)
    #: read from the build's cache rather than extracted this time (see :mod:`.cache`)
    from_cache: bool = field(default=False, compare=False)


class Extractor:
    """An extractor for one catalogue: the gazetteer and the model are loaded once and reused.

    ``model`` names an installed spaCy pipeline (default: ``en_core_web_sm``).
    """

    def __init__(self, catalogue: Catalogue, *, propose: bool = True, model: str | None = None,
                 world: World | None = None):
        self.catalogue = catalogue
        self.world = world if world is not None else load_world(catalogue)
        self.entities = Entities(self.world)
        self.nlp = load_model(model)
        self.lexicon = load_lexicon()
        self.reader = Reader(self.lexicon, self.world)
        self.propose = propose

    # ------------------------------------------------------------------ parsing

    def _docs(self, text: str, mentions: list[Mention], progress=None):
        """(doc, offset) for every paragraph, the gazetteer's names set as entities before the NER."""
        from spacy.util import filter_spans

        paragraphs = []
        pos = 0
        for line in text.split("\n"):
            if line.strip():
                paragraphs.extend(_pieces(line, pos))
            pos += len(line) + 1
        ner = self.nlp.get_pipe("ner")
        others = [name for name in self.nlp.pipe_names if name != "ner"]
        by_start = sorted(mentions, key=lambda m: m.start)

        def with_names(docs_offsets):
            j = 0
            for doc, offset in docs_offsets:
                end = offset + len(doc_text(doc))
                while j < len(by_start) and by_start[j].start < offset:
                    j += 1
                spans = []
                k = j
                while k < len(by_start) and by_start[k].start < end:
                    m = by_start[k]
                    if m.kind == "adjective":   # "Syrian" may begin a longer name the NER knows
                        k += 1
                        continue
                    span = doc.char_span(m.start - offset, m.end - offset, label="KG", kb_id=str(k),
                                         alignment_mode="expand")
                    if span is not None:
                        spans.append(span)
                    k += 1
                doc.ents = filter_spans(spans)
                doc.user_data["kg_offset"] = offset
                yield doc

        done = 0
        total = len(text)
        for start in range(0, len(paragraphs), 64):
            batch = paragraphs[start:start + 64]
            parsed = self.nlp.pipe((p for _, p in batch), disable=["ner"]) if others else \
                (self.nlp.make_doc(p) for _, p in batch)
            pairs = zip(parsed, (o for o, _ in batch), strict=True)
            for doc in ner.pipe(with_names(pairs)):
                yield doc, doc.user_data["kg_offset"]
                done = doc.user_data["kg_offset"] + len(doc_text(doc))
                if progress is not None:
                    progress(done, total)

    # ------------------------------------------------------------------ reading

    def extract(self, article: Article, progress=None) -> Extraction:
        """The facts and proposed actors of one article (``progress(chars_done, chars_total)``)."""
        text = article.text
        mentions = self.entities.find(text, fold_chars(text))
        by_start = sorted(mentions, key=lambda m: m.start)
        starts = [m.start for m in by_start]
        state = ArticleState(self.entities, text)
        refs_of = References(state)
        refs_of.relational = lambda noun: noun.lemma_.lower() in self.lexicon.nouns
        self.reader.year = article.date.year if article.date else None
        facts: dict[tuple, Fact] = {}
        skipped: list[tuple[int, str]] = []
        for doc, offset in self._docs(text, by_start, progress):
            refs = self._refs(doc, offset, by_start, starts, state)
            for sent in doc.sents:
                self.reader.focus = state.focus_state()
                try:
                    refs_of.resolve(sent, refs)
                    hits = self.reader.read(sent, refs)
                except Exception as exc:  # noqa: BLE001 - one unreadable sentence must not lose the article
                    skipped.append((offset + sent.start_char, f"{type(exc).__name__}: {exc}"))
                    continue
                for hit in hits:
                    if hit.relation == "leaderOf":
                        refs_of.leads.setdefault(hit.subject.actor.id, hit.object.actor.id)
                for hit in self._agents(hits, refs_of):
                    fact = self._fact(hit, sent, article)
                    if fact is None:
                        continue
                    key = (fact.edge, fact.quote)
                    if key not in facts or facts[key].confidence < fact.confidence:
                        facts[key] = fact
        if progress is not None:
            progress(len(text), len(text))
        proposals = sorted(state.proposed.values(), key=lambda a: a.label) if self.propose else []
        used = {f.subject.id for f in facts.values()} | {f.object.id for f in facts.values()}
        proposals = [p for p in proposals if p.cls != "Agreement" or p.actor.id in used]
        # a person who leads a body is not also just a member of it
        leads = {(f.subject.id, f.object.id) for f in facts.values() if f.relation == "leaderOf"}
        kept = [f for f in facts.values() if not (f.relation == "memberOf" and (f.subject.id, f.object.id) in leads)]
        return Extraction(article.id, sorted(kept, key=_order), proposals, by_start, skipped)

    def _refs(self, doc, offset: int, mentions: list[Mention], starts: list[int],
              state: ArticleState) -> dict[int, Ref]:
        """Who each token of a paragraph refers to, as far as names tell."""
        refs: dict[int, Ref] = {}
        for ent in doc.ents:
            ref: Ref | None
            if ent.label_ == "KG":
                m = mentions[int(ent.kb_id_)]
                ref = Ref(m.actor, m.text, m.start, m.end, m.kind)
                if m.kind == "capital":
                    ref.state = self.world.capital_state(m.actor)
                    if ref.state is not None and _acting(ent.root):
                        ref = ref.as_state()
            else:
                parts = _split_places(ent)
                if len(parts) > 1:   # "Mayotte and Réunion": the NER made one place of two
                    for part in parts:
                        sub = state.ner_ref(part, offset)
                        if sub is not None:
                            state.note(sub.actor)
                            for t in part:
                                refs[t.i] = sub
                    continue
                ref = state.ner_ref(ent, offset)
            if ref is None:
                continue
            state.note(ref.actor)
            for t in ent:
                refs[t.i] = ref
        lo = bisect.bisect_left(starts, offset)
        hi = bisect.bisect_left(starts, offset + len(doc_text(doc)))
        for m in mentions[lo:hi]:
            if m.kind != "adjective":
                continue
            span = doc.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
            if span is None or any(t.i in refs or _in_longer_name(t) for t in span):
                continue
            ref = Ref(m.actor, m.text, m.start, m.end, "adjective")
            state.note(ref.actor)
            for t in span:
                refs[t.i] = ref
        focus = state.focus_state()
        for t in doc:
            if t.i not in refs and t.lower_ in {"government", "regime", "junta"} and focus is not None \
                    and t.dep_ in {"compound", "amod", "nmod"} and t.head.pos_ == "NOUN":
                # "government forces", "a government offensive": the article's state
                refs[t.i] = Ref(focus, t.text, t.idx + offset, t.idx + len(t.text) + offset, "coref", 0.8)
            if t.i not in refs and t.lower_ in DIRECTIONS and t.pos_ in {"NOUN", "PROPN"}:
                owner = next((refs[c.i] for c in t.children if c.dep_ == "poss" and c.i in refs
                              and refs[c.i].actor.cls in {"State", "Region"}), None)
                direction = t.text
                if t.i >= 2 and doc[t.i - 1].text == "-" and doc[t.i - 2].lower_ in DIRECTIONS:
                    direction = doc[t.i - 2].text + "-" + t.text    # "north-east"
                    owner = owner or next((refs[c.i] for c in doc[t.i - 2].children if c.dep_ == "poss"
                                           and c.i in refs and refs[c.i].actor.cls in {"State", "Region"}), None)
                if owner is not None:   # "Syria's north-east": a region of its own
                    words = f"{direction} {owner.actor.label}"
                    region = state.propose(words, "Region", 0.65, t.text, "direction of a place")
                    refs[t.i] = Ref(region, words, t.idx + offset, t.idx + len(t.text) + offset, "new", 0.75)
            if t.i not in refs and t.text in state.acronyms:   # "(NDF)" named the group; "NDF" is it
                actor = state.acronyms[t.text]
                refs[t.i] = Ref(actor, t.text, t.idx + offset, t.idx + len(t.text) + offset, "name", 0.8)
        for t in doc:
            ref = refs.get(t.i)
            if ref is not None and ref.actor.cls in {"Region", "State"} and ref.kind != "adjective" \
                    and t.i > 0 and refs.get(t.i - 1) is not ref and doc[t.i - 1].lower_ in DIRECTIONS:
                # "western Syria", "the Eastern Mediterranean": a region of its own
                first = doc[t.i - 1]
                if first.i > 0 and doc[first.i - 1].lower_ in DIRECTIONS | {"-"}:
                    first = doc[first.i - 1] if doc[first.i - 1].lower_ != "-" else doc[first.i - 2]
                end = ref.end
                start = first.idx + offset
                words = text_of(doc, start - offset, end - offset)
                region = state.propose(words, "Region", 0.7, words, "direction and place")
                sub = Ref(region, words, start, end, "new", 0.8)
                for k in range(first.i, t.i + 1):
                    refs[k] = sub
                for k in range(t.i + 1, len(doc)):
                    if refs.get(k) is ref:
                        refs[k] = sub
                    else:
                        break
        for t in doc:
            if t.i not in refs and t.pos_ == "NOUN" and t.lemma_.lower() in GROUP_NOUNS:
                ref = self._generic_group(t, refs, state)
                if ref is not None:
                    refs[t.i] = ref
            process = t.lower_ in PROCESS_NOUNS and _named_process(t, refs)
            if t.i not in refs and t.pos_ in {"NOUN", "PROPN"} and (process or (
                    t.lemma_.lower() in AGREEMENT_NOUNS
                    and (t.tag_ not in {"NNS", "NNPS"} or _has_parties(t, refs))
                    and not (t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "of"))):
                ref = state.agreement(t, offset)
                if ref is not None:
                    refs[t.i] = ref
                    for c in t.lefts:
                        if c.dep_ in {"compound", "amod"} and c.i not in refs:
                            refs[c.i] = ref
        return refs

    def _generic_group(self, t, refs: dict[int, Ref], state: ArticleState) -> Ref | None:
        """"Syrian rebels", "Tuareg separatists": an armed group named by a people and a common noun.

        The same noun later on its own ("the rebels") is the same group, in this article only.
        """
        lemma = t.lemma_.lower()
        mods = [c for c in t.lefts if c.dep_ in {"amod", "compound", "nmod"}
                and (c.ent_type_ == "NORP" or (refs.get(c.i) is not None and refs[c.i].kind == "adjective"))]
        if mods and not (mods[-1].i + 1 < len(t.doc) and t.doc[mods[-1].i + 1].text in {"-", "–"}):
            words = t.doc[mods[0].i:t.i + 1]
            if t.tag_ != "NNS":
                return None
            actor = state.propose(words.text, "ArmedGroup", 0.6, words.text, "people and armed-group noun")
            state.generic[lemma] = actor
            return Ref(actor, words.text, words.start_char + t.doc.user_data["kg_offset"],
                       words.end_char + t.doc.user_data["kg_offset"], "new", 0.6)
        offset = t.doc.user_data["kg_offset"]
        plain = [c for c in t.lefts if c.dep_ == "amod" and c.pos_ == "ADJ" and c.i not in refs
                 and c.lower_ in LOCAL_WORDS]
        focus = state.focus_state()
        if plain and t.tag_ == "NNS" and focus is not None and not mods:
            # "local militias", "tribal fighters": the article's state's, named after it
            people = next((a for a in focus.adjectives if a[:1].isupper()), None)
            if people is not None:
                words = t.doc[plain[0].i:t.i + 1]
                actor = state.propose(f"{people} {words.text}", "ArmedGroup", 0.55, words.text,
                                      "the article's armed-group noun")
                return Ref(actor, words.text, words.start_char + offset, words.end_char + offset, "new", 0.55)
        known = state.generic.get(lemma)
        if known is not None and not any(c.dep_ in {"amod", "compound"} for c in t.lefts):
            return Ref(known, t.text, t.idx + offset, t.idx + len(t.text) + offset, "coref", 0.6)
        marked = [c for c in t.lefts if c.dep_ in {"amod", "compound"} and c.i >= 2
                  and t.doc[c.i - 1].text in {"-", "–"} and c.lemma_.lower() in {"back", "support", "sponsor", "arm",
                                                                                  "fund", "train", "led", "lead"}]
        if known is None and t.tag_ == "NNS" and lemma in BARE_GROUPS and marked:
            # "Russian-backed separatists": a group the article names by its backer
            words = t.doc[marked[0].i - 2:t.i + 1]
            actor = state.propose(words.text, "ArmedGroup", 0.55, words.text, "armed-group noun and its backer")
            state.generic[lemma] = actor
            return Ref(actor, words.text, words.start_char + offset, words.end_char + offset, "new", 0.55)
        if known is None and t.tag_ == "NNS" and lemma in BARE_GROUPS and not any(
                c.dep_ in {"amod", "compound", "poss", "nummod"} or (c.dep_ == "det" and c.lower_ != "the")
                for c in t.lefts) and not any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children):
            # bare "rebels", "the insurgents": the article's own rebels, named after its state
            focus = state.focus_state()
            people = next((a for a in (focus.adjectives if focus else ()) if a[:1].isupper()), None)
            if people is None:
                return None
            label = f"{people} {t.text.lower()}"
            actor = state.propose(label, "ArmedGroup", 0.5, t.text, "the article's armed-group noun")
            state.generic[lemma] = actor
            return Ref(actor, t.text, t.idx + offset, t.idx + len(t.text) + offset, "new", 0.5)
        return None

    def _agents(self, hits: list[Hit], refs_of: References) -> list[Hit]:
        """A person stands for the state or group they lead, where the relation is between those
        (but "Nasrallah, a bitter foe of the SDF" is the person's enmity).

        "Mr Erdogan sent troops to Libya" is Turkey operatesIn Libya; "Iran backs Mr Assad"
        is Iran backs Syria; "Putin's foreign minister" is a minister of Russia. Two persons
        stay persons ("Maduro and Guaidó negotiate").
        """
        out = []
        for hit in hits:
            s, o = hit.subject, hit.object
            person_level = hit.rule.startswith("noun") and hit.relation in SYMMETRIC and "State" not in (
                s.actor.cls, o.actor.cls)   # "Nasrallah, a foe of the SDF"; but "Maduro's ally, Cuba"
            if hit.relation in STATE_LEVEL and not person_level:
                if s.actor.cls == "Leader" and o.actor.cls != "Leader":
                    s = self._organ_of(s, refs_of) or s
                if o.actor.cls == "Leader" and s.actor.cls != "Leader":
                    o = self._organ_of(o, refs_of) or o
            elif hit.relation in {"leaderOf", "memberOf"} and o.actor.cls == "Leader":
                o = self._organ_of(o, refs_of) or o
            out.append(Hit(s, hit.relation, o, hit.confidence, hit.rule))
        return out

    def _organ_of(self, leader: Ref, refs_of: References) -> Ref | None:
        """The state (or else the armed group) a person leads: as the article says, else as the gazetteer knows."""
        organ_id = refs_of.leads.get(leader.actor.id)
        if organ_id is None:
            offices = [(o, a) for o in self.reader.offices(leader.actor.id)
                       if (a := self.world.actor(o.of)) is not None and a.cls in {"State", "ArmedGroup"}]
            offices.sort(key=lambda oa: (oa[1].cls != "State", -(oa[0].start or 0)))
            if offices:
                organ_id = offices[0][0].of
        actor = self.world.actor(organ_id) if organ_id else None
        if actor is None or actor.cls not in {"State", "ArmedGroup"}:
            return None
        return Ref(actor, leader.text, leader.start, leader.end, "agent", 0.9)

    def _fact(self, hit: Hit, sent, article: Article) -> Fact | None:
        subject, obj = hit.subject.actor, hit.object.actor
        relation = hit.relation
        if relation == "backs" and subject.cls == "ArmedGroup" and obj.cls == "ArmedGroup":
            relation = "alliedWith"   # the guideline: one armed group backing another is an alliance
        if relation not in EXTRACTED_RELATIONS or not valid(subject, relation, obj):
            return None
        confidence = hit.confidence * min(hit.subject.confidence, 1.0) * min(hit.object.confidence, 1.0)
        if hit.subject.kind == "new" or hit.object.kind == "new":
            confidence *= 0.9
        return Fact(subject=subject, relation=relation, object=obj, quote=normalize_space(sent.text),
                    article=article.id, date=article.date, method="extracted",
                    confidence=round(min(confidence, 0.99), 3),
                    subject_mention=hit.subject.text, object_mention=hit.object.text,
                    note=f"pattern: {hit.rule}")


def _pieces(line: str, pos: int, size: int = _CHUNK) -> list[tuple[int, str]]:
    """A line cut at sentence ends into pieces of at most about ``size`` characters, with their offsets
    (an article with no line breaks is still parsed in pieces, in time linear in its length).

    >>> _pieces("Aa b. Cc d. Ee f.", 10, size=8)
    [(10, 'Aa b. '), (16, 'Cc d. '), (22, 'Ee f.')]
    """
    out = []
    start = 0
    while len(line) - start > size:
        cut = line.rfind(". ", start, start + size)
        cut = cut + 2 if cut > start else start + size
        out.append((pos + start, line[start:cut]))
        start = cut
    if line[start:].strip():
        out.append((pos + start, line[start:]))
    return out


def text_of(doc, start: int, end: int) -> str:
    """The words of a paragraph between two character offsets, one space between them."""
    return " ".join(doc_text(doc)[start:end].split())


def _named_process(noun, refs) -> bool:
    """ "the Geneva talks", "peace talks", "the Astana process", "a peace conference": a process with
    parties (an Agreement, as analysts count it); plain "talks" are not one."""
    return any(c.dep_ in {"compound", "amod", "nmod"} and (c.lower_ in {"peace", "ceasefire", "truce"}
               or (c.pos_ == "PROPN" and (refs.get(c.i) is None or refs[c.i].actor.cls == "Region")))
               for c in noun.lefts)


def _has_parties(noun, refs) -> bool:
    """A plural agreement noun is one actor only when its parties are named: "contracts with Puntland"."""
    return any((c.dep_ == "prep" and c.lower_ in {"with", "between"}) or
               (c.dep_ in {"poss", "compound"} and c.i in refs) for c in noun.children)


def _split_places(ent) -> list:
    """An NER place span that joins two names ("Mayotte and Réunion") as its two parts."""
    if ent.label_ not in {"GPE", "LOC", "FAC", "ORG"}:
        return [ent]
    cuts = [t.i for t in ent if t.lower_ == "and" and t.i > ent.start and t.i + 1 < ent.end
            and ent.doc[t.i + 1].text[:1].isupper() and ent.doc[t.i - 1].text[:1].isupper()]
    if len(cuts) != 1:
        return [ent]
    from spacy.tokens import Span

    doc = ent.doc
    return [Span(doc, ent.start, cuts[0], label=ent.label_), Span(doc, cuts[0] + 1, ent.end, label=ent.label_)]


def _in_longer_name(token) -> bool:
    """True when the NER put the token inside a longer name ("Syrian National Salvation Army")."""
    if token.ent_type_ in {"", "NORP", "KG"}:
        return False
    doc = token.doc
    return token.ent_iob_ == "I" or (token.i + 1 < len(doc) and doc[token.i + 1].ent_iob_ == "I")


def _acting(token) -> bool:
    """True where a capital stands for its government: the subject of a verb or a possessor."""
    return token.dep_ in {"nsubj", "poss"} or (
        token.dep_ == "pobj" and token.head.dep_ == "agent")


def extract_article(article: Article, catalogue: Catalogue) -> Extraction:
    """The facts and new-actor proposals the extractor finds in one article."""
    return Extractor(catalogue).extract(article)


def _order(fact: Fact):
    return (fact.quote, fact.subject.label, fact.relation, fact.object.label)


# ---------------------------------------------------------------- files and formats

def extract_files(paths, catalogue: Catalogue, *, min_confidence: float = 0.0, model: str | None = None,
                  progress=None) -> list[Extraction]:
    """Read article files (anywhere; a folder stands for its ``*.txt`` articles) and extract each;
    unreadable files raise :class:`kg.errors.InputError`.

    ``progress(done, total)`` is called with characters read so far, over all the files.
    """
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = article_paths(path)
            if not found:
                raise InputError(f"{path}: a folder with no articles (*.txt) in it")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path}: no such article file or folder")
    paths = files
    extractor = Extractor(catalogue, model=model)
    articles = [read_article(path) for path in paths]
    total = sum(len(a.text) for a in articles)
    out = []
    before = 0
    for article in articles:
        tick = (lambda done, _, base=before: progress(base + done, total)) if progress else None
        extraction = extractor.extract(article, tick)
        before += len(article.text)
        extraction.facts = [f for f in extraction.facts if f.confidence >= min_confidence]
        out.append(extraction)
    return out


__all__ = ["BUILD_THRESHOLD", "EXTRACTED_RELATIONS", "Extraction", "Extractor", "NewActor", "actors_tsv",
           "as_json", "extract_article", "extract_files", "facts_tsv", "facts_turtle", "is_proposed"]
