"""積立金 (reserves in 純資産): the FY2021 appropriation, システム開発積立金, and the FY2022 利益の処分.

Rules:

* システム開発積立金 (純資産変動計算書): 一般事業's closing plus the 取崩 and the other holders'
  closings less the 積立 add up to the published opening — the only split that does: the whole
  取崩 is 一般事業's and the 積立 is the other holders' (in proportion to their closing
  システム開発積立金), booked from 積立金 at the 代表者会議 that approved 令和3年度決算;
* the 利益の処分 of FY2022 (利益の処分に関する書類, dated after the year end) distributes each
  business's 当期純利益 exactly: 処分対象利益 is debited with it (credited with a loss), and the
  reserves are credited with its parts — システム運用積立金 is 本人確認情報処理事業's (注10),
  システム開発積立金 is split over the businesses that hold it in proportion to their profit, the
  rest stays in 積立金.

The liability reserves' (負債性積立金) provision is booked with the income statement
(:mod:`fy2022_parts.income`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fy2022_parts.books import FY2021_APPROVAL, FY2022_APPROVAL, YEAR_END, Posting, Txn, only, per_business, share
from fy2022_parts.chart import B1, B2, ITEM

if TYPE_CHECKING:
    from fy2022_parts.model import Model


def book(m: Model) -> None:
    """The システム開発積立金 movements of the year: the FY2021 appropriation's 積立 and the 取崩."""
    pub = m.pub
    dev = m.published_closing("システム開発積立金")
    transferred = pub.one("equity", "システム開発積立金の積立", 0, 1)  # in the システム開発積立金 group
    released = -pub.one("equity", "システム開発積立金の取崩", 0, 1)
    opening_total = pub.one("equity", "当期首残高", 0, 3)
    # B1's closing + the release, and the others' closings less the transfer, add up to the opening:
    # the whole release is 一般事業's and the whole transfer is the other holders'.
    holders = [b for b in range(8) if dev[b]]
    releaser = B1
    check = dev[releaser] + released + sum(dev[b] for b in holders if b != releaser) - transferred
    assert check == opening_total, (check, opening_total)
    weights = [dev[b] if b in holders and b != releaser else 0 for b in range(8)]
    to_dev = share(transferred, weights)
    m.add(FY2021_APPROVAL, "令和3年度利益の処分: 積立金からシステム開発積立金への積立", "純資産変動計算書 システム開発積立金の積立",
          "利益処分", per_business(ITEM["reserve"], to_dev, 1) + per_business(ITEM["dev_reserve"], to_dev, -1),
          basis="allocated",
          rule=(f"{dev[releaser]:,} + {released:,} (一般事業) and the other holders' closings less {transferred:,} add up to "
                f"the published opening {opening_total:,}: the 積立 is the other holders' (split in proportion to their "
                "closing システム開発積立金), the 取崩 一般事業's; dated at the 代表者会議 that approved 令和3年度決算"))
    m.add(YEAR_END, "システム開発積立金の取崩", "純資産変動計算書 システム開発積立金の取崩", "積立金取崩",
          [Posting(ITEM["dev_reserve"].leaf(releaser), released), Posting(ITEM["reserve"].leaf(releaser), -released)],
          basis="derived",
          rule=f"the only split of the movements that gives the published opening {opening_total:,} with the other holders' "
               "round closings (see 積立 of 2022-06-27)")


def appropriation(model: Model) -> Txn:
    """利益の処分に関する書類 by business: the published totals, split by stated rules.

    The entry distributes each business's 当期純利益 exactly, for every business with a profit or a
    loss, so that the reserves plugin can check it: 処分対象利益 (the profit subject to appropriation,
    ``Equity:2-利益剰余金:25-処分対象利益``) is debited with the business's 当期純利益 (credited with a
    loss) and the reserves are credited with its parts — システム開発積立金, システム運用積立金 and the
    rest, which stays in 積立金 (debited when the parts exceed the profit, or for a loss).  Beancount
    keeps the year's net income in Income and Expenses; 処分対象利益 is the part of 利益剰余金 that
    offsets it once appropriated, so after the 処分 積立金 holds the published figure.
    """
    pub = model.pub
    net_income = pub.seg_pl("当期純利益")[:8]
    ops = pub.one("appropriation", "システム運用積立金")
    dev = pub.one("appropriation", "システム開発積立金")
    retained_total = pub.one("appropriation", "積立金")
    assert pub.one("appropriation", "処分対象利益") == sum(net_income)
    holders = model.published_closing("システム開発積立金")
    weights = [net_income[b] if holders[b] and net_income[b] > 0 else 0 for b in range(8)]
    to_dev = share(dev, weights)
    to_ops = only(B2, ops)
    retained = [n - d - o for n, d, o in zip(net_income, to_dev, to_ops, strict=False)]
    assert sum(retained) == retained_total
    postings = []
    for b in range(8):
        parts = [(ITEM["unappropriated"], net_income[b]), (ITEM["reserve"], -retained[b]), (ITEM["dev_reserve"], -to_dev[b]),
                 (ITEM["ops_reserve"], -to_ops[b])]
        postings += [Posting(item.leaf(b), amount) for item, amount in parts if amount]
    txn = Txn(FY2022_APPROVAL, "令和4年度利益の処分", "利益の処分に関する書類", "利益処分", postings, basis="allocated",
              rule=("処分対象利益 is debited with each business's 当期純利益 (事業別財務情報; credited with a loss) and the "
                    "reserves are credited with its parts: システム運用積立金 is 本人確認情報処理事業's (注10: 符号生成運用経費); "
                    "システム開発積立金 is split over the businesses that hold it in proportion to their 当期純利益; the rest of "
                    "each business's 当期純利益 stays in 積立金 (a loss reduces it); dated after the 経営審議委員会 of "
                    "2023-06-22 (the approval date is not published)"),
              tags=("appropriation",))
    assert txn.balanced_by_business() and sum(p.amount for p in postings) == 0
    return txn
