"""`kg query --endpoint`: a real Oxigraph SPARQL server gives the answers the embedded engine gives."""

import json

import pytest

from kg import sparql
from tests.conftest import free_port, oxigraph_server
from tests.test_cli import run
from tests.test_query_library import CASES, canonical


@pytest.fixture(scope="module")
def endpoint(seed_project, tmp_path_factory):
    """An Oxigraph server on 127.0.0.1 holding the built dataset, its default graph the union."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph"),
                         load=seed_project / "build" / "dataset.nq") as base:
        yield f"{base}/query"


@pytest.fixture(scope="module")
def embedded(seed_project):
    return sparql.open_engine(seed_project / "build" / "store")


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_server_gives_the_embedded_engines_answers(endpoint, embedded, name):
    query = sparql.resolve_query(name)
    remote = sparql.open_engine(endpoint=endpoint)
    names, served = sparql.select(remote, query, CASES[name])
    local_names, local = sparql.select(embedded, query, CASES[name])
    assert names == local_names and served
    assert [tuple(map(canonical, r)) for r in served] == [tuple(map(canonical, r)) for r in local]


def test_kg_query_endpoint_prints_the_same_csv(runner, seed_project, endpoint):
    args = ["--root", str(seed_project), "query", "proxies", "-p", "patron=Ankara", "-f", "csv"]
    code, remote, err = run(runner, *args, "--endpoint", endpoint)
    assert code == 0, err
    assert remote == run(runner, *args)[1] and "FailaqAlSham" in remote


def test_ask_and_construct_through_the_server(runner, seed_project, endpoint):
    from rdflib import Graph

    code, out, _ = run(runner, "query", "--endpoint", endpoint, "-f", "json",
                       "ASK { kg:Russia kg:attacked kg:FailaqAlSham }")
    assert json.loads(out)["boolean"] is True
    code, out, err = run(runner, "query", "--endpoint", endpoint, "-f", "turtle",
                         "CONSTRUCT { ?p kg:backs ?g } WHERE { ?p kg:backs ?g }")
    assert code == 0, err
    assert len(Graph().parse(data=out, format="turtle")) == len(
        list(sparql.open_engine(seed_project / "build" / "store").execute("CONSTRUCT WHERE { ?p kg:backs ?g }", "CONSTRUCT")))


def test_sparqlwrapper_reads_the_server_as_kg_does(seed_project, endpoint):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery("PREFIX kg: <https://w3id.org/conflict-kg/> "
                    "SELECT ?g WHERE { kg:Turkey kg:backs ?g } ORDER BY ?g")
    client.setReturnFormat(JSON)
    theirs = [b["g"]["value"] for b in client.queryAndConvert()["results"]["bindings"]]
    _, ours = sparql.select(sparql.open_engine(seed_project / "build" / "store"), "SELECT ?g WHERE { kg:Turkey kg:backs ?g } ORDER BY ?g")
    assert theirs == [r[0].value for r in ours] and theirs


def test_a_syntax_error_is_caught_before_it_reaches_the_server(runner, endpoint):
    code, _, err = run(runner, "query", "--endpoint", endpoint, "SELECT ?x WHERE {\n ?x kg:backs \n}")
    assert code == 2 and "line 3, column 1" in err


def test_an_unreachable_endpoint_exits_3_with_a_clear_message(runner):
    url = f"http://127.0.0.1:{free_port()}/query"
    code, out, err = run(runner, "query", "--endpoint", url, "SELECT ?g WHERE { kg:Turkey kg:backs ?g }")
    assert code == 3
    assert f"cannot reach the SPARQL endpoint {url}" in err and "Traceback" not in err + out


def test_an_endpoint_that_refuses_the_query_exits_3_with_its_answer(runner, endpoint):
    code, _, err = run(runner, "query", "--endpoint", endpoint.replace("/query", "/nothing-here"),
                       "SELECT ?g WHERE { kg:Turkey kg:backs ?g }")
    assert code == 3 and "answered 404" in err


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_with_allow_service_a_query_may_call_a_real_sparql_server(runner, seed_project, endpoint, engine):
    backs = "SELECT ?g WHERE { kg:Turkey kg:backs ?g } ORDER BY ?g"
    federated = f"SELECT ?g WHERE {{ SERVICE <{endpoint}> {{ kg:Turkey kg:backs ?g }} }} ORDER BY ?g"
    code, out, err = run(runner, "--root", str(seed_project), "query", "--allow-service", "--engine", engine,
                         "-f", "csv", federated)
    assert code == 0, err
    assert out == run(runner, "--root", str(seed_project), "query", "-f", "csv", backs)[1]
    assert "FailaqAlSham" in out
    code, _, err = run(runner, "--root", str(seed_project), "query", "-f", "csv", federated)
    assert code == 2 and "--allow-service" in err
