"""Writing outputs atomically: a reader sees the old file or the new one, never half of either.

Every output of a build is first written into a staging folder inside ``build/``;
only when all of them succeeded are they moved into place, each with an atomic
rename. A failed or interrupted build therefore leaves the previous outputs intact.

>>> import tempfile
>>> out = Path(tempfile.mkdtemp())
>>> with staging(out) as stage:
...     _ = stage.write("a/b.txt", "new")
>>> (out / "a" / "b.txt").read_text()
'new'
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import OutputError


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write a file so that readers see the old content or the new, never a half.

    The file gets the permissions any new file gets (the umask decides), not the 0600
    of a temporary file. :class:`~kg.errors.OutputError` names the path when it cannot
    be written.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _alive(staging_name: str) -> bool:
    """Whether the build that made a staging folder (``.staging-<pid>-...``) is still running."""
    pid = staging_name.split("-")[1]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@functools.cache
def _umask() -> int:
    """The process's umask (read once: reading it means setting it for a moment)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Staging:
    """A folder to write outputs into; :meth:`commit` moves them all into ``out``."""

    def __init__(self, out: Path):
        self.out = Path(out)
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            for old in self.out.glob(".staging-*"):   # what a killed build left behind
                if not _alive(old.name):
                    shutil.rmtree(old, ignore_errors=True)
            self.dir = Path(tempfile.mkdtemp(prefix=f".staging-{os.getpid()}-", dir=self.out))
        except OSError as exc:
            raise OutputError(f"cannot write the outputs to {self.out}: {exc.strerror or exc}") from None

    def path(self, name: str) -> Path:
        """Where to write the output that will become ``out/name``."""
        target = self.dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write(self, name: str, data: str | bytes) -> Path:
        target = self.path(name)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return target

    def commit(self) -> list[Path]:
        """Move every staged file and folder into place; return the final paths."""
        moved = []
        for item in sorted(self.dir.iterdir()):
            final = self.out / item.name
            if item.is_dir():
                old = None
                if final.exists():
                    old = self.out / f".old-{item.name}-{os.getpid()}"
                    os.replace(final, old)
                os.replace(item, final)
                if old is not None:
                    shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(item, final)
            moved.append(final)
        self.discard()
        return moved

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def staging(out: Path):
    """``with staging(out) as s: s.write(...)`` — committed on success, discarded on error."""
    stage = Staging(out)
    try:
        yield stage
    except BaseException:
        stage.discard()
        raise
    stage.commit()


def json_tree(value, *, depth: int, indent: int = 0, default=None) -> str:
    """JSON indented down to ``depth`` levels, each deeper value on one line: as readable as fully
    indented JSON for a large result (one actor, pair or statement per line), and written by the
    json module's C encoder (``json.dumps`` with an ``indent`` is pure Python, and takes seconds on a
    graph's export). ``default`` is :func:`json.dumps`'s.

    >>> print(json_tree({"pairs": [{"a": 1, "b": [2, 3]}], "n": 1}, depth=2))
    {
      "pairs": [
        {"a": 1, "b": [2, 3]}
      ],
      "n": 1
    }
    """
    if depth == 0 or not isinstance(value, dict | list) or not value:
        return json.dumps(value, ensure_ascii=False, default=default)
    pad = "  " * (indent + 1)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k, ensure_ascii=False)}: {json_tree(v, depth=depth - 1, indent=indent + 1, default=default)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}"
    items = [pad + json_tree(v, depth=depth - 1, indent=indent + 1, default=default) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + "  " * indent + "]"


#: how a stage runs independent pieces of work (each a call with no arguments): it returns their
#: results in order (a list, or an iterator that gives each as it comes). The stages define the
#: pieces; the build decides where they run.
Run = Callable[[list[Callable[[], Any]]], Iterable[Any]]


def serially(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls one after the other, here (the default :data:`Run`).

    >>> serially([lambda: 1, lambda: 2])
    [1, 2]
    """
    return [call() for call in calls]


@dataclass
class Work:
    """A stage's outputs as independent calls, and how their results become files.

    ``names`` are the files :attr:`finish` will return (known before any call is made, so
    that an index can list them); ``finish`` takes the calls' results, in order.
    """

    names: list[str]
    calls: list[Callable[[], Any]]
    finish: Callable[[list[Any]], dict[str, str]]


def together(works: list[Work], run: Run = serially,
             emit: Callable[[dict[str, str]], None] | None = None) -> dict[str, str]:
    """Every file of ``works``, their calls made in one ``run`` (so that processes busy with one
    stage's last call are not waiting for another stage's first); ``emit``, if given, is called with
    each work's files as soon as its calls are made (the build writes them while the others run).

    >>> double = Work(["two.txt"], [lambda: 2], lambda r: {"two.txt": str(r[0])})
    >>> together([double, Work(["a.txt", "b.txt"], [lambda: "a", lambda: "b"],
    ...                        lambda r: {"a.txt": r[0], "b.txt": r[1]})], emit=print)
    {'two.txt': '2'}
    {'a.txt': 'a', 'b.txt': 'b'}
    {'two.txt': '2', 'a.txt': 'a', 'b.txt': 'b'}
    """
    results = iter(run([call for work in works for call in work.calls]))
    files: dict[str, str] = {}
    try:
        for work in works:
            made = work.finish([next(results) for _ in work.calls])
            if emit is not None:
                emit(made)
            files |= made
    finally:   # (a run that is given up, e.g. when emit fails, lets its processes go now)
        close = getattr(results, "close", None)
        if close is not None:
            close()
    return files
