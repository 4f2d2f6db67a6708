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
  entries, and importing the file makes them again (:mod:`importers.export`
  has what the exports share).

What the format cannot hold is reported, not silently dropped (:class:`Export`
``notes``): generated postings, other metadata, tags and links, payees,
directives other than transactions, names longer than 弥生 keeps (勘定科目,
補助科目 and 部門 24 bytes, 摘要 64 bytes), characters outside Shift_JIS.
An account without a 科目 in the mapping, a business without 部門, a
non-integer amount or another currency is an error (ValueError).
"""

from __future__ import annotations

from beancount.core import data

from .export import Export, LineExporter, Names, run
from .mapping import Mapping
from .yayoi import ENCODING, FIRST, LAST, MIDDLE, format_date

KEPT_META = frozenset({"filename", "lineno", "voucher", "closing", "memo", "import_id"})
KEPT_POSTING_META = frozenset({"filename", "lineno", "tax_class", "tax_amount", "description", "sub_account"})
LIMITS = {"勘定科目": 24, "補助科目": 24, "部門": 24, "摘要": 64}
BLANK_SIDE = ["", "", "", "", "0", ""]




class _Exporter(LineExporter):
    format_name = "弥生インポート形式"
    encoding = ENCODING
    limits = LIMITS
    kept_meta = KEPT_META
    kept_posting_meta = KEPT_POSTING_META

    def side(self, names: Names | None) -> list[str]:
        if names is None:
            return BLANK_SIDE
        meta = names.meta
        return [names.account, names.sub, names.department, self.text(None, meta.get("tax_class")), f"{names.number:f}",
                self.number_cell(meta.get("tax_amount"))]

    def rows(self, entry: data.Transaction) -> list[list[str]]:
        lines = self.lines(entry)
        if not lines:
            return []
        voucher = self.voucher_no(entry)
        closing = str(entry.meta.get("closing", ""))
        if closing not in ("", "中決", "本決"):
            self.counts[f"決算 {closing!r} that 弥生 does not know (written as 本決)"] += 1
            closing = "本決"
        memo = self.text(None, entry.meta.get("memo"))
        date = format_date(entry.date)
        n = len(lines)
        out = []
        for i, line in enumerate(lines):
            flag = "2111" if n == 1 else FIRST if i == 0 else LAST if i == n - 1 else MIDDLE
            out.append([flag, voucher if i == 0 else "", closing if i == 0 else "", date, *self.side(line.debit), *self.side(line.credit),
                        line.text, "", "", "0", "", memo if i == 0 else "", "0", "0", "no"])
        return out


def export(entries: data.Entries, mapping: Mapping, start, end, currency: str = "JPY") -> Export:
    """The transactions dated ``start <= date <= end`` as 弥生インポート形式 (``Export.text``), with notes."""
    return run(_Exporter(mapping, currency), entries, start, end)
