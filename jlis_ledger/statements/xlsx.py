"""A workbook of statements for the auditors (openpyxl): one sheet per statement.

Each sheet has the title, the period and the unit, a frozen header row and label
column, the rows in published order indented by level, headings and subtotals
in bold (a rule above a top-level subtotal), and amounts as numbers with a
yen format that shows negatives with △ as the publication does.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from jlis_ledger.statements.table import Table
from jlis_ledger.summary import width

YEN_FORMAT = '#,##0;"△"#,##0;0'
HEADER_ROW = 4


def _sheet_title(table: Table, used: set[str]) -> str:
    title = table.title.translate(str.maketrans({c: " " for c in "[]:*?/\\"}))[:31]
    if title in used:
        title = f"{title[:28]} {len(used)}"
    used.add(title)
    return title


def write(tables: list[Table], path: str | Path) -> None:
    """Write ``tables`` to the workbook at ``path`` (written to a temporary file, then moved into place)."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    bold = Font(bold=True)
    rule = Border(top=Side(style="thin"))
    for table in tables:
        ws = wb.create_sheet(_sheet_title(table, used))
        ws["A1"] = table.title
        ws["A1"].font = Font(bold=True, size=13)
        when = f"{table.period[0]} 〜 {table.period[1]}" if table.period else (f"{table.as_of} 現在" if table.as_of else "")
        ws["A2"] = when
        ws.cell(row=2, column=len(table.columns) + 1, value=f"（単位：{table.unit}）").alignment = Alignment(horizontal="right")
        for j, header in enumerate(["科目", *(c.label for c in table.columns)], start=1):
            cell = ws.cell(row=HEADER_ROW, column=j, value=header)
            cell.font = bold
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        for i, row in enumerate(table.rows, start=HEADER_ROW + 1):
            label = ws.cell(row=i, column=1, value=row.label)
            label.alignment = Alignment(indent=row.level)
            if row.kind != "line":
                label.font = bold
            for j, value in enumerate(row.values or (), start=2):
                cell = ws.cell(row=i, column=j, value=value)
                cell.number_format = YEN_FORMAT
                if row.kind == "subtotal":
                    cell.font = bold
                    if row.level == 0:
                        cell.border = rule
        ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)
        labels = [width(r.label) + 2 * r.level for r in table.rows] + [width("科目")]
        ws.column_dimensions["A"].width = max(labels) + 2
        for j, column in enumerate(table.columns, start=2):
            ws.column_dimensions[get_column_letter(j)].width = max(18, width(column.label) + 2)
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        wb.save(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
