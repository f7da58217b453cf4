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

from pathlib import Path

from .errors import UsageError
from .graph.quads import load_nquads
from .stamp import STORE_DIR as STORE_DIR


def write_store(nquads_text: str, path: Path) -> None:
    """Create an on-disk Oxigraph store at ``path`` holding the dataset given as N-Quads."""
    import pyoxigraph as ox

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(path))
    store.bulk_load(input=nquads_text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    store.flush()
    store.optimize()
    del store


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
