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
* where that would leave a business with a negative opening 未収金 (receipts), 未払金 or cash
  (payments), the split is the one nearest to proportional that leaves none negative
  (:func:`fy2022_parts.nearest.nearest_split`: least squares of the shares' relative deviations; the
  businesses that would fall below zero are raised exactly to zero, every line giving it up in
  proportion to its other shares); the cash postings whose share it moved carry ``moved:`` (the yen
  added to, or taken from, the proportional share).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fy2022_parts.books import YEAR_END, Posting, per_business, share
from fy2022_parts.chart import B8, BUSINESSES, ITEM
from fy2022_parts.nearest import nearest_split

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
    negative opening 未収金, 未払金 or cash, the split is the nearest to
    proportional that leaves none negative (:mod:`fy2022_parts.nearest`).
    The openings then follow (closing less the year's flows)."""
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
    ar_floor = [ar_flow[b] - ar_close[b] for b in range(8)]
    received, proportional_r = nearest_split(receipt_totals, seed_receipts, ar_floor)
    receipts = [sum(received[line][b] for line in received) for b in range(8)]

    # payments: opening 未払金 and opening cash must not be negative
    ap_floor = [max(ap_flow[b] - ap_close[b], receipts[b] + cash_flow[b] - cash_close[b]) for b in range(8)]
    paid, proportional_p = nearest_split(payment_totals, seed_payments, ap_floor)
    moved_r = {line: [received[line][b] - proportional_r[line][b] for b in range(8)] for line in received}
    moved_p = {line: [paid[line][b] - proportional_p[line][b] for b in range(8)] for line in paid}
    m.notes["moved shares"] = {
        "receipts": {BUSINESSES[b]: sum(v[b] for v in moved_r.values()) for b in range(8) if any(v[b] for v in moved_r.values())},
        "payments": {BUSINESSES[b]: sum(v[b] for v in moved_p.values()) for b in range(8) if any(v[b] for v in moved_p.values())},
    }
    m.notes["moved by line"] = {line: {BUSINESSES[b]: v[b] for b in range(8) if v[b]} for line, v in {**moved_r, **moved_p}.items() if any(v)}
    nearest = ("; where that would leave a business with a negative opening {what}, the split is the one nearest to "
               "proportional that leaves none negative (least squares of the shares' relative deviations: the businesses "
               "that would fall below zero are raised exactly to zero, each line giving it up in proportion to its other "
               "shares); moved: on a cash posting is the yen its share was moved")
    rule_r = ("each receipt line of the CF statement is split over the businesses in proportion to their related revenue "
              "(消費税等還付金: their 事業費 and 一般管理費, the fund's subsidies aside) and collects 未収金"
              + nearest.format(what="未収金"))
    rule_p = ("each payment line of the CF statement is split over the businesses in proportion to their related cost "
              "(人件費: the 賞与引当金 as a head count; 有形固定資産: the additions) and settles 未払金"
              + nearest.format(what="未払金 or cash"))
    for line, values in received.items():
        m.add(YEAR_END, f"{line}の入金", f"キャッシュ・フロー計算書 {line}", "入金",
              _cash(values, 1, line, moved_r[line]) + per_business(ITEM["ar"], values, -1),
              basis="allocated", rule=rule_r)
    for line, values in paid.items():
        m.add(YEAR_END, f"{line}（未払金の支払）", f"キャッシュ・フロー計算書 {line}", "支払",
              per_business(ITEM["ap"], values, 1) + _cash(values, -1, line, moved_p[line]),
              basis="allocated", rule=rule_p)


def _cash(values: list[int], sign: int, line: str, moved: list[int]) -> list[Posting]:
    """The cash postings of a CF line by business, with ``moved:`` where the nearest split moved the share."""
    return [Posting(ITEM["cash"].leaf(b, "預金"), sign * v, {"cf": line, **({"moved": moved[b]} if moved[b] else {})})
            for b, v in enumerate(values) if v]
