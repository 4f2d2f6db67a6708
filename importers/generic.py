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

The stable id is ``import_id: "generic:DATE:VOUCHER"``.  A run of rows (one
voucher's consecutive rows) repeating an earlier run of the same voucher
identically is imported once and reported (``--keep-repeats``: as another
transaction, ``#2`` in its id).  Bad input (a control character in a field
included) is an :class:`~importers.errors.InputError` naming file and row.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import beangulp
from beancount.core import account as account_lib
from beancount.core import data

from . import dates as dates_lib
from . import mapping as mapping_lib
from .errors import InputError
from .journal import ID_KEY, LedgerInfo, Leg, transaction
from .vouchers import JournalImporter, Repeats, check_text, csv_rows, decode

HEADER = ["date", "voucher", "account", "business", "debit", "credit", "memo"]
_AMOUNT = re.compile(r"[0-9]{1,3}(,[0-9]{3})*|[0-9]+")


class Reader:
    def __init__(self, filename: str, mapping: mapping_lib.Mapping | None, ledger: LedgerInfo, source: str = "generic",
                 keep_repeats: bool = False) -> None:
        self.filename = filename
        self.mapping = mapping
        self.ledger = ledger
        self.source = source
        self.repeats = Repeats(filename, keep_repeats)
        self.notices = self.repeats.notices
        self._dates: dict[str, datetime.date] = {}

    def error(self, row: int, message: str) -> InputError:
        return InputError(self.filename, row, message)

    def date(self, row: int, text: str) -> datetime.date:
        found = self._dates.get(text)
        if found is None:
            try:
                found = self._dates[text] = dates_lib.parse(text, dates_lib.GENERIC)
            except ValueError as exc:
                raise self.error(row, f"malformed date {exc}") from None
        return found

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
        try:
            raw = Path(self.filename).read_bytes()
        except OSError as exc:
            raise self.error(0, f"cannot read the file: {exc.strerror}") from None
        text = decode(self.filename, raw, ("utf-8",), "generic journal CSV (a Shift_JIS file? save it as UTF-8)")
        check_text(self.filename, text)
        # runs of consecutive rows of one voucher: [key, rows, cells]
        runs: list[tuple[tuple[datetime.date, str], list, list[list[str]]]] = []
        header = None
        for row, cells in csv_rows(self.filename, text):
            if not any(c.strip() for c in cells):
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
            number = d if d is not None else -(c or 0)
            posting = (row, self.item(row, account) + ":" + self.business(row, business), number, memo)
            if runs and runs[-1][0] == (date, voucher):
                runs[-1][1].append(posting)
                runs[-1][2].append(cells)
            else:
                runs.append(((date, voucher), [posting], [cells]))
        if header is None:
            raise self.error(1, f"empty file; expected the header {','.join(HEADER)}")
        groups: dict[tuple[datetime.date, str, int], list] = {}
        copies: dict[tuple[datetime.date, str], int] = {}
        for key, rows, run_cells in runs:
            status = self.repeats.check(run_cells, rows[0][0], f"voucher {key[1]}")
            if status == "drop":
                continue
            if status == "keep":
                copies[key] = copies.get(key, 1) + 1  # a kept repeat is a transaction of its own
                groups[(*key, copies[key])] = rows
                continue
            groups.setdefault((*key, 1), []).extend(rows)
        out = []
        for (date, voucher, copy), rows in groups.items():
            narration = next((memo for *_, memo in rows if memo), "")
            legs = [Leg(row, account, data.D(number), {"description": memo} if memo and memo != narration else None)
                    for row, account, number, memo in rows if number]
            ident = f"{self.source}:{date.isoformat()}:{voucher}" + (f"#{copy}" if copy > 1 else "")
            meta = {ID_KEY: ident, "voucher": voucher}
            out.append(transaction(self.filename, rows[0][0], date, narration, legs, meta, self.ledger, f"voucher {voucher}"))
        return out


class Importer(JournalImporter, beangulp.Importer):
    """The beangulp importer for the generic journal CSV (UTF-8, header ``date,voucher,account,business,debit,credit,memo``)."""

    reader = Reader  # type: ignore[assignment]
    prefix = "journal-"
    default_source = "generic"
    default_archive = "Documents:Journal"

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
