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


def _export_formats() -> list[str]:
    from .export import EXPORTERS

    return list(EXPORTERS)


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(_export_formats()), required=True,
              help="The format: RDF (turtle, trig, nquads, ntriples, jsonld, rdfxml) or for graph "
                   "tools (graphml, gexf, nodelink, cytoscape, csv-nodes, csv-edges).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The file to write (default: print to stdout).")
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the build is (default: ROOT/build; built first if missing or stale).")
@pass_ctx
def export_cmd(ctx: Context, fmt: str, out: Path | None, build_dir: Path | None) -> None:
    """Export the graph for other tools (Gephi, Cytoscape, yEd, D3, triplestores).

    `kg build` also writes every format into build/export/.
    """
    from .export import export_project

    text = export_project(ctx.root, fmt, out, build_dir)
    if out is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {_show(out)} ({fmt})", err=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on (127.0.0.1: this machine only).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a query may run before it is stopped (503).")
@click.option("--max-body", type=click.IntRange(min=1), default=256 * 1024, show_default=True,
              help="Bytes a request body may have (413 above).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Worker processes running queries.")
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the build is (default: ROOT/build; built first if missing or stale).")
@pass_ctx
def serve(ctx: Context, host: str, port: int, timeout: float, max_body: int, workers: int,
          build_dir: Path | None) -> None:
    """Serve the graph as a read-only SPARQL endpoint, with the map and exports beside it.

    \b
    SPARQL 1.1 Protocol at http://HOST:PORT/sparql (GET or POST), CORS enabled.
    Updates, LOAD and SERVICE are refused. Stop with Ctrl-C.
    """
    from .server import serve_project

    click.echo(f"kg: SPARQL endpoint at http://{host}:{port}/sparql, the build at http://{host}:{port}/",
               err=True)
    serve_project(ctx.root, build_dir=build_dir, host=host, port=port, timeout=timeout,
                  max_body=max_body, workers=workers)


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
