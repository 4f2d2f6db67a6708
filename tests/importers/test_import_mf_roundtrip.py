"""export mf: the books → マネーフォワード 仕訳帳 CSV → import gives the same typed postings (and says what it drops)."""

from __future__ import annotations

import datetime
import tempfile
from collections import Counter
from pathlib import Path

from beancount import loader
from beancount.parser import parser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from importer_helpers import FIXTURES, LEDGER, MAPPING

from jlis_ledger.importers import mapping as mapping_lib
from jlis_ledger.importers import mf_export, moneyforward
from jlis_ledger.importers.journal import LedgerInfo, is_generated, typed_postings
from jlis_ledger.cli import main
from jlis_ledger.plugins import allocations, segments
from jlis_ledger.testing import journals

AUTO = "{'mode': 'auto', 'clearing': 'Liabilities:9-他事業勘定'}"
FY2023 = (datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))


def _typed(entry):
    """The postings as typed (a pool posting split by the allocations plugin counts whole)."""
    return Counter((p.account, p.units.number) for p in typed_postings(entry))


def _legs(entry):
    return Counter((p.account, p.units.number) for p in entry.postings if is_generated(p.meta))


def _fixture():
    entries, errors, options = loader.load_file(str(LEDGER))
    assert not errors
    return entries, options


FIXTURE_ENTRIES, FIXTURE_OPTIONS = _fixture()
ACCOUNTS = sorted(e.account for e in FIXTURE_ENTRIES if type(e).__name__ == "Open" and "9-他事業勘定" not in e.account)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(journals.vouchers(ACCOUNTS, *FY2023), min_size=1, max_size=6), st.sampled_from(["utf-8", "cp932"]))
def test_ledger_to_mf_to_ledger_gives_the_same_transactions(mapping, info, vouchers, encoding):
    vouchers = sorted(vouchers, key=lambda e: e.date)
    # the books as a ledger holds them: 共通 split by the allocations plugin, 他事業勘定 legs by the segments plugin
    entries, errors = allocations.allocations(list(FIXTURE_ENTRIES) + vouchers, FIXTURE_OPTIONS, None)
    assert not errors
    entries, errors = segments.segments(entries, FIXTURE_OPTIONS, AUTO)
    assert not errors
    books = [e for e in entries if hasattr(e, "postings")]
    result = mf_export.export(entries, mapping, *FY2023, encoding=encoding)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mf.csv"
        path.write_bytes(result.encoded())
        imported = moneyforward.extract(str(path), mapping, info)  # info: the strict fixture ledger
    assert len(imported) == len(books)
    for got, want, typed in zip(imported, books, vouchers):
        assert (got.date, got.narration, _typed(got)) == (want.date, want.narration, _typed(typed))
        if not any(p.account.endswith(":C-共通") for p in typed.postings):
            assert _legs(got) == _legs(want)  # the importer's 他事業勘定 legs are the segments plugin's


def test_two_vouchers_of_one_day_with_one_number_stay_apart(mapping, info, tmp_path):
    entries, _, _ = parser.parse_string("""
2023-06-01 * "first"
  voucher: "7"
  Expenses:2-地代家賃:B1-一般事業   1000 JPY
  Assets:1-預金:1-普通:B1-一般事業  -1000 JPY
2023-06-01 * "second"
  voucher: "7"
  Expenses:2-地代家賃:B1-一般事業   2000 JPY
  Assets:1-預金:1-普通:B1-一般事業  -2000 JPY
""")
    result = mf_export.export(entries, mapping, *FY2023)
    assert [line.split(",")[0] for line in result.text.splitlines()[1:]] == ["7", "1"]
    assert any("used twice on one day" in note for note in result.notes)
    path = tmp_path / "mf.csv"
    path.write_bytes(result.encoded())
    assert [e.narration for e in moneyforward.extract(str(path), mapping, info)] == ["first", "second"]


def test_notes_say_what_the_format_cannot_hold(mapping):
    entries, errors, _ = parser.parse_string("""
2023-06-01 * "支払先" "家賃 6月分" #rent
  source: "請求書"
  closing: "中決"
  Expenses:2-地代家賃:B1-一般事業   1000 JPY
    note: "x"
    partner: "大家"
  Assets:1-預金:1-普通:B1-一般事業  -1000 JPY
2023-06-02 balance Assets:1-預金:1-普通:B1-一般事業  0 JPY
""")
    assert not errors
    result = mf_export.export(entries, mapping, *FY2023, encoding="cp932")
    notes = "\n".join(result.notes)
    for expected in ("1 payees", "1 transactions with tags or links", "1 balance directive(s)",
                     "1 中決 entries written as 決算整理仕訳", "metadata not kept: posting note (1), source (1)"):
        assert expected in notes
    assert result.encoded().decode("cp932").splitlines()[1] == \
        "1,2023/06/01,地代家賃,,一般,大家,,,1000,,普通預金,,一般,,,,1000,,家賃 6月分,,,,1,,,,"


def test_cli_export_of_imported_books_round_trips(tmp_path, capsys):
    imported = tmp_path / "imported.beancount"
    assert main(["import", "--ledger", str(LEDGER), "extract", str(FIXTURES / "moneyforward-fy2023.csv"), "-o", str(imported)]) == 0
    books = tmp_path / "books.beancount"
    books.write_text(LEDGER.read_text(encoding="utf-8") + f'\ninclude "{imported}"\n', encoding="utf-8")
    (tmp_path / "import").mkdir()
    (tmp_path / "import" / "mapping.csv").write_bytes(MAPPING.read_bytes())
    out = tmp_path / "mf.csv"
    capsys.readouterr()
    assert main(["export", "mf", str(books), "--year", "2023", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "3 伝票, 4 lines" in err and "not in the マネーフォワード file: 2 generated postings" in err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == 5  # BOM, header and four rows
    info = __import__("jlis_ledger.importers", fromlist=["ledger_info"]).ledger_info(books)
    again = moneyforward.extract(str(out), mapping_lib.load(MAPPING, info.businesses), info)
    original = [e for e in parser.parse_file(str(imported))[0] if hasattr(e, "postings") and e.date >= FY2023[0]]
    assert [(e.date, e.narration, _typed(e), _legs(e), e.meta.get("memo")) for e in again] == \
           [(e.date, e.narration, _typed(e), _legs(e), e.meta.get("memo")) for e in original]


def test_the_bundled_books_round_trip(books, tmp_path, capsys):
    """FY2022: export → import gives every typed posting back, and the importer's 他事業勘定 legs are the plugin's."""
    out = tmp_path / "r4.csv"
    assert main(["export", "mf", "--year", "2022", "-o", str(out)]) == 0
    assert "generated postings" in capsys.readouterr().err
    info = LedgerInfo.from_entries(books.entries, books.options)
    mapping = mapping_lib.load(books.path.parent / "import" / "mapping.csv", books.businesses)
    imported = moneyforward.extract(str(out), mapping, info)
    original = [e for e in books.transactions() if e.date in books.fiscal_year(2022)]
    assert len(imported) == len(original) > 50
    for got, want in zip(imported, original):
        assert (got.date, got.narration, _typed(got)) == (want.date, want.narration, _typed(want))
        assert _legs(got) == Counter((a, n) for (a, n), k in _legs(want).items() if "他事業勘定" in a for _ in range(k))


def test_export_errors_write_nothing(tmp_path, capsys):
    books = tmp_path / "books.beancount"
    books.write_text(LEDGER.read_text(encoding="utf-8") + """
2019-04-01 open Expenses:3-雑費:B1-一般事業 JPY
2023-06-01 * "科目 not in the mapping"
  Expenses:3-雑費:B1-一般事業        100 JPY
  Assets:1-預金:1-普通:B1-一般事業   -100 JPY
""", encoding="utf-8")
    (tmp_path / "import").mkdir()
    (tmp_path / "import" / "mapping.csv").write_bytes(MAPPING.read_bytes())
    out = tmp_path / "out.csv"
    assert main(["export", "mf", str(books), "--year", "2023", "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.endswith("account Expenses:3-雑費:B1-一般事業: the mapping has no 勘定科目 for Expenses:3-雑費")
    assert len(err.splitlines()) == 1 and not out.exists()
