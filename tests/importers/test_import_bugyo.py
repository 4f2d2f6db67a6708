"""勘定奉行 OBC受入形式: the fixture against its hand-written expected entries, the * rule, codes, bad input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from beancount import loader
from importer_helpers import FIXTURES, LEDGER, assert_one_error_nothing_written, assert_same_as_expected

from jlis_ledger.importers import bugyo
from jlis_ledger.cli import main

DOCUMENT = FIXTURES / "bugyo-fy2023.csv"
CODES = ["OBCD001", "CSJS003", "CSJS004", "CSJS005", "CSJS006", "CSJS007", "CSJS200", "CSJS201", "CSJS202", "CSJS213",
         "CSJS214", "CSJS300", "CSJS301", "CSJS302", "CSJS313", "CSJS314", "CSJS100"]


def test_fixture_gives_the_expected_entries(mapping, info):
    entries = bugyo.extract(str(DOCUMENT), mapping, info)
    assert_same_as_expected(entries, Path(str(DOCUMENT) + ".beancount"))


def test_imported_entries_load_into_the_strict_ledger(tmp_path, capsys):
    out = tmp_path / "new.beancount"
    assert main(["import", "--ledger", str(LEDGER), "extract", str(DOCUMENT), "-o", str(out)]) == 0
    books = tmp_path / "books.beancount"
    books.write_text(LEDGER.read_text(encoding="utf-8") + f'\ninclude "{out}"\n', encoding="utf-8")
    entries, errors, _ = loader.load_file(str(books))
    assert errors == []
    assert len([e for e in entries if hasattr(e, "postings")]) == 5


def test_identified_by_bugyo_only(capsys):
    assert main(["import", "--ledger", str(LEDGER), "identify", str(DOCUMENT)]) == 0
    assert "jlis.bugyo" in capsys.readouterr().out


def row(mark="*", date="2023/04/01", no="", closing="", debit=("100", "1120", "", "1000", "0"),
        credit=("100", "4110", "", "1000", "0"), text="摘要", method="", slip="") -> list[str]:
    return [mark, method, slip, date, closing, no, *debit, *credit, text]


def write(path: Path, rows, encoding="cp932", names=False) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CODES)
    if names:
        w.writerow(["伝票区切"] + ["名"] * (len(CODES) - 1))
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def test_columns_in_any_order_and_utf8(mapping, info, tmp_path):
    document = write(tmp_path / "b.csv", [row(), row("", debit=("200", "7410", "", "500", "50"), credit=("200", "1310", "", "500", ""))],
                     encoding="utf-8-sig", names=True)
    entries = bugyo.extract(str(document), mapping, info)
    assert len(entries) == 1 and len(entries[0].postings) == 4


def test_star_starts_a_voucher_and_repeats_are_reported(mapping, info, tmp_path):
    rows = [row(no="1"), row("", debit=("100", "1120", "", "5", "0"), credit=("100", "4110", "", "5", "0")), row(no="2"), row(no="1"),
            row("", debit=("100", "1120", "", "5", "0"), credit=("100", "4110", "", "5", "0"))]
    document = write(tmp_path / "b.csv", rows)
    reader = bugyo.Reader(str(document), mapping, info, "bugyo")
    entries = reader.read()
    assert [e.meta["voucher"] for e in entries] == ["1", "2"]
    assert reader.notices == [(f"{document}:5: 伝票番号 1 repeats the one at row 2 identically: imported once "
                              "(--keep-repeats imports every copy)")]
    assert [e.meta["import_id"] for e in bugyo.extract(str(document), mapping, info, keep_repeats=True)] == \
        ["bugyo:2023-04-01:1", "bugyo:2023-04-01:2", "bugyo:2023-04-01:1#2"]


BAD = {
    "wrong encoding": (None, 3, r"neither UTF-8 nor Shift_JIS \(cp932\) text"),
    "column count": ([row(), row()[:16]], 3, r"expected 17 columns \(as the 受入記号 row\), found 16"),
    "no * first": ([row("")], 2, r"the first 明細 has no 伝票区切 \*"),
    "bad mark": ([row(), row("#")], 3, r"伝票区切 must be \* .* not '#'"),
    "unknown 部門コード": ([row(), row(debit=("555", "1120", "", "1000", ""))], 3, r"借方部門コード 555 is not in the mapping"),
    "unknown 勘定科目コード": ([row(credit=("100", "9999", "", "1000", ""))], 2, r"貸方勘定科目コード 9999 is not in the mapping"),
    "unbalanced": ([row(no="9"), row("", debit=("100", "1120", "", "1", ""), credit=("", "", "", "", ""))], 2,
                   r"伝票番号 9: debits 1,001 ≠ credits 1,000 \(difference 1\)"),
    "malformed amount": ([row(debit=("100", "1120", "", "1.5", ""))], 2, r"malformed 借方金額 '1.5'"),
    "malformed tax": ([row(debit=("100", "1120", "", "1000", "x"))], 2, r"malformed 借方消費税額 'x'"),
    "amount without code": ([row(debit=("100", "", "", "1000", ""))], 2, r"借方金額 1000 without 借方勘定科目コード"),
    "malformed date": ([row(date="2023/04/31")], 2, r"malformed 伝票日付 '2023/04/31': no such day"),
    "malformed later date": ([row(), row("", date="2023/99/01", debit=("", "", "", "", ""), credit=("", "", "", "", ""))], 3,
                             r"malformed 伝票日付 '2023/99/01'"),
    "empty date": ([row(date="")], 2, r"伝票日付 is empty"),
    "bad 整理区分": ([row(closing="3")], 2, r"整理区分 must be 0 \(日常仕訳\), 1 \(決算整理\) or empty, not '3'"),
    "部門 against 伝票単位": ([row(method="0", slip="100", debit=("200", "1120", "", "1000", ""))], 2,
                          r"部門指定方法 0 \(伝票単位\) but 借方部門コード 200 is not the 伝票部門コード 100"),
    "NUL": ([row(text="a\x00")], 2, r"U\+0000 \(NUL\)"),
    "TAB": ([row(), row(text="a\tb")], 3, r"U\+0009 \(TAB\)"),
    "lone CR": ([row(text="a\rb")], 2, r"U\+000D \(CR\)"),
    "line break in a field": ([row(), row(text="a\nb")], 3, r"a line break inside a field"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input(case, tmp_path, capsys):
    lines, row_number, message = BAD[case]
    document = tmp_path / "bugyo.csv"
    if lines is None:
        write(document, [row()])
        document.write_bytes(document.read_bytes() + b"*,,,2023/04/01,\x85\x40\r\n")
    else:
        write(document, lines)
    assert_one_error_nothing_written(document, row_number, message, capsys)
