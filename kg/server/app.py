"""The endpoint as an ASGI app, the build's files beside it, and :func:`serve`, which runs it.

``/sparql`` goes straight to :class:`~kg.server.protocol.SparqlEndpoint`; everything else
(the landing page, the build's files) to a small Starlette app; CORS headers on all.
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
import socket
import tempfile
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..formats import EXPORT_FORMATS
from ..sparql.engines import OxigraphEngine, load_data
from ..store import write_store
from .pool import ProcessRunner, Runner, ThreadRunner
from .protocol import Receive, Scope, Send, SparqlEndpoint

if TYPE_CHECKING:
    import pyoxigraph as ox
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute


@dataclass(frozen=True)
class Limits:
    """What the endpoint allows: how long a query runs, how big a request is, how many run and wait.

    ``workers`` processes run queries (threads, for an open Store); at most
    ``long_queries`` of them (default: half) run a query past ``quick`` seconds, the
    others stay free for quick queries; ``queue`` queries may wait for a worker.
    """

    timeout: float = 10.0
    max_body: int = 256 * 1024
    workers: int = 4
    long_queries: int | None = None
    quick: float = 1.0
    queue: int = 64


DEFAULT_TIMEOUT = Limits.timeout
DEFAULT_MAX_BODY = Limits.max_body


class Endpoint:
    """The whole app: ``/sparql`` straight to the SPARQL handler (which sets its own CORS header),
    everything else, CORS preflights included, through Starlette's CORS middleware to the site."""

    def __init__(self, sparql: SparqlEndpoint, site: Any, runner: Runner):
        self.sparql = sparql
        self.site = site
        self.runner = runner

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in ("/sparql", "/sparql/") and scope["method"] != "OPTIONS":
            await self.sparql(scope, receive, send)
        else:
            await self.site(scope, receive, send)


def make_app(store: ox.Store | Path | str, *, static_dir: Path | str | None = None,
             limits: Limits | None = None, **changes: Any) -> Any:
    """The endpoint as an ASGI app.

    Parameters
    ----------
    store : pyoxigraph.Store, or the path of a built store (``build/store``)
        A path runs queries in worker processes (a hard time limit); a Store object
        runs them in threads.
    static_dir : folder, optional
        Files to serve beside the endpoint (``build/``: the map, ``export/``); the
        store's own folder, the extraction cache and every dot-file or dot-folder are never served.
    limits : :class:`Limits`; keywords (``timeout=2``, ``workers=2``...) change single ones.
    """
    limits = replace(limits or Limits(), **changes)
    runner: Runner
    if isinstance(store, str | Path):
        runner = ProcessRunner(store, limits.workers, limits.long_queries, limits.quick, limits.queue)
    else:
        runner = ThreadRunner(store, limits.workers, limits.queue)
    return app_for(runner, static_dir, limits)


def app_for(runner: Runner, static_dir: Path | str | None, limits: Limits) -> Any:
    """The app over a runner (:func:`make_app` makes the runner; :func:`serve` starts it first)."""
    from starlette.applications import Starlette
    from starlette.middleware.cors import CORSMiddleware
    from starlette.responses import HTMLResponse, PlainTextResponse
    from starlette.routing import Mount, Route

    static = Path(static_dir) if static_dir is not None else None

    async def index(request: Request) -> Response:
        return HTMLResponse(_index_page(static))

    async def forbidden(request: Request) -> Response:
        return PlainTextResponse("not served\n", 404)

    routes: list[BaseRoute] = [Route("/", index), Route("/store/{rest:path}", forbidden),
                               Route("/store", forbidden), Route("/cache/{rest:path}", forbidden),
                               Route("/cache", forbidden)]
    if static is not None:
        _register_media_types()
        routes.append(Mount("/", app=_build_files(static)))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await asyncio.get_running_loop().run_in_executor(None, runner.start)
        yield
        runner.close()

    site = CORSMiddleware(Starlette(routes=routes, lifespan=lifespan), allow_origins=["*"],
                          allow_methods=["GET", "POST"], allow_headers=["Accept", "Content-Type"], max_age=3600)
    return Endpoint(SparqlEndpoint(runner, limits.timeout, limits.max_body), site, runner)


def _build_files(directory: Path) -> Any:
    """The build's files (StaticFiles), but no dot-file or dot-folder (a ``.staging-*`` build left
    by a killed build), and 404 rather than 405 for a POST to a file that is not there."""
    from starlette.concurrency import run_in_threadpool
    from starlette.exceptions import HTTPException
    from starlette.staticfiles import StaticFiles

    class BuildFiles(StaticFiles):
        def lookup_path(self, path: str) -> tuple[str, Any]:
            if any(part.startswith(".") for part in Path(path).parts):
                return "", None
            return super().lookup_path(path)

        async def get_response(self, path: str, scope: Any) -> Any:
            if scope["method"] not in ("GET", "HEAD"):
                _, found = await run_in_threadpool(self.lookup_path, path)
                if found is None:
                    raise HTTPException(status_code=404)
            return await super().get_response(path, scope)

    return BuildFiles(directory=directory, check_dir=False)


def _register_media_types() -> None:
    for fmt in EXPORT_FORMATS.values():
        mimetypes.add_type(fmt.media_type, Path(fmt.filename).suffix)
    mimetypes.add_type("application/ld+json", ".jsonld")


def _index_page(static: Path | None) -> str:
    pages, links = [], []
    if static is not None:
        pages = [f'<li><a href="/{name}">{label}</a></li>'
                 for name, label in (("map.html", "the relationship map"),
                                     ("index.html", "the maps and reports of the build"),
                                     ("analysis.md", "the analysis report"))
                 if (static / name).is_file()]
        # the dataset at the top of the build, the other formats under export/
        files = [static / f.filename for f in EXPORT_FORMATS.values()]
        if (static / "export").is_dir():
            files += sorted(p for p in (static / "export").iterdir() if not p.name.startswith("."))
        links = [f'<li><a href="/{escape(p.relative_to(static).as_posix())}">{escape(p.name)}</a></li>'
                 for p in files if p.is_file()]
    return ("<!doctype html><meta charset='utf-8'><title>kg</title><h1>kg: the knowledge graph</h1>"
            "<p>SPARQL endpoint: <a href='/sparql'>/sparql</a> (SPARQL 1.1 Protocol, GET or POST, "
            "read-only).</p><ul>" + "".join(pages) + "</ul><h2>Exports</h2><ul>" + "".join(links) + "</ul>")


# ---------------------------------------------------------------- serving


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on host:port; UsageError when it cannot (the port is taken...).

    >>> with listen("127.0.0.1", 0) as sock:
    ...     busy = sock.getsockname()[1]
    ...     listen("127.0.0.1", busy)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.UsageError: cannot listen on 127.0.0.1:...: Address already in use; choose another port (--port) or host
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             proto=socket.IPPROTO_TCP)[0]
        # IPPROTO_TCP named, so that asyncio sets TCP_NODELAY on the connections
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(socket.SOMAXCONN)
    except OSError as exc:
        sock.close()
        why = os.strerror(exc.errno) if exc.errno else str(exc)
        raise UsageError(f"cannot listen on {host}:{port}: {why}; "
                         "choose another port (--port) or host") from None
    return sock


def store_from_files(paths: Iterable[Path | str], folder: Path) -> Path:
    """A store at ``folder`` holding RDF files (any syntax ``kg query --data`` reads; TriG and
    N-Quads keep their graph names), for the endpoint's worker processes to open."""
    import pyoxigraph as ox

    engine = load_data(paths)
    assert isinstance(engine, OxigraphEngine)
    write_store((engine.store.dump(format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8"), folder)
    return folder


def serve(store_path: Path | str | None = None, *, data: Iterable[Path | str] = (),
          static_dir: Path | str | None = None, host: str = "127.0.0.1", port: int = 7878,
          limits: Limits | None = None, ready: Callable[[str], None] | None = None, **changes: Any) -> None:
    """Serve the endpoint with uvicorn until interrupted: over a built store (``build/store``),
    or over RDF files (``data``) loaded into a temporary store.

    The port is taken first (UsageError if it is busy), then the workers start;
    ``ready`` is called with the base URL once the endpoint answers.
    """
    import uvicorn

    limits = replace(limits or Limits(), **changes)
    data = list(data)
    if not data and store_path is None:
        raise UsageError("nothing to serve: give a built store or data files")
    sock = listen(host, port)
    with ExitStack() as stack:
        stack.callback(sock.close)
        if data:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kg-serve-")))
            store_path = store_from_files(data, folder / "store")
        runner = ProcessRunner(Path(str(store_path)), limits.workers, limits.long_queries, limits.quick,
                               limits.queue)
        runner.start()
        stack.callback(runner.close)
        app = app_for(runner, static_dir, limits)
        if ready is not None:
            name = f"[{host}]" if ":" in host else host
            ready(f"http://{name}:{sock.getsockname()[1]}")
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", proxy_headers=False,
                                server_header=False)
        uvicorn.Server(config).run(sockets=[sock])
