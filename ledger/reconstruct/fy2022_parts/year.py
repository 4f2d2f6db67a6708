"""The order in which the families book the year.

Most families are independent; the order matters where one books what another leaves:

* the rest of 事業費 and 一般管理費 (:func:`fy2022_parts.income.expenses`) is the published figure
  less everything booked separately, so it comes after the internal charges, the fixed assets,
  the provisions, the pool, the 立替 and the depreciation;
* the receipts and payments (:mod:`fy2022_parts.cash`) are split after every accrual and the
  closing balances are known, and the openings come last (closing less the year's flows).

Within a date the transactions are written in this order.
"""

from __future__ import annotations

from fy2022_parts import (
    cash,
    clearing,
    closings,
    deferred,
    fixed_assets,
    income,
    internal,
    leases,
    openings,
    pool,
    provisions,
    reserves,
)
from fy2022_parts.model import Model
from fy2022_parts.published import Published


def build(pub: Published) -> Model:
    """The year reconstructed from the published tables."""
    m = Model(pub)
    income.revenue(m)
    internal.book(m)
    deferred.release(m)
    fixed_assets.book(m)
    leases.book(m)
    provisions.book(m)
    pool.book(m)
    clearing.book(m)
    fixed_assets.depreciation(m)
    income.expenses(m)
    income.non_operating_and_special(m)
    reserves.book(m)
    cash.time_deposits(m)
    closings.book(m)
    cash.receipts_and_payments(m)
    openings.book(m)
    openings.verify(m)
    return m
