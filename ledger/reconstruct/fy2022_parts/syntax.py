"""The Beancount text the reconstruction writes: amounts, quoted values, transactions.

Amounts are integer yen with thousands separators (Beancount reads ``1,234``); a transaction
carries ``source:``, ``event:`` and, when it is not as published, ``basis:`` and ``rule:``; the
postings' amounts are right-aligned in one column.
"""

from __future__ import annotations

from beancount.utils.misc_utils import escape_string

from fy2022_parts.books import Txn
from jlis_ledger.core.numbers import figure as number


def yen(n: int) -> str:
    """Integer yen as Beancount reads it: ``1,234``, ``-1,234`` (the library's one number formatter)."""
    return number(n, "円", "-")


def quote(value: object) -> str:
    """A metadata value: an integer as :func:`yen`, anything else a string escaped as Beancount's printer does."""
    if isinstance(value, int):
        return yen(value)
    return '"' + escape_string(str(value)) + '"'


def render_txn(t: Txn) -> str:
    """A transaction: narration and tags, its metadata, then the postings and their metadata."""
    tags = "".join(f" #{tag}" for tag in t.tags)
    lines = [f'{t.date} * "{t.narration}"{tags}', f"  source: {quote(t.source)}", f"  event: {quote(t.event)}"]
    if t.basis:
        lines.append(f"  basis: {quote(t.basis)}")
        lines.append(f"  rule: {quote(t.rule)}")
    width = max(len(p.account) for p in t.postings) + 2
    for p in t.postings:
        lines.append(f"  {p.account.ljust(width)}{yen(p.amount).rjust(18)} JPY")
        for k, v in p.meta.items():
            lines.append(f"    {k}: {quote(v)}")
    return "\n".join(lines) + "\n"
