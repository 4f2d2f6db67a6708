"""The chart of accounts: the ``open`` directive of every account the FY2022 books use.

Rules:

* an account is opened if a transaction, an opening or closing balance or the 利益の処分 uses it,
  and for 相殺等 on the lines the segments plugin eliminates (負担金収入, 事業収入, 事業費);
* a published line the year does not use still gets an account, of its holder (the business
  that keeps the reserve; 一般事業 otherwise), so every line of the statements has one;
* each account carries the published ``label:`` of its line and, below a line, ``detail:``;
  accounts open on 2014-04-01 (the organisation's start), デジタル基盤改革支援基金事業's on
  2020-04-01; grouped by section, in chart order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beancount.core import account as account_lib

from fy2022_parts.chart import (
    B1,
    B2,
    B3,
    B6,
    B8,
    BUSINESSES,
    ELIMINATION,
    ITEM,
    ITEMS,
    RESIDUAL_NATURE,
    SECTION_LABELS,
    Item,
    chart_order,
    item_for,
)
from fy2022_parts.reserves import appropriation
from fy2022_parts.syntax import quote
from jlis_ledger.core.accounts import business_of

if TYPE_CHECKING:
    from fy2022_parts.model import Model


def open_directives(model: Model) -> str:
    """The chart of accounts: every account the FY2022 books use, with its published label."""
    used = set(model.opening) | set(model.closing) | {p.account for t in model.books.txns for p in t.postings}
    used |= {p.account for p in appropriation(model).postings}
    used |= set(model.elimination_closing)
    for key in ("rev_burden", "rev_business"):
        used.add(ITEM[key].leaf(ELIMINATION))
    used.add(ITEM["exp_business"].leaf(ELIMINATION, RESIDUAL_NATURE))  # the internal charges' nature
    for item in ITEMS:  # the lines of the published statements that FY2022 does not use still get an account of their holder
        if not any(a.startswith(item.account + ":") for a in used):
            used.add(item.leaf(holder_of(item), item.details[0][1] if item.details else None))
    out = []
    last_section = None
    for account in sorted(used, key=chart_order):
        item = item_for(account)
        section = account_lib.parent(item.account) or ""  # every item is below a root
        if section != last_section:
            out.append(f"\n; {section}  {SECTION_LABELS.get(section, '')}")
            last_section = section
        business = business_of(account)
        date = "2020-04-01" if business == BUSINESSES[B8] else "2014-04-01"
        out.append(f"{date} open {account} JPY")
        out.append(f"  label: {quote(item.label)}")
        middle = account[len(item.account) + 1 : -len(business) - 1]
        if middle:
            out.append(f"  detail: {quote(dict(item.details)[middle])}")
    return "\n".join(out) + "\n"


def holder_of(item: Item) -> int:
    return {"rev_res_juki": B2, "exp_res_juki": B2, "rev_res_security": B3, "exp_res_security": B3, "rev_res_next": B6,
            "exp_res_next": B6, "ops_reserve": B2}.get(item.key, B1)
