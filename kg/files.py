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

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write a file so that readers see the old content or the new, never a half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Staging:
    """A folder to write outputs into; :meth:`commit` moves them all into ``out``."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.out))

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
