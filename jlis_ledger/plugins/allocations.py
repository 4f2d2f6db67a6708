"""Allocations (配賦): common costs and shared assets booked once to a pool, split to the businesses.

Enable it in the ledger's main file, *before* the segments plugin (Beancount
runs plugins in file order)::

    plugin "jlis_ledger.plugins.allocations"
    plugin "jlis_ledger.plugins.segments" "{'mode': 'strict', 'clearing': 'Liabilities:1-流動負債:17-他事業勘定'}"

The 他事業勘定 (clearing) account is the segments plugin's ``clearing``, read
from its plugin line; a ledger without the segments plugin gives it here:
``plugin "jlis_ledger.plugins.allocations" "{'clearing': 'Liabilities:Clearing'}"``.

The ledger declares (see :mod:`jlis_ledger.allocations.declarations`)::

    ; the pool (共通): a business with role "common"
    2014-04-01 custom "business" "C-共通" "common"
    ; a key (配賦基準): dated weights per business, in force from its date until the next one
    2022-04-01 custom "allocation-key" "人員比" "B1-一般事業" 12 "B2-本人確認情報処理事業" 30
    2023-04-01 custom "allocation-key" "人員比" "B1-一般事業" 14 "B2-本人確認情報処理事業" 29
    ; a rule: pool postings on this item (an account without its business, or a prefix) use this key
    2022-04-01 custom "allocation-rule" Expenses:1-営業費用:102-一般管理費 "人員比"

and books a common cost once, to the pool account (the item with the pool as
last component)::

    2022-10-31 * "共通管理費"
      Expenses:1-営業費用:102-一般管理費:C-共通         1,000,000 JPY
      Assets:1-流動資産:11-現金及び預金:B1-一般事業      -1,000,000 JPY

The rules:

1. Every posting to a pool account is replaced by one posting per business of
   the key, on the same item, with the business's share of the amount.  The
   key is the posting's ``allocation-key:`` metadata, else its transaction's,
   else the rule of the longest declared item that the account falls under.
   The weights are those of the key's latest declaration dated on or before
   the posting's date.
2. Shares are proportional to the weights with **largest-remainder rounding**
   in the smallest unit of the posted amount (1 yen for ``1000 JPY``, 0.01 for
   ``12.50 USD``): each business gets the floor of its exact share, and the
   units left go one each to the largest remainders, ties to the business
   listed first in the key.  The parts sum exactly to the original; a negative
   amount is split as the negation of its absolute value (a reversal reverses
   the split exactly); zero shares are not posted.
3. In a transaction that posts to a pool, the pool stands for all businesses:
   the plugin then adds one 他事業勘定 leg per business and currency that does
   not sum to zero, so that every business balances (whoever paid a common cost
   is owed the other businesses' shares) and the legs net to zero; the segments
   plugin in ``strict`` mode accepts the result.
4. After the plugin, no posting is left on a pool account: the pool is zero at
   every date (the segments plugin reports a pool posting that is left).
5. Errors (one per case, at the entry's file and line; the transaction is then
   left as it is): a pool posting with no key (no metadata and no rule), with
   a key that is not declared, before the key's first date, or with a cost or
   price; and in the declarations: a key with a negative weight, all weights
   zero, a business listed twice, or a business that is not declared (or is
   the elimination or a pool column); a rule naming an undeclared key.

What the plugin adds is marked ``generated: "allocations"``: the shares carry
the pool posting's own metadata plus ``allocation-key:`` (the key),
``allocation-key-date:`` (the date of the weights used) and
``allocated-from:`` (the pool account), and ``allocated-generated:`` (the
original marker) when the pool posting was itself generated; the legs carry ``generated`` only; the
``open`` directives (filename ``<allocations>``) of the accounts it posts to
that the ledger does not open are dated on their first use.  Typed postings are
never changed, so changing a key changes only the generated postings; the
output has no pool postings, so running the plugin on its own output changes
nothing.

The rule is :mod:`jlis_ledger.allocations.rule`, the split
:func:`jlis_ledger.allocations.split.largest_remainder`, the report
:mod:`jlis_ledger.allocations.report`.
"""

from __future__ import annotations

from typing import Any

from beancount.core import data

from jlis_ledger.allocations import rule
from jlis_ledger.allocations.rule import (
    FROM_META,
    GENERATED_BY,
    GENERATED_KEY,
    KEY_DATE_META,
    KEY_META,
    ORIGIN_META,
    SEGMENTS_PLUGIN,
    AllocationsError,
    clearing_of,
    is_generated,
    largest_remainder,
)

__plugins__ = ("allocations",)


def allocations(entries: list[data.Directive], options_map: dict[str, Any], config: str | None = None) -> tuple[list[data.Directive], list]:
    """The plugin: replace every pool posting by its shares; see the module docstring."""
    return rule.allocate(entries, options_map, config)


__all__ = ["FROM_META", "GENERATED_BY", "GENERATED_KEY", "KEY_DATE_META", "KEY_META", "ORIGIN_META", "SEGMENTS_PLUGIN",
           "AllocationsError", "allocations", "clearing_of", "is_generated", "largest_remainder"]
