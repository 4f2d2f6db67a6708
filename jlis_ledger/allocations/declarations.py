"""The allocation keys (配賦基準) and rules a ledger declares.

    2014-04-01 custom "business" "C-共通" "common"
    2022-04-01 custom "allocation-key" "人員比" "B1-一般事業" 12 "B2-本人確認情報処理事業" 30
    2022-04-01 custom "allocation-rule" Expenses:1-営業費用:102-一般管理費 "人員比"

``custom "allocation-key" NAME BUSINESS WEIGHT …`` declares the weights in force from its date
until the key's next declaration; ``custom "allocation-rule" ITEM KEY`` says that the pool
postings on ITEM (an account without its business, or a prefix of accounts) are split by KEY.
The rule that uses them is :mod:`jlis_ledger.allocations.rule`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from beancount.core import account as account_lib
from beancount.core import data
from beancount.core.amount import Amount

from jlis_ledger.core.accounts import business_of, item_of
from jlis_ledger.core.errors import DeclarationError, location
from jlis_ledger.segments.declarations import Business


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
        if businesses is not None and business_of(item) in businesses:
            errors.append(DeclarationError(entry.meta, f"allocation rule for {item}: give the item without its business component ({item_of(item)})", entry))
            continue
        if key not in keys:
            errors.append(DeclarationError(entry.meta, f'allocation rule for {item}: key "{key}" is not declared (custom "allocation-key" "{key}" …)', entry))
            continue
        if item in seen:
            first = seen[item].meta
            errors.append(DeclarationError(entry.meta, f"allocation rule for {item} is declared twice (first at {location(first)})", entry))
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
    for label, weight in zip(values[1::2], values[2::2], strict=False):
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


__all__ = ["AllocationRule", "KeyVersion", "read_allocations"]
