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
        digest = hashlib.sha256(f"kg {__version__}\n".encode())
        for path in sorted(code):
            digest.update(f"{path.name}\n".encode())
            digest.update(path.read_bytes())
        for name in sorted(libraries):
            digest.update(f"{name} {importlib.metadata.version(name)}\n".encode())
        self._salt = digest.hexdigest()

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


def _used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
