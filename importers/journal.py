"""From journal lines (伝票) to balanced Beancount transactions, per business.

Every importer reads its format into :class:`Leg` lists (one leg per debit or
credit, already mapped to an account ending with a business) and calls
:func:`transaction`, which

- checks that the voucher balances (debits = credits), else an error at its
  first row;
- checks that every account is opened in the ledger (when the ledger is known);
- adds the 他事業勘定 legs that make each business balance when the ledger's
  segments plugin runs in ``strict`` mode: one net leg per unbalanced business
  on ``CLEARING:BUSINESS``, marked ``generated: "import"`` and with the
  ``partners:`` metadata that the segments plugin writes on its own legs (same
  pairing, :mod:`jlis_ledger.segments.clearing`).  In ``auto`` mode the plugin adds
  them itself, so the importer does not; without the plugin there are none.

A common pool (role ``"common"``) is a business like the others here: its lines
are imported on the pool's accounts and the allocations plugin splits them.

:class:`LedgerInfo` is what an importer needs to know about the target ledger:
the declared businesses, the segments plugin's configuration, the open accounts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data
from beancount.core.amount import Amount

from jlis_ledger.segments.clearing import format_partners, pair_positions
from jlis_ledger.segments.declarations import Business, ordered, read_businesses

from .errors import InputError

#: Metadata on the 他事業勘定 legs that an importer adds (the segments plugin's own are ``generated: "segments"``).
GENERATED_KEY = "generated"
GENERATED_BY = "import"
#: Metadata key of the stable id of an imported transaction (deduplication).
ID_KEY = "import_id"
ZERO = Decimal(0)
SEGMENTS_PLUGIN = "jlis_ledger.plugins.segments"


@dataclass
class LedgerInfo:
    """What the importers need to know about the ledger they import into."""

    businesses: dict[str, Business]
    clearing: str | None = None  # the 他事業勘定 item, without business
    mode: str | None = None  # the segments plugin's mode, None without the plugin
    opens: frozenset[str] | None = None  # the open accounts; None: not checked
    currency: str = "JPY"
    labels: dict | None = None  # account -> (label:, detail:) of its open directive
    general_reserve: str | None = None  # the declared general reserve (積立金, ``general: TRUE``), without business
    #: the sealed fiscal years (custom "fiscal-seal"): (last day, name, where the seal is); nothing is imported into them
    sealed: tuple[tuple[datetime.date, str, str], ...] = ()

    @property
    def adds_clearing_legs(self) -> bool:
        return self.clearing is not None and self.mode == "strict"

    @property
    def order(self) -> list[str]:
        return list(self.businesses)

    def refuse_sealed(self, filename: str, row: int, date: datetime.date, what: str, balance: bool = False) -> None:
        """An :class:`InputError` for an entry dated in a sealed fiscal year (a seal covers every entry up to its
        year's last day, and the balance assertions of its closing dated the day after)."""
        for end, name, where in self.sealed:
            if date <= end or (balance and date == end + datetime.timedelta(days=1)):
                raise InputError(filename, row, f"{what}: dated {date}, in {name}, which is sealed ({where}): "
                                                "nothing is imported into a sealed year (a 修正 goes into an open year)")

    @classmethod
    def from_entries(cls, entries, options: dict) -> LedgerInfo:
        from jlis_ledger.plugins.segments import parse_config

        businesses, _ = read_businesses(entries)
        clearing = mode = None
        for name, config in options.get("plugin", []):
            if name == SEGMENTS_PLUGIN:
                try:
                    cfg = parse_config(config)
                except ValueError:
                    continue  # the plugin reports it when the ledger loads
                clearing, mode = cfg.clearing, cfg.mode
        from jlis_ledger.reserves.declarations import read_reserves

        open_entries = [e for e in entries if isinstance(e, data.Open)]
        opens = frozenset(e.account for e in open_entries)
        labels = {e.account: (e.meta.get("label"), e.meta.get("detail")) for e in open_entries}
        reserves, _, _ = read_reserves(entries, businesses)
        general = next((r.account for r in reserves.values() if r.general), None)
        currencies = options.get("operating_currency") or ["JPY"]
        from jlis_ledger.core.errors import location
        from jlis_ledger.core.periods import CALENDAR, fiscal_year_end_of
        from jlis_ledger.proof.declarations import read_proof

        customs = [e for e in entries if isinstance(e, data.Custom)]
        fye = fiscal_year_end_of(customs)
        _, seals, _ = read_proof(customs, fye if isinstance(fye, tuple) else CALENDAR)
        sealed = tuple((s.end, s.name, location(s.meta)) for s in seals)
        return cls(businesses, clearing, mode, opens, currencies[0], labels, general, sealed)


class Leg(NamedTuple):
    """One debit (positive) or credit (negative) of a voucher, mapped to a ledger account."""

    row: int
    account: str
    number: Decimal
    meta: dict | None = None


def transaction(
    filename: str,
    row: int,
    date: datetime.date,
    narration: str,
    legs: list[Leg],
    meta: dict,
    ledger: LedgerInfo,
    what: str,
    tags: frozenset = frozenset(),
) -> data.Transaction:
    """The transaction of one voucher (``what`` names it in messages, e.g. ``伝票 No.12``)."""
    debit = sum((leg.number for leg in legs if leg.number > 0), ZERO)
    credit = -sum((leg.number for leg in legs if leg.number < 0), ZERO)
    if debit != credit:
        raise InputError(filename, row, f"{what}: debits {debit:,} ≠ credits {credit:,} (difference {debit - credit:,})")
    if not legs:
        raise InputError(filename, row, f"{what}: no debit or credit line with an amount")
    currency = ledger.currency
    opens = ledger.opens
    postings = []
    nets: dict[str, Decimal] = {}
    for leg in legs:
        if opens is not None and leg.account not in opens:
            raise InputError(filename, leg.row, f"account {leg.account} is not opened in the ledger")
        business = leg.account.rsplit(":", 1)[-1]
        nets[business] = nets.get(business, ZERO) + leg.number
        postings.append(data.Posting(leg.account, Amount(leg.number, currency), None, None, None, leg.meta))
    if ledger.adds_clearing_legs and any(nets.values()):
        postings.extend(_clearing_legs(filename, row, nets, ledger, currency, what))
    entry_meta = data.new_metadata(filename, row)
    entry_meta.update(meta)
    return data.Transaction(entry_meta, date, "*", None, narration, tags, frozenset(), postings)


def _clearing_legs(filename: str, row: int, nets: dict[str, Decimal], ledger: LedgerInfo, currency: str, what: str) -> list[data.Posting]:
    order = ledger.order
    # a leg is minus the business's net; pair the legs' positions like the segments plugin
    positions = {b: -n for b, n in nets.items() if n}
    partners: dict[str, list[tuple[str, Decimal]]] = {}
    for debtor, creditor, amount in pair_positions(positions, order):
        partners.setdefault(debtor, []).append((creditor, -amount))
        partners.setdefault(creditor, []).append((debtor, amount))
    legs = []
    for business in ordered(positions, order):
        account = f"{ledger.clearing}:{business}"
        if ledger.opens is not None and account not in ledger.opens:
            raise InputError(filename, row, f"{what}: the 他事業勘定 leg {account} is needed but not opened in the ledger")
        meta = {GENERATED_KEY: GENERATED_BY}
        if business in partners:
            meta["partners"] = format_partners(partners[business], currency)
        legs.append(data.Posting(account, Amount(positions[business], currency), None, None, None, meta))
    return legs


def is_generated(meta: dict | None) -> bool:
    """True for a posting that a plugin or an importer generated (``generated:`` metadata of any value)."""
    return meta is not None and GENERATED_KEY in meta


#: metadata of the allocations plugin (jlis_ledger.plugins.allocations) on the shares of a pool posting
ALLOCATED_FROM = "allocated-from"
ALLOCATED_GENERATED = "allocated-generated"
_ALLOCATION_META = (GENERATED_KEY, "allocation-key", "allocation-key-date", ALLOCATED_FROM, ALLOCATED_GENERATED)


def typed_postings(entry: data.Transaction) -> list[data.Posting]:
    """The postings of a loaded transaction as they were typed: generated legs and mirrors left out, and
    each pool posting that the allocations plugin split rebuilt from its shares (they share one metadata
    dict).  What an export writes and what an import is compared with."""
    out: list = []
    shares: dict[int, list[data.Posting]] = {}
    for posting in entry.postings:
        meta = posting.meta
        if meta and meta.get(ALLOCATED_FROM):
            if id(meta) not in shares:
                shares[id(meta)] = []
                out.append(id(meta))
            shares[id(meta)].append(posting)
        elif not is_generated(meta):
            out.append(posting)
    typed = []
    for item in out:
        if not isinstance(item, int):
            typed.append(item)
            continue
        first = shares[item][0]
        first_meta: dict = first.meta or {}  # a share always carries its pool posting's metadata
        if first_meta.get(ALLOCATED_GENERATED):  # a generated leg booked to the pool: made again on import
            continue
        numbers = [p.units.number for p in shares[item] if p.units is not None]
        total = sum((n for n in numbers if isinstance(n, Decimal)), Decimal(0))
        meta = {k: v for k, v in first_meta.items() if k not in _ALLOCATION_META}
        units = first.units._replace(number=total) if first.units is not None else None
        typed.append(first._replace(account=first_meta[ALLOCATED_FROM], units=units, meta=meta))
    return typed


def typed_view(entry: data.Transaction) -> data.Transaction:
    return entry._replace(postings=typed_postings(entry))
