"""Tables as a workbook that prints like the report (openpyxl): one sheet per table.

Each sheet, as :mod:`.present` prints the table: the entity, the title, the 和暦 date and the
unit above the published heads (wrapped), the rows in published order indented by level,
headings and subtotals in bold, a thin rule around every cell.  Every amount cell keeps its
exact signed yen; what the report prints — a 減少額 column positive, △ for a negative, ``-``
for a zero, 千円 or 百万円 — is the cell's number format.  A text is always written as a text,
never as a formula (openpyxl would store a string beginning with ``=`` as one).

Printing: A4, landscape when the sheet is wide, fitted to one page wide; the header rows and
the label column repeated on every page; a page header (entity, statement, fiscal year) and
footer (preparation date, page x / y, the books' revision and the reconcile result: a
:class:`~jlis_ledger.render.stamp.Stamp`); one Japanese font named in every cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from jlis_ledger.core.numbers import UNITS
from jlis_ledger.render.files import write as write_file
from jlis_ledger.render.present import Printed, PrintedColumn, printed
from jlis_ledger.render.stamp import Stamp
from jlis_ledger.render.text import width
from jlis_ledger.table import Table, Value

YEN_FORMAT = '#,##0;"△"#,##0;0'
HEADER_ROW = 4
#: The font named in every cell unless the ledger declares one (``statement-option "*" "font"``): the
#: IPAex明朝 that the PDF embeds (``make print-tools`` installs it; Excel substitutes a font it lacks).
FONT = "IPAex明朝"
#: The units a number format can show (Excel scales by thousands only: 億円 cannot be a format).
SCALES = {"円": "", "千円": ",", "百万円": ",,"}
#: Sheets wider than this (in column-width units) print landscape.
PORTRAIT_WIDTH = 100
VALUE_WIDTH = 16  # the widest value column before its head wraps
#: The characters Excel refuses in a sheet title, each made a space.
_UNSAFE = "[]:*?/\\"
_TITLE_UNSAFE = str.maketrans(_UNSAFE, " " * len(_UNSAFE))
_THIN = Side(style="thin")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


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


def stored(column: PrintedColumn, shown: Printed, value: Value) -> Value:
    """The number a cell holds: exact yen in 円, 千円 and 百万円 (the format scales); a unit Excel cannot scale
    by thousands (億円) holds the exact amount in that unit (11,010,000,000 円: 110.1); a count as it is."""
    unit = column.unit or shown.unit
    if unit in SCALES or unit not in UNITS or value is None or isinstance(value, str):
        return value
    return Decimal(value) / UNITS[unit][0]


def number_format(column: PrintedColumn, shown: Printed, value: Value = None) -> str:
    """The format that prints a raw signed yen amount as the report does: the column's sign, the
    negative and zero marks, the unit (``#,##0,`` is 千円); a fraction of a yen is shown exactly.  ``value`` is the
    number the cell holds (:func:`stored`): in 億円 its own unit, at least the unit's decimals."""
    unit = column.unit or shown.unit
    places = ""
    least = UNITS[unit][1] if unit in UNITS and unit not in SCALES else 0
    if isinstance(value, Decimal) and value != value.to_integral_value():
        exponent = value.as_tuple().exponent
        least = max(least, -exponent if isinstance(exponent, int) else 0)
    if least:
        places = "." + "0" * least
    body = f"#,##0{places}{SCALES.get(unit, '')}"
    marked = f'"{shown.negative}"{body}'
    zero = "0" if shown.zero == "0" else '"' + shown.zero.replace('"', "") + '"'
    return f"{body};{marked};{zero}" if column.sign > 0 else f"{marked};{body};{zero}"


def _escape(text: str) -> str:
    return text.replace("&", "&&")


def _header_footer(ws: Worksheet, shown: Printed, stamp: Stamp, font: str) -> None:
    """Header: entity, statement, fiscal year and 照合; footer: 作成日, page x / y, 版 (one line each: a
    line break in a header is not read back by every spreadsheet)."""
    facts = {fact.split(" ", 1)[0]: fact for fact in stamp.facts()}
    year = "  ".join(part for part in (stamp.year, stamp.reconcile) if part)
    parts = {
        (ws.oddHeader, "left"): stamp.entity or shown.entity or "",
        (ws.oddHeader, "center"): shown.title,
        (ws.oddHeader, "right"): year,
        (ws.oddFooter, "left"): facts.get("作成", ""),
        (ws.oddFooter, "center"): "&P / &N",
        (ws.oddFooter, "right"): facts.get("版", ""),
    }
    for (header, side), text in parts.items():
        item = getattr(header, side)
        item.text = text if text == "&P / &N" else _escape(text)
        item.font = f"{font},Regular"
        item.size = 8


def _page_setup(ws: Worksheet, total_width: float) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if total_width > PORTRAIT_WIDTH else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as the rows need
    ws.page_setup.firstPageNumber = 1  # each statement's pages are numbered from 1
    ws.page_setup.useFirstPageNumber = True
    ws.print_title_rows = f"1:{HEADER_ROW}"
    ws.print_title_cols = "A:A"
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True


def _sheet(ws: Worksheet, shown: Printed, stamp: Stamp, font: str) -> None:
    columns = len(shown.columns) + 1  # the label column and the printed value columns
    regular, bold = Font(name=font, size=10), Font(name=font, size=10, bold=True)
    lines = ((1, 1, shown.entity or "", regular, "left"),
             (2, columns, shown.title, Font(name=font, size=14, bold=True), "center"),
             (3, columns - 1, f"（{shown.when}）" if shown.when else "", regular, "center"),
             (3, None, shown.unit_line, regular, "right"))
    for at, span, text, style, align in lines:
        cell = ws.cell(row=at, column=columns if span is None else 1)
        put(cell, text)
        cell.font, cell.alignment = style, Alignment(horizontal=align)
        if span is not None and span > 1:
            ws.merge_cells(start_row=at, start_column=1, end_row=at, end_column=span)
    rule = _GRID if shown.heads else Border()  # the two-column form of 利益の処分 is printed without rules

    heads = [shown.label_head, *(c.head for c in shown.columns)] if shown.heads else [""] * columns
    for j, head in enumerate(heads, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j)
        put(cell, head)
        cell.font, cell.border = regular, rule
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    label_width = min(50, max([width(r.label) + 2 * r.level + 2 for r in shown.rows] + [width(shown.label_head) + 2]))
    widths = [max([width(r.cells[j]) + 2 for r in shown.rows] + [12]) for j in range(len(shown.columns))]
    widths = [max(w, min(VALUE_WIDTH, width(c.head) + 2)) for w, c in zip(widths, shown.columns, strict=True)]
    for i, row in enumerate(shown.rows, start=HEADER_ROW + 1):
        label = ws.cell(row=i, column=1)
        put(label, row.label)
        label.font = regular if row.kind == "line" else bold
        # an indent prints only in a cell aligned left
        label.alignment = Alignment(horizontal="left", indent=row.level, vertical="center", wrap_text=True)
        label.border = rule
        for j, (column, value) in enumerate(zip(shown.columns, row.values, strict=True), start=2):
            cell = ws.cell(row=i, column=j)
            cell.border = rule
            cell.font = bold if row.kind == "subtotal" else regular
            if value is None:
                continue
            put(cell, stored(column, shown, value))
            if not isinstance(value, str) and not column.text:
                cell.number_format = number_format(column, shown, stored(column, shown, value))
                cell.alignment = Alignment(horizontal="right", vertical="center")
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)
    ws.column_dimensions["A"].width = label_width
    for j, w in enumerate(widths, start=2):
        ws.column_dimensions[get_column_letter(j)].width = w
    wrapped = max([-(-width(h) // max(1, int(w) - 2)) for h, w in zip(heads[1:], widths, strict=True)] + [1])
    ws.row_dimensions[HEADER_ROW].height = 14 * wrapped + 4
    _page_setup(ws, label_width + sum(widths))
    _header_footer(ws, shown, stamp, font)


def workbook(tables: Iterable[Table], *, stamp: Stamp | None = None, unit: str | None = None, font: str = FONT) -> Workbook:
    """One sheet per table, printed as :mod:`.present` prints it, in ``unit`` (円, 千円 or 百万円; default each table's)."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for table in tables:
        ws = wb.create_sheet(_sheet_title(table, used))
        _sheet(ws, printed(table, unit=unit), stamp or Stamp(), font)
    return wb


def write(tables: Iterable[Table], path: str | Path, *, stamp: Stamp | None = None, unit: str | None = None,
          font: str = FONT) -> None:
    """Write ``tables`` to the workbook at ``path``, atomically (:func:`jlis_ledger.render.files.write`)."""
    wb = workbook(tables, stamp=stamp, unit=unit, font=font)
    write_file(path, wb.save)


__all__ = ["FONT", "HEADER_ROW", "SCALES", "YEN_FORMAT", "number_format", "put", "workbook", "write"]
