"""Running one query: the job a request asks for, its execution on a store, and the worker
process that runs jobs for the endpoint.

A worker talks to the endpoint over a socket, one pickled message at a time, each
preceded by its length (:func:`send_message`, :class:`MessageReader`): the endpoint
sends a :class:`Job`, the worker answers ``("ok", (content_type, data))``, ``("raise",
a KgError)`` or ``("error", message)``.

>>> from kg.store import memory_store_from_nquads
>>> run_job(memory_store_from_nquads(""), Job("ASK {}", accept="text/csv"))
('text/csv; charset=utf-8', b'true')
"""

from __future__ import annotations

import functools
import pickle
import signal
import socket
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BadQuery, KgError
from ..namespaces import PREFIXES
from ..sparql.formats import negotiate
from ..sparql.text import GRAPH_FORMS, check_read_only
from ..store import open_store

if TYPE_CHECKING:
    import pyoxigraph as ox

#: the length that precedes each message on a worker's socket
HEADER = struct.Struct("!Q")


@dataclass(frozen=True)
class Job:
    """One query to run: its text, what the client accepts, and the graphs to use."""

    query: str
    accept: str | None = None
    format: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None   # what relative IRIs resolve against: the endpoint's URL


#: (query form, Accept, format) -> (pyoxigraph format name, Content-Type); clients repeat themselves
_negotiate = functools.lru_cache(maxsize=256)(negotiate)


def run_job(store: ox.Store, job: Job) -> tuple[str, bytes]:
    """Check and run a job on a pyoxigraph store: (Content-Type, the serialized results).

    The default graph is the union of the named graphs, unless the job names its
    graphs (the protocol's ``default-graph-uri`` and ``named-graph-uri``, which
    replace any ``FROM`` of the query): named graphs alone leave the default graph empty.
    """
    import pyoxigraph as ox

    form = check_read_only(job.query)
    name, media = _negotiate(job.accept, form, job.format)
    kwargs: dict[str, Any] = {"prefixes": PREFIXES}
    if job.base_iri:
        kwargs["base_iri"] = job.base_iri
    if job.default_graphs or job.named_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    else:
        kwargs["use_default_graph_as_union"] = True
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


def answer(store: ox.Store, job: Job) -> tuple[str, Any]:
    """A worker's answer to a job: kg's errors travel as themselves, others as a message (a 500)."""
    try:
        return "ok", run_job(store, job)
    except KgError as exc:
        return "raise", exc
    except Exception as exc:  # noqa: BLE001 - reported to the client as a 500
        return "error", f"{type(exc).__name__}: {exc}"


# ---------------------------------------------------------------- the wire


def send_message(sock: socket.socket, message: Any) -> None:
    """Send one message on a blocking socket."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    if len(data) < 1 << 16:
        sock.sendall(HEADER.pack(len(data)) + data)
    else:
        sock.sendall(HEADER.pack(len(data)))
        sock.sendall(data)


def encode(message: Any) -> bytes:
    """A message as it goes on the wire (its length, then the pickle)."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


class MessageReader:
    """Reassembles messages from the bytes a socket gives, in whatever pieces they come.

    >>> reader = MessageReader()
    >>> wire = encode("ready") + encode(("ok", ("text/csv", b"x")))
    >>> reader.feed(wire[:5]), reader.feed(wire[5:])
    ([], ['ready', ('ok', ('text/csv', b'x'))])
    """

    def __init__(self) -> None:
        self.buffer = bytearray()

    def wanted(self) -> int:
        """How many bytes the message being read still needs (at least a chunk's worth)."""
        if len(self.buffer) >= HEADER.size:
            missing = HEADER.size + HEADER.unpack_from(self.buffer)[0] - len(self.buffer)
            return max(1 << 16, missing)
        return 1 << 16

    def feed(self, data: bytes) -> list[Any]:
        """Take more bytes; the messages they complete."""
        self.buffer += data
        out = []
        while len(self.buffer) >= HEADER.size:
            (size,) = HEADER.unpack_from(self.buffer)
            end = HEADER.size + size
            if len(self.buffer) < end:
                break
            out.append(pickle.loads(self.buffer[HEADER.size:end]))
            del self.buffer[:end]
        return out


def receive_message(sock: socket.socket, reader: MessageReader) -> Any:
    """Read one message from a blocking socket; EOFError when it is closed."""
    while True:
        data = sock.recv(reader.wanted())
        if not data:
            raise EOFError("the socket was closed")
        messages = reader.feed(data)
        if messages:
            return messages[0]   # one request at a time: nothing follows an answer


# ---------------------------------------------------------------- the worker process


def worker_main(sock: socket.socket, store_path: str) -> None:
    """A worker process: open the store read-only, say ``ready``, run jobs until told to stop.

    Ctrl-C is the endpoint's to handle: the worker ignores it and stops when the
    endpoint sends ``None`` or closes the socket (as it does when it dies).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        store = open_store(Path(store_path))
        check_read_only("ASK {}")  # load the parser before the first query
    except Exception as exc:  # noqa: BLE001 - the endpoint reports it
        send_message(sock, ("failed", f"{type(exc).__name__}: {exc}"))
        return
    send_message(sock, "ready")
    reader = MessageReader()
    while True:
        try:
            job = receive_message(sock, reader)
        except (EOFError, OSError):
            return
        if job is None:
            return
        send_message(sock, answer(store, job))
