"""勘定奉行 仕訳伝票 in OBC受入形式 (its 汎用データ受入 format) → Beancount transactions by business.

The format, as documented by OBC and by the tools that write it for 奉行:

- OBC: 汎用データ受入の手順書 — https://www.obcnet.jp/news/4707 : the
  「OBC受入形式」 is the format with 受入記号 (one item code per column, e.g.
  ``OBCD001``, ``CSJS005``), the other being a layout of your own;
- freee: CSVテンプレートの各形式の仕訳ファイルについて (勘定奉行形式) —
  https://support.freee.co.jp/hc/ja/articles/14687912396825 : 伝票区切
  ``OBCD001`` is ``*`` on the first 明細 of each 伝票; 伝票区分 ``CSJS001`` and
  用途区分 ``CSJS002`` (empty: 通常伝票, 振替伝票); 部門指定方法 ``CSJS003``
  (``0``: 伝票単位, every line takes the 伝票部門; empty: 勘定科目単位) and
  伝票部門コード ``CSJS004``;
- ITCS: 仕訳の汎用データ出力・データ転送の項目について —
  https://itcs.zendesk.com/hc/ja/articles/210104026 : 伝票日付 ``CSJS005``,
  整理区分 ``CSJS006`` (``0``: 日常仕訳), 伝票番号 ``CSJS007``; the debit 明細
  ``CSJS200`` 部門コード, ``CSJS201`` 勘定科目コード, ``CSJS202`` 補助科目コード,
  ``CSJS203`` 税区分コード, ``CSJS208`` 取引先コード …, the credit the same from
  ``CSJS300``; 金額 ``CSJS213``/``CSJS313`` and 消費税額 ``CSJS214``/``CSJS314``,
  摘要 ``CSJS100``.

奉行 names 勘定科目, 補助科目 and 部門 by **code**: the mapping file's ``コード``
and ``補助コード`` columns (:mod:`importers.mapping`) give them.

The file: the first row holds the 受入記号 (columns in any order, ``OBCD001``,
``CSJS005``, ``CSJS201``, ``CSJS213``, ``CSJS301`` and ``CSJS313`` required;
other items are ignored); a second row of 項目名 (伝票区切, 伝票日付, …) is
skipped; then one 明細 per row, each with a debit and a credit side.
Encodings: Shift_JIS (cp932), as 奉行 writes it, or UTF-8 (with or without BOM).
Dates: ``2023/04/01``, ``2023/4/1``, ``20230401`` or ``2023-04-01``.

What the importer makes of it:

- a 伝票 starts at a row whose 伝票区切 is ``*`` and runs to the row before the
  next ``*`` (奉行's rule); the first data row must carry ``*``; the 伝票's
  日付, 伝票番号 and 整理区分 are those of its first row (a later row's 日付, if
  given, must be a date);
- 勘定科目コード + 補助科目コード → item and 部門コード → business through the
  mapping's codes; with 部門指定方法 ``0`` every line takes the 伝票部門コード;
  a side without 勘定科目コード is blank;
- the 金額 is booked as it is (税込, as the books are kept; the 消費税額 as
  ``tax_amount``, the 税区分コード as ``tax_class``, 取引先コード as ``partner``);
  a 伝票 whose debits and credits differ is an error at its first row;
  整理区分 ``1`` as ``closing: "本決"`` (``0`` or empty: none; others are refused);
- 摘要: the first non-empty one is the narration, a row's different one its
  postings' ``description``; ``import_id: "bugyo:2023-04-10:000123"``
  (without 伝票番号: a hash of the 伝票's cells); a 伝票 repeated identically is
  imported once and reported (``--keep-repeats`` keeps every copy);
- balanced per business through :func:`importers.journal.transaction`.

Any bad row is an :class:`~importers.errors.InputError` naming file and row.
"""

from __future__ import annotations

import gc
from operator import itemgetter

import beangulp
from beancount.core import data

from . import dates as dates_lib
from .vouchers import JournalImporter, Side, VoucherReader, csv_rows, first_line, header_index, header_text

MARK = "*"
FIELDS = {
    "伝票区切": "OBCD001", "部門指定方法": "CSJS003", "伝票部門コード": "CSJS004", "伝票日付": "CSJS005",
    "整理区分": "CSJS006", "伝票番号": "CSJS007", "摘要": "CSJS100",
    "借方部門コード": "CSJS200", "借方勘定科目コード": "CSJS201", "借方補助科目コード": "CSJS202", "借方税区分コード": "CSJS203",
    "借方取引先コード": "CSJS208", "借方金額": "CSJS213", "借方消費税額": "CSJS214",
    "貸方部門コード": "CSJS300", "貸方勘定科目コード": "CSJS301", "貸方補助科目コード": "CSJS302", "貸方税区分コード": "CSJS303",
    "貸方取引先コード": "CSJS308", "貸方金額": "CSJS313", "貸方消費税額": "CSJS314",
}
REQUIRED = ("伝票区切", "伝票日付", "借方勘定科目コード", "借方金額", "貸方勘定科目コード", "貸方金額")
ALIASES: dict[str, tuple[str, ...]] = {name: (code,) for name, code in FIELDS.items()}
CLOSING = {"": None, "0": None, "1": "本決"}
SIDE_FIELDS = ("部門コード", "勘定科目コード", "補助科目コード", "税区分コード", "金額", "消費税額", "取引先コード")
BY_SLIP = "0"  # 部門指定方法: 伝票単位


def is_header(cells: list[str] | None) -> bool:
    """An OBC受入形式 仕訳伝票 header: the 受入記号 of 伝票区切, 伝票日付 and both sides' 勘定科目コード and 金額."""
    if not cells:
        return False
    index = header_index(cells, ALIASES)
    return all(index[name] >= 0 for name in REQUIRED)


class Reader(VoucherReader):
    """Reads one 勘定奉行 OBC受入形式 仕訳伝票 file into transactions."""

    product = "勘定奉行 OBC受入形式"
    date_forms = dates_lib.BUGYO
    by_code = True
    tax_column = "消費税額"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._columns: dict[str, itemgetter] = {}  # per side: the getter of its cells

    def read(self) -> list[data.Transaction]:
        text = self.read_text()
        rows = csv_rows(self.filename, text)
        first = next(rows, None)
        header = [c.strip() for c in first[1]] if first else None
        if first is None or not is_header(header):
            raise self.error(first[0] if first else 1, "the first row must be the 受入記号 of an OBC受入形式 仕訳伝票 "
                                                       f"({', '.join(FIELDS[n] for n in REQUIRED)} …)")
        assert header is not None
        pick = header_index(header, ALIASES)
        width = len(header)
        mark = pick["伝票区切"]
        enabled = gc.isenabled()
        gc.disable()
        try:
            out: list[data.Transaction] = []
            group: list[tuple[int, list[str]]] = []
            names_row_allowed = True
            for row, cells in rows:
                if len(cells) != width:
                    raise self.error(row, f"expected {width} columns (as the 受入記号 row), found {len(cells)}")
                cells = [c.strip() for c in cells]
                if names_row_allowed and cells[mark] not in (MARK, ""):
                    names_row_allowed = False  # the 項目名 row under the 受入記号
                    continue
                names_row_allowed = False
                cells.append("")  # the cell of an absent column (index -1)
                if cells[mark] == MARK:
                    if group:
                        self._flush(group, pick, out)
                    group = [(row, cells)]
                elif cells[mark]:
                    raise self.error(row, f"伝票区切 must be * (the first 明細 of a 伝票) or empty, not {cells[mark]!r}")
                elif not group:
                    raise self.error(row, "the first 明細 has no 伝票区切 *: where does its 伝票 start?")
                else:
                    group.append((row, cells))
            if group:
                self._flush(group, pick, out)
            return out
        finally:
            if enabled:
                gc.enable()

    def _side(self, row: int, cells: list[str], pick: dict[str, int], side: str, slip_department: str | None) -> Side:
        getter = self._columns.get(side)
        if getter is None:
            getter = self._columns[side] = itemgetter(*(pick[side + f] for f in SIDE_FIELDS))
        department, account, sub, tax_class, amount, tax_amount, partner = getter(cells)
        if slip_department is not None:
            if department and department != slip_department:
                raise self.error(row, f"部門指定方法 0 (伝票単位) but {side}部門コード {department} is not the "
                                      f"伝票部門コード {slip_department}")
            department = slip_department
        return Side(account, sub, department, tax_class, amount, tax_amount, {"partner": partner} if partner else None)

    def _flush(self, group: list[tuple[int, list[str]]], pick: dict[str, int], out: list) -> None:
        first_row, first = group[0]
        voucher = first[pick["伝票番号"]]
        what = f"伝票番号 {voucher}" if voucher else "伝票"
        if self.repeated([cells for _, cells in group], first_row, what):
            return
        date = self.date(first_row, first[pick["伝票日付"]], "伝票日付")
        for row, cells in group[1:]:
            if cells[pick["伝票日付"]]:
                self.date(row, cells[pick["伝票日付"]], "伝票日付")  # the 伝票's date is its first row's
        closing_text = first[pick["整理区分"]]
        if closing_text not in CLOSING:
            raise self.error(first_row, f"整理区分 must be 0 (日常仕訳), 1 (決算整理) or empty, not {closing_text!r}")
        method = first[pick["部門指定方法"]]
        if method not in ("", "0", "1"):
            raise self.error(first_row, f"部門指定方法 must be 0 (伝票単位), 1 (勘定科目単位) or empty, not {method!r}")
        slip_department = first[pick["伝票部門コード"]] if method == BY_SLIP else None
        lines = [(row, self._side(row, cells, pick, "借方", slip_department), self._side(row, cells, pick, "貸方", slip_department),
                  cells[pick["摘要"]]) for row, cells in group]
        meta = {}
        closing = CLOSING[closing_text]
        if closing:
            meta["closing"] = closing
        out.append(self.make(first_row, date, voucher, lines, [cells for _, cells in group], meta, what))


def extract(filename: str, mapping, ledger, source: str = "bugyo", keep_repeats: bool = False) -> list[data.Transaction]:
    """The transactions of a 勘定奉行 OBC受入形式 仕訳伝票 file (raises InputError)."""
    return Reader(filename, mapping, ledger, source, keep_repeats).read()


class Importer(JournalImporter, beangulp.Importer):
    """The beangulp importer for 勘定奉行 仕訳伝票 files in OBC受入形式 (``.csv`` / ``.txt``)."""

    reader = Reader
    prefix = "bugyo-"
    default_source = "bugyo"
    default_archive = "Documents:Bugyo"

    @property
    def name(self) -> str:
        return "jlis.bugyo"

    def identify(self, filepath: str) -> bool:
        if not filepath.lower().endswith((".csv", ".txt")):
            return False
        return is_header(header_text(first_line(filepath)))
