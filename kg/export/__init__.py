"""Exports: the knowledge graph in the formats other tools read.

A registry, :data:`EXPORTERS`, maps a format name to an :class:`Exporter` (the file
name it is written under, its media type, and a function that returns the text).
:func:`export` writes one format; :func:`export_files` gives the build every format.
Every output is deterministic: two builds of the same inputs give byte-identical files.
RDF, for triplestores and linked-data tools:

==========  ==================  ================================================
turtle      graph.ttl           the knowledge graph (actors, facts, inferred, provenance)
trig        dataset.trig        every named graph, provenance included
nquads      dataset.nq          the same dataset, one quad per line
ntriples    graph.nt            the knowledge graph, one triple per line (sorted)
jsonld      graph.jsonld        JSON-LD with the published context (short keys: ``backs``...)
rdfxml      graph.rdf           RDF/XML
==========  ==================  ================================================

Turtle, TriG, JSON-LD and RDF/XML are written a section at a time: first the core (actors,
relations, statements, analysis), then each article's node with the evidence quoted from
it, in the order of the articles' IRIs. An article's section is the same from one build
to the next unless the article changed, so the build keeps its text (``build/cache/fragments/``)
and a rebuild writes again only the sections of the articles that changed.

Graphs, for Gephi, Cytoscape, yEd, D3 / sigma.js pages and spreadsheets (one node per
actor, one edge per relation, attributes typed; see :func:`flat_network`):

==========  ==================  ================================================
graphml     graph.graphml       GraphML (Gephi, Cytoscape, yEd, igraph)
gexf        graph.gexf          GEXF, dynamic: dated relations carry start/end
nodelink    graph.json          node-link JSON (D3, sigma.js; networkx's layout)
cytoscape   graph.cyjs          Cytoscape.js JSON (``elements.nodes``/``elements.edges``)
csv-nodes   nodes.csv           the actors
csv-edges   edges.csv           the relations
==========  ==================  ================================================

The analysis scores of each actor (``pagerank``, ``betweenness``, ``bloc``...) are node
attributes of the graph formats.

>>> from kg.network import _example_graph
>>> print(export(_example_graph(), "csv-edges").splitlines()[1])
s1,Russia,Turkey,opposes,-1,true,1,2020-03-01,2020-03-01,2020-03-01,,curated,1.0,Russia and Turkey clash.,https://w3id.org/conflict-kg/s1
>>> sorted(EXPORTERS)[:4]
['csv-edges', 'csv-nodes', 'cytoscape', 'gexf']
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import namespaces as ns
from ..errors import UsageError
from ..files import Run, Work, atomic_write, serially, together
from ..formats import EXPORT_FORMATS
from . import graphs, rdf
from .rdf import context_text as context_text
from .rdf import fragments_table
from .rdf import jsonld_context as jsonld_context
from .source import Source as Source

#: where the JSON-LD context is published (and kept in the repo at ontology/context.jsonld)
CONTEXT_URL = ns.KG_IRI + "context.jsonld"
EXPORT_DIR = "export"
CONTEXT_FILE = "context.jsonld"
#: the formats the build writes at the top of ``build/`` (the dataset itself), not under ``export/``
DATASET_FORMATS = ("turtle", "trig", "nquads")


@dataclass(frozen=True)
class Exporter:
    """One export format: the file it is written to in ``build/export/``, its media type, its writer."""

    name: str
    filename: str
    media_type: str
    write: Callable[[Source], str]
    description: str


#: the writer of each format of :data:`kg.formats.EXPORT_FORMATS`
WRITERS: dict[str, Callable[[Source], str]] = {
    "turtle": rdf.to_turtle, "trig": rdf.to_trig, "nquads": rdf.to_nquads, "ntriples": rdf.to_ntriples,
    "jsonld": rdf.to_jsonld, "rdfxml": rdf.to_rdfxml, "graphml": graphs.to_graphml, "gexf": graphs.to_gexf,
    "nodelink": graphs.to_nodelink, "cytoscape": graphs.to_cytoscape, "csv-nodes": graphs.to_csv_nodes,
    "csv-edges": graphs.to_csv_edges,
}

EXPORTERS: dict[str, Exporter] = {name: Exporter(name, f.filename, f.media_type, WRITERS[name], f.description)
                                  for name, f in EXPORT_FORMATS.items()}


def exporter(fmt: str) -> Exporter:
    """The exporter for a format name; :class:`UsageError` naming the choices otherwise."""
    try:
        return EXPORTERS[fmt]
    except KeyError:
        raise UsageError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORTERS)}") \
            from None


def export(data: Any, fmt: str, out: Path | str | None = None) -> str:
    """The graph in format ``fmt``; written (atomically) to ``out`` when given, and returned.

    ``data`` is a :class:`~kg.built.BuiltGraph` (what ``kg build`` made), what
    :func:`kg.build_graph` returns (an rdflib Dataset, provenance in named graphs), or a
    plain rdflib Graph.

    Examples
    --------
    >>> import io
    >>> import networkx as nx
    >>> from kg.network import _example_graph
    >>> text = export(_example_graph(), "graphml")
    >>> g = nx.read_graphml(io.BytesIO(text.encode()))
    >>> sorted(g.nodes), sorted(d["relation"] for _, _, d in g.edges(data=True))
    (['FailaqAlSham', 'Russia', 'Turkey'], ['backs', 'opposes'])
    """
    text = exporter(fmt).write(data if isinstance(data, Source) else Source(data))
    if out is not None:
        atomic_write(Path(out), text)
    return text


#: ``kg.export_graph``: the name the package exports (``kg.export`` is this module)
export_graph = export


def export_all(data: Any, folder: Path | str) -> list[Path]:
    """Every format into ``folder`` under its file name, and the JSON-LD context (for users who want
    all of them in one place; the build uses :func:`export_files`)."""
    src = data if isinstance(data, Source) else Source(data)
    folder = Path(folder)
    written = []
    for exp in EXPORTERS.values():
        atomic_write(folder / exp.filename, exp.write(src))
        written.append(folder / exp.filename)
    atomic_write(folder / CONTEXT_FILE, context_text(src.ontology))
    return [*written, folder / CONTEXT_FILE]


def export_files(data: Any, *, run: Run = serially) -> dict[str, str]:
    """Every format under the name the build gives it: the dataset formats (:data:`DATASET_FORMATS`)
    at the top, the others and the JSON-LD context under ``export/``. Each format is written by one
    call that ``run`` makes (:data:`kg.files.Run`).

    >>> from kg.network import _example_graph
    >>> sorted(export_files(_example_graph()))[:4]
    ['dataset.nq', 'dataset.trig', 'export/context.jsonld', 'export/edges.csv']
    """
    return together([export_work(data)], run)


def export_work(data: Any, *, cache: Path | None = None) -> Work:
    """:func:`export_files` as a :class:`kg.files.Work`: one call per format. With ``cache`` (a folder), the
    text of each article's section in the formats written a section at a time is remembered there."""
    src = data if isinstance(data, Source) else Source(data, fragments=fragments_table(cache))
    # what several writers read: made once, first
    _ = src.ntriples, src.quad_lines, src.ontology, src.flat, src.sections, src.section_keys
    names = [exp.filename if exp.name in DATASET_FORMATS else f"{EXPORT_DIR}/{exp.filename}"
             for exp in EXPORTERS.values()]
    context = f"{EXPORT_DIR}/{CONTEXT_FILE}"

    def finish(texts: list[str]) -> dict[str, str]:
        return {**dict(zip(names, texts, strict=True)), context: context_text(src.ontology)}

    return Work([*names, context], [functools.partial(exp.write, src) for exp in EXPORTERS.values()], finish)
