"""The businesses (事業) a ledger declares, and their roles.

A ledger that follows the jlis-ledger contract names its businesses with ``custom "business"``
directives; nothing about a particular body (J-LIS or another) lives in code::

    2014-04-01 custom "business" "B1-一般事業"
    2014-04-01 custom "business" "B5-中間サーバー共同化集約化等事業"
      name: "中間サーバー共同化・集約化等事業"
    2021-04-01 custom "business" "B8-デジタル基盤改革支援基金事業" "fund"
    2014-04-01 custom "business" "E-相殺等" "elimination"

The label is the last component of every account of that business.  The optional role is
``"fund"`` (a fund business: zero net income and net assets at every fiscal year end),
``"elimination"`` (the 相殺等 column, posted only by the segments plugin) or ``"common"`` (a
common pool, 共通, split by the allocations plugin).  ``name:`` gives the published name where
the label had to drop characters that Beancount does not allow in account names.

Businesses keep the order of their declarations (by date, then by position in the file), which
is the published column order; the elimination and common columns come after the businesses.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import NamedTuple

from beancount.core import account as account_lib
from beancount.core import data

from jlis_ledger.core.accounts import label_of
from jlis_ledger.core.errors import DeclarationError

ROLES = ("fund", "elimination", "common")

USAGE = 'custom "business" takes a label and an optional role, e.g. 2014-04-01 custom "business" "B1-一般事業"'


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

    @property
    def is_column(self) -> bool:
        """An ordinary or fund business: a column of its own in the segment statements."""
        return self.role in (None, "fund")


def read_businesses(entries: Iterable[data.Directive]) -> tuple[dict[str, Business], list[DeclarationError]]:
    """The declared businesses by label, in column order, and the declaration errors."""
    found: list[tuple[int, Business]] = []
    errors: list[DeclarationError] = []
    seen: dict[str, data.Custom] = {}
    for entry in entries:
        if not (isinstance(entry, data.Custom) and entry.type == "business"):
            continue
        values = [v.value for v in entry.values]
        if not values or not isinstance(values[0], str) or len(values) > 2 or (len(values) == 2 and not isinstance(values[1], str)):
            errors.append(DeclarationError(entry.meta, USAGE, entry))
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
        name = entry.meta.get("name") or label_of(label)
        rank = 1 if role in ("elimination", "common") else 0
        found.append((rank, Business(label, str(name), role, entry.date, entry.meta)))
    found.sort(key=lambda pair: pair[0])  # stable: declarations come sorted by date and line already
    return {b.label: b for _, b in found}, errors


def ordered(labels: Iterable[str], order: Iterable[str]) -> list[str]:
    """``labels`` in the order of ``order`` (the declaration order); labels that it does not list
    come last, by name."""
    rank = {label: i for i, label in enumerate(order)}
    return sorted(labels, key=lambda label: (rank.get(label, len(rank)), label))


__all__ = ["ROLES", "Business", "ordered", "read_businesses"]
