"""Hypothesis strategies for segment ledgers: businesses, accounts, transactions, whole ledgers.

They generate what the jlis-ledger contract describes (declared businesses,
accounts whose last component is the business, a 他事業勘定 clearing item) so
that users can property-test their own plugins, reports and importers::

    from hypothesis import given
    from jlis_ledger.testing import strategies as sst
    from jlis_ledger.plugins import segments

    @given(sst.ledgers(sst.charts(fund=False), mode="auto"))
    def test_my_report_handles_any_ledger(ledger):
        entries, errors = segments.segments(ledger.entries, sst.options_map(), ledger.config)
        assert not errors           # auto mode accepts every ledger of these strategies without a fund
        my_report(entries)          # your code

    @given(sst.ledgers(mode="strict"))
    def test_the_text_form_loads(ledger):
        entries, errors, options = beancount.loader.load_string(ledger.text)   # plugin line included

Building blocks, from small to large:

- :func:`business_labels` and :func:`charts` — businesses (``B1-…``, with an
  optional fund business and elimination business) and a chart of items;
- :func:`accounts` — accounts of a chart, each ending with a business;
- :func:`balanced_transactions` (every business sums to zero, through explicit
  他事業勘定 legs), :func:`unbalanced_transactions` (the transaction balances but
  at least one business does not), :func:`internal_transactions` (tagged with
  the chart's internal tag), :func:`fund_transactions`;
- :func:`ledgers` — a small ledger, as Beancount entries and as Beancount text
  (:class:`Ledger`), ready for ``segments.segments`` or ``loader.load_string``;
  :func:`build_ledger` makes one from your own transactions.

Fund transactions drawn with ``closing=None`` may leave the fund business with
net income or net assets at a year end: the segments plugin then reports it,
which is what the fund-rule property tests want; use ``charts(fund=False)`` or
``ledgers(..., funds=False)`` for ledgers that must load without errors.

All amounts are integers (yen-like) so that sums are exact; currencies are the
chart's (``("JPY",)`` by default).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser import options as options_lib
from beancount.parser.grammar import ValueType
from hypothesis import strategies as st

__all__ = [
    "Chart",
    "Ledger",
    "accounts",
    "amounts",
    "balanced_transactions",
    "build_ledger",
    "business_labels",
    "charts",
    "fund_transactions",
    "internal_transactions",
    "ledgers",
    "options_map",
    "unbalanced_transactions",
]

#: A default chart of items (accounts without their business component).
DEFAULT_ITEMS = (
    "Assets:1-Current:11-Cash",
    "Assets:1-Current:12-Receivables",
    "Assets:2-Fixed:21-Equipment",
    "Liabilities:1-Current:11-Payables",
    "Liabilities:2-Longterm:21-Deposits",
    "Equity:1-Capital",
    "Income:1-Operating:11-Fees",
    "Income:1-Operating:12-Grants",
    "Expenses:1-Operating:11-Personnel",
    "Expenses:1-Operating:12-Services",
)
DEFAULT_CLEARING = "Liabilities:1-Current:17-Clearing"
_NAME_ALPHABET = "ABCDEFGHabcdefgh事業一般受託研修基金情報共通"
_SOURCE = "<strategies>"


@dataclass(frozen=True)
class Chart:
    """Declared businesses and a chart of items.

    ``businesses`` are the ordinary and fund businesses in declaration order;
    the elimination business (if any) is declared after them.
    """

    businesses: tuple[str, ...]
    funds: frozenset[str] = frozenset()
    elimination: str | None = None
    items: tuple[str, ...] = DEFAULT_ITEMS
    clearing: str = DEFAULT_CLEARING
    internal_tag: str = "internal"
    currencies: tuple[str, ...] = ("JPY",)
    fiscal_year_end: str = "12-31"

    @property
    def ordinary(self) -> tuple[str, ...]:
        """The businesses that are not funds."""
        return tuple(b for b in self.businesses if b not in self.funds)

    @property
    def labels(self) -> tuple[str, ...]:
        """All declared labels, elimination last (the plugin's declaration order)."""
        return self.businesses + ((self.elimination,) if self.elimination else ())

    def account(self, item: str, business: str) -> str:
        return f"{item}:{business}"

    def items_under(self, root: str) -> tuple[str, ...]:
        return tuple(i for i in self.items if i.split(":", 1)[0] == root)

    def config(self, mode: str = "auto") -> str:
        """The segments plugin's configuration string for this chart."""
        return repr({"mode": mode, "clearing": self.clearing, "internal_tag": self.internal_tag})

    def plugin_line(self, mode: str = "auto") -> str:
        return f'plugin "jlis_ledger.plugins.segments" "{self.config(mode)}"'


@dataclass(frozen=True)
class Ledger:
    """A generated ledger: the same books as directives (sorted) and as Beancount text."""

    chart: Chart
    mode: str
    entries: list[data.Directive]
    text: str

    @property
    def config(self) -> str:
        return self.chart.config(self.mode)

    @property
    def transactions(self) -> list[data.Transaction]:
        return [e for e in self.entries if isinstance(e, data.Transaction)]


def options_map(**overrides: Any) -> dict[str, Any]:
    """Beancount's default options, to call a plugin function directly on generated entries."""
    options = dict(options_lib.OPTIONS_DEFAULTS)
    options["filename"] = _SOURCE
    options.update(overrides)
    return options


# -- businesses and accounts --------------------------------------------------------


def business_labels(min_size: int = 1, max_size: int = 6) -> st.SearchStrategy[tuple[str, ...]]:
    """Distinct business labels ``B1-…``, ``B2-…`` (valid account components).

    >>> business_labels(2, 3).example()  # doctest: +SKIP
    ('B1-一般事業', 'B2-Ab')
    """
    names = st.text(alphabet=_NAME_ALPHABET, min_size=1, max_size=6)
    return st.lists(names, min_size=min_size, max_size=max_size).map(
        lambda ns: tuple(f"B{i + 1}-{n}" for i, n in enumerate(ns))
    )


@st.composite
def charts(
    draw: st.DrawFn,
    min_businesses: int = 2,
    max_businesses: int = 5,
    *,
    elimination: bool | None = True,
    fund: bool | None = None,
    currencies: Sequence[str] = ("JPY",),
    fiscal_year_ends: Sequence[str] = ("12-31", "15-31"),
) -> Chart:
    """A :class:`Chart`: businesses, optionally the last one a fund, and an elimination business.

    ``elimination`` and ``fund``: True (always), False (never) or None (drawn).
    With ``fund`` the chart has at least ``min_businesses`` ordinary businesses
    plus the fund.

    >>> charts(fund=True).example().funds  # doctest: +SKIP
    frozenset({'B3-基金'})
    """
    with_fund = draw(st.booleans()) if fund is None else fund
    with_elimination = draw(st.booleans()) if elimination is None else elimination
    labels = draw(business_labels(min_businesses + with_fund, max_businesses + with_fund))
    funds = frozenset({labels[-1]}) if with_fund else frozenset()
    return Chart(
        businesses=labels,
        funds=funds,
        elimination="E-Eliminations" if with_elimination else None,
        currencies=tuple(currencies),
        fiscal_year_end=draw(st.sampled_from(list(fiscal_year_ends))),
    )


def accounts(chart: Chart, *, businesses: Sequence[str] | None = None, items: Sequence[str] | None = None) -> st.SearchStrategy[str]:
    """Accounts of ``chart`` (by default of any ordinary business and any item)."""
    return st.builds(
        chart.account,
        st.sampled_from(list(items or chart.items)),
        st.sampled_from(list(businesses or chart.ordinary)),
    )


def amounts(max_value: int = 10**9) -> st.SearchStrategy[Decimal]:
    """Non-zero integer amounts, both signs."""
    return st.integers(-max_value, max_value).filter(bool).map(Decimal)


# -- transactions -----------------------------------------------------------------------


def _posting(account: str, number: Decimal, currency: str) -> data.Posting:
    return data.Posting(account, Amount(number, currency), None, None, None, {})


def _units(posting: data.Posting) -> tuple[Decimal, str]:
    """The number and currency of a posting made by :func:`_posting` (always both)."""
    units = posting.units
    assert units is not None, posting
    assert units.number is not None, posting
    return units.number, units.currency


def _transaction(date: datetime.date, narration: str, postings: list[data.Posting], tags: frozenset[str] = frozenset()) -> data.Transaction:
    return data.Transaction(data.new_metadata(_SOURCE, 0), date, "*", None, narration, tags, frozenset(), postings)


@functools.lru_cache(maxsize=256)
def _sampled(values: tuple) -> st.SearchStrategy:
    """One strategy object per choice set: building strategies inside draws is slow."""
    return st.sampled_from(values)


@functools.lru_cache(maxsize=256)
def _subsets(values: tuple, min_size: int, max_size: int) -> st.SearchStrategy[list]:
    return st.lists(st.sampled_from(values), min_size=min_size, max_size=max_size, unique=True)


_AMOUNTS = st.integers(-(10**9), 10**9).filter(bool).map(Decimal)
_LINES = st.integers(1, 3)


def _cross_postings(
    draw: st.DrawFn, chart: Chart, clearing_legs: bool, currency: str, min_businesses: int = 2
) -> list[data.Posting]:
    """Postings of ordinary businesses that balance overall; with ``clearing_legs``, each business balances."""
    businesses = chart.ordinary
    chosen = draw(_subsets(businesses, min(min_businesses, len(businesses)), min(4, len(businesses))))
    items = _sampled(chart.items)
    postings: list[data.Posting] = []
    sums: dict[str, Decimal] = {}
    for business in chosen:
        for _ in range(draw(_LINES)):
            number = draw(_AMOUNTS)
            postings.append(_posting(chart.account(draw(items), business), number, currency))
            sums[business] = sums.get(business, Decimal(0)) + number
    total = sum(sums.values(), Decimal(0))
    if total:
        last = draw(_sampled(tuple(chosen)))
        postings.append(_posting(chart.account(draw(items), last), -total, currency))
        sums[last] -= total
    if clearing_legs:
        postings += [_posting(f"{chart.clearing}:{b}", -n, currency) for b, n in sums.items() if n]
    return postings


def _currencies(chart: Chart) -> st.SearchStrategy[list[str]]:
    return _subsets(chart.currencies, 1, len(chart.currencies))


_DATES = st.dates(datetime.date(2019, 1, 1), datetime.date(2023, 12, 31))


def _balanced(draw: st.DrawFn, chart: Chart, date: datetime.date | None) -> data.Transaction:
    postings = [p for c in draw(_currencies(chart)) for p in _cross_postings(draw, chart, True, c, min_businesses=1)]
    return _transaction(date or draw(_DATES), "balanced", postings)


def _unbalanced(draw: st.DrawFn, chart: Chart, date: datetime.date | None) -> data.Transaction:
    postings = [p for c in draw(_currencies(chart)) for p in _cross_postings(draw, chart, False, c)]
    if not _some_business_unbalanced(postings):
        # rare: the drawn amounts happen to balance every business; move an amount between two of them
        first, second = chart.ordinary[:2]
        number, currency = abs(draw(_AMOUNTS)), _units(postings[0])[1]
        items = _sampled(chart.items)
        postings += [_posting(chart.account(draw(items), first), number, currency), _posting(chart.account(draw(items), second), -number, currency)]
    return _transaction(date or draw(_DATES), "unbalanced", postings)


def _internal(draw: st.DrawFn, chart: Chart, date: datetime.date | None, clearing_legs: bool | None = None) -> data.Transaction:
    legs = draw(_BOOLEANS) if clearing_legs is None else clearing_legs
    postings = [p for c in draw(_currencies(chart)) for p in _cross_postings(draw, chart, legs, c)]
    return _transaction(date or draw(_DATES), "internal", postings, frozenset({chart.internal_tag}))


def _fund(draw: st.DrawFn, chart: Chart, date: datetime.date | None, closing: bool | None = None) -> data.Transaction:
    (fund,) = sorted(chart.funds)
    keep = draw(_BOOLEANS) if closing is None else closing
    currency = draw(_sampled(chart.currencies))
    number = Decimal(draw(_FUND_AMOUNTS))

    def account(root: str) -> str:
        return chart.account(draw(_sampled(chart.items_under(root))), fund)

    postings = [_posting(account("Expenses"), number, currency), _posting(account("Assets"), -number, currency)]
    if keep:
        postings += [_posting(account("Liabilities"), number, currency), _posting(account("Income"), -number, currency)]
    return _transaction(date or draw(_DATES), "fund", postings)


_BOOLEANS = st.booleans()
_FUND_AMOUNTS = st.integers(1, 10**6)


def _some_business_unbalanced(postings: list[data.Posting]) -> bool:
    sums: dict[tuple[str, str], Decimal] = {}
    for p in postings:
        number, currency = _units(p)
        key = (p.account.rsplit(":", 1)[1], currency)
        sums[key] = sums.get(key, Decimal(0)) + number
    return any(sums.values())


@st.composite
def balanced_transactions(draw: st.DrawFn, chart: Chart, date: datetime.date | None = None) -> data.Transaction:
    """A transaction in which every business sums to zero (several businesses through explicit 他事業勘定 legs).

    >>> balanced_transactions(chart).example().postings  # doctest: +SKIP
    """
    return _balanced(draw, chart, date)


@st.composite
def unbalanced_transactions(draw: st.DrawFn, chart: Chart, date: datetime.date | None = None) -> data.Transaction:
    """A transaction that balances as a whole but not per business (no 他事業勘定 legs); needs two ordinary businesses."""
    return _unbalanced(draw, chart, date)


@st.composite
def internal_transactions(
    draw: st.DrawFn, chart: Chart, date: datetime.date | None = None, clearing_legs: bool | None = None
) -> data.Transaction:
    """A transaction tagged with the internal tag: businesses charging each other, with or without 他事業勘定 legs."""
    return _internal(draw, chart, date, clearing_legs)


@st.composite
def fund_transactions(draw: st.DrawFn, chart: Chart, date: datetime.date | None = None, closing: bool | None = None) -> data.Transaction:
    """A transaction of the chart's fund business.

    ``closing=True``: a release of the fund (expense paid in cash, matched by a
    release of the fund liability to income), which keeps its net income and
    net assets at zero; ``closing=False``: an expense paid in cash, which makes
    a loss; None: either.
    """
    return _fund(draw, chart, date, closing)


# -- ledgers --------------------------------------------------------------------------------


@st.composite
def ledgers(
    draw: st.DrawFn,
    chart: Chart | st.SearchStrategy[Chart] | None = None,
    *,
    mode: str = "auto",
    min_transactions: int = 0,
    max_transactions: int = 12,
    unbalanced: bool = True,
    internal: bool = True,
    funds: bool = True,
) -> Ledger:
    """A small ledger: declarations, opens for every account, and transactions in date order.

    ``unbalanced``/``internal``/``funds`` allow those kinds of transactions
    (funds only if the chart has a fund business).  The text form carries the
    plugin line for ``mode`` and loads to the same transactions.
    """
    if chart is None:
        chart = charts()
    if isinstance(chart, st.SearchStrategy):
        chart = draw(chart)
    kinds = [_balanced]
    if unbalanced and len(chart.ordinary) >= 2:
        kinds.append(_unbalanced)
    if internal:
        kinds.append(_internal)
    if funds and chart.funds:
        kinds.append(_fund)
    count = draw(st.integers(min_transactions, max_transactions))
    dates = sorted(draw(st.lists(_DATES, min_size=count, max_size=count)))
    choose = _sampled(tuple(kinds))
    transactions = [draw(choose)(draw, chart, d) for d in dates]
    return build_ledger(chart, transactions, mode=mode)


def build_ledger(chart: Chart, transactions: Sequence[data.Transaction], *, mode: str = "auto") -> Ledger:
    """The :class:`Ledger` of ``chart`` with these transactions (opens every account of every business)."""
    start = datetime.date(2000, 1, 1)
    lines = [
        chart.plugin_line(mode),
        f'{start} custom "fava-option" "fiscal-year-end" "{chart.fiscal_year_end}"',
    ]
    entries: list[data.Directive] = []
    lineno = 2

    def meta() -> data.Meta:
        return data.new_metadata(_SOURCE, lineno)

    fye = data.Custom(meta(), start, "fava-option", [_value("fiscal-year-end"), _value(chart.fiscal_year_end)])
    entries.append(fye)
    for label in chart.labels:
        lineno += 1
        role = "fund" if label in chart.funds else "elimination" if label == chart.elimination else None
        values = [_value(label)] + ([_value(role)] if role else [])
        entries.append(data.Custom(meta(), start, "business", values))
        lines.append(f'{start} custom "business" "{label}"' + (f' "{role}"' if role else ""))
    for item in (*chart.items, chart.clearing):
        for business in chart.businesses:
            lineno += 1
            account = chart.account(item, business)
            entries.append(data.Open(meta(), start, account, None, None))  # type: ignore[arg-type]  # no currencies: None, as Beancount's parser
            lines.append(f"{start} open {account}")
    for txn in transactions:
        lineno += 2
        tags = "".join(f" #{t}" for t in sorted(txn.tags))
        lines.append("")
        lines.append(f'{txn.date} * "{txn.narration}"{tags}')
        postings = []
        for posting in txn.postings:
            lineno += 1
            postings.append(posting._replace(meta=data.new_metadata(_SOURCE, lineno)))
            number, currency = _units(posting)
            lines.append(f"  {posting.account}  {number} {currency}")
        entries.append(txn._replace(meta=data.new_metadata(_SOURCE, lineno - len(postings)), postings=postings))
    entries.sort(key=data.entry_sortkey)
    return Ledger(chart, mode, entries, "\n".join(lines) + "\n")


def _value(value: str) -> ValueType:
    return ValueType(value, str)
