"""kg — a knowledge graph of the actors, alliances and proxy relationships in a conflict.

The public API a notebook or another tool needs::

    >>> import kg
    >>> ds = kg.build_graph(".")                        # doctest: +SKIP
    >>> result = kg.run_build(".")                      # writes build/  # doctest: +SKIP

Exports, the endpoint and a triplestore (see ``kg.export``, ``kg.server``, ``kg.push``)::

    >>> ds = kg.load_built("build")                     # what `kg build` wrote  # doctest: +SKIP
    >>> kg.export_graph(ds, "graphml", "graph.graphml")  # any name in kg.EXPORTERS  # doctest: +SKIP
    >>> kg.push_graph(ds, "http://127.0.0.1:7878/update")  # a SPARQL 1.1 store  # doctest: +SKIP
    >>> app = kg.make_app("build/store", static_dir="build")  # an ASGI app  # doctest: +SKIP

Heavy modules are imported on first use, so ``import kg`` stays cheap.
"""

from __future__ import annotations

from ._version import __version__ as __version__

_EXPORTS = {
    "build_graph": "kg.pipeline",
    "run_build": "kg.pipeline",
    "summarize": "kg.pipeline",
    "load_corpus": "kg.inputs.corpus",
    "build_dataset": "kg.graph.build",
    "knowledge_graph": "kg.graph.build",
    "to_networkx": "kg.network",
    "validate": "kg.graph.validate",
    "export_graph": "kg.export",
    "load_built": "kg.project",
    "Project": "kg.project",
    "BuiltGraph": "kg.built",
    "EXPORTERS": "kg.export",
    "make_app": "kg.server",
    "push_graph": "kg.push",
    "KgError": "kg.errors",
    "InputError": "kg.errors",
    "ValidationError": "kg.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    import importlib

    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
