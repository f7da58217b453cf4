"""Load benchmark of `kg serve`: many concurrent clients for a fixed time, on 127.0.0.1 only.

    .venv/bin/python -m benchmarks.bench_server [--clients 16] [--seconds 10] [--workers 2]

Builds the seed graph into a temporary folder, starts `kg serve` on a free port of
127.0.0.1, runs CLIENTS threads that each send queries back to back over a kept-alive
connection for SECONDS, and reports throughput, p50/p99 latency and errors (target:
zero). The reference in the same run is the same query mix run directly on the
embedded store in one thread, so the report gives the endpoint's overhead as a ratio.
Writes benchmarks/REPORT-server.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: (name, query, Accept): the mix every client cycles through
MIX = [
    ("select-json", "SELECT ?g WHERE { kg:Turkey kg:backs ?g } ORDER BY ?g",
     "application/sparql-results+json"),
    ("evidence-csv", """SELECT ?s ?o ?quote WHERE { ?st rdf:subject ?s ; rdf:predicate kg:backs ;
        rdf:object ?o ; kg:evidence/kg:quote ?quote }""", "text/csv"),
    ("count-xml", "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n)",
     "application/sparql-results+xml"),
    ("ask", "ASK { kg:Russia kg:opposes kg:Turkey }", "application/sparql-results+json"),
    ("construct-turtle", "CONSTRUCT { ?a kg:backs ?b } WHERE { ?a kg:backs ?b }", "text/turtle"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _client(port: int, stop_at: float, latencies: list, errors: list, lock: threading.Lock, offset: int):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = offset
    mine, bad = [], []
    while time.monotonic() < stop_at:
        name, query, accept = MIX[i % len(MIX)]
        i += 1
        body = urllib.parse.urlencode({"query": query})
        started = time.perf_counter()
        try:
            conn.request("POST", "/sparql", body=body, headers={
                "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                bad.append(f"{name}: {response.status}")
        except (OSError, http.client.HTTPException) as exc:
            bad.append(f"{name}: {type(exc).__name__}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine.append(time.perf_counter() - started)
    conn.close()
    with lock:
        latencies.extend(mine)
        errors.extend(bad)


def reference(store_path: Path, seconds: float) -> float:
    """Queries per second of the mix run directly on the embedded store, one thread."""
    import pyoxigraph as ox

    from kg.namespaces import PREFIXES
    from kg.store import open_store

    store = open_store(store_path)
    done, stop_at, i = 0, time.monotonic() + seconds, 0
    while time.monotonic() < stop_at:
        _, query, accept = MIX[i % len(MIX)]
        i += 1
        result = store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES)
        if "CONSTRUCT" in query:
            result.serialize(format=ox.RdfFormat.TURTLE)
        else:
            result.serialize(format=ox.QueryResultsFormat.JSON)
        done += 1
    return done / seconds


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--report", type=Path, default=ROOT / "benchmarks" / "REPORT-server.md")
    args = parser.parse_args(argv)
    args.clients = max(1, min(args.clients, 64))      # bounded: a benchmark, not a stress test
    args.seconds = max(1.0, min(args.seconds, 60.0))

    import kg

    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build"
        kg.run_build(ROOT, out)
        ref = reference(out / "store", min(args.seconds, 5.0))
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "kg", "--root", str(ROOT), "serve", "--port", str(port),
             "--build-dir", str(out), "--workers", str(args.workers)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _wait(port, server)
            latencies, errors, lock = [], [], threading.Lock()
            stop_at = time.monotonic() + args.seconds
            threads = [threading.Thread(target=_client, args=(port, stop_at, latencies, errors, lock, n))
                       for n in range(args.clients)]
            started = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(10)

    latencies.sort()
    qps = len(latencies) / elapsed
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    lines = [
        "# `kg serve` under load",
        "",
        f"Run: `.venv/bin/python -m benchmarks.bench_server --clients {args.clients} "
        f"--seconds {args.seconds:g} --workers {args.workers}` on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; load average {load:.1f} at the "
        "start (a shared machine: other jobs ran at the same time, so absolute numbers are indicative).",
        "",
        f"The seed graph, {args.clients} concurrent clients (threads, kept-alive connections, "
        f"127.0.0.1) sending POST queries back to back for {args.seconds:g} s, cycling through "
        f"{len(MIX)} queries: {', '.join(name for name, _, _ in MIX)}.",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| requests | {len(latencies)} |",
        f"| errors | {len(errors)} |",
        f"| throughput | {qps:.0f} queries/s |",
        f"| latency p50 | {p50:.1f} ms |",
        f"| latency p99 | {p99:.1f} ms |",
        f"| reference: the same mix on the embedded store, one thread, no HTTP | {ref:.0f} queries/s |",
        f"| endpoint throughput / reference | {qps / ref:.2f} |",
        "",
        "Target: zero errors. Every query is parsed (the safety check) and run in one of "
        f"{args.workers} worker processes; the client threads share the machine with the server.",
    ]
    if errors:
        lines += ["", "Errors (first 10): " + "; ".join(errors[:10])]
    text = "\n".join(lines) + "\n"
    args.report.write_text(text, encoding="utf-8")
    sys.stdout.write(text)


def _wait(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/sparql?query=ASK%7B%7D")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"kg serve did not start: {server.stderr.read().decode()}")
        time.sleep(0.2)


if __name__ == "__main__":
    main()
