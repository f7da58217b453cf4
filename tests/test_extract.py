"""The extractor: sentences, mentions, relations, negation, and `kg extract`."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kg.articles import read_article
from kg.catalogue import load_catalogue
from kg.extract import TSV_COLUMNS, Extractor
from kg.extract.mentions import Gazetteer, fold_chars
from kg.extract.sentences import split_sentences

from .conftest import ROOT


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(ROOT / "ontology" / "actors.yaml", ROOT / "ontology" / "sources.yaml", root=ROOT)


@pytest.fixture(scope="module")
def extractor(catalogue):
    return Extractor(catalogue)


def kg(*args: str) -> tuple[int, str, str]:
    """Run kg as a user would (through main(), so errors become exit codes)."""
    import contextlib

    from kg.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code or 0
    return code, out.getvalue(), err.getvalue()


def facts_of(extractor, tmp_path, text: str) -> set[tuple[str, str, str]]:
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    return {(f.subject.label, f.relation, f.object.label) for f in extractor.extract(read_article(path)).facts}


# ---------------------------------------------------------------- sentences


def test_sentences_are_exact_substrings_of_the_article():
    text = "Mr. Putin met Mr. Erdogan in Moscow. The U.S. envoy, James F. Jeffrey, said so.\nA heading\n“Quote.” Next."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Mr. Putin met Mr. Erdogan in Moscow.", "The U.S. envoy, James F. Jeffrey, said so.", "A heading",
        "“Quote.”", "Next."]
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_every_seed_quote_is_in_its_article(extractor):
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        article = read_article(path)
        for fact in extractor.extract(article).facts:
            assert article.contains(fact.quote), (path.name, fact.quote)


# ---------------------------------------------------------------- mentions


def test_folding_keeps_offsets():
    text = "Erdoğan’s Türkiye"
    assert len(fold_chars(text)) == len(text)
    assert fold_chars(text) == "erdogan's turkiye"


def test_aliases_spellings_and_metonyms_resolve_to_one_actor(catalogue):
    found = Gazetteer(catalogue).find("Erdoğan and ERDOGAN met in Ankara; the Kremlin and Damascus objected, "
                                      "as did the regime and Mr. Putin.")
    assert [(m.text, m.actor.label) for m in found] == [
        ("Erdoğan", "Recep Tayyip Erdoğan"), ("ERDOGAN", "Recep Tayyip Erdoğan"), ("Ankara", "Turkey"),
        ("Kremlin", "Russia"), ("Damascus", "Syria"), ("the regime", "Syria"), ("Putin", "Vladimir Putin")]


def test_short_acronyms_match_only_in_capitals(catalogue):
    found = Gazetteer(catalogue).find("Let us see what the US and the UN do; un-named officials spoke.")
    assert [(m.text, m.actor.label) for m in found] == [("US", "United States"), ("UN", "United Nations")]


def test_demonyms_with_a_force_noun_stand_for_the_state(catalogue):
    found = Gazetteer(catalogue).find("A Russian air strike hit Turkish and Russian forces near the Turkish border.")
    assert [(m.text, m.kind, m.actor.label) for m in found] == [
        ("Russian air strike", "force", "Russia"), ("Turkish", "force", "Turkey"),
        ("Russian forces", "name", "Russia"), ("Turkish", "adjective", "Turkey")]


# ---------------------------------------------------------------- relations


def test_patron_proxy_patterns(extractor, tmp_path):
    facts = facts_of(extractor, tmp_path,
                     "Turkish-backed rebel fighters advanced. Hezbollah, backed by Tehran, held the line. "
                     "Moscow arms the regime.")
    assert ("Turkey", "backs", "Syrian opposition") in facts
    assert ("Iran", "backs", "Hezbollah") in facts
    assert ("Russia", "backs", "Syria") in facts


def test_leadership_from_titles(extractor, tmp_path):
    facts = facts_of(extractor, tmp_path, "Turkish President Recep Tayyip Erdogan spoke to Kremlin spokesman "
                                          "Dmitry Peskov.")
    assert ("Recep Tayyip Erdoğan", "leaderOf", "Turkey") in facts
    assert ("Dmitry Peskov", "memberOf", "Russia") in facts


def test_a_denial_is_not_backing(extractor, tmp_path):
    facts = facts_of(extractor, tmp_path, "Russian mercenaries — which the Kremlin denies any relationship to — "
                                          "are helping Khalifa Haftar.")
    assert ("Russian mercenaries in Libya", "backs", "Khalifa Haftar") in facts
    assert not any(s == "Russia" and r == "backs" for s, r, _ in facts)


def test_a_threat_is_not_an_attack(extractor, tmp_path):
    facts = facts_of(extractor, tmp_path, "Erdogan has threatened to attack Syria if its forces do not retreat.")
    assert not any(r == "attacked" for _, r, _ in facts)


def test_tsv_has_exactly_the_documented_columns(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Turkish-backed rebel fighters attacked Syrian troops near Saraqib.", encoding="utf-8")
    code, out, err = kg("--root", str(ROOT), "extract", str(article))
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert tuple(rows[0]) == TSV_COLUMNS
    assert all(len(r) == 7 for r in rows)
    assert ["Turkey", "Turkish", "backs", "Syrian opposition", "rebel fighters"] in [r[:5] for r in rows]
    assert all(r[6] in article.read_text() for r in rows[1:])


def test_extract_json_and_a_missing_file(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Moscow backs Damascus.", encoding="utf-8")
    code, out, _ = kg("--root", str(ROOT), "extract", "--format", "json", str(article))
    assert code == 0
    assert json.loads(out)[0]["subject"] == "Russia"
    code, _, err = kg("--root", str(ROOT), "extract", str(tmp_path / "nope.txt"))
    assert code == 2
    assert "nope.txt" in err and "Traceback" not in err


def test_references_back_to_an_actor_resolve_when_clear(extractor, tmp_path):
    facts = facts_of(extractor, tmp_path,
                     "Hayat Tahrir al-Sham seized Saraqib. The group also attacked Turkish troops. "
                     "Syrian President Bashar al-Assad spoke. The Syrian leader is backed by Moscow.")
    assert ("Hayat Tahrir al-Sham", "attacked", "Turkey") in facts
    assert ("Russia", "backs", "Bashar al-Assad") in facts


def test_an_ambiguous_reference_is_left_alone(extractor, tmp_path):
    facts = facts_of(extractor, tmp_path, "Hayat Tahrir al-Sham and Hezbollah fought. The group attacked Turkey.")
    assert not any(r == "attacked" for _, r, _ in facts)


def test_extract_turtle_parses_back(tmp_path):
    from rdflib import Graph, URIRef

    article = tmp_path / "a.txt"
    article.write_text("Wagner Group mercenaries are backed by Moscow. Moscow backs Damascus.", encoding="utf-8")
    code, out, err = kg("--root", str(ROOT), "extract", "--format", "turtle", str(article))
    assert code == 0, err
    g = Graph().parse(data=out, format="turtle")
    kgns = "https://w3id.org/conflict-kg/"
    assert (URIRef(kgns + "Russia"), URIRef(kgns + "backs"), URIRef(kgns + "Syria")) in g
    assert (URIRef(kgns + "Russia"), URIRef(kgns + "backs"), URIRef(kgns + "proposed/WagnerGroup")) in g
