"""Calls made in processes forked from this one: they read what it holds without copying it.

The build forks its worker processes after it has built the graph, so that they read the
graph as it is in memory and send back only what they make (a map's HTML, an export's
text). :func:`forked` is a :data:`kg.files.Run` for a stage's calls; :func:`background` makes
one call elsewhere while this process goes on. Forking is used only where it is safe
(Linux; macOS's system libraries are not made for it); elsewhere, and with one job, the
calls are made here, one after the other.

>>> list(forked(2)([lambda: 1, lambda: 2]))
[1, 2]
>>> with background(lambda: "made", 2) as later:
...     later.result()
'made'
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from .files import Run, serially

T = TypeVar("T")


def default_jobs() -> int:
    """The number of processors this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class Later(Generic[T]):
    """The result of a call made elsewhere (:func:`background`), or here when asked for."""

    def __init__(self, call: Callable[[], T], future: Future | None):
        self._call, self._future = call, future

    def result(self) -> T:
        return self._future.result() if self._future is not None else self._call()


@contextmanager
def background(call: Callable[[], T], jobs: int | None) -> Iterator[Later[T]]:
    """Make ``call`` in a process forked from this one (as :func:`forked` would) while the block runs
    here; with one job, or where forking is not safe, it is made when its result is asked for."""
    if not can_fork(jobs):
        yield Later(call, None)
        return
    with _forking([call], 1) as pool:
        yield Later(call, pool.submit(_call, 0))


def forked(jobs: int | None, *, meanwhile: Callable[[], Any] | None = None) -> Run:
    """A :data:`kg.files.Run` that runs the calls in ``jobs`` processes (default: one per core) forked
    from this one, so that they read the built graph without copying it and send back only what they
    write; one after the other where there is one job, or where forking is not safe (it is on Linux;
    macOS's system libraries are not made for it). The results come as an iterator, each when it is
    made and asked for.

    ``meanwhile``, if given, is called here while the processes work (before the calls, without them),
    so that this process is not idle waiting for their results.
    """
    def run(calls: list[Callable[[], Any]]) -> Iterator[Any]:
        if not can_fork(jobs) or len(calls) < 2:
            if meanwhile is not None:
                meanwhile()
            yield from serially(calls)
            return
        with _forking(calls, min(jobs or default_jobs(), len(calls))) as pool:
            futures = [pool.submit(_call, index) for index in range(len(calls))]
            if meanwhile is not None:
                meanwhile()
            for future in futures:
                yield future.result()

    return run


def can_fork(jobs: int | None) -> bool:
    """Whether to fork for ``jobs`` (None: one per core): more than one, and on Linux (fork elsewhere is
    unsafe)."""
    return (default_jobs() if jobs is None else jobs) >= 2 and sys.platform.startswith("linux")


@contextmanager
def _forking(calls: list[Callable[[], Any]], processes: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``processes`` forked from this one that can make ``calls`` (by index, :func:`_call`)."""
    global _CALLS
    _CALLS = calls
    gc.freeze()   # the forked processes' collector leaves the build's objects be (no copy of their pages)
    try:
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
            yield pool
    finally:
        gc.unfreeze()
        _CALLS = []


#: the calls the processes of a :func:`_forking` pool make (they inherit them)
_CALLS: list[Callable[[], Any]] = []


def _call(index: int) -> Any:
    return _CALLS[index]()


