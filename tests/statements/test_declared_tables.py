"""Natures as detail components, notes that cite lines and tables declared as data, on a small ledger that is not
J-LIS's (two businesses, calendar years).  Every expected figure is worked out by hand from LEDGER."""

from __future__ import annotations

import textwrap

import pytest

from jlis_ledger import books as books_lib
from jlis_ledger import statements
from jlis_ledger.statements import StatementError, reconcile, render

LEDGER = """\
option "operating_currency" "JPY"
plugin "jlis_ledger.plugins.segments" "{'mode': 'strict', 'clearing': 'Liabilities:1-流動負債:19-他会計勘定', 'internal_tag': 'internal'}"
2020-01-01 custom "fava-option" "fiscal-year-end" "12-31"
2020-01-01 custom "business" "S1-水道事業"
2020-01-01 custom "business" "S2-下水道事業"
2020-01-01 custom "business" "X-消去" "elimination"
2020-01-01 open Assets:1-流動資産:11-現金預金:S1-水道事業
  label: "現金預金"
2020-01-01 open Assets:1-流動資産:11-現金預金:S2-下水道事業
  label: "現金預金"
2020-01-01 open Expenses:1-営業費用:11-経費:1-委託料:S1-水道事業
  label: "経費"
  detail: "委託料"
2020-01-01 open Expenses:1-営業費用:11-経費:1-委託料:S2-下水道事業
  label: "経費"
  detail: "委託料"
2020-01-01 open Expenses:1-営業費用:11-経費:2-その他:S1-水道事業
  label: "経費"
  detail: "その他"
2020-01-01 open Expenses:1-営業費用:12-人件費:S1-水道事業
  label: "人件費"
2020-01-01 open Equity:1-出資金:S1-水道事業
  label: "出資金"
2020-01-01 open Equity:1-出資金:S2-下水道事業
  label: "出資金"
2020-01-01 custom "statement-line" "expenses-by-nature" Expenses:1-営業費用:11-経費:1-委託料
2020-01-01 custom "statement-option" "fund-grants" "columns" "件数" "金額"
2020-01-01 custom "statement-option" "fund-grants" "unit" "千円"
2020-01-01 custom "statement-option" "fund-grants" "column-unit" "件数" "件"
2024-12-31 custom "statement-row" "fund-grants" "配水管更新" 0 3 12,000,000 JPY
  source: "経営計画 p.3"
2024-12-31 custom "statement-row" "fund-grants" "検針" 1 "" 500,000 JPY
2024-12-31 custom "statement-note" "budget-notes" "損益計算書" "(注1)" "委託の増"
  cites: "pl"
  cited-by: "経費"
2024-12-31 custom "statement-note" "budget-notes" "損益計算書" "(注2)" "単価の増"
  cites: "pl"
  cited-by: "経費"

2023-12-31 * "開始"
  Assets:1-流動資産:11-現金預金:S1-水道事業      1000 JPY
  Equity:1-出資金:S1-水道事業                 -1000 JPY
  Assets:1-流動資産:11-現金預金:S2-下水道事業     500 JPY
  Equity:1-出資金:S2-下水道事業                -500 JPY

2024-05-01 * "委託料ほか"
  Expenses:1-営業費用:11-経費:1-委託料:S1-水道事業    120 JPY
  Expenses:1-営業費用:11-経費:2-その他:S1-水道事業     30 JPY
  Expenses:1-営業費用:12-人件費:S1-水道事業           50 JPY
  Assets:1-流動資産:11-現金預金:S1-水道事業         -200 JPY
  Expenses:1-営業費用:11-経費:1-委託料:S2-下水道事業    70 JPY
  Assets:1-流動資産:11-現金預金:S2-下水道事業        -70 JPY
"""


def load(tmp_path, text: str = LEDGER) -> books_lib.Books:
    path = tmp_path / "main.beancount"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return books_lib.load(path)


@pytest.fixture
def books(tmp_path):
    b = load(tmp_path)
    assert b.errors == [], [e.message for e in b.errors]
    return b


def test_the_natures_sum_into_their_line_and_show_by_themselves(books):
    fy = books.fiscal_year(2024)
    pl = statements.build(books, "pl", fy)
    assert pl.value("経費") == 220 and pl.value("人件費") == 50  # 120 + 30 + 70: the details are summed into the line
    segment = statements.build(books, "segment-pl", fy)
    assert segment.value("経費", "水道事業") == 150 and segment.value("経費", "下水道事業") == 70
    nature = statements.build(books, "expenses-by-nature", fy)
    assert [(r.label, r.kind, r.level, r.values) for r in nature.rows] == [("経費", "heading", 0, None), ("委託料", "line", 1, (190,))]


def test_a_note_marks_the_lines_that_cite_it_and_lists_its_text(books):
    fy = books.fiscal_year(2024)
    pl = statements.build(books, "pl", fy)
    assert pl.find("経費").note == "(注1,2)" and pl.find("人件費").note is None
    assert pl.value("経費") == 220  # the values are unchanged
    text = render.text(pl)
    assert "備考" in text and "(注1,2)" in text
    assert render.csv_text(pl).splitlines()[0] == "科目,金額"
    notes = statements.build(books, "budget-notes", fy)
    assert [(r.label, r.values) for r in notes.rows] == [("損益計算書", None), ("(注1)", ("委託の増",)), ("(注2)", ("単価の増",))]


def test_a_declared_table_keeps_yen_and_reconciles_at_its_units(books):
    fy = books.fiscal_year(2024)
    table = statements.build(books, "fund-grants", fy)
    assert [(r.label, r.level, r.values) for r in table.rows] == [("配水管更新", 0, (3, 12_000_000)), ("検針", 1, (None, 500_000))]
    assert "12,000" in render.text(table) and "（単位：千円）" in render.text(table)
    published = {"columns": ["件数", "金額"], "rows": [
        {"label": "配水管更新", "kind": "line", "level": 0, "values": ["3", 12000]},
        {"label": "検針", "kind": "line", "level": 1, "values": [None, 500]}]}
    assert reconcile.compare("fund-grants", published, table) == []
    published["rows"][1]["values"] = [None, 501]
    assert [(d.row, d.column) for d in reconcile.compare("fund-grants", published, table)] == [("#2 検針", "金額")]


def test_a_malformed_row_or_note_is_one_located_error(tmp_path):
    text = LEDGER.replace('"配水管更新" 0 3', '"配水管更新" "x" 3').replace('  cited-by: "経費"\n', "", 1)
    b = load(tmp_path, text)
    messages = sorted(f"{e.source['lineno']}: {e.message}" for e in b.errors)
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines, start=1) if '"配水管更新" "x"' in line)
    note = next(i for i, line in enumerate(lines, start=1) if '"(注1)"' in line)
    assert len(messages) == 2, messages
    assert any(m.startswith(f"{row}: custom \"statement-row\" takes") for m in messages), messages
    assert any(m.startswith(f"{note}: custom \"statement-note\" takes") for m in messages), messages


def test_a_note_citing_a_line_the_statement_has_not_names_its_place(tmp_path):
    b = load(tmp_path, LEDGER.replace('cited-by: "経費"\n2024-12-31', 'cited-by: "経費; 支払利息"\n2024-12-31'))
    with pytest.raises(StatementError, match=r"main\.beancount:\d+: \(注1\) of budget-notes is cited by '支払利息'"):
        statements.build(b, "pl", b.fiscal_year(2024))


def test_a_row_without_cells_is_a_heading_and_a_negative_amount_after_the_level_is_bracketed(tmp_path):
    text = LEDGER.replace('2024-12-31 custom "statement-row" "fund-grants" "検針" 1 "" 500,000 JPY\n',
                          '2024-12-31 custom "statement-row" "fund-grants" "見直し" 0\n'
                          '2024-12-31 custom "statement-row" "fund-grants" "検針" 1 "" (-500,000) JPY\n')
    b = load(tmp_path, text)
    assert b.errors == [], [e.message for e in b.errors]
    table = statements.build(b, "fund-grants", b.fiscal_year(2024))
    assert [(r.label, r.kind, r.level, r.values) for r in table.rows] == [
        ("配水管更新", "line", 0, (3, 12_000_000)), ("見直し", "heading", 0, None), ("検針", "line", 1, (None, -500_000))]
