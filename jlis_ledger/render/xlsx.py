"""Tables as a workbook for the auditors (openpyxl): one sheet per table.

Each sheet has the title, the period and the unit, a frozen header row and label column, the
rows in published order indented by level, headings and subtotals in bold (a rule above a
top-level subtotal), and amounts as numbers with a yen format that shows negatives with △ as the
publication does.  A text is always written as a text, never as a formula (openpyxl would store
a string beginning with ``=`` as one).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from jlis_ledger.render.files import write as write_file
from jlis_ledger.render.text import width
from jlis_ledger.table import Table, Value

YEN_FORMAT = '#,##0;"△"#,##0;0'
HEADER_ROW = 4
#: The characters Excel refuses in a sheet title, each made a space.
_UNSAFE = "[]:*?/\\"
_TITLE_UNSAFE = str.maketrans(_UNSAFE, " " * len(_UNSAFE))


def _sheet_title(table: Table, used: set[str]) -> str:
    title = table.title.translate(_TITLE_UNSAFE)[:31]
    if title in used:
        title = f"{title[:28]} {len(used)}"
    used.add(title)
    return title


def put(cell: Cell, value: Value) -> None:
    """Set a cell: an amount as a number, a text as a text (never a formula)."""
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    elif isinstance(value, Decimal):
        cell.value = float(value) if value != value.to_integral_value() else int(value)
    else:
        cell.value = value


def workbook(tables: Iterable[Table]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    bold = Font(bold=True)
    rule = Border(top=Side(style="thin"))
    for table in tables:
        ws = wb.create_sheet(_sheet_title(table, used))
        put(ws["A1"], table.title)
        ws["A1"].font = Font(bold=True, size=13)
        when = f"{table.period[0]} 〜 {table.period[1]}" if table.period else (f"{table.as_of} 現在" if table.as_of else "")
        put(ws["A2"], when)
        unit = ws.cell(row=2, column=len(table.columns) + 1)
        put(unit, f"（単位：{table.unit}）")
        unit.alignment = Alignment(horizontal="right")
        for j, header in enumerate([table.label_header, *(c.label for c in table.columns)], start=1):
            cell = ws.cell(row=HEADER_ROW, column=j)
            put(cell, header)
            cell.font = bold
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        for i, row in enumerate(table.rows, start=HEADER_ROW + 1):
            label = ws.cell(row=i, column=1)
            put(label, row.label)
            label.alignment = Alignment(indent=row.level)
            if row.kind != "line":
                label.font = bold
            for j, value in enumerate(row.values or (), start=2):
                cell = ws.cell(row=i, column=j)
                put(cell, value)
                if not isinstance(value, str):
                    cell.number_format = YEN_FORMAT
                if row.kind == "subtotal":
                    cell.font = bold
                    if row.level == 0:
                        cell.border = rule
        ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)
        labels = [width(r.label) + 2 * r.level for r in table.rows] + [width(table.label_header)]
        ws.column_dimensions["A"].width = max(labels) + 2
        for j, column in enumerate(table.columns, start=2):
            ws.column_dimensions[get_column_letter(j)].width = max(18, width(column.label) + 2)
    return wb


def write(tables: Iterable[Table], path: str | Path) -> None:
    """Write ``tables`` to the workbook at ``path``, atomically (:func:`jlis_ledger.render.files.write`)."""
    wb = workbook(tables)
    write_file(path, wb.save)


__all__ = ["HEADER_ROW", "YEN_FORMAT", "put", "workbook", "write"]
