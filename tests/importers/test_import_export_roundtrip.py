"""export yayoi: the books → 弥生インポート形式 → import gives the same transactions (and says what it drops)."""

from __future__ import annotations

import datetime
import tempfile
from collections import Counter
from pathlib import Path

from beancount import loader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, LEDGER, MAPPING
from importers import yayoi, yayoi_export
from importers.journal import is_generated
from jlis_ledger.cli import main
from jlis_ledger.plugins import segments
from jlis_ledger.testing import journals

AUTO = "{'mode': 'auto', 'clearing': 'Liabilities:9-他事業勘定'}"


def _typed(entry):
    return Counter((p.account, p.units.number) for p in entry.postings if not is_generated(p.meta))


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
    assert not errors
    original = [e for e in entries if hasattr(e, "postings") and datetime.date(2023, 4, 1) <= e.date]
    info_books = __import__("importers").ledger_info(books)
    again = yayoi.extract(str(out), __import__("importers.mapping", fromlist=["load"]).load(MAPPING, info_books.businesses), info_books)
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
    # the books as a ledger holds them: the segments plugin (auto) adds the 他事業勘定 legs
    entries, errors = segments.segments(list(FIXTURE_ENTRIES) + vouchers, FIXTURE_OPTIONS, AUTO)
    assert not errors
    books = [e for e in entries if hasattr(e, "postings")]
    result = yayoi_export.export(entries, mapping, datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "yayoi.csv"
        path.write_bytes(result.encoded())
        imported = yayoi.extract(str(path), mapping, info)  # info: the strict fixture ledger
    assert len(imported) == len(books)
    for got, want in zip(imported, books):
        assert (got.date, got.narration, _typed(got)) == (want.date, want.narration, _typed(want))
        # the importer's 他事業勘定 legs are the segments plugin's
        assert _legs(got) == _legs(want)
