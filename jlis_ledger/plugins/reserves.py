"""Reserves (積立金): owned by a business, funded and drawn as declared, profit appropriated exactly.

Enable it in the ledger's main file, after the segments plugin::

    plugin "jlis_ledger.plugins.reserves"

(optionally with ``"{'appropriation_tag': 'appropriation', 'opening_tag': 'opening'}"``,
the defaults).  Nothing about a particular body lives in code: the ledger
declares its reserves and plans (:mod:`jlis_ledger.reserves.declarations`)::

    2016-04-01 custom "reserve" Liabilities:Reserves:Renewal "B2-Registry"
      provision: Expenses:Special:RenewalProvision        ; 繰入額, debited by a provision
      release: Income:Operating:RenewalRelease            ; 取崩収入, credited by a release
    2014-04-01 custom "reserve" Equity:Retained:General
      general: TRUE                                       ; the general reserve (積立金)
    2014-04-01 custom "reserve" Equity:Retained:Development
    2023-03-31 custom "reserve-plan" Liabilities:Reserves:Renewal 2023-04-01 2028-03-31 1250000000 JPY 12060000000 JPY
      precision: 10000000                                 ; published in 0.1億円

ACCOUNT is given without its business component (the last component of every
account is the business).  A reserve under the Liabilities root is a liability
reserve (負債性積立金), one under Equity an equity reserve (利益剰余金); both
have credit balances, shown positive below.

How a transaction is read
-------------------------

Every transaction that posts to a reserve (``RESERVE:BUSINESS``, or below it),
to a declared provision or release account, or that carries the appropriation
tag, is classified per business and currency:

- tagged ``#opening`` (``opening_tag``): opening balances carried into the
  books; only rules 1 and 2 apply;
- tagged ``#appropriation`` (``appropriation_tag``): an appropriation of profit
  (利益の処分); its equity-reserve postings are the distribution (rule 5), its
  postings to other Equity accounts the *profit leg*;
- otherwise, for each reserve R and business B, with n = the net posting to R
  in B, and p, r = the net postings to R's provision and release accounts in B:
  if p or r is non-zero, the movement is a provision (繰入, p) and/or a release
  (取崩, r), and n + p + r must be zero (rule 3); else a movement of a liability
  reserve is an unmatched provision or release (rule 3); else (an equity
  reserve) it is a transfer (振替: 積立 in, 取崩 out), rule 4.

The rules
---------

1. **Ownership.**  A reserve declared with a business is posted only in that
   business (one error per transaction and account).
2. **Never negative.**  The balance of each reserve account (reserve and
   business) and currency at the end of every day is ≥ 0; the first day it
   goes below is reported once, at the day's last transaction on it, with the
   balance before the day, the day's movement and the balance after.  It is
   reported again only after it has recovered.
3. **Provision and release.**  A provision credits the reserve and debits its
   declared ``provision`` account by the same amount, a release debits it and
   credits its ``release`` account by the same amount — in the same
   transaction and business.  A movement of a liability reserve without them,
   a 繰入額 / 取崩収入 posting without the reserve, or a mismatch is an error
   (one per reserve, business and currency of the transaction).
4. **Transfers among equity reserves net to zero within the business** (per
   currency).  One error per transaction and currency: "crosses businesses"
   when the transfers net to zero only over several businesses, else "does not
   net to zero" with the amounts of each business.
5. **Appropriation of profit.**  An entry tagged ``#appropriation`` closes the
   last fiscal year ending before its date (Fava's ``fiscal-year-end``, e.g.
   ``15-31``: an entry of 2023-06-30 closes 2022-04-01 – 2023-03-31).  For every
   business with a profit or a loss that year (the elimination business
   aside), and per currency, the profit leg must equal the year's net income
   (当期純利益, −(Income + Expenses) of that business over the year): debited
   with a profit, credited with a loss; the reserves receive the rest, which
   (the entry balancing per business) is the same net income.  One error per
   business that differs, and one for a year appropriated twice.

   The representation (J-LIS books, 令和4年度)::

       2023-06-30 * "令和4年度利益の処分" #appropriation
         Equity:2-利益剰余金:25-処分対象利益:B1-一般事業                  377,306,562 JPY  ; 当期純利益 (profit leg)
         Equity:2-利益剰余金:21-積立金:B1-一般事業                       -76,501,789 JPY  ; stays in 積立金
         Equity:2-利益剰余金:23-システム開発積立金:B1-一般事業          -300,804,773 JPY
         Equity:2-利益剰余金:25-処分対象利益:B4-個人番号カード発行等事業   -115,176,227 JPY  ; a loss
         Equity:2-利益剰余金:21-積立金:B4-個人番号カード発行等事業         115,176,227 JPY  ; reduces 積立金
         …

   Beancount keeps the year's net income in Income and Expenses (no closing
   entries); the profit leg's account (処分対象利益) offsets it once it is
   appropriated, so the reserves hold their published balances after the
   appropriation, and 処分対象利益 plus the Income and Expenses to date is
   the profit not yet appropriated.
6. **Plans.**  ``custom "reserve-plan" ACCOUNT FROM TO PROVISION RELEASE``
   (FROM and TO inclusive, RELEASE written positive) plans or records the
   reserve's 積立 (provisions; for an equity reserve also transfers in and the
   appropriation) and 取崩 (releases, transfers out) over the period, summed
   over the businesses.  A declaration whose period ended on or before its date
   records what was done (実績: a published history); the others are plans (計画).
   ``precision:`` (yen, default 1) is the rounding unit of the published
   figures: a booked total within half of it of a figure agrees.  Plans of a
   reserve do not overlap.

   - A plan is compared on its movements: booked 積立 and 取崩 over the period
     (opening entries aside) with the declared figures.
   - Periods that start on or before the reserve's last opening entry (``#opening``,
     dated D) lie before the books: together they are compared with the
     balance they lead to — the reserve's balance at the end of their last day
     or at D, whichever is later, must be Σ(PROVISION − RELEASE) within
     Σ precision (this checks the opening balance against the published history).

   A comparison is made once the plan is *due*: if the ledger books
   appropriations, once the fiscal year containing TO has been appropriated
   (the books of a year are final when its 利益の処分 is booked); otherwise once
   the ledger has a transaction dated on or after TO.  A due plan that differs
   beyond the precision is one error at the plan's declaration, unless the plan
   carries ``explanation: "…"`` (why the deviation is accepted): then it is only
   reported.  A plan that is not due never errs — future plans are shown by
   ``jlis-ledger reserves`` (planned, booked so far, deviation), never by
   ``bean-check``.

Declaration errors (a reserve outside Liabilities/Equity, an undeclared
business, a plan for an undeclared reserve …) are reported at the declaration.
Errors carry the ``filename`` and ``lineno`` of the offending entry.

Where it lives: the declarations in :mod:`jlis_ledger.reserves.declarations`, rules 1–5 in
:mod:`jlis_ledger.reserves.analysis`, rule 6 in :mod:`jlis_ledger.reserves.plans`, the report
in :mod:`jlis_ledger.reserves.report`.  The entries are returned unchanged (a ``custom`` written without
any value, which Beancount's parser gives ``values=None``, is passed on with ``values=[]``:
:mod:`jlis_ledger.core.customs`).
"""

from __future__ import annotations

from typing import Any

from beancount.core import data

from jlis_ledger.core import customs
from jlis_ledger.reserves.analysis import analyze
from jlis_ledger.reserves.model import (
    APPROPRIATION,
    OPENING,
    PROVISION,
    RELEASE,
    TRANSFER,
    UNMATCHED,
    Analysis,
    Appropriation,
    AppropriationError,
    Config,
    Movement,
    NegativeReserveError,
    OpeningCheck,
    PlanResult,
    ProfitLeg,
    ProvisionReleaseError,
    ReserveDeclarationError,
    ReserveOwnershipError,
    ReservePlanError,
    ReserveTransferError,
    parse_config,
)

__plugins__ = ("reserves",)


def reserves(entries: list[data.Directive], options_map: dict[str, Any], config: str | None = None) -> tuple[list[data.Directive], list]:
    """The plugin: check the reserve rules (see the module docstring); the entries are returned unchanged."""
    analysis = analyze(entries, options_map, config)
    return (customs.completed(entries) if analysis.malformed else entries), analysis.errors


__all__ = [
    "APPROPRIATION", "OPENING", "PROVISION", "RELEASE", "TRANSFER", "UNMATCHED",
    "Analysis", "Appropriation", "AppropriationError", "Config", "Movement", "NegativeReserveError", "OpeningCheck",
    "PlanResult", "ProfitLeg", "ProvisionReleaseError", "ReserveDeclarationError", "ReserveOwnershipError",
    "ReservePlanError", "ReserveTransferError", "analyze", "parse_config", "reserves",
]
