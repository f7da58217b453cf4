"""Every namespace and prefix kg uses, defined once.

Actors and the ontology's terms share one namespace, so a query reads naturally::

    SELECT ?group WHERE { kg:Turkey kg:backs ?group }

Classes and actors start with a capital letter (``kg:State``, ``kg:Turkey``),
properties with a small one (``kg:backs``). Provenance nodes live below it:
``kg:statement/Turkey.backs.FailaqAlSham``, ``kg:evidence/<hash>``,
``kg:article/<file stem>``, ``kg:source/<name>``, and the dataset's named graphs
under ``kg:graph/``.
"""

from __future__ import annotations

# Plain strings first: the query path uses these without importing rdflib.
KG_IRI = "https://w3id.org/conflict-kg/"
WD_IRI = "http://www.wikidata.org/entity/"

#: prefix -> namespace IRI, for serialisers, query prologues and result tables.
PREFIXES: dict[str, str] = {
    "kg": KG_IRI,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "wd": WD_IRI,
    "sh": "http://www.w3.org/ns/shacl#",
}

#: local names of the dataset's named graphs (below ``kg:graph/``)
GRAPH_NAMES = ("ontology", "actors", "facts", "inferred", "provenance", "analysis")

_RDFLIB_NAMES = {
    "KG": KG_IRI, "WD": WD_IRI, "SCHEMA": PREFIXES["schema"], "SH": PREFIXES["sh"],
    "RDF": PREFIXES["rdf"], "RDFS": PREFIXES["rdfs"], "OWL": PREFIXES["owl"],
    "XSD": PREFIXES["xsd"], "SKOS": PREFIXES["skos"], "PROV": PREFIXES["prov"],
    "DCTERMS": PREFIXES["dcterms"],
}


def __getattr__(name: str):
    """rdflib Namespace objects (``KG``, ``SKOS``...) and graph IRIs (``GRAPH_FACTS``...),
    made on first use so that importing this module does not import rdflib."""
    # check the name before importing rdflib: `from .namespaces import X` asks for `__path__`
    if name in _RDFLIB_NAMES:
        from rdflib import Namespace

        return Namespace(_RDFLIB_NAMES[name])
    if name.startswith("GRAPH_") and name[6:].lower() in GRAPH_NAMES:
        from rdflib import URIRef

        return URIRef(f"{KG_IRI}graph/{name[6:].lower()}")
    raise AttributeError(name)


def bind_prefixes(graph) -> None:
    """Bind kg's prefixes on an rdflib Graph or Dataset (replacing rdflib's defaults)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
