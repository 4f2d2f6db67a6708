"""Largest-remainder rounding (最大剰余法): a split in proportion to weights, exact in the smallest unit.

    >>> largest_remainder(Decimal(100), [1, 1, 1])
    [Decimal('34'), Decimal('33'), Decimal('33')]
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal


def largest_remainder(number: Decimal, weights: Sequence[int]) -> list[Decimal]:
    """Split ``number`` in proportion to the non-negative integer ``weights`` (not all zero).

    Shares are in the smallest unit of ``number`` (its last decimal place, at
    most 1); they sum exactly to ``number``; the units left after the floors go
    to the largest remainders, ties to the earlier weight; a negative number is
    split as the negation of its absolute value.

    >>> largest_remainder(Decimal(100), [1, 1, 1])
    [Decimal('34'), Decimal('33'), Decimal('33')]
    """
    exponent = number.as_tuple().exponent
    exponent = exponent if isinstance(exponent, int) and exponent < 0 else 0
    units = int(number.scaleb(-exponent)) if exponent else int(number)
    negative = units < 0
    units = -units if negative else units
    total = sum(weights)
    scaled = [units * w for w in weights]
    parts = [s // total for s in scaled]
    left = units - sum(parts)
    if left:
        remainders = [s % total for s in scaled]
        # the largest remainders first; a stable sort keeps ties in weight order (the earlier first)
        for i in sorted(range(len(weights)), key=remainders.__getitem__, reverse=True)[:left]:
            parts[i] += 1
    if negative:
        parts = [-p for p in parts]
    if exponent:
        return [Decimal(p).scaleb(exponent) for p in parts]
    return list(map(Decimal, parts))


__all__ = ["largest_remainder"]
