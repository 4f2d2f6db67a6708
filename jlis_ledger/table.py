"""The table every statement and report builds and every renderer reads.

A :class:`Table` has the published statement's shape: a title, a unit, value columns, and rows
in published order.  A row has the published label, its nesting level, its kind (``heading``:
no values; ``line``: a published line; ``subtotal``: a 合計/計/利益 row) and one value per
column.  An amount is integer yen, signed (a decrease, an outflow or a negative balance is
negative); an amount with a fraction of a yen is kept exactly (a :class:`~decimal.Decimal`),
never truncated.  A text column (a date, a name, a status) holds strings.

Renderers (:mod:`jlis_ledger.render`) turn a table into text, CSV, JSON, a workbook or a PDF;
nothing else formats figures.

How the publication *prints* a table is presentation metadata beside the raw values, never a
change of them: a column's display sign (``sign=-1``: a 減少額 or 償却額 column printed as the
magnitudes the report prints), and on the table a :class:`Presentation` (the entity, the head
of the label column, the marks printed for a negative and for a zero, a layout).  Text,
workbooks and PDF follow it; CSV and JSON ignore it (signed yen).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from jlis_ledger.core.numbers import exact

Kind = Literal["heading", "line", "subtotal"]
#: A cell: an amount (int, or a Decimal with a fraction), a text, or nothing.
Value = int | Decimal | str | None
Layout = Literal["columns", "two-column"]


@dataclass(frozen=True)
class Column:
    """A value column: its published header and, in a segment table, the business it shows."""

    label: str
    business: str | None = None  # the business leaf (e.g. ``B1-一般事業``); None for 合計 and non-segment columns
    text: bool = False  # a column of texts (dates, names), not amounts
    sign: int = 1  # printed sign: -1 prints the column's (negative) decreases as the positive figures the report shows
    unit: str | None = None  # the column's own print unit (億円; a count such as 団体), when not the table's; values stay exact


@dataclass
class Presentation:
    """How a table is printed (text, workbook, PDF); the values stay raw.

    ``layout`` ``columns`` is the ordinary grid; ``two-column`` is the form of 利益の処分に関する書類,
    one value column printed as two (内訳 and 金額): a line below a subtotal prints in the inner
    column, a top-level subtotal in the outer one, and a line below a heading in both.
    """

    entity: str | None = None  # the body's name printed above the title (the ledger's title, or declared)
    label_head: str | None = None  # the printed head of the label column (区分, 資産の種類…); None: label_header
    negative: str = "-"  # the mark of a negative figure: -, △ or ▲
    zero: str = "0"  # printed for a zero amount (``-`` where the report prints one)
    layout: Layout = "columns"


@dataclass(frozen=True)
class Row:
    label: str
    kind: Kind
    level: int
    values: tuple[Value, ...] | None = None  # None for a heading
    account: str | None = None  # the line's account without its business (links in Fava)
    note: str | None = None  # the mark of the notes (備考) that cite the row, e.g. (注3,4): printed in a 備考 column


def _cells(values: Iterable[object]) -> tuple[Value, ...]:
    out: list[Value] = []
    for value in values:
        if value is None or isinstance(value, str):
            out.append(value)
        elif isinstance(value, (int, Decimal)):
            out.append(exact(value))
        else:
            raise TypeError(f"a table cell is an amount, a text or None, not {value!r}")
    return tuple(out)


@dataclass
class Table:
    id: str
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    unit: str = "円"
    period: tuple[str, str] | None = None  # ISO dates, both inclusive (flow statements)
    as_of: str | None = None  # ISO date (balance statements)
    label_header: str = "科目"  # the header of the label column
    caption: str | None = None  # the text rendering's first line, when not title, period and unit
    notes: list[str] = field(default_factory=list)  # printed under the table
    presentation: Presentation = field(default_factory=Presentation)  # how text, workbooks and PDF print it

    def heading(self, label: str, level: int) -> None:
        self.rows.append(Row(label, "heading", level))

    def line(self, label: str, level: int, values: Iterable[object], account: str | None = None) -> None:
        self.rows.append(Row(label, "line", level, _cells(values), account))

    def subtotal(self, label: str, level: int, values: Iterable[object], account: str | None = None) -> None:
        self.rows.append(Row(label, "subtotal", level, _cells(values), account))

    def find(self, label: str, *, kind: str | None = None, occurrence: int = 0) -> Row:
        """The ``occurrence``-th row labelled ``label`` (of ``kind`` if given)."""
        found = [r for r in self.rows if r.label == label and (kind is None or r.kind == kind)]
        if len(found) <= occurrence:
            raise KeyError(f"{self.id}: no row {label!r} (#{occurrence})")
        return found[occurrence]

    def value(self, label: str, column: str | int = 0, *, occurrence: int = 0) -> Value:
        row = self.find(label, occurrence=occurrence)
        index = column if isinstance(column, int) else [c.label for c in self.columns].index(column)
        if row.values is None:
            raise KeyError(f"{self.id}: {label!r} is a heading")
        return row.values[index]

    def to_dict(self) -> dict:
        """The JSON shape (the same as the published reference data's tables); a fractional
        amount is a string (exact); a column in its own unit says so in ``column_units``."""
        out: dict = {"id": self.id, "title": self.title, "unit": self.unit, "columns": [c.label for c in self.columns]}
        if any(c.business for c in self.columns):
            out["businesses"] = [c.business for c in self.columns]
        if any(c.unit for c in self.columns):
            out["column_units"] = {c.label: c.unit for c in self.columns if c.unit}
        if self.period:
            out["period"] = list(self.period)
        if self.as_of:
            out["as_of"] = self.as_of
        out["rows"] = [
            {"label": r.label, "kind": r.kind, "level": r.level,
             "values": [str(v) if isinstance(v, Decimal) else v for v in r.values] if r.values is not None else None,
             **({"account": r.account} if r.account else {}), **({"note": r.note} if r.note else {})}
            for r in self.rows
        ]
        return out


__all__ = ["Column", "Kind", "Layout", "Presentation", "Row", "Table", "Value"]
