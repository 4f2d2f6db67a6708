"""What the exports to accounting tools share: typed postings paired into lines, mapping lookups, the loss report.

An export writes each transaction of a period as a 伝票 of lines, each line
holding one debit and/or one credit (as 弥生, freee and マネーフォワード do):
the i-th debit and the i-th credit share the i-th line.  Through the mapping
file backwards (the first row naming an item or a business gives its
勘定科目/補助科目 or 部門).  Postings marked ``generated:`` (the segments
plugin's 他事業勘定 legs and 相殺等 mirrors, an importer's legs) are left out:
they are not typed entries, and importing the file makes them again; a pool
posting split by the allocations plugin is written whole, as typed.

Every text cell (勘定科目, 補助科目, 部門, 摘要, 税区分, メモ …) goes through :meth:`LineExporter.text`:
a text that a spreadsheet opening the file would evaluate (beginning with ``=``, ``+``, ``-``,
``@``, a tab or a CR) is written with a leading apostrophe (:func:`jlis_ledger.core.cells.neutralise`),
which the importers take off again (:func:`jlis_ledger.core.cells.restore`), so the round trip is
exact; amounts are numbers and stay numbers.

What a format cannot hold is counted and reported (:meth:`LineExporter.notes`),
never dropped silently; an account without a 科目 in the mapping, a business
without 部門, a non-integer amount, a cost or another currency is an error
(ValueError naming the entry's file and line).
"""

from __future__ import annotations

import datetime
import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar, NamedTuple

from beancount.core import data

from jlis_ledger.core.cells import neutralise
from jlis_ledger.core.errors import location

from .journal import ALLOCATED_FROM, is_generated, typed_postings
from .mapping import Mapping


@dataclass
class Export:
    """The written text, its size, and what the format could not hold."""

    text: str = ""
    rows: int = 0
    vouchers: int = 0
    notes: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    bom: bool = False

    def encoded(self) -> bytes:
        return (b"\xef\xbb\xbf" if self.bom else b"") + self.text.encode(self.encoding, errors="replace")


class Names(NamedTuple):
    """A posting as a side of a line: 勘定科目, 補助科目, 部門, the amount (positive) and the posting's metadata."""

    account: str
    sub: str
    department: str
    number: Decimal
    meta: dict


class Line(NamedTuple):
    debit: Names | None
    credit: Names | None
    text: str  # 摘要: the narration on the first line, a posting's description on its own


class LineExporter:
    """Pairs typed postings into lines and counts what the format cannot hold."""

    #: The format's name in messages and notes, its encoding, the byte limits of its names, what it keeps.
    format_name = ""
    encoding = "utf-8"
    limits: ClassVar[dict[str, int]] = {}
    kept_meta = frozenset({"filename", "lineno", "voucher", "closing", "memo", "import_id"})
    kept_posting_meta = frozenset({"filename", "lineno", "tax_class", "tax_amount", "description", "sub_account"})
    voucher_digits = 6  # a 伝票 number of at most this many digits is written as it is

    def __init__(self, mapping: Mapping, currency: str) -> None:
        self.mapping = mapping
        self.currency = currency
        self.counts: Counter = Counter()
        self.meta_keys: Counter = Counter()
        self.too_long: Counter = Counter()
        self.unencodable: set[str] = set()
        self.number = 0
        self.used: set[str] = set()

    def text(self, kind: str | None, value: object) -> str:
        """A text cell as written: neutralised (never a formula), its length and characters checked."""
        return self.check_text(kind, neutralise("" if value is None else str(value)))

    def number_cell(self, value: object) -> str:
        """A number cell (a ``tax_amount:`` …) as written; a value that is not a number is a text cell."""
        if value is None:
            return ""
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            return f"{value}"
        return self.text(None, value)

    def check_text(self, kind: str | None, text: str) -> str:
        try:
            size = len(text.encode(self.encoding))
        except UnicodeEncodeError:
            self.unencodable.update(ch for ch in text if not _encodable(ch, self.encoding))
            size = len(text.encode(self.encoding, errors="replace"))
        if kind and kind in self.limits and size > self.limits[kind]:
            self.too_long[(kind, text)] += 1
        return text

    def names(self, entry: data.Transaction, posting: data.Posting) -> Names:
        item, _, business = posting.account.rpartition(":")
        names = self.mapping.item_names.get(item)
        if names is None:
            raise ValueError(f"{_where(entry)}: account {posting.account}: the mapping has no 勘定科目 for {item}")
        department = self.mapping.business_names.get(business)
        if department is None:
            if self.mapping.departments.get("") == business:
                department = ""
            else:
                raise ValueError(f"{_where(entry)}: account {posting.account}: the mapping has no 部門 for {business}")
        units = posting.units
        assert units is not None
        assert units.number is not None
        if units.currency != self.currency:
            raise ValueError(f"{_where(entry)}: {units} is not in {self.currency}; {self.format_name} has one currency")
        if posting.cost is not None or posting.price is not None:
            raise ValueError(f"{_where(entry)}: {posting.account} has a cost or price, which {self.format_name} cannot hold")
        number = abs(units.number)
        if number != number.to_integral_value():
            raise ValueError(f"{_where(entry)}: {units} is not a whole number of yen")
        meta = posting.meta or {}
        for key in meta:
            if key not in self.kept_posting_meta:
                self.meta_keys[f"posting {key}"] += 1
        name, sub = names
        if not sub and meta.get("sub_account"):
            sub = str(meta["sub_account"])  # a 補助科目 without a row of its own (see importers.mapping)
        return Names(self.text("勘定科目", name), self.text("補助科目", sub), self.text("部門", department), number, meta)

    def voucher_no(self, entry: data.Transaction) -> str:
        value = entry.meta.get("voucher")
        if _is_voucher_no(value, self.voucher_digits) and self.fresh(str(value), entry):
            return str(value)
        if value is not None:
            self.counts[f"伝票 numbers that are not a number of at most {self.voucher_digits} digits "
                        "(a running number is written)"] += 1
        self.number += 1
        while str(self.number) in self.used:  # never reuse a number that a 伝票 of the books carries
            self.number += 1
        return str(self.number)

    def fresh(self, number: str, entry: data.Transaction) -> bool:
        """Whether the 伝票's own number can be written (a format that groups rows by number says no to a repeat)."""
        return True

    def lines(self, entry: data.Transaction) -> list[Line]:
        """The lines of a transaction (empty when it has no typed posting), counting what cannot be written."""
        typed = typed_postings(entry)
        generated = sum(1 for p in entry.postings if is_generated(p.meta) and not (p.meta or {}).get(ALLOCATED_FROM))
        if generated:
            self.counts["generated postings (他事業勘定 legs, 相殺等 mirrors; importing the file makes them again)"] += generated
        debits = [p for p in typed if p.units is not None and p.units.number is not None and p.units.number > 0]
        credit_postings = [p for p in typed if p.units is not None and p.units.number is not None and p.units.number < 0]
        if not debits and not credit_postings:
            self.counts["transactions with no typed posting"] += 1
            return []
        for key in entry.meta:
            if key not in self.kept_meta and not key.startswith("__"):
                self.meta_keys[key] += 1
        if entry.payee:
            self.counts["payees"] += 1
        if entry.tags or entry.links:
            self.counts["transactions with tags or links"] += 1
        out = []
        for i in range(max(len(debits), len(credit_postings))):
            debit = debits[i] if i < len(debits) else None
            credit = credit_postings[i] if i < len(credit_postings) else None
            descriptions = [p.meta.get("description") for p in (debit, credit) if p is not None and p.meta and p.meta.get("description")]
            if i == 0:
                text = entry.narration
                if descriptions:
                    self.counts["descriptions on a 伝票's first line (its 摘要 is the narration)"] += 1
            else:
                text = descriptions[0] if descriptions else entry.narration
                if len(set(descriptions)) > 1:
                    self.counts["lines whose debit and credit have different descriptions (one 摘要 per line)"] += 1
            out.append(Line(self.names(entry, debit) if debit else None, self.names(entry, credit) if credit else None,
                            self.text("摘要", text or "")))
        return out

    def rows(self, entry: data.Transaction) -> list[list[str]]:
        """The format's rows of a transaction."""
        raise NotImplementedError

    def notes(self, others: Counter) -> list[str]:
        notes = [f"{count} {what}" for what, count in self.counts.items()]
        for kind, count in sorted(others.items()):
            notes.append(f"{count} {kind} directive(s): 仕訳 data holds transactions only")
        if self.meta_keys:
            keys = ", ".join(f"{k} ({n})" for k, n in sorted(self.meta_keys.items()))
            notes.append(f"metadata not kept: {keys}")
        for (kind, text), count in sorted(self.too_long.items()):
            notes.append(f"{kind} {text!r} is longer than {self.limits[kind]} bytes: {self.format_name} cuts it when importing ({count} line(s))")
        if self.unencodable:
            name = {"cp932": "Shift_JIS"}.get(self.encoding, self.encoding)
            notes.append(f"characters outside {name} written as '?': {''.join(sorted(self.unencodable))}")
        return notes


def _is_voucher_no(value, digits: int) -> bool:
    return isinstance(value, (str, Decimal, int)) and str(value).isdigit() and len(str(value)) <= digits


def _encodable(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
        return True
    except UnicodeEncodeError:
        return False


def _where(entry: data.Directive) -> str:
    return location(entry.meta)


def run(exporter: LineExporter, entries: data.Entries, start: datetime.date, end: datetime.date, header=None) -> Export:
    """The transactions dated ``start <= date <= end`` as the exporter's rows (``Export.text``, CRLF), with notes."""
    import csv

    exporter.used = {str(e.meta.get("voucher")) for e in entries if isinstance(e, data.Transaction)
                     and start <= e.date <= end and _is_voucher_no(e.meta.get("voucher"), exporter.voucher_digits)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    result = Export(encoding=exporter.encoding)
    if header:
        writer.writerow(header)
    others: Counter = Counter()
    for entry in entries:
        if not (start <= entry.date <= end):
            continue
        if not isinstance(entry, data.Transaction):
            others[type(entry).__name__.lower()] += 1
            continue
        rows = exporter.rows(entry)
        if rows:
            writer.writerows(rows)
            result.rows += len(rows)
            result.vouchers += 1
    result.text = buffer.getvalue()
    result.notes = exporter.notes(others)
    return result
