"""The endpoint under pressure: a slow query never blocks a cheap one, a queued query gets its
whole time limit once it starts, and a full queue answers 503 with Retry-After.

Each test runs a real endpoint (`kg.server.serve` in its own process, worker processes
over the seed project's store) and talks to it over HTTP from several threads. The
bounds on time are generous functional ones; the latencies themselves are measured
in benchmarks/bench_server.py.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

from tests.conftest import free_port

#: a cross join of the whole store with itself, twice: it runs until it is stopped
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def store(seed_project):
    return seed_project / "build" / "store"


@contextlib.contextmanager
def endpoint(store, **limits):
    """`kg.server.serve` over ``store`` with these limits, in a process of its own; its port."""
    port = free_port()
    args = json.dumps({"store": str(store), "port": port, **limits})
    proc = subprocess.Popen([sys.executable, "-c", "import json, sys\nfrom kg.server import serve\n"
                             "a = json.loads(sys.argv[1])\nserve(a.pop('store'), **a)", args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while ask(port, "ASK {}")[0] != 200:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the endpoint did not start: {proc.stderr.read().decode()}")
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(20)


def ask(port: int, query: str) -> tuple[int, dict[str, str], str]:
    """POST a query; (status, headers, body), or status 0 when nothing listens."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", "/sparql", body=urllib.parse.urlencode({"query": query}),
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode()
    except OSError:
        return 0, {}, ""
    finally:
        conn.close()


def in_background(port: int, query: str, n: int) -> tuple[list[threading.Thread], list]:
    """Send ``query`` from ``n`` threads at once; each thread's (status, body, seconds) lands in the list."""
    results: list = []

    def one() -> None:
        started = time.monotonic()
        status, _, body = ask(port, query)
        results.append((status, body, time.monotonic() - started))

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    return threads, results


def test_a_cheap_query_is_answered_while_as_many_long_queries_as_workers_run(store):
    """4 workers, 2 of them for long queries, 4 long queries sent at once: ASK {} still gets a worker.
    The two long queries past the slots are stopped and wait; each then runs its whole 3 s."""
    with endpoint(store, timeout=3, workers=4, long_queries=2) as port:
        threads, results = in_background(port, SLOW, 4)
        time.sleep(1.5)   # past the 1 s a query may hold a reserve worker
        started = time.monotonic()
        status, _, body = ask(port, "ASK {}")
        took = time.monotonic() - started
        assert status == 200 and '"boolean":true' in body.replace(" ", "")
        assert took < 2.0, f"ASK {{}} waited {took:.1f} s behind the long queries"
        for t in threads:
            t.join(60)
    assert [r[0] for r in results] == [503] * 4
    assert all("ran longer than the limit of 3 s" in body for _, body, _ in results)
    seconds = sorted(r[2] for r in results)
    # two ran from the start; two waited for a long slot (~3 s) and were given their own 3 s after it
    assert seconds[1] < 5.0 and seconds[2] > 5.5, seconds


def test_a_queued_query_that_fits_its_limit_succeeds_however_long_it_waited(store):
    """One worker, a 3 s limit: a query queued behind a long one runs once the worker is free,
    and answers, though the long one held the worker for the whole limit."""
    with endpoint(store, timeout=3, workers=1, long_queries=1) as port:
        threads, slow = in_background(port, SLOW, 1)
        time.sleep(0.5)
        started = time.monotonic()
        status, _, body = ask(port, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert status == 200 and time.monotonic() - started > 2.0, body
        threads[0].join(60)
    assert slow[0][0] == 503


def test_a_full_queue_is_503_with_retry_after(store):
    with endpoint(store, timeout=3, workers=1, long_queries=1, queue=1) as port:
        first, _ = in_background(port, SLOW, 1)
        time.sleep(0.5)
        second, _ = in_background(port, SLOW, 1)     # waits: the queue is full
        time.sleep(0.5)
        status, headers, body = ask(port, "ASK {}")
        assert status == 503 and "waiting" in body
        assert int(headers["retry-after"]) >= 1
        for t in first + second:
            t.join(60)
