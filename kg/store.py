"""The persistent, fast embedded store: the built dataset in a pyoxigraph (Oxigraph) Store.

``kg build`` writes ``build/store/`` (an on-disk Oxigraph store holding every named
graph of the dataset) so that queries neither re-parse Turtle nor rebuild the graph.
Queries run with the default graph as the union of the named graphs, so
``SELECT ?g WHERE { kg:Turkey kg:backs ?g }`` needs no ``GRAPH`` clause.

>>> store = memory_store_from_nquads('<https://w3id.org/conflict-kg/Turkey> '
...     '<https://w3id.org/conflict-kg/backs> <https://w3id.org/conflict-kg/FailaqAlSham> '
...     '<https://w3id.org/conflict-kg/graph/facts> .')
>>> [str(row[0].value).rsplit("/", 1)[1] for row in union_query(store,
...     "SELECT ?g WHERE { <https://w3id.org/conflict-kg/Turkey> ?p ?g }")]
['FailaqAlSham']
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .errors import UsageError
from .graph.quads import load_nquads
from .stamp import DATASET
from .stamp import STORE_DIR as STORE_DIR

#: a store is updated rather than loaded afresh while at most this share of its quads changes
UPDATE_UP_TO = 0.25


def write_store(nquads_text: str, path: Path, *, previous: Path | None = None) -> bool:
    """Create an on-disk Oxigraph store at ``path`` holding the dataset given as N-Quads.

    With ``previous`` (a build folder holding ``store/`` and the ``dataset.nq`` it holds), a
    dataset that differs from that one in few quads is written as a copy of its store (hard
    links to its files: no data is copied, and the previous store stays as it was) with the
    differing quads removed and added, rather than loaded afresh; True when it was.
    """
    import pyoxigraph as ox

    path = Path(path)
    if previous is not None and _updated(Path(previous), nquads_text, path):
        return True
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(path))
    store.bulk_load(input=nquads_text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    store.flush()
    store.optimize()
    del store
    return False


def _updated(previous: Path, nquads_text: str, path: Path) -> bool:
    """Write at ``path`` the store of ``previous`` changed into the dataset ``nquads_text``, if few of
    its quads differ and none holds a blank node (a bulk-loaded store names them anew); whether it was.

    The result is checked by its count of quads; anything amiss leaves nothing at ``path``.
    """
    import pyoxigraph as ox

    if not Path(previous, STORE_DIR).is_dir():
        return False
    try:
        old = set(Path(previous, DATASET).read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return False
    new = set(nquads_text.splitlines())
    new.discard("")
    removed, added = old - new, new - old
    if len(removed) + len(added) > UPDATE_UP_TO * len(new) or any("_:" in line for line in removed | added):
        return False
    shutil.rmtree(path, ignore_errors=True)
    try:
        ox.Store.read_only(str(Path(previous, STORE_DIR))).backup(str(path))
        store = ox.Store(str(path))
        for quad in ox.parse("\n".join(sorted(removed)), format=ox.RdfFormat.N_QUADS):
            store.remove(quad)
        load_nquads(store, "\n".join(sorted(added)))
        store.flush()
        if len(store) == len(new):
            return True
    except (OSError, SyntaxError, ValueError):
        pass
    shutil.rmtree(path, ignore_errors=True)
    return False


def open_store(path: Path):
    """Open a built store read-only (several readers may share it)."""
    import pyoxigraph as ox

    path = Path(path)
    if not path.is_dir():
        raise UsageError(f"no store at {path}; build the project first")
    return ox.Store.read_only(str(path))


def memory_store_from_nquads(text: str | bytes):
    """An in-memory store holding an N-Quads document (``build/dataset.nq`` read, or a test's)."""
    import pyoxigraph as ox

    store = ox.Store()
    load_nquads(store, text)
    return store


def union_query(store, query: str, **kwargs):
    """Run a SPARQL query with the default graph as the union of all named graphs."""
    return store.query(query, use_default_graph_as_union=True, **kwargs)
