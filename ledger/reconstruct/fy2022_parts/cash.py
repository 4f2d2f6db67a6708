"""Cash by business: 定期預金, and the CF statement's receipts and payments (直接法).

The CF statement is published for the whole organisation only; each receipt line collects 未収金
and each payment line settles 未払金, and the split by business is what leaves every business
with a possible opening balance.

Rules:

* 定期預金 placed and withdrawn in proportion to each business's closing 現金及び預金, both on
  the 決算日 (預入期間が3箇月を超える定期預金 is 0 at the year end);
* a receipt line is split in proportion to the businesses' related revenue (消費税等還付金: their
  事業費 and 一般管理費, the fund's subsidies aside); a payment line in proportion to their related
  cost (人件費: the 賞与引当金 as a head count; 有形固定資産: the additions; the provisions' 目的使用
  and the 立替 are booked with them and left out here);
* where that would leave a business with a negative opening 未収金, 未払金 or cash, its share is
  raised until that opening balance stands in the organisation's opening/closing ratio, the amount
  coming from the businesses with the most room in the same lines (:func:`split_with_floors`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fy2022_parts.books import YEAR_END, per_business, share
from fy2022_parts.chart import B8, BUSINESSES, ITEM

if TYPE_CHECKING:
    from fy2022_parts.model import Model

RECEIPT_LINES = {  # CF line -> revenue items whose business split seeds it
    "事業負担金収入": ["rev_business_burden"],
    "交付金収入": ["rev_grant_middle", "rev_subsidy"],
    "負担金収入": ["rev_local_burden", "rev_burden"],
    "事業収入": ["rev_business"],
    "情報提供等手数料": ["rev_info_fee", "rev_code_fee", "rev_disclosure_fee"],
    "補助金等収入": ["rev_subsidy"],
    "発行手数料収入": ["rev_issue_fee"],
    "その他の営業収入": ["rev_housing", "rev_card_test", "rev_misc"],
    "利息及び配当金の受取額": ["rev_interest", "rev_bond_interest"],
    "消費税等還付金収入": ["exp_business", "exp_admin"],  # the fund's subsidies carry no consumption tax
}


def time_deposits(m: Model) -> None:
    """定期預金 placed and withdrawn, by business."""
    pub = m.pub
    placed = -pub.one("cf", "定期預金の預入による支出")
    withdrawn = pub.one("cf", "定期預金の払戻による収入")
    cash = m.published_closing("現金及び預金")
    rule = ("in proportion to each business's published closing 現金及び預金; the dates are not published: both are booked "
            "on the 決算日 (預入期間が3箇月を超える定期預金 is 0 at the year end)")
    m.add(YEAR_END, "定期預金の預入", "キャッシュ・フロー計算書 定期預金の預入による支出", "定期預金",
          per_business(ITEM["cash"], share(placed, cash), 1, "定期預金")
          + per_business(ITEM["cash"], share(placed, cash), -1, "預金", {"cf": "定期預金の預入による支出"}),
          basis="allocated", rule=rule)
    m.add(YEAR_END, "定期預金の払戻", "キャッシュ・フロー計算書 定期預金の払戻による収入", "定期預金",
          per_business(ITEM["cash"], share(withdrawn, cash), -1, "定期預金")
          + per_business(ITEM["cash"], share(withdrawn, cash), 1, "預金", {"cf": "定期預金の払戻による収入"}),
          basis="allocated", rule=rule)


def receipts_and_payments(m: Model) -> None:
    """Split the CF statement's receipts and payments over the businesses.

    Each receipt line of the CF statement collects 未収金 and each payment
    line settles 未払金.  A line is split over the businesses in proportion
    to their related revenue or cost (人件費: the 賞与引当金 as a head count;
    有形固定資産: the additions).  Where that would leave a business with a
    negative opening 未収金, 未払金 or cash, its share is raised until that
    opening balance stands in the organisation's opening/closing ratio,
    the amount coming from the businesses with the most room in the same
    lines.  The openings then follow (closing less the year's flows)."""
    pub = m.pub
    cf = {r["label"]: r["values"][0] for r in pub.tables["cf"]["rows"] if r["values"] is not None}
    booked = m.books.flows()
    ar_close = m.published_closing("未収金")
    ap_close = m.published_closing("未払金")
    cash_close = m.published_closing("現金及び預金")
    ar_flow = [booked.get(ITEM["ar"].leaf(b), 0) for b in range(8)]
    ap_flow = [-booked.get(ITEM["ap"].leaf(b), 0) for b in range(8)]
    cash_flow = [booked.get(ITEM["cash"].leaf(b, "預金"), 0) + booked.get(ITEM["cash"].leaf(b, "定期預金"), 0) for b in range(8)]
    receipt_totals = {line: cf[line] for line in RECEIPT_LINES}
    payment_totals = {
        "人件費の支出": -cf["人件費の支出"] - m.provision_cash,  # the provisions' 目的使用 is booked with them
        "委託費の支出": -cf["委託費の支出"],
        "その他の営業支出": -cf["その他の営業支出"] - sum(m.advances),  # the 立替 are booked with 他事業勘定
        "利息の支払額": -cf["利息の支払額"],
        "有形固定資産取得による支出": -cf["有形固定資産取得による支出"],
    }
    ar_open_total = sum(ar_close) - sum(ar_flow) + sum(receipt_totals.values())
    ap_open_total = sum(ap_close) - sum(ap_flow) + sum(payment_totals.values())
    ratio = {
        "ar": (ar_open_total, sum(ar_close)),
        "ap": (ap_open_total, sum(ap_close)),
        "cash": (cf["現金及び現金同等物期首残高"], cf["現金及び現金同等物期末残高"]),
    }
    m.notes["ar_open_total"], m.notes["ap_open_total"] = ar_open_total, ap_open_total
    booked_revenue = {key: [-booked.get(ITEM[key].leaf(b), 0) for b in range(8)] for key in ITEM if key.startswith("rev_")}
    costs = {key: pub.seg_pl(ITEM[key].label)[:8] for key in ("exp_business", "exp_admin")}
    seed_receipts = {line: [sum((booked_revenue.get(k) or costs[k])[b] for k in keys) for b in range(8)]
                     for line, keys in RECEIPT_LINES.items()}
    seed_receipts["消費税等還付金収入"][B8] = 0
    seed_payments = {
        "人件費の支出": m.published_closing("賞与引当金"),
        "委託費の支出": m.expense_accrual,
        "その他の営業支出": m.expense_accrual,
        "利息の支払額": pub.seg_pl("支払利息")[:8],
        "有形固定資産取得による支出": m.additions,
    }
    # receipts: opening 未収金 = closing − accruals + receipts must not be negative
    def ar_floor(b, target):
        return ar_flow[b] - ar_close[b] + (ar_close[b] * ratio["ar"][0] // ratio["ar"][1] if target else 0)

    received, raised_r = split_with_floors(receipt_totals, seed_receipts, ar_floor)
    receipts = [sum(received[line][b] for line in received) for b in range(8)]

    # payments: opening 未払金 and opening cash must not be negative
    def ap_floor(b, target):
        ap_min = ap_flow[b] - ap_close[b] + (ap_close[b] * ratio["ap"][0] // ratio["ap"][1] if target else 0)
        cash_min = receipts[b] + cash_flow[b] - cash_close[b] + (cash_close[b] * ratio["cash"][0] // ratio["cash"][1] if target else 0)
        return max(ap_min, cash_min)

    paid, raised_p = split_with_floors(payment_totals, seed_payments, ap_floor)
    m.notes["raised shares"] = {"receipts": {BUSINESSES[b]: v for b, v in raised_r.items()},
                                "payments": {BUSINESSES[b]: v for b, v in raised_p.items()}}
    rule_r = ("each receipt line of the CF statement is split over the businesses in proportion to their related revenue "
              "(消費税等還付金: their 事業費 and 一般管理費, the fund's subsidies aside) and collects 未収金; where that would leave a business with a negative opening 未収金 its share is raised until "
              "its opening 未収金 stands in the organisation's opening/closing ratio, the amount coming from the businesses "
              "with the most room in the same lines")
    rule_p = ("each payment line of the CF statement is split over the businesses in proportion to their related cost "
              "(人件費: the 賞与引当金 as a head count; 有形固定資産: the additions) and settles 未払金; where that would "
              "leave a business with a negative opening 未払金 or cash its share is raised until that opening balance "
              "stands in the organisation's opening/closing ratio, the amount coming from the businesses with the most "
              "room in the same lines")
    for line, values in received.items():
        m.add(YEAR_END, f"{line}の入金", f"キャッシュ・フロー計算書 {line}", "入金",
              per_business(ITEM["cash"], values, 1, "預金", {"cf": line}) + per_business(ITEM["ar"], values, -1),
              basis="allocated", rule=rule_r)
    for line, values in paid.items():
        m.add(YEAR_END, f"{line}（未払金の支払）", f"キャッシュ・フロー計算書 {line}", "支払",
              per_business(ITEM["ap"], values, 1) + per_business(ITEM["cash"], values, -1, "預金", {"cf": line}),
              basis="allocated", rule=rule_p)


def split_with_floors(totals: dict[str, int], seeds: dict[str, list[int]], floor) -> tuple[dict[str, list[int]], dict[int, int]]:
    """Split each line's total over the businesses in proportion to ``seeds``,
    then raise the businesses whose column falls below ``floor(b, False)``
    up to ``floor(b, True)``, moving yen from the business with the most room
    above its own ``floor(k, False)`` within a line where both are seeded.

    Returns the matrix and, per raised business, by how much."""
    lines = list(totals)
    n = len(next(iter(seeds.values())))
    out = {line: share(totals[line], seeds[line]) for line in lines}
    def col(b: int) -> int:
        return sum(out[line][b] for line in lines)

    raised: dict[int, int] = {}
    for b in range(n):
        if col(b) >= floor(b, False):
            continue
        need = floor(b, True) - col(b)
        raised[b] = need
        while need > 0:
            best = None
            for line in lines:
                if seeds[line][b] <= 0:
                    continue
                for k in range(n):
                    if k == b or out[line][k] <= 0 or k in raised:
                        continue
                    room = min(out[line][k], col(k) - floor(k, False))
                    if room > 0 and (best is None or room > best[0]):
                        best = (room, line, k)
            if best is None:
                raise AssertionError(f"business {b} cannot be raised by {need:,}")
            room, line, k = best
            moved = min(room, need)
            out[line][k] -= moved
            out[line][b] += moved
            need -= moved
    for b in range(n):
        assert col(b) >= floor(b, False), (b, col(b), floor(b, False))
    for line in lines:
        assert sum(out[line]) == totals[line] and all(v >= 0 for v in out[line])
    return out, raised
