"""Issue 13, exports carry no formulas: a text cell of the 弥生 and マネーフォワード exports that a spreadsheet would
evaluate (=, +, -, @) is written with a leading apostrophe, numbers stay numbers, and the import reads the text back
exactly (jlis_ledger.core.cells)."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from beancount.parser import parser

from jlis_ledger.core.cells import FORMULA_STARTS, neutralise, restore
from jlis_ledger.importers import mf_export, moneyforward, yayoi, yayoi_export

HOSTILE = """
2023-05-01 * "=1+1"
  memo: "@SUM(A1:A9)"
  Expenses:1-委託費:B1-一般事業     1000 JPY
    tax_class: "+課対仕入10%"
    tax_amount: -50
  Assets:1-預金:1-普通:B1-一般事業  -1000 JPY
    sub_account: "-cmd|' /C calc'!A0"
2023-05-02 * "'quoted"
  Expenses:1-委託費:B1-一般事業     2000 JPY
  Assets:1-預金:1-普通:B1-一般事業  -1000 JPY
  Assets:1-預金:1-普通:B1-一般事業  -1000 JPY
    description: "=HYPERLINK(\\"http://x\\")"
"""

START, END = datetime.date(2023, 4, 1), datetime.date(2024, 3, 31)


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _entries():
    entries, errors, _ = parser.parse_string(HOSTILE)
    assert not errors
    return entries


def _text_cells(rows: list[list[str]], numbers: set[int]) -> list[str]:
    return [cell for row in rows for i, cell in enumerate(row) if i not in numbers]


@pytest.mark.parametrize("product", ["yayoi", "mf"])
def test_no_exported_text_cell_is_a_formula_and_the_import_reads_it_back(product, mapping, info, tmp_path):
    entries = _entries()
    if product == "yayoi":
        result = yayoi_export.export(entries, mapping, START, END)
        numbers = {8, 9, 14, 15}  # 借方金額, 借方税金額, 貸方金額, 貸方税金額 (0-based)
        reader = yayoi.extract
    else:
        result = mf_export.export(entries, mapping, START, END)
        numbers = {8, 9, 16, 17}  # 借方金額(円), 借方税額, 貸方金額(円), 貸方税額
        reader = moneyforward.extract
    rows = _cells(result.text)
    if product == "mf":
        rows = rows[1:]  # the header
    for cell in _text_cells(rows, numbers):
        assert not cell.startswith(FORMULA_STARTS), cell
    written = {cell for row in rows for cell in row}
    assert {"'=1+1", "'@SUM(A1:A9)", "'+課対仕入10%", "'-cmd|' /C calc'!A0", "''quoted", "'=HYPERLINK(\"http://x\")"} <= written
    assert "-50" in {row[9] for row in rows}  # a negative tax amount is a number, not neutralised
    path = tmp_path / f"{product}.csv"
    path.write_bytes(result.encoded())
    again = reader(str(path), mapping, info)
    assert [e.narration for e in again] == ["=1+1", "'quoted"]
    assert again[0].meta["memo"] == "@SUM(A1:A9)"
    debit, credit = again[0].postings[:2]
    assert debit.meta["tax_class"] == "+課対仕入10%" and debit.meta["tax_amount"] == Decimal(-50)
    assert credit.meta["sub_account"] == "-cmd|' /C calc'!A0"
    assert [(p.meta or {}).get("description") for p in again[1].postings] == [None, None, '=HYPERLINK("http://x")']


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "'", "''", "'=1", "'abc", "abc", "", "本部", "=", "-"])
def test_restore_undoes_neutralise(text):
    assert restore(neutralise(text)) == text
    assert not neutralise(text).startswith(FORMULA_STARTS)


def test_an_apostrophe_before_an_ordinary_text_is_not_ours():
    assert restore("'本部") == "'本部"
    assert restore("'1") == "'1"
