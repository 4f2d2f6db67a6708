"""Segment accounting: every business (事業) balances on its own.

Enable it in the ledger's main file, with the 他事業勘定 (inter-business
clearing) account *without* its business component::

    plugin "jlis_ledger.plugins.segments" "{'mode': 'strict', 'clearing': 'Liabilities:1-流動負債:17-他事業勘定', 'internal_tag': 'internal'}"

The businesses are declared in the ledger (``custom "business" LABEL [ROLE]``,
see :mod:`jlis_ledger.declarations`); the last component of every account is
its business.  The rules:

1. Every account that is opened or posted to ends with a declared business
   label.  Otherwise: one error per account, at its ``open`` (or its first use).
2. Per transaction and currency, the postings of each business sum to zero
   (the weight of a posting, i.e. its cost or price conversion if it has one).
   In ``'mode': 'auto'`` the plugin adds one net 他事業勘定 leg per unbalanced
   business, ``CLEARING:BUSINESS``; in ``'mode': 'strict'`` (the default) it
   reports one error per unbalanced transaction, naming each business and its
   imbalance, and the legs that would fix it.
3. In both modes the 他事業勘定 postings of a transaction net to zero over the
   businesses.
4. A transaction tagged with ``internal_tag`` (one business charging another)
   is eliminated in full in the business declared with role
   ``"elimination"`` (相殺等): each of its postings is mirrored, negated, on the
   same item with the elimination business as last component, so that the
   parent accounts show the consolidated figures.  The mirrors are aggregated
   per account (and currency, cost and price) and those that sum to zero are
   dropped: the 他事業勘定 mirrors always cancel out.  A posting typed by hand to
   the elimination business is an error; so is an internal transaction when no
   elimination business is declared (one error).
5. A fund business (role ``"fund"``) has zero net income (its Income and
   Expenses over the fiscal year) and zero net assets (its Assets and
   Liabilities to date, which equal minus its Equity and all its Income and
   Expenses to date when the business balances) at the end of every fiscal year
   in which it has postings.  Fiscal years follow Fava's option
   ``custom "fava-option" "fiscal-year-end" "MM-DD"`` (default ``12-31``).
6. A common pool (a business with role ``"common"``, 共通) is emptied by
   :mod:`jlis_ledger.plugins.allocations`, which must run before this plugin:
   a posting left on a pool account is an error.

What the plugin adds is marked with the metadata ``generated: "segments"``:

- the 他事業勘定 legs, which also carry ``partners: "B2-… 1,500 JPY; B3-… 500 JPY"``:
  the business's net 他事業勘定 position in the transaction split by partner,
  signed like the leg (positive: the partner owes this business), paired as
  :mod:`jlis_ledger.clearing` describes (the who-owes-whom matrix,
  :func:`jlis_ledger.clearing.clearing_positions`, uses the same pairing);
- the 相殺等 mirrors;
- the ``open`` directives (filename ``<segments>``) of the accounts it posts to
  that the ledger does not open, dated on their first use.

Generated postings come after the typed ones: the 他事業勘定 legs in business
declaration order, then the mirrors by account.  They never change a typed
amount; the plugin drops its own earlier output before it runs, so running it
twice gives the same entries as once, and the order of the typed postings does
not change what it generates.  Errors carry the ``filename`` and ``lineno`` of
the offending entry in ``source`` (``bean-check`` prints them as
``file:line: message``); amounts in messages have thousands separators.

A transaction that does not balance as a whole is left to Beancount, which
reports it; one that balances only within Beancount's rounding tolerance
cannot be split exactly and is reported if a business is off by more than
that tolerance.  The padding entries of ``pad`` are created after the plugins
run and are not checked.

Cost: one pass over the entries (plus a scan of the ``custom`` directives);
transactions of one business, and cross-business transactions that already
balance per business, are returned as they are, not copied.
"""

from __future__ import annotations

import ast
import bisect
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import account as account_lib
from beancount.core import convert, data, interpolate
from beancount.core.amount import Amount

from jlis_ledger.books import FiscalYear, fiscal_year, parse_fiscal_year_end
from jlis_ledger.clearing import format_partners, ordered, pair_positions
from jlis_ledger.declarations import Business, read_businesses

__plugins__ = ("segments",)

#: Metadata key and value on every posting and open that the plugin generates.
GENERATED_KEY = "generated"
GENERATED_BY = "segments"
#: Metadata key on a generated 他事業勘定 leg naming its partner businesses and amounts.
PARTNERS_KEY = "partners"

MODES = ("strict", "auto")
ZERO = Decimal(0)


class SegmentsError(NamedTuple):
    source: data.Meta
    message: str
    entry: data.Directive | None


@dataclass(frozen=True)
class Config:
    """The plugin's configuration string, parsed."""

    clearing: str
    mode: str = "strict"
    internal_tag: str = "internal"


def parse_config(text: str | None, roots: Sequence[str] = ("Assets", "Liabilities", "Equity", "Income", "Expenses")) -> Config:
    """Parse the config string; raise ValueError with a message for the user."""
    example = "\"{'mode': 'strict', 'clearing': 'Liabilities:...', 'internal_tag': 'internal'}\""
    if not text:
        raise ValueError(f"the segments plugin needs a configuration, e.g. {example}")
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        raise ValueError(f"the segments plugin configuration is not a Python dict literal: {text!r}; expected {example}")
    if not isinstance(value, dict):
        raise ValueError(f"the segments plugin configuration must be a dict, e.g. {example}")
    unknown = sorted(set(value) - {"mode", "clearing", "internal_tag"}, key=str)
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(map(repr, unknown))} in the segments plugin configuration; known: 'mode', 'clearing', 'internal_tag'")
    mode = value.get("mode", "strict")
    if mode not in MODES:
        raise ValueError(f"segments plugin: 'mode' must be 'strict' or 'auto', not {mode!r}")
    clearing = value.get("clearing")
    if not isinstance(clearing, str) or not account_lib.is_valid(clearing) or clearing.split(":", 1)[0] not in roots:
        raise ValueError(
            f"segments plugin: 'clearing' must be the 他事業勘定 account without its business component, "
            f"e.g. 'Liabilities:Clearing'; got {clearing!r}"
        )
    tag = value.get("internal_tag", "internal")
    if not isinstance(tag, str) or not tag.lstrip("#"):
        raise ValueError(f"segments plugin: 'internal_tag' must be a tag name, e.g. 'internal'; got {tag!r}")
    return Config(clearing=clearing, mode=mode, internal_tag=tag.lstrip("#"))


def segments(
    entries: list[data.Directive], options_map: dict[str, Any], config: str | None = None
) -> tuple[list[data.Directive], list]:
    """The plugin: check (and in auto mode complete) the per-business books; see the module docstring."""
    try:
        cfg = parse_config(config, _roots(options_map))
    except ValueError as exc:
        return entries, [SegmentsError(_plugin_meta(options_map), str(exc), None)]
    return _Segments(cfg, options_map).run(entries)


def is_generated(meta: data.Meta | None) -> bool:
    """True for the metadata of a posting or open that this plugin generated."""
    return meta is not None and meta.get(GENERATED_KEY) == GENERATED_BY


def fiscal_year_end_of(entries: Iterable[data.Directive]) -> tuple[int, int] | str:
    """Fava's ``fiscal-year-end`` option from the ledger: ``(month, day)``, or the bad value as a string."""
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == "fava-option":
            values = [v.value for v in entry.values]
            if len(values) == 2 and values[0] == "fiscal-year-end":
                try:
                    return parse_fiscal_year_end(str(values[1]))
                except ValueError:
                    return str(values[1])
    return (12, 31)


def fmt(number: Decimal, currency: str, sign: bool = True) -> str:
    """An amount as an accountant reads it: ``+1,234,567 JPY``."""
    return f"{number:{'+' if sign else ''},} {currency}"


# -- internals ------------------------------------------------------------------

_CLEARING, _ELIMINATION, _POOL = 1, 2, 3  # _POOL: a common pool (共通), emptied by the allocations plugin
_PL, _NET_ASSETS, _EQUITY = 1, 2, 3


class _Account(NamedTuple):
    business: str
    item: str
    kind: int  # 0, _CLEARING or _ELIMINATION
    section: int  # _PL (Income, Expenses), _NET_ASSETS (Assets, Liabilities), _EQUITY
    fund: bool


class _FundYear:
    __slots__ = ("net_income", "net_assets", "last")

    def __init__(self, entry: data.Transaction) -> None:
        self.net_income = ZERO  # Income + Expenses, Beancount signs
        self.net_assets = ZERO  # change of Assets + Liabilities
        self.last = entry


def _roots(options_map: dict[str, Any]) -> tuple[str, ...]:
    keys = ("name_assets", "name_liabilities", "name_equity", "name_income", "name_expenses")
    defaults = ("Assets", "Liabilities", "Equity", "Income", "Expenses")
    return tuple(options_map.get(k, d) for k, d in zip(keys, defaults))


def _plugin_meta(options_map: dict[str, Any]) -> data.Meta:
    return data.new_metadata(options_map.get("filename") or "<segments>", 0)


def _section(account: str, options_map: dict[str, Any]) -> int:
    root = account.split(":", 1)[0]
    if root in (options_map.get("name_income", "Income"), options_map.get("name_expenses", "Expenses")):
        return _PL
    if root == options_map.get("name_equity", "Equity"):
        return _EQUITY
    return _NET_ASSETS


class _Segments:
    """One run of the plugin over a ledger."""

    def __init__(self, config: Config, options_map: dict[str, Any]) -> None:
        self.cfg = config
        self.options_map = options_map
        self.clearing_prefix = config.clearing + ":"
        self.errors: list = []
        self.accounts: dict[str, _Account | None] = {}
        self.plain: dict[str, str] = {}  # accounts of an ordinary business, not 他事業勘定 -> the business label
        self.first_use: dict[str, datetime.date] = {}  # generated accounts -> first date
        self.funds: dict[tuple[str, str], dict[int, _FundYear]] = {}
        self.fiscal_years: dict[datetime.date, FiscalYear] = {}
        self.missing_elimination_reported = False

    # -- the pass ---------------------------------------------------------------

    def run(self, entries: list[data.Directive]) -> tuple[list[data.Directive], list]:
        customs = [e for e in entries if type(e) is data.Custom]
        businesses, declaration_errors = read_businesses(customs)
        self.errors.extend(declaration_errors)
        if not businesses:
            message = (
                'no business (事業) is declared: the segments plugin needs the ledger to declare its businesses, '
                'e.g. 2000-01-01 custom "business" "B1-GeneralAccount"'
            )
            return entries, self.errors + [SegmentsError(_plugin_meta(self.options_map), message, None)]
        self._declarations(businesses, customs)

        out: list[data.Directive] = []
        append = out.append
        opened: set[str] = set()
        transaction = self._transaction
        for entry in entries:
            kind = type(entry)
            if kind is data.Transaction:
                append(transaction(entry))
            elif kind is data.Open:
                if is_generated(entry.meta):
                    continue
                opened.add(entry.account)
                if entry.account not in self.accounts:
                    self._account(entry.account, entry)
                append(entry)
            else:
                append(entry)
        self._check_funds()
        self._insert_opens(out, opened)
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
        self.fiscal_year_end = fye

    def _account(self, account: str, entry: data.Directive) -> _Account | None:
        """Classify an account once; report it once if it does not end with a declared business."""
        parent, _, business = account.rpartition(":")
        if business not in self.businesses or not parent:
            declared = ", ".join(self.order)
            self.errors.append(SegmentsError(
                entry.meta,
                f"account {account} does not end with a declared business (事業): its last component "
                f'"{business}" is not declared with custom "business" (declared: {declared})',
                entry,
            ))
            self.accounts[account] = None
            return None
        if business == self.elimination:
            kind = _ELIMINATION
        elif business in self.pool_labels:
            kind = _POOL
        elif parent == self.cfg.clearing:
            kind = _CLEARING
        else:
            kind = 0
        fund = business in self.fund_labels
        info = _Account(business, parent, kind, _section(account, self.options_map), fund)
        self.accounts[account] = info
        if not (kind or fund):
            self.plain[account] = self.order[self.order.index(business)]  # one string object per business
        return info

    def _transaction(self, entry: data.Transaction) -> data.Transaction:
        """Fast path 1: a transaction of one business that touches no 他事業勘定 or 相殺等 account is left as is."""
        plain = self.plain
        business = None
        for posting in entry.postings:
            label = plain.get(posting.account)
            if label is None:  # 他事業勘定, 相殺等, a fund, a new or bad account
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
        for posting in entry.postings:
            info = accounts.get(posting.account)
            if info is None or info.kind >= _ELIMINATION:  # a new or bad account, 相殺等, a pool
                return self._full(entry)
            if info.kind or (business is not None and info.business != business):  # 他事業勘定, another business
                return entry if self._balanced_cross(entry) else self._full(entry)
            business = info.business
            if simple:
                if posting.cost is not None or posting.price is not None:
                    simple = False
                    continue
                number, currency = posting.units
                if first is None:
                    first = currency
                elif currency != first:
                    simple = False
                section = info.section
                if section == _PL:
                    net_income += number
                elif section == _NET_ASSETS:
                    net_assets += number
        if entry.tags and self.cfg.internal_tag in entry.tags:
            return self._full(entry)
        if business in self.fund_labels:
            if simple and first is not None:
                self._add_fund_year(entry, (business, first), net_income, net_assets)
            else:
                self._record_funds(entry, [(accounts[p.account], p) for p in entry.postings])
        return entry

    def _balanced_cross(self, entry: data.Transaction) -> bool:
        """Fast path 2: a cross-business transaction already balanced per business (strict-mode ledgers).

        True only in the plain case: one currency, no cost or price, no
        generated, 相殺等 or fund posting, not internal, 他事業勘定 netting to
        zero.  Anything else goes through :meth:`_full`.
        """
        if entry.tags and self.cfg.internal_tag in entry.tags:
            return False
        accounts = self.accounts
        sums: dict[str, Decimal] = {}
        clearing = ZERO
        first = None
        for posting in entry.postings:
            info = accounts.get(posting.account)
            if info is None or info.fund or info.kind >= _ELIMINATION or posting.cost is not None or posting.price is not None:
                return False
            number, currency = posting.units
            if currency != first:
                if first is not None:
                    return False
                first = currency
            business = info.business
            sums[business] = sums.get(business, ZERO) + number
            if info.kind:
                meta = posting.meta
                if meta and meta.get(GENERATED_KEY) == GENERATED_BY:  # its own earlier legs (another plugin's count as typed)
                    return False
                clearing += number
        return not clearing and not any(sums.values())

    def _full(self, entry: data.Transaction) -> data.Transaction:
        """Check one transaction; return it with its generated postings (or as it is)."""
        accounts = self.accounts
        sums: dict[tuple[str, str], Decimal] = {}
        clearing: dict[tuple[str, str], Decimal] | None = None
        funds: list[tuple[_Account, data.Posting]] | None = None
        stripped = False
        ok = True
        for posting in entry.postings:
            info = accounts.get(posting.account, False)
            if info is False:
                info = self._account(posting.account, entry)
            if info is None:
                ok = False
                continue
            business, _, kind, _, fund = info
            if kind == _POOL:
                if ok is not None:  # one error per transaction
                    self._pool_posting(posting, entry)
                ok = None
                continue
            if kind:  # only 他事業勘定 and 相殺等 postings can be generated ones
                meta = posting.meta
                if meta and meta.get(GENERATED_KEY) == GENERATED_BY:
                    stripped = True
                    continue
            if posting.cost is None and posting.price is None:
                number, currency = posting.units
            else:
                number, currency = convert.get_weight(posting)
            if not isinstance(number, Decimal):
                ok = False  # an incomplete posting: Beancount reports it
                continue
            key = (business, currency)
            sums[key] = sums.get(key, ZERO) + number
            if kind:
                if kind == _CLEARING:
                    if clearing is None:
                        clearing = {}
                    clearing[key] = clearing.get(key, ZERO) + number
                else:
                    self._typed_elimination(posting, entry)
            if fund:
                if funds is None:
                    funds = []
                funds.append((info, posting))
        if not ok:
            return entry
        typed = [p for p in entry.postings if not is_generated(p.meta)] if stripped else entry.postings

        legs = self._balance(entry, typed, sums, clearing) if any(sums.values()) else []
        if clearing:
            self._check_clearing(entry, clearing)
        if legs:
            funds = self._fund_legs(legs, funds)
        if funds:
            self._record_funds(entry, funds)
        mirrors = self._mirrors(entry, typed, legs) if entry.tags and self.cfg.internal_tag in entry.tags else []
        if not (legs or mirrors or stripped):
            return entry
        return entry._replace(postings=list(typed) + legs + mirrors)

    # -- rule 2: per-business balance -------------------------------------------

    def _balance(
        self,
        entry: data.Transaction,
        typed: Sequence[data.Posting],
        sums: dict[tuple[str, str], Decimal],
        clearing: dict[tuple[str, str], Decimal] | None,
    ) -> list[data.Posting]:
        unbalanced: dict[str, dict[str, Decimal]] = {}
        for (business, currency), number in sums.items():
            if number:
                unbalanced.setdefault(currency, {})[business] = number
        if not unbalanced:
            return []
        legs: list[data.Posting] = []
        report: list[tuple[str, dict[str, Decimal]]] = []
        for currency in sorted(unbalanced):
            per = unbalanced[currency]
            total = sum(per.values(), ZERO)
            if total:
                self._residual(entry, typed, currency, total, per)
                continue
            if self.cfg.mode == "strict":
                report.append((currency, per))
            else:
                legs.extend(self._legs(entry, currency, per, clearing))
        if report:
            self._report_unbalanced(entry, report)
        return legs

    def _legs(
        self,
        entry: data.Transaction,
        currency: str,
        per: dict[str, Decimal],
        clearing: dict[tuple[str, str], Decimal] | None,
    ) -> list[data.Posting]:
        """One net 他事業勘定 leg per unbalanced business, with its partners."""
        nets = {b: -n for b, n in per.items()}
        if clearing:
            for (business, cur), number in clearing.items():
                if cur == currency:
                    nets[business] = nets.get(business, ZERO) + number
        partners: dict[str, list[tuple[str, Decimal]]] = {}
        for debtor, creditor, amount in pair_positions(nets, self.order):
            partners.setdefault(debtor, []).append((creditor, -amount))
            partners.setdefault(creditor, []).append((debtor, amount))
        legs = []
        filename, lineno = entry.meta.get("filename", "<segments>"), entry.meta.get("lineno", 0)
        for business in ordered(per, self.order):
            meta: data.Meta = {"filename": filename, "lineno": lineno, GENERATED_KEY: GENERATED_BY}
            if business in partners:
                meta[PARTNERS_KEY] = format_partners(partners[business], currency)
            account = self.clearing_prefix + business
            legs.append(data.Posting(account, Amount(-per[business], currency), None, None, None, meta))
            self._generated_info(account)  # classify it for the mirrors and the fund totals
            self._use(account, entry.date)
        return legs

    def _report_unbalanced(self, entry: data.Transaction, report: list[tuple[str, dict[str, Decimal]]]) -> None:
        parts, fixes = [], []
        for currency, per in report:
            for business in ordered(per, self.order):
                parts.append(f"{business} {fmt(per[business], currency)}")
                fixes.append(f"{self.clearing_prefix}{business} {fmt(-per[business], currency, sign=False)}")
        self.errors.append(SegmentsError(
            entry.meta,
            "transaction does not balance per business (事業別の貸借不一致): "
            + ", ".join(parts)
            + " (+ = debits exceed credits). Each business must sum to zero on its own: add the 他事業勘定 legs "
            + "; ".join(fixes)
            + " — or set 'mode': 'auto' in the segments plugin line to have them generated.",
            entry,
        ))

    def _residual(
        self, entry: data.Transaction, typed: Sequence[data.Posting], currency: str, total: Decimal, per: dict[str, Decimal]
    ) -> None:
        """The transaction does not balance exactly: leave it to Beancount unless it passes within tolerance."""
        try:
            tolerance = interpolate.infer_tolerances(typed, self.options_map).get(currency, ZERO)
        except KeyError:
            tolerance = ZERO
        if abs(total) > tolerance or all(abs(n) <= tolerance for n in per.values()):
            return  # Beancount reports the imbalance / a rounding residual only
        parts = ", ".join(f"{b} {fmt(per[b], currency)}" for b in ordered(per, self.order))
        self.errors.append(SegmentsError(
            entry.meta,
            f"transaction balances only within Beancount's rounding tolerance (residual {fmt(total, currency)}), "
            f"so its businesses cannot be balanced exactly: {parts}. Make the amounts exact.",
            entry,
        ))

    # -- rule 3: 他事業勘定 nets to zero ---------------------------------------------

    def _check_clearing(self, entry: data.Transaction, clearing: dict[tuple[str, str], Decimal]) -> None:
        if not sum(clearing.values()) and len({currency for _, currency in clearing}) == 1:
            return
        totals: dict[str, Decimal] = {}
        for (_, currency), number in clearing.items():
            totals[currency] = totals.get(currency, ZERO) + number
        for currency in sorted(totals):
            if not totals[currency]:
                continue
            per = {b: n for (b, c), n in clearing.items() if c == currency}
            parts = ", ".join(f"{b} {fmt(per[b], currency)}" for b in ordered(per, self.order))
            self.errors.append(SegmentsError(
                entry.meta,
                f"他事業勘定 ({self.cfg.clearing}) does not net to zero over the businesses: {parts}, "
                f"total {fmt(totals[currency], currency)}. What one business books to 他事業勘定 another business "
                "must book with the opposite sign in the same transaction.",
                entry,
            ))

    # -- rule 4: elimination (相殺等) ------------------------------------------------

    def _typed_elimination(self, posting: data.Posting, entry: data.Transaction) -> None:
        self.errors.append(SegmentsError(
            entry.meta,
            f"{posting.account} is posted by hand, but {self.elimination} is the elimination business (相殺等): "
            f"only the segments plugin posts there, mirroring the transactions tagged #{self.cfg.internal_tag}. "
            f"Post to the businesses involved and tag the transaction #{self.cfg.internal_tag}.",
            entry,
        ))

    def _pool_posting(self, posting: data.Posting, entry: data.Transaction) -> None:
        self.errors.append(SegmentsError(
            entry.meta,
            f"{posting.account} is left on the common pool (共通) {posting.account.rpartition(':')[2]}: a pool is emptied by "
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
        for postings in (typed, legs):
            for posting in postings:
                info = accounts.get(posting.account)
                if info is None or info.kind == _ELIMINATION:
                    continue  # (a leg's account is classified when it is created)
                number, currency = posting.units
                key = (info.item, currency, posting.cost, posting.price)
                totals[key] = totals.get(key, ZERO) + number
        try:
            keys = sorted(totals)
        except TypeError:  # the same item and currency with and without a cost or price
            keys = sorted(totals, key=lambda k: (k[0], k[1], str(k[2]), str(k[3])))
        mirrors = []
        filename, lineno = entry.meta.get("filename", "<segments>"), entry.meta.get("lineno", 0)
        elimination = ":" + self.elimination
        for key in keys:
            number = totals[key]
            if not number:
                continue
            item, currency, cost, price = key
            account = item + elimination
            meta = {"filename": filename, "lineno": lineno, GENERATED_KEY: GENERATED_BY}
            mirrors.append(data.Posting(account, Amount(-number, currency), cost, price, None, meta))
            self._use(account, entry.date)
        return mirrors

    # -- rule 5: fund businesses ----------------------------------------------------

    def _fund_legs(self, legs: list[data.Posting], funds: list[tuple[_Account, data.Posting]] | None):
        for leg in legs:
            info = self._generated_info(leg.account)
            if info is not None and info.fund:
                funds = funds if funds is not None else []
                funds.append((info, leg))
        return funds

    def _generated_info(self, account: str) -> _Account | None:
        """Classify an account the plugin itself posts to (it may be used nowhere else)."""
        info = self.accounts.get(account, False)
        if info is not False:
            return info
        parent, _, business = account.rpartition(":")
        kind = _ELIMINATION if business == self.elimination else _CLEARING if parent == self.cfg.clearing else 0
        fund = business in self.fund_labels
        info = _Account(business, parent, kind, _section(account, self.options_map), fund)
        self.accounts[account] = info
        return info

    def _fiscal_year(self, date: datetime.date) -> FiscalYear:
        fy = self.fiscal_years.get(date)
        if fy is None:
            fy = fiscal_year(date.year, self.fiscal_year_end)
            if date < fy.start:
                fy = fiscal_year(date.year - 1, self.fiscal_year_end)
            elif date > fy.end:
                fy = fiscal_year(date.year + 1, self.fiscal_year_end)
            self.fiscal_years[date] = fy
        return fy

    def _record_funds(self, entry: data.Transaction, funds: Iterable[tuple[_Account, data.Posting]]) -> None:
        """Add a transaction's postings of fund businesses to their fiscal year's totals."""
        totals: dict[tuple[str, str], list[Decimal]] = {}
        for info, posting in funds:
            if not info.fund:
                continue
            if posting.cost is None and posting.price is None:
                number, currency = posting.units
            else:
                number, currency = convert.get_weight(posting)
            key = (info.business, currency)
            sums = totals.get(key)
            if sums is None:
                sums = totals[key] = [ZERO, ZERO]
            section = info.section
            if section == _PL:
                sums[0] += number
            elif section == _NET_ASSETS:
                sums[1] += number
        for key, (net_income, net_assets) in totals.items():
            self._add_fund_year(entry, key, net_income, net_assets)

    def _add_fund_year(self, entry: data.Transaction, key: tuple[str, str], net_income: Decimal, net_assets: Decimal) -> None:
        year = (self.fiscal_years.get(entry.date) or self._fiscal_year(entry.date)).year
        years = self.funds.get(key)
        if years is None:
            years = self.funds[key] = {}
        record = years.get(year)
        if record is None:
            record = years[year] = _FundYear(entry)
        record.last = entry
        record.net_income += net_income
        record.net_assets += net_assets

    def _check_funds(self) -> None:
        for (business, currency), years in sorted(self.funds.items(), key=lambda kv: (self.order.index(kv[0][0]), kv[0][1])):
            net_assets = ZERO
            for year in sorted(years):
                record = years[year]
                net_assets += record.net_assets
                net_income = -record.net_income
                if not (net_income or net_assets):
                    continue
                fy = fiscal_year(year, self.fiscal_year_end)
                self.errors.append(SegmentsError(
                    record.last.meta,
                    f"fund business (基金事業) {business} does not close to zero at the end of fiscal year {year} "
                    f"({fy.start} – {fy.end}): net income {fmt(net_income, currency)}, net assets "
                    f"{fmt(net_assets, currency)} (assets − liabilities). A fund business must end every fiscal year "
                    "with zero net income and zero net assets; this is its last transaction of that year.",
                    record.last,
                ))

    # -- generated opens ----------------------------------------------------------

    def _use(self, account: str, date: datetime.date) -> None:
        first = self.first_use.get(account)
        if first is None or date < first:
            self.first_use[account] = date

    def _insert_opens(self, out: list[data.Directive], opened: set[str]) -> None:
        """Open the accounts the plugin posts to that the ledger does not open, on their first use."""
        missing = sorted((date, account) for account, date in self.first_use.items() if account not in opened)
        places = []
        for date, account in missing:
            meta = data.new_metadata("<segments>", 0, {GENERATED_KEY: GENERATED_BY})
            places.append((bisect.bisect_left(out, date, key=_date), data.Open(meta, date, account, None, None)))
        for index, entry in reversed(places):
            out.insert(index, entry)


def _date(entry: data.Directive) -> datetime.date:
    return entry.date
