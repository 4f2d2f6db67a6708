"""弥生会計 仕訳データ in 弥生インポート形式 (弥生取り込み形式) → Beancount transactions by business.

The format, as 弥生 documents it for 弥生会計 05 and later (support.yayoi-kk.co.jp:
"仕訳データの項目と記述形式", subcontents.html?page_id=18545, and "インポートデータの
記述形式", page_id=18586; the FAQ for 弥生会計 Next, faq_Subcontents.html?page_id=27184,
gives the same columns and date forms):

- text, Shift_JIS (read as cp932, Microsoft's superset), one journal line per
  line, items separated by commas (quoted with ``"`` when they hold one); a line
  that starts with ``#`` is a comment; no header row;
- 25 items per line::

     1 識別フラグ   2 伝票No.     3 決算        4 取引日付     5 借方勘定科目
     6 借方補助科目 7 借方部門     8 借方税区分   9 借方金額    10 借方税金額
    11 貸方勘定科目 12 貸方補助科目 13 貸方部門    14 貸方税区分  15 貸方金額
    16 貸方税金額  17 摘要       18 番号       19 期日       20 タイプ
    21 生成元     22 仕訳メモ    23 付箋1      24 付箋2      25 調整

- 識別フラグ: ``2000`` a journal line that is not a 伝票 (one line), ``2111``
  a one-line 伝票, and for a 伝票 of several lines ``2110`` its first line,
  ``2100`` each middle line and ``2101`` its last line;
- 伝票No. and 取引日付 of a multi-line 伝票 are those of its first line; 決算 is
  empty, ``中決`` or ``本決``;
- 取引日付 in 西暦 (``20230331``, ``2023/03/31``, ``2023/3/31``) or 和暦
  (``R.05/03/31``, ``R05/3/31``, ``H31/04/30``; R = 令和, H = 平成, S = 昭和);
- in a multi-line 伝票 a side without 勘定科目 is blank with amount ``0``;
  amounts are integers (税込), 税金額 is the tax included in them.

What the importer makes of it:

- one transaction per 伝票 (a ``2000``/``2111`` line, or ``2110`` … ``2101``),
  dated with its first line; 摘要 (the first non-empty one) is the narration, a
  line's own different 摘要 is kept as posting metadata ``description``;
- 勘定科目 + 補助科目 → item and 部門 → business through the ledger's mapping
  file (:mod:`importers.mapping`); a debit is positive, a credit negative;
- 税区分 and 税金額 as posting metadata ``tax_class`` and ``tax_amount``; 決算 as
  ``closing``, 伝票No. as ``voucher``, 仕訳メモ as ``memo``;
- a stable id ``import_id: "yayoi:2023-03-31:000123"`` (source, date, 伝票No.;
  without 伝票No. a hash of the 伝票's lines; ``#2`` … for repeats in one file),
  which does not depend on the file's name or on the other vouchers of the
  file, so that re-importing the same 伝票 (from the same file, a renamed one or
  a later cumulative export) is recognised as a duplicate;
- balanced per business through :func:`importers.journal.transaction`.

Any bad line is an :class:`~importers.errors.InputError` naming file and row.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import gc
import re
from decimal import Decimal
from pathlib import Path

import beangulp
from beancount.core import data

from . import mapping as mapping_lib
from .errors import InputError
from .journal import ID_KEY, Leg, LedgerInfo, transaction

ENCODING = "cp932"
COLUMNS = 25
SINGLE = ("2000", "2111")
FIRST, MIDDLE, LAST = "2110", "2100", "2101"
FLAGS = SINGLE + (FIRST, MIDDLE, LAST)
CLOSINGS = ("", "中決", "本決")
#: 和暦: the era letter and the Gregorian year before its first year.
ERAS = {"R": 2018, "H": 1988, "S": 1925}

_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})|(\d{4})(\d{2})(\d{2})|([RHS])\.?(\d{1,2})/(\d{1,2})/(\d{1,2})")
_AMOUNT = re.compile(r"-?[0-9]+")
_IDENTIFY = re.compile(rb"(?:2000|2111|2110),")


def parse_date(text: str) -> datetime.date:
    """A 取引日付 in one of 弥生's forms; ValueError otherwise."""
    m = _DATE.fullmatch(text)
    if not m:
        raise ValueError(f"malformed 取引日付 {text!r} (e.g. 2023/03/31, 20230331, R.05/03/31, R05/3/31, H31/04/30)")
    g = m.groups()
    if g[0]:
        y, mo, d = int(g[0]), int(g[1]), int(g[2])
    elif g[3]:
        y, mo, d = int(g[3]), int(g[4]), int(g[5])
    else:
        if int(g[7]) < 1:
            raise ValueError(f"malformed 取引日付 {text!r}: era years start at 1")
        y, mo, d = ERAS[g[6]] + int(g[7]), int(g[8]), int(g[9])
    try:
        return datetime.date(y, mo, d)
    except ValueError:
        raise ValueError(f"malformed 取引日付 {text!r}: no such day") from None


def format_date(date: datetime.date) -> str:
    return f"{date.year:04d}/{date.month:02d}/{date.day:02d}"


def read_text(filename: str) -> str:
    """The file's text as cp932; a wrong encoding is an error at the row of the first bad byte."""
    raw = Path(filename).read_bytes()
    try:
        return raw.decode(ENCODING)
    except UnicodeDecodeError as exc:
        row = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(filename, row, f"not Shift_JIS (cp932) text: byte 0x{raw[exc.start]:02x} cannot be read; 弥生インポート形式 files are Shift_JIS") from None


def read_rows(filename: str, text: str):
    """``(row number, cells)`` of the data lines (comments and blank lines skipped)."""
    lines = text.splitlines(keepends=True)
    reader = csv.reader((("\n" if line.startswith("#") else line) for line in lines), strict=True)
    try:
        for cells in reader:
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            yield reader.line_num, cells
    except csv.Error as exc:
        raise InputError(filename, reader.line_num, f"not a CSV line: {exc}") from None


def vouchers(filename: str, rows):
    """Group the rows into 伝票: lists of ``(row, cells)``; errors for flags out of place."""
    current: list | None = None
    for row, cells in rows:
        if len(cells) != COLUMNS:
            raise InputError(filename, row, f"expected {COLUMNS} columns (弥生インポート形式 仕訳データ), found {len(cells)}")
        flag = cells[0].strip()
        if flag not in FLAGS:
            raise InputError(filename, row, f"unknown 識別フラグ {flag!r}: one of 2000 (仕訳), 2111 (1行の伝票), 2110/2100/2101 (first/middle/last line of a 伝票)")
        if flag in SINGLE or flag == FIRST:
            if current is not None:
                raise InputError(filename, current[0][0], f"the 伝票 starting here (2110) has no last line (2101) before row {row}")
            if flag == FIRST:
                current = [(row, cells)]
            else:
                yield [(row, cells)]
        else:
            if current is None:
                raise InputError(filename, row, f"識別フラグ {flag} outside a multi-line 伝票: no first line (2110) before it")
            current.append((row, cells))
            if flag == LAST:
                yield current
                current = None
    if current is not None:
        raise InputError(filename, current[0][0], "the 伝票 starting here (2110) has no last line (2101) before the end of the file")


class Reader:
    """Reads one file into transactions, with caches for the mapping lookups and dates."""

    def __init__(self, filename: str, mapping: mapping_lib.Mapping, ledger: LedgerInfo, source: str = "yayoi") -> None:
        self.filename = filename
        self.mapping = mapping
        self.ledger = ledger
        self.source = source
        self._accounts: dict[tuple[str, str, str], tuple[str, bool]] = {}
        self._dates: dict[str, datetime.date] = {}
        self._ids: dict[str, int] = {}

    def date(self, row: int, text: str) -> datetime.date:
        date = self._dates.get(text)
        if date is None:
            try:
                date = self._dates[text] = parse_date(text.strip())
            except ValueError as exc:
                raise InputError(self.filename, row, str(exc)) from None
        return date

    def account(self, row: int, side: str, name: str, sub: str, department: str) -> tuple[str, bool]:
        key = (name, sub, department)
        found = self._accounts.get(key)
        if found is None:
            try:
                item, exact = self.mapping.item(name, sub)
            except KeyError:
                what = f"{name}/{sub}" if sub else name
                raise InputError(self.filename, row, f"{side}勘定科目 {what} is not in the mapping {self.mapping.path}") from None
            try:
                business = self.mapping.business(department)
            except KeyError:
                if department:
                    raise InputError(self.filename, row, f"{side}部門 {department} is not in the mapping {self.mapping.path}") from None
                raise InputError(self.filename, row, f"{side}部門 is empty and the mapping {self.mapping.path} has no default (a 部門 row with an empty name)") from None
            found = self._accounts[key] = (f"{item}:{business}", exact)
        return found

    def side(self, row: int, cells: list[str], start: int, sign: int, label: str, description: str | None) -> Leg | None:
        name = cells[start].strip()
        amount = cells[start + 4].strip()
        if not name:
            if amount not in ("", "0"):
                raise InputError(self.filename, row, f"{label}金額 {amount} without {label}勘定科目")
            return None
        if not _AMOUNT.fullmatch(amount):
            raise InputError(self.filename, row, f"malformed {label}金額 {amount!r}: an integer number of yen, e.g. 1500000")
        number = int(amount)
        if number == 0:
            return None
        sub, department, tax_class, tax_amount = (cells[start + 1].strip(), cells[start + 2].strip(),
                                                  cells[start + 3].strip(), cells[start + 5].strip())
        account, exact = self.account(row, label, name, sub, department)
        meta = {}
        if tax_class:
            meta["tax_class"] = tax_class
        if tax_amount:
            if not _AMOUNT.fullmatch(tax_amount):
                raise InputError(self.filename, row, f"malformed {label}税金額 {tax_amount!r}: an integer number of yen")
            meta["tax_amount"] = Decimal(tax_amount)
        if sub and not exact:
            meta["sub_account"] = sub
        if description:
            meta["description"] = description
        return Leg(row, account, Decimal(sign * number), meta or None)

    def transaction(self, rows: list[tuple[int, list[str]]]) -> data.Transaction:
        first_row, first = rows[0]
        voucher = first[1].strip()
        closing = first[2].strip()
        if closing not in CLOSINGS:
            raise InputError(self.filename, first_row, f"決算 must be 中決, 本決 or empty, not {closing!r}")
        if not first[3].strip():
            raise InputError(self.filename, first_row, "取引日付 is empty")
        date = self.date(first_row, first[3])
        narration = next((cells[16].strip() for _, cells in rows if cells[16].strip()), "")
        legs: list[Leg] = []
        for row, cells in rows:
            if row != first_row and cells[3].strip():
                self.date(row, cells[3])  # a later line's date is not used (弥生 takes the first), but must be a date
            own = cells[16].strip()
            description = own if own and own != narration else None
            for start, sign, label in ((4, 1, "借方"), (10, -1, "貸方")):
                leg = self.side(row, cells, start, sign, label, description)
                if leg is not None:
                    legs.append(leg)
        meta = {ID_KEY: self.stable_id(date, voucher, rows)}
        if voucher:
            meta["voucher"] = voucher
        if closing:
            meta["closing"] = closing
        memo = first[21].strip()
        if memo:
            meta["memo"] = memo
        what = f"伝票No.{voucher}" if voucher else "仕訳"
        return transaction(self.filename, first_row, date, narration, legs, meta, self.ledger, what)

    def stable_id(self, date: datetime.date, voucher: str, rows) -> str:
        if voucher:
            key = f"{self.source}:{date.isoformat()}:{voucher}"
        else:
            digest = hashlib.sha1("\n".join(",".join(cells[2:]) for _, cells in rows).encode("utf-8")).hexdigest()[:12]
            key = f"{self.source}:{date.isoformat()}:{digest}"
        n = self._ids.get(key, 0) + 1
        self._ids[key] = n
        return key if n == 1 else f"{key}#{n}"

    def read(self) -> list[data.Transaction]:
        text = read_text(self.filename)
        # the entries only grow while reading: the cyclic garbage collector would scan them again and again
        enabled = gc.isenabled()
        gc.disable()
        try:
            return [self.transaction(rows) for rows in vouchers(self.filename, read_rows(self.filename, text))]
        finally:
            if enabled:
                gc.enable()


def extract(filename: str, mapping: mapping_lib.Mapping, ledger: LedgerInfo, source: str = "yayoi") -> list[data.Transaction]:
    """The transactions of a 弥生インポート形式 file (raises InputError)."""
    return Reader(filename, mapping, ledger, source).read()


def first_data_line(filename: str) -> bytes | None:
    try:
        with open(filename, "rb") as f:
            for line in f:
                if line.startswith(b"#") or not line.strip():
                    continue
                return line
    except OSError:
        return None
    return None


class Importer(beangulp.Importer):
    """The beangulp importer for 弥生インポート形式 仕訳データ files (``.csv`` / ``.txt``)."""

    def __init__(self, mapping: mapping_lib.Mapping, ledger: LedgerInfo, source: str = "yayoi",
                 archive_account: str = "Documents:Yayoi") -> None:
        self.mapping = mapping
        self.ledger = ledger
        self.source = source
        self.archive_account = archive_account

    @property
    def name(self) -> str:
        return "jlis.yayoi"

    def identify(self, filepath: str) -> bool:
        if not filepath.lower().endswith((".csv", ".txt")):
            return False
        line = first_data_line(filepath)
        return line is not None and _IDENTIFY.match(line) is not None

    def account(self, filepath: str) -> str:
        return self.archive_account

    def date(self, filepath: str) -> datetime.date | None:
        entries = self.extract(filepath, [])
        return max((e.date for e in entries), default=None)

    def filename(self, filepath: str) -> str | None:
        return "yayoi-" + Path(filepath).name.replace(" ", "_")

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        return extract(filepath, self.mapping, self.ledger, self.source)

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        from .ingest import mark_duplicates

        mark_duplicates(entries, existing)

    def sort(self, entries, reverse=False):
        entries.sort(key=lambda e: (e.date, e.meta.get("lineno", 0)), reverse=reverse)
