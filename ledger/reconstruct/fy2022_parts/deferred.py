"""長期前受金取崩収入: the year's release of 長期前受金, by business and purpose.

Rules:

* the release by business is published (事業別損益計算書 長期前受金取崩収入);
* デジタル基盤改革支援基金事業's release is split over the fund's three programmes in proportion
  to the grants decided in FY2022 (事業報告書 第3章十二, in 百万円);
* every other business draws on 次期機器更改に係る施設設備の整備, the purpose that funds assets in
  service (the other purposes fund renewals that have not started).

The closing balance by purpose is :mod:`fy2022_parts.closings`'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fy2022_parts.books import YEAR_END, Posting, share
from fy2022_parts.chart import B8, ITEM

if TYPE_CHECKING:
    from fy2022_parts.model import Model


def release(m: Model) -> None:
    """長期前受金取崩収入 by business (published), drawn from the purposes of 長期前受金."""
    pub = m.pub
    release = pub.seg_pl("長期前受金取崩収入")[:8]
    decided = {d["text"]: d["百万円"] for d in pub.notes["デジタル基盤改革支援基金の交付決定"]}
    standardisation = sum(v for k, v in decided.items() if "年度交付決定" in k)
    online, security = (v for k, v in decided.items() if "年度" not in k)
    fund_split = share(release[B8], [standardisation, online, security])
    m.notes["fund_release_weights"] = [standardisation, online, security]
    for b, amount in enumerate(release):
        if not amount:
            continue
        if b == B8:
            purposes = list(zip(("自治体情報システムの標準化・共通化支援", "地方の行政手続オンライン化",
                                 "次期自治体情報セキュリティクラウド移行支援"), fund_split, strict=False))
            rule = ("split over the fund's three programmes in proportion to the grants decided in FY2022 "
                    f"(事業報告書 第3章十二: 標準化 {standardisation:,}, オンライン化 {online:,}, "
                    f"セキュリティ {security:,} 百万円)")
            basis = "allocated"
        else:
            purposes = [("次期機器更改に係る施設設備の整備", amount)]
            rule = ("drawn from 次期機器更改に係る施設設備の整備, the purpose that funds assets in service; "
                    "the other purposes fund renewals that have not started")
            basis = "derived"
        postings = [Posting(ITEM["deferred"].leaf(b, purpose), amount) for purpose, amount in purposes]
        postings.append(Posting(ITEM["rev_deferred"].leaf(b), -amount))
        m.add(YEAR_END, f"長期前受金の取崩（{pub.data['source']['businesses'][b]}）",
              "事業別財務情報(損益計算書関係) 長期前受金取崩収入", "長期前受金取崩", postings, basis=basis, rule=rule)
