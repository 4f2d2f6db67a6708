"""Notes and tables declared as data: 備考 (notes that cite the lines of a statement), tables of facts that
are no postings, and the reserves' plans.

* ``custom "statement-note" ID GROUP MARK TEXT`` (+ ``cites:`` a statement, ``cited-by:`` its lines) — the
  table ``ID`` lists the notes under their groups; the cited statement prints each note's mark on the
  lines that cite it (a 備考 column: ``(注3,4)``), its values unchanged.
* ``custom "statement-row" ID LABEL LEVEL CELL…`` — a table of declared rows (a row without cells is a
  heading); its columns, units and title
  are ``statement-option``\\ s: ``columns`` (the heads), ``unit`` (the table's print unit), ``column-unit``
  (HEAD UNIT: a column's own unit; a unit that is no money unit is a count), ``text-columns`` (HEADs),
  ``title``.  Amounts stay exact yen; the units say how they print and how ``reconcile`` compares them.
* the plans of the liability reserves (``custom "reserve-plan"``, :mod:`jlis_ledger.reserves`) — one row per
  plan under its reserve: 積立 and 取崩 (negative; printed positive, as the notes write 「22.1億円の取崩し」) over the period, the period named by its 年度
  (令和4年度; 令和7年度及び令和8年度; 令和5年度から令和9年度まで); a figure of zero is not printed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from jlis_ledger.core.periods import japanese_fiscal_year
from jlis_ledger.statements.context import Context, StatementError
from jlis_ledger.statements.layout import Layout
from jlis_ledger.table import Column, Table

_MARK = re.compile(r"^\((\D*?)(\d+)\)$")


def _period(ctx: Context) -> tuple[str, str]:
    return (ctx.period.start.isoformat(), ctx.period.end.isoformat())


def notes_table(ctx: Context, statement: str) -> Table:
    """The declared notes of ``statement``, under a heading per group, each line its mark and text."""
    table = Table(statement, ctx.layout.option(statement, "title") or "備考", [Column("内容", text=True)], period=_period(ctx))
    group = None
    for note in (n for n in ctx.layout.notes if n.statement == statement and _within(ctx.period, n.date)):
        if note.group != group:
            table.heading(note.group, 0)
            group = note.group
        table.line(note.mark, 1, [note.text])
    return table


def budget_notes(ctx: Context) -> Table:
    return notes_table(ctx, "budget-notes")


def merged_mark(marks: list[str]) -> str:
    """The marks of one row's notes as the report prints them: (注3) and (注4) are (注3,4)."""
    found = [_MARK.match(m) for m in marks]
    if len(marks) > 1 and all(found) and len({m.group(1) for m in found if m}) == 1:
        first = found[0]
        assert first is not None
        return f"({first.group(1)}{','.join(m.group(2) for m in found if m)})"
    return "".join(marks)


def _within(period, date) -> bool:
    """A declaration dated in the period belongs to its statements (one 決算's notes, one year's table)."""
    return date is None or period.start <= date <= period.end


def cite(table: Table, layout: Layout, period) -> Table:
    """``table`` with the marks of the notes of ``period`` that cite its lines (in place; returned for chaining).  A
    note citing a label n times marks the first n rows of that label; a label the table does not have is an error."""
    notes = [n for n in layout.notes if n.cites == table.id and _within(period, n.date)]
    if not notes:
        return table
    marks: dict[int, list[str]] = {}
    for note in notes:
        seen: dict[str, int] = {}
        for label in note.cited_by:
            rows = [i for i, r in enumerate(table.rows) if r.label == label and r.kind != "heading"]
            n = seen.get(label, 0)
            if n >= len(rows):
                where = f"{note.meta.get('filename')}:{note.meta.get('lineno')}: " if note.meta.get("filename") else ""
                raise StatementError(f"{where}{note.mark} of {note.statement} is cited by {label!r} (#{n + 1}), "
                                     f"which {table.id} has {len(rows)} row(s) of")
            seen[label] = n + 1
            marks.setdefault(rows[n], []).append(note.mark)
    for i, row_marks in marks.items():
        table.rows[i] = replace(table.rows[i], note=merged_mark(row_marks))
    return table


def declared_table(ctx: Context, statement: str) -> Table:
    """A table of ``custom "statement-row"`` rows, its columns and units declared by options."""
    heads = ctx.layout.option_values(statement, "columns")
    rows = [r for r in ctx.layout.rows.get(statement, []) if _within(ctx.period, r.date)]
    if rows and not heads:
        raise StatementError(f'{statement}: declare its columns (custom "statement-option" "{statement}" "columns" HEAD…)')
    units = ctx.layout.option_values(statement, "column-unit")
    column_units = dict(zip(units[::2], units[1::2], strict=False))
    texts = set(ctx.layout.option_values(statement, "text-columns"))
    columns = [Column(h, text=h in texts, unit=column_units.get(h)) for h in heads]
    table = Table(statement, ctx.layout.option(statement, "title") or statement, columns,
                  unit=ctx.layout.option(statement, "unit") or "円", period=_period(ctx))
    for row in rows:
        if not row.cells:  # a row without cells is a heading
            table.heading(row.label, row.level)
            continue
        if len(row.cells) != len(columns):
            where = f"{row.meta.get('filename')}:{row.meta.get('lineno')}: " if row.meta.get("filename") else ""
            raise StatementError(f"{where}{statement}: row {row.label!r} has {len(row.cells)} cells for {len(columns)} columns")
        table.line(row.label, row.level, row.cells)
    return table


def fund_grants(ctx: Context) -> Table:
    return declared_table(ctx, "fund-grants")


def summary_reasons(ctx: Context) -> Table:
    """参考資料1-2 左の主な理由: the publication's reasons for 決算 − 予算, declared rows."""
    return declared_table(ctx, "summary-reasons")


def _years(ctx: Context, start, end) -> str:
    first, last = ctx.books.fiscal_year_of(start), ctx.books.fiscal_year_of(end)
    a, b = japanese_fiscal_year(first.start), japanese_fiscal_year(last.start)
    if first.year == last.year:
        return a
    return f"{a}及び{b}" if last.year == first.year + 1 else f"{a}から{b}まで"


def reserve_plans(ctx: Context) -> Table:
    """The declared plans (and records) of each liability reserve, in declaration order, grouped by reserve."""
    table = Table("reserve-plans", ctx.layout.option("reserve-plans", "title") or "積立金の積立・取崩の実績及び予定",
                  [Column("積立"), Column("取崩", sign=-1)], unit=ctx.layout.option("reserve-plans", "unit") or "円")
    reserve = None
    for plan in ctx.books.declarations.plans:
        declared = ctx.reserves.get(plan.account)
        if declared is None or declared.equity:
            continue
        if plan.account != reserve:
            labels = (e.meta.get("label") for a, e in ctx.books.opens.items() if a.startswith(plan.account + ":"))
            table.heading(next((label for label in labels if label), plan.account), 0)
            reserve = plan.account
        cells: list[Decimal | None] = [plan.provision or None, -plan.release if plan.release else None]
        table.line(_years(ctx, plan.start, plan.end), 1, cells, plan.account)
    return table
