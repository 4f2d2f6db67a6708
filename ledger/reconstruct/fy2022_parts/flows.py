"""Flow assertions: every published flow of 令和4年度, so that ``bean-check`` proves it.

``custom "flow"`` (``jlis_ledger.plugins.proof``) asserts the net flow of accounts over a period;
the figures are copied from the recovered publication (``r4-kessan.json``) cell by cell, never from
the reconstruction's own sums, so the books are checked against the publication and not against
themselves.  Each assertion names its cell in ``source:``, whose first word is the published table
(``jlis-ledger verify`` counts the assertions by it).

Rules:

* 事業別財務情報(損益計算書関係) — every cell (the eight businesses, 相殺等 and 合計), lines and
  subtotals; 損益計算書 and 決算報告書 損益計算書 (決算額) — every row.  A line is its account
  (the column's business, ``business:``), a 「…合計」 its section, a profit step (営業利益 …
  当期純利益) every section above it; amounts in Beancount's signs (revenue negative, a profit
  negative);
* キャッシュ・フロー計算書 — every line is its ``cf:`` label, 小計 and each activity the labels
  above it, 増減額 the flow of the cash accounts over the year, 期首残高 and 期末残高 their balance
  at the start and at the end of the year (a one-date period);
* 決算報告書 貸借対照表 (決算額) — every row at 2023-03-31 (a one-date period: the balance of
  several accounts, which ``balance`` cannot assert); 積立金 and the rows that contain it include
  the year's 当期純利益 (its Income and Expenses, and the profit leg 処分対象利益), as published;
* 利益の処分に関する書類 — 当期純利益 is the year's flow of Income and Expenses; 処分対象利益 and
  each 利益処分額 the postings of the appropriation (``tag: "appropriation"``, booked in 令和5年度).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fy2022_parts.books import FY2022_APPROVAL, OPENING_DATE, YEAR_END
from fy2022_parts.chart import BUSINESSES, ELIMINATION, ITEMS, SECTION_LABELS
from fy2022_parts.syntax import quote, yen

if TYPE_CHECKING:
    from fy2022_parts.published import Published

FY = 2022
CASH = "Assets:1-流動資産:11-現金及び預金:1-預金"  # the cash-flow-cash account (statements.beancount)
PROFIT_LEG = "Equity:2-利益剰余金:25-処分対象利益"
GENERAL_RESERVE = "Equity:2-利益剰余金:21-積立金"
SECTION = {label: account for account, label in SECTION_LABELS.items()}
INCOME_STATEMENT = ["Income:1-営業収益", "Income:2-営業外収益", "Expenses:1-営業費用", "Expenses:2-営業外費用",
                    "Expenses:3-特別損失", "Expenses:4-法人住民税"]
ROOTS = {"資産合計": ["Assets:1-流動資産", "Assets:2-固定資産"],
         "負債合計": ["Liabilities:1-流動負債", "Liabilities:2-固定負債"],
         "純資産合計": ["Equity:1-地方公共団体出資金", "Equity:2-利益剰余金"]}
ROOTS["負債純資産合計"] = ROOTS["負債合計"] + ROOTS["純資産合計"]


def _line(label: str, within: str | None) -> str:
    """The account of a published line (within a section, where two lines share a label)."""
    found = [i.account for i in ITEMS if i.label == label and (within is None or i.account.startswith(within + ":"))]
    if len(found) != 1:
        raise AssertionError(f"no single account for the line {label!r} in {within}: {found}")
    return found[0]


def _under(account: str, prefix: str) -> bool:
    return account == prefix or account.startswith(prefix + ":")


def _sign(accounts: list[str]) -> int:
    """Beancount's sign of a published figure: debit roots as printed, credit roots (and profits) turned."""
    return 1 if all(a.startswith(("Assets", "Expenses")) for a in accounts) else -1


def _directive(date: str, period: str, subject: list[str], amount: int, source: str, business: str | None = None,
               tag: str | None = None) -> str:
    what = " ".join(subject)
    lines = [f"{date} custom \"flow\" {period} {what} {yen(amount)} JPY", f"  source: {quote(source)}"]
    if business:
        lines.append(f"  business: {quote(business)}")
    if tag:
        lines.append(f"  tag: {quote(tag)}")
    return "\n".join(lines)


def _income_statement(pub: Published, table: str, title: str, column: int | None = None, suffix: str = "") -> list[str]:
    """Every cell of a 損益計算書-shaped table: lines, 「…合計」 and the profit steps."""
    rows = pub.tables[table]["rows"]
    columns = pub.tables[table]["columns"]
    out = []
    section: str | None = None
    above: list[str] = []  # the sections (and lines outside them) so far: what a profit step sums
    for row in rows:
        label, kind = row["label"], row["kind"]
        if kind == "heading":
            section = SECTION[label]
            above.append(section)
            continue
        if kind == "line":
            if row["level"] == 0:  # 法人住民税: a line of its own after the sections
                section = None
                account = _line(label, None)
                above.append(account)
                subject = [account]
            else:
                subject = [_line(label, section)]
        elif label.endswith("合計") and section is not None and SECTION_LABELS[section] == label.removesuffix("合計"):
            subject = [section]
        else:
            subject = list(above)  # a profit step: every section above it
        sign = -1 if kind == "subtotal" and subject == above else _sign(subject)
        cells = range(len(row["values"])) if column is None else [column]
        for c in cells:
            value = row["values"][c]
            business = (BUSINESSES[c] if c < 8 else ELIMINATION if c == 8 else None) if len(columns) == 10 else None
            where = f"{title} {label}" + (f" {columns[c]}" if len(columns) == 10 else "") + suffix
            out.append(_directive(YEAR_END, str(FY), subject, sign * value, where, business))
    return out


def _cash_flows(pub: Published) -> list[str]:
    out = []
    labels: list[str] = []  # the section's lines so far
    for row in pub.tables["cf"]["rows"]:
        label, kind, value = row["label"], row["kind"], row["values"][0] if row["values"] else None
        where = f"キャッシュ・フロー計算書 {label}"
        if kind == "heading":
            labels = []
            continue
        if kind == "line":
            labels.append(label)
            out.append(_directive(YEAR_END, str(FY), [quote(label)], value, where))
        elif label == "小計" or label.endswith("キャッシュ・フロー"):
            out.append(_directive(YEAR_END, str(FY), [quote(x) for x in labels], value, where))
        elif label == "現金及び現金同等物の増減額":
            out.append(_directive(YEAR_END, str(FY), [CASH], value, where))
        elif label == "現金及び現金同等物期首残高":
            out.append(_directive(YEAR_END, OPENING_DATE, [CASH], value, where))
        elif label == "現金及び現金同等物期末残高":
            out.append(_directive(YEAR_END, YEAR_END, [CASH], value, where))
        else:
            raise AssertionError(f"CF row {label!r}: which flow is it?")
    return out


def _balance_sheet(pub: Published, table: str, title: str, column: int) -> list[str]:
    """Every row of a 貸借対照表-shaped table as the balance of its accounts at the year end; the rows that
    contain 積立金 with the profit not yet appropriated (the year's Income and Expenses), as published."""
    out = []
    headings: list[str] = []
    for row in pub.tables[table]["rows"]:
        label, kind = row["label"], row["kind"]
        if kind == "heading":
            headings = [*headings[: row["level"]], label]
            continue
        if kind == "line":
            within = SECTION.get(headings[-1]) if headings and headings[-1] in SECTION else None
            subject = [_line(label, within)]
        elif label in ROOTS:
            subject = list(ROOTS[label])
        else:
            subject = [SECTION[label.removesuffix("合計")]]
            headings = headings[: row["level"]]
        if any(_under(GENERAL_RESERVE, a) for a in subject):  # the published 積立金 includes the year's 当期純利益
            if not any(_under(PROFIT_LEG, a) for a in subject):
                subject.append(PROFIT_LEG)
            subject += INCOME_STATEMENT
        sign = 1 if all(a.startswith("Assets") for a in subject) else -1
        out.append(_directive(YEAR_END, YEAR_END, subject, sign * row["values"][column], f"{title} {label} 決算額"))
    return out


def _appropriation(pub: Published) -> list[str]:
    out = []
    appropriated = FY + 1  # the 利益の処分 of 令和4年度 is booked in 令和5年度, after the year end
    for row in pub.tables["appropriation"]["rows"]:
        label, kind = row["label"], row["kind"]
        if kind == "heading":
            continue
        value = row["values"][0]
        where = f"利益の処分に関する書類 {label}"
        if label == "当期純利益":
            out.append(_directive(YEAR_END, str(FY), INCOME_STATEMENT, -value, where))
        elif label == "処分対象利益":
            out.append(_directive(FY2022_APPROVAL, str(appropriated), [PROFIT_LEG], value, where, tag="appropriation"))
        else:
            out.append(_directive(FY2022_APPROVAL, str(appropriated), [_line(label, "Equity:2-利益剰余金")], -value, where,
                                  tag="appropriation"))
    return out


def flow_assertions(pub: Published) -> tuple[str, dict[str, int]]:
    """The text of ``fy2022/flows.beancount``, and how many cells each table asserts."""
    tables = {
        "segment-pl": _income_statement(pub, "segment-pl", "事業別財務情報(損益計算書関係)"),
        "pl": _income_statement(pub, "pl", "損益計算書"),
        "budget-pl": _income_statement(pub, "budget-pl", "決算報告書(損益計算書)", column=1, suffix=" 決算額"),
        "budget-bs": _balance_sheet(pub, "budget-bs", "決算報告書(貸借対照表)", column=1),
        "cf": _cash_flows(pub),
        "appropriation": _appropriation(pub),
    }
    blocks = []
    for table, directives in tables.items():
        blocks.append(f"; {pub.tables[table]['title']} ({table}): {len(directives)} figures\n" + "\n".join(directives) + "\n")
    return "\n".join(blocks), {t: len(d) for t, d in tables.items()}
