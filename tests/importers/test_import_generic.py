"""The generic journal CSV: the fixture against its expected entries, bad input, the common pool."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from importer_helpers import FIXTURES, LEDGER, assert_same_as_expected
from jlis_ledger.importers import generic
from jlis_ledger.cli import main

DOCUMENT = FIXTURES / "journal.csv"


def test_fixture_gives_the_expected_entries(mapping, info):
    entries = generic.Reader(str(DOCUMENT), mapping, info).read()
    assert_same_as_expected(entries, Path(str(DOCUMENT) + ".beancount"))


HEADER = "date,voucher,account,business,debit,credit,memo"
OK = "2023-05-01,V,普通預金,一般,100,,x"
CASES = {
    "not UTF-8": (None, 3, r"not UTF-8 text"),
    "no header": ([OK], 0, r"no importer identifies this file"),
    "column count": ([HEADER, OK, "2023-05-01,V,元入金,一般,,100"], 3, r"expected 7 columns"),
    "bad date": ([HEADER, "2023-13-01,V,普通預金,一般,100,,x"], 2, r"malformed date"),
    "unknown account": ([HEADER, OK, "2023-05-01,V,雑収入,一般,,100,"], 3, r"neither a ledger account nor a 勘定科目"),
    "unknown business": ([HEADER, OK, "2023-05-01,V,元入金,研修,,100,"], 3, r"neither a declared business nor a 部門"),
    "elimination": ([HEADER, OK, "2023-05-01,V,元入金,E-相殺等,,100,"], 3, r"the elimination column"),
    "both sides": ([HEADER, "2023-05-01,V,普通預金,一般,100,100,x"], 2, r"either a debit or a credit"),
    "bad amount": ([HEADER, "2023-05-01,V,普通預金,一般,-100,,x"], 2, r"malformed debit '-100'"),
    "unbalanced": ([HEADER, OK, "2023-05-01,V,元入金,一般,,90,"], 2, r"voucher V: debits 100 ≠ credits 90"),
    "NUL": ([HEADER, OK, "2023-05-01,V,元入金,一般,,100,\x00"], 3, r"U\+0000 \(NUL\)"),
    "line break in a field": ([HEADER, '2023-05-01,V,普通預金,一般,100,,"a\nb"'], 2, r"a line break inside a field"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input(case, tmp_path, capsys):
    lines, row, message = CASES[case]
    document = tmp_path / "journal.csv"
    if lines is None:
        document.write_bytes((HEADER + "\n" + OK + "\n").encode("utf-8") + "2023-05-01,V,元入金,一般,,100,\n".encode("cp932"))
    else:
        document.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.beancount"
    assert main(["import", "--ledger", str(LEDGER), "extract", str(document), "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    where = f"{document}:{row}: " if row else f"{document}: "
    assert len(err) == 1 and err[0].startswith(where) and re.search(message, err[0]), err
    assert not out.exists()


def test_header_is_required_when_read_directly(mapping, info, tmp_path):
    from jlis_ledger.importers.errors import InputError

    document = tmp_path / "j.csv"
    document.write_text(OK + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"j.csv:1: the first row must be the header"):
        generic.Reader(str(document), mapping, info).read()


def test_a_repeated_run_of_a_voucher_is_imported_once(mapping, info, tmp_path):
    document = tmp_path / "journal.csv"
    rows = [HEADER, OK, "2023-05-01,V,元入金,一般,,100,", "2023-05-02,W,普通預金,一般,5,,y", "2023-05-02,W,元入金,一般,,5,",
            OK, "2023-05-01,V,元入金,一般,,100,"]
    document.write_text("\n".join(rows) + "\n", encoding="utf-8")
    reader = generic.Reader(str(document), mapping, info)
    entries = reader.read()
    assert [len(e.postings) for e in entries] == [2, 2]
    assert reader.notices == [f"{document}:6: voucher V repeats the one at row 2 identically: imported once "
                              "(--keep-repeats imports every copy)"]
    kept = generic.Reader(str(document), mapping, info, keep_repeats=True).read()
    assert [e.meta["import_id"] for e in kept] == ["generic:2023-05-01:V", "generic:2023-05-02:W", "generic:2023-05-01:V#2"]
