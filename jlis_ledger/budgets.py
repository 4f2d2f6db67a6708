"""Budgets (予算額) of a fiscal year, by line: ``custom "fiscal-budget" FY LINE AMOUNT``.

    2022-04-01 custom "fiscal-budget" 2022 Income:1-営業収益:105-事業収入 12,345,678,000 JPY
      source: "決算報告書 損益計算書 予算額"
    ; a budget by business, published only to the 百万円: 4,759 百万円 of 一般事業's 営業収益
    2022-04-01 custom "fiscal-budget" 2022 Income:1-営業収益 4759 JPY
      business: "B1-一般事業"
      unit: "百万円"
    ; a budget of a row that is no account (a profit step of a summary): LINE is the row's label
    2022-04-01 custom "fiscal-budget" 2022 "営業利益" -315 JPY
      business: "B1-一般事業"
      unit: "百万円"

Fava's own ``custom "budget"`` spreads an amount per day over calendar periods and cannot give a
年度 budget to the yen, so the books declare the budget of each fiscal year and line (an account,
or a prefix of accounts without the business for a consolidated budget; with the business for a
budget by business).  :func:`read_budgets` reads them once at load; a malformed one is a located
error of the books.  :class:`Budgets` answers the budget of an account prefix in a year.

Metadata (optional):

- ``business:`` a declared business (the last component of its accounts): the budget of that business
  for LINE (a prefix without the business).  Budgets by business are kept apart: the consolidated
  budget of a prefix (:meth:`Budgets.total` without a business) is the sum of the declarations
  without ``business:``, so declaring both never counts a figure twice.
- ``unit:`` the unit AMOUNT is written in (円, 千円, 百万円 or 億円, :data:`jlis_ledger.core.numbers.UNITS`):
  a figure the publication gives only in that unit.  The budget is kept in yen (AMOUNT × the unit)
  with its ``precision`` (the unit in yen: the figure is known to that unit, no finer).
- LINE may be a string instead of an account: the label of a row that is no account (a profit step
  of a summary, ``"営業利益"``); :meth:`Budgets.of_label` answers it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import account as account_lib
from beancount.core import data
from beancount.core.amount import Amount

from jlis_ledger.core.accounts import under
from jlis_ledger.core.errors import DeclarationError
from jlis_ledger.core.numbers import UNITS

USAGE = ('custom "fiscal-budget" takes a fiscal year, an account (or a row label) and an amount, '
         'e.g. custom "fiscal-budget" 2022 Income:1-営業収益:105-事業収入 1000000 JPY')
ZERO = Decimal(0)


@dataclass(frozen=True)
class Budget:
    year: int
    account: str
    amount: Decimal
    currency: str
    meta: data.Meta
    business: str | None = None  # a budget of this business (``business:``); None: consolidated
    precision: int = 1  # the yen the figure is known to (``unit:`` 百万円: 1,000,000)


@dataclass
class Budgets:
    """The declared budgets: (year, currency) -> account -> amount."""

    budgets: list[Budget] = field(default_factory=list)

    def years(self) -> set[int]:
        return {b.year for b in self.budgets}

    def of_year(self, year: int | None, currency: str) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(Decimal)
        for b in self.budgets:
            if b.year == year and b.currency == currency:
                out[b.account] += b.amount
        return dict(out)

    def declared(self, year: int | None, currency: str) -> bool:
        return any(b.year == year and b.currency == currency for b in self.budgets)

    def total(self, year: int | None, currency: str, prefix: str, business: str | None = None) -> Decimal:
        """The budget of ``prefix`` (an account or an item) in ``year``: the declarations on it or below it
        (of ``business``, or without ``business:`` when None)."""
        return sum((b.amount for b in self.budgets if b.year == year and b.currency == currency and b.business == business
                    and under(b.account, prefix)), ZERO)

    def of_label(self, year: int | None, currency: str, label: str, business: str | None = None) -> Decimal | None:
        """The budget declared on the row label ``label`` (LINE a string), or None when there is none."""
        found = [b.amount for b in self.budgets if b.year == year and b.currency == currency and b.business == business
                 and b.account == label]
        return sum(found, ZERO) if found else None


def read_budgets(entries: Iterable[data.Directive], businesses: Iterable[str] | None = None) -> tuple[Budgets, list[DeclarationError]]:
    """The budgets of the entries; ``businesses`` (the declared labels, when known) checks ``business:``."""
    known = set(businesses) if businesses is not None else None
    budgets = Budgets()
    errors: list[DeclarationError] = []
    for entry in entries:
        if not (isinstance(entry, data.Custom) and entry.type == "fiscal-budget"):
            continue
        values = [v.value for v in entry.values]
        year = values[0] if values else None
        if (len(values) != 3 or not isinstance(year, Decimal) or year != year.to_integral_value() or not 1 <= year <= 9998
                or not isinstance(values[1], str) or not values[1]
                or (":" in values[1] and not account_lib.is_valid(values[1])) or not isinstance(values[2], Amount)
                or not isinstance(values[2].number, Decimal)):
            errors.append(DeclarationError(entry.meta, USAGE, entry))
            continue
        meta = entry.meta or {}
        business, unit = meta.get("business"), meta.get("unit", "円")
        if business is not None and (not isinstance(business, str) or (known is not None and business not in known)):
            errors.append(DeclarationError(entry.meta, f'custom "fiscal-budget": business: {business!r} is not a declared business '
                                           '(custom "business" LABEL)', entry))
            continue
        if unit not in UNITS:
            errors.append(DeclarationError(entry.meta, f'custom "fiscal-budget": unit: {unit!r} is not one of {", ".join(UNITS)}', entry))
            continue
        per = UNITS[unit][0]
        budgets.budgets.append(Budget(int(year), values[1], values[2].number * per, values[2].currency, entry.meta,
                                      business, per))
    return budgets, errors


__all__ = ["Budget", "Budgets", "read_budgets"]
