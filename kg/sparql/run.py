"""Running a query: parameters bound, a limit applied, the syntax checked, results formatted, time bounded.

>>> import pyoxigraph as ox
>>> kg = lambda name: ox.NamedNode("https://w3id.org/conflict-kg/" + name)
>>> store = ox.Store()
>>> store.add(ox.Quad(kg("Turkey"), kg("backs"), kg("FailaqAlSham"), kg("graph/facts")))
>>> from kg.sparql.engines import OxigraphEngine
>>> engine = OxigraphEngine(store)
>>> select(engine, "SELECT ?p WHERE { ?p kg:backs ?g }", {"g": "kg:FailaqAlSham"})
(['p'], [(<NamedNode value=https://w3id.org/conflict-kg/Turkey>,)])
>>> ask(engine, "ASK { kg:FailaqAlSham kg:backs ?g }")
False
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from ..errors import QueryError, QuerySyntaxError, QueryTimeout, UsageError
from .engines import Engine, evaluation_error
from .formats import FORMATS, GRAPH_FORMATS, RESULT_FORMATS, Output, format_result
from .library import Query
from .params import bind_params
from .text import GRAPH_FORMS, bind, check_runnable, check_syntax, query_form, with_limit

if TYPE_CHECKING:
    import pyoxigraph as ox

    from .formats import Result

    Row: TypeAlias = tuple[ox.NamedNode | ox.BlankNode | ox.Literal | None, ...]

T = TypeVar("T")


def prepare(query: Query, params: dict[str, str], engine: Engine, limit: int | None = None, *,
            allow_service: bool = False) -> tuple[str, str]:
    """The text to run and its form: parameters bound, limit applied.

    An update is refused first, and so is a query calling SERVICE unless
    ``allow_service`` (:func:`~kg.sparql.text.check_runnable`): nothing has run yet.
    The syntax is checked here, against the text the user wrote, unless the engine
    reports syntax errors itself (then :func:`execute` checks the user's text on failure).

    >>> prepare(Query("SELECT ?g WHERE { ?p kg:backs ?g }"), {"p": "kg:Turkey"}, Engine(), limit=5)
    ('SELECT ?g WHERE { VALUES (?p) { (<https://w3id.org/conflict-kg/Turkey>) } ?p kg:backs ?g }\\nLIMIT 5', 'SELECT')
    """
    text = query.text
    check_runnable(text, allow_service=allow_service)
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


def execute(engine: Engine, query: Query, text: str, form: str, timeout: float | None = None) -> Result:
    """Run prepared text; a syntax error is reported at its place in the text the user wrote."""
    try:
        return engine.execute(text, form, timeout)
    except QuerySyntaxError:
        if text != query.text:
            check_syntax(query.text)
        raise


def run(engine: Engine, query: Query | str, *, params: dict[str, str] | None = None,
        fmt: str | None = "json", limit: int | None = None, timeout: float | None = None,
        default_format: str = "table", allow_service: bool = False) -> Output:
    """Run a query and format its results; the whole run is bounded by ``timeout`` seconds.

    ``fmt=None`` means ``default_format`` for SELECT/ASK and Turtle for CONSTRUCT/DESCRIBE.
    A query calling SERVICE runs only with ``allow_service`` (then a SERVICE that fails
    is a :class:`~kg.errors.ServiceError`).

    >>> from kg.sparql.engines import OxigraphEngine
    >>> from kg.store import memory_store_from_nquads
    >>> engine = OxigraphEngine(memory_store_from_nquads('<https://w3id.org/conflict-kg/Turkey> '
    ...     '<https://w3id.org/conflict-kg/backs> <https://w3id.org/conflict-kg/FailaqAlSham> '
    ...     '<https://w3id.org/conflict-kg/graph/facts> .'))
    >>> output = run(engine, "SELECT ?g WHERE { ?p kg:backs ?g }", params={"p": "kg:Turkey"}, fmt="csv")
    >>> output.data, output.form
    (b'g\\r\\nhttps://w3id.org/conflict-kg/FailaqAlSham\\r\\n', 'SELECT')
    >>> run(engine, "CONSTRUCT WHERE { ?p kg:backs ?g }", fmt=None).data.decode().splitlines()[-1]
    'kg:Turkey kg:backs kg:FailaqAlSham .'
    >>> run(engine, "ASK {}", fmt="turtle")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.UsageError: an ASK query gives results, not a graph: choose a format of table, csv, ...
    """
    query = Query(query) if isinstance(query, str) else query
    text, form = prepare(query, params or {}, engine, limit, allow_service=allow_service)
    graph = form in GRAPH_FORMS
    if fmt is None:
        fmt = "turtle" if graph else default_format
    if fmt not in FORMATS:
        raise UsageError(f"format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if graph and fmt in RESULT_FORMATS and fmt not in ("table", "markdown"):
        raise UsageError(f"a {form} query gives a graph: choose a format of {', '.join(GRAPH_FORMATS)}")
    if not graph and fmt in GRAPH_FORMATS:
        raise UsageError(f"{'an' if form == 'ASK' else 'a'} {form} query gives results, not a graph: "
                         f"choose a format of {', '.join(RESULT_FORMATS)}")
    if graph and fmt in ("table", "markdown"):
        fmt = "turtle"
    chosen = fmt

    def work() -> Output:
        result = execute(engine, query, text, form, timeout)
        try:   # pyoxigraph evaluates as the results are read
            return format_result(result, form, chosen, engine)
        except (OSError, RuntimeError) as exc:
            raise evaluation_error(exc, text) from None

    return with_timeout(work, timeout)


def with_timeout(work: Callable[[], T], timeout: float | None) -> T:
    """``work()``, or :class:`~kg.errors.QueryTimeout` when it takes over ``timeout`` seconds.

    The work runs in a daemon thread, which cannot be stopped: past the limit it is
    abandoned (a command that then exits ends it).

    >>> with_timeout(lambda: 42, 1.0)
    42
    >>> import time
    >>> with_timeout(lambda: time.sleep(1), 0.05)
    Traceback (most recent call last):
    kg.errors.QueryTimeout: the query did not finish within 0.05 s
    """
    if not timeout:
        return work()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=target, name="kg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryTimeout(f"the query did not finish within {timeout:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def select(engine: Engine, query: Query | str, params: dict[str, str] | None = None,
           limit: int | None = None, *, allow_service: bool = False) -> tuple[list[str], list[Row]]:
    """A SELECT query's variables and rows of pyoxigraph terms (None when unbound)."""
    query = Query(query) if isinstance(query, str) else query
    text, form = prepare(query, params or {}, engine, limit, allow_service=allow_service)
    if form != "SELECT":
        raise UsageError(f"select() runs SELECT queries, not {form}")
    result = execute(engine, query, text, form)
    names = [v.value for v in result.variables]  # type: ignore[union-attr]
    try:
        return names, [tuple(row[i] for i in range(len(names))) for row in result]  # type: ignore[union-attr]
    except (OSError, RuntimeError) as exc:
        raise evaluation_error(exc, text) from None


def ask(engine: Engine, query: Query | str, params: dict[str, str] | None = None, *,
        allow_service: bool = False) -> bool:
    """An ASK query's answer."""
    query = Query(query) if isinstance(query, str) else query
    text, form = prepare(query, params or {}, engine, allow_service=allow_service)
    return bool(execute(engine, query, text, form))
