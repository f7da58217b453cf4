"""The engines queries run on: Oxigraph (a built store or files in memory), rdflib, or an HTTP endpoint.

- :class:`OxigraphEngine` (the default): a built on-disk store (``build/store``), or
  RDF files loaded in memory;
- :class:`RdflibEngine`: rdflib's SPARQL engine, the reference for differential tests;
- :class:`EndpointEngine`: any SPARQL 1.1 endpoint over HTTP.

Each returns pyoxigraph results, so one formatter serves all; in each, the default
graph is the union of the named graphs and kg's prefixes are predeclared.
:func:`open_engine` picks one; it opens what is there and never builds anything.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("https://w3id.org/conflict-kg/Turkey"), ox.NamedNode(
...     "https://w3id.org/conflict-kg/backs"), ox.NamedNode("https://w3id.org/conflict-kg/FailaqAlSham"),
...     ox.NamedNode("https://w3id.org/conflict-kg/graph/facts")))
>>> [row[0].value for row in OxigraphEngine(store).execute("SELECT ?g WHERE { kg:Turkey kg:backs ?g }", "SELECT")]
['https://w3id.org/conflict-kg/FailaqAlSham']
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, QueryError, ServiceError, UsageError
from ..formats import ENGINES as ENGINES
from ..namespaces import PREFIXES
from ..store import open_store
from .params import NameIndex
from .text import GRAPH_FORMS, services, syntax_error

if TYPE_CHECKING:
    import pyoxigraph as ox

    from .formats import Result

#: seconds an endpoint may take to answer when no timeout is given
ENDPOINT_TIMEOUT = 60.0


class Engine:
    """Runs SPARQL text and returns pyoxigraph results: QuerySolutions, QueryBoolean, or a list of Triples."""

    name = "engine"
    #: True when the engine itself reports syntax errors with kg's line and column
    checks_syntax = False

    def __init__(self) -> None:
        self._names: dict[str, NameIndex] = {}

    def execute(self, text: str, form: str, timeout: float | None = None) -> Result:
        """Run a query of the given form (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``)."""
        raise NotImplementedError

    def resolve_name(self, name: str, kind: str, where: str) -> ox.NamedNode:
        """The IRI of the actor (``kind="actor"``) or source called ``name`` in this engine's data."""
        if kind not in self._names:
            rows = [(_value(r[0]), _value(r[1]), _value(r[2]))
                    for r in self.execute(NameIndex.QUERIES[kind], "SELECT")]  # type: ignore[union-attr]
            self._names[kind] = NameIndex(rows, kind)  # type: ignore[arg-type]
        return self._names[kind].resolve(name, where)

    def labels(self, iris: list[ox.NamedNode]) -> dict[str, str]:
        """The preferred label of each IRI that has one."""
        if not iris:
            return {}
        found: dict[str, str] = {}
        chunk = 500
        for i in range(0, len(iris), chunk):
            values = " ".join(str(x) for x in iris[i:i + chunk])
            text = ("SELECT ?x ?l WHERE { VALUES ?x { " + values + " } "
                    "{ ?x skos:prefLabel ?l } UNION { ?x rdfs:label ?l } }")
            for row in self.execute(text, "SELECT"):  # type: ignore[union-attr]
                found.setdefault(row[0].value, row[1].value)
        return found


def _value(term: Any) -> str | None:
    return None if term is None else term.value


class OxigraphEngine(Engine):
    """pyoxigraph: a built on-disk store, or an in-memory store of RDF files.

    The default graph is the union of the named graphs.
    """

    name = "oxigraph"
    checks_syntax = True

    def __init__(self, store: ox.Store):
        super().__init__()
        self.store = store

    def execute(self, text: str, form: str, timeout: float | None = None) -> Result:
        try:
            result = self.store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise syntax_error(exc, text) from None
        except (OSError, RuntimeError) as exc:
            raise evaluation_error(exc, text) from None
        return result


class RdflibEngine(Engine):
    """rdflib's own SPARQL engine over an in-memory Dataset whose default graph is the union."""

    name = "rdflib"

    def __init__(self, dataset: Any):
        super().__init__()
        self.dataset = dataset

    def execute(self, text: str, form: str, timeout: float | None = None) -> Result:
        import pyoxigraph as ox

        try:
            result = self.dataset.query(text, initNs=PREFIXES)
            if form in GRAPH_FORMS:
                data = result.graph.serialize(format="nt", encoding="utf-8")
                return [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
            data = result.serialize(format="json")
        except QueryError:
            raise
        except OSError as exc:   # a SERVICE call that failed (urllib's errors are OSErrors)
            raise evaluation_error(exc, text) from None
        except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds (pyparsing, ValueError...)
            raise QueryError(f"rdflib could not run the query: {type(exc).__name__}: {exc}") from None
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)


class EndpointEngine(Engine):
    """Any SPARQL 1.1 endpoint over HTTP (the SPARQL 1.1 Protocol, query by POST).

    kg's prefixes are declared in front of the query (those it does not declare
    itself); results come back as SPARQL JSON or N-Triples.

    >>> EndpointEngine("ftp://example.org/sparql")
    Traceback (most recent call last):
    kg.errors.UsageError: endpoint 'ftp://example.org/sparql': give an http:// or https:// URL
    """

    name = "endpoint"

    def __init__(self, url: str, timeout: float | None = None):
        super().__init__()
        if not re.match(r"^https?://", url):
            raise UsageError(f"endpoint {url!r}: give an http:// or https:// URL")
        self.url = url
        self.timeout = timeout

    def execute(self, text: str, form: str, timeout: float | None = None) -> Result:
        import pyoxigraph as ox

        declared = {m.group(1) for m in re.finditer(r"(?i)\bPREFIX\s+([\w\-.]*):", text)}
        prologue = " ".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items() if p not in declared)
        graph = form in GRAPH_FORMS
        accept = ("application/n-triples, text/turtle;q=0.9" if graph else
                  "application/sparql-results+json, application/sparql-results+xml;q=0.8")
        body = urllib.parse.urlencode({"query": prologue + "\n" + text}).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept,
            "User-Agent": "kg-query"})
        limit = timeout or self.timeout or ENDPOINT_TIMEOUT
        try:
            with urllib.request.urlopen(request, timeout=limit) as response:
                data = response.read()
                ctype = response.headers.get("Content-Type", "").split(";")[0].strip()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:500]
            raise ServiceError(f"the endpoint {self.url} answered {exc.code} {exc.reason}"
                               + (f": {detail}" if detail else "")) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if "timed out" in str(reason):
                raise ServiceError(f"the endpoint {self.url} did not answer within {limit:g} s") from None
            raise ServiceError(f"cannot reach the SPARQL endpoint {self.url}: {reason}") from None
        try:
            if graph:
                rdf_format = ox.RdfFormat.from_media_type(ctype) or ox.RdfFormat.N_TRIPLES
                return [q.triple for q in ox.parse(data, format=rdf_format)]
            results_format = ox.QueryResultsFormat.from_media_type(ctype) or ox.QueryResultsFormat.JSON
            return ox.parse_query_results(data, format=results_format)
        except (SyntaxError, ValueError) as exc:
            raise ServiceError(f"the endpoint {self.url} sent results kg cannot read "
                               f"({ctype or 'no content type'}): {exc}") from None


def evaluation_error(exc: Exception, text: str) -> QueryError | ServiceError:
    """What an error raised while a query runs means: a SERVICE it calls failed
    (:class:`~kg.errors.ServiceError`), or the query did (:class:`~kg.errors.QueryError`).

    pyoxigraph evaluates lazily, so this also serves whoever reads the results.

    >>> evaluation_error(ConnectionRefusedError("Connection refused"),
    ...                  "ASK { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    ServiceError('cannot reach the SERVICE endpoint <http://127.0.0.1:9/sparql>: Connection refused')
    >>> evaluation_error(OSError("Error 404 returned by http://127.0.0.1:9/sparql"),
    ...                  "ASK { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    ServiceError('the SERVICE endpoint <http://127.0.0.1:9/sparql> failed: Error 404 returned by http://127.0.0.1:9/sparql')
    >>> evaluation_error(OSError("disk gone"), "ASK { ?s ?p ?o }")
    QueryError('the query failed: disk gone')
    """
    called = services(text) if isinstance(exc, OSError) else ()
    if not called:
        return QueryError(f"the query failed: {exc}")
    reason = " ".join(str(getattr(exc, "reason", None) or exc).split())
    unreachable = isinstance(exc, ConnectionError | TimeoutError) or (
        isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError))
    which = (f"the SERVICE endpoint {called[0]}" if len(called) == 1 else
             f"a SERVICE endpoint the query calls ({', '.join(called)})")
    return ServiceError(f"cannot reach {which}: {reason}" if unreachable else f"{which} failed: {reason}")


def open_engine(store: Path | str | None = None, *, data: Iterable[Path | str] = (),
                endpoint: str | None = None, engine: str = "oxigraph",
                timeout: float | None = None) -> Engine:
    """The engine to query: an endpoint, RDF files, or a built store.

    ``store`` is the folder of an Oxigraph store already built (``build/store``); the
    rdflib engine reads the ``dataset.nq`` beside it instead. Nothing is built here.

    >>> open_engine(data=["no-such-file.ttl"])
    Traceback (most recent call last):
    kg.errors.UsageError: data file no-such-file.ttl: no such file
    >>> open_engine(engine="jena")
    Traceback (most recent call last):
    kg.errors.UsageError: engine 'jena': choose one of oxigraph, rdflib
    """
    if engine not in ENGINES:
        raise UsageError(f"engine {engine!r}: choose one of {', '.join(ENGINES)}")
    data = list(data)
    if endpoint:
        if data:
            raise UsageError("query an endpoint or data files, not both")
        return EndpointEngine(endpoint, timeout)
    if data:
        return load_data(data, engine)
    if store is None:
        raise UsageError("nothing to query: give a built store, data files or an endpoint")
    store = Path(store)
    if engine == "oxigraph":
        return OxigraphEngine(open_store(store))
    return load_data([store.parent / "dataset.nq"], "rdflib")


def load_data(paths: Iterable[Path | str], engine: str = "oxigraph") -> Engine:
    """An engine over RDF files (any syntax rdflib reads; pyoxigraph parses the ones it knows)."""
    import pyoxigraph as ox

    files = [Path(p) for p in paths]
    for path in files:
        if not path.is_file():
            raise UsageError(f"data file {path}: no such file")
    if engine == "rdflib":
        from rdflib import Dataset

        ds = Dataset(default_union=True)
        for path in files:
            try:
                ds.parse(str(path), format=_rdflib_format(path))
            except Exception as exc:  # noqa: BLE001 - rdflib's parsers raise many kinds
                raise _data_error(path, exc) from None
        return RdflibEngine(ds)
    store = ox.Store()
    for path in files:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower()) if path.suffix else None
        try:
            if fmt is not None:
                store.bulk_load(path=str(path), format=fmt)
            else:   # a syntax pyoxigraph does not read: let rdflib parse it
                from rdflib import Dataset

                ds = Dataset()
                ds.parse(str(path), format=_rdflib_format(path))
                store.bulk_load(input=ds.serialize(format="nquads", encoding="utf-8"),
                                format=ox.RdfFormat.N_QUADS)
        except Exception as exc:  # noqa: BLE001
            raise _data_error(path, exc) from None
    return OxigraphEngine(store)


def _rdflib_format(path: Path) -> str | None:
    from rdflib.util import guess_format

    return guess_format(str(path))


def _data_error(path: Path, exc: Exception) -> InputError:
    return InputError(f"data file {path}: cannot read it as RDF: {' '.join(str(exc).split())[:300]}")
