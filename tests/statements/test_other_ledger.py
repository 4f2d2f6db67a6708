"""Nothing J-LIS-specific: a small 公営企業 ledger with other businesses, an elimination column
named differently, calendar fiscal years (fiscal-year-end 12-31) and its own layout declarations.
Every expected figure below is worked out by hand from the entries of LEDGER."""

from __future__ import annotations

import textwrap

import pytest

from jlis_ledger import books as books_lib
from jlis_ledger import statements
from jlis_ledger.statements import render

BUSINESSES = ("S1-水道事業", "S2-下水道事業", "X-消去")
ACCOUNTS = {
    "Assets:1-流動資産:11-現金預金": "現金預金",
    "Assets:1-流動資産:12-未収金": "未収金",
    "Liabilities:1-流動負債:11-未払金": "未払金",
    "Liabilities:1-流動負債:12-賞与引当金": "賞与引当金",
    "Liabilities:1-流動負債:19-他会計勘定": "他会計勘定",
    "Equity:1-出資金": "出資金",
    "Equity:2-剰余金:21-利益積立金": "利益積立金",
    "Income:1-営業収益:11-料金収入": "料金収入",
    "Expenses:1-営業費用:11-経費": "経費",
    "Expenses:2-営業外費用:21-支払利息": "支払利息",
}
HEADER = """\
option "operating_currency" "JPY"
plugin "jlis_ledger.plugins.segments" "{'mode': 'strict', 'clearing': 'Liabilities:1-流動負債:19-他会計勘定', 'internal_tag': 'internal'}"
plugin "jlis_ledger.plugins.reserves"
2020-01-01 custom "fava-option" "fiscal-year-end" "12-31"
2020-01-01 custom "business" "S1-水道事業"
2020-01-01 custom "business" "S2-下水道事業"
2020-01-01 custom "business" "X-消去" "elimination"
2020-01-01 custom "reserve" Equity:2-剰余金:21-利益積立金
  general: TRUE
2020-01-01 custom "statement-subtotal" "pl" "営業利益" Expenses:1-営業費用
2020-01-01 custom "statement-subtotal" "pl" "当期純利益" Expenses:2-営業外費用
2020-01-01 custom "cash-flow-cash" Assets:1-流動資産:11-現金預金
2020-01-01 custom "cash-flow-line" "業務活動によるキャッシュ・フロー" "料金収入"
2020-01-01 custom "cash-flow-line" "業務活動によるキャッシュ・フロー" "経費支出"
2020-01-01 custom "statement-line" "provisions" Liabilities:1-流動負債:12-賞与引当金
2024-01-01 custom "fiscal-budget" 2024 Income:1-営業収益:11-料金収入 400 JPY
2024-01-01 custom "fiscal-budget" 2024 Expenses:1-営業費用:11-経費 250 JPY
"""
ENTRIES = """\
2023-12-31 * "開始残高" #opening
  Assets:1-流動資産:11-現金預金:S1-水道事業      1000 JPY
    cf: "開始"
  Equity:1-出資金:S1-水道事業                 -1000 JPY
  Assets:1-流動資産:11-現金預金:S2-下水道事業     500 JPY
    cf: "開始"
  Equity:1-出資金:S2-下水道事業                -500 JPY

2024-03-01 * "水道料金"
  Assets:1-流動資産:11-現金預金:S1-水道事業       300 JPY
    cf: "料金収入"
  Income:1-営業収益:11-料金収入:S1-水道事業      -300 JPY

2024-04-01 * "下水道の経費"
  Expenses:1-営業費用:11-経費:S2-下水道事業       200 JPY
  Assets:1-流動資産:11-現金預金:S2-下水道事業    -200 JPY
    cf: "経費支出"

2024-05-01 * "水道事業から下水道事業への請求" #internal
  Income:1-営業収益:11-料金収入:S1-水道事業       -50 JPY
  Assets:1-流動資産:12-未収金:S1-水道事業          50 JPY
  Expenses:1-営業費用:11-経費:S2-下水道事業        50 JPY
  Liabilities:1-流動負債:11-未払金:S2-下水道事業   -50 JPY

2024-06-01 * "賞与引当金の繰入"
  event: "引当金繰入"
  Expenses:1-営業費用:11-経費:S1-水道事業          30 JPY
  Liabilities:1-流動負債:12-賞与引当金:S1-水道事業  -30 JPY

2024-12-01 * "支払利息"
  Expenses:2-営業外費用:21-支払利息:S2-下水道事業   10 JPY
  Assets:1-流動資産:11-現金預金:S2-下水道事業     -10 JPY
    cf: "経費支出"

2024-12-15 * "水道事業が下水道事業の経費を立替払"
  Assets:1-流動資産:11-現金預金:S1-水道事業       -20 JPY
    cf: "経費支出"
  Liabilities:1-流動負債:19-他会計勘定:S1-水道事業   20 JPY
  Expenses:1-営業費用:11-経費:S2-下水道事業        20 JPY
  Liabilities:1-流動負債:19-他会計勘定:S2-下水道事業  -20 JPY
"""


def ledger_text(entries: str = ENTRIES) -> str:
    opens = "".join(
        f'2020-01-01 open {account}:{business} JPY\n  label: "{label}"\n'
        for account, label in ACCOUNTS.items() for business in BUSINESSES
    )
    return HEADER + opens + "\n" + textwrap.dedent(entries)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("small") / "main.beancount"
    path.write_text(ledger_text(), encoding="utf-8")
    books = books_lib.load(path)
    assert books.errors == []
    return books


def rows(table):
    return [(r.label, r.kind, r.level, list(r.values) if r.values is not None else None) for r in table.rows]


def test_the_fiscal_year_is_the_calendar_year(small):
    fy = small.fiscal_year(2024)
    assert (fy.start.isoformat(), fy.end.isoformat()) == ("2024-01-01", "2024-12-31")


def test_segment_income_statement(small):
    t = statements.build(small, "segment-pl", small.fiscal_year(2024))
    assert [c.label for c in t.columns] == ["水道事業", "下水道事業", "消去", "合計"]
    assert rows(t) == [
        ("営業収益", "heading", 0, None),
        ("料金収入", "line", 1, [350, 0, -50, 300]),
        ("営業収益合計", "subtotal", 0, [350, 0, -50, 300]),
        ("営業費用", "heading", 0, None),
        ("経費", "line", 1, [30, 270, -50, 250]),
        ("営業費用合計", "subtotal", 0, [30, 270, -50, 250]),
        ("営業利益", "subtotal", 0, [320, -270, 0, 50]),
        ("営業外費用", "heading", 0, None),
        ("支払利息", "line", 1, [0, 10, 0, 10]),
        ("営業外費用合計", "subtotal", 0, [0, 10, 0, 10]),
        ("当期純利益", "subtotal", 0, [320, -280, 0, 40]),
    ]


def test_segment_balance_sheet_with_profit_in_the_general_reserve(small):
    t = statements.build(small, "segment-bs", small.fiscal_year(2024))
    assert rows(t) == [
        ("資産の部", "heading", 0, None),
        ("流動資産", "heading", 1, None),
        ("現金預金", "line", 2, [1280, 290, 0, 1570]),
        ("未収金", "line", 2, [50, 0, -50, 0]),
        ("流動資産合計", "subtotal", 1, [1330, 290, -50, 1570]),
        ("資産合計", "subtotal", 0, [1330, 290, -50, 1570]),
        ("負債の部", "heading", 0, None),
        ("流動負債", "heading", 1, None),
        ("未払金", "line", 2, [0, 50, -50, 0]),
        ("賞与引当金", "line", 2, [30, 0, 0, 30]),
        ("他会計勘定", "line", 2, [-20, 20, 0, 0]),
        ("流動負債合計", "subtotal", 1, [10, 70, -50, 30]),
        ("負債合計", "subtotal", 0, [10, 70, -50, 30]),
        ("純資産の部", "heading", 0, None),
        ("出資金", "line", 1, [1000, 500, 0, 1500]),
        ("剰余金", "heading", 1, None),
        ("利益積立金", "line", 2, [320, -280, 0, 40]),
        ("剰余金合計", "subtotal", 1, [320, -280, 0, 40]),
        ("純資産合計", "subtotal", 0, [1320, 220, 0, 1540]),
        ("負債純資産合計", "subtotal", 0, [1330, 290, -50, 1570]),
    ]


def test_consolidated_balance_sheet_leaves_out_lines_that_eliminate_to_zero(small):
    t = statements.build(small, "bs", small.fiscal_year(2024))
    labels = [r.label for r in t.rows]
    assert "未収金" not in labels and "未払金" not in labels and "他会計勘定" not in labels
    assert t.value("現金預金") == 1570 and t.value("賞与引当金") == 30 and t.value("負債純資産合計") == 1570


def test_cash_flow_statement(small):
    t = statements.build(small, "cf", small.fiscal_year(2024))
    assert rows(t) == [
        ("業務活動によるキャッシュ・フロー", "heading", 0, None),
        ("料金収入", "line", 1, [300]),
        ("経費支出", "line", 1, [-230]),
        ("業務活動によるキャッシュ・フロー", "subtotal", 0, [70]),
        ("現金及び現金同等物の増減額", "subtotal", 0, [70]),
        ("現金及び現金同等物期首残高", "subtotal", 0, [1500]),
        ("現金及び現金同等物期末残高", "subtotal", 0, [1570]),
    ]


def test_budget_income_statement(small):
    t = statements.build(small, "budget-pl", small.fiscal_year(2024))
    assert [c.label for c in t.columns] == ["予算額", "決算額", "差額"]
    assert t.find("料金収入").values == (400, 300, -100)
    assert t.find("営業利益").values == (150, 50, -100)
    assert t.find("支払利息").values == (0, 10, 10)
    assert t.find("当期純利益").values == (150, 40, -110)


def test_provisions_schedule(small):
    t = statements.build(small, "provisions", small.fiscal_year(2024))
    assert rows(t) == [("賞与引当金", "line", 0, [0, 30, 0, 0, 30]), ("合計", "subtotal", 0, [0, 30, 0, 0, 30])]


def test_the_year_before_has_only_the_opening(small):
    t = statements.build(small, "bs", small.fiscal_year(2023))
    assert t.value("現金預金") == 1500 and t.value("純資産合計") == 1500


def test_a_cash_posting_without_cf_is_an_error_with_its_location(tmp_path):
    broken = ENTRIES + textwrap.dedent("""
        2024-12-20 * "預金の引出（cf: なし）"
          Assets:1-流動資産:11-現金預金:S1-水道事業     -5 JPY
          Expenses:1-営業費用:11-経費:S1-水道事業        5 JPY
        """)
    path = tmp_path / "main.beancount"
    path.write_text(ledger_text(broken), encoding="utf-8")
    books = books_lib.load(path)
    with pytest.raises(statements.StatementError) as error:
        statements.build(books, "cf", books.fiscal_year(2024))
    lines = path.read_text(encoding="utf-8").splitlines()
    line = lines.index('2024-12-20 * "預金の引出（cf: なし）"') + 2  # the posting's own line
    assert "-5 JPY" in lines[line - 1]
    assert f"{path}:{line}:" in str(error.value)
    assert "no cf: line" in str(error.value)


def test_text_rendering_of_the_small_ledger(small):
    t = statements.build(small, "segment-pl", small.fiscal_year(2024))
    out = render.text(t, negative="△")
    assert "△50" in out and "消去" in out


def test_opening_balances_carried_into_the_books_are_not_movements_of_their_year(small):
    """The #opening entry of 2023-12-31 lies in FY2023: the statements of that year read it as the balances
    the books start with (as the reserves plugin does), not as a 出資金 increase or a cash inflow."""
    fy = small.fiscal_year(2023)
    equity = statements.build(small, "equity", fy)
    assert [(r.label, r.values) for r in equity.rows[:5]] == [
        ("出資金", None), ("当期首残高", (1500,)), ("当期変動額", (0,)), ("当期変動額合計", (0,)), ("当期末残高", (1500,))]
    cf = statements.build(small, "cf", fy)
    assert cf.value("現金及び現金同等物期首残高") == 1500 and cf.value("現金及び現金同等物の増減額") == 0
