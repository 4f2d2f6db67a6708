"""Issue 13, exports carry no formulas: a ledger whose labels, business names and narrations begin with =, +, - or @
gives statements, reports and postings whose CSV cells are neutralised ('=1+1) and whose workbooks hold texts, never
formulas (no <f> element in any sheet), while the amounts stay numbers."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from jlis_ledger.core.cells import FORMULA_STARTS
from tests_cli_helper import jlis

LEDGER = """\
option "operating_currency" "JPY"
option "title" "=HYPERLINK(\\"http://example.invalid\\")"
plugin "jlis_ledger.plugins.segments" "{'mode': 'strict', 'clearing': 'Liabilities:Clearing'}"
2022-04-01 custom "fava-option" "fiscal-year-end" "03-31"
2022-04-01 custom "business" "B1-一般事業"
  name: "@SUM(A1:A2)"
2022-04-01 custom "business" "B2-二"
  name: "-2+3"
2022-04-01 open Assets:Cash:B1-一般事業 JPY
  label: "+cmd"
2022-04-01 open Income:Sales:B1-一般事業 JPY
  label: "=1+1"
2022-04-01 open Assets:Cash:B2-二 JPY
  label: "+cmd"
2022-04-01 open Income:Sales:B2-二 JPY
  label: "=1+1"
2022-05-01 * "=1+1" "=2+2"
  basis: "derived"
  rule: "@rule"
  Assets:Cash:B1-一般事業   1000 JPY
  Income:Sales:B1-一般事業  -1000 JPY
2022-06-01 * "売上"
  Assets:Cash:B2-二   -250 JPY
  Income:Sales:B2-二  250 JPY
"""

HOSTILE = {"=1+1", "+cmd", "@SUM(A1:A2)", "-2+3", "=2+2", "@rule"}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("formula") / "main.beancount"
    path.write_text(LEDGER, encoding="utf-8")
    return path


def _numeric(cell: str) -> bool:
    try:
        int(cell)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("command", [
    ["statements", "--statement", "pl"], ["statements", "--statement", "segment-pl"], ["statements", "--statement", "segment-bs"],
    ["check"], ["sources"], ["export", "postings"],
], ids=lambda c: " ".join(c))
def test_csv_text_cells_are_neutralised_and_amounts_stay_numbers(ledger, command):
    position = 2 if command[0] == "export" else 1
    result = jlis(*command[:position], str(ledger), *command[position:], "--format", "csv")
    assert result.returncode == 0, result.stderr
    cells = [cell for row in csv.reader(io.StringIO(result.stdout)) for cell in row]
    assert {c[1:] for c in cells if c[:1] == "'"} & HOSTILE  # the hostile texts are there, neutralised
    for cell in cells:
        if cell.startswith(FORMULA_STARTS):
            assert _numeric(cell), cell  # only a negative amount begins with -, and it is a number
    if command[-1] in ("segment-bs", "postings"):
        assert any(_numeric(c) and c.startswith("-") for c in cells)  # negative amounts are written as numbers


@pytest.mark.parametrize("statement", ["pl", "segment-pl", "segment-bs"])
def test_workbook_cells_are_texts_never_formulas(ledger, tmp_path, statement):
    import openpyxl

    out = tmp_path / "s.xlsx"
    result = jlis("statements", str(ledger), "--statement", statement, "--format", "xlsx", "-o", str(out))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in book.read(name) and b"<f " not in book.read(name), name
    workbook = openpyxl.load_workbook(out)
    texts = {cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
    assert texts & {"=1+1", "+cmd"}  # the labels, shown as the ledger says, as texts
    assert '=HYPERLINK("http://example.invalid")' in texts  # the entity (the ledger's title)
    if statement.startswith("segment"):
        assert {"@SUM(A1:A2)", "-2+3"} <= texts
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
