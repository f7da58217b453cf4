"""The text of a SPARQL query: its form and variables, parameters bound into it, limits, checks.

Everything here reads the query as text, with a small tokenizer that knows SPARQL's
strings, IRIs, comments and braces, so a ``{`` or ``WHERE`` inside a string is no
landmark:

- :func:`query_form` and :func:`query_variables` say what a query is;
- :func:`bind` binds parameters by a ``VALUES`` block at the start of the WHERE
  group, written from parsed RDF terms (a value never becomes query text);
- :func:`with_limit` caps the number of solutions;
- :func:`check_syntax` reports a syntax error at its line and column;
- :func:`check_runnable` is ``kg query``'s guard: an update (``INSERT``, ``LOAD``...)
  is never run, and a query calling other servers (``SERVICE``, found by
  :func:`services`) only when federation is allowed;
- :func:`check_read_only` is the endpoint's guard: it parses the query (so a comment
  or a string saying ``SERVICE`` is no trigger) and refuses updates, ``LOAD`` and
  ``SERVICE``.

>>> query_form("PREFIX ex: <http://example.org/> ASK { ex:a ?p ?o }")
'ASK'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import (
    BadQuery,
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    ServiceRefused,
    UsageError,
)
from ..namespaces import PREFIXES

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pyoxigraph as ox

#: the four query forms, as :func:`query_form` names them
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
#: the forms whose result is a graph rather than a table or a boolean
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
#: what a variable (and so a parameter) may be called
VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: the keywords a SPARQL Update operation starts with
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

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


@dataclass(frozen=True)
class Token:
    """A token of a query: its kind (``word``, ``var``, ``open``...), text, place and brace depth."""

    kind: str
    text: str
    start: int
    end: int
    depth: int  # brace depth before the token (+100 inside parentheses)

    def keyword(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


@functools.lru_cache(maxsize=64)
def tokens(text: str) -> tuple[Token, ...]:
    """The query's tokens, comments and white space left out.

    >>> [t.text for t in tokens('ASK { ?s kg:p "a { b" } # a comment')]
    ['ASK', '{', '?s', 'kg:p', '"a { b"', '}']
    """
    out, depth, parens = [], 0, 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        if kind == "close":
            depth -= 1
        out.append(Token(kind, m.group(), m.start(), m.end(), depth + (100 if parens else 0)))
        if kind == "open":
            depth += 1
        elif kind == "lparen":
            parens += 1
        elif kind == "rparen":
            parens = max(0, parens - 1)
    return tuple(out)


def query_form(text: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.

    >>> query_form("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    for tok in tokens(text):
        if tok.depth == 0 and tok.keyword(*FORMS):
            return tok.text.upper()
    raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")


def query_variables(text: str) -> set[str]:
    """The names of the variables a query mentions.

    >>> sorted(query_variables("SELECT ?g WHERE { $p kg:backs ?g }"))
    ['g', 'p']
    """
    return {tok.text[1:] for tok in tokens(text) if tok.kind == "var"}


def _where_group(toks: tuple[Token, ...]) -> tuple[int, int] | None:
    """The indexes of the opening and closing brace of the query's WHERE group."""
    form = next((i for i, t in enumerate(toks) if t.depth == 0 and t.keyword(*FORMS)), None)
    if form is None:
        return None
    top = [i for i in range(form + 1, len(toks)) if toks[i].depth == 0]
    where = next((i for i in top if toks[i].keyword("WHERE")), None)
    opens = [i for i in top if toks[i].kind == "open"]
    if where is not None:
        start = next((i for i in opens if i > where), None)
    elif toks[form].keyword("CONSTRUCT"):
        start = opens[1] if len(opens) > 1 else None   # CONSTRUCT { template } { pattern }
    else:
        start = opens[0] if opens else None
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(toks))
                if toks[i].kind == "close" and toks[i].depth == 0), None)
    return (start, end) if end is not None else None


def bind(text: str, bindings: Mapping[str, ox.NamedNode | ox.BlankNode | ox.Literal]) -> str:
    """The query with ``?name`` bound to each parsed term by a VALUES block at the start of WHERE.

    The terms are pyoxigraph terms, written in their escaped N-Triples form; a
    string value stays one string literal whatever it contains.

    >>> import pyoxigraph as ox
    >>> bind('SELECT ?g WHERE { ?p kg:backs ?g }', {"p": ox.Literal('} ; DROP ALL "')})
    'SELECT ?g WHERE { VALUES (?p) { ("} ; DROP ALL \\\\"") } ?p kg:backs ?g }'
    >>> bind('SELECT ?g WHERE { ?p kg:backs ?g }', {"p q": ox.Literal("x")})
    Traceback (most recent call last):
    kg.errors.UsageError: parameter 'p q': not a variable name
    """
    if not bindings:
        return text
    for name in bindings:
        if not VARNAME.match(name):
            raise UsageError(f"parameter {name!r}: not a variable name")
    names = " ".join(f"?{n}" for n in bindings)
    values = " ".join(str(t) for t in bindings.values())
    block = f"VALUES ({names}) {{ ({values}) }}"
    toks = tokens(text)
    group = _where_group(toks)
    form = query_form(text)
    if group is None:
        if form == "DESCRIBE":            # DESCRIBE ?x with no WHERE: a trailing VALUES clause
            return f"{text}\n{block}"
        raise QueryError("cannot find the query's WHERE { ... } group to bind the parameters in")
    where = next((t for t in toks if t.depth == 0 and t.keyword("WHERE")), None)
    if form == "CONSTRUCT" and where is not None and toks[toks.index(where) - 1].keyword("CONSTRUCT"):
        raise QueryError("parameters cannot be bound in the short form CONSTRUCT WHERE { ... }; "
                         "write CONSTRUCT { template } WHERE { pattern }")
    at = toks[group[0]].end
    return f"{text[:at]} {block}{text[at:]}"


def with_limit(text: str, limit: int) -> str:
    """The query with at most ``limit`` solutions: its own LIMIT lowered, or a LIMIT added.

    >>> with_limit("SELECT ?s WHERE { ?s ?p ?o } LIMIT 50", 10)
    'SELECT ?s WHERE { ?s ?p ?o } LIMIT 10'
    >>> with_limit("SELECT ?s WHERE { ?s ?p ?o }", 10)
    'SELECT ?s WHERE { ?s ?p ?o }\\nLIMIT 10'
    """
    toks = tokens(text)
    group = _where_group(toks)
    if group is None or query_form(text) == "ASK":
        return text
    after = [t for t in toks[group[1] + 1:] if t.depth == 0]
    for i, tok in enumerate(after):
        if tok.keyword("LIMIT") and i + 1 < len(after) and after[i + 1].text.isdigit():
            n = after[i + 1]
            return text[:n.start] + str(min(int(n.text), limit)) + text[n.end:]
    values = next((t for t in after if t.keyword("VALUES")), None)
    if values is not None:
        return f"{text[:values.start]}LIMIT {limit}\n{text[values.start:]}"
    return f"{text}\nLIMIT {limit}"


@functools.lru_cache(maxsize=1)
def _empty_store() -> ox.Store:
    import pyoxigraph as ox

    return ox.Store()


def check_syntax(text: str) -> None:
    """Raise QuerySyntaxError with the line and column when the query is not SPARQL 1.1 (with kg's prefixes).

    An update is :class:`~kg.errors.QueryRefused` (see :func:`syntax_error`). A query
    that calls SERVICE is checked by parsing alone, so that checking it sends nothing.

    >>> check_syntax("SELECT ?g WHERE { kg:Turkey kg:backs ?g }")
    >>> check_syntax("SELECT ?g WHERE {\\n  kg:Turkey kg:backs \\n}")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.QuerySyntaxError: SPARQL syntax error at line 3, column 1: ...
    """
    if _parsed_services(text) is not None:   # parsed, with a SERVICE: running it would call out
        return
    try:
        result = _empty_store().query(text, prefixes=PREFIXES)
        del result
    except SyntaxError as exc:
        raise syntax_error(exc, text) from None


def syntax_error(exc: Exception, text: str) -> QueryError:
    """A QueryError naming the line and column of a pyoxigraph SyntaxError, with the line shown.

    An update is no syntax error: it is :class:`~kg.errors.QueryRefused`, since kg's
    queries only read. A text that starts (after its prologue) with no query form gets
    that said at the place of its first word, not pyoxigraph's guess.

    >>> syntax_error(SyntaxError("error at 1:10: expected CONSTRUCT"), "SELEKT ?x WHERE { }")
    QuerySyntaxError("SPARQL syntax error at line 1, column 1: expected SELECT, CONSTRUCT, ASK or DESCRIBE, found 'SELEKT'\\n  SELEKT ?x WHERE { }\\n  ^")
    >>> syntax_error(SyntaxError("error at 1:10: expected CONSTRUCT"), "LOAD <http://example.org/data.ttl>")
    QueryRefused('kg query only reads; SPARQL Update is not run (LOAD is an update operation)')
    """
    keyword = update_keyword(text)
    if keyword:
        return QueryRefused(update_not_run(keyword))
    message = str(exc)
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    well_formed, first = _first_word(tokens(text))
    if well_formed and (first is None or not first.keyword(*FORMS)):
        offset = first.start if first is not None else len(text.rstrip())
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        found = repr(first.text) if first is not None else "the end of the query"
        what = f"expected SELECT, CONSTRUCT, ASK or DESCRIBE, found {found}"
    elif match:
        line, column, what = int(match[1]), int(match[2]), " ".join(match[3].split())
    else:
        return QuerySyntaxError(f"SPARQL syntax error: {message}")
    if what.startswith("expected one of") and len(what) > 120:
        what = what[:117] + "..."
    lines = text.splitlines()
    shown = ""
    if 1 <= line <= len(lines):
        shown = f"\n  {lines[line - 1]}\n  {' ' * max(0, column - 1)}^"
    return QuerySyntaxError(f"SPARQL syntax error at line {line}, column {column}: {what}{shown}")


def _first_word(toks: tuple[Token, ...]) -> tuple[bool, Token | None]:
    """Whether the prologue (``BASE``, ``PREFIX`` declarations) is well formed, and the first
    token after it (None when there is none)."""
    i = 0
    while i < len(toks):
        if toks[i].keyword("BASE"):
            if i + 1 >= len(toks) or toks[i + 1].kind != "iri":
                return False, None
            i += 2
        elif toks[i].keyword("PREFIX"):
            if (i + 2 >= len(toks) or toks[i + 1].kind != "word" or not toks[i + 1].text.endswith(":")
                    or toks[i + 2].kind != "iri"):
                return False, None
            i += 3
        else:
            return True, toks[i]
    return True, None


def update_keyword(text: str) -> str | None:
    """The keyword an update starts with (``INSERT``, ``LOAD``...), None for anything else.

    >>> update_keyword("PREFIX ex: <http://example.org/>  # a comment\\nINSERT DATA { ex:a ex:b ex:c }")
    'INSERT'
    >>> update_keyword('SELECT ?x WHERE { BIND("DROP ALL" AS ?x) }') is None
    True
    """
    _, first = _first_word(tokens(text))
    if first is not None and first.keyword(*UPDATE_KEYWORDS):
        return first.text.upper()
    return None


def update_not_run(keyword: str) -> str:
    """What kg says when asked to run an update."""
    return f"kg query only reads; SPARQL Update is not run ({keyword} is an update operation)"


def check_runnable(text: str, *, allow_service: bool = False) -> None:
    """Refuse what a query of kg never runs: an update, and, unless ``allow_service``, a query
    calling other servers through SERVICE. Nothing runs before this says yes.

    >>> check_runnable("SELECT * WHERE { ?s ?p ?o }  # SERVICE <http://example.org/> is only a comment")
    >>> check_runnable("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    kg.errors.ServiceRefused: the query calls <http://example.org/sparql> through SERVICE, and kg sends no requests to other servers unless federation is allowed
    >>> check_runnable("CLEAR ALL")
    Traceback (most recent call last):
    kg.errors.QueryRefused: kg query only reads; SPARQL Update is not run (CLEAR is an update operation)
    """
    keyword = update_keyword(text)
    if keyword:
        raise QueryRefused(update_not_run(keyword))
    if not allow_service:
        called = services(text)
        if called:
            raise ServiceRefused(f"the query calls {', '.join(called)} through SERVICE, and kg sends "
                                 "no requests to other servers unless federation is allowed")


def services(text: str) -> tuple[str, ...]:
    """The endpoints a query's SERVICE clauses call (``<IRI>``, ``prefix:name`` or ``?var``), in order.

    Found in the parse tree (rdflib's SPARQL grammar), so ``SERVICE`` in a comment or a
    string calls nothing; a text without the keyword is not parsed at all. When the
    grammar does not take the text, the keyword and the term after it are trusted.

    >>> services('SELECT * WHERE { SERVICE SILENT <http://example.org/a> { ?s ?p ?o } SERVICE ?where { } }')
    ('<http://example.org/a>', '?where')
    >>> services('SELECT ?x WHERE { BIND("SERVICE <http://example.org/a> {}" AS ?x) }')
    ()
    """
    parsed = _parsed_services(text)
    if parsed is not None:
        return parsed
    toks = tokens(text)
    called = []
    for i, tok in enumerate(toks):
        if tok.keyword("SERVICE"):
            rest = [t for t in toks[i + 1:i + 3] if not t.keyword("SILENT")]
            called.append(rest[0].text if rest else "SERVICE")
    return tuple(called)


@functools.lru_cache(maxsize=256)
def _parsed_services(text: str) -> tuple[str, ...] | None:
    """The SERVICE targets of a query that has the keyword and parses; None otherwise."""
    if not any(tok.keyword("SERVICE") for tok in tokens(text)):
        return None
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(text)
    except Exception:  # noqa: BLE001 - pyparsing's and rdflib's errors: the tokens decide
        return None
    return _service_targets(parsed)


#: what the endpoint says when it refuses an update
UPDATE_REFUSED = ("SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP...) is refused: "
                  "this endpoint is read-only")
SERVICE_REFUSED = "SERVICE is refused: this endpoint makes no requests to other servers"
_RDFLIB_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
                 "DescribeQuery": "DESCRIBE"}


@functools.lru_cache(maxsize=1024)
def check_read_only(text: str) -> str:
    """The form of a query that only reads; :class:`~kg.errors.QueryRefused` for updates and
    SERVICE, :class:`~kg.errors.BadQuery` when it does not parse.

    The query is parsed (by rdflib's SPARQL grammar), so only a real SERVICE clause
    counts, not the word in a comment or a string.

    >>> check_read_only("ASK { ?s ?p ?o }  # SERVICE <http://example.org/> is only a comment")
    'ASK'
    >>> check_read_only("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    kg.errors.QueryRefused: SERVICE is refused: this endpoint makes no requests to other servers
    >>> check_read_only("LOAD <http://example.org/data.ttl>")
    Traceback (most recent call last):
    kg.errors.QueryRefused: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP...) is refused: this endpoint is read-only
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except ParseException:
            raise BadQuery(f"malformed query: {exc}") from None
        raise QueryRefused(UPDATE_REFUSED) from None
    except Exception as exc:  # noqa: BLE001 - rdflib raises other errors on odd input
        raise BadQuery(f"malformed query: {exc}") from None
    if _service_targets(parsed):
        raise QueryRefused(SERVICE_REFUSED)
    return _RDFLIB_FORMS[parsed[1].name]


def _service_targets(node: Any) -> tuple[str, ...]:
    """The targets of the SERVICE patterns in a parsed query (rdflib's parse tree), in order."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef, Variable

    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                term = item.get("term")
                if isinstance(term, URIRef):
                    found.append(f"<{term}>")
                elif isinstance(term, Variable):
                    found.append(f"?{term}")
                elif isinstance(term, CompValue) and term.name == "pname":
                    found.append(f"{term.get('prefix') or ''}:{term.get('localname') or ''}")
                else:
                    found.append(str(term))
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(reversed(list(item)))
    return tuple(found)
