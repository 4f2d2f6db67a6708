"""Who owes whom between businesses (事業): the 他事業勘定 positions.

Every transaction that crosses businesses books the same amount with opposite
signs to the 他事業勘定 (inter-business clearing) account of the businesses
involved, so the clearing postings of a transaction net to zero over the
businesses.  Their sign tells the direction: the clearing account is a
liability, so a *credit* (a negative number) to a business's clearing account
means that this business owes the others, and a *debit* (a positive number)
means that the others owe it.

A transaction with several debtors and creditors does not say by itself who
owes whom, so the pairing is fixed by a rule, here and in the ``partners:``
metadata that the segments plugin writes on the legs it generates:

    per transaction and currency, take the net clearing position of each
    business; list the debtors and the creditors in the declaration order of
    the businesses; pair the first debtor with the first creditor for the
    smaller of the two amounts, drop whichever is settled, and repeat.

The matrix is the sum of these pairings over the transactions, so it is
antisymmetric (what A owes B is minus what B owes A), and the row of a
business sums to minus its 他事業勘定 balance.

    >>> from jlis_ledger.clearing import clearing_positions
    >>> owes = clearing_positions(entries, "Liabilities:1-流動負債:17-他事業勘定", ["B1-一般事業", "B2-受託事業"])
    >>> owes[("B2-受託事業", "B1-一般事業", "JPY")]      # what B2 owes B1
    Decimal('1000')
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from beancount.core import data

ZERO = Decimal(0)

#: (debtor, creditor, amount > 0): the debtor owes the creditor the amount.
Pairing = tuple[str, str, Decimal]

#: (debtor, creditor, currency) -> what the debtor owes the creditor (negative: the creditor owes the debtor).
Matrix = dict[tuple[str, str, str], Decimal]


def ordered(labels: Iterable[str], order: Sequence[str]) -> list[str]:
    """``labels`` in the order of ``order``; labels that it does not list come last, by name."""
    rank = {label: i for i, label in enumerate(order)}
    return sorted(labels, key=lambda label: (rank.get(label, len(rank)), label))


def pair_positions(nets: Mapping[str, Decimal], order: Sequence[str]) -> list[Pairing]:
    """The greedy pairing of one transaction's net clearing positions (one currency).

    ``nets`` maps a business to the sum of its clearing postings in the
    transaction (negative: it owes).  Debtors and creditors are taken in
    ``order`` (the declaration order).  If the positions do not net to zero
    (an error that the segments plugin reports), the unmatched rest is left
    out.

    >>> pair_positions({"B1": Decimal(-30), "B2": Decimal(10), "B3": Decimal(20)}, ["B1", "B2", "B3"])
    [('B1', 'B2', Decimal('10')), ('B1', 'B3', Decimal('20'))]
    """
    labels = ordered((label for label, n in nets.items() if n), order)
    debtors = [[label, -nets[label]] for label in labels if nets[label] < 0]
    creditors = [[label, nets[label]] for label in labels if nets[label] > 0]
    pairs: list[Pairing] = []
    i = j = 0
    while i < len(debtors) and j < len(creditors):
        amount = min(debtors[i][1], creditors[j][1])
        pairs.append((debtors[i][0], creditors[j][0], amount))
        debtors[i][1] -= amount
        creditors[j][1] -= amount
        if not debtors[i][1]:
            i += 1
        if not creditors[j][1]:
            j += 1
    return pairs


def transaction_nets(postings: Iterable[data.Posting], clearing: str) -> dict[str, dict[str, Decimal]]:
    """Per currency, the net clearing position of each business in one transaction's postings."""
    prefix = clearing + ":"
    nets: dict[str, dict[str, Decimal]] = {}
    for posting in postings:
        account = posting.account
        if account.startswith(prefix) and ":" not in account[len(prefix):]:
            per = nets.setdefault(posting.units.currency, {})
            business = account[len(prefix):]
            per[business] = per.get(business, ZERO) + posting.units.number
    return nets


def clearing_positions(
    entries: Iterable[data.Directive],
    clearing: str,
    businesses: Sequence[str],
    *,
    end: datetime.date | None = None,
) -> Matrix:
    """Who owes whom: ``{(debtor, creditor, currency): amount}`` over the transactions dated before ``end``.

    ``clearing`` is the 他事業勘定 account without its business component and
    ``businesses`` the business labels in declaration order (it fixes the
    pairing).  Both orientations of every pair are present, with opposite
    signs; pairs that net to zero are left out.
    """
    sums: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        if end is not None and entry.date >= end:
            continue
        for currency, nets in transaction_nets(entry.postings, clearing).items():
            for debtor, creditor, amount in pair_positions(nets, businesses):
                sums[(debtor, creditor, currency)] += amount
                sums[(creditor, debtor, currency)] -= amount
    return {key: value for key, value in sums.items() if value}


def format_partners(pairs: Sequence[tuple[str, Decimal]], currency: str) -> str:
    """The ``partners:`` metadata value: ``"B2-受託事業 1,000 JPY; B3-研修事業 -500 JPY"``.

    Each amount is signed like a clearing posting of the business that carries
    the metadata: positive, the partner owes it; negative, it owes the partner.
    """
    return "; ".join(f"{label} {amount:,} {currency}" for label, amount in pairs)


def parse_partners(value: str) -> list[tuple[str, Decimal, str]]:
    """Read a ``partners:`` metadata value back: ``[(business, amount, currency), ...]``."""
    out = []
    for part in value.split(";"):
        label, number, currency = part.split()
        out.append((label, Decimal(number.replace(",", "")), currency))
    return out
