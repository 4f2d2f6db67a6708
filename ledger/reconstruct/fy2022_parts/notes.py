"""The facts of the notes and the 附属明細書 that are not postings, as ``custom "note-fact"`` directives.

The tables themselves (rows, columns, and which cells are balances or flows of the books) are declared in
``ledger/statements.beancount`` (``custom "note-table"`` …, jlis_ledger.statements.notes_declarations);
what the books cannot carry is declared here as data, each with its published cell in ``source:``: the
時価 of the financial instruments (and their レベル), the maturity buckets of the 償還予定額 and the
リース債務の返済予定額 beyond one year, the 券面総額 of the bonds, the 平均利率 and 返済期限 of the
借入金等明細書, the 内容 of the 有形固定資産等明細書's notes and the 保証金 not expected back (which the
books keep inside 保証金).  Everything else of these tables is computed from the books and reconciled.

Rules: each fact is dated the table's 期末 (as_of, or the period's end) and copied from the recovered
publication (r4-kessan.json) as printed: an amount as integer yen, a text (平均利率 "2.278") as text.
"""

from __future__ import annotations

from fy2022_parts.published import Published
from fy2022_parts.syntax import quote, yen

LEVELS_ROWS = ("有価証券及び投資有価証券満期保有目的のもの", "保証金", "リース債務")
BEYOND_ONE_YEAR = ("1年超2年以内", "2年超3年以内")

#: (table, row, column) of every published cell declared as a fact
FACTS: tuple[tuple[str, str, str], ...] = (
    ("securities-note", "地方債", "時価"),
    ("financial-instruments", "保証金", "時価"),
    ("financial-instruments", "リース債務", "時価"),
    *(("financial-instruments-levels", row, level) for row in LEVELS_ROWS for level in ("レベル1", "レベル3")),
    *(("redemption-schedule", row, bucket) for row in ("現金及び預金", "未収金", "有価証券及び投資有価証券満期保有目的のもの")
       for bucket in BEYOND_ONE_YEAR),
    *(("lease-repayment", "リース債務", bucket) for bucket in ("1年超2年以内", "2年超3年以内", "3年超4年以内", "4年超5年以内")),
    ("securities", "5年第24回地方公共団体金融機構債券", "券面総額"),
    ("securities", "5年第28回地方公共団体金融機構債券", "券面総額"),
    ("fixed-assets-notes", "備品", "内容"),
    ("fixed-assets-notes", "建設仮勘定", "内容"),
    *(("borrowings", row, column) for row in ("1年以内に返済予定のリース債務", "リース債務（1年以内に返済予定のものを除く。）", "合計")
       for column in ("平均利率（%）", "返済期限")),
    ("deposit-allowance", "期首残高", "金額"),
    ("deposit-allowance", "期中の増減額", "金額"),
)


def _value(pub: Published, table: str, row: str, column: str) -> object:
    t = pub.tables[table]
    rows = [r for r in t["rows"] if r["label"] == row and r["values"] is not None]
    if len(rows) != 1:
        raise AssertionError(f"{table}: {len(rows)} rows {row!r} with values")
    return rows[0]["values"][t["columns"].index(column)]


def note_facts(pub: Published) -> str:
    """Every fact of :data:`FACTS`, dated its table's 期末, with its published cell as ``source:``."""
    lines = []
    for table, row, column in FACTS:
        t = pub.tables[table]
        date = t.get("as_of") or t["period"][1]
        value = _value(pub, table, row, column)
        written = yen(value) if isinstance(value, int) else quote(value)
        lines.append(f"{date} custom \"note-fact\" {quote(table)} {quote(row)} {quote(column)} {written}")
        lines.append(f"  source: {quote(t['title'] + ' ' + row + ' ' + column)}")
    return "\n".join(lines) + "\n"
