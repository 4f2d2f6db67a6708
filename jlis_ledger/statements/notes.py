"""The notes (注記) and the rest of the 附属明細書: tables declared whole in the ledger.

Each of these statements is a ``custom "note-table"`` of the ledger (:mod:`.notes_declarations` says the
directives): its rows and columns are declared there, and each cell is a quantity of the books (a balance
or a flow of accounts, by ``event:``), another cell, a sum, or a *fact* declared as data with ``source:``
(``custom "note-fact"``: a 時価, an interest rate, a due date, a 内容 text, a bucket of a repayment
schedule — what is not a posting).  Where a published figure follows from others (a 差額, a 合計, a
期末残高 that is also a balance), the builder computes it and checks the declared identities
(``note-check``, a fact or ``note-cell`` on a subtotal): a failed check is a :class:`StatementError` naming
the declaration's ``file:line``.  No figure, label or layout is in this module.

A statement id of :data:`NOTE_IDS` that the ledger does not declare is an empty table.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from jlis_ledger.core.errors import location
from jlis_ledger.statements.context import Context, StatementError
from jlis_ledger.statements.figures import ZERO
from jlis_ledger.statements.notes_declarations import NoteFact, NoteRow, NoteTable, Source
from jlis_ledger.table import Column, Table, Value

#: The statement ids built from note-table declarations, in the order of the publication (contract, DESIGN.md).
NOTE_IDS: tuple[str, ...] = (
    "securities-note", "financial-instruments", "financial-instruments-levels", "redemption-schedule",
    "lease-repayment", "securities", "fixed-assets-notes", "borrowings", "reserves-content",
    "retirement-benefits", "aro-changes", "deposit-allowance", "disposal-loss", "cash-scope", "non-cash",
    "accumulated-depreciation",
)


def _declared(ctx: Context) -> dict[str, NoteTable]:
    return ctx.books.declarations.notes


def _under(account: str, prefixes: tuple[str, ...]) -> bool:
    return any(account == p or account.startswith(p + ":") for p in prefixes)


def _balance(ctx: Context, source: Source, which: str) -> Decimal:
    fig = ctx.figures
    prefixes = source.accounts
    total = ZERO
    for account in fig.accounts():
        if _under(account, prefixes):
            number = fig.opening.get(account, ZERO) if which == "opening" else fig.closing(account)
            total += ctx.sign(account) * number
    return total


def _flow(ctx: Context, source: Source) -> Decimal:
    """The period's postings under the accounts, by direction (as the statements show the account) and event."""
    prefixes, event, kind = source.accounts, source.event, source.kind
    total = ZERO
    for (account, ev, up), number in ctx.figures.flows.items():
        if not _under(account, prefixes) or (event is not None and ev != event):
            continue
        s = ctx.sign(account)
        if kind != "flow" and (up == (s > 0)) != (kind == "increase"):
            continue
        total += s * number
    return total


class _Builder:
    """One note table of one period; cross-table cells build the other table (guarded against cycles)."""

    def __init__(self, ctx: Context, declared: NoteTable, stack: tuple[str, ...] = ()) -> None:
        self.ctx, self.t, self.stack = ctx, declared, (*stack, declared.id)
        self.columns = declared.column_labels()
        self.text = {c for c, text in declared.columns if text}
        self.values: dict[str, list[Value]] = {}

    def fact(self, row: str, column: str) -> NoteFact | None:
        start, end = self.ctx.period.start, self.ctx.period.end
        facts = [f for f in self.t.facts.get((row, column), []) if start <= f.date <= end]  # type: ignore[operator]
        if len(facts) > 1:
            where = ", ".join(location(f.meta) for f in facts)
            raise StatementError(f"{self.t.id}: {len(facts)} facts for {row!r} {column!r} in {start}..{end} ({where}): declare one")
        return facts[0] if facts else None

    def source(self, source: Source, row: str) -> Value:
        kind = source.kind
        value: Value
        if kind in ("closing", "opening"):
            value = _balance(self.ctx, source, kind)
        elif kind in ("increase", "decrease", "flow"):
            value = _flow(self.ctx, source)
        elif kind == "difference":
            a, b = (self.cell(row, c, source) for c in source.args)
            value = a - b if _amount(a) and _amount(b) else None  # type: ignore[operator]
        else:
            value = self.other(source)
        if source.negate and _amount(value):
            value = -value  # type: ignore[operator]
        return value

    def other(self, source: Source) -> Value:
        table, row, column = source.args
        declared = _declared(self.ctx).get(table)
        if declared is None or table in self.stack:
            why = "is not a declared note-table" if declared is None else "refers back to this table"
            raise StatementError(f"{location(source.meta)}: {self.t.id}: \"cell\" {table!r} {why}")
        other = _Builder(self.ctx, declared, self.stack)
        other.build()
        if row not in other.values or column not in other.columns:
            raise StatementError(f"{location(source.meta)}: {self.t.id}: {table} has no cell {row!r} {column!r}")
        return other.values[row][other.columns.index(column)]

    def cell(self, row: str, column: str, why: Source) -> Value:
        """A cell of this table's row (for a difference): its value once the row is built, else its declaration."""
        if row in self.values:
            return self.values[row][self.columns.index(column)]
        return self.declared(row, column)

    def declared(self, row: str, column: str) -> Value:
        fact = self.fact(row, column)
        if fact is not None:
            return fact.value
        source = self.t.cells.get((row, column))
        return self.source(source, row) if source is not None else None

    def subtotal(self, row: NoteRow, lines: list[list[Value]]) -> list[Value]:
        out: list[Value] = []
        for j, column in enumerate(self.columns):
            numbers = [v[j] for v in lines if _amount(v[j])]
            total: Value = _sum(numbers) if numbers and column not in self.text else None
            declared = self.declared(row.label, column) if self._has(row.label, column) else None
            if column in self.text or total is None:
                out.append(declared if declared is not None else total)
                continue
            if declared is not None and declared != total:
                raise StatementError(f"{self._where(row.label, column)}: {self.t.id}: {row.label} {column} is {declared}, "
                                     f"but the lines above it sum to {total}")
            out.append(total)
        return out

    def _has(self, row: str, column: str) -> bool:
        return (row, column) in self.t.cells or self.fact(row, column) is not None

    def _where(self, row: str, column: str) -> str:
        fact = self.fact(row, column)
        source = self.t.cells.get((row, column))
        return location(fact.meta if fact is not None else source.meta if source is not None else self.t.meta)

    def build(self) -> Table:
        t, ctx = self.t, self.ctx
        columns = [Column(c, text=c in self.text) for c in self.columns]
        if t.balance:
            table = Table(t.id, t.title, columns, as_of=ctx.period.end.isoformat())
        else:
            table = Table(t.id, t.title, columns, period=(ctx.period.start.isoformat(), ctx.period.end.isoformat()))
        table.notes = list(t.texts)
        history: list[tuple[NoteRow, list[Value]]] = []  # the rows with values so far
        for row in t.rows:
            if row.kind == "heading":
                table.heading(row.label, row.level)
                continue
            if row.kind == "line":
                values = [self.declared(row.label, c) for c in self.columns]
                table.line(row.label, row.level, values)
            else:
                values = self.subtotal(row, _since(history, row.level))
                table.subtotal(row.label, row.level, values)
            self.values.setdefault(row.label, values)
            history.append((row, values))
        self.check()
        return table

    def check(self) -> None:
        for check in self.t.checks:
            values = self.values.get(check.row)
            if values is None:
                continue
            cells = [values[self.columns.index(c)] for c in check.columns]
            if any(v is None for v in cells):  # a year whose facts are not declared (yet): reconcile shows them missing
                continue
            total = _sum(cells)
            expected = self.source(check.source, check.row)
            if total != expected:
                raise StatementError(f"{location(check.source.meta)}: {self.t.id}: {check.row} "
                                     f"{' + '.join(check.columns)} is {total}, but {check.source.kind} "
                                     f"{' '.join(check.source.args)} is {expected}")


def _since(history: list[tuple[NoteRow, list[Value]]], level: int) -> list[list[Value]]:
    """The lines a subtotal of ``level`` sums: back to the previous subtotal of the same or a lower level."""
    lines: list[list[Value]] = []
    for row, values in reversed(history):
        if row.kind == "subtotal" and row.level <= level:
            break
        if row.kind == "line":
            lines.append(values)
    return lines


def _sum(values: list[Value]) -> Decimal:
    """The sum of the amounts among ``values`` (texts and empty cells are not summed)."""
    return sum((Decimal(v) for v in values if isinstance(v, (int, Decimal))), ZERO)


def _amount(value: object) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def build(ctx: Context, statement_id: str) -> Table:
    """The note table ``statement_id`` of the context's period (an empty table when the ledger does not declare it)."""
    declared = _declared(ctx).get(statement_id)
    if declared is None:
        return Table(statement_id, statement_id, [])
    return _Builder(ctx, declared).build()


def builder(statement_id: str) -> Callable[[Context], Table]:
    """The builder of one note statement (for :data:`jlis_ledger.statements.BUILDERS`)."""
    def build_note(ctx: Context) -> Table:
        return build(ctx, statement_id)
    build_note.__name__ = build_note.__qualname__ = f"note_{statement_id.replace('-', '_')}"
    build_note.__doc__ = f"The note table {statement_id!r} declared in the ledger (custom \"note-table\")."
    return build_note


__all__ = ["NOTE_IDS", "build", "builder"]
