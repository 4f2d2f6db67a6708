"""Properties of jlis_ledger.plugins.reserves on random ledgers (jlis_ledger.testing.reserves).

The expected errors come from a small independent model of the operations
(end-of-day balances per reserve and business, the businesses a transfer
touches, the owner of a reserve), never from the plugin's own code.
"""

from __future__ import annotations

import itertools
from collections import Counter
from decimal import Decimal

from beancount import loader
from hypothesis import given, settings

from jlis_ledger.plugins import reserves as plugin
from jlis_ledger.plugins import segments
from jlis_ledger.testing import reserves as rst
from jlis_ledger.testing import strategies as sst


def expected_errors(ledger: rst.ReserveLedger) -> Counter:
    """(error class, date, account or business) that the rules predict for the operations."""
    out: Counter = Counter()
    balances: dict[tuple[str, str], Decimal] = {}
    negative: set[tuple[str, str]] = set()
    owner = ledger.chart.owner
    for date, ops in itertools.groupby(ledger.operations, key=lambda op: op.date):
        touched = []
        for op in ops:
            if isinstance(op, rst.Transfer):
                moves = [((op.source, op.source_business), -op.amount), ((op.target, op.target_business), op.amount)]
                if op.source_business != op.target_business:
                    first = min((op.source_business, op.target_business), key=ledger.chart.businesses.index)
                    out[(plugin.ReserveTransferError, date, first)] += 1  # the message names the businesses in declaration order
            elif isinstance(op, (rst.Opening, rst.Provision)):
                moves = [((op.reserve, op.business), op.amount)]
            else:
                moves = [((op.reserve, op.business), -op.amount)]
            for (reserve, business), amount in moves:
                if reserve == rst.RENEWAL and business != owner:
                    out[(plugin.ReserveOwnershipError, date, f"{reserve}:{business}")] += 1
                balances[(reserve, business)] = balances.get((reserve, business), Decimal(0)) + amount
                touched.append((reserve, business))
        for key in dict.fromkeys(touched):
            if balances[key] < 0:
                if key not in negative:
                    negative.add(key)
                    out[(plugin.NegativeReserveError, date, f"{key[0]}:{key[1]}")] += 1
            else:
                negative.discard(key)
    return out


def found_errors(errors) -> Counter:
    out: Counter = Counter()
    for e in errors:
        if isinstance(e, plugin.ReserveTransferError):
            detail = e.message.split("crosses businesses: ", 1)[1].split(" ", 1)[0]
        elif isinstance(e, plugin.ReserveOwnershipError):
            detail = e.message.split(": reserve", 1)[0]
        elif isinstance(e, plugin.NegativeReserveError):
            detail = e.message.split("reserve (積立金) ", 1)[1].split(" goes negative", 1)[0]
        else:
            detail = e.message
        out[(type(e), e.entry.date, detail)] += 1
    return out


@given(rst.reserve_ledgers())
def test_an_error_exactly_when_a_balance_goes_negative_a_business_is_crossed_or_a_reserve_is_posted_by_a_stranger(ledger):
    _, errors = plugin.reserves(ledger.entries, sst.options_map())
    assert found_errors(errors) == expected_errors(ledger)


@given(rst.reserve_ledgers(overdraw=False, crossing=False, strangers=False))
def test_movements_within_the_rules_give_no_error(ledger):
    _, errors = plugin.reserves(ledger.entries, sst.options_map())
    assert [e.message for e in errors] == []


@given(rst.reserve_ledgers(overdraw=False, strangers=False))
def test_only_crossing_transfers_are_reported_when_nothing_else_is_wrong(ledger):
    _, errors = plugin.reserves(ledger.entries, sst.options_map())
    crossing = [op for op in ledger.operations if isinstance(op, rst.Transfer) and op.source_business != op.target_business]
    assert [type(e) for e in errors] == [plugin.ReserveTransferError] * len(crossing)


@given(rst.reserve_ledgers())
def test_the_movements_add_up_to_the_balances(ledger):
    """Every posting to a reserve is classified once: the movements sum to the reserve's postings."""
    analysis = plugin.analyze(ledger.entries, sst.options_map())
    by_account: Counter = Counter()
    for m in analysis.movements:
        by_account[(m.reserve, m.business)] += m.amount
    postings: Counter = Counter()
    for txn in ledger.transactions:
        for p in txn.postings:
            item, business = p.account.rsplit(":", 1)
            if item in rst.LIABILITY_RESERVES + rst.EQUITY_RESERVES:
                postings[(item, business)] -= p.units.number
    assert +by_account == +postings and -by_account == -postings


@settings(max_examples=15, deadline=None)
@given(rst.reserve_ledgers(overdraw=False, crossing=False, strangers=False, max_size=6))
def test_the_text_form_loads_under_both_plugins_without_errors(ledger):
    _, errors, options = loader.load_string(ledger.text)
    assert [e.message for e in errors] == []
    assert [name for name, _ in options["plugin"]] == ["jlis_ledger.plugins.segments", "jlis_ledger.plugins.reserves"]


@given(rst.reserve_ledgers(overdraw=False, strangers=False))
def test_generated_ledgers_balance_per_business(ledger):
    _, errors = segments.segments(ledger.entries, sst.options_map(), ledger.chart.chart.config("strict"))
    assert errors == []


# -- appropriation ------------------------------------------------------------------------------


def net_income(ledger: rst.ReserveLedger) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for op in ledger.operations:
        if isinstance(op, rst.Earning):
            out[op.business] = out.get(op.business, Decimal(0)) + op.amount
    return {b: n for b, n in out.items() if n}


@given(rst.appropriation_ledgers(exact=True))
def test_an_exact_appropriation_passes_and_distributes_the_net_income_to_the_yen(ledger):
    analysis = plugin.analyze(ledger.entries, sst.options_map())
    assert [e.message for e in analysis.errors] == []
    (appropriation,) = analysis.appropriations
    expected = {(b, "JPY"): n for b, n in net_income(ledger).items()}
    assert appropriation.net_income == expected
    received: dict[tuple[str, str], Decimal] = {}
    for (_, business, currency), amount in appropriation.parts.items():
        received[(business, currency)] = received.get((business, currency), Decimal(0)) + amount
    assert {k: v for k, v in received.items() if v} == expected


@given(rst.appropriation_ledgers(exact=False))
def test_an_appropriation_off_by_any_amount_is_one_error_naming_the_business_and_the_amounts(ledger):
    _, errors = plugin.reserves(ledger.entries, sst.options_map())
    appropriate = ledger.operations[-1]
    income = net_income(ledger)
    profit = dict(appropriate.profit)
    wrong = [b for b in ledger.chart.businesses if profit.get(b, Decimal(0)) != income.get(b, Decimal(0))]
    assert len(wrong) == 1
    (error,) = errors
    assert isinstance(error, plugin.AppropriationError)
    (business,) = wrong
    got, want = profit.get(business, Decimal(0)), income.get(business, Decimal(0))
    assert (f"in {business}: the profit leg is {segments.fmt(got, 'JPY')} but the business's 当期純利益 is "
            f"{segments.fmt(want, 'JPY')} (difference {segments.fmt(got - want, 'JPY')})") in error.message
