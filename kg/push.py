"""Loading the built dataset into a SPARQL 1.1 triplestore (Oxigraph, Fuseki, GraphDB, Virtuoso, Neptune).

:func:`push` sends every named graph of the dataset (provenance included), in
batches, either with SPARQL Update (``INSERT DATA { GRAPH <g> { ... } }`` POSTed to
the store's update endpoint) or with the Graph Store HTTP Protocol (N-Triples POSTed
to ``STORE?graph=<g>``). It is idempotent: an RDF graph is a set, so pushing the same
triples twice leaves one copy; blank nodes (the ontology's OWL restrictions) are sent
as stable skolem IRIs (``kg:.well-known/genid/<label>``) so that they too are the
same nodes every time. ``replace`` first drops each target graph, so triples that left
the graph leave the store too.

>>> [line for line in _ntriples_lines([("_:b0", "<https://w3id.org/conflict-kg/p>", '"x"')])]
['<https://w3id.org/conflict-kg/.well-known/genid/b0> <https://w3id.org/conflict-kg/p> "x" .']
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ServiceError, UsageError
from .graph.serialize import nquads
from .namespaces import KG_IRI

PROTOCOLS = ("update", "gsp")
SKOLEM = KG_IRI + ".well-known/genid/"
DEFAULT_BATCH = 5000


@dataclass
class PushResult:
    """What a push did: triples per target graph, requests sent, time taken."""

    endpoint: str
    protocol: str
    graphs: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    replaced: bool = False
    seconds: float = 0.0

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())

    def summary(self) -> str:
        lines = [f"pushed {self.triples} triples in {len(self.graphs)} graphs to {self.endpoint} "
                 f"({self.protocol}, {self.requests} requests, {self.seconds:.1f} s"
                 f"{', graphs replaced' if self.replaced else ''})"]
        lines += [f"  {n:>7}  {g}" for g, n in sorted(self.graphs.items())]
        return "\n".join(lines)


def dataset_graphs(data) -> dict[str, list[tuple[str, str, str]]]:
    """The dataset's triples by named graph, each term in N-Triples syntax.

    ``data`` is an rdflib Dataset or the path of an N-Quads file (``build/dataset.nq``).
    The default graph (if any) is keyed ``""``.
    """
    import pyoxigraph as ox

    if isinstance(data, str | Path):
        path = Path(data)
        if not path.is_file():
            raise UsageError(f"no dataset at {path}; build the project first")
        quads = ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS)
    else:
        quads = ox.parse(nquads(data).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    graphs: dict[str, list[tuple[str, str, str]]] = {}
    for q in quads:
        name = "" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        graphs.setdefault(name, []).append((str(q.subject), str(q.predicate), str(q.object)))
    return {g: sorted(set(ts)) for g, ts in sorted(graphs.items())}


def _skolem(term: str) -> str:
    return f"<{SKOLEM}{term[2:]}>" if term.startswith("_:") else term


def _ntriples_lines(triples: Iterable[tuple[str, str, str]]) -> Iterable[str]:
    for s, p, o in triples:
        yield f"{_skolem(s)} {p} {_skolem(o)} ."


def push(data, endpoint: str, *, graph: str | None = None, replace: bool = False,
         protocol: str = "update", batch_size: int = DEFAULT_BATCH, timeout: float = 60.0,
         progress: Callable[[int], None] | None = None) -> PushResult:
    """Load the dataset into the store at ``endpoint``.

    Parameters
    ----------
    data : rdflib Dataset, or the path of ``build/dataset.nq``
    endpoint : the store's SPARQL Update URL (``protocol="update"``, e.g. Oxigraph's
        ``/update``, Fuseki's ``/ds/update``), or its Graph Store URL (``"gsp"``, e.g.
        Oxigraph's ``/store``, Fuseki's ``/ds/data``).
    graph : an IRI to load every triple into, instead of keeping kg's named graphs.
    replace : drop each target graph first.
    progress : called with the number of triples each batch sent.

    Examples
    --------
    >>> from kg.errors import ServiceError
    >>> try:
    ...     push(_example(), "http://127.0.0.1:9/update")    # nothing listens on port 9
    ... except ServiceError as exc:
    ...     print(str(exc).split(":")[0:2])
    ['cannot reach http', '//127.0.0.1']
    """
    if protocol not in PROTOCOLS:
        raise UsageError(f"unknown protocol {protocol!r}; choose one of {', '.join(PROTOCOLS)}")
    if not endpoint.startswith(("http://", "https://")):
        raise UsageError(f"the store's endpoint must be an http(s) URL, not {endpoint!r}")
    if graph is not None and not urllib.parse.urlparse(graph).scheme:
        raise UsageError(f"the target graph must be an absolute IRI, not {graph!r}")
    started = time.monotonic()
    graphs = dataset_graphs(data)
    if graph is not None:
        graphs = {graph: sorted({t for ts in graphs.values() for t in ts})}
    result = PushResult(endpoint, protocol, replaced=replace)
    for name, triples in graphs.items():
        if replace:
            _drop(endpoint, protocol, name, timeout)
            result.requests += 1
        for start in range(0, len(triples), batch_size):
            batch = triples[start:start + batch_size]
            body = "\n".join(_ntriples_lines(batch)) + "\n"
            if protocol == "update":
                target = f"GRAPH <{name}> {{\n{body}}}" if name else body
                _send(endpoint, f"INSERT DATA {{\n{target}}}", "application/sparql-update",
                      timeout=timeout)
            else:
                _send(_gsp_url(endpoint, name), body, "application/n-triples", timeout=timeout)
            result.requests += 1
            if progress is not None:
                progress(len(batch))
        result.graphs[name or "(default graph)"] = len(triples)
    result.seconds = time.monotonic() - started
    return result


#: ``kg.push_graph``: the name the package exports (``kg.push`` is this module)
push_graph = push


def total_triples(data, graph: str | None = None) -> int:
    """How many triples :func:`push` will send (for a progress bar)."""
    graphs = dataset_graphs(data)
    if graph is not None:
        return len({t for ts in graphs.values() for t in ts})
    return sum(len(ts) for ts in graphs.values())


def _example():
    from rdflib import Dataset, URIRef

    ds = Dataset()
    ds.graph(URIRef(KG_IRI + "graph/facts")).add(
        (URIRef(KG_IRI + "Turkey"), URIRef(KG_IRI + "backs"), URIRef(KG_IRI + "FailaqAlSham")))
    return ds


def _gsp_url(endpoint: str, graph: str) -> str:
    sep = "&" if "?" in endpoint else "?"
    if not graph:
        return f"{endpoint}{sep}default"
    return f"{endpoint}{sep}graph={urllib.parse.quote(graph, safe='')}"


def _drop(endpoint: str, protocol: str, graph: str, timeout: float) -> None:
    if protocol == "update":
        target = f"GRAPH <{graph}>" if graph else "DEFAULT"
        _send(endpoint, f"DROP SILENT {target}", "application/sparql-update", timeout=timeout)
    else:
        _send(_gsp_url(endpoint, graph), None, None, method="DELETE", timeout=timeout,
              missing_ok=True)


def _send(url: str, body: str | None, content_type: str | None, *, method: str = "POST",
          timeout: float, missing_ok: bool = False) -> None:
    data = body.encode("utf-8") if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if content_type:
        request.add_header("Content-Type", f"{content_type}; charset=utf-8")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        if missing_ok and exc.code == 404:
            return
        detail = exc.read().decode("utf-8", "replace").strip()[:500]
        raise ServiceError(f"{url} answered {exc.code} {exc.reason}: {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ServiceError(f"cannot reach {url}: {reason}; is the store running?") from None
