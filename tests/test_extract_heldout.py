"""Held-out articles the patterns were not written from: Libya, Nagorno-Karabakh, northeast Syria.

Each states what must be extracted, what must not (denials, threats, hypotheticals),
and which new actors must be proposed, with their class.
"""

from __future__ import annotations

import pytest

from kg.inputs.articles import read_article

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "extract"

CASES = {
    "libya": {
        "found": {("Turkey", "backs", "Government of National Accord"),
                  ("Turkey", "attacked", "Libyan National Army"),
                  ("Government of National Accord", "controls", "Tripoli"),
                  ("Khalifa Haftar", "leaderOf", "Libyan National Army"),
                  ("Wagner Group", "alliedWith", "Libyan National Army")},
        # the Kremlin denies any relationship; Egypt only threatened; Turkey only could deploy
        "not": {("Russia", "backs", "Wagner Group"), ("Egypt", "attacked", "Libya"),
                ("Egypt", "attacked", "Government of National Accord"), ("Turkey", "operatesIn", "Libya"),
                ("Egypt", "operatesIn", "Libya")},
        "actors": {("Sirte", "Region")},
    },
    "karabakh": {
        "found": {("Turkey", "backs", "Azerbaijan"), ("Russia", "alliedWith", "Armenia"),
                  ("Armenia", "opposes", "Azerbaijan"), ("Russia", "cooperatesWith", "France"),
                  ("Turkey", "backs", "Syrian mercenaries"), ("Syrian mercenaries", "alliedWith", "Azerbaijan"),
                  ("Ilham Aliyev", "leaderOf", "Azerbaijan")},
        "not": {("Russia", "attacked", "Azerbaijan"), ("Azerbaijan", "attacked", "Armenia"),
                ("Armenia", "alliedWith", "Azerbaijan")},
        "actors": set(),
    },
    "northeast_syria": {
        "found": {("United States", "backs", "Syrian Democratic Forces"),
                  ("Syrian Democratic Forces", "controls", "northeast Syria"),
                  ("Turkey", "backs", "Syrian opposition"),  # "rebels": the article names Syria
                  ("Recep Tayyip Erdoğan", "leaderOf", "Turkey")},
        # "could order", "warned against it", "If Ankara attacks, Damascus might strike back"
        "not": {("Turkey", "attacked", "YPG"), ("Syria", "attacked", "Turkey"), ("Turkey", "attacked", "Syria"),
                ("United States", "opposes", "Turkey")},
        "actors": set(),
    },
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_held_out_article(extractor, name):
    article = read_article(FIXTURES / f"{name}.txt")
    extraction = extractor.extract(article)
    facts = {(f.subject.label, f.relation, f.object.label) for f in extraction.facts}
    case = CASES[name]
    assert case["found"] <= facts, case["found"] - facts
    assert not (case["not"] & facts)
    proposed = {(a.label, a.cls) for a in extraction.new_actors}
    assert case["actors"] <= proposed, case["actors"] - proposed
    for fact in extraction.facts:
        assert article.contains(fact.quote)
        assert fact.method == "extracted" and 0 < fact.confidence < 1


def test_a_new_actor_is_never_merged_with_a_look_alike(extractor, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The Libyan National Salvation Army attacked Kurdish positions. The Libyan National Army "
                    "held Sirte.", encoding="utf-8")
    extraction = extractor.extract(read_article(path))
    new = next(a for a in extraction.new_actors if a.label == "Libyan National Salvation Army")
    assert new.cls == "ArmedGroup"
    assert "Libyan National Army" in new.similar  # shown to the curator, not merged
    assert "Libyan National Army" not in {a.label for a in extraction.new_actors}


def test_aliases_of_catalogue_actors_are_not_proposed(extractor, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The National Liberation Front and Hay’et Tahrir al-Sham clashed near Saraqeb.",
                    encoding="utf-8")
    assert extractor.extract(read_article(path)).new_actors == []
