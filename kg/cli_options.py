"""The CLI's shared pieces: option types and decorators, the progress bar, and output formatting.

Kept apart from :mod:`kg.cli` so that the command module stays a list of commands.
Like the commands, nothing here imports the library at start-up.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .dates import PartialDate

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar


class DateType(click.ParamType):
    """A date option: YYYY-MM-DD, YYYY-MM or YYYY (kept as text; the library parses it into a PartialDate)."""

    name = "DATE"

    def convert(self, value, param, ctx):
        try:
            return str(PartialDate.parse(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateType()


def format_option(*choices: str, default: str):
    """The one ``--format`` option, shared by every command that can print in several formats."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format.")


ANALYSIS_FORMATS = ("table", "json", "csv", "markdown")


def analysis_options(command):
    """The options every ``kg analyze`` command shares: the projection and the output format."""
    options = [
        click.option("--view", type=click.Choice(["actors", "states", "all"]), default="actors",
                     show_default=True, help="Which actors: actors (no regions/agreements), states only, or all."),
        click.option("--relations", multiple=True, metavar="NAME",
                     help="Keep only these relations or families (repeatable): e.g. backs, adversarial, cooperation."),
        click.option("--as-of", "as_of", type=DATE, help="Only relations with evidence dated up to DATE (YYYY-MM-DD)."),
        click.option("--from", "start", type=DATE, help="Only relations with evidence dated from DATE."),
        click.option("--to", "end", type=DATE, help="Only relations with evidence dated up to DATE."),
        click.option("--curated-only", is_flag=True, help="Ignore facts found by the extractor."),
        click.option("--format", "fmt", type=click.Choice(ANALYSIS_FORMATS), default="table",
                     show_default=True, help="Output format."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


class progress_bar:
    """A progress bar on stderr while the articles are extracted (only on a terminal): how much is
    done, at what rate (``unit``s per second), and the time left."""

    def __init__(self, label: str, unit: str = "articles"):
        self.label = label
        self.unit = unit
        self.bar: ProgressBar[Any] | None = None
        self.done = 0
        self.started = 0.0

    def __enter__(self):
        return self if sys.stderr.isatty() else None

    def __call__(self, done: int, total: int) -> None:
        import time

        if self.bar is None:
            self.started = time.monotonic()
            self.first = done   # articles found in the cache are not part of the rate
            bar: Any = click.progressbar(length=total, label=self.label, file=sys.stderr, show_pos=True,
                                         show_eta=True, item_show_func=lambda rate: rate)
            self.bar = bar.__enter__()
        assert self.bar is not None
        elapsed = time.monotonic() - self.started
        rate = f"{(done - self.first) / elapsed:,.1f} {self.unit}/s" if elapsed > 0.5 and done > self.first else None
        self.bar.update(done - self.done, rate)
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


def show_path(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
