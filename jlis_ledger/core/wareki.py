"""和暦 (the Japanese eras): one table for the whole package, with 元年, boundary checks and the 年度 rule.

The table (:data:`ERAS`) gives each era its name, the letter that tools such as
弥生会計 write (``R.05/03/31``), the Gregorian year of its first year (元年) and
its first and last days::

    >>> to_date("R", 1, 5, 1)               # 令和元年5月1日
    datetime.date(2019, 5, 1)
    >>> to_date("平成", 31, 5, 1)            # 平成 had ended on 2019-04-30
    Traceback (most recent call last):
    ValueError: 平成 ran from 1989-01-08 to 2019-04-30; 2019-05-01 is 令和元年5月1日
    >>> japanese_date(datetime.date(2019, 4, 30))
    '平成31年4月30日'
    >>> fiscal_year_name(2019), fiscal_year_name(1988), short_year_name(2019)
    ('令和元年度', '昭和63年度', 'R元')

Rules:

- the first year of an era is 元年 (``year_text(1) == "元"``); a date is valid in
  an era only between the era's first and last day (H31/05/01, R01/04/30 and
  S64/01/08 are errors, H31/04/30, R01/05/01 and S64/01/07 are not);
- a calendar year is named by the era in force on its last day (2019 is
  令和元年, 1988 is 昭和63年: 平成 began in 1989), and a 年度 (fiscal year) by
  the calendar year it begins in: FY2019 (2019-04-01 .. 2020-03-31) is
  令和元年度, FY1988 is 昭和63年度, never 平成0年度;
- 明治 dates are Gregorian only from 明治6年1月1日 (1873-01-01), when Japan
  adopted the Gregorian calendar; earlier dates are refused.

Standard library only.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple


class Era(NamedTuple):
    """An era: its name, letter, the Gregorian year of its 元年, and its first and last (inclusive) day."""

    name: str
    letter: str
    first_year: int
    first_day: datetime.date
    last_day: datetime.date | None  # None: the era in force

    def year_of(self, gregorian_year: int) -> int:
        """The era year of a Gregorian year (1 for 元年)."""
        return gregorian_year - self.first_year + 1

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, datetime.date):
            return False
        return self.first_day <= day and (self.last_day is None or day <= self.last_day)


#: The eras since the Gregorian calendar, oldest first (明治 from 1873-01-01, see the module docstring).
ERAS: tuple[Era, ...] = (
    Era("明治", "M", 1868, datetime.date(1873, 1, 1), datetime.date(1912, 7, 29)),
    Era("大正", "T", 1912, datetime.date(1912, 7, 30), datetime.date(1926, 12, 24)),
    Era("昭和", "S", 1926, datetime.date(1926, 12, 25), datetime.date(1989, 1, 7)),
    Era("平成", "H", 1989, datetime.date(1989, 1, 8), datetime.date(2019, 4, 30)),
    Era("令和", "R", 2019, datetime.date(2019, 5, 1), None),
)
_BY_KEY = {key: era for era in ERAS for key in (era.name, era.letter, era.letter.lower())}
#: The era names and letters, for patterns (``"明治|大正|昭和|平成|令和"``, ``"MTSHR"``).
NAMES = "|".join(era.name for era in ERAS)
LETTERS = "".join(era.letter for era in ERAS)


def era(key: str | Era) -> Era:
    """The era of a name (``令和``) or letter (``R``, ``r``); ValueError if there is none."""
    if isinstance(key, Era):
        return key
    found = _BY_KEY.get(key)
    if found is None:
        raise ValueError(f"unknown era {key!r} (one of {', '.join(e.name + '/' + e.letter for e in ERAS)})")
    return found


def era_on(day: datetime.date) -> Era:
    """The era in force on a day; ValueError before 1873-01-01 (明治6年1月1日, see the module docstring)."""
    for candidate in reversed(ERAS):
        if day >= candidate.first_day:
            return candidate
    raise ValueError(f"{day} is before 1873-01-01 (明治6年1月1日), when Japan adopted the Gregorian calendar")


def year_text(number: int) -> str:
    """``元`` for the first year of an era, else the number."""
    return "元" if number == 1 else str(number)


def japanese_date(day: datetime.date) -> str:
    """``令和5年3月31日``."""
    found = era_on(day)
    return f"{found.name}{year_text(found.year_of(day.year))}年{day.month}月{day.day}日"


def to_date(key: str | Era, year: int, month: int, day: int) -> datetime.date:
    """The Gregorian date of an era date (year 1 = 元年); ValueError when it does not exist or lies outside the era."""
    found = era(key)
    if year < 1:
        raise ValueError(f"era years start at 1 (元年), not {year}")
    try:
        result = datetime.date(found.first_year + year - 1, month, day)
    except ValueError:
        raise ValueError(f"no such day ({found.name}{year_text(year)}年{month}月{day}日)") from None
    if result not in found:
        if found.last_day is None:
            span = f"{found.name} began on {found.first_day}"
        else:
            span = f"{found.name} ran from {found.first_day} to {found.last_day}"
        if result >= ERAS[0].first_day:
            raise ValueError(f"{span}; {result} is {japanese_date(result)}")
        raise ValueError(f"{span}; {result} is before Japan adopted the Gregorian calendar")
    return result


def calendar_year_era(year: int) -> tuple[Era, int]:
    """The era and era year naming a calendar year: the era in force on its last day (2019 → 令和, 1)."""
    found = era_on(datetime.date(year, 12, 31))
    return found, found.year_of(year)


def year_name(year: int) -> str:
    """The name of a calendar year: ``令和元年`` for 2019, ``昭和63年`` for 1988."""
    found, number = calendar_year_era(year)
    return f"{found.name}{year_text(number)}年"


def fiscal_year_name(year: int) -> str:
    """The name of the 年度 that begins in ``year``: ``令和元年度`` for 2019, ``昭和63年度`` for 1988."""
    return year_name(year) + "度"


def short_year_name(year: int) -> str:
    """The short form of a year's name, as tables print it: ``R元`` for 2019, ``R4`` for 2022, ``H26`` for 2014."""
    found, number = calendar_year_era(year)
    return f"{found.letter}{year_text(number)}"
