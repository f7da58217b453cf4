"""The SPARQL 1.1 Protocol over HTTP: a request becomes a :class:`~kg.server.run.Job`, and a
result or a refusal becomes the answer.

:class:`SparqlEndpoint` is the ``/sparql`` route as a plain ASGI app: it is the hot
path, so it reads the request straight from the ASGI scope, with no framework
objects in between.

>>> job_from_request("GET", "query=ASK%20%7B%7D&default-graph-uri=http%3A%2F%2Fex.org%2Fg", {}, b"")
Job(query='ASK {}', accept=None, format=None, default_graphs=('http://ex.org/g',), named_graphs=(), base_iri=None)
>>> job_from_request("POST", "", {"content-type": "application/sparql-query; charset=UTF-16"}, b"ASK {}")
Traceback (most recent call last):
kg.errors.UnsupportedMediaType: a query in charset UTF-16: send it in UTF-8
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any
from urllib.parse import parse_qs

from ..errors import (
    BadQuery,
    KgError,
    QueryRefused,
    RequestTooLarge,
    ServerBusy,
    UnsupportedMediaType,
)
from ..sparql.text import UPDATE_REFUSED
from .pool import Runner
from .run import Job

#: ASGI's scope, messages and callables
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
FORM = "application/x-www-form-urlencoded"
#: a Host header fit to make the base IRI of queries from
HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]+)?|\[[0-9A-Fa-f:.]+\](:[0-9]+)?")
TEXT = "text/plain; charset=utf-8"


def http_status(exc: KgError) -> int:
    """The HTTP status that answers an error: its ``http_status``, else 500.

    >>> http_status(QueryRefused("SERVICE is refused")), http_status(KgError("unexpected"))
    (403, 500)
    """
    return int(getattr(exc, "http_status", 500))


def content_type(header: str) -> tuple[str, str | None]:
    """The media type of a Content-Type header, lower case, and its charset if it says one.

    >>> content_type("Application/SPARQL-Query; charset=UTF-8")
    ('application/sparql-query', 'utf-8')
    """
    media, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


def job_from_request(method: str, query_string: str, headers: Mapping[str, str], body: bytes,
                     base_iri: str | None = None) -> Job:
    """The job a SPARQL 1.1 Protocol request asks for; updates are refused before anything runs.

    ``headers`` are keyed in lower case. A query is a ``query`` parameter (GET, or a
    form POST) or an ``application/sparql-query`` body in UTF-8; ``default-graph-uri``
    and ``named-graph-uri`` may come in the URL or the form. Relative IRIs in the query
    resolve against ``base_iri`` (the endpoint's own URL, as the protocol allows).
    Clients repeat their requests, so small ones are remembered (decoding a form costs
    more than the rest of the endpoint's work on a query).
    """
    args = (method, query_string, headers.get("content-type", ""), headers.get("accept"), body, base_iri)
    return _cached_job(*args) if len(body) + len(query_string) <= CACHED_REQUEST else _job(*args)


#: requests up to this size (body and URL) are remembered by :func:`job_from_request`
CACHED_REQUEST = 8192


def _job(method: str, query_string: str, ctype_header: str, accept: str | None, body: bytes,
         base_iri: str | None) -> Job:
    params = parse_qs(query_string, keep_blank_values=True)
    fmt = params.get("format", [None])[0]
    defaults, named = params.get("default-graph-uri", []), params.get("named-graph-uri", [])
    if method == "POST":
        ctype, charset = content_type(ctype_header)
        if ctype == FORM:
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            if "update" in form:
                raise QueryRefused(UPDATE_REFUSED)
            queries = form.get("query", [])
            defaults = form.get("default-graph-uri", []) + defaults
            named = form.get("named-graph-uri", []) + named
            fmt = form["format"][0] if form.get("format") else fmt
        elif ctype == "application/sparql-update":
            raise QueryRefused(UPDATE_REFUSED)
        elif ctype == "application/sparql-query":
            if charset not in (None, "utf-8", "utf8"):
                raise UnsupportedMediaType(f"a query in charset {ctype_header.split('=')[-1]}: "
                                           "send it in UTF-8")
            try:
                queries = [body.decode("utf-8")]
            except UnicodeDecodeError:
                raise BadQuery("the query is not UTF-8 text") from None
        else:
            raise UnsupportedMediaType(f"unsupported Content-Type {ctype or '(none)'}: send "
                                       f"{FORM} or application/sparql-query")
    else:
        if "update" in params:
            raise QueryRefused(UPDATE_REFUSED)
        queries = params.get("query", [])
    if len(queries) != 1 or not queries[0].strip():
        raise BadQuery("give exactly one SPARQL query, as the `query` parameter or an "
                       "application/sparql-query body")
    return Job(queries[0], accept, fmt, tuple(defaults), tuple(named), base_iri)


_cached_job = functools.lru_cache(maxsize=512)(_job)


class SparqlEndpoint:
    """``/sparql``: GET, HEAD or POST a query; the answer in the format the client accepts."""

    def __init__(self, runner: Runner, timeout: float, max_body: int):
        self.runner = runner
        self.timeout = timeout
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"]
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        extra: list[tuple[bytes, bytes]] = []
        if "origin" in headers:   # CORS, as Starlette's middleware answers the site's simple requests
            extra.append((b"access-control-allow-origin", b"*"))
        try:
            if method not in ("GET", "HEAD", "POST"):
                extra.append((b"allow", b"GET, HEAD, POST"))
                status, media, data = 405, TEXT, f"method {method} is not allowed: use GET or POST\n".encode()
            else:
                body = await self.body(receive, headers) if method == "POST" else b""
                host = headers.get("host", "")
                base = f"{scope['scheme']}://{host}/sparql" if HOST.fullmatch(host) else None
                job = job_from_request(method, scope["query_string"].decode("latin-1"), headers, body, base)
                media, data = await self.runner.run(job, self.timeout)
                status = 200
                extra.append((b"vary", b"Accept"))
        except ConnectionAbortedError:   # the client left
            return
        except KgError as exc:
            status, media, data = http_status(exc), TEXT, f"{exc}\n".encode()
            if isinstance(exc, ServerBusy):
                extra.append((b"retry-after", str(exc.retry_after).encode()))
        except Exception as exc:  # noqa: BLE001 - a failure of kg's own: a 500 that says what
            status, media, data = 500, TEXT, f"the endpoint failed: {exc}\n".encode()
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", media.encode("latin-1")), (b"content-length", str(len(data)).encode()),
            *extra]})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else data})

    async def body(self, receive: Receive, headers: Mapping[str, str]) -> bytes:
        """The request body, refused (413) as soon as it passes the limit."""
        too_large = RequestTooLarge(f"request body over the limit of {self.max_body} bytes")
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            raise too_large
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ConnectionAbortedError
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise too_large
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)
