"""What the journal importers share: decoding, text checks, CSV rows, dates, names and codes → legs, repeats, ids.

Every 仕訳 format here (弥生, freee, マネーフォワード, 勘定奉行) writes a row with
a debit side and a credit side (a :class:`Side` each: 勘定科目 or its code,
補助科目, 部門, 税区分, 金額, 税額); the product modules read their columns
and group rows into 伝票 by their own rule, and :class:`VoucherReader` does the
rest, the same way for all:

- :func:`decode`: the product's encodings (a UTF-8 BOM is honoured); a file in
  none of them is an error at the row of the first byte that cannot be read;
- :func:`check_text`: a NUL or another control character (C0, DEL, C1, a
  lone CR, U+2028/U+2029) anywhere in the file is an error at its row, so is a
  line break inside a quoted field (:func:`csv_rows`);
- a cell that a spreadsheet-safe export neutralised (``'=…``, ``'+…``, ``'-…``, ``'@…``, ``''…``:
  :func:`jlis_ledger.core.cells.neutralise`, as the 弥生 and マネーフォワード exports write texts)
  is read as the text it stands for (:func:`jlis_ledger.core.cells.restore`, in :func:`csv_rows`);
- dates through :mod:`importers.dates` (per product forms, 和暦 checked against
  its era), cached per spelling;
- 勘定科目 (+補助科目) → item and 部門 → business through the mapping, by name or
  by code (:mod:`importers.mapping`), cached; a debit is positive, a credit
  negative; an amount is an integer number of yen;
- a 伝票 repeated identically within one file (every cell of every row the
  same) is imported once and reported (:attr:`VoucherReader.notices`, printed
  by ``jlis-ledger import extract``) unless ``keep_repeats`` is set;
- the stable id ``SOURCE:DATE:VOUCHER`` (without a 伝票 number, a hash of the
  伝票's cells), ``#2`` … for a second 伝票 of the same id in a file.

No function here opens a file but :meth:`VoucherReader.read_bytes`.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from jlis_ledger.core.cells import restore

from . import dates as dates_lib
from . import mapping as mapping_lib
from .errors import InputError
from .journal import ID_KEY, LedgerInfo, Leg, transaction

UTF8_OR_SJIS = ("utf-8", "cp932")
ENCODING_NAMES = {"utf-8": "UTF-8", "cp932": "Shift_JIS (cp932)"}
_BOMS = {b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16"}
#: Control characters that no text field may hold (CR only as part of CRLF; TAB included).
_CONTROL = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]|\r(?!\n)")
_CONTROL_NAMES = {0x00: "NUL", 0x09: "TAB", 0x0B: "VT", 0x0C: "FF", 0x0D: "CR", 0x1A: "SUB", 0x1B: "ESC", 0x7F: "DEL",
                  0x2028: "LINE SEPARATOR", 0x2029: "PARAGRAPH SEPARATOR"}
AMOUNT = re.compile(r"-?[0-9]+")


def decode(filename: str, raw: bytes, encodings: tuple[str, ...], product: str) -> str:
    """The text of a file in one of ``encodings`` (tried in order; a UTF-8 BOM selects UTF-8)."""
    for bom, name in _BOMS.items():
        if raw.startswith(bom):
            raise InputError(filename, 1, f"{name} text: {product} files are {' or '.join(ENCODING_NAMES[e] for e in encodings)}")
    if raw.startswith(b"\xef\xbb\xbf") and "utf-8" in encodings:
        encodings = ("utf-8-sig",)
    furthest: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            if furthest is None or exc.start > furthest.start:
                furthest = exc
    assert furthest is not None
    row = raw.count(b"\n", 0, furthest.start) + 1
    names = " nor ".join(ENCODING_NAMES.get(e.replace("-sig", ""), e) for e in encodings)
    raise InputError(filename, row, f"neither {names} text: byte 0x{raw[furthest.start]:02x} cannot be read"
                     if len(encodings) > 1 else
                     f"not {names} text: byte 0x{raw[furthest.start]:02x} cannot be read; {product} files are {names}")


def check_text(filename: str, text: str) -> None:
    """An error at the row of the first control character of the text (see the module docstring)."""
    m = _CONTROL.search(text)
    if m:
        code = ord(m.group()[0])
        name = _CONTROL_NAMES.get(code, "control character")
        row = text.count("\n", 0, m.start()) + 1
        raise InputError(filename, row, f"control character U+{code:04X} ({name}) in a text field: remove it")


def csv_rows(filename: str, text: str, comments: bool = False) -> Iterator[tuple[int, list[str]]]:
    """``(row, cells)`` of the non-blank lines (with ``comments``, lines starting with ``#`` are skipped), each cell
    as the text it stands for (a neutralised ``'=…`` is ``=…``)."""
    lines = text.splitlines(keepends=True)
    if comments:
        lines = [("\n" if line.startswith("#") else line) for line in lines]
    reader = csv.reader(lines, strict=True)
    last = 0
    try:
        for cells in reader:
            row = reader.line_num
            if row != last + 1:
                raise InputError(filename, last + 1, "a line break inside a field (a text field holds one line)")
            last = row
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            yield row, [restore(cell) for cell in cells]
    except csv.Error as exc:
        raise InputError(filename, reader.line_num, f"not a CSV line: {exc}") from None


class Repeats:
    """Finds the 伝票 that repeat an earlier one of the file identically; ``notices`` reports them (file:row)."""

    def __init__(self, filename: str, keep: bool = False) -> None:
        self.filename = filename
        self.keep = keep
        self.notices: list[str] = []
        self._seen: dict[str, int] = {}

    def check(self, cells: list[list[str]], row: int, what: str) -> str | None:
        """None for a new 伝票 (its rows' cells); for a repeat of an earlier one, ``"drop"`` or (``keep``) ``"keep"``."""
        key = "\x1e".join(["\x1f".join(c) for c in cells])  # the text itself: a hash could collide
        first = self._seen.get(key)
        if first is None:
            self._seen[key] = row
            return None
        if self.keep:
            self.notices.append(f"{self.filename}:{row}: {what} repeats the one at row {first} identically: imported again (--keep-repeats)")
            return "keep"
        self.notices.append(f"{self.filename}:{row}: {what} repeats the one at row {first} identically: imported once "
                            "(--keep-repeats imports every copy)")
        return "drop"


class Side(NamedTuple):
    """One side (借方 or 貸方) of a row, as the file gives it (stripped text)."""

    account: str  # 勘定科目 name, or its code (VoucherReader.by_code)
    sub: str  # 補助科目 name or code
    department: str  # 部門 name or code
    tax_class: str
    amount: str
    tax_amount: str
    meta: dict | None = None  # more posting metadata (取引先, …): key -> text, empty values left out


DEBIT, CREDIT = "借方", "貸方"


class VoucherReader:
    """Reads one file of 伝票 into transactions; product readers give the rows, sides and grouping."""

    #: ``source`` prefix of the ids, the product's name in messages, its encodings and date forms.
    product = ""
    encodings: tuple[str, ...] = UTF8_OR_SJIS
    date_forms: tuple[str, ...] = dates_lib.YAYOI
    by_code = False  # 勘定科目 and 部門 given by code (勘定奉行)
    tax_column = "税額"  # the product's name of the tax amount column (after 借方/貸方)

    def __init__(self, filename: str, mapping: mapping_lib.Mapping, ledger: LedgerInfo, source: str,
                 keep_repeats: bool = False) -> None:
        self.filename = filename
        self.mapping = mapping
        self.ledger = ledger
        self.source = source
        self.keep_repeats = keep_repeats
        self.repeats = Repeats(filename, keep_repeats)
        self.notices = self.repeats.notices
        self._accounts: dict[tuple[str, str, str], tuple[str, bool]] = {}
        self._dates: dict[str, datetime.date] = {}
        self._ids: dict[str, int] = {}

    def error(self, row: int, message: str) -> InputError:
        return InputError(self.filename, row, message)

    def read_text(self) -> str:
        """The file's text, decoded and checked (the one place that reads the file)."""
        try:
            raw = Path(self.filename).read_bytes()
        except OSError as exc:
            raise self.error(0, f"cannot read the file: {exc.strerror}") from None
        text = decode(self.filename, raw, self.encodings, self.product)
        check_text(self.filename, text)
        return text

    def date(self, row: int, text: str, column: str) -> datetime.date:
        found = self._dates.get(text)
        if found is None:
            if not text:
                raise self.error(row, f"{column} is empty")
            try:
                found = self._dates[text] = dates_lib.parse(text, self.date_forms)
            except ValueError as exc:
                raise self.error(row, f"malformed {column} {exc}") from None
        return found

    def account(self, row: int, label: str, side: Side) -> tuple[str, bool]:
        key = (side.account, side.sub, side.department)
        found = self._accounts.get(key)
        if found is None:
            what = "勘定科目コード" if self.by_code else "勘定科目"
            dept = "部門コード" if self.by_code else "部門"
            try:
                if self.by_code:
                    item, exact = self.mapping.item_by_code(side.account, side.sub)
                else:
                    item, exact = self.mapping.item(side.account, side.sub)
            except KeyError:
                name = f"{side.account}/{side.sub}" if side.sub else side.account
                raise self.error(row, f"{label}{what} {name} is not in the mapping {self.mapping.path}") from None
            try:
                business = self.mapping.business_by_code(side.department) if self.by_code else self.mapping.business(side.department)
            except KeyError:
                if side.department:
                    raise self.error(row, f"{label}{dept} {side.department} is not in the mapping {self.mapping.path}") from None
                raise self.error(row, f"{label}{dept} is empty and the mapping {self.mapping.path} has no default "
                                      "(a 部門 row with an empty name)") from None
            found = self._accounts[key] = (f"{item}:{business}", exact)
        return found

    def leg(self, row: int, label: str, side: Side, description: str | None) -> Leg | None:
        """The leg of one side, or None for a blank side or a zero amount."""
        name, sub, department, tax_class, amount, tax_amount, extra = side
        if not name:
            if amount not in ("", "0"):
                raise self.error(row, f"{label}金額 {amount} without {label}{'勘定科目コード' if self.by_code else '勘定科目'}")
            return None
        if not AMOUNT.fullmatch(amount):
            raise self.error(row, f"malformed {label}金額 {amount!r}: an integer number of yen, e.g. 1500000")
        number = int(amount)
        if number == 0:
            return None
        found = self._accounts.get((name, sub, department))
        account, exact = found if found is not None else self.account(row, label, side)
        meta: dict = {}
        if tax_class:
            meta["tax_class"] = tax_class
        if tax_amount:
            if not AMOUNT.fullmatch(tax_amount):
                raise self.error(row, f"malformed {label}{self.tax_column} {tax_amount!r}: an integer number of yen")
            meta["tax_amount"] = Decimal(tax_amount)
        if sub and not exact:
            meta["sub_account_code" if self.by_code else "sub_account"] = sub
        if extra:
            meta.update(extra)
        if description:
            meta["description"] = description
        return Leg(row, account, Decimal(number if label == DEBIT else -number), meta or None)

    def legs(self, rows: list[tuple[int, Side, Side, str]], narration: str) -> list[Leg]:
        """The legs of a 伝票's rows ``(row, debit, credit, 摘要)``: a row's own different 摘要 is its ``description``."""
        out = []
        for row, debit, credit, text in rows:
            description = text if text and text != narration else None
            for label, side in ((DEBIT, debit), (CREDIT, credit)):
                leg = self.leg(row, label, side, description)
                if leg is not None:
                    out.append(leg)
        return out

    def repeated(self, cells: list[list[str]], row: int, what: str) -> bool:
        """True when this 伝票 (its rows' cells) repeats one of the file identically and is to be left out."""
        return self.repeats.check(cells, row, what) == "drop"

    def stable_id(self, date: datetime.date, voucher: str, cells: list[list[str]]) -> str:
        if voucher:
            key = f"{self.source}:{date.isoformat()}:{voucher}"
        else:
            digest = hashlib.sha1("\n".join(",".join(c) for c in cells).encode("utf-8")).hexdigest()[:12]
            key = f"{self.source}:{date.isoformat()}:{digest}"
        n = self._ids.get(key, 0) + 1
        self._ids[key] = n
        return key if n == 1 else f"{key}#{n}"

    def make(self, first_row: int, date: datetime.date, voucher: str, rows: list[tuple[int, Side, Side, str]],
             cells: list[list[str]], meta: dict, what: str):
        """The transaction of a 伝票: narration (the first 摘要), legs, id, meta; balanced per business."""
        narration = next((text for *_, text in rows if text), "")
        legs = self.legs(rows, narration)
        entry_meta = {ID_KEY: self.stable_id(date, voucher, cells)}
        if voucher:
            entry_meta["voucher"] = voucher
        entry_meta.update(meta)
        return transaction(self.filename, first_row, date, narration, legs, entry_meta, self.ledger, what)


def header_index(header: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """The column of each field (the first alias found in the header), -1 when absent."""
    positions = {name: i for i, name in enumerate(header)}
    out = {}
    for field, names in aliases.items():
        out[field] = next((positions[n] for n in names if n in positions), -1)
    return out


class JournalImporter:
    """What the beangulp importers of the 仕訳 formats share (mixed into ``beangulp.Importer``).

    ``notices`` holds, per file, what the last extract reported without failing (repeated 伝票).
    """

    reader: type[VoucherReader] = VoucherReader
    prefix = ""  # archive file name prefix

    def __init__(self, mapping: mapping_lib.Mapping, ledger: LedgerInfo, source: str | None = None,
                 archive_account: str | None = None, keep_repeats: bool = False) -> None:
        self.mapping = mapping
        self.ledger = ledger
        self.source = source or self.default_source
        self.archive_account = archive_account or self.default_archive
        self.keep_repeats = keep_repeats
        self.notices: dict[str, list[str]] = {}

    default_source = ""
    default_archive = "Documents:Journal"

    def account(self, filepath: str) -> str:
        return self.archive_account

    def date(self, filepath: str) -> datetime.date | None:
        entries = self.extract(filepath, [])
        return max((e.date for e in entries), default=None)

    def filename(self, filepath: str) -> str | None:
        return self.prefix + Path(filepath).name.replace(" ", "_")

    def extract(self, filepath: str, existing) -> list:
        reader = self.reader(filepath, self.mapping, self.ledger, self.source, self.keep_repeats)
        entries = reader.read()  # type: ignore[attr-defined]
        self.notices[filepath] = reader.notices
        return entries

    def deduplicate(self, entries, existing) -> None:
        from .ingest import mark_duplicates

        mark_duplicates(entries, existing)

    def sort(self, entries, reverse=False):
        entries.sort(key=lambda e: (e.date, e.meta.get("lineno", 0)), reverse=reverse)


def first_line(filename: str, limit: int = 65536) -> bytes | None:
    """The first non-blank line that is not a ``#`` comment (for identify), or None."""
    try:
        with open(filename, "rb") as f:
            for line in f:
                if line.startswith(b"#") or not line.strip():
                    continue
                return line[:limit]
    except OSError:
        return None
    return None


def header_text(line: bytes | None, encodings: tuple[str, ...] = UTF8_OR_SJIS) -> list[str] | None:
    """The cells of a header line in one of the encodings (BOM dropped), or None."""
    if line is None:
        return None
    line = line.removeprefix(b"\xef\xbb\xbf")
    if line[:2] in _BOMS:  # identified, so that reading says what is wrong with it
        encodings = ("utf-16",)
        line = line[: len(line) - len(line) % 2]
    for encoding in encodings:
        try:
            text = line.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return [cell.strip() for cell in next(csv.reader([text.rstrip("\r\n\x00")]))]
        except (csv.Error, StopIteration):
            return None
    return None


def keyed_vouchers(repeats: Repeats, rows, key, what) -> list[list[tuple[int, list[str]]]]:
    """Group rows by a key anywhere in the file (freee's rule: same 日付 and 伝票番号), in the order of their first row.

    ``key(cells)`` is the 伝票's key, or None for a row that is a 仕訳 of its own.  A run of consecutive rows of
    one key that repeats an earlier run identically is left out (reported by ``repeats``) or, with ``keep``,
    made a 伝票 of its own.
    """
    runs: list[tuple[object, list[tuple[int, list[str]]]]] = []
    for row, cells in rows:
        k = key(cells)
        if k is not None and runs and runs[-1][0] == k:
            runs[-1][1].append((row, cells))
        else:
            runs.append((k, [(row, cells)]))
    groups: dict[object, list[tuple[int, list[str]]]] = {}
    copies: dict[object, int] = {}
    for n, (k, run) in enumerate(runs):
        status = repeats.check([cells for _, cells in run], run[0][0], what(k))
        if status == "drop":
            continue
        if k is None:
            group_key: object = ("row", n)
        elif status == "keep":
            copies[k] = copies.get(k, 1) + 1
            group_key = (k, copies[k])
        else:
            group_key = (k, 1)
        groups.setdefault(group_key, []).extend(run)
    return list(groups.values())
