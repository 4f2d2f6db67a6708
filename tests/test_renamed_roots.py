"""A ledger with renamed roots (Beancount's name_* options) and business labels that do not sort in
declaration order: the rules, the statements, the reports and the CLI honour both.

Every expected figure is worked out by hand from LEDGER below (calendar fiscal years):

- 本部事業 (Z1): 事業収入 500, 修繕積立金繰入額 100 → 当期純利益 400; cash 1,000 + 500 = 1,500;
  修繕積立金 100;
- 受託事業 (A2): 経費 200, 繰入 40, 取崩 10 → 当期純利益 10 − 240 = −230; cash 600 − 200 = 400;
  修繕積立金 40 − 10 = 30;
- a transfer of cash between them in 2025 moves no revenue or expense: the last fiscal year with
  revenue or expense is still 2024.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from jlis_ledger import books as books_lib
from jlis_ledger import reserves, statements
from jlis_ledger.segments import summary

BUSINESSES = ("Z1-本部事業", "A2-受託事業", "M-消去")
ACCOUNTS = {
    "Shisan:1-流動資産:11-現金預金": "現金預金",
    "Fusai:1-流動負債:19-他事業勘定": "他事業勘定",
    "Fusai:2-固定負債:21-修繕積立金": "修繕積立金",
    "Junshisan:1-出資金": "出資金",
    "Junshisan:2-剰余金:21-積立金": "積立金",
    "Shueki:1-営業収益:11-事業収入": "事業収入",
    "Shueki:2-特別利益:21-修繕積立金取崩額": "修繕積立金取崩額",
    "Hiyo:1-営業費用:11-経費": "経費",
    "Hiyo:2-特別損失:21-修繕積立金繰入額": "修繕積立金繰入額",
}
HEADER = """\
option "operating_currency" "JPY"
option "name_assets" "Shisan"
option "name_liabilities" "Fusai"
option "name_equity" "Junshisan"
option "name_income" "Shueki"
option "name_expenses" "Hiyo"
plugin "jlis_ledger.plugins.segments" "{'mode': 'strict', 'clearing': 'Fusai:1-流動負債:19-他事業勘定'}"
plugin "jlis_ledger.plugins.reserves"
2020-01-01 custom "business" "Z1-本部事業"
2020-01-01 custom "business" "A2-受託事業"
2020-01-01 custom "business" "M-消去" "elimination"
2020-01-01 custom "reserve" Junshisan:2-剰余金:21-積立金
  general: TRUE
2020-01-01 custom "reserve" Fusai:2-固定負債:21-修繕積立金
  provision: Hiyo:2-特別損失:21-修繕積立金繰入額
  release: Shueki:2-特別利益:21-修繕積立金取崩額
2020-01-01 custom "statement-subtotal" "pl" "当期純利益" Hiyo:2-特別損失
"""
ENTRIES = """
2023-12-31 * "開始残高" #opening
  Shisan:1-流動資産:11-現金預金:Z1-本部事業       1000 JPY
  Junshisan:1-出資金:Z1-本部事業               -1000 JPY
  Shisan:1-流動資産:11-現金預金:A2-受託事業        600 JPY
  Junshisan:1-出資金:A2-受託事業                -600 JPY

2024-02-01 * "事業収入"
  Shisan:1-流動資産:11-現金預金:Z1-本部事業        500 JPY
  Shueki:1-営業収益:11-事業収入:Z1-本部事業       -500 JPY

2024-03-01 * "経費"
  Hiyo:1-営業費用:11-経費:A2-受託事業              200 JPY
  Shisan:1-流動資産:11-現金預金:A2-受託事業       -200 JPY

2024-04-01 * "修繕積立金の繰入"
  Hiyo:2-特別損失:21-修繕積立金繰入額:Z1-本部事業    100 JPY
  Fusai:2-固定負債:21-修繕積立金:Z1-本部事業        -100 JPY
  Hiyo:2-特別損失:21-修繕積立金繰入額:A2-受託事業     40 JPY
  Fusai:2-固定負債:21-修繕積立金:A2-受託事業         -40 JPY

2024-09-01 * "修繕積立金の取崩"
  Fusai:2-固定負債:21-修繕積立金:A2-受託事業          10 JPY
  Shueki:2-特別利益:21-修繕積立金取崩額:A2-受託事業   -10 JPY

2025-02-01 * "預金の移し替え"
  Shisan:1-流動資産:11-現金預金:Z1-本部事業        -50 JPY
  Fusai:1-流動負債:19-他事業勘定:Z1-本部事業         50 JPY
  Shisan:1-流動資産:11-現金預金:A2-受託事業          50 JPY
  Fusai:1-流動負債:19-他事業勘定:A2-受託事業        -50 JPY
"""


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    opens = "".join(f'2020-01-01 open {account}:{business} JPY\n  label: "{label}"\n'
                    for account, label in ACCOUNTS.items() for business in BUSINESSES)
    path = tmp_path_factory.mktemp("renamed") / "main.beancount"
    path.write_text(HEADER + opens + ENTRIES, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def books(ledger):
    b = books_lib.load(ledger, cache=False)
    assert b.errors == []
    return b


def rows(table):
    return [(r.label, list(r.values) if r.values is not None else None) for r in table.rows]


def test_the_segment_income_statement_reads_the_renamed_roots(books):
    t = statements.build(books, "segment-pl", books.fiscal_year(2024))
    assert [c.label for c in t.columns] == ["本部事業", "受託事業", "消去", "合計"]
    assert rows(t) == [
        ("営業収益", None), ("事業収入", [500, 0, 0, 500]), ("営業収益合計", [500, 0, 0, 500]),
        ("営業費用", None), ("経費", [0, 200, 0, 200]), ("営業費用合計", [0, 200, 0, 200]),
        ("特別利益", None), ("修繕積立金取崩額", [0, 10, 0, 10]), ("特別利益合計", [0, 10, 0, 10]),
        ("特別損失", None), ("修繕積立金繰入額", [100, 40, 0, 140]), ("特別損失合計", [100, 40, 0, 140]),
        ("当期純利益", [400, -230, 0, 170]),
    ]


def test_the_balance_sheet_folds_the_profit_into_the_general_reserve(books):
    t = statements.build(books, "segment-bs", books.fiscal_year(2024))
    assert t.value("現金預金", "本部事業") == 1500 and t.value("現金預金", "受託事業") == 400
    assert t.value("修繕積立金", "合計") == 130
    assert t.value("積立金", "本部事業") == 400 and t.value("積立金", "受託事業") == -230
    assert t.value("資産合計", "合計") == 1900 and t.value("負債純資産合計", "合計") == 1900
    assert [r.label for r in t.rows if r.kind == "heading" and r.level == 0] == ["資産の部", "負債の部", "純資産の部"]


def test_the_reserves_report_lists_businesses_in_declaration_order(books):
    report = reserves.report(books, books.fiscal_year(2024))
    renewal = next(r for r in report.reserves if r.label == "修繕積立金")
    assert [(r.name, int(r.provisions), int(r.releases), int(r.closing)) for r in renewal.rows] == [
        ("本部事業", 100, 0, 100), ("受託事業", 40, -10, 30)]
    assert renewal.kind == "負債性積立金"
    general = next(r for r in report.reserves if r.general)
    assert [(r.name, int(r.net_income)) for r in general.rows] == [("本部事業", 400), ("受託事業", -230)]


def test_the_summary_reads_revenue_and_expense_under_the_renamed_roots(books):
    rows_ = summary.summarize(books, books.fiscal_year(2024))
    by = {r.business: (r.assets, r.liabilities, r.revenue, r.expense, r.net_income) for r in rows_}
    assert by["本部事業"] == (1500, 100, 500, 100, 400)
    assert by["受託事業"] == (400, 30, 10, 240, -230)


def test_the_default_year_is_the_last_with_revenue_or_expense(ledger, books):
    assert books.last_fiscal_year() == books.fiscal_year(2024)
    result = subprocess.run([sys.executable, "-m", "jlis_ledger.cli", "check", str(ledger), "--no-cache"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("令和6年度 (2024-01-01 .. 2024-12-31)")
