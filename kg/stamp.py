"""What a build was made from: the digest of its inputs, recorded beside its outputs.

A build writes ``store.stamp`` holding :func:`inputs_fingerprint` of the project; the
build is fresh while the inputs still give that digest. This module is light on
purpose: ``kg query`` on a fresh build checks it and starts without importing the build.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> is_fresh(root, root / "build")
False
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ._version import __version__

#: the file beside the outputs that records the inputs' digest
STAMP = "store.stamp"
#: the built Oxigraph store and the built dataset, inside the build folder
STORE_DIR = "store"
#: the per-article extraction cache, beside the outputs (never served, kept across builds)
CACHE_DIR = "cache"
DATASET = "dataset.nq"


def inputs_fingerprint(root: Path | str) -> str:
    """A digest of every input file (articles, sidecars, ontology, catalogue) and of kg's version."""
    root = Path(root)
    digest = hashlib.sha256(__version__.encode())
    files = sorted([*Path(root, "seeds").glob("*"), *Path(root, "ontology").glob("*")])
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def is_fresh(root: Path | str, build_dir: Path | str) -> bool:
    """True when ``build_dir`` holds a complete build made from the current inputs of ``root``."""
    build_dir = Path(build_dir)
    stamp = build_dir / STAMP
    return (build_dir / STORE_DIR).is_dir() and (build_dir / DATASET).is_file() and stamp.is_file() and \
        stamp.read_text().strip() == inputs_fingerprint(root)
