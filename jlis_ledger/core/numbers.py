"""Amounts as people read them — the one number formatter of jlis-ledger.

- in messages (errors, reports for developers): :func:`amount_text`, ``+1,234,567 JPY``;
- as the publication prints them: :func:`figure`, integer yen with thousands separators, in 円,
  千円, 百万円 or 億円 rounded half up (away from zero, each figure on its own, as published),
  a negative marked ``-``, ``△`` or ``▲``; an amount with a fraction of a yen is shown exactly,
  never truncated::

    >>> figure(-3075096, negative="△")
    '△3,075,096'
    >>> figure(1_234_567_890, "百万円")
    '1,235'
    >>> figure(Decimal("10000.5"))
    '10,000.5'
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

#: unit -> (yen per unit, decimals shown)
UNITS: dict[str, tuple[int, int]] = {"円": (1, 0), "千円": (1_000, 0), "百万円": (1_000_000, 0), "億円": (100_000_000, 1)}
NEGATIVES = ("-", "△", "▲")
ZERO = Decimal(0)


def amount_text(number: Decimal | int, currency: str, sign: bool = True) -> str:
    """``+1,234,567 JPY`` (``sign=False``: ``1,234,567 JPY``)."""
    return f"{number:{'+' if sign else ''},} {currency}"


def exact(value: Decimal | int) -> int | Decimal:
    """An integral amount as an ``int``; a fractional one as it is (never rounded)."""
    if isinstance(value, int):
        return value
    integral = value.to_integral_value()
    return int(integral) if integral == value else value


def json_amount(value: Decimal | int) -> int | str:
    """An amount for JSON: an integral one as a number, a fractional one as its exact decimal text (never rounded)."""
    value = exact(value)
    return str(value) if isinstance(value, Decimal) else value


def scaled(value: Decimal | int, unit: str = "円") -> Decimal:
    """``value`` yen in ``unit``, rounded half up (away from zero) as the publication rounds."""
    if unit not in UNITS:
        raise ValueError(f"unit {unit!r}: one of {', '.join(UNITS)}")
    per, places = UNITS[unit]
    amount = Decimal(value) / per
    if per == 1 and amount != amount.to_integral_value():
        return amount  # a fraction of a yen is shown exactly
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def figure(value: Decimal | int | None, unit: str = "円", negative: str = "-", zero: str | None = None) -> str:
    """``value`` with thousands separators, in ``unit``, a negative marked with ``negative``;
    ``zero`` (e.g. ``-``) replaces a zero where the publication prints one; None is empty."""
    if value is None:
        return ""
    if negative not in NEGATIVES:
        raise ValueError(f"negative marker {negative!r}: one of {', '.join(NEGATIVES)}")
    amount = scaled(value, unit)
    if not amount and value and UNITS[unit][1]:  # a unit printed with decimals (億円) never prints a figure as zero
        exact_amount = Decimal(value) / UNITS[unit][0]  # that is not: 1,000,000 円 is 0.01 億円, as the report prints it
        amount = exact_amount.quantize(Decimal(1).scaleb(exact_amount.adjusted()), rounding=ROUND_HALF_UP)
    if zero is not None and not amount:
        return zero
    exponent = amount.as_tuple().exponent
    places = max(UNITS[unit][1], -exponent if isinstance(exponent, int) else 0)
    text = f"{abs(amount):,.{places}f}"
    return f"{negative}{text}" if amount < 0 else text


def yen(value: Decimal | int | None) -> str:
    """The pages' form: ``6,143,949,797``, ``△3,075,096``, ``0``; nothing for None."""
    return figure(value, negative="△")


def units(value: Decimal | None, places: int, negative: str = "△") -> str:
    """A figure already in a larger unit (億円) with at least ``places`` decimals (more if it has
    them, like a published 0.01): ``1,131.1``, ``△0.3``."""
    if value is None:
        return ""
    exponent = value.as_tuple().exponent
    places = max(places, -exponent if isinstance(exponent, int) else 0)
    text = f"{abs(value):,.{places}f}"
    return f"{negative}{text}" if value < 0 else text


__all__ = ["NEGATIVES", "UNITS", "amount_text", "exact", "figure", "scaled", "units", "yen"]
