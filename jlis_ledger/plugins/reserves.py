"""Reserves (積立金): owned by a business, funded and drawn as declared, profit appropriated exactly.

Enable it in the ledger's main file, after the segments plugin::

    plugin "jlis_ledger.plugins.reserves"

(optionally with ``"{'appropriation_tag': 'appropriation', 'opening_tag': 'opening'}"``,
the defaults).  Nothing about a particular body lives in code: the ledger
declares its reserves and plans (:func:`jlis_ledger.declarations.read_reserves`)::

    2016-04-01 custom "reserve" Liabilities:Reserves:Renewal "B2-Registry"
      provision: Expenses:Special:RenewalProvision        ; 繰入額, debited by a provision
      release: Income:Operating:RenewalRelease            ; 取崩収入, credited by a release
    2014-04-01 custom "reserve" Equity:Retained:General
      general: TRUE                                       ; the general reserve (積立金)
    2014-04-01 custom "reserve" Equity:Retained:Development
    2023-03-31 custom "reserve-plan" Liabilities:Reserves:Renewal 2023-04-01 2028-03-31 1250000000 JPY 12060000000 JPY
      precision: 10000000                                 ; published in 0.1億円

ACCOUNT is given without its business component (the last component of every
account is the business).  A reserve under the Liabilities root is a liability
reserve (負債性積立金), one under Equity an equity reserve (利益剰余金); both
have credit balances, shown positive below.

How a transaction is read
-------------------------

Every transaction that posts to a reserve (``RESERVE:BUSINESS``, or below it),
to a declared provision or release account, or that carries the appropriation
tag, is classified per business and currency:

- tagged ``#opening`` (``opening_tag``): opening balances carried into the
  books; only rules 1 and 2 apply;
- tagged ``#appropriation`` (``appropriation_tag``): an appropriation of profit
  (利益の処分); its equity-reserve postings are the distribution (rule 5), its
  postings to other Equity accounts the *profit leg*;
- otherwise, for each reserve R and business B, with n = the net posting to R
  in B, and p, r = the net postings to R's provision and release accounts in B:
  if p or r is non-zero, the movement is a provision (繰入, p) and/or a release
  (取崩, r), and n + p + r must be zero (rule 3); else a movement of a liability
  reserve is an unmatched provision or release (rule 3); else (an equity
  reserve) it is a transfer (振替: 積立 in, 取崩 out), rule 4.

The rules
---------

1. **Ownership.**  A reserve declared with a business is posted only in that
   business (one error per transaction and account).
2. **Never negative.**  The balance of each reserve account (reserve and
   business) and currency at the end of every day is ≥ 0; the first day it
   goes below is reported once, at the day's last transaction on it, with the
   balance before the day, the day's movement and the balance after.  It is
   reported again only after it has recovered.
3. **Provision and release.**  A provision credits the reserve and debits its
   declared ``provision`` account by the same amount, a release debits it and
   credits its ``release`` account by the same amount — in the same
   transaction and business.  A movement of a liability reserve without them,
   a 繰入額 / 取崩収入 posting without the reserve, or a mismatch is an error
   (one per reserve, business and currency of the transaction).
4. **Transfers among equity reserves net to zero within the business** (per
   currency).  One error per transaction and currency: "crosses businesses"
   when the transfers net to zero only over several businesses, else "does not
   net to zero" with the amounts of each business.
5. **Appropriation of profit.**  An entry tagged ``#appropriation`` closes the
   last fiscal year ending before its date (Fava's ``fiscal-year-end``, e.g.
   ``15-31``: an entry of 2023-06-30 closes 2022-04-01 – 2023-03-31).  For every
   business with a profit or a loss that year (the elimination business
   aside), and per currency, the profit leg must equal the year's net income
   (当期純利益, −(Income + Expenses) of that business over the year): debited
   with a profit, credited with a loss; the reserves receive the rest, which
   (the entry balancing per business) is the same net income.  One error per
   business that differs, and one for a year appropriated twice.

   The representation (J-LIS books, 令和4年度)::

       2023-06-30 * "令和4年度利益の処分" #appropriation
         Equity:2-利益剰余金:25-処分対象利益:B1-一般事業                  377,306,562 JPY  ; 当期純利益 (profit leg)
         Equity:2-利益剰余金:21-積立金:B1-一般事業                       -76,501,789 JPY  ; stays in 積立金
         Equity:2-利益剰余金:23-システム開発積立金:B1-一般事業          -300,804,773 JPY
         Equity:2-利益剰余金:25-処分対象利益:B4-個人番号カード発行等事業   -115,176,227 JPY  ; a loss
         Equity:2-利益剰余金:21-積立金:B4-個人番号カード発行等事業         115,176,227 JPY  ; reduces 積立金
         …

   Beancount keeps the year's net income in Income and Expenses (no closing
   entries); the profit leg's account (処分対象利益) offsets it once it is
   appropriated, so the reserves hold their published balances after the
   appropriation, and 処分対象利益 plus the Income and Expenses to date is
   the profit not yet appropriated.
6. **Plans.**  ``custom "reserve-plan" ACCOUNT FROM TO PROVISION RELEASE``
   (FROM and TO inclusive, RELEASE written positive) plans or records the
   reserve's 積立 (provisions; for an equity reserve also transfers in and the
   appropriation) and 取崩 (releases, transfers out) over the period, summed
   over the businesses.  A declaration whose period ended on or before its date
   records what was done (実績: a published history); the others are plans (計画).
   ``precision:`` (yen, default 1) is the rounding unit of the published
   figures: a booked total within half of it of a figure agrees.  Plans of a
   reserve do not overlap.

   - A plan is compared on its movements: booked 積立 and 取崩 over the period
     (opening entries aside) with the declared figures.
   - Periods that start on or before the reserve's last opening entry (``#opening``,
     dated D) lie before the books: together they are compared with the
     balance they lead to — the reserve's balance at the end of their last day
     or at D, whichever is later, must be Σ(PROVISION − RELEASE) within
     Σ precision (this checks the opening balance against the published history).

   A comparison is made once the plan is *due*: if the ledger books
   appropriations, once the fiscal year containing TO has been appropriated
   (the books of a year are final when its 利益の処分 is booked); otherwise once
   the ledger has a transaction dated on or after TO.  A due plan that differs
   beyond the precision is one error at the plan's declaration, unless the plan
   carries ``explanation: "…"`` (why the deviation is accepted): then it is only
   reported.  A plan that is not due never errs — future plans are shown by
   ``jlis-ledger reserves`` (planned, booked so far, deviation), never by
   ``bean-check``.

Declaration errors (a reserve outside Liabilities/Equity, an undeclared
business, a plan for an undeclared reserve …) are reported at the declaration.
Errors carry the ``filename`` and ``lineno`` of the offending entry.

Cost: one pass over the entries (plus a scan for the ``custom`` declarations
and the appropriation entries), one dictionary lookup per posting; the Income
and Expenses postings are summed only in the fiscal years that an
appropriation closes; only the transactions that touch a reserve are examined
further.  The entries are returned unchanged.
"""

from __future__ import annotations

import ast
import bisect
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import account as account_lib
from beancount.core import convert, data

from jlis_ledger.books import FiscalYear, fiscal_year
from jlis_ledger.clearing import ordered
from jlis_ledger.declarations import Reserve, ReservePlan, read_businesses, read_reserves
from jlis_ledger.plugins.segments import fiscal_year_end_of, fmt

__plugins__ = ("reserves",)

ZERO = Decimal(0)

#: Movement kinds.
OPENING = "opening"  # 期首残高 carried in (#opening)
PROVISION = "provision"  # 繰入: against the provision account
RELEASE = "release"  # 取崩: against the release account
TRANSFER = "transfer"  # 振替 among equity reserves (積立 in, 取崩 out)
APPROPRIATION = "appropriation"  # 利益の処分: a part of the year's profit (or loss) received
UNMATCHED = "unmatched"  # a movement that breaks rule 3 or 4 (reported)


# -- errors: one class per rule, Beancount's (source, message, entry) ------------------


class ReserveDeclarationError(NamedTuple):
    source: data.Meta
    message: str
    entry: data.Directive | None


class ReserveOwnershipError(NamedTuple):
    source: data.Meta
    message: str
    entry: data.Directive | None


class NegativeReserveError(NamedTuple):
    source: data.Meta
    message: str
    entry: data.Directive | None


class ProvisionReleaseError(NamedTuple):
    source: data.Meta
    message: str
    entry: data.Directive | None


class ReserveTransferError(NamedTuple):
    source: data.Meta
    message: str
    entry: data.Directive | None


class AppropriationError(NamedTuple):
    source: data.Meta
    message: str
    entry: data.Directive | None


class ReservePlanError(NamedTuple):
    source: data.Meta
    message: str
    entry: data.Directive | None


# -- configuration ------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    appropriation_tag: str = "appropriation"
    opening_tag: str = "opening"


def parse_config(text: str | None) -> Config:
    """Parse the optional config string; raise ValueError with a message for the user."""
    if not text or not text.strip():
        return Config()
    example = "\"{'appropriation_tag': 'appropriation', 'opening_tag': 'opening'}\""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise ValueError(f"the reserves plugin configuration is not a Python dict literal: {text!r}; expected e.g. {example}")
    if not isinstance(value, dict):
        raise ValueError(f"the reserves plugin configuration must be a dict, e.g. {example}")
    unknown = sorted(set(value) - {"appropriation_tag", "opening_tag"}, key=str)
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(map(repr, unknown))} in the reserves plugin configuration; known: 'appropriation_tag', 'opening_tag'")
    tags = {}
    for key in ("appropriation_tag", "opening_tag"):
        tag = value.get(key, getattr(Config, key))
        if not isinstance(tag, str) or not tag.lstrip("#"):
            raise ValueError(f"reserves plugin: {key!r} must be a tag name; got {tag!r}")
        tags[key] = tag.lstrip("#")
    return Config(**tags)


# -- what a pass finds (used by the report, jlis_ledger.reserves) ------------------------------


class Movement(NamedTuple):
    """A reserve's net movement in one transaction, business and currency, by kind."""

    date: datetime.date
    reserve: str  # the reserve account, without business
    business: str
    currency: str
    amount: Decimal  # the change of the reserve's balance: positive = increase (credit)
    kind: str  # OPENING, PROVISION, RELEASE, TRANSFER, APPROPRIATION or UNMATCHED
    counterparts: tuple[str, ...]  # TRANSFER: the reserves that moved the other way
    entry: data.Transaction


class ProfitLeg(NamedTuple):
    """A posting of an appropriation to a non-reserve Equity account (e.g. 処分対象利益)."""

    date: datetime.date
    account: str
    business: str
    currency: str
    amount: Decimal  # Beancount sign: the year's profit is debited (positive)
    entry: data.Transaction


class Appropriation(NamedTuple):
    """An appropriation of profit and what it closes."""

    entry: data.Transaction
    year: FiscalYear  # the fiscal year it closes
    net_income: dict[tuple[str, str], Decimal]  # (business, currency) -> 当期純利益 of the year
    distributed: dict[tuple[str, str], Decimal]  # (business, currency) -> the profit leg
    parts: dict[tuple[str, str, str], Decimal]  # (reserve, business, currency) -> increase


class PlanResult(NamedTuple):
    """A plan compared with the books.

    ``compared`` is "movements" (booked 積立/取崩 over the period) or "opening"
    (the period lies before the books: see :class:`OpeningCheck`).
    """

    plan: ReservePlan
    compared: str
    due: bool
    booked_provision: Decimal | None  # None when compared on the opening balance
    booked_release: Decimal | None  # positive
    ok: bool | None  # None when not due

    @property
    def provision_deviation(self) -> Decimal | None:
        return None if self.booked_provision is None else self.booked_provision - self.plan.provision

    @property
    def release_deviation(self) -> Decimal | None:
        return None if self.booked_release is None else self.booked_release - self.plan.release


class OpeningCheck(NamedTuple):
    """The published history of a reserve (its plans before the books) against the balance it leads to."""

    reserve: str
    currency: str
    date: datetime.date  # the balance compared is at the end of this day
    balance: Decimal
    planned: Decimal  # Σ (PROVISION − RELEASE)
    tolerance: Decimal
    plans: tuple[ReservePlan, ...]
    due: bool
    ok: bool | None

    @property
    def deviation(self) -> Decimal:
        return self.balance - self.planned


@dataclass
class Analysis:
    """What one pass over the entries finds."""

    config: Config
    reserves: dict[str, Reserve]
    plans: list[ReservePlan]
    order: list[str]  # businesses in declaration order
    fiscal_year_end: tuple[int, int]
    movements: list[Movement] = field(default_factory=list)
    profit_legs: list[ProfitLeg] = field(default_factory=list)
    appropriations: list[Appropriation] = field(default_factory=list)
    plan_results: list[PlanResult] = field(default_factory=list)
    opening_checks: list[OpeningCheck] = field(default_factory=list)
    errors: list = field(default_factory=list)
    last_date: datetime.date | None = None

    def fiscal_year(self, year: int) -> FiscalYear:
        return fiscal_year(year, self.fiscal_year_end)


# -- the plugin ------------------------------------------------------------------------------


def reserves(entries: list[data.Directive], options_map: dict[str, Any], config: str | None = None) -> tuple[list[data.Directive], list]:
    """The plugin: check the reserve rules (see the module docstring); the entries are returned unchanged."""
    return entries, analyze(entries, options_map, config).errors


def analyze(entries: Sequence[data.Directive], options_map: dict[str, Any], config: str | None = None) -> Analysis:
    """One pass over ``entries``: the reserve movements, appropriations, plan comparisons and errors."""
    try:
        cfg = parse_config(config)
    except ValueError as exc:
        analysis = Analysis(Config(), {}, [], [], (12, 31))
        analysis.errors.append(ReserveDeclarationError(data.new_metadata(options_map.get("filename") or "<reserves>", 0), str(exc), None))
        return analysis
    return _Pass(cfg, options_map).run(entries)


# -- internals ---------------------------------------------------------------------------------

_PL, _RESERVE, _LEG, _EQUITY = 1, 2, 4, 8


class _Info(NamedTuple):
    flags: int
    business: str
    reserve: Reserve | None  # _RESERVE: the reserve; _LEG: the reserve whose provision/release it is
    leg: str | None  # _LEG: "provision" or "release"


_NOTHING = _Info(0, "", None, None)


def _where(meta: data.Meta) -> str:
    return f"{meta.get('filename', '<unknown>')}:{meta.get('lineno', 0)}"


def _yen(number: Decimal, currency: str) -> str:
    return fmt(number, currency, sign=False)


class _Pass:
    def __init__(self, cfg: Config, options_map: dict[str, Any]) -> None:
        self.cfg = cfg
        self.options_map = options_map
        self.roots = {key: options_map.get(f"name_{key}", key.capitalize()) for key in ("liabilities", "equity", "income", "expenses")}
        self.cache: dict[str, _Info] = {}
        self.flags: dict[str, int] = {}  # account -> _Info.flags (the hot loop reads only these)
        self.balance: dict[tuple[str, str], Decimal] = {}  # (account, currency) -> balance (credit positive)
        self.dirty: dict[tuple[str, str], tuple[Decimal, data.Transaction]] = {}  # -> (balance before the day, last entry)
        self.negative: set[tuple[str, str]] = set()
        self.day: datetime.date | None = None
        self.series: dict[tuple[str, str], tuple[list[datetime.date], list[Decimal]]] = {}  # (reserve, currency) -> daily totals
        self.totals: dict[tuple[str, str], Decimal] = {}
        self.opening_dates: dict[str, datetime.date] = {}
        self.net_income: dict[int, dict[tuple[str, str], Decimal]] = {}  # closed year -> (account, currency) -> sum
        self.appropriated: dict[int, data.Transaction] = {}
        self.fy_cache: dict[datetime.date, int] = {}

    # -- declarations ----------------------------------------------------------------

    def _declarations(self, entries: Sequence[data.Directive]) -> tuple[list[data.Transaction], Analysis]:
        customs = []
        appropriations = []
        tag = self.cfg.appropriation_tag
        for entry in entries:
            kind = type(entry)
            if kind is data.Custom:
                customs.append(entry)
            elif kind is data.Transaction and entry.tags and tag in entry.tags:
                appropriations.append(entry)
        businesses, _ = read_businesses(customs)  # their errors are the segments plugin's
        reserves, plans, errors = read_reserves(customs, businesses or None, (self.roots["liabilities"], self.roots["equity"]))
        fye = fiscal_year_end_of(customs)
        if isinstance(fye, str):
            fye = (12, 31)  # reported by the segments plugin
        analysis = Analysis(self.cfg, reserves, plans, list(businesses), fye)
        analysis.errors.extend(ReserveDeclarationError(*e) for e in errors)
        self.eliminations = {b.label for b in businesses.values() if b.is_elimination}
        self.legs = {}
        for reserve in reserves.values():
            if reserve.provision:
                self.legs[reserve.provision] = (reserve, "provision")
            if reserve.release:
                self.legs[reserve.release] = (reserve, "release")
        return appropriations, analysis

    def _classify(self, account: str) -> _Info:
        parent, _, business = account.rpartition(":")
        root = account.split(":", 1)[0]
        flags = _PL if root in (self.roots["income"], self.roots["expenses"]) else 0
        node = parent
        while node:
            reserve = self.reserves.get(node)
            if reserve is not None:
                info = _Info(flags | _RESERVE, business, reserve, None)
                break
            leg = self.legs.get(node)
            if leg is not None:
                info = _Info(flags | _LEG, business, leg[0], leg[1])
                break
            node = account_lib.parent(node)
        else:
            if root == self.roots["equity"]:
                flags |= _EQUITY
            info = _Info(flags, business, None, None) if flags else _NOTHING
        self.cache[account] = info
        self.flags[account] = info.flags
        return info

    def _year(self, date: datetime.date) -> int:
        year = self.fy_cache.get(date)
        if year is None:
            fy = fiscal_year(date.year, self.fye)
            year = fy.year if date >= fy.start else fy.year - 1
            if date > fy.end:
                year = fy.year + 1
            self.fy_cache[date] = year
        return year

    # -- the pass ----------------------------------------------------------------------

    def run(self, entries: Sequence[data.Directive]) -> Analysis:
        appropriations, analysis = self._declarations(entries)
        self.analysis = analysis
        self.reserves = analysis.reserves
        self.fye = analysis.fiscal_year_end
        self.errors = analysis.errors
        if not self.reserves and not appropriations:
            return analysis
        for entry in appropriations:
            self.net_income.setdefault(self._year(entry.date) - 1, {})
        if self.net_income:
            years = [analysis.fiscal_year(y) for y in self.net_income]
            low, high = min(fy.start for fy in years), max(fy.end for fy in years)
        else:
            low = high = None
        appropriation_tag = self.cfg.appropriation_tag
        flags_of = self.flags.get
        classify = self._classify
        interesting = _RESERVE | _LEG
        transaction = data.Transaction
        last = None
        sums = None
        for entry in entries:
            if type(entry) is not transaction:
                continue
            date = entry.date
            if date != last:
                last = date
                sums = self.net_income.get(self._year(date)) if low is not None and low <= date <= high else None
            hit = False
            if sums is None:
                for posting in entry.postings:
                    flags = flags_of(posting.account)
                    if flags is None:
                        flags = classify(posting.account).flags
                    if flags & interesting:
                        hit = True
                        break
            else:  # a year that an appropriation closes: sum its Income and Expenses too (same loop)
                for posting in entry.postings:
                    account = posting.account
                    flags = flags_of(account)
                    if flags is None:
                        flags = classify(account).flags
                    if flags & _PL:
                        if posting.cost is None and posting.price is None:
                            number, currency = posting.units
                        else:
                            number, currency = convert.get_weight(posting)
                        if type(number) is Decimal:
                            key = (account, currency)
                            sums[key] = sums.get(key, ZERO) + number
                    if flags & interesting:
                        hit = True
            if hit or (entry.tags and appropriation_tag in entry.tags):
                self._transaction(entry)
        self._end_of_day()
        analysis.last_date = last
        self._plans()
        return analysis

    def _net_income(self, year: int) -> dict[tuple[str, str], Decimal]:
        """(business, currency) -> Income + Expenses of the year (Beancount signs), from the sums per account."""
        out: dict[tuple[str, str], Decimal] = {}
        for (account, currency), number in self.net_income.get(year, {}).items():
            info = self.cache.get(account) or self._classify(account)
            if info.flags & _PL:
                key = (info.business, currency)
                out[key] = out.get(key, ZERO) + number
        return out

    def _transaction(self, entry: data.Transaction) -> None:
        if entry.date != self.day:
            self._end_of_day()
            self.day = entry.date
        tags = entry.tags or frozenset()
        opening = self.cfg.opening_tag in tags
        appropriation = self.cfg.appropriation_tag in tags
        moves: dict[tuple[str, str, str], Decimal] = {}  # (reserve, business, currency) -> Beancount sum
        accounts: dict[tuple[str, str], Decimal] = {}  # (account, currency) -> Beancount sum
        legs: dict[tuple[str, str, str, str], Decimal] = {}  # (reserve, business, currency, leg) -> Beancount sum
        profit: dict[tuple[str, str], Decimal] = {}
        strangers: dict[str, Reserve] = {}
        for posting in entry.postings:
            info = self.cache.get(posting.account) or self._classify(posting.account)
            flags = info.flags
            if not flags & (_RESERVE | _LEG) and not (appropriation and flags & _EQUITY):
                continue
            number, currency = _units(posting)
            if number is None:
                continue  # an incomplete posting: Beancount reports it
            if flags & _RESERVE:
                reserve = info.reserve
                if reserve.business is not None and info.business != reserve.business:
                    strangers[posting.account] = reserve
                key = (reserve.account, info.business, currency)
                moves[key] = moves.get(key, ZERO) + number
                akey = (posting.account, currency)
                accounts[akey] = accounts.get(akey, ZERO) + number
            elif flags & _LEG:
                if not opening:
                    key = (info.reserve.account, info.business, currency, info.leg)
                    legs[key] = legs.get(key, ZERO) + number
            else:
                key = (info.business, currency)
                profit[key] = profit.get(key, ZERO) + number
                self.analysis.profit_legs.append(ProfitLeg(entry.date, posting.account, info.business, currency, number, entry))
        for account, reserve in strangers.items():
            self._stranger(entry, account, reserve)
        for (account, currency), number in accounts.items():
            self._move(entry, account, currency, -number)
        if opening:
            for (reserve, business, currency), number in moves.items():
                if number:
                    self._record(entry, reserve, business, currency, -number, OPENING)
                    if entry.date > self.opening_dates.get(reserve, datetime.date.min):
                        self.opening_dates[reserve] = entry.date
            return
        self._classify_moves(entry, moves, legs, appropriation)
        if appropriation:
            self._appropriation(entry, moves, profit)

    # -- rule 1 ------------------------------------------------------------------------

    def _stranger(self, entry: data.Transaction, account: str, reserve: Reserve) -> None:
        self.errors.append(ReserveOwnershipError(
            entry.meta,
            f"{account}: reserve (積立金) {reserve.account} belongs to {reserve.business} "
            f'(custom "reserve" at {_where(reserve.meta)}), but this transaction posts it in '
            f"{account_lib.leaf(account)}. A reserve declared with a business is posted only in that business.",
            entry,
        ))

    # -- rule 2 ------------------------------------------------------------------------

    def _move(self, entry: data.Transaction, account: str, currency: str, increase: Decimal) -> None:
        key = (account, currency)
        before = self.balance.get(key, ZERO)
        self.balance[key] = before + increase
        day = self.dirty.get(key)
        self.dirty[key] = (before if day is None else day[0], entry)
        reserve = self.cache[account].reserve.account
        tkey = (reserve, currency)
        total = self.totals[tkey] = self.totals.get(tkey, ZERO) + increase
        dates, values = self.series.setdefault(tkey, ([], []))
        if dates and dates[-1] == entry.date:
            values[-1] = total
        else:
            dates.append(entry.date)
            values.append(total)

    def _end_of_day(self) -> None:
        if not self.dirty:
            return
        for key, (before, entry) in self.dirty.items():
            balance = self.balance[key]
            if balance >= 0:
                self.negative.discard(key)
                continue
            if key in self.negative:
                continue
            self.negative.add(key)
            account, currency = key
            self.errors.append(NegativeReserveError(
                entry.meta,
                f"reserve (積立金) {account} goes negative on {entry.date}: its balance at the end of the day is "
                f"{_yen(balance, currency)} ({_yen(before, currency)} before the day, {fmt(balance - before, currency)} "
                "that day). A reserve is never drawn beyond its balance; this is the day's last transaction on it.",
                entry,
            ))
        self.dirty = {}

    # -- rules 3 and 4 -------------------------------------------------------------------

    def _record(self, entry, reserve: str, business: str, currency: str, amount: Decimal, kind: str, counterparts: tuple[str, ...] = ()) -> None:
        self.analysis.movements.append(Movement(entry.date, reserve, business, currency, amount, kind, counterparts, entry))

    def _classify_moves(self, entry: data.Transaction, moves, legs, appropriation: bool) -> None:
        keys = list(moves)
        keys += [k[:3] for k in legs if k[:3] not in moves]
        transfers: dict[str, dict[str, Decimal]] = {}  # currency -> business -> Beancount sum
        transfer_keys = []
        for key in dict.fromkeys(keys):
            reserve_account, business, currency = key
            reserve = self.reserves[reserve_account]
            n = moves.get(key, ZERO)
            p = legs.get(key + ("provision",), ZERO)
            r = legs.get(key + ("release",), ZERO)
            if p or r:
                if p:
                    self._record(entry, reserve_account, business, currency, p, PROVISION)
                if r:
                    self._record(entry, reserve_account, business, currency, r, RELEASE)
                rest = -n - p - r
                if rest:
                    self._record(entry, reserve_account, business, currency, rest, UNMATCHED)
                    self._mismatch(entry, reserve, business, currency, n, p, r)
            elif not n:
                continue
            elif not reserve.equity:
                self._record(entry, reserve_account, business, currency, -n, UNMATCHED)
                self._unmatched(entry, reserve, business, currency, n)
            elif appropriation:
                self._record(entry, reserve_account, business, currency, -n, APPROPRIATION)
            else:
                per = transfers.setdefault(currency, {})
                per[business] = per.get(business, ZERO) + n
                transfer_keys.append((key, n))
        if not transfers:
            return
        bad = set()
        for currency, per in sorted(transfers.items()):
            nonzero = {b: v for b, v in per.items() if v}
            if not nonzero:
                continue
            bad.add(currency)
            self._transfer_error(entry, currency, nonzero)
        for (reserve_account, business, currency), n in transfer_keys:
            if currency in bad:
                self._record(entry, reserve_account, business, currency, -n, UNMATCHED)
                continue
            others = tuple(k[0] for k, m in transfer_keys if k[1] == business and k[2] == currency and (m > 0) != (n > 0))
            self._record(entry, reserve_account, business, currency, -n, TRANSFER, others)

    def _mismatch(self, entry, reserve: Reserve, business: str, currency: str, n: Decimal, p: Decimal, r: Decimal) -> None:
        parts = []
        if p:
            parts.append(f"its provision account {reserve.provision}:{business} is posted {fmt(p, currency)}")
        if r:
            parts.append(f"its release account {reserve.release}:{business} is posted {fmt(r, currency)}")
        self.errors.append(ProvisionReleaseError(
            entry.meta,
            f"provision/release (繰入/取崩) mismatch in {business}: reserve (積立金) {reserve.account} changes by "
            f"{fmt(-n, currency)} but {' and '.join(parts)}. A provision credits the reserve and debits its provision "
            "account by the same amount, a release debits the reserve and credits its release account by the same "
            "amount, in the same transaction and business.",
            entry,
        ))

    def _unmatched(self, entry, reserve: Reserve, business: str, currency: str, n: Decimal) -> None:
        if n < 0:
            what, key, leg, side = "provision (繰入)", "provision", reserve.provision, "a debit to its provision account"
        else:
            what, key, leg, side = "release (取崩)", "release", reserve.release, "a credit to its release account"
        if leg is None:
            fix = (f'{reserve.account} declares no {key}: account (custom "reserve" at {_where(reserve.meta)}); '
                   f"declare it, or tag opening balances #{self.cfg.opening_tag}")
        else:
            fix = f"book the same amount to {leg}:{business} in this transaction"
        self.errors.append(ProvisionReleaseError(
            entry.meta,
            f"{what} of {_yen(abs(n), currency)} to reserve (積立金) {reserve.account} in {business} without {side}: {fix}.",
            entry,
        ))

    def _transfer_error(self, entry, currency: str, nonzero: dict[str, Decimal]) -> None:
        parts = ", ".join(f"{b} {fmt(-nonzero[b], currency)}" for b in ordered(nonzero, self.analysis.order))
        if not sum(nonzero.values()) and len(nonzero) > 1:
            message = (f"transfer between reserves (積立金の振替) crosses businesses: {parts}. A transfer between "
                       "reserves stays within one business; move money between businesses through 他事業勘定, "
                       "not through reserves.")
        else:
            message = (f"transfer among equity reserves (積立金の振替) does not net to zero within the business: {parts} "
                       "(+ = the reserves increase). An equity reserve moves only to another equity reserve of the same "
                       "business, against its declared provision/release accounts, or by the appropriation of profit "
                       f"(#{self.cfg.appropriation_tag}).")
        self.errors.append(ReserveTransferError(entry.meta, message, entry))

    # -- rule 5 --------------------------------------------------------------------------

    def _appropriation(self, entry: data.Transaction, moves, profit: dict[tuple[str, str], Decimal]) -> None:
        year = self._year(entry.date) - 1
        fy = self.analysis.fiscal_year(year)
        first = self.appropriated.get(year)
        if first is not None:
            self.errors.append(AppropriationError(
                entry.meta,
                f"appropriation of profit (利益の処分) for fiscal year {year} ({fy.start} – {fy.end}): that year is "
                f"already appropriated by the entry at {_where(first.meta)}. A year's net income is appropriated once.",
                entry,
            ))
            return
        self.appropriated[year] = entry
        sums = self._net_income(year)
        net_income = {key: -v for key, v in sums.items() if v and key[0] not in self.eliminations}
        keys = [k for k in dict.fromkeys(list(net_income) + list(profit)) if k[0] not in self.eliminations]
        order = self.analysis.order
        keys.sort(key=lambda k: (order.index(k[0]) if k[0] in order else len(order), k[0], k[1]))
        for key in keys:
            expected = net_income.get(key, ZERO)
            got = profit.get(key, ZERO)
            if got == expected:
                continue
            business, currency = key
            self.errors.append(AppropriationError(
                entry.meta,
                f"appropriation of profit (利益の処分) for fiscal year {year} ({fy.start} – {fy.end}) in {business}: "
                f"the profit leg is {fmt(got, currency)} but the business's 当期純利益 is {fmt(expected, currency)} "
                f"(difference {fmt(got - expected, currency)}). Debit each business's net income of the year to a "
                "non-reserve equity account (e.g. 処分対象利益; credit it for a loss) and credit its parts to the reserves.",
                entry,
            ))
        parts = {k: -v for k, v in moves.items() if v and self.reserves[k[0]].equity}
        self.analysis.appropriations.append(Appropriation(entry, fy, net_income, dict(profit), parts))

    # -- rule 6 --------------------------------------------------------------------------

    def _due(self, end: datetime.date) -> bool:
        if self.appropriated:
            return any(self.analysis.fiscal_year(y).end >= end for y in self.appropriated)
        return self.analysis.last_date is not None and self.analysis.last_date >= end

    def _balance_at(self, reserve: str, currency: str, date: datetime.date) -> Decimal:
        dates, values = self.series.get((reserve, currency), ((), ()))
        i = bisect.bisect_right(dates, date)
        return values[i - 1] if i else ZERO

    def _plans(self) -> None:
        analysis = self.analysis
        booked: dict[tuple[str, str], list[Movement]] = {}
        for m in analysis.movements:
            if m.kind != OPENING:
                booked.setdefault((m.reserve, m.currency), []).append(m)
        history: dict[tuple[str, str], list[ReservePlan]] = {}
        for plan in sorted(analysis.plans, key=lambda p: (p.account, p.start)):
            opened = self.opening_dates.get(plan.account)
            if opened is not None and plan.start <= opened:
                history.setdefault((plan.account, plan.currency), []).append(plan)
                analysis.plan_results.append(PlanResult(plan, "opening", self._due(plan.end), None, None, None))
                continue
            provision = release = ZERO
            for m in booked.get((plan.account, plan.currency), ()):
                if plan.start <= m.date <= plan.end:
                    if m.amount > 0:
                        provision += m.amount
                    else:
                        release -= m.amount
            due = self._due(plan.end)
            ok = abs(provision - plan.provision) <= plan.tolerance and abs(release - plan.release) <= plan.tolerance
            analysis.plan_results.append(PlanResult(plan, "movements", due, provision, release, ok if due else None))
            if due and not ok and plan.explanation is None:
                self._plan_error(plan, provision, release)
        for (reserve, currency), plans in history.items():
            end = max(p.end for p in plans)
            at = max(end, self.opening_dates[reserve])
            balance = self._balance_at(reserve, currency, at)
            planned = sum((p.provision - p.release for p in plans), ZERO)
            tolerance = sum((p.precision for p in plans), ZERO)
            due = self._due(at)
            ok = abs(balance - planned) <= tolerance
            analysis.opening_checks.append(OpeningCheck(reserve, currency, at, balance, planned, tolerance, tuple(plans), due, ok if due else None))
            if due and not ok and all(p.explanation is None for p in plans):
                self._history_error(plans, at, balance, planned, tolerance, currency)

    def _plan_error(self, plan: ReservePlan, provision: Decimal, release: Decimal) -> None:
        c = plan.currency
        parts = []
        for what, booked, planned in (("積立 (provisions)", provision, plan.provision), ("取崩 (releases)", release, plan.release)):
            if abs(booked - planned) > plan.tolerance:
                parts.append(f"{what} booked {_yen(booked, c)}, planned {_yen(planned, c)} (deviation {fmt(booked - planned, c)})")
        kind = "record (実績)" if plan.is_record else "plan (計画)"
        self.errors.append(ReservePlanError(
            plan.meta,
            f"reserve {kind} for {plan.account} {plan.start} – {plan.end} is not met: {'; '.join(parts)}, beyond the "
            f"declared precision (±{_yen(plan.tolerance, c)}). Correct the bookings or the declaration, or record why "
            'the deviation is accepted with explanation: "…" on the declaration.',
            plan,
        ))

    def _history_error(self, plans: list[ReservePlan], at: datetime.date, balance: Decimal, planned: Decimal, tolerance: Decimal, currency: str) -> None:
        last = max(plans, key=lambda p: p.end)
        periods = ", ".join(f"{p.start} – {p.end}: 積立 {_yen(p.provision, currency)} 取崩 {_yen(p.release, currency)}" for p in plans)
        self.errors.append(ReservePlanError(
            last.meta,
            f"the opening balance of reserve (積立金) {last.account} does not agree with its published history: "
            f"balance {_yen(balance, currency)} at the end of {at}, history ({periods}) gives {_yen(planned, currency)} "
            f"(deviation {fmt(balance - planned, currency)}, precision ±{_yen(tolerance, currency)}).",
            last,
        ))


def _units(posting: data.Posting) -> tuple[Decimal | None, str]:
    if posting.cost is None and posting.price is None:
        number, currency = posting.units
    else:
        number, currency = convert.get_weight(posting)
    return (number if isinstance(number, Decimal) else None), currency


__all__ = [
    "APPROPRIATION", "OPENING", "PROVISION", "RELEASE", "TRANSFER", "UNMATCHED",
    "Analysis", "Appropriation", "AppropriationError", "Config", "Movement", "NegativeReserveError", "OpeningCheck",
    "PlanResult", "ProfitLeg", "ProvisionReleaseError", "ReserveDeclarationError", "ReserveOwnershipError",
    "ReservePlanError", "ReserveTransferError", "analyze", "parse_config", "reserves",
]
