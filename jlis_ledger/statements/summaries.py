"""Summaries: short tables of a few rows, each the sum of sections or lines, printed in a larger unit.

A publication summarises its statements (参考資料: 決算の概要 in 百万円, the same by business, a CF
summary with its own grouping of the lines).  The ledger declares each summary and its rows; the
figures come from the books (and from the declared budgets, :mod:`jlis_ledger.budgets`)::

    ; a budget summary: 予算, 決算 and 差引 of each row, printed in 百万円
    2014-04-01 custom "summary" "summary-pl" "決算の概要 損益計算書"
      unit: "百万円"
      columns: "予算 決算 差引"
      difference: "printed"
      business-id: "summary-{n}-pl"
      business-title: "事業別決算の状況 {business} 損益計算書"
    2014-04-01 custom "summary-row" "summary-pl" "営業収益" Income:1-営業収益
    2014-04-01 custom "summary-row" "summary-pl" "営業利益" Income:1-営業収益 Expenses:1-営業費用
    2014-04-01 custom "summary-row" "summary-pl" "特別利益"
    ; a summary of the rows of another statement (``from:``), one column
    2014-04-01 custom "summary" "summary-cf" "決算の概要 キャッシュ・フロー計算書"
      unit: "百万円"
      columns: "金額"
      from: "cf"
    2014-04-01 custom "summary-row" "summary-cf" "営業活動"
      heading: TRUE
    2014-04-01 custom "summary-row" "summary-cf" "その他収入" "補助金等収入" "発行手数料収入" "その他の営業収入"

``custom "summary" ID TITLE`` declares a summary; its metadata:

- ``unit:`` the printed unit (円, 千円, 百万円, 億円); the table keeps exact yen and declares the unit,
  so text, workbooks and PDF print it in that unit and :mod:`.reconcile` compares at it;
- ``columns:`` the heads, space separated: three (予算, 決算, 差引: the budget, the books, their
  difference) or one (the books' figure);
- ``difference:`` ``exact`` (default: 決算 − 予算 in yen) or ``printed`` (決算 − 予算 of the figures as
  printed, each rounded to the unit first — what the publication does when its 差引 add up in print);
- ``from:`` a statement id: the rows name rows of that statement (by label) instead of accounts;
- ``business-id:`` and ``business-title:``: the same summary for each business, the n-th column
  business (declaration order) under the id with ``{n}``, titled with ``{business}`` (its published name).

``custom "summary-row" ID LABEL [ACCOUNT … | ROW …]`` declares a row, in published order: with one
account, the figure of that account prefix as the statements show it (a closing balance for the
balance-sheet roots, the year's movement otherwise); with several, a profit (the income accounts
less the expense accounts); with row labels (``from:``), the sum of those rows; with nothing, zero
(a line the books have no account for).  ``heading: TRUE`` makes it a heading; ``printed: TRUE`` makes it the
sum of rows above it in the same summary (named by label) *as printed*, each rounded to the unit first (a total
the publication adds up in print: the CF summary's 収入計 and 小計).

予算: the consolidated budget of a row is the budgets of its accounts (line budgets summed, a profit
combined like the figures).  By business, a row's budget is the one declared on its label
(``custom "fiscal-budget" FY "営業利益" … business: …``) when there is one, else that of its accounts.

``custom "published-disagreement" ID ROW COLUMN PUBLISHED BOOKS`` (+ ``rule:``) records a printed
figure that the publication's own figures contradict (a 差引 that is not its 決算 − 予算):
:mod:`.reconcile` reports it as this declared disagreement, not as a difference, while the printed
figure is PUBLISHED and the books give BOOKS (both in the table's unit), for the reference of the fiscal year the
directive is dated in; otherwise it is a difference.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import account as account_lib
from beancount.core import data

from jlis_ledger.core.errors import DeclarationError
from jlis_ledger.core.numbers import UNITS, scaled
from jlis_ledger.statements.context import Context, StatementError
from jlis_ledger.statements.figures import ZERO
from jlis_ledger.table import Column, Table

USAGE = {
    "summary": 'custom "summary" takes an id and a title, e.g. "summary-pl" "決算の概要 損益計算書" (unit:, columns:, difference:, from:)',
    "summary-row": 'custom "summary-row" takes a summary id, a label, then accounts or row labels (strings)',
    "published-disagreement": ('custom "published-disagreement" takes a statement id, a row label, a column, the printed figure '
                               'and the books\' figure, e.g. "summary-1-pl" "営業利益" "差引" 694 693, and a rule:'),
}
DIFFERENCES = ("exact", "printed")


@dataclass(frozen=True)
class SummaryRow:
    label: str
    accounts: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()  # labels of rows of the summary's ``from`` statement
    heading: bool = False
    printed: tuple[str, ...] = ()  # labels of rows above in this summary: the sum of their printed figures


@dataclass
class Summary:
    id: str
    title: str
    unit: str = "円"
    columns: tuple[str, ...] = ("予算", "決算", "差引")
    difference: str = "exact"
    source: str | None = None  # ``from:``
    business_id: str | None = None
    business_title: str | None = None
    rows: list[SummaryRow] = field(default_factory=list)
    meta: data.Meta = field(default_factory=dict)

    @property
    def budget(self) -> bool:
        return len(self.columns) == 3


@dataclass(frozen=True)
class Disagreement:
    date: datetime.date  # the fiscal year of the publication it is about is the one of this date
    statement: str
    row: str
    column: str
    published: Decimal
    books: Decimal
    rule: str
    meta: data.Meta


@dataclass
class Summaries:
    summaries: dict[str, Summary] = field(default_factory=dict)
    disagreements: list[Disagreement] = field(default_factory=list)

    def find(self, statement_id: str, businesses: list[str]) -> tuple[Summary, str | None] | None:
        """The summary of ``statement_id`` and the business it is of (None: the whole body), or None."""
        if statement_id in self.summaries:
            return self.summaries[statement_id], None
        for summary in self.summaries.values():
            if summary.business_id:
                for n, business in enumerate(businesses, start=1):
                    if summary.business_id.replace("{n}", str(n)) == statement_id:
                        return summary, business
        return None


def _summary(entry: data.Custom, values: list) -> Summary | str:
    meta = entry.meta or {}
    unit = meta.get("unit", "円")
    if unit not in UNITS:
        return f'custom "summary": unit: {unit!r} is not one of {", ".join(UNITS)}'
    columns = tuple(str(meta.get("columns", "予算 決算 差引")).split())
    if len(columns) not in (1, 3):
        return 'custom "summary": columns: is three heads (予算 決算 差引) or one (金額), space separated'
    difference = meta.get("difference", "exact")
    if difference not in DIFFERENCES:
        return f'custom "summary": difference: is one of {", ".join(DIFFERENCES)}, not {difference!r}'
    source = meta.get("from")
    if source is not None and (not isinstance(source, str) or len(columns) != 1):
        return 'custom "summary": from: is a statement id, for a summary of one column'
    business_id = meta.get("business-id")
    if business_id is not None and (not isinstance(business_id, str) or "{n}" not in business_id):
        return 'custom "summary": business-id: is an id with {n} (the business\'s number), e.g. "summary-{n}-pl"'
    title = meta.get("business-title")
    return Summary(values[0], values[1], unit, columns, difference, source, business_id,
                   title if isinstance(title, str) else None, meta=meta)


def read_summaries(entries: Iterable[data.Directive], roots: Iterable[str] = ()) -> tuple[Summaries, list[DeclarationError]]:
    """The summaries, rows and disagreements the entries declare, and the errors of the malformed ones; ``roots``
    (the root names) may be rows' accounts too, written as strings (``"Assets"``: Beancount has no one-component account)."""
    root_names = set(roots)
    out = Summaries()
    errors: list[DeclarationError] = []
    rows: list[data.Custom] = []
    for entry in entries:
        if not isinstance(entry, data.Custom) or entry.type not in USAGE:
            continue
        values = [v.value for v in entry.values]
        strings = all(isinstance(v, str) for v in values)
        if entry.type == "summary":
            made = _summary(entry, values) if len(values) == 2 and strings else USAGE["summary"]
            if isinstance(made, str):
                errors.append(DeclarationError(entry.meta, made, entry))
            else:
                out.summaries[made.id] = made
        elif entry.type == "summary-row":
            rows.append(entry)
        elif (len(values) == 5 and all(isinstance(v, str) for v in values[:3]) and all(isinstance(v, Decimal) for v in values[3:])
              and isinstance((entry.meta or {}).get("rule"), str)):
            statement, row, column, published, books = values
            out.disagreements.append(Disagreement(entry.date, statement, row, column, published, books, entry.meta["rule"], entry.meta))
        else:
            errors.append(DeclarationError(entry.meta, USAGE[entry.type], entry))
    for entry in rows:
        values = [v.value for v in entry.values]
        summary = out.summaries.get(values[0]) if values and isinstance(values[0], str) else None
        if len(values) < 2 or not all(isinstance(v, str) for v in values):
            errors.append(DeclarationError(entry.meta, USAGE["summary-row"], entry))
        elif summary is None:
            errors.append(DeclarationError(entry.meta, f'custom "summary-row": no custom "summary" {values[0]!r} is declared', entry))
        else:
            rest = tuple(values[2:])
            if (entry.meta or {}).get("printed") is True:
                known = {r.label for r in summary.rows}
                if not rest or any(v not in known for v in rest):
                    errors.append(DeclarationError(entry.meta, f'custom "summary-row": printed: TRUE sums rows above it in {summary.id}, '
                                                   f'and {next((v for v in rest if v not in known), "nothing")!r} is none', entry))
                else:
                    summary.rows.append(SummaryRow(values[1], printed=rest))
                continue
            accounts = tuple(v for v in rest if account_lib.is_valid(v) or v in root_names)
            if summary.source is None and len(accounts) != len(rest):
                errors.append(DeclarationError(entry.meta, f'custom "summary-row": {summary.id} sums accounts, and '
                                               f'{", ".join(v for v in rest if v not in accounts)} is not one', entry))
                continue
            heading = (entry.meta or {}).get("heading") is True
            summary.rows.append(SummaryRow(values[1], () if summary.source else accounts, rest if summary.source else (), heading))
    return out, errors


# -- building -------------------------------------------------------------------------------

def _is_balance(ctx: Context, accounts: tuple[str, ...]) -> bool:
    roots = ctx.roots.prefixes(*ctx.roots.balance_sheet)
    return bool(accounts) and all(a.startswith(roots) or a in ctx.roots.balance_sheet for a in accounts)


def _combine(ctx: Context, accounts: tuple[str, ...], figure) -> Decimal:
    """One account's figure, or several accounts' as a profit (income less expenses)."""
    if len(accounts) == 1:
        return figure(accounts[0])
    expenses = ctx.roots.prefixes(ctx.roots.expenses)
    return sum((-figure(a) if (a + ":").startswith(expenses) else figure(a) for a in accounts), ZERO)


def _actual(ctx: Context, row: SummaryRow, business: str | None) -> Decimal:
    which = "closing" if _is_balance(ctx, row.accounts) else "movement"
    return _combine(ctx, row.accounts, lambda a: ctx.shown(a, which, business))


def _budget(ctx: Context, row: SummaryRow, business: str | None) -> Decimal:
    budgets, year, currency = ctx.books.declarations.budgets, ctx.period.year, ctx.books.currency
    if business is not None:
        declared = budgets.of_label(year, currency, row.label, business)
        if declared is not None:
            return declared
    return _combine(ctx, row.accounts, lambda a: budgets.total(year, currency, a, business))


def _source_rows(ctx: Context, summary: Summary) -> dict[str, Decimal]:
    from jlis_ledger.statements import BUILDERS

    if summary.source not in BUILDERS:
        raise StatementError(f'{summary.id}: from: {summary.source!r} is not a statement id')
    out: dict[str, list[Decimal]] = {}
    for r in BUILDERS[summary.source](ctx).rows:
        if r.values is not None and isinstance(r.values[0], (int, Decimal)):
            out.setdefault(r.label, []).append(Decimal(r.values[0]))
    return {label: v[0] for label, v in out.items() if len(v) == 1}


def _row_sum(summary: Summary, row: SummaryRow, source: dict[str, Decimal]) -> Decimal:
    missing = [label for label in row.rows if label not in source]
    if missing:
        raise StatementError(f'{summary.id}: row {row.label!r}: {summary.source} has no single row {missing[0]!r}')
    return sum((source[label] for label in row.rows), ZERO)


def build(ctx: Context, statement_id: str) -> Table:
    """The declared summary ``statement_id`` of the period (a StatementError when none is declared)."""
    columns_by_business = [c.business for c in ctx.segment_columns if c.business and ctx.books.businesses[c.business].is_column]
    found = ctx.books.declarations.summaries.find(statement_id, columns_by_business)
    if found is None:  # a ledger that declares no such summary (a body with fewer businesses, or none): an empty table
        return Table(statement_id, statement_id, [Column("金額")], notes=[f'not declared in the ledger (custom "summary" {statement_id!r} …)'])
    summary, business = found
    title = summary.title
    if business is not None:
        name = ctx.books.businesses[business].name
        title = (summary.business_title or f"{summary.title} {{business}}").replace("{business}", name)
    balance = all(_is_balance(ctx, r.accounts) for r in summary.rows if r.accounts)
    dates = {"as_of": ctx.period.end.isoformat()} if balance and summary.source is None else {
        "period": (ctx.period.start.isoformat(), ctx.period.end.isoformat())}
    table = Table(statement_id, title, [Column(c) for c in summary.columns], unit=summary.unit, **dates)
    per = UNITS[summary.unit][0]
    source = _source_rows(ctx, summary) if summary.source else {}
    printed: dict[str, list[Decimal]] = {}
    for row in summary.rows:
        if row.heading:
            table.heading(row.label, 0)
            continue
        if row.printed:
            width = len(summary.columns)
            values = [sum((scaled(printed[label][j], summary.unit) for label in row.printed), ZERO) * per for j in range(width)]
            table.line(row.label, 0, values)
            printed[row.label] = values
            continue
        account = row.accounts[0] if len(row.accounts) == 1 else None
        if summary.source:
            table.line(row.label, 0, [_row_sum(summary, row, source)])
            printed[row.label] = [_row_sum(summary, row, source)]
            continue
        actual = _actual(ctx, row, business)
        if not summary.budget:
            table.line(row.label, 0, [actual], account)
            printed[row.label] = [actual]
            continue
        budget = _budget(ctx, row, business)
        if summary.difference == "printed":
            difference = (scaled(actual, summary.unit) - scaled(budget, summary.unit)) * per
        else:
            difference = actual - budget
        table.line(row.label, 0, [budget, actual, difference], account)
        printed[row.label] = [budget, actual, difference]
    return table


def builder(statement_id: str):
    """The builder of one summary id (for :data:`jlis_ledger.statements.BUILDERS`)."""
    return lambda ctx: build(ctx, statement_id)


__all__ = ["Disagreement", "Summaries", "Summary", "SummaryRow", "build", "builder", "read_summaries"]
