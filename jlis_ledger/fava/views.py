"""Statement tables as the pages show them: formatted cells, each a link to the figure's own postings.

A view is plain data for a thin template: the statement's rows in published order (headings,
lines, subtotals), every figure formatted in the chosen unit, rounded half up as published, and
for each figure the drill-down selection (:mod:`jlis_ledger.statements.drill`) whose postings
make it — a business's postings on a line (every detail account), a section within a business,
the 相殺等 mirrors, a line across businesses, a profit step — and the estimates it rests on.
The page turns a selection into a link to 仕訳明細 (:class:`Links`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from jlis_ledger.core import numbers
from jlis_ledger.core.accounts import item_of
from jlis_ledger.statements import drill


@dataclass
class CellView:
    text: str
    url: str | None = None
    negative: bool = False
    marks: tuple[int, ...] = ()  # legend numbers (1-based) of the estimates the figure rests on
    title: str | None = None  # a tooltip (the exact yen when rounded)
    missing: bool = False  # a figure that is not there (予算未登録)


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
    id: str = ""
    heading: str = ""  # 令和5年3月31日現在, 自 令和4年4月1日 至 令和5年3月31日
    heading_title: str = ""  # the ISO dates
    estimated: bool = False  # the whole statement is not published (a business's cash flows)
    headers: list[Markup] = field(default_factory=list)  # the column headers with their line breaks


@dataclass
class Links:
    """What a view needs from the page: the unit, the estimates, and how a selection becomes a URL."""

    unit: str
    drill_url: Callable[..., str]  # (selection, **extra) -> URL of 仕訳明細
    estimates: drill.Estimates | None = None
    legend_used: set[int] = field(default_factory=set)

    def cell(self, value, selection: drill.Selection | None, **extra) -> CellView:
        text = numbers.figure(value, self.unit, negative="△")
        title = None
        if self.unit != "円" and value is not None:
            title = numbers.figure(value, negative="△") + " 円"
        marks: tuple[int, ...] = ()
        if selection is not None and self.estimates is not None and not extra:
            found = self.estimates.of(selection)
            marks = tuple(sorted(n + 1 for n in found))
            self.legend_used.update(found)
        url = self.drill_url(selection, **extra) if selection is not None and value else None
        return CellView(text, url, value is not None and value < 0, marks, title)


def _script(char: str) -> str:
    if "\u30a0" <= char <= "\u30ff":
        return "katakana"
    if "\u4e00" <= char <= "\u9fff" or char in "々〆":
        return "kanji"
    return "other"


def breakable(name: str) -> Markup:
    """A column header with its line-break opportunities (``<wbr>``), so that a long business name wraps
    between words, not inside one: after ・, where the script changes (公的個人認証|サービス|事業), and
    within a run of kanji after every second character (本人|確認|情報|処理|事業, the common two-kanji
    words; the last three of an odd run stay together: 発行|等事業); the header keeps its words whole
    otherwise (``word-break: keep-all``)."""
    breaks: set[int] = set()
    i = 0
    while i < len(name):
        j = i
        while j < len(name) and _script(name[j]) == _script(name[i]):
            j += 1
        if i:
            breaks.add(i)
        if _script(name[i]) == "kanji":
            breaks.update(range(i + 2, j - (2 if (j - i) % 2 else 1), 2))
        i = j
    breaks |= {k + 1 for k, char in enumerate(name) if char == "・" and k + 1 < len(name)}
    breaks -= {k for k, char in enumerate(name) if char == "・"}
    return Markup("".join(("<wbr>" if k in breaks else "") + str(escape(char)) for k, char in enumerate(name)))


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


def statement(ctx, table, *, title: str, links: Links, business_name: Callable[[str | None], str], opens,
              account_filter: Callable[[str], bool] | None = None, business: str | None = None) -> TableView:
    """A statement: a business × line matrix (``segment-bs``, ``segment-pl``: a column per business,
    相殺等, 合計), or one business's statement (``business-*``: one column)."""
    columns = [getattr(c, "label", None) or business_name(c.business) for c in table.columns]
    rows = []
    for row in table.rows:
        view = RowView(row.label, row.kind, row.level, account=row.account)
        if row.values is not None:
            for column, value in zip(table.columns, row.values, strict=False):
                column_business = column.business if column.business is not None else business
                view.cells.append(links.cell(value, drill.row_selection(ctx, table, row, column_business)))
            if row.kind == "line" and row.account:
                view.url = links.drill_url(drill.row_selection(ctx, table, row, business))
        rows.append(view)
    shown = TableView(title, columns, rows, id=table.id, headers=[breakable(c) for c in columns])
    return _narrow(shown, opens, account_filter)


def budget(ctx, table, *, title: str, links: Links, opens, has_budget: bool,
           account_filter: Callable[[str], bool] | None = None) -> TableView:
    """A 決算報告書 table (``budget-bs``, ``budget-pl``): 予算額 links to the budget declarations, 決算額
    to the postings, 差額 to both; a year without a budget shows 予算未登録."""
    columns = [c.label for c in table.columns]
    rows = []
    for row in table.rows:
        view = RowView(row.label, row.kind, row.level, account=row.account)
        if row.values is not None:
            selection = drill.row_selection(ctx, table, row)
            planned, actual, difference = row.values
            if has_budget:
                view.cells.append(links.cell(planned, selection, budget="budget"))
            else:
                view.cells.append(CellView("予算未登録", missing=True))
            view.cells.append(links.cell(actual, selection))
            view.cells.append(links.cell(difference, selection, budget="difference") if has_budget else CellView("", missing=True))
            if row.kind == "line" and row.account:
                view.url = links.drill_url(selection)
        rows.append(view)
    return _narrow(TableView(title, columns, rows, id=table.id), opens, account_filter)


__all__ = ["CellView", "Links", "RowView", "TableView", "budget", "statement"]
