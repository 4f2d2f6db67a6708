"""The segments rule: every business (事業) balances on its own; see :mod:`jlis_ledger.plugins.segments`.

One pass over the entries (plus a scan of the ``custom`` declarations).  Transactions of one
business, and cross-business transactions that already balance per business, are returned as
they are, not copied: two fast paths in front of the full check, pinned to it by a property test
(``fast=False`` runs every transaction through the full check).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from beancount.core import convert, data, interpolate
from beancount.core.amount import Amount

from jlis_ledger.core import customs as customs_lib
from jlis_ledger.core import generated
from jlis_ledger.core.accounts import Roots, business_of, root_of, split
from jlis_ledger.core.config import runs_before
from jlis_ledger.core.errors import plugin_meta
from jlis_ledger.core.numbers import amount_text
from jlis_ledger.core.periods import fiscal_year_end_of
from jlis_ledger.segments.clearing import format_partners, not_netting_messages, pair_positions, unbalanced_message
from jlis_ledger.segments.config import ALLOCATIONS_PLUGIN, PLUGIN, Config, SegmentsError, parse_config
from jlis_ledger.segments.declarations import Business, ordered, read_businesses
from jlis_ledger.segments.funds import EQUITY, NET_ASSETS, PL, AccountInfo, FundYears

ZERO = Decimal(0)
GENERATED, SEGMENTS = generated.KEY, generated.SEGMENTS

#: Kinds of account.
CLEARING, ELIMINATION, POOL = 1, 2, 3  # POOL: a common pool (共通), emptied by the allocations plugin

_UNSEEN = AccountInfo("", "", -1, 0, False)  # accounts.get's default: not classified yet (None: a bad account)

def check(entries: list[data.Directive], options_map: dict[str, Any], config: str | None = None,
          *, fast: bool = True) -> tuple[list[data.Directive], list]:
    """The plugin: check (and in auto mode complete) the per-business books."""
    roots = Roots.of(options_map)
    try:
        cfg = parse_config(config, roots.all())
    except ValueError as exc:
        return entries, [SegmentsError(plugin_meta(options_map, PLUGIN), str(exc), None)]
    return _Segments(cfg, options_map, roots, fast).run(entries)


class _Segments:
    """One run of the rule over a ledger."""

    def __init__(self, config: Config, options_map: dict[str, Any], roots: Roots, fast: bool) -> None:
        self.cfg = config
        self.options_map = options_map
        self.roots = roots
        self.fast = fast
        self.clearing_prefix = config.clearing + ":"
        self.errors: list = []
        self.accounts: dict[str, AccountInfo | None] = {}
        self.plain: dict[str, str] = {}  # accounts of an ordinary business, not 他事業勘定 -> the business label
        # accounts that fast path 2 accepts (an ordinary business's, or its 他事業勘定) -> (business, is 他事業勘定)
        self.cross: dict[str, tuple[str, bool]] = {}
        self.mirror_accounts: dict[str, str] = {}  # item -> its 相殺等 account
        self.first_use: dict[str, datetime.date] = {}  # generated accounts -> first date
        self.missing_elimination_reported = False
        self.hand_typed: set[tuple[int, str]] = set()  # (transaction, account) of 相殺等 postings typed by hand, reported once

    # -- the pass ---------------------------------------------------------------

    def run(self, entries: list[data.Directive]) -> tuple[list[data.Directive], list]:
        customs = [e for e in entries if type(e) is data.Custom]
        if customs_lib.malformed(customs):  # a custom without values: read (and passed on) with values []
            entries, customs = customs_lib.completed(entries), customs_lib.complete(customs)
        businesses, declaration_errors = read_businesses(customs)
        self.errors.extend(SegmentsError(*e) for e in declaration_errors)
        if not businesses:
            message = (
                'no business (事業) is declared: the segments plugin needs the ledger to declare its businesses, '
                'e.g. 2000-01-01 custom "business" "B1-GeneralAccount"'
            )
            return entries, [*self.errors, SegmentsError(plugin_meta(self.options_map, PLUGIN), message, None)]
        self._declarations(businesses, customs)

        out: list[data.Directive] = []
        append = out.append
        opened: set[str] = set()
        transaction = self._transaction if self.fast else self._full
        for entry in entries:
            if type(entry) is data.Transaction:
                append(transaction(entry))
            elif type(entry) is data.Open:
                if generated.is_generated(entry.meta, generated.SEGMENTS):
                    continue
                opened.add(entry.account)
                if entry.account not in self.accounts:
                    self._account(entry.account, entry)
                append(entry)
            else:
                append(entry)
        self.errors.extend(SegmentsError(*e) for e in self.funds.errors())
        generated.insert_opens(out, self.first_use, opened, generated.SEGMENTS)
        return out, self.errors

    def _declarations(self, businesses: dict[str, Business], customs: list[data.Custom]) -> None:
        self.businesses = businesses
        self.order = list(businesses)
        eliminations = [b for b in businesses.values() if b.is_elimination]
        self.elimination = eliminations[0].label if eliminations else None
        for extra in eliminations[1:]:
            self.errors.append(SegmentsError(
                extra.meta,
                f'business {extra.label} is declared with role "elimination", but {self.elimination} already is: '
                "a ledger has one elimination business (相殺等)",
                None,
            ))
        self.fund_labels = {b.label for b in businesses.values() if b.is_fund}
        self.pool_labels = {b.label for b in businesses.values() if b.is_common}
        fye = fiscal_year_end_of(customs)
        if isinstance(fye, str):
            entry = next(e for e in customs if e.type == "fava-option" and len(e.values) == 2 and e.values[1].value == fye)
            self.errors.append(SegmentsError(
                entry.meta, f'fiscal-year-end {fye!r} is not MM-DD (e.g. "15-31" for years ending March 31); using 12-31', entry
            ))
            fye = (12, 31)
        self.funds = FundYears(fye, self.order)

    def _section(self, account: str) -> int:
        root = root_of(account)
        if root in self.roots.income_statement:
            return PL
        if root == self.roots.equity:
            return EQUITY
        return NET_ASSETS

    def _info(self, account: str) -> AccountInfo:
        parent, business = split(account)
        if business == self.elimination:
            kind = ELIMINATION
        elif business in self.pool_labels:
            kind = POOL
        elif parent == self.cfg.clearing:
            kind = CLEARING
        else:
            kind = 0
        return AccountInfo(business, parent, kind, self._section(account), business in self.fund_labels)

    def _account(self, account: str, entry: data.Directive) -> AccountInfo | None:
        """Classify an account once; report it once if it does not end with a declared business."""
        parent, business = split(account)
        if business not in self.businesses or not parent:
            self.errors.append(SegmentsError(
                entry.meta,
                f"account {account} does not end with a declared business (事業): its last component "
                f'"{business}" is not declared with custom "business" (declared: {", ".join(self.order)})',
                entry,
            ))
            self.accounts[account] = None
            return None
        info = self.accounts[account] = self._info(account)
        if not (info.kind or info.fund):
            self.plain[account] = self.order[self.order.index(business)]  # one string object per business
        self._cross(account, info)
        return info

    def _cross(self, account: str, info: AccountInfo) -> None:
        if not info.fund and info.kind in (0, CLEARING):
            self.cross[account] = (info.business, info.kind == CLEARING)

    def _generated_info(self, account: str) -> AccountInfo | None:
        """Classify an account the rule itself posts to (it may be used nowhere else)."""
        info = self.accounts.get(account, _UNSEEN)
        if info is not _UNSEEN:
            return info
        info = self.accounts[account] = self._info(account)
        self._cross(account, info)
        return info

    # -- fast paths ---------------------------------------------------------------

    def _transaction(self, entry: data.Transaction) -> data.Transaction:
        """Fast path 1: a transaction of one ordinary business is returned as it is."""
        plain = self.plain
        business = None
        for posting in entry.postings:
            label = plain.get(posting.account)
            if label is None:  # 他事業勘定, 相殺等, a fund, a new or bad account
                if posting.account in self.cross:  # an ordinary business's 他事業勘定: straight to fast path 2
                    return entry if self._balanced_cross(entry) else self._full(entry)
                return self._transaction_2(entry)
            if label is not business:
                if business is not None:  # a second business
                    return entry if self._balanced_cross(entry) else self._full(entry)
                business = label
        if entry.tags and self.cfg.internal_tag in entry.tags:
            return self._full(entry)
        return entry

    def _transaction_2(self, entry: data.Transaction) -> data.Transaction:
        """After fast path 1: a transaction of one fund business is summed for the fund rule and left as is;
        a cross-business one goes to fast path 2; anything else to the full check."""
        accounts = self.accounts
        business = None
        net_income = net_assets = ZERO
        first = None
        simple = True  # one currency, no cost or price: the sums below are the fund's figures
        number: Decimal
        for posting in entry.postings:
            info = accounts.get(posting.account)
            if info is None or info.kind >= ELIMINATION:  # a new or bad account, 相殺等, a pool
                return self._full(entry)
            if info.kind or (business is not None and info.business != business):  # 他事業勘定, another business
                return entry if self._balanced_cross(entry) else self._full(entry)
            business = info.business
            if simple:
                if posting.cost is not None or posting.price is not None:
                    simple = False
                    continue
                number, currency = posting.units  # type: ignore[misc, assignment]  # booked, no cost or price: a number
                if first is None:
                    first = currency
                elif currency != first:
                    simple = False
                section = info.section
                if section == PL:
                    net_income += number
                elif section == NET_ASSETS:
                    net_assets += number
        if entry.tags and self.cfg.internal_tag in entry.tags:
            return self._full(entry)
        if business in self.fund_labels:
            if simple and first is not None and business is not None:
                self.funds.add(entry, (business, first), net_income, net_assets)
            else:
                self.funds.record(entry, [(info, p) for p in entry.postings if (info := accounts[p.account]) is not None])
        return entry

    def _balanced_cross(self, entry: data.Transaction) -> bool:
        """Fast path 2: a cross-business transaction already balanced per business (strict-mode ledgers).

        True only in the plain case: one currency, no cost or price, no generated, 相殺等 or fund
        posting, not internal, 他事業勘定 netting to zero.  Anything else goes through :meth:`_full`.
        """
        if entry.tags and self.cfg.internal_tag in entry.tags:
            return False
        cross = self.cross
        sums: dict[str, Decimal] = {}
        clearing = ZERO
        first = None
        number: Decimal
        for posting in entry.postings:
            found = cross.get(posting.account)  # None: not classified, a fund, 相殺等 or a pool
            if found is None or posting.cost is not None or posting.price is not None:
                return False
            number, currency = posting.units  # type: ignore[misc, assignment]  # booked, no cost or price: a number
            if currency != first:
                if first is not None:
                    return False
                first = currency
            business, is_clearing = found
            sums[business] = sums.get(business, ZERO) + number
            if is_clearing:
                meta = posting.meta  # (inline: this runs for every 他事業勘定 posting)
                if meta and meta.get(GENERATED) == SEGMENTS:  # its own earlier legs (another plugin's count as typed)
                    return False
                clearing += number
        return not clearing and not any(sums.values())

    # -- the full check -------------------------------------------------------------

    def _full(self, entry: data.Transaction) -> data.Transaction:
        """Check one transaction; return it with its generated postings (or as it is)."""
        accounts = self.accounts
        unseen = _UNSEEN
        sums: dict[tuple[str, str], Decimal] = {}
        clearing: dict[tuple[str, str], Decimal] | None = None
        funds: list[tuple[AccountInfo, data.Posting]] | None = None
        stripped = False
        ok: bool | None = True
        for posting in entry.postings:
            info = accounts.get(posting.account, unseen)
            if info is unseen:
                info = self._account(posting.account, entry)
            if info is None:
                ok = False
                continue
            business, _, kind, _, fund = info
            if kind == POOL:
                if ok is not None:  # one error per transaction
                    self._pool_posting(posting, entry)
                ok = None
                continue
            if kind:  # only 他事業勘定 and 相殺等 postings can be generated ones
                meta = posting.meta
                if meta and meta.get(GENERATED) == SEGMENTS:
                    stripped = True
                    continue
            if posting.cost is None and posting.price is None:
                number, currency = posting.units  # type: ignore[misc]  # booked: a posting always has units
            else:
                number, currency = convert.get_weight(posting)
            if not isinstance(number, Decimal):
                ok = False  # an incomplete posting: Beancount reports it
                continue
            key = (business, currency)
            sums[key] = sums.get(key, ZERO) + number
            if kind == CLEARING:
                if clearing is None:
                    clearing = {}
                clearing[key] = clearing.get(key, ZERO) + number
            elif kind:
                self._typed_elimination(posting, entry)
            if fund:
                if funds is None:
                    funds = []
                funds.append((info, posting))
        if not ok:
            return entry
        typed = [p for p in entry.postings if not generated.is_generated(p.meta, generated.SEGMENTS)] if stripped else entry.postings

        legs = self._balance(entry, typed, sums, clearing) if any(sums.values()) else []
        if clearing:
            self._check_clearing(entry, clearing)
        if legs:
            for leg in legs:
                info = self._generated_info(leg.account)
                if info is not None and info.fund:
                    funds = funds if funds is not None else []
                    funds.append((info, leg))
        if funds:
            self.funds.record(entry, funds)
        mirrors = self._mirrors(entry, typed, legs) if entry.tags and self.cfg.internal_tag in entry.tags else []
        if not (legs or mirrors or stripped):
            return entry
        return entry._replace(postings=list(typed) + legs + mirrors)

    # -- rule 2: per-business balance -------------------------------------------

    def _balance(self, entry: data.Transaction, typed: Sequence[data.Posting], sums: dict[tuple[str, str], Decimal],
                 clearing: dict[tuple[str, str], Decimal] | None) -> list[data.Posting]:
        unbalanced: dict[str, dict[str, Decimal]] = {}
        for (business, currency), number in sums.items():
            if number:
                unbalanced.setdefault(currency, {})[business] = number
        legs: list[data.Posting] = []
        report: list[tuple[str, dict[str, Decimal]]] = []
        for currency in sorted(unbalanced):
            per = unbalanced[currency]
            total = sum(per.values(), ZERO)
            if total:
                self._residual(entry, typed, currency, total, per)
            elif self.cfg.mode == "strict":
                report.append((currency, per))
            else:
                legs.extend(self._legs(entry, currency, per, clearing))
        if report:
            self._report_unbalanced(entry, report)
        return legs

    def _legs(self, entry: data.Transaction, currency: str, per: dict[str, Decimal],
              clearing: dict[tuple[str, str], Decimal] | None) -> list[data.Posting]:
        """One net 他事業勘定 leg per unbalanced business, with its partners."""
        nets = {b: -n for b, n in per.items()}
        for (business, cur), number in (clearing or {}).items():
            if cur == currency:
                nets[business] = nets.get(business, ZERO) + number
        partners: dict[str, list[tuple[str, Decimal]]] = {}
        for debtor, creditor, amount in pair_positions(nets, self.order):
            partners.setdefault(debtor, []).append((creditor, -amount))
            partners.setdefault(creditor, []).append((debtor, amount))
        legs = []
        for business in ordered(per, self.order):
            meta = generated.generated_meta(entry.meta, generated.SEGMENTS)
            if business in partners:
                meta[generated.PARTNERS] = format_partners(partners[business], currency)
            account = self.clearing_prefix + business
            legs.append(data.Posting(account, Amount(-per[business], currency), None, None, None, meta))
            self._generated_info(account)  # classify it for the mirrors and the fund totals
            self._use(account, entry.date)
        return legs

    def _report_unbalanced(self, entry: data.Transaction, report: list[tuple[str, dict[str, Decimal]]]) -> None:
        self.errors.append(SegmentsError(entry.meta, unbalanced_message(report, self.order, self.clearing_prefix), entry))

    def _residual(self, entry: data.Transaction, typed: Sequence[data.Posting], currency: str, total: Decimal,
                  per: dict[str, Decimal]) -> None:
        """The transaction does not balance exactly: leave it to Beancount unless it passes within tolerance."""
        try:
            tolerance = interpolate.infer_tolerances(typed, self.options_map).get(currency, ZERO)
        except KeyError:
            tolerance = ZERO
        if abs(total) > tolerance or all(abs(n) <= tolerance for n in per.values()):
            return  # Beancount reports the imbalance / a rounding residual only
        parts = ", ".join(f"{b} {amount_text(per[b], currency)}" for b in ordered(per, self.order))
        self.errors.append(SegmentsError(
            entry.meta,
            f"transaction balances only within Beancount's rounding tolerance (residual {amount_text(total, currency)}), "
            f"so its businesses cannot be balanced exactly: {parts}. Make the amounts exact.",
            entry,
        ))

    # -- rule 3: 他事業勘定 nets to zero ---------------------------------------------

    def _check_clearing(self, entry: data.Transaction, clearing: dict[tuple[str, str], Decimal]) -> None:
        if not sum(clearing.values()) and len({currency for _, currency in clearing}) == 1:
            return
        self.errors.extend(SegmentsError(entry.meta, message, entry)
                           for message in not_netting_messages(clearing, self.cfg.clearing, self.order))

    # -- rule 4: elimination (相殺等) ------------------------------------------------

    def _typed_elimination(self, posting: data.Posting, entry: data.Transaction) -> None:
        if (id(entry), posting.account) in self.hand_typed:
            return  # the same account posted by hand twice in one transaction is one fault
        self.hand_typed.add((id(entry), posting.account))
        self.errors.append(SegmentsError(
            entry.meta,
            f"{posting.account} is posted by hand, but {self.elimination} is the elimination business (相殺等): "
            f"only the segments plugin posts there, mirroring the transactions tagged #{self.cfg.internal_tag}. "
            f"Post to the businesses involved and tag the transaction #{self.cfg.internal_tag}.",
            entry,
        ))

    def _pool_posting(self, posting: data.Posting, entry: data.Transaction) -> None:
        if runs_before(self.options_map, ALLOCATIONS_PLUGIN, PLUGIN):
            return  # the allocations plugin ran first: it reported why it left this pool posting (one fault, one error)
        self.errors.append(SegmentsError(
            entry.meta,
            f"{posting.account} is left on the common pool (共通) {business_of(posting.account)}: a pool is emptied by "
            'the allocations plugin, which must come before the segments plugin in the ledger (plugin "jlis_ledger.plugins.allocations") '
            "and allocate every pool posting by a declared key",
            entry,
        ))

    def _mirrors(self, entry: data.Transaction, typed: Sequence[data.Posting], legs: list[data.Posting]) -> list[data.Posting]:
        if self.elimination is None:
            if not self.missing_elimination_reported:
                self.missing_elimination_reported = True
                self.errors.append(SegmentsError(
                    entry.meta,
                    f'transaction tagged #{self.cfg.internal_tag} cannot be eliminated (相殺等): no business is declared '
                    'with role "elimination"; declare one, e.g. 2000-01-01 custom "business" "E-Eliminations" "elimination" '
                    f"(reported once for all #{self.cfg.internal_tag} transactions)",
                    entry,
                ))
            return []
        accounts = self.accounts
        totals: dict[tuple[str, str, Any, Any], Decimal] = {}
        number: Decimal
        for postings in (typed, legs):
            for posting in postings:
                info = accounts.get(posting.account)
                if info is None or info.kind == ELIMINATION:
                    continue  # (a leg's account is classified when it is created)
                number, currency = posting.units  # type: ignore[misc, assignment]  # _full checked every number
                key = (info.item, currency, posting.cost, posting.price)
                totals[key] = totals.get(key, ZERO) + number
        try:
            keys = sorted(totals)
        except TypeError:  # the same item and currency with and without a cost or price
            keys = sorted(totals, key=lambda k: (k[0], k[1], str(k[2]), str(k[3])))
        mirrors = []
        elimination = ":" + self.elimination
        meta = generated.generated_meta(entry.meta, generated.SEGMENTS)  # one dict for the mirrors of a transaction
        names = self.mirror_accounts
        for key in keys:
            number = totals[key]
            if not number:
                continue
            item, currency, cost, price = key
            account = names.get(item) or names.setdefault(item, item + elimination)  # one string per account
            mirrors.append(data.Posting(account, Amount(-number, currency), cost, price, None, meta))
            self._use(account, entry.date)
        return mirrors

    # -- generated opens ----------------------------------------------------------

    def _use(self, account: str, date: datetime.date) -> None:
        first = self.first_use.get(account)
        if first is None or date < first:
            self.first_use[account] = date


__all__ = ["CLEARING", "ELIMINATION", "EQUITY", "POOL", "Config", "SegmentsError", "check", "parse_config"]
