"""The table object every statement builder returns and every renderer reads.

A :class:`Table` is the published statement's shape: a title, a unit, value
columns, and rows in published order.  A row has the published label, its
nesting level, its kind (``heading``: no values; ``line``: a published line;
``subtotal``: a 合計/計/利益 row) and one integer yen per column, signed (a
decrease, an outflow or a negative balance is negative).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["heading", "line", "subtotal"]


@dataclass(frozen=True)
class Column:
    """A value column: its published header and, in a segment table, the business it shows."""

    label: str
    business: str | None = None  # the business leaf (e.g. ``B1-一般事業``); None for 合計 and non-segment columns


@dataclass(frozen=True)
class Row:
    label: str
    kind: Kind
    level: int
    values: tuple[int, ...] | None = None  # None for a heading
    account: str | None = None  # the line's account without its business (links in Fava)


@dataclass
class Table:
    id: str
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    unit: str = "円"
    period: tuple[str, str] | None = None  # ISO dates, both inclusive (flow statements)
    as_of: str | None = None  # ISO date (balance statements)

    def heading(self, label: str, level: int) -> None:
        self.rows.append(Row(label, "heading", level))

    def line(self, label: str, level: int, values, account: str | None = None) -> None:
        self.rows.append(Row(label, "line", level, tuple(int(v) for v in values), account))

    def subtotal(self, label: str, level: int, values, account: str | None = None) -> None:
        self.rows.append(Row(label, "subtotal", level, tuple(int(v) for v in values), account))

    def find(self, label: str, *, kind: str | None = None, occurrence: int = 0) -> Row:
        """The ``occurrence``-th row labelled ``label`` (of ``kind`` if given)."""
        found = [r for r in self.rows if r.label == label and (kind is None or r.kind == kind)]
        if len(found) <= occurrence:
            raise KeyError(f"{self.id}: no row {label!r} (#{occurrence})")
        return found[occurrence]

    def value(self, label: str, column: str | int = 0, *, occurrence: int = 0) -> int:
        row = self.find(label, occurrence=occurrence)
        index = column if isinstance(column, int) else [c.label for c in self.columns].index(column)
        if row.values is None:
            raise KeyError(f"{self.id}: {label!r} is a heading")
        return row.values[index]

    def to_dict(self) -> dict:
        """The JSON shape (the same as the published reference data's tables)."""
        out: dict = {"id": self.id, "title": self.title, "unit": self.unit, "columns": [c.label for c in self.columns]}
        if any(c.business for c in self.columns):
            out["businesses"] = [c.business for c in self.columns]
        if self.period:
            out["period"] = list(self.period)
        if self.as_of:
            out["as_of"] = self.as_of
        out["rows"] = [
            {"label": r.label, "kind": r.kind, "level": r.level,
             "values": list(r.values) if r.values is not None else None,
             **({"account": r.account} if r.account else {})}
            for r in self.rows
        ]
        return out
