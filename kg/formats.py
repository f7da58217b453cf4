"""The names of the formats kg writes, defined once and light enough for the CLI's options.

The writers live with their stage (:mod:`kg.sparql.formats`, :mod:`kg.export`); this
module holds only names, files and media types, so ``kg --help`` lists every choice
without importing rdflib, networkx or pyoxigraph.

>>> EXPORT_FORMATS["graphml"].filename, "csv" in QUERY_FORMATS
('graph.graphml', True)
"""

from __future__ import annotations

from typing import NamedTuple

#: ``kg query``'s formats for the results of SELECT and ASK
RESULT_FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "xml", "markdown")
#: ``kg query``'s RDF syntaxes for CONSTRUCT and DESCRIBE
GRAPH_FORMATS: tuple[str, ...] = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml", "n3")
QUERY_FORMATS: tuple[str, ...] = RESULT_FORMATS + GRAPH_FORMATS
#: the embedded SPARQL engines
ENGINES: tuple[str, ...] = ("oxigraph", "rdflib")


class ExportFormat(NamedTuple):
    """An export format: the file the build writes it to, its media type, and what it is for."""

    filename: str
    media_type: str
    description: str


#: every export format by name, in the order ``kg export --help`` lists them
EXPORT_FORMATS: dict[str, ExportFormat] = {
    "turtle": ExportFormat("graph.ttl", "text/turtle", "RDF Turtle: the knowledge graph"),
    "trig": ExportFormat("dataset.trig", "application/trig", "RDF TriG: every named graph, with provenance"),
    "nquads": ExportFormat("dataset.nq", "application/n-quads", "RDF N-Quads: every named graph, with provenance"),
    "ntriples": ExportFormat("graph.nt", "application/n-triples", "RDF N-Triples"),
    "jsonld": ExportFormat("graph.jsonld", "application/ld+json", "JSON-LD with kg's context (short keys)"),
    "rdfxml": ExportFormat("graph.rdf", "application/rdf+xml", "RDF/XML"),
    "graphml": ExportFormat("graph.graphml", "application/graphml+xml", "GraphML (Gephi, Cytoscape, yEd)"),
    "gexf": ExportFormat("graph.gexf", "application/gexf+xml", "GEXF with time intervals (Gephi)"),
    "nodelink": ExportFormat("graph.json", "application/json", "node-link JSON (D3, sigma.js)"),
    "cytoscape": ExportFormat("graph.cyjs", "application/json", "Cytoscape.js JSON"),
    "csv-nodes": ExportFormat("nodes.csv", "text/csv", "CSV of the actors"),
    "csv-edges": ExportFormat("edges.csv", "text/csv", "CSV of the relations"),
}
