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
from typing import Iterable, NamedTuple

from beancount.core import account as account_lib
from beancount.core import data

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
