"""Rules 1 to 5 of the reserves (積立金), in one pass over the entries; see :mod:`jlis_ledger.plugins.reserves`.

Every transaction that posts to a reserve, to a declared provision or release account, or that
carries the appropriation tag, is classified per business and currency (opening, provision,
release, transfer, appropriation); the movements, appropriations and errors go into an
:class:`~jlis_ledger.reserves.model.Analysis`.  Rule 6 (plans) is :mod:`.plans`.

Cost: one pass over the entries (plus a scan for the ``custom`` declarations and the
appropriation entries), one dictionary lookup per posting; the Income and Expenses postings are
summed only in the fiscal years that an appropriation closes; only the transactions that touch a
reserve are examined further.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import account as account_lib
from beancount.core import convert, data

from jlis_ledger.core import customs as customs_lib
from jlis_ledger.core.accounts import Roots, business_of, root_of, split
from jlis_ledger.core.errors import location, plugin_meta
from jlis_ledger.core.numbers import amount_text as fmt
from jlis_ledger.core.periods import CALENDAR, fiscal_year, fiscal_year_end_of
from jlis_ledger.reserves.declarations import Reserve, read_reserves
from jlis_ledger.reserves.model import (
    APPROPRIATION,
    OPENING,
    PROVISION,
    RELEASE,
    TRANSFER,
    UNMATCHED,
    Analysis,
    Appropriation,
    AppropriationError,
    Config,
    Movement,
    NegativeReserveError,
    ProfitLeg,
    ProvisionReleaseError,
    ReserveDeclarationError,
    ReserveOwnershipError,
    ReserveTransferError,
    parse_config,
)
from jlis_ledger.reserves.plans import PlanCheck
from jlis_ledger.segments.declarations import ordered, read_businesses

PLUGIN = "jlis_ledger.plugins.reserves"
ZERO = Decimal(0)


def analyze(entries: Sequence[data.Directive], options_map: dict[str, Any], config: str | None = None) -> Analysis:
    """One pass over ``entries``: the reserve movements, appropriations, plan comparisons and errors."""
    try:
        cfg = parse_config(config)
    except ValueError as exc:
        analysis = Analysis(Config(), {}, [], [], CALENDAR)
        analysis.errors.append(ReserveDeclarationError(plugin_meta(options_map, PLUGIN), str(exc), None))
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


def _yen(number: Decimal, currency: str) -> str:
    return fmt(number, currency, sign=False)


class _Pass:
    def __init__(self, cfg: Config, options_map: dict[str, Any]) -> None:
        self.cfg = cfg
        self.options_map = options_map
        self.roots = Roots.of(options_map)
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
        customs: list[data.Custom] = []
        appropriations: list[data.Transaction] = []
        tag = self.cfg.appropriation_tag
        for entry in entries:
            if type(entry) is data.Transaction:  # the most entries: one type() call for them
                if entry.tags and tag in entry.tags:
                    appropriations.append(entry)
            elif type(entry) is data.Custom:
                customs.append(entry)
        malformed = customs_lib.malformed(customs)
        customs = customs_lib.complete(customs)
        businesses, _ = read_businesses(customs)  # their errors are the segments plugin's
        reserves, plans, errors = read_reserves(customs, businesses or None, (self.roots.liabilities, self.roots.equity))
        fye = fiscal_year_end_of(customs)
        if isinstance(fye, str):
            fye = (12, 31)  # reported by the segments plugin
        analysis = Analysis(self.cfg, reserves, plans, list(businesses), fye, malformed=malformed)
        analysis.errors.extend(ReserveDeclarationError(*e) for e in errors)
        self.eliminations = {b.label for b in businesses.values() if b.is_elimination}
        self.legs: dict[str, tuple[Reserve, str]] = {}  # provision/release account -> (its reserve, the leg)
        for reserve in reserves.values():
            if reserve.provision:
                self.legs[reserve.provision] = (reserve, "provision")
            if reserve.release:
                self.legs[reserve.release] = (reserve, "release")
        return appropriations, analysis

    def _classify(self, account: str) -> _Info:
        parent, business = split(account)
        root = root_of(account)
        flags = _PL if root in self.roots.income_statement else 0
        node: str | None = parent
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
            if root == self.roots.equity:
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
        for appropriation in appropriations:
            self.net_income.setdefault(self._year(appropriation.date) - 1, {})
        span: tuple[datetime.date, datetime.date] | None = None  # the years that an appropriation closes
        if self.net_income:
            years = [analysis.fiscal_year(y) for y in self.net_income]
            span = (min(fy.start for fy in years), max(fy.end for fy in years))
        appropriation_tag = self.cfg.appropriation_tag
        flags_of = self.flags.get
        classify = self._classify
        interesting = _RESERVE | _LEG
        transaction = data.Transaction
        last: datetime.date | None = None
        sums: dict[tuple[str, str], Decimal] | None = None
        for entry in entries:
            if type(entry) is not transaction:
                continue
            date = entry.date
            if date != last:
                last = date
                sums = self.net_income.get(self._year(date)) if span is not None and span[0] <= date <= span[1] else None
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
                            number, currency = posting.units  # type: ignore[misc]  # booked: a posting always has units
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
        PlanCheck(analysis, self.series, self.opening_dates, self.appropriated).run()
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
        accounts: dict[tuple[str, str, str], Decimal] = {}  # (account, reserve, currency) -> Beancount sum
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
            # _classify sets reserve and leg by the flags: _RESERVE (reserve, None), _LEG (reserve, leg), else (None, None)
            reserve, leg = info.reserve, info.leg
            if reserve is None:  # an Equity posting of an appropriation
                pkey = (info.business, currency)
                profit[pkey] = profit.get(pkey, ZERO) + number
                self.analysis.profit_legs.append(ProfitLeg(entry.date, posting.account, info.business, currency, number, entry))
            elif leg is None:  # a reserve
                if reserve.business is not None and info.business != reserve.business:
                    strangers[posting.account] = reserve
                mkey = (reserve.account, info.business, currency)
                moves[mkey] = moves.get(mkey, ZERO) + number
                akey = (posting.account, reserve.account, currency)
                accounts[akey] = accounts.get(akey, ZERO) + number
            elif not opening:  # a provision or release account
                lkey = (reserve.account, info.business, currency, leg)
                legs[lkey] = legs.get(lkey, ZERO) + number
        for account, stranger in strangers.items():
            self._stranger(entry, account, stranger)
        for (account, reserve_account, currency), number in accounts.items():
            self._move(entry, account, reserve_account, currency, -number)
        if opening:
            for (reserve_account, business, currency), number in moves.items():
                if number:
                    self._record(entry, reserve_account, business, currency, -number, OPENING)
                    if entry.date > self.opening_dates.get(reserve_account, datetime.date.min):
                        self.opening_dates[reserve_account] = entry.date
            return
        self._classify_moves(entry, moves, legs, appropriation)
        if appropriation:
            self._appropriation(entry, moves, profit)

    # -- rule 1 ------------------------------------------------------------------------

    def _stranger(self, entry: data.Transaction, account: str, reserve: Reserve) -> None:
        self.errors.append(ReserveOwnershipError(
            entry.meta,
            f"{account}: reserve (積立金) {reserve.account} belongs to {reserve.business} "
            f'(custom "reserve" at {location(reserve.meta)}), but this transaction posts it in '
            f"{business_of(account)}. A reserve declared with a business is posted only in that business.",
            entry,
        ))

    # -- rule 2 ------------------------------------------------------------------------

    def _move(self, entry: data.Transaction, account: str, reserve: str, currency: str, increase: Decimal) -> None:
        key = (account, currency)
        before = self.balance.get(key, ZERO)
        self.balance[key] = before + increase
        day = self.dirty.get(key)
        self.dirty[key] = (before if day is None else day[0], entry)
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
            p = legs.get((*key, "provision"), ZERO)
            r = legs.get((*key, "release"), ZERO)
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
            fix = (f'{reserve.account} declares no {key}: account (custom "reserve" at {location(reserve.meta)}); '
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
                f"already appropriated by the entry at {location(first.meta)}. A year's net income is appropriated once.",
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

def _units(posting: data.Posting) -> tuple[Decimal | None, str]:
    if posting.cost is None and posting.price is None:
        number, currency = posting.units  # type: ignore[misc]  # booked: a posting always has units
    else:
        number, currency = convert.get_weight(posting)
    return (number if isinstance(number, Decimal) else None), currency


__all__ = ["analyze"]
