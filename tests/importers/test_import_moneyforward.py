"""マネーフォワード 仕訳帳 CSV: the fixture against its hand-written expected entries, encodings, grouping, bad input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from beancount import loader
from importer_helpers import FIXTURES, LEDGER, assert_one_error_nothing_written, assert_same_as_expected

from jlis_ledger.importers import moneyforward
from jlis_ledger.cli import main

DOCUMENT = FIXTURES / "moneyforward-fy2023.csv"
HEADER = moneyforward.HEADER


def test_fixture_gives_the_expected_entries(mapping, info):
    entries = moneyforward.extract(str(DOCUMENT), mapping, info)
    assert_same_as_expected(entries, Path(str(DOCUMENT) + ".beancount"))


def test_shift_jis_and_utf8_without_bom_read_the_same(mapping, info, tmp_path):
    text = DOCUMENT.read_bytes().decode("utf-8-sig")
    want = [(e.date, e.narration, [(p.account, p.units) for p in e.postings]) for e in moneyforward.extract(str(DOCUMENT), mapping, info)]
    for encoding in ("cp932", "utf-8"):
        copy = tmp_path / f"mf-{encoding}.csv"
        copy.write_bytes(text.encode(encoding))
        got = moneyforward.extract(str(copy), mapping, info)
        assert [(e.date, e.narration, [(p.account, p.units) for p in e.postings]) for e in got] == want


def test_imported_entries_load_into_the_strict_ledger(tmp_path, capsys):
    out = tmp_path / "new.beancount"
    assert main(["import", "--ledger", str(LEDGER), "extract", str(DOCUMENT), "-o", str(out)]) == 0
    books = tmp_path / "books.beancount"
    books.write_text(LEDGER.read_text(encoding="utf-8") + f'\ninclude "{out}"\n', encoding="utf-8")
    entries, errors, _ = loader.load_file(str(books))
    assert errors == []
    assert len([e for e in entries if hasattr(e, "postings")]) == 5


def test_identified_by_moneyforward_only(capsys):
    assert main(["import", "--ledger", str(LEDGER), "identify", str(DOCUMENT)]) == 0
    assert "jlis.moneyforward" in capsys.readouterr().out


def row(no="1", date="2023/04/01", debit=("普通預金", "", "一般", "", "対象外", "", "1000", "0"),
        credit=("元入金", "", "一般", "", "対象外", "", "1000", "0"), text="摘要", closing="", n=27) -> list[str]:
    cells = [no, date, *debit, *credit, text, "", "", "", closing, "", "", "", ""]
    return (cells + [""] * n)[:n]


def write(path: Path, rows: list[list[str]], encoding="utf-8-sig", header=HEADER) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def test_same_number_and_date_apart_is_another_voucher(mapping, info, tmp_path):
    document = write(tmp_path / "mf.csv", [row("5"), row("6"), row("5", text="別の仕訳")])
    entries = moneyforward.extract(str(document), mapping, info)
    assert [e.meta["import_id"] for e in entries] == ["mf:2023-04-01:5", "mf:2023-04-01:6", "mf:2023-04-01:5#2"]


def test_a_voucher_repeated_identically_is_imported_once(mapping, info, tmp_path):
    document = write(tmp_path / "mf.csv", [row("5"), row("6"), row("5")])
    reader = moneyforward.Reader(str(document), mapping, info, "mf")
    assert len(reader.read()) == 2
    assert reader.notices == [(f"{document}:4: 取引No 5 repeats the one at row 2 identically: imported once "
                              "(--keep-repeats imports every copy)")]
    assert len(moneyforward.extract(str(document), mapping, info, keep_repeats=True)) == 3


BLANK = ("", "", "", "", "", "", "", "")
BAD = {
    "wrong encoding": ("raw", b"\x82\xa0\x81\x7f", 3, r"neither UTF-8 nor Shift_JIS \(cp932\) text: byte 0x82"),
    "UTF-16": ("utf16", None, 1, r"UTF-16 text"),
    "column count": ([row(), row()[:26]], 3, r"expected 27 columns \(as the header\), found 26"),
    "unknown 部門": ([row(), row(debit=("普通預金", "", "研修", "", "", "", "1000", ""))], 3, r"借方部門 研修 is not in the mapping"),
    "unknown 科目": ([row(), row(credit=("雑収入", "", "一般", "", "", "", "1000", ""))], 3, r"貸方勘定科目 雑収入 is not in the mapping"),
    "unbalanced": ([row(), row("7", credit=BLANK), row("7", debit=BLANK, credit=("元入金", "", "一般", "", "", "", "999", ""))],
                   3, r"取引No 7: debits 1,000 ≠ credits 999 \(difference 1\)"),
    "malformed amount": ([row(debit=("普通預金", "", "一般", "", "", "", "1,000", ""))], 2, r"malformed 借方金額 '1,000'"),
    "amount without 科目": ([row(debit=("", "", "", "", "", "", "500", ""))], 2, r"借方金額 500 without 借方勘定科目"),
    "malformed date": ([row(date="2023/02/30")], 2, r"malformed 取引日 '2023/02/30': no such day"),
    "wareki not written by MF": ([row(date="R05/04/01")], 2, r"malformed 取引日 'R05/04/01' is not a date"),
    "empty date": ([row(date="")], 2, r"取引日 is empty"),
    "empty 取引No": ([row(no="")], 2, r"取引No is empty"),
    "bad 決算整理仕訳": ([row(closing="はい")], 2, r"決算整理仕訳 must be 1, 0 or empty"),
    "account not opened": ([row(credit=("元入金", "", "受託", "", "", "", "1000", ""))], 2, r"account Equity:1-元入金:B2-受託事業 is not opened"),
    "NUL in 摘要": ([row(), row(text="受託\x00分")], 3, r"control character U\+0000 \(NUL\) in a text field"),
    "control character": ([row(text="a\x1bb")], 2, r"control character U\+001B \(ESC\)"),
    "line break in a field": ([row(), row(text="一行目\n二行目")], 3, r"a line break inside a field"),
    "broken quoting": ("text", HEADER and ",".join(HEADER) + "\r\n" + ",".join(row(text='"abc"def"')) + "\r\n", 2, r"not a CSV line"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input(case, tmp_path, capsys):
    lines, content, *rest = BAD[case] if len(BAD[case]) == 4 else (BAD[case][0], None, *BAD[case][1:])
    row_number, message = rest
    document = tmp_path / "mf.csv"
    if lines == "raw":
        write(document, [row()], encoding="utf-8")
        document.write_bytes(document.read_bytes() + content)
    elif lines == "utf16":
        write(document, [row()], encoding="utf-16")
    elif lines == "text":
        document.write_bytes(content.encode("utf-8"))
    else:
        write(document, lines)
    assert_one_error_nothing_written(document, row_number, message, capsys)
