"""マネーフォワード クラウド会計 仕訳帳 CSV (its import template and its 仕訳帳 export) → Beancount transactions by business.

The format, as マネーフォワード documents it:

- 「仕訳帳」をインポートする (クラウド会計・確定申告):
  https://biz.moneyforward.com/support/tax-return/guide/import-books/ib01.html —
  取引No, 取引日, 勘定科目 and 金額 are required; 取引No tells a 複合仕訳 from a
  単一仕訳; rows with the same 取引日 and the same 取引No whose debits and
  credits agree are one 複合仕訳; 勘定科目, 補助科目, 税区分 and 部門 must be the
  registered names exactly;
- 「インポート」の使い方 (クラウド会計Plus):
  https://biz.moneyforward.com/support/ac-plus/guide/journal2/import2.html —
  the template's header row spans columns A to AA (27 columns) and is not to be
  edited; the template comes in the character code of your choice;
- 他社会計ソフトからの移行:
  https://biz.moneyforward.com/support/tax-return/?p=136 — the same 取引No on
  adjacent rows (上下の行) makes a 複合仕訳.

The 27 columns, read by their header names (so that an export with fewer or
reordered columns reads the same; 取引No, 取引日, 借方勘定科目, 借方金額(円),
貸方勘定科目 and 貸方金額(円) are required)::

    取引No 取引日 借方勘定科目 借方補助科目 借方部門 借方取引先 借方税区分 借方インボイス 借方金額(円) 借方税額
    貸方勘定科目 貸方補助科目 貸方部門 貸方取引先 貸方税区分 貸方インボイス 貸方金額(円) 貸方税額
    摘要 仕訳メモ タグ MF仕訳タイプ 決算整理仕訳 作成日時 作成者 最終更新日時 最終更新者

Encodings: UTF-8 (with or without BOM) or Shift_JIS (cp932), as マネーフォワード
writes either.  Dates: ``2023/04/01``, ``2023/4/1`` or ``2023-04-01``.

What the importer makes of it:

- a 伝票 is a run of adjacent rows with the same 取引No and 取引日 (マネーフォワード's
  rule); its debits must equal its credits (マネーフォワード would split an
  unbalanced group into single 仕訳; here it is an error at its first row);
  the same 取引No and 取引日 again later in the file is another 伝票;
- 勘定科目 + 補助科目 → item and 部門 → business through the mapping file, as for
  弥生; 税区分 and 税額 as ``tax_class`` and ``tax_amount``, 取引先 as ``partner``,
  インボイス as ``invoice`` (posting metadata); 摘要: the first non-empty one is
  the narration, a row's different one is its postings' ``description``;
  仕訳メモ as ``memo``, タグ as ``mf_tags``, MF仕訳タイプ as ``mf_type``,
  決算整理仕訳 ``1`` as ``closing: "本決"`` (``0`` or empty: none);
- ``import_id: "mf:2023-04-10:12"`` (source, date, 取引No; ``#2`` … for another
  伝票 of the same id in the file); a 伝票 repeated identically is imported once
  and reported (``--keep-repeats`` keeps every copy);
- balanced per business through :func:`importers.journal.transaction`
  (他事業勘定 legs for a strict ledger, ``generated: "import"``).

:mod:`importers.mf_export` writes the books back in this format.  Any bad row
is an :class:`~importers.errors.InputError` naming file and row.
"""

from __future__ import annotations

import gc
from operator import itemgetter

import beangulp
from beancount.core import data

from . import dates as dates_lib
from .vouchers import JournalImporter, Side, VoucherReader, csv_rows, first_line, header_index, header_text

#: The template's header, columns A to AA.
HEADER = ["取引No", "取引日",
          "借方勘定科目", "借方補助科目", "借方部門", "借方取引先", "借方税区分", "借方インボイス", "借方金額(円)", "借方税額",
          "貸方勘定科目", "貸方補助科目", "貸方部門", "貸方取引先", "貸方税区分", "貸方インボイス", "貸方金額(円)", "貸方税額",
          "摘要", "仕訳メモ", "タグ", "MF仕訳タイプ", "決算整理仕訳", "作成日時", "作成者", "最終更新日時", "最終更新者"]
REQUIRED = ("取引No", "取引日", "借方勘定科目", "借方金額(円)", "貸方勘定科目", "貸方金額(円)")


def _aliases() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {name: (name,) for name in HEADER}
    for side in ("借方", "貸方"):
        out[f"{side}金額(円)"] = (f"{side}金額(円)", f"{side}金額")
    return out


ALIASES = _aliases()
SIDE_FIELDS = ("勘定科目", "補助科目", "部門", "税区分", "金額(円)", "税額")
CLOSING = {"": None, "0": None, "1": "本決"}


def is_header(cells: list[str] | None) -> bool:
    """A マネーフォワード 仕訳帳 header: 取引No, 取引日, and both sides' 勘定科目 and 金額."""
    if not cells:
        return False
    index = header_index(cells, ALIASES)
    return all(index[name] >= 0 for name in REQUIRED)


class Reader(VoucherReader):
    """Reads one マネーフォワード 仕訳帳 CSV into transactions."""

    product = "マネーフォワード 仕訳帳 CSV"
    date_forms = dates_lib.MONEYFORWARD

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._columns: dict[str, tuple] = {}  # per side: the getter of the Side's cells, where 取引先 and インボイス are

    def read(self) -> list[data.Transaction]:
        text = self.read_text()
        rows = csv_rows(self.filename, text)
        first = next(rows, None)
        if first is None or not is_header(first[1]):
            raise self.error(first[0] if first else 1, "the first row must be the マネーフォワード 仕訳帳 header "
                                                       f"({','.join(REQUIRED)} …)")
        header = first[1]
        pick = header_index([c.strip() for c in header], ALIASES)  # -1: absent (rows are padded with one empty cell)
        width = len(header)
        number_at, date_at = pick["取引No"], pick["取引日"]
        enabled = gc.isenabled()
        gc.disable()
        try:
            out: list[data.Transaction] = []
            group: list[tuple[int, list[str]]] = []
            key = None
            for row, cells in rows:
                if len(cells) != width:
                    raise self.error(row, f"expected {width} columns (as the header), found {len(cells)}")
                cells.append("")  # the cell of an absent column; cells are stripped when read
                row_key = (cells[number_at].strip(), cells[date_at].strip())
                if group and row_key != key:
                    self._flush(group, pick, out)
                    group = []
                key = row_key
                group.append((row, cells))
            if group:
                self._flush(group, pick, out)
            return out
        finally:
            if enabled:
                gc.enable()

    def _side(self, cells: list[str], pick: dict[str, int], side: str) -> Side:
        columns = self._columns.get(side)
        if columns is None:
            columns = self._columns[side] = (itemgetter(*(pick[side + f] for f in SIDE_FIELDS)),
                                             pick[side + "取引先"], pick[side + "インボイス"])
        values, partner_at, invoice_at = columns
        partner, invoice = cells[partner_at].strip(), cells[invoice_at].strip()
        meta = None
        if partner or invoice:
            meta = {"partner": partner} if partner else {}
            if invoice:
                meta["invoice"] = invoice
        account, sub, department, tax_class, amount, tax_amount = values(cells)
        return Side(account.strip(), sub.strip(), department.strip(), tax_class.strip(), amount.strip(), tax_amount.strip(), meta)

    def _flush(self, group: list[tuple[int, list[str]]], pick: dict[str, int], out: list) -> None:
        first_row, first = group[0]
        number = first[pick["取引No"]].strip()
        what = f"取引No {number}"
        if not number:
            raise self.error(first_row, "取引No is empty: マネーフォワード needs it to tell one 仕訳 from another")
        if self.repeated([cells for _, cells in group], first_row, what):
            return
        date = self.date(first_row, first[pick["取引日"]].strip(), "取引日")
        closing_text = first[pick["決算整理仕訳"]].strip()
        if closing_text not in CLOSING:
            raise self.error(first_row, f"決算整理仕訳 must be 1, 0 or empty, not {closing_text!r}")
        lines = [(row, self._side(cells, pick, "借方"), self._side(cells, pick, "貸方"), cells[pick["摘要"]].strip())
                 for row, cells in group]
        meta = {}
        closing = CLOSING[closing_text]
        if closing:
            meta["closing"] = closing
        for column, key in (("仕訳メモ", "memo"), ("タグ", "mf_tags"), ("MF仕訳タイプ", "mf_type")):
            value = first[pick[column]].strip()
            if value:
                meta[key] = value
        out.append(self.make(first_row, date, number, lines, [cells for _, cells in group], meta, what))


def extract(filename: str, mapping, ledger, source: str = "mf", keep_repeats: bool = False) -> list[data.Transaction]:
    """The transactions of a マネーフォワード 仕訳帳 CSV (raises InputError)."""
    return Reader(filename, mapping, ledger, source, keep_repeats).read()


class Importer(JournalImporter, beangulp.Importer):
    """The beangulp importer for マネーフォワード クラウド会計 仕訳帳 CSV files."""

    reader = Reader
    prefix = "mf-"
    default_source = "mf"
    default_archive = "Documents:MoneyForward"

    @property
    def name(self) -> str:
        return "jlis.moneyforward"

    def identify(self, filepath: str) -> bool:
        if not filepath.lower().endswith(".csv"):
            return False
        return is_header(header_text(first_line(filepath)))
