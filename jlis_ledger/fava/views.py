"""Statement tables as the pages show them: formatted cells, each a link to its account.

A view is plain data for a thin template: the statement's rows in published
order (headings, lines, subtotals), every figure formatted as published, and
the account a cell stands for.  In a business × line matrix the cell of line
``L`` and business ``B`` is the account ``L:B`` (or ``L`` itself, whose Fava
page shows its details by business, when the line is split into details);
the 合計 column is the line account.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass, field

from jlis_ledger.core.accounts import item_of
from jlis_ledger.fava import numbers


@dataclass
class CellView:
    text: str
    account: str | None = None
    url: str | None = None
    negative: bool = False


@dataclass
class RowView:
    label: str
    kind: str  # heading, line or subtotal
    level: int
    cells: list[CellView] = field(default_factory=list)
    account: str | None = None
    url: str | None = None


@dataclass
class TableView:
    title: str
    columns: list[str]
    rows: list[RowView]
    filtered: bool = False  # rows narrowed by the account filter
    error: str | None = None  # the ledger cannot give this statement: why


def _cell(value, account: str | None, url_for: Callable[[str], str]) -> CellView:
    return CellView(numbers.yen(value), account, url_for(account) if account else None, value is not None and value < 0)


def matrix(table, *, title: str, business_name: Callable[[str | None], str], opens: Container[str],
           url_for: Callable[[str], str], account_filter: Callable[[str], bool] | None = None) -> TableView:
    """A business × line statement (``segment-bs``, ``segment-pl``): a column per business, 相殺等, 合計."""
    columns = [getattr(c, "label", None) or business_name(c.business) for c in table.columns]
    rows = []
    for row in table.rows:
        view = RowView(row.label, row.kind, row.level, account=row.account,
                       url=url_for(row.account) if row.account else None)
        if row.values is not None:
            for column, value in zip(table.columns, row.values, strict=False):
                account = row.account
                if account and column.business:
                    cell_account = f"{account}:{column.business}"
                    account = cell_account if cell_account in opens else account
                view.cells.append(_cell(value, account, url_for))
        rows.append(view)
    return _narrow(TableView(title, columns, rows), opens, account_filter)


def budget(table, *, title: str, opens: Container[str], url_for: Callable[[str], str],
           account_filter: Callable[[str], bool] | None = None) -> TableView:
    """A 決算報告書 table (``budget-bs``, ``budget-pl``): 予算額, 決算額, 差額; the figures link to the line."""
    columns = [c.label for c in table.columns]
    rows = []
    for row in table.rows:
        view = RowView(row.label, row.kind, row.level, account=row.account,
                       url=url_for(row.account) if row.account else None)
        if row.values is not None:
            view.cells = [_cell(value, row.account, url_for) for value in row.values]
        rows.append(view)
    return _narrow(TableView(title, columns, rows), opens, account_filter)


def _narrow(view: TableView, opens, account_filter: Callable[[str], bool] | None) -> TableView:
    """Under Fava's account filter, the lines whose account (or a detail of it) matches; the filter
    names lines, not businesses, so the accounts are matched without their business component.  When
    no line matches (a filter on a business, say), the whole statement stays."""
    if account_filter is None:
        return view

    def matches(row: RowView) -> bool:
        if not row.account:
            return False
        prefix = row.account + ":"
        items = {item_of(a) for a in opens if a.startswith(prefix)}
        return any(account_filter(item) for item in items | {row.account})

    kept = [r for r in view.rows if r.kind == "line" and matches(r)]
    if kept:
        view.rows = kept
        view.filtered = True
    return view
