"""Segment accounting: every business (事業) balances on its own.

Enable it in the ledger's main file, with the 他事業勘定 (inter-business
clearing) account *without* its business component::

    plugin "jlis_ledger.plugins.segments" "{'mode': 'strict', 'clearing': 'Liabilities:1-流動負債:17-他事業勘定', 'internal_tag': 'internal'}"

The businesses are declared in the ledger (``custom "business" LABEL [ROLE]``,
see :mod:`jlis_ledger.segments.declarations`); the last component of every account is
its business.  The rules:

1. Every account that is opened or posted to ends with a declared business
   label.  Otherwise: one error per account, at its ``open`` (or its first use).
2. Per transaction and currency, the postings of each business sum to zero
   (the weight of a posting, i.e. its cost or price conversion if it has one).
   In ``'mode': 'auto'`` the plugin adds one net 他事業勘定 leg per unbalanced
   business, ``CLEARING:BUSINESS``; in ``'mode': 'strict'`` (the default) it
   reports one error per unbalanced transaction, naming each business and its
   imbalance, and the legs that would fix it.
3. In both modes the 他事業勘定 postings of a transaction net to zero over the
   businesses.
4. A transaction tagged with ``internal_tag`` (one business charging another)
   is eliminated in full in the business declared with role
   ``"elimination"`` (相殺等): each of its postings is mirrored, negated, on the
   same item with the elimination business as last component, so that the
   parent accounts show the consolidated figures.  The mirrors are aggregated
   per account (and currency, cost and price) and those that sum to zero are
   dropped: the 他事業勘定 mirrors always cancel out.  A posting typed by hand to
   the elimination business is an error; so is an internal transaction when no
   elimination business is declared (one error).
5. A fund business (role ``"fund"``) has zero net income (its Income and
   Expenses over the fiscal year) and zero net assets (its Assets and
   Liabilities to date, which equal minus its Equity and all its Income and
   Expenses to date when the business balances) at the end of every fiscal year
   in which it has postings.  Fiscal years follow Fava's option
   ``custom "fava-option" "fiscal-year-end" "MM-DD"`` (default ``12-31``).
6. A common pool (a business with role ``"common"``, 共通) is emptied by
   :mod:`jlis_ledger.plugins.allocations`, which must run before this plugin:
   a posting left on a pool account is an error.

What the plugin adds is marked with the metadata ``generated: "segments"``:

- the 他事業勘定 legs, which also carry ``partners: "B2-… 1,500 JPY; B3-… 500 JPY"``:
  the business's net 他事業勘定 position in the transaction split by partner,
  signed like the leg (positive: the partner owes this business), paired as
  :mod:`jlis_ledger.segments.clearing` describes (the who-owes-whom matrix,
  :func:`jlis_ledger.segments.clearing.clearing_positions`, uses the same pairing);
- the 相殺等 mirrors;
- the ``open`` directives (filename ``<segments>``) of the accounts it posts to
  that the ledger does not open, dated on their first use.

Generated postings come after the typed ones: the 他事業勘定 legs in business
declaration order, then the mirrors by account.  They never change a typed
amount; the plugin drops its own earlier output before it runs, so running it
twice gives the same entries as once, and the order of the typed postings does
not change what it generates.  Errors carry the ``filename`` and ``lineno`` of
the offending entry in ``source`` (``bean-check`` prints them as
``file:line: message``); amounts in messages have thousands separators.

A transaction that does not balance as a whole is left to Beancount, which
reports it; one that balances only within Beancount's rounding tolerance
cannot be split exactly and is reported if a business is off by more than
that tolerance.  The padding entries of ``pad`` are created after the plugins
run and are not checked.

Cost: one pass over the entries (plus a scan of the ``custom`` directives);
transactions of one business, and cross-business transactions that already
balance per business, are returned as they are, not copied.
"""

from __future__ import annotations

from typing import Any

from beancount.core import data

from jlis_ledger.core import generated
from jlis_ledger.core.numbers import amount_text as fmt
from jlis_ledger.core.periods import fiscal_year_end_of
from jlis_ledger.segments import rule
from jlis_ledger.segments.config import MODES, Config, SegmentsError, parse_config

__plugins__ = ("segments",)


def segments(entries: list[data.Directive], options_map: dict[str, Any], config: str | None = None) -> tuple[list[data.Directive], list]:
    """The plugin: check (and in auto mode complete) the per-business books; see the module docstring."""
    return rule.check(entries, options_map, config)


def is_generated(meta: data.Meta | None) -> bool:
    """True for the metadata of a posting or open that this plugin generated."""
    return generated.is_generated(meta, generated.SEGMENTS)


# Names of the first release, kept for one release (they live in jlis_ledger.core and jlis_ledger.segments now).
GENERATED_KEY = generated.KEY
GENERATED_BY = generated.SEGMENTS
PARTNERS_KEY = generated.PARTNERS

__all__ = ["GENERATED_BY", "GENERATED_KEY", "MODES", "PARTNERS_KEY", "Config", "SegmentsError", "fiscal_year_end_of",
           "fmt", "is_generated", "parse_config", "segments"]
