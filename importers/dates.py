"""Dates as accounting tools write them: 西暦 spellings read by python-dateutil, 和暦 through the package's era table.

Each importer accepts the forms its product writes (:data:`YAYOI`, :data:`FREEE`, …)::

    >>> parse("R.05/03/31", YAYOI), parse("平成27年4月1日", FREEE), parse("20230331", BUGYO)
    (datetime.date(2023, 3, 31), datetime.date(2015, 4, 1), datetime.date(2023, 3, 31))

- 西暦: ``2023/03/31`` / ``2023/3/1`` (``y/m/d``), ``2023-03-31`` (``y-m-d``),
  ``20230331`` (``ymd``), ``2023年3月31日`` (``y年m月d日``). The shape is checked
  first (python-dateutil alone would read ``31`` as "the 31st of this month"),
  then python-dateutil reads the date and rejects days that do not exist;
- 和暦: ``R.05/03/31``, ``R05/3/31``, ``H31/04/30`` (``era-letter``; M, T, S, H,
  R) and ``令和5年3月31日``, ``令和元年5月1日`` (``era-name``), converted by
  :func:`jlis_ledger.core.wareki.to_date`, which refuses a date outside its era
  (``H31/05/01``, ``R01/04/30``, ``S64/01/08``).

:func:`parse` raises ``ValueError`` with a message that names the problem; the
importers add the file, row and column.
"""

from __future__ import annotations

import datetime
import re

from dateutil import parser as dateutil_parser

from jlis_ledger.core import wareki

_SEIREKI = {
    "y/m/d": re.compile(r"\d{4}/\d{1,2}/\d{1,2}"),
    "y-m-d": re.compile(r"\d{4}-\d{1,2}-\d{1,2}"),
    "ymd": re.compile(r"\d{8}"),
    "y年m月d日": re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"),
}
_WAREKI = {
    "era-letter": re.compile(rf"([{wareki.LETTERS}])\.?(\d{{1,2}})/(\d{{1,2}})/(\d{{1,2}})"),
    "era-name": re.compile(rf"({wareki.NAMES})(元|\d{{1,2}})年(\d{{1,2}})月(\d{{1,2}})日"),
}
EXAMPLES = {"y/m/d": "2023/03/31", "y-m-d": "2023-03-31", "ymd": "20230331", "y年m月d日": "2023年3月31日",
            "era-letter": "R05/03/31", "era-name": "令和5年3月31日"}

#: The forms each product writes.
YAYOI = ("y/m/d", "ymd", "era-letter")
FREEE = ("y/m/d", "y-m-d", "y年m月d日", "era-name")
MONEYFORWARD = ("y/m/d", "y-m-d")
BUGYO = ("y/m/d", "ymd", "y-m-d")
GENERIC = ("y-m-d", "y/m/d")


def parse(text: str, forms: tuple[str, ...]) -> datetime.date:
    """The date of ``text`` in one of ``forms``; ValueError otherwise (a date outside its era included)."""
    for form in forms:
        pattern = _SEIREKI.get(form)
        if pattern is not None:
            if pattern.fullmatch(text):
                normalized = text.replace("年", "/").replace("月", "/").rstrip("日") if form == "y年m月d日" else text
                try:
                    return dateutil_parser.parse(normalized, yearfirst=True, dayfirst=False).date()
                except (ValueError, OverflowError):
                    raise ValueError(f"{text!r}: no such day") from None
            continue
        m = _WAREKI[form].fullmatch(text)
        if m:
            era, year, month, day = m.groups()
            try:
                return wareki.to_date(era, 1 if year == "元" else int(year), int(month), int(day))
            except ValueError as exc:
                raise ValueError(f"{text!r}: {exc}") from None
    raise ValueError(f"{text!r} is not a date (e.g. {', '.join(EXAMPLES[f] for f in forms)})")
