"""kg push: the dataset loaded into a real triplestore (the Oxigraph server), idempotently.

Each test starts an empty Oxigraph server on a free port of 127.0.0.1 in a
temporary folder, pushes, and counts what the store holds with SPARQLWrapper.
"""

from __future__ import annotations

import urllib.request

import pytest

from kg.errors import ServiceError
from kg.namespaces import KG_IRI
from kg.push import push

from .conftest import free_port, oxigraph_server

KG = KG_IRI
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@pytest.fixture
def store_url(tmp_path):
    """An empty Oxigraph server (default graph = union of the named graphs); its base URL."""
    with oxigraph_server(tmp_path / "oxigraph") as base:
        yield base


def _select(base: str, query: str) -> list[dict]:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(f"{base}/query")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    return client.query().convert()["results"]["bindings"]


def _counts(base: str) -> dict[str, int]:
    return {row["g"]["value"]: int(row["n"]["value"]) for row in _select(base, PER_GRAPH)}


@pytest.fixture(scope="module")
def expected(seed_dataset) -> dict[str, int]:
    """Triples per named graph of the dataset, counted in the dataset."""
    counts = {str(g.identifier): len(g) for g in seed_dataset.graphs() if len(g)}
    counts.pop("urn:x-rdflib:default", None)
    assert {KG + "graph/facts", KG + "graph/provenance"} <= set(counts)
    return counts


def test_push_with_sparql_update_loads_every_named_graph_once(store_url, seed_dataset, expected):
    sent = []
    result = push(seed_dataset, f"{store_url}/update", batch_size=2000, progress=sent.append)
    assert _counts(store_url) == expected
    assert result.graphs == expected and sum(sent) == result.triples and result.requests > len(expected)
    push(seed_dataset, f"{store_url}/update", batch_size=2000)
    assert _counts(store_url) == expected  # pushing twice leaves one copy


def test_push_with_the_graph_store_protocol(store_url, seed_dataset, expected):
    push(seed_dataset, f"{store_url}/store", protocol="gsp", batch_size=3000)
    assert _counts(store_url) == expected
    push(seed_dataset, f"{store_url}/store", protocol="gsp")
    assert _counts(store_url) == expected


def test_blank_nodes_are_sent_as_stable_skolem_iris(store_url, seed_dataset):
    push(seed_dataset, f"{store_url}/update")
    rows = _select(store_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }")
    assert rows[0]["n"]["value"] == "0"
    skolem = _select(store_url, f'SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{KG}.well-known/genid/")) }}')
    assert int(skolem[0]["n"]["value"]) > 0


def test_replace_drops_what_left_the_graph(store_url, seed_dataset, expected):
    push(seed_dataset, f"{store_url}/update")
    stray = f"INSERT DATA {{ GRAPH <{KG}graph/facts> {{ <{KG}Turkey> <{KG}backs> <{KG}Narnia> }} }}"
    urllib.request.urlopen(urllib.request.Request(f"{store_url}/update", data=stray.encode(),
                                                  headers={"Content-Type": "application/sparql-update"}))
    push(seed_dataset, f"{store_url}/update")
    assert _counts(store_url)[KG + "graph/facts"] == expected[KG + "graph/facts"] + 1
    result = push(seed_dataset, f"{store_url}/update", replace=True)
    assert _counts(store_url) == expected and result.replaced
    push(seed_dataset, f"{store_url}/store", protocol="gsp", replace=True)
    assert _counts(store_url) == expected


def test_graph_puts_everything_into_one_graph(store_url, seed_dataset):
    target = "http://example.org/kg"
    distinct = {(s, p, o) for s, p, o, _ in seed_dataset.quads()}
    push(seed_dataset, f"{store_url}/update", graph=target)
    assert _counts(store_url) == {target: len(distinct)}


def test_an_unreachable_store_is_a_service_error():
    with pytest.raises(ServiceError, match="cannot reach"):
        push(_dataset_of_one(), f"http://127.0.0.1:{free_port()}/update")


def test_bad_options_are_usage_errors():
    from kg.errors import UsageError

    with pytest.raises(UsageError, match="http"):
        push(_dataset_of_one(), "ftp://example.org/update")
    with pytest.raises(UsageError, match="IRI"):
        push(_dataset_of_one(), "http://127.0.0.1:9/update", graph="not an iri")


def _dataset_of_one():
    from rdflib import Dataset, URIRef

    ds = Dataset()
    ds.graph(URIRef(KG + "graph/facts")).add((URIRef(KG + "A"), URIRef(KG + "backs"), URIRef(KG + "B")))
    return ds


def test_kg_push_then_kg_query_endpoint_answers_as_the_embedded_graph(store_url, mini):
    """End to end through the CLI: push a project, ask the store and the embedded graph the same."""
    from .test_cli import run

    code, out, err = run(None, "--root", str(mini), "push", "--endpoint", f"{store_url}/update")
    assert code == 0, err
    assert "pushed" in out and "graph/provenance" in out
    query = "SELECT ?s ?o WHERE { ?s kg:backs ?o } ORDER BY ?s ?o"
    code, remote, err = run(None, "--root", str(mini), "query", "--endpoint", f"{store_url}/query",
                            query, "--format", "csv")
    assert code == 0, err
    code, local, err = run(None, "--root", str(mini), "query", query, "--format", "csv")
    assert code == 0, err
    assert remote == local and "FailaqAlSham" in local
    code, again, _ = run(None, "--root", str(mini), "push", "--endpoint", f"{store_url}/store",
                         "--protocol", "gsp")
    assert code == 0
    code, remote_again, _ = run(None, "--root", str(mini), "query", "--endpoint", f"{store_url}/query",
                                query, "--format", "csv")
    assert remote_again == local


def test_kg_push_to_nothing_exits_3(mini):
    from .test_cli import run

    code, _, err = run(None, "--root", str(mini), "push", "--endpoint", f"http://127.0.0.1:{free_port()}/update")
    assert code == 3 and "cannot reach" in err and "Traceback" not in err
