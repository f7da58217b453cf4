"""The SPARQL endpoint: the built graph over the SPARQL 1.1 Protocol, read-only and safe by default.

``make_app(store, static_dir=...)`` is a Starlette (ASGI) app; :func:`serve` runs it
with uvicorn (``kg serve`` builds the project first, then calls it). It answers

- ``GET /sparql?query=...`` and ``POST /sparql`` (a form with ``query``, or an
  ``application/sparql-query`` body), with ``default-graph-uri`` / ``named-graph-uri``;
  by default the default graph is the union of the named graphs, and kg's prefixes
  (``kg:``, ``skos:``...) are predeclared;
- in the format the ``Accept`` header (or a ``format`` parameter) asks for: SPARQL
  results as JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE graphs as Turtle, N-Triples,
  RDF/XML or JSON-LD (406 when none fits; see :func:`kg.sparql.negotiate`);
- with CORS headers, so browser tools (YASGUI, Observable, a D3 page) can query it;
- and serves the build beside it: ``/`` (a landing page linking the endpoint, the map, the
  reports and the exports), ``/map.html``, ``/index.html``,
  ``/export/graph.graphml``...

Safety: the store is opened read-only; SPARQL Update (and so LOAD) is refused with
403 and SERVICE with 403 before anything runs (:func:`kg.sparql.check_read_only`
parses the query, so a comment or a string saying SERVICE is no trigger); a query
that runs longer than ``timeout`` seconds answers 503; a body over ``max_body``
bytes answers 413; a malformed query answers 400 with the parser's message. Each
refusal is a :class:`kg.errors.KgError` whose ``http_status`` is the answer's status.

Queries run in worker processes when the store is given as a path (``kg serve``): a
query that overruns is stopped by ending its process, whatever it is doing. Given an
open pyoxigraph Store (notebooks, tests), queries run in threads; an overrunning one
is answered 503 but finishes in the background.

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

import asyncio
import mimetypes
import multiprocessing
import queue
import socket
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qs

from .errors import (
    BadQuery,
    KgError,
    QueryRefused,
    QueryTimeout,
    RequestTooLarge,
    UnsupportedMediaType,
    UsageError,
)
from .export import DATASET_FORMATS, EXPORTERS
from .namespaces import PREFIXES
from .sparql.formats import negotiate
from .sparql.text import GRAPH_FORMS, UPDATE_REFUSED, check_read_only
from .store import open_store

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    import pyoxigraph as ox
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BODY = 256 * 1024


@dataclass(frozen=True)
class Job:
    """One query to run: its text, what the client accepts, and the graphs to use."""

    query: str
    accept: str | None = None
    format: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def http_status(exc: KgError) -> int:
    """The HTTP status that answers an error: its ``http_status``, else 500.

    >>> http_status(QueryRefused("SERVICE is refused")), http_status(KgError("unexpected"))
    (403, 500)
    """
    return int(getattr(exc, "http_status", 500))


# ---------------------------------------------------------------- running one query


def run_job(store: ox.Store, job: Job) -> tuple[str, bytes]:
    """Check and run a job on a pyoxigraph store: (Content-Type, the serialized results).

    >>> from kg.store import memory_store_from_nquads
    >>> run_job(memory_store_from_nquads(""), Job("ASK {}", accept="text/csv"))
    ('text/csv; charset=utf-8', b'true')
    """
    import pyoxigraph as ox

    form = check_read_only(job.query)
    name, media = negotiate(job.accept, form, job.format)
    kwargs: dict[str, Any] = {"prefixes": PREFIXES}
    if job.default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    else:
        kwargs["use_default_graph_as_union"] = True
    if job.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    kind: Any = ox.RdfFormat if form in GRAPH_FORMS else ox.QueryResultsFormat
    message = None
    try:
        result = store.query(job.query, **kwargs)
        data = result.serialize(format=getattr(kind, name))
        del result  # pyoxigraph results must be dropped on the thread that made them
    except (SyntaxError, ValueError) as exc:
        message = str(exc)
    if message is not None:
        raise BadQuery(message)
    return media, data or b""


class Runner(Protocol):
    """Runs jobs within a time limit (in threads or in worker processes)."""

    async def run(self, job: Job, timeout: float) -> tuple[str, bytes]: ...

    def close(self) -> None: ...


class ThreadRunner:
    """Runs jobs on an open store in threads; an overrunning job is answered 503 and abandoned."""

    def __init__(self, store: ox.Store, workers: int = 4):
        self.store = store
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kg-sparql")

    async def run(self, job: Job, timeout: float) -> tuple[str, bytes]:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.pool, run_job, self.store, job)
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise QueryTimeout(f"the query ran longer than the limit of {timeout:g} s") from None

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _worker_main(conn: Connection, store_path: str) -> None:
    """A worker process: open the store read-only, run jobs until told to stop.

    kg's errors (a refusal, a bad query) go back to the parent as they are, pickled;
    anything else as a message, which the parent answers with a 500.
    """
    store = open_store(Path(store_path))
    check_read_only("ASK {}")  # load the parser before the first query
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if job is None:
            return
        try:
            conn.send(("ok", run_job(store, job)))
        except KgError as exc:
            conn.send(("raise", exc))
        except Exception as exc:  # noqa: BLE001 - reported to the client as a 500
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


@dataclass
class _Worker:
    process: Any  # a multiprocessing Process of the spawn context
    conn: Connection


@dataclass
class ProcessRunner:
    """Runs jobs in worker processes that each open the store read-only.

    A job that overruns its time limit is stopped by killing its process, which is
    replaced; the other workers keep serving.
    """

    store_path: Path
    workers: int = 2
    _idle: queue.Queue[_Worker] = field(default_factory=queue.Queue)
    _started: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _all: list[_Worker] = field(default_factory=list)

    def _spawn(self) -> _Worker:
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_worker_main, args=(child, str(self.store_path)), daemon=True,
                              name="kg-sparql-worker")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._all.append(worker)
        return worker

    def start(self) -> None:
        """Start the workers and wait until each has opened the store."""
        with self._lock:
            if not self._started:
                for worker in [self._spawn() for _ in range(self.workers)]:
                    self._ready(worker)
                self._started = True

    def _ready(self, worker: _Worker) -> None:
        """Put a new worker in the idle queue once it says it is ready."""
        if worker.conn.poll(60) and worker.conn.recv() == "ready":
            self._idle.put(worker)
        else:
            worker.process.kill()
            raise RuntimeError(f"a SPARQL worker could not open the store at {self.store_path}")

    def _run_blocking(self, job: Job, timeout: float) -> tuple[str, Any]:
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(f"every worker stayed busy for the limit of {timeout:g} s") from None
        try:
            worker.conn.send(job)
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                answer = worker.conn.recv()
                self._idle.put(worker)
                return answer
        except (EOFError, OSError, BrokenPipeError):
            pass
        self._replace(worker)
        raise QueryTimeout(f"the query ran longer than the limit of {timeout:g} s and was stopped")

    def _replace(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        self._all.remove(worker)
        threading.Thread(target=self._ready, args=(self._spawn(),), daemon=True).start()

    async def run(self, job: Job, timeout: float) -> tuple[str, bytes]:
        self.start()
        loop = asyncio.get_running_loop()
        kind, payload = await loop.run_in_executor(None, self._run_blocking, job, timeout)
        if kind == "ok":
            return payload
        if kind == "raise":
            raise payload
        raise RuntimeError(payload)

    def close(self) -> None:
        for worker in list(self._all):
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in list(self._all):
            worker.process.join(2)
            if worker.process.is_alive():
                worker.process.kill()
        self._all.clear()
        self._started = False


# ---------------------------------------------------------------- HTTP


def _register_media_types() -> None:
    for exp in EXPORTERS.values():
        mimetypes.add_type(exp.media_type, Path(exp.filename).suffix)
    mimetypes.add_type("application/ld+json", ".jsonld")


def make_app(store: ox.Store | Path | str, *, static_dir: Path | str | None = None,
             timeout: float = DEFAULT_TIMEOUT, max_body: int = DEFAULT_MAX_BODY,
             workers: int = 2) -> Starlette:
    """The endpoint as an ASGI app.

    Parameters
    ----------
    store : pyoxigraph.Store, or the path of a built store (``build/store``)
        A path runs queries in ``workers`` processes (hard time limit); a Store object
        runs them in threads.
    static_dir : folder, optional
        Files to serve beside the endpoint (``build/``: the map, ``export/``); the
        store's own folder is never served.
    timeout : seconds a query may run (503 after).
    max_body : bytes a request body may have (413 above).
    """
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.responses import HTMLResponse, PlainTextResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    runner: Runner = ProcessRunner(Path(store), workers) if isinstance(store, str | Path) \
        else ThreadRunner(store, workers)
    static = Path(static_dir) if static_dir is not None else None

    async def read_body(request: Request) -> bytes:
        length = request.headers.get("content-length")
        too_large = RequestTooLarge(f"request body over the limit of {max_body} bytes")
        if length is not None and length.isdigit() and int(length) > max_body:
            raise too_large
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_body:
                raise too_large
        return body

    async def sparql(request: Request) -> Response:
        try:
            job = await job_from_request(request, read_body)
            media, data = await runner.run(job, timeout)
        except KgError as exc:
            return PlainTextResponse(f"{exc}\n", http_status(exc))
        return Response(data, media_type=media, headers={"Vary": "Accept"})

    async def index(request: Request) -> Response:
        return HTMLResponse(_index_page(static))

    async def forbidden(request: Request) -> Response:
        return PlainTextResponse("not served\n", 404)

    routes: list[BaseRoute] = [Route("/sparql", sparql, methods=["GET", "POST"]), Route("/", index),
              Route("/store/{rest:path}", forbidden), Route("/store", forbidden)]
    if static is not None:
        _register_media_types()
        routes.append(Mount("/", app=StaticFiles(directory=static, check_dir=False)))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if isinstance(runner, ProcessRunner):
            await asyncio.get_running_loop().run_in_executor(None, runner.start)
        yield
        runner.close()

    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                             allow_headers=["Accept", "Content-Type"], max_age=3600)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.runner = runner
    return app


async def job_from_request(request: Request, read_body: Callable[[Request], Awaitable[bytes]]) -> Job:
    """The job a SPARQL 1.1 Protocol request asks for; updates are refused before anything runs."""
    params = request.query_params
    fmt: str | None
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method == "POST":
        body = await read_body(request)
        if ctype == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            if "update" in form:
                raise QueryRefused(UPDATE_REFUSED)
            queries = form.get("query", [])
            defaults = form.get("default-graph-uri", []) + params.getlist("default-graph-uri")
            named = form.get("named-graph-uri", []) + params.getlist("named-graph-uri")
            fmt = form["format"][0] if form.get("format") else params.get("format")
        elif ctype == "application/sparql-query":
            queries = [body.decode("utf-8", "replace")]
            defaults, named = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
            fmt = params.get("format")
        elif ctype == "application/sparql-update":
            raise QueryRefused(UPDATE_REFUSED)
        else:
            raise UnsupportedMediaType(f"unsupported Content-Type {ctype or '(none)'}: send "
                                       "application/x-www-form-urlencoded or application/sparql-query")
    else:
        if "update" in params:
            raise QueryRefused(UPDATE_REFUSED)
        queries = params.getlist("query")
        defaults, named = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
        fmt = params.get("format")
    if len(queries) != 1 or not queries[0].strip():
        raise BadQuery("give exactly one SPARQL query, as the `query` parameter or an "
                       "application/sparql-query body")
    return Job(queries[0], request.headers.get("accept"), fmt, tuple(defaults), tuple(named))


def _index_page(static: Path | None) -> str:
    pages = []
    if static is not None:
        pages = [f'<li><a href="/{name}">{label}</a></li>'
                 for name, label in (("map.html", "the relationship map"),
                                     ("index.html", "the maps and reports of the build"),
                                     ("analysis.md", "the analysis report"))
                 if (static / name).is_file()]
    links = []
    if static is not None:   # the dataset at the top of the build, the other formats under export/
        files = [static / e.filename for e in EXPORTERS.values() if e.name in DATASET_FORMATS]
        if (static / "export").is_dir():
            files += sorted((static / "export").iterdir())
        links = [f'<li><a href="/{escape(p.relative_to(static).as_posix())}">{escape(p.name)}</a></li>'
                 for p in files if p.is_file()]
    return ("<!doctype html><meta charset='utf-8'><title>kg</title><h1>kg: the knowledge graph</h1>"
            "<p>SPARQL endpoint: <a href='/sparql'>/sparql</a> (SPARQL 1.1 Protocol, GET or POST, "
            "read-only).</p><ul>" + "".join(pages) + "</ul><h2>Exports</h2><ul>" + "".join(links) + "</ul>")


def serve(store_path: Path | str, *, static_dir: Path | str | None = None, host: str = "127.0.0.1",
          port: int = 7878, timeout: float = DEFAULT_TIMEOUT, max_body: int = DEFAULT_MAX_BODY,
          workers: int = 2) -> None:
    """Serve the endpoint over a built store (``build/store``) with uvicorn until interrupted."""
    import uvicorn

    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                         "choose another port or host") from None

    app = make_app(Path(store_path), static_dir=static_dir, timeout=timeout, max_body=max_body,
                   workers=workers)
    uvicorn.run(app, host=host, port=port, log_level="warning")


