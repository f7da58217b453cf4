"""The command line: summaries, and clear errors (file and line, exit code, no traceback)."""

import json

from kg.cli import cli, main


def run(runner, *args):
    """Run kg through main() as a user would, so error handling is exercised too."""
    import sys
    from io import StringIO

    out, err = StringIO(), StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    finally:
        sys.stdout, sys.stderr = old
    return code, out.getvalue(), err.getvalue()


def test_build_prints_counts_and_where_the_files_are(runner, mini, tmp_path):
    code, out, err = run(runner, "--root", str(mini), "build", "--out", str(tmp_path / "b"))
    assert code == 0, err
    assert "actors: 10" in out
    assert "backs" in out and "graph.ttl" in out


def test_build_json_summary(runner, mini, tmp_path):
    code, out, _ = run(runner, "--root", str(mini), "build", "--out", str(tmp_path / "b"), "--json")
    summary = json.loads(out)
    assert summary["articles"] == 1
    assert summary["actors_by_class"]["State"] == 3
    assert summary["relations_by_type"]["locatedIn"] == 2


def test_validate_reports_conformance(runner, mini):
    code, out, _ = run(runner, "--root", str(mini), "validate")
    assert code == 0
    assert "conforms: yes" in out


def _break(project, old, new):
    path = project / "seeds" / "a.yaml"
    path.write_text(path.read_text().replace(old, new))


def test_an_unknown_actor_names_the_file_and_line_and_suggests(runner, mini):
    _break(mini, "fact: Turkey backs Failaq al-Sham", "fact: Turkye backs Failaq al-Sham")
    code, out, err = run(runner, "--root", str(mini), "validate")
    assert code == 1
    assert "seeds/a.yaml:5" in err
    assert "unknown actor 'Turkye'" in err and "Turkey" in err
    assert "Traceback" not in err + out


def test_a_missing_quote_is_refused(runner, mini):
    _break(mini, "    quote: one of the largest Turkey-backed armed groups\n", "")
    code, _, err = run(runner, "--root", str(mini), "build")
    assert code == 1
    assert "seeds/a.yaml:5" in err and "no 'quote:'" in err


def test_a_quote_that_is_not_in_the_article_is_refused(runner, mini, tmp_path):
    _break(mini, "Erdogan leads Turkey\n", "Erdogan rules Turkey\n")
    code, _, err = run(runner, "--root", str(mini), "build", "--out", str(tmp_path / "b"))
    assert code == 1
    assert "does not occur in a.txt" in err and "Erdogan rules Turkey" in err
    assert not (tmp_path / "b" / "graph.ttl").exists()


def test_a_relation_with_the_wrong_classes_is_refused(runner, mini):
    _break(mini, "Turkey partyTo Sochi agreement", "Turkey partyTo NATO")
    code, _, err = run(runner, "--root", str(mini), "validate")
    assert code == 1 and "partyTo needs an object of class Agreement" in err


def test_an_unreadable_fact_line_is_explained(runner, mini):
    _break(mini, "Turkey backs Failaq al-Sham", "Turkey supports Failaq al-Sham")
    code, _, err = run(runner, "--root", str(mini), "validate")
    assert code == 1 and "exactly one relation of: leaderOf" in err


def test_broken_yaml_names_the_line(runner, mini):
    path = mini / "seeds" / "a.yaml"
    path.write_text(path.read_text() + "  - fact: [unclosed\n")
    code, _, err = run(runner, "--root", str(mini), "validate")
    assert code != 0 and "seeds/a.yaml:" in err and "Traceback" not in err


def test_bad_article_files_give_clear_errors_and_no_output(runner, make_project, tmp_path):
    for data, message in ((b"", "empty"), (b"\xff\xfe Idlib", "not UTF-8"),
                          (b" date 2020-02-31 Idlib", "malformed date header")):
        project = make_project(articles={"a": data}, sidecars={})
        code, _, err = run(runner, "--root", str(project), "build", "--out", str(tmp_path / "o"))
        assert code != 0, message
        assert message in err and "seeds/a.txt" in err and "Traceback" not in err
        assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_a_hostile_string_in_an_article_is_just_text(runner, make_project, tmp_path):
    hostile = 'Turkey backs Failaq al-Sham <script>alert(1)</script> "}; DROP ALL; \\u0000'
    project = make_project(articles={"a": hostile}, sidecars={"a": (
        "facts:\n  - fact: Turkey backs Failaq al-Sham\n    quote: '" + hostile.replace("'", "''") + "'\n")})
    code, _, err = run(runner, "--root", str(project), "build", "--out", str(tmp_path / "o"))
    assert code == 0, err
    from rdflib import Graph
    graph = Graph().parse(tmp_path / "o" / "graph.ttl")
    assert any("<script>" in str(o) for o in graph.objects())


def test_every_command_is_documented_in_the_readme():
    from tests.conftest import ROOT
    readme = (ROOT / "README.md").read_text()
    for name in cli.commands:
        assert f"kg {name}" in readme, f"README does not document `kg {name}`"
