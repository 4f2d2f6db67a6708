"""The books of a fiscal year → 弥生インポート形式 仕訳データ (cp932), and what the format cannot hold.

The inverse of :mod:`importers.yayoi` through the same mapping file (the first
row naming an item or a business gives its 勘定科目/補助科目 or 部門):

- one 伝票 per transaction of the year: ``2111`` when it fits on one line (one
  debit, one credit), else ``2110`` / ``2100`` … / ``2101``, the i-th debit and
  the i-th credit sharing the i-th line, the blank side written as 0;
- 伝票No. from ``voucher:`` when it is a number of at most 6 digits, else a
  running number that no 伝票 of the year carries; 決算 from ``closing:``; 仕訳メモ from ``memo:``; 税区分 and
  税金額 from the postings' ``tax_class:`` / ``tax_amount:``; 摘要: the
  narration on the first line, a posting's ``description:`` on its own line;
- postings marked ``generated:`` (the segments plugin's 他事業勘定 legs and
  相殺等 mirrors, an importer's 他事業勘定 legs) are left out: they are not typed
  entries, and importing the file makes them again.

What the format cannot hold is reported, not silently dropped (:class:`Export`
``notes``): generated postings, other metadata, tags and links, payees,
directives other than transactions, names longer than 弥生 keeps (勘定科目,
補助科目 and 部門 24 bytes, 摘要 64 bytes), characters outside Shift_JIS.
An account without a 科目 in the mapping, a business without 部門, a
non-integer amount or another currency is an error (ValueError).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from .journal import ALLOCATED_FROM, is_generated, typed_postings
from .mapping import Mapping
from .yayoi import ENCODING, FIRST, LAST, MIDDLE, format_date

KEPT_META = {"filename", "lineno", "voucher", "closing", "memo", "import_id"}
KEPT_POSTING_META = {"filename", "lineno", "tax_class", "tax_amount", "description", "sub_account"}
LIMITS = {"勘定科目": 24, "補助科目": 24, "部門": 24, "摘要": 64}


@dataclass
class Export:
    text: str = ""
    rows: int = 0
    vouchers: int = 0
    notes: list[str] = field(default_factory=list)

    def encoded(self) -> bytes:
        return self.text.encode(ENCODING, errors="replace")


def _blank_side() -> list[str]:
    return ["", "", "", "", "0", ""]


class _Exporter:
    def __init__(self, mapping: Mapping, currency: str) -> None:
        self.mapping = mapping
        self.currency = currency
        self.counts: Counter = Counter()
        self.meta_keys: Counter = Counter()
        self.too_long: Counter = Counter()
        self.unencodable: set[str] = set()
        self.number = 0
        self.used: set[str] = set()

    def check_text(self, kind: str | None, text: str) -> str:
        try:
            size = len(text.encode(ENCODING))
        except UnicodeEncodeError:
            self.unencodable.update(ch for ch in text if not _encodable(ch))
            size = len(text.encode(ENCODING, errors="replace"))
        if kind and size > LIMITS[kind]:
            self.too_long[(kind, text)] += 1
        return text

    def side(self, entry: data.Transaction, posting: data.Posting) -> list[str]:
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
        if posting.units.currency != self.currency:
            raise ValueError(f"{_where(entry)}: {posting.units} is not in {self.currency}; 弥生インポート形式 has one currency")
        if posting.cost is not None or posting.price is not None:
            raise ValueError(f"{_where(entry)}: {posting.account} has a cost or price, which 弥生インポート形式 cannot hold")
        number = abs(posting.units.number)
        if number != number.to_integral_value():
            raise ValueError(f"{_where(entry)}: {posting.units} is not a whole number of yen")
        meta = posting.meta or {}
        for key in meta:
            if key not in KEPT_POSTING_META:
                self.meta_keys[f"posting {key}"] += 1
        tax_amount = meta.get("tax_amount")
        name, sub = names
        if not sub and meta.get("sub_account"):
            sub = str(meta["sub_account"])  # a 補助科目 without a row of its own (see importers.mapping)
        return [self.check_text("勘定科目", name), self.check_text("補助科目", sub), self.check_text("部門", department),
                str(meta.get("tax_class", "")), f"{number:f}", "" if tax_amount is None else f"{tax_amount}"]

    def voucher_no(self, entry: data.Transaction) -> str:
        value = entry.meta.get("voucher")
        if _is_voucher_no(value):
            return str(value)
        if value is not None:
            self.counts["伝票No. that is not a number of at most 6 digits (a running number is written)"] += 1
        self.number += 1
        while str(self.number) in self.used:  # never reuse a number that a 伝票 of the books carries
            self.number += 1
        return str(self.number)

    def rows(self, entry: data.Transaction) -> list[list[str]]:
        typed = typed_postings(entry)
        generated = sum(1 for p in entry.postings if is_generated(p.meta) and not p.meta.get(ALLOCATED_FROM))
        if generated:
            self.counts["generated postings (他事業勘定 legs, 相殺等 mirrors; importing the file makes them again)"] += generated
        debits = [p for p in typed if p.units.number > 0]
        credits = [p for p in typed if p.units.number < 0]
        if not debits and not credits:
            self.counts["transactions with no typed posting"] += 1
            return []
        for key in entry.meta:
            if key not in KEPT_META and not key.startswith("__"):
                self.meta_keys[key] += 1
        if entry.payee:
            self.counts["payees"] += 1
        if entry.tags or entry.links:
            self.counts["transactions with tags or links"] += 1
        voucher = self.voucher_no(entry)
        closing = str(entry.meta.get("closing", ""))
        memo = str(entry.meta.get("memo", ""))
        date = format_date(entry.date)
        n = max(len(debits), len(credits))
        out = []
        for i in range(n):
            debit = self.side(entry, debits[i]) if i < len(debits) else _blank_side()
            credit = self.side(entry, credits[i]) if i < len(credits) else _blank_side()
            descriptions = [p.meta.get("description") for p in (debits[i] if i < len(debits) else None,
                                                               credits[i] if i < len(credits) else None)
                            if p is not None and p.meta and p.meta.get("description")]
            if i == 0:
                text = entry.narration
                if descriptions:
                    self.counts["descriptions on a 伝票's first line (its 摘要 is the narration)"] += 1
            else:
                text = descriptions[0] if descriptions else entry.narration
                if len(set(descriptions)) > 1:
                    self.counts["lines whose debit and credit have different descriptions (one 摘要 per line)"] += 1
            flag = "2111" if n == 1 else FIRST if i == 0 else LAST if i == n - 1 else MIDDLE
            out.append([flag, voucher if i == 0 else "", closing if i == 0 else "", date, *debit, *credit,
                        self.check_text("摘要", text or ""), "", "", "0", "", memo if i == 0 else "", "0", "0", "no"])
        return out

    def notes(self, others: Counter) -> list[str]:
        notes = [f"{count} {what}" for what, count in self.counts.items()]
        for kind, count in sorted(others.items()):
            notes.append(f"{count} {kind} directive(s): 仕訳データ holds transactions only")
        if self.meta_keys:
            keys = ", ".join(f"{k} ({n})" for k, n in sorted(self.meta_keys.items()))
            notes.append(f"metadata not kept: {keys}")
        for (kind, text), count in sorted(self.too_long.items()):
            notes.append(f"{kind} {text!r} is longer than {LIMITS[kind]} bytes: 弥生 cuts it when importing ({count} line(s))")
        if self.unencodable:
            notes.append(f"characters outside Shift_JIS written as '?': {''.join(sorted(self.unencodable))}")
        return notes


def _is_voucher_no(value) -> bool:
    return isinstance(value, (str, Decimal, int)) and str(value).isdigit() and len(str(value)) <= 6


def _encodable(ch: str) -> bool:
    try:
        ch.encode(ENCODING)
        return True
    except UnicodeEncodeError:
        return False


def _where(entry: data.Directive) -> str:
    return f"{entry.meta.get('filename', '<unknown>')}:{entry.meta.get('lineno', 0)}"


def export(entries: data.Entries, mapping: Mapping, start, end, currency: str = "JPY") -> Export:
    """The transactions dated ``start <= date <= end`` as 弥生インポート形式 (``Export.text``), with notes."""
    exporter = _Exporter(mapping, currency)
    exporter.used = {str(e.meta.get("voucher")) for e in entries if isinstance(e, data.Transaction)
                     and start <= e.date <= end and _is_voucher_no(e.meta.get("voucher"))}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    result = Export()
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

