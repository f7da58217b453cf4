"""SPARQL over the knowledge graph: the query library, safe parameters, engines and result formats.

Shared by ``kg query`` and anything else that asks the graph questions::

    engine = open_engine(".")                        # the built store (pyoxigraph), rebuilt if stale
    query = resolve_query("proxies", ".")            # queries/proxies.rq, with its header parsed
    text = run(engine, query, params={"patron": "Ankara"}, fmt="csv")

- **The library.** ``queries/<name>.rq``; each file opens with a comment stating the
  analyst's question, then its parameters (see :func:`parse_header`).
- **Prefixes.** Every prefix of :data:`kg.namespaces.PREFIXES` is predeclared, so
  ``SELECT ?g WHERE { kg:Turkey kg:backs ?g }`` needs no ``PREFIX`` block.
- **Parameters** are parsed into RDF terms (an actor's label or alias, a prefixed
  name, an ``<IRI>``, a literal) and bound by a ``VALUES`` block placed at the start
  of the query's ``WHERE`` group, written from the parsed terms by pyoxigraph's
  escaping serialiser: a value is never pasted into the query as text, so
  ``"} ; DROP ALL`` is only ever a string. Use parameters in the outer ``WHERE``
  group (a sub-select does not see them).
- **Engines.** :class:`OxigraphEngine` (the default: the built on-disk store, or
  ``--data`` files in memory), :class:`RdflibEngine` (rdflib's SPARQL engine, the
  reference for differential tests) and :class:`EndpointEngine` (any SPARQL 1.1
  endpoint over HTTP). Each returns pyoxigraph results, so one formatter serves all.
- **Formats.** ``json``, ``xml``, ``csv`` and ``tsv`` are the W3C SPARQL 1.1 result
  formats (written by pyoxigraph); ``table`` and ``markdown`` are for people, with
  prefixed names and labels; CONSTRUCT/DESCRIBE results go out in any RDF syntax.
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .errors import QueryError, ServiceError, UsageError
from .namespaces import KG_IRI, PREFIXES

#: result formats for SELECT and ASK
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml", "markdown")
#: RDF syntaxes for CONSTRUCT and DESCRIBE
GRAPH_FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml", "n3")
FORMATS = RESULT_FORMATS + GRAPH_FORMATS
ENGINES = ("oxigraph", "rdflib")
#: the kinds of parameter a library query may declare
PARAM_KINDS = ("actor", "source", "text", "integer", "term")

LIBRARY_DIR = "queries"
_PACKAGE_LIBRARY = Path(__file__).resolve().parent.parent / LIBRARY_DIR
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TABLE_CELL = 80


# --------------------------------------------------------------------------- the library

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


_PARAM_LINE = re.compile(
    r"^\?(?P<name>[A-Za-z_]\w*)\s+(?P<kind>[a-z]+)(?P<opt>\s*,\s*optional)?\s*(?P<desc>.*)$")


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


def load_query_file(path: Path, name: str | None = None) -> Query:
    """Read a ``.rq`` file and parse its header."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the query file {path}: {exc}") from None
    description, params = parse_header(text, str(path))
    return Query(text, name or path.stem, path, description, params)


def library(root: Path | str = ".") -> dict[str, Query]:
    """Every query of the library by name (a project's own ``queries/`` shadows kg's)."""
    found: dict[str, Query] = {}
    for d in library_dirs(root):
        for path in sorted(d.glob("*.rq")):
            found.setdefault(path.stem, load_query_file(path))
    return dict(sorted(found.items()))


def resolve_query(spec: str, root: Path | str = ".", stdin_text: str | None = None) -> Query:
    """What ``kg query QUERY`` means by QUERY: ``-`` (stdin), a ``.rq`` file, a library name, or SPARQL.

    An existing file path wins; a single word is a library name; anything with
    spaces or braces is inline SPARQL.
    """
    if spec == "-":
        if stdin_text is None:
            raise UsageError("QUERY is '-' but nothing was given on standard input")
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
        import difflib

        close = difflib.get_close_matches(spec, list(queries), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UsageError(f"no query named {spec!r} in queries/{hint} (`kg queries` lists them)")
    return Query(spec)


# --------------------------------------------------------------------------- the query text

_TOKEN = re.compile(r'''
   (?P<ws>\s+)
 | (?P<comment>\#[^\n]*)
 | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
 | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
 | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
 | (?P<open>\{) | (?P<close>\}) | (?P<lparen>\() | (?P<rparen>\))
 | (?P<word>[A-Za-z0-9_][\w\-.:%\\]*|:[\w\-.:%\\]*)
 | (?P<other>.)
''', re.X | re.S)

_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int
    depth: int  # brace depth before the token

    def keyword(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


@functools.lru_cache(maxsize=64)
def _tokens(text: str) -> tuple[_Token, ...]:
    out, depth, parens = [], 0, 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        if kind == "close":
            depth -= 1
        out.append(_Token(kind, m.group(), m.start(), m.end(), depth + (100 if parens else 0)))
        if kind == "open":
            depth += 1
        elif kind == "lparen":
            parens += 1
        elif kind == "rparen":
            parens = max(0, parens - 1)
    return tuple(out)


def query_form(text: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``."""
    for tok in _tokens(text):
        if tok.depth == 0 and tok.keyword(*_FORMS):
            return tok.text.upper()
    raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")


def query_variables(text: str) -> set[str]:
    """The names of the variables a query mentions."""
    return {tok.text[1:] for tok in _tokens(text) if tok.kind == "var"}


def _where_group(tokens: tuple[_Token, ...]) -> tuple[int, int] | None:
    """The indexes of the opening and closing brace of the query's WHERE group."""
    form = next((i for i, t in enumerate(tokens) if t.depth == 0 and t.keyword(*_FORMS)), None)
    if form is None:
        return None
    top = [i for i in range(form + 1, len(tokens)) if tokens[i].depth == 0]
    where = next((i for i in top if tokens[i].keyword("WHERE")), None)
    opens = [i for i in top if tokens[i].kind == "open"]
    if where is not None:
        start = next((i for i in opens if i > where), None)
    elif tokens[form].keyword("CONSTRUCT"):
        start = opens[1] if len(opens) > 1 else None   # CONSTRUCT { template } { pattern }
    else:
        start = opens[0] if opens else None
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(tokens))
                if tokens[i].kind == "close" and tokens[i].depth == 0), None)
    return (start, end) if end is not None else None


def bind(text: str, bindings: dict) -> str:
    """The query with ``?name`` bound to each parsed term by a VALUES block at the start of WHERE.

    The terms are pyoxigraph terms, written in their escaped N-Triples form; a
    string value stays one string literal whatever it contains.

    >>> import pyoxigraph as ox
    >>> bind('SELECT ?g WHERE { ?p kg:backs ?g }', {"p": ox.Literal('} ; DROP ALL "')})
    'SELECT ?g WHERE { VALUES (?p) { ("} ; DROP ALL \\\\"") } ?p kg:backs ?g }'
    """
    if not bindings:
        return text
    for name in bindings:
        if not _VARNAME.match(name):
            raise UsageError(f"--param {name}: not a variable name")
    names = " ".join(f"?{n}" for n in bindings)
    values = " ".join(str(t) for t in bindings.values())
    block = f"VALUES ({names}) {{ ({values}) }}"
    tokens = _tokens(text)
    group = _where_group(tokens)
    form = query_form(text)
    if group is None:
        if form == "DESCRIBE":            # DESCRIBE ?x with no WHERE: a trailing VALUES clause
            return f"{text}\n{block}"
        raise QueryError("cannot find the query's WHERE { ... } group to bind the parameters in")
    where = next((t for t in tokens if t.depth == 0 and t.keyword("WHERE")), None)
    if form == "CONSTRUCT" and where is not None and \
            tokens[tokens.index(where) - 1].keyword("CONSTRUCT"):
        raise QueryError("parameters cannot be bound in the short form CONSTRUCT WHERE { ... }; "
                         "write CONSTRUCT { template } WHERE { pattern }")
    at = tokens[group[0]].end
    return f"{text[:at]} {block}{text[at:]}"


def with_limit(text: str, limit: int) -> str:
    """The query with at most ``limit`` solutions: its own LIMIT lowered, or a LIMIT added."""
    tokens = _tokens(text)
    group = _where_group(tokens)
    if group is None or query_form(text) == "ASK":
        return text
    after = [t for t in tokens[group[1] + 1:] if t.depth == 0]
    for i, tok in enumerate(after):
        if tok.keyword("LIMIT") and i + 1 < len(after) and after[i + 1].text.isdigit():
            n = after[i + 1]
            return text[:n.start] + str(min(int(n.text), limit)) + text[n.end:]
    values = next((t for t in after if t.keyword("VALUES")), None)
    if values is not None:
        return f"{text[:values.start]}LIMIT {limit}\n{text[values.start:]}"
    return f"{text}\nLIMIT {limit}"


class QuerySyntaxError(QueryError):
    """The query is not SPARQL 1.1; the message gives the line and column."""


@functools.lru_cache(maxsize=1)
def _empty_store():
    import pyoxigraph as ox

    return ox.Store()


def check_syntax(text: str) -> None:
    """Raise QuerySyntaxError with the line and column when the query is not SPARQL 1.1 (with kg's prefixes)."""
    try:
        result = _empty_store().query(text, prefixes=PREFIXES)
        del result
    except SyntaxError as exc:
        raise syntax_error(exc, text) from None


def syntax_error(exc: Exception, text: str) -> QuerySyntaxError:
    """A QueryError naming the line and column of a pyoxigraph SyntaxError, with the line shown."""
    message = str(exc)
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if not match:
        return QuerySyntaxError(f"SPARQL syntax error: {message}")
    line, column, what = int(match[1]), int(match[2]), " ".join(match[3].split())
    if what.startswith("expected one of") and len(what) > 120:
        what = what[:117] + "..."
    lines = text.splitlines()
    shown = ""
    if 1 <= line <= len(lines):
        shown = f"\n  {lines[line - 1]}\n  {' ' * max(0, column - 1)}^"
    return QuerySyntaxError(f"SPARQL syntax error at line {line}, column {column}: {what}{shown}")


# --------------------------------------------------------------------------- parameters

_LITERAL = re.compile(r'^"(?P<v>(?:[^"\\]|\\.)*)"(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(?P<dt>\S+))?$', re.S)
_PREFIXED = re.compile(r"^(?P<p>[A-Za-z][\w\-.]*)?:(?P<l>\S*)$")
_XSD = PREFIXES["xsd"]


def parse_term(value: str, *, where: str = "--param"):
    """An IRI in ``<...>``, a prefixed name, a quoted literal (``"x"@en``, ``"1"^^xsd:int``) or a
    number, as a pyoxigraph term; None when ``value`` is none of these (a name, say)."""
    import pyoxigraph as ox

    value = value.strip()
    try:
        if value.startswith("<") and value.endswith(">"):
            return ox.NamedNode(value[1:-1])
        match = _LITERAL.match(value)
        if match:
            text = re.sub(r'\\(.)', r'\1', match["v"], flags=re.S)
            if match["lang"]:
                return ox.Literal(text, language=match["lang"])
            if match["dt"]:
                dt = parse_term(match["dt"], where=where)
                if not isinstance(dt, ox.NamedNode):
                    raise UsageError(f"{where}: datatype {match['dt']!r} is not an IRI")
                return ox.Literal(text, datatype=dt)
            return ox.Literal(text)
        if re.fullmatch(r"[+-]?\d+", value):
            return ox.Literal(value, datatype=ox.NamedNode(_XSD + "integer"))
        if re.fullmatch(r"[+-]?\d*\.\d+", value):
            return ox.Literal(value, datatype=ox.NamedNode(_XSD + "decimal"))
        if value in ("true", "false"):
            return ox.Literal(value, datatype=ox.NamedNode(_XSD + "boolean"))
        match = _PREFIXED.match(value)
        if match and (match["p"] or "") in PREFIXES:
            return ox.NamedNode(PREFIXES[match["p"] or ""] + match["l"])
    except ValueError as exc:
        raise UsageError(f"{where}: {value!r} is not a valid RDF term: {exc}") from None
    return None


def parse_params(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["patron=Turkey", ...]`` -> ``{"patron": "Turkey"}`` (``--param NAME=VALUE``)."""
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not _VARNAME.match(name):
            raise UsageError(f"--param {pair!r}: write NAME=VALUE, e.g. --param patron=Turkey")
        if name in params:
            raise UsageError(f"--param {name} is given twice")
        params[name] = value
    return params


def bind_params(query: Query, params: dict[str, str], engine) -> dict:
    """Each ``--param`` value parsed into an RDF term, checked against what the query declares."""
    import pyoxigraph as ox

    if query.declared:
        declared = {p.name: p for p in query.params}
        for name in params:
            if name not in declared:
                known = ", ".join(declared) or "none"
                raise UsageError(f"query {query.name!r} has no parameter {name!r} (its parameters: {known})")
        missing = [p.name for p in query.params if not p.optional and p.name not in params]
        if missing:
            shown = " ".join(f"--param {m}=..." for m in missing)
            raise UsageError(f"query {query.name!r} needs {shown} "
                             f"({'; '.join(f'{m}: {declared[m].description}' for m in missing)})")
    else:
        used = query_variables(query.text)
        for name in params:
            if name not in used:
                raise UsageError(f"--param {name}: the query has no variable ?{name}")
        declared = {}
    bound = {}
    for name, value in params.items():
        kind = declared[name].kind if name in declared else "term"
        where = f"--param {name}"
        if kind == "text":
            bound[name] = ox.Literal(value)
        elif kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", value.strip()):
                raise UsageError(f"{where}: {value!r} is not an integer")
            bound[name] = ox.Literal(value.strip(), datatype=ox.NamedNode(_XSD + "integer"))
        else:
            term = parse_term(value, where=where)
            if term is None:
                term = engine.resolve_name(value, "source" if kind == "source" else "actor", where)
            bound[name] = term
    return bound


class NameIndex:
    """Actor (or source) names -> IRIs, built from the labels in the data being queried.

    The index is a :class:`kg.catalogue.Catalogue` whose entries carry the IRI as
    their id, so names match the way the build matches them: case and diacritics
    do not matter, and every alias counts.
    """

    QUERIES = {
        "actor": """SELECT ?x ?label ?alt WHERE {
            ?x a kg:Actor .
            { ?x skos:prefLabel ?label } UNION { ?x rdfs:label ?label } UNION { ?x skos:altLabel ?alt } }""",
        "source": "SELECT ?x ?label ?alt WHERE { ?x a kg:Source ; rdfs:label ?label }",
    }

    def __init__(self, rows, kind: str):
        from .catalogue import Actor, Catalogue

        labels: dict[str, str] = {}
        aliases: dict[str, list[str]] = {}
        for iri, label, alt in rows:
            if label is not None:
                labels.setdefault(iri, label)
            if alt is not None:
                aliases.setdefault(iri, []).append(alt)
        actors = {}
        for iri in sorted(set(labels) | set(aliases)):
            label = labels.get(iri) or aliases[iri][0]
            actors[iri] = Actor(label, iri, kind, tuple(a for a in aliases.get(iri, ()) if a != label))
        self.kind = kind
        self.catalogue = Catalogue(actors, {})

    def resolve(self, name: str, where: str):
        import pyoxigraph as ox

        actor = self.catalogue.resolve(name)
        if actor is not None:
            return ox.NamedNode(actor.id)
        close = self.catalogue.suggest(name)
        hint = f"; did you mean {', '.join(close)}?" if close else \
            " (give an IRI as <...>, a prefixed name like kg:Turkey, or a literal in quotes)"
        raise UsageError(f"{where}: unknown {self.kind} {name!r}{hint}")


# --------------------------------------------------------------------------- engines

class Engine:
    """Runs SPARQL text and returns pyoxigraph results: QuerySolutions, QueryBoolean, or a list of Triples."""

    name = "engine"
    #: True when the engine itself reports syntax errors with kg's line and column
    checks_syntax = False

    def __init__(self) -> None:
        self._names: dict[str, NameIndex] = {}

    def execute(self, text: str, form: str, timeout: float | None = None):
        raise NotImplementedError

    def resolve_name(self, name: str, kind: str, where: str):
        if kind not in self._names:
            rows = [(_value(r[0]), _value(r[1]), _value(r[2]))
                    for r in self.execute(NameIndex.QUERIES[kind], "SELECT")]
            self._names[kind] = NameIndex(rows, kind)
        return self._names[kind].resolve(name, where)

    def labels(self, iris: list) -> dict[str, str]:
        """The preferred label of each IRI that has one."""
        if not iris:
            return {}
        found: dict[str, str] = {}
        chunk = 500
        for i in range(0, len(iris), chunk):
            values = " ".join(str(x) for x in iris[i:i + chunk])
            text = ("SELECT ?x ?l WHERE { VALUES ?x { " + values + " } "
                    "{ ?x skos:prefLabel ?l } UNION { ?x rdfs:label ?l } }")
            for row in self.execute(text, "SELECT"):
                found.setdefault(row[0].value, row[1].value)
        return found


def _value(term):
    return None if term is None else term.value


class OxigraphEngine(Engine):
    """pyoxigraph: the built on-disk store, or an in-memory store of ``--data`` files.

    The default graph is the union of the named graphs.
    """

    name = "oxigraph"
    checks_syntax = True

    def __init__(self, store):
        super().__init__()
        self.store = store

    def execute(self, text: str, form: str, timeout: float | None = None):
        try:
            result = self.store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise syntax_error(exc, text) from None
        except (OSError, RuntimeError) as exc:
            raise QueryError(f"the query failed: {exc}") from None
        return result


class RdflibEngine(Engine):
    """rdflib's own SPARQL engine over an in-memory Dataset whose default graph is the union."""

    name = "rdflib"

    def __init__(self, dataset):
        super().__init__()
        self.dataset = dataset

    def execute(self, text: str, form: str, timeout: float | None = None):
        import pyoxigraph as ox

        try:
            result = self.dataset.query(text, initNs=PREFIXES)
            if form in ("CONSTRUCT", "DESCRIBE"):
                data = result.graph.serialize(format="nt", encoding="utf-8")
                return [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
            data = result.serialize(format="json")
        except QueryError:
            raise
        except Exception as exc:  # noqa: BLE001 - rdflib raises many kinds (pyparsing, ValueError...)
            raise QueryError(f"rdflib could not run the query: {type(exc).__name__}: {exc}") from None
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)


class EndpointEngine(Engine):
    """Any SPARQL 1.1 endpoint over HTTP (the SPARQL 1.1 Protocol, query by POST).

    kg's prefixes are declared in front of the query (those it does not declare
    itself); results come back as SPARQL JSON or N-Triples.
    """

    name = "endpoint"

    def __init__(self, url: str, timeout: float | None = None):
        super().__init__()
        if not re.match(r"^https?://", url):
            raise UsageError(f"--endpoint {url!r}: give an http:// or https:// URL")
        self.url = url
        self.timeout = timeout

    def execute(self, text: str, form: str, timeout: float | None = None):
        import urllib.error
        import urllib.parse
        import urllib.request

        import pyoxigraph as ox

        declared = {m.group(1) for m in re.finditer(r"(?i)\bPREFIX\s+([\w\-.]*):", text)}
        prologue = " ".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items() if p not in declared)
        graph = form in ("CONSTRUCT", "DESCRIBE")
        accept = ("application/n-triples, text/turtle;q=0.9" if graph else
                  "application/sparql-results+json, application/sparql-results+xml;q=0.8")
        body = urllib.parse.urlencode({"query": prologue + "\n" + text}).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept,
            "User-Agent": "kg-query"})
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout or 60) as response:
                data = response.read()
                ctype = response.headers.get("Content-Type", "").split(";")[0].strip()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:500]
            raise ServiceError(f"the endpoint {self.url} answered {exc.code} {exc.reason}"
                               + (f": {detail}" if detail else "")) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if "timed out" in str(reason):
                raise ServiceError(f"the endpoint {self.url} did not answer within "
                                   f"{timeout or self.timeout or 60:g} s") from None
            raise ServiceError(f"cannot reach the SPARQL endpoint {self.url}: {reason}") from None
        try:
            if graph:
                fmt = ox.RdfFormat.from_media_type(ctype) or ox.RdfFormat.N_TRIPLES
                return [q.triple for q in ox.parse(data, format=fmt)]
            fmt = ox.QueryResultsFormat.from_media_type(ctype) or ox.QueryResultsFormat.JSON
            return ox.parse_query_results(data, format=fmt)
        except (SyntaxError, ValueError) as exc:
            raise ServiceError(f"the endpoint {self.url} sent results kg cannot read "
                               f"({ctype or 'no content type'}): {exc}") from None


def open_engine(root: Path | str = ".", *, data: tuple[Path, ...] | list[Path] = (),
                endpoint: str | None = None, engine: str = "oxigraph",
                timeout: float | None = None, notify=None) -> Engine:
    """The engine ``kg query`` runs on: an endpoint, ``--data`` files, or the built graph.

    The built graph is ``ROOT/build/store``; it is built first when it is missing
    or older than its inputs (``notify(message)`` is told so before the build).
    """
    if engine not in ENGINES:
        raise UsageError(f"--engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if endpoint:
        if data:
            raise UsageError("give --endpoint or --data, not both")
        return EndpointEngine(endpoint, timeout)
    if data:
        return load_data(data, engine)
    from .store import ensure_store

    store_dir = ensure_store(root, notify=notify)
    if engine == "oxigraph":
        from .store import open_store

        return OxigraphEngine(open_store(store_dir))
    nq = store_dir.parent / "dataset.nq"
    return load_data([nq], "rdflib")


def load_data(paths, engine: str = "oxigraph") -> Engine:
    """An engine over RDF files (any syntax rdflib reads; pyoxigraph parses the ones it knows)."""
    import pyoxigraph as ox

    paths = [Path(p) for p in paths]
    for path in paths:
        if not path.is_file():
            raise UsageError(f"--data {path}: no such file")
    if engine == "rdflib":
        from rdflib import Dataset

        ds = Dataset(default_union=True)
        for path in paths:
            try:
                ds.parse(str(path), format=_rdflib_format(path))
            except Exception as exc:  # noqa: BLE001 - rdflib's parsers raise many kinds
                raise _data_error(path, exc) from None
        return RdflibEngine(ds)
    store = ox.Store()
    for path in paths:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower()) if path.suffix else None
        try:
            if fmt is not None:
                store.bulk_load(path=str(path), format=fmt)
            else:   # a syntax pyoxigraph does not read: let rdflib parse it
                from rdflib import Dataset

                ds = Dataset()
                ds.parse(str(path), format=_rdflib_format(path))
                store.bulk_load(input=ds.serialize(format="nquads", encoding="utf-8"),
                                format=ox.RdfFormat.N_QUADS)
        except Exception as exc:  # noqa: BLE001
            raise _data_error(path, exc) from None
    return OxigraphEngine(store)


def _rdflib_format(path: Path) -> str | None:
    from rdflib.util import guess_format

    return guess_format(str(path))


def _data_error(path: Path, exc: Exception):
    from .errors import InputError

    return InputError(f"--data {path}: cannot read it as RDF: {' '.join(str(exc).split())[:300]}")


# --------------------------------------------------------------------------- running

@dataclass
class Output:
    """What a query produced, formatted: the bytes to write and how many rows or triples."""

    data: bytes
    form: str
    count: int | None = None
    notes: list[str] = field(default_factory=list)


def prepare(query: Query, params: dict[str, str], engine: Engine, limit: int | None = None) -> tuple[str, str]:
    """The text to run and its form: parameters bound, limit applied.

    The syntax is checked here, against the text the user wrote, unless the engine
    reports syntax errors itself (then :func:`execute` checks the user's text on failure).
    """
    text = query.text
    if not engine.checks_syntax:
        check_syntax(text)
    try:
        form = query_form(text)
    except QueryError:
        check_syntax(text)
        raise
    bound = bind_params(query, params, engine)
    text = bind(text, bound)
    if limit is not None:
        text = with_limit(text, limit)
    return text, form


def execute(engine: Engine, query: Query, text: str, form: str, timeout: float | None = None):
    """Run prepared text; a syntax error is reported at its place in the text the user wrote."""
    try:
        return engine.execute(text, form, timeout)
    except QuerySyntaxError:
        if text != query.text:
            check_syntax(query.text)
        raise


def run(engine: Engine, query: Query | str, *, params: dict[str, str] | None = None,
        fmt: str | None = "json", limit: int | None = None, timeout: float | None = None,
        default_format: str = "table") -> Output:
    """Run a query and format its results; the whole run is bounded by ``timeout`` seconds.

    ``fmt=None`` means ``default_format`` for SELECT/ASK and Turtle for CONSTRUCT/DESCRIBE.
    """
    query = Query(query) if isinstance(query, str) else query
    text, form = prepare(query, params or {}, engine, limit)
    graph = form in ("CONSTRUCT", "DESCRIBE")
    if fmt is None:
        fmt = "turtle" if graph else default_format
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if graph and fmt in RESULT_FORMATS and fmt not in ("table", "markdown"):
        raise UsageError(f"a {form} query gives a graph: choose --format {'|'.join(GRAPH_FORMATS)}")
    if not graph and fmt in GRAPH_FORMATS:
        raise UsageError(f"a {form} query gives results, not a graph: "
                         f"choose --format {'|'.join(RESULT_FORMATS)}")
    if graph and fmt in ("table", "markdown"):
        fmt = "turtle"

    def work() -> Output:
        result = execute(engine, query, text, form, timeout)
        return format_result(result, form, fmt, engine)

    return _with_timeout(work, timeout)


def _with_timeout(work, timeout: float | None):
    if not timeout:
        return work()
    box: dict = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=target, name="kg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryError(f"the query did not finish within {timeout:g} s (--timeout)")
    if "error" in box:
        raise box["error"]
    return box["value"]


def select(engine: Engine, query: Query | str, params: dict[str, str] | None = None,
           limit: int | None = None) -> tuple[list[str], list[tuple]]:
    """A SELECT query's variables and rows of pyoxigraph terms (None when unbound)."""
    query = Query(query) if isinstance(query, str) else query
    text, form = prepare(query, params or {}, engine, limit)
    if form != "SELECT":
        raise UsageError(f"select() runs SELECT queries, not {form}")
    result = execute(engine, query, text, form)
    names = [v.value for v in result.variables]
    return names, [tuple(row[i] for i in range(len(names))) for row in result]


def ask(engine: Engine, query: Query | str, params: dict[str, str] | None = None) -> bool:
    query = Query(query) if isinstance(query, str) else query
    text, form = prepare(query, params or {}, engine)
    return bool(execute(engine, query, text, form))


# --------------------------------------------------------------------------- formats

_W3C = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}
_RDF = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG",
        "jsonld": "JSON_LD", "rdfxml": "RDF_XML", "n3": "N3"}


def format_result(result, form: str, fmt: str, engine: Engine | None = None) -> Output:
    """Write a pyoxigraph result in a format (see :data:`FORMATS`)."""
    import pyoxigraph as ox

    if form in ("CONSTRUCT", "DESCRIBE"):
        triples = list(result)
        rdf_format = getattr(ox.RdfFormat, _RDF[fmt])
        if rdf_format.supports_datasets:
            triples = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
        prefixes = PREFIXES if fmt in ("turtle", "trig", "n3", "rdfxml", "jsonld") else None
        data = ox.serialize(triples, format=rdf_format, prefixes=prefixes)
        return Output(data, form, len(triples))
    if fmt in _W3C:
        data = result.serialize(format=getattr(ox.QueryResultsFormat, _W3C[fmt]))
        return Output(data, form)
    if form == "ASK":
        answer = "yes" if bool(result) else "no"
        return Output((answer + "\n").encode(), form, 1)
    names = [v.value for v in result.variables]
    rows = [tuple(row[i] for i in range(len(names))) for row in result]
    labels = engine.labels(sorted({t for row in rows for t in row if isinstance(t, ox.NamedNode)},
                                  key=str)) if engine else {}
    cells = [[display(t, labels) for t in row] for row in rows]
    text = markdown_table(names, cells) if fmt == "markdown" else text_table(names, cells)
    return Output(text.encode("utf-8"), form, len(rows))


def prefixed(iri: str) -> str:
    """``kg:Turkey`` for ``https://w3id.org/conflict-kg/Turkey``; ``<iri>`` when no prefix fits.

    >>> prefixed("https://w3id.org/conflict-kg/Turkey"), prefixed("http://example.org/x")
    ('kg:Turkey', '<http://example.org/x>')
    """
    best = max(((p, ns) for p, ns in PREFIXES.items() if iri.startswith(ns)),
               key=lambda x: len(x[1]), default=None)
    if best is None or len(iri) == len(best[1]) or any(c in iri[len(best[1]):] for c in " <>\"{}|^`\\#"):
        return f"<{iri}>"
    return f"{best[0]}:{iri[len(best[1]):]}"


def display(term, labels: dict[str, str] | None = None) -> str:
    """A term as people read it: a prefixed name and, if it says more, the label; a literal's text."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        name = prefixed(term.value)
        label = (labels or {}).get(term.value)
        if label and _squash(label) != _squash(name.split(":", 1)[-1]):
            return f"{name} ({label})"
        return name
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return " ".join(term.value.split())
    return str(term)


def _squash(text: str) -> str:
    """Letters and digits only, lower case: a label that squashes to the IRI's local name adds nothing."""
    return "".join(c for c in text if c.isalnum()).lower()


def text_table(names: list[str], rows: list[list[str]]) -> str:
    """A plain-text table with aligned columns; long cells are cut with an ellipsis."""
    cut = [[c if len(c) <= _TABLE_CELL else c[:_TABLE_CELL - 1] + "…" for c in row] for row in rows]
    widths = [max([len(n)] + [len(r[i]) for r in cut]) for i, n in enumerate(names)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    out = [line(names), line(["-" * w for w in widths])]
    out += [line(r) for r in cut]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def markdown_table(names: list[str], rows: list[list[str]]) -> str:
    """A GitHub-flavoured Markdown table (pipes escaped)."""
    esc = lambda c: c.replace("\\", "\\\\").replace("|", "\\|")  # noqa: E731
    out = ["| " + " | ".join(names) + " |", "|" + "|".join(" --- " for _ in names) + "|"]
    out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def describe_library(root: Path | str = ".") -> list[dict]:
    """The library as plain data for ``kg queries``: name, question, parameters."""
    return [{"name": name, "description": q.description,
             "params": [{"name": p.name, "kind": p.kind, "optional": p.optional,
                         "description": p.description} for p in q.params],
             "file": str(q.path)} for name, q in library(root).items()]


__all__ = ["FORMATS", "RESULT_FORMATS", "GRAPH_FORMATS", "ENGINES", "Param", "Query", "Engine",
           "OxigraphEngine", "RdflibEngine", "EndpointEngine", "Output", "open_engine", "load_data",
           "library", "resolve_query", "parse_header", "parse_params", "parse_term", "bind",
           "with_limit", "run", "select", "ask", "format_result", "prefixed", "display", "KG_IRI"]
