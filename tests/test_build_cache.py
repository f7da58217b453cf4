"""Incremental and parallel builds: each article's extraction is cached, and extracted anywhere.

A rebuild re-extracts exactly the articles whose inputs changed: the article, its date,
the extractor, or a catalogue entry the article names. Cached or not, in worker
processes or on a Dask cluster, a build writes the same bytes.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from kg.errors import ExtractionFailed, ValidationError
from kg.extract.cache import extractor_fingerprint
from kg.forking import background, forked
from kg.graph.build import build_parts
from kg.pipeline import Workers, assemble, run_build
from tests.conftest import MINI_ACTORS, MINI_ARTICLE
from tests.faults import FailingExtractor, WhereExtractor

SYRIA = "Syrian troops shelled villages near Hama on Monday.\n\nThe regime in Damascus denied it.\n"
YEMEN = "Saudi Arabia backs the Yemeni government against the Houthis, who control Sanaa.\n"
ARTICLES = {"a": MINI_ARTICLE, "b": SYRIA, "c": YEMEN}


def extracted_now(root: Path, cache: Path, **workers) -> set[str]:
    """The articles a build of ``root`` extracts rather than reads from ``cache``."""
    _, extraction, _ = assemble(root, workers=Workers(jobs=1, **workers), cache_dir=cache)
    return {x.article for x in extraction.extractions if not x.from_cache}


@pytest.fixture
def project(make_project):
    return make_project(articles=dict(ARTICLES))


def test_a_first_build_extracts_everything_and_a_second_nothing(project, tmp_path):
    cache = tmp_path / "cache"
    assert extracted_now(project, cache) == {"a", "b", "c"}
    assert extracted_now(project, cache) == set()
    assert len(list(cache.glob("*/*.pickle"))) == 3


def test_an_edited_article_is_extracted_again_and_alone(project, tmp_path):
    cache = tmp_path / "cache"
    extracted_now(project, cache)
    (project / "seeds" / "b.txt").write_text(SYRIA + "\nRussian jets struck Idlib.\n", encoding="utf-8")
    assert extracted_now(project, cache) == {"b"}
    assert len(list(cache.glob("*/*.pickle"))) == 3, "the old extraction of b is dropped"


def test_a_sidecar_invalidates_its_article_only_when_the_extractor_reads_what_changed(project, tmp_path):
    cache = tmp_path / "cache"
    extracted_now(project, cache)
    (project / "seeds" / "c.yaml").write_text("article:\n  date: 2015-03-26\n  date_basis: the wire copy\n", encoding="utf-8")
    assert extracted_now(project, cache) == {"c"}, "the article's date decides who held which office"
    sidecar = project / "seeds" / "a.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace(
        "  - fact: Turkey memberOf NATO\n    quote: Erdogan leads Turkey, a NATO member.\n", ""), encoding="utf-8")
    assert extracted_now(project, cache) == set(), "curated facts are not the extractor's input"


def test_a_catalogue_edit_invalidates_exactly_the_articles_that_name_the_actor(project, tmp_path):
    cache = tmp_path / "cache"
    actors = project / "ontology" / "actors.yaml"
    extracted_now(project, cache)
    # Syria is named in a ("northwest Syria") and b ("Syrian", "Damascus"), not in c
    actors.write_text(MINI_ACTORS.replace("aliases: [Damascus, the regime]",
                                          "aliases: [Damascus, the regime, the Assad government]"), encoding="utf-8")
    assert extracted_now(project, cache) == {"a", "b"}
    # a new curated actor that only c names
    actors.write_text(actors.read_text(encoding="utf-8") + "Houthis:\n  class: ArmedGroup\n  aliases: [Ansar Allah]\n",
                      encoding="utf-8")
    assert extracted_now(project, cache) == {"c"}
    # moving entries (every line number changes) changes nothing an extraction depends on
    text = actors.read_text(encoding="utf-8")
    head, _, rest = text.partition("Russia:\n")
    russia, _, tail = rest.partition("Syria:\n")
    actors.write_text(head + "Syria:\n" + tail + "Russia:\n" + russia, encoding="utf-8")
    assert extracted_now(project, cache) == set()


def test_a_change_to_the_extractor_invalidates_everything(project, tmp_path, monkeypatch):
    from kg.extract import cache as extract_cache

    cache = tmp_path / "cache"
    extracted_now(project, cache)
    extract_cache.extractor_fingerprint.cache_clear()
    monkeypatch.setattr(extract_cache, "FORMAT", extract_cache.FORMAT + 1)
    try:
        assert extracted_now(project, cache) == {"a", "b", "c"}
    finally:
        extract_cache.extractor_fingerprint.cache_clear()


def test_an_unreadable_cache_entry_is_extracted_again(project, tmp_path):
    cache = tmp_path / "cache"
    extracted_now(project, cache)
    for entry in cache.glob("*/*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert extracted_now(project, cache) == {"a", "b", "c"}


def test_the_words_of_each_text_are_kept_and_an_edit_or_a_broken_table_is_read_again(project, tmp_path):
    """The folded words of every article and what of the world they reach (what its cache key needs)
    are kept by the digest of its text; an edited article's are found again, and a table that cannot
    be read is made again."""
    cache = tmp_path / "cache"
    extracted_now(project, cache)
    table = cache / "texts.pickle"
    assert table.is_file()
    (project / "seeds" / "c.txt").write_text(YEMEN.replace("Saudi Arabia", "Egypt"), encoding="utf-8")
    assert extracted_now(project, cache) == {"c"}
    table.write_bytes(b"not a pickle")
    assert extracted_now(project, cache) == set()
    table.write_bytes(pickle.dumps({"fingerprint": extractor_fingerprint(), "world": "?"}))   # no table in it
    assert extracted_now(project, cache) == set()
    (project / "seeds" / "c.txt").write_text(YEMEN, encoding="utf-8")
    assert extracted_now(project, cache) == {"c"}


def build_files(out: Path) -> dict[str, bytes]:
    """Every output a build wrote, but the cache and the Oxigraph store (a database; its quads are
    dataset.nq)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.relative_to(out).parts[0] not in ("cache", "store")}


def test_cached_and_uncached_builds_write_identical_bytes(project, tmp_path):
    first = run_build(project, tmp_path / "cached", workers=Workers(jobs=1))
    again = run_build(project, tmp_path / "cached", workers=Workers(jobs=1))
    assert all(x.from_cache for x in again.extraction.extractions)
    run_build(project, tmp_path / "uncached", workers=Workers(jobs=1, cache=False))
    assert not (tmp_path / "uncached" / "cache").exists()
    assert first.files and build_files(tmp_path / "cached") == build_files(tmp_path / "uncached")


def test_each_article_part_of_the_graph_is_made_again_only_when_what_it_is_made_of_changes(project, tmp_path,
                                                                                          monkeypatch):
    """An article's node and evidence, as N-Quads lines, are remembered (``cache/parts/``): a rebuild makes
    again only the part of the article that changed, and writes what a build without the cache writes."""
    from kg.graph import build

    made: list[str] = []
    real = build._part_lines
    monkeypatch.setattr(build, "_part_lines", lambda inputs: made.append(inputs["article"][0]) or real(inputs))
    out = tmp_path / "build"
    run_build(project, out, workers=Workers(jobs=1))
    assert sorted(made) == ["a", "b", "c"] and len(list((out / "cache" / "parts").glob("*.json"))) == 3
    made.clear()
    run_build(project, out, workers=Workers(jobs=1))
    assert made == []
    (project / "seeds" / "b.txt").write_text(SYRIA + "\nRussian jets struck Idlib.\n", encoding="utf-8")
    run_build(project, out, workers=Workers(jobs=1))
    assert made == ["b"]
    run_build(project, tmp_path / "fresh", workers=Workers(jobs=1, cache=False))
    assert build_files(out) == build_files(tmp_path / "fresh")


def test_the_text_exports_write_again_only_the_sections_of_the_articles_that_changed(project, tmp_path,
                                                                                       monkeypatch):
    """Turtle, TriG, RDF/XML (and JSON-LD) are the core, then each article's section: a rebuild writes the
    text of the changed article's section alone (the others are kept in ``cache/fragments/``), and the
    bytes a build without the cache writes; a kept table that cannot be read is made again."""
    from kg.export import rdf

    made: list[str] = []
    for name in ("_turtle_of", "_trig_of", "_rdfxml_of"):
        real = getattr(rdf, name)
        monkeypatch.setattr(rdf, name, lambda lines, real=real, **kw: made.append(lines[0].split(" ")[0]) or
                            real(lines, **kw))
    out = tmp_path / "build"
    run_build(project, out, workers=Workers(jobs=1))
    assert len(made) == 3 * 3, "each article's section, in Turtle, TriG and RDF/XML"
    made.clear()
    (project / "seeds" / "b.txt").write_text(SYRIA + "\nRussian jets struck Idlib.\n", encoding="utf-8")
    run_build(project, out, workers=Workers(jobs=1))
    assert made == ["<https://w3id.org/conflict-kg/article/b>"] * 3
    (out / "cache" / "fragments" / "turtle.pickle").write_bytes(b"not a pickle")
    run_build(project, out, workers=Workers(jobs=1))
    run_build(project, tmp_path / "fresh", workers=Workers(jobs=1, cache=False))
    assert build_files(out) == build_files(tmp_path / "fresh")


def test_a_map_is_laid_out_again_only_when_what_its_layout_reads_has_changed(project, tmp_path):
    out = tmp_path / "build"
    run_build(project, out, workers=Workers(jobs=1))
    memo = out / "cache" / "layout"
    first = {p.name: p.read_bytes() for p in memo.glob("*.json")}
    maps = build_files(out)
    drawn = [name for name in maps if name.endswith(".html") and name != "index.html"]
    assert 0 < len(first) <= len(drawn), "one layout per map (maps of the same actors share theirs)"
    run_build(project, out, workers=Workers(jobs=1))
    assert {p.name: p.read_bytes() for p in memo.glob("*.json")} == first, "nothing laid out again"
    assert build_files(out) == maps
    (project / "seeds" / "c.txt").write_text(YEMEN + "\nIran backs the Houthis.\n", encoding="utf-8")
    run_build(project, out, workers=Workers(jobs=1))
    assert set(first) < {p.name for p in memo.glob("*.json")}, "the maps the new relation changed"


def test_a_store_is_updated_by_the_quads_that_changed_and_then_holds_exactly_the_new_dataset(tmp_path):
    from kg.graph.quads import store_lines
    from kg.store import open_store, write_store

    def quad(s: str, o: str) -> str:
        return f"<https://example.org/{s}> <https://example.org/p> {o} <https://example.org/g> ."

    before = [quad(f"s{i}", f'"{i}"') for i in range(40)]
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "dataset.nq").write_text("\n".join(before) + "\n", encoding="utf-8")
    assert not write_store("\n".join(before) + "\n", tmp_path / "old" / "store")

    after = before[2:] + [quad("new", '"a new one"@en')]
    assert write_store("\n".join(after) + "\n", tmp_path / "new", previous=tmp_path / "old")
    assert store_lines(open_store(tmp_path / "new")) == sorted(after)
    assert len(store_lines(open_store(tmp_path / "old" / "store"))) == 40, "the previous store is as it was"

    blank = before + [quad("b", "_:x")]
    assert not write_store("\n".join(blank) + "\n", tmp_path / "blank", previous=tmp_path / "old"), \
        "a blank node is loaded afresh"
    most = [quad(f"t{i}", '"0"') for i in range(40)]
    assert not write_store("\n".join(most) + "\n", tmp_path / "most", previous=tmp_path / "old")
    assert store_lines(open_store(tmp_path / "most")) == sorted(most)


def test_a_rebuilt_store_holds_what_a_store_loaded_afresh_from_the_new_dataset_holds(project, tmp_path):
    import pyoxigraph as ox

    from kg.graph.quads import store_lines
    from kg.store import open_store

    out = tmp_path / "build"
    run_build(project, out, workers=Workers(jobs=1))
    (project / "seeds" / "c.txt").write_text(YEMEN + "\nIran backs the Houthis.\n", encoding="utf-8")
    run_build(project, out, workers=Workers(jobs=1))
    fresh = ox.Store()
    fresh.bulk_extend(ox.parse((out / "dataset.nq").read_bytes(), format=ox.RdfFormat.N_QUADS))
    rebuilt, loaded = store_lines(open_store(out / "store")), store_lines(fresh)
    assert len(rebuilt) == len(loaded), "(blank nodes are named anew by a store's loader: compared by count)"
    assert [line for line in rebuilt if "_:" not in line] == [line for line in loaded if "_:" not in line]


def test_the_store_the_build_fills_in_a_thread_holds_exactly_its_lines_blank_nodes_and_all(project):
    """The build loads the articles' lines into its in-memory store in a thread while it sorts the
    dataset, then adds the core's: the store holds every line, blank nodes under their own labels."""
    from kg.graph.quads import store_lines, store_of_lines

    _, _, parts = assemble(project, workers=Workers(jobs=1, cache=False))
    lines = parts.lines()
    assert any("_:" in line for line in lines), "the ontology's blank nodes"
    quads, store = parts.quads_and_store()
    assert quads == parts.quads()
    # (Oxigraph keeps values, not spellings: both stores say "1.0"^^xsd:decimal as "1")
    assert store_lines(store) == store_lines(store_of_lines(lines))


def test_worker_processes_extract_what_one_process_does(project, tmp_path):
    one = assemble(project, workers=Workers(jobs=1, cache=False))[1]
    two = assemble(project, workers=Workers(jobs=2, cache=False, per_worker=1))[1]
    assert [(x.article, x.facts, x.new_actors, x.skipped) for x in two.extractions] == \
        [(x.article, x.facts, x.new_actors, x.skipped) for x in one.extractions]
    assert one.facts == two.facts


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_rebuild_extracts_its_few_changed_articles_in_a_forked_process_while_it_reads_the_rest(
        project, tmp_path, jobs):
    """With two jobs, the few articles to extract again are extracted in a process forked from the
    build (it loads the model while the build reads the others from the cache): what one process extracts."""
    import os

    cache = tmp_path / "cache"
    assemble(project, workers=Workers(jobs=1), cache_dir=cache)
    (project / "seeds" / "b.txt").write_text(SYRIA + "\nRussian jets struck Idlib.\n", encoding="utf-8")
    _, extraction, _ = assemble(project, workers=Workers(jobs=jobs, factory=WhereExtractor), cache_dir=cache)
    [again] = [x for x in extraction.extractions if not x.from_cache]
    [(pid, _)] = [s for s in again.skipped if s[1] == "where"]
    assert (pid != os.getpid()) == (jobs == 2)
    fresh = assemble(project, workers=Workers(jobs=1, cache=False))[1]
    assert extraction.facts == fresh.facts


def test_the_outputs_drawn_and_written_in_forked_processes_are_the_same_bytes(project, tmp_path):
    """After extraction, the maps and exports are made in processes forked from the build (each a
    piece of work with its own result): one process or two, the same files."""
    one = run_build(project, tmp_path / "one", workers=Workers(jobs=1, cache=False))
    two = run_build(project, tmp_path / "two", workers=Workers(jobs=2, cache=False))
    assert build_files(one.out) == build_files(two.out)


def test_a_piece_of_work_that_fails_in_a_forked_process_fails_here_with_its_error():
    run = forked(2)
    assert list(run([lambda: "a", lambda: "b", lambda: "c"])) == ["a", "b", "c"]
    with pytest.raises(ZeroDivisionError):
        list(run([lambda: 1, lambda: 1 / 0]))


@pytest.mark.parametrize("jobs", [1, 2])
def test_what_this_process_does_meanwhile_is_done_here_while_the_forked_ones_work(jobs, tmp_path):
    """The build writes the store here while forked processes make the files: ``meanwhile`` runs
    in this process, once, and the calls' results still come back in order."""
    import os

    marks = tmp_path / "marks"
    marks.mkdir()

    def mark(name: str) -> int:
        (marks / name).write_text(str(os.getpid()))
        return os.getpid()

    here = os.getpid()
    results = list(forked(jobs, meanwhile=lambda: mark("meanwhile"))([lambda: mark("a"), lambda: mark("b")]))
    assert int((marks / "meanwhile").read_text()) == here
    assert (set(results) != {here}) == (jobs == 2), "the calls are made in forked processes with two jobs"
    assert results == [int((marks / "a").read_text()), int((marks / "b").read_text())]

@pytest.mark.parametrize("jobs", [1, 2])
def test_a_call_made_in_the_background_gives_its_result_or_its_error_when_asked(jobs):
    import os

    with background(os.getpid, jobs) as there:
        here = os.getpid()
    assert (there.result() != here) == (jobs == 2), "another process, when there are two jobs"
    with background(lambda: 1 / 0, jobs) as failing, pytest.raises(ZeroDivisionError):
        failing.result()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_graph_that_breaks_the_shapes_is_refused_with_its_violations(project, tmp_path, monkeypatch, jobs):
    """The core is checked while the network is analysed (in another process, with two jobs): a
    violation is what the build reports, and nothing is written."""
    from rdflib.namespace import RDF

    from kg import namespaces as ns
    from kg import pipeline

    def without_evidence(corpus, facts=None, **options):   # a fault: one statement loses its evidence links
        parts = build_parts(corpus, facts, **options)
        prov = parts.core.graph(ns.GRAPH_PROVENANCE)
        prov.remove((sorted(prov.subjects(RDF.type, ns.KG.Statement))[0], ns.KG.evidence, None))
        return parts

    monkeypatch.setattr(pipeline, "build_parts", without_evidence)
    with pytest.raises(ValidationError, match="does not conform") as refused:
        run_build(project, tmp_path / "build", workers=Workers(jobs=jobs))
    assert any("kg:evidence" in str(p) for p in refused.value.problems)
    assert not (tmp_path / "build" / "dataset.nq").exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_article_the_extractor_fails_on_is_named_with_its_line_and_the_outputs_stay(project, tmp_path, jobs):
    out = tmp_path / "build"
    run_build(project, out, workers=Workers(jobs=1))
    before = build_files(out)
    (project / "seeds" / "c.txt").write_text(YEMEN + "\nA second paragraph.\n\nBOOM goes the extractor.\n",
                                             encoding="utf-8")
    with pytest.raises(ExtractionFailed) as failed:
        run_build(project, out, workers=Workers(jobs=jobs, factory=FailingExtractor, per_worker=1))
    [problem] = failed.value.problems
    assert (problem.path, problem.line) == ("seeds/c.txt", 5)
    assert "an internal error the test injected" in problem.message
    assert failed.value.exit_code == 2
    assert build_files(out) == before


def test_a_dask_cluster_builds_what_this_machine_builds(project, tmp_path):
    from distributed import LocalCluster

    local = run_build(project, tmp_path / "local", workers=Workers(jobs=1, cache=False))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = run_build(project, tmp_path / "dask", workers=Workers(scheduler=cluster.scheduler_address))
    assert not any(x.from_cache for x in remote.extraction.extractions)
    assert local.files and build_files(tmp_path / "local") == build_files(tmp_path / "dask")


def test_an_unreachable_scheduler_is_a_service_error(project, tmp_path):
    from kg.errors import ServiceError
    from tests.conftest import free_port

    with pytest.raises(ServiceError, match="cannot reach the Dask scheduler"):
        run_build(project, tmp_path / "build", workers=Workers(scheduler=f"tcp://127.0.0.1:{free_port()}"))
    assert not (tmp_path / "build" / "dataset.nq").exists()
