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

from .cli_options import (
    DATE,
    analysis_options,
    format_option,
    format_summary,
    progress_bar,
    show_path,
)
from .errors import KgError
from .formats import ENGINES as SPARQL_ENGINES
from .formats import EXPORT_FORMATS
from .formats import QUERY_FORMATS as SPARQL_FORMATS

ROOT_HELP = "The project folder holding seeds/ and ontology/ (default: the current folder, or $KG_ROOT)."


class Context:
    """What every command shares: the project folder (``--root``)."""

    def __init__(self, root: Path):
        self.root = root

    def require_inputs(self) -> None:
        """A usage error naming --root when ROOT is not a project folder (no catalogue to read)."""
        from .errors import UsageError

        if not (self.root / "ontology" / "actors.yaml").is_file():
            raise UsageError(f"no actor catalogue at {self.root / 'ontology' / 'actors.yaml'}: run kg from the "
                             "project folder (the one with seeds/ and ontology/), or give --root DIR (or set KG_ROOT)")

    def project(self, build_dir: Path | None = None):
        """The :class:`kg.project.Project` at ``--root``, its build in ``build_dir`` (default ROOT/build)."""
        from .project import Project

        return Project.at(self.root, build_dir)

    def fresh_build(self, build_dir: Path | None = None) -> Path:
        """The build folder, built first when missing or stale. A fresh build is checked with the
        light :mod:`kg.stamp`, so ``kg query`` on it starts without importing the build."""
        from .stamp import is_fresh

        out = build_dir if build_dir is not None else self.root / "build"
        if not is_fresh(self.root, out):
            self.project(build_dir).ensure_built(notify=_tell)
        return out

    def built(self, build_dir: Path | None = None):
        """The built graph, built first (saying so on stderr) when missing or stale."""
        return self.project(build_dir).load(notify=_tell)


def _tell(message: str) -> None:
    click.echo(message, err=True)


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
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, envvar="KG_JOBS", show_envvar=True,
              help="Worker processes that extract articles (default: one per processor).")
@click.option("--scheduler", metavar="ADDRESS", default=None, envvar="KG_SCHEDULER", show_envvar=True,
              help="Extract on a Dask cluster (tcp://host:8786) instead of this machine.")
@click.option("--no-cache", is_flag=True, help="Extract every article again, without reading or writing the "
              "cache in build/cache/.")
@pass_ctx
def build(ctx: Context, out: Path | None, as_json: bool, jobs: int | None, scheduler: str | None,
          no_cache: bool) -> None:
    """Build the knowledge graph from the articles and write every output.

    Outputs go to build/ atomically: if any step fails, the previous outputs stay intact.
    Each article's extraction is kept in build/cache/, so the next build extracts only
    the articles that changed (or that name a catalogue entry that changed).
    """
    from .pipeline import Workers

    with progress_bar("extracting") as progress:
        ctx.require_inputs()
        result = ctx.project(out).build(progress=progress,
                                        workers=Workers(jobs, scheduler or None, cache=not no_cache))
    summary = result.summary()
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    click.echo(format_summary(summary))
    for note in result.notes:
        click.echo(note)
    click.echo(f"\nwrote {len(result.files)} files to {show_path(result.out)}/")
    for path in result.files:
        if path.parent == result.out:
            click.echo(f"  {show_path(path)}")
    the_map = result.out / "map.html"
    if the_map.exists():
        click.echo(f"\nthe map: {the_map.resolve()}")


@cli.command()
@pass_ctx
def validate(ctx: Context) -> None:
    """Check the inputs and the graph: catalogue, quotes, SHACL shapes.

    Exits 0 when everything conforms, 1 when there are violations, 2 on unreadable input.
    """
    ctx.require_inputs()
    with progress_bar("extracting") as progress:
        report = ctx.project().validate(progress=progress)
    click.echo(report.text())
    if not report.conforms:
        sys.exit(1)


@cli.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--actors", is_flag=True, help="List the proposed new actors (label, mention, class, "
              "confidence) instead of the facts.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Leave out facts below this confidence.")
@click.option("--model", metavar="NAME", default=None, envvar="KG_SPACY_MODEL",
              help="An installed spaCy English pipeline to read with (default: en_core_web_sm).")
@format_option("tsv", "turtle", "json", default="tsv")
@pass_ctx
def extract(ctx: Context, articles: tuple[Path, ...], actors: bool, min_confidence: float, model: str | None,
            fmt: str) -> None:
    """Print the actors and relations the extractor finds in ARTICLE files (no curated facts).

    \b
    tsv columns: subject, subject_mention, relation, object, object_mention, confidence, quote
    --actors:    label, mention, class, confidence
    """
    from .errors import UsageError
    from .extract import actors_tsv, as_json, extract_files, facts_tsv, facts_turtle
    from .inputs.catalogue import load_catalogue

    if actors and fmt == "turtle":
        raise UsageError("--actors prints tsv or json, not turtle; use --format tsv or --format json")
    ctx.require_inputs()   # the extractor reads the project's catalogue
    catalogue = load_catalogue(ctx.root / "ontology" / "actors.yaml", ctx.root / "ontology" / "sources.yaml",
                               root=ctx.root)
    with progress_bar("reading", "characters") as progress:
        found = extract_files(articles, catalogue, min_confidence=min_confidence, model=model,
                              progress=progress)
    for ex in found:
        if ex.skipped:
            position, error = ex.skipped[0]
            click.echo(f"warning: {ex.article}: {len(ex.skipped)} sentence(s) could not be read (the first at "
                       f"character {position}: {error}); please report it", err=True)
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
    from .evaluate import evaluate_corpus, format_evaluation
    from .inputs.corpus import load_corpus

    ctx.require_inputs()
    corpus = load_corpus(ctx.root)
    results = evaluate_corpus(corpus, mode=mode, threshold=min_confidence)
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        click.echo(format_evaluation(results, details=details))


QUERY_HELP = """Ask the graph a SPARQL question; print the answers.

\b
QUERY is one of:
  a name from the query library    kg query proxies --param patron=Turkey
  a .rq file                       kg query my-question.rq
  inline SPARQL                    kg query 'SELECT ?g WHERE { kg:Turkey kg:backs ?g }'
  -                                the query on standard input

The prefixes kg:, rdf:, rdfs:, owl:, xsd:, skos:, prov:, dcterms:, schema:, wd: and sh:
are predeclared. It queries the built graph (building it first if it is missing or
stale), or --data files, or a SPARQL --endpoint. `kg queries` lists the library.
"""


@cli.command(help=QUERY_HELP)
@click.argument("query_spec", metavar="QUERY")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME: an actor's label or alias (Turkey, Ankara), a prefixed name (kg:Turkey), "
                   "an <IRI>, or a literal (\"text\", 42). Repeatable.")
@click.option("--format", "-f", "fmt", type=click.Choice(SPARQL_FORMATS), default=None,
              help="table (default on a terminal), csv (default in a pipe), tsv, json, xml (W3C SPARQL "
                   "results), markdown; for CONSTRUCT/DESCRIBE an RDF syntax (default turtle).")
@click.option("--data", type=click.Path(dir_okay=False, path_type=Path), multiple=True, metavar="FILE",
              help="Query these RDF files instead of the built graph (any syntax rdflib reads). Repeatable.")
@click.option("--endpoint", metavar="URL", help="Query a SPARQL 1.1 endpoint instead (Oxigraph, Fuseki, ...).")
@click.option("--engine", type=click.Choice(SPARQL_ENGINES), default="oxigraph", show_default=True,
              help="The embedded engine: pyoxigraph (fast) or rdflib (the reference).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Give up after this many seconds.")
@click.option("--limit", type=click.IntRange(min=0), metavar="N", help="At most N results.")
@click.option("--allow-service", is_flag=True,
              help="Let the query call other SPARQL endpoints through SERVICE (federation); "
                   "without it such a query is refused before anything runs.")
@pass_ctx
def query(ctx: Context, query_spec: str, params: tuple[str, ...], fmt: str | None, data: tuple[Path, ...],
          endpoint: str | None, engine: str, timeout: float | None, limit: int | None,
          allow_service: bool) -> None:
    from . import sparql

    stdin_text = sys.stdin.read() if query_spec == "-" else None
    the_query = sparql.resolve_query(query_spec, ctx.root, stdin_text)
    values = sparql.parse_params(params)
    try:   # before anything is built or run
        sparql.check_runnable(the_query.text, allow_service=allow_service)
    except sparql.ServiceRefused as exc:
        raise sparql.ServiceRefused(f"{exc}; add --allow-service to run it") from None
    store = None
    if not endpoint and not data:   # the built graph, built first when missing or stale
        from .stamp import STORE_DIR

        store = ctx.fresh_build() / STORE_DIR
    runner = sparql.open_engine(store, data=data, endpoint=endpoint, engine=engine, timeout=timeout)
    default = "table" if sys.stdout.isatty() else "csv"
    output = sparql.run(runner, the_query, params=values, fmt=fmt, limit=limit, timeout=timeout,
                        default_format=default, allow_service=allow_service)
    text = output.data.decode("utf-8")
    click.echo(text, nl=bool(text) and not text.endswith("\n"))   # JSON and XML end with a newline too


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the library as JSON.")
@pass_ctx
def queries(ctx: Context, as_json: bool) -> None:
    """List the query library (queries/*.rq): each query's question and parameters."""
    from .sparql import describe_library

    entries = describe_library(ctx.root)
    if as_json:
        click.echo(json.dumps(entries, indent=2, ensure_ascii=False))
        return
    for entry in entries:
        click.echo(f"{entry['name']}")
        click.echo(f"    {entry['description']}")
        for p in entry["params"]:
            need = "optional" if p["optional"] else "required"
            click.echo(f"    --param {p['name']}={p['kind'].upper()}  ({need}) {p['description']}")
    click.echo(f"\n{len(entries)} queries; run one with `kg query NAME --param NAME=VALUE`")
# --------------------------------------------------------------------------- kg analyze

def _projection(view, relations, as_of, start, end, curated_only):
    from .analysis import Projection
    from .dates import PartialDate

    for flag, value in (("--to", end), ("--as-of", as_of)):
        if start and value and PartialDate.parse(start).is_after(PartialDate.parse(value)):
            raise click.UsageError(f"--from {start} is later than {flag} {value}: no date falls in that window")
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
    armed groups, one backs a group that fights the other, or each backs one and they
    fight (backing a state is patronage: shown, not counted). A leader's ties count as
    his state's or group's. Score = sqrt(cooperation x hostility), each the sum of its
    chains' weights; a chain weighs its weakest link (evidence weighted by confidence),
    halved per proxy step. --view limits who is in a pair (chains pass through anyone).
    """
    from .analysis.report import conflicts_report

    projection = _projection(view, relations, as_of, start, end, curated_only)
    click.echo(conflicts_report(ctx.built().network, projection, top=top, fmt=fmt), nl=False)


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
    from .analysis.report import centrality_report

    projection = _projection(view, relations, as_of, start, end, curated_only)
    click.echo(centrality_report(ctx.built().network, projection, measure=measure, top=top,
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
    from .analysis.report import balance_report

    projection = _projection(view, relations, as_of, start, end, curated_only)
    click.echo(balance_report(ctx.built().network, projection, top=top, fmt=fmt), nl=False)


@cli.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The HTML file to write (default: ROOT/build/map.html, or "
                   "ROOT/build/maps/<Actor>.html with --focus).")
@click.option("--focus", metavar="ACTOR", default=None,
              help="Show only this actor (a label or alias) and its neighbours.")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True,
              help="How many steps from the focus actor to show.")
@click.option("--as-of", "as_of", type=DATE, default=None,
              help="Keep relations with evidence dated on or before DATE (YYYY-MM-DD); undated ones stay.")
@click.option("--relations", multiple=True, metavar="NAMES",
              help="Keep only these relations or families (comma-separated or repeated), "
                   "e.g. backs,opposes or cooperative.")
@pass_ctx
def render(ctx: Context, out: Path | None, focus: str | None, depth: int, as_of: str | None,
           relations: tuple[str, ...]) -> None:
    """Draw the interactive relationship map: one HTML file that works offline.

    Open it in a browser: click an actor or a relation for its details and evidence,
    filter by relation, class and date, search for an actor, show an actor's
    neighbours, export the view as PNG or SVG; the address keeps the view as a link.
    """
    from .files import atomic_write
    from .render import MapOptions, html_page, map_data, relation_count

    names = tuple(n.strip() for group in relations for n in group.split(",") if n.strip())
    project = ctx.project()
    data = map_data(project.load(notify=_tell), MapOptions(focus=focus, depth=depth, as_of=as_of, relations=names))
    if out is None:
        out = project.build_dir / "maps" / f"{data['focus']}.html" if data["focus"] else project.build_dir / "map.html"
    atomic_write(out, html_page(data))
    click.echo(f"wrote {show_path(out)} ({len(data['nodes'])} actors, {relation_count(data)} relations)")


@cli.command("export")
@format_option(*EXPORT_FORMATS, default="turtle")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The file to write (default: print to stdout).")
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the build is (default: ROOT/build; built first if missing or stale).")
@pass_ctx
def export_cmd(ctx: Context, fmt: str, out: Path | None, build_dir: Path | None) -> None:
    """Export the graph for other tools (Gephi, Cytoscape, yEd, D3, triplestores).

    \b
    RDF: turtle, trig and nquads (with provenance), ntriples, jsonld, rdfxml.
    Graph tools: graphml, gexf (dated relations as time intervals), nodelink (D3),
    cytoscape (Cytoscape.js), csv-nodes, csv-edges.
    `kg build` also writes every format into build/export/.
    """
    from .export import export

    text = export(ctx.built(build_dir), fmt, out)
    if out is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {show_path(out)} ({fmt})", err=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on (127.0.0.1: this machine only).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a query may run, from its start, before it is stopped (503).")
@click.option("--max-body", type=click.IntRange(min=1), default=256 * 1024, show_default=True,
              help="Bytes a request body may have (413 above).")
@click.option("--workers", type=click.IntRange(min=1), default=4, show_default=True,
              help="Worker processes running queries.")
@click.option("--long-queries", type=click.IntRange(min=1), default=None, metavar="N",
              help="How many workers may run a query longer than a second (default: half); "
                   "the others stay free for quick queries.")
@click.option("--data", type=click.Path(dir_okay=False, path_type=Path), multiple=True, metavar="FILE",
              help="Serve these RDF files (repeatable; TriG and N-Quads keep their graphs) instead of the build.")
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the build is (default: ROOT/build; built first if missing or stale).")
@pass_ctx
def serve(ctx: Context, host: str, port: int, timeout: float, max_body: int, workers: int,
          long_queries: int | None, data: tuple[Path, ...], build_dir: Path | None) -> None:
    """Serve the graph as a read-only SPARQL endpoint, with the map and exports beside it.

    \b
    SPARQL 1.1 Protocol at http://HOST:PORT/sparql (GET or POST), CORS enabled.
    Updates, LOAD and SERVICE are refused. Stop with Ctrl-C.
    """
    from .errors import UsageError
    from .server import serve
    from .stamp import STORE_DIR

    if data and build_dir is not None:
        raise UsageError("serve the build (--build-dir) or data files (--data), not both")
    out = None if data else ctx.fresh_build(build_dir)

    def ready(url: str) -> None:
        click.echo(f"kg: SPARQL endpoint at {url}/sparql" + (f", the build at {url}/" if out else ""), err=True)

    serve(out / STORE_DIR if out else None, data=data, static_dir=out, host=host, port=port, ready=ready,
          timeout=timeout, max_body=max_body, workers=workers, long_queries=long_queries)


@cli.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's SPARQL Update URL (e.g. http://127.0.0.1:7878/update), or with "
                   "--protocol gsp its Graph Store URL (e.g. http://127.0.0.1:7878/store).")
@click.option("--graph", metavar="IRI", default=None,
              help="Load everything into this one graph (default: keep kg's named graphs).")
@click.option("--replace", is_flag=True, help="Drop each target graph first.")
@click.option("--protocol", type=click.Choice(["update", "gsp"]), default="update", show_default=True,
              help="SPARQL Update (INSERT DATA) or the Graph Store HTTP Protocol.")
@click.option("--batch-size", type=click.IntRange(min=1), default=5000, show_default=True,
              help="Triples per request.")
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the build is (default: ROOT/build; built first if missing or stale).")
@pass_ctx
def push(ctx: Context, endpoint: str, graph: str | None, replace: bool, protocol: str, batch_size: int,
         build_dir: Path | None) -> None:
    """Load the built dataset (with provenance) into a SPARQL 1.1 triplestore.

    \b
    Oxigraph, Apache Jena Fuseki, GraphDB, Virtuoso, Amazon Neptune. Idempotent:
    pushing twice leaves one copy. Then `kg query --endpoint URL` asks the store.
    """
    from .push import push as run_push
    from .push import total_triples
    from .stamp import DATASET

    data = ctx.fresh_build(build_dir) / DATASET
    with click.progressbar(length=total_triples(data, graph), label="pushing", file=sys.stderr) as bar:
        result = run_push(data, endpoint, graph=graph, replace=replace, protocol=protocol,
                          batch_size=batch_size, progress=bar.update)
    click.echo(result.summary())


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
