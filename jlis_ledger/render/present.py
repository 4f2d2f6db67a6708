"""A table as the publication prints it: the one reading of the presentation metadata.

Text, workbooks and PDF all print through :func:`printed`, so that they agree on every
convention (:class:`jlis_ledger.table.Presentation` and :attr:`Column.sign`):

- the caption: the entity, the title, the 和暦 date (``令和5年3月31日現在``; ``令和4年4月1日から
  令和5年3月31日まで``) and the unit (``（単位：円）``);
- the heads: the label column's published head (区分, 資産の種類…), then the value columns';
- each figure in the unit, with its column's display sign, the table's negative mark, and the
  table's zero mark (``-`` where the report prints one);
- the ``two-column`` layout of 利益の処分 (see :class:`~jlis_ledger.table.Presentation`).

The raw values travel with the printed cells (:attr:`PrintedRow.values`): a workbook keeps exact
signed yen in every cell and prints the conventions through number formats.

    >>> from jlis_ledger.table import Column, Presentation, Table
    >>> t = Table("x", "引当金明細書", [Column("当期減少額", sign=-1)], as_of="2023-03-31",
    ...           presentation=Presentation(negative="△", zero="-"))
    >>> t.line("賞与引当金", 0, [-120575446]); t.line("役員退職引当金", 0, [0])
    >>> [r.cells for r in printed(t).rows], printed(t).when
    ([('120,575,446',), ('-',)], '令和5年3月31日現在')
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from jlis_ledger.core.numbers import NEGATIVES, UNITS, figure
from jlis_ledger.core.periods import japanese_date
from jlis_ledger.table import Kind, Table, Value


@dataclass(frozen=True)
class PrintedColumn:
    head: str
    text: bool  # a text column (left-aligned, printed as it is)
    sign: int  # the display sign of its figures
    source: int  # the index of the table's value it prints
    unit: str | None = None  # its own unit (a money unit, or a count printed as it is), when not the table's


@dataclass(frozen=True)
class PrintedRow:
    label: str
    level: int
    kind: Kind
    cells: tuple[str, ...]  # as printed, one per printed column ("" where nothing is printed)
    values: tuple[Value, ...]  # the raw values behind the cells (None where nothing is printed)


@dataclass(frozen=True)
class Printed:
    table: Table
    entity: str | None
    title: str
    when: str  # the 和暦 date line without its brackets; "" when the table has no date
    unit: str
    negative: str
    zero: str
    label_head: str
    heads: bool  # whether a header row is printed (the two-column form has none)
    columns: tuple[PrintedColumn, ...]
    rows: tuple[PrintedRow, ...]

    @property
    def unit_line(self) -> str:
        return f"（単位：{self.unit}）"


def when(table: Table) -> str:
    """The table's date as the publication prints it: ``令和5年3月31日現在``, ``令和4年4月1日から令和5年3月31日まで``."""
    if table.period:
        start, end = (datetime.date.fromisoformat(d) for d in table.period)
        return f"{japanese_date(start)}から{japanese_date(end)}まで"
    if table.as_of:
        return f"{japanese_date(datetime.date.fromisoformat(table.as_of))}現在"
    return ""


def cell(value: Value, column: PrintedColumn, unit: str, negative: str, zero: str) -> str:
    """One printed cell: a text as it is, an amount with the column's sign, in ``unit``, with the marks."""
    if value is None:
        return ""
    if isinstance(value, str) or column.text:
        return str(value)
    unit = column.unit or unit
    if unit not in UNITS:  # a count (団体): the number as it is
        return f"{value * column.sign:,}"
    return figure(value * column.sign, unit, negative, zero=zero)


def _columns(table: Table) -> tuple[PrintedColumn, ...]:
    if table.presentation.layout == "two-column":
        if len(table.columns) != 1:
            raise ValueError(f"{table.id}: the two-column layout prints one value column, not {len(table.columns)}")
        only = table.columns[0]
        return (PrintedColumn("", only.text, only.sign, 0), PrintedColumn(only.label, only.text, only.sign, 0))
    out = tuple(PrintedColumn(c.label, c.text, c.sign, i, c.unit) for i, c in enumerate(table.columns))
    if any(r.note for r in table.rows):  # the marks of the notes that cite a row: a 備考 column
        out += (PrintedColumn("備考", True, 1, len(table.columns)),)
    return out


def _placement(table: Table) -> list[tuple[bool, bool]]:
    """Two-column form: for each row, whether its figure prints in the inner and in the outer column."""
    out: list[tuple[bool, bool]] = []
    parent: Kind | None = None
    for row in table.rows:
        if row.level == 0:
            parent = row.kind
            out.append((False, True))
        else:
            out.append((True, parent == "heading"))
    return out


def printed(table: Table, *, unit: str | None = None, negative: str | None = None) -> Printed:
    """The printed form of ``table`` in ``unit`` (default: the table's) with ``negative`` (default: the table's mark)."""
    unit = unit or table.unit
    if unit not in UNITS:
        raise ValueError(f"unit {unit!r}: one of {', '.join(UNITS)}")
    presentation = table.presentation
    negative = negative or presentation.negative
    if negative not in NEGATIVES:
        raise ValueError(f"negative marker {negative!r}: one of {', '.join(NEGATIVES)}")
    columns = _columns(table)
    two = presentation.layout == "two-column"
    placement = _placement(table) if two else None
    rows = []
    for i, row in enumerate(table.rows):
        if row.values is None:
            values: tuple[Value, ...] = (None,) * len(columns)
        elif placement is not None:
            inner, outer = placement[i]
            values = (row.values[0] if inner else None, row.values[0] if outer else None)
        else:
            values = row.values
        if len(columns) > len(table.columns) and not two and row.values is not None:
            values = (*values, row.note)
        cells = tuple(cell(v, c, unit, negative, presentation.zero) for v, c in zip(values, columns, strict=True))
        rows.append(PrintedRow(row.label, row.level, row.kind, cells, values))
    return Printed(table, presentation.entity, table.title, when(table), unit, negative, presentation.zero,
                   presentation.label_head or table.label_header, not two, columns, tuple(rows))


__all__ = ["Printed", "PrintedColumn", "PrintedRow", "cell", "printed", "when"]
