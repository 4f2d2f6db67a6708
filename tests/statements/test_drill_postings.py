"""Drill-down selections and one business's statements, against the statements built by the other path
(the period's sums, :mod:`jlis_ledger.statements.figures`), on the bundled books and on a synthetic ledger
of another body; and the settlement proposal loaded back through the plugins."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from jlis_ledger import statements
from jlis_ledger.segments import clearing, settlement
from jlis_ledger.statements import business, drill


def every_figure(books, fy):
    ctx = statements.context(books, fy)
    ids = ("bs", "pl", "segment-bs", "segment-pl") + (("cf",) if ctx.layout.cash_accounts else ())
    tables = [statements.build(books, sid, fy, ctx=ctx) for sid in ids]
    for label, declared in books.businesses.items():
        if declared.is_column:
            tables += business.statements(ctx, label)
    for table in tables:
        for row in table.rows:
            if row.values is None:
                continue
            for column, value in zip(table.columns, row.values, strict=True):
                yield ctx, table, row, column, value


def test_every_figure_of_the_bundled_books_is_the_total_of_its_postings(books):
    checked = 0
    for ctx, table, row, column, value in every_figure(books, books.fiscal_year(2022)):
        selection = drill.row_selection(ctx, table, row, column.business)
        assert selection is not None, (table.id, row.label)
        assert drill.postings(ctx, selection).total == value, (table.id, row.label, column.label)
        checked += 1
    assert checked > 1400


def test_a_synthetic_body_drills_down_exactly_too(tmp_path):
    from jlis_ledger import books as books_lib
    from jlis_ledger import synth

    ledger = tmp_path / "synth.beancount"
    synth.write_ledger(ledger, transactions=400, seed=5)
    books = books_lib.load(ledger, cache=False)
    for ctx, table, row, column, value in every_figure(books, books.fiscal_year(2021)):
        selection = drill.row_selection(ctx, table, row, column.business)
        if selection is not None:
            assert drill.postings(ctx, selection).total == value, (table.id, row.label, column.label)


def test_business_cash_flows_explain_each_business_cash(books):
    ctx = statements.context(books, books.fiscal_year(2022))
    total_change = Decimal(0)
    for label, declared in books.businesses.items():
        if declared.is_column and not declared.is_elimination:
            table = business.cash_flow(ctx, label)
            total_change += table.value("現金及び現金同等物の増減額")
    consolidated = statements.build(books, "cf", books.fiscal_year(2022), ctx=ctx)
    assert total_change == consolidated.value("現金及び現金同等物の増減額")


def test_estimates_leave_asserted_closings_unmarked_and_mark_derived_openings(books):
    fy = books.fiscal_year(2022)
    ctx = statements.context(books, fy)
    marks = drill.estimates(ctx)
    cash = "Assets:1-流動資産:11-現金及び預金"
    assert marks.of(drill.Selection((cash,), business="B1-一般事業", which="closing")) == frozenset()
    opening = marks.of(drill.Selection((cash,), business="B1-一般事業", which="opening"))
    assert {marks.legend[n].basis for n in opening} == {"derived"}
    assert "opening balances by business are not published" in marks.legend[next(iter(opening))].rule


@pytest.mark.parametrize("seed", [1, 2])
def test_the_settlement_proposal_clears_every_position_of_a_synthetic_ledger(tmp_path, seed):
    from jlis_ledger import books as books_lib
    from jlis_ledger import synth

    ledger = tmp_path / "synth.beancount"
    synth.write_ledger(ledger, transactions=300, seed=seed)
    books = books_lib.load(ledger, cache=False)
    end = books.fiscal_year(synth.START.year + synth.YEARS - 1).end_exclusive  # after the last assertions
    positions = clearing.positions(books, end)
    proposal = settlement.propose(books, positions, end, cash_accounts=[synth.CASH])  # it declares no CF cash
    debts = settlement.debts(positions)
    assert debts and all(d.amount > 0 for d in debts)
    for debt in debts:  # the entries behind a pair add up to it
        found = settlement.pair_entries(books, positions.account, debt.debtor, debt.creditor, end)
        assert sum(c.amount for c in found) == debt.amount
    with ledger.open("a", encoding="utf-8") as f:
        f.write("\n" + proposal.text())
    settled = books_lib.load(ledger, cache=False)
    assert settled.errors == []
    after = clearing.positions(settled, end + datetime.timedelta(days=1))
    left = {d.debtor for d, _ in proposal.left_out} | {d.creditor for d, _ in proposal.left_out}
    assert all(not v for b, v in after.balances.items() if b not in left)
