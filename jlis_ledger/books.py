"""The books, loaded once: entries, errors, declared businesses, fiscal years, labels.

Everything else in the library (the check summary, the statements, the Fava
pages) reads a :class:`Books`; nothing reloads the ledger.

    >>> from jlis_ledger import books
    >>> b = books.load()                        # the bundled ledger/main.beancount
    >>> fy = b.fiscal_year(2022)                # 令和4年度: 2022-04-01 .. 2023-03-31
    >>> b.balances(end=fy.end_exclusive)        # {(account, currency): Decimal}
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from jlis_ledger.core.wareki import fiscal_year_name
from jlis_ledger.declarations import Business, business_of, read_businesses
from jlis_ledger.loading import load_ledger

#: The bundled J-LIS books, when running from a checkout.
BUNDLED_LEDGER = Path(__file__).resolve().parent.parent / "ledger" / "main.beancount"

_CODE = re.compile(r"^[0-9A-Z]+-")


@dataclass(frozen=True)
class FiscalYear:
    """A fiscal year (年度) as Fava's ``fiscal-year-end`` option defines it.

    With ``fiscal-year-end`` ``15-31`` (March 31 of the following year),
    ``FiscalYear(2022)`` runs from 2022-04-01 to 2023-03-31: 令和4年度.
    """

    year: int
    start: datetime.date
    end: datetime.date  # the last day, inclusive

    @property
    def end_exclusive(self) -> datetime.date:
        return self.end + datetime.timedelta(days=1)

    @property
    def japanese(self) -> str:
        """The year in the Japanese era: 令和4年度 for 2022, 令和元年度 for 2019 (the rule of :mod:`jlis_ledger.core.wareki`)."""
        return fiscal_year_name(self.year)

    def __contains__(self, date: datetime.date) -> bool:
        return self.start <= date <= self.end


def parse_fiscal_year_end(value: str) -> tuple[int, int]:
    """Fava's ``MM-DD`` fiscal year end, where a month above 12 is in the next year."""
    month, day = (int(part) for part in value.split("-"))
    if not (1 <= month <= 24 and 1 <= day <= 31):
        raise ValueError(f"not a fiscal-year-end: {value!r}")
    return month, day


def fiscal_year(year: int, fiscal_year_end: tuple[int, int] = (12, 31)) -> FiscalYear:
    """The fiscal year named ``year`` (Fava names a year by the calendar year it starts in
    when the end month is above 12, otherwise by the one it ends in)."""
    month, day = fiscal_year_end
    if month > 12:
        end = datetime.date(year + 1, month - 12, day)
    else:
        end = datetime.date(year, month, day)
    start = datetime.date(end.year - 1, end.month, end.day) + datetime.timedelta(days=1)
    return FiscalYear(year, start, end)


@dataclass
class Books:
    """A loaded ledger and what it declares."""

    path: Path
    entries: list[data.Directive]
    errors: list
    options: dict
    businesses: dict[str, Business]
    opens: dict[str, data.Open]
    fiscal_year_end: tuple[int, int] = (12, 31)
    _balance_cache: dict = field(default_factory=dict, repr=False)

    # -- declarations -------------------------------------------------------

    @property
    def currency(self) -> str:
        currencies = self.options.get("operating_currency") or ["JPY"]
        return currencies[0]

    def label(self, account: str) -> str:
        """The published label of an account (``label:`` on its open), else its name without the code."""
        entry = self.opens.get(account)
        if entry is not None and "label" in entry.meta:
            return entry.meta["label"]
        return _CODE.sub("", account.rsplit(":", 1)[-1])

    def fiscal_year(self, year: int) -> FiscalYear:
        return fiscal_year(year, self.fiscal_year_end)

    def fiscal_year_of(self, date: datetime.date) -> FiscalYear:
        fy = self.fiscal_year(date.year)
        if date < fy.start:
            return self.fiscal_year(date.year - 1)
        if date > fy.end:
            return self.fiscal_year(date.year + 1)
        return fy

    def transactions(self):
        return (e for e in self.entries if isinstance(e, data.Transaction))

    # -- figures --------------------------------------------------------------

    def balances(self, *, end: datetime.date, start: datetime.date | None = None) -> dict[tuple[str, str], Decimal]:
        """Sum of postings per (account, currency) dated ``start <= date < end``."""
        key = (start, end)
        if key not in self._balance_cache:
            sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
            for entry in self.transactions():
                if entry.date >= end or (start is not None and entry.date < start):
                    continue
                for posting in entry.postings:
                    sums[(posting.account, posting.units.currency)] += posting.units.number
            self._balance_cache[key] = dict(sums)
        return self._balance_cache[key]

    def by_business(self, sums: dict[tuple[str, str], Decimal], prefix: str, currency: str | None = None) -> dict[str, Decimal]:
        """Totals of the accounts under ``prefix`` (an account or a root), per business."""
        currency = currency or self.currency
        out: dict[str, Decimal] = defaultdict(Decimal)
        for (account, cur), number in sums.items():
            if cur == currency and (account == prefix or account.startswith(prefix + ":")):
                out[business_of(account)] += number
        return dict(out)


def _fiscal_year_end(entries) -> tuple[int, int]:
    """Fava's option from the ledger; a malformed one is reported by the segments plugin and read as 12-31."""
    from jlis_ledger.plugins.segments import fiscal_year_end_of

    value = fiscal_year_end_of(entries)
    return value if isinstance(value, tuple) else (12, 31)


def from_entries(path: Path, entries, errors, options) -> Books:
    businesses, _ = read_businesses(entries)
    opens = {e.account: e for e in entries if isinstance(e, data.Open)}
    return Books(
        path=path,
        entries=entries,
        errors=list(errors),  # declaration errors are reported by the segments plugin
        options=options,
        businesses=businesses,
        opens=opens,
        fiscal_year_end=_fiscal_year_end(entries),
    )


def load(path: str | Path | None = None, *, cache: bool = True) -> Books:
    """Load a ledger (by default the bundled J-LIS books) with its plugins, through
    :func:`jlis_ledger.loading.load_ledger` (``cache=False``: no load cache)."""
    path = Path(path) if path is not None else BUNDLED_LEDGER
    entries, errors, options = load_ledger(path, cache=cache)
    return from_entries(path, entries, errors, options)
