"""freee 仕訳 CSV (汎用形式 and 仕訳帳 export): fixtures against hand-written expected entries, grouping, 和暦, bad input."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import pytest
from beancount import loader
from importer_helpers import FIXTURES, LEDGER, assert_one_error_nothing_written, assert_same_as_expected

from jlis_ledger.importers import freee
from jlis_ledger.cli import main

GENERAL = FIXTURES / "freee-fy2023.csv"  # 汎用形式, Shift_JIS
EXPORT = FIXTURES / "freee-journal-export.csv"  # 仕訳帳 export, UTF-8 with BOM


@pytest.mark.parametrize("document", [GENERAL, EXPORT], ids=["汎用形式", "仕訳帳 export"])
def test_fixture_gives_the_expected_entries(document, mapping, info):
    entries = freee.extract(str(document), mapping, info)
    assert_same_as_expected(entries, Path(str(document) + ".beancount"))


def test_imported_entries_load_into_the_strict_ledger(tmp_path, capsys):
    out = tmp_path / "new.beancount"
    assert main(["import", "--ledger", str(LEDGER), "extract", str(GENERAL), str(EXPORT), "-o", str(out)]) == 0
    books = tmp_path / "books.beancount"
    books.write_text(LEDGER.read_text(encoding="utf-8") + f'\ninclude "{out}"\n', encoding="utf-8")
    entries, errors, _ = loader.load_file(str(books))
    assert errors == []
    assert len([e for e in entries if hasattr(e, "postings")]) == 7


def test_identified_by_freee_only(capsys):
    assert main(["import", "--ledger", str(LEDGER), "identify", str(GENERAL), str(EXPORT)]) == 0
    out = capsys.readouterr().out
    assert out.count("jlis.freee") == 2 and "moneyforward" not in out


HEADER = ["日付", "伝票番号", "決算整理仕訳", "借方勘定科目", "借方部門", "借方税区分", "借方金額", "借方税額",
          "貸方勘定科目", "貸方部門", "貸方税区分", "貸方金額", "貸方税額", "摘要"]


def row(date="2023/04/01", no="", closing="", debit=("普通預金", "一般", "対象外", "1000", ""),
        credit=("元入金", "一般", "対象外", "1000", ""), text="摘要") -> list[str]:
    return [date, no, closing, *debit, *credit, text]


def write(path: Path, rows, encoding="cp932") -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


@pytest.mark.parametrize("text, expected", [
    ("2023/04/01", datetime.date(2023, 4, 1)), ("2023-4-1", datetime.date(2023, 4, 1)),
    ("2023年4月1日", datetime.date(2023, 4, 1)), ("令和5年4月1日", datetime.date(2023, 4, 1)),
    ("令和元年5月1日", datetime.date(2019, 5, 1)), ("平成31年4月30日", datetime.date(2019, 4, 30)),
])
def test_date_spellings(text, expected, mapping, info, tmp_path):
    document = write(tmp_path / "f.csv", [row(date=text)])
    assert [e.date for e in freee.extract(str(document), mapping, info)] == [expected]


def test_rows_without_voucher_number_are_single_entries_and_repeats_are_reported(mapping, info, tmp_path):
    document = write(tmp_path / "f.csv", [row(), row(no="7"), row(), row(no="7", text="別")])
    reader = freee.Reader(str(document), mapping, info, "freee")
    entries = reader.read()
    # the two rows of 伝票番号 7 are one 伝票 (same 日付 and 伝票番号), the repeated row without one is dropped
    assert [len(e.postings) for e in entries] == [2, 4]
    assert reader.notices == [(f"{document}:4: 仕訳 repeats the one at row 2 identically: imported once "
                              "(--keep-repeats imports every copy)")]
    kept = freee.extract(str(document), mapping, info, keep_repeats=True)
    assert len(kept) == 3 and len({e.meta["import_id"] for e in kept}) == 3


BAD = {
    "wrong encoding": (None, 3, r"neither UTF-8 nor Shift_JIS \(cp932\) text: byte 0x81"),
    "column count": ([row(), row()[:13]], 3, r"expected 14 columns \(as the header\), found 13"),
    "unknown 部門": ([row(), row(debit=("普通預金", "研修", "", "1000", ""))], 3, r"借方部門 研修 is not in the mapping"),
    "unknown 科目": ([row(credit=("雑収入", "一般", "", "1000", ""))], 2, r"貸方勘定科目 雑収入 is not in the mapping"),
    "unbalanced": ([row(), row(no="8", credit=("", "", "", "", "")), row(no="8", debit=("", "", "", "", ""), credit=("元入金", "一般", "", "990", ""))],
                   3, r"伝票番号 8: debits 1,000 ≠ credits 990 \(difference 10\)"),
    "malformed amount": ([row(debit=("普通預金", "一般", "", "1000円", ""))], 2, r"malformed 借方金額 '1000円'"),
    "malformed tax": ([row(debit=("普通預金", "一般", "", "1000", "10%"))], 2, r"malformed 借方税額 '10%'"),
    "malformed date": ([row(date="2023/13/01")], 2, r"日付 '2023/13/01' is in 13月"),
    "no such day": ([row(date="令和5年2月29日")], 2, r"malformed 日付 '令和5年2月29日': no such day"),
    "平成 after its end": ([row(date="平成31年5月1日")], 2, r"'平成31年5月1日': 平成 ran from 1989-01-08 to 2019-04-30; 2019-05-01 is 令和元年5月1日"),
    "令和 before its start": ([row(date="令和元年4月30日")], 2, r"令和 began on 2019-05-01; 2019-04-30 is 平成31年4月30日"),
    "昭和 after its end": ([row(date="昭和64年1月8日")], 2, r"昭和 ran from 1926-12-25 to 1989-01-07"),
    "bad 決算整理仕訳": ([row(closing="2")], 2, r"決算整理仕訳 must be 1, 0 or empty, not '2'"),
    "NUL": ([row(), row(text="\x00")], 3, r"U\+0000 \(NUL\)"),
    "DEL": ([row(text="x\x7f")], 2, r"U\+007F \(DEL\)"),
    "line break in a field": ([row(text="a\r\nb")], 2, r"a line break inside a field"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input(case, tmp_path, capsys):
    lines, row_number, message = BAD[case]
    document = tmp_path / "freee.csv"
    if lines is None:
        write(document, [row()])
        document.write_bytes(document.read_bytes() + "2023/04/01,,,普通預金".encode("cp932") + b"\x81\x7f\r\n")
    else:
        write(document, lines)
    assert_one_error_nothing_written(document, row_number, message, capsys)
