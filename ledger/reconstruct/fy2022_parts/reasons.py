"""参考資料1-2 左の主な理由 as declared rows (``custom "statement-row" "summary-reasons" …``).

Each reason is the part of a summary line's 決算 − 予算 that the publication explains in words, printed in
百万円. The books cannot derive it: the publication gives no budget by line *and* business, so a reason is
a fact of the publication, declared as data with its published cell in ``source:`` (the way the 時価 of the
notes are declared), and ``reconcile`` checks the declared table against the recovered publication. The
recovery itself checks the eleven reasons that name a whole line against the yen tables
(``jlis_ledger.importers.recovery.summaries``, REASON_FIGURES; ledger/SOURCES.md).

Rules: one row per published row, in published order; a heading (the summary, then its section) is a row
with no cells; a reason's amount is signed as recovered (an increase positive), published to the 百万円 and
written as whole 百万円 in yen; every row is dated the period's end, so it belongs to 令和4年度's table.
"""

from __future__ import annotations

from fy2022_parts.published import Published
from fy2022_parts.syntax import quote, yen

TABLE = "summary-reasons"
MILLION = 1_000_000


def reason_rows(pub: Published) -> str:
    """The rows of 左の主な理由 as ``statement-row`` directives, each with its published cell as ``source:``."""
    t = pub.tables[TABLE]
    if t.get("unit") != "百万円" or t.get("columns") != ["金額"]:
        raise AssertionError(f"{TABLE}: expected one column in 百万円, got {t.get('columns')} in {t.get('unit')}")
    date = pub.data["source"]["period"][1]
    lines, summary, section = [], "", ""
    for row in t["rows"]:
        if row["kind"] == "heading":
            if row["level"] == 0:
                summary, section = row["label"], ""
            else:
                section = row["label"]
            lines.append(f"{date} custom \"statement-row\" {quote(TABLE)} {quote(row['label'])} {row['level']}")
            continue
        (value,) = row["values"]
        if not isinstance(value, int):
            raise AssertionError(f"{TABLE}: {row['label']!r}: {value!r} is not a whole number of 百万円")
        amount = yen(value * MILLION)
        if value < 0:  # after the level, "2 -14,380" would be Beancount's arithmetic (2 − 14,380): a bracketed number
            amount = f"({amount})"
        lines.append(f"{date} custom \"statement-row\" {quote(TABLE)} {quote(row['label'])} {row['level']} {amount} JPY")
        lines.append(f"  source: {quote(f'{summary} 左の主な理由 {section}'.strip())}")
    return "\n".join(lines) + "\n"
