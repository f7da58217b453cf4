"""Extraction quality (development set, seeds) and throughput against spaCy's own parse.

Run on demand::

    .venv/bin/python -m benchmarks.bench_extraction                  # 1000 articles for the timing
    .venv/bin/python -m benchmarks.bench_extraction --articles 100
    .venv/bin/python -m benchmarks.bench_extraction --skip-throughput

Three parts, written to ``benchmarks/REPORT-extraction.md``:

1. **Development set.** The twelve real articles with gold facts live outside the
   project, in ``../shared/devset/`` beside the project root; the benchmark fails
   with a clear message when that folder is missing. Its ``score.py`` is imported at
   run time and the extractor is scored in-process (one :class:`Extractor` for all
   articles; the rows are the lines of ``facts_tsv``, as ``score.py --run`` reads
   them). Reported: micro P/R/F1 overall, per relation and per article, the same
   restricted to facts with confidence >= ``BUILD_THRESHOLD`` (what enters the
   graph), and a confidence sweep. Only counts and scores are written: no article
   text, gold fact or quote of the dev set.
2. **Seeds.** ``kg.evaluate.evaluate`` on the project's seed corpus at the build's
   threshold, in-sample and leave-one-article-out.
3. **Throughput.** ``--articles`` synthetic articles of about 700 words, made in
   memory (never written to disk) with a seeded RNG from the paragraphs of the seed
   articles and of the dev-set articles. Timed on a pool of 2 worker processes
   (spawn; each worker loads its model or builds its :class:`Extractor` once, before
   the clock starts; articles are handed out in chunks of 4):

   - *kg*: ``Extractor.extract`` of each article;
   - *parse* (the reference): the same pool scheme, each worker running
     ``nlp.pipe`` of the same pipeline (``kg.extract.model.load_model()``, every
     component, NER included) over the article's paragraphs, as the extractor
     splits them; the docs are discarded;
   - *spaCy n_process=2*: ``nlp.pipe(all paragraphs, n_process=2, batch_size=64)``
     from the main process, shown for comparison only: it also ships every parsed
     Doc back to the parent, work that neither of the above does, so the pool
     scheme is the fair reference.

   The ratio reported is kg's extra work over the parse, ``extract_time /
   parse_time - 1``; the target is below 1 (kg's own work costs less than the parse).
   It is given on the wall clock and on the CPU time the workers spent on their
   articles (``time.process_time``), which a shared machine disturbs much less.
4. **Linearity.** One article of 25 KB, 250 KB and 1 MB made of the same seeded
   paragraphs, with its line breaks and as one line without any (which the extractor
   must cut into pieces at sentence ends): the extraction time per character of each,
   as a ratio to the 25 KB article's (1.0 is linear; a quadratic step would make the
   1 MB ratio about 40). In one process, each timed on CPU time, the smallest best of two.
"""

from __future__ import annotations

import argparse
import importlib
import multiprocessing as mp
import os
import platform
import random
import sys
import time
from collections import Counter
from pathlib import Path

from benchmarks.bench_extract import Bar

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT.parent / "shared" / "devset"
SWEEP = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85)
WORKERS = 2
CHUNK = 4
TARGET_WORDS = 700


# ---------------------------------------------------------------- dev set


def load_score():
    """The dev set's ``score.py`` as a module (its folder on sys.path), or exit naming what is missing."""
    if not (DEVSET / "score.py").is_file() or not (DEVSET / "gold").is_dir() \
            or not (DEVSET / "articles").is_dir():
        sys.exit(f"bench_extraction: the development set is missing: expected ../shared/devset/ "
                 f"(articles/, gold/, score.py) beside the project root, i.e. {DEVSET}")
    if str(DEVSET) not in sys.path:
        sys.path.insert(0, str(DEVSET))
    return importlib.import_module("score")


def devset_names() -> list[str]:
    return sorted(p.name[: -len(".facts.tsv")] for p in (DEVSET / "gold").glob("*.facts.tsv"))


def prf(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_devset(extractor, score) -> dict:
    """Extract every dev-set article once; score at every threshold from the same extractions."""
    from kg.extract import BUILD_THRESHOLD, facts_tsv
    from kg.inputs.articles import read_article

    data = []
    for name in devset_names():
        actors = score.read_actors(str(DEVSET / "gold" / f"{name}.actors.tsv"))
        gold = score.gold_facts(str(DEVSET / "gold" / f"{name}.facts.tsv"), actors)
        article = read_article(DEVSET / "articles" / f"{name}.txt")
        t0 = time.perf_counter()
        extraction = extractor.extract(article)
        seconds = time.perf_counter() - t0
        lines = facts_tsv([extraction]).splitlines()
        rows = [line.split("\t") for line in lines[1:] if line.strip()]
        assert len(rows) == len(extraction.facts), "facts_tsv gave one row per fact"
        data.append((name, actors, gold, list(zip(extraction.facts, rows, strict=True)), seconds,
                     len(article.text.split())))
    thresholds = sorted({0.0, *SWEEP, BUILD_THRESHOLD})
    return {t: _score_at(data, score, t) for t in thresholds} | {
        "seconds": sum(d[4] for d in data), "words": sum(d[5] for d in data)}


def _score_at(data, score, threshold: float) -> dict:
    """Overall, per-relation and per-article counts for the facts with confidence >= threshold."""
    per_article = {}
    rel_tp: Counter = Counter()
    rel_fp: Counter = Counter()
    rel_gold: Counter = Counter()
    tp_all = pred_all = gold_all = 0
    for name, actors, gold, pairs, _, _ in data:
        kept = [(fact, row) for fact, row in pairs if fact.confidence >= threshold]
        found, fps = score.match([row for _, row in kept], gold, actors)
        # a false positive counts against the relation it was predicted with (a person's office as one)
        cls_of = {id(row): fact.subject.cls for fact, row in kept}
        for k in found:
            rel_tp[k[1]] += 1
        for k in gold:
            rel_gold[k[1]] += 1
        for row in fps:
            r = row[2]
            if r in score.OFFICE and cls_of.get(id(row)) == "Leader":
                r = "office"
            rel_fp[r] += 1
        tp, npred = len(found), len(found) + len(fps)
        per_article[name] = (tp, npred, len(gold))
        tp_all, pred_all, gold_all = tp_all + tp, pred_all + npred, gold_all + len(gold)
    relations = sorted(set(rel_gold) | set(rel_fp))
    return {"overall": (tp_all, pred_all, gold_all),
            "relations": {r: (rel_tp[r], rel_tp[r] + rel_fp[r], rel_gold[r]) for r in relations},
            "articles": per_article}


# ---------------------------------------------------------------- throughput corpus


def paragraphs() -> list[str]:
    """Paragraphs of more than 12 words of the seed articles and the dev-set articles (in memory only)."""
    from kg.inputs.articles import read_article

    paths = sorted((ROOT / "seeds").glob("*.txt")) + sorted((DEVSET / "articles").glob("*.txt"))
    return [p.strip() for path in paths for p in read_article(path).text.split("\n")
            if len(p.split()) > 12]


def make_texts(n: int, seed: int = 11) -> list[str]:
    """``n`` articles of about 700 words: seeded draws of paragraphs, each paragraph's sentences shuffled."""
    rng = random.Random(seed)
    pool = paragraphs()
    texts = []
    for _ in range(n):
        parts: list[str] = []
        words = 0
        while words < TARGET_WORDS:
            para = rng.choice(pool)
            sentences = para.split(". ")
            if len(sentences) > 2 and rng.random() < 0.5:
                rng.shuffle(sentences)
                para = ". ".join(s.rstrip(".") for s in sentences) + "."
            parts.append(para)
            words += len(para.split())
        texts.append("\n\n".join(parts) + "\n")
    return texts


# ---------------------------------------------------------------- linearity

LINEAR_SIZES = (25_000, 250_000, 1_000_000)


def linearity(extractor) -> list[dict]:
    """Seconds (CPU) and seconds per character of one long article at each size, broken and flat."""
    from kg.inputs.articles import Article

    pool = make_texts(400, seed=23)
    text = "\n\n".join(pool)
    rows = []
    for flat in (False, True):
        for size in LINEAR_SIZES:
            cut = text[:size]
            cut = cut[: cut.rfind("\n\n")] + "\n"
            if flat:
                cut = cut.replace("\n", " ")
            article = Article(f"linear-{size}", Path(f"linear-{size}.txt"), cut, "0" * 64)
            runs = 2 if size < 1_000_000 else 1
            seconds = []
            for _ in range(runs):
                t0 = time.process_time()
                facts = extractor.extract(article).facts
                seconds.append(time.process_time() - t0)
            rows.append({"flat": flat, "chars": len(cut), "seconds": min(seconds), "facts": len(facts)})
    for row in rows:
        base = next(r for r in rows if r["flat"] == row["flat"])
        row["ratio"] = (row["seconds"] / row["chars"]) / (base["seconds"] / base["chars"])
    return rows


def linearity_section(rows: list[dict]) -> list[str]:
    lines = ["## Linearity: time per character as the article grows", "",
             "| article | characters | CPU seconds | facts | time per character, vs 25 KB |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {'one line, no breaks' if r['flat'] else 'paragraphs'} | {r['chars']:,} | "
                     f"{r['seconds']:.1f} | {r['facts']:,} | {r['ratio']:.2f}× |")
    worst = max(r["ratio"] for r in rows)
    lines += ["", f"The worst ratio is {worst:.2f}×: extraction time grows linearly with the article's length "
              "(a step quadratic in the length would show as a ratio near 40 at 1 MB).", ""]
    return lines


# ---------------------------------------------------------------- workers (spawned)

_WORK = None


def _init_extract(barrier, warm: str) -> None:
    global _WORK
    from kg.extract import Extractor
    from kg.inputs.catalogue import load_catalogue

    catalogue = load_catalogue(ROOT / "ontology" / "actors.yaml", ROOT / "ontology" / "sources.yaml",
                               root=ROOT)
    _WORK = Extractor(catalogue)
    _extract((0, warm))   # warm up on an article like the timed ones
    barrier.wait(timeout=600)


def _init_parse(barrier, warm: str) -> None:
    global _WORK
    from kg.extract.model import load_model

    _WORK = load_model()
    _parse((0, warm))
    barrier.wait(timeout=600)


def _article(i: int, text: str):
    from kg.inputs.articles import Article

    return Article(f"bench{i:05d}", Path(f"bench{i:05d}.txt"), text, "0" * 64)


def _extract(item: tuple[int, str]) -> tuple[int, float]:
    """(facts found, CPU seconds of this process spent on them)."""
    i, text = item
    t0 = time.process_time()
    found = len(_WORK.extract(_article(i, text)).facts)
    return found, time.process_time() - t0


def _split(text: str) -> list[str]:
    """The paragraphs as the extractor splits them: non-blank lines."""
    return [line for line in text.split("\n") if line.strip()]


def _parse(item: tuple[int, str]) -> tuple[int, float]:
    """(tokens parsed, CPU seconds of this process spent on them)."""
    _, text = item
    t0 = time.process_time()
    tokens = sum(len(doc) for doc in _WORK.pipe(_split(text)))
    return tokens, time.process_time() - t0


def timed_pool(init, work, texts: list[str], label: str, warm: str) -> tuple[float, float, int, float]:
    """(set-up seconds, wall seconds, sum of the results, worker CPU seconds) of ``work`` over ``texts``
    on a new pool."""
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(WORKERS + 1)
    t0 = time.perf_counter()
    with ctx.Pool(WORKERS, initializer=init, initargs=(barrier, warm)) as pool:
        barrier.wait(timeout=600)   # every worker is ready
        setup = time.perf_counter() - t0
        bar = Bar(f"{label:<8}", every=10)
        total, cpu = 0, 0.0
        t0 = time.perf_counter()
        for done, (result, used) in enumerate(pool.imap_unordered(work, enumerate(texts), chunksize=CHUNK), 1):
            total += result
            cpu += used
            bar(done, len(texts))
        seconds = time.perf_counter() - t0
    return setup, seconds, total, cpu


def spacy_n_process(texts: list[str]) -> float:
    """Seconds of ``nlp.pipe(..., n_process=2)`` over every paragraph (the model is loaded beforehand)."""
    from kg.extract.model import load_model

    nlp = load_model()
    paras = [p for text in texts for p in _split(text)]
    t0 = time.perf_counter()
    for _ in nlp.pipe(paras, n_process=WORKERS, batch_size=64):
        pass
    return time.perf_counter() - t0


# ---------------------------------------------------------------- report


def _fmt(tp: int, predicted: int, gold: int) -> str:
    p, r, f = prf(tp, predicted, gold)
    return f"{p:.3f} | {r:.3f} | {f:.3f} | {tp} | {predicted} | {gold}"


def devset_section(dev: dict, threshold: float) -> list[str]:
    full, kept = dev[0.0], dev[threshold]
    out = ["## 1. Development set (12 real articles, gold outside the project)", "",
           f"Scored in-process with the dev set's own `score.py` (its `match`; one extractor for all "
           f"articles; {dev['words']:,} words extracted in {dev['seconds']:.1f} s on one process). "
           "Micro-averaged over the articles. *All* is every fact `kg extract` prints; "
           f"*graph* is the facts with confidence >= {threshold:g} (`BUILD_THRESHOLD`), what "
           "enters the built graph.", "",
           "| facts | P | R | F1 | tp | predicted | gold |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
           f"| all | {_fmt(*full['overall'])} |",
           f"| graph (>= {threshold:g}) | {_fmt(*kept['overall'])} |", "",
           "### Per relation", "",
           "A person's `leaderOf`/`memberOf` is one relation, *office*, as `score.py` keys it; a "
           "false positive counts against the relation it was predicted with (office when its "
           "subject is a person).", "",
           "| relation | P (all) | R (all) | F1 (all) | tp | predicted | gold "
           f"| P (>= {threshold:g}) | R (>= {threshold:g}) | F1 (>= {threshold:g}) | tp | predicted |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for rel in sorted(set(full["relations"]) | set(kept["relations"])):
        a = full["relations"].get(rel, (0, 0, 0))
        k = kept["relations"].get(rel, (0, 0, a[2]))
        pk, rk, fk = prf(*k)
        out.append(f"| {rel} | {_fmt(*a)} | {pk:.3f} | {rk:.3f} | {fk:.3f} | {k[0]} | {k[1]} |")
    out += ["", "### Per article", "",
            f"| article | tp (all) | predicted (all) | tp (>= {threshold:g}) | predicted (>= {threshold:g}) | gold |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, (tp, npred, gold) in full["articles"].items():
        ktp, kpred, _ = kept["articles"][name]
        out.append(f"| {name} | {tp} | {npred} | {ktp} | {kpred} | {gold} |")
    out += ["", "### Confidence sweep", "", "| confidence >= | P | R | F1 | tp | predicted | gold |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for t in sorted(k for k in dev if isinstance(k, float)):
        mark = " (build)" if t == threshold else (" (all)" if t == 0 else "")
        out.append(f"| {t:g}{mark} | {_fmt(*dev[t]['overall'])} |")
    return out + [""]


def seeds_section(evaluations) -> list[str]:
    out = ["## 2. Seeds (`kg.evaluate`, the project's curated facts)", ""]
    for ev in evaluations:
        out += [f"**{ev.mode}**, confidence >= {ev.threshold:g}"
                + (f" ({ev.via_proposals} found through proposed new actors)" if ev.via_proposals else "")
                + ":", "",
                "| relation | P | R | F1 | tp | fp | fn |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for name, sc in [*ev.by_relation.items(), ("**overall**", ev.overall)]:
            if sc.tp + sc.fp + sc.fn == 0:
                continue
            out.append(f"| {name} | {sc.precision:.3f} | {sc.recall:.3f} | {sc.f1:.3f} | {sc.tp} | {sc.fp} "
                       f"| {sc.fn} |")
        out.append("")
    return out


def throughput_section(t: dict) -> list[str]:
    words, n = t["words"], t["articles"]
    extra = t["extract"] / t["parse"] - 1
    extra_cpu = t["extract_cpu"] / t["parse_cpu"] - 1
    out = ["## 3. Throughput", "",
           f"{n:,} synthetic articles, {words:,} words ({words // n} per article), made in memory from "
           f"seeded draws of {t['paragraphs']} paragraphs of the seed and dev-set articles. "
           f"{WORKERS} spawned worker processes, articles handed out in chunks of {CHUNK}; model "
           "loading, extractor set-up and one warm-up article per worker happen before the clock "
           "starts. The two runs are timed ABBA over the two halves of the articles (parse, "
           "extract on the first half; extract, parse on the second; a new pool each time), so "
           f"that a drifting load cancels: halves of {t['parse_runs']} s (parse) and "
           f"{t['extract_runs']} s (extract).", "",
           "| run | wall seconds | words/s | articles/s | worker CPU seconds | words per CPU second |",
           "| --- | ---: | ---: | ---: | ---: | ---: |",
           f"| kg: `Extractor.extract` (2 workers) | {t['extract']:.1f} | {words / t['extract']:,.0f} "
           f"| {n / t['extract']:.1f} | {t['extract_cpu']:.1f} | {words / t['extract_cpu']:,.0f} |",
           f"| reference: `nlp.pipe` per article, same pipeline and pool (2 workers) | {t['parse']:.1f} "
           f"| {words / t['parse']:,.0f} | {n / t['parse']:.1f} | {t['parse_cpu']:.1f} "
           f"| {words / t['parse_cpu']:,.0f} |"]
    if t.get("n_process") is not None:
        out.append(f"| for comparison: `nlp.pipe(n_process=2, batch_size=64)` over all paragraphs "
                   f"| {t['n_process']:.1f} | {words / t['n_process']:,.0f} | {n / t['n_process']:.1f} | | |")
    out += ["",
            f"- kg / parse, wall clock: **{t['extract'] / t['parse']:.2f}x** the time; kg's own work over "
            f"the parse (`extract/parse - 1`): **{extra:.2f}** (target < 1: {'met' if extra < 1 else 'NOT met'}).",
            f"- kg / parse, CPU time of the workers: **{t['extract_cpu'] / t['parse_cpu']:.2f}x**; kg's own "
            f"work over the parse: **{extra_cpu:.2f}** (target < 1: {'met' if extra_cpu < 1 else 'NOT met'}). "
            "CPU time is what to read when the load average says the machine was shared: other jobs "
            "stretch the wall clock of whichever run they overlap, not the CPU each run needs.",
            f"- Set-up per pool: extractor {t['setup_extract']:.1f} s, parser {t['setup_parse']:.1f} s "
            "(spawning, imports, model, gazetteer).",
            f"- Facts extracted (all confidences): {t['facts']:,}; tokens parsed: {t['tokens']:,}.",
            "- The fair reference is the pool scheme: the same processes, hand-out and paragraphs, "
            "doing only the parse. spaCy's `n_process` also serialises every Doc back to the parent.",
            ""]
    return out


def revision() -> str:
    """The commit the benchmark ran at, and whether kg/ had uncommitted changes."""
    import subprocess

    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "kg"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "an unknown revision"
    return f"commit {head}" + (" with uncommitted changes under kg/" if dirty else "")


def machine_line(load_start, load_end) -> str:
    import spacy

    return (f"Machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, spaCy {spacy.__version__}; load average "
            f"{load_start[0]:.2f} at the start, {load_end[0]:.2f} at the end.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="synthetic articles to time")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-linearity", action="store_true")
    parser.add_argument("--no-n-process", action="store_true",
                        help="skip the nlp.pipe(n_process=2) comparison")
    parser.add_argument("--report", type=Path, default=ROOT / "benchmarks" / "REPORT-extraction.md")
    args = parser.parse_args(argv)

    score = load_score()
    rev = revision()
    load_start = os.getloadavg()
    from kg.evaluate import evaluate
    from kg.extract import BUILD_THRESHOLD, Extractor
    from kg.extract.model import model_name
    from kg.inputs.catalogue import load_catalogue
    from kg.inputs.corpus import load_corpus

    catalogue = load_catalogue(ROOT / "ontology" / "actors.yaml", ROOT / "ontology" / "sources.yaml",
                               root=ROOT)
    print("dev set ...", file=sys.stderr)
    dev = score_devset(Extractor(catalogue), score)
    print("seeds ...", file=sys.stderr)
    corpus = load_corpus(ROOT)
    seeds = [evaluate(corpus, threshold=BUILD_THRESHOLD), evaluate(corpus, loao=True, threshold=BUILD_THRESHOLD)]

    linear = None
    if not args.skip_linearity:
        print("linearity ...", file=sys.stderr)
        linear = linearity(Extractor(catalogue))

    timing = None
    if not args.skip_throughput:
        texts = make_texts(args.articles)
        timing = {"articles": len(texts), "words": sum(len(t.split()) for t in texts),
                  "paragraphs": len(paragraphs())}
        warm = make_texts(1, seed=99)[0]
        half = len(texts) // 2
        # ABBA over the two halves: parse, extract | extract, parse (a drifting machine load cancels out)
        for key, init, work, part in (("parse", _init_parse, _parse, texts[:half]),
                                      ("extract", _init_extract, _extract, texts[:half]),
                                      ("extract", _init_extract, _extract, texts[half:]),
                                      ("parse", _init_parse, _parse, texts[half:])):
            setup, seconds, result, cpu = timed_pool(init, work, part, key, warm)
            timing[key] = timing.get(key, 0.0) + seconds
            timing[f"{key}_cpu"] = timing.get(f"{key}_cpu", 0.0) + cpu
            timing[f"{key}_runs"] = [*timing.get(f"{key}_runs", []), round(seconds, 1)]
            timing[f"setup_{key}"] = max(timing.get(f"setup_{key}", 0.0), setup)
            count = "tokens" if key == "parse" else "facts"
            timing[count] = timing.get(count, 0) + result
        timing["n_process"] = None if args.no_n_process else spacy_n_process(texts)
    load_end = os.getloadavg()

    cmd = "python -m benchmarks.bench_extraction" + (
        " --skip-throughput" if args.skip_throughput else f" --articles {args.articles}") + (
        " --skip-linearity" if args.skip_linearity else "")
    report = ["# Benchmark: extraction quality and throughput", "",
              f"Written by `{cmd}` at {rev}; pipeline `{model_name()}`.", "", machine_line(load_start, load_end), "",
              *devset_section(dev, BUILD_THRESHOLD), *seeds_section(seeds),
              *(throughput_section(timing) if timing else []),
              *(linearity_section(linear) if linear else [])]
    text = "\n".join(report).rstrip() + "\n"
    print(text)
    args.report.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
