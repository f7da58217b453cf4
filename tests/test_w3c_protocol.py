"""The W3C SPARQL 1.1 Protocol tests, replayed over real HTTP against `kg serve --data`.

``tests/w3c/sparql11-protocol/`` is the W3C suite as published (``manifest.ttl`` and its
data; the licence is ``tests/w3c/LICENSE.md``). Each test is a list of HTTP requests
(``ht:Request``: method, path, headers, body) with the answer expected (a status class,
a result format, a boolean). The runner reads the manifest with rdflib, loads every
data file into the graph named by its label (``http://kasei.us/...``), serves that with
`kg serve --data` on a free port, and sends each request as written, the ``/sparql/``
of its path replaced by the endpoint's ``/sparql``.

kg's endpoint is read-only: every query test and every bad-request test must pass as
the manifest says; every update test must be refused (4xx) instead, and the queries
that follow an update in its test must find that nothing changed.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import RDFS, Dataset, Graph, Namespace, URIRef
from rdflib.collection import Collection

from tests.conftest import free_port

SUITE = Path(__file__).resolve().parent / "w3c" / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"}
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
RDF_TYPES = {"application/rdf+xml", "text/turtle", "application/n-triples", "text/plain"}


@dataclass
class Request:
    """One ht:Request of a test and the answer the manifest expects."""

    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    statuses: set[int]               # the expected status classes: 2 for 2xx...
    format: str | None = None        # "boolean", "tabular" or "RDF"
    boolean: bool | None = None


@dataclass
class ProtocolTest:
    name: str
    title: str
    requests: list[Request]
    data: dict[str, Path] = field(default_factory=dict)   # graph name -> file

    @property
    def kind(self) -> str:
        """``update`` for the tests of SPARQL Update (refused here), else ``query``."""
        return "update" if "update" in self.name else "query"


def read_manifest(path: Path = SUITE / "manifest.ttl") -> list[ProtocolTest]:
    """Every test of the manifest, in its order."""
    g = Graph().parse(path, format="turtle")
    manifest = next(g.subjects(MF.entries, None))
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        action = g.value(entry, MF.action)
        requests = []
        for node in Collection(g, g.value(action, HT.requests)):
            headers = {}
            if g.value(node, HT.headers) is not None:
                for header in Collection(g, g.value(node, HT.headers)):
                    headers[str(g.value(header, HT.fieldName))] = str(g.value(header, HT.fieldValue))
            body = g.value(node, HT.body)
            response = g.value(node, HT.resp)
            expected_boolean = g.value(response, MF.expectedBoolean)
            requests.append(Request(
                method=str(g.value(node, HT.methodName)), path=str(g.value(node, HT.absolutePath)),
                headers=headers, body=None if body is None else str(g.value(body, CNT.chars)),
                statuses={int(str(s)[-3]) for s in g.objects(response, MF.expectedStatus)},
                format=None if g.value(response, MF.expectedFormat) is None
                else str(g.value(response, MF.expectedFormat)),
                boolean=None if expected_boolean is None else expected_boolean.toPython()))
        data = {str(g.value(d, RDFS.label)): Path(str(g.value(d, UT.graph)).removeprefix("file://"))
                for d in g.objects(entry, UT.graphData)}
        tests.append(ProtocolTest(str(entry).rsplit("#", 1)[1], str(g.value(entry, MF.name)), requests, data))
    return tests


TESTS = read_manifest()


def test_the_manifest_is_read_whole():
    kinds = [t.kind for t in TESTS]
    assert len(TESTS) == 34 and kinds.count("query") == 20 and kinds.count("update") == 14
    assert sum(len(t.requests) for t in TESTS) == 39


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """`kg serve --data` over every graph the manifest's tests load; (host, port, triples served)."""
    ds = Dataset()
    for name, path in {n: p for t in TESTS for n, p in t.data.items()}.items():
        ds.graph(URIRef(name)).parse(path, format="nt")
    data = tmp_path_factory.mktemp("w3c") / "protocol-tests.nq"
    ds.serialize(data, format="nquads")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--data", str(data), "--port", str(port),
                             "--timeout", "10"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ}, cwd=data.parent)
    deadline = time.monotonic() + 60
    while True:
        try:
            status, _, _ = send("127.0.0.1", port, Request("GET", "/sparql?query=ASK%7B%7D", {}, None, {2}))
            if status == 200:
                break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"kg serve --data did not start: {proc.stderr.read().decode()}")
        time.sleep(0.2)
    triples = len(ds)
    yield "127.0.0.1", port, triples
    proc.terminate()
    proc.wait(10)


def send(host: str, port: int, request: Request) -> tuple[int, str, bytes]:
    """Send a request as the manifest writes it; (status, media type, body) of the answer."""
    path = request.path.replace("/sparql/", "/sparql", 1)
    charset = request.headers.get("content-type", "").partition("charset=")[2] or "utf-8"
    body = None if request.body is None else request.body.encode(charset)
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request(request.method, path, body=body, headers=request.headers)
        response = conn.getresponse()
        return response.status, (response.getheader("content-type") or "").split(";")[0], response.read()
    finally:
        conn.close()


def boolean_of(media: str, body: bytes) -> bool:
    if media == "application/sparql-results+json":
        return json.loads(body)["boolean"]
    node = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert node is not None, body
    return node.text == "true"


def check_answer(request: Request, status: int, media: str, body: bytes) -> None:
    """The answer is what the manifest expects of it."""
    assert status // 100 in request.statuses, (status, body)
    if request.format == "boolean":
        assert media in BOOLEAN_TYPES, media
        if request.boolean is not None:
            assert boolean_of(media, body) is request.boolean
    elif request.format == "tabular":
        assert media in RESULT_TYPES, media
    elif request.format == "RDF":
        assert media in RDF_TYPES, media


@pytest.mark.parametrize("test", [t for t in TESTS if t.kind == "query"], ids=lambda t: t.name)
def test_query_and_bad_request_tests_pass(endpoint, test):
    host, port, _ = endpoint
    for request in test.requests:
        check_answer(request, *send(host, port, request))


@pytest.mark.parametrize("test", [t for t in TESTS if t.kind == "update"], ids=lambda t: t.name)
def test_update_tests_are_refused_and_change_nothing(endpoint, test):
    """The update is answered 4xx (read-only); the queries after it find nothing it would have made."""
    host, port, _ = endpoint
    update, *checks = test.requests
    status, _, body = send(host, port, update)
    assert 400 <= status < 500, (status, body)
    for request in checks:
        status, media, body = send(host, port, request)
        assert status == 200 and media in BOOLEAN_TYPES, (status, body)
        assert request.boolean is True and boolean_of(media, body) is False


def test_the_served_data_is_unchanged_after_the_suite(endpoint):
    host, port, triples = endpoint
    count = Request("GET", "/sparql?query=SELECT%20%28COUNT%28%2A%29%20AS%20%3Fn%29%20%7B%20GRAPH%20%3Fg%20"
                    "%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%7D", {"accept": "application/sparql-results+json"},
                    None, {2})
    status, _, body = send(host, port, count)
    assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == triples == 3
