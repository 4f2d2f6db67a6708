"""A generic journal CSV → Beancount transactions by business, for any other system.

UTF-8 (a BOM is allowed), comma-separated, one header row, one posting per row::

    date,voucher,account,business,debit,credit,memo
    2023-03-31,V-001,事業費,一般事業,1500000,,委託料
    2023-03-31,V-001,Assets:1-流動資産:11-現金及び預金:1-預金,B1-一般事業,,1500000,

- ``date``: ``2023-03-31`` or ``2023/03/31``;
- ``voucher``: the voucher (伝票) id; the rows of one voucher (same id and date)
  make one transaction, in the order of their first row;
- ``account``: an item of the ledger (an account without its business,
  ``Assets:…``) or a 勘定科目 name of the mapping file (``科目`` or
  ``科目/補助科目``);
- ``business``: a declared business label (``B1-一般事業``) or a 部門 of the mapping;
- ``debit`` / ``credit``: one of them, a non-negative integer (thousands
  separators allowed);
- ``memo``: the first non-empty one is the narration, a different one on a
  later row is kept as that posting's ``description``.

The stable id is ``import_id: "generic:DATE:VOUCHER"``.  Bad input is an
:class:`~importers.errors.InputError` naming file and row.
"""

from __future__ import annotations

import csv
import datetime
import re
from pathlib import Path

import beangulp
from beancount.core import account as account_lib
from beancount.core import data

from . import mapping as mapping_lib
from .errors import InputError
from .journal import ID_KEY, Leg, LedgerInfo, transaction

HEADER = ["date", "voucher", "account", "business", "debit", "credit", "memo"]
_AMOUNT = re.compile(r"[0-9]{1,3}(,[0-9]{3})*|[0-9]+")
_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")


class Reader:
    def __init__(self, filename: str, mapping: mapping_lib.Mapping | None, ledger: LedgerInfo, source: str = "generic") -> None:
        self.filename = filename
        self.mapping = mapping
        self.ledger = ledger
        self.source = source

    def error(self, row: int, message: str) -> InputError:
        return InputError(self.filename, row, message)

    def date(self, row: int, text: str) -> datetime.date:
        m = _DATE.fullmatch(text)
        try:
            if not m:
                raise ValueError
            return datetime.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise self.error(row, f"malformed date {text!r} (e.g. 2023-03-31)") from None

    def item(self, row: int, text: str) -> str:
        if ":" in text:
            if not account_lib.is_valid(text):
                raise self.error(row, f"account {text!r} is not a valid Beancount account")
            if account_lib.leaf(text) in self.ledger.businesses:
                raise self.error(row, f"account {text} ends with a business: give the item only, the business in its own column")
            return text
        name, _, sub = text.partition("/")
        if self.mapping is not None:
            try:
                return self.mapping.item(name, sub)[0]
            except KeyError:
                pass
        raise self.error(row, f"account {text!r} is neither a ledger account nor a 勘定科目 of the mapping")

    def business(self, row: int, text: str) -> str:
        if text in self.ledger.businesses:
            business = self.ledger.businesses[text]
            if business.is_elimination:
                raise self.error(row, f"{text} is the elimination column: only the segments plugin posts there")
            return text
        if self.mapping is not None and text in self.mapping.departments:
            return self.mapping.departments[text]
        raise self.error(row, f"business {text!r} is neither a declared business nor a 部門 of the mapping")

    def amount(self, row: int, text: str, column: str) -> int | None:
        if not text:
            return None
        if not _AMOUNT.fullmatch(text):
            raise self.error(row, f"malformed {column} {text!r}: a non-negative integer, e.g. 1500000 or 1,500,000")
        return int(text.replace(",", ""))

    def read(self) -> list[data.Transaction]:
        raw = Path(self.filename).read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            row = raw.count(b"\n", 0, exc.start) + 1
            raise self.error(row, f"not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be read (a Shift_JIS file? save it as UTF-8)") from None
        reader = csv.reader(text.splitlines(keepends=True))
        groups: dict[tuple[datetime.date, str], list] = {}
        header = None
        try:
            for cells in reader:
                row = reader.line_num
                if not cells or not any(c.strip() for c in cells):
                    continue
                cells = [c.strip() for c in cells]
                if header is None:
                    if cells != HEADER:
                        raise self.error(row, f"the first row must be the header {','.join(HEADER)}")
                    header = cells
                    continue
                if len(cells) != len(HEADER):
                    raise self.error(row, f"expected {len(HEADER)} columns ({','.join(HEADER)}), found {len(cells)}")
                date_text, voucher, account, business, debit, credit, memo = cells
                date = self.date(row, date_text)
                if not voucher:
                    raise self.error(row, "voucher is empty: the rows of one transaction share a voucher id")
                d = self.amount(row, debit, "debit")
                c = self.amount(row, credit, "credit")
                if (d is None) == (c is None):
                    raise self.error(row, "give either a debit or a credit")
                number = d if d is not None else -c
                groups.setdefault((date, voucher), []).append((row, self.item(row, account) + ":" + self.business(row, business), number, memo))
        except csv.Error as exc:
            raise self.error(reader.line_num, f"not a CSV line: {exc}") from None
        if header is None:
            raise self.error(1, f"empty file; expected the header {','.join(HEADER)}")
        out = []
        for (date, voucher), rows in groups.items():
            narration = next((memo for *_, memo in rows if memo), "")
            legs = [Leg(row, account, data.D(number), {"description": memo} if memo and memo != narration else None)
                    for row, account, number, memo in rows if number]
            meta = {ID_KEY: f"{self.source}:{date.isoformat()}:{voucher}", "voucher": voucher}
            out.append(transaction(self.filename, rows[0][0], date, narration, legs, meta, self.ledger, f"voucher {voucher}"))
        return out


class Importer(beangulp.Importer):
    """The beangulp importer for the generic journal CSV (UTF-8, header ``date,voucher,account,business,debit,credit,memo``)."""

    def __init__(self, mapping: mapping_lib.Mapping | None, ledger: LedgerInfo, source: str = "generic",
                 archive_account: str = "Documents:Journal") -> None:
        self.mapping = mapping
        self.ledger = ledger
        self.source = source
        self.archive_account = archive_account

    @property
    def name(self) -> str:
        return "jlis.generic"

    def identify(self, filepath: str) -> bool:
        if not filepath.lower().endswith(".csv"):
            return False
        try:
            with open(filepath, "rb") as f:
                first = f.readline()
        except OSError:
            return False
        return first.lstrip(b"\xef\xbb\xbf").replace(b" ", b"").rstrip(b"\r\n") == ",".join(HEADER).encode()

    def account(self, filepath: str) -> str:
        return self.archive_account

    def filename(self, filepath: str) -> str | None:
        return "journal-" + Path(filepath).name.replace(" ", "_")

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        return Reader(filepath, self.mapping, self.ledger, self.source).read()

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        from .ingest import mark_duplicates

        mark_duplicates(entries, existing)
