"""The SPARQL endpoint: the built graph over the SPARQL 1.1 Protocol, read-only and safe by default.

``make_app(store, static_dir=...)`` is an ASGI app; :func:`serve` runs it with
uvicorn (``kg serve`` builds the project first, then calls it; ``kg serve --data``
serves RDF files instead). It answers

- ``GET /sparql?query=...`` and ``POST /sparql`` (a form with ``query``, or an
  ``application/sparql-query`` body in UTF-8), with ``default-graph-uri`` /
  ``named-graph-uri``; by default the default graph is the union of the named graphs,
  and kg's prefixes (``kg:``, ``skos:``...) are predeclared;
- in the format the ``Accept`` header (or a ``format`` parameter) asks for: SPARQL
  results as JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE graphs as Turtle, N-Triples,
  RDF/XML or JSON-LD (406 when none fits; see :func:`kg.sparql.negotiate`);
- with CORS headers, so browser tools (YASGUI, Observable, a D3 page) can query it;
- and serves the build beside it: ``/`` (a landing page linking the endpoint, the map, the
  reports and the exports), ``/map.html``, ``/index.html``, ``/export/graph.graphml``...
  (never the store, nor a dot-file or dot-folder such as a ``.staging-*`` build).

Safety: the store is opened read-only; SPARQL Update (and so LOAD) is refused with
403 and SERVICE with 403 before anything runs (:func:`kg.sparql.check_read_only`
parses the query, so a comment or a string saying SERVICE is no trigger); a query
that runs longer than ``timeout`` seconds (counted from its start) answers 503; when
no worker can take a query, 503 with ``Retry-After``; a body over ``max_body`` bytes
answers 413; a malformed query answers 400 with the parser's message. Each refusal is
a :class:`kg.errors.KgError` whose ``http_status`` is the answer's status.

Queries run in worker processes when the store is given as a path (``kg serve``), so
that an overrunning query can be stopped by ending its process; some workers are kept
for quick queries, so a slow query never blocks a cheap one (:mod:`kg.server.pool`).
Given an open pyoxigraph Store (notebooks, tests), queries run in threads; an
overrunning one is answered 503 but finishes in the background.

- :mod:`kg.server.run`: a job, running it on a store, the worker process;
- :mod:`kg.server.pool`: the workers and their admission;
- :mod:`kg.server.protocol`: the SPARQL 1.1 Protocol, request to job to answer;
- :mod:`kg.server.app`: the app, the build's files, :func:`serve`.

>>> from starlette.testclient import TestClient
>>> from kg.store import memory_store_from_nquads
>>> store = memory_store_from_nquads('<https://w3id.org/conflict-kg/Turkey> '
...     '<https://w3id.org/conflict-kg/backs> <https://w3id.org/conflict-kg/FailaqAlSham> '
...     '<https://w3id.org/conflict-kg/graph/facts> .')
>>> client = TestClient(make_app(store))
>>> r = client.get("/sparql", params={"query": "SELECT ?g WHERE { kg:Turkey kg:backs ?g }"},
...                headers={"Accept": "text/csv"})
>>> r.status_code, r.text.split()
(200, ['g', 'https://w3id.org/conflict-kg/FailaqAlSham'])
>>> client.post("/sparql", data={"update": "DROP ALL"}).status_code
403
"""

from __future__ import annotations

from .app import DEFAULT_MAX_BODY as DEFAULT_MAX_BODY
from .app import DEFAULT_TIMEOUT as DEFAULT_TIMEOUT
from .app import Limits as Limits
from .app import listen as listen
from .app import make_app as make_app
from .app import serve as serve
from .app import store_from_files as store_from_files
from .pool import ProcessRunner as ProcessRunner
from .pool import ThreadRunner as ThreadRunner
from .protocol import http_status as http_status
from .protocol import job_from_request as job_from_request
from .run import Job as Job
from .run import run_job as run_job
