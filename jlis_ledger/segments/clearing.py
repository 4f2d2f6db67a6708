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

    >>> from jlis_ledger.segments.clearing import clearing_positions
    >>> owes = clearing_positions(entries, "Liabilities:1-流動負債:17-他事業勘定", ["B1-一般事業", "B2-受託事業"])
    >>> owes[("B2-受託事業", "B1-一般事業", "JPY")]      # what B2 owes B1
    Decimal('1000')
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data

from jlis_ledger.core import config as config_lib
from jlis_ledger.core.accounts import business_of
from jlis_ledger.core.numbers import amount_text
from jlis_ledger.segments.declarations import ordered

if TYPE_CHECKING:
    from jlis_ledger.books import Books

ZERO = Decimal(0)
SEGMENTS_PLUGIN = "jlis_ledger.plugins.segments"

#: (debtor, creditor, amount > 0): the debtor owes the creditor the amount.
Pairing = tuple[str, str, Decimal]

#: (debtor, creditor, currency) -> what the debtor owes the creditor (negative: the creditor owes the debtor).
Matrix = dict[tuple[str, str, str], Decimal]


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
    debtors = [label for label in labels if nets[label] < 0]
    creditors = [label for label in labels if nets[label] > 0]
    owes = [-nets[label] for label in debtors]  # what each debtor has left to pair
    owed = [nets[label] for label in creditors]
    pairs: list[Pairing] = []
    i = j = 0
    while i < len(debtors) and j < len(creditors):
        amount = min(owes[i], owed[j])
        pairs.append((debtors[i], creditors[j], amount))
        owes[i] -= amount
        owed[j] -= amount
        if not owes[i]:
            i += 1
        if not owed[j]:
            j += 1
    return pairs


def transaction_nets(postings: Iterable[data.Posting], clearing: str) -> dict[str, dict[str, Decimal]]:
    """Per currency, the net clearing position of each business in one transaction's postings."""
    prefix = clearing + ":"
    nets: dict[str, dict[str, Decimal]] = {}
    number: Decimal
    currency: str
    for posting in postings:
        account = posting.account
        if account.startswith(prefix) and ":" not in account[len(prefix):]:
            number, currency = posting.units  # type: ignore[misc, assignment]  # loaded: a posting has a number
            per = nets.setdefault(currency, {})
            business = account[len(prefix):]
            per[business] = per.get(business, ZERO) + number
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


def unbalanced_message(report: Sequence[tuple[str, Mapping[str, Decimal]]], order: Sequence[str], prefix: str) -> str:
    """The strict-mode error of a transaction whose businesses do not balance: ``report`` is (currency,
    business -> imbalance) per currency; the message names each business and the legs that would fix it."""
    parts, fixes = [], []
    for currency, per in report:
        for business in ordered(per, order):
            parts.append(f"{business} {amount_text(per[business], currency)}")
            fixes.append(f"{prefix}{business} {amount_text(-per[business], currency, sign=False)}")
    return ("transaction does not balance per business (事業別の貸借不一致): "
            + ", ".join(parts)
            + " (+ = debits exceed credits). Each business must sum to zero on its own: add the 他事業勘定 legs "
            + "; ".join(fixes)
            + " — or set 'mode': 'auto' in the segments plugin line to have them generated.")


def not_netting_messages(clearing: Mapping[tuple[str, str], Decimal], account: str, order: Sequence[str]) -> list[str]:
    """One error per currency in which the 他事業勘定 postings (business, currency) -> sum of a transaction do not net to zero."""
    totals: dict[str, Decimal] = {}
    for (_, currency), number in clearing.items():
        totals[currency] = totals.get(currency, Decimal(0)) + number
    messages = []
    for currency in sorted(totals):
        if not totals[currency]:
            continue
        per = {b: n for (b, c), n in clearing.items() if c == currency}
        parts = ", ".join(f"{b} {amount_text(per[b], currency)}" for b in ordered(per, order))
        messages.append(f"他事業勘定 ({account}) does not net to zero over the businesses: {parts}, "
                        f"total {amount_text(totals[currency], currency)}. What one business books to 他事業勘定 another business "
                        "must book with the opposite sign in the same transaction.")
    return messages


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


def clearing_account(options_map: dict) -> str | None:
    """The 他事業勘定 account (without its business) of the segments plugin line, if the ledger has one."""
    value = config_lib.literal_dict(config_lib.plugin_config(options_map, SEGMENTS_PLUGIN)).get("clearing")
    return value if isinstance(value, str) else None


@dataclass
class Positions:
    """The 他事業勘定 at the end of a period, presented as the balance sheet presents a liability."""

    account: str  # the clearing account without business
    businesses: list[str]  # labels, column order
    balances: dict[str, Decimal]  # business -> balance (positive: it owes the others, negative: the others owe it)
    owes: dict[tuple[str, str], Decimal]  # (debtor, creditor) -> amount (negative: the creditor owes the debtor)

    @property
    def total(self) -> Decimal:
        return sum(self.balances.values(), ZERO)

    def row_total(self, debtor: str) -> Decimal:
        return sum((v for (d, _), v in self.owes.items() if d == debtor), ZERO)


def positions(books: Books, end: datetime.date) -> Positions | None:
    """Each business's 他事業勘定 balance before ``end`` and who owes whom (None: the ledger has no
    segments plugin line naming the clearing account)."""
    account = clearing_account(books.options)
    if account is None:
        return None
    order = list(books.businesses)
    prefix = account + ":"
    by_business: dict[str, Decimal] = defaultdict(Decimal)
    for (name, currency), number in books.balances(end=end).items():
        if currency == books.currency and name.startswith(prefix):
            by_business[business_of(name)] += number
    # the elimination column and a common pool (empty after 配賦) only when they hold something
    balances = {b: -by_business.get(b, ZERO) for b in order
                if by_business.get(b) or books.businesses[b].role not in ("elimination", "common")}
    matrix = clearing_positions(books.entries, account, order, end=end)
    owes = {(d, c): v for (d, c, cur), v in matrix.items() if cur == books.currency}
    involved = ordered({b for pair in owes for b in pair} | set(balances), order)
    return Positions(account, involved, balances, owes)
