"""Results of pure functions, remembered on disk by the digest of their inputs and their code.

A rebuild redoes a costly step (a map's layout, for one) only when what it reads has
changed: :class:`Memo` keeps each result as a small JSON file named by the SHA-256 of
the step's inputs (as canonical JSON) and of the source of the code that computes it
(and the versions of the libraries it names), in a folder of ``build/cache/``. The
result is the one the step would compute, so a build with the memo writes the same
bytes as one without it.

>>> import tempfile
>>> memo = Memo(Path(tempfile.mkdtemp()), code=[Path(__file__)])
>>> calls = []
>>> def square(x):
...     calls.append(x)
...     return x * x
>>> memo({"x": 3}, lambda: square(3)), memo({"x": 3}, lambda: square(3)), calls
(9, 9, [3])
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from ._version import __version__
from .errors import OutputError
from .files import atomic_write

T = TypeVar("T")


class Memo:
    """JSON results kept in ``folder`` (nowhere if None) by the digest of their inputs and ``code``.

    ``code`` lists the source files of the step (their bytes are part of every key), and
    ``libraries`` the distributions whose version may change its result (numerics).
    """

    def __init__(self, folder: Path | None, *, code: Iterable[Path], libraries: Iterable[str] = ()):
        self.folder = folder
        self._salt = code_digest(code, libraries)

    def key(self, inputs: Any) -> str:
        """The digest naming the result of ``inputs`` (any JSON-ready value)."""
        text = json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(f"{self._salt}\n{text}".encode()).hexdigest()

    def __call__(self, inputs: Any, make: Callable[[], T]) -> T:
        """The result for ``inputs``: the one remembered, or ``make()`` (then remembered)."""
        if self.folder is None:
            return make()
        path = self.folder / f"{self.key(inputs)}.json"
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
            os.utime(path)   # (recently used: kept by :meth:`prune`)
            return value
        except (OSError, ValueError):
            pass
        value = make()
        try:
            atomic_write(path, json.dumps(value, separators=(",", ":")))
        except OutputError:   # an unwritable cache costs time on the next build, nothing else
            pass
        return value

    def prune(self, keep: int) -> None:
        """Forget all but the ``keep`` most recently used results."""
        if self.folder is None or not self.folder.is_dir():
            return
        kept = sorted(self.folder.glob("*.json"), key=_used, reverse=True)
        for path in kept[keep:]:
            path.unlink(missing_ok=True)


class Table:
    """Results kept as one table per name (a pickle in ``folder``, or nowhere if None), each by a key the
    caller gives (the digest of what it is made of), made again when ``code`` or ``libraries`` change.

    For many small results read together (a text per article): one file read and, when anything
    changed, one written, rather than a file per result. A table keeps only the results last asked for.

    >>> import tempfile
    >>> table = Table(Path(tempfile.mkdtemp()), code=[Path(__file__)])
    >>> table.get("lengths", ["ab", "abc"], len), table.get("lengths", ["ab"], lambda k: 0)
    ([2, 3], [2])
    """

    def __init__(self, folder: Path | None, *, code: Iterable[Path], libraries: Iterable[str] = ()):
        self.folder = folder
        self._salt = code_digest(code, libraries)

    def get(self, name: str, keys: list[str], make: Callable[[str], T]) -> list[T]:
        """The result for each key, in order: the one kept, or ``make(key)`` (then kept)."""
        kept: dict[str, Any] = {}
        path = self.folder / f"{name}.pickle" if self.folder is not None else None
        if path is not None:
            try:
                with open(path, "rb") as fh:
                    stored = pickle.load(fh)
                if isinstance(stored, dict) and stored.get("salt") == self._salt:
                    kept = stored["results"]
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, KeyError, TypeError, ValueError):
                kept = {}
        results = {key: kept[key] if key in kept else make(key) for key in keys}
        if path is not None and results.keys() != kept.keys():
            try:
                atomic_write(path, pickle.dumps({"salt": self._salt, "results": results},
                                                protocol=pickle.HIGHEST_PROTOCOL))
            except OutputError:   # an unwritable cache costs time on the next build, nothing else
                pass
        return [results[key] for key in keys]


def code_digest(code: Iterable[Path], libraries: Iterable[str] = ()) -> str:
    """The digest of kg's version, of the source files ``code`` and of the versions of ``libraries``: what a
    remembered result also depends on."""
    digest = hashlib.sha256(f"kg {__version__}\n".encode())
    for path in sorted(code):
        digest.update(f"{path.name}\n".encode())
        digest.update(path.read_bytes())
    for name in sorted(libraries):
        digest.update(f"{name} {importlib.metadata.version(name)}\n".encode())
    return digest.hexdigest()


def _used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
