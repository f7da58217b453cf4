"""The query library: ``queries/<name>.rq`` files, their stated questions and parameters.

Each library file opens with a comment stating the analyst's question, then its
parameters (see :func:`parse_header`). A project's own ``queries/`` folder shadows
the queries kg ships; :func:`resolve_query` turns what a user typed (a name, a file,
inline SPARQL, ``-`` for standard input) into a :class:`Query`.

>>> query = resolve_query("SELECT ?g WHERE { kg:Turkey kg:backs ?g }")
>>> query.declared, query.params
(False, ())
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError

#: the kinds of parameter a library query may declare
PARAM_KINDS = ("actor", "source", "text", "integer", "term")
#: the folder of a project (and of kg itself) holding the library's ``.rq`` files
LIBRARY_DIR = "queries"
_PACKAGE_LIBRARY = Path(__file__).resolve().parents[2] / LIBRARY_DIR

_PARAM_LINE = re.compile(
    r"^\?(?P<name>[A-Za-z_]\w*)\s+(?P<kind>[a-z]+)(?P<opt>\s*,\s*optional)?\s*(?P<desc>.*)$")


@dataclass(frozen=True)
class Param:
    """A parameter a library query declares: ``?patron  actor, optional  the patron state``."""

    name: str
    kind: str = "term"
    optional: bool = False
    description: str = ""


@dataclass(frozen=True)
class Query:
    """A SPARQL query: its text and, for the library's queries, its name, question and parameters."""

    text: str
    name: str | None = None
    path: Path | None = None
    description: str = ""
    params: tuple[Param, ...] = ()

    @property
    def declared(self) -> bool:
        """True when the query states its parameters (every library query does)."""
        return self.name is not None


def parse_header(text: str, where: str = "query") -> tuple[str, tuple[Param, ...]]:
    """The question and the parameters stated in a query's opening comment.

    The header is the run of ``#`` lines at the top: the question first, then,
    after a line ``Parameters:``, one line per parameter: ``?name kind[, optional]
    description``, where kind is one of :data:`PARAM_KINDS`.

    >>> parse_header('''# Which groups does a state back?
    ... # Parameters:
    ... #   ?patron  actor, optional  the patron (every state when omitted)
    ... SELECT ?patron ?group WHERE { ?patron kg:backs ?group }''')
    ('Which groups does a state back?', (Param(name='patron', kind='actor', optional=True, description='the patron (every state when omitted)'),))
    """
    question: list[str] = []
    params: list[Param] = []
    in_params = False
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        body = stripped.lstrip("#").strip()
        if body.lower().rstrip(":") == "parameters":
            in_params = True
        elif in_params and body.lower() in ("(none)", "none"):
            continue
        elif in_params and body:
            match = _PARAM_LINE.match(body)
            if not match or match["kind"] not in PARAM_KINDS:
                raise UsageError(f"{where}: cannot read the parameter line {body!r}; write "
                                 f"'?name kind[, optional] description' with kind one of {', '.join(PARAM_KINDS)}")
            params.append(Param(match["name"], match["kind"], bool(match["opt"]), match["desc"].strip()))
        elif body:
            question.append(body)
    return " ".join(question), tuple(params)


def library_dirs(root: Path | str = ".") -> list[Path]:
    """Where library queries are looked up: ``ROOT/queries``, then kg's own ``queries/``."""
    dirs = [Path(root) / LIBRARY_DIR, _PACKAGE_LIBRARY]
    seen, unique = set(), []
    for d in dirs:
        key = d.resolve()
        if d.is_dir() and key not in seen:
            seen.add(key)
            unique.append(d)
    return unique


def load_query_file(path: Path | str, name: str | None = None) -> Query:
    """Read a ``.rq`` file and parse its header."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the query file {path}: {exc}") from None
    description, params = parse_header(text, str(path))
    return Query(text, name or path.stem, path, description, params)


def library(root: Path | str = ".") -> dict[str, Query]:
    """Every query of the library by name (a project's own ``queries/`` shadows kg's).

    >>> "proxies" in library()
    True
    """
    found: dict[str, Query] = {}
    for d in library_dirs(root):
        for path in sorted(d.glob("*.rq")):
            found.setdefault(path.stem, load_query_file(path))
    return dict(sorted(found.items()))


def resolve_query(spec: str, root: Path | str = ".", stdin_text: str | None = None) -> Query:
    """What a query given as one string means: ``-`` (stdin), a ``.rq`` file, a library name, or SPARQL.

    An existing file path wins; a single word is a library name; anything with
    spaces or braces is inline SPARQL.

    >>> resolve_query("proxies").params[0].name
    'patron'
    >>> resolve_query("proxie")
    Traceback (most recent call last):
    kg.errors.UsageError: no query named 'proxie' in queries/; did you mean proxies, parties? (`kg queries` lists them)
    """
    if spec == "-":
        if stdin_text is None:
            raise UsageError("the query is '-' (standard input) but no text was given there")
        return Query(stdin_text)
    path = Path(spec)
    if spec.endswith(".rq") or (len(spec) < 4096 and "\n" not in spec and path.is_file()):
        if not path.is_file():
            raise UsageError(f"no query file {spec}")
        query = load_query_file(path)
        # a file from the library keeps its declared parameters; any other file is ad hoc
        return query if (query.description or query.params) else Query(query.text, path=path)
    if re.fullmatch(r"[A-Za-z0-9_\-]+", spec):
        queries = library(root)
        if spec in queries:
            return queries[spec]
        close = difflib.get_close_matches(spec, list(queries), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UsageError(f"no query named {spec!r} in queries/{hint} (`kg queries` lists them)")
    return Query(spec)


def describe_library(root: Path | str = ".") -> list[dict[str, Any]]:
    """The library as plain data (what ``kg queries`` lists): name, question, parameters.

    >>> entry = next(e for e in describe_library() if e["name"] == "proxies")
    >>> entry["params"][0]["name"], entry["params"][0]["kind"]
    ('patron', 'actor')
    """
    return [{"name": name, "description": q.description,
             "params": [{"name": p.name, "kind": p.kind, "optional": p.optional,
                         "description": p.description} for p in q.params],
             "file": str(q.path)} for name, q in library(root).items()]
