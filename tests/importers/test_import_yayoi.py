"""弥生インポート形式: the fixture against its hand-written expected entries, every bad input, dates, the CLI."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from beancount import loader

from importer_helpers import FIXTURES, LEDGER, assert_same_as_expected
from jlis_ledger.importers import yayoi
from jlis_ledger.importers.errors import InputError
from jlis_ledger.cli import main

DOCUMENT = FIXTURES / "yayoi-fy2023.csv"


def test_fixture_gives_the_expected_entries(mapping, info):
    entries = yayoi.extract(str(DOCUMENT), mapping, info)
    assert_same_as_expected(entries, Path(str(DOCUMENT) + ".beancount"))


def test_imported_entries_load_into_the_strict_ledger_balanced_per_business(tmp_path, capsys):
    out = tmp_path / "new.beancount"
    assert main(["import", "--ledger", str(LEDGER), "extract", str(DOCUMENT), "-o", str(out)]) == 0
    books = tmp_path / "books.beancount"
    books.write_text(LEDGER.read_text(encoding="utf-8") + f'\ninclude "{out}"\n', encoding="utf-8")
    entries, errors, _ = loader.load_file(str(books))
    assert errors == []  # the segments plugin (strict) accepts every business of every 伝票
    assert len([e for e in entries if hasattr(e, "postings")]) == 5


@pytest.mark.parametrize("text, expected", [
    ("2023/03/31", datetime.date(2023, 3, 31)),
    ("2023/3/1", datetime.date(2023, 3, 1)),
    ("20230331", datetime.date(2023, 3, 31)),
    ("R.05/03/31", datetime.date(2023, 3, 31)),
    ("R05/3/31", datetime.date(2023, 3, 31)),
    ("R.01/05/01", datetime.date(2019, 5, 1)),
    ("H31/04/30", datetime.date(2019, 4, 30)),
    ("S64/01/07", datetime.date(1989, 1, 7)),
    ("H01/01/08", datetime.date(1989, 1, 8)),
    ("T15/12/24", datetime.date(1926, 12, 24)),
])
def test_dates_in_seireki_and_wareki(text, expected):
    assert yayoi.parse_date(text) == expected


@pytest.mark.parametrize("text", ["2023/02/30", "R.05/13/01", "R00/01/01", "2023-03-31", "令和5年3月31日", "", "X05/01/01",
                                  "H31/05/01", "R01/04/30", "S64/01/08", "H01/01/07"])
def test_malformed_dates(text):
    with pytest.raises(ValueError, match="malformed 取引日付"):
        yayoi.parse_date(text)


def line(flag="2000", no="", closing="", date="2023/04/01", debit=("普通預金", "", "一般", "対象外", "1000", ""),
         credit=("元入金", "", "一般", "対象外", "1000", ""), text="摘要", n=25) -> str:
    cells = [flag, no, closing, date, *debit, *credit, text, "", "", "0", "", "", "0", "0", "no"]
    return ",".join((cells + [""] * n)[:n])


GOOD = line()
BAD_CASES = {
    "wrong encoding": (None, 1, r"not Shift_JIS \(cp932\) text"),
    "wrong column count": ([GOOD, line(n=24)], 2, r"expected 25 columns .* found 24"),
    "unknown 部門": ([GOOD, line(debit=("普通預金", "", "研修", "", "1000", ""))], 2, r"借方部門 研修 is not in the mapping"),
    "unknown 科目": ([GOOD, line(credit=("雑収入", "", "一般", "", "1000", ""))], 2, r"貸方勘定科目 雑収入 is not in the mapping"),
    "empty 部門 without default": ([GOOD, line(debit=("普通預金", "", "", "", "1000", ""))], 2, r"借方部門 is empty and the mapping .* has no default"),
    "debits differ from credits": ([GOOD, "# 複数行", line("2110", "7", credit=("", "", "", "", "0", "")),
                                    line("2101", date="", credit=("元入金", "", "一般", "", "999", ""), debit=("", "", "", "", "0", ""))],
                                   3, r"伝票No\.7: debits 1,000 ≠ credits 999 \(difference 1\)"),
    "malformed amount": ([GOOD, line(debit=("普通預金", "", "一般", "", '"1,000"', ""))], 2, r"malformed 借方金額 '1,000'"),
    "fractional amount": ([GOOD, line(debit=("普通預金", "", "一般", "", "1000.5", ""))], 2, r"malformed 借方金額 '1000.5'"),
    "amount without 科目": ([GOOD, line(debit=("", "", "", "", "500", ""))], 2, r"借方金額 500 without 借方勘定科目"),
    "malformed tax amount": ([GOOD, line(credit=("元入金", "", "一般", "", "1000", "10%"))], 2, r"malformed 貸方税金額"),
    "malformed date": ([GOOD, line(date="R.05/02/30")], 2, r"malformed 取引日付 'R.05/02/30': no such day"),
    "empty date": ([GOOD, line(date="")], 2, r"取引日付 is empty"),
    "unknown 識別フラグ": ([GOOD, line("2200")], 2, r"unknown 識別フラグ '2200'"),
    "middle line without first": ([GOOD, line("2100")], 2, r"識別フラグ 2100 outside a multi-line 伝票"),
    "first line without last": ([GOOD, line("2110"), GOOD], 2, r"has no last line \(2101\) before row 3"),
    "last line missing at the end": ([GOOD, line("2110")], 2, r"no last line \(2101\) before the end of the file"),
    "bad 決算": ([GOOD, line(closing="決算")], 2, r"決算 must be 中決, 本決 or empty, not '決算'"),
    "account not opened": ([GOOD, line(credit=("元入金", "", "受託", "", "1000", ""))], 2, r"account Equity:1-元入金:B2-受託事業 is not opened"),
    "broken CSV quoting": ([GOOD, line(text='"abc"def"')], 2, r"not a CSV line"),
    # 和暦 dates outside their era (issue 13)
    "平成 after its end": ([GOOD, line(date="H31/05/01")], 2, r"malformed 取引日付 'H31/05/01': 平成 ran from 1989-01-08 to 2019-04-30; 2019-05-01 is 令和元年5月1日"),
    "令和 before its start": ([GOOD, line(date="R01/04/30")], 2, r"'R01/04/30': 令和 began on 2019-05-01; 2019-04-30 is 平成31年4月30日"),
    "昭和 after its end": ([GOOD, line(date="S64/01/08")], 2, r"'S64/01/08': 昭和 ran from 1926-12-25 to 1989-01-07; 1989-01-08 is 平成元年1月8日"),
    "later line's date outside its era": ([GOOD, line("2110", "8", credit=("", "", "", "", "0", "")),
                                           line("2101", date="R.01/04/01", debit=("", "", "", "", "0", ""))], 3, r"令和 began on 2019-05-01"),
    # control characters in a text field
    "NUL in 摘要": ([GOOD, line(text="受託\x00分")], 2, r"control character U\+0000 \(NUL\) in a text field"),
    "ESC in 補助科目": ([GOOD, line(debit=("普通預金", "\x1b", "一般", "", "1000", ""))], 2, r"U\+001B \(ESC\)"),
    "SUB at the end": ([GOOD, GOOD + "\x1a"], 2, r"U\+001A \(SUB\)"),
    "line break in a field": ([GOOD, line(text='"一行目\r\n二行目"')], 2, r"a line break inside a field"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_input_one_error_with_file_and_row_nothing_written(case, tmp_path, capsys):
    lines, row, message = BAD_CASES[case]
    document = tmp_path / "journal.csv"
    if lines is None:  # a UTF-8 file given as 弥生インポート形式
        document.write_bytes((GOOD + "\r\n" + line(text="受託業務 ✓") + "\r\n").encode("utf-8"))
    else:
        document.write_bytes("\r\n".join(lines).encode("cp932") + b"\r\n")
    out = tmp_path / "out.beancount"
    out.write_text("; the previous output\n", encoding="utf-8")
    status = main(["import", "--ledger", str(LEDGER), "extract", str(document), "-o", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 1
    assert len(err) == 1
    assert err[0].startswith(f"{document}:{row}: "), err[0]
    assert re.search(message, err[0]), err[0]
    assert out.read_text(encoding="utf-8") == "; the previous output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["journal.csv", "out.beancount"]  # no temporary file left


def test_reader_raises_input_error_with_the_row(mapping, info, tmp_path):
    document = tmp_path / "j.csv"
    document.write_bytes(("# comment\r\n" + GOOD + "\r\n\r\n" + line(debit=("普通預金", "", "一般", "", "x", ""))).encode("cp932"))
    with pytest.raises(InputError) as exc:
        yayoi.extract(str(document), mapping, info)
    assert (exc.value.row, exc.value.filename) == (4, str(document))


def test_a_voucher_repeated_identically_is_imported_once_and_reported(mapping, info, tmp_path):
    document = tmp_path / "j.csv"
    document.write_bytes(("\r\n".join([GOOD, GOOD, line("2111", "5"), line("2111", "5"), line("2111", "5", text="別")])
                          + "\r\n").encode("cp932"))
    reader = yayoi.Reader(str(document), mapping, info, "yayoi")
    entries = reader.read()
    assert [e.meta["lineno"] for e in entries] == [1, 3, 5]
    # the same 伝票No. and date with other content is another 伝票: a distinct id
    assert [e.meta["import_id"] for e in entries][1:] == ["yayoi:2023-04-01:5", "yayoi:2023-04-01:5#2"]
    assert reader.notices == [
        f"{document}:2: 仕訳 repeats the one at row 1 identically: imported once (--keep-repeats imports every copy)",
        f"{document}:4: 伝票No.5 repeats the one at row 3 identically: imported once (--keep-repeats imports every copy)",
    ]
    kept = yayoi.extract(str(document), mapping, info, keep_repeats=True)
    ids = [e.meta["import_id"] for e in kept]
    assert len(kept) == 5 and len(set(ids)) == 5
    assert ids[2:] == ["yayoi:2023-04-01:5", "yayoi:2023-04-01:5#2", "yayoi:2023-04-01:5#3"]


def test_repeats_are_reported_by_the_cli_and_kept_on_request(tmp_path, capsys):
    document = tmp_path / "j.csv"
    document.write_bytes(("\r\n".join([GOOD, line("2111", "5"), GOOD]) + "\r\n").encode("cp932"))
    out = tmp_path / "out.beancount"
    assert main(["import", "--ledger", str(LEDGER), "extract", str(document), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{document}:3: 仕訳 repeats the one at row 1 identically: imported once" in err
    assert "2 new entries" in err
    assert main(["import", "--ledger", str(LEDGER), "extract", "--keep-repeats", str(document), "-o", str(out)]) == 0
    assert "3 new entries" in capsys.readouterr().err


def test_unidentified_file_is_an_error(tmp_path, capsys):
    document = tmp_path / "notes.txt"
    document.write_text("hello\n", encoding="utf-8")
    out = tmp_path / "out.beancount"
    assert main(["import", "--ledger", str(LEDGER), "extract", str(document), "-o", str(out)]) == 1
    assert capsys.readouterr().err.startswith(f"{document}: no importer identifies this file")
    assert not out.exists()


def test_identify_and_archive(tmp_path, capsys):
    assert main(["import", "--ledger", str(LEDGER), "identify", str(DOCUMENT)]) == 0
    assert "jlis.yayoi" in capsys.readouterr().out
    copy = tmp_path / "yayoi.csv"
    copy.write_bytes(DOCUMENT.read_bytes())
    archive = tmp_path / "archive"
    archive.mkdir()
    assert main(["import", "--ledger", str(LEDGER), "archive", str(copy), "-o", str(archive)]) == 0
    moved = archive / "Documents" / "Yayoi" / "2023-04-25.yayoi-yayoi.csv"  # the date of the last 伝票
    assert moved.read_bytes() == DOCUMENT.read_bytes() and not copy.exists()


def test_auto_mode_and_no_plugin_leave_the_clearing_legs_to_the_ledger(mapping, info):
    import dataclasses

    for other in (dataclasses.replace(info, mode="auto"), dataclasses.replace(info, clearing=None, mode=None)):
        entries = yayoi.extract(str(DOCUMENT), mapping, other)
        assert not any(p.meta and "generated" in p.meta for e in entries for p in e.postings)
    strict = yayoi.extract(str(DOCUMENT), mapping, info)
    assert sum(1 for e in strict for p in e.postings if p.meta and p.meta.get("generated") == "import") == 4


def test_missing_mapping_file_is_one_error(tmp_path, capsys):
    books = tmp_path / "books.beancount"
    books.write_text(LEDGER.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["import", "--ledger", str(books), "extract", str(DOCUMENT)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{tmp_path / 'import' / 'mapping.csv'}: cannot read the mapping file")


def test_ledger_option_after_the_subcommand(capsys):
    assert main(["import", "identify", str(DOCUMENT), "--ledger", str(LEDGER)]) == 0
    assert "jlis.yayoi" in capsys.readouterr().out
