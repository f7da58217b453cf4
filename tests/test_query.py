"""`kg query` and `kg queries`: formats read back by real readers, safe parameters, clear errors."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg import sparql
from kg.errors import KgError, QueryTimeout, UsageError
from tests.test_cli import run

BACKS = "SELECT ?g WHERE { kg:Turkey kg:backs ?g } ORDER BY ?g"
KG = "https://w3id.org/conflict-kg/"


def query(runner, project, *args):
    return run(runner, "--root", str(project), "query", *args)


def turkey_backs(seed_project):
    _, rows = sparql.select(sparql.open_engine(seed_project / "build" / "store"), BACKS)
    return [r[0].value for r in rows]


def test_prefixes_are_predeclared_and_csv_is_plain_values(runner, seed_project):
    code, out, err = query(runner, seed_project, BACKS, "--format", "csv")
    assert code == 0, err
    table = list(csv.reader(io.StringIO(out)))
    assert table[0] == ["g"]
    assert [r[0] for r in table[1:]] == turkey_backs(seed_project)
    assert f"{KG}FailaqAlSham" in out


def test_json_is_w3c_sparql_results_read_by_json_and_rdflib(runner, seed_project):
    from rdflib.query import Result

    code, out, _ = query(runner, seed_project, BACKS, "--format", "json")
    data = json.loads(out)
    assert data["head"]["vars"] == ["g"]
    assert [b["g"]["value"] for b in data["results"]["bindings"]] == turkey_backs(seed_project)
    assert all(b["g"]["type"] == "uri" for b in data["results"]["bindings"])
    parsed = Result.parse(io.BytesIO(out.encode()), format="json")
    assert [str(r[0]) for r in parsed] == turkey_backs(seed_project)


@pytest.mark.parametrize("fmt", ["xml", "tsv", "csv"])
def test_xml_tsv_and_csv_are_read_back_by_rdflib(runner, seed_project, fmt):
    from rdflib.query import Result

    code, out, _ = query(runner, seed_project, "evidence", "-p", "a=Russia", "-p", "b=Failaq al-Sham",
                         "--format", fmt)
    assert code == 0
    parsed = Result.parse(io.BytesIO(out.encode()), format=fmt)
    _, rows = sparql.select(sparql.open_engine(seed_project / "build" / "store"), sparql.resolve_query("evidence"),
                            {"a": "Russia", "b": "Failaq al-Sham"})
    assert [str(r[8]) for r in parsed] == [r[8].value for r in rows]     # the quotes, in order
    assert len(list(parsed)) == len(rows) > 0


def test_json_results_are_read_by_sparqlwrapper(runner, seed_project):
    from SPARQLWrapper.SmartWrapper import Bindings

    class Response:   # SPARQLWrapper's results wrap the HTTP response; kg's output is that body
        def __init__(self, body):
            self.body = body

        def read(self):
            return self.body

        def info(self):
            return {"content-type": "application/sparql-results+json"}

    from SPARQLWrapper import JSON
    from SPARQLWrapper.Wrapper import QueryResult

    code, out, _ = query(runner, seed_project, "proxies", "-p", "patron=Turkey", "-f", "json")
    result = QueryResult((Response(out.encode()), JSON))
    bindings = Bindings(result)
    assert bindings.variables[:2] == ["patron", "client"]
    assert f"{KG}FailaqAlSham" in {b["client"].value for b in bindings.bindings}


def test_ask_answers_true_or_false(runner, seed_project):
    code, out, _ = query(runner, seed_project, "ASK { kg:Russia kg:attacked kg:FailaqAlSham }", "-f", "json")
    assert json.loads(out)["boolean"] is True
    code, out, _ = query(runner, seed_project, "ASK { kg:FailaqAlSham kg:attacked kg:Russia }", "-f", "table")
    assert out.strip() == "no"


@pytest.mark.parametrize("fmt, rdflib_format", [("turtle", "turtle"), ("ntriples", "nt"),
                                                ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_construct_gives_a_graph_in_any_rdf_syntax(runner, seed_project, fmt, rdflib_format):
    from rdflib import Graph, URIRef

    code, out, err = query(runner, seed_project,
                           "CONSTRUCT { ?p kg:backs ?g } WHERE { ?p kg:backs ?g . ?g a kg:ProxyGroup }",
                           "--format", fmt)
    assert code == 0, err
    graph = Graph().parse(data=out, format=rdflib_format)
    assert (URIRef(KG + "Turkey"), URIRef(KG + "backs"), URIRef(KG + "FailaqAlSham")) in graph
    assert len(graph) > 5


def test_table_shows_prefixed_names_and_labels_markdown_is_a_table(runner, seed_project):
    code, out, _ = query(runner, seed_project, "leaders", "-p", "of=Turkey", "-f", "table")
    assert "kg:Turkey" in out and "kg:RecepTayyipErdogan (Recep Tayyip Erdoğan)" in out
    assert "https://" not in out and out.splitlines()[-1].endswith(("row)", "rows)"))
    code, out, _ = query(runner, seed_project, "leaders", "-p", "of=Turkey", "-f", "markdown")
    lines = out.splitlines()
    assert lines[0].startswith("| of | class | leader") and lines[1].startswith("| --- |")


def test_a_result_format_for_a_graph_query_is_refused(runner, seed_project):
    code, _, err = query(runner, seed_project, "CONSTRUCT WHERE { ?s kg:backs ?o }", "-f", "csv")
    assert code == 2 and "turtle" in err


def test_inline_file_and_stdin_queries(runner, seed_project, tmp_path, monkeypatch):
    path = tmp_path / "q.rq"
    path.write_text(BACKS)
    code, from_file, _ = query(runner, seed_project, str(path), "-f", "csv")
    assert code == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(BACKS))
    code, from_stdin, _ = query(runner, seed_project, "-", "-f", "csv")
    assert from_file == from_stdin == query(runner, seed_project, BACKS, "-f", "csv")[1]


def test_limit_caps_the_results_and_lowers_a_querys_own_limit(runner, seed_project):
    code, out, _ = query(runner, seed_project, BACKS, "-f", "csv", "--limit", "2")
    assert len(out.splitlines()) == 3
    code, out, _ = query(runner, seed_project, BACKS + " LIMIT 5", "-f", "csv", "--limit", "3")
    assert len(out.splitlines()) == 4
    code, out, _ = query(runner, seed_project, "proxies", "-f", "csv", "--limit", "1")
    assert len(out.splitlines()) == 2


def test_with_limit_keeps_a_trailing_values_clause_and_subqueries():
    text = "SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } LIMIT 10 } } VALUES ?x { kg:A }"
    limited = sparql.with_limit(text, 3)
    assert limited.index("LIMIT 3") < limited.index("VALUES ?x") and "LIMIT 10" in limited


# ----------------------------------------------------------------------------- parameters

HOSTILE = ['"} ; DROP ALL', "x\" } DELETE WHERE { ?s ?p ?o } #", "'''", "<http://evil>", "\\\" \n }"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_parameter_is_only_ever_a_string(runner, seed_project, value):
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    code, out, err = query(runner, seed_project, "SELECT ?v ?n WHERE { BIND(STRLEN(?v) AS ?n) }",
                           "-p", f"v={quoted}", "-f", "json")
    assert code == 0, err
    (row,) = json.loads(out)["results"]["bindings"]
    assert row["v"] == {"type": "literal", "value": value}
    assert int(row["n"]["value"]) == len(value)


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_text_parameter_finds_nothing_and_changes_nothing(runner, seed_project, value):
    from pyoxigraph import Store

    before = len(Store.read_only(str(seed_project / "build" / "store")))
    code, out, err = query(runner, seed_project, "search", "-p", f"text={value}", "-f", "json")
    assert code == 0, err
    assert json.loads(out)["results"]["bindings"] == []
    assert len(Store.read_only(str(seed_project / "build" / "store"))) == before


def test_a_hostile_iri_is_refused():
    with pytest.raises(UsageError, match="not a valid RDF term"):
        sparql.parse_term("<http://x> } DROP ALL { <http://y>")


def test_bind_puts_a_values_block_at_the_start_of_where_whatever_the_value():
    import pyoxigraph as ox

    text = 'SELECT ?x WHERE { ?x kg:label "{ WHERE" . # a { comment\n }'
    bound = sparql.bind(text, {"x": ox.Literal('"} ; DROP ALL')})
    assert bound == 'SELECT ?x WHERE { VALUES (?x) { ("\\"} ; DROP ALL") }' + text[len("SELECT ?x WHERE {"):]
    construct = sparql.bind("CONSTRUCT { ?a kg:p ?b } WHERE { ?a kg:q ?b }", {"a": ox.NamedNode(KG + "T")})
    assert construct == f"CONSTRUCT {{ ?a kg:p ?b }} WHERE {{ VALUES (?a) {{ (<{KG}T>) }} ?a kg:q ?b }}"


def test_a_parameter_may_be_a_literal_number_or_iri(runner, seed_project):
    code, out, _ = query(runner, seed_project, "SELECT ?x ?y ?z WHERE {}", "-p", 'x="Ankara"@en', "-p", "y=42",
                         "-p", "z=<http://example.org/a>", "-f", "json")
    (row,) = json.loads(out)["results"]["bindings"]
    assert row["x"] == {"type": "literal", "value": "Ankara", "xml:lang": "en"}
    assert row["y"]["datatype"].endswith("#integer") and row["z"]["type"] == "uri"


def test_an_unknown_actor_is_an_error_that_suggests_names(runner, seed_project):
    code, out, err = query(runner, seed_project, "proxies", "-p", "patron=Turky")
    assert code == 2 and "unknown actor 'Turky'" in err and "Turkey" in err and "Traceback" not in err


def test_a_missing_or_unknown_parameter_is_an_error(runner, seed_project):
    code, _, err = query(runner, seed_project, "evidence", "-p", "a=Russia")
    assert code == 2 and "needs a value for ?b" in err
    code, _, err = query(runner, seed_project, "proxies", "-p", "client=Turkey")
    assert code == 2 and "has no parameter 'client'" in err and "patron" in err
    code, _, err = query(runner, seed_project, BACKS, "-p", "nothere=Turkey")
    assert code == 2 and "no variable ?nothere" in err
    code, _, err = query(runner, seed_project, BACKS, "-p", "justaname")
    assert code == 2 and "NAME=VALUE" in err


# ----------------------------------------------------------------------------- errors

def test_a_syntax_error_gives_the_line_and_column_and_exit_2(runner, seed_project):
    code, out, err = query(runner, seed_project, "SELECT ?g WHERE {\n  kg:Turkey kg:backs \n}")
    assert code == 2
    assert "line 3, column 1" in err and "Traceback" not in err + out
    code, _, err = query(runner, seed_project, "SELECT ?g WHERE { nope:Turkey kg:backs ?g }")
    assert code == 2 and "line 1, column" in err


UPDATES = ["INSERT DATA { kg:Turkey kg:backs kg:Narnia }", "DELETE WHERE { ?s ?p ?o }",
           "LOAD <http://127.0.0.1:9/data.ttl>", "CLEAR ALL", "DROP GRAPH <https://w3id.org/conflict-kg/graph/facts>",
           "PREFIX ex: <http://example.org/>  # an update, after a prologue and a comment\nINSERT { ?s ex:p 1 } WHERE { ?s ?p ?o }",
           "WITH kg:graph DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "INSERT DATA { malformed"]


@pytest.mark.parametrize("update", UPDATES)
def test_an_update_is_not_run_and_says_kg_query_only_reads(runner, seed_project, update):
    from pyoxigraph import Store

    before = len(Store.read_only(str(seed_project / "build" / "store")))
    for where in ([], ["--engine", "rdflib"], ["--data", str(seed_project / "build" / "graph.ttl")]):
        code, out, err = query(runner, seed_project, update, *where)
        assert code == 2, err
        assert "kg query only reads; SPARQL Update is not run" in err, err
        assert update.split()[0] in err or "INSERT" in err
        assert "expected CONSTRUCT" not in err and "Traceback" not in err and out == ""
    assert len(Store.read_only(str(seed_project / "build" / "store"))) == before


@pytest.mark.parametrize("text, place, found", [
    ("SELEKT ?g WHERE { kg:Turkey kg:backs ?g }", "line 1, column 1", "found 'SELEKT'"),
    ("PREFIX ex: <http://example.org/>\n  SELCT ?g WHERE { ?g ex:p 1 }", "line 2, column 3", "found 'SELCT'"),
    ("?g kg:backs kg:Turkey", "line 1, column 1", "found '?g'"),
])
def test_a_misspelt_query_form_is_a_syntax_error_at_its_place(runner, seed_project, text, place, found):
    for where in ([], ["--engine", "rdflib"]):
        code, out, err = query(runner, seed_project, text, *where)
        assert code == 2, err
        assert f"SPARQL syntax error at {place}: expected SELECT, CONSTRUCT, ASK or DESCRIBE, {found}" in err
        assert "expected CONSTRUCT" not in err and "Traceback" not in err + out


@pytest.mark.parametrize("text", [BACKS, "ASK { kg:Russia kg:attacked kg:FailaqAlSham }"])
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv", "table", "markdown"])
def test_every_result_format_ends_with_a_newline(runner, seed_project, text, fmt):
    code, out, err = query(runner, seed_project, text, "-f", fmt)
    assert code == 0, err
    assert out.endswith("\n") and not out.endswith("\n\n"), repr(out[-20:])


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml", "n3"])
def test_every_graph_format_ends_with_a_newline(runner, seed_project, fmt):
    code, out, err = query(runner, seed_project, "CONSTRUCT WHERE { kg:Turkey kg:backs ?g }", "-f", fmt)
    assert code == 0, err
    assert out.endswith("\n") and not out.endswith("\n\n"), repr(out[-20:])


def test_json_and_xml_still_parse_with_their_newline(runner, seed_project):
    import xml.etree.ElementTree as ET

    code, out, _ = query(runner, seed_project, BACKS, "-f", "json")
    assert json.loads(out)["head"]["vars"] == ["g"]
    code, out, _ = query(runner, seed_project, BACKS, "-f", "xml")
    assert ET.fromstring(out).tag.endswith("sparql")


def test_an_unknown_query_name_suggests_the_closest(runner, seed_project):
    code, _, err = query(runner, seed_project, "proxie")
    assert code == 2 and "no query named 'proxie'" in err and "proxies" in err


def test_a_missing_data_file_is_an_error(runner, seed_project, tmp_path):
    code, _, err = query(runner, seed_project, BACKS, "--data", str(tmp_path / "nope.ttl"))
    assert code == 2 and "nope.ttl" in err
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .")
    code, _, err = query(runner, seed_project, BACKS, "--data", str(bad))
    assert code == 2 and "bad.ttl" in err and "Traceback" not in err


# ----------------------------------------------------------------------------- sources

def test_data_files_give_the_same_answers_as_the_built_store(runner, seed_project, tmp_path):
    from rdflib import Graph

    built = query(runner, seed_project, "proxies", "-f", "csv")[1]
    ttl = seed_project / "build" / "graph.ttl"
    assert query(runner, seed_project, "proxies", "-f", "csv", "--data", str(ttl))[1] == built
    jsonld = tmp_path / "graph.jsonld"
    jsonld.write_text(Graph().parse(ttl).serialize(format="json-ld"))
    assert query(runner, seed_project, "proxies", "-f", "csv", "--data", str(jsonld))[1] == built
    code, out, err = query(runner, seed_project, "proxies", "-f", "csv", "--data", str(ttl), "--engine", "rdflib")
    assert code == 0, err
    assert sorted(out.splitlines()) == sorted(built.splitlines())


def test_the_graph_is_built_when_missing_or_stale_and_not_otherwise(runner, mini):
    code, out, err = query(runner, mini, "proxies", "-f", "csv")
    assert code == 0 and "building it first" in err and "FailaqAlSham" in out
    code, _, err = query(runner, mini, "proxies", "-f", "csv")
    assert "building" not in err
    facts = mini / "seeds" / "a.yaml"
    facts.write_text(facts.read_text().replace("  - fact: Turkey backs Failaq al-Sham\n"
                                               "    quote: one of the largest Turkey-backed armed groups\n", ""))
    code, out, err = query(runner, mini, "proxies", "-f", "csv")
    assert code == 0 and "stale" in err and "FailaqAlSham" not in out


def test_timeout_stops_a_runaway_query(seed_project):
    kg = Path(sys.executable).parent / "kg"
    done = subprocess.run([str(kg), "--root", str(seed_project), "query", "--timeout", "0.5",
                           "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "did not finish within 0.5 s" in done.stderr


def test_open_engine_opens_what_is_built_and_builds_nothing(mini, tmp_path):
    with pytest.raises(UsageError, match="no store at"):
        sparql.open_engine(mini / "build" / "store")
    assert not (mini / "build").exists()
    with pytest.raises(UsageError, match="nothing to query"):
        sparql.open_engine()


def test_library_messages_speak_of_values_not_flags(seed_project, tmp_path):
    engine = sparql.open_engine(seed_project / "build" / "store")
    attempts = [
        lambda: sparql.parse_params(["patron"]),
        lambda: sparql.parse_params(["a=1", "a=2"]),
        lambda: sparql.parse_term('"x"^^"y"', where="parameter 'x'"),
        lambda: sparql.select(engine, sparql.resolve_query("proxies"), {"patron": "Narnia"}),
        lambda: sparql.select(engine, sparql.resolve_query("evidence"), {"a": "Russia"}),
        lambda: sparql.select(engine, BACKS, {"nothere": "Turkey"}),
        lambda: sparql.open_engine(data=[tmp_path / "x.ttl"]),
        lambda: sparql.open_engine(endpoint="ftp://x"),
        lambda: sparql.open_engine(engine="jena"),
        lambda: sparql.open_engine(data=[tmp_path / "x.ttl"], endpoint="http://x"),
        lambda: sparql.run(engine, BACKS, fmt="turtle"),
        lambda: sparql.run(engine, BACKS, fmt="yaml"),
        lambda: sparql.with_timeout(lambda: __import__("time").sleep(1), 0.01),
    ]
    messages = []
    for attempt in attempts:
        with pytest.raises(KgError) as info:
            attempt()
        messages.append(str(info.value))
    assert not [m for m in messages if "--" in m], messages
    assert messages[3].startswith("parameter 'patron': unknown actor 'Narnia'")
    assert messages[6] == f"data file {tmp_path / 'x.ttl'}: no such file"
    assert messages[7] == "endpoint 'ftp://x': give an http:// or https:// URL"


def test_a_timeout_is_a_query_error_with_exit_code_2():
    with pytest.raises(QueryTimeout) as info:
        sparql.with_timeout(lambda: __import__("time").sleep(1), 0.01)
    assert isinstance(info.value, sparql.QueryError) and info.value.exit_code == 2
    assert info.value.http_status == 503


# ----------------------------------------------------------------------------- kg queries

def test_kg_queries_lists_each_query_with_its_question_and_parameters(runner, seed_project):
    code, out, _ = run(runner, "--root", str(seed_project), "queries")
    assert code == 0
    assert "proxies\n" in out and "--param patron=ACTOR  (optional)" in out
    assert "Who are the parties to an agreement?" in out
    code, out, _ = run(runner, "--root", str(seed_project), "queries", "--json")
    entries = {e["name"]: e for e in json.loads(out)}
    assert len(entries) >= 15 and entries["evidence"]["params"][0]["name"] == "a"
