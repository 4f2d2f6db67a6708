"""事業費 and 一般管理費 by nature (主要な費目): the natures are detail components of the lines, so the table
comes from postings.  Expected figures: ledger/published/r4-kessan.json (recovered from the source text by
ledger/published/recover.py, independently of jlis_ledger.statements)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jlis_ledger import books as books_lib
from jlis_ledger import statements
from jlis_ledger.statements import reconcile

REPO = Path(__file__).resolve().parents[2]
B1_NATURES = ("  Expenses:1-営業費用:101-事業費:1-委託費:B1-一般事業               2,788,879,399 JPY\n"
              "  Expenses:1-営業費用:101-事業費:3-通信運搬費:B1-一般事業               563,707,764 JPY\n")


def test_the_table_is_the_published_one(books, published):
    expected = published["tables"]["expenses-by-nature"]
    assert reconcile.reconcile(books, {"expenses-by-nature": expected}) == []
    figures = [v for r in expected["rows"] if r["values"] for v in r["values"]]
    assert len(figures) == 14


def test_the_natures_of_each_business_add_up_to_its_published_line(books, published):
    """The details (the residual その他 included) sum into their line: per business, the 事業別 PL cell."""
    fy = books.fiscal_year(2022)
    ctx = statements.context(books, fy)
    segment = {r["label"]: r["values"] for r in published["tables"]["segment-pl"]["rows"]}
    columns = ctx.segment_columns
    for line, label in (("Expenses:1-営業費用:101-事業費", "事業費"), ("Expenses:1-営業費用:102-一般管理費", "一般管理費")):
        node = ctx.chart.line(label)
        assert len(node.details) == 8  # seven published natures and その他
        for j, column in enumerate(columns[:-1]):  # the businesses and 相殺等
            parts = sum(ctx.shown(detail, "movement", column.business) for detail in node.details)
            assert parts == segment[label][j] == ctx.shown(line, "movement", column.business), (label, column.label)


def test_the_residual_nature_is_not_printed(books):
    table = statements.build(books, "expenses-by-nature", books.fiscal_year(2022))
    assert "その他" not in [r.label for r in table.rows]
    assert [r.label for r in table.rows if r.kind == "heading"] == ["事業費", "一般管理費"]


@pytest.fixture
def moved(tmp_path) -> books_lib.Books:
    """A copy of the books with 1 yen of 一般事業's 事業費 moved from 委託費 to 通信運搬費."""
    target = tmp_path / "ledger"
    shutil.copytree(REPO / "ledger", target, ignore=shutil.ignore_patterns("reconstruct", "__pycache__"))
    path = target / "fy2022" / "transactions.beancount"
    text = path.read_text(encoding="utf-8")
    assert text.count(B1_NATURES) == 1
    path.write_text(text.replace(B1_NATURES, B1_NATURES.replace("2,788,879,399", "2,788,879,398")
                                 .replace("563,707,764", "563,707,765")), encoding="utf-8")
    return books_lib.load(target / "main.beancount")


def test_one_yen_between_two_natures_fails_the_natures_and_nothing_else(moved, published):
    reference = {i: published["tables"][i] for i in ("expenses-by-nature", "segment-pl", "pl", "budget-pl")}
    diffs = reconcile.reconcile(moved, reference)
    assert sorted((d.statement, d.row, d.expected - d.actual) for d in diffs) == [
        ("expenses-by-nature", "#2 委託費", 1), ("expenses-by-nature", "#4 通信運搬費", -1)]
    # the line totals per business are unchanged: every flow assertion (事業別 PL cells) still holds;
    # only the seal notices the edit
    assert moved.errors and all("is not as sealed" in e.message for e in moved.errors), [e.message for e in moved.errors]


def test_figures_in_another_unit_are_compared_at_the_published_unit_and_rounding():
    """Exact yen against a figure printed in 億円 / 百万円 / a count: rounded half up to the printed decimals."""
    assert reconcile.same("110.1", 11_010_000_000, "億円")
    assert reconcile.same("20.1", 2_008_024_000, "億円")  # 20.08 → 20.1
    assert not reconcile.same("20.0", 2_008_024_000, "億円")
    assert reconcile.same("0.01", 1_000_000, "億円") and not reconcile.same("0.01", 1_500_000, "億円")  # 0.015 → 0.02
    assert reconcile.same("43.5", 4_345_000_000, "億円") and not reconcile.same("43.4", 4_345_000_000, "億円")  # half up
    assert reconcile.same(7738, 7_738_000_000, "百万円") and not reconcile.same(7738, 7_739_000_000, "百万円")
    assert reconcile.same("1,181", 1181, "団体") and not reconcile.same("1,181", 1180, "団体")
    assert not reconcile.same(7738, 7_738_000_000, "円")  # in 円 a figure is the figure
    assert not reconcile.same("10/10", 1, "億円")


def test_the_notes_are_printed_on_the_lines_that_cite_them(books, published):
    """The 備考 marks of budget-bs / budget-pl are the published ones (r4-kessan.json: `note` on the budget rows)."""
    for statement in ("budget-bs", "budget-pl"):
        table = statements.build(books, statement, books.fiscal_year(2022))
        got = [(r.label, r.note) for r in table.rows if r.note]
        expected = [(r["label"], r["note"]) for r in published["tables"][statement]["rows"] if r.get("note")]
        assert got == expected and len(got) > 5
        assert reconcile.compare(statement, published["tables"][statement], table) == []  # values unchanged
        from jlis_ledger.statements import render

        printed = render.text(table)
        assert "備考" in printed.splitlines()[3] and all(mark in printed for _, mark in expected)
        assert "備考" not in render.csv_text(table).splitlines()[0]  # CSV keeps the published value columns


def test_the_trend_is_reconciled_and_its_last_year_comes_from_the_books(books, published):
    expected = published["tables"]["trend"]
    table = statements.build(books, "trend", books.fiscal_year(2022))
    assert reconcile.compare("trend", expected, table) == []
    assert sum(v is not None for r in expected["rows"] for v in r["values"]) == 75
    r4 = [r.values[-1] for r in table.rows if r.kind == "line"]
    assert all(v % 1_000_000 for v in r4)  # exact yen of the postings, not the 億円 records


@pytest.mark.parametrize("statement", ["budget-notes", "fund-grants", "reserve-plans"])
def test_the_declared_tables_are_the_published_ones(books, published, statement):
    expected = published["tables"][statement]
    assert reconcile.reconcile(books, {statement: expected}, year=2022) == []
    figures = sum(v is not None for r in expected["rows"] if r["values"] for v in r["values"])
    assert figures == {"budget-notes": 16, "fund-grants": 17, "reserve-plans": 10}[statement]
