"""Properties of the allocations plugin over generated ledgers (jlis_ledger.testing.allocations).

Expected values are computed here from the typed postings and the drawn keys
(exact fractions), never with the plugin's helpers.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from beancount import loader
from beancount.core import data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jlis_ledger.plugins import allocations as plugin
from jlis_ledger.plugins import segments
from jlis_ledger.testing import allocations as alst
from jlis_ledger.testing import strategies as sst

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(ledger: alst.PoolLedger, entries=None):
    return plugin.allocations(ledger.entries if entries is None else entries, sst.options_map(), ledger.allocations_config)


def txns(entries) -> list[data.Transaction]:
    return [e for e in entries if isinstance(e, data.Transaction)]


def generated(p: data.Posting) -> bool:
    return bool(p.meta) and p.meta.get("generated") == "allocations"


def key_of(ledger: alst.PoolLedger, txn: data.Transaction, posting: data.Posting) -> alst.KeySpec:
    name = txn.meta.get("allocation-key") or ledger.chart.rule_key(posting.account.rsplit(":", 1)[0])
    return ledger.chart.key(name)


@SETTINGS
@given(alst.pool_ledgers())
def test_every_pool_posting_is_conserved_exactly_and_each_share_is_within_one_yen(ledger):
    out, errors = run(ledger)
    assert errors == []
    before, after = txns(ledger.entries), txns(out)
    assert len(before) == len(after)
    for original, allocated in zip(before, after):
        pool = [p for p in original.postings if p.account.endswith(":" + alst.POOL)]
        shares = defaultdict(list)
        for p in allocated.postings:
            if generated(p) and "allocated-from" in p.meta:
                shares[p.meta["allocated-from"]].append(p)
        for posting in pool:
            parts = shares[posting.account]
            # one pool posting per account in these transactions, except a movement between the same item
            same = [q for q in pool if q.account == posting.account]
            assert sum(q.units.number for q in parts) == sum(q.units.number for q in same)
            if len(same) > 1:
                continue
            date, weights = key_of(ledger, original, posting).in_force(original.date)
            total = sum(w for _, w in weights)
            got = {q.account.rsplit(":", 1)[1]: q.units.number for q in parts}
            for business, weight in weights:
                exact = Fraction(int(posting.units.number) * weight, total)
                assert abs(Fraction(int(got.get(business, 0))) - exact) < 1
            assert {q.meta["allocation-key-date"] for q in parts} <= {date}
        assert not any(p.account.endswith(":" + alst.POOL) for p in allocated.postings)


@SETTINGS
@given(alst.pool_ledgers())
def test_every_business_balances_after_allocation_and_segments_strict_accepts_it(ledger):
    out, errors = run(ledger)
    assert errors == []
    for txn in txns(out):
        sums: dict[str, Decimal] = defaultdict(Decimal)
        clearing = Decimal(0)
        for p in txn.postings:
            sums[p.account.rsplit(":", 1)[1]] += p.units.number
            if p.account.startswith(ledger.chart.chart.clearing + ":"):
                clearing += p.units.number
        assert not any(sums.values()), (txn.narration, dict(sums))
        assert clearing == 0
    _, errors = segments.segments(out, sst.options_map(), ledger.chart.chart.config("strict"))
    assert errors == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(alst.pool_ledgers(max_transactions=6))
def test_the_text_form_loads_with_both_plugins_without_errors_and_the_pool_is_empty(ledger):
    entries, errors, _ = loader.load_string(ledger.text)
    assert errors == []
    assert not any(p.account.endswith(":" + alst.POOL) for t in txns(entries) for p in t.postings)


@SETTINGS
@given(alst.pool_ledgers())
def test_allocating_twice_is_allocating_once(ledger):
    once, errors = run(ledger)
    twice, errors_2 = run(ledger, once)
    assert errors == errors_2 == []
    assert twice == once


@SETTINGS
@given(alst.pool_ledgers(), st.data())
def test_permuting_the_businesses_of_a_key_permutes_only_their_shares(ledger, draw):
    businesses = list(ledger.chart.chart.businesses)
    permuted = draw.draw(st.permutations(businesses))
    mapping = dict(zip(businesses, permuted))
    chart = alst.with_keys(ledger.chart, [k.relabelled(mapping) for k in ledger.chart.keys])
    other = alst.build_pool_ledger(chart, ledger.transactions)
    a, errors_a = run(ledger)
    b, errors_b = run(other)
    assert errors_a == errors_b == []
    for x, y in zip(txns(a), txns(b)):
        assert [p for p in x.postings if not generated(p)] == [p for p in y.postings if not generated(p)]
        shares_x = {(p.meta["allocated-from"], p.account.rsplit(":", 1)[0], mapping[p.account.rsplit(":", 1)[1]]): p.units.number
                    for p in x.postings if generated(p) and "allocated-from" in p.meta}
        shares_y = {(p.meta["allocated-from"], p.account.rsplit(":", 1)[0], p.account.rsplit(":", 1)[1]): p.units.number
                    for p in y.postings if generated(p) and "allocated-from" in p.meta}
        assert shares_x == shares_y


@SETTINGS
@given(alst.pool_ledgers(), st.data())
def test_changing_a_key_changes_only_the_generated_postings(ledger, draw):
    chart = ledger.chart
    keys = [draw.draw(alst.key_specs(chart.chart.businesses, k.name)) for k in chart.keys]
    other = alst.build_pool_ledger(alst.with_keys(chart, keys), ledger.transactions)
    a, errors_a = run(ledger)
    b, errors_b = run(other)
    assert errors_a == errors_b == []
    for x, y in zip(txns(a), txns(b)):
        assert [p for p in x.postings if not generated(p)] == [p for p in y.postings if not generated(p)]


# -- the fast path is pinned to the full rule ----------------------------------------------------------

def _perturbed(entries, draw):
    """Some transactions changed into shapes the fast path hands to the full rule: amounts in cents
    (another smallest unit), a second currency, a pool posting with a price, an undeclared key on the
    posting, a mark of an upstream generator on a posting; others left plain."""
    out = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            out.append(entry)
            continue
        change = draw.draw(st.sampled_from(["plain", "plain", "cents", "currency", "price", "key", "generated"]))
        postings = list(entry.postings)
        if change == "cents":
            postings = [p._replace(units=p.units._replace(number=p.units.number / 100, currency="USD")) for p in postings]
        elif change == "currency":
            postings += [_usd(postings[-1].account, 7), _usd(postings[-1].account, -7)]
        elif change == "price":
            postings[0] = postings[0]._replace(price=data.Amount(Decimal(2), "USD"))
        elif change == "key":
            postings[0] = postings[0]._replace(meta={**(postings[0].meta or {}), "allocation-key": "NoSuchKey"})
        elif change == "generated":
            i = draw.draw(st.integers(0, len(postings) - 1))
            postings[i] = postings[i]._replace(meta={**(postings[i].meta or {}), "generated": "import"})
        out.append(entry._replace(postings=postings))
    return out


def _located(errors):
    return [(type(e).__name__, (e.source or {}).get("filename"), (e.source or {}).get("lineno"), e.message) for e in errors]


@SETTINGS
@given(alst.pool_ledgers(), st.data(), st.booleans())
def test_the_fast_path_gives_exactly_what_the_full_rule_gives(ledger, draw, perturb):
    """A plain pool transaction (one currency, no cost or price, nothing generated, every key in force)
    takes the fast path; it returns what the full rule returns: the same entries in the same order, the
    same metadata on every entry and posting, the same errors — on plain ledgers and on ledgers where
    some transactions must fall back to the full rule."""
    from jlis_ledger.allocations import rule

    entries = _perturbed(ledger.entries, draw) if perturb else ledger.entries
    fast = rule.allocate(entries, sst.options_map(), ledger.allocations_config, fast=True)
    full = rule.allocate(entries, sst.options_map(), ledger.allocations_config, fast=False)
    assert fast[0] == full[0]
    assert [getattr(e, "meta", None) for e in fast[0]] == [getattr(e, "meta", None) for e in full[0]]
    assert [[(p.meta, list(p.meta or ())) for p in e.postings] for e in txns(fast[0])] == \
        [[(p.meta, list(p.meta or ())) for p in e.postings] for e in txns(full[0])]
    assert _located(fast[1]) == _located(full[1])


def _usd(account, number):
    return data.Posting(account, data.Amount(Decimal(number), "USD"), None, None, None, {})


@settings(max_examples=300, deadline=None)
@given(st.integers(-(10**12), 10**12), st.integers(0, 3),
       st.lists(st.integers(0, 1000), min_size=1, max_size=9).filter(any))
def test_largest_remainder_is_floors_plus_one_unit_to_each_largest_fraction_ties_to_the_earlier(units, places, weights):
    """The rule of the split, computed here with exact fractions: each share is the floor of its exact
    share in the smallest unit, and the units left go one each to the largest remainders, ties to the
    earlier weight; a negative amount is the negation of the split of its absolute value."""
    number = Decimal(units).scaleb(-places)
    exact = [Fraction(abs(units) * w, sum(weights)) for w in weights]
    parts = [int(x) for x in exact]  # floors: the fractions are not negative
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[:abs(units) - sum(parts)]:
        parts[i] += 1
    expected = [Decimal(-p if units < 0 else p).scaleb(-places) for p in parts]
    got = plugin.largest_remainder(number, weights)
    assert got == expected
    assert [g.as_tuple().exponent for g in got] == [e.as_tuple().exponent for e in expected]
