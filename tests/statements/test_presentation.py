"""The published conventions in the text rendering (issue 16, item 2), against the document and its figures.

Expected printed cells come from the published figures (r4-kessan.json) and the conventions read from the
document (published_print.py); where the extraction kept the printed cells (the schedules, whose figures are
all printed positive), the text must print exactly those cells.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap

import pytest
from published_print import ENTITY, cells, date_line, label_head, printed_rows

from jlis_ledger import books as books_lib
from jlis_ledger import render, statements
from jlis_ledger.render.text import width
from jlis_ledger.table import Column, Presentation, Table


@pytest.fixture(scope="module")
def tables(books):
    return statements.build_all(books, books.fiscal_year(2022))


def _rows(text: str, heads: bool = True, notes: tuple[str, ...] = ()) -> list[list[str]]:
    """The body rows of a text rendering, split into label and cells at runs of two or more spaces (a label may hold
    one: 「令和4年度決算の概要 貸借対照表」), after the entity, caption, blank, head and rule; the notes printed under a
    table are not rows."""
    return [re.split(r"\s{2,}", line.strip()) for line in text.splitlines()[5 if heads else 3:]
            if line.strip() and not line.startswith("-") and line.strip() not in notes]


@pytest.mark.parametrize("statement", statements.STATEMENT_IDS)
def test_every_row_prints_the_published_cells_with_the_reports_conventions(tables, published, statement):
    text = render.text(tables[statement])
    lines = text.splitlines()
    assert lines[0] == ENTITY  # the entity (declared in the ledger) above the title
    expected = published["tables"][statement]
    assert lines[1].startswith(tables[statement].title) and f"（単位：{expected.get('unit', '円')}）" in lines[1]
    assert all(n in text.splitlines() for n in tables[statement].notes)
    printed = _rows(text, heads=statement != "appropriation", notes=tuple(tables[statement].notes))
    assert [r[0] for r in printed] == [r["label"] for r in expected["rows"]]
    for row, e in zip(printed, expected["rows"], strict=True):
        assert row[1:] == ([] if e["values"] is None else cells(statement, expected, e)), e["label"]


@pytest.mark.parametrize(("statement", "marker"), [("bs", "# 貸借対照表"), ("pl", "## 損益計算書"), ("equity", "## 純資産変動計算書"),
                                                   ("cf", "キャッシュ・フロー計算書"), ("appropriation", "## 利益の処分にに関する書類")])
def test_the_date_line_is_the_published_wareki_one(tables, statement, marker):
    assert f"（{date_line(marker)}）" in render.text(tables[statement]).splitlines()[1]


@pytest.mark.parametrize("statement", ["bs", "pl", "equity", "cf", "fixed-assets", "lease-debt", "provisions", "aro",
                                       "deferred-revenue"])
def test_the_label_column_has_the_published_head(tables, statement):
    head = label_head(statement)
    assert render.text(tables[statement]).splitlines()[3].split()[0] == head
    assert render.csv_text(tables[statement]).startswith("科目,")  # the CSV contract keeps 科目


@pytest.mark.parametrize(("statement", "marker"), [("fixed-assets", "## 【有形固定資産等明細書】"),
                                                   ("provisions", "## 【引当金明細書】"), ("aro", "【資産除去債務明細書】")])
def test_the_schedules_print_exactly_the_cells_the_extraction_kept(tables, statement, marker):
    """No negative figure is printed in these schedules, so the extraction lost no mark: decreases and
    depreciation positive, 「-」 for a zero where the report prints one."""
    published = [(label, row) for label, row in printed_rows(marker)[1:] if any(row)]
    ours = [r for r in _rows(render.text(tables[statement])) if len(r) > 1]
    assert [(r[0], r[1:]) for r in ours] == published


def test_csv_and_json_stay_signed_yen(tables, published):
    table = tables["fixed-assets"]
    rows = list(csv.reader(io.StringIO(render.csv_text(table))))
    equipment = next(r for r in rows if r[0] == "備品")
    assert int(equipment[3]) == -9211624 and int(equipment[6]) == -350822748
    data = json.loads(render.json_text(table))
    assert set(data) == {"id", "title", "unit", "columns", "period", "rows"}  # no presentation in the JSON
    assert [{k: v for k, v in r.items() if k != "account"} for r in data["rows"]] == published["tables"]["fixed-assets"]["rows"]


def test_two_column_form_places_each_figure_as_the_form_does():
    table = Table("appropriation", "利益の処分に関する書類", [Column("金額")], presentation=Presentation(layout="two-column"))
    table.subtotal("処分対象利益", 0, [300])
    table.line("当期純利益", 1, [300])
    table.heading("利益処分額", 0)
    table.line("積立金", 1, [100])
    table.line("システム開発積立金", 1, [200])
    lines = render.text(table).splitlines()
    outer = width(lines[2])
    assert lines[2].split() == ["処分対象利益", "300"]
    assert lines[3].split() == ["当期純利益", "300"] and width(lines[3]) < outer  # the inner column only
    assert lines[4].split() == ["利益処分額"]
    assert lines[5].split() == ["積立金", "100", "100"] and width(lines[5]) == outer  # both columns


def test_options_given_to_the_command_win_over_the_declared_ones(tables):
    line = next(x for x in render.text(tables["cf"], negative="▲", unit="百万円").splitlines() if "人件費の支出" in x)
    assert line.split()[-1] == "▲2,910"


LEDGER = textwrap.dedent("""\
    option "title" "上下水道事業会計"
    option "operating_currency" "JPY"
    2024-01-01 custom "business" "S1-水道事業"
    2024-01-01 custom "business" "E-消去" "elimination"
    2024-01-01 open Assets:1-流動資産:11-現金預金:S1-水道事業
    2024-01-01 open Liabilities:1-流動負債:11-未払金:S1-水道事業
    2024-01-01 open Equity:1-資本金:S1-水道事業
    2024-01-01 open Income:1-営業収益:11-給水収益:S1-水道事業
    2024-01-01 open Expenses:1-営業費用:11-経費:S1-水道事業
    2024-01-02 * "出資"
      Assets:1-流動資産:11-現金預金:S1-水道事業  100 JPY
      Equity:1-資本金:S1-水道事業  -100 JPY
    2024-02-01 * "経費"
      Expenses:1-営業費用:11-経費:S1-水道事業  130 JPY
      Assets:1-流動資産:11-現金預金:S1-水道事業  -130 JPY
    """)


def _load(tmp_path, extra: str = ""):
    path = tmp_path / "main.beancount"
    path.write_text(LEDGER + extra, encoding="utf-8")
    return books_lib.load(path, cache=False)


def test_another_body_gets_its_title_as_entity_and_the_plain_defaults(tmp_path):
    books = _load(tmp_path)
    table = statements.build(books, "segment-pl", books.fiscal_year(2024))
    lines = render.text(table).splitlines()
    assert lines[0] == "上下水道事業会計"
    assert "（令和6年1月1日から令和6年12月31日まで）" in lines[1]
    assert next(x for x in lines if x.strip().startswith("当期純利益")).split()[-1] == "-130"  # no declaration: "-"


def test_a_body_declares_its_own_conventions(tmp_path):
    books = _load(tmp_path, textwrap.dedent("""\
        2024-01-01 custom "statement-option" "*" "negative" "▲"
        2024-01-01 custom "statement-option" "*" "entity" "○○市"
        2024-01-01 custom "statement-option" "segment-bs" "negative" "△"
        2024-01-01 custom "statement-option" "segment-bs" "label-head" "区分"
        """))
    fy = books.fiscal_year(2024)
    pl = render.text(statements.build(books, "segment-pl", fy)).splitlines()
    bs = render.text(statements.build(books, "segment-bs", fy)).splitlines()
    assert pl[0] == bs[0] == "○○市"
    assert next(x for x in pl if x.strip().startswith("当期純利益")).split()[-1] == "▲130"
    assert bs[3].split()[0] == "区分" and "△30" in "\n".join(bs)


def test_a_malformed_presentation_option_is_a_located_error(tmp_path):
    books = _load(tmp_path, '2024-01-01 custom "statement-option" "*" "negative" "x"\n')
    messages = [e.message for e in books.errors]
    assert any('"negative" takes one string: one of -, △, ▲' in m for m in messages), messages
    assert any(e.source["lineno"] == LEDGER.count("\n") + 1 for e in books.errors)
