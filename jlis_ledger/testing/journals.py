"""Hypothesis strategies for journal vouchers (伝票) as accounting tools export them.

A voucher is a transaction of typed postings only (no 他事業勘定 legs): its
debits equal its credit_amounts, but its businesses need not balance on their own, as
in a 弥生 仕訳 whose lines carry different 部門.  Use them to test importers and
exporters, e.g. that a ledger survives an export and an import::

    from hypothesis import given, strategies as st
    from jlis_ledger.testing import journals

    @given(st.lists(journals.vouchers(accounts, start, end), max_size=5))
    def test_round_trip(vouchers): ...

Amounts are whole yen; narrations are Shift_JIS-encodable text (with commas and
quotes, which a CSV must quote, and ``=``, ``+``, ``-``, ``@`` and ``'``, which an export must
keep a spreadsheet from evaluating and an import must read back) without leading or trailing spaces.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount
from hypothesis import strategies as st

#: Characters of narrations: kanji, kana, ASCII, the CSV specials comma and double quote, and the starts of a
#: spreadsheet formula and the apostrophe that neutralises one (jlis_ledger.core.cells).
NARRATION_ALPHABET = "一般受託共通事業費家賃委託料払込月分支払立替あいうアイウ 0123456789ABCabc・、。（）-/,\"=+@'"


def narrations(max_size: int = 24) -> st.SearchStrategy[str]:
    return st.text(NARRATION_ALPHABET, min_size=1, max_size=max_size).map(str.strip).filter(bool)


@st.composite
def _split(draw: st.DrawFn, total: int, parts: int) -> list[int]:
    """``total`` as ``parts`` positive integers (fewer if the total is too small)."""
    parts = max(1, min(parts, total))
    cuts = sorted(draw(st.sets(st.integers(1, total - 1), min_size=parts - 1, max_size=parts - 1))) if parts > 1 else []
    bounds = [0, *cuts, total]
    return [b - a for a, b in itertools.pairwise(bounds)]


@st.composite
def vouchers(
    draw: st.DrawFn,
    accounts: Sequence[str],
    start: datetime.date,
    end: datetime.date,
    max_lines: int = 3,
    max_amount: int = 10**9,
    currency: str = "JPY",
) -> data.Transaction:
    """A voucher on ``accounts`` dated ``start`` … ``end``: 1–``max_lines`` debits and credit_amounts, balanced as a whole."""
    date = draw(st.dates(start, end))
    debits = draw(st.lists(st.integers(1, max_amount), min_size=1, max_size=max_lines))
    credit_amounts = draw(_split(sum(debits), draw(st.integers(1, max_lines))))
    account = st.sampled_from(list(accounts))
    postings = [data.Posting(draw(account), Amount(Decimal(n), currency), None, None, None, {}) for n in debits]
    postings += [data.Posting(draw(account), Amount(Decimal(-n), currency), None, None, None, {}) for n in credit_amounts]
    meta = data.new_metadata("<journals>", 0)
    return data.Transaction(meta, date, "*", None, draw(narrations()), frozenset(), frozenset(), postings)
