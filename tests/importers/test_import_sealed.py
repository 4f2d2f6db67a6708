"""The importers write nothing into a sealed fiscal year (custom "fiscal-seal")."""

from __future__ import annotations

import shutil

from importer_helpers import FIXTURES, MAPPING
from jlis_ledger.cli import main

HEADER = "date,voucher,account,business,debit,credit,memo"
SEAL = 'custom "fiscal-seal" 2022 "' + "0" * 64 + '"\n  entries: 0\n'


def _ledger(tmp_path):
    ledger = tmp_path / "ledger.beancount"
    shutil.copy(FIXTURES / "ledger.beancount", ledger)
    with ledger.open("a", encoding="utf-8") as out:
        out.write("\n2023-03-31 " + SEAL)
    return ledger


def test_a_voucher_dated_in_a_sealed_year_is_refused_and_nothing_is_written(tmp_path, capsys):
    ledger = _ledger(tmp_path)
    document = tmp_path / "journal.csv"
    document.write_text("\n".join([HEADER, "2023-05-01,V,普通預金,一般,100,,x", "2023-05-01,V,元入金,一般,,100,",
                                   "2023-03-31,W,普通預金,一般,5,,y", "2023-03-31,W,元入金,一般,,5,"]) + "\n", encoding="utf-8")
    out = tmp_path / "out.beancount"
    assert main(["import", "--ledger", str(ledger), "--mapping", str(MAPPING), "extract", str(document), "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{document}:4: \"y\": dated 2023-03-31, in 令和4年度, which is sealed ("), err
    assert "nothing is imported into a sealed year" in err[0]
    assert not out.exists()


def test_a_voucher_of_the_next_year_is_imported(tmp_path, capsys):
    ledger = _ledger(tmp_path)
    document = tmp_path / "journal.csv"
    document.write_text("\n".join([HEADER, "2023-04-01,V,普通預金,一般,100,,x", "2023-04-01,V,元入金,一般,,100,"]) + "\n",
                        encoding="utf-8")
    out = tmp_path / "out.beancount"
    assert main(["import", "--ledger", str(ledger), "--mapping", str(MAPPING), "extract", str(document), "-o", str(out)]) == 0
    assert "2023-04-01" in out.read_text(encoding="utf-8")


def test_the_published_balances_of_a_sealed_year_are_refused(tmp_path, capsys):
    """The bundled books seal 令和4年度: importing its published closing (balances dated 2023-04-01) is refused."""
    from importer_helpers import FIXTURES as _  # noqa: F401  (the helpers' path setup)

    repo = FIXTURES.parents[2]
    published = repo / "ledger" / "published" / "r4-kessan.json"
    out = tmp_path / "out.beancount"
    assert main(["import", "--ledger", str(repo / "ledger" / "main.beancount"), "extract", str(published), "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "dated 2023-04-01, in 令和4年度, which is sealed (" in err[0], err
    assert not out.exists()
