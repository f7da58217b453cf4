"""kg — a knowledge graph of the actors, alliances and proxy relationships in a conflict.

The public API a notebook or another tool needs (run in a project folder)::

    import kg
    ds = kg.build_graph(".")                             # the checked graph, nothing written
    result = kg.run_build(".")                           # writes build/
    project = kg.Project.at(".")                         # the project and its build
    built = project.load()                               # built (first if stale): RDF, network, analysis
    kg.export_graph(built, "graphml", "graph.graphml")   # any name in kg.EXPORTERS
    kg.push_graph(project.dataset_path, "http://127.0.0.1:7878/update")   # a SPARQL 1.1 store
    app = kg.make_app(project.store_path, static_dir=project.build_dir)   # an ASGI app

On a graph of your own:

>>> import kg
>>> from kg.network import _example_graph
>>> g = kg.to_networkx(_example_graph(), view="states")
>>> sorted(g.nodes), "graphml" in kg.EXPORTERS
(['Russia', 'Turkey'], True)

Heavy modules are imported on first use, so ``import kg`` stays cheap.
"""

from __future__ import annotations

import importlib

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
    "Workers": "kg.pipeline",
    "BuiltGraph": "kg.built",
    "Map": "kg.render",
    "EXPORTERS": "kg.export",
    "make_app": "kg.server",
    "push_graph": "kg.push",
    "KgError": "kg.errors",
    "InputError": "kg.errors",
    "ValidationError": "kg.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
