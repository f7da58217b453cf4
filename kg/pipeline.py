"""The build, stage by stage: inputs -> extraction -> graph -> validation -> analysis -> outputs.

Each stage takes what the stages before it made and returns what it makes; nothing is
written to disk to be read back, and each output file is written once::

    corpus, extraction, parts = assemble(root)        # kg.inputs, kg.extract, kg.graph.build
    plan = plan_parts(parts, corpus, shapes)          # kg.graph.validate: the article parts to check
    quads, store = parts.quads_and_store()            # the sorted lines, and a store filled meanwhile
    built = complete(quads, store=store)              # kg.built: network and analysis, once, while
    report = check_core(parts, shapes).report(        #   another process checks the core (and the
        *plan.finish(serially(plan.calls)))           #   parts, if few: many are checked first)
    files = {**extraction_files(extraction),          # the outputs, as name -> text: made by
             **together([analysis_work(built.analysis),  # analysis.*
                         export_work(built),          # graph.ttl, dataset.*, export/*
                         map_work(built, ...)],       # map.html, maps/*, index.html
                        forked(jobs, meanwhile=store),   # while this process writes build/store
                        emit=write)}                  # (Oxigraph) from the same N-Quads, then
                                                      # each stage's files as they come

Only the core of the graph (actors, relations, statements: what grows with the actors,
not the articles) is ever held in rdflib; the articles and their evidence go from the
extraction to N-Quads lines to Oxigraph (:class:`kg.graph.build.GraphParts`).
``build_graph(root)`` is the library entry point (it returns the checked rdflib
Dataset); ``run_build(root, out)`` also writes every output, atomically: into a
staging folder first, moved into place only when every stage has succeeded, so a
failed build leaves the previous outputs as they were.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Dataset

from . import namespaces as ns
from .analysis.report import analysis_note, analysis_work
from .built import BuiltGraph, complete
from .errors import OutputError, ValidationError
from .export import export_work
from .extract.cache import ExtractionCache
from .extract.curation import (
    BuildExtraction,
    build_extraction,
    proposals_tsv,
    review_tsv,
    with_world_actors,
)
from .extract.parallel import Workers
from .files import serially, staging, together
from .forking import background, forked
from .graph.build import GraphParts, build_parts, merged, parts_memo
from .graph.serialize import nquads
from .graph.validate import (
    CoreCheck,
    PartsCheck,
    Report,
    check_core,
    load_shapes,
    plan_parts,
    validate,
    whole_graph_warnings,
)
from .inputs.corpus import Corpus, load_corpus
from .render.site import map_work
from .stamp import CACHE_DIR, STAMP, STORE_DIR, inputs_fingerprint
from .store import open_store, write_store
from .vocabulary import ACTOR_CLASSES, RELATIONS

Progress = Callable[[int, int], None]


@dataclass
class BuildResult:
    """What a build made."""

    corpus: Corpus
    report: Report
    out: Path
    files: list[Path]
    notes: list[str]
    built: BuiltGraph | None = None
    extraction: BuildExtraction | None = None

    @property
    def dataset(self) -> Dataset:
        """The dataset written, as an rdflib Dataset (made on first use: slow on a large graph)."""
        assert self.built is not None
        return self.built.data

    def summary(self) -> dict:
        assert self.built is not None
        return summarize(self.built, self.corpus)


def assemble(root: Path | str = ".", progress: Progress | None = None, *, workers: Workers | None = None,
             cache_dir: Path | None = None, parts_dir: Path | None = None,
             meanwhile: Callable[[], Any] | None = None) -> tuple[Corpus, BuildExtraction, GraphParts]:
    """(corpus, extraction, parts): the inputs read, the extractor run, the graph built in its parts
    (not validated).

    The corpus's catalogue then also holds the world-gazetteer actors that extracted facts
    in the graph name. ``progress(done, total)``, if given, is called as articles are
    extracted; with ``cache_dir`` (and ``workers.cache``) extractions are kept there, and with
    ``parts_dir`` each article's part of the graph; ``meanwhile`` is what this process does while a
    forked one extracts a rebuild's few articles.
    """
    corpus = load_corpus(root)
    workers = workers or Workers()
    cache = ExtractionCache(cache_dir) if cache_dir is not None and workers.cache else None
    extraction = build_extraction(corpus, progress=progress, workers=workers, cache=cache, meanwhile=meanwhile)
    corpus = with_world_actors(corpus, extraction)
    memo = parts_memo(parts_dir if workers.cache else None)
    return corpus, extraction, build_parts(corpus, facts=corpus.facts + extraction.facts, memo=memo)


def build_graph(root: Path | str = ".", *, check: bool = True) -> Dataset:
    """Build the knowledge graph of the articles under ``root`` and return it (nothing is written).

    Raises :class:`kg.errors.ValidationError` with every problem when an input
    breaks a rule or (with ``check``) the graph breaks a SHACL shape.
    """
    corpus, _, parts = assemble(root)
    if check:
        report = validate(parts, corpus)
        if not report.conforms:
            raise ValidationError("the graph does not conform to ontology/shapes.ttl", report.problems)
    return merged(parts)


def checked(root: Path, out: Path, *, progress: Progress | None = None,
            workers: Workers | None = None) -> tuple[Corpus, BuildExtraction, GraphParts, Report]:
    """:func:`assemble` and :func:`kg.graph.validate.validate`, reading and keeping extractions and
    conforming article parts in ``out/cache/`` (unless ``workers.cache`` is False) as a build does;
    the parts are checked in ``workers.jobs`` processes."""
    workers = workers or Workers()
    corpus, extraction, parts = assemble(root, progress, workers=workers, cache_dir=_kept(out, workers, "extract"),
                                         parts_dir=_kept(out, workers, "parts"))
    return corpus, extraction, parts, validate(parts, corpus, cache=_kept(out, workers, "validate"),
                                               run=forked(workers.jobs))


def _kept(out: Path, workers: Workers, name: str) -> Path | None:
    """Where a build into ``out`` keeps what it remembers of ``name`` (None: ``workers.cache`` is off)."""
    return out / CACHE_DIR / name if workers.cache else None


def run_build(root: Path | str = ".", out: Path | str | None = None, *,
              progress: Progress | None = None, workers: Workers | None = None) -> BuildResult:
    """Build, validate and write every output into ``out`` (default ``root/build``), atomically.

    Articles are extracted as ``workers`` says; their extractions, the article parts that
    conformed and the maps' layouts are kept in ``out/cache/`` for the next build (unless
    ``workers.cache`` is False). The article parts are checked in ``workers.jobs`` processes,
    and the core of the graph in another process while this one reads and analyses the network.
    """
    root = Path(root)
    out = Path(out) if out is not None else root / "build"
    workers = workers or Workers()
    corpus, extraction, parts = assemble(root, progress, workers=workers, cache_dir=_kept(out, workers, "extract"),
                                         parts_dir=_kept(out, workers, "parts"), meanwhile=preload)
    shapes = load_shapes(corpus)
    plan = plan_parts(parts, corpus, shapes, cache=_kept(out, workers, "validate"))
    checked_now = check_articles(plan, workers.jobs)
    quads, store = parts.quads_and_store()
    with background(functools.partial(_checks, parts, shapes, [] if checked_now is not None else plan.calls),
                    workers.jobs) as checking:
        try:
            built, failure = complete(quads, store=store), None
        except Exception as exc:   # (a graph that breaks the shapes may break the analysis: the report says why)
            built, failure = None, exc
        core, checked_beside = checking.result()
        report = core.report(*plan.finish(checked_now if checked_now is not None else checked_beside))
    if not report.conforms:
        raise ValidationError("the graph does not conform; nothing was written", report.problems)
    if failure is not None:
        raise failure
    assert built is not None
    notes = [*extraction_notes(extraction), analysis_note(built.analysis)]
    files = extraction_files(extraction)
    analysis, exports = analysis_work(built.analysis), export_work(built, cache=_kept(out, workers, "fragments"))
    maps = map_work(built, [*files, *analysis.names, *exports.names, f"{STORE_DIR}/"],
                    cache=_kept(out, workers, "layout"))
    try:
        with staging(out) as stage:
            def store() -> None:   # (written here while the forked processes make the files)
                write_store(nquads(built.quads), stage.path(STORE_DIR), previous=out)

            def write(made: dict[str, str]) -> None:
                for name, text in made.items():
                    stage.write(name, text)

            write(files)
            # (the analysis is one long call: first, so that a process takes it at once; each stage's
            # files are written here while the processes make the next's)
            files |= together([analysis, exports, maps], forked(workers.jobs, meanwhile=store), emit=write)
            notes += [f"warning: {p}" for p in whole_graph_warnings(open_store(stage.path(STORE_DIR)))]
            stage.write(STAMP, inputs_fingerprint(root) + "\n")
            written = sorted(out / p.relative_to(stage.dir) for p in stage.dir.rglob("*") if p.is_file())
    except OSError as exc:
        raise OutputError(f"cannot write the build to {out}: {exc.strerror or exc}; the previous outputs "
                          "are as they were") from None
    return BuildResult(corpus, report, out, written, notes, built, extraction)


def preload() -> None:
    """Import the libraries the stages after extraction use: the analysis's (numpy, scipy, Oxigraph),
    the checks' (pySHACL), the maps' (scipy's spatial index, pyvis, Jinja). The build does it while a
    forked process extracts a rebuild's few articles, time it would otherwise spend waiting; the
    processes it forks later inherit them rather than each import them again."""
    import jinja2  # noqa: F401
    import numpy  # noqa: F401
    import pyoxigraph  # noqa: F401
    import pyshacl  # noqa: F401
    import pyvis.network  # noqa: F401
    import rdflib.compare  # noqa: F401
    import scipy.sparse  # noqa: F401
    import scipy.spatial  # noqa: F401


def check_articles(plan: PartsCheck, jobs: int | None) -> list | None:
    """The results of the article parts' checks, made now in ``jobs`` processes when there are several
    runs to make (a first build's); None when there is at most one (a rebuild's few changed articles),
    which the build makes beside the core's check, while it analyses the network."""
    return list(forked(jobs)(plan.calls)) if len(plan.calls) > 1 else None


def _checks(parts: GraphParts, shapes: Any, calls: list[Callable[[], Any]]) -> tuple[CoreCheck, list]:
    """The core's check, and the results of ``calls`` (article parts' checks)."""
    return check_core(parts, shapes), serially(calls)


def extraction_files(extraction: BuildExtraction) -> dict[str, str]:
    """``extracted.tsv`` (every extracted fact and its fate) and ``proposals.tsv`` (new actors)."""
    return {"extracted.tsv": review_tsv(extraction), "proposals.tsv": proposals_tsv(extraction)}


def extraction_notes(ex: BuildExtraction) -> list[str]:
    """What the build says about the extractor's work (and any sentence it could not read)."""
    notes = [f"extracted: {len(ex.facts)} facts into the graph (confidence >= {ex.threshold:g}; "
             f"{len(ex.curated_evidence)} of them as evidence for curated statements), "
             f"{len(ex.curated)} already curated (same sentence), {len(ex.rejected)} rejected by curators, "
             f"{len(ex.below_threshold)} below the threshold, {len(ex.proposed)} about "
             f"{sum(len(x.new_actors) for x in ex.extractions)} proposed new actors "
             "(build/extracted.tsv, build/proposals.tsv)"]
    for x in ex.extractions:
        if x.skipped:
            position, error = x.skipped[0]
            notes.append(f"warning: {x.article}: a sentence at character {position} could not be read ({error})")
    return notes


def summarize(built: BuiltGraph, corpus: Corpus) -> dict:
    """Counts of actors by class, facts by relation and method, articles and evidence (SPARQL on the
    built graph's store)."""
    graph = f"{ns.KG_IRI}graph/"
    by_class: Counter[str] = Counter()
    for row in built.select(f"SELECT ?c (COUNT(DISTINCT ?a) AS ?n) WHERE {{ GRAPH <{graph}actors> {{ ?a a ?c }} }} "
                            "GROUP BY ?c"):
        by_class[row["c"].removeprefix(ns.KG_IRI)] = int(row["n"])
    by_relation: Counter[str] = Counter()
    by_method: Counter[str] = Counter()
    for row in built.select("SELECT ?p ?m (COUNT(?st) AS ?n) WHERE { ?st a kg:Statement ; rdf:predicate ?p . "
                            "OPTIONAL { ?st kg:method ?m } } GROUP BY ?p ?m"):
        by_relation[row["p"].rsplit("/", 1)[-1]] += int(row["n"])
        by_method[row.get("m", "None")] += int(row["n"])

    def count(query: str) -> int:
        return int(built.select(query)[0]["n"])

    return {
        "articles": len(corpus.articles),
        "actors": sum(by_class[c] for c in ACTOR_CLASSES),
        "actors_by_class": {c: by_class[c] for c in ACTOR_CLASSES},
        "proxy_groups": count(f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ GRAPH <{graph}inferred> "
                              "{ ?a a kg:ProxyGroup } }"),
        "relations": sum(by_relation.values()),
        "relations_by_type": {r: by_relation[r] for r in RELATIONS if by_relation[r]},
        "relations_by_method": dict(sorted(by_method.items())),
        "evidence": count("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kg:Evidence }"),
        "sources": len(corpus.catalogue.sources),
        "triples": len(built.triple_lines),
    }
