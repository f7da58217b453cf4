"""Dates as the articles give them: a day, a month or only a year — one type for all of kg.

A curator writes ``date: 2020-03`` when the article says "in March 2020"; an analyst asks
for relations ``--from 2020 --to 2020-06``. :class:`PartialDate` keeps the precision it
was written with and knows the days it covers, so every comparison in kg (the network's
date window, the map's slider, GEXF time intervals, XSD datatypes) is made the same way:
a partial date covers its whole month or year.

>>> d = PartialDate.parse("2020-02")
>>> d.precision, str(d), d.first_day(), d.last_day()
('month', '2020-02', datetime.date(2020, 2, 1), datetime.date(2020, 2, 29))
>>> PartialDate.parse("2020").overlaps(PartialDate.parse("2020-06-30"), None)
True
>>> PartialDate.parse("2021-02-29")
Traceback (most recent call last):
ValueError: '2021-02-29' does not exist: February 2021 has 28 days
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass
from typing import Literal

Precision = Literal["year", "month", "day"]

_SHAPE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
#: the XSD datatype (local name) of each precision
XSD_TYPES: dict[str, str] = {"day": "date", "month": "gYearMonth", "year": "gYear"}


@dataclass(frozen=True)
class PartialDate:
    """A calendar date known to the day, the month or the year.

    Instances sort by the first day they cover, then by precision (a year before its
    January, a month before its first day), and print as ISO 8601 text.

    >>> sorted(PartialDate.parse(t) for t in ("2020-03-01", "2020", "2020-03"))
    [PartialDate(year=2020, month=None, day=None), PartialDate(year=2020, month=3, day=None), \
PartialDate(year=2020, month=3, day=1)]
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a date with a day needs a month")
        _dt.date(self.year, self.month or 1, self.day or 1)  # raises ValueError when impossible

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """``"2020-03-04"``, ``"2020-03"`` or ``"2020"``; :class:`ValueError` for anything else."""
        match = _SHAPE.match(str(text).strip())
        if match is None:
            raise ValueError(f"{text!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r} is not a date: there is no month {month}")
        if day is not None and month is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise ValueError(f"{text!r} does not exist: {calendar.month_name[month]} {year} has "
                             f"{calendar.monthrange(year, month)[1]} days")
        return cls(year, month, day)

    @classmethod
    def read(cls, value: object) -> PartialDate:
        """A date from what YAML or a user gives (text, a ``datetime.date``, a year as int);
        :class:`ValueError` saying what is wrong otherwise.

        >>> str(PartialDate.read(2020)), str(PartialDate.read(_dt.date(2020, 1, 2)))
        ('2020', '2020-01-02')
        """
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, _dt.datetime):
            value = value.date()
        if isinstance(value, _dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, bool) or value is None:
            raise ValueError(f"{value!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
        return cls.parse(str(value))

    @classmethod
    def coerce(cls, value: object) -> PartialDate | None:
        """:meth:`read`, or None when the value is not a date.

        >>> PartialDate.coerce(2020), PartialDate.coerce("2020-13"), str(PartialDate.coerce(_dt.date(2020, 1, 2)))
        (PartialDate(year=2020, month=None, day=None), None, '2020-01-02')
        """
        try:
            return cls.read(value)
        except ValueError:
            return None

    @property
    def precision(self) -> Precision:
        return "day" if self.day is not None else "month" if self.month is not None else "year"

    @property
    def xsd_type(self) -> str:
        """The XSD datatype's local name: ``date``, ``gYearMonth`` or ``gYear``."""
        return XSD_TYPES[self.precision]

    def first_day(self) -> _dt.date:
        """The first day the date covers."""
        return _dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> _dt.date:
        """The last day the date covers (``2020-02`` -> 2020-02-29)."""
        if self.day is not None:
            return self.first_day()
        month = self.month or 12
        return _dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def overlaps(self, start: PartialDate | None, end: PartialDate | None) -> bool:
        """True when some day of this date lies in the window from ``start``'s first day to
        ``end``'s last day (an open end when None)."""
        return (start is None or self.last_day() >= start.first_day()) and \
            (end is None or self.first_day() <= end.last_day())

    def is_after(self, other: PartialDate) -> bool:
        """True when this date begins after ``other`` ends (a window from this to ``other`` is empty).

        >>> PartialDate.parse("2021").is_after(PartialDate.parse("2020-06")), \
PartialDate.parse("2020-06").is_after(PartialDate.parse("2020"))
        (True, False)
        """
        return self.first_day() > other.last_day()

    def _key(self) -> tuple[_dt.date, int]:
        return (self.first_day(), ("year", "month", "day").index(self.precision))

    def __lt__(self, other: PartialDate) -> bool:
        return self._key() < other._key()

    def __le__(self, other: PartialDate) -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: PartialDate) -> bool:
        return self._key() > other._key()

    def __ge__(self, other: PartialDate) -> bool:
        return self._key() >= other._key()

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text


def parse_optional(text: str | None) -> PartialDate | None:
    """:meth:`PartialDate.parse` that passes None through (for optional options).

    >>> parse_optional(None), str(parse_optional("2021"))
    (None, '2021')
    """
    return None if text is None else PartialDate.parse(text)


def span(text: str) -> tuple[str, str]:
    """The first and last day an ISO date text covers, as ISO text (what the map's slider compares).

    >>> span("2020"), span("2020-02-03")
    (('2020-01-01', '2020-12-31'), ('2020-02-03', '2020-02-03'))
    """
    date = PartialDate.parse(text)
    return date.first_day().isoformat(), date.last_day().isoformat()
