"""Proof in the ledger: flow assertions, and sealed fiscal years.

Enable it in the ledger's main file, **after every other plugin** (its seals cover the entries as
the plugins before it leave them)::

    plugin "jlis_ledger.plugins.allocations"
    plugin "jlis_ledger.plugins.segments" "{'mode': 'strict', 'clearing': 'Liabilities:1-流動負債:17-他事業勘定'}"
    plugin "jlis_ledger.plugins.reserves"
    plugin "jlis_ledger.plugins.proof"

(optionally ``"{'opening_tag': 'opening'}"``, the default, as the reserves plugin's).  Beancount's
``balance`` asserts a balance at a date; this plugin asserts *flows* over a period, and keeps a
closed year closed.  Nothing about a particular body lives in code: the ledger declares both
(:mod:`jlis_ledger.proof.declarations`).

Flow assertions
---------------

``DATE custom "flow" PERIOD SUBJECT… AMOUNT`` (``business:``, ``tag:`` optional)::

    2023-03-31 custom "flow" 2022 Income:Operating:Fees -120,000 JPY       ; an account and all below it, FY2022
    2023-03-31 custom "flow" 2022 Income:Operating:Fees -20,000 JPY
      business: "B2-Registry"                                              ; a line within one business
    2023-03-31 custom "flow" 2022 Income:Operating Expenses:Operating -5,000 JPY   ; several accounts, summed
    2023-03-31 custom "flow" 2022-04-01 2023-03-31 "手数料収入" 118,000 JPY  ; cf: lines, over a date range
    2023-03-31 custom "flow" 2023-03-31 Assets:Current 311,000 JPY          ; one date: up to it (a balance)
    2023-06-30 custom "flow" 2023 Equity:Retained:Development -6,000 JPY
      tag: "appropriation"                                                 ; only transactions tagged so

- PERIOD: a fiscal year as Fava names it (``custom "fava-option" "fiscal-year-end" "15-31"``: 2022 is
  2022-04-01 … 2023-03-31), or FROM TO (two dates, both inclusive), or TO (one date: from the
  beginning of the books, i.e. the balance at the end of that day, of any accounts together).
- SUBJECT: one or more accounts, each counting with every account below it (an item without its
  business is the line over all businesses and 相殺等), or one or more quoted ``cf:`` labels (the
  postings whose ``cf:`` metadata is one of them) — not both.  ``business: "LABEL"`` keeps only the
  accounts of that business (their last component); ``tag: "NAME"`` only the transactions tagged
  ``#NAME``.
- AMOUNT: the sum of those postings' units in that currency, in Beancount's signs (revenue,
  liabilities and net assets negative; a cash receipt positive), compared exactly.

Every transaction dated in the period counts, whatever its flag, including what the plugins before
this one generated (the 相殺等 mirrors, 他事業勘定 legs and allocated shares); the padding of
``pad`` is made after the plugins and does not.  A flow that differs is one error at the assertion:
``flow of SUBJECT over PERIOD: expected X, booked Y, difference Y − X``.  An assertion whose
accounts nobody opened, whose ``cf:`` label no posting carries and no ``custom "cash-flow-line"``
declares, or whose business is not declared is an error too (it could never fail).

An assertion that restates an estimate of the books (a split of a consolidated figure, a derived
opening) says so with ``proof: "estimate"`` (or a ``basis:`` without ``proof: "published"``), the same
as a ``balance``: ``jlis-ledger verify`` counts it apart from the proof of published figures.

Sealed years
------------

``jlis-ledger close --year FY`` writes ``DATE custom "fiscal-seal" FY "DIGEST"`` with ``entries:`` and
``options:``, ``plugins:``, ``file-NNNN:``, ``closing-NNNN:`` and ``digests-NNNN:`` lines
(:mod:`jlis_ledger.proof.close`)::

    2023-03-31 custom "fiscal-seal" 2022 "9a0c…"
      entries: 1321
      options: "bca3dc8ae333482a"
      plugins: "5d1e0c7f9a2b4c11"
      file-0001: "ec76…(SHA-256) 268 accounts.beancount"
      closing-0001: "Assets:1-流動資産:11-現金及び預金:1-預金:B1-一般事業 6021574418 JPY"
      digests-0001: "00a1b2c3d4e5f601 …"

The seal of FY covers every entry dated after the previous sealed year (from the beginning of the
books for the first seal) up to FY's last day, and the ``balance`` assertions of FY's closing dated
the day after; each entry by its meaning, not its text (:mod:`jlis_ledger.proof.digest` says exactly
what counts).  Then:

1. An entry covered by a seal that changed, was added or removed is one error per sealed year, at
   the first such entry (``file:line``), naming the seal; removed entries alone are reported at the
   seal.  The seal's digest covers the whole seal (its digest list, fingerprints, files and closing):
   a seal edited by hand is an error at the seal, and is never trusted.
2. A flow assertion that a seal covers, over a period within the sealed years, is *held by the seal*
   while the seals up to its period hold on their fast path (the files as sealed, to the byte) and
   nothing the plugins make of the entries has changed (the seal's ``plugins:`` fingerprint: Beancount's
   version, the plugin lines and their packages' source, the declarations dated after the year): it held
   when the seal was written, everything it depends on is the same, so it is not summed again.  Any
   change, and it is checked afresh (:mod:`jlis_ledger.proof.digest`, "The sealed proof").  The
   ``closing-`` lines are the sealed closing (each account's balance at the year end, as the plugins make
   it); a balance of a later year (a one-date flow) then starts from it.
3. The roll-forward stays proven: the opening of the year after a sealed one is the sealed closing
   (Beancount carries balances on), so a transaction tagged ``#opening`` (``opening_tag``, balances
   carried in) dated after a sealed year is an error.  The 利益の処分 of a sealed year is checked by
   the reserves plugin, and ``jlis-ledger verify`` compares each business's opening with the closing.

Errors carry the ``filename`` and ``lineno`` of the offending entry; the entries are returned
unchanged.  Cost: one pass over the entries (see BENCHMARKS.md).
"""

from __future__ import annotations

from typing import Any

from beancount.core import data

from jlis_ledger.proof import rule
from jlis_ledger.proof.rule import Config, FlowError, ProofDeclarationError, SealError, parse_config

__plugins__ = ("proof",)


def proof(entries: list[data.Directive], options_map: dict[str, Any], config: str | None = None) -> tuple[list[data.Directive], list]:
    """The plugin: check the flow assertions and the seals (see the module docstring); the entries are returned unchanged."""
    return rule.check(entries, options_map, config)


__all__ = ["Config", "FlowError", "ProofDeclarationError", "SealError", "parse_config", "proof"]
