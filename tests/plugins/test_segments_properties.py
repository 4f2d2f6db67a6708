"""Properties of the segments plugin over generated ledgers (jlis_ledger.testing.strategies).

Expected values are computed here from the postings, never by the plugin's helpers.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import Decimal

from beancount import loader
from beancount.core import data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jlis_ledger.clearing import clearing_positions, parse_partners
from jlis_ledger.plugins import segments as plugin
from jlis_ledger.testing import strategies as sst

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# charts with an elimination business and no fund: the plugin must accept every such ledger in auto mode
PLAIN = sst.charts(elimination=True, fund=False, currencies=("JPY", "USD"))
PLAIN_LEDGERS = sst.ledgers(PLAIN, funds=False)
FUND_LEDGERS = sst.ledgers(sst.charts(elimination=True, fund=True), unbalanced=False, internal=False, max_transactions=15)
IMBALANCE = "transaction does not balance per business"


def run(entries, chart: sst.Chart, mode: str):
    return plugin.segments(entries, sst.options_map(), chart.config(mode))


def business(account: str) -> str:
    return account.rsplit(":", 1)[1]


def item(account: str) -> str:
    return account.rsplit(":", 1)[0]


def is_generated(posting: data.Posting) -> bool:
    return bool(posting.meta) and posting.meta.get("generated") == "segments"


def transactions(entries) -> list[data.Transaction]:
    return [e for e in entries if isinstance(e, data.Transaction)]


def per_business(postings) -> dict[tuple[str, str], Decimal]:
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for p in postings:
        sums[(business(p.account), p.units.currency)] += p.units.number
    return sums


def clearing_postings(postings, chart: sst.Chart):
    return [p for p in postings if item(p.account) == chart.clearing]


# -- auto ---------------------------------------------------------------------------------------


@SETTINGS
@given(PLAIN_LEDGERS)
def test_after_auto_every_transaction_balances_per_business(ledger):
    out, errors = run(ledger.entries, ledger.chart, "auto")
    assert errors == []
    for entry in transactions(out):
        assert not any(per_business(entry.postings).values()), entry


@SETTINGS
@given(PLAIN_LEDGERS)
def test_clearing_is_zero_over_businesses_per_transaction_and_cumulatively(ledger):
    out, _ = run(ledger.entries, ledger.chart, "auto")
    cumulative: dict[str, Decimal] = defaultdict(Decimal)
    for entry in transactions(out):
        per_currency: dict[str, Decimal] = defaultdict(Decimal)
        for p in clearing_postings(entry.postings, ledger.chart):
            per_currency[p.units.currency] += p.units.number
            cumulative[p.units.currency] += p.units.number
        assert not any(per_currency.values())
    assert not any(cumulative.values())


@SETTINGS
@given(PLAIN_LEDGERS, st.sampled_from(["auto", "strict"]))
def test_consolidated_balance_of_every_item_is_the_sum_of_its_external_postings(ledger, mode):
    out, _ = run(ledger.entries, ledger.chart, mode)
    consolidated: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for entry in transactions(out):
        for p in entry.postings:
            consolidated[(item(p.account), p.units.currency)] += p.units.number
    external: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for entry in ledger.transactions:
        if ledger.chart.internal_tag not in entry.tags:
            for p in entry.postings:
                external[(item(p.account), p.units.currency)] += p.units.number
    keys = set(consolidated) | set(external)
    assert {k: consolidated[k] for k in keys} == {k: external[k] for k in keys}


@SETTINGS
@given(PLAIN_LEDGERS)
def test_internal_postings_are_mirrored_negated_in_the_elimination_business(ledger):
    out, _ = run(ledger.entries, ledger.chart, "strict")
    for entry in transactions(out):
        mirrors = [p for p in entry.postings if business(p.account) == ledger.chart.elimination]
        if ledger.chart.internal_tag not in entry.tags:
            assert mirrors == []
            continue
        assert all(is_generated(p) for p in mirrors)
        typed: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for p in entry.postings:
            if not is_generated(p):
                typed[(item(p.account), p.units.currency)] += p.units.number
        assert {(item(p.account), p.units.currency): -p.units.number for p in mirrors} == {
            k: v for k, v in typed.items() if v and k[0] != ledger.chart.clearing
        }


# -- strict vs auto ---------------------------------------------------------------------------


@SETTINGS
@given(PLAIN_LEDGERS)
def test_strict_errs_exactly_when_auto_adds_legs(ledger):
    auto, _ = run(ledger.entries, ledger.chart, "auto")
    strict, strict_errors = run(ledger.entries, ledger.chart, "strict")
    with_legs = {
        e.meta["lineno"] for e in transactions(auto) if any(is_generated(p) for p in clearing_postings(e.postings, ledger.chart))
    }
    reported = [e.source["lineno"] for e in strict_errors if e.message.startswith(IMBALANCE)]
    assert len(reported) == len(set(reported))  # one error per transaction
    assert set(reported) == with_legs
    assert [e for e in strict_errors if not e.message.startswith(IMBALANCE)] == []
    for entry in transactions(strict):
        assert not any(is_generated(p) for p in clearing_postings(entry.postings, ledger.chart))


@SETTINGS
@given(PLAIN_LEDGERS)
def test_an_unbalanced_business_in_strict_mode_is_named_with_its_amount(ledger):
    _, errors = run(ledger.entries, ledger.chart, "strict")
    by_line = {e.meta["lineno"]: e for e in ledger.transactions}
    for error in errors:
        for (label, currency), number in per_business(by_line[error.source["lineno"]].postings).items():
            if number:
                assert f"{label} {number:+,} {currency}" in error.message


# -- idempotence, order, typed amounts -------------------------------------------------------------


@SETTINGS
@given(PLAIN_LEDGERS, st.sampled_from(["auto", "strict"]))
def test_running_twice_gives_the_same_entries_as_once(ledger, mode):
    once, errors_once = run(ledger.entries, ledger.chart, mode)
    twice, errors_twice = run(once, ledger.chart, mode)
    assert twice == once
    assert [e.message for e in errors_twice] == [e.message for e in errors_once]


@SETTINGS
@given(PLAIN_LEDGERS)
def test_generated_postings_never_change_typed_ones(ledger):
    out, _ = run(ledger.entries, ledger.chart, "auto")
    assert [[p for p in e.postings if not is_generated(p)] for e in transactions(out)] == [
        e.postings for e in ledger.transactions
    ]


@SETTINGS
@given(PLAIN_LEDGERS, st.randoms(use_true_random=False), st.sampled_from(["auto", "strict"]))
def test_the_order_of_postings_does_not_matter(ledger, random, mode):
    shuffled = []
    for entry in ledger.entries:
        if isinstance(entry, data.Transaction):
            postings = list(entry.postings)
            random.shuffle(postings)
            entry = entry._replace(postings=postings)
        shuffled.append(entry)
    out_a, errors_a = run(ledger.entries, ledger.chart, mode)
    out_b, errors_b = run(shuffled, ledger.chart, mode)
    assert sorted(e.message for e in errors_a) == sorted(e.message for e in errors_b)
    for a, b in zip(transactions(out_a), transactions(out_b), strict=True):
        assert [p for p in a.postings if is_generated(p)] == [p for p in b.postings if is_generated(p)]
        assert Counter(map(repr, a.postings)) == Counter(map(repr, b.postings))
    assert [e for e in out_a if not isinstance(e, data.Transaction)] == [e for e in out_b if not isinstance(e, data.Transaction)]


# -- the fund business ---------------------------------------------------------------------------------


def fiscal_year(date, fiscal_year_end: str) -> int:
    if fiscal_year_end == "12-31":
        return date.year
    assert fiscal_year_end == "15-31"  # April to March, named by the starting year
    return date.year if date.month >= 4 else date.year - 1


FUND_ERROR = re.compile(r"fund business \(基金事業\) (\S+) does not close to zero at the end of fiscal year (\d+)")


@SETTINGS
@given(FUND_LEDGERS)
def test_fund_business_is_reported_exactly_at_the_year_ends_where_it_does_not_close(ledger):
    chart = ledger.chart
    roots = {"Income": "pl", "Expenses": "pl", "Assets": "net", "Liabilities": "net"}
    net_income: dict[tuple[str, int, str], Decimal] = defaultdict(Decimal)
    net_assets_change: dict[tuple[str, int, str], Decimal] = defaultdict(Decimal)
    for entry in ledger.transactions:
        for p in entry.postings:
            if business(p.account) in chart.funds:
                key = (business(p.account), fiscal_year(entry.date, chart.fiscal_year_end), p.units.currency)
                kind = roots.get(p.account.split(":", 1)[0])
                net_income[key] += p.units.number if kind == "pl" else 0
                net_assets_change[key] += p.units.number if kind == "net" else 0
    expected = set()
    running: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for fund, year, currency in sorted(set(net_income) | set(net_assets_change), key=lambda k: k[1]):
        running[(fund, currency)] += net_assets_change[(fund, year, currency)]
        if net_income[(fund, year, currency)] or running[(fund, currency)]:
            expected.add((fund, year))
    _, errors = run(ledger.entries, chart, "strict")
    found = {(m.group(1), int(m.group(2))) for m in (FUND_ERROR.match(e.message) for e in errors) if m}
    assert found == expected
    assert len(errors) == len([e for e in errors if FUND_ERROR.match(e.message)])


# -- who owes whom ----------------------------------------------------------------------------------------


@SETTINGS
@given(PLAIN_LEDGERS)
def test_the_clearing_matrix_is_antisymmetric_and_rows_sum_to_the_clearing_balances(ledger):
    out, _ = run(ledger.entries, ledger.chart, "auto")
    owes = clearing_positions(out, ledger.chart.clearing, ledger.chart.labels)
    for (a, b, currency), amount in owes.items():
        assert owes[(b, a, currency)] == -amount
        assert amount
    balances: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for entry in transactions(out):
        for p in clearing_postings(entry.postings, ledger.chart):
            balances[(business(p.account), p.units.currency)] += p.units.number
    rows: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for (a, _, currency), amount in owes.items():
        rows[(a, currency)] += amount
    keys = set(balances) | set(rows)
    assert {k: rows[k] for k in keys} == {k: -balances[k] for k in keys}


@SETTINGS
@given(PLAIN_LEDGERS)
def test_partners_of_a_generated_leg_add_up_to_the_business_position_in_the_transaction(ledger):
    out, _ = run(ledger.entries, ledger.chart, "auto")
    for entry in transactions(out):
        nets = per_business(clearing_postings(entry.postings, ledger.chart))
        for p in clearing_postings(entry.postings, ledger.chart):
            if is_generated(p) and nets[(business(p.account), p.units.currency)]:
                partners = parse_partners(p.meta["partners"])
                assert sum(n for _, n, _ in partners) == nets[(business(p.account), p.units.currency)]
                assert {c for _, _, c in partners} == {p.units.currency}
                for partner, number, currency in partners:
                    assert number * nets[(partner, currency)] < 0  # a partner is on the other side


# -- the text form loads clean ------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(PLAIN_LEDGERS)
def test_generated_ledger_text_loads_without_errors_in_auto_mode(ledger):
    entries, errors, _ = loader.load_string(ledger.text)
    assert errors == []
    assert len(transactions(entries)) == len(ledger.transactions)
    assert [len(e.postings) for e in transactions(entries)] == [
        len(e.postings) for e in transactions(run(ledger.entries, ledger.chart, "auto")[0])
    ]


# -- the fast paths are pinned to the full rule -------------------------------------------------------

ALL_LEDGERS = st.one_of(
    sst.ledgers(PLAIN),  # unbalanced and internal transactions included
    sst.ledgers(sst.charts(elimination=True, fund=True), max_transactions=15),  # fund postings, some years not closing
    sst.ledgers(sst.charts(elimination=False, fund=False)),  # internal transactions with no elimination business
)


def _located(errors):
    return [(type(e).__name__, (e.source or {}).get("filename"), (e.source or {}).get("lineno"), e.message) for e in errors]


@SETTINGS
@given(ALL_LEDGERS, st.sampled_from(["auto", "strict"]), st.booleans())
def test_each_fast_path_gives_exactly_what_the_full_rule_gives(ledger, mode, twice):
    """Fast path 1 (one ordinary business), the fund shortcut and fast path 2 (a cross-business
    transaction already balanced) return what the full check of every transaction returns: the same
    entries, with the same metadata, and the same errors in the same order — also on the plugin's own
    output (twice: generated legs present)."""
    from jlis_ledger.segments import rule

    config = ledger.chart.config(mode)
    entries = ledger.entries
    if twice:
        entries, _ = rule.check(entries, sst.options_map(), config)
    fast = rule.check(entries, sst.options_map(), config, fast=True)
    full = rule.check(entries, sst.options_map(), config, fast=False)
    assert fast[0] == full[0]
    assert [getattr(e, "meta", None) for e in fast[0]] == [getattr(e, "meta", None) for e in full[0]]
    assert [[p.meta for p in e.postings] for e in transactions(fast[0])] == [[p.meta for p in e.postings] for e in transactions(full[0])]
    assert _located(fast[1]) == _located(full[1])
