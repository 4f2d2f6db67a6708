"""引当金 (引当金明細書): the year's provisions (繰入) and their use (目的使用).

Rules (the schedule gives each movement in total; the closing balance by business is published):

* where the increase equals the closing balance and the use the opening balance (re-estimated
  each year), the increase by business is the closing balance by business; otherwise it is split
  in proportion to the closing balances;
* 賞与引当金 is charged to 事業費, the officers' provisions to 一般管理費; of 退職給付引当金, the
  退職給付費用 in 一般管理費 (注記) is split in proportion to each business's 一般管理費 and the rest
  is 事業費;
* the nature (主要な費目) of a 繰入: 人件費 in 事業費; in 一般管理費 役員報酬等 for the officers' provisions and
  退職給付費用 for the 退職給付引当金's part;
* the use is split in proportion to the closing balances and paid in cash (CF 人件費の支出).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fy2022_parts.books import YEAR_END, per_business, share
from fy2022_parts.chart import ITEM

if TYPE_CHECKING:
    from fy2022_parts.model import Model


#: The nature (主要な費目) of each provision's 繰入, by the expense it is charged to: staff provisions are 人件費 of
#: 事業費; in 一般管理費 the officers' are 役員報酬等 and the 退職給付費用 its own published item.
NATURE = {
    ("bonus", "exp_business"): "人件費",
    ("officer_bonus", "exp_admin"): "役員報酬等",
    ("retirement", "exp_business"): "人件費",
    ("retirement", "exp_admin"): "退職給付費用",
    ("officer_retirement", "exp_admin"): "役員報酬等",
}


def book(m: Model) -> None:
    """Each provision's 繰入 (by business, charged to its expense) and 目的使用 (paid in cash)."""
    pub = m.pub
    admin = pub.seg_pl("一般管理費")[:8]
    specs = [
        ("bonus", "賞与引当金", "exp_business"),
        ("officer_bonus", "役員賞与引当金", "exp_admin"),
        ("retirement", "退職給付引当金", None),
        ("officer_retirement", "役員退職引当金", "exp_admin"),
    ]
    for key, label, expense in specs:
        opening, increase, used, _other, closing = pub.row("provisions", label)
        closing_b = m.published_closing(label)
        if increase == closing and -used == opening:
            inc = closing_b
            rule_inc = "the increase equals the closing balance in total (re-estimated each year), so by business too"
            basis = "derived"
        else:
            inc = share(increase, closing_b)
            rule_inc = "in proportion to each business's published closing balance"
            basis = "allocated"
        use = share(-used, closing_b)
        if expense is None:  # 退職給付費用: the part in 一般管理費 is published in total
            adm = share(pub.notes["一般管理費の主要な費目"]["退職給付費用"], admin)
            biz = [i - a for i, a in zip(inc, adm, strict=False)]
            assert all(x >= 0 for x in biz), biz
            split = {"exp_business": biz, "exp_admin": adm}
            rule_inc += ("; the 退職給付費用 of 一般管理費 (注記) is split in proportion to each business's 一般管理費, "
                         "the rest is 事業費")
        else:
            split = {expense: inc}
            rule_inc += "; charged to " + ("事業費" if expense == "exp_business" else "一般管理費 (役員)")
        postings = per_business(ITEM[key], inc, -1)
        for k, v in split.items():
            postings += per_business(ITEM[k], v, 1, NATURE[(key, k)])
        m.add(YEAR_END, f"{label}の繰入", f"引当金明細書 {label} 当期増加額", "引当金繰入", postings, basis=basis, rule=rule_inc)
        m.add(YEAR_END, f"{label}の目的使用（支払）", f"引当金明細書 {label} 当期減少額（目的使用）", "引当金目的使用",
              per_business(ITEM[key], use, 1) + per_business(ITEM["cash"], use, -1, "預金", {"cf": "人件費の支出"}),
              basis="allocated", rule="in proportion to each business's published closing balance; paid in cash (人件費の支出)")
    m.provision_cash = sum(-pub.row("provisions", label)[2] for _, label, _ in specs)
