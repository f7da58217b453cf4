"""The build, stage by stage: corpus -> dataset -> validation -> outputs in ``build/``.

``build_graph(root)`` is the library entry point (it returns the checked rdflib
Dataset); ``run_build(root, out)`` also writes every output, atomically.

Later stages (the persistent store, analysis, maps, exports) register themselves
in :data:`STAGES`: each is a function ``stage(ctx)`` that reads ``ctx.dataset``
and writes through ``ctx.staging``. A stage that raises aborts the whole build and
the previous outputs stay as they were.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset
from rdflib.namespace import RDF

from . import namespaces as ns
from .build import build_dataset, knowledge_graph
from .corpus import Corpus, load_corpus
from .errors import Problem, ValidationError
from .outputs import Staging, nquads, staging, trig, turtle
from .validate import Report, validate
from .vocabulary import ACTOR_CLASSES, RELATIONS


@dataclass
class BuildContext:
    """What a stage sees: the inputs, the dataset so far, and where to write."""

    corpus: Corpus
    dataset: Dataset
    out: Path
    staging: Staging
    report: Report | None = None
    notes: list[str] = field(default_factory=list)
    extraction: object | None = None  # kg.extract.curation.BuildExtraction: what the extractor added


@dataclass
class BuildResult:
    """What a build made."""

    corpus: Corpus
    dataset: Dataset
    report: Report
    out: Path
    files: list[Path]
    notes: list[str]

    def summary(self) -> dict:
        return summarize(self.dataset, self.corpus)


def build_graph(root: Path | str = ".", *, check: bool = True) -> Dataset:
    """Build the knowledge graph of the articles under ``root`` and return it (nothing is written).

    Raises :class:`kg.errors.ValidationError` with every problem when an input
    breaks a rule or (with ``check``) the graph breaks a SHACL shape.
    """
    corpus, _, ds = assemble(root)
    if check:
        report = validate(ds, corpus)
        if not report.conforms:
            raise ValidationError("the graph does not conform to ontology/shapes.ttl", report.problems)
    return ds


def assemble(root: Path | str = ".", progress=None):
    """(corpus, extraction, dataset): the inputs read, the extractor run, the graph built (not validated).

    The corpus's catalogue then also holds the world-gazetteer actors that extracted facts
    in the graph name.
    """
    from .extract.curation import with_world_actors

    corpus = load_corpus(root)
    extraction = _extracted(corpus, progress)
    corpus = with_world_actors(corpus, extraction)
    return corpus, extraction, build_dataset(corpus, facts=corpus.facts + extraction.facts)


def _extracted(corpus: Corpus, progress=None):
    """The facts the extractor finds in the articles (thresholded; rejections and sentences already
    curated left out; on a curated edge, ``.facts`` holds evidence for the curated statement)."""
    from .extract.curation import build_extraction

    return build_extraction(corpus, progress=progress)


def _write_extraction(ctx: BuildContext) -> None:
    """build/extracted.tsv (every extracted fact and its fate) and build/proposals.tsv (new actors)."""
    from .extract.curation import proposals_tsv, review_tsv

    if ctx.extraction is None:
        return
    ctx.staging.write("extracted.tsv", review_tsv(ctx.extraction))
    ctx.staging.write("proposals.tsv", proposals_tsv(ctx.extraction))
    ex = ctx.extraction
    ctx.notes.append(f"extracted: {len(ex.facts)} facts into the graph (confidence >= {ex.threshold:g}; "
                     f"{len(ex.curated_evidence)} of them as evidence for curated statements), "
                     f"{len(ex.curated)} already curated (same sentence), {len(ex.rejected)} rejected by curators, "
                     f"{len(ex.below_threshold)} below the threshold, {len(ex.proposed)} about "
                     f"{sum(len(x.new_actors) for x in ex.extractions)} proposed new actors "
                     "(build/extracted.tsv, build/proposals.tsv)")
    skipped = [(x.article, x.skipped[0]) for x in ex.extractions if x.skipped]
    for article, (position, error) in skipped:
        ctx.notes.append(f"warning: {article}: a sentence at character {position} could not be read ({error})")


def _analyse(ctx: BuildContext) -> None:
    from .analysis.report import build_stage

    build_stage(ctx)


def _write_graph(ctx: BuildContext) -> None:
    ctx.staging.write("graph.ttl", turtle(knowledge_graph(ctx.dataset)))
    ctx.staging.write("dataset.trig", trig(ctx.dataset))
    ctx.staging.write("dataset.nq", nquads(ctx.dataset))


def _write_store(ctx: BuildContext) -> None:
    from .store import store_stage

    store_stage(ctx)


def _write_maps(ctx: BuildContext) -> None:
    from .render import map_stage

    map_stage(ctx)


def _write_exports(ctx: BuildContext) -> None:
    from .export import export_stage

    export_stage(ctx)


#: the build's stages after validation, in order. Stages that add to the dataset
#: (analysis) come before ``_write_graph``; stages that read the outputs come after.
STAGES: list[Callable[[BuildContext], None]] = [_analyse, _write_graph, _write_store, _write_extraction,
                                                _write_exports]
STAGES.append(_write_maps)  # the maps and build/index.html (lists what the stages before it wrote)


def run_build(root: Path | str = ".", out: Path | str | None = None, *, progress=None) -> BuildResult:
    """Build, validate and write every output into ``out`` (default ``root/build``), atomically.

    ``progress(done, total)``, if given, is called as the extractor reads each article.
    """
    root = Path(root)
    out = Path(out) if out is not None else root / "build"
    corpus, extraction, ds = assemble(root, progress)
    report = validate(ds, corpus)
    if not report.conforms:
        raise ValidationError("the graph does not conform; nothing was written", report.problems)
    with staging(out) as stage:
        ctx = BuildContext(corpus, ds, out, stage, report, extraction=extraction)
        for step in STAGES:
            step(ctx)
        files = sorted(out / p.relative_to(stage.dir) for p in stage.dir.rglob("*") if p.is_file())
    return BuildResult(corpus, ds, report, out, files, ctx.notes)


def summarize(ds: Dataset, corpus: Corpus) -> dict:
    """Counts of actors by class, facts by relation and method, articles and evidence."""
    KG = ns.KG
    actors = ds.graph(ns.GRAPH_ACTORS)
    prov = ds.graph(ns.GRAPH_PROVENANCE)
    by_class = Counter()
    for cls in ACTOR_CLASSES:
        by_class[cls] = len(set(actors.subjects(RDF.type, KG[cls])))
    by_relation = Counter()
    by_method = Counter()
    for st in prov.subjects(RDF.type, KG.Statement):
        by_relation[str(prov.value(st, RDF.predicate)).rsplit("/", 1)[-1]] += 1
        by_method[str(prov.value(st, KG.method))] += 1
    proxies = len(set(ds.graph(ns.GRAPH_INFERRED).subjects(RDF.type, KG.ProxyGroup)))
    return {
        "articles": len(corpus.articles),
        "actors": sum(by_class.values()),
        "actors_by_class": {c: by_class[c] for c in ACTOR_CLASSES},
        "proxy_groups": proxies,
        "relations": sum(by_relation.values()),
        "relations_by_type": {r: by_relation[r] for r in RELATIONS if by_relation[r]},
        "relations_by_method": dict(sorted(by_method.items())),
        "evidence": len(set(prov.subjects(RDF.type, KG.Evidence))),
        "sources": len(corpus.catalogue.sources),
        "triples": len(knowledge_graph(ds)),
    }


__all__ = ["BuildContext", "BuildResult", "STAGES", "build_graph", "run_build", "summarize", "Problem"]
