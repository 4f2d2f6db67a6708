"""Budgets: the 予算額 of the 決算報告書 per line, as ``custom "fiscal-budget"`` directives.

Fava's ``custom "budget"`` spreads an amount per day over calendar periods and cannot give a
年度 budget to the yen, so the ledger declares its own directive (DESIGN.md).

Rules: one directive per line of 決算報告書 貸借対照表 and 損益計算書, on the line's account (the
n-th occurrence of a label is the n-th item of that label: リース資産 and リース債務 appear twice),
stage 補正後.  Then the budgets by business of 参考資料1-2 (事業別決算の状況), which the publication gives
only in 百万円: one directive per row of each business's tables, as printed, with ``business:`` and
``unit: "百万円"``; and each printed 差引 of the summaries that is not the row's 決算 − 予算 as printed, as a
``custom "published-disagreement"`` (the publication contradicting itself; reconcile says so).
"""

from __future__ import annotations

from collections import defaultdict

from fy2022_parts.chart import BUSINESSES, ITEM, ITEMS
from fy2022_parts.published import Published
from fy2022_parts.syntax import quote, yen

BUDGET_TABLES = (("budget-bs", "決算報告書 貸借対照表"), ("budget-pl", "決算報告書 損益計算書"))


def budget_directives(pub: Published) -> str:
    """決算報告書 予算額 per line, as our own directive (Fava's `budget` spreads amounts per day)."""
    lines = []
    for table, source in BUDGET_TABLES:
        occurrences: dict[str, int] = defaultdict(int)
        for r in pub.tables[table]["rows"]:
            if r["kind"] != "line":
                continue
            nth = occurrences[r["label"]]
            occurrences[r["label"]] += 1
            items = [i for i in ITEMS if i.label == r["label"]]
            if not items:
                raise AssertionError(f"no account for budget line {r['label']}")
            item = items[nth] if len(items) > nth else items[0]
            if r["label"] == "リース資産":
                item = ITEM["lease_t"] if nth == 0 else ITEM["lease_i"]
            if r["label"] == "リース債務":
                item = ITEM["lease_debt_cur"] if nth == 0 else ITEM["lease_debt_lt"]
            lines.append(f'2022-04-01 custom "fiscal-budget" 2022 {item.account} {yen(r["values"][0])} JPY')
            lines.append(f"  source: {quote(source + ' ' + r['label'] + ' 予算額')}")
            lines.append('  stage: "補正後"')
    return "\n".join(lines) + "\n"


# -- 参考資料1-2: the budgets by business, published in 百万円 only ---------------------------------------------

#: The rows of 事業別決算の状況 that are a section of the chart: their budget is declared on the section's account.
#: The other rows (資産, 負債, 純資産, the profits, 特別利益 which the chart has no section for) are sums the
#: publication rounds on its own, so their budgets are declared on the row's label.
SUMMARY_SECTIONS = {
    "流動資産": "Assets:1-流動資産", "固定資産": "Assets:2-固定資産",
    "流動負債": "Liabilities:1-流動負債", "固定負債": "Liabilities:2-固定負債",
    "営業収益": "Income:1-営業収益", "営業費用": "Expenses:1-営業費用",
    "営業外収益": "Income:2-営業外収益", "営業外費用": "Expenses:2-営業外費用", "特別損失": "Expenses:3-特別損失",
}


def summary_tables(pub: Published) -> list[tuple[str, str]]:
    """(table id, business label) of every 事業別決算の状況 table, in published order."""
    names = {b.split("-", 1)[1]: b for b in BUSINESSES}
    out = []
    for table_id, table in pub.tables.items():
        if table_id.startswith("summary-") and "business" in table:
            published = table["business"].replace("・", "")
            if published not in names:
                raise AssertionError(f"{table_id}: no business {table['business']}")
            out.append((table_id, names[published]))
    return out


def business_budget_directives(pub: Published) -> str:
    """Each business's 予算 of 参考資料1-2 as printed (百万円, ``unit:``), one directive per row of its tables."""
    lines = ["", "; 参考資料1-2 事業別決算の状況: the 予算 by business, published in 百万円 only (unit: \"百万円\": known to the",
             "; 百万円). A section's budget is on its account, a row that sums sections (資産, 負債, 純資産, the profits) on its",
             "; label: the publication rounds each row on its own (一般事業 資産 5,961 against 4,839 + 1,121)."]
    for table_id, business in summary_tables(pub):
        table = pub.tables[table_id]
        for r in table["rows"]:
            line = SUMMARY_SECTIONS.get(r["label"])
            target = line or quote(r["label"])
            lines.append(f'2022-04-01 custom "fiscal-budget" 2022 {target} {yen(r["values"][0])} JPY')
            lines.append(f"  business: {quote(business)}")
            lines.append('  unit: "百万円"')
            lines.append(f"  source: {quote('参考資料1-2 ' + table['title'] + ' ' + r['label'] + ' 予算')}")
    return "\n".join(lines) + "\n"


def disagreement_directives(pub: Published) -> str:
    """The 差引 of the summaries that are not 決算 − 予算 of the printed figures: the publication against itself."""
    lines = ["", "; 参考資料1-2: each printed 差引 that is not its row's printed 決算 − 予算 (SOURCES.md, 参考資料1-2). The books",
             "; give 決算 − 予算 (difference: \"printed\", ledger/summaries.beancount); reconcile reports these as the",
             "; publication's disagreements, not as differences, while the printed and the books' figures are these."]
    for table_id, table in pub.tables.items():
        if not table_id.startswith("summary-") or table.get("columns") != ["予算", "決算", "差引"]:
            continue
        for r in table["rows"]:
            budget, actual, difference = r["values"]
            if actual - budget != difference:
                lines.append(f'2022-04-01 custom "published-disagreement" {quote(table_id)} {quote(r["label"])} "差引" '
                             f"{yen(difference)} {yen(actual - budget)}")
                lines.append(f"  rule: {quote(f'printed 差引 {difference:,}, but 決算 {actual:,} − 予算 {budget:,} = {actual - budget:,}')}")
    return "\n".join(lines) + "\n"
