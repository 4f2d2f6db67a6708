"""Budgets (予算額) of a fiscal year, by line: ``custom "fiscal-budget" FY LINE AMOUNT``.

    2022-04-01 custom "fiscal-budget" 2022 Income:1-営業収益:105-事業収入 12,345,678,000 JPY
      source: "決算報告書 損益計算書 予算額"

Fava's own ``custom "budget"`` spreads an amount per day over calendar periods and cannot give a
年度 budget to the yen, so the books declare the budget of each fiscal year and line (an account,
or a prefix of accounts without the business for a consolidated budget; with the business for a
budget by business).  :func:`read_budgets` reads them once at load; a malformed one is a located
error of the books.  :class:`Budgets` answers the budget of an account prefix in a year.
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

USAGE = ('custom "fiscal-budget" takes a fiscal year, an account and an amount, '
         'e.g. custom "fiscal-budget" 2022 Income:1-営業収益:105-事業収入 1000000 JPY')
ZERO = Decimal(0)


@dataclass(frozen=True)
class Budget:
    year: int
    account: str
    amount: Decimal
    currency: str
    meta: data.Meta


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

    def total(self, year: int | None, currency: str, prefix: str) -> Decimal:
        """The budget of ``prefix`` (an account or an item) in ``year``: the declarations on it or below it."""
        return sum((b.amount for b in self.budgets if b.year == year and b.currency == currency and under(b.account, prefix)), ZERO)


def read_budgets(entries: Iterable[data.Directive]) -> tuple[Budgets, list[DeclarationError]]:
    budgets = Budgets()
    errors: list[DeclarationError] = []
    for entry in entries:
        if not (isinstance(entry, data.Custom) and entry.type == "fiscal-budget"):
            continue
        values = [v.value for v in entry.values]
        year = values[0] if values else None
        if (len(values) != 3 or not isinstance(year, Decimal) or year != year.to_integral_value() or not 1 <= year <= 9998
                or not isinstance(values[1], str) or not account_lib.is_valid(values[1]) or not isinstance(values[2], Amount)
                or not isinstance(values[2].number, Decimal)):
            errors.append(DeclarationError(entry.meta, USAGE, entry))
            continue
        budgets.budgets.append(Budget(int(year), values[1], values[2].number, values[2].currency, entry.meta))
    return budgets, errors


__all__ = ["Budget", "Budgets", "read_budgets"]
