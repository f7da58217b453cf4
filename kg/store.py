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

STORE_DIR = "store"
#: a file beside the store recording which inputs it was built from.
STAMP = "store.stamp"


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

    from .errors import UsageError

    path = Path(path)
    if not path.is_dir():
        raise UsageError(f"no store at {path}; run `kg build` first")
    return ox.Store.read_only(str(path))


def memory_store_from_nquads(text: str):
    """An in-memory store holding an N-Quads document (for tests and small graphs)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(input=text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return store


def union_query(store, query: str, **kwargs):
    """Run a SPARQL query with the default graph as the union of all named graphs."""
    return store.query(query, use_default_graph_as_union=True, **kwargs)


def inputs_fingerprint(root: Path) -> str:
    """A digest of every input file (articles, sidecars, ontology, catalogue) and kg's version.

    The store is stale when this differs from the fingerprint recorded at build time.
    """
    import hashlib

    from . import __version__

    root = Path(root)
    digest = hashlib.sha256(__version__.encode())
    files = sorted([*Path(root, "seeds").glob("*"), *Path(root, "ontology").glob("*")])
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def is_fresh(root: Path, out: Path) -> bool:
    """True when ``out/store`` exists and was built from the current inputs."""
    stamp = Path(out) / STAMP
    return (Path(out) / STORE_DIR).is_dir() and stamp.exists() and \
        stamp.read_text().strip() == inputs_fingerprint(root)


def store_stage(ctx) -> None:
    """Build stage: write ``build/store/`` and its stamp from the dataset's N-Quads."""
    from .outputs import nquads

    write_store(nquads(ctx.dataset), ctx.staging.path(STORE_DIR))
    ctx.staging.write(STAMP, inputs_fingerprint(ctx.corpus.root) + "\n")


def ensure_store(root: Path | str = ".", out: Path | str | None = None, *, notify=None) -> Path:
    """The path of a built store that is fresh: ``out/store``, built first if missing or stale.

    ``notify(message)`` is called before a build (the CLI tells the user why it waits).
    Without inputs to build from (no ``seeds/`` nor ``ontology/``), an existing store is used as is.
    """
    root = Path(root)
    out = Path(out) if out is not None else root / "build"
    store = out / STORE_DIR
    if is_fresh(root, out):
        return store
    has_inputs = (root / "seeds").is_dir() or (root / "ontology").is_dir()
    if store.is_dir() and not has_inputs:
        return store
    if notify is not None:
        notify(f"the graph in {out} is {'stale' if store.is_dir() else 'missing'}; building it first")
    from .pipeline import run_build

    run_build(root, out)
    return store
