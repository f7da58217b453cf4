"""Who runs a query, and when: the pool of worker processes and its admission.

A query's time limit counts from the moment it starts running, never from when it
arrived. The pool has ``workers`` processes, of which at most ``long_slots`` may run a
query past ``quick`` seconds (a *long* query); the others, the reserve, only ever hold
a query for ``quick`` seconds, so a cheap query (``ASK {}``, a lookup) finds a worker
within ``quick`` seconds however many expensive ones are running:

- a query starts on any idle worker; if it is still running after ``quick`` seconds
  it takes a long slot and runs on to its limit;
- if every long slot is taken, it is *preempted*: its worker is stopped (and replaced)
  and the query waits for a long slot, then runs again from the start, with its whole
  time limit. Its text is remembered, so the next time it waits for a long slot at once
  instead of taking a reserve worker;
- a query waits at most its time limit for a worker; at most ``queue`` queries wait at
  a time. Beyond either, :class:`~kg.errors.ServerBusy` (503) says when to retry: the
  seconds until the first long query must end.

An overrunning query is stopped by ending its process, whatever it is doing, and the
process is replaced: workers are forked from a server process that has imported what
they need, so a replacement is ready in tens of milliseconds. While one is on its way,
the pool counts it against the long slots, never against the reserve. The pool talks
to its workers over sockets watched by the event loop: no thread sits between a
request and its worker.
"""

from __future__ import annotations

import asyncio
import functools
import math
import multiprocessing
import socket
import threading
from collections import OrderedDict, deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import QueryTimeout, ServerBusy, ServiceError
from .run import Job, MessageReader, encode, receive_message, run_job, worker_main

if TYPE_CHECKING:
    import pyoxigraph as ox

#: seconds a new worker may take to open the store and say it is ready
START_TIMEOUT = 60.0
#: how many query texts that ran long are remembered
KNOWN_LONG = 256


class Runner(Protocol):
    """Runs jobs, each within a time limit counted from its start."""

    def start(self) -> None: ...

    async def run(self, job: Job, timeout: float) -> tuple[str, bytes]: ...

    def close(self) -> None: ...


def unwrap(kind: str, payload: Any) -> tuple[str, bytes]:
    """The result a worker's answer carries, or the error it raises."""
    if kind == "ok":
        return payload
    if kind == "raise":
        raise payload
    raise RuntimeError(payload)


async def within(future: asyncio.Future, deadline: float) -> bool:
    """Wait for ``future`` until ``deadline`` (the loop's clock); True if it is done. It is never
    cancelled (as :func:`asyncio.wait` would do, with more machinery: this is the hot path)."""
    if future.done():
        return True
    loop = asyncio.get_running_loop()
    waiter = loop.create_future()

    def wake(_: Any = None) -> None:
        if not waiter.done():
            waiter.set_result(None)

    timer = loop.call_at(deadline, wake)
    future.add_done_callback(wake)
    try:
        await waiter
    finally:
        timer.cancel()
        future.remove_done_callback(wake)
    return future.done()


def _resolve(future: asyncio.Future, value: Any) -> None:
    if not future.done():
        future.set_result(value)


def _busy(why: str, retry_after: float) -> ServerBusy:
    seconds = max(1, math.ceil(retry_after))
    return ServerBusy(f"{why}; retry in {seconds} s", seconds)


class ThreadRunner:
    """Runs jobs on an open store in threads (notebooks, tests).

    A thread cannot be stopped: an overrunning job is answered 503 but finishes in the
    background, holding its thread.
    """

    def __init__(self, store: ox.Store, workers: int = 4, queue: int = 64):
        self.store = store
        self.queue = queue
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kg-sparql")
        self._waiting = 0

    def start(self) -> None:
        """Nothing to start: threads start on demand."""

    async def run(self, job: Job, timeout: float) -> tuple[str, bytes]:
        loop = asyncio.get_running_loop()
        if self._waiting >= self.queue:
            raise _busy(f"{self._waiting} queries are waiting already", timeout)
        started: asyncio.Future[float] = loop.create_future()

        def work() -> tuple[str, bytes]:
            loop.call_soon_threadsafe(_resolve, started, loop.time())
            return run_job(self.store, job)

        future = loop.run_in_executor(self.pool, work)
        self._waiting += 1
        try:
            if not await within(started, loop.time() + timeout):
                future.cancel()
                raise _busy(f"no thread was free for {timeout:g} s", timeout)
        finally:
            self._waiting -= 1
        if not await within(future, started.result() + timeout):
            raise QueryTimeout(f"the query ran longer than the limit of {timeout:g} s")
        return future.result()

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


@functools.cache
def _context() -> Any:
    """How worker processes start: forked from a server process that has imported what they need
    (a new worker is ready in tens of milliseconds, where a fresh interpreter takes a second),
    else spawned."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["kg.server.run", "pyoxigraph", "rdflib.plugins.sparql.parser"])
        return ctx
    return multiprocessing.get_context("spawn")


class Worker:
    """A worker process and the parent's end of its socket.

    The event loop watches the socket; each message that arrives completes the
    future of the job that waits for it (:meth:`expect`).
    """

    def __init__(self, store_path: Path):
        ours, theirs = socket.socketpair()
        self.process = _context().Process(target=worker_main, args=(theirs, str(store_path)), daemon=True,
                                   name="kg-sparql-worker")
        self.process.start()
        theirs.close()
        self.sock = ours
        self.reader = MessageReader()
        self.waiter: asyncio.Future | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.deadline = 0.0   # when its long query must end

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Block until the worker has opened the store (before any event loop watches it)."""
        self.sock.settimeout(timeout)
        try:
            message = receive_message(self.sock, self.reader)
        except (OSError, EOFError) as exc:
            message = ("failed", f"no answer ({exc})")
        self.sock.setblocking(False)
        self.check_ready(message)

    def check_ready(self, message: Any) -> None:
        """Accept the worker's first message if it is ``ready``; else end it (ServiceError)."""
        if message != "ready":
            self.kill()
            why = message[1] if isinstance(message, tuple) else repr(message)
            raise ServiceError(f"a SPARQL worker could not open the store: {why}")

    def expect(self, loop: asyncio.AbstractEventLoop) -> asyncio.Future:
        """The future of the next message from the worker."""
        if self.loop is not loop:
            if self.loop is not None and not self.loop.is_closed():
                self.loop.remove_reader(self.sock.fileno())
            self.sock.setblocking(False)
            loop.add_reader(self.sock.fileno(), self._on_readable)
            self.loop = loop
        self.waiter = loop.create_future()
        return self.waiter

    def _on_readable(self) -> None:
        try:
            data = self.sock.recv(self.reader.wanted())
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:   # the process ended
            self._unwatch()
            if self.waiter is not None and not self.waiter.done():
                self.waiter.set_exception(EOFError("the worker ended"))
            return
        for message in self.reader.feed(data):
            if self.waiter is not None and not self.waiter.done():
                self.waiter.set_result(message)

    async def send(self, loop: asyncio.AbstractEventLoop, message: Any) -> None:
        """Send a job; :meth:`waiter` is then the future of its answer."""
        self.expect(loop)
        await loop.sock_sendall(self.sock, encode(message))

    def _unwatch(self) -> None:
        if self.loop is not None and not self.loop.is_closed():
            self.loop.remove_reader(self.sock.fileno())
        self.loop = None

    def kill(self) -> None:
        """End the process at once (whatever it is doing) and close the socket."""
        self._unwatch()
        self.process.kill()
        self.sock.close()

    def stop(self) -> None:
        """Ask the process to stop; end it if it does not within two seconds."""
        self._unwatch()
        try:
            self.sock.setblocking(True)
            self.sock.sendall(encode(None))
        except OSError:
            pass
        self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
        self.sock.close()


class ProcessRunner:
    """Runs jobs in worker processes that each open the store read-only (see the module's notes).

    Parameters
    ----------
    store_path : the built store (``build/store``)
    workers : worker processes
    long_slots : how many of them may run a query past ``quick`` seconds (default: half)
    quick : seconds a query may hold a reserve worker
    queue : queries that may wait for a worker at a time
    """

    def __init__(self, store_path: Path | str, workers: int = 4, long_slots: int | None = None,
                 quick: float = 1.0, queue: int = 64):
        self.store_path = Path(store_path)
        self.workers = max(1, workers)
        self.long_slots = min(self.workers, max(1, long_slots if long_slots is not None else self.workers // 2))
        self.quick = quick
        self.queue = queue
        self._all: set[Worker] = set()
        self._idle: list[Worker] = []
        self._starting = 0
        self._long = 0                                     # long slots taken
        self._running_long: set[Worker] = set()
        self._waiting_any: deque[asyncio.Future] = deque()
        self._waiting_long: deque[asyncio.Future] = deque()
        self._known_long: OrderedDict[str, None] = OrderedDict()
        self._failure: str | None = None
        self._started = False
        self._lock = threading.Lock()

    # ------------------------------------------------------------ the processes

    def start(self) -> None:
        """Start the workers and wait until each has opened the store (ServiceError if one cannot)."""
        with self._lock:
            if self._started:
                return
            new = [Worker(self.store_path) for _ in range(self.workers)]
            try:
                for worker in new:
                    worker.wait_ready()
            except ServiceError:
                for worker in new:
                    worker.kill()
                raise
            self._all.update(new)
            self._idle.extend(new)
            self._started = True

    def _replace(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start workers in the background until there are ``workers`` again."""
        for _ in range(self.workers - len(self._all) - self._starting):
            self._starting += 1
            loop.create_task(self._spawn(loop))

    async def _spawn(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            worker = Worker(self.store_path)
            ready = worker.expect(loop)
            message: Any = ("failed", "it did not answer")
            if await within(ready, loop.time() + START_TIMEOUT) and ready.exception() is None:
                message = ready.result()
            worker.check_ready(message)
        except (ServiceError, OSError) as exc:
            self._failure = str(exc)
            return
        finally:
            self._starting -= 1
        self._failure = None
        self._all.add(worker)
        self._release(worker, long=False)

    def _discard(self, worker: Worker, loop: asyncio.AbstractEventLoop) -> None:
        """Stop a worker that overran (or whose client left) and start its replacement."""
        worker.kill()
        self._all.discard(worker)
        self._replace(loop)

    # ------------------------------------------------------------ admission

    def _retry_after(self, loop: asyncio.AbstractEventLoop, default: float) -> float:
        ends = [w.deadline for w in self._running_long]
        return min(ends) - loop.time() if ends else default

    def _long_room(self) -> bool:
        """Whether one more query may run long. A worker being replaced counts against the long
        slots, not against the reserve: the reserve stays free for quick queries."""
        return self._long < self.long_slots - max(0, self.workers - len(self._all))

    def _dispatch(self) -> None:
        """Give idle workers to waiting queries: those waiting for a long slot first, if one is free."""
        while self._idle:
            if self._waiting_long and self._long_room():
                waiter = self._waiting_long.popleft()
                if not waiter.done():
                    self._long += 1
                    waiter.set_result(self._idle.pop())
            elif self._waiting_any:
                waiter = self._waiting_any.popleft()
                if not waiter.done():
                    waiter.set_result(self._idle.pop())
            else:
                return

    def _release(self, worker: Worker, long: bool) -> None:
        if long:
            self._long -= 1
            self._running_long.discard(worker)
        self._idle.append(worker)
        self._dispatch()

    def _free_slot(self, worker: Worker, long: bool) -> None:
        if long:
            self._long -= 1
            self._running_long.discard(worker)
        self._dispatch()

    def _take_now(self, long: bool) -> Worker | None:
        """An idle worker this query may take at once, without overtaking a waiting one."""
        if not self._idle:
            return None
        slot_free = self._long_room()
        if long:
            if self._waiting_long or not slot_free:
                return None
            self._long += 1
        elif self._waiting_any or (self._waiting_long and slot_free):
            return None
        return self._idle.pop()

    async def _acquire(self, loop: asyncio.AbstractEventLoop, long: bool, timeout: float) -> Worker:
        """An idle worker (with a long slot if ``long``), waiting at most ``timeout`` seconds."""
        worker = self._take_now(long)
        if worker is not None:
            return worker
        if not self._all and not self._starting:
            raise ServiceError(self._failure or "no SPARQL worker is running")
        if len(self._waiting_any) + len(self._waiting_long) >= self.queue:
            raise _busy(f"{self.queue} queries are waiting already", self._retry_after(loop, self.quick))
        waiter: asyncio.Future[Worker] = loop.create_future()
        lane = self._waiting_long if long else self._waiting_any
        lane.append(waiter)
        try:
            await within(waiter, loop.time() + timeout)
        except asyncio.CancelledError:   # the client left
            if waiter.done():
                self._release(waiter.result(), long)
            else:
                waiter.cancel()
                lane.remove(waiter)
            raise
        if not waiter.done():
            waiter.cancel()
            lane.remove(waiter)
            raise _busy(f"every worker stayed busy for {timeout:g} s", self._retry_after(loop, timeout))
        return waiter.result()

    # ------------------------------------------------------------ running

    async def run(self, job: Job, timeout: float) -> tuple[str, bytes]:
        loop = asyncio.get_running_loop()
        if not self._started:
            await loop.run_in_executor(None, self.start)
        long = job.query in self._known_long
        while True:
            worker = await self._acquire(loop, long, timeout)
            try:
                await worker.send(loop, job)
            except OSError:     # the worker had ended while idle: another one takes the job
                self._discard(worker, loop)
                self._free_slot(worker, long)
                continue
            outcome = await self._run_on(loop, worker, job, timeout, long)
            if outcome is not None:
                return unwrap(*outcome)
            long = True   # preempted: wait for a long slot, then run again from the start

    async def _run_on(self, loop: asyncio.AbstractEventLoop, worker: Worker, job: Job, timeout: float,
                      long: bool) -> tuple[str, Any] | None:
        """Wait for the answer of the job just sent to a worker; None when the job was preempted."""
        started = loop.time()
        worker.deadline = started + timeout
        if long:
            self._running_long.add(worker)
        answer = worker.waiter
        assert answer is not None
        try:
            if not long and self.quick < timeout and not await within(answer, started + self.quick):
                self._remember_long(job.query)
                if not self._long_room():
                    self._discard(worker, loop)
                    return None
                self._long += 1
                long = True
                self._running_long.add(worker)
            if not await within(answer, started + timeout):
                raise QueryTimeout(f"the query ran longer than the limit of {timeout:g} s and was stopped")
            message = answer.result()
        except EOFError:
            self._discard(worker, loop)
            self._free_slot(worker, long)
            raise RuntimeError("the SPARQL worker ended while it ran the query") from None
        except BaseException:
            self._discard(worker, loop)
            self._free_slot(worker, long)
            raise
        self._release(worker, long)
        return message

    def _remember_long(self, query: str) -> None:
        self._known_long[query] = None
        self._known_long.move_to_end(query)
        while len(self._known_long) > KNOWN_LONG:
            self._known_long.popitem(last=False)

    def close(self) -> None:
        for worker in list(self._all):
            worker.stop()
        self._all.clear()
        self._idle.clear()
        self._started = False

