"""The account vocabulary of the contract: ``Root:<section>:…:<line>[:<detail>]:<business>``.

Every component but the root is ``<code>-<name>`` (``11-現金及び預金``, ``B1-一般事業``); the last
component of every account is its business (事業), the rest is its item (科目)::

    >>> business_of("Assets:1-流動資産:11-現金及び預金:B1-一般事業")
    'B1-一般事業'
    >>> item_of("Assets:1-流動資産:11-現金及び預金:B1-一般事業")
    'Assets:1-流動資産:11-現金及び預金'
    >>> label_of("11-現金及び預金")
    '現金及び預金'

The five roots are Beancount's ``name_assets`` … ``name_expenses`` options (:class:`Roots`):
nothing in the library assumes they are called Assets … Expenses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: The code of a component: ``11-`` in ``11-現金及び預金``, ``B1-`` in ``B1-一般事業``.
CODE = re.compile(r"^[0-9A-Z]+-")

SEPARATOR = ":"


def business_of(account: str) -> str:
    """The business of an account: its last component."""
    return account.rpartition(SEPARATOR)[2]


def item_of(account: str) -> str:
    """The item of an account: the account without its business component."""
    return account.rpartition(SEPARATOR)[0]


def split(account: str) -> tuple[str, str]:
    """``(item, business)`` of an account."""
    item, _, business = account.rpartition(SEPARATOR)
    return item, business


def join(item: str, business: str) -> str:
    """The account of ``business`` on ``item``."""
    return f"{item}{SEPARATOR}{business}"


def root_of(account: str) -> str:
    return account.split(SEPARATOR, 1)[0]


def label_of(component: str) -> str:
    """A component's published label: its name without the code (``11-現金及び預金`` → 現金及び預金)."""
    return CODE.sub("", component)


def leaf_label(account: str) -> str:
    """The label of an account's last component."""
    return label_of(account.rpartition(SEPARATOR)[2])


def under(account: str, prefix: str) -> bool:
    """True if ``account`` is ``prefix`` or one of its descendants."""
    return account == prefix or account.startswith(prefix + SEPARATOR)


@dataclass(frozen=True)
class Roots:
    """The names of the five roots, from Beancount's ``name_*`` options."""

    assets: str = "Assets"
    liabilities: str = "Liabilities"
    equity: str = "Equity"
    income: str = "Income"
    expenses: str = "Expenses"

    @classmethod
    def of(cls, options_map: dict[str, Any] | None) -> Roots:
        options = options_map or {}
        defaults = cls()
        return cls(*(str(options.get(f"name_{name}") or getattr(defaults, name))
                     for name in ("assets", "liabilities", "equity", "income", "expenses")))

    def all(self) -> tuple[str, str, str, str, str]:
        return (self.assets, self.liabilities, self.equity, self.income, self.expenses)

    @property
    def balance_sheet(self) -> tuple[str, str, str]:
        return (self.assets, self.liabilities, self.equity)

    @property
    def income_statement(self) -> tuple[str, str]:
        return (self.income, self.expenses)

    @property
    def credit(self) -> tuple[str, str, str]:
        """The roots with a credit balance (shown with the sign turned, so they read positive)."""
        return (self.liabilities, self.equity, self.income)

    def prefixes(self, *roots: str) -> tuple[str, ...]:
        """``("Income:", "Expenses:")`` for ``prefixes(roots.income, roots.expenses)``: for ``str.startswith``."""
        return tuple(root + SEPARATOR for root in roots)

    def is_income_statement(self, account: str) -> bool:
        return root_of(account) in self.income_statement

    def sign(self, account: str) -> int:
        """-1 for an account under a credit root, else 1."""
        return -1 if root_of(account) in self.credit else 1


__all__ = ["CODE", "Roots", "business_of", "item_of", "join", "label_of", "leaf_label", "root_of", "split", "under"]
