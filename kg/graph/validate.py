"""Validation: the SHACL shapes of ``ontology/shapes.ttl`` and the evidence checks, in parts that scale.

What is checked where:

- **each article's own part** — the article node and every piece of evidence quoted
  from it — against the shapes that target articles and evidence (``kg:ArticleShape``,
  ``kg:EvidenceShape``), and every quote against the article's text. A part's verdict
  depends only on its triples, so a conforming part is remembered by their digest
  (with a cache folder, ``build/cache/validate/``) and a rebuild checks only the
  articles whose part changed;
- **the core** — actors, sources, relations, what inference added, and the statements
  with the type of their evidence — against every other shape, in one pySHACL run whose
  size grows with the actors and relations, not with the articles;
- **across the whole graph** — what no part can see: evidence from no article of the
  corpus (a violation, found here), and, as warnings the build prints, articles with
  identical text and two actors with one Wikidata id (:func:`whole_graph_warnings`,
  SPARQL the build runs over its Oxigraph store).

``validate(ds, corpus)`` returns a :class:`Report`; it never raises for violations, so
callers decide (the build refuses a graph that does not conform, ``kg validate`` prints
the report and exits 1).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from .. import namespaces as ns
from ..errors import Problem
from ..files import Run, serially
from ..inputs.corpus import Corpus
from .build import GraphParts, Triples
from .quads import quad_lines_of, rdflib_lines, to_rdflib

#: the shapes checked part by part, article by article (their targets are articles and evidence)
ARTICLE_SHAPES = ("ArticleShape", "EvidenceShape")


@dataclass
class Report:
    """The outcome of validation: does the graph conform, and if not, why."""

    conforms: bool
    problems: list[Problem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    #: the article parts checked this time (the others conformed before, unchanged)
    parts_checked: int = 0

    def text(self) -> str:
        lines = ["checked: " + ", ".join(f"{v} {k}" for k, v in self.checked.items())]
        if self.conforms:
            lines.append("conforms: yes — every shape holds and every quote is found in its article")
        else:
            lines.append(f"conforms: no — {len(self.problems)} violation(s):")
            lines.extend(f"  {p}" for p in self.problems)
        return "\n".join(lines)


def validate(data: Dataset | GraphParts, corpus: Corpus, *, cache: Path | None = None,
             run: Run = serially) -> Report:
    """Check the graph against the shapes and every quote against its article (see the module).

    ``data`` is the build's :class:`~kg.graph.build.GraphParts` or a whole rdflib Dataset.
    With ``cache`` (a folder), the article parts that conformed are remembered there and
    not checked again while their triples are the same. The parts are checked in batches,
    each by one call ``run`` makes (:data:`kg.files.Run`: the build checks them in parallel).
    """
    parts = data if isinstance(data, GraphParts) else _parts_of(data)
    shapes = load_shapes(corpus)
    core = check_core(parts, shapes)
    return core.report(*check_parts(parts, corpus, shapes, cache=cache, run=run))


def load_shapes(corpus: Corpus) -> Graph:
    """The corpus's SHACL shapes (``ontology/shapes.ttl``)."""
    return Graph().parse(corpus.shapes_path, format="turtle")


@dataclass
class CoreCheck:
    """The core's problems, and what was checked (the counts a :class:`Report` states)."""

    problems: list[Problem]
    checked: dict[str, int]

    def report(self, part_problems: list[Problem], parts_checked: int) -> Report:
        """The whole report, with what :func:`check_parts` found."""
        problems = self.problems + part_problems
        return Report(not problems, sorted(problems, key=str), self.checked, parts_checked)


def check_core(parts: GraphParts, shapes: Graph) -> CoreCheck:
    """The core of the graph (see the module) against every shape but the articles' and evidence's."""
    KG = ns.KG
    core = Graph()
    for name in (ns.GRAPH_ACTORS, ns.GRAPH_FACTS, ns.GRAPH_INFERRED, ns.GRAPH_ANALYSIS, ns.GRAPH_PROVENANCE):
        for triple in parts.core.graph(name):
            core.add(triple)
    for e in parts.evidence:
        core.add((e, RDF.type, KG.Evidence))
    # the ontology is not data: the inferred graph states every superclass an sh:class needs, and
    # with the ontology's subclass axioms in the data graph pySHACL runs several times slower
    problems = _shacl(core, _shapes(shapes, keep=False))
    checked = {
        "actors": len(set(core.subjects(RDF.type, KG.Actor))),
        "statements": len(set(core.subjects(RDF.type, KG.Statement))),
        "evidence": len(parts.evidence),
        "articles": len(parts.article_lines),
    }
    return CoreCheck(problems, checked)


#: how many article parts one pySHACL run checks (a run has a fixed cost: batches, not single parts)
PARTS_PER_RUN = 100


def check_parts(parts: GraphParts, corpus: Corpus, shapes: Graph, *, cache: Path | None = None,
                run: Run = serially) -> tuple[list[Problem], int]:
    """The problems of the article parts (and of evidence from no article), and how many parts were
    checked: those not remembered in ``cache`` as conforming, in batches of :data:`PARTS_PER_RUN`,
    each by one call ``run`` makes."""
    plan = plan_parts(parts, corpus, shapes, cache=cache)
    return plan.finish(list(run(plan.calls)))


@dataclass
class PartsCheck:
    """The article parts' check, planned: the calls that check the parts not remembered as conforming
    (one pySHACL run each), and :meth:`finish`, which reads their results. The build makes the calls
    where it likes: in parallel when there are many, beside the core's check when there are few."""

    calls: list[Callable[[], tuple[list[Problem], list[str]]]]
    parts: GraphParts
    shapes: Graph
    digests: dict[str, str]
    seen: _Seen
    #: how many parts the calls check
    checking: int

    def finish(self, results: list[tuple[list[Problem], list[str]]]) -> tuple[list[Problem], int]:
        """The problems found (the calls' results, in order, and those of evidence from no article) and
        how many parts were checked; the parts that conformed are remembered."""
        problems: list[Problem] = []
        for found, conforming in results:
            problems += found
            for article_id in conforming:
                self.seen.add(self.digests[article_id])
        if self.parts.orphans:
            problems += _orphan_problems(self.parts.orphans, self.shapes)
        self.seen.keep(set(self.digests.values()))
        return problems, self.checking


def plan_parts(parts: GraphParts, corpus: Corpus, shapes: Graph, *, cache: Path | None = None) -> PartsCheck:
    """The :class:`PartsCheck` of the article parts not remembered in ``cache`` as conforming."""
    lines = parts.article_lines
    article_shapes = _shapes(shapes, keep=True)
    # a part is remembered with the shapes it met, and the validator's version
    checker = _digest([f"pyshacl {importlib.metadata.version('pyshacl')}", *rdflib_lines(article_shapes)])
    digests = {article_id: _digest([checker, *part]) for article_id, part in lines.items()}
    seen = _Seen(cache)
    to_check = sorted(a for a, digest in digests.items() if not seen.has(digest))
    batches = [to_check[i:i + PARTS_PER_RUN] for i in range(0, len(to_check), PARTS_PER_RUN)]
    calls: list[Callable[[], tuple[list[Problem], list[str]]]] = [
        functools.partial(_check_batch, {a: lines[a] for a in batch}, corpus, article_shapes) for batch in batches]
    return PartsCheck(calls, parts, article_shapes, digests, seen, len(to_check))


def _orphan_problems(orphans: Triples, shapes: Graph) -> list[Problem]:
    """Evidence from no article of the corpus: a violation each, and any shape it breaks."""
    orphan_graph = to_rdflib(quad_lines_of(orphans, str(ns.GRAPH_PROVENANCE)), dataset=False)
    problems = _shacl(orphan_graph, shapes)
    for orphan in sorted({str(s) for s, _, _ in orphans}):
        curated_in = orphan_graph.value(URIRef(orphan), ns.KG.curatedIn)
        problems.append(Problem("evidence from no article of the corpus", str(curated_in or orphan)))
    return problems


def _check_batch(batch: dict[str, list[str]], corpus: Corpus, shapes: Graph) -> tuple[list[Problem], list[str]]:
    """One pySHACL run over some articles' parts, and their quotes: (problems, the articles whose part
    conforms: none when the run found a violation, as it does not say in which part)."""
    violations = _shacl(to_rdflib([line for part in batch.values() for line in part], dataset=False), shapes)
    problems, conforming = list(violations), []
    for article_id, part in batch.items():
        quotes = _quote_problems(part, corpus.articles.get(article_id))
        problems += quotes
        if not quotes and not violations:
            conforming.append(article_id)
    return problems, conforming


def _parts_of(ds: Dataset) -> GraphParts:
    """A whole dataset split as the build makes it: each article's node and evidence, and the rest."""
    KG = ns.KG
    prov = ds.graph(ns.GRAPH_PROVENANCE)
    core = Dataset()
    for name in (ns.GRAPH_ACTORS, ns.GRAPH_FACTS, ns.GRAPH_INFERRED, ns.GRAPH_ANALYSIS):
        target = core.graph(name)
        for triple in ds.graph(name):
            target.add(triple)
    articles = {a: str(prov.value(a, ns.DCTERMS.identifier)) for a in prov.subjects(RDF.type, KG.Article)}
    triples: dict[str, Triples] = {article_id: list(prov.triples((a, None, None))) for a, article_id in articles.items()}
    parts = GraphParts(core)
    parts.evidence = {URIRef(str(e)) for e in prov.subjects(RDF.type, KG.Evidence)}
    for e in sorted(parts.evidence, key=str):
        article = prov.value(e, KG.fromArticle)
        part = triples[articles[article]] if article in articles else parts.orphans
        part.extend(prov.triples((e, None, None)))
    provenance = str(ns.GRAPH_PROVENANCE)
    parts.article_lines = {article_id: quad_lines_of(part, provenance) for article_id, part in triples.items()}
    g_core = core.graph(ns.GRAPH_PROVENANCE)
    for st in prov.subjects(RDF.type, KG.Statement):
        for triple in prov.triples((st, None, None)):
            g_core.add(triple)
    return parts


def _quote_problems(lines: list[str], article) -> list[Problem]:
    """Every quote of an article's part that the article does not contain."""
    import pyoxigraph as ox

    quote, curated_in = ns.KG_IRI + "quote", ns.KG_IRI + "curatedIn"
    quads = list(ox.parse("".join(line + "\n" for line in lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    where = {q.subject.value: q.object.value for q in quads if q.predicate.value == curated_in}
    return [Problem(f"quote not found in its article: {q.object.value[:80]!r}", where.get(q.subject.value,
                                                                                              q.subject.value))
            for q in quads if q.predicate.value == quote and (article is None or not article.contains(q.object.value))]


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _shapes(shapes: Graph, *, keep: bool) -> Graph:
    """The shapes that target articles and evidence (``keep``) or every other shape."""
    SH = ns.SH
    out = Graph()
    article_shapes = {ns.KG[name] for name in ARTICLE_SHAPES}
    for s, p, o in shapes:
        targeted = p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
        if targeted and (s in article_shapes) != keep:
            continue
        out.add((s, p, o))
    return out


def _shacl(data: Graph, shapes: Graph) -> list[Problem]:
    import pyshacl

    # inplace: the data graph is the caller's throwaway copy, and with no inference pySHACL leaves it as it
    # is (copying it first was a third of a large check)
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                            allow_warnings=False, inplace=True)
    return [] if conforms else _shacl_problems(results)


class _Seen:
    """The digests of article parts that conformed, as empty files in a folder (or nowhere)."""

    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder is not None else None

    def has(self, digest: str) -> bool:
        return self.folder is not None and (self.folder / digest).is_file()

    def add(self, digest: str) -> None:
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / digest).touch()
        except OSError:
            return

    def keep(self, digests: set[str]) -> None:
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if len(path.name) == 64 and path.name not in digests and path.is_file():
                path.unlink(missing_ok=True)


#: whole-graph checks, as SPARQL over the store: (what may be wrong, query selecting ?x and ?y)
WHOLE_GRAPH_CHECKS = (
    ("articles with identical text (the same kg:sha256): their evidence counts twice",
     """SELECT ?x ?y WHERE { ?x a kg:Article ; kg:sha256 ?h . ?y a kg:Article ; kg:sha256 ?h .
                             FILTER(STR(?x) < STR(?y)) } ORDER BY ?x ?y"""),
    ("two catalogue actors with one Wikidata id",
     """SELECT ?x ?y WHERE { ?x kg:wikidata ?q . ?y kg:wikidata ?q . FILTER(STR(?x) < STR(?y)) } ORDER BY ?x ?y"""),
)


def whole_graph_warnings(store) -> list[Problem]:
    """The whole-graph checks (:data:`WHOLE_GRAPH_CHECKS`) run on an Oxigraph store: what they find.

    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> kg = "https://w3id.org/conflict-kg/"
    >>> for a in ("article/a", "article/b"):
    ...     store.add(ox.Quad(ox.NamedNode(kg + a), ox.NamedNode(kg + "sha256"), ox.Literal("0f")))
    ...     store.add(ox.Quad(ox.NamedNode(kg + a), ox.NamedNode(str(RDF.type)), ox.NamedNode(kg + "Article")))
    >>> [str(p) for p in whole_graph_warnings(store)]
    ['articles with identical text (the same kg:sha256): their evidence counts twice: article/a and article/b']
    """
    problems = []
    prefix = f"PREFIX kg: <{ns.KG_IRI}>\n"
    for message, query in WHOLE_GRAPH_CHECKS:
        for row in store.query(prefix + query, use_default_graph_as_union=True):
            x, y = (row[name].value.removeprefix(ns.KG_IRI) for name in ("x", "y"))
            problems.append(Problem(f"{message}: {x} and {y}"))
    return problems


def _shacl_problems(results: Graph) -> list[Problem]:
    SH = ns.SH
    problems = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        message = results.value(r, SH.resultMessage)
        text = f"{_short(focus)}"
        if path is not None:
            text += f" {_short(path)}"
        text += f": {message}"
        problems.append(Problem(text))
    return sorted(problems, key=str)


def _short(term) -> str:
    text = str(term)
    for prefix, iri in ns.PREFIXES.items():
        if text.startswith(iri):
            return f"{prefix}:{text[len(iri):]}"
    return text
