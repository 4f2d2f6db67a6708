"""参考資料1-2: the summaries in 百万円 (決算の概要, 事業別決算の状況, the CF summary), the budgets by business, and the
unit-aware reconcile.

Expected figures are the published ones (ledger/published/r4-kessan.json, recovered by ledger/published/recover.py,
independently of jlis_ledger.statements); the printed rounding is worked out here (published_print.at_unit).
"""

from __future__ import annotations

import copy
import datetime
import textwrap
from decimal import Decimal

import pytest
from beancount.core import data
from published_print import at_unit, disagreements, regenerated

from jlis_ledger import books as books_lib
from jlis_ledger import statements
from jlis_ledger.statements import reconcile
from jlis_ledger.table import Column, Table

SUMMARIES = [i for i in statements.STATEMENT_IDS if i.startswith("summary-") and i != "summary-reasons"]
BUSINESS_TABLES = [i for i in SUMMARIES if i.count("-") == 2]


@pytest.fixture(scope="module")
def tables(books):
    return statements.build_all(books, books.fiscal_year(2022), SUMMARIES)


def _reference(published, ids=SUMMARIES):
    return {i: published["tables"][i] for i in ids}


def test_the_summaries_are_the_published_tables_of_reference_1_2(published):
    assert SUMMARIES == [i for i in published["tables"] if i.startswith("summary-") and i != "summary-reasons"]
    assert len(SUMMARIES) == 19
    figures = sum(len(r["values"] or []) for i in SUMMARIES for r in published["tables"][i]["rows"])
    assert figures == 16 * 3 + 8 * 16 * 3 + 22  # 決算の概要, 8 businesses, the CF summary


@pytest.mark.parametrize("statement", SUMMARIES)
def test_every_summary_figure_is_the_published_one_in_millions(tables, published, statement):
    expected = published["tables"][statement]
    got = tables[statement]
    assert got.unit == expected["unit"] == "百万円" and got.title == expected["title"]
    assert [c.label for c in got.columns] == expected["columns"]
    assert [(r.label, r.kind, r.level) for r in got.rows] == [(r["label"], r["kind"], r["level"]) for r in expected["rows"]]
    for g, e in zip(got.rows, expected["rows"], strict=True):
        if e["values"] is not None:
            assert [at_unit(v, "百万円") for v in g.values] == regenerated(expected, e), (statement, e["label"])


def test_the_whole_bodys_budgets_come_from_the_kessan_hokokusho_in_yen(tables, published):
    """決算の概要's 予算 is the 決算報告書's 予算額 (yen) rounded: 営業収益 182,790,132,000 → 182,790."""
    budget_pl = {r["label"]: r["values"] for r in published["tables"]["budget-pl"]["rows"] if r["values"]}
    assert tables["summary-pl"].value("営業収益", "予算") == budget_pl["営業収益合計"][0]
    assert tables["summary-pl"].value("当期純利益", "予算") == budget_pl["当期純利益"][0]
    budget_bs = {r["label"]: r["values"] for r in published["tables"]["budget-bs"]["rows"] if r["values"]}
    assert tables["summary-bs"].value("負債", "予算") == budget_bs["負債合計"][0]


def test_a_difference_is_of_the_printed_figures(tables, published):
    """負債: 329,039 − 262,434 = 66,605 as printed, where the yen difference 66,605,847,221 would round to 66,606."""
    row = tables["summary-bs"].find("負債")
    assert [at_unit(v, "百万円") for v in row.values] == [262434, 329039, 66605]
    assert at_unit(row.values[1] - row.values[0], "百万円") == 66606
    assert next(r for r in published["tables"]["summary-bs"]["rows"] if r["label"] == "負債")["values"][2] == 66605


def test_the_cf_summary_adds_up_its_printed_lines(tables, published):
    """収入計 88,364 is the sum of the six receipts as printed (their yen would give 88,365); 小計 is 収入計 + 支出計."""
    cf = {r["label"]: r["values"][0] for r in published["tables"]["cf"]["rows"] if r["values"]}
    receipts = ["事業負担金収入", "交付金収入", "負担金収入", "事業収入", "情報提供等手数料", "補助金等収入", "発行手数料収入", "その他の営業収入"]
    assert at_unit(sum(cf[r] for r in receipts), "百万円") == 88365
    t = tables["summary-cf"]
    assert at_unit(t.value("収入計"), "百万円") == 88364 and at_unit(t.value("小計"), "百万円") == 18289
    assert at_unit(t.value("その他収入"), "百万円") == at_unit(cf["補助金等収入"] + cf["発行手数料収入"] + cf["その他の営業収入"], "百万円")


def test_reconcile_covers_every_summary_figure_with_only_the_publications_own_disagreements(books, published):
    reference = _reference(published)
    differences, declared = reconcile.split(books, reference, 2022)
    assert differences == []
    found = sorted((d.statement, d.row.split(" ", 1)[1], d.expected, d.actual) for d, _ in declared)
    assert found == sorted(disagreements(published))  # worked out from the JSON alone: 差引 ≠ 決算 − 予算 as printed
    assert len(found) == 9 and all(s in BUSINESS_TABLES for s, *_ in found)


def test_the_budgets_by_business_are_the_printed_ones_and_add_up_to_the_bodys_within_rounding(books, published):
    budgets = books.declarations.budgets
    fy = books.fiscal_year(2022)
    ctx = statements.context(books, fy)
    labels = [c.business for c in ctx.segment_columns if c.business and books.businesses[c.business].is_column]
    assert len(labels) == 8
    entity = {"bs": {r["label"]: r["values"][0] for r in published["tables"]["budget-bs"]["rows"] if r["values"]},
              "pl": {r["label"]: r["values"][0] for r in published["tables"]["budget-pl"]["rows"] if r["values"]}}
    whole = {"資産": "資産合計", "流動資産": "流動資産合計", "固定資産": "固定資産合計", "負債": "負債合計", "流動負債": "流動負債合計",
             "固定負債": "固定負債合計", "純資産": "純資産合計", "営業収益": "営業収益合計", "営業費用": "営業費用合計", "営業利益": "営業利益",
             "営業外収益": "営業外収益合計", "営業外費用": "営業外費用合計", "経常利益": "経常利益", "特別利益": None, "特別損失": "特別損失合計",
             "当期純利益": "当期純利益"}
    worst = Decimal(0)
    for kind in ("bs", "pl"):
        for j, row in enumerate(published["tables"][f"summary-{kind}"]["rows"]):
            printed = [published["tables"][f"summary-{n}-{kind}"]["rows"][j]["values"][0] for n in range(1, 9)]
            built = [statements.build(books, f"summary-{n}-{kind}", fy, ctx=ctx).rows[j].values[0] for n in range(1, 9)]
            assert built == [p * 1_000_000 for p in printed], row["label"]  # declared as printed, kept in yen
            exact = Decimal(entity[kind][whole[row["label"]]] if whole[row["label"]] else 0) / 1_000_000
            deviation = abs(sum(printed) - exact)
            assert deviation <= Decimal("0.5") * 8, (row["label"], sum(printed), exact)
            worst = max(worst, deviation)
    assert 0 < worst < 2  # the publication's own rounding (純資産 6,666 against 6,665.3), never more
    declared = [b for b in budgets.budgets if b.business is not None]
    assert len(declared) == 8 * 16 and {b.precision for b in declared} == {1_000_000}
    assert budgets.total(2022, "JPY", "Income:1-営業収益") == entity["pl"]["営業収益合計"]  # consolidated: the line budgets only


# -- mutations: the checks can fail ----------------------------------------------------------------

def _mutated(books, replace):
    entries = [replace(e) for e in books.entries]
    return books_lib.from_entries(books.path, entries, [], books.options)


def test_a_budget_by_business_moved_by_one_million_is_two_differences(books, published):
    def replace(e):
        if (isinstance(e, data.Custom) and e.type == "fiscal-budget" and e.meta.get("business") == "B1-一般事業"
                and e.values[1].value == "Income:1-営業収益"):
            amount = e.values[2].value
            return e._replace(values=[*e.values[:2], e.values[2]._replace(value=amount._replace(number=amount.number + 1))])
        return e

    moved = _mutated(books, replace)
    differences = reconcile.reconcile(moved, _reference(published, ["summary-1-pl", "summary-pl"]), 2022)
    assert sorted((d.statement, d.row, d.column, d.expected, d.actual) for d in differences) == [
        ("summary-1-pl", "#1 営業収益", "予算", 4759, 4760), ("summary-1-pl", "#1 営業収益", "差引", -38, -39)]


def test_a_posting_that_moves_a_figure_over_a_million_is_found_and_a_disagreement_no_longer_excuses_it(books, published):
    """1,000,000 yen of 一般事業's 営業収益 booked as 営業外収益: 4,720.96 → 4,719.96 (printed 4,720, not 4,721), and its
    営業利益 差引 (a declared disagreement: printed 694, books 693) becomes 692, which the declaration does not cover."""
    extra = data.Transaction({"filename": "<test>", "lineno": 1}, datetime.date(2023, 3, 31), "*", None, "move", frozenset(), frozenset(), [
        data.Posting("Income:1-営業収益:105-事業収入:B1-一般事業", data.Amount(Decimal(1_000_000), "JPY"), None, None, None, None),
        data.Posting("Income:2-営業外収益:205-雑収入:B1-一般事業", data.Amount(Decimal(-1_000_000), "JPY"), None, None, None, None)])
    accounts = {e.account for e in books.entries if isinstance(e, data.Open)}
    assert {p.account for p in extra.postings} <= accounts
    moved = books_lib.from_entries(books.path, [*books.entries, extra], [], books.options)
    differences = reconcile.reconcile(moved, _reference(published, ["summary-1-pl"]), 2022)
    cells = {(d.row, d.column): (d.expected, d.actual) for d in differences}
    assert cells[("#1 営業収益", "決算")] == (4721, 4720)
    assert cells[("#4 営業外収益", "決算")] == (3, 4)
    assert cells[("#3 営業利益", "差引")] == (694, 692)
    assert ("#6 経常利益", "決算") not in cells  # the move stays inside 経常利益


def test_the_unit_comparison_is_generic_and_keyed_on_the_tables_unit():
    table = Table("t", "t", [Column("金額")], unit="百万円")
    table.line("a", 0, [1_499_999])
    table.line("b", 0, [-2_500_000])
    table.line("c", 0, [500_000])
    reference = {"unit": "百万円", "columns": ["金額"], "rows": [
        {"label": "a", "kind": "line", "level": 0, "values": [1]},
        {"label": "b", "kind": "line", "level": 0, "values": [-3]},  # half up: away from zero, as published
        {"label": "c", "kind": "line", "level": 0, "values": [0]}]}
    assert [(d.row, d.expected, d.actual) for d in reconcile.compare("t", reference, table)] == [("#3 c", 0, 1)]
    oku = Table("t", "t", [Column("金額")], unit="億円")
    oku.line("a", 0, [11_010_000_000])
    assert reconcile.compare("t", {"unit": "億円", "columns": ["金額"], "rows": [
        {"label": "a", "kind": "line", "level": 0, "values": ["110.1"]}]}, oku) == []
    yen = Table("t", "t", [Column("金額")])
    yen.line("a", 0, [1_499_999])
    assert [d.column for d in reconcile.compare("t", reference | {"rows": reference["rows"][:1]}, yen)] == ["unit"]


def test_the_published_json_is_not_changed_by_reconciling(books, published):
    reference = copy.deepcopy(_reference(published))
    reconcile.split(books, reference, 2022)
    assert reference == _reference(published)


# -- declarations: bad input is one located error at load ------------------------------------------

LEDGER = textwrap.dedent("""\
    option "operating_currency" "JPY"
    2020-01-01 custom "business" "S1-水道事業"
    2020-01-01 open Income:1-営業収益:11-料金収入:S1-水道事業
    2020-01-01 custom "summary" "s" "概要"
      unit: "百万円"
    2020-01-01 custom "summary-row" "s" "営業収益" Income:1-営業収益
    2024-01-01 custom "fiscal-budget" 2024 Income:1-営業収益 4 JPY
      business: "S1-水道事業"
      unit: "百万円"
    """)


@pytest.mark.parametrize(("bad", "message"), [
    ('2024-01-01 custom "fiscal-budget" 2024 Income:1-営業収益 4 JPY\n  business: "S9-無い事業"\n', "not a declared business"),
    ('2024-01-01 custom "fiscal-budget" 2024 Income:1-営業収益 4 JPY\n  unit: "万円"\n', "unit: '万円'"),
    ('2020-01-01 custom "summary" "t" "概要"\n  columns: "予算 決算"\n', "columns:"),
    ('2020-01-01 custom "summary" "t" "概要"\n  difference: "rounded"\n', "difference:"),
    ('2020-01-01 custom "summary-row" "nope" "営業収益" Income:1-営業収益\n', "no custom \"summary\" 'nope'"),
    ('2020-01-01 custom "summary-row" "s" "x" "営業収益"\n', "is not one"),
    ('2020-01-01 custom "published-disagreement" "s" "営業収益" "差引" 1 2\n', "rule:"),
])
def test_a_malformed_declaration_is_one_located_error(tmp_path, bad, message):
    path = tmp_path / "main.beancount"
    path.write_text(LEDGER + bad, encoding="utf-8")
    b = books_lib.load(path, cache=False)
    line = len(LEDGER.splitlines()) + 1
    found = [e for e in b.errors if message in e.message]
    assert len(found) == 1, [e.message for e in b.errors]
    assert (found[0].source["filename"], found[0].source["lineno"]) == (str(path), line)


def test_a_budget_by_business_in_millions_builds_on_another_ledger(tmp_path):
    path = tmp_path / "main.beancount"
    path.write_text(LEDGER + '2024-06-01 * "料金"\n  Income:1-営業収益:11-料金収入:S1-水道事業  -4,400,000 JPY\n'
                    '  Income:1-営業収益:11-料金収入:S1-水道事業  4,400,000 JPY\n', encoding="utf-8")
    b = books_lib.load(path, cache=False)
    assert b.errors == []
    assert b.declarations.budgets.total(2024, "JPY", "Income:1-営業収益", "S1-水道事業") == 4_000_000
    assert b.declarations.budgets.total(2024, "JPY", "Income:1-営業収益") == 0  # a budget by business is no consolidated one


def test_a_disagreement_declared_for_another_year_or_other_figures_excuses_nothing(books, published):
    def later(e):
        if isinstance(e, data.Custom) and e.type == "published-disagreement" and e.values[0].value == "summary-1-pl":
            return e._replace(date=datetime.date(2023, 4, 1))
        return e

    differences = reconcile.reconcile(_mutated(books, later), _reference(published, ["summary-1-pl"]), 2022)
    assert [(d.row, d.column, d.expected, d.actual) for d in differences] == [("#3 営業利益", "差引", 694, 693)]

    def other(e):
        if isinstance(e, data.Custom) and e.type == "published-disagreement" and e.values[0].value == "summary-1-pl":
            return e._replace(values=[*e.values[:4], e.values[4]._replace(value=Decimal(692))])
        return e

    assert len(reconcile.reconcile(_mutated(books, other), _reference(published, ["summary-1-pl"]), 2022)) == 1
