"""Periods and fiscal years (年度), as Fava's ``fiscal-year-end`` option defines them.

A ledger says when its fiscal year ends with Fava's option::

    2014-04-01 custom "fava-option" "fiscal-year-end" "15-31"

``MM-DD`` where a month above 12 falls in the next calendar year: ``15-31`` ends a year on March
31 of the year after the one it is named by, so FY2022 runs 2022-04-01 … 2023-03-31 (令和4年度).
With ``03-31`` Fava would name that same year FY2023.  Without the option, years are calendar
years (``12-31``).

    >>> fy = fiscal_year(2022, (15, 31))
    >>> (fy.start, fy.end, fy.japanese)
    (datetime.date(2022, 4, 1), datetime.date(2023, 3, 31), '令和4年度')
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from beancount.core import data
from dateutil.relativedelta import relativedelta

from jlis_ledger.core import wareki

#: Fava's default: calendar years.
CALENDAR = (12, 31)
ONE_DAY = datetime.timedelta(days=1)

class PeriodError(ValueError):
    """A fiscal year or period that cannot exist (year 10000, a malformed fiscal-year-end)."""


@dataclass(frozen=True)
class Period:
    """``start`` .. ``end``, both inclusive; ``year`` names the fiscal year it belongs to, if any."""

    start: datetime.date
    end: datetime.date
    year: int | None = None

    @property
    def end_exclusive(self) -> datetime.date:
        return self.end + ONE_DAY

    def __contains__(self, date: object) -> bool:
        return isinstance(date, datetime.date) and self.start <= date <= self.end


@dataclass(frozen=True)
class FiscalYear:
    """A fiscal year (年度): ``FiscalYear(2022, 2022-04-01, 2023-03-31)`` is 令和4年度."""

    year: int
    start: datetime.date
    end: datetime.date  # the last day, inclusive

    @property
    def end_exclusive(self) -> datetime.date:
        return self.end + ONE_DAY

    @property
    def japanese(self) -> str:
        """The 和暦 name: 令和4年度 (FY2019 is 令和元年度, FY1988 昭和63年度)."""
        return japanese_fiscal_year(self.start)

    def __contains__(self, date: object) -> bool:
        return isinstance(date, datetime.date) and self.start <= date <= self.end


def era_year(date: datetime.date) -> tuple[str, int]:
    """The era and the year within it of a date: ``("令和", 4)`` for 2022-04-01 (:mod:`.wareki`)."""
    try:
        era = wareki.era_on(date)
    except ValueError as error:
        raise PeriodError(str(error)) from None
    return era.name, era.year_of(date.year)


def fiscal_era_year(start: datetime.date) -> tuple[str, int]:
    """The era and year that name a 年度 starting on ``start`` (the 年度 rule of :mod:`.wareki`)."""
    try:
        era, year = wareki.calendar_year_era(start.year)
    except ValueError as error:
        raise PeriodError(str(error)) from None
    return era.name, year


def japanese_fiscal_year(start: datetime.date) -> str:
    """The 和暦 name of the fiscal year starting on ``start``: 令和4年度 (FY2019 is 令和元年度)."""
    return wareki.fiscal_year_name(start.year)


def japanese_date(date: datetime.date) -> str:
    """``令和5年3月31日``."""
    return wareki.japanese_date(date)


def parse_fiscal_year_end(value: str) -> tuple[int, int]:
    """Fava's ``MM-DD`` fiscal year end, where a month above 12 is in the next year."""
    try:
        month, day = (int(part) for part in str(value).split("-"))
        datetime.date(2000, (month - 1) % 12 + 1, day)  # a day that exists (29 February included)
    except (ValueError, TypeError):
        raise PeriodError(f"not a fiscal-year-end (MM-DD): {value!r}") from None
    if not 1 <= month <= 24:
        raise PeriodError(f"not a fiscal-year-end (MM-DD, month 1 to 24): {value!r}")
    return month, day


def fiscal_year_end_of(entries: Iterable[data.Directive]) -> tuple[int, int] | str:
    """Fava's ``fiscal-year-end`` option from the ledger: ``(month, day)``, or the bad value as a string."""
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == "fava-option":
            values = [v.value for v in entry.values]
            if len(values) == 2 and values[0] == "fiscal-year-end":
                try:
                    return parse_fiscal_year_end(str(values[1]))
                except PeriodError:
                    return str(values[1])
    return CALENDAR


def _last_day(year: int, fiscal_year_end: tuple[int, int]) -> datetime.date:
    month, day = fiscal_year_end
    first = datetime.date(year + (1 if month > 12 else 0), (month - 1) % 12 + 1, 1)
    return first + relativedelta(day=day)  # the day, or the month's last one (29 February in other years)


@functools.lru_cache(maxsize=4096)  # a pure function the plugins call per date: relativedelta is not cheap
def fiscal_year(year: int, fiscal_year_end: tuple[int, int] = CALENDAR) -> FiscalYear:
    """The fiscal year named ``year`` (Fava names a year by the calendar year it starts in when the
    end month is above 12, otherwise by the one it ends in)."""
    try:
        return FiscalYear(year, _last_day(year - 1, fiscal_year_end) + ONE_DAY, _last_day(year, fiscal_year_end))
    except (ValueError, OverflowError):
        raise PeriodError(f"fiscal year {year} is outside the calendar (years 2 to 9998)") from None


def fiscal_year_of(date: datetime.date, fiscal_year_end: tuple[int, int] = CALENDAR) -> FiscalYear:
    """The fiscal year a date falls in."""
    fy = fiscal_year(date.year, fiscal_year_end)
    if date < fy.start:
        return fiscal_year(date.year - 1, fiscal_year_end)
    if date > fy.end:
        return fiscal_year(date.year + 1, fiscal_year_end)
    return fy


__all__ = [
    "CALENDAR", "FiscalYear", "Period", "PeriodError", "era_year", "fiscal_era_year", "fiscal_year", "fiscal_year_end_of",
    "fiscal_year_of", "japanese_date", "japanese_fiscal_year", "parse_fiscal_year_end",
]
