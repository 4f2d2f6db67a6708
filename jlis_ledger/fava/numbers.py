"""Numbers as the publication prints them: integer yen with thousands separators, △ for a negative.

    >>> yen(-3075096)
    '△3,075,096'
    >>> yen(0)
    '0'
"""

from __future__ import annotations

from decimal import Decimal

NEGATIVE = "△"


def yen(value: int | Decimal | None) -> str:
    """Integer yen: ``6,143,949,797``, ``△3,075,096``, ``0``; nothing for None."""
    if value is None:
        return ""
    number = int(value)
    return f"{NEGATIVE}{-number:,}" if number < 0 else f"{number:,}"


def units(value: Decimal | None, places: int) -> str:
    """A figure in a larger unit (億円) with at least ``places`` decimals (more if it has them, like a
    published 0.01): ``1,131.1``, ``△0.3``."""
    if value is None:
        return ""
    exponent = value.as_tuple().exponent
    places = max(places, -exponent if isinstance(exponent, int) else 0)
    text = f"{abs(value):,.{places}f}"
    return f"{NEGATIVE}{text}" if value < 0 else text
