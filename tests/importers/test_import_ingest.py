"""extract with beangulp semantics: re-import adds nothing, duplicates across files and names, atomic output."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from beancount.parser import parser

from importer_helpers import FIXTURES, LEDGER
from jlis_ledger.cli import main

YAYOI = FIXTURES / "yayoi-fy2023.csv"
JOURNAL = FIXTURES / "journal.csv"


def _extract(*args) -> int:
    return main(["import", "--ledger", str(LEDGER), "extract", *map(str, args)])


def _books_with(tmp_path, imported):
    books = tmp_path / "books.beancount"
    books.write_text(LEDGER.read_text(encoding="utf-8") + f'\ninclude "{imported}"\n', encoding="utf-8")
    return books


def test_reimport_adds_nothing(tmp_path, capsys):
    first = tmp_path / "first.beancount"
    assert _extract(YAYOI, JOURNAL, "-o", first) == 0
    assert "7 new entries, 0 duplicate(s)" in capsys.readouterr().err
    books = _books_with(tmp_path, first)
    second = tmp_path / "second.beancount"
    assert _extract(YAYOI, JOURNAL, "-e", books, "-o", second) == 0
    assert "0 new entries, 7 duplicate(s)" in capsys.readouterr().err
    entries, errors, _ = parser.parse_file(str(second))
    assert entries == [] and errors == []  # every extracted entry is commented out as a duplicate
    assert second.read_text(encoding="utf-8").count("; duplicate of ") == 7


def test_a_renamed_copy_and_a_second_copy_in_the_same_run_are_duplicates(tmp_path, capsys):
    first = tmp_path / "first.beancount"
    assert _extract(YAYOI, "-o", first) == 0
    renamed = tmp_path / "弥生エクスポート 2023.csv"
    shutil.copy(YAYOI, renamed)
    again = tmp_path / "again.beancount"
    assert _extract(renamed, "-e", _books_with(tmp_path, first), "-o", again) == 0
    assert "0 new entries, 5 duplicate(s)" in capsys.readouterr().err
    copy = tmp_path / "copy.csv"
    shutil.copy(YAYOI, copy)
    both = tmp_path / "both.beancount"
    assert _extract(YAYOI, copy, "-o", both) == 0
    assert "5 new entries, 5 duplicate(s)" in capsys.readouterr().err


def test_new_vouchers_of_a_cumulative_export_are_added(tmp_path, capsys):
    first = tmp_path / "first.beancount"
    assert _extract(YAYOI, "-o", first) == 0
    grown = tmp_path / "grown.csv"
    extra = "2111,104,,R.05/05/08,未収金,,一般,対象外,7000,,売上高,,一般,対象外,7000,,5月分,,,0,,,0,0,no\r\n"
    grown.write_bytes(YAYOI.read_bytes() + extra.encode("cp932"))
    out = tmp_path / "out.beancount"
    assert _extract(grown, "-e", _books_with(tmp_path, first), "-o", out) == 0
    assert "1 new entry, 5 duplicate(s)" in capsys.readouterr().err
    entries, _, _ = parser.parse_file(str(out))
    assert [e.meta["import_id"] for e in entries] == ["yayoi:2023-05-08:104"]


def test_output_is_replaced_atomically_and_kept_when_writing_fails(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out.beancount"
    out.write_text("; old\n", encoding="utf-8")
    assert _extract(YAYOI, "-o", out) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith(";; -*- mode: beancount -*-") and "yayoi:2023-04-25:102" in text

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    capsys.readouterr()
    assert _extract(JOURNAL, "-o", out) == 1  # one message, no traceback
    assert capsys.readouterr().err == f"{out}: cannot write the output: disk full\n"
    assert out.read_text(encoding="utf-8") == text  # the old output is intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.beancount"]  # and no temporary file is left


def test_an_error_in_the_second_file_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(YAYOI.read_bytes().replace(b"2101,,,,", b"2102,,,,", 1))
    out = tmp_path / "out.beancount"
    assert _extract(YAYOI, bad, "-o", out) == 1
    assert capsys.readouterr().err.startswith(f"{bad}:8: unknown 識別フラグ '2102'")
    assert not out.exists()


def test_entries_typed_by_hand_are_found_by_beangulps_comparison(tmp_path, capsys):
    """The bundled books carry no import_id: importing their own 弥生 export adds nothing (beangulp's heuristic)."""
    from jlis_ledger.books import BUNDLED_LEDGER

    exported = tmp_path / "r4.csv"
    assert main(["export", "yayoi", "--year", "2022", "-o", str(exported)]) == 0
    capsys.readouterr()
    out = tmp_path / "out.beancount"
    assert main(["import", "extract", str(exported), "-e", str(BUNDLED_LEDGER), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert re.search(r"^0 new entries, (\d+) duplicate", err, re.M), err
    entries, _, _ = parser.parse_file(str(out))
    assert entries == []


def test_missing_output_directory_or_existing_ledger_is_one_error(tmp_path, capsys):
    out = tmp_path / "no-such-dir" / "out.beancount"
    assert _extract(YAYOI, "-o", out) == 1
    assert capsys.readouterr().err.startswith(f"{out}: cannot write the output")
    missing = tmp_path / "missing.beancount"
    assert _extract(YAYOI, "-e", missing, "-o", tmp_path / "x.beancount") == 1
    assert capsys.readouterr().err.startswith(f"{missing}: the existing ledger (-e) does not exist")
    assert not (tmp_path / "x.beancount").exists()
