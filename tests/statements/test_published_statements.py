"""Every statement regenerated from the bundled books equals the published table, row for row.

The expected tables are ledger/published/r4-kessan.json, recovered from the source text by
ledger/published/recover.py (stdlib only, independent of jlis_ledger.statements).
"""

from __future__ import annotations

import pytest
from published_print import at_unit, regenerated

from jlis_ledger import statements
from jlis_ledger.statements import reconcile


@pytest.fixture(scope="module")
def tables(books):
    return statements.build_all(books, books.fiscal_year(2022))


@pytest.mark.parametrize("statement", statements.STATEMENT_IDS)
def test_statement_equals_the_published_table(statement, tables, published):
    expected = published["tables"][statement]
    got = tables[statement].to_dict()
    assert got["columns"] == expected["columns"]
    assert [(r["label"], r["kind"], r["level"]) for r in got["rows"]] == \
        [(r["label"], r["kind"], r["level"]) for r in expected["rows"]]
    unit = expected.get("unit", "円")
    if unit == "円" and not expected.get("column_units"):
        for g, e in zip(got["rows"], expected["rows"]):
            assert g["values"] == e["values"], (statement, e["label"])
    elif statement.startswith("summary-"):  # 参考資料1-2: exact yen printed in 百万円
        assert got["unit"] == unit
        for g, e in zip(got["rows"], expected["rows"]):
            if e["values"] is None:
                assert g["values"] is None, (statement, e["label"])
            else:
                assert [at_unit(v, unit) for v in g["values"]] == regenerated(expected, e), (statement, e["label"])
    else:  # printed in another unit (億円, a column's own): exact yen compared at the published unit and rounding
        assert reconcile.compare(statement, expected, tables[statement]) == []


def test_every_statement_id_of_the_contract_is_published_and_built(published):
    contract = {"bs", "pl", "appropriation", "equity", "cf", "segment-bs", "segment-pl", "budget-bs", "budget-pl",
                "fixed-assets", "provisions", "lease-debt", "aro", "reserves", "deferred-revenue",
                "summary-bs", "summary-pl", *(f"summary-{n}-{k}" for n in range(1, 9) for k in ("bs", "pl")), "summary-cf",
                # the notes and the rest of the 附属明細書 (issue 16), declared whole in the ledger
                "securities-note", "financial-instruments", "financial-instruments-levels", "redemption-schedule",
                "lease-repayment", "securities", "fixed-assets-notes", "borrowings", "reserves-content",
                "retirement-benefits", "aro-changes", "deposit-allowance", "disposal-loss", "cash-scope", "non-cash",
                "accumulated-depreciation",
                "expenses-by-nature", "budget-notes", "fund-grants", "reserve-plans", "trend", "summary-reasons"}
    assert set(statements.STATEMENT_IDS) == contract
    assert set(published["tables"]) == contract  # every table of the publication's financial part is reconciled


def test_reconcile_finds_no_difference_on_the_bundled_books(books, published):
    reference = {i: t for i, t in published["tables"].items() if i in statements.STATEMENT_IDS}
    assert reconcile.reconcile(books, reference) == []


def test_reconcile_reports_a_changed_figure_with_statement_row_and_column(books, published):
    import copy

    reference = copy.deepcopy({i: t for i, t in published["tables"].items() if i in ("segment-bs", "cf")})
    row = next(r for r in reference["segment-bs"]["rows"] if r["label"] == "現金及び預金")
    row["values"][0] += 1
    reference["cf"]["rows"].pop()  # 現金及び現金同等物期末残高 missing from the reference
    diffs = reconcile.reconcile(books, reference)
    assert len(diffs) == 2
    cash = next(d for d in diffs if d.statement == "segment-bs")
    assert (cash.column, cash.expected - cash.actual) == ("一般事業", 1)
    assert "現金及び預金" in cash.row
    assert next(d for d in diffs if d.statement == "cf").actual == "現金及び現金同等物期末残高"


def test_the_general_reserve_is_published_with_the_profit_not_yet_appropriated(books, published):
    """After the 利益の処分 (2023-06-30) the balance sheet shows no 処分対象利益 and 積立金 holds only
    what the 処分 left in it: published 積立金 less the other reserves' shares."""
    from jlis_ledger.books import FiscalYear
    import datetime

    after = FiscalYear(2023, datetime.date(2023, 4, 1), datetime.date(2023, 6, 30))
    bs = statements.build(books, "bs", after)
    appropriation = {r["label"]: r["values"] for r in published["tables"]["appropriation"]["rows"]}
    closing = {r["label"]: r["values"] for r in published["tables"]["bs"]["rows"]}
    assert "処分対象利益" not in [r.label for r in bs.rows]
    assert bs.value("システム開発積立金") == closing["システム開発積立金"][0] + appropriation["システム開発積立金"][0]
    assert bs.value("システム運用積立金") == appropriation["システム運用積立金"][0]
    assert bs.value("積立金") == closing["積立金"][0] - appropriation["システム開発積立金"][0] - appropriation["システム運用積立金"][0]
    assert bs.value("純資産合計") == closing["純資産合計"][0]
