"""One business's own statements: its 貸借対照表, 損益計算書 and キャッシュ・フロー計算書 (the business lens).

The balance sheet and the income statement are the consolidated ones (:mod:`.financial`) with the
one column of the business: every line, section and profit step of that business alone, the
profit not yet appropriated in its general reserve.  The cash flows are the ``cf:`` lines of the
business's cash postings (:mod:`.cash_flow`); cash moved between businesses without a CF line (an
internal settlement, which the consolidated statement cancels out) is the line
「事業間の資金移動」, and a CF label that no declaration names (it sums to zero over the
businesses) is a line of its own, so that the business's 増減額 is the change of its cash.
None of this is published by business: the pages mark it as such.

    >>> tables = business.statements(ctx, "B2-本人確認情報処理事業")   # [business-bs, business-pl, business-cf]
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from jlis_ledger.core.accounts import business_of
from jlis_ledger.statements import financial
from jlis_ledger.statements.context import Context, StatementError
from jlis_ledger.statements.drill import INTERNAL, SUBTOTAL
from jlis_ledger.statements.figures import ZERO
from jlis_ledger.table import Column, Table


def _column(ctx: Context, business: str) -> list[Column]:
    if business not in ctx.books.businesses:
        raise StatementError(f"no business {business!r} is declared")
    return [Column(ctx.books.business_name(business), business)]


def balance_sheet(ctx: Context, business: str) -> Table:
    name = ctx.books.business_name(business)
    return financial._balance(ctx, "business-bs", f"貸借対照表（{name}）", _column(ctx, business))  # noqa: SLF001


def income_statement(ctx: Context, business: str) -> Table:
    name = ctx.books.business_name(business)
    return financial._income(ctx, "business-pl", f"損益計算書（{name}）", _column(ctx, business))  # noqa: SLF001


def cash_flow(ctx: Context, business: str) -> Table:
    """The business's cash flows; :class:`StatementError` when the ledger declares no cash accounts."""
    layout, fig = ctx.layout, ctx.figures
    columns = _column(ctx, business)
    if not layout.cash_accounts:
        raise StatementError('the ledger declares no cash accounts (custom "cash-flow-cash" ACCOUNT)')
    prefixes = tuple(c + ":" for c in layout.cash_accounts)
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for (label, account), number in fig.cash_flows.items():
        if business_of(account) == business:
            sums[label] += number
    internal = sum((n for a, _, n, _ in fig.uncategorised if business_of(a) == business), ZERO)
    declared = [label for _, label in layout.cash_flow_lines]
    table = Table("business-cf", f"キャッシュ・フロー計算書（{ctx.books.business_name(business)}）", columns,
                  period=(ctx.period.start.isoformat(), ctx.period.end.isoformat()))
    sections: dict[str, list[str]] = {}
    for section, label in layout.cash_flow_lines:
        sections.setdefault(section, []).append(label)
    change = ZERO
    for section, labels in sections.items():
        if not section:
            continue
        table.heading(section, 0)
        total = ZERO
        for label in labels:
            if label == SUBTOTAL:
                table.subtotal(SUBTOTAL, 1, [total])
                continue
            total += sums.get(label, ZERO)
            table.line(label, 1, [sums.get(label, ZERO)])
        table.subtotal(section, 0, [total])
        change += total
    for label in sections.get("", []):
        table.line(label, 0, [sums.get(label, ZERO)])
        change += sums.get(label, ZERO)
    for label in sorted(set(sums) - set(declared)):
        if sums[label]:
            table.line(label, 0, [sums[label]])
            change += sums[label]
    if internal:
        table.line(INTERNAL, 0, [internal])
        change += internal
    opening = sum((n for a, n in fig.opening.items() if a.startswith(prefixes) and business_of(a) == business), ZERO)
    closing = sum((fig.closing(a) for a in fig.accounts() if a.startswith(prefixes) and business_of(a) == business), ZERO)
    if opening + change != closing:
        raise StatementError(f"the cash flows of {business} ({change}) do not explain the change of its cash {opening} -> {closing}")
    table.subtotal("現金及び現金同等物の増減額", 0, [change])
    table.subtotal("現金及び現金同等物期首残高", 0, [opening])
    table.subtotal("現金及び現金同等物期末残高", 0, [closing])
    return table


def statements(ctx: Context, business: str) -> list[Table]:
    """The business's balance sheet, income statement and (when the ledger declares its cash) cash flows."""
    tables = [balance_sheet(ctx, business), income_statement(ctx, business)]
    if ctx.layout.cash_accounts:
        tables.append(cash_flow(ctx, business))
    return tables


__all__ = ["balance_sheet", "cash_flow", "income_statement", "statements"]
