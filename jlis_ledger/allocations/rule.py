"""The allocations rule (配賦): every pool posting replaced by its shares; see :mod:`jlis_ledger.plugins.allocations`.

Cost: one pass; a transaction without pool postings costs one dictionary lookup per posting and
is returned as it is; the key in force is found by bisection over the key's dates.  A pool
transaction of the plain shape (one currency, no cost or price, nothing generated, every key in
force) takes a fast path that builds the same postings with the share accounts of each item and
key computed once (and shared with the ledger's own account strings); anything else, and every
error, goes through the full rule.  ``fast=False`` runs every pool transaction through the full
rule: a property test pins the fast path to it.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import account as account_lib
from beancount.core import convert, data
from beancount.core.amount import Amount

from jlis_ledger.allocations.declarations import AllocationRule, KeyVersion, read_allocations
from jlis_ledger.allocations.split import largest_remainder
from jlis_ledger.core import config as config_lib
from jlis_ledger.core import customs as customs_lib
from jlis_ledger.core import generated
from jlis_ledger.core.accounts import item_of, split
from jlis_ledger.core.errors import LedgerError, location, plugin_meta
from jlis_ledger.segments.declarations import Business, read_businesses

PLUGIN = "jlis_ledger.plugins.allocations"
SEGMENTS_PLUGIN = "jlis_ledger.plugins.segments"
EXAMPLE = "\"{'clearing': 'Liabilities:Clearing'}\""

GENERATED_KEY = generated.KEY
GENERATED_BY = generated.ALLOCATIONS
KEY_META = "allocation-key"
KEY_DATE_META = "allocation-key-date"
FROM_META = "allocated-from"
#: on the shares of a pool posting that was itself generated (e.g. an importer's 他事業勘定 leg): its marker
ORIGIN_META = "allocated-generated"
ZERO = Decimal(0)



def _share_meta(entry: data.Transaction, posting: data.Posting, key: Any) -> dict:
    """The metadata of the shares of one pool posting: its own, marked generated, with the key, the date of its
    weights and the pool account (a marker generated upstream, an importer's, kept as ``allocated-generated``)."""
    meta = dict(posting.meta or {})
    if GENERATED_KEY in meta:  # the marker is ours now
        meta[ORIGIN_META] = meta[GENERATED_KEY]
    meta.setdefault("filename", entry.meta.get("filename", "<allocations>"))
    meta.setdefault("lineno", entry.meta.get("lineno", 0))
    meta[GENERATED_KEY] = GENERATED_BY
    meta[KEY_META] = key.version.name
    meta[KEY_DATE_META] = key.version.date
    meta[FROM_META] = posting.account
    return meta

class AllocationsError(LedgerError):
    """An error of the allocations rule."""

    __slots__ = ()


class _Key(NamedTuple):
    """A key version ready to split: business labels and integer weights."""

    version: KeyVersion
    labels: tuple[str, ...]
    weights: tuple[int, ...]


def _prepared(version: KeyVersion) -> _Key:
    # a finite weight's exponent is an int (a NaN or infinite weight fails in int() below)
    exponent = min(0, *(e for _, w in version.weights if isinstance(e := w.as_tuple().exponent, int)))
    weights = tuple(int(w.scaleb(-exponent)) for _, w in version.weights)
    return _Key(version, tuple(label for label, _ in version.weights), weights)


def clearing_of(options_map: dict[str, Any], config: str | None) -> str | None:
    """The 他事業勘定 account: this plugin's ``clearing``, else the segments plugin's; None if neither."""
    for text in (config, config_lib.plugin_config(options_map, SEGMENTS_PLUGIN)):
        value = config_lib.literal_dict(text).get("clearing")
        if isinstance(value, str):
            return value
    return None


def allocate(entries: list[data.Directive], options_map: dict[str, Any], config: str | None = None,
             *, fast: bool = True) -> tuple[list[data.Directive], list]:
    """The plugin: replace every pool posting by its shares; see :mod:`jlis_ledger.plugins.allocations`.

    ``fast=False`` sends every pool transaction through the full rule (the fast path is pinned to it)."""
    try:
        config_lib.parse(config, "allocations", ("clearing",), EXAMPLE)
    except config_lib.ConfigError as exc:
        return entries, [AllocationsError(plugin_meta(options_map, PLUGIN), str(exc), None)]
    customs = [e for e in entries if type(e) is data.Custom]
    if customs_lib.malformed(customs):  # a custom without values: read (and passed on) with values []
        entries, customs = customs_lib.completed(entries), customs_lib.complete(customs)
    businesses, _ = read_businesses(customs)  # their errors are the segments plugin's to report
    pools = frozenset(b.label for b in businesses.values() if b.is_common)
    keys, rules, declaration_errors = read_allocations(customs, businesses)
    errors: list[AllocationsError] = [AllocationsError(e.source, e.message, e.entry) for e in declaration_errors]
    if not pools:
        return entries, errors
    clearing = clearing_of(options_map, config)
    if clearing is None or not account_lib.is_valid(clearing):
        if config_lib.literal_dict(config).get("clearing") is None and config_lib.has_plugin(options_map, SEGMENTS_PLUGIN):
            return entries, errors  # the segments plugin's 'clearing' is missing or malformed: its own error says so
        meta = plugin_meta(options_map, PLUGIN)
        message = ("the allocations plugin needs the 他事業勘定 (clearing) account: give it in its configuration, "
                   "\"{'clearing': 'Liabilities:Clearing'}\", or list the segments plugin (with 'clearing') in the ledger")
        return entries, [*errors, AllocationsError(meta, message, None)]
    # a rejected version of a key must not let the previous weights run on through its period
    valid = {(v.name, v.date) for versions in keys.values() for v in versions}
    rejected = [e for e in customs if e.type == "allocation-key" and e.values and isinstance(e.values[0].value, str)
                and (e.values[0].value, e.date) not in valid]
    return _Allocations(pools, businesses, keys, rules, clearing, errors, rejected, fast).run(entries)


# NamedTuple construction without the argument checks of Amount.__new__ (the values are built here, well typed)
_new = tuple.__new__


Posting = data.Posting

#: The default of ``pool_accounts.get``: an account not classified yet (never stored; None is not a pool account).
_UNSEEN: tuple[str, str] = ("<unseen>", "<unseen>")


def is_generated(meta: data.Meta | None) -> bool:
    """True for what this rule generated (inline test: it runs for every posting of a pool transaction)."""
    return meta is not None and meta.get(GENERATED_KEY) == GENERATED_BY


def _none(entry: data.Transaction) -> None:
    """The fast path when it is off: every pool transaction goes to the full rule."""


class _Allocations:
    def __init__(self, pools: frozenset[str], businesses: dict[str, Business], keys: dict[str, list[KeyVersion]],
                 rules: list[AllocationRule], clearing: str, errors: list[AllocationsError],
                 rejected: Sequence[data.Custom] = (), fast: bool = True) -> None:
        self.pools = pools
        self.fast = fast
        self.order = {label: i for i, label in enumerate(businesses)}
        self.labels = list(businesses)
        timelines: dict[str, list[tuple[datetime.date, int, _Key | data.Custom]]] = {}
        for name, versions in keys.items():
            timelines[name] = [(v.date, 0, _prepared(v)) for v in versions]
        for entry in rejected:
            if entry.values[0].value in timelines:
                timelines[entry.values[0].value].append((entry.date, 1, entry))
        self.keys: dict[str, tuple[list[datetime.date], list[_Key | data.Custom]]] = {}
        for name, timeline in timelines.items():
            timeline.sort(key=lambda t: (t[0], t[1]))
            self.keys[name] = ([t[0] for t in timeline], [t[2] for t in timeline])
        self.rules = {rule.item: rule.key for rule in rules}
        self.item_keys: dict[str, str | None] = {}
        self.clearing_prefix = clearing + ":"
        self.errors = errors
        self.pool_accounts: dict[str, tuple[str, str] | None] = {}
        self.first_use: dict[str, datetime.date] = {}
        self.names: dict[str, str] = {}  # the ledger's own account strings (of its opens), to share
        self.plans: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, str], ...]] = {}  # (item, key labels) -> (business, account)
        self.leg_accounts: dict[str, str] = {}  # business -> its 他事業勘定 account

    def run(self, entries: list[data.Directive]) -> tuple[list[data.Directive], list]:
        out: list[data.Directive] = []
        append = out.append
        opened: set[str] = set()
        accounts = self.pool_accounts
        classify = self._classify
        unseen = _UNSEEN
        plain, full = (self._allocate_plain, self._allocate) if self.fast else (_none, self._allocate)
        names = self.names
        for entry in entries:
            if type(entry) is data.Transaction:
                for posting in entry.postings:
                    info = accounts.get(posting.account, unseen)
                    if info is unseen:
                        info = classify(posting.account)
                    if info is not None:
                        append(plain(entry) or full(entry))
                        break
                else:
                    append(entry)
            elif type(entry) is data.Open:
                if is_generated(entry.meta):
                    continue
                opened.add(entry.account)
                names[entry.account] = entry.account
                append(entry)
            else:
                append(entry)
        generated.insert_opens(out, self.first_use, opened, generated.ALLOCATIONS)
        return out, self.errors

    def _classify(self, account: str) -> tuple[str, str] | None:
        item, leaf = split(account)
        info = (item, leaf) if leaf in self.pools and item else None
        self.pool_accounts[account] = info
        return info

    def _rule_key(self, item: str) -> str | None:
        if item in self.item_keys:
            return self.item_keys[item]
        key = None
        prefix = item
        while prefix:
            key = self.rules.get(prefix)
            if key is not None:
                break
            prefix = item_of(prefix)
        self.item_keys[item] = key
        return key

    def _key_in_force(self, entry: data.Transaction, posting: data.Posting, item: str) -> _Key | None:
        key = self._lookup_key(entry, posting, item)
        if isinstance(key, str):
            self._error(entry, key)
            return None
        return key

    def _lookup_key(self, entry: data.Transaction, posting: data.Posting, item: str) -> _Key | str:
        """The key in force for a pool posting, or the message of the error that leaves it unallocated."""
        name = (posting.meta or {}).get(KEY_META) or (entry.meta or {}).get(KEY_META) or self._rule_key(item)
        if name is None:
            return (f"{posting.account} is a pool (共通) account but no allocation rule covers {item} and the "
                    f'posting has no allocation-key: metadata; declare one, e.g. custom "allocation-rule" {item} "KEY"')
        found = self.keys.get(name)
        if found is None:
            return f'{posting.account}: allocation key "{name}" is not declared (or all its declarations are in error)'
        dates, versions = found
        index = bisect.bisect_right(dates, entry.date) - 1
        if index < 0:
            return (f'{posting.account}: allocation key "{name}" is not in force on {entry.date} '
                    f"(its first weights are dated {dates[0]})")
        version = versions[index]
        if isinstance(version, data.Custom):  # a declaration in error
            where = location(version.meta)
            return (f'{posting.account}: the weights of allocation key "{name}" in force on {entry.date} '
                    f"(declared at {where}) are in error, so nothing is allocated")
        return version

    # -- the fast path: a plain pool transaction --------------------------------------------

    def _allocate_plain(self, entry: data.Transaction) -> data.Transaction | None:
        """What :meth:`_allocate` returns for a transaction of the plain shape; None for any other.

        Plain: every posting in one currency, with a number, no cost or price, no ``generated:`` mark,
        and every pool posting with a key in force (so no error).  Then the sums per business are one
        dictionary, the share accounts of each item and key are built once (:meth:`_plan`) and the
        legs are those of the one currency, in business declaration order.
        """
        accounts = self.pool_accounts
        order = self.order
        first_use = self.first_use
        unseen = _UNSEEN
        postings: list[data.Posting] = []
        append = postings.append
        nets: dict[str, Decimal] = {}
        new_accounts: list[str] = []  # first used here: recorded once the transaction is known to be plain
        currency = None
        for posting in entry.postings:
            units = posting.units
            meta = posting.meta
            if (posting.cost is not None or posting.price is not None or type(units) is not Amount
                    or (meta and GENERATED_KEY in meta)):
                return None
            number, unit = units
            if unit != currency:
                if currency is not None:
                    return None
                currency = unit
            if type(number) is not Decimal:
                return None
            info = accounts.get(posting.account, unseen)
            if info is unseen:
                info = self._classify(posting.account)
            if info is None:
                append(posting)
                business = posting.account.rpartition(":")[2]  # business_of, inline: per posting
                if business in order:
                    nets[business] = nets.get(business, ZERO) + number
                continue
            item = info[0]
            key = self._lookup_key(entry, posting, item)
            if isinstance(key, str):
                return None  # the full rule reports it
            share_meta = _share_meta(entry, posting, key)
            flag = posting.flag
            for (business, account), share in zip(self._plan(item, key), largest_remainder(number, key.weights), strict=False):
                if not share:
                    continue
                append(_new(Posting, (account, _new(Amount, (share, currency)), None, None, flag, share_meta)))
                nets[business] = nets.get(business, ZERO) + share
                if account not in first_use:
                    new_accounts.append(account)
        if nets and not sum(nets.values(), ZERO):  # a transaction that does not balance is Beancount's to report
            meta = generated.generated_meta(entry.meta, generated.ALLOCATIONS)  # shared by the legs of the transaction
            leg_accounts = self.leg_accounts
            for business in self.labels:
                net = nets.get(business)
                if not net:
                    continue
                account = leg_accounts.get(business) or self._leg_account(business)
                append(_new(Posting, (account, _new(Amount, (-net, currency)), None, None, None, meta)))
                if account not in first_use:
                    new_accounts.append(account)
        for account in new_accounts:
            first_use.setdefault(account, entry.date)  # entries come in date order
        return _new(data.Transaction, (*entry[:7], postings))

    def _plan(self, item: str, key: _Key) -> tuple[tuple[str, str], ...]:
        """(business, account) of each share of a pool posting on ``item`` split by ``key``, built once."""
        plan = self.plans.get((item, key.labels))
        if plan is None:
            names = self.names
            plan = self.plans[(item, key.labels)] = tuple(
                (business, names.get(account, account)) for business in key.labels for account in (item + ":" + business,))
        return plan

    def _leg_account(self, business: str) -> str:
        account = self.clearing_prefix + business
        account = self.leg_accounts[business] = self.names.get(account, account)
        return account

    def _allocate(self, entry: data.Transaction) -> data.Transaction:
        accounts = self.pool_accounts
        postings: list[data.Posting] = []
        sums: dict[tuple[str, str], Decimal] = {}
        order = self.order
        unseen = _UNSEEN
        pooled: Decimal
        currency: str
        for posting in entry.postings:
            info = accounts.get(posting.account, unseen)
            if info is unseen:
                info = self._classify(posting.account)
            if info is None:
                postings.append(posting)
                if is_generated(posting.meta):
                    continue
                business = posting.account.rpartition(":")[2]  # business_of, inline: per posting
                if business not in order:
                    continue
                number, currency = posting.units if posting.cost is None and posting.price is None else convert.get_weight(posting)  # type: ignore[misc]  # booked: a posting always has units
                if isinstance(number, Decimal):
                    sums[(business, currency)] = sums.get((business, currency), ZERO) + number
                continue
            item, _pool = info
            if posting.cost is not None or posting.price is not None:
                self._error(entry, f"{posting.account}: a pool posting with a cost or price cannot be allocated; "
                                   "post the cost basis to the pool without a cost")
                return entry
            key = self._key_in_force(entry, posting, item)
            if key is None:
                return entry
            pooled, currency = posting.units  # type: ignore[misc, assignment]  # booked, no cost or price: a number
            # one metadata dict for the shares of one pool posting (directives are not mutated in place)
            meta = _share_meta(entry, posting, key)
            first_use = self.first_use
            flag = posting.flag
            for business, share in zip(key.labels, largest_remainder(pooled, key.weights), strict=False):
                if not share:
                    continue
                account = item + ":" + business
                postings.append(_new(Posting, (account, _new(Amount, (share, currency)), None, None, flag, meta)))
                k = (business, currency)
                sums[k] = sums.get(k, ZERO) + share
                if account not in first_use:  # entries come in date order
                    first_use[account] = entry.date
        postings.extend(self._legs(entry, sums))
        return entry._replace(postings=postings)

    def _legs(self, entry: data.Transaction, sums: dict[tuple[str, str], Decimal]) -> list[data.Posting]:
        """One 他事業勘定 leg per unbalanced business and currency, currencies sorted, businesses in declaration order."""
        totals: dict[str, Decimal] = {}
        for (_, currency), number in sums.items():
            totals[currency] = totals.get(currency, ZERO) + number
        legs = []
        meta = generated.generated_meta(entry.meta, generated.ALLOCATIONS)  # shared by the legs of the transaction
        first_use = self.first_use
        prefix = self.clearing_prefix
        for currency in sorted(totals):
            if totals[currency]:  # a transaction that does not balance is Beancount's to report
                continue
            for business in self.labels:
                net = sums.get((business, currency))
                if not net:
                    continue
                account = prefix + business
                legs.append(_new(Posting, (account, _new(Amount, (-net, currency)), None, None, None, meta)))
                if account not in first_use:
                    first_use[account] = entry.date
        return legs

    def _error(self, entry: data.Directive, message: str) -> None:
        self.errors.append(AllocationsError(entry.meta, message, entry))

__all__ = ["FROM_META", "KEY_DATE_META", "KEY_META", "ORIGIN_META", "AllocationsError", "allocate", "clearing_of", "is_generated", "largest_remainder"]
