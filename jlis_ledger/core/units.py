"""Whole amounts: a currency without a minor unit (円) is never posted with a fraction.

The yen has no minor unit (ISO 4217: 0 decimals), so ``1,000.5 JPY`` is a typing mistake, not an
amount: the books report it as an error at the posting's line (``jlis-ledger check``, and every
command that refuses books with errors), and nothing downstream rounds or truncates it.

Which currencies have no minor unit: those of ISO 4217 with 0 decimals (:data:`ISO_WHOLE`: JPY,
KRW, VND …), and any currency whose ``commodity`` directive declares ``precision: 0`` — the
metadata Fava reads for a commodity's display precision. A ``commodity`` directive with another
``precision:`` lets its currency have that many decimals (a ledger keeping 銭 writes
``precision: 2`` on ``commodity JPY``)::

    2000-01-01 commodity JPY          ; whole yen (the default)
    2000-01-01 commodity PTS
      precision: 0                    ; points: whole too
    2000-01-01 commodity JPY
      precision: 2                    ; this ledger keeps 銭

Checked: the units of every posting (one error per transaction, at its first typed offending
posting). A ``balance`` assertion with a fraction either holds, and then a posting has one, or
fails, and Beancount reports it: it is not checked again. A ledger whose amounts were all written
without decimals (Beancount's display context of the parse says so) is not scanned at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from beancount.core import data

from jlis_ledger.core.errors import LedgerError
from jlis_ledger.core.generated import KEY as GENERATED
from jlis_ledger.core.numbers import amount_text

#: ISO 4217 currencies whose minor unit is 0 (no decimals).
ISO_WHOLE = frozenset({"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
                       "VUV", "XAF", "XOF", "XPF"})


class FractionError(LedgerError):
    """An amount with a fraction in a currency that has no minor unit."""

    __slots__ = ()


def whole_currencies(entries: Iterable[data.Directive]) -> frozenset[str]:
    """The currencies without a minor unit: ISO 4217's, then as the ``commodity`` directives' ``precision:`` say."""
    whole = set(ISO_WHOLE)
    for entry in entries:
        if type(entry) is data.Commodity:
            precision = (entry.meta or {}).get("precision")
            if isinstance(precision, (int, Decimal, str)) and not isinstance(precision, bool):
                try:
                    digits = Decimal(precision)
                except ArithmeticError:
                    continue
                if digits == 0:
                    whole.add(entry.currency)
                else:
                    whole.discard(entry.currency)
    return frozenset(whole)


def _written_fractions(options_map: dict[str, Any]) -> bool:
    """Whether any amount of the ledger was written with decimals (Beancount's display context of the parse);
    True when it cannot tell."""
    dcontext = options_map.get("dcontext")
    contexts = getattr(dcontext, "ccontexts", None)
    if not isinstance(contexts, dict):
        return True
    for context in contexts.values():
        dist = getattr(context, "fractional_dist", None)
        if dist is None:
            return True
        if not dist.empty() and dist.max() > 0:
            return True
    return False


def _fraction(number: object) -> bool:
    return isinstance(number, Decimal) and number.is_finite() and number != number.to_integral_value()


def fraction_errors(entries: list[data.Directive], options_map: dict[str, Any]) -> list[FractionError]:
    """One error per transaction with a fraction of a whole currency, at its first typed offending posting."""
    if not _written_fractions(options_map):
        return []
    whole = whole_currencies(entries)
    errors: list[FractionError] = []
    for entry in entries:
        if type(entry) is data.Transaction:
            found = [p for p in entry.postings if p.units is not None and p.units.currency in whole and _fraction(p.units.number)]
            if not found:
                continue
            # the typed posting, not what a plugin derived from it (a 他事業勘定 leg, an allocated share)
            posting = next((p for p in found if not (p.meta and GENERATED in p.meta)), found[0])
            units = posting.units
            assert units is not None
            assert units.number is not None
            errors.append(FractionError(
                posting.meta if posting.meta and "lineno" in posting.meta else entry.meta,
                f"{amount_text(units.number, units.currency, sign=False)} on {posting.account} has a fraction: "
                f"{units.currency} has no minor unit (write whole amounts; a commodity {units.currency} "
                "directive with precision: N allows N decimals)",
                entry))
    return errors


__all__ = ["ISO_WHOLE", "FractionError", "fraction_errors", "whole_currencies"]
