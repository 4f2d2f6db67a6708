"""A one-screen summary per business (事業): assets, liabilities, net assets, revenue,
expense and net income for a fiscal year (年度).

Net assets are assets less liabilities, so they include the year's net income,
which Beancount keeps in the Income and Expenses accounts until the books are
closed (as the published 純資産 and 積立金 do).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from jlis_ledger.books import Books, FiscalYear

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
    assets = books.by_business(at_end, "Assets")
    liabilities = books.by_business(at_end, "Liabilities")
    revenue = books.by_business(flows, "Income")
    expense = books.by_business(flows, "Expenses")
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
    return rows + [total]


def _balances_and_flows(books: Books, fy: FiscalYear) -> tuple[dict, dict]:
    """``books.balances(end=fy.end_exclusive)`` and ``books.balances(start=fy.start, end=fy.end_exclusive)``
    in one pass over the postings (this summary is printed after every check)."""
    at_end: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    flows: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    start, end = fy.start, fy.end_exclusive
    for entry in books.transactions():
        if entry.date >= end:
            continue
        in_year = entry.date >= start
        for posting in entry.postings:
            key = (posting.account, posting.units.currency)
            at_end[key] += posting.units.number
            if in_year:
                flows[key] += posting.units.number
    return dict(at_end), dict(flows)


def width(text: str) -> int:
    """Display width in a terminal: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def render(rows: list[BusinessSummary], fy: FiscalYear) -> str:
    table = [list(HEADERS)]
    for r in rows:
        table.append([r.business] + [f"{int(v):,}" for v in (r.assets, r.liabilities, r.net_assets, r.revenue, r.expense, r.net_income)])
    sizes = [max(width(row[c]) for row in table) for c in range(len(HEADERS))]
    lines = [f"{fy.japanese} ({fy.start} .. {fy.end})  単位: 円"]
    for i, row in enumerate(table):
        lines.append("  ".join(pad(cell, sizes[c], right=c > 0) for c, cell in enumerate(row)))
        if i == 0 or i == len(table) - 2:
            lines.append("  ".join("-" * s for s in sizes))
    return "\n".join(lines)
