"""The reserves (積立金) a ledger declares, and their plans.

    2016-04-01 custom "reserve" Liabilities:2-固定負債:24-住基ネット再構築平準化等積立金 "B2-本人確認情報処理事業"
      provision: Expenses:3-特別損失:302-住基ネット再構築平準化等積立金繰入額
      release: Income:1-営業収益:112-住基ネット再構築平準化等積立金取崩収入
    2014-04-01 custom "reserve" Equity:2-利益剰余金:21-積立金
      general: TRUE
    2023-03-31 custom "reserve-plan" Liabilities:2-固定負債:24-住基ネット再構築平準化等積立金 2023-04-01 2028-03-31 1,250,000,000 JPY 12,060,000,000 JPY
      precision: 10,000,000

``custom "reserve" ACCOUNT [BUSINESS]`` declares a reserve (ACCOUNT without its business
component), with its ``provision:`` (繰入額) and ``release:`` (取崩収入) accounts and, for the one
general reserve of a ledger (積立金), ``general: TRUE``.  ``custom "reserve-plan" ACCOUNT FROM TO
PROVISION RELEASE`` declares a plan, or a published record, of its movements.  The rules that use
them are in :mod:`jlis_ledger.reserves.analysis`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from beancount.core import account as account_lib
from beancount.core import data
from beancount.core.amount import Amount

from jlis_ledger.core.accounts import business_of, item_of, root_of
from jlis_ledger.core.errors import DeclarationError, location

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
        if root_of(account) not in roots:
            errors.append(DeclarationError(entry.meta, f"reserve {account}: a reserve is a liability ({roots[0]}:…) or an equity reserve ({roots[1]}:…)", entry))
            continue
        if labels is not None and business_of(account) in labels:
            errors.append(DeclarationError(entry.meta, f"reserve {account}: give the account without its business component ({item_of(account)})", entry))
            continue
        if business is not None and labels is not None and business not in labels:
            errors.append(DeclarationError(entry.meta, f'reserve {account}: business "{business}" is not declared with custom "business"', entry))
            continue
        if account in reserves:
            first = reserves[account].meta
            errors.append(DeclarationError(entry.meta, f"reserve {account} is declared twice (first at {location(first)})", entry))
            continue
        accounts: dict[str, str | None] = {}  # provision / release -> its account (None: not declared)
        bad = False
        for key in ("provision", "release"):
            value = entry.meta.get(key)
            if value is None:
                accounts[key] = None
                continue
            if not isinstance(value, str) or not account_lib.is_valid(value) or (labels is not None and business_of(value) in labels):
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
        if general and root_of(account) != roots[1]:
            errors.append(DeclarationError(entry.meta, f"reserve {account}: only an equity reserve can be the general reserve (general: TRUE)", entry))
            general = False
        if general and any(r.general for r in reserves.values()):
            other = next(r.account for r in reserves.values() if r.general)
            errors.append(DeclarationError(entry.meta, f"reserve {account}: {other} is already the general reserve (general: TRUE); a ledger has one", entry))
            general = False
        reserves[account] = Reserve(account, business, accounts["provision"], accounts["release"], general,
                                    root_of(account) == roots[1], entry.date, entry.meta)
    for entry in pending_plans:
        plan = _read_plan(entry, reserves, errors)
        if plan is not None:
            for earlier in plans:
                if earlier.account == plan.account and earlier.start <= plan.end and plan.start <= earlier.end:
                    where = location(earlier.meta)
                    errors.append(DeclarationError(entry.meta, f"reserve plan for {plan.account} {plan.start} – {plan.end} overlaps the plan {earlier.start} – {earlier.end} at {where}: the plans of a reserve cover separate periods", entry))
                    break
            else:
                plans.append(plan)
    return reserves, plans, errors


_PLAN_USAGE = ('custom "reserve-plan" takes ACCOUNT FROM TO PROVISION RELEASE, e.g. custom "reserve-plan" '
               "Liabilities:Reserves:Renewal 2023-04-01 2028-03-31 1250000000 JPY 0 JPY")


def _read_plan(entry: data.Custom, reserves: dict[str, Reserve], errors: list[DeclarationError]) -> ReservePlan | None:
    values = entry.values
    kinds: tuple[str | type, ...] = (account_lib.TYPE, datetime.date, datetime.date, Amount, Amount)  # a dtype name or a value type
    if len(values) != 5 or any(not (v.dtype == k if isinstance(k, str) else isinstance(v.value, k)) for v, k in zip(values, kinds, strict=False)):
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


__all__ = ["RESERVE_ROOTS", "Reserve", "ReservePlan", "read_reserves"]
