"""A one-screen summary per business (事業): assets, liabilities, net assets, revenue,
expense and net income for a fiscal year (年度).

Net assets are assets less liabilities, so they include the year's net income,
which Beancount keeps in the Income and Expenses accounts until the books are
closed (as the published 純資産 and 積立金 do).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from jlis_ledger import render as render_lib
from jlis_ledger.core.periods import FiscalYear
from jlis_ledger.table import Column, Table

if TYPE_CHECKING:
    from jlis_ledger.books import Books

HEADERS = ("事業", "資産", "負債", "純資産", "収益", "費用", "当期純利益")


@dataclass(frozen=True)
class BusinessSummary:
    business: str  # the published name
    label: str  # the account component
    assets: Decimal
    liabilities: Decimal
    net_assets: Decimal
    revenue: Decimal
    expense: Decimal

    @property
    def net_income(self) -> Decimal:
        return self.revenue - self.expense


def summarize(books: Books, fy: FiscalYear) -> list[BusinessSummary]:
    """One row per declared business, plus 合計 (elimination columns included in 合計); an empty common pool is left out."""
    at_end, flows = _balances_and_flows(books, fy)
    roots = books.roots
    assets = books.by_business(at_end, roots.assets)
    liabilities = books.by_business(at_end, roots.liabilities)
    revenue = books.by_business(flows, roots.income)
    expense = books.by_business(flows, roots.expenses)
    rows = []
    for label, business in books.businesses.items():
        a = assets.get(label, Decimal(0))
        li = -liabilities.get(label, Decimal(0))
        if business.is_common and not (a or li or revenue.get(label) or expense.get(label)):
            continue  # a common pool (共通) is empty once allocated: shown only if something is left in it
        rows.append(BusinessSummary(business.name, label, a, li, a - li, -revenue.get(label, Decimal(0)), expense.get(label, Decimal(0))))
    total = BusinessSummary(
        "合計",
        "",
        sum((r.assets for r in rows), Decimal(0)),
        sum((r.liabilities for r in rows), Decimal(0)),
        sum((r.net_assets for r in rows), Decimal(0)),
        sum((r.revenue for r in rows), Decimal(0)),
        sum((r.expense for r in rows), Decimal(0)),
    )
    return [*rows, total]


def _balances_and_flows(books: Books, fy: FiscalYear) -> tuple[dict[tuple[str, str], Decimal], dict[tuple[str, str], Decimal]]:
    """``books.balances(end=fy.end_exclusive)`` and ``books.balances(start=fy.start, end=fy.end_exclusive)``
    in one pass over the postings (this summary is printed after every check)."""
    at_end: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    flows: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    start, end = fy.start, fy.end_exclusive
    number: Decimal
    currency: str
    for entry in books.transactions():
        if entry.date >= end:
            continue
        in_year = entry.date >= start
        for posting in entry.postings:
            number, currency = posting.units  # type: ignore[misc, assignment]  # loaded: a posting has a number
            key = (posting.account, currency)
            at_end[key] += number
            if in_year:
                flows[key] += number
    return dict(at_end), dict(flows)


def table(rows: list[BusinessSummary], fy: FiscalYear) -> Table:
    """The summary as a table: one row per business, 合計 last."""
    t = Table("summary", "事業別の概要", [Column(h) for h in HEADERS[1:]], label_header=HEADERS[0],
              caption=f"{fy.japanese} ({fy.start} .. {fy.end})  単位: 円", period=(fy.start.isoformat(), fy.end.isoformat()))
    for r in rows:
        values = [r.assets, r.liabilities, r.net_assets, r.revenue, r.expense, r.net_income]
        if r.label:
            t.line(r.business, 0, values)
        else:
            t.subtotal(r.business, 0, values)
    return t


def render(rows: list[BusinessSummary], fy: FiscalYear) -> str:
    """The summary as aligned text (the caption, then the table)."""
    caption, _, *lines = render_lib.text(table(rows, fy)).splitlines()
    return "\n".join([caption, *lines])


__all__ = ["HEADERS", "BusinessSummary", "render", "summarize", "table"]
