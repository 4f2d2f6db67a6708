"""事業間取引: charges between businesses, eliminated in 相殺等 by the segments plugin.

The publication gives only the eliminated total of each line (相殺等 of the 事業別損益計算書) and
the internal 未収金/未払金 left at the year end (相殺等 of the 事業別貸借対照表).

Rules:

* the 負担金収入 eliminated is charged by 総合行政ネットワーク運営事業 (LGWAN, which the other
  businesses use) to 一般事業, and the 事業収入 eliminated by 一般事業 to 本人確認情報処理事業; the
  payer books the charge as 事業費;
* each charge is tagged ``#internal`` (the plugin mirrors it in 相殺等) and settled in the year in
  cash, except the internal 未収金/未払金 left at the year end, which is the 負担金's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fy2022_parts.books import YEAR_END, Posting
from fy2022_parts.chart import B1, B2, B6, ITEM, RESIDUAL_NATURE

if TYPE_CHECKING:
    from fy2022_parts.model import Model

INTERNAL = {
    "rev_burden": {"receiver": B6, "payer": B1},  # 負担金収入 24,847,988
    "rev_business": {"receiver": B1, "payer": B2},  # 事業収入 906,930
}
INTERNAL_RULE = (
    "the publication gives only the eliminated total of each line (相殺等) and the internal 未収金/未払金 "
    "left at the year end; the 負担金収入 eliminated is booked as charged by 総合行政ネットワーク運営事業 "
    "(LGWAN, which the other businesses use) to 一般事業, and the 事業収入 eliminated as charged by "
    "一般事業 to 本人確認情報処理事業; the internal balance left unpaid is the 負担金"
)


def book(m: Model) -> None:
    """Charges between businesses (eliminated by the segments plugin) and their settlement."""
    pub = m.pub
    unpaid = -pub.seg_bs("未収金")[8]  # 3,075,096
    m.notes["internal_unpaid"] = unpaid
    for key, parties in INTERNAL.items():
        label = ITEM[key].label
        amount = -pub.seg_pl(label)[8]
        r, p = parties["receiver"], parties["payer"]
        names = pub.data["source"]["businesses"]
        m.add(YEAR_END, f"{label}の事業間請求（{names[r]} → {names[p]}）", f"事業別財務情報(損益計算書関係) {label} 相殺等",
              "事業間取引",
              [Posting(ITEM[key].leaf(r), -amount), Posting(ITEM["ar"].leaf(r), amount),
               Posting(ITEM["exp_business"].leaf(p, RESIDUAL_NATURE), amount), Posting(ITEM["ap"].leaf(p), -amount)],
              basis="allocated", rule=INTERNAL_RULE, tags=("internal",))
        paid = amount - unpaid if key == "rev_burden" else amount
        m.add(YEAR_END, f"{label}の事業間精算（{names[p]} → {names[r]}）",
              "事業別財務情報(貸借対照表関係) 未収金・未払金 相殺等", "事業間取引",
              [Posting(ITEM["cash"].leaf(p, "預金"), -paid), Posting(ITEM["ap"].leaf(p), paid),
               Posting(ITEM["cash"].leaf(r, "預金"), paid), Posting(ITEM["ar"].leaf(r), -paid)],
              basis="derived",
              rule=f"settled in the year except the internal 未収金/未払金 of {unpaid:,} left at the year end (相殺等)",
              tags=("internal",))
