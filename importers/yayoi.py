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
  (``R.05/03/31``, ``R05/3/31``, ``H31/04/30``; R = 令和, H = 平成, S = 昭和,
  T = 大正, M = 明治), a 和暦 date only within its era (``H31/05/01`` and
  ``R01/04/30`` are errors: :mod:`jlis_ledger.core.wareki`);
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
- balanced per business through :func:`importers.journal.transaction`;
- a 伝票 repeated identically in the file is imported once and reported
  (``--keep-repeats`` keeps every copy, ``#2`` … in their ids).

Any bad line (a control character in a field included) is an
:class:`~importers.errors.InputError` naming file and row
(:mod:`importers.vouchers` has what the 仕訳 importers share).
"""

from __future__ import annotations

import gc
import re

import beangulp
from beancount.core import data

from . import dates as dates_lib
from .errors import InputError
from .vouchers import JournalImporter, Side, VoucherReader, csv_rows, first_line

ENCODING = "cp932"
COLUMNS = 25
SINGLE = ("2000", "2111")
FIRST, MIDDLE, LAST = "2110", "2100", "2101"
FLAGS = (*SINGLE, FIRST, MIDDLE, LAST)
CLOSINGS = ("", "中決", "本決")

_IDENTIFY = re.compile(rb"(?:2000|2111|2110),")


def parse_date(text: str):
    """A 取引日付 in one of 弥生's forms; ValueError otherwise (a 和暦 date outside its era included)."""
    try:
        return dates_lib.parse(text, dates_lib.YAYOI)
    except ValueError as exc:
        raise ValueError(f"malformed 取引日付 {exc}") from None


def format_date(date) -> str:
    return f"{date.year:04d}/{date.month:02d}/{date.day:02d}"


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


def _side(cells: list[str], start: int) -> Side:
    return Side(cells[start].strip(), cells[start + 1].strip(), cells[start + 2].strip(), cells[start + 3].strip(),
                cells[start + 4].strip(), cells[start + 5].strip())


class Reader(VoucherReader):
    """Reads one 弥生インポート形式 file into transactions."""

    product = "弥生インポート形式"
    encodings = (ENCODING,)
    date_forms = dates_lib.YAYOI
    tax_column = "税金額"

    def transaction(self, rows: list[tuple[int, list[str]]]) -> data.Transaction | None:
        first_row, first = rows[0]
        voucher = first[1].strip()
        what = f"伝票No.{voucher}" if voucher else "仕訳"
        if self.repeated([cells for _, cells in rows], first_row, what):
            return None
        closing = first[2].strip()
        if closing not in CLOSINGS:
            raise InputError(self.filename, first_row, f"決算 must be 中決, 本決 or empty, not {closing!r}")
        date = self.date(first_row, first[3].strip(), "取引日付")
        lines = []
        for row, cells in rows:
            if row != first_row and cells[3].strip():
                self.date(row, cells[3].strip(), "取引日付")  # a later line's date is not used (弥生 takes the first), but must be a date
            lines.append((row, _side(cells, 4), _side(cells, 10), cells[16].strip()))
        meta = {}
        if closing:
            meta["closing"] = closing
        memo = first[21].strip()
        if memo:
            meta["memo"] = memo
        return self.make(first_row, date, voucher, lines, [cells[2:] for _, cells in rows], meta, what)

    def read(self) -> list[data.Transaction]:
        text = self.read_text()
        # the entries only grow while reading: the cyclic garbage collector would scan them again and again
        enabled = gc.isenabled()
        gc.disable()
        try:
            out = []
            for rows in vouchers(self.filename, csv_rows(self.filename, text, comments=True)):
                entry = self.transaction(rows)
                if entry is not None:
                    out.append(entry)
            return out
        finally:
            if enabled:
                gc.enable()


def extract(filename: str, mapping, ledger, source: str = "yayoi", keep_repeats: bool = False) -> list[data.Transaction]:
    """The transactions of a 弥生インポート形式 file (raises InputError)."""
    return Reader(filename, mapping, ledger, source, keep_repeats).read()


class Importer(JournalImporter, beangulp.Importer):
    """The beangulp importer for 弥生インポート形式 仕訳データ files (``.csv`` / ``.txt``)."""

    reader = Reader
    prefix = "yayoi-"
    default_source = "yayoi"
    default_archive = "Documents:Yayoi"

    @property
    def name(self) -> str:
        return "jlis.yayoi"

    def identify(self, filepath: str) -> bool:
        if not filepath.lower().endswith((".csv", ".txt")):
            return False
        line = first_line(filepath)
        return line is not None and _IDENTIFY.match(line) is not None
