"""The state the statement families share while the year is reconstructed.

Each family module books its transactions into ``Model.books`` and leaves what a later family
needs on the model (the depreciation by business, the additions, the cash already booked with
the provisions and the 立替, the expense accruals).  The closing balances (``closing``) are the
published 事業別貸借対照表 figures, signed as Beancount keeps them; the openings are derived from
them at the end (:mod:`fy2022_parts.openings`).  ``notes`` and ``checks`` are what ``--diagnose``
prints.
"""

from __future__ import annotations

from fy2022_parts.books import Books, Txn
from fy2022_parts.chart import ITEM, Item
from fy2022_parts.pool import KEYS
from fy2022_parts.published import Published


class Model:
    """The reconstruction in progress: its books, closing balances, notes and checks."""

    def __init__(self, pub: Published) -> None:
        self.pub = pub
        self.books = Books()
        self.closing: dict[str, int] = {}  # leaf account -> closing balance (Beancount sign)
        self.closing_meta: dict[str, dict] = {}
        self.checks: list[str] = []
        self.notes: dict[str, object] = {}
        # allocation keys (配賦基準): weights derived from the published splits (see allocations.beancount)
        self.books.keys = {name: self.published_closing(label) for name, (label, _) in KEYS.items()}
        self.books.rules = {ITEM[item].account: name for name, (_, item) in KEYS.items()}

        # what one family hands to a later one (see fy2022_parts.year for the order)
        self.dep: dict[str, list[int]] = {}  # asset item key -> the year's depreciation by business
        self.rule_dep = ""
        self.additions = [0] * 8  # fixed-asset additions by business (seed of 有形固定資産取得による支出)
        self.provision_cash = 0  # the provisions' 目的使用, paid in cash with them
        self.advances = [0] * 8  # cash paid by each business for others (立替)
        self.expense_accrual = [0] * 8  # the rest of 事業費 and 一般管理費 accrued to 未払金
        self.elimination_closing: dict[str, int] = {}
        self.opening: dict[str, int] = {}

    def add(self, *args, **kwargs) -> Txn:
        """Book a transaction (``Txn``'s arguments); see :meth:`Books.add`."""
        return self.books.add(Txn(*args, **kwargs))

    def published_closing(self, label: str, nth: int = 0) -> list[int]:
        """The published closing balances of a 事業別貸借対照表 line, by business (published signs)."""
        return self.pub.seg_bs(label, nth)[:8]

    def set_closing(self, item: Item, values: list[int], sign: int, detail: str | None = None, **meta) -> None:
        """Close ``item`` (or its ``detail``) at ``sign * value`` in each business with a value."""
        for b, v in enumerate(values):
            if v:
                self.closing[item.leaf(b, detail)] = sign * v
                if meta:
                    self.closing_meta[item.leaf(b, detail)] = meta
