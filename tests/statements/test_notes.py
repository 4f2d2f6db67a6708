"""The notes and the rest of the 附属明細書 (issue 16 item 1): tables declared whole in the ledger
(custom "note-table" …, jlis_ledger.statements.notes), each against the published figures of r4-kessan.json
(recovered from the publication independently of the statements code), and what a change of one fact or
one posting does to them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from jlis_ledger import books as books_lib
from jlis_ledger import statements
from jlis_ledger.statements import StatementError, render
from jlis_ledger.statements.notes import NOTE_IDS
from jlis_ledger.statements.reconcile import Difference, reconcile

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tables(books):
    return statements.build_all(books, books.fiscal_year(2022), NOTE_IDS)


def test_every_note_id_is_a_statement_right_after_the_schedules():
    start = statements.STATEMENT_IDS.index("deferred-revenue") + 1
    assert statements.STATEMENT_IDS[start:start + len(NOTE_IDS)] == NOTE_IDS


@pytest.mark.parametrize("statement", NOTE_IDS)
def test_each_note_table_is_the_published_one(tables, published, statement):
    expected = published["tables"][statement]
    got = tables[statement].to_dict()
    assert got["title"] == expected["title"]
    assert got["columns"] == expected["columns"]
    assert (got.get("as_of"), got.get("period")) == (expected.get("as_of"), expected.get("period"))
    assert [(r["label"], r["kind"], r["level"]) for r in got["rows"]] == [(r["label"], r["kind"], r["level"]) for r in expected["rows"]]
    for mine, theirs in zip(got["rows"], expected["rows"], strict=True):
        assert mine["values"] == theirs["values"], (statement, theirs["label"])


def test_about_105_published_figures_are_covered(published):
    figures = sum(len(r["values"]) for i in NOTE_IDS for r in published["tables"][i]["rows"] if r["values"] is not None)
    assert figures == 105


def test_the_facts_are_the_only_published_figures_typed_into_the_ledger(books):
    """31 facts (note-fact, each with source:); every other cell of the 16 tables is a quantity of the books or computed."""
    facts = [(t.id, row, column) for t in books.declarations.notes.values() for (row, column), fs in t.facts.items() for _ in fs]
    assert len(facts) == 31
    assert all(f.meta.get("source") for t in books.declarations.notes.values() for fs in t.facts.values() for f in fs)
    # the cells computed from the books: balances and flows of accounts, no literal amount
    cells = [s for t in books.declarations.notes.values() for s in t.cells.values()]
    assert {s.kind for s in cells} == {"closing", "opening", "increase", "decrease", "flow", "difference", "cell"}


def test_the_texts_print_as_published(tables):
    b = tables["borrowings"]
    assert b.value("1年以内に返済予定のリース債務", "平均利率（%）") == "2.278"
    assert b.value("リース債務（1年以内に返済予定のものを除く。）", "返済期限") == "令和5年~令和9年"
    text = render.text(b, negative="△")
    assert "2.429" in text and "令和5年~令和9年" in text and "2,902,149,471" in text
    assert ",2191787754,1917054847,2.429," in render.csv_text(b)  # raw yen
    assert tables["securities-note"].notes == ["(注3) 地方債の時価は、当事業年度末における市場価格に基づいております。"]


def test_every_note_renders_as_a_workbook_sheet(tmp_path, books):
    from openpyxl import load_workbook

    from tests_cli_helper import jlis

    out = tmp_path / "notes.xlsx"
    result = jlis("statements", "--all", "--year", "2022", "--format", "xlsx", "-o", str(out))
    assert result.returncode == 0, result.stderr
    workbook = load_workbook(out)
    values = {str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    for figure in ("199840000", "650670165", "2836246470", "52030000", "3564164", "1186474893", "-2936531493", "2.278"):
        assert figure in values, figure


# -- a change of one fact or one posting: reconcile reports exactly what follows from it ----------


def _copy(tmp_path: Path) -> Path:
    ledger = tmp_path / "ledger"
    shutil.copytree(REPO / "ledger", ledger, ignore=shutil.ignore_patterns("reconstruct", "import", "*.picklecache"))
    return ledger


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _differences(ledger: Path, published) -> set[tuple[str, str, str, object, object]]:
    b = books_lib.load(ledger / "main.beancount")
    reference = {i: published["tables"][i] for i in NOTE_IDS}
    diffs: list[Difference] = reconcile(b, reference)
    return {(d.statement, re.sub(r"^#\d+ ", "", d.row), d.column, d.expected, d.actual) for d in diffs}


def test_the_unchanged_copy_reconciles(tmp_path, published):
    assert _differences(_copy(tmp_path), published) == set()


def test_a_changed_rate_is_one_difference(tmp_path, published):
    ledger = _copy(tmp_path)
    _edit(ledger / "fy2022" / "notes.beancount", '"1年以内に返済予定のリース債務" "平均利率（%）" "2.278"',
          '"1年以内に返済予定のリース債務" "平均利率（%）" "2.300"')
    assert _differences(ledger, published) == {("borrowings", "1年以内に返済予定のリース債務", "平均利率（%）", "2.278", "2.300")}


def test_a_changed_fair_value_moves_its_difference_and_totals(tmp_path, published):
    ledger = _copy(tmp_path)
    _edit(ledger / "fy2022" / "notes.beancount", '"保証金" "時価" 650,670,165', '"保証金" "時価" 650,671,165')
    assert _differences(ledger, published) == {
        ("financial-instruments", "保証金", "時価", 650670165, 650671165),
        ("financial-instruments", "保証金", "差額", -350400904, -350399904),
        ("financial-instruments", "資産計", "時価", 850510165, 850511165),
        ("financial-instruments", "資産計", "差額", -350560904, -350559904),
        ("financial-instruments-levels", "保証金", "レベル2", 650670165, 650671165),
        ("financial-instruments-levels", "資産計", "レベル2", 850510165, 850511165),
    }


def test_a_posting_to_a_time_deposit_leaves_the_cash_scope(tmp_path, published):
    ledger = _copy(tmp_path)
    with (ledger / "fy2022" / "transactions.beancount").open("a", encoding="utf-8") as f:
        f.write('\n2023-03-31 * "定期預金の預入 (a test)"\n  event: "定期預金"\n'
                "  Assets:1-流動資産:11-現金及び預金:2-定期預金:B1-一般事業   1,000 JPY\n"
                "  Assets:1-流動資産:11-現金及び預金:1-預金:B1-一般事業     -1,000 JPY\n"
                '    cf: "定期預金の預入による支出"\n')
    assert _differences(ledger, published) == {
        ("cash-scope", "預入期間が3箇月を超える定期預金", "金額", 0, -1000),
        ("cash-scope", "現金及び現金同等物", "金額", 250680774548, 250680773548),
    }


def test_a_fact_that_breaks_a_published_identity_is_an_error_at_the_check(tmp_path):
    ledger = _copy(tmp_path)
    _edit(ledger / "fy2022" / "notes.beancount", '"リース債務" "4年超5年以内" 196,199,605', '"リース債務" "4年超5年以内" 196,199,606')
    b = books_lib.load(ledger / "main.beancount")
    with pytest.raises(StatementError, match=r"statements\.beancount:\d+: lease-repayment: リース債務 .* is 1917054848, "
                                             r"but closing .* is 1917054847"):
        statements.build(b, "lease-repayment", b.fiscal_year(2022))


def test_a_subtotal_that_is_not_its_balance_is_an_error(tmp_path):
    ledger = _copy(tmp_path)
    _edit(ledger / "statements.beancount",
          '"期末における退職給付引当金" "金額" "closing" Liabilities:2-固定負債:22-退職給付引当金',
          '"期末における退職給付引当金" "金額" "closing" Liabilities:2-固定負債:23-役員退職引当金')
    b = books_lib.load(ledger / "main.beancount")
    with pytest.raises(StatementError, match=r"statements\.beancount:\d+: retirement-benefits: 期末における退職給付引当金 金額 is 7225200, "
                                             r"but the lines above it sum to 823013136"):
        statements.build(b, "retirement-benefits", b.fiscal_year(2022))


# -- malformed declarations: located errors of the books ------------------------------------------

SMALL = """option "operating_currency" "JPY"
2022-01-01 custom "business" "B1-一般事業"
2022-01-01 open Assets:1-流動資産:11-現金及び預金:B1-一般事業
2022-01-01 open Equity:1-出資金:B1-一般事業
2022-01-02 * "出資"
  Assets:1-流動資産:11-現金及び預金:B1-一般事業   500 JPY
  Equity:1-出資金:B1-一般事業                  -500 JPY
2022-01-01 custom "note-table" "cash-scope" "資金の範囲" "as-of"
2022-01-01 custom "note-column" "cash-scope" "金額"
2022-01-01 custom "note-row" "cash-scope" "line" 0 "現金及び預金"
2022-01-01 custom "note-row" "cash-scope" "line" 0 "その他"
2022-01-01 custom "note-row" "cash-scope" "subtotal" 0 "計"
2022-01-01 custom "note-cell" "cash-scope" "現金及び預金" "金額" "closing" Assets:1-流動資産:11-現金及び預金
"""


def _load(tmp_path: Path, extra: str):
    path = tmp_path / "main.beancount"
    path.write_text(SMALL + extra, encoding="utf-8")
    return books_lib.load(path), path


def test_a_small_ledger_declares_its_own_note(tmp_path):
    b, _ = _load(tmp_path, '2022-12-31 custom "note-fact" "cash-scope" "その他" "金額" 20\n  source: "a test"\n')
    assert not b.errors
    t = statements.build(b, "cash-scope", b.fiscal_year(2022))
    assert [(r.label, r.values) for r in t.rows] == [("現金及び預金", (500,)), ("その他", (20,)), ("計", (520,))]
    # a fact belongs to the year it is dated in; an undeclared note is an empty table
    assert statements.build(b, "cash-scope", b.fiscal_year(2023)).rows[1].values == (None,)
    assert statements.build(b, "borrowings", b.fiscal_year(2022)).rows == []


@pytest.mark.parametrize(("extra", "says"), [
    ('2022-12-31 custom "note-fact" "cash-scope" "その他" "金額" 20\n', "has no source: metadata"),
    ('2022-01-01 custom "note-cell" "cash-scope" "その他" "金額" "closing" "not an account"\n', "one or more accounts"),
    ('2022-01-01 custom "note-cell" "cash-scope" "その他" "金額" "balance" Assets:1-流動資産\n', "source 'balance' is not one of"),
    ('2022-01-01 custom "note-cell" "cash-scope" "なし" "金額" "closing" Assets:1-流動資産\n', "cash-scope has no row 'なし'"),
    ('2022-01-01 custom "note-row" "cash-scope" "total" 0 "計"\n', "a kind (heading, line, subtotal)"),
    ('2022-01-01 custom "note-column" "securities" "金額"\n', "'securities' is not a declared note-table"),
])
def test_a_malformed_note_declaration_is_an_error_at_its_line(tmp_path, extra, says):
    b, path = _load(tmp_path, extra)
    messages = [f"{e.source.get('filename')}:{e.source.get('lineno')}: {e.message}" for e in b.errors]
    line = SMALL.count("\n") + 1
    assert len(messages) == 1 and messages[0].startswith(f"{path}:{line}: ") and says in messages[0], messages


def test_a_year_without_its_facts_builds_with_those_cells_empty(books):
    """令和5年度 has no note-fact (yet): its checks cannot be evaluated and are not, the facts' cells are empty."""
    t = statements.build_all(books, books.fiscal_year(2023), NOTE_IDS)
    assert t["lease-repayment"].rows[0].values[1:] == (None, None, None, None)
    assert t["borrowings"].value("1年以内に返済予定のリース債務", "平均利率（%）") is None
    assert t["borrowings"].value("1年以内に返済予定のリース債務", "当期首残高") == 985094624  # FY2022's closing (published)
