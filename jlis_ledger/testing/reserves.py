"""Hypothesis strategies for reserves (積立金): declared reserves, their movements, appropriations of profit.

They generate ledgers that follow the jlis-ledger contract (declared
businesses, accounts ending with the business, ``custom "reserve"``
declarations) so that users can property-test the reserves plugin, their own
reports or importers against random sequences of provisions (繰入), releases
(取崩), transfers between reserves (振替) and appropriations (利益の処分)::

    from hypothesis import given
    from jlis_ledger.plugins import reserves
    from jlis_ledger.testing import reserves as rst
    from jlis_ledger.testing import strategies as sst

    @given(rst.reserve_ledgers(rst.reserve_charts(), overdraw=False, crossing=False, strangers=False))
    def test_valid_movements_pass(ledger):
        _, errors = reserves.reserves(ledger.entries, sst.options_map())
        assert errors == []

    @given(rst.appropriation_ledgers(exact=True))
    def test_exact_appropriations_pass(ledger):
        ...

The chart (:class:`ReserveChart`) has the businesses of a
:class:`jlis_ledger.testing.strategies.Chart` and fixed reserve items:

- ``RENEWAL`` — a liability reserve declared with one business (its owner),
  with provision and release accounts;
- ``SHARED`` — a liability reserve of any business, with provision and release accounts;
- ``GENERAL`` (``general: TRUE``), ``DEVELOPMENT``, ``OPERATIONS`` — equity reserves of any business;
- ``UNAPPROPRIATED`` — the profit leg of appropriations (a non-reserve equity account),
  ``CASH``, ``FEES`` and ``SERVICES`` for the other legs.

Operations are small NamedTuples (:class:`Opening`, :class:`Provision`,
:class:`Release`, :class:`Transfer`, :class:`Earning`, :class:`Appropriate`);
:func:`build_reserve_ledger` turns a sequence of them into a
:class:`ReserveLedger`: the entries (sorted, with file and line metadata, ready
for ``reserves.reserves``) and the same books as Beancount text with both
plugin lines (segments strict, reserves), ready for ``loader.load_string``.
Each operation is one transaction; a transfer between businesses carries the
他事業勘定 legs, so every transaction balances per business.

What the generators may produce is chosen by flags, so that a test knows
which rule an example can break: ``overdraw`` (releases and transfers larger
than the balance: a reserve goes negative), ``crossing`` (transfers between
businesses), ``strangers`` (a provision to ``RENEWAL`` in a business that does
not own it).  With all three False, every generated ledger passes both
plugins.  Amounts are integers (yen); the currency is JPY.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from beancount.core import account as account_lib
from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser.grammar import ValueType
from hypothesis import strategies as st

from jlis_ledger.core.periods import fiscal_year
from jlis_ledger.testing import strategies as sst

__all__ = [
    "Appropriate", "Earning", "Opening", "Operation", "Provision", "Release", "ReserveChart", "ReserveLedger", "Transfer",
    "appropriation_ledgers", "build_reserve_ledger", "operations", "reserve_charts", "reserve_ledgers",
]

RENEWAL = "Liabilities:2-Longterm:31-RenewalReserve"
RENEWAL_PROVISION = "Expenses:3-Special:31-RenewalProvision"
RENEWAL_RELEASE = "Income:1-Operating:31-RenewalRelease"
SHARED = "Liabilities:2-Longterm:32-SharedReserve"
SHARED_PROVISION = "Expenses:3-Special:32-SharedProvision"
SHARED_RELEASE = "Income:1-Operating:32-SharedRelease"
GENERAL = "Equity:2-Retained:21-General"
DEVELOPMENT = "Equity:2-Retained:22-Development"
OPERATIONS = "Equity:2-Retained:23-Operations"
UNAPPROPRIATED = "Equity:2-Retained:29-Unappropriated"
CASH = "Assets:1-Current:11-Cash"
FEES = "Income:1-Operating:11-Fees"
SERVICES = "Expenses:1-Operating:12-Services"

LIABILITY_RESERVES = (RENEWAL, SHARED)
EQUITY_RESERVES = (GENERAL, DEVELOPMENT, OPERATIONS)
LEGS = {RENEWAL: (RENEWAL_PROVISION, RENEWAL_RELEASE), SHARED: (SHARED_PROVISION, SHARED_RELEASE)}
ITEMS = (CASH, FEES, SERVICES, UNAPPROPRIATED, *LIABILITY_RESERVES, *EQUITY_RESERVES, *tuple(a for pair in LEGS.values() for a in pair))
CURRENCY = "JPY"
START = datetime.date(2000, 1, 1)
_SOURCE = "<reserve-strategies>"


@dataclass(frozen=True)
class ReserveChart:
    """Businesses (a segments :class:`~jlis_ledger.testing.strategies.Chart`) and the reserves declared over them."""

    chart: sst.Chart
    owner: str  # the business that owns RENEWAL

    @property
    def businesses(self) -> tuple[str, ...]:
        return self.chart.businesses

    def declarations(self) -> list[tuple[str, str | None, dict[str, object]]]:
        """(reserve, business or None, metadata) for every declared reserve."""
        return [
            (RENEWAL, self.owner, {"provision": RENEWAL_PROVISION, "release": RENEWAL_RELEASE}),
            (SHARED, None, {"provision": SHARED_PROVISION, "release": SHARED_RELEASE}),
            (GENERAL, None, {"general": True}),
            (DEVELOPMENT, None, {}),
            (OPERATIONS, None, {}),
        ]


class Opening(NamedTuple):
    """An opening balance (``#opening``), against cash."""

    date: datetime.date
    reserve: str
    business: str
    amount: Decimal


class Provision(NamedTuple):
    """繰入: credit the (liability) reserve, debit its provision account."""

    date: datetime.date
    reserve: str
    business: str
    amount: Decimal


class Release(NamedTuple):
    """取崩: debit the (liability) reserve, credit its release account."""

    date: datetime.date
    reserve: str
    business: str
    amount: Decimal


class Transfer(NamedTuple):
    """振替: debit ``source`` in ``source_business``, credit ``target`` in ``target_business`` (他事業勘定 legs if they differ)."""

    date: datetime.date
    source: str
    source_business: str
    target: str
    target_business: str
    amount: Decimal


class Earning(NamedTuple):
    """A profit (amount > 0: fees received) or a loss (amount < 0: services paid) of a business, against cash."""

    date: datetime.date
    business: str
    amount: Decimal


class Appropriate(NamedTuple):
    """An appropriation (``#appropriation``): the profit leg per business, and the parts per (reserve, business)."""

    date: datetime.date
    profit: tuple[tuple[str, Decimal], ...]  # (business, amount debited to UNAPPROPRIATED; a loss: negative)
    parts: tuple[tuple[str, str, Decimal], ...]  # (reserve, business, amount credited; negative: debited)


Operation = Opening | Provision | Release | Transfer | Earning | Appropriate


@dataclass(frozen=True)
class ReserveLedger:
    chart: ReserveChart
    operations: tuple[Operation, ...]
    entries: list[data.Directive]
    text: str

    @property
    def transactions(self) -> list[data.Transaction]:
        return [e for e in self.entries if isinstance(e, data.Transaction)]


# -- building ----------------------------------------------------------------------------


def _posting(account: str, number: Decimal) -> data.Posting:
    return data.Posting(account, Amount(number, CURRENCY), None, None, None, {})


def _transaction(chart: ReserveChart, op: Operation) -> data.Transaction:
    tags: frozenset[str] = frozenset()
    if isinstance(op, Opening):
        postings = [_posting(f"{op.reserve}:{op.business}", -op.amount), _posting(f"{CASH}:{op.business}", op.amount)]
        tags = frozenset({"opening"})
    elif isinstance(op, Provision):
        provision = LEGS[op.reserve][0]
        postings = [_posting(f"{provision}:{op.business}", op.amount), _posting(f"{op.reserve}:{op.business}", -op.amount)]
    elif isinstance(op, Release):
        release = LEGS[op.reserve][1]
        postings = [_posting(f"{op.reserve}:{op.business}", op.amount), _posting(f"{release}:{op.business}", -op.amount)]
    elif isinstance(op, Transfer):
        postings = [_posting(f"{op.source}:{op.source_business}", op.amount), _posting(f"{op.target}:{op.target_business}", -op.amount)]
        if op.source_business != op.target_business:
            clearing = chart.chart.clearing
            postings += [_posting(f"{clearing}:{op.source_business}", -op.amount), _posting(f"{clearing}:{op.target_business}", op.amount)]
    elif isinstance(op, Earning):
        item = FEES if op.amount > 0 else SERVICES
        postings = [_posting(f"{item}:{op.business}", -op.amount), _posting(f"{CASH}:{op.business}", op.amount)]
    else:
        postings = [_posting(f"{UNAPPROPRIATED}:{b}", n) for b, n in op.profit if n]
        postings += [_posting(f"{r}:{b}", -n) for r, b, n in op.parts if n]
        tags = frozenset({"appropriation"})
    return data.Transaction(data.new_metadata(_SOURCE, 0), op.date, "*", None, type(op).__name__.lower(), tags, frozenset(), postings)


def _custom(lineno: int, type_: str, values: list[ValueType], meta: dict[str, object]) -> data.Custom:
    m = data.new_metadata(_SOURCE, lineno)
    m.update(meta)
    return data.Custom(m, START, type_, values)


def build_reserve_ledger(chart: ReserveChart, ops: Sequence[Operation]) -> ReserveLedger:
    """The ledger of ``chart`` with one transaction per operation (operations sorted by date, stable)."""
    ops = sorted(ops, key=lambda op: op.date)
    base = sst.build_ledger(chart.chart, [_transaction(chart, op) for op in ops], mode="strict")
    entries = list(base.entries)
    lines = base.text.rstrip("\n").split("\n")
    lines.append('plugin "jlis_ledger.plugins.reserves"')
    for reserve, business, meta in chart.declarations():
        lines.append(f'{START} custom "reserve" {reserve}' + (f' "{business}"' if business else ""))
        lineno = len(lines)
        account = ValueType(reserve, account_lib.TYPE)  # type: ignore[arg-type]  # an account's dtype is account.TYPE (a str), as the parser's
        values = [account] + ([ValueType(business, str)] if business else [])
        entries.append(_custom(lineno, "reserve", values, meta))
        for key, value in meta.items():
            lines.append(f"  {key}: {'TRUE' if value is True else value}")
    entries.sort(key=data.entry_sortkey)
    return ReserveLedger(chart, tuple(ops), entries, "\n".join(lines) + "\n")


# -- strategies --------------------------------------------------------------------------------


@st.composite
def reserve_charts(draw: st.DrawFn, min_businesses: int = 2, max_businesses: int = 4, fiscal_year_ends: Sequence[str] = ("12-31", "15-31")) -> ReserveChart:
    """A :class:`ReserveChart`: ordinary businesses (no fund), an elimination business, the reserve items."""
    base = draw(sst.charts(min_businesses, max_businesses, elimination=True, fund=False, fiscal_year_ends=fiscal_year_ends))
    chart = sst.Chart(businesses=base.businesses, elimination=base.elimination, items=ITEMS,
                      fiscal_year_end=base.fiscal_year_end)
    return ReserveChart(chart, draw(st.sampled_from(chart.businesses)))


_DAYS = st.integers(0, 12)  # few distinct dates: several movements share a day
_AMOUNTS = st.integers(1, 1000).map(Decimal)


@st.composite
def operations(draw: st.DrawFn, chart: ReserveChart, *, min_size: int = 0, max_size: int = 12, overdraw: bool = True,
               crossing: bool = True, strangers: bool = True) -> list[Operation]:
    """Openings, provisions, releases and transfers in date order (starting 2022-04-01).

    Without ``overdraw`` the amounts drawn never exceed the balance at the time
    (checked operation by operation, and openings come first, so no day ends
    below zero); without ``crossing`` transfers stay in one business; without
    ``strangers`` RENEWAL is posted only by its owner.
    """
    businesses = chart.businesses
    first = datetime.date(2022, 4, 1)
    count = draw(st.integers(min_size, max_size))
    days = sorted(draw(st.lists(_DAYS, min_size=count, max_size=count)))
    balances: dict[tuple[str, str], Decimal] = {}
    ops: list[Operation] = []
    for day in days:
        date = first + datetime.timedelta(days=day)
        kind = draw(st.sampled_from(("opening", "provision", "release", "transfer")))
        amount = draw(_AMOUNTS)
        if kind in ("opening", "provision", "release"):
            pool = (RENEWAL, SHARED) if kind != "opening" else LIABILITY_RESERVES + EQUITY_RESERVES
            reserve = draw(st.sampled_from(pool))
            business = draw(st.sampled_from(businesses))
            if reserve == RENEWAL and not (strangers and draw(st.booleans())):
                business = chart.owner
            if kind == "opening" and not overdraw:
                date = first  # openings first, so that later days never depend on the order within a day
        else:
            reserve = draw(st.sampled_from(EQUITY_RESERVES))
            target = draw(st.sampled_from([r for r in EQUITY_RESERVES if r != reserve]))
            business = draw(st.sampled_from(businesses))
            target_business = draw(st.sampled_from(businesses)) if crossing else business
        held = balances.get((reserve, business), Decimal(0))
        if kind in ("release", "transfer") and not overdraw:
            if held <= 0:
                continue
            amount = min(amount, held)
        if kind == "opening":
            ops.append(Opening(date, reserve, business, amount))
        elif kind == "provision":
            ops.append(Provision(date, reserve, business, amount))
        elif kind == "release":
            ops.append(Release(date, reserve, business, amount))
        else:
            ops.append(Transfer(date, reserve, business, target, target_business, amount))
            balances[(target, target_business)] = balances.get((target, target_business), Decimal(0)) + amount
        balances[(reserve, business)] = held + (amount if kind in ("opening", "provision") else -amount)
    if not overdraw:
        ops.sort(key=lambda op: (op.date, not isinstance(op, Opening)))
    return ops


@st.composite
def reserve_ledgers(draw: st.DrawFn, chart: ReserveChart | st.SearchStrategy[ReserveChart] | None = None, **kwargs) -> ReserveLedger:
    """A :class:`ReserveLedger` of :func:`operations` (keyword arguments as there)."""
    if chart is None:
        chart = reserve_charts()
    if isinstance(chart, st.SearchStrategy):
        chart = draw(chart)
    return build_reserve_ledger(chart, draw(operations(chart, **kwargs)))


@st.composite
def appropriation_ledgers(draw: st.DrawFn, chart: ReserveChart | st.SearchStrategy[ReserveChart] | None = None, *,
                          exact: bool | None = None) -> ReserveLedger:
    """Profits and losses in one fiscal year, then an appropriation of them in the next.

    Every business starts with an opening balance in GENERAL large enough for any
    loss.  The appropriation debits UNAPPROPRIATED with each business's net
    income and credits it to DEVELOPMENT / OPERATIONS (parts of a profit) and
    GENERAL (the rest, negative for a loss).  ``exact=False`` moves one
    business's profit leg off by a non-zero amount (its GENERAL part absorbs
    it, so the entry still balances): :attr:`ReserveLedger.operations` then
    holds an :class:`Appropriate` whose profit differs from the year's net
    income for exactly that business.  ``exact=None``: either.
    """
    if chart is None:
        chart = reserve_charts()
    if isinstance(chart, st.SearchStrategy):
        chart = draw(chart)
    month, day = (int(x) for x in chart.chart.fiscal_year_end.split("-"))
    fy = fiscal_year(2022, (month, day))
    ops: list[Operation] = [Opening(fy.start - datetime.timedelta(days=1), GENERAL, b, Decimal(10**7)) for b in chart.businesses]
    net: dict[str, Decimal] = {}
    for _ in range(draw(st.integers(0, 8))):
        business = draw(st.sampled_from(chart.businesses))
        amount = Decimal(draw(st.integers(-10**6, 10**6).filter(bool)))
        date = fy.start + datetime.timedelta(days=draw(st.integers(0, (fy.end - fy.start).days)))
        ops.append(Earning(date, business, amount))
        net[business] = net.get(business, Decimal(0)) + amount
    profit: dict[str, Decimal] = {b: n for b, n in net.items() if n}
    parts: list[tuple[str, str, Decimal]] = []
    for business, income in profit.items():
        rest = income
        for reserve in (DEVELOPMENT, OPERATIONS):
            if rest > 0:
                part = Decimal(draw(st.integers(0, int(rest))))
                parts.append((reserve, business, part))
                rest -= part
        parts.append((GENERAL, business, rest))
    wrong = not exact if exact is not None else draw(st.booleans())
    if wrong:
        business = draw(st.sampled_from(chart.businesses))
        delta = Decimal(draw(st.integers(-1000, 1000).filter(bool)))
        profit[business] = profit.get(business, Decimal(0)) + delta
        parts.append((GENERAL, business, delta))
    date = fy.end + datetime.timedelta(days=draw(st.integers(1, 120)))
    ops.append(Appropriate(date, tuple(profit.items()), tuple(parts)))
    return build_reserve_ledger(chart, ops)
