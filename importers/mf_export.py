"""The books of a fiscal year → the マネーフォワード クラウド会計 仕訳帳 CSV (its import template), and what it cannot hold.

The inverse of :mod:`importers.moneyforward` through the same mapping file
(the first row naming an item or a business gives its 勘定科目/補助科目 or 部門),
on the 27-column template that マネーフォワード's 仕訳帳 import reads
(https://biz.moneyforward.com/support/tax-return/guide/import-books/ib01.html,
https://biz.moneyforward.com/support/ac-plus/guide/journal2/import2.html):

- one 伝票 per transaction of the year: adjacent rows with the same 取引No and
  取引日, the i-th debit and the i-th credit sharing the i-th row, a blank side
  left empty; 取引No from ``voucher:`` when it is a number of at most 10
  digits not yet used on that day, else a running number that no 伝票 of the
  year carries (マネーフォワード groups rows by 取引No and 取引日, so two 伝票 of
  one day never share a number);
- 摘要: the narration on the first row, a posting's ``description:`` on its
  own row; 税区分 / 税額 from ``tax_class:`` / ``tax_amount:``, 取引先 from
  ``partner:``, インボイス from ``invoice:``; 仕訳メモ from ``memo:``, タグ from
  ``mf_tags:``, MF仕訳タイプ from ``mf_type:``; 決算整理仕訳 ``1`` for a
  ``closing:`` entry (中決 and 本決 alike: マネーフォワード has one kind, noted);
- UTF-8 with a BOM (``encoding="cp932"``: Shift_JIS, characters outside it
  reported), CRLF, the header row;
- postings marked ``generated:`` are left out (importing the file makes the
  他事業勘定 legs again), a split pool posting is written whole
  (:mod:`importers.export`).

What the format cannot hold is reported in ``Export.notes``: generated
postings, other metadata, tags and links, payees, directives other than
transactions, a description on a 伝票's first row.
"""

from __future__ import annotations

from beancount.core import data

from .export import Export, LineExporter, Names, run
from .mapping import Mapping
from .moneyforward import HEADER

KEPT_META = frozenset({"filename", "lineno", "voucher", "closing", "memo", "import_id", "mf_tags", "mf_type"})
KEPT_POSTING_META = frozenset({"filename", "lineno", "tax_class", "tax_amount", "description", "sub_account",
                               "partner", "invoice"})
BLANK_SIDE = ["", "", "", "", "", "", "", ""]


def format_date(date) -> str:
    return f"{date.year:04d}/{date.month:02d}/{date.day:02d}"




class _Exporter(LineExporter):
    format_name = "マネーフォワード 仕訳帳 CSV"
    kept_meta = KEPT_META
    kept_posting_meta = KEPT_POSTING_META
    voucher_digits = 10

    def __init__(self, mapping: Mapping, currency: str, encoding: str = "utf-8") -> None:
        super().__init__(mapping, currency)
        self.encoding = encoding
        self.numbered: set[tuple[str, object]] = set()  # (取引No, 取引日) written

    def fresh(self, number: str, entry: data.Transaction) -> bool:
        if (number, entry.date) in self.numbered:
            self.counts["伝票 numbers used twice on one day (a running number is written: マネーフォワード groups rows by 取引No and 取引日)"] += 1
            return False
        return True

    def side(self, names: Names | None) -> list[str]:
        if names is None:
            return BLANK_SIDE
        meta = names.meta
        return [names.account, names.sub, names.department, self.text(None, meta.get("partner")), self.text(None, meta.get("tax_class")),
                self.text(None, meta.get("invoice")), f"{names.number:f}", self.number_cell(meta.get("tax_amount"))]

    def rows(self, entry: data.Transaction) -> list[list[str]]:
        lines = self.lines(entry)
        if not lines:
            return []
        number = self.voucher_no(entry)  # running numbers skip every number of the year: never one of that day
        self.numbered.add((number, entry.date))
        closing = entry.meta.get("closing")
        if closing == "中決":
            self.counts["中決 entries written as 決算整理仕訳 (マネーフォワード has one kind)"] += 1
        first = [self.text(None, entry.meta.get(key)) for key in ("memo", "mf_tags", "mf_type")]
        flag = "1" if closing else ""
        date = format_date(entry.date)
        return [[number, date, *self.side(line.debit), *self.side(line.credit), line.text, *(first if i == 0 else ["", "", ""]),
                 flag, "", "", "", ""] for i, line in enumerate(lines)]


def export(entries: data.Entries, mapping: Mapping, start, end, currency: str = "JPY", encoding: str = "utf-8") -> Export:
    """The transactions dated ``start <= date <= end`` as the マネーフォワード 仕訳帳 CSV (``Export.text``), with notes.

    ``encoding``: ``utf-8`` (written with a BOM) or ``cp932`` (Shift_JIS).
    """
    result = run(_Exporter(mapping, currency, encoding), entries, start, end, header=HEADER)
    result.bom = encoding == "utf-8"
    return result
