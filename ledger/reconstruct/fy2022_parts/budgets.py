"""Budgets: the 予算額 of the 決算報告書 per line, as ``custom "fiscal-budget"`` directives.

Fava's ``custom "budget"`` spreads an amount per day over calendar periods and cannot give a
年度 budget to the yen, so the ledger declares its own directive (DESIGN.md).

Rules: one directive per line of 決算報告書 貸借対照表 and 損益計算書, on the line's account (the
n-th occurrence of a label is the n-th item of that label: リース資産 and リース債務 appear twice),
stage 補正後.
"""

from __future__ import annotations

from collections import defaultdict

from fy2022_parts.chart import ITEM, ITEMS
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
