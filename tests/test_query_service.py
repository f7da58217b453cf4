"""Federation is opt-in: `kg query` runs a SERVICE clause only with --allow-service.

Without it, a query calling another server is refused before anything runs (exit 2),
and no connection is made: a real socket listening on 127.0.0.1 sees none. With it, a
service nobody answers on (127.0.0.1, a free port) is an outside failure (exit 3).
"""

from __future__ import annotations

import socket

import pytest

from kg import sparql
from kg.errors import QueryRefused, ServiceError, ServiceRefused
from tests.conftest import free_port
from tests.test_cli import run


def calling(url: str, form: str = "SELECT") -> str:
    pattern = f"SERVICE <{url}> {{ ?s ?p ?o }}"
    return f"ASK {{ {pattern} }}" if form == "ASK" else f"SELECT * WHERE {{ {pattern} }}"


@pytest.fixture
def listener():
    """A socket listening on 127.0.0.1; its URL, and a check that no one connected to it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        sock.setblocking(False)

        def connections() -> int:
            count = 0
            while True:
                try:
                    conn, _ = sock.accept()
                except BlockingIOError:
                    return count
                conn.close()
                count += 1

        yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", connections


@pytest.mark.parametrize("form", ["SELECT", "ASK"])
@pytest.mark.parametrize("source", ["store", "data", "rdflib"])
def test_a_service_clause_is_refused_before_anything_runs(runner, seed_project, listener, form, source):
    url, connections = listener
    where = {"store": [], "data": ["--data", str(seed_project / "build" / "graph.ttl")],
             "rdflib": ["--engine", "rdflib"]}[source]
    code, out, err = run(runner, "--root", str(seed_project), "query", calling(url, form), *where)
    assert code == 2, err
    assert f"the query calls <{url}> through SERVICE" in err and "--allow-service" in err
    assert out == "" and "Traceback" not in err
    assert connections() == 0


def test_a_service_clause_is_refused_before_the_graph_is_built(runner, mini, listener):
    url, connections = listener
    code, _, err = run(runner, "--root", str(mini), "query", calling(url))
    assert code == 2 and "--allow-service" in err and "building" not in err
    assert not (mini / "build").exists() and connections() == 0


def test_service_in_a_comment_or_a_string_is_no_call(runner, seed_project):
    text = 'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:9/sparql> { }" AS ?x) }  # SERVICE <http://a/> {}'
    code, out, err = run(runner, "--root", str(seed_project), "query", text, "-f", "csv")
    assert code == 0, err
    assert "SERVICE <http://127.0.0.1:9/sparql>" in out


@pytest.mark.parametrize("form", ["SELECT", "ASK"])
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_with_allow_service_an_unreachable_service_exits_3(runner, seed_project, form, engine):
    url = f"http://127.0.0.1:{free_port()}/sparql"
    code, out, err = run(runner, "--root", str(seed_project), "query", "--allow-service", "--engine", engine,
                         calling(url, form))
    assert code == 3, err
    assert f"cannot reach the SERVICE endpoint <{url}>" in err
    assert "Traceback" not in err + out and "internal error" not in err


def test_the_library_refuses_service_unless_allowed(seed_project, listener):
    url, connections = listener
    engine = sparql.open_engine(seed_project / "build" / "store")
    for attempt in (lambda: sparql.run(engine, calling(url)), lambda: sparql.select(engine, calling(url)),
                    lambda: sparql.ask(engine, calling(url, "ASK"))):
        with pytest.raises(ServiceRefused) as info:
            attempt()
        assert isinstance(info.value, QueryRefused) and info.value.exit_code == 2
        assert "--" not in str(info.value)   # the library speaks of values; the command names its flag
    assert connections() == 0
    unreachable = f"http://127.0.0.1:{free_port()}/sparql"
    with pytest.raises(ServiceError, match="cannot reach the SERVICE endpoint"):
        sparql.select(engine, calling(unreachable), allow_service=True)
    with pytest.raises(ServiceError, match="cannot reach the SERVICE endpoint"):
        sparql.run(engine, calling(unreachable, "ASK"), allow_service=True)


def test_services_are_found_by_parsing():
    assert sparql.services("PREFIX ex: <http://example.org/> SELECT * WHERE { ?a ?b ?c "
                           "OPTIONAL { SERVICE SILENT ex:one { ?a ?d ?e } } SERVICE ?two { } }") == ("ex:one", "?two")
    assert sparql.services("SELECT ?service WHERE { ?service a kg:SERVICE }  # SERVICE <http://a/>") == ()
