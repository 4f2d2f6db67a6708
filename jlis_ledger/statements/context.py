"""What every builder of one period shares: the books, the sums, the layout, the columns."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from jlis_ledger.core.accounts import Roots, business_of, item_of
from jlis_ledger.core.periods import FiscalYear, Period
from jlis_ledger.reserves.declarations import Reserve
from jlis_ledger.statements.chart import Chart, Node, root_headings
from jlis_ledger.statements.figures import ZERO, Figures, collect
from jlis_ledger.statements.layout import Layout
from jlis_ledger.table import Column

if TYPE_CHECKING:
    from jlis_ledger.books import Books

_NUMBER = re.compile(r"^(\d+)")


class StatementError(ValueError):
    """The ledger cannot give a statement: the message says where and why."""


def code_key(node: Node) -> tuple:
    """Sort chart nodes by the number of their code (``11-``, ``211-``), then by name."""
    component = business_of(node.account)  # the last component
    match = _NUMBER.match(component)
    return (int(match.group(1)) if match else 1 << 30, component)


def sign(account: str, roots: Roots | None = None) -> int:
    """Balance (credit) roots are shown with the sign turned, so that every balance reads positive."""
    return (roots or Roots()).sign(account)


@dataclass
class Context:
    books: Books
    period: Period
    layout: Layout
    figures: Figures
    chart: Chart
    reserves: dict[str, Reserve]
    _totals: dict = field(default_factory=dict, repr=False)

    @classmethod
    def create(cls, books: Books, period) -> Context:
        layout = books.declarations.layout
        if not books.businesses:
            raise StatementError('the ledger declares no business (custom "business" LABEL): there are no segment figures to show')
        figures = collect(books, period.start, period.end, cash_accounts=layout.cash_accounts)
        return cls(books, Period(period.start, period.end, getattr(period, "year", None)), layout, figures, Chart(books),
                   books.declarations.reserves)

    @cached_property
    def roots(self) -> Roots:
        return self.books.roots

    def sign(self, account: str) -> int:
        return self.roots.sign(account)

    # -- columns --------------------------------------------------------------------------

    @cached_property
    def segment_columns(self) -> list[Column]:
        """One column per business (declaration order, fund included), the elimination column, 合計.
        A common pool (配賦 before the statements) is not a column."""
        ordinary = [b for b in self.books.businesses.values() if b.is_column]
        elimination = [b for b in self.books.businesses.values() if b.is_elimination]
        return [Column(b.name, b.label) for b in ordinary + elimination] + [Column("合計")]

    # -- the general reserve and the profit not yet appropriated ----------------------------

    @cached_property
    def general_reserve(self) -> str | None:
        return next((r.account for r in self.reserves.values() if r.general and r.equity), None)

    @cached_property
    def profit_legs(self) -> set[str]:
        """Equity accounts debited by appropriations that are not reserves (処分対象利益)."""
        reserve_prefixes = tuple(r + ":" for r in self.reserves)
        return {a for a in self.figures.appropriated if not a.startswith(reserve_prefixes)}

    @cached_property
    def profit_leg_lines(self) -> set[str]:
        return {item_of(a) for a in self.profit_legs}

    def _folded(self, which: str) -> dict[str, Decimal]:
        """Balances per account at the period's start (``opening``) or end (``closing``) with the
        profit not yet appropriated (Income, Expenses and the profit legs) in the general reserve,
        as the published balance sheet shows it."""
        fig = self.figures
        if which == "opening":
            balances = dict(fig.opening)
        elif which == "closing":
            balances = {a: fig.closing(a) for a in fig.accounts()}
        else:
            return dict(fig.movement)
        general = self.general_reserve
        if general is None:
            return balances
        income_statement = self.roots.prefixes(*self.roots.income_statement)
        out: dict[str, Decimal] = defaultdict(Decimal)
        for account, number in balances.items():
            if account.startswith(income_statement) or account in self.profit_legs:
                out[f"{general}:{business_of(account)}"] += number
            else:
                out[account] += number
        return out

    def totals(self, which: str) -> dict[tuple[str, str | None], Decimal]:
        """Raw sums (Beancount signs) by (account prefix, business), business None = all; ``which``
        is ``opening``, ``closing`` (general reserve folded as published) or ``movement``."""
        if which not in self._totals:
            sums: dict[tuple[str, str | None], Decimal] = defaultdict(Decimal)
            for account, number in self._folded(which).items():
                if not number:
                    continue
                business = business_of(account)
                parts = account.split(":")
                for i in range(1, len(parts)):
                    prefix = ":".join(parts[:i])
                    sums[(prefix, business)] += number
                    sums[(prefix, None)] += number
            self._totals[which] = sums
        return self._totals[which]

    def shown(self, prefix: str, which: str, business: str | None = None) -> Decimal:
        """The sum under ``prefix`` as statements show it (credit roots turned positive)."""
        return self.totals(which).get((prefix, business), ZERO) * self.sign(prefix)

    def values(self, prefix: str, which: str, columns: list[Column]) -> list[Decimal]:
        return [self.shown(prefix, which, c.business) for c in columns]

    @cached_property
    def reserve_report(self):
        """The reserves report of the period (:mod:`jlis_ledger.reserves.report`), for the reserve statements."""
        from jlis_ledger.reserves.report import report

        fy = self.books.fiscal_year(self.period.year) if self.period.year is not None else None
        if fy is None or (fy.start, fy.end) != (self.period.start, self.period.end):
            fy = FiscalYear(self.period.year or self.period.end.year, self.period.start, self.period.end)
        return report(self.books, fy)

    # -- budgets ----------------------------------------------------------------------------

    def has_budget(self) -> bool:
        return self.books.declarations.budgets.declared(self.period.year, self.books.currency)

    def budget(self, prefix: str) -> Decimal:
        return self.books.declarations.budgets.total(self.period.year, self.books.currency, prefix)

    # -- chart ------------------------------------------------------------------------------

    def root(self, name: str) -> Node | None:
        return self.chart.roots.get(name)

    @staticmethod
    def children(node: Node) -> list[Node]:
        return sorted(node.children.values(), key=code_key)

    def root_heading(self, root: str) -> str:
        return {v: k for k, v in root_headings(self.roots).items()}.get(root, root)
