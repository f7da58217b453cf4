"""The SPARQL endpoint: the protocol, content negotiation, CORS, refusals, limits and errors.

Most tests talk to the app without a socket (Starlette's TestClient); the last ones
run `kg serve` for real and query it with SPARQLWrapper and rdflib's SPARQLStore.
The answers are compared with the same query run directly on the store.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph

from kg.errors import (
    BadQuery,
    KgError,
    NotAcceptable,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    RequestTooLarge,
    UnsupportedMediaType,
)
from kg.namespaces import KG_IRI
from kg.server import make_app
from kg.store import memory_store_from_nquads, union_query
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
KG = KG_IRI
BACKED = f"SELECT ?g WHERE {{ <{KG}Turkey> <{KG}backs> ?g }} ORDER BY ?g"
CONSTRUCT = f"CONSTRUCT {{ <{KG}Turkey> <{KG}backs> ?g }} WHERE {{ <{KG}Turkey> <{KG}backs> ?g }}"


@pytest.fixture(scope="module")
def store(seed_dataset):
    from kg.graph.serialize import nquads

    return memory_store_from_nquads(nquads(seed_dataset))


@pytest.fixture(scope="module")
def client(store):
    from starlette.testclient import TestClient

    with TestClient(make_app(store, max_body=4096)) as c:
        yield c


@pytest.fixture(scope="module")
def backed(store) -> list[str]:
    """Whom Turkey backs, asked of the store directly: the reference answer."""
    answer = [row[0].value for row in union_query(store, BACKED)]
    assert len(answer) >= 3
    return answer


def _json_column(response, var="g") -> list[str]:
    return [b[var]["value"] for b in response.json()["results"]["bindings"]]


# ---------------------------------------------------------------- the protocol


def test_get_with_a_query_parameter_answers_sparql_json(client, backed):
    r = client.get("/sparql", params={"query": BACKED})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert _json_column(r) == backed


def test_post_as_a_form_and_as_a_sparql_query_body_give_the_same(client, backed):
    form = client.post("/sparql", data={"query": BACKED})
    body = client.post("/sparql", content=BACKED.encode(),
                       headers={"Content-Type": "application/sparql-query"})
    assert form.status_code == body.status_code == 200
    assert _json_column(form) == _json_column(body) == backed


def test_kg_prefixes_are_predeclared_and_the_default_graph_is_the_union(client, backed):
    r = client.get("/sparql", params={"query": "SELECT ?g WHERE { kg:Turkey kg:backs ?g } ORDER BY ?g"})
    assert _json_column(r) == backed


def test_default_graph_uri_restricts_the_default_graph(client, backed):
    query = "SELECT ?g WHERE { kg:Turkey kg:backs ?g } ORDER BY ?g"
    facts = client.get("/sparql", params={"query": query, "default-graph-uri": KG + "graph/facts"})
    ontology = client.get("/sparql", params={"query": query, "default-graph-uri": KG + "graph/ontology"})
    assert _json_column(facts) == backed and _json_column(ontology) == []


# ---------------------------------------------------------------- content negotiation


def test_select_as_xml_csv_and_tsv(client, backed):
    xml = client.get("/sparql", params={"query": BACKED}, headers={"Accept": "application/sparql-results+xml"})
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [u.text for u in ET.fromstring(xml.content).iterfind(".//r:uri", ns)] == backed
    text = client.get("/sparql", params={"query": BACKED}, headers={"Accept": "text/csv"})
    assert text.headers["content-type"].startswith("text/csv")
    assert [row["g"] for row in csv.DictReader(io.StringIO(text.text))] == backed
    tsv = client.get("/sparql", params={"query": BACKED}, headers={"Accept": "text/tab-separated-values"})
    assert tsv.text.split("\n")[1:-1] == [f"<{g}>" for g in backed]


def test_accept_quality_values_and_the_format_parameter(client):
    r = client.get("/sparql", params={"query": BACKED},
                   headers={"Accept": "text/csv;q=0.2, application/sparql-results+xml;q=0.9"})
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    r = client.get("/sparql", params={"query": BACKED, "format": "tsv"})
    assert r.headers["content-type"].startswith("text/tab-separated-values")


def test_ask_answers_a_boolean(client):
    yes = client.get("/sparql", params={"query": "ASK { kg:Turkey kg:backs ?g }"})
    no = client.get("/sparql", params={"query": "ASK { kg:Turkey kg:backs kg:Turkey }"})
    assert yes.json()["boolean"] is True and no.json()["boolean"] is False


@pytest.mark.parametrize("accept,parser", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                           ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")])
def test_construct_in_rdf_syntaxes(client, backed, accept, parser):
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=r.text, format=parser)
    assert sorted(str(o) for o in graph.objects()) == backed


def test_describe_answers_turtle_by_default(client):
    r = client.get("/sparql", params={"query": "DESCRIBE kg:Turkey"})
    assert r.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=r.text, format="turtle")) > 10


def test_an_unacceptable_accept_is_406(client):
    r = client.get("/sparql", params={"query": BACKED}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "application/sparql-results+json" in r.text


# ---------------------------------------------------------------- CORS


def test_cors_headers_let_browser_tools_query(client):
    r = client.get("/sparql", params={"query": BACKED}, headers={"Origin": "https://yasgui.example"})
    assert r.headers["access-control-allow-origin"] == "*"
    pre = client.options("/sparql", headers={"Origin": "https://observablehq.example",
                                             "Access-Control-Request-Method": "POST",
                                             "Access-Control-Request-Headers": "Content-Type"})
    assert pre.status_code == 200
    assert "POST" in pre.headers["access-control-allow-methods"]


# ---------------------------------------------------------------- refusals


def _count(store) -> int:
    return len(store)


@pytest.mark.parametrize("how", ["form", "body", "get-update", "get-query"])
def test_updates_are_refused_and_change_nothing(client, store, how):
    before = _count(store)
    update = f"INSERT DATA {{ GRAPH <{KG}graph/facts> {{ <{KG}Turkey> <{KG}backs> <{KG}Narnia> }} }}"
    if how == "form":
        r = client.post("/sparql", data={"update": update})
    elif how == "body":
        r = client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"})
    elif how == "get-update":
        r = client.get("/sparql", params={"update": update})
    else:
        r = client.get("/sparql", params={"query": update})
    assert r.status_code == 403 and "read-only" in r.text
    assert _count(store) == before


@pytest.mark.parametrize("query", ["LOAD <http://127.0.0.1:9/data.ttl>", "DROP ALL",
                                   "CLEAR GRAPH <https://w3id.org/conflict-kg/graph/facts>"])
def test_load_drop_and_clear_are_refused(client, store, query):
    before = _count(store)
    r = client.post("/sparql", data={"query": query})
    assert r.status_code == 403 and _count(store) == before


def test_service_is_refused_before_anything_runs(client):
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    nested = "SELECT * WHERE { { SELECT ?s WHERE { OPTIONAL { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } } } } }"
    for query in (q, nested, q.lower()):
        r = client.get("/sparql", params={"query": query})
        assert r.status_code == 403 and "SERVICE" in r.text, query


def test_the_word_service_in_a_comment_or_a_string_is_no_trigger(client):
    q = ('# SERVICE <http://127.0.0.1:9/sparql>\n'
         'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:9/> { }" AS ?x) }')
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 200 and _json_column(r, "x") == ["SERVICE <http://127.0.0.1:9/> { }"]


# ---------------------------------------------------------------- limits and errors


@pytest.mark.parametrize("error, status", [(BadQuery, 400), (QuerySyntaxError, 400), (QueryRefused, 403),
                                           (NotAcceptable, 406), (RequestTooLarge, 413),
                                           (UnsupportedMediaType, 415), (QueryTimeout, 503)])
def test_the_endpoints_errors_are_kg_errors_that_cross_processes(error, status):
    import pickle

    exc = pickle.loads(pickle.dumps(error("the message")))
    assert type(exc) is error and isinstance(exc, KgError) and str(exc) == "the message"
    assert exc.http_status == status and exc.exit_code == 2


def test_a_busy_endpoint_says_when_to_retry_even_across_processes():
    import pickle

    from kg.errors import ServerBusy
    from kg.server import http_status

    exc = pickle.loads(pickle.dumps(ServerBusy("64 queries are waiting already; retry in 3 s", 3)))
    assert http_status(exc) == 503 and exc.retry_after == 3 and "retry in 3 s" in str(exc)


def test_a_body_over_the_limit_is_413(client):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 5000
    assert client.post("/sparql", content=big, headers={"Content-Type": "application/sparql-query"}).status_code == 413
    assert client.post("/sparql", data={"query": big}).status_code == 413


def test_a_malformed_query_is_400_with_the_parsers_message(client):
    r = client.get("/sparql", params={"query": "SELECT ?g WHERE { kg:Turkey kg:backs ?g"})
    assert r.status_code == 400 and "char" in r.text and "Traceback" not in r.text
    r = client.get("/sparql", params={"query": "SELECT ?g WHERE { nope:Turkey ?p ?g }"})
    assert r.status_code == 400 and "Prefix not found" in r.text


def test_a_missing_query_or_a_wrong_content_type_is_a_clear_4xx(client):
    assert client.get("/sparql").status_code == 400
    r = client.post("/sparql", content=b"{}", headers={"Content-Type": "application/json"})
    assert r.status_code == 415 and "application/sparql-query" in r.text


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


#: a query that runs a second or two: a thread cannot be stopped, so it must end on its own
SLOWISH = ("SELECT (COUNT(*) AS ?n) WHERE { VALUES ?k { 1 2 3 4 5 6 7 8 9 10 11 12 } "
           "?a a kg:Actor . ?d ?e ?f }")


def test_a_query_over_the_time_limit_is_503_in_threads(store):
    from starlette.testclient import TestClient

    with TestClient(make_app(store, timeout=0.2)) as c:
        r = c.get("/sparql", params={"query": SLOWISH})
    assert r.status_code == 503 and "limit" in r.text


@pytest.fixture(scope="module")
def built(seed_project):
    """The seed project's build (the store, the exports), made once per session."""
    return seed_project / "build"


def test_worker_processes_stop_an_overrunning_query_and_keep_serving(built, backed):
    import time

    from starlette.testclient import TestClient

    with TestClient(make_app(built / "store", timeout=1.0, workers=2)) as c:
        started = time.monotonic()
        r = c.get("/sparql", params={"query": SLOW})
        assert r.status_code == 503 and time.monotonic() - started < 10
        again = c.get("/sparql", params={"query": BACKED})
        assert again.status_code == 200 and _json_column(again) == backed
        # kg's errors come back from the workers as themselves, with their status and message
        refused = c.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
        assert refused.status_code == 403 and "SERVICE" in refused.text
        bad = c.get("/sparql", params={"query": "SELECT ?g WHERE { nope:Turkey ?p ?g }"})
        assert bad.status_code == 400 and "Prefix not found" in bad.text
        assert c.get("/sparql", params={"query": BACKED}, headers={"Accept": "image/png"}).status_code == 406


# ---------------------------------------------------------------- the build beside the endpoint


def test_the_build_is_served_beside_the_endpoint(built):
    import networkx as nx
    from starlette.testclient import TestClient

    with TestClient(make_app(built / "store", static_dir=built)) as c:
        assert c.get("/").status_code == 200
        for page in ("map.html", "index.html"):
            if (built / page).exists():
                assert c.get(f"/{page}").text == (built / page).read_text(encoding="utf-8")
        graphml = c.get("/export/graph.graphml")
        assert graphml.status_code == 200
        assert nx.read_graphml(io.BytesIO(graphml.content)).number_of_nodes() > 10
        assert c.get("/export/graph.jsonld").headers["content-type"].startswith("application/ld+json")
        assert c.get("/graph.ttl").headers["content-type"].startswith("text/turtle")
        assert 'href="/graph.ttl"' in c.get("/").text and 'href="/export/graph.graphml"' in c.get("/").text
        assert c.get("/store/CURRENT").status_code == 404
        assert c.get("/../pyproject.toml").status_code == 404


def test_without_a_map_the_index_lists_the_endpoint_and_the_exports(store, tmp_path):
    from starlette.testclient import TestClient

    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "graph.gexf").write_text("<gexf/>")
    with TestClient(make_app(store, static_dir=tmp_path)) as c:
        page = c.get("/").text
    assert "/sparql" in page and "/export/graph.gexf" in page


def test_dot_files_and_dot_folders_of_the_build_are_never_served(store, tmp_path):
    """A killed build leaves build/.staging-*; nothing under a dot-name is served, even by exact path."""
    from starlette.testclient import TestClient

    (tmp_path / "graph.ttl").write_text("<a> <b> <c> .")
    (tmp_path / ".staging-x").mkdir()
    (tmp_path / ".staging-x" / "graph.ttl").write_text("<a> <b> <c> .")
    (tmp_path / ".env").write_text("SECRET=1")
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / ".hidden.csv").write_text("x")
    with TestClient(make_app(store, static_dir=tmp_path)) as c:
        assert c.get("/graph.ttl").status_code == 200
        for path in ("/.staging-x/graph.ttl", "/.staging-x/", "/.env", "/export/.hidden.csv",
                     "/export/../.staging-x/graph.ttl"):
            assert c.get(path).status_code == 404, path
        assert ".hidden" not in c.get("/").text


def test_a_post_to_an_unknown_path_is_404_and_to_a_file_405(store, tmp_path):
    from starlette.testclient import TestClient

    (tmp_path / "graph.ttl").write_text("<a> <b> <c> .")
    with TestClient(make_app(store, static_dir=tmp_path)) as c:
        assert c.post("/nowhere", data={"query": "ASK {}"}).status_code == 404
        assert c.post("/.staging-x/graph.ttl").status_code == 404
        assert c.post("/graph.ttl").status_code == 405
        assert c.put("/sparql", content=b"ASK {}").status_code == 405


def test_named_graphs_alone_leave_the_default_graph_empty(client, backed):
    """The protocol's dataset: named-graph-uri without default-graph-uri gives an empty default graph."""
    query = "SELECT ?g WHERE { kg:Turkey kg:backs ?g } ORDER BY ?g"
    facts = KG + "graph/facts"
    r = client.get("/sparql", params={"query": query, "named-graph-uri": facts})
    assert r.status_code == 200 and _json_column(r) == []
    r = client.get("/sparql", params={"query": query.replace("{ kg:Turkey", "{ GRAPH ?x { kg:Turkey")
                                      .replace("?g }", "?g } }"), "named-graph-uri": facts})
    assert _json_column(r) == backed


def test_relative_iris_resolve_against_the_endpoint(client):
    r = client.get("/sparql", params={"query": "SELECT ?x WHERE { BIND(<s> AS ?x) }"})
    assert r.status_code == 200 and _json_column(r, "x") == ["http://testserver/s"]


def test_rdf_files_are_served_from_a_temporary_store(tmp_path):
    """`kg serve --data`: files of any syntax kg reads; the default graph is the union, graphs kept."""
    from starlette.testclient import TestClient

    from kg.server import store_from_files

    (tmp_path / "a.ttl").write_text("@prefix ex: <http://example.org/> . ex:a ex:p ex:b .")
    (tmp_path / "b.trig").write_text("@prefix ex: <http://example.org/> . ex:g { ex:c ex:p ex:d }")
    path = store_from_files([tmp_path / "a.ttl", tmp_path / "b.trig"], tmp_path / "store")
    with TestClient(make_app(path, workers=1)) as c:
        r = c.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"})
        assert _json_column(r, "s") == ["http://example.org/a", "http://example.org/c"]
        r = c.get("/sparql", params={"query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
        assert _json_column(r) == ["http://example.org/g"]


def test_kg_serve_on_a_busy_port_is_a_usage_error_and_announces_nothing(built):
    import socket
    import subprocess
    import sys

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "kg", "--root", str(built.parent), "serve",
                               "--port", str(port), "--build-dir", str(built)],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in done.stderr
    assert "endpoint at" not in done.stderr and "Traceback" not in done.stderr


def test_kg_serve_announces_its_address_once_it_answers(built):
    import subprocess
    import sys
    import urllib.request

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "--root", str(built.parent), "serve", "--port", str(port),
                             "--build-dir", str(built), "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        banner = proc.stderr.readline()
        assert banner.startswith(f"kg: SPARQL endpoint at http://127.0.0.1:{port}/sparql")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", timeout=10) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        proc.wait(20)


# ---------------------------------------------------------------- a real server, real clients


@pytest.fixture(scope="module")
def served(built):
    """`kg serve` running for real on a free port of 127.0.0.1; its /sparql URL."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "--root", str(built.parent), "serve", "--port", str(port),
                             "--build-dir", str(built), "--timeout", "5"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ})
    url = f"http://127.0.0.1:{port}/sparql"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"kg serve did not start: {proc.stderr.read().decode()}") from None
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(10)


def test_sparqlwrapper_gets_the_answers_of_the_store(served, built, backed):
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(served)
    client.setQuery(BACKED)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert [b["g"]["value"] for b in result["results"]["bindings"]] == backed


def test_sparqlwrapper_post_and_construct(served, backed):
    from SPARQLWrapper import POST, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(served)
    client.setMethod(POST)
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert sorted(str(o) for o in graph.objects()) == backed


def test_rdflib_sparqlstore_gets_the_same_answers(served, backed):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(served, returnFormat="json"))
    assert [str(row.g) for row in graph.query(BACKED)] == backed
    xml = Graph(store=SPARQLStore(served))  # rdflib's default asks for SPARQL XML
    assert [str(row.g) for row in xml.query(BACKED)] == backed


def test_a_refused_update_comes_back_as_a_clear_4xx_to_a_real_client(served):
    from urllib.error import HTTPError

    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    client = SPARQLWrapper(served)
    client.setMethod(POST)
    client.setQuery(f"INSERT DATA {{ <{KG}Turkey> <{KG}backs> <{KG}Narnia> }}")
    with pytest.raises(HTTPError) as info:
        client.query()
    assert info.value.code == 403 and b"read-only" in info.value.read()
    ask = SPARQLWrapper(served)
    ask.setQuery(f"ASK {{ <{KG}Turkey> <{KG}backs> <{KG}Narnia> }}")
    ask.setReturnFormat(JSON)
    assert ask.query().convert()["boolean"] is False
