"""export yayoi: the books → 弥生インポート形式 → import gives the same transactions (and says what it drops)."""

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
from jlis_ledger.importers import yayoi, yayoi_export
from jlis_ledger.importers.journal import is_generated, typed_postings
from jlis_ledger.cli import main
from jlis_ledger.plugins import allocations, segments
from jlis_ledger.testing import journals

AUTO = "{'mode': 'auto', 'clearing': 'Liabilities:9-他事業勘定'}"


def _typed(entry):
    """The postings as typed (a pool posting split by the allocations plugin counts whole)."""
    return Counter((p.account, p.units.number) for p in typed_postings(entry))


def _legs(entry):
    return Counter((p.account, p.units.number) for p in entry.postings if is_generated(p.meta))


def test_cli_export_of_imported_books_round_trips(tmp_path, capsys):
    imported = tmp_path / "imported.beancount"
    assert main(["import", "--ledger", str(LEDGER), "extract", str(FIXTURES / "yayoi-fy2023.csv"),
                 str(FIXTURES / "journal.csv"), "-o", str(imported)]) == 0
    books = tmp_path / "books.beancount"
    books.write_text(LEDGER.read_text(encoding="utf-8") + f'\ninclude "{imported}"\n', encoding="utf-8")
    (tmp_path / "import").mkdir()
    (tmp_path / "import" / "mapping.csv").write_bytes(MAPPING.read_bytes())
    out = tmp_path / "yayoi.csv"
    capsys.readouterr()
    assert main(["export", "yayoi", str(books), "--year", "2023", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "5 伝票, 7 lines" in err  # FY2023 = 2023-04-01 .. 2024-03-31: the 伝票 of 2019 and 2023-03-31 are outside
    assert "generated postings" in err and "metadata not kept: import_id" not in err
    text = out.read_bytes().decode("cp932")  # Shift_JIS
    assert text.count("\r\n") == 7
    assert "2110,102,,2023/04/25,業務委託費,,一般,課対仕入10%,330000,30000,普通預金,,一般,対象外,550000,," in text

    entries, errors, _ = loader.load_file(str(books))
    assert not errors  # the imported books load clean: the pool is allocated, every business balances
    # what the import wrote (the pool postings as typed, the importer's legs), against the re-import of the export
    imported_entries, _, _ = parser.parse_file(str(imported))
    original = [e for e in imported_entries if hasattr(e, "postings") and datetime.date(2023, 4, 1) <= e.date]
    info_books = __import__("jlis_ledger.importers", fromlist=["ledger_info"]).ledger_info(books)
    again = yayoi.extract(str(out), __import__("jlis_ledger.importers.mapping", fromlist=["load"]).load(MAPPING, info_books.businesses), info_books)
    assert [(e.date, e.narration, _typed(e), _legs(e)) for e in again] == \
           [(e.date, e.narration, _typed(e), _legs(e)) for e in original]


def _fixture():
    entries, errors, options = loader.load_file(str(LEDGER))
    assert not errors
    return entries, options


FIXTURE_ENTRIES, FIXTURE_OPTIONS = _fixture()
ACCOUNTS = sorted(e.account for e in FIXTURE_ENTRIES if hasattr(e, "account") and type(e).__name__ == "Open"
                  and "9-他事業勘定" not in e.account)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(journals.vouchers(ACCOUNTS, datetime.date(2023, 4, 1), datetime.date(2024, 3, 31)), min_size=1, max_size=6))
def test_ledger_to_yayoi_to_ledger_gives_the_same_transactions(mapping, info, vouchers):
    vouchers = sorted(vouchers, key=lambda e: e.date)
    # the books as a ledger holds them: the allocations plugin splits what is booked to 共通 by the
    # fixture's key, and the segments plugin (auto) adds the 他事業勘定 legs
    entries, errors = allocations.allocations(list(FIXTURE_ENTRIES) + vouchers, FIXTURE_OPTIONS, None)
    assert not errors
    entries, errors = segments.segments(entries, FIXTURE_OPTIONS, AUTO)
    assert not errors
    books = [e for e in entries if hasattr(e, "postings")]
    assert len(books) == len(vouchers)
    result = yayoi_export.export(entries, mapping, datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "yayoi.csv"
        path.write_bytes(result.encoded())
        imported = yayoi.extract(str(path), mapping, info)  # info: the strict fixture ledger
    assert len(imported) == len(books)
    for got, want, typed in zip(imported, books, vouchers):
        # the export writes the pool postings as typed (rebuilt from their shares), so the import gives the voucher
        assert (got.date, got.narration, _typed(got)) == (want.date, want.narration, _typed(typed))
        if not any(p.account.endswith(":C-共通") for p in typed.postings):
            # the importer's 他事業勘定 legs are the segments plugin's
            assert _legs(got) == _legs(want)


def test_the_bundled_books_round_trip(books, tmp_path, capsys):
    """FY2022: export → import gives every typed posting back, and the importer's 他事業勘定 legs are the plugin's."""
    from jlis_ledger.importers import mapping as mapping_lib
    from jlis_ledger.importers.journal import LedgerInfo

    out = tmp_path / "r4.csv"
    assert main(["export", "yayoi", "--year", "2022", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "generated postings" in err and "部門 '中間サーバー共同化・集約化等事業' is longer than 24 bytes" in err
    info = LedgerInfo.from_entries(books.entries, books.options)
    mapping = mapping_lib.load(books.path.parent / "import" / "mapping.csv", books.businesses)
    imported = yayoi.extract(str(out), mapping, info)
    fy = books.fiscal_year(2022)
    original = [e for e in books.transactions() if e.date in fy]
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
    assert main(["export", "yayoi", str(books), "--year", "2023", "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.endswith("account Expenses:3-雑費:B1-一般事業: the mapping has no 勘定科目 for Expenses:3-雑費")
    assert f"{books}:" in err and not out.exists()


def test_export_notes_what_the_format_cannot_hold(mapping):
    from beancount.parser import parser

    entries, errors, _ = parser.parse_string("""
2023-06-01 * "支払先" "家賃 6月分" #rent ^contract-7
  source: "請求書"
  Expenses:2-地代家賃:B1-一般事業   1000 JPY
    note: "x"
  Assets:1-預金:1-普通:B1-一般事業  -1000 JPY
2023-06-02 balance Assets:1-預金:1-普通:B1-一般事業  0 JPY
""")
    assert not errors
    result = yayoi_export.export(entries, mapping, datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))
    notes = "\n".join(result.notes)
    for expected in ("1 payees", "1 transactions with tags or links", "1 balance directive(s)",
                     "metadata not kept: posting note (1), source (1)"):
        assert expected in notes
    assert result.text == ("2111,1,,2023/06/01,地代家賃,,一般,,1000,,普通預金,,一般,,1000,,家賃 6月分,,,0,,,0,0,no\r\n")


def test_running_voucher_numbers_never_reuse_a_booked_one(mapping):
    from beancount.parser import parser

    entries, errors, _ = parser.parse_string("""
2023-06-01 * "without a number"
  Expenses:2-地代家賃:B1-一般事業   1000 JPY
  Assets:1-預金:1-普通:B1-一般事業  -1000 JPY
2023-06-01 * "numbered 1"
  voucher: "1"
  Expenses:2-地代家賃:B1-一般事業   2000 JPY
  Assets:1-預金:1-普通:B1-一般事業  -2000 JPY
""")
    result = yayoi_export.export(entries, mapping, datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))
    assert [line.split(",")[1] for line in result.text.splitlines()] == ["2", "1"]


def test_a_sub_account_without_its_own_row_survives_the_round_trip(mapping, info, tmp_path):
    document = tmp_path / "j.csv"
    document.write_bytes("2111,9,,R05/6/1,普通預金,みずほ銀行,一般,,500,,元入金,,一般,,500,,x,,,0,,,0,0,no\r\n".encode("cp932"))
    entries = yayoi.extract(str(document), mapping, info)
    assert entries[0].postings[0].meta == {"sub_account": "みずほ銀行"}
    result = yayoi_export.export(entries, mapping, datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))
    assert result.text.split(",")[4:6] == ["普通預金", "みずほ銀行"]
