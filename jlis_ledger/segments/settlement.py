"""Settling the 他事業勘定: who owes whom in one direction, the entries behind a pair, and the 精算仕訳.

The positions of :mod:`jlis_ledger.segments.clearing` hold each pair twice (what A owes B, and
minus that as what B owes A).  :func:`debts` keeps one direction: the debtor, the creditor and a
positive amount, netted per pair.  :func:`pair_entries` lists the transactions whose pairing (the
rule of :func:`~jlis_ledger.segments.clearing.pair_positions`) makes a pair's amount, so that
their contributions add up to it.

The settlement proposal (:func:`propose`) clears every position with one transaction per pair:
the debtor pays the creditor the amount from its cash account to the creditor's, and each side
books the counter-entry to its 他事業勘定::

    2023-04-01 * "他事業勘定の精算（公的個人認証サービス事業 → 一般事業）"
      Liabilities:1-流動負債:17-他事業勘定:B3-公的個人認証サービス事業   109,815,442 JPY
      Assets:1-流動資産:11-現金及び預金:1-預金:B3-公的個人認証サービス事業  -109,815,442 JPY
        cf: "事業間精算"
      Assets:1-流動資産:11-現金及び預金:1-預金:B1-一般事業                109,815,442 JPY
        cf: "事業間精算"
      Liabilities:1-流動負債:17-他事業勘定:B1-一般事業                 -109,815,442 JPY

Each business's postings in such a transaction sum to zero (its 他事業勘定 against its cash), and
the 他事業勘定 postings net to zero over the businesses, so the segments plugin accepts it in
strict mode as it is; the cash legs name one CF label, which sums to zero over the businesses (as
the consolidated キャッシュ・フロー計算書 requires of an undeclared label).  Since the rows of the
pairing add up to each business's balance, after the proposal every 他事業勘定 is zero.  The cash
account is the ledger's first declared cash account (``custom "cash-flow-cash"``); a pair whose
business has no such account open, or that involves the elimination column or a common pool, is
left out with the reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data

from jlis_ledger.segments.clearing import Positions, pair_positions, transaction_nets

if TYPE_CHECKING:
    from jlis_ledger.books import Books

ZERO = Decimal(0)
#: The CF label of the proposal's cash legs (sums to zero over the businesses).
CF_LABEL = "事業間精算"


@dataclass(frozen=True)
class Debt:
    debtor: str
    creditor: str
    amount: Decimal  # > 0: what the debtor owes the creditor


def debts(positions: Positions) -> list[Debt]:
    """Who owes whom, one direction per pair (positive amounts), in the businesses' order."""
    order = {b: i for i, b in enumerate(positions.businesses)}
    out = [Debt(d, c, v) for (d, c), v in positions.owes.items() if v > 0]
    out.sort(key=lambda debt: (order.get(debt.debtor, 1 << 30), order.get(debt.creditor, 1 << 30)))
    return out


@dataclass(frozen=True)
class Contribution:
    entry: data.Transaction
    amount: Decimal  # what this transaction adds to what the debtor owes the creditor (negative: the reverse)


def pair_entries(books: Books, clearing: str, debtor: str, creditor: str, end: datetime.date) -> list[Contribution]:
    """The transactions before ``end`` whose pairing makes what ``debtor`` owes ``creditor``: their amounts
    add up to the pair's position."""
    order = list(books.businesses)
    out = []
    for entry in books.entries:
        if not isinstance(entry, data.Transaction) or entry.date >= end:
            continue
        nets = transaction_nets(entry.postings, clearing).get(books.currency)
        if not nets or debtor not in nets or creditor not in nets:
            continue
        amount = ZERO
        for d, c, value in pair_positions(nets, order):
            if (d, c) == (debtor, creditor):
                amount += value
            elif (d, c) == (creditor, debtor):
                amount -= value
        if amount:
            out.append(Contribution(entry, amount))
    return out


@dataclass(frozen=True)
class Transfer:
    debtor: str
    creditor: str
    amount: Decimal
    debtor_name: str
    creditor_name: str


@dataclass
class Proposal:
    """The 精算仕訳 that clear the 他事業勘定 at a date."""

    date: datetime.date
    clearing: str
    cash: str | None
    currency: str
    transfers: list[Transfer] = field(default_factory=list)
    left_out: list[tuple[Debt, str]] = field(default_factory=list)  # (debt, reason in Japanese)

    def text(self) -> str:
        """The proposal as Beancount text (empty when there is nothing to settle)."""
        out = []
        for t in self.transfers:
            amount = f"{t.amount:,}"
            lines = [
                f'{self.date} * "他事業勘定の精算（{t.debtor_name} → {t.creditor_name}）"',
                f'  source: "他事業勘定の精算案（{self.date - datetime.timedelta(days=1)} の残高）"',
                f"  {self.clearing}:{t.debtor}  {amount} {self.currency}",
                f"  {self.cash}:{t.debtor}  -{amount} {self.currency}",
                f'    cf: "{CF_LABEL}"',
                f"  {self.cash}:{t.creditor}  {amount} {self.currency}",
                f'    cf: "{CF_LABEL}"',
                f"  {self.clearing}:{t.creditor}  -{amount} {self.currency}",
            ]
            out.append("\n".join(lines) + "\n")
        return "\n".join(out)


def propose(books: Books, positions: Positions, date: datetime.date, cash_accounts: Sequence[str] = ()) -> Proposal:
    """The settlement of ``positions`` dated ``date``: one transfer per pair, through the first of
    ``cash_accounts`` (default: the ledger's declared cash accounts)."""
    cash_accounts = tuple(cash_accounts) or books.declarations.layout.cash_accounts
    cash = cash_accounts[0] if cash_accounts else None
    proposal = Proposal(date, positions.account, cash, books.currency)
    for debt in debts(positions):
        roles = {b: books.businesses[b].role for b in (debt.debtor, debt.creditor) if b in books.businesses}
        special = [b for b, role in roles.items() if role in ("elimination", "common")]
        if special:
            proposal.left_out.append((debt, f"{books.business_name(special[0])}は精算の当事者になりません"))
            continue
        if cash is None:
            proposal.left_out.append((debt, "帳簿に資金の勘定（キャッシュ・フロー計算書の資金）が宣言されていません"))
            continue
        missing = [b for b in (debt.debtor, debt.creditor) if f"{cash}:{b}" not in books.opens]
        if missing:
            proposal.left_out.append((debt, f"{books.business_name(missing[0])}に資金の勘定がありません"))
            continue
        proposal.transfers.append(Transfer(debt.debtor, debt.creditor, debt.amount,
                                           books.business_name(debt.debtor), books.business_name(debt.creditor)))
    return proposal


__all__ = ["CF_LABEL", "Contribution", "Debt", "Proposal", "Transfer", "debts", "pair_entries", "propose"]
