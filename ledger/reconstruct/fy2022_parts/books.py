"""The transactions being reconstructed, their dates, and their sums per account.

Rules:

* the year's movements are booked on the 決算日 (``YEAR_END``, the dates within the year are not
  published), balances carried in on ``OPENING_DATE`` and asserted on ``ASSERT_DATE``;
* every transaction balances in total and within each business (the segments plugin runs in
  strict mode); zero postings are dropped and a transaction left empty is not booked;
* a figure split over the businesses is split by :func:`share`, the allocations plugin's largest
  remainder (exact to the yen, ties to the earlier business in the published column order);
* a posting to the common pool (``…:C-共通``) counts in the sums as the shares the allocations
  plugin gives it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from fy2022_parts.chart import BUSINESSES, POOL, Item
from jlis_ledger.allocations.split import largest_remainder
from jlis_ledger.core.accounts import business_of, item_of

OPENING_DATE = "2022-03-31"  # balances carried into 2022-04-01
YEAR_END = "2023-03-31"  # annual totals are booked on the 決算日
ASSERT_DATE = "2023-04-01"  # balance assertions check the closing position
FY2021_APPROVAL = "2022-06-27"  # 第44回代表者会議: 令和3年度決算
FY2022_APPROVAL = "2023-06-30"  # after the 経営審議委員会 of 2023-06-22 (see SOURCES.md)


def share(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` yen in proportion to ``weights``: the allocations plugin's largest remainder.

    The parts sum exactly to ``total``; ties go to the earlier business (the published column
    order); a zero weight gets nothing; a negative total is split as the negation of its absolute
    value.  A zero total gives zeros whatever the weights; otherwise the weights must be
    non-negative and not all zero (the plugin rejects such a key when the ledger is loaded;
    the weights here are published figures, so they are checked on each call).
    """
    if total == 0:
        return [0] * len(weights)
    if sum(weights) <= 0 or any(w < 0 for w in weights):
        raise ValueError(f"cannot share {total} by weights {weights}")
    return [int(part) for part in largest_remainder(Decimal(total), weights)]


def only(business: int, amount: int) -> list[int]:
    v = [0] * 8
    v[business] = amount
    return v


@dataclass
class Posting:
    account: str
    amount: int
    meta: dict = field(default_factory=dict)


@dataclass
class Txn:
    date: str
    narration: str
    source: str
    event: str
    postings: list[Posting]
    basis: str | None = None  # None (as published), "derived" or "allocated"
    rule: str | None = None
    tags: tuple[str, ...] = ()

    def balanced_by_business(self) -> bool:
        sums: dict[str, int] = defaultdict(int)
        for p in self.postings:
            sums[business_of(p.account)] += p.amount
        return all(v == 0 for v in sums.values())


class Books:
    """The transactions being reconstructed, and their sums per account.

    A posting to the common pool (``…:C-共通``) counts, in the sums, as the
    shares the allocations plugin gives it: its amount split by its key (the
    posting's ``allocation-key:`` or the rule of its item) by the plugin's own
    largest-remainder split (:func:`share`, ties to the earlier column).
    """

    def __init__(self) -> None:
        self.txns: list[Txn] = []
        self.keys: dict[str, list[int]] = {}  # key name -> weights by business (column order)
        self.rules: dict[str, str] = {}  # item account -> key name

    def add(self, txn: Txn) -> Txn:
        postings = [p for p in txn.postings if p.amount != 0]
        if not postings:
            return txn
        txn.postings = postings
        if sum(p.amount for p in postings) != 0:
            raise AssertionError(f"unbalanced: {txn.narration} {sum(p.amount for p in postings)}")
        if not txn.balanced_by_business():
            raise AssertionError(f"not balanced per business: {txn.narration}")
        self.txns.append(txn)
        return txn

    def flows(self) -> dict[str, int]:
        """The sum of the booked postings per account, the pool's postings as their shares."""
        sums: dict[str, int] = defaultdict(int)
        for t in self.txns:
            for p in t.postings:
                item, business = item_of(p.account), business_of(p.account)
                if business != POOL:
                    sums[p.account] += p.amount
                    continue
                for b, part in enumerate(share(p.amount, self.keys[p.meta.get("allocation-key") or self.rules[item]])):
                    if part:
                        sums[f"{item}:{BUSINESSES[b]}"] += part
        return sums


def per_business(item: Item, values: list[int], sign: int, detail: str | None = None, meta=None) -> list[Posting]:
    """Postings of ``sign * value`` on ``item`` for each business with a nonzero value."""
    return [Posting(item.leaf(b, detail), sign * v, dict(meta or {})) for b, v in enumerate(values) if v]
