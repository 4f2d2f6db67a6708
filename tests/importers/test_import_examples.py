"""The README's sample files (examples/import/): each format imports into the bundled books as the same three 伝票."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from beancount.parser import parser

from jlis_ledger.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "import"
FILES = {"yayoi-r5.csv": "jlis.yayoi", "freee-r5.csv": "jlis.freee", "moneyforward-r5.csv": "jlis.moneyforward",
         "bugyo-r5.csv": "jlis.bugyo", "journal-r5.csv": "jlis.generic"}


def _extract(name: str, tmp_path: Path, capsys) -> list:
    out = tmp_path / f"{name}.beancount"
    options = ["--mapping", str(EXAMPLES / "mapping-codes.csv")] if name.startswith("bugyo") else []
    assert main(["import", *options, "extract", str(EXAMPLES / name), "-o", str(out)]) == 0
    assert "3 new entries, 0 duplicate(s)" in capsys.readouterr().err
    entries, errors, _ = parser.parse_file(str(out))
    assert not errors
    return entries


def test_identify_names_each_format(capsys):
    assert main(["import", "identify", *(str(EXAMPLES / name) for name in FILES)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[1].split(" ")[0] for line in out] == list(FILES.values())


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_format_gives_the_same_books(name, tmp_path, capsys):
    entries = _extract(name, tmp_path, capsys)
    got = [(e.date, e.narration, Counter((p.account, p.units.number) for p in e.postings)) for e in entries]
    want = [("2023-04-10", "事業収入 4月分", {("Assets:1-流動資産:12-未収金:B1-一般事業", 1100000),
                                             ("Income:1-営業収益:105-事業収入:B1-一般事業", -1100000)}),
            ("2023-04-28", "システム保守 4月分", {("Expenses:1-営業費用:101-事業費:8-その他:B1-一般事業", 300000),
                                                ("Expenses:1-営業費用:101-事業費:8-その他:B2-本人確認情報処理事業", 200000),
                                                ("Assets:1-流動資産:11-現金及び預金:1-預金:B1-一般事業", -500000),
                                                # the importer's 他事業勘定 legs (the bundled books are strict)
                                                ("Liabilities:1-流動負債:17-他事業勘定:B1-一般事業", 200000),
                                                ("Liabilities:1-流動負債:17-他事業勘定:B2-本人確認情報処理事業", -200000)}),
            ("2023-05-15", "事務用品", {("Expenses:1-営業費用:102-一般管理費:8-その他:B3-公的個人認証サービス事業", 50000),
                                     ("Liabilities:1-流動負債:11-未払金:B3-公的個人認証サービス事業", -50000)})]
    assert [(str(d), n, {(a, int(x)) for a, x in c}) for d, n, c in got] == want
