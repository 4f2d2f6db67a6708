"""Expenses by nature (主要な費目): the natures of expense lines, booked as detail components.

An expense line whose accounts carry a nature as their detail (``detail:`` on the ``open``, the
component between the line and the business, e.g. ``Expenses:1-営業費用:101-事業費:1-委託費:B1-一般事業``)
is summed into its line by every statement; this table shows the natures themselves, for the whole
body (the elimination column included), over the period.  The ledger lists the natures printed, in
published order (the printed ones need not be all the details of the line: a residual nature stays
unprinted)::

    2014-04-01 custom "statement-line" "expenses-by-nature" Expenses:1-営業費用:101-事業費:1-委託費
    2014-04-01 custom "statement-option" "expenses-by-nature" "title" "事業費及び一般管理費の主要な費目と金額"

Each line whose detail's parent changes opens a heading with the parent line's label (事業費, 一般管理費).
"""

from __future__ import annotations

from beancount.core import account as account_lib

from jlis_ledger.statements.context import Context, StatementError
from jlis_ledger.statements.schedules import _node
from jlis_ledger.table import Column, Table

STATEMENT = "expenses-by-nature"


def expenses_by_nature(ctx: Context) -> Table:
    """The period's postings of each declared nature (a detail of an expense line), under its line's heading."""
    title = ctx.layout.option(STATEMENT, "title", "主要な費目と金額")
    table = Table(STATEMENT, title or "主要な費目と金額", [Column("金額")],
                  period=(ctx.period.start.isoformat(), ctx.period.end.isoformat()))
    heading = None
    for declared in ctx.layout.schedule_lines.get(STATEMENT, []):
        line = _node(ctx, account_lib.parent(declared.account) or "")
        if line is None or declared.account not in line.details:
            raise StatementError(f'{STATEMENT}: custom "statement-line" names {declared.account}, which is not a detail '
                                 '(an account opened with detail: below a line)')
        if line.account != heading:
            table.heading(line.label, 0)
            heading = line.account
        table.line(declared.label or line.details[declared.account], 1, [ctx.shown(declared.account, "movement")], declared.account)
    return table
