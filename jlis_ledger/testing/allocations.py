"""Hypothesis strategies for allocations (配賦): a common pool, dated keys, rules, costs booked to the pool.

They generate ledgers that follow the jlis-ledger contract for allocations (a
business with role ``"common"``, ``custom "allocation-key"`` with dated
weights, ``custom "allocation-rule"``) so that users can property-test the
allocations plugin, their own keys and reports::

    from hypothesis import given
    from jlis_ledger.plugins import allocations, segments
    from jlis_ledger.testing import allocations as alst
    from jlis_ledger.testing import strategies as sst

    @given(alst.pool_ledgers())
    def test_every_business_balances(ledger):
        entries, errors = allocations.allocations(ledger.entries, sst.options_map(), ledger.allocations_config)
        entries, errors = segments.segments(entries, sst.options_map(), ledger.chart.chart.config("strict"))
        assert errors == []

The chart (:class:`PoolChart`) has the ordinary businesses of a
:class:`jlis_ledger.testing.strategies.Chart` (no fund), its elimination
business, a pool ``POOL`` (``"C-Common"``) and one or two keys, each with one
to three dated versions (:class:`KeySpec`); every item of the chart has a
rule naming one of the keys, so every pool posting can be allocated.  The
first version of every key is dated ``START``, before every transaction.

Transactions (:func:`pool_transactions`) are of three kinds: a common cost
paid by one business (the pool item against the business's cash), a movement
inside the pool (two pool items, e.g. a deposit paid from the pool's cash),
and an ordinary balanced transaction without the pool; a pool transaction may
carry ``allocation-key:`` metadata naming its key instead of the rules'.
:func:`build_pool_ledger` gives a :class:`PoolLedger`: the entries (sorted,
with file and line metadata, ready for the plugin functions) and the same
books as Beancount text with both plugin lines (allocations, segments strict),
ready for ``loader.load_string``.  Amounts are integers (yen), currency JPY.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser import printer
from hypothesis import strategies as st

from jlis_ledger.testing import strategies as sst

__all__ = [
    "KeySpec", "PoolChart", "PoolLedger", "build_pool_ledger", "key_specs", "pool_charts", "pool_ledgers",
    "pool_transactions", "weights", "with_keys",
]

POOL = "C-Common"
START = datetime.date(2019, 1, 1)
CURRENCY = "JPY"
_SOURCE = "<allocation-strategies>"
_DATES = st.dates(START, datetime.date(2023, 12, 31))


@dataclass(frozen=True)
class KeySpec:
    """An allocation key: its name and its versions ``(date, ((business, weight), …))`` by date."""

    name: str
    versions: tuple[tuple[datetime.date, tuple[tuple[str, int], ...]], ...]

    def in_force(self, date: datetime.date) -> tuple[datetime.date, tuple[tuple[str, int], ...]]:
        """The version in force on ``date`` (the latest dated on or before it)."""
        return [v for v in self.versions if v[0] <= date][-1]

    def relabelled(self, mapping: dict[str, str]) -> KeySpec:
        """The same weights in the same order, with the businesses renamed by ``mapping``."""
        return KeySpec(self.name, tuple((d, tuple((mapping[b], w) for b, w in ws)) for d, ws in self.versions))


@dataclass(frozen=True)
class PoolChart:
    chart: sst.Chart
    keys: tuple[KeySpec, ...]
    rules: tuple[tuple[str, str], ...]  # (item, key name)
    pool: str = POOL

    def key(self, name: str) -> KeySpec:
        return next(k for k in self.keys if k.name == name)

    def rule_key(self, item: str) -> str:
        return dict(self.rules)[item]

    def pool_account(self, item: str) -> str:
        return f"{item}:{self.pool}"


@dataclass(frozen=True)
class PoolLedger:
    chart: PoolChart
    entries: list[data.Directive]
    text: str
    allocations_config: str  # the allocations plugin's configuration (the clearing account)

    @property
    def transactions(self) -> list[data.Transaction]:
        return [e for e in self.entries if isinstance(e, data.Transaction)]


# -- keys ---------------------------------------------------------------------------------------


def weights(businesses: Sequence[str], max_weight: int = 1000) -> st.SearchStrategy[tuple[tuple[str, int], ...]]:
    """Weights for a non-empty subset of ``businesses`` (in a drawn order): integers ≥ 0, at least one positive."""
    return st.permutations(list(businesses)).flatmap(
        lambda order: st.integers(1, len(order)).flatmap(
            lambda n: st.lists(st.integers(0, max_weight), min_size=n, max_size=n)
            .filter(any)
            .map(lambda ws: tuple(zip(order[:n], ws, strict=False)))
        )
    )


@st.composite
def key_specs(draw: st.DrawFn, businesses: Sequence[str], name: str, max_versions: int = 3) -> KeySpec:
    """A key with 1 to ``max_versions`` versions, the first dated ``START``."""
    later = draw(st.lists(st.dates(START + datetime.timedelta(days=1), datetime.date(2023, 12, 31)), max_size=max_versions - 1, unique=True))
    dates = [START, *sorted(later)]
    return KeySpec(name, tuple((d, draw(weights(businesses))) for d in dates))


@st.composite
def pool_charts(draw: st.DrawFn, min_businesses: int = 2, max_businesses: int = 5, max_keys: int = 2) -> PoolChart:
    """A :class:`PoolChart`: businesses (no fund), an elimination business, the pool, keys and a rule per item."""
    chart = draw(sst.charts(min_businesses, max_businesses, elimination=True, fund=False))
    names = ["Key" + "ABC"[i] for i in range(draw(st.integers(1, max_keys)))]
    keys = tuple(draw(key_specs(chart.businesses, name)) for name in names)
    rules = tuple((item, draw(st.sampled_from(names))) for item in chart.items)
    return PoolChart(chart, keys, rules)


# -- transactions ---------------------------------------------------------------------------------


def _posting(account: str, number: Decimal) -> data.Posting:
    return data.Posting(account, Amount(number, CURRENCY), None, None, None, {})


_AMOUNTS = st.integers(-(10**9), 10**9).filter(bool).map(Decimal)


@st.composite
def pool_transactions(draw: st.DrawFn, chart: PoolChart, date: datetime.date | None = None) -> data.Transaction:
    """A transaction that posts to the pool: a common cost paid by one business, or a movement inside the pool."""
    date = date or draw(_DATES)
    items = st.sampled_from(chart.chart.items)
    number = draw(_AMOUNTS)
    meta = data.new_metadata(_SOURCE, 0)
    if draw(st.booleans()):
        payer = draw(st.sampled_from(chart.chart.businesses))
        postings = [_posting(chart.pool_account(draw(items)), number), _posting(f"{draw(items)}:{payer}", -number)]
        narration = "common cost"
    else:
        postings = [_posting(chart.pool_account(draw(items)), number), _posting(chart.pool_account(draw(items)), -number)]
        narration = "pool movement"
        if draw(st.booleans()):  # both legs by one key given on the transaction
            meta["allocation-key"] = draw(st.sampled_from([k.name for k in chart.keys]))
    return data.Transaction(meta, date, "*", None, narration, frozenset(), frozenset(), postings)


@st.composite
def pool_ledgers(draw: st.DrawFn, chart: PoolChart | st.SearchStrategy[PoolChart] | None = None, *,
                 min_transactions: int = 1, max_transactions: int = 10) -> PoolLedger:
    """A ledger of pool transactions and ordinary balanced ones, in date order."""
    if chart is None:
        chart = pool_charts()
    if isinstance(chart, st.SearchStrategy):
        chart = draw(chart)
    count = draw(st.integers(min_transactions, max_transactions))
    dates = sorted(draw(st.lists(_DATES, min_size=count, max_size=count)))
    transactions = []
    for d in dates:
        if draw(st.integers(0, 2)):
            transactions.append(draw(pool_transactions(chart, d)))
        else:
            transactions.append(draw(sst.balanced_transactions(chart.chart, d)))
    return build_pool_ledger(chart, transactions)


def with_keys(chart: PoolChart, keys: Sequence[KeySpec]) -> PoolChart:
    """The chart with other keys (same names): to compare a ledger under two keys."""
    return replace(chart, keys=tuple(keys))


def build_pool_ledger(chart: PoolChart, transactions: Sequence[data.Transaction]) -> PoolLedger:
    """The :class:`PoolLedger` of ``chart`` with these transactions."""
    base = sst.build_ledger(chart.chart, list(transactions), mode="strict")
    start = datetime.date(2000, 1, 1)
    extra: list[data.Directive] = [data.Custom({}, start, "business", [_value(chart.pool), _value("common")])]
    extra.extend(data.Open({}, start, chart.pool_account(item), None, None)  # type: ignore[arg-type]  # no currencies: None, as the parser
                 for item in (*chart.chart.items, chart.chart.clearing))
    for key in chart.keys:
        for date, ws in key.versions:
            extra.append(data.Custom({}, date, "allocation-key", _key_values(key.name, ws)))
    for item, name in chart.rules:
        extra.append(data.Custom({}, start, "allocation-rule", [_value(item), _value(name)]))
    # typed transactions: keep the postings of the base ledger (with their line metadata), restore the metadata
    # that build_ledger does not carry (allocation-key:)
    keyed = {id(t): t.meta.get("allocation-key") for t in transactions}
    base_txns = [e for e in base.entries if isinstance(e, data.Transaction)]
    originals = sorted(transactions, key=lambda t: t.date)
    entries: list[data.Directive] = [e for e in base.entries if not isinstance(e, data.Transaction)]
    for original, built in zip(originals, sorted(base_txns, key=lambda t: (t.date, t.meta["lineno"])), strict=False):
        key_name = keyed[id(original)]
        entries.append(built._replace(meta={**built.meta, "allocation-key": key_name}) if key_name else built)
    lineno = 10**6
    for entry in extra:
        lineno += 1
        entries.append(entry._replace(meta=data.new_metadata(_SOURCE, lineno)))
    entries.sort(key=data.entry_sortkey)
    config = repr({"clearing": chart.chart.clearing})
    lines = [f'plugin "jlis_ledger.plugins.allocations" "{config}"', chart.chart.plugin_line("strict")]
    lines.extend(printer.format_entry(entry).rstrip("\n") for entry in entries)
    return PoolLedger(chart, entries, "\n".join(lines) + "\n", config)


def _key_values(name: str, ws: Sequence[tuple[str, int]]) -> list:
    values = [_value(name)]
    for business, weight in ws:
        values += [_value(business), _number(weight)]
    return values


def _value(value: str):
    from beancount.parser.grammar import ValueType

    return ValueType(value, str)


def _number(value: int):
    from beancount.parser.grammar import ValueType

    return ValueType(Decimal(value), Decimal)
