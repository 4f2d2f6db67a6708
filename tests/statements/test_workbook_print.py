"""Workbooks that print (issue 16, item 3): the page setup, header and footer read back with openpyxl."""

from __future__ import annotations

import datetime
import re
import subprocess
from decimal import ROUND_HALF_UP, Decimal

import pytest
from published_print import DASH_FOR_ZERO, ENTITY, MAGNITUDES, at_unit, regenerated
from tests_cli_helper import REPO, jlis

from jlis_ledger.render import xlsx
from jlis_ledger.statements import STATEMENT_IDS
from jlis_ledger.table import Column, Table

WIDE = {"segment-bs", "segment-pl", "fixed-assets"}  # 8 to 10 value columns: printed landscape
NARROW = {"bs", "pl", "appropriation", "equity", "cf", "deferred-revenue"}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory, published):
    from openpyxl import load_workbook

    out = tmp_path_factory.mktemp("xlsx") / "r4.xlsx"
    result = jlis("statements", "--all", "--year", "2022", "--format", "xlsx", "-o", str(out))
    assert result.returncode == 0, result.stderr
    wb = load_workbook(out)
    # one sheet per statement in STATEMENT_IDS order, named by its title (at most 31 characters; a second sheet of
    # the same title, 借入金等明細書 of lease-debt and borrowings, is numbered)
    sheets = dict(zip(STATEMENT_IDS, wb.worksheets, strict=True))
    for i, ws in sheets.items():
        title = published["tables"][i]["title"]
        assert ws.title == title[:31] or ws.title.startswith(title[:28] + " "), (i, ws.title)
    return sheets


def test_every_sheet_prints_on_a4_one_page_wide_with_heads_and_labels_repeated(workbook):
    assert len(workbook) == len(STATEMENT_IDS)
    for statement, ws in workbook.items():
        assert int(ws.page_setup.paperSize) == 9, statement  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, statement
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), statement  # 1 wide, as tall as needed
        assert ws.print_title_rows == "$1:$4" and ws.print_title_cols == "$A:$A", statement
        assert ws.page_setup.useFirstPageNumber and ws.page_setup.firstPageNumber == 1, statement
        expected = "landscape" if statement in WIDE else "portrait" if statement in NARROW else ws.page_setup.orientation
        assert ws.page_setup.orientation == expected, statement


def test_header_and_footer_say_entity_statement_year_page_date_revision_and_reconcile(workbook, published):
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=REPO).stdout.strip()
    figures = sum(len(r["values"] or []) for i, t in published["tables"].items() if i in workbook for r in t["rows"])
    today = datetime.date.today()
    for statement, ws in workbook.items():
        assert ws.oddHeader.left.text == ENTITY
        assert ws.oddHeader.center.text == published["tables"][statement]["title"]
        assert ws.oddHeader.right.text == f"令和4年度  照合 r4-kessan.json: {len(workbook)}表 {figures:,}件 差異0件"
        assert ws.oddFooter.center.text == "&P / &N"
        assert ws.oddFooter.left.text == f"作成 令和{today.year - 2018}年{today.month}月{today.day}日"
        assert re.fullmatch(rf"版 git {commit[:12]} · sha256 [0-9a-f]{{12}}", ws.oddFooter.right.text), ws.oddFooter.right.text
        assert all(part.font == f"{xlsx.FONT},Regular" for part in (ws.oddHeader.left, ws.oddFooter.right))


def test_a_japanese_font_is_named_in_every_cell_and_indents_and_heads_print(workbook, published):
    for statement, ws in workbook.items():
        used = [c for row in ws.iter_rows() for c in row if c.value is not None or (c.border.left and c.border.left.style)]
        assert used and all(c.font.name == xlsx.FONT for c in used), statement
        rows = published["tables"][statement]["rows"]
        labels = [ws.cell(row=xlsx.HEADER_ROW + 1 + i, column=1) for i in range(len(rows))]
        assert [c.value for c in labels] == [r["label"] for r in rows]
        for cell, row in zip(labels, rows, strict=True):
            assert (cell.alignment.horizontal, cell.alignment.indent) == ("left", row["level"])  # an indent that prints
        assert all(c.alignment.wrap_text for c in ws[xlsx.HEADER_ROW]), statement
    heads = workbook["fixed-assets"].row_dimensions[xlsx.HEADER_ROW].height
    assert heads >= 2 * 14  # 当期末減価償却累計額又は償却累計額 wraps: the row is made tall enough


def test_every_cell_keeps_the_published_signed_yen(workbook, published):
    for statement, ws in workbook.items():
        table = published["tables"][statement]
        for i, row in enumerate(table["rows"]):
            got = [c.value for c in ws[xlsx.HEADER_ROW + 1 + i][1:]]
            if row["values"] is None:
                assert set(got) <= {None}, (statement, row["label"])
            elif statement == "appropriation":
                assert row["values"][0] in got and set(got) <= {row["values"][0], None}, row["label"]
            elif statement.startswith("summary-"):  # 参考資料1-2: exact yen, printed in 百万円 by its number format
                assert [at_unit(v, table["unit"]) for v in got] == regenerated(table, row), (statement, row["label"])
            else:
                values = row["values"]
                # the 備考 column (a statement some notes cite) prints the mark of the notes that cite the row
                assert got[len(values):] in ([], [None], [row.get("note")]) and (got[len(values):] or [None])[0] == row.get("note"), \
                    (statement, row["label"])
                got = got[:len(values)]
                units = [table.get("column_units", {}).get(c) or table.get("unit", "円") for c in table["columns"]]
                assert [_published_unit(c, u, v) for c, u, v in zip(got, units, values, strict=True)] == values, (statement, row["label"])


def _published_unit(cell, unit: str, published):
    """A cell as the publication gives it: signed yen as it is; in 百万円 exact yen shown as whole 百万円; in 億円 the
    exact amount in 億円 (Excel cannot scale by 10^8), given as its string; a count as the string it is published as."""
    if published is None or cell is None or unit == "円" or isinstance(cell, str):
        return cell
    if unit in ("千円", "百万円"):
        scale = {"千円": 1_000, "百万円": 1_000_000}[unit]
        assert cell % scale == 0, cell  # declared in whole units: the exact yen are not published
        return cell // scale if isinstance(published, int) else f"{cell // scale:,}" if "," in published else str(cell // scale)
    number = Decimal(str(cell))  # the exact amount in the unit: the published figure is it rounded half up
    if isinstance(published, str) and "," in published:
        return f"{number:,}"
    exponent = Decimal(published.replace(",", "")).as_tuple().exponent if isinstance(published, str) else 0
    rounded = number.quantize(Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0), rounding=ROUND_HALF_UP)
    return str(rounded) if isinstance(published, str) else int(rounded)


def test_number_formats_print_the_reports_signs_and_zeros(workbook, published):
    for statement, ws in workbook.items():
        columns = published["tables"][statement]["columns"]
        for j, column in enumerate(columns, start=2):
            formats = {c.number_format for c in ws.iter_cols(min_col=j, max_col=j, min_row=xlsx.HEADER_ROW + 1).__next__()
                       if isinstance(c.value, int)}
            for fmt in formats:
                positive, negative, zero = fmt.split(";")
                magnitude = column in MAGNITUDES.get(statement, ())
                assert ("△" in negative) != magnitude and ("△" in positive) == magnitude, (statement, column, fmt)
                assert zero == ('"-"' if statement in DASH_FOR_ZERO else "0"), (statement, fmt)


def test_thousands_and_millions_are_number_formats_over_exact_yen(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "bs.xlsx"
    result = jlis("statements", "--statement", "bs", "--year", "2022", "--format", "xlsx", "--unit", "百万円", "-o", str(out))
    assert result.returncode == 0, result.stderr
    ws = load_workbook(out).worksheets[0]
    cash = next(r for r in ws.iter_rows(min_row=5) if r[0].value == "現金及び預金")[1]
    assert cash.value == 250680774548 and cash.number_format.split(";")[0] == "#,##0,,"
    assert ws.cell(row=3, column=2).value == "（単位：百万円）"
    refused = jlis("statements", "--statement", "bs", "--format", "xlsx", "--unit", "億円", "-o", str(tmp_path / "x.xlsx"))
    assert refused.returncode == 1 and "億円" in refused.stderr and not (tmp_path / "x.xlsx").exists()


def test_texts_stay_texts_and_header_ampersands_are_literal(tmp_path):
    from openpyxl import load_workbook

    from jlis_ledger.render.stamp import Stamp

    table = Table("x", "A&B 表", [Column("金額")])
    table.line("=SUM(A1:A2)", 0, [1])
    path = tmp_path / "x.xlsx"
    xlsx.write([table], path, stamp=Stamp(entity="R&D 機構"))
    ws = load_workbook(path).worksheets[0]
    label = ws.cell(row=xlsx.HEADER_ROW + 1, column=1)
    assert label.value == "=SUM(A1:A2)" and label.data_type == "s"
    assert ws.oddHeader.left.text == "R&&D 機構" and ws.oddHeader.center.text == "A&&B 表"  # && prints one &
