"""Long articles: a line without breaks is read in pieces to its end, and ``extract`` reports its progress.

The articles are generated here, deterministically (seeded), from a few dozen
template sentences about conflicts with state, group, leader and place names, in
paragraphs of three to six sentences, as a long report or a transcript would be.
That extraction time grows linearly with the length (25 KB to 2 MB, with and
without line breaks) is measured by ``benchmarks/bench_extraction.py`` and reported
in ``benchmarks/REPORT-extraction.md``: timings belong in benchmarks, not in tests.
"""

from __future__ import annotations

import random
from pathlib import Path

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


def test_an_article_without_line_breaks_is_read_to_its_end_in_pieces(extractor):
    """One long line is parsed in pieces cut at sentence ends, never as one paragraph: every quote is
    a sentence of the text, and the facts come from all along it. (That the time stays linear is
    measured by benchmarks/bench_extraction.py, not timed here.)"""
    text = make_text(60_000, seed=6).replace("\n", " ")
    article = Article("flat", Path("flat.txt"), text, "0" * 64)
    facts = extractor.extract(article).facts
    assert facts and all(f.quote in text for f in facts)
    assert max(text.index(f.quote) for f in facts) > 50_000, "the end of the line is read too"


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
