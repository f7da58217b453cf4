"""Every library query gives the same answers on any SPARQL 1.1 store holding the pushed dataset.

A real Oxigraph server (its default graph the union of its named graphs) holds the
seed dataset twice: pushed once keeping kg's named graphs and once into another graph,
as a store shared with other pushes would. Each triple is then in the union twice, so
a query whose rows multiply with the copies (a join of patterns rather than a set of
facts) gives 2,048 rows where the embedded store gives one. Answers are compared as
multisets of rows: the same rows, each as many times.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from kg import sparql
from kg.push import push
from tests.conftest import oxigraph_server
from tests.test_cli import run
from tests.test_query_library import CASES, canonical

OTHER_GRAPH = "https://example.org/g1"
#: a value for a required parameter of each kind, when its description gives no example
BY_KIND = {"actor": "Turkey", "source": "Charles Lister", "text": "air strike", "integer": "1",
           "term": "kg:Turkey"}
_EXAMPLE = re.compile(r'e\.g\.\s+("[^"]+"|[^\s,()]+)')


def required(query: sparql.Query) -> dict[str, str]:
    """The query's required parameters, each filled by kind: its description's example, or a seed name.

    >>> required(sparql.resolve_query("evidence"))
    {'a': 'Russia', 'b': 'Failaq al-Sham'}
    """
    values = {}
    for param in query.params:
        if not param.optional:
            example = _EXAMPLE.search(param.description)
            values[param.name] = example[1].strip('"') if example else BY_KIND[param.kind]
    return values


@pytest.fixture(scope="module")
def shared_store(seed_dataset, tmp_path_factory):
    """An Oxigraph server holding the seed dataset twice, under two graph names; its query URL."""
    with oxigraph_server(tmp_path_factory.mktemp("shared-store")) as base:
        push(seed_dataset, f"{base}/update")
        push(seed_dataset, f"{base}/update", graph=OTHER_GRAPH)
        yield f"{base}/query"


@pytest.fixture(scope="module")
def embedded(seed_project):
    return sparql.open_engine(seed_project / "build" / "store")


def answers(engine, query, params):
    names, rows = sparql.select(engine, query, params)
    return names, Counter(tuple(map(canonical, row)) for row in rows)


def test_the_store_holds_every_triple_twice(shared_store):
    remote = sparql.open_engine(endpoint=shared_store)
    _, rows = sparql.select(remote, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { kg:Turkey kg:backs ?c } } "
                                    "GROUP BY ?g")
    counts = {g.value: int(n.value) for g, n in rows}
    assert counts[OTHER_GRAPH] == sum(n for g, n in counts.items() if g != OTHER_GRAPH) > 0


@pytest.mark.parametrize("name", sorted(sparql.library()))
def test_each_library_query_gives_the_embedded_answers_on_a_shared_store(shared_store, embedded, name):
    query = sparql.resolve_query(name)
    remote = sparql.open_engine(endpoint=shared_store)
    for params in (required(query), CASES[name]):
        names, local = answers(embedded, query, params)
        served_names, served = answers(remote, query, params)
        assert local, f"{name} {params}: no answer on the seed graph"
        assert served_names == names
        assert served == local, f"{name} {params}: {sum(served.values())} rows served, {sum(local.values())} embedded"


def test_kg_query_on_the_shared_store_prints_what_it_prints_on_the_built_graph(runner, seed_project, shared_store):
    for args in (["evidence", "-p", "a=Russia", "-p", "b=Failaq al-Sham"], ["proxies", "-p", "patron=Turkey"]):
        code, local, err = run(runner, "--root", str(seed_project), "query", *args, "-f", "csv")
        assert code == 0, err
        code, served, err = run(runner, "--root", str(seed_project), "query", *args, "-f", "csv",
                                "--endpoint", shared_store)
        assert code == 0, err
        assert served == local
    assert len(local.splitlines()) == 1 + 5   # Turkey's five proxies, once each
