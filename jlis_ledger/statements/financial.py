"""貸借対照表 and 損益計算書: consolidated, by business (事業別財務情報) and budget vs actual (決算報告書).

The rows follow the chart of accounts: a section is a heading, its lines and
「<section>合計」; a root is 「資産の部」… with 「資産合計」…, and the balance
sheet ends with 負債純資産合計.  The income statement interleaves the Income
and Expenses sections by their code (営業収益 1, 営業費用 1, 営業外収益 2, …)
and prints the profit steps the ledger declares (``custom
"statement-subtotal" "pl" "営業利益" Expenses:1-営業費用``) after their
section; 当期純利益 ends it when none is declared.  A line with no figure in any
column is left out, as the publications do.

Balances are as published: the profit not yet appropriated is in the general
reserve (積立金) — see :meth:`Context._folded`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from jlis_ledger.statements.chart import Node
from jlis_ledger.statements.context import Context, code_key
from jlis_ledger.table import Column, Table

Values = Callable[[str], list[Decimal]]

BUDGET_COLUMNS = [Column("予算額"), Column("決算額"), Column("差額")]


def _budget(ctx: Context, which: str) -> Values:
    """予算額, 決算額 and 差額 (= 決算額 − 予算額) of an account prefix."""

    def values(prefix: str) -> list[Decimal]:
        budget = ctx.budget(prefix)
        actual = ctx.shown(prefix, which)
        return [budget, actual, actual - budget]

    return values


def _columns(ctx: Context, columns: list[Column], which: str) -> Values:
    return lambda prefix: ctx.values(prefix, which, columns)


def _section(table: Table, ctx: Context, node: Node, level: int, values: Values, hidden: set[str]) -> bool:
    """Rows of a section (heading, lines, subsections, 合計); False when it has nothing to show."""
    start = len(table.rows)
    table.heading(node.label, level)
    shown = False
    for child in ctx.children(node):
        if child.is_line:
            if child.account in hidden:
                continue
            v = values(child.account)
            if any(v):
                table.line(child.label, level + 1, v, child.account)
                shown = True
        else:
            shown |= _section(table, ctx, child, level + 1, values, hidden)
    total = values(node.account)
    if not shown and not any(total):
        del table.rows[start:]
        return False
    table.subtotal(f"{node.label}合計", level, total, node.account)
    return True


def _balance_sheet(table: Table, ctx: Context, values: Values) -> Table:
    hidden = ctx.profit_leg_lines
    sums: dict[str, list[Decimal]] = {}
    assets, liabilities, equity = ctx.roots.balance_sheet
    for root in (assets, liabilities, equity):
        node = ctx.root(root)
        if node is None:
            continue
        heading = ctx.root_heading(root)
        table.heading(heading, 0)
        for child in ctx.children(node):
            if child.is_line:
                if child.account in hidden:
                    continue
                v = values(child.account)
                if any(v):
                    table.line(child.label, 1, v, child.account)
            else:
                _section(table, ctx, child, 1, values, hidden)
        sums[root] = values(root)
        table.subtotal(heading.removesuffix("の部") + "合計", 0, sums[root], root)
    if liabilities in sums and equity in sums:
        table.subtotal("負債純資産合計", 0, [a + b for a, b in zip(sums[liabilities], sums[equity], strict=True)])
    return table


def _income_sections(ctx: Context) -> list[Node]:
    nodes = []
    for rank, root in enumerate(ctx.roots.income_statement):
        node = ctx.root(root)
        if node is not None:
            nodes += [(code_key(child), rank, child) for child in ctx.children(node)]
    return [n for *_, n in sorted(nodes, key=lambda t: (t[0], t[1]))]


def _income_statement(table: Table, ctx: Context, values: Values) -> Table:
    profit: list[Decimal] | None = None
    steps = ctx.layout.profit_steps
    for node in _income_sections(ctx):
        v = values(node.account)
        if node.is_line:
            if any(v):
                table.line(node.label, 0, v, node.account)
        else:
            _section(table, ctx, node, 0, values, set())
        turn = 1 if node.account.startswith(ctx.roots.income + ":") else -1
        profit = [turn * x for x in v] if profit is None else [p + turn * x for p, x in zip(profit, v, strict=False)]
        if node.account in steps:
            table.subtotal(steps[node.account], 0, profit)
    if not steps and profit is not None:
        table.subtotal("当期純利益", 0, profit)
    return table


def _balance(ctx: Context, statement_id: str, title: str, columns: list[Column], budget: bool = False) -> Table:
    table = Table(statement_id, title, columns, as_of=ctx.period.end.isoformat())
    values = _budget(ctx, "closing") if budget else _columns(ctx, columns, "closing")
    return _balance_sheet(table, ctx, values)


def _income(ctx: Context, statement_id: str, title: str, columns: list[Column], budget: bool = False) -> Table:
    table = Table(statement_id, title, columns, period=(ctx.period.start.isoformat(), ctx.period.end.isoformat()))
    values = _budget(ctx, "movement") if budget else _columns(ctx, columns, "movement")
    return _income_statement(table, ctx, values)


def bs(ctx: Context) -> Table:
    return _balance(ctx, "bs", "貸借対照表", [Column("金額")])


def segment_bs(ctx: Context) -> Table:
    return _balance(ctx, "segment-bs", "事業別財務情報（貸借対照表関係）", ctx.segment_columns)


def budget_bs(ctx: Context) -> Table:
    return _balance(ctx, "budget-bs", "決算報告書 貸借対照表", list(BUDGET_COLUMNS), budget=True)


def pl(ctx: Context) -> Table:
    return _income(ctx, "pl", "損益計算書", [Column("金額")])


def segment_pl(ctx: Context) -> Table:
    return _income(ctx, "segment-pl", "事業別財務情報（損益計算書関係）", ctx.segment_columns)


def budget_pl(ctx: Context) -> Table:
    return _income(ctx, "budget-pl", "決算報告書 損益計算書", list(BUDGET_COLUMNS), budget=True)
