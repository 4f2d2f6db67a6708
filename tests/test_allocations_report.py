"""The allocations report (jlis-ledger allocations) on a tiny ledger, and on the bundled FY2022 books.

Tiny ledger: expected figures worked out by hand.  FY2022: expected figures
from ledger/published/r4-kessan.json (the published closing balances by
business and the 資産除去債務明細書), never from the plugin.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from beancount.core import data

from jlis_ledger import allocations, books as books_lib, cli

LEDGER = """\
option "operating_currency" "JPY"
plugin "jlis_ledger.plugins.allocations"
plugin "jlis_ledger.plugins.segments" "{'mode': 'strict', 'clearing': 'Liabilities:Clearing'}"
2000-01-01 custom "fava-option" "fiscal-year-end" "15-31"
2000-01-01 custom "business" "B1-一般事業"
2000-01-01 custom "business" "B2-本人確認情報処理事業"
2000-01-01 custom "business" "B3-C"
2000-01-01 custom "business" "C-共通" "common"
2022-01-01 custom "allocation-key" "人員比" "B1-一般事業" 1 "B2-本人確認情報処理事業" 1 "B3-C" 1
  basis: "derived"
  rule: "head count"
2022-06-01 custom "allocation-key" "人員比" "B1-一般事業" 1 "B2-本人確認情報処理事業" 2 "B3-C" 0
2023-06-01 custom "allocation-key" "人員比" "B1-一般事業" 1 "B2-本人確認情報処理事業" 1
2022-01-01 custom "allocation-rule" Expenses:1-営業費用:102-一般管理費 "人員比"
2000-01-01 open Expenses:1-営業費用:102-一般管理費:C-共通
2000-01-01 open Assets:Cash:B1-一般事業
2022-03-31 * "last year"
  Expenses:1-営業費用:102-一般管理費:C-共通  999 JPY
  Assets:Cash:B1-一般事業  -999 JPY
2022-04-03 * "admin"
  Expenses:1-営業費用:102-一般管理費:C-共通  100 JPY
  Assets:Cash:B1-一般事業  -100 JPY
2022-07-01 * "admin"
  Expenses:1-営業費用:102-一般管理費:C-共通  100000 JPY
  Assets:Cash:B1-一般事業  -100000 JPY
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("alloc") / "main.beancount"
    path.write_text(LEDGER, encoding="utf-8")
    return path


def test_the_report_shows_each_version_and_what_the_key_allocated_in_the_year(tiny):
    b = books_lib.load(tiny)
    assert b.errors == []
    report = allocations.report(b, b.fiscal_year(2022))
    (key,) = report.keys
    assert key.name == "人員比" and key.rules == ["Expenses:1-営業費用:102-一般管理費"]
    assert [(str(v.date), v.in_force) for v in key.versions] == [("2022-01-01", True), ("2022-06-01", True), ("2023-06-01", False)]
    assert key.versions[0].basis == "derived"
    (allocated,) = key.allocated
    # 2022-04-03: 100 by 1:1:1 → 34, 33, 33; 2022-07-01: 100,000 by 1:2:0 → 33,333.33 / 66,666.67 → 33,333, 66,667
    # (the 999 of 2022-03-31 is in the previous year)
    assert allocated.by_business == {"B1-一般事業": 33_367, "B2-本人確認情報処理事業": 66_700, "B3-C": 33}
    assert allocated.total == 100_100 and allocated.pool_postings == 2


def test_text_csv_and_json(tiny):
    b = books_lib.load(tiny)
    report = allocations.report(b, b.fiscal_year(2022))
    text = allocations.render(report)
    assert "配賦基準「人員比」" in text
    lines = text.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("基準日"))
    row = next(line for line in lines if line.lstrip().startswith("2022-06-01"))
    # wide characters count two columns: the 合計 column ends where its heading ends
    from jlis_ledger.summary import width
    assert width(header) == width(row)
    alloc_row = next(line for line in lines if line.lstrip().startswith("一般管理費"))
    assert alloc_row.split()[1:] == ["33,367", "66,700", "33", "100,100"]

    rows = list(csv.DictReader(io.StringIO(allocations.render(report, "csv"))))
    assert {"key": "人員比", "kind": "allocated", "date": "", "item": "Expenses:1-営業費用:102-一般管理費", "currency": "JPY",
            "business": "B2-本人確認情報処理事業", "value": "66700"} in rows
    assert sum(1 for r in rows if r["kind"] == "weight") == 3 + 3 + 2

    parsed = json.loads(allocations.render(report, "json"))
    assert parsed["keys"][0]["allocated"][0]["by_business"]["B3-C"] == 33
    assert parsed["keys"][0]["versions"][2]["weights"] == {"B1-一般事業": "1", "B2-本人確認情報処理事業": "1"}


def test_cli(tiny, capsys):
    assert cli.main(["allocations", str(tiny), "--year", "2022", "--format", "csv"]) == 0
    assert "人員比,allocated" in capsys.readouterr().out


# -- the bundled FY2022 books ---------------------------------------------------------------------


def published_closing(published, label):
    return next(r["values"] for r in published["tables"]["segment-bs"]["rows"] if r["label"] == label)[:8]


def test_fy2022_pool_is_empty_at_every_date(books):
    pool = [b.label for b in books.businesses.values() if b.is_common]
    assert pool == ["C-共通"]
    left = [(e.date, p.account) for e in books.transactions() for p in e.postings if p.account.endswith(":C-共通")]
    assert left == []  # no posting at all, so the pool is zero at every date
    typed = Path(books.path).parent / "fy2022" / "transactions.beancount"
    assert ":C-共通" in typed.read_text(encoding="utf-8")  # … although the books post to it


def test_fy2022_report_shows_the_keys_with_the_published_splits(published, books):
    report = allocations.report(books, books.fiscal_year(2022))
    keys = {k.name: k for k in report.keys}
    assert set(keys) == {"保証金残高比", "資産除去債務残高比"}
    labels = [b.label for b in books.businesses.values() if not b.is_elimination and not b.is_common]
    for name, line in (("保証金残高比", "保証金"), ("資産除去債務残高比", "資産除去債務")):
        (version,) = keys[name].versions
        expected = {label: Decimal(v) for label, v in zip(labels, published_closing(published, line)) if v}
        assert version.weights == expected and version.basis == "derived" and version.in_force


def test_fy2022_accretion_is_allocated_within_one_yen_of_its_exact_share(published, books):
    accretion = next(r["values"][1] for r in published["tables"]["aro"]["rows"] if r["label"] == "合計")
    closing = published_closing(published, "資産除去債務")
    labels = [b.label for b in books.businesses.values() if not b.is_elimination and not b.is_common]
    report = allocations.report(books, books.fiscal_year(2022))
    key = next(k for k in report.keys if k.name == "資産除去債務残高比")
    aro = next(a for a in key.allocated if a.item == "Liabilities:2-固定負債:28-資産除去債務")
    assert aro.total == -accretion
    for label, weight in zip(labels, closing):
        exact = Fraction(accretion * weight, sum(closing))
        assert abs(Fraction(int(-aro.by_business.get(label, 0))) - exact) < 1, label


def test_fy2022_generated_postings_name_their_key(books):
    shares = [p for e in books.transactions() for p in e.postings if (p.meta or {}).get("generated") == "allocations"
              and "allocated-from" in p.meta]
    assert shares and all(p.meta["allocation-key"] in ("保証金残高比", "資産除去債務残高比") for p in shares)
    # the CF line of the pool's cash legs is carried to every share
    cash = [p for p in shares if p.account.startswith("Assets:1-流動資産:11-現金及び預金")]
    assert cash and all(p.meta.get("cf") in ("その他投資活動による支出", "その他投資活動による収入") for p in cash)


def test_fy2022_sources_list_the_derived_keys(books):
    from jlis_ledger import sources

    keys = [f for f in sources.derived_figures(books, basis="derived") if f.kind == "allocation-key"]
    assert sorted(f.what for f in keys) == ["保証金残高比", "資産除去債務残高比"]
    assert all(f.rule and f.source for f in keys)
