"""Extracting a corpus: each article from the cache, or in this process, worker processes or a Dask cluster.

One article's extraction is a pure function of the article, the extractor and the part
of the catalogue the article reaches (:mod:`.cache`), so articles are extracted
independently wherever there is a processor, and merged here in the corpus's order:

- ``jobs=1``: in this process;
- ``jobs=N``: ``N`` worker processes on this machine (each loads the model and the
  gazetteer once), when there are at least ``PER_WORKER`` articles per worker to
  extract (fewer are read here, faster than starting workers);
- ``scheduler="tcp://host:8786"``: the workers of a Dask cluster (``pip install
  'kg[distributed]'`` on every host; kg, the same version, and the spaCy model on
  every worker). The merge stays here.

Whatever ran it, the result is the same: extractions are stripped of what only the
extractor itself uses, their actors re-bound to this build's catalogue, and the
look-alike labels of proposed actors computed against the whole catalogue here.

An article the extractor fails on stops the build with its file and the line the
extractor had reached (:class:`kg.errors.ExtractionFailed`); nothing is written, so
the previous outputs stay as they were.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import multiprocessing
import pickle
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace

from ..errors import ExtractionFailed, Problem, ServiceError
from ..forking import background, can_fork, default_jobs
from ..inputs.articles import Article
from ..inputs.catalogue import Catalogue
from . import Extraction, Extractor
from .cache import ExtractionCache, Reach, article_key, extractor_fingerprint
from .model import model_name
from .newactors import similar_labels
from .world import World

Progress = Callable[[int, int], None]

#: worker processes are started only when each has at least this many articles to extract
PER_WORKER = 8


@dataclass(frozen=True)
class Failure:
    """An article the extractor failed on: where it had got to, and the error."""

    article: str
    position: int
    error: str


@dataclass(frozen=True)
class Workers:
    """Where articles are extracted, and whether their extractions are kept.

    ``jobs`` worker processes (None: one per processor), or the Dask cluster whose
    scheduler is at ``scheduler``; ``cache``: keep each article's extraction in
    ``build/cache/`` and reuse it while its inputs are unchanged (see :mod:`.cache`).
    """

    jobs: int | None = None
    scheduler: str | None = None
    cache: bool = True
    #: the extractor each worker makes: :class:`kg.extract.Extractor`, or a subclass importable where they run
    factory: type[Extractor] = Extractor
    #: worker processes start only when each has at least this many articles to extract
    per_worker: int = PER_WORKER


def extract_corpus(articles: list[Article], catalogue: Catalogue, world: World, *,
                   workers: Workers | None = None, cache: ExtractionCache | None = None,
                   model: str | None = None, progress: Progress | None = None,
                   meanwhile: Callable[[], object] | None = None) -> list[Extraction]:
    """The extraction of every article, in the order given (``world`` is ``load_world(catalogue)``),
    where ``workers`` says, read from and kept in ``cache`` when one is given.

    ``progress(done, total)`` is called as articles are done (cached ones at once). A rebuild's few
    articles are extracted in a forked process while this one reads the others from the cache, and
    then calls ``meanwhile``, if given, rather than wait idle.
    """
    workers = workers or Workers()
    model = model_name(model)
    fingerprint = extractor_fingerprint(model)
    reach = Reach(world)
    keys = cache.keys(articles, reach, fingerprint) if cache is not None else \
        [article_key(article, reach, fingerprint) for article in articles]
    total = len(articles)
    jobs = default_jobs() if workers.jobs is None else max(1, workers.jobs)
    factory = workers.factory
    absent = {i for i, key in enumerate(keys) if cache is None or not cache.has(key)}
    # a few articles to extract (a rebuild's), with a core to spare: a forked process loads the model and
    # extracts them while this one reads the others from the cache
    few = not workers.scheduler and len(absent) < workers.per_worker * 2
    aside = absent if few and can_fork(jobs) else set()
    alike: dict[str, list[str]] = {}   # a proposed label recurs across articles: compared once
    done: dict[int, Extraction] = {}
    with background(functools.partial(_extracted_here, articles, sorted(aside), catalogue, world, model, factory),
                    jobs if aside else 1) as extracting:
        for i, key in enumerate(keys):
            cached = cache.get(key) if cache is not None and i not in absent else None
            if isinstance(cached, Extraction):
                done[i] = _rebound(replace(cached, from_cache=True), world, alike)
        if progress is not None:
            progress(len(done), total)
        if aside and meanwhile is not None:
            meanwhile()
        early = extracting.result()
    todo = [i for i in range(total) if i not in done and i not in aside]   # (and any cached one unreadable)
    if not todo:
        outcomes: Iterable[tuple[int, Extraction | Failure]] = ()
    elif workers.scheduler:
        outcomes = _on_dask(workers.scheduler, articles, todo, catalogue, model, factory)
    elif jobs > 1 and len(todo) >= workers.per_worker * 2:
        outcomes = _in_processes(min(jobs, len(todo) // workers.per_worker), articles, todo, catalogue, model,
                                 factory)
    else:
        outcomes = _here(articles, todo, catalogue, world, model, factory)
    failures: list[tuple[int, Failure]] = []
    for i, outcome in itertools.chain(early, outcomes):
        if isinstance(outcome, Failure):
            failures.append((i, outcome))
        else:
            outcome = replace(outcome, mentions=[], from_cache=False)
            done[i] = _rebound(outcome, world, alike)
            if cache is not None:
                cache.put(keys[i], outcome)
        if progress is not None:
            progress(len(done) + len(failures), total)
    if failures:
        raise ExtractionFailed(f"the extractor failed on {len(failures)} article(s); nothing was written",
                               [_problem(articles[i], f) for i, f in sorted(failures, key=lambda x: x[0])])
    if cache is not None:
        cache.keep(keys)
    return [done[i] for i in range(total)]


def _problem(article: Article, failure: Failure) -> Problem:
    """The failure at the line of the paragraph the extractor was reading (the first after the last it read)."""
    text = article.text
    position = failure.position
    while position < len(text) and text[position].isspace():
        position += 1
    line = text.count("\n", 0, position) + 1
    return Problem(f"the extractor failed here: {failure.error}", f"seeds/{article.path.name}", line)


def _rebound(extraction: Extraction, world: World, alike: dict[str, list[str]]) -> Extraction:
    """An extraction whose actors are this build's (a cached one may hold an older copy of an entry),
    its proposed actors with the catalogue's look-alikes (``alike``: those found so far, by label)."""
    facts = [replace(f, subject=world.actor(f.subject.id) or f.subject, object=world.actor(f.object.id) or f.object)
             for f in extraction.facts]
    for a in extraction.new_actors:
        if a.label not in alike:
            alike[a.label] = similar_labels(a.label, world.catalogue)
    proposals = [replace(a, similar=list(alike[a.label])) for a in extraction.new_actors]
    return replace(extraction, facts=facts, new_actors=proposals)


def extract_one(extractor: Extractor, article: Article) -> Extraction | Failure:
    """One article's extraction, or where and why the extractor failed on it."""
    reached = [0]

    def track(chars: int, _total: int) -> None:
        reached[0] = chars

    try:
        return extractor.extract(article, progress=track)
    except Exception as exc:  # noqa: BLE001 - reported with the article's file and line
        return Failure(article.id, reached[0], f"{type(exc).__name__}: {exc}")


# ---------------------------------------------------------------------- where it runs

def _here(articles, todo, catalogue, world, model, factory) -> Iterator[tuple[int, Extraction | Failure]]:
    if not todo:
        return
    extractor = factory(catalogue, model=model, world=world)
    for i in todo:
        yield i, extract_one(extractor, articles[i])


def _extracted_here(articles, todo, catalogue, world, model, factory) -> list[tuple[int, Extraction | Failure]]:
    """:func:`_here`'s outcomes, all of them (without the mentions, which the build does not keep)."""
    return [(i, replace(x, mentions=[]) if isinstance(x, Extraction) else x)
            for i, x in _here(articles, todo, catalogue, world, model, factory)]


#: in a worker process (local or Dask): the extractor of the catalogue, model and class it was given last
_EXTRACTORS: dict[str, Extractor] = {}


def _setup(catalogue: Catalogue, model: str, factory: type[Extractor]) -> str:
    """What names a worker's extractor: the digest of what makes it."""
    return hashlib.sha256(pickle.dumps((catalogue, model, factory))).hexdigest()


def _extractor(setup: str, catalogue: Catalogue, model: str, factory: type[Extractor]) -> Extractor:
    """The worker's extractor for ``setup``, made (loading the model and the gazetteer) the first time."""
    if setup not in _EXTRACTORS:
        _EXTRACTORS.clear()
        _EXTRACTORS[setup] = factory(catalogue, model=model)
    return _EXTRACTORS[setup]


def _work(setup: str, article: Article) -> Extraction | Failure:
    """The task of a local worker process, whose extractor :func:`_extractor` made when it started."""
    return extract_one(_EXTRACTORS[setup], article)


def _in_processes(jobs, articles, todo, catalogue, model, factory) -> Iterator[tuple[int, Extraction | Failure]]:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(["kg.extract.parallel"])
    setup = _setup(catalogue, model, factory)
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_extractor,
                             initargs=(setup, catalogue, model, factory)) as pool:
        futures = {pool.submit(_work, setup, articles[i]): i for i in todo}
        for future in as_completed(futures):
            i = futures[future]
            try:
                yield i, future.result()
            except BrokenProcessPool:
                left = sorted(futures[f] for f in futures if not f.done() or f.exception() is not None)
                names = ", ".join(f"seeds/{articles[j].path.name}" for j in left[:5])
                raise ExtractionFailed(
                    f"a worker process died (killed, out of memory, or a script that starts a build with "
                    f"jobs > 1 lacks an 'if __name__ == \"__main__\":' guard) with {len(left)} article(s) "
                    f"not extracted: {names}{', ...' if len(left) > 5 else ''}; nothing was written") from None


def _work_on_dask(setup: str, catalogue: Catalogue, model: str, factory: type[Extractor],
                  article: Article) -> Extraction | Failure:
    """The task a Dask worker runs: its extractor is made once per setup, then reused."""
    return extract_one(_extractor(setup, catalogue, model, factory), article)


def _on_dask(address, articles, todo, catalogue, model, factory) -> Iterator[tuple[int, Extraction | Failure]]:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise ServiceError("a Dask scheduler was given but Dask is not installed: pip install "
                           "'kg[distributed]' (dask distributed)") from None
    if not todo:
        return
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise ServiceError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        setup = _setup(catalogue, model, factory)
        shared = client.scatter(catalogue, broadcast=True)
        futures = {client.submit(_work_on_dask, setup, shared, model, factory, articles[i], pure=False): i
                   for i in todo}
        for future in dask_completed(futures):
            i = futures[future]
            try:
                yield i, future.result()
            except Exception as exc:  # noqa: BLE001 - a worker lost, or the task could not run there
                yield i, Failure(articles[i].id, 0, f"the Dask task failed: {type(exc).__name__}: {exc}")
    finally:
        client.close()
