"""One exception root for kg, and the exit code each kind of failure maps to.

Library code raises these and never prints or exits; the CLI turns them into a
message on stderr and the exit code below (the pySHACL contract: 0 ok,
1 violations found, 2 bad input or usage, 3 an outside service failed).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can.

    >>> str(Problem("unknown actor 'Narnia'", "seeds/a.yaml", 12))
    "seeds/a.yaml:12: unknown actor 'Narnia'"
    """

    message: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.message}" if where else self.message


class KgError(Exception):
    """The root of every error kg raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])

    def __str__(self) -> str:
        head = self.args[0]
        if not self.problems:
            return head
        return head + "\n" + "\n".join(f"  {p}" for p in self.problems)


class InputError(KgError):
    """An input file (article, catalogue, facts) cannot be read or parsed."""

    exit_code = 2


class ValidationError(KgError):
    """The inputs parse, but break a rule: a quote not in its article, an unknown actor, a SHACL violation."""

    exit_code = 1


class ExtractionFailed(KgError):
    """The extractor failed on an article (a bug to report): the article's file and line are given."""

    exit_code = 2


class UsageError(KgError):
    """The user asked for something that does not exist (an unknown query, actor or format)."""

    exit_code = 2


class QueryError(KgError):
    """A SPARQL query is malformed or failed to run."""

    exit_code = 2


class ServiceError(KgError):
    """An outside service (a SPARQL endpoint, a triplestore) failed or could not be reached."""

    exit_code = 3


class OutputError(KgError):
    """An output cannot be written where the user asked (no such folder, no permission, disk full)."""

    exit_code = 2


# ---------------------------------------------------------------- SPARQL queries and the endpoint
# Each carries the HTTP status the SPARQL endpoint (kg.server) answers it with.


class BadQuery(QueryError):
    """A malformed query, or a request that does not carry exactly one (HTTP 400)."""

    http_status = 400


class QuerySyntaxError(BadQuery):
    """The query is not SPARQL 1.1; the message gives the line and column."""


class QueryRefused(QueryError):
    """A query kg will not run on its read-only graph: SPARQL Update (and so LOAD), SERVICE (HTTP 403)."""

    http_status = 403


class QueryTimeout(QueryError):
    """A query ran past its time limit and was given up (HTTP 503)."""

    http_status = 503


class NotAcceptable(UsageError):
    """No format the client accepts can carry the query's results (HTTP 406)."""

    http_status = 406


class RequestTooLarge(UsageError):
    """A request body over the endpoint's limit (HTTP 413)."""

    http_status = 413


class UnsupportedMediaType(UsageError):
    """A request body in a media type the endpoint does not read (HTTP 415)."""

    http_status = 415


class ServiceRefused(QueryRefused):
    """A query that calls another server (SERVICE) where federation is not allowed (HTTP 403)."""


class ServerBusy(QueryError):
    """The endpoint has no worker for a query now: its queue is full, or the query waited too long
    for a worker (HTTP 503 with ``Retry-After``: the seconds after which a retry should get one)."""

    http_status = 503

    def __init__(self, message: str, retry_after: int = 1):
        super().__init__(message)
        self.retry_after = retry_after

    def __reduce__(self):
        return type(self), (self.args[0], self.retry_after)
