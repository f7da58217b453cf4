"""Reading article files and their metadata into plain dataclasses.

An article is a UTF-8 text file in ``seeds/``. It may open with a date header on
the same line as the text (`` date 2020-03-04 Vladimir Putin and ...``). Beside it,
an optional sidecar ``<stem>.yaml`` gives what the text does not: the publisher,
the date when there is no header (with how it was established), and the curated
facts (read by :mod:`kg.facts`).

Photo captions are not article text: a line that opens with "Open this photo in
gallery", a caption printed twice (the second time with its credit), and a bare
photo credit such as ``(Enes Danis / TRTWorld)`` are dropped from ``Article.text``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..dates import PartialDate
from ..errors import InputError, Problem

_HEADER = re.compile(r"^\s*date\s+(?P<token>\d\S*)\s*", re.ASCII)
_GALLERY = re.compile(r"^\s*Open this photo in gallery\b")
_CREDIT = re.compile(r"^\s*\([^()]{2,80}/[^()]{2,80}\)\s*$")
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Article:
    """One article: its id (the file stem), clean text and what is known about it."""

    id: str
    path: Path
    text: str
    sha256: str
    date: PartialDate | None = None
    date_basis: str | None = None
    title: str | None = None
    publisher: str | None = None
    publisher_basis: str | None = None
    dropped: tuple[str, ...] = field(default=(), repr=False)

    @property
    def normalized_text(self) -> str:
        """The text with every run of whitespace collapsed to one space (quotes are matched on it)."""
        return normalize_space(self.text)

    def contains(self, quote: str) -> bool:
        """True when the quote occurs verbatim in the article (whitespace differences tolerated)."""
        q = normalize_space(quote)
        return bool(q) and q in self.normalized_text


def normalize_space(text: str) -> str:
    """Collapse whitespace runs to single spaces and trim.

    >>> normalize_space("  a\\n\\n b\\u00a0c ")
    'a b c'
    """
    return _WS.sub(" ", text).strip()


def read_article(path: Path, *, display: str | None = None, meta: dict | None = None) -> Article:
    """Read one article file; ``meta`` is the ``article:`` mapping of its sidecar, if any.

    Raises :class:`InputError` (naming the file and line) for an empty file, a binary
    file (NUL bytes), bytes that are not UTF-8, or a malformed date header.
    """
    shown = display or str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError("cannot read the article", [Problem(str(exc.strerror), shown)]) from None
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        raise InputError("article is binary, not text",
                         [Problem(f"a NUL byte at offset {offset}; an article is UTF-8 text", shown,
                                  raw[:offset].count(b"\n") + 1)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            "article is not UTF-8 text",
            [Problem(f"invalid byte 0x{raw[exc.start]:02x} at offset {exc.start}; "
                     "re-save the file as UTF-8", shown, line)],
        ) from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError("article is empty", [Problem("the file holds no text", shown, 1)])

    header_date = None
    match = _HEADER.match(text)
    if match:
        try:
            header_date = PartialDate.read(match["token"])
            problem = None if header_date.precision == "day" else f"{match['token']!r} is not a day"
        except ValueError as exc:
            problem = str(exc)
        if problem is not None:
            raise InputError("malformed date header",
                             [Problem(f"'date {match['token']}': {problem}; write ' date YYYY-MM-DD' "
                                      "before the text", shown, 1)])
        text = text[match.end():]

    text, dropped = _drop_captions(text)
    if not text.strip():
        raise InputError("article is empty", [Problem("no text after the header and captions", shown, 1)])

    meta = meta or {}
    date, basis = header_date, "header" if header_date else None
    if meta.get("date") is not None:
        date_line = meta.line_of("date") if hasattr(meta, "line_of") else None
        try:
            meta_date = PartialDate.read(meta["date"])
        except ValueError as exc:
            raise InputError("malformed date in article metadata",
                             [Problem(str(exc), shown + "(sidecar)", date_line)]) from None
        if header_date and meta_date != header_date:
            raise InputError(
                "conflicting dates",
                [Problem(f"the sidecar says {meta_date} but the article header says {header_date}",
                         shown, 1)],
            )
        if not header_date:
            date = meta_date
            basis = str(meta.get("date_basis") or "").strip()
            if not basis:
                raise InputError(
                    "a date without its basis",
                    [Problem("the sidecar gives a date but no 'date_basis' saying how it was "
                             "established; never invent a date silently", shown, date_line)],
                )

    return Article(
        id=Path(path).stem,
        path=Path(path),
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        date=date,
        date_basis=basis,
        title=_opt(meta.get("title")),
        publisher=_opt(meta.get("publisher")),
        publisher_basis=_opt(meta.get("publisher_basis")),
        dropped=tuple(dropped),
    )


def _opt(value) -> str | None:
    return str(value).strip() if value is not None and str(value).strip() else None


def _drop_captions(text: str) -> tuple[str, list[str]]:
    """Remove photo-caption debris; return the clean text and the dropped lines."""
    lines = text.split("\n")
    keep: list[str] = []
    dropped: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if _GALLERY.match(line) or _CREDIT.match(line):
            dropped.append(stripped)
        elif stripped and len(stripped) > 20 and nxt.startswith(stripped) and nxt != stripped:
            # A caption printed twice, the second time followed by its credit.
            dropped.extend([stripped, nxt])
            i += 1
        else:
            keep.append(line)
        i += 1
    return "\n".join(keep), dropped
