"""Drill-down: the postings that make a figure of a statement, and whether it rests on estimates.

A figure of a statement is a :class:`Selection`: account prefixes added (and subtracted) as the
statement shows them, one business or all (``None``), and which balance — ``closing`` (a balance
sheet: every posting up to the period's end), ``movement`` (an income statement: the period's
postings, the balances carried in excluded) or ``opening`` — and for a cash-flow line the ``cf:``
labels.  :func:`postings` returns exactly the postings the statement summed, with the same rules
as :mod:`jlis_ledger.statements.figures` and :meth:`Context.totals` (the profit not yet
appropriated folded into the general reserve on a balance sheet), so that their total is the
figure, to the yen::

    >>> sel = Selection(("Income:1-営業収益:105-事業収入",), business="B1-一般事業", which="movement")
    >>> found = postings(ctx, sel)
    >>> found.total == ctx.shown("Income:1-営業収益:105-事業収入", "movement", "B1-一般事業")
    True

:func:`row_selection` gives the selection of a statement row (a line, a section, a root, a profit
step, 負債純資産合計, a CF line or subtotal) and a column's business.

Estimates: an entry (or a posting) carrying ``basis:`` (``derived``, ``allocated``, ``fitted`` …)
with its ``rule:`` is an estimate.  :func:`estimates` tells, per (account prefix, business), which
estimates a figure rests on, in one pass over the estimated entries only.  A closing balance that
a ``balance`` assertion without ``basis:`` pins at the day after the period (a published figure)
rests on no estimate, whatever the postings that lead to it; one pinned by an assertion with
``basis:`` rests on that assertion's rule.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data

from jlis_ledger.core.accounts import business_of, under
from jlis_ledger.core.errors import location
from jlis_ledger.statements.context import code_key
from jlis_ledger.statements.figures import ZERO

if TYPE_CHECKING:
    from jlis_ledger.statements.context import Context
    from jlis_ledger.table import Row, Table

OPENING_TAG = "opening"
#: The label of the cash postings without ``cf:`` in a business's cash flows (internal settlements).
NO_CF = ""
#: The line of a business's cash flows that shows them (cash moved between businesses without a CF line).
INTERNAL = "事業間の資金移動"
SUBTOTAL = "小計"
WHICH = ("closing", "movement", "opening")
BALANCE_STATEMENTS = ("bs", "segment-bs", "budget-bs", "business-bs")
FLOW_STATEMENTS = ("pl", "segment-pl", "budget-pl", "business-pl")
CASH_STATEMENTS = ("cf", "business-cf")


@dataclass(frozen=True)
class Selection:
    plus: tuple[str, ...]
    minus: tuple[str, ...] = ()
    business: str | None = None
    which: str = "closing"
    cash_flows: tuple[str, ...] | None = None  # cf: labels (NO_CF: none); None: any posting

    def __post_init__(self) -> None:
        if self.which not in WHICH:
            raise ValueError(f"which: one of {', '.join(WHICH)}, not {self.which!r}")


@dataclass(frozen=True)
class Item:
    """One posting of a selection: its entry, the posting, the amount as the statement shows it."""

    entry: data.Transaction
    posting: data.Posting
    amount: Decimal
    opening: bool  # carried in (before the period, or tagged #opening)


@dataclass
class Found:
    items: list[Item]
    total: Decimal
    accounts: dict[str, int] = field(default_factory=dict)  # account -> sign as shown


@dataclass(frozen=True)
class Estimate:
    """An estimate a figure rests on: its kind (``basis:``), its rule and where it is declared."""

    basis: str
    rule: str
    where: str  # file:line of the first entry with this basis and rule


# -- the index: postings by account, in ledger order ----------------------------------------------


Indexed = tuple[data.Transaction, data.Posting, Decimal]


def _number(posting: data.Posting, currency: str) -> Decimal | None:
    """The posting's number in ``currency`` (None: another currency, or no amount)."""
    units = posting.units
    if units is None or units.currency != currency or not isinstance(units.number, Decimal):
        return None
    return units.number


def _index(ctx: Context) -> dict[str, list[Indexed]]:
    books = ctx.books

    def compute() -> dict[str, list[Indexed]]:
        out: dict[str, list[Indexed]] = defaultdict(list)
        currency = books.currency
        for entry in books.entries:
            if isinstance(entry, data.Transaction):
                for posting in entry.postings:
                    number = _number(posting, currency)
                    if number is not None:
                        out[posting.account].append((entry, posting, number))
        return dict(out)

    return books.memo("drill-index", compute)


def _order(ctx: Context) -> dict[int, int]:
    """The position of each entry in the ledger (the order of postings of one date)."""
    books = ctx.books
    return books.memo("drill-order", lambda: {id(e): i for i, e in enumerate(books.entries)})


def folded(ctx: Context, account: str, which: str) -> str:
    """The account a balance statement counts a posting under (see :meth:`Context._folded`)."""
    general = ctx.general_reserve
    if which == "movement" or general is None:
        return account
    if ctx.roots.is_income_statement(account) or account in ctx.profit_legs:
        return f"{general}:{business_of(account)}"
    return account


def _in(which: str, entry: data.Transaction, start: datetime.date, end: datetime.date) -> bool | None:
    """Whether an entry counts for ``which`` (None: after the period); mirrors :func:`figures.collect`."""
    date = entry.date
    if date > end:
        return None
    carried = date < start or OPENING_TAG in entry.tags
    if which == "movement":
        return not carried
    if which == "opening":
        return carried
    return True


def accounts(ctx: Context, selection: Selection) -> dict[str, int]:
    """The accounts of a selection, each with the sign it is shown with (a subtracted prefix turns it)."""
    out: dict[str, int] = {}
    business = selection.business
    for account in _index(ctx):
        if business is not None and business_of(account) != business:
            continue
        target = folded(ctx, account, selection.which)
        sign = 0
        for prefix in selection.plus:
            if under(target, prefix):
                sign += ctx.sign(prefix)
        for prefix in selection.minus:
            if under(target, prefix):
                sign -= ctx.sign(prefix)
        if sign:
            out[account] = sign
    return out


def postings(ctx: Context, selection: Selection) -> Found:
    """The postings of a selection in ledger order, and their total as the statement shows it."""
    index = _index(ctx)
    start, end = ctx.period.start, ctx.period.end
    signs = accounts(ctx, selection)
    labels = selection.cash_flows
    found: list[tuple[int, int, Item]] = []
    for account, sign in signs.items():
        for entry, posting, number in index[account]:
            where = _in(selection.which, entry, start, end)
            if not where:
                continue
            if labels is not None:
                label = posting.meta.get("cf", NO_CF) if posting.meta else NO_CF
                if label not in labels:
                    continue
            found.append((id(entry), 0, Item(entry, posting, sign * number,
                                             entry.date < start or OPENING_TAG in entry.tags)))
    order = _order(ctx) if len(found) > 1 else {}
    found.sort(key=lambda t: (t[2].entry.date, order.get(t[0], 0)))
    items = [t[2] for t in found]
    return Found(items, sum((i.amount for i in items), ZERO), signs)


# -- the selection of a statement row -------------------------------------------------------------


def _which(statement_id: str) -> str:
    if statement_id in BALANCE_STATEMENTS:
        return "closing"
    return "movement"


def _income_sections(ctx: Context) -> list[str]:
    """The sections of the income statement in printed order (Income and Expenses interleaved by code)."""
    nodes = []
    for rank, root in enumerate(ctx.roots.income_statement):
        node = ctx.root(root)
        if node is not None:
            nodes += [(code_key(child), rank, child.account) for child in ctx.children(node)]
    return [account for *_, account in sorted(nodes, key=lambda t: (t[0], t[1]))]


def _profit_step(ctx: Context, label: str) -> Selection | None:
    """The sections summed by a profit step of the income statement (営業利益 …, 当期純利益)."""
    steps = ctx.layout.profit_steps
    income = ctx.roots.income + ":"
    plus: list[str] = []
    minus: list[str] = []
    for account in _income_sections(ctx):
        (plus if account.startswith(income) else minus).append(account)
        if steps.get(account) == label:
            return Selection(tuple(plus), tuple(minus), which="movement")
    if not steps and label == "当期純利益" and (plus or minus):
        return Selection(tuple(plus), tuple(minus), which="movement")
    return None


def _cash_flow(ctx: Context, table: Table, row: Row) -> Selection | None:
    """A row of the キャッシュ・フロー計算書 (:mod:`.cash_flow`, or a business's): a line is its ``cf:`` label,
    a section total its lines, 小計 the lines above it in its section; the three closing rows the cash."""
    cash = ctx.layout.cash_accounts
    special = {"現金及び現金同等物期首残高": "opening", "現金及び現金同等物期末残高": "closing",
               "現金及び現金同等物の増減額": "movement"}
    if row.label in special:
        return Selection(cash, which=special[row.label])
    if row.kind == "line":
        return Selection(cash, which="movement", cash_flows=(NO_CF if row.label == INTERNAL else row.label,))
    sections: dict[str, list[str]] = defaultdict(list)
    for section, label in ctx.layout.cash_flow_lines:
        sections[section].append(label)
    if row.label in sections and row.label:
        labels = [label for label in sections[row.label] if label != SUBTOTAL]
    elif row.label == SUBTOTAL:
        index = next(i for i, r in enumerate(table.rows) if r is row)
        heading = next((r.label for r in reversed(table.rows[:index]) if r.kind == "heading"), None)
        lines = sections.get(heading or "", [])
        labels = lines[:lines.index(SUBTOTAL)] if SUBTOTAL in lines else []
    else:
        return None
    return Selection(cash, which="movement", cash_flows=tuple(labels)) if labels else None


def row_selection(ctx: Context, table: Table, row: Row, business: str | None = None) -> Selection | None:
    """The selection of a row of a statement (``bs``, ``pl``, ``cf``, ``segment-*``, ``budget-*``, ``business-*``)
    in the column of ``business`` (None: all businesses); None for a row that sums no postings."""
    if row.values is None:
        return None
    statement_id = table.id
    if statement_id in CASH_STATEMENTS:
        selection = _cash_flow(ctx, table, row)
    elif row.account:
        selection = Selection((row.account,), which=_which(statement_id))
    elif statement_id in BALANCE_STATEMENTS and row.label == "負債純資産合計":
        _, liabilities, equity = ctx.roots.balance_sheet
        selection = Selection((liabilities, equity), which="closing")
    elif statement_id in FLOW_STATEMENTS:
        selection = _profit_step(ctx, row.label)
    else:
        selection = None
    if selection is None:
        return None
    return Selection(selection.plus, selection.minus, business, selection.which, selection.cash_flows)


# -- estimates ------------------------------------------------------------------------------------


def _basis(meta: data.Meta | None) -> tuple[str, str] | None:
    if not meta:
        return None
    basis = meta.get("basis")
    if basis is None:
        return None
    return str(basis), str(meta.get("rule", ""))


@dataclass
class Estimates:
    """The estimates of a period: the legend, and per (prefix, business) the legend numbers a figure rests on."""

    legend: list[Estimate] = field(default_factory=list)
    by_prefix: dict[str, dict[tuple[str, str | None], frozenset[int]]] = field(default_factory=dict)  # which ->
    by_cash_flow: dict[tuple[str, str | None], frozenset[int]] = field(default_factory=dict)  # (cf label, business)
    _numbers: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)

    def number(self, basis: str, rule: str, meta: data.Meta | None) -> int:
        key = (basis, rule)
        if key not in self._numbers:
            self._numbers[key] = len(self.legend)
            self.legend.append(Estimate(basis, rule, location(meta)))
        return self._numbers[key]

    def of(self, selection: Selection) -> frozenset[int]:
        """The legend numbers that the figure of ``selection`` rests on."""
        if selection.cash_flows is not None:
            out: set[int] = set()
            for label in selection.cash_flows:
                out |= self.by_cash_flow.get((label, selection.business), frozenset())
            return frozenset(out)
        table = self.by_prefix.get(selection.which, {})
        out = set()
        for prefix in (*selection.plus, *selection.minus):
            out |= table.get((prefix, selection.business), frozenset())
        return frozenset(out)


def _add_prefixes(target: dict[tuple[str, str | None], set[int]], account: str, numbers: Iterable[int]) -> None:
    numbers = set(numbers)
    if not numbers:
        return
    business = business_of(account)
    parts = account.split(":")
    for i in range(1, len(parts)):
        prefix = ":".join(parts[:i])
        target[(prefix, business)] |= numbers
        target[(prefix, None)] |= numbers


def estimates(ctx: Context) -> Estimates:
    """Which figures of the period rest on estimates (memoised per period)."""
    return ctx.books.memo(("drill-estimates", ctx.period.start, ctx.period.end), lambda: _estimates(ctx))


def _estimates(ctx: Context) -> Estimates:
    books = ctx.books
    out = Estimates()
    start, end = ctx.period.start, ctx.period.end
    currency = books.currency
    cash = tuple(ctx.layout.cash_accounts)
    # per which: leaf account -> legend numbers
    leaves: dict[str, dict[str, set[int]]] = {w: defaultdict(set) for w in WHICH}
    flows: dict[tuple[str, str | None], set[int]] = defaultdict(set)
    pinned: dict[tuple[datetime.date, str], int | None] = {}
    for entry in books.entries:
        if isinstance(entry, data.Balance):
            based = _basis(entry.meta)
            pinned[(entry.date, entry.account)] = None if based is None else out.number(*based, entry.meta)
            continue
        if not isinstance(entry, data.Transaction):
            continue
        entry_basis = _basis(entry.meta)
        if entry_basis is None and not any(p.meta and "basis" in p.meta for p in entry.postings):
            continue
        for which in WHICH:
            counts = _in(which, entry, start, end)
            if not counts:
                continue
            for posting in entry.postings:
                if _number(posting, currency) is None:
                    continue
                based = _basis(posting.meta) or entry_basis
                if based is None:
                    continue
                number = out.number(*based, (posting.meta if _basis(posting.meta) else None) or entry.meta)
                leaves[which][posting.account].add(number)
                if which == "movement" and cash and posting.account.startswith(tuple(c + ":" for c in cash)):
                    label = posting.meta.get("cf", NO_CF) if posting.meta else NO_CF
                    flows[(label, business_of(posting.account))].add(number)
                    flows[(label, None)].add(number)
    # a balance the books assert at the day after the period (or at its start, for the opening) is the published figure
    day_after = end + datetime.timedelta(days=1)
    for which, on in (("closing", day_after), ("opening", start)):
        table = leaves[which]
        for (date, account), pin in pinned.items():
            if date == on:
                table[account] = set() if pin is None else {pin}
    for which in WHICH:
        target: dict[tuple[str, str | None], set[int]] = defaultdict(set)
        for account, numbers in leaves[which].items():
            _add_prefixes(target, folded(ctx, account, which), numbers)
        out.by_prefix[which] = {k: frozenset(v) for k, v in target.items()}
    out.by_cash_flow = {k: frozenset(v) for k, v in flows.items()}
    return out


__all__ = ["INTERNAL", "NO_CF", "Estimate", "Estimates", "Found", "Item", "Selection", "accounts", "estimates", "postings",
           "row_selection"]
