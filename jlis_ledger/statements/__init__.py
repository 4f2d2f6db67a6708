"""Regenerate the published statements from the ledger's entries.

    >>> from jlis_ledger import books, statements
    >>> b = books.load()                                    # load once
    >>> fy = b.fiscal_year(2022)                            # 令和4年度
    >>> t = statements.build(b, "segment-bs", fy)           # a Table
    >>> t.value("現金及び預金", "一般事業")
    >>> tables = statements.build_all(b, fy)                # every statement, one pass over the postings
    >>> from jlis_ledger.statements import render
    >>> print(render.text(t, negative="△"))

Every figure comes from the entries (:mod:`.figures` sums them once per
period); the layout comes from the chart of accounts and from declarations in
the ledger (:mod:`.layout`).  Statement ids (contract, DESIGN.md):
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from jlis_ledger.core.periods import Period
from jlis_ledger.statements import (
    cash_flow,
    expenses,
    financial,
    net_assets,
    notes,
    notes_budget,
    schedules,
    summaries,
    trend_table,
)
from jlis_ledger.statements.context import Context, StatementError
from jlis_ledger.statements.presentation import present
from jlis_ledger.table import Column, Row, Table

if TYPE_CHECKING:
    from jlis_ledger.books import Books

BUILDERS: dict[str, Callable[[Context], Table]] = {
    "bs": financial.bs,
    "pl": financial.pl,
    "appropriation": net_assets.appropriation,
    "equity": net_assets.equity,
    "cf": cash_flow.cash_flow,
    "segment-bs": financial.segment_bs,
    "segment-pl": financial.segment_pl,
    "budget-bs": financial.budget_bs,
    "budget-pl": financial.budget_pl,
    "fixed-assets": schedules.fixed_assets,
    "provisions": schedules.provisions,
    "lease-debt": schedules.lease_debt,
    "aro": schedules.aro,
    "reserves": schedules.reserves,
    "deferred-revenue": schedules.deferred_revenue,
    # the notes and the rest of the 附属明細書, declared whole in the ledger (custom "note-table": .notes)
    **{i: notes.builder(i) for i in notes.NOTE_IDS},
    "expenses-by-nature": expenses.expenses_by_nature,
    "budget-notes": notes_budget.budget_notes,
    "fund-grants": notes_budget.fund_grants,
    "reserve-plans": notes_budget.reserve_plans,
    "trend": trend_table.trend,
    # 参考資料1-2: summaries in 百万円, declared in the ledger (custom "summary", :mod:`.summaries`); summary-{n}-bs/pl
    # are those of the n-th business
    **{i: summaries.builder(i) for i in ("summary-bs", "summary-pl", *(f"summary-{n}-{k}" for n in range(1, 9) for k in ("bs", "pl")),
                                         "summary-cf")},
    "summary-reasons": notes_budget.summary_reasons,
}

#: The statement ids, in the order of the publication.
STATEMENT_IDS: tuple[str, ...] = tuple(BUILDERS)

__doc__ += "".join(f"``{i}`` " for i in STATEMENT_IDS)

__all__ = ["STATEMENT_IDS", "Column", "Context", "Period", "Row", "StatementError", "Table", "build", "build_all", "context"]


def context(books: Books, period) -> Context:
    """The shared sums of a period (any object with ``start`` and ``end``, inclusive, e.g. a FiscalYear)."""
    return Context.create(books, period)


def build(books: Books, statement_id: str, period, *, ctx: Context | None = None) -> Table:
    """One statement of ``period`` as a :class:`Table`, with the declared conventions of its publication
    (:mod:`.presentation`)."""
    if statement_id not in BUILDERS:
        raise KeyError(f"unknown statement {statement_id!r} (one of {', '.join(STATEMENT_IDS)})")
    ctx = ctx or context(books, period)
    return present(notes_budget.cite(BUILDERS[statement_id](ctx), ctx.layout, ctx.period), ctx.layout, books.options)


def build_all(books: Books, period, ids=STATEMENT_IDS) -> dict[str, Table]:
    """Every statement of ``period`` from one aggregation of the postings."""
    ctx = context(books, period)
    return {i: build(books, i, period, ctx=ctx) for i in ids}
