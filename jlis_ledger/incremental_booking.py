"""Booking and the balance check of a load, with the work of every unchanged file reused: the second half of
the incremental load (:mod:`jlis_ledger.incremental`).

The rule it rests on, read from Beancount's ``booking_full._book``: a transaction's booking reads the running
balances (the inventories of its accounts before it) only to match a posting held at cost against the lots it
reduces, or to find the currency of a posting that states none. A transaction none of whose postings has a cost
or a missing currency (an auto-posting without amount is fine) is **local**: Beancount books it the same
wherever it stands in the ledger, from its own postings and four options (``use_precise_interpolation``,
``infer_tolerance_from_cost``, ``tolerance_multiplier``, ``inferred_tolerance_default``: :func:`options_key`).
Its booking — the booked transaction or none, its booking errors and its "incomplete elements" error — is
stored with its file and reused while the file's bytes and those options are unchanged.

A pending local transaction that is *plain* (units stated, no cost or price, at most one auto-posting in one
currency) is booked by :func:`jlis_ledger.plain_booking.book`, which gives what Beancount's booking gives
without its general machinery; and a transaction that :func:`jlis_ledger.plain_booking.balanced` finds
balanced (every currency sums to zero) is not given to Beancount's balance check, in any load: that costs less
than finding a stored verdict, so verdicts are kept (and looked up) only for the transactions it cannot settle.

Everything else (transactions that are not local, and every other directive, which booking passes through) is
stored as parsed and booked again, one entry at a time in the ledger's order, with Beancount's own
``booking_full._book`` against running balances; the balances of the accounts that such transactions post to
are kept up to date with the reused postings too.

The balance check (``validation.validate_check_transaction_balances``, the costliest of Beancount's validations)
depends on a transaction's postings and those options only. A stored local transaction whose postings reach
the validation as the very objects booking gave (no plugin replaced them) and which balanced when its file
was stored is not checked again; every other transaction is, by Beancount's function, in the same order, so
the errors are the same. The transactions that plugins made or changed are checked again unless their
:func:`content_digest` (what the check reads) balanced in the previous load under the same options.
Beancount's other validations run as they are.

Items, one per parsed entry of a file, in the file's order: ``(LOCAL, booked, booking_errors, missing_errors)``,
``(DROPPED, parsed, booking_errors, [])`` for a local transaction that booking dropped, and
``(RAW, parsed, None, None)`` for the rest; ``(PENDING, parsed, None, None)`` for a local transaction of a parsed
file before it is booked.
"""

from __future__ import annotations

import collections
import hashlib
from typing import Any

from beancount.core import data, interpolate, inventory, position
from beancount.core.amount import Amount
from beancount.core.number import MISSING
from beancount.ops import validation
from beancount.parser import booking, booking_full

from jlis_ledger import plain_booking

LOCAL, DROPPED, RAW, PENDING = 0, 1, 2, 3

Item = tuple[int, Any, Any, Any]


def options_key(options_map: dict) -> tuple:
    """The options the booking and the balance check of a local transaction depend on."""
    return tuple(repr(options_map[name]) for name in (
        "use_precise_interpolation", "infer_tolerance_from_cost", "tolerance_multiplier", "inferred_tolerance_default"))


def is_local(entry: data.Transaction) -> bool:
    """True if booking ``entry`` does not read the running balances (see the module docstring)."""
    for posting in entry.postings:
        if posting.cost is not None:
            return False
        units, price = posting.units, posting.price
        if units is not MISSING and not (units is not None and isinstance(units.currency, str)):
            return False
        if price is not None and not isinstance(price.currency, str):
            return False
    return True


class FileWork:
    """One included file's part in a load: its stored ``items`` (and ``verdicts``: True where a local
    transaction balanced), or its ``parsed`` entries, whose items :func:`book` and verdicts :func:`validate`
    fill in."""

    __slots__ = ("items", "key", "name", "parsed", "verdicts")

    def __init__(self, name: str | None, items: list[Item] | None = None, verdicts: list[bool] | None = None,
                 parsed: list | None = None, key: tuple | None = None) -> None:
        self.name = name
        self.key = key  # what a store knows the file by
        self.items = items
        self.verdicts = verdicts
        self.parsed = parsed


def prepare(files: list[FileWork]) -> None:
    """The items of the parsed files before booking: the entries that are not local transactions as they are
    (to be stored now: booking changes the metadata of parsed postings in place), the local ones pending."""
    for work in files:
        if work.parsed is not None:
            work.items = [(PENDING if isinstance(entry, data.Transaction) and is_local(entry) else RAW, entry, None, None)
                          for entry in work.parsed]


def book(files: list[FileWork], options_map: dict) -> tuple[list, list]:
    """``booking.book`` of the files' entries (sorted as Beancount sorts them), reusing the stored items and
    filling in the pending ones (after :func:`prepare`)."""
    sequence: list[tuple[Any, list[Item], int]] = []
    for work in files:
        assert work.items is not None
        items = work.items
        sequence.extend((item[1], items, index) for index, item in enumerate(items))
    sequence.sort(key=lambda step: data.entry_sortkey(step[0]))

    methods: dict = collections.defaultdict(lambda: options_map["booking_method"])
    needed: set[str] = set()  # the accounts whose running balances a booking below reads
    for entry, items, index in sequence:
        if isinstance(entry, data.Open) and entry.booking:
            methods[entry.account] = entry.booking
        elif items[index][0] == RAW and isinstance(entry, data.Transaction):
            needed.update(posting.account for posting in entry.postings)

    balances: dict = collections.defaultdict(inventory.Inventory)
    booked: list = []
    booking_errors: list = []
    missing_errors: list = []
    for entry, items, index in sequence:
        kind = items[index][0]
        if kind == PENDING and (plain := plain_booking.book(entry, options_map)) is not None:
            items[index] = (LOCAL, plain, [], [])  # booked as Beancount books it, without errors
            kind = LOCAL
        if kind == LOCAL:
            _, done, errors, missing = items[index]
            booked.append(done)
            booking_errors.extend(errors)
            missing_errors.extend(missing)
            for posting in done.postings:
                if posting.account in needed:
                    balances[posting.account].add_position(posting)
        elif kind == DROPPED:
            booking_errors.extend(items[index][2])
        elif isinstance(entry, data.Transaction):  # RAW or PENDING
            new, errors, _ = booking_full._book([entry], options_map, methods, balances)  # noqa: SLF001
            missing = booking.validate_missing_eliminated(new, options_map)
            booked.extend(new)
            booking_errors.extend(errors)
            missing_errors.extend(missing)
            if kind == PENDING:
                items[index] = (LOCAL, new[0], errors, missing) if new else (DROPPED, entry, errors, [])
        else:
            booked.append(entry)
    return booked, booking_errors + missing_errors


def content_digest(entry: data.Transaction) -> bytes:
    """What the balance check of ``entry`` reads (per posting: units, cost and price numbers as written and
    currencies, and whether it was interpolated or is a residual), digested: equal digests, equal verdicts."""
    digest = hashlib.blake2b(digest_size=16)
    for posting in entry.postings:
        units, cost, price, meta = posting.units, posting.cost, posting.price, posting.meta
        digest.update((
            f"{units.number} {units.currency}" if type(units) is Amount else repr(units),
            f"{cost.number} {cost.currency}" if type(cost) is position.Cost else repr(cost),
            f"{price.number} {price.currency}" if type(price) is Amount else repr(price),
            "a" if meta is not None and interpolate.AUTOMATIC_META in meta else "",
            "r" if meta and meta.get(interpolate.AUTOMATIC_RESIDUAL, False) else "",
        ).__repr__().encode("utf-8", "surrogateescape"))
    return digest.digest()


def validate(entries: list, options_map: dict, files: list[FileWork], remembered: frozenset[bytes] = frozenset(),
             ) -> tuple[list, set[bytes]]:
    """``validation.validate(entries, options_map)``, the balance check skipped for the stored local
    transactions that balanced and reach it as booked, and for the other transactions whose
    :func:`content_digest` is ``remembered`` (balanced in an earlier load under the same options); fills in the
    verdicts of the parsed files' items. Returns the errors and the digests of the other transactions that
    balanced (to remember)."""
    balanced: set[tuple[int, ...]] = set()
    fresh: dict[tuple[int, ...], tuple[FileWork, int]] = {}
    for work in files:
        assert work.items is not None
        if work.parsed is None:
            for item, verdict in zip(work.items, work.verdicts or (), strict=False):
                if verdict:
                    balanced.add(tuple(map(id, item[1].postings)))
        else:
            work.verdicts = [False] * len(work.items)
            for index, item in enumerate(work.items):
                if item[0] == LOCAL:
                    fresh[tuple(map(id, item[1].postings))] = (work, index)

    check = validation.validate_check_transaction_balances
    digests: dict[int, bytes] = {}

    def check_balances(entries: list, options_map: dict) -> list:
        unknown = []
        for entry in entries:
            if not isinstance(entry, data.Transaction):
                continue
            if plain_booking.balanced(entry):  # cheaper than finding its verdict: none is kept for it
                continue
            key = tuple(map(id, entry.postings))
            if key in balanced:
                continue
            if key not in fresh:
                digest = digests[id(entry)] = content_digest(entry)
                if digest in remembered:
                    continue
            unknown.append(entry)
        errors = check(unknown, options_map)  # in the entries' order, as over all of them
        unbalanced = {id(error.entry) for error in errors}
        for entry in unknown:
            place = fresh.get(tuple(map(id, entry.postings)))
            if place is not None and id(entry) not in unbalanced:
                work, index = place
                work.verdicts[index] = True  # type: ignore[index]
        for entry_id in unbalanced:
            digests.pop(entry_id, None)
        return errors

    errors: list = []
    for function in validation.VALIDATIONS:
        errors.extend((check_balances if function is check else function)(entries, options_map))
    return errors, set(digests.values())


__all__ = ["DROPPED", "LOCAL", "PENDING", "RAW", "FileWork", "book", "content_digest", "is_local", "options_key", "prepare", "validate"]
