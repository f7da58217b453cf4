"""kg evaluate: precision, recall and F1 against the curated facts, in-sample and leave-one-article-out."""

from __future__ import annotations

import json

import pytest

from kg.errors import UsageError
from kg.evaluate import Score, evaluate, reduced_catalogue
from kg.extract import BUILD_THRESHOLD
from kg.inputs.corpus import load_corpus

from .conftest import MINI_ARTICLE, MINI_FACTS, ROOT
from .test_extract import kg


def test_score_arithmetic():
    s = Score(tp=8, fp=2, fn=8)
    assert (s.precision, s.recall, round(s.f1, 4)) == (0.8, 0.5, 0.6154)
    assert Score().precision == 0.0 and Score().f1 == 0.0


def test_mini_project_in_sample(mini):
    ev = evaluate(load_corpus(mini))
    # 7 scored curated edges (locatedIn is left to curators); the extractor finds 6, and one the
    # curators did not write down: the air strike on Failaq al-Sham is also hostility to it
    assert (ev.overall.tp, ev.overall.fp, ev.overall.fn) == (6, 1, 1)
    assert [f"{f.subject.label} {f.relation} {f.object.label}" for f in ev.misses] == \
        ["Turkey backs Failaq al-Sham"]
    assert [f"{f.subject.label} {f.relation} {f.object.label}" for f in ev.false_positives] == \
        ["Russia opposes Failaq al-Sham"]
    assert ev.by_relation["partyTo"].recall == 1.0


def test_symmetric_relations_match_in_either_order(make_project):
    facts = MINI_FACTS.replace("fact: Russia cooperatesWith Turkey", "fact: Turkey cooperatesWith Russia")
    ev = evaluate(load_corpus(make_project(sidecars={"a": facts})))
    assert ev.by_relation["cooperatesWith"].tp == 1


def test_leave_one_article_out_drops_what_only_the_article_names(make_project):
    root = make_project(articles={"a": MINI_ARTICLE, "b": "Turkey and Russia met in Idlib.\n"},
                        sidecars={"a": MINI_FACTS})
    corpus = load_corpus(root)
    reduced, gone = reduced_catalogue(corpus, "a")
    assert "Failaq al-Sham" in gone and "Sochi agreement" in gone and "NATO" in gone
    assert reduced.resolve("Turkey") is not None and reduced.resolve("Failaq al-Sham") is None
    assert reduced.resolve("Ankara") is None  # an alias no other article uses is not read either
    loao = evaluate(corpus, loao=True)
    # the world gazetteer still knows what the article alone added to the catalogue, so the
    # held-out score can only be lower or equal, never higher
    assert loao.overall.recall <= evaluate(corpus).overall.recall


def test_seed_scores_at_the_build_threshold_stay_precise():
    # the extractor is not tuned to the seeds (its measure is the development set, see
    # benchmarks/REPORT-extraction.md); what enters the graph from them must still be right.
    # Most of what the curated facts count as false positives are facts the curators did not
    # record ("the al-Qaeda-linked Hayat Tahrir al-Sham", "Moscow, traditionally closer to Armenia").
    corpus = load_corpus(ROOT)
    in_sample = evaluate(corpus, threshold=BUILD_THRESHOLD)
    assert in_sample.overall.precision >= 0.7 and in_sample.overall.recall >= 0.2
    loao = evaluate(corpus, loao=True, threshold=BUILD_THRESHOLD)
    assert loao.overall.precision >= 0.7


def test_evaluate_command_json(mini):
    code, out, err = kg("--root", str(mini), "evaluate", "--format", "json")
    assert code == 0, err
    results = json.loads(out)
    assert [r["mode"] for r in results] == ["in-sample", "leave-one-article-out"]
    assert results[0]["overall"]["precision"] == round(6 / 7, 3)
    code, out, _ = kg("--root", str(mini), "evaluate", "--mode", "in-sample")
    assert "overall" in out and "misses:" in out and "Turkey backs Failaq al-Sham" in out


# --------------------------------------------------------------------------- articles that are not gold

UNCURATED = "Russia opposes Turkey. Turkey backs Failaq al-Sham. Russia attacked Failaq al-Sham.\n"
METADATA_ONLY = """\
article:
  publisher: Al Jazeera
  publisher_basis: the test says so
"""


def test_an_article_without_curated_facts_is_left_out_not_counted_as_false_positives(make_project):
    root = make_project(articles={"a": MINI_ARTICLE, "b": UNCURATED, "c": UNCURATED},
                        sidecars={"a": MINI_FACTS, "c": METADATA_ONLY})
    corpus = load_corpus(root)
    for loao in (False, True):
        ev = evaluate(corpus, loao=loao)
        assert ev.left_out == {"b": "no sidecar (no curated facts)", "c": "its sidecar records no facts"}
        assert {f.article for f in ev.false_positives + ev.misses} <= {"a"}
        assert [r["article"] for r in ev.as_dict()["left_out"]] == ["b", "c"]
    # the same score as the annotated article alone
    ev = evaluate(corpus)
    assert (ev.overall.tp, ev.overall.fp, ev.overall.fn) == (6, 1, 1)


def test_nothing_to_score_is_an_error(make_project):
    with pytest.raises(UsageError, match="no article has curated facts"):
        evaluate(load_corpus(make_project(articles={"b": UNCURATED}, sidecars={})))


def test_evaluate_command_says_which_articles_it_left_out_and_why(make_project):
    root = make_project(articles={"a": MINI_ARTICLE, "b": UNCURATED}, sidecars={"a": MINI_FACTS})
    code, out, err = kg("--root", str(root), "evaluate", "--mode", "in-sample")
    assert code == 0, err
    assert "left out, not gold" in out and "b: no sidecar (no curated facts)" in out
    code, out, err = kg("--root", str(root), "evaluate", "--mode", "in-sample", "--format", "json")
    assert code == 0, err
    assert json.loads(out)[0]["left_out"] == [{"article": "b", "reason": "no sidecar (no curated facts)"}]
    assert json.loads(out)[0]["overall"]["precision"] == round(6 / 7, 3)
