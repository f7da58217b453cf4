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


def test_broken_yaml_names_the_line_and_is_unreadable_input_exit_2(runner, mini):
    path = mini / "seeds" / "a.yaml"
    path.write_text(path.read_text() + "  - fact: [unclosed\n")
    code, _, err = run(runner, "--root", str(mini), "validate")
    assert code == 2 and "seeds/a.yaml:" in err and "Traceback" not in err, "validate's help: 2 on unreadable input"


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


def test_a_sidecar_date_that_does_not_exist_says_so_at_its_line(runner, mini):
    path = mini / "seeds" / "a.yaml"
    path.write_text(path.read_text().replace("date: 2020-10-26", "date: 2021-02-30"))
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "2021-02-30" in text)
    code, _, err = run(runner, "--root", str(mini), "validate")
    assert code == 1 and f"seeds/a.yaml:{line}: date '2021-02-30' does not exist: February 2021 has 28 days" in err


def test_a_sidecar_that_is_not_utf8_is_named_once_with_the_offending_byte(runner, mini):
    path = mini / "seeds" / "a.yaml"
    path.write_bytes(path.read_bytes().replace(b"Al Jazeera", b"Al Jaz\xe9era"))
    code, _, err = run(runner, "--root", str(mini), "validate")
    assert code == 2 and err.count("seeds/a.yaml") == 1 and "0xe9" in err and "seeds/a.txt" not in err


def test_an_unknown_publisher_names_its_line(runner, mini):
    _break(mini, "publisher: Al Jazeera", "publisher: The Daily Planet")
    code, _, err = run(runner, "--root", str(mini), "validate")
    assert code == 1 and "seeds/a.yaml:2: publisher 'The Daily Planet' is not in ontology/sources.yaml" in err


def test_an_article_with_nul_bytes_is_refused_as_binary_with_the_offset(runner, make_project, tmp_path):
    project = make_project(articles={"a": b"Turkey backs Failaq al-Sham.\n\x00\x01"}, sidecars={})
    code, _, err = run(runner, "--root", str(project), "build", "--out", str(tmp_path / "o"))
    assert code == 2 and "seeds/a.txt:2: article is binary, not text: a NUL byte at offset 29" in err


def test_an_output_folder_that_cannot_be_made_is_a_usage_error_naming_it(runner, mini):
    code, _, err = run(runner, "--root", str(mini), "build", "--out", "/proc/forbidden/build")
    assert code == 2 and "/proc/forbidden/build" in err and "internal error" not in err
    code, _, err = run(runner, "--root", str(mini), "export", "--format", "csv-nodes", "--out", "/proc/no/x.csv")
    assert code == 2 and "/proc/no/x.csv" in err and "internal error" not in err


def test_files_written_over_keep_the_usual_permissions(runner, mini, tmp_path):
    import os
    import stat

    umask = os.umask(0o022)
    os.umask(umask)
    expected = 0o666 & ~umask
    assert run(runner, "--root", str(mini), "build")[0] == 0
    assert run(runner, "--root", str(mini), "render")[0] == 0   # over build/map.html
    assert run(runner, "--root", str(mini), "export", "--format", "gexf", "--out", str(tmp_path / "g.gexf"))[0] == 0
    for path in (mini / "build" / "map.html", tmp_path / "g.gexf", mini / "build" / "graph.ttl"):
        assert stat.S_IMODE(path.stat().st_mode) == expected, path


def test_a_killed_builds_staging_folder_is_cleaned_by_the_next_build(runner, mini):
    left = mini / "build" / ".staging-999999999-abc"   # no such process
    left.mkdir(parents=True)
    (left / "graph.ttl").write_text("half")
    assert run(runner, "--root", str(mini), "build")[0] == 0
    assert not left.exists() and not list((mini / "build").glob(".staging-*"))


def test_kg_extract_reads_a_folder_of_articles(runner, mini):
    code, out, err = run(runner, "--root", str(mini), "extract", str(mini / "seeds"))
    assert code == 0, err
    assert out.splitlines()[0].startswith("subject\t") and len(out.splitlines()) > 1


def test_kg_outside_a_project_names_root_and_kg_root(runner, tmp_path, mini):
    for args in (["extract", str(mini / "seeds" / "a.txt")], ["build"], ["validate"]):
        code, _, err = run(runner, "--root", str(tmp_path), *args)
        assert code == 2 and "--root" in err and "KG_ROOT" in err, args
