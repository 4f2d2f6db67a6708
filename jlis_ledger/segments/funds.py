"""The fund rule (基金事業): a fund business closes every fiscal year at zero.

A business declared with role ``"fund"`` has zero net income (its Income and Expenses over the
fiscal year) and zero net assets (its Assets and Liabilities to date, which equal minus its
Equity and all its Income and Expenses to date when the business balances) at the end of every
fiscal year in which it has postings.  :class:`FundYears` sums the fund postings the segments
rule hands it, per business, currency and fiscal year, and reports a year that does not close at
its last transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from beancount.core import convert, data

from jlis_ledger.core.numbers import amount_text
from jlis_ledger.core.periods import FiscalYear, fiscal_year, fiscal_year_of

ZERO = Decimal(0)

#: Sections of an account for the fund rule.
PL, NET_ASSETS, EQUITY = 1, 2, 3


class AccountInfo(NamedTuple):
    """What the segments rule knows of an account."""

    business: str
    item: str
    kind: int  # 0, CLEARING, ELIMINATION or POOL (see jlis_ledger.segments.rule)
    section: int  # PL (Income, Expenses), NET_ASSETS (Assets, Liabilities), EQUITY
    fund: bool


class _Year:
    __slots__ = ("last", "net_assets", "net_income")

    def __init__(self, entry: data.Transaction) -> None:
        self.net_income = ZERO  # Income + Expenses, Beancount signs
        self.net_assets = ZERO  # change of Assets + Liabilities
        self.last = entry


class FundYears:
    """The running totals of the fund businesses by fiscal year."""

    def __init__(self, fiscal_year_end: tuple[int, int], order: Sequence[str]) -> None:
        self.fiscal_year_end = fiscal_year_end
        self.order = list(order)
        self.years: dict[tuple[str, str], dict[int, _Year]] = {}
        self._fiscal_years: dict[datetime.date, FiscalYear] = {}

    def add(self, entry: data.Transaction, key: tuple[str, str], net_income: Decimal, net_assets: Decimal) -> None:
        """Add one transaction's sums for one (business, currency)."""
        fy = self._fiscal_years.get(entry.date)
        if fy is None:
            fy = self._fiscal_years[entry.date] = fiscal_year_of(entry.date, self.fiscal_year_end)
        years = self.years.get(key)
        if years is None:
            years = self.years[key] = {}
        record = years.get(fy.year)
        if record is None:
            record = years[fy.year] = _Year(entry)
        record.last = entry
        record.net_income += net_income
        record.net_assets += net_assets

    def record(self, entry: data.Transaction, postings: Iterable[tuple[AccountInfo, data.Posting]]) -> None:
        """Add a transaction's postings of fund businesses (at their weight) to their year's totals."""
        totals: dict[tuple[str, str], list[Decimal]] = {}
        for info, posting in postings:
            if not info.fund:
                continue
            if posting.cost is None and posting.price is None:
                number, currency = posting.units  # type: ignore[misc]  # booked: a posting always has units
            else:
                number, currency = convert.get_weight(posting)
            if not isinstance(number, Decimal):
                return  # an incomplete posting (a cost Beancount could not interpolate): Beancount reports the transaction
            key = (info.business, currency)
            sums = totals.get(key)
            if sums is None:
                sums = totals[key] = [ZERO, ZERO]
            if info.section == PL:
                sums[0] += number
            elif info.section == NET_ASSETS:
                sums[1] += number
        for key, (net_income, net_assets) in totals.items():
            self.add(entry, key, net_income, net_assets)

    def errors(self) -> list[tuple[data.Meta, str, data.Transaction]]:
        """``(source, message, entry)`` per fund business, currency and fiscal year that does not close at zero."""
        out = []
        rank = {label: i for i, label in enumerate(self.order)}
        for (business, currency), years in sorted(self.years.items(), key=lambda kv: (rank.get(kv[0][0], len(rank)), kv[0][1])):
            net_assets = ZERO
            for year in sorted(years):
                record = years[year]
                net_assets += record.net_assets
                net_income = -record.net_income
                if not (net_income or net_assets):
                    continue
                fy = fiscal_year(year, self.fiscal_year_end)
                out.append((
                    record.last.meta,
                    (f"fund business (基金事業) {business} does not close to zero at the end of fiscal year {year} "
                    f"({fy.start} – {fy.end}): net income {amount_text(net_income, currency)}, net assets "
                    f"{amount_text(net_assets, currency)} (assets − liabilities). A fund business must end every fiscal year "
                    "with zero net income and zero net assets; this is its last transaction of that year."),
                    record.last,
                ))
        return out


__all__ = ["EQUITY", "NET_ASSETS", "PL", "AccountInfo", "FundYears"]
