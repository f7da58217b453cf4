"""Exports: the knowledge graph in the formats other tools read.

A registry, :data:`EXPORTERS`, maps a format name to an :class:`Exporter` (the file
name it is written under, its media type, and a function that returns the text).
:func:`export` writes one format; the build stage :func:`export_stage` writes every
format into ``build/export/``. Every output is deterministic: two builds of the same
inputs give byte-identical files.

RDF, for triplestores and linked-data tools:

==========  ==================  ================================================
turtle      graph.ttl           the knowledge graph (actors, facts, inferred, provenance)
trig        dataset.trig        every named graph, provenance included
nquads      dataset.nq          the same dataset, one quad per line
ntriples    graph.nt            the knowledge graph, one triple per line (sorted)
jsonld      graph.jsonld        JSON-LD with the published context (short keys: ``backs``...)
rdfxml      graph.rdf           RDF/XML
==========  ==================  ================================================

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

Numeric scores on actors (``kg:pagerank``... in any named graph) become node
attributes of the graph formats, whatever their names.

>>> from kg.network import _example_graph
>>> print(export(_example_graph(), "csv-edges").splitlines()[1])
s1,Russia,Turkey,opposes,-1,true,1,2020-03-01,2020-03-01,2020-03-01,,curated,1.0,Russia and Turkey clash.,https://w3id.org/conflict-kg/s1
>>> sorted(EXPORTERS)[:4]
['csv-edges', 'csv-nodes', 'cytoscape', 'gexf']
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import namespaces as ns
from .dates import PartialDate
from .errors import UsageError

#: where the JSON-LD context is published (and kept in the repo at ontology/context.jsonld)
CONTEXT_URL = ns.KG_IRI + "context.jsonld"
EXPORT_DIR = "export"
CONTEXT_FILE = "context.jsonld"


class Source:
    """What the exporters read: a kg Dataset (or a plain rdflib Graph), with views made once."""

    def __init__(self, data):
        from rdflib import Dataset

        self.data = data
        self.is_dataset = isinstance(data, Dataset)

    @cached_property
    def graph(self):
        """The knowledge graph: every named graph but the ontology (for a Graph: itself)."""
        if not self.is_dataset:
            return self.data
        from .build import knowledge_graph

        return knowledge_graph(self.data)

    @cached_property
    def ontology(self):
        """The ontology: the dataset's ontology graph, else the project's ``ontology/kg.ttl``."""
        if self.is_dataset:
            graph = self.data.graph(ns.GRAPH_ONTOLOGY)
            if len(graph):
                return graph
        return _default_ontology()

    @cached_property
    def network(self):
        """The networkx MultiDiGraph of every actor and relation, with numeric scores on the nodes."""
        from .network import to_networkx

        g = to_networkx(self.graph, view="all")
        for node, scores in actor_scores(self.data, g).items():
            g.nodes[node].update(scores)
        return g

    @cached_property
    def flat(self):
        return flat_network(self.network)


def actor_scores(data, g) -> dict[str, dict[str, float]]:
    """Numeric ``kg:`` properties of the actors in ``g`` (e.g. ``kg:pagerank``), from every graph.

    Read generically so that scores added by analyses appear in the exports by their
    local names. Integers stay ints; decimals and doubles become floats.
    """
    from decimal import Decimal

    from rdflib import Dataset, Literal

    from .network import local

    quads = data.quads((None, None, None, None)) if isinstance(data, Dataset) else \
        ((s, p, o, None) for s, p, o in data)
    scores: dict[str, dict[str, float]] = {}
    for s, p, o, _ in quads:
        if not isinstance(o, Literal) or not str(p).startswith(ns.KG_IRI):
            continue
        node = local(s)
        value = o.toPython()
        if node not in g or isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            continue
        name = local(p)
        if name in _NOT_SCORES:
            continue
        scores.setdefault(node, {})[name] = value if isinstance(value, int) else float(value)
    return scores


_NOT_SCORES = frozenset({"wikidata", "evidenceCount", "confidence"})

_NODE_FIELDS = ("label", "cls", "proxy", "wikidata", "aliases", "iri")
_EDGE_FIELDS = ("relation", "sign", "symmetric", "evidence_count", "first_date", "last_date",
                "dates", "articles", "method", "confidence", "quotes", "statement")


def flat_network(g):
    """A copy of the network whose attributes are all scalars, as GraphML and GEXF need.

    Nodes keep ``label``, ``cls``, ``proxy`` (bool), ``wikidata``, ``iri``, any numeric
    scores, and ``aliases`` joined by ``"; "``. Edges are keyed by their statement id
    (``"Turkey.backs.FailaqAlSham"``) and carry ``relation``, ``sign`` (int),
    ``symmetric`` (bool), ``evidence_count`` and ``weight`` (int), ``first_date`` and
    ``last_date`` (ISO, possibly partial, "" when undated), ``dates`` and ``articles``
    joined by ``"; "``, ``method``, ``confidence`` (float), ``quotes`` (joined by
    ``" | "``) and ``statement`` (its IRI).
    """
    import networkx as nx

    from .network import local

    h = nx.MultiDiGraph(name="kg")
    for node, d in g.nodes(data=True):
        attrs = {k: v for k, v in d.items() if k not in _NODE_FIELDS}
        h.add_node(node, label=d["label"], cls=d["cls"], proxy=bool(d["proxy"]),
                   wikidata=d["wikidata"], aliases="; ".join(d["aliases"]), iri=d["iri"],
                   **dict(sorted(attrs.items())))
    for u, v, d in g.edges(data=True):
        key = local(d["statement"]).removeprefix("statement/")
        dates = d["dates"]
        h.add_edge(u, v, key=key, relation=d["relation"], sign=int(d["sign"]),
                   symmetric=bool(d["symmetric"]), evidence_count=int(d["weight"]),
                   weight=int(d["weight"]), first_date=dates[0] if dates else "",
                   last_date=dates[-1] if dates else "", dates="; ".join(dates),
                   articles="; ".join(d["articles"]), method=d["method"],
                   confidence=float(d["confidence"]),
                   quotes=" | ".join(e["quote"] for e in d["evidence"]), statement=d["statement"])
    return h


def score_names(g) -> list[str]:
    """The names of the numeric node attributes beyond the standard ones (sorted)."""
    names = set()
    for _, d in g.nodes(data=True):
        names |= {k for k in d if k not in _NODE_FIELDS}
    return sorted(names)


# ---------------------------------------------------------------- RDF


def to_turtle(src: Source) -> str:
    from .outputs import turtle

    return turtle(src.graph)


def to_trig(src: Source) -> str:
    from .outputs import trig

    # A plain Graph has no named graphs; Turtle is valid TriG (the default graph).
    return trig(src.data) if src.is_dataset else to_turtle(src)


def to_nquads(src: Source) -> str:
    from .outputs import nquads

    return nquads(src.data) if src.is_dataset else to_ntriples(src)


def to_ntriples(src: Source) -> str:
    text = src.graph.serialize(format="nt")
    return "\n".join(sorted({line for line in text.splitlines() if line.strip()})) + "\n"


def to_rdfxml(src: Source) -> str:
    """RDF/XML, written by Oxigraph from the sorted triples (rdflib's writer follows set order)."""
    import pyoxigraph as ox

    triples = ox.parse(to_ntriples(src).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=ns.PREFIXES).decode("utf-8")


def jsonld_context(ontology=None) -> dict:
    """The JSON-LD context kg publishes (``ontology/context.jsonld``), made from the ontology.

    Every class and property of the ontology in the kg namespace is a short key
    (``State``, ``backs``, ``leaderOf``, ``quote``, ``pagerank``...); object properties
    take IRIs as plain strings; strings are English unless a key says otherwise.
    ``ontology`` is an rdflib Graph of ``ontology/kg.ttl`` (default: the project's).

    >>> ctx = jsonld_context()["@context"]
    >>> ctx["backs"], ctx["quote"], ctx["State"]
    ({'@id': 'kg:backs', '@type': '@id'}, 'kg:quote', 'kg:State')
    """
    from rdflib.namespace import OWL, RDF

    ontology = _default_ontology() if ontology is None else ontology
    ctx: dict = {"@version": 1.1, "@language": "en"}
    ctx.update({p: iri for p, iri in sorted(ns.PREFIXES.items())})

    def names(kind) -> list[str]:
        return sorted(str(t)[len(ns.KG_IRI):] for t in set(ontology.subjects(RDF.type, kind))
                      if str(t).startswith(ns.KG_IRI) and "/" not in str(t)[len(ns.KG_IRI):])

    for name in names(OWL.Class):
        ctx[name] = f"kg:{name}"
    for name in names(OWL.ObjectProperty):
        ctx[name] = {"@id": f"kg:{name}", "@type": "@id"}
    for name in names(OWL.DatatypeProperty):
        ctx[name] = {"@id": f"kg:{name}", "@language": None} if name in _PLAIN_STRINGS else f"kg:{name}"
    ctx.update(_OTHER_TERMS)
    return {"@context": ctx}


def _default_ontology():
    """The project's ontology (``ontology/kg.ttl`` beside the package), or an empty graph."""
    from rdflib import Graph

    graph = Graph()
    path = Path(__file__).resolve().parent.parent / "ontology" / "kg.ttl"
    if path.is_file():
        graph.parse(path, format="turtle")
    return graph


#: data properties whose values are plain (untagged) strings: their key says so
_PLAIN_STRINGS = frozenset({"method", "wikidata", "dateBasis", "sourceKind", "file", "sha256",
                            "curatedIn", "kind"})
_OTHER_TERMS = {
    "label": "rdfs:label",
    "comment": "rdfs:comment",
    "prefLabel": "skos:prefLabel",
    "altLabel": "skos:altLabel",
    "definition": "skos:definition",
    "exactMatch": {"@id": "skos:exactMatch", "@type": "@id"},
    "subject": {"@id": "rdf:subject", "@type": "@id"},
    "predicate": {"@id": "rdf:predicate", "@type": "@id"},
    "object": {"@id": "rdf:object", "@type": "@id"},
    "identifier": {"@id": "dcterms:identifier", "@language": None},
    "issued": "dcterms:issued",
    "title": "dcterms:title",
    "publisher": {"@id": "dcterms:publisher", "@type": "@id"},
}


def context_text(ontology=None) -> str:
    """The published context as deterministic JSON text."""
    return json.dumps(jsonld_context(ontology), indent=2, ensure_ascii=False) + "\n"


def to_jsonld(src: Source) -> str:
    """JSON-LD: one node object per subject (sorted), with the context inline.

    Written directly from the context's term definitions rather than through a
    compaction algorithm, so the output is short and deterministic; tests expand it
    with pyld and compare the triples with the graph.
    """
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDF, XSD

    context = jsonld_context(src.ontology)["@context"]
    language = context["@language"]
    prefixes = sorted(((iri, p) for p, iri in ns.PREFIXES.items()), key=lambda t: -len(t[0]))
    terms: dict[str, tuple[str, dict | str]] = {}
    for term, definition in context.items():
        if term.startswith("@") or term in ns.PREFIXES:
            continue
        iri = definition if isinstance(definition, str) else definition["@id"]
        prefix, _, name = iri.partition(":")
        terms[ns.PREFIXES[prefix] + name] = (term, definition)
    classes = {ns.KG_IRI + t: t for t, d in context.items() if d == f"kg:{t}" and t[:1].isupper()}

    def compact(iri) -> str:
        text = str(iri)
        if isinstance(iri, BNode):
            return f"_:{iri}"
        for base, prefix in prefixes:
            if text.startswith(base) and text != base:
                return f"{prefix}:{text[len(base):]}"
        return text

    def value(obj, definition) -> object:
        coerced = isinstance(definition, dict) and definition.get("@type") == "@id"
        plain = isinstance(definition, dict) and "@language" in definition
        if isinstance(obj, URIRef | BNode):
            return compact(obj) if coerced else {"@id": compact(obj)}
        assert isinstance(obj, Literal)
        lexical = str(obj)
        if obj.language:
            if obj.language == language and not plain:
                return lexical
            return {"@value": lexical, "@language": obj.language}
        if obj.datatype in (None, XSD.string):
            return lexical if plain else {"@value": lexical}
        native = obj.toPython()
        if obj.datatype == XSD.integer and type(native) is int and str(native) == lexical:
            return native
        if obj.datatype == XSD.boolean and lexical in ("true", "false"):
            return lexical == "true"
        return {"@value": lexical, "@type": compact(obj.datatype)}

    def sort_key(v) -> str:
        return json.dumps(v, sort_keys=True, ensure_ascii=False)

    nodes: dict = {}
    for s, p, o in src.graph:
        nodes.setdefault(s, {}).setdefault(p, []).append(o)
    graph = []
    for s in sorted(nodes, key=lambda n: (isinstance(n, BNode), str(n))):
        node: dict = {"@id": compact(s)}
        props = nodes[s]
        types = props.pop(RDF.type, [])
        if types:
            names = sorted(classes.get(str(t), compact(t)) for t in types)
            node["@type"] = names[0] if len(names) == 1 else names
        for p in sorted(props, key=str):
            term, definition = terms.get(str(p), (compact(p), compact(p)))
            values = sorted((value(o, definition) for o in props[p]), key=sort_key)
            node[term] = values[0] if len(values) == 1 else values
        graph.append(node)
    return json.dumps({"@context": context, "@graph": graph}, indent=1, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- graph tools


def to_graphml(src: Source) -> str:
    import networkx as nx

    return "\n".join(nx.generate_graphml(src.flat, named_key_ids=True)) + "\n"


def to_gexf(src: Source) -> str:
    """GEXF 1.2; relations with dated evidence get ``start``/``end`` (the first and last day)."""
    import networkx as nx

    h = src.flat.copy()
    h.graph = {"name": "kg"}
    for _, _, d in h.edges(data=True):
        if d["first_date"]:
            d["start"] = PartialDate.parse(d["first_date"]).first_day().isoformat()
            d["end"] = PartialDate.parse(d["last_date"]).last_day().isoformat()
        d["label"] = d["relation"]
    for _, _, key, d in h.edges(keys=True, data=True):
        d["id"] = key
    text = "\n".join(nx.generate_gexf(h)) + "\n"
    # networkx stamps today's date and its version; make the file depend on the graph only
    text = re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)
    return re.sub(r"<creator>[^<]*</creator>", "<creator>kg</creator>", text, count=1)


def to_nodelink(src: Source) -> str:
    """node-link JSON (``nodes``/``links``) with every attribute, evidence lists included."""
    import networkx as nx

    g = src.network
    data = nx.node_link_data(g, edges="links")
    for link in data["links"]:
        link["id"] = link["statement"].rsplit("/", 1)[-1]
    return json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n"


def to_cytoscape(src: Source) -> str:
    """Cytoscape.js JSON: ``{"data": ..., "elements": {"nodes": [{"data": ...}], "edges": [...]}}``.

    Each element's ``data`` has ``id`` (and ``value``/``name``, as networkx's
    ``cytoscape_graph`` reads them); edges have ``source``/``target`` and the
    relation's attributes, with the evidence list.
    """
    g = src.network
    nodes = [{"data": {"id": n, "value": n, "name": d["label"], **d}} for n, d in g.nodes(data=True)]
    edges = []
    for u, v, d in g.edges(data=True):
        key = d["statement"].rsplit("/", 1)[-1]
        edges.append({"data": {"id": key, "source": u, "target": v, "key": d["relation"], **d}})
    doc = {"data": {"name": "kg"}, "directed": True, "multigraph": True,
           "elements": {"nodes": nodes, "edges": edges}}
    return json.dumps(doc, indent=1, ensure_ascii=False, default=str) + "\n"


def _csv(rows: list[dict], fields: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k, "")) for k in fields})
    return out.getvalue()


def _cell(value) -> object:
    return ("true" if value else "false") if isinstance(value, bool) else value


def to_csv_nodes(src: Source) -> str:
    h = src.flat
    fields = ["id", "label", "class", "proxy", "wikidata", "aliases", "iri", *score_names(h)]
    rows = [{"id": n, "class": d["cls"], **d} for n, d in h.nodes(data=True)]
    return _csv(rows, fields)


def to_csv_edges(src: Source) -> str:
    h = src.flat
    fields = ["id", "source", "target", "relation", "sign", "symmetric", "evidence_count",
              "first_date", "last_date", "dates", "articles", "method", "confidence", "quotes",
              "statement"]
    rows = [{"id": k, "source": u, "target": v, **d} for u, v, k, d in h.edges(keys=True, data=True)]
    return _csv(rows, fields)


# ---------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Exporter:
    """One export format: the file it is written to in ``build/export/``, its media type, its writer."""

    name: str
    filename: str
    media_type: str
    write: Callable[[Source], str]
    description: str


EXPORTERS: dict[str, Exporter] = {e.name: e for e in (
    Exporter("turtle", "graph.ttl", "text/turtle", to_turtle, "RDF Turtle: the knowledge graph"),
    Exporter("trig", "dataset.trig", "application/trig", to_trig,
             "RDF TriG: every named graph, with provenance"),
    Exporter("nquads", "dataset.nq", "application/n-quads", to_nquads,
             "RDF N-Quads: every named graph, with provenance"),
    Exporter("ntriples", "graph.nt", "application/n-triples", to_ntriples, "RDF N-Triples"),
    Exporter("jsonld", "graph.jsonld", "application/ld+json", to_jsonld,
             "JSON-LD with kg's context (short keys)"),
    Exporter("rdfxml", "graph.rdf", "application/rdf+xml", to_rdfxml, "RDF/XML"),
    Exporter("graphml", "graph.graphml", "application/graphml+xml", to_graphml,
             "GraphML (Gephi, Cytoscape, yEd)"),
    Exporter("gexf", "graph.gexf", "application/gexf+xml", to_gexf,
             "GEXF with time intervals (Gephi)"),
    Exporter("nodelink", "graph.json", "application/json", to_nodelink,
             "node-link JSON (D3, sigma.js)"),
    Exporter("cytoscape", "graph.cyjs", "application/json", to_cytoscape, "Cytoscape.js JSON"),
    Exporter("csv-nodes", "nodes.csv", "text/csv", to_csv_nodes, "CSV of the actors"),
    Exporter("csv-edges", "edges.csv", "text/csv", to_csv_edges, "CSV of the relations"),
)}


def exporter(fmt: str) -> Exporter:
    """The exporter for a format name; :class:`UsageError` naming the choices otherwise."""
    try:
        return EXPORTERS[fmt]
    except KeyError:
        raise UsageError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORTERS)}") \
            from None


def export(data, fmt: str, out: Path | str | None = None) -> str:
    """The graph in format ``fmt``; written (atomically) to ``out`` when given, and returned.

    ``data`` is what :func:`kg.build_graph` returns (an rdflib Dataset, provenance in
    named graphs) or a plain rdflib Graph.

    Examples
    --------
    >>> import networkx as nx
    >>> from kg.network import _example_graph
    >>> text = export(_example_graph(), "graphml")
    >>> g = nx.read_graphml(io.BytesIO(text.encode()))
    >>> sorted(g.nodes), sorted(d["relation"] for _, _, d in g.edges(data=True))
    (['FailaqAlSham', 'Russia', 'Turkey'], ['backs', 'opposes'])
    """
    from .outputs import atomic_write

    text = exporter(fmt).write(data if isinstance(data, Source) else Source(data))
    if out is not None:
        atomic_write(Path(out), text)
    return text


#: ``kg.export_graph``: the name the package exports (``kg.export`` is this module)
export_graph = export


def export_all(data, folder: Path) -> list[Path]:
    """Every format into ``folder`` under its file name, and the JSON-LD context."""
    src = data if isinstance(data, Source) else Source(data)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for exp in EXPORTERS.values():
        path = folder / exp.filename
        path.write_text(exp.write(src), encoding="utf-8")
        written.append(path)
    (folder / CONTEXT_FILE).write_text(context_text(src.ontology), encoding="utf-8")
    return [*written, folder / CONTEXT_FILE]


def export_stage(ctx) -> None:
    """Build stage: every export format into ``build/export/``."""
    export_all(ctx.dataset, ctx.staging.path(EXPORT_DIR))


def export_project(root: Path | str, fmt: str, out: Path | str | None = None,
                   build_dir: Path | str | None = None) -> str:
    """Export the project's built graph (building it first when the build is missing or stale)."""
    from .pipeline import run_build
    from .store import is_fresh

    exp = exporter(fmt)
    root = Path(root)
    build_dir = Path(build_dir) if build_dir is not None else root / "build"
    if not is_fresh(root, build_dir):
        run_build(root, build_dir)
    return export(load_built(build_dir), exp.name, out)


def load_built(out: Path | str):
    """The dataset a build wrote (``out/dataset.nq``), as an rdflib Dataset, prefixes bound.

    It holds what the build's stages added (the analysis scores), which
    :func:`kg.build_graph` does not compute.

    >>> import tempfile, kg
    >>> from kg.network import _example_graph
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = export(_example_graph(), "nquads", folder / "dataset.nq")
    >>> len(load_built(folder)) == len(_example_graph())
    True
    """
    from rdflib import Dataset

    path = Path(out) / "dataset.nq"
    if not path.exists():
        raise UsageError(f"no built dataset at {path}; run `kg build` first")
    ds = Dataset()
    ds.parse(path, format="nquads")
    ns.bind_prefixes(ds)
    return ds
