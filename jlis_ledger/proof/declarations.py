"""The proof declarations: flow assertions (``custom "flow"``) and sealed years (``custom "fiscal-seal"``).

A flow assertion states the net flow of an account, of a line within one business, or of a
``cf:`` line over a fiscal year or a date range (Beancount's ``balance`` can only assert a balance
at a date)::

    ; the net flow of an account and every account below it, over fiscal year 2022 (Fava's name)
    2023-03-31 custom "flow" 2022 Income:1-営業収益:101-事業負担金収入 -305,468,400 JPY
    ; the same line within one business
    2023-03-31 custom "flow" 2022 Income:1-営業収益:101-事業負担金収入 -305,468,400 JPY
      business: "B1-一般事業"
    ; several accounts summed (営業利益 = 営業収益 + 営業費用, Beancount signs)
    2023-03-31 custom "flow" 2022 Income:1-営業収益 Expenses:1-営業費用 -5,169,409,319 JPY
    ; cf: lines (the postings whose cf: names one of them), over a date range, both ends inclusive
    2023-03-31 custom "flow" 2022-04-01 2023-03-31 "事業負担金収入" 305,468,400 JPY
    ; one date: everything up to it (a balance of several accounts, which `balance` cannot assert)
    2023-03-31 custom "flow" 2023-03-31 Assets:1-流動資産 311,615,904,034 JPY
    ; only the transactions carrying a tag
    2023-06-30 custom "flow" 2023 Equity:2-利益剰余金:23-システム開発積立金 -676,374,000 JPY
      tag: "appropriation"

``custom "flow" PERIOD SUBJECT… AMOUNT``: PERIOD is a fiscal year (a number, named as Fava names it
from the ``fiscal-year-end`` option), two dates (FROM TO) or one date (TO, from the beginning of the
books); SUBJECT is one or more accounts (each with every account below it) or one or more quoted
``cf:`` labels, not both; AMOUNT is the sum of the postings in Beancount's signs (revenue and
liabilities negative, a cash receipt positive), exact.  ``business:`` restricts the postings to the
accounts of one business (their last component), ``tag:`` to the transactions carrying the tag.

A sealed year::

    2023-03-31 custom "fiscal-seal" 2022 "3c9f…"        ; the digest (64 hex digits)
      entries: 1321                                        ; how many entries it covers
      options: "5e1f…"                                     ; the options' fingerprint
      plugins: "77a0…"                                     ; what the plugins make of the entries
      file-0001: "ab12… 97 fy2022/transactions.beancount"  ; SHA-256, entries of the range, file
      closing-0001: "Assets:Cash:B1-A 1200 JPY"            ; each account's balance at the year end
      digests-0001: "0a1b2c3d4e5f6a7b 1c2d…"             ; each entry's digest, sorted, 8 a line

is written by ``jlis-ledger close --year 2022`` (:mod:`jlis_ledger.proof.close`); what it covers is
described in :mod:`jlis_ledger.proof.digest`.  :func:`read_proof` reads both once; a malformed
declaration is one located error and is left out.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import account as account_lib
from beancount.core import data
from beancount.core.amount import Amount

from jlis_ledger.core.errors import DeclarationError
from jlis_ledger.core.periods import CALENDAR, FiscalYear, PeriodError, fiscal_year, japanese_fiscal_year

FLOW = "flow"
SEAL = "fiscal-seal"
#: The metadata key prefix of a seal's digest lines, and how many digests a line holds.
DIGEST_KEY = "digests-"
#: The metadata key prefix of a seal's file lines (the fast path: "SHA256 COUNT PATH").
FILE_KEY = "file-"
#: The metadata key prefix of a seal's closing balances ("ACCOUNT NUMBER CURRENCY", the sealed closing).
CLOSING_KEY = "closing-"
DIGESTS_PER_LINE = 8
#: Values of ``proof:`` on an assertion (balance or flow).
PUBLISHED = "published"
ESTIMATE = "estimate"
CHECK = "check"  # an identity of the books (a pool at zero), neither a published figure nor an estimate

FLOW_USAGE = ('custom "flow" takes a period (a fiscal year, FROM TO, or TO), one or more accounts or quoted cf: labels, '
              'and the amount, e.g. custom "flow" 2022 Income:1-営業収益 -1,000 JPY')
SEAL_USAGE = ('custom "fiscal-seal" takes a fiscal year and a digest (64 hex digits), with entries: and digests-NNNN: '
              "lines; write it with jlis-ledger close --year FY")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_DIGESTS = re.compile(r"[0-9a-f]{16}(?: +[0-9a-f]{16})*")


@dataclass(frozen=True)
class FlowAssertion:
    """``custom "flow"``: the net flow of a subject over a period (``start`` None: from the beginning)."""

    entry: data.Custom
    start: datetime.date | None
    end: datetime.date  # inclusive
    year: int | None  # the fiscal year, when the period was given as one
    accounts: tuple[str, ...]
    labels: tuple[str, ...]  # cf: labels
    business: str | None
    tag: str | None
    amount: Decimal
    currency: str

    @property
    def meta(self) -> data.Meta:
        return self.entry.meta

    @property
    def proof(self) -> str:
        """``published`` or ``estimate``: see :func:`proof_kind`."""
        return proof_kind(self.entry.meta)

    def subject(self) -> str:
        what = " ".join(self.accounts) if self.accounts else " ".join(f"cf: {label}" for label in self.labels)
        if self.business:
            what += f" ({self.business})"
        if self.tag:
            what += f" #{self.tag}"
        return what

    def period(self) -> str:
        if self.year is not None and self.start is not None:
            return f"{japanese_fiscal_year(self.start)} ({self.start} – {self.end})"
        if self.start is None:
            return f"up to {self.end}"
        return f"{self.start} – {self.end}"


@dataclass(frozen=True)
class Seal:
    """``custom "fiscal-seal"``: a fiscal year closed with the digest of its entries."""

    entry: data.Custom
    year: int
    start: datetime.date
    end: datetime.date
    digest: str
    count: int
    listed: bytes  # the entries' 8-byte digests, as listed (sorted by close), one after the other
    options: str | None = None  # the fingerprint of the options (jlis_ledger.proof.digest.options_fingerprint)
    files: tuple[tuple[str, int, str], ...] = ()  # (path relative to the main file, entries of the range, SHA-256 of its bytes)
    plugins: str | None = None  # the fingerprint of what the plugins make of the entries (digest.plugins_fingerprint)
    closing: tuple[tuple[str, Decimal, str], ...] = ()  # (account, balance, currency) at the year end, as the plugins make it

    @property
    def meta(self) -> data.Meta:
        return self.entry.meta

    @property
    def name(self) -> str:
        return japanese_fiscal_year(self.start)

    @property
    def digests(self) -> list[bytes]:
        """Each entry's digest (split only when the entries are digested: the fast path never needs them)."""
        raw = self.listed
        return [raw[i:i + 8] for i in range(0, len(raw), 8)]


def proof_kind(meta: data.Meta | None) -> str:
    """What an assertion proves: ``estimate`` when it restates our own derivation or allocation
    (``proof: "estimate"``, or a ``basis:`` without ``proof: "published"``), ``check`` for an identity of
    the books (``proof: "check"``), else ``published``."""
    meta = meta or {}
    kind = meta.get("proof")
    if kind in (PUBLISHED, ESTIMATE, CHECK):
        return str(kind)
    return ESTIMATE if meta.get("basis") is not None else PUBLISHED


@functools.lru_cache(maxsize=256)
def _fiscal_year(year: int, fye: tuple[int, int]) -> FiscalYear | str:
    try:
        return fiscal_year(year, fye)
    except PeriodError as error:
        return str(error)


def _period(values: list, fye: tuple[int, int]) -> tuple[datetime.date | None, datetime.date, int | None, int] | str:
    """(start, end, year, how many values) of the period at the head of the values, or what is wrong."""
    first = values[0].value if values else None
    if isinstance(first, Decimal):
        if first != first.to_integral_value() or not 1 <= first <= 9998:
            return f"the fiscal year {first} is not a year (1 to 9998)"
        fy = _fiscal_year(int(first), fye)
        if isinstance(fy, str):
            return fy
        return fy.start, fy.end, fy.year, 1
    if isinstance(first, datetime.date):
        second = values[1].value if len(values) > 1 else None
        if isinstance(second, datetime.date):
            if second < first:
                return f"the period ends ({second}) before it starts ({first})"
            return first, second, None, 2
        return None, first, None, 1
    return FLOW_USAGE


def _read_flow(entry: data.Custom, fye: tuple[int, int], businesses: set[str] | None) -> FlowAssertion | str:
    values = list(entry.values)
    period = _period(values, fye)
    if isinstance(period, str):
        return period
    start, end, year, used = period
    subject, last = values[used:-1], values[-1] if len(values) > used else None
    if last is None or not isinstance(last.value, Amount) or not isinstance(last.value.number, Decimal) or not subject:
        return FLOW_USAGE
    accounts = tuple(v.value for v in subject if v.dtype == account_lib.TYPE)
    labels = tuple(v.value for v in subject if v.dtype is str)
    if len(accounts) + len(labels) != len(subject):
        return FLOW_USAGE
    if accounts and labels:
        return "a flow's subject is accounts or cf: labels, not both"
    business, tag = entry.meta.get("business"), entry.meta.get("tag")
    if business is not None and not isinstance(business, str):
        return "business: must be a quoted business label"
    if businesses and business is not None and business not in businesses:
        return f'business: {business} is not a declared business (custom "business")'
    if tag is not None and (not isinstance(tag, str) or not tag.lstrip("#")):
        return "tag: must be a quoted tag name"
    return FlowAssertion(entry, start, end, year, accounts, labels, business, tag.lstrip("#") if tag else None,
                         last.value.number, last.value.currency)


def _read_seal(entry: data.Custom, fye: tuple[int, int]) -> Seal | str:
    values = [v.value for v in entry.values]
    if len(values) != 2 or not isinstance(values[0], Decimal) or values[0] != values[0].to_integral_value() \
            or not isinstance(values[1], str) or not _HEX64.match(values[1]):
        return SEAL_USAGE
    try:
        fy = fiscal_year(int(values[0]), fye)
    except PeriodError as error:
        return str(error)
    count = entry.meta.get("entries")
    if not isinstance(count, Decimal) or count != count.to_integral_value() or count < 0:
        return "a fiscal-seal needs entries: (how many entries it covers)"
    keys = sorted(k for k in entry.meta if isinstance(k, str) and k.startswith(DIGEST_KEY))
    if any(not isinstance(entry.meta[k], str) for k in keys):
        return "digests-NNNN: must be quoted lists of digests"
    words = " ".join(entry.meta[k].strip() for k in keys)
    listed = len(words.split())
    if listed != count or (listed and not _DIGESTS.fullmatch(words)):
        return f"the seal lists {listed} digest(s) for entries: {count} (16 hex digits each); write it again with jlis-ledger close"
    raw = bytes.fromhex(words.replace(" ", ""))
    files = []
    for key in sorted(k for k in entry.meta if isinstance(k, str) and k.startswith(FILE_KEY)):
        value = entry.meta[key]
        parts = value.split(" ", 2) if isinstance(value, str) else []
        if len(parts) != 3 or not _HEX64.match(parts[0]) or not parts[1].isdigit():
            return f'{key}: must be "SHA256 COUNT PATH"; write the seal again with jlis-ledger close'
        files.append((parts[2], int(parts[1]), parts[0]))
    options, plugins = entry.meta.get("options"), entry.meta.get("plugins")
    if (options is not None and not isinstance(options, str)) or (plugins is not None and not isinstance(plugins, str)):
        return "options: and plugins: must be quoted fingerprints"
    closing = []
    for key in sorted(k for k in entry.meta if isinstance(k, str) and k.startswith(CLOSING_KEY)):
        parts = str(entry.meta[key]).split(" ")
        try:
            closing.append((parts[0], Decimal(parts[1]), parts[2]))
        except (IndexError, ArithmeticError, ValueError):
            return f'{key}: must be "ACCOUNT NUMBER CURRENCY"; write the seal again with jlis-ledger close'
    return Seal(entry, fy.year, fy.start, fy.end, values[1], int(count), raw, options, tuple(files), plugins, tuple(closing))


def read_proof(entries: Iterable[data.Directive], fiscal_year_end: tuple[int, int] = CALENDAR,
               businesses: Iterable[str] | None = None) -> tuple[list[FlowAssertion], list[Seal], list[DeclarationError]]:
    """The flow assertions and seals of the entries (seals by year), and the errors of the malformed ones."""
    declared = set(businesses) if businesses is not None else None
    flows: list[FlowAssertion] = []
    seals: dict[int, Seal] = {}
    errors: list[DeclarationError] = []
    for entry in entries:
        if type(entry) is not data.Custom or entry.type not in (FLOW, SEAL):
            continue
        if entry.type == FLOW:
            flow = _read_flow(entry, fiscal_year_end, declared)
            if isinstance(flow, str):
                errors.append(DeclarationError(entry.meta, flow, entry))
            else:
                flows.append(flow)
            continue
        seal = _read_seal(entry, fiscal_year_end)
        if isinstance(seal, str):
            errors.append(DeclarationError(entry.meta, seal, entry))
        elif seal.year in seals:
            errors.append(DeclarationError(entry.meta, f"{seal.name} is sealed twice (first at line {seals[seal.year].meta.get('lineno')})", entry))
        else:
            seals[seal.year] = seal
    return flows, [seals[y] for y in sorted(seals)], errors


__all__ = ["CHECK", "CLOSING_KEY", "DIGESTS_PER_LINE", "DIGEST_KEY", "ESTIMATE", "FILE_KEY", "FLOW", "PUBLISHED", "SEAL", "FlowAssertion", "Seal",
           "proof_kind", "read_proof"]
