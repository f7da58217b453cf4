"""Extraction time grows linearly with the article's length, and ``extract`` reports its progress.

The articles are generated here, deterministically (seeded), from a few dozen
template sentences about conflicts with state, group, leader and place names, in
paragraphs of three to six sentences, as a long report or a transcript would be.

The big case is a 1 MB article rather than 2 MB: on the 2-core machine the parse
alone runs at about 25,000 characters per second per process, so 2 MB would take
some 80 s by itself; 1 MB (ten times the small article) keeps the test near 45 s
and still shows any quadratic step plainly (it would make the per-character time
ten times larger, against the 3x allowed).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from kg.inputs.articles import Article

STATES = ["Turkey", "Russia", "Iran", "Syria", "the United States", "France", "Egypt", "Qatar",
          "the United Arab Emirates", "Saudi Arabia", "Ethiopia", "Eritrea", "Sudan", "Israel"]
ADJECTIVES = ["Turkish", "Russian", "Iranian", "Syrian", "American", "French", "Egyptian", "Qatari",
              "Emirati", "Saudi", "Ethiopian", "Eritrean", "Sudanese", "Israeli"]
GROUPS = ["the Syrian National Army", "Hezbollah", "the Houthis", "Hayat Tahrir al-Sham",
          "the Wagner Group", "al-Shabaab", "the Taliban", "the Islamic State", "the Syrian Democratic Forces",
          "the Libyan National Army", "Failaq al-Sham", "the Tigray People's Liberation Front"]
LEADERS = ["Recep Tayyip Erdogan", "Vladimir Putin", "Bashar al-Assad", "Khalifa Haftar", "Abiy Ahmed",
           "Ali Khamenei", "Emmanuel Macron", "Isaias Afwerki"]
PLACES = ["Idlib", "Aleppo", "Tripoli", "Mogadishu", "Kabul", "Marib", "Tigray", "Afrin", "Raqqa",
          "Benghazi", "Sirte", "Deir ez-Zor", "Hodeidah", "Mekelle"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

TEMPLATES = [
    "{State} backs {group}.",
    "{State} struck {group} positions near {place} on {day}.",
    "{Adj} warplanes bombed {group} near {place}, killing several fighters.",
    "{Group}, backed by {state}, fought {group2} in {place}.",
    "{State} has declared its support for {group}, which is fighting {group2}.",
    "{State} and {state2} signed a ceasefire agreement in {place} on {day}.",
    "{State} denies any relationship with {group}.",
    "{State} threatened to attack {group} if it did not withdraw from {place}.",
    "{Adj}-backed {group} shelled {adj2} positions around {place}.",
    "{leader} said {state} would not allow an offensive on {place}.",
    "{leader} met {adj2} officials in {place} to discuss the crisis.",
    "{Group} controls much of {place}.",
    "Ties between {state} and {state2} have grown since the war began.",
    "{Adj} and {adj2} forces conducted joint patrols near {place}.",
    "{Group} launched a drone attack on {adj} forces in {place} on {day}.",
    "{State} sent troops to {place} to support {group}.",
    "{State} is a rival of {state2} in the region.",
    "Fighters of {group} clashed with {group2} outside {place}.",
    "{State} supplies weapons and money to {group}.",
    "{Group} is allied with {group2} against {state}.",
    "{State} accused {state2} of arming {group}.",
    "{leader}, the leader of {state}, visited {place} on {day}.",
    "{Group} seized {place} after weeks of fighting.",
    "{State} and {state2} cooperate on security along the border.",
    "{Adj} troops have been deployed in {place} since the spring.",
    "{State} opposes {group} and calls it a terrorist organisation.",
    "Talks between {state} and {group} collapsed on {day}.",
    "The offensive on {place} displaced thousands of civilians.",
    "Aid agencies said the fighting near {place} had cut off the main road.",
    "{State} condemned the attack by {group} on civilians in {place}.",
    "A spokesman for {group} said it would keep fighting.",
    "{State} mediated between {group} and {group2} in {place}.",
]


def _cap(s: str) -> str:
    return s[0].upper() + s[1:]


def make_text(chars: int, seed: int = 1) -> str:
    """About ``chars`` characters of conflict news, in paragraphs of 3-6 sentences (seeded)."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    size = 0
    while size < chars:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            i, j = rng.sample(range(len(STATES)), 2)
            g, g2 = rng.sample(GROUPS, 2)
            sentences.append(rng.choice(TEMPLATES).format(
                State=_cap(STATES[i]), state=STATES[i], state2=STATES[j], Adj=ADJECTIVES[i],
                adj=ADJECTIVES[i], adj2=ADJECTIVES[j], Group=_cap(g), group=g, group2=g2,
                leader=rng.choice(LEADERS), place=rng.choice(PLACES), day=rng.choice(DAYS)))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs) + "\n"


def make_article(chars: int, seed: int = 1) -> Article:
    text = make_text(chars, seed)
    return Article(f"scale{chars}", Path(f"scale{chars}.txt"), text, "0" * 64)


def _seconds(extractor, article: Article) -> float:
    t0 = time.perf_counter()
    extraction = extractor.extract(article)
    seconds = time.perf_counter() - t0
    assert extraction.facts, "the generated article states facts the extractor reads"
    return seconds


@pytest.mark.slow
def test_extraction_time_is_linear_in_the_article_length(extractor):
    small = make_article(100_000, seed=1)
    big = make_article(1_000_000, seed=2)
    assert 99_000 < len(small.text) < 101_000 and 990_000 < len(big.text) < 1_010_000
    extractor.extract(make_article(5_000, seed=3))   # warm up: the model's first call
    t_small = min(_seconds(extractor, small), _seconds(extractor, small))
    t_big = _seconds(extractor, big)
    per_small = t_small / len(small.text)
    per_big = t_big / len(big.text)
    assert per_big <= 3 * per_small, (
        f"extraction is not linear in the article's length: {t_small:.2f} s for {len(small.text):,} "
        f"characters, {t_big:.2f} s for {len(big.text):,} ({per_big / per_small:.1f}x the time per character)")


@pytest.mark.slow
def test_an_article_without_line_breaks_is_linear_too(extractor):
    # one long line: it is parsed in pieces cut at sentence ends, never as one paragraph
    small = make_article(25_000, seed=5)
    big = make_article(150_000, seed=6)
    small = Article("flat-small", small.path, small.text.replace("\n", " "), small.sha256)
    big = Article("flat-big", big.path, big.text.replace("\n", " "), big.sha256)
    t_small = min(_seconds(extractor, small), _seconds(extractor, small))
    t_big = _seconds(extractor, big)
    ratio = (t_big / len(big.text)) / (t_small / len(small.text))
    assert ratio <= 3, f"{ratio:.1f}x the time per character on a six times longer line"
    quotes = [f.quote for f in extractor.extract(big).facts]
    assert quotes and all(q in big.text for q in quotes)


def test_extract_reports_progress_up_to_the_article_length(extractor):
    article = make_article(20_000, seed=4)
    assert article.text.count("\n\n") > 10
    calls: list[tuple[int, int]] = []
    extractor.extract(article, progress=lambda done, total: calls.append((done, total)))
    assert len(calls) > 10
    assert {total for _, total in calls} == {len(article.text)}
    done = [d for d, _ in calls]
    assert done == sorted(done) and len(set(done)) == len(done), "done increases with every call"
    assert 0 < done[0] and done[-1] <= len(article.text)
    assert article.text[done[-1]:].strip() == "", "the last call comes after the last paragraph"


def test_extract_progress_ends_at_the_total(extractor):
    article = make_article(20_000, seed=4)
    calls: list[tuple[int, int]] = []
    extractor.extract(article, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (len(article.text), len(article.text))
