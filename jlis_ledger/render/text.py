"""Tables as aligned text: the one wide-character text table of jlis-ledger.

Display widths count East Asian wide and full-width characters as two columns, so Japanese
labels line up in a terminal::

    >>> width("一般事業")
    8
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from jlis_ledger.core.numbers import figure
from jlis_ledger.render.present import printed
from jlis_ledger.table import Table, Value


def width(text: str) -> int:
    """Display width in a terminal: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def grid(header: Sequence[str], body: Sequence[Sequence[str]], *, right: Sequence[bool] | None = None,
         rules: Iterable[int] = ()) -> list[str]:
    """Aligned lines: the header, a rule, the body rows (a rule also before each row index in ``rules``);
    ``right[i]``: column ``i`` is right-aligned (default: every column but the first)."""
    table = [list(header), *[list(r) for r in body]]
    sizes = [max(width(r[c]) for r in table) for c in range(len(header))]
    right = list(right) if right is not None else [c > 0 for c in range(len(header))]
    rule = "  ".join("-" * s for s in sizes)
    before = set(rules)

    def line(cells: Sequence[str]) -> str:
        return "  ".join(pad(cell, sizes[c], right=right[c]) for c, cell in enumerate(cells)).rstrip()

    out = [line(table[0]), rule]
    for i, cells in enumerate(table[1:]):
        if i in before:
            out.append(rule)
        out.append(line(cells))
    return out


def caption(table: Table, unit: str) -> str:
    """The first line: the title, the 和暦 date and the unit (or the table's own caption)."""
    if table.caption is not None:
        return table.caption
    shown = printed(table, unit=unit)
    return "  ".join(part for part in (table.title, f"（{shown.when}）" if shown.when else "", shown.unit_line) if part)


def cell(value: Value, unit: str, negative: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return figure(value, unit, negative)


def _one(table: Table, unit: str | None, negative: str | None, indent: str) -> str:
    shown = printed(table, unit=unit, negative=negative)
    header = [shown.label_head, *(c.head for c in shown.columns)]
    body, rules = [], []
    for i, row in enumerate(shown.rows):
        body.append([indent * row.level + row.label, *row.cells])
        if row.kind == "subtotal" and row.level == 0 and shown.heads:
            rules.append(i)
    right = [False] + [not c.text for c in shown.columns]
    lines = grid(header, body, right=right, rules=rules)
    if not shown.heads:
        lines = lines[2:]  # the two-column form prints no header row
    top = [shown.entity] if shown.entity and table.caption is None else []
    out = [*top, caption(table, shown.unit), "", *lines, *table.notes]
    return "\n".join(out) + "\n"


def text(tables: Table | Iterable[Table], *, unit: str | None = None, negative: str | None = None, indent: str = "  ") -> str:
    """Aligned columns as the publication prints them (:mod:`.present`): the entity, the title with its
    和暦 date and unit, labels indented by level, amounts right-aligned in ``unit`` (default: each
    table's own) with each column's display sign, the table's zero mark and ``negative`` (default:
    each table's mark), each column as wide as its widest cell counted in display columns; several
    tables are separated by a blank line."""
    if isinstance(tables, Table):
        return _one(tables, unit, negative, indent)
    return "\n".join(_one(t, unit, negative, indent) for t in tables)


__all__ = ["caption", "grid", "pad", "text", "width"]
