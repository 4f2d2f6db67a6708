"""The flows that ``custom "flow"`` asserts, summed in one pass.

The assertions' periods cut the calendar into *buckets* (every start and every day after an end is
a boundary); each transaction adds its postings once, to the bucket of its date, per account — also
per ``cf:`` label when some assertion names one, and per tag for the tags that assertions name.  The
units are only collected in the pass (one list append per posting); each account's list is summed,
once an assertion asks for it, in C (``sum``); the numbers of the main currency are kept by account
alone, the others by account and currency.  An assertion is then the sum of the buckets in its period over the accounts it
names (and below them, in its business), so checking hundreds of assertions costs one pass over the
postings plus a few dictionary reads each.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from beancount.core import data

from jlis_ledger.core.accounts import business_of
from jlis_ledger.proof.declarations import FlowAssertion

ZERO = Decimal(0)
ONE_DAY = datetime.timedelta(days=1)
#: account -> the numbers of its postings in the main currency, (account, currency) -> those in another
Sums = defaultdict[Any, list]


class FlowSums:
    """The sums of a ledger's postings by bucket, ready to answer every flow assertion."""

    def __init__(self, flows: Iterable[FlowAssertion], base: dict[tuple[str, str], Decimal] | None = None,
                 base_end: datetime.date | None = None) -> None:
        """``base``: the balances of every account up to ``base_end`` (a sealed closing); when every assertion that
        reaches back before it starts at the beginning of the books, the postings up to it are not summed again."""
        self.flows = list(flows)
        bounds: set[datetime.date] = set()
        for f in self.flows:
            if f.start is not None:
                bounds.add(f.start)
            bounds.add(f.end + ONE_DAY)
        if base is not None and base_end is not None:
            if all(f.start is None or f.start > base_end for f in self.flows if f.end > base_end) and \
                    all(f.end > base_end for f in self.flows):
                bounds.add(base_end + ONE_DAY)
            else:
                base = None
        self.bounds = sorted(bounds)
        n = len(self.bounds) + 1
        #: buckets that some assertion covers
        self.wanted = [False] * n
        for f in self.flows:
            lo, hi = self.buckets(f)
            for b in range(lo, hi + 1):
                self.wanted[b] = True
        #: the sealed closing, standing for every bucket up to its end (those are not summed)
        self.base = base
        self.base_buckets = bisect.bisect_right(self.bounds, base_end) + 1 if base is not None and base_end is not None else 0
        for b in range(self.base_buckets):
            self.wanted[b] = False
        currencies = {f.currency for f in self.flows}
        #: the currency most assertions are in: its numbers are kept by account alone (one key fewer per posting)
        self.currency = max(sorted(currencies), key=lambda c: sum(f.currency == c for f in self.flows)) if currencies else ""
        self.sums: list[Sums] = [defaultdict(list) for _ in range(n)]
        self.tags = frozenset(f.tag for f in self.flows if f.tag)
        self.tagged: dict[str, list[Sums]] = {t: [defaultdict(list) for _ in range(n)] for t in self.tags}
        self._totals: dict[tuple[int, str | None, str, str], Decimal] = {}
        self.with_labels = any(f.labels for f in self.flows)
        self.labelled: list[dict[tuple[str, str, str], Decimal]] = [{} for _ in range(n)]
        self.labels_seen: set[str] = set()
        self._bucket_of: dict[datetime.date, int | None] = {}

    def first_date(self) -> datetime.date | None:
        """The first day of the first bucket that is summed (None: from the beginning)."""
        first = next((b for b, wanted in enumerate(self.wanted) if wanted), None)
        if first is None:
            return datetime.date.max
        return self.bounds[first - 1] if first else None

    def buckets(self, flow: FlowAssertion) -> tuple[int, int]:
        """The first and last bucket of an assertion's period."""
        lo = 0 if flow.start is None else bisect.bisect_right(self.bounds, flow.start)
        return lo, bisect.bisect_right(self.bounds, flow.end)

    def bucket(self, date: datetime.date) -> int | None:
        """The bucket of a date, or None if no assertion covers it."""
        try:
            return self._bucket_of[date]
        except KeyError:
            b = bisect.bisect_right(self.bounds, date)
            value = b if self.wanted[b] else None
            self._bucket_of[date] = value
            return value

    def add(self, entry: data.Transaction, bucket: int) -> None:
        """Add a transaction's postings to its bucket."""
        sums = self.sums[bucket]
        main = self.currency
        postings: list[Any] = entry.postings  # booked: every posting has units with a number
        for posting in postings:
            units = posting.units
            if units.currency == main:
                sums[posting.account].append(units.number)
            else:
                sums[(posting.account, units.currency)].append(units.number)
        if self.tags and entry.tags:
            for tag in self.tags.intersection(entry.tags):
                tagged = self.tagged[tag][bucket]
                for posting in postings:
                    units = posting.units
                    tagged[posting.account if units.currency == main else (posting.account, units.currency)].append(units.number)
        if self.with_labels:
            labelled = self.labelled[bucket]
            for posting in postings:
                meta = posting.meta
                label = meta.get("cf") if meta else None
                if label is not None:
                    self.labels_seen.add(label)
                    key3 = (label, posting.account, posting.units.currency)
                    labelled[key3] = labelled.get(key3, ZERO) + posting.units.number

    # -- the answers --------------------------------------------------------------------

    def accounts(self) -> set[str]:
        """Every account with a posting in a covered bucket."""
        out: set[str] = set()
        for sums in self.sums:
            out.update(k if isinstance(k, str) else k[0] for k in sums)
        if self.base:
            out.update(a for a, _ in self.base)
        return out

    def booked(self, flow: FlowAssertion, under: dict[str, list[str]]) -> Decimal:
        """The booked flow of an assertion; ``under`` maps an account to the accounts at or below it."""
        lo, hi = self.buckets(flow)
        total = ZERO
        currency = flow.currency
        if flow.labels:
            for b in range(lo, hi + 1):
                for (label, account, cur), number in self.labelled[b].items():
                    if cur == currency and label in flow.labels and (flow.business is None or business_of(account) == flow.business):
                        total += number
            return total
        accounts = list(dict.fromkeys(a for prefix in flow.accounts for a in under.get(prefix, ())))  # each account once
        if flow.business is not None:
            accounts = [a for a in accounts if business_of(a) == flow.business]
        buckets = self.tagged[flow.tag] if flow.tag else self.sums
        totals = self._totals
        main = currency == self.currency
        if self.base is not None and lo < self.base_buckets:  # a balance from the beginning: the sealed closing, then the rest
            base = self.base
            total += sum((base.get((a, currency), ZERO) for a in accounts), ZERO)
            lo = self.base_buckets
        for b in range(lo, hi + 1):
            sums = buckets[b]
            for account in accounts:
                numbers = sums.get(account if main else (account, currency))
                if not numbers:
                    continue
                key = (b, flow.tag, account, currency)
                if key not in totals:
                    totals[key] = sum(numbers, ZERO)
                total += totals[key]
        return total


def index_under(accounts: Iterable[str]) -> dict[str, list[str]]:
    """Every prefix of the accounts (an account and its parents) -> the accounts at or below it."""
    out: dict[str, list[str]] = defaultdict(list)
    for account in set(accounts):
        parts = account.split(":")
        for i in range(1, len(parts) + 1):
            out[":".join(parts[:i])].append(account)
    return out


__all__ = ["FlowSums", "index_under"]
