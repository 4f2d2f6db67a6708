"""Render statement tables: text (aligned, East Asian wide characters), CSV (the contract), JSON.

The workbook (xlsx) is in :mod:`jlis_ledger.statements.xlsx`.  Amounts are integer yen in
the table; the text rendering can show them in 千円, 百万円 or 億円 with the publication's
rounding (half up, away from zero, each figure on its own) and negatives as △.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal

from jlis_ledger.statements.table import Table
from jlis_ledger.summary import pad, width

#: unit -> (yen per unit, decimals shown)
UNITS: dict[str, tuple[int, int]] = {"円": (1, 0), "千円": (1_000, 0), "百万円": (1_000_000, 0), "億円": (100_000_000, 1)}
NEGATIVES = ("-", "△", "▲")


def scaled(value: int, unit: str = "円") -> Decimal:
    """``value`` yen in ``unit``, rounded half up (away from zero) as the publication rounds."""
    per, places = UNITS[unit]
    return (Decimal(value) / per).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number(value: int, unit: str = "円", negative: str = "-") -> str:
    """``value`` with thousands separators, in ``unit``, a negative marked with ``negative`` (- or △)."""
    if negative not in NEGATIVES:
        raise ValueError(f"negative marker {negative!r}: one of {', '.join(NEGATIVES)}")
    amount = scaled(value, unit)
    places = UNITS[unit][1]
    text = f"{abs(amount):,.{places}f}"
    return f"{negative}{text}" if amount < 0 else text


def _caption(table: Table, unit: str) -> str:
    when = f"{table.period[0]} 〜 {table.period[1]}" if table.period else (f"{table.as_of} 現在" if table.as_of else "")
    return "  ".join(part for part in (table.title, when, f"（単位：{unit}）") if part)


def text(table: Table, *, unit: str = "円", negative: str = "-", indent: str = "  ") -> str:
    """Aligned columns: labels indented by level, amounts right-aligned, as wide as their widest cell
    counted in display columns (a Japanese character takes two)."""
    header = ["科目", *(c.label for c in table.columns)]
    body = []
    for row in table.rows:
        cells = [indent * row.level + row.label]
        cells += [""] * len(table.columns) if row.values is None else [number(v, unit, negative) for v in row.values]
        body.append(cells)
    widths = [max(width(r[i]) for r in [header, *body]) for i in range(len(header))]
    rule = "  ".join("-" * w for w in widths)
    lines = [_caption(table, unit), "", "  ".join(pad(h, w, right=i > 0) for i, (h, w) in enumerate(zip(header, widths))), rule]
    for row, cells in zip(table.rows, body):
        if row.kind == "subtotal" and row.level == 0:
            lines.append(rule)
        lines.append("  ".join(pad(c, w, right=i > 0) for i, (c, w) in enumerate(zip(cells, widths))).rstrip())
    return "\n".join(lines) + "\n"


def csv_text(table: Table) -> str:
    """The contract: UTF-8, a header row, 科目 then one column per published value column, rows in
    published order (headings with empty values), amounts as signed integer yen."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["科目", *(c.label for c in table.columns)])
    for row in table.rows:
        writer.writerow([row.label, *([""] * len(table.columns) if row.values is None else row.values)])
    return out.getvalue()


def json_text(tables: Table | dict[str, Table]) -> str:
    data = tables.to_dict() if isinstance(tables, Table) else {i: t.to_dict() for i, t in tables.items()}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
