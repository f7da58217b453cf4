"""The SPARQL endpoint: the built graph over the SPARQL 1.1 Protocol, read-only and safe by default.

``make_app(store, static_dir=...)`` is a Starlette (ASGI) app; ``kg serve`` runs it
with uvicorn. It answers

- ``GET /sparql?query=...`` and ``POST /sparql`` (a form with ``query``, or an
  ``application/sparql-query`` body), with ``default-graph-uri`` / ``named-graph-uri``;
  by default the default graph is the union of the named graphs, and kg's prefixes
  (``kg:``, ``skos:``...) are predeclared;
- in the format the ``Accept`` header (or a ``format`` parameter) asks for: SPARQL
  results as JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE graphs as Turtle, N-Triples,
  RDF/XML or JSON-LD (406 when none fits);
- with CORS headers, so browser tools (YASGUI, Observable, a D3 page) can query it;
- and serves the build beside it: ``/`` (the map when there is one), ``/map.html``,
  ``/export/graph.graphml``...

Safety: the store is opened read-only; SPARQL Update (and so LOAD) is refused with
403 and SERVICE with 403 before anything runs (the query is parsed, so a comment or a
string saying SERVICE is no trigger); a query that runs longer than ``timeout``
seconds answers 503; a body over ``max_body`` bytes answers 413; a malformed query
answers 400 with the parser's message.

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
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .namespaces import PREFIXES

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BODY = 256 * 1024

#: result formats of SELECT/ASK: media type -> pyoxigraph QueryResultsFormat name
RESULT_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
#: graph formats of CONSTRUCT/DESCRIBE: media type -> pyoxigraph RdfFormat name
GRAPH_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON_LD",
}
#: the ``format`` parameter's short names
FORMAT_NAMES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
    "ntriples": "application/n-triples", "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
_CANONICAL = {"JSON": "application/sparql-results+json", "XML": "application/sparql-results+xml",
              "CSV": "text/csv; charset=utf-8", "TSV": "text/tab-separated-values; charset=utf-8",
              "TURTLE": "text/turtle; charset=utf-8", "N_TRIPLES": "application/n-triples",
              "RDF_XML": "application/rdf+xml", "JSON_LD": "application/ld+json"}


class Refused(Exception):
    """A request the endpoint will not run (an update, SERVICE): 403."""

    status = 403


class BadQuery(Exception):
    """A malformed query or request: 400 with the parser's message."""

    status = 400


class NotAcceptable(Exception):
    status = 406


class QueryTimeout(Exception):
    status = 503


@dataclass(frozen=True)
class Job:
    """One query to run: its text, what the client accepts, and the graphs to use."""

    query: str
    accept: str | None = None
    format: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


# ---------------------------------------------------------------- checking a query


@lru_cache(maxsize=1024)
def classify(query: str) -> str:
    """The form of a read-only query (``SelectQuery``, ``AskQuery``, ``ConstructQuery``,
    ``DescribeQuery``); :class:`Refused` for updates and SERVICE, :class:`BadQuery` otherwise.

    >>> classify("ASK { ?s ?p ?o }  # SERVICE <http://example.org/> is only a comment")
    'AskQuery'
    >>> classify("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    kg.server.Refused: SERVICE is refused: this endpoint makes no requests to other servers
    >>> classify("LOAD <http://example.org/data.ttl>")
    Traceback (most recent call last):
    kg.server.Refused: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP...) is refused: this endpoint is read-only
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(query)
    except ParseException as exc:
        try:
            parseUpdate(query)
        except ParseException:
            raise BadQuery(f"malformed query: {exc}") from None
        raise Refused("SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP...) is refused: "
                      "this endpoint is read-only") from None
    except Exception as exc:  # noqa: BLE001 - rdflib raises other errors on odd input
        raise BadQuery(f"malformed query: {exc}") from None
    if _has_service(parsed):
        raise Refused("SERVICE is refused: this endpoint makes no requests to other servers")
    return parsed[1].name


def _has_service(node) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(item)
    return False


def execute(store, job: Job) -> tuple[str, bytes]:
    """Check and run a job on a pyoxigraph store: (Content-Type, the serialized results)."""
    import pyoxigraph as ox

    form = classify(job.query)
    name, media = negotiate(job.accept, form, job.format)
    kwargs: dict = {"prefixes": PREFIXES}
    if job.default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    else:
        kwargs["use_default_graph_as_union"] = True
    if job.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    kind = ox.RdfFormat if form in ("ConstructQuery", "DescribeQuery") else ox.QueryResultsFormat
    message = None
    try:
        result = store.query(job.query, **kwargs)
        data = result.serialize(format=getattr(kind, name))
        del result  # pyoxigraph results must be dropped on the thread that made them
    except (SyntaxError, ValueError) as exc:
        message = str(exc)
    if message is not None:
        raise BadQuery(message)
    return media, data


# ---------------------------------------------------------------- running queries


class ThreadRunner:
    """Runs jobs on an open store in threads; an overrunning job is answered 503 and abandoned."""

    def __init__(self, store, workers: int = 4):
        self.store = store
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kg-sparql")

    async def run(self, job: Job, timeout: float) -> tuple[str, bytes]:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.pool, execute, self.store, job)
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise QueryTimeout(f"the query ran longer than the limit of {timeout:g} s") from None

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _worker_main(conn, store_path: str) -> None:
    """A worker process: open the store read-only, run jobs until told to stop."""
    from .store import open_store

    store = open_store(Path(store_path))
    classify("ASK {}")  # load the parser before the first query
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if job is None:
            return
        try:
            conn.send(("ok", execute(store, job)))
        except (Refused, BadQuery, NotAcceptable) as exc:
            conn.send((type(exc).__name__, str(exc)))
        except Exception as exc:  # noqa: BLE001 - reported to the client as a 500
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


@dataclass
class _Worker:
    process: multiprocessing.Process
    conn: object


@dataclass
class ProcessRunner:
    """Runs jobs in worker processes that each open the store read-only.

    A job that overruns its time limit is stopped by killing its process, which is
    replaced; the other workers keep serving.
    """

    store_path: Path
    workers: int = 2
    _idle: queue.Queue = field(default_factory=queue.Queue)
    _started: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _all: list = field(default_factory=list)

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

    def _run_blocking(self, job: Job, timeout: float):
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
        errors = {"Refused": Refused, "BadQuery": BadQuery, "NotAcceptable": NotAcceptable}
        raise errors.get(kind, RuntimeError)(payload)

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


def negotiate(accept: str | None, form: str, fmt: str | None = None) -> tuple[str, str]:
    """(pyoxigraph format name, Content-Type) for the client's Accept header and the query form.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", "SelectQuery")
    ('XML', 'application/sparql-results+xml')
    >>> negotiate("*/*", "ConstructQuery")
    ('TURTLE', 'text/turtle; charset=utf-8')
    """
    graph = form in ("ConstructQuery", "DescribeQuery")
    table = GRAPH_TYPES if graph else RESULT_TYPES
    default = "TURTLE" if graph else "JSON"
    if fmt:
        media = FORMAT_NAMES.get(fmt, fmt)
        if media not in table:
            raise NotAcceptable(f"format {fmt!r} does not fit a {form}; choose one of "
                                f"{', '.join(k for k, v in FORMAT_NAMES.items() if v in table)}")
        return table[media], _CANONICAL[table[media]]
    if not accept:
        return default, _CANONICAL[default]
    ranges = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranges.append((-q, i, media.lower()))
    for _, _, media in sorted(ranges):
        if media in table:
            return table[media], _CANONICAL[table[media]]
        if media == "*/*":
            return default, _CANONICAL[default]
        if media.endswith("/*"):
            for candidate, name in table.items():
                if candidate.startswith(media[:-1]):
                    return name, _CANONICAL[name]
    raise NotAcceptable(f"none of the types in Accept: {accept} can carry a {form}; "
                        f"this endpoint gives {', '.join(table)}")


def _register_media_types() -> None:
    from .export import EXPORTERS

    for exp in EXPORTERS.values():
        mimetypes.add_type(exp.media_type, Path(exp.filename).suffix)
    mimetypes.add_type("application/ld+json", ".jsonld")


def make_app(store, *, static_dir: Path | str | None = None, timeout: float = DEFAULT_TIMEOUT,
             max_body: int = DEFAULT_MAX_BODY, workers: int = 2):
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
    from contextlib import asynccontextmanager

    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.responses import HTMLResponse, PlainTextResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    runner = ProcessRunner(Path(store), workers) if isinstance(store, str | Path) \
        else ThreadRunner(store, workers)
    static = Path(static_dir) if static_dir is not None else None

    async def read_body(request) -> bytes:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > max_body:
            raise _TooLarge()
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_body:
                raise _TooLarge()
        return body

    async def sparql(request):
        try:
            job = await _job_from_request(request, read_body)
            media, data = await runner.run(job, timeout)
        except _TooLarge:
            return PlainTextResponse(f"request body over the limit of {max_body} bytes\n", 413)
        except (Refused, BadQuery, NotAcceptable, QueryTimeout) as exc:
            return PlainTextResponse(f"{exc}\n", exc.status)
        except _Unsupported as exc:
            return PlainTextResponse(f"{exc}\n", 415)
        return Response(data, media_type=media, headers={"Vary": "Accept"})

    async def index(request):
        return HTMLResponse(_index_page(static))

    async def forbidden(request):
        return PlainTextResponse("not served\n", 404)

    routes = [Route("/sparql", sparql, methods=["GET", "POST"]), Route("/", index),
              Route("/store/{rest:path}", forbidden), Route("/store", forbidden)]
    if static is not None:
        _register_media_types()
        routes.append(Mount("/", app=StaticFiles(directory=static, check_dir=False)))

    @asynccontextmanager
    async def lifespan(app):
        if isinstance(runner, ProcessRunner):
            await asyncio.get_running_loop().run_in_executor(None, runner.start)
        yield
        runner.close()

    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                             allow_headers=["Accept", "Content-Type"], max_age=3600)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.runner = runner
    return app


class _TooLarge(Exception):
    pass


class _Unsupported(Exception):
    pass


async def _job_from_request(request, read_body) -> Job:
    params = request.query_params
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method == "POST":
        body = await read_body(request)
        if ctype == "application/x-www-form-urlencoded":
            from urllib.parse import parse_qs

            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            if "update" in form:
                raise Refused("SPARQL Update is refused: this endpoint is read-only")
            queries = form.get("query", [])
            defaults = form.get("default-graph-uri", []) + params.getlist("default-graph-uri")
            named = form.get("named-graph-uri", []) + params.getlist("named-graph-uri")
            fmt = (form.get("format") or [params.get("format")])[0]
        elif ctype == "application/sparql-query":
            queries = [body.decode("utf-8", "replace")]
            defaults, named = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
            fmt = params.get("format")
        elif ctype == "application/sparql-update":
            raise Refused("SPARQL Update is refused: this endpoint is read-only")
        else:
            raise _Unsupported(f"unsupported Content-Type {ctype or '(none)'}: send "
                               "application/x-www-form-urlencoded or application/sparql-query")
    else:
        if "update" in params:
            raise Refused("SPARQL Update is refused: this endpoint is read-only")
        queries = params.getlist("query")
        defaults, named = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
        fmt = params.get("format")
    if len(queries) != 1 or not queries[0].strip():
        raise BadQuery("give exactly one SPARQL query, as the `query` parameter or an "
                       "application/sparql-query body")
    return Job(queries[0], request.headers.get("accept"), fmt, tuple(defaults), tuple(named))


def _index_page(static: Path | None) -> str:
    from html import escape

    pages = []
    if static is not None:
        pages = [f'<li><a href="/{name}">{label}</a></li>'
                 for name, label in (("map.html", "the relationship map"),
                                     ("index.html", "the maps and reports of the build"),
                                     ("analysis.md", "the analysis report"))
                 if (static / name).is_file()]
    links = []
    if static is not None and (static / "export").is_dir():
        links = [f'<li><a href="/export/{escape(p.name)}">{escape(p.name)}</a></li>'
                 for p in sorted((static / "export").iterdir()) if p.is_file()]
    return ("<!doctype html><meta charset='utf-8'><title>kg</title><h1>kg: the knowledge graph</h1>"
            "<p>SPARQL endpoint: <a href='/sparql'>/sparql</a> (SPARQL 1.1 Protocol, GET or POST, "
            "read-only).</p><ul>" + "".join(pages) + "</ul><h2>Exports</h2><ul>" + "".join(links) + "</ul>")


def serve_project(root: Path | str, *, build_dir: Path | str | None = None, **options) -> None:
    """Serve a project's build (built first when missing or stale): ``build/store`` and ``build/``."""
    from .pipeline import run_build
    from .store import STORE_DIR, is_fresh

    root = Path(root)
    build_dir = Path(build_dir) if build_dir is not None else root / "build"
    if not is_fresh(root, build_dir):
        run_build(root, build_dir)
    serve(build_dir / STORE_DIR, static_dir=build_dir, **options)


def serve(store_path: Path, *, static_dir: Path | None = None, host: str = "127.0.0.1",
          port: int = 7878, timeout: float = DEFAULT_TIMEOUT, max_body: int = DEFAULT_MAX_BODY,
          workers: int = 2) -> None:
    """Serve the endpoint with uvicorn until interrupted."""
    import socket

    import uvicorn

    from .errors import UsageError

    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                         "choose another --port or --host") from None

    app = make_app(Path(store_path), static_dir=static_dir, timeout=timeout, max_body=max_body,
                   workers=workers)
    uvicorn.run(app, host=host, port=port, log_level="warning")
