"""freee会計 仕訳 CSV (汎用形式 and the 仕訳帳 export) → Beancount transactions by business.

The format, as freee documents it:

- その他の会計ソフトから仕訳データを移行する (the 汎用形式 that freee imports):
  https://support.freee.co.jp/hc/ja/articles/204847430 — one header row;
  debit and credit columns on one row (借方勘定科目 / 貸方勘定科目, 借方金額 /
  貸方金額, 借方税額 / 貸方税額 …); 日付 is required, written ``2015/04/01`` or
  ``平成27年4月1日``; rows with the same 日付 and 伝票番号 are one 仕訳 of several
  rows; 決算整理仕訳 ``1`` marks a closing entry (or 日付 in 13月);
- 仕訳帳をCSV形式・PDF形式で出力する (the 仕訳帳 export):
  https://support.freee.co.jp/hc/ja/articles/204615564 — the export is written
  in UTF-8 or Shift_JIS, as chosen, and its optional columns (取引先, 品目,
  部門, メモタグ, 備考 …) are left out when unticked; its header names the
  columns (No, 取引日, 管理番号, 借方勘定科目, 借方金額, 借方税区分, 借方税金額,
  借方取引先名, 借方品目, 借方部門, 借方メモ, 借方備考, 貸方…, 決算整理仕訳,
  仕訳番号, …).

So the columns are read by their header names, either spelling::

    field       汎用形式 / 仕訳帳 export
    日付        日付 / 取引日                 (required)
    伝票        伝票番号 / 仕訳番号 / No      (the first present)
    決算整理    決算整理仕訳                  (1 = closing)
    each side   借方… and 貸方…: 勘定科目 (required), 補助科目 (補助科目名), 部門, 税区分,
                金額 (金額(円); required), 税額 (税金額), 取引先 (取引先名), 品目, メモタグ (メモ), 備考
    摘要        摘要 / 取引内容

Encodings: Shift_JIS (cp932) or UTF-8 with or without BOM.  Dates: ``2023/04/01``,
``2023-04-01``, ``2023年4月1日`` or 和暦 ``令和5年4月1日`` / ``平成31年4月30日``
(checked against the era: ``平成31年5月1日`` is an error); a 13月 date is
refused (write the 期末日 and 決算整理仕訳 1: the importer does not know
freee's 期末日).

What the importer makes of it:

- a 伝票 is every row with the same 日付 and 伝票番号 (freee's rule, anywhere in
  the file, in the order of its first row); a row without 伝票番号 is a 仕訳 of
  its own; debits must equal credits;
- 勘定科目 + 補助科目 → item and 部門 → business through the mapping file;
  税区分/税額 as ``tax_class``/``tax_amount``, 取引先 as ``partner``, 品目 as
  ``item``, メモタグ as ``memo_tags``, 備考 as ``remark`` (posting metadata);
  摘要: the first non-empty one is the narration, a row's different one its
  postings' ``description``; 決算整理仕訳 ``1`` as ``closing: "本決"``;
- ``import_id: "freee:2023-04-10:12"`` (without 伝票番号: a hash of the row);
  a run of rows repeating an earlier one identically is imported once and
  reported (``--keep-repeats``: another 伝票, ``#2`` in its id);
- balanced per business through :func:`importers.journal.transaction`.

Any bad row is an :class:`~importers.errors.InputError` naming file and row.
"""

from __future__ import annotations

import gc
import re
from operator import itemgetter

import beangulp
from beancount.core import data

from . import dates as dates_lib
from .vouchers import (
    JournalImporter,
    Side,
    VoucherReader,
    csv_rows,
    first_line,
    header_index,
    header_text,
    keyed_vouchers,
)

SIDE_ALIASES = {
    "勘定科目": ("勘定科目",),
    "補助科目": ("補助科目", "補助科目名"),
    "部門": ("部門",),
    "税区分": ("税区分",),
    "金額": ("金額", "金額(円)"),
    "税額": ("税額", "税金額"),
    "取引先": ("取引先", "取引先名"),
    "品目": ("品目",),
    "メモタグ": ("メモタグ", "メモ"),
    "備考": ("備考",),
}
ALIASES: dict[str, tuple[str, ...]] = {
    "日付": ("日付", "取引日"),
    "伝票番号": ("伝票番号", "仕訳番号", "No"),
    "決算整理仕訳": ("決算整理仕訳",),
    "摘要": ("摘要", "取引内容"),
    **{side + field: tuple(side + name for name in names) for side in ("借方", "貸方") for field, names in SIDE_ALIASES.items()},
}
REQUIRED = ("日付", "借方勘定科目", "借方金額", "貸方勘定科目", "貸方金額")
#: Posting metadata of the optional side columns.
SIDE_META = {"取引先": "partner", "品目": "item", "メモタグ": "memo_tags", "備考": "remark"}
CLOSING = {"": None, "0": None, "1": "本決"}
_MONTH_13 = re.compile(r"\d{4}[/-]13[/-]\d{1,2}|\d{4}年13月\d{1,2}日|.+年13月\d{1,2}日")


def is_header(cells: list[str] | None) -> bool:
    """A freee 仕訳 header: 日付/取引日 and both sides' 勘定科目 and 金額, and not マネーフォワード's 取引No."""
    if not cells or "取引No" in cells:
        return False
    index = header_index(cells, ALIASES)
    return all(index[name] >= 0 for name in REQUIRED)


class Reader(VoucherReader):
    """Reads one freee 仕訳 CSV into transactions."""

    product = "freee 仕訳 CSV"
    date_forms = dates_lib.FREEE

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._columns: dict[str, tuple] = {}  # per side: the getter of the Side's cells, the optional metadata columns

    def date(self, row, text, column):
        if _MONTH_13.fullmatch(text):
            raise self.error(row, f"{column} {text!r} is in 13月 (決算整理): write the 期末日 and 決算整理仕訳 1")
        return super().date(row, text, column)

    def read(self) -> list[data.Transaction]:
        text = self.read_text()
        rows = csv_rows(self.filename, text)
        first = next(rows, None)
        if first is None or not is_header([c.strip() for c in first[1]]):
            raise self.error(first[0] if first else 1, f"the first row must be a freee 仕訳 header ({','.join(REQUIRED)} …)")
        header = [c.strip() for c in first[1]]
        pick = header_index(header, ALIASES)
        width = len(header)

        def padded():
            for row, cells in rows:
                if len(cells) != width:
                    raise self.error(row, f"expected {width} columns (as the header), found {len(cells)}")
                cells.append("")  # the cell of an absent column (index -1); cells are stripped when read
                yield row, cells

        date_col, voucher_col = pick["日付"], pick["伝票番号"]

        def key(cells):
            voucher = cells[voucher_col].strip()
            return (cells[date_col].strip(), voucher) if voucher else None

        def what(k):
            return f"伝票番号 {k[1]}" if k else "仕訳"

        enabled = gc.isenabled()
        gc.disable()
        try:
            return [self.transaction(group, pick) for group in keyed_vouchers(self.repeats, padded(), key, what)]
        finally:
            if enabled:
                gc.enable()

    def _side(self, cells: list[str], pick: dict[str, int], side: str) -> Side:
        columns = self._columns.get(side)
        if columns is None:
            columns = self._columns[side] = (
                itemgetter(*(pick[side + f] for f in ("勘定科目", "補助科目", "部門", "税区分", "金額", "税額"))),
                [(pick[side + field], key) for field, key in SIDE_META.items() if pick[side + field] >= 0])
        values, optional = columns
        meta = None
        for i, key in optional:
            value = cells[i].strip()
            if value:
                if meta is None:
                    meta = {}
                meta[key] = value
        account, sub, department, tax_class, amount, tax_amount = values(cells)
        return Side(account.strip(), sub.strip(), department.strip(), tax_class.strip(), amount.strip(), tax_amount.strip(), meta)

    def transaction(self, group: list[tuple[int, list[str]]], pick: dict[str, int]) -> data.Transaction:
        first_row, first = group[0]
        voucher = first[pick["伝票番号"]].strip()
        date = self.date(first_row, first[pick["日付"]].strip(), "日付")
        closings = {cells[pick["決算整理仕訳"]].strip() for _, cells in group}
        for closing_text in closings:
            if closing_text not in CLOSING:
                raise self.error(first_row, f"決算整理仕訳 must be 1, 0 or empty, not {closing_text!r}")
        lines = [(row, self._side(cells, pick, "借方"), self._side(cells, pick, "貸方"), cells[pick["摘要"]].strip())
                 for row, cells in group]
        meta = {}
        closing = next((CLOSING[c] for c in closings if CLOSING[c]), None)
        if closing:
            meta["closing"] = closing
        what = f"伝票番号 {voucher}" if voucher else "仕訳"
        return self.make(first_row, date, voucher, lines, [cells for _, cells in group], meta, what)


def extract(filename: str, mapping, ledger, source: str = "freee", keep_repeats: bool = False) -> list[data.Transaction]:
    """The transactions of a freee 仕訳 CSV (raises InputError)."""
    return Reader(filename, mapping, ledger, source, keep_repeats).read()


class Importer(JournalImporter, beangulp.Importer):
    """The beangulp importer for freee会計 仕訳 CSV files (汎用形式 and 仕訳帳 export)."""

    reader = Reader
    prefix = "freee-"
    default_source = "freee"
    default_archive = "Documents:Freee"

    @property
    def name(self) -> str:
        return "jlis.freee"

    def identify(self, filepath: str) -> bool:
        if not filepath.lower().endswith(".csv"):
            return False
        return is_header(header_text(first_line(filepath)))
