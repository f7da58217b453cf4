"""The ``kg`` command line: a thin layer over the library.

Each command parses its options, calls one library function and formats the
result. This is the only module that prints or exits; errors raised by the
library (:mod:`kg.errors`) become a message on stderr and their exit code.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from .errors import KgError

ROOT_HELP = "The project folder holding seeds/ and ontology/ (default: the current folder, or $KG_ROOT)."


class Context:
    def __init__(self, root: Path):
        self.root = root


pass_ctx = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), envvar="KG_ROOT",
              default=".", show_default=True, help=ROOT_HELP)
@click.version_option(package_name="kg")
@click.pass_context
def cli(ctx: click.Context, root: Path) -> None:
    """kg: a knowledge graph of who backs, leads, fights and deals with whom, with the evidence.

    \b
    Start with:   kg build        (reads seeds/ and ontology/, writes build/)
    Then:         kg validate     (SHACL shapes and quote checks)
    """
    ctx.obj = Context(root)


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the outputs (default: ROOT/build).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_ctx
def build(ctx: Context, out: Path | None, as_json: bool) -> None:
    """Build the knowledge graph from the articles and write every output.

    Outputs go to build/ atomically: if any step fails, the previous outputs stay intact.
    """
    from .pipeline import run_build

    with _progress("extracting") as progress:
        result = run_build(ctx.root, out, progress=progress)
    summary = result.summary()
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    click.echo(format_summary(summary))
    for note in result.notes:
        click.echo(note)
    click.echo(f"\nwrote {len(result.files)} files to {_show(result.out)}/")
    for path in result.files:
        if path.parent == result.out:
            click.echo(f"  {_show(path)}")
    the_map = result.out / "map.html"
    if the_map.exists():
        click.echo(f"\nthe map: {the_map.resolve()}")


@cli.command()
@pass_ctx
def validate(ctx: Context) -> None:
    """Check the inputs and the graph: catalogue, quotes, SHACL shapes.

    Exits 0 when everything conforms, 1 when there are violations, 2 on unreadable input.
    """
    from .build import build_dataset
    from .corpus import load_corpus
    from .extract.curation import build_extraction
    from .validate import validate as run_validate

    corpus = load_corpus(ctx.root)
    report = run_validate(build_dataset(corpus, facts=corpus.facts + build_extraction(corpus).facts), corpus)
    click.echo(report.text())
    if not report.conforms:
        sys.exit(1)


def format_option(*choices: str, default: str):
    """The one ``--format`` option, shared by every command that can print in several formats."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format.")


@cli.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--actors", is_flag=True, help="List the proposed new actors (label, mention, class, "
              "confidence) instead of the facts.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Leave out facts below this confidence.")
@format_option("tsv", "turtle", "json", default="tsv")
@pass_ctx
def extract(ctx: Context, articles: tuple[Path, ...], actors: bool, min_confidence: float, fmt: str) -> None:
    """Print the actors and relations the extractor finds in ARTICLE files (no curated facts).

    \b
    tsv columns: subject, subject_mention, relation, object, object_mention, confidence, quote
    --actors:    label, mention, class, confidence
    """
    from .catalogue import load_catalogue
    from .errors import UsageError
    from .extract import actors_tsv, as_json, extract_files, facts_tsv, facts_turtle

    if actors and fmt == "turtle":
        raise UsageError("--actors prints tsv or json, not turtle; use --format tsv or --format json")
    catalogue = load_catalogue(ctx.root / "ontology" / "actors.yaml", ctx.root / "ontology" / "sources.yaml",
                               root=ctx.root)
    found = extract_files(articles, catalogue, min_confidence=min_confidence)
    if fmt == "json":
        click.echo(json.dumps(as_json(found, actors=actors), indent=2, ensure_ascii=False))
    elif fmt == "turtle":
        click.echo(facts_turtle(found, catalogue), nl=False)
    else:
        click.echo(actors_tsv(found) if actors else facts_tsv(found), nl=False)


@cli.command()
@click.option("--mode", type=click.Choice(["both", "in-sample", "loao"]), default="both", show_default=True,
              help="in-sample, leave-one-article-out (loao), or both.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
              help="Score only facts at or above this confidence (default: the build's threshold).")
@click.option("--details/--no-details", default=True, show_default=True,
              help="List the misses and false positives.")
@format_option("text", "json", default="text")
@pass_ctx
def evaluate(ctx: Context, mode: str, min_confidence: float | None, details: bool, fmt: str) -> None:
    """Score the extractor against the curated facts: precision, recall, F1 per relation.

    Leave-one-article-out extracts each article with a catalogue stripped of what only
    that article introduced, so the score does not flatter the extractor.
    """
    from .corpus import load_corpus
    from .evaluate import evaluate_corpus, format_evaluation

    corpus = load_corpus(ctx.root)
    results = evaluate_corpus(corpus, mode=mode, threshold=min_confidence)
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        click.echo(format_evaluation(results, details=details))


class _progress:
    """A progress bar on stderr while the extractor reads the articles (only on a terminal)."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None
        self.done = 0

    def __enter__(self):
        return self if sys.stderr.isatty() else None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr).__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def format_summary(summary: dict) -> str:
    lines = [f"articles: {summary['articles']}",
             f"actors: {summary['actors']} ({summary['proxy_groups']} proxy groups)"]
    lines += [f"  {cls:<14}{n:>5}" for cls, n in summary["actors_by_class"].items()]
    lines.append(f"relations: {summary['relations']} with {summary['evidence']} pieces of evidence "
                 f"({', '.join(f'{n} {m}' for m, n in summary['relations_by_method'].items())})")
    lines += [f"  {rel:<14}{n:>5}" for rel, n in summary["relations_by_type"].items()]
    lines.append(f"triples: {summary['triples']}")
    return "\n".join(lines)


def _show(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; turn kg's errors into a message and an exit code, never a traceback."""
    try:
        cli.main(args=argv, prog_name="kg", standalone_mode=False)
    except KgError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("KG_DEBUG"):
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc}\n"
                   "(set KG_DEBUG=1 to see the traceback, and please report it)", err=True)
        sys.exit(70)
