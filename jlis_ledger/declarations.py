"""What a ledger declares about its segments: businesses (事業) and their roles.

A ledger that follows the jlis-ledger contract names its businesses with
``custom "business"`` directives; nothing about a particular body (J-LIS or
another) lives in code::

    2014-04-01 custom "business" "B1-一般事業"
    2014-04-01 custom "business" "B5-中間サーバー共同化集約化等事業"
      name: "中間サーバー共同化・集約化等事業"
    2021-04-01 custom "business" "B8-デジタル基盤改革支援基金事業" "fund"
    2014-04-01 custom "business" "E-相殺等" "elimination"

The label is the last component of every account of that business.  The
optional role is ``"fund"`` (a fund business: zero net income and net assets
at every fiscal year end), ``"elimination"`` (the 相殺等 column, posted only
by the segments plugin) or ``"common"`` (a common pool, 共通, split by the
allocations plugin).  ``name:`` gives the published name where the label had
to drop characters that Beancount does not allow in account names.

Businesses keep the order of their declarations (by date, then by position in
the file), which is the published column order; the elimination and common
columns come after the businesses.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Iterable, NamedTuple

from beancount.core import account as account_lib
from beancount.core import data
from beancount.core.amount import Amount

ROLES = ("fund", "elimination", "common")
_CODE = re.compile(r"^[A-Z0-9]+-")


class Business(NamedTuple):
    """A declared business (事業): one column of the segment statements."""

    label: str  # the last account component, e.g. "B1-一般事業"
    name: str  # the published name, e.g. "一般事業"
    role: str | None  # None, "fund", "elimination" or "common"
    date: datetime.date  # the declaration's date
    meta: data.Meta

    @property
    def is_elimination(self) -> bool:
        return self.role == "elimination"

    @property
    def is_fund(self) -> bool:
        return self.role == "fund"

    @property
    def is_common(self) -> bool:
        return self.role == "common"


class DeclarationError(NamedTuple):
    source: data.Meta
    message: str
    entry: data.Directive | None


def _values(entry: data.Custom) -> list:
    return [v.value for v in entry.values]


def read_businesses(entries: Iterable[data.Directive]) -> tuple[dict[str, Business], list[DeclarationError]]:
    """The declared businesses by label, in column order, and the declaration errors."""
    found: list[tuple[int, Business]] = []
    errors: list[DeclarationError] = []
    seen: dict[str, data.Custom] = {}
    for entry in entries:
        if not (isinstance(entry, data.Custom) and entry.type == "business"):
            continue
        values = _values(entry)
        if not values or not isinstance(values[0], str) or len(values) > 2:
            errors.append(DeclarationError(entry.meta, 'custom "business" takes a label and an optional role', entry))
            continue
        label = values[0]
        role = values[1] if len(values) == 2 else None
        if ":" in label or not account_lib.is_valid(f"Assets:{label}"):
            errors.append(DeclarationError(entry.meta, f"business label {label!r} is not a valid account component", entry))
            continue
        if role is not None and role not in ROLES:
            errors.append(DeclarationError(entry.meta, f"business {label}: unknown role {role!r} (one of {', '.join(ROLES)})", entry))
            continue
        if label in seen:
            errors.append(DeclarationError(entry.meta, f"business {label} is declared twice", entry))
            continue
        seen[label] = entry
        name = entry.meta.get("name") or _CODE.sub("", label)
        rank = 1 if role in ("elimination", "common") else 0
        found.append((rank, Business(label, name, role, entry.date, entry.meta)))
    # stable: declarations come sorted by date and line already
    found.sort(key=lambda pair: pair[0])
    return {b.label: b for _, b in found}, errors


def business_of(account: str) -> str:
    """The business component of an account: its last component."""
    return account_lib.leaf(account)


def item_of(account: str) -> str:
    """The account without its business component (the published line, or a detail of it)."""
    return account_lib.parent(account)


# -- reserves (積立金) and their plans ----------------------------------------------------
#
#     2016-04-01 custom "reserve" Liabilities:2-固定負債:24-住基ネット再構築平準化等積立金 "B2-本人確認情報処理事業"
#       provision: Expenses:3-特別損失:302-住基ネット再構築平準化等積立金繰入額
#       release: Income:1-営業収益:112-住基ネット再構築平準化等積立金取崩収入
#     2014-04-01 custom "reserve" Equity:2-利益剰余金:21-積立金
#       general: TRUE
#     2023-03-31 custom "reserve-plan" Liabilities:2-固定負債:24-住基ネット再構築平準化等積立金 2023-04-01 2028-03-31 1,250,000,000 JPY 12,060,000,000 JPY
#       precision: 10,000,000
#
# The rules that use them are in jlis_ledger.plugins.reserves.

#: The roots a reserve may live under: a liability reserve (負債性積立金) or an equity reserve (利益剰余金).
RESERVE_ROOTS = ("Liabilities", "Equity")


class Reserve(NamedTuple):
    """A declared reserve (積立金): ``custom "reserve" ACCOUNT [BUSINESS]``."""

    account: str  # without the business component, e.g. "Equity:2-利益剰余金:23-システム開発積立金"
    business: str | None  # the only business it may be posted in, or None (any business)
    provision: str | None  # ``provision:`` the 繰入 account (without business), debited by a provision
    release: str | None  # ``release:`` the 取崩 account (without business), credited by a release
    general: bool  # ``general: TRUE``: the general reserve (積立金) that keeps the profit not assigned elsewhere
    equity: bool  # under the Equity root (a transfer among equity reserves is allowed), else a liability reserve
    date: datetime.date
    meta: data.Meta


class ReservePlan(NamedTuple):
    """A plan or a published record of a reserve's provisions (積立) and releases (取崩) over a period:
    ``custom "reserve-plan" ACCOUNT FROM TO PROVISION RELEASE`` (FROM and TO inclusive)."""

    account: str  # the reserve, without business
    start: datetime.date
    end: datetime.date  # inclusive
    provision: Decimal  # 積立 (provisions, transfers in) over the period
    release: Decimal  # 取崩 (releases, transfers out) over the period, positive
    currency: str
    precision: Decimal  # ``precision:`` the rounding unit of the published figures (yen); 1 = exact
    explanation: str | None  # ``explanation:`` why a deviation is accepted (then it is reported, not an error)
    date: datetime.date  # when it was declared (published)
    meta: data.Meta

    @property
    def is_record(self) -> bool:
        """True when the period had ended when it was declared: a record of what was done (実績), not a plan (計画)."""
        return self.end <= self.date

    @property
    def tolerance(self) -> Decimal:
        """How far a booked total may be from a planned figure: half the rounding unit."""
        return self.precision / 2


def _root(account: str) -> str:
    return account.split(":", 1)[0]


def read_reserves(
    entries: Iterable[data.Directive],
    businesses: Iterable[str] | None = None,
    roots: tuple[str, str] = RESERVE_ROOTS,
) -> tuple[dict[str, Reserve], list[ReservePlan], list[DeclarationError]]:
    """The declared reserves by account (declaration order), their plans, and the declaration errors.

    ``businesses``: the declared business labels, to check a reserve's BUSINESS and that
    ACCOUNT is given without one; ``roots``: the names of the Liabilities and Equity roots.
    """
    labels = set(businesses) if businesses is not None else None
    reserves: dict[str, Reserve] = {}
    plans: list[ReservePlan] = []
    errors: list[DeclarationError] = []
    legs: dict[str, str] = {}  # provision / release account -> its reserve
    pending_plans: list[data.Custom] = []
    for entry in entries:
        if not isinstance(entry, data.Custom):
            continue
        if entry.type == "reserve-plan":
            pending_plans.append(entry)
        if entry.type != "reserve":
            continue
        values = entry.values
        if not values or len(values) > 2 or values[0].dtype != account_lib.TYPE or (len(values) == 2 and not isinstance(values[1].value, str)):
            errors.append(DeclarationError(entry.meta, 'custom "reserve" takes an account (without its business) and an optional business label, e.g. custom "reserve" Liabilities:Reserves:Renewal "B2-Registry"', entry))
            continue
        account = values[0].value
        business = values[1].value if len(values) == 2 else None
        if _root(account) not in roots:
            errors.append(DeclarationError(entry.meta, f"reserve {account}: a reserve is a liability ({roots[0]}:…) or an equity reserve ({roots[1]}:…)", entry))
            continue
        if labels is not None and account_lib.leaf(account) in labels:
            errors.append(DeclarationError(entry.meta, f"reserve {account}: give the account without its business component ({account_lib.parent(account)})", entry))
            continue
        if business is not None and labels is not None and business not in labels:
            errors.append(DeclarationError(entry.meta, f'reserve {account}: business "{business}" is not declared with custom "business"', entry))
            continue
        if account in reserves:
            first = reserves[account].meta
            errors.append(DeclarationError(entry.meta, f"reserve {account} is declared twice (first at {first.get('filename')}:{first.get('lineno')})", entry))
            continue
        accounts = {}
        bad = False
        for key in ("provision", "release"):
            value = entry.meta.get(key)
            if value is None:
                accounts[key] = None
                continue
            if not isinstance(value, str) or not account_lib.is_valid(value) or (labels is not None and account_lib.leaf(value) in labels):
                errors.append(DeclarationError(entry.meta, f"reserve {account}: {key}: must be an account without its business component, e.g. {key}: Expenses:Reserves:Provision; got {value!r}", entry))
                bad = True
                break
            if value in legs or value in reserves or value == account:
                other = legs.get(value, value)
                errors.append(DeclarationError(entry.meta, f"reserve {account}: {key} account {value} is already used by reserve {other}; each reserve has its own provision and release accounts", entry))
                bad = True
                break
            accounts[key] = value
        if bad:
            continue
        for value in accounts.values():
            if value is not None:
                legs[value] = account
        general = entry.meta.get("general") is True
        if general and _root(account) != roots[1]:
            errors.append(DeclarationError(entry.meta, f"reserve {account}: only an equity reserve can be the general reserve (general: TRUE)", entry))
            general = False
        if general and any(r.general for r in reserves.values()):
            other = next(r.account for r in reserves.values() if r.general)
            errors.append(DeclarationError(entry.meta, f"reserve {account}: {other} is already the general reserve (general: TRUE); a ledger has one", entry))
            general = False
        reserves[account] = Reserve(account, business, accounts["provision"], accounts["release"], general,
                                    _root(account) == roots[1], entry.date, entry.meta)
    for entry in pending_plans:
        plan = _read_plan(entry, reserves, errors)
        if plan is not None:
            for other in plans:
                if other.account == plan.account and other.start <= plan.end and plan.start <= other.end:
                    where = f"{other.meta.get('filename')}:{other.meta.get('lineno')}"
                    errors.append(DeclarationError(entry.meta, f"reserve plan for {plan.account} {plan.start} – {plan.end} overlaps the plan {other.start} – {other.end} at {where}: the plans of a reserve cover separate periods", entry))
                    break
            else:
                plans.append(plan)
    return reserves, plans, errors


_PLAN_USAGE = ('custom "reserve-plan" takes ACCOUNT FROM TO PROVISION RELEASE, e.g. custom "reserve-plan" '
               "Liabilities:Reserves:Renewal 2023-04-01 2028-03-31 1250000000 JPY 0 JPY")


def _read_plan(entry: data.Custom, reserves: dict[str, Reserve], errors: list[DeclarationError]) -> ReservePlan | None:
    values = entry.values
    kinds = (account_lib.TYPE, datetime.date, datetime.date, Amount, Amount)
    if len(values) != 5 or any(not (v.dtype == k if isinstance(k, str) else isinstance(v.value, k)) for v, k in zip(values, kinds)):
        errors.append(DeclarationError(entry.meta, _PLAN_USAGE, entry))
        return None
    account, start, end, provision, release = (v.value for v in values)
    if account not in reserves:
        errors.append(DeclarationError(entry.meta, f'reserve plan for {account}: no such reserve is declared (custom "reserve" {account})', entry))
        return None
    if end < start:
        errors.append(DeclarationError(entry.meta, f"reserve plan for {account}: the period ends ({end}) before it starts ({start})", entry))
        return None
    if provision.currency != release.currency or provision.number < 0 or release.number < 0:
        errors.append(DeclarationError(entry.meta, f"reserve plan for {account}: PROVISION and RELEASE are amounts ≥ 0 in one currency (a release is written positive); got {provision} and {release}", entry))
        return None
    precision = entry.meta.get("precision", Decimal(1))
    if isinstance(precision, Amount):
        precision = precision.number
    if not isinstance(precision, Decimal) or precision <= 0:
        errors.append(DeclarationError(entry.meta, f"reserve plan for {account}: precision: is the rounding unit of the figures in yen, e.g. precision: 10000000 for 0.1億円; got {precision!r}", entry))
        return None
    explanation = entry.meta.get("explanation")
    return ReservePlan(account, start, end, provision.number, release.number, provision.currency, precision,
                       str(explanation) if explanation is not None else None, entry.date, entry.meta)


# -- allocations (配賦): keys and rules ----------------------------------------------------
#
#     2014-04-01 custom "business" "C-共通" "common"
#     2022-04-01 custom "allocation-key" "人員比" "B1-一般事業" 12 "B2-本人確認情報処理事業" 30
#     2022-04-01 custom "allocation-rule" Expenses:1-営業費用:102-一般管理費 "人員比"
#
# The rules that use them are in jlis_ledger.plugins.allocations.


class KeyVersion(NamedTuple):
    """One dated declaration of an allocation key (配賦基準): the weights in force from ``date``."""

    name: str
    date: datetime.date
    weights: tuple[tuple[str, Decimal], ...]  # (business label, weight) in declaration order
    meta: data.Meta


class AllocationRule(NamedTuple):
    """``custom "allocation-rule" ITEM KEY``: the pool postings on ITEM (or below it) are split by KEY."""

    item: str  # an account (or a prefix of accounts) without the business component
    key: str
    date: datetime.date
    meta: data.Meta


_KEY_USAGE = ('custom "allocation-key" takes a name and pairs of business and weight, e.g. '
              'custom "allocation-key" "人員比" "B1-一般事業" 12 "B2-本人確認情報処理事業" 30')
_RULE_USAGE = ('custom "allocation-rule" takes an item (an account without its business) and a key name, e.g. '
               'custom "allocation-rule" Expenses:1-営業費用:102-一般管理費 "人員比"')


def read_allocations(
    entries: Iterable[data.Directive], businesses: dict[str, Business] | None = None
) -> tuple[dict[str, list[KeyVersion]], list[AllocationRule], list[DeclarationError]]:
    """The declared allocation keys (name -> versions by date) and rules, and the declaration errors.

    A key version is rejected (with an error) if a business appears twice, a weight is negative or not a
    number, all weights are zero, or (given ``businesses``) a business is not declared or is an
    elimination or common pool.  Two versions of a key on the same date are an error (the second is
    rejected).  A rule is rejected if its key is not declared, its item ends with a business label, or
    another rule names the same item.
    """
    keys: dict[str, list[KeyVersion]] = {}
    rules: list[AllocationRule] = []
    errors: list[DeclarationError] = []
    pending_rules: list[data.Custom] = []
    for entry in entries:
        if not isinstance(entry, data.Custom):
            continue
        if entry.type == "allocation-rule":
            pending_rules.append(entry)
        elif entry.type == "allocation-key":
            version = _read_key(entry, businesses, errors)
            if version is None:
                continue
            versions = keys.setdefault(version.name, [])
            if any(v.date == version.date for v in versions):
                errors.append(DeclarationError(entry.meta, f'allocation key "{version.name}" is declared twice on {version.date}; '
                                                           "a key has one set of weights per date", entry))
                continue
            versions.append(version)
    for versions in keys.values():
        versions.sort(key=lambda v: v.date)
    seen: dict[str, AllocationRule] = {}
    for entry in pending_rules:
        values = entry.values
        if (len(values) != 2 or not isinstance(values[0].value, str) or not isinstance(values[1].value, str)
                or not account_lib.is_valid(values[0].value + ":A")):  # a root alone is a valid prefix
            errors.append(DeclarationError(entry.meta, _RULE_USAGE, entry))
            continue
        item, key = values[0].value, values[1].value
        if businesses is not None and account_lib.leaf(item) in businesses:
            errors.append(DeclarationError(entry.meta, f"allocation rule for {item}: give the item without its business component ({account_lib.parent(item)})", entry))
            continue
        if key not in keys:
            errors.append(DeclarationError(entry.meta, f'allocation rule for {item}: key "{key}" is not declared (custom "allocation-key" "{key}" …)', entry))
            continue
        if item in seen:
            first = seen[item].meta
            errors.append(DeclarationError(entry.meta, f"allocation rule for {item} is declared twice (first at {first.get('filename')}:{first.get('lineno')})", entry))
            continue
        seen[item] = rule = AllocationRule(item, key, entry.date, entry.meta)
        rules.append(rule)
    return keys, rules, errors


def _read_key(entry: data.Custom, businesses: dict[str, Business] | None, errors: list[DeclarationError]) -> KeyVersion | None:
    values = [v.value for v in entry.values]
    if len(values) < 3 or len(values) % 2 == 0 or not isinstance(values[0], str):
        errors.append(DeclarationError(entry.meta, _KEY_USAGE, entry))
        return None
    name = values[0]
    weights: list[tuple[str, Decimal]] = []
    for label, weight in zip(values[1::2], values[2::2]):
        if isinstance(weight, Amount):
            weight = weight.number
        if not isinstance(label, str) or not isinstance(weight, Decimal):
            errors.append(DeclarationError(entry.meta, f'allocation key "{name}": {_KEY_USAGE}; got {label!r} {weight!r}', entry))
            return None
        if weight < 0:
            errors.append(DeclarationError(entry.meta, f'allocation key "{name}" ({entry.date}): weight of {label} is negative ({weight}); weights are ≥ 0', entry))
            return None
        if any(label == other for other, _ in weights):
            errors.append(DeclarationError(entry.meta, f'allocation key "{name}" ({entry.date}): business {label} is listed twice', entry))
            return None
        if businesses is not None:
            business = businesses.get(label)
            if business is None:
                errors.append(DeclarationError(entry.meta, f'allocation key "{name}" ({entry.date}): business "{label}" is not declared with custom "business"', entry))
                return None
            if business.role in ("elimination", "common"):
                errors.append(DeclarationError(entry.meta, f'allocation key "{name}" ({entry.date}): {label} is the {business.role} column, not a business a cost can be allocated to', entry))
                return None
        weights.append((label, weight))
    if not any(w for _, w in weights):
        errors.append(DeclarationError(entry.meta, f'allocation key "{name}" ({entry.date}): all weights are zero; at least one must be positive', entry))
        return None
    return KeyVersion(name, entry.date, tuple(weights), entry.meta)
