"""Beancount's booking and balance check of a *plain* transaction, without Beancount's general machinery: the
step of the load where most transactions of a segment ledger spend most of their time.

A transaction is plain when every posting states its units as a number and a currency, with no cost and no
price, except at most one auto-posting (no amount at all) in a transaction of one currency. Read from
Beancount's ``booking_full._book`` (``categorize_by_currency``, ``replace_currencies``, ``book_reductions``,
``interpolate_group``), booking such a transaction reads no running balance and comes to this:

* the booked transaction has the same postings (the same objects) grouped by currency, the groups in the
  order of their first posting and the postings of a group in their order, and a copy of the metadata with
  ``__tolerances__`` (``interpolate.infer_tolerances`` of the postings, mode ``max``; equal tolerances are
  one shared object, which Beancount's immutable ``ImmutableDictWithDefault`` allows);
* an auto-posting takes the negated residual of the others (summed as ``Inventory`` sums: a currency whose
  sum reaches zero starts again from the next number), quantized with the interpolation tolerances, and
  ``__automatic__: True`` in its metadata (set in the parsed posting's own dictionary, as Beancount does);
  with a zero residual it is removed.

The balance check (``validation.validate_check_transaction_balances``) of a transaction whose postings have
units and no cost or price finds it balanced when every currency's sum (the same ``Inventory`` sum, the
residual postings left out) is zero, whatever the tolerances. :func:`book` returns None and
:func:`balanced` False for anything else: the caller then asks Beancount's own functions, so errors and
their messages stay Beancount's.

Pinned to Beancount's functions by ``tests/test_plain_booking_props.py``.
"""

from __future__ import annotations

from decimal import Decimal

from beancount.core import data, interpolate
from beancount.core.amount import Amount
from beancount.core.number import MISSING

_AUTOMATIC = interpolate.AUTOMATIC_META
_RESIDUAL = interpolate.AUTOMATIC_RESIDUAL
_TOLERANCES = interpolate.AUTOMATIC_TOLERANCES


def _add(sums: dict[str, Decimal], number: Decimal, currency: str) -> None:
    """``Inventory.add_amount`` on units without cost, keeping only the numbers: a zero sum drops the currency."""
    total = sums.get(currency)
    if total is None:
        if number:
            sums[currency] = number
    else:
        total += number
        if total:
            sums[currency] = total
        else:
            del sums[currency]


_SHARED: dict[tuple, dict] = {}


def _shared(tolerances: dict) -> dict:
    """One object for equal tolerances (with the numbers as written): they are immutable, and a ledger has a
    handful of distinct ones, so the booked transactions hold (and a stored part pickles) one per kind."""
    key = (str(getattr(tolerances, "default", None)), *((currency, str(number)) for currency, number in tolerances.items()))
    found = _SHARED.get(key)
    if found is None:
        if len(_SHARED) > 4096:
            _SHARED.clear()
        found = _SHARED[key] = tolerances
    return found


def book(entry: data.Transaction, options_map: dict) -> data.Transaction | None:
    """``entry`` booked as ``booking_full._book`` books it, if it is plain; else None."""
    currencies: list[str] = []  # in the order of their first posting
    auto = None
    for index, posting in enumerate(entry.postings):
        units = posting.units
        if posting.cost is not None or posting.price is not None:
            return None
        if units is MISSING:
            if auto is not None:
                return None
            auto = index
            continue
        if type(units) is not Amount or type(units.number) is not Decimal or type(units.currency) is not str:
            return None
        if units.currency not in currencies:
            currencies.append(units.currency)
    if auto is not None and len(currencies) != 1:
        return None  # an auto-posting beside several currencies (or none) is repeated per currency: Beancount's
    meta = entry.meta.copy()
    meta[_TOLERANCES] = _shared(interpolate.infer_tolerances(entry.postings, options_map, mode="max"))
    if auto is None:
        if len(currencies) == 1:
            postings = list(entry.postings)
        else:
            order = {currency: rank for rank, currency in enumerate(currencies)}
            postings = sorted(entry.postings, key=lambda p: order[p.units.currency])  # type: ignore[union-attr]
        return entry._replace(postings=postings, meta=meta)
    currency = currencies[0]
    sums: dict[str, Decimal] = {}
    for posting in entry.postings:
        units = posting.units
        if units is not MISSING and not (posting.meta and posting.meta.get(_RESIDUAL, False)):
            _add(sums, units.number, currency)  # type: ignore[union-attr, arg-type]  # checked above: a Decimal
    weight = -sums[currency] if currency in sums else Decimal(0)
    postings = list(entry.postings)
    if weight:
        tolerances = (interpolate.infer_tolerances(entry.postings, options_map, mode="min")
                      if options_map["use_precise_interpolation"] else meta[_TOLERANCES])
        number = interpolate.quantize_with_tolerance(tolerances, currency, weight)
        filled = postings[auto]._replace(units=Amount(number, currency), cost=None)
        posting_meta = filled.meta
        if posting_meta is None:
            posting_meta = {}
            filled = filled._replace(meta=posting_meta)
        posting_meta[_AUTOMATIC] = True
        postings[auto] = filled
    else:
        del postings[auto]
    return entry._replace(postings=postings, meta=meta)


def balanced(entry: data.Transaction) -> bool:
    """True if the balance check surely finds ``entry`` balanced (every currency sums to zero); False: ask
    Beancount's."""
    sums: dict[str, Decimal] = {}
    for posting in entry.postings:
        units = posting.units
        if posting.cost is not None or posting.price is not None or type(units) is not Amount:
            return False
        meta = posting.meta
        if meta and meta.get(_RESIDUAL, False):
            continue
        number = units.number
        if type(number) is not Decimal:
            return False
        _add(sums, number, units.currency)
    return not sums


__all__ = ["balanced", "book"]
