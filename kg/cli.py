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

    result = run_build(ctx.root, out)
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
    from .validate import validate as run_validate

    corpus = load_corpus(ctx.root)
    report = run_validate(build_dataset(corpus), corpus)
    click.echo(report.text())
    if not report.conforms:
        sys.exit(1)


# --------------------------------------------------------------------------- kg analyze

ANALYSIS_FORMATS = ("table", "json", "csv", "markdown")


def analysis_options(command):
    """The options every ``kg analyze`` command shares: the projection and the output format."""
    options = [
        click.option("--view", type=click.Choice(["actors", "states", "all"]), default="actors",
                     show_default=True, help="Which actors: actors (no regions/agreements), states only, or all."),
        click.option("--relations", multiple=True, metavar="NAME",
                     help="Keep only these relations or families (repeatable): e.g. backs, adversarial, cooperation."),
        click.option("--as-of", "as_of", metavar="DATE", help="Only relations with evidence dated up to DATE (YYYY-MM-DD)."),
        click.option("--from", "start", metavar="DATE", help="Only relations with evidence dated from DATE."),
        click.option("--to", "end", metavar="DATE", help="Only relations with evidence dated up to DATE."),
        click.option("--curated-only", is_flag=True, help="Ignore facts found by the extractor."),
        click.option("--format", "fmt", type=click.Choice(ANALYSIS_FORMATS), default="table",
                     show_default=True, help="Output format."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _projection(view, relations, as_of, start, end, curated_only):
    from .analysis import Projection

    return Projection(view=view, relations=tuple(relations), as_of=as_of, start=start, end=end,
                      curated_only=curated_only)


@cli.group()
def analyze() -> None:
    """Network analysis: conflicts of interest, centrality, structural balance.

    Each command runs on the graph built from ROOT, projected by --view, --relations
    and a date window (--as-of, --from/--to), and prints a table, JSON, CSV or Markdown.
    """


@analyze.command("conflicts")
@analysis_options
@click.option("--top", type=click.IntRange(min=1), default=None, help="Show only the best N pairs.")
@pass_ctx
def analyze_conflicts(ctx: Context, view, relations, as_of, start, end, curated_only, fmt, top) -> None:
    """Pairs of actors that cooperate and are on opposite sides at the same time.

    \b
    A conflict of interest is a pair of actors with at least one cooperative tie
    (a cooperative relation between them, or both party to the same agreement) and
    at least one adversarial tie: one opposes or attacked the other; or, through
    proxies, one backs a group that fights the other, or each backs a group and the
    two groups fight. Each tie is shown as a chain of relations with its quotes.
    Score = sqrt(cooperation x hostility): each side is the sum of its chains'
    weights; a chain weighs its weakest link (its evidence, weighted by confidence),
    halved per proxy step. --view limits who can be in a pair (chains pass through anyone).
    """
    from .analysis.report import conflicts_report, load_graph

    projection = _projection(view, relations, as_of, start, end, curated_only)
    click.echo(conflicts_report(load_graph(ctx.root), projection, top=top, fmt=fmt), nl=False)


@analyze.command("centrality")
@analysis_options
@click.option("--measure", type=click.Choice(["degree", "betweenness", "eigenvector", "pagerank", "all"]),
              default="all", show_default=True, help="Which centrality to compute and rank by (all: rank by PageRank).")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="Show the N most central actors.")
@click.option("--sample", type=click.IntRange(min=1), default=None, metavar="K",
              help="Estimate betweenness from K sampled source actors (for large graphs; seed 0).")
@pass_ctx
def analyze_centrality(ctx: Context, view, relations, as_of, start, end, curated_only, fmt, measure, top,
                       sample) -> None:
    """The most central actors, with their class and scores, and the brokers.

    \b
    Computed on the undirected actor graph of the projection: one edge per pair of
    actors with any relation (cooperative or adversarial). Degree and betweenness
    count ties and hops; eigenvector and PageRank weigh each tie by its evidence (the
    sum of its quotes' confidence). Brokers have high betweenness (upper quartile) but
    fewer ties than the actors on shortest paths have on average.
    """
    from .analysis.report import centrality_report, load_graph

    projection = _projection(view, relations, as_of, start, end, curated_only)
    click.echo(centrality_report(load_graph(ctx.root), projection, measure=measure, top=top,
                                 sample=sample, fmt=fmt), nl=False)


@analyze.command("balance")
@analysis_options
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True,
              help="Show at most N unbalanced triads and frustrated actors.")
@pass_ctx
def analyze_balance(ctx: Context, view, relations, as_of, start, end, curated_only, fmt, top) -> None:
    """Structural balance: unbalanced triads, the frustration index, and signed blocs.

    \b
    On the signed actor graph (a pair's sign: its evidence-weighted cooperative minus
    adversarial relations): triads are balanced when the product of their signs is
    positive (Heider; Cartwright & Harary); the frustration index is the least number
    of ties that must change for the graph to split into two hostile camps (Aref &
    Wilson; exact by binary linear programming up to 1000 ties and 10 s, else a bound); blocs
    maximise signed modularity (Traag & Bruggeman).
    """
    from .analysis.report import balance_report, load_graph

    projection = _projection(view, relations, as_of, start, end, curated_only)
    click.echo(balance_report(load_graph(ctx.root), projection, top=top, fmt=fmt), nl=False)


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
