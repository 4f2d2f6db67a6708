"""ファイナンス・リース: new leases, leases ended, repayments, and the current/non-current split of the debt.

Rules (the schedules give the movements in total; the closing リース資産 and リース債務 by business
are published):

* new leases (重要な非資金取引) in proportion to each business's closing book value of リース資産,
  booked to the non-current debt;
* the debt fell by more than the repayments (借入金等明細書: opening + new − repaid − closing); with
  no gain or loss published, the leases that ended carried that much book value, the rest of their
  gross decrease being accumulated depreciation; split in proportion to the closing book value;
* the repayments (CF リース債務の返済による支出) in proportion to each business's closing debt
  (current and non-current), from the current debt;
* the opening current debt is split in proportion to the closing current debt; the transfer from
  non-current is what makes each business's current debt close as published.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fy2022_parts.books import YEAR_END, per_business, share
from fy2022_parts.chart import ITEM

if TYPE_CHECKING:
    from fy2022_parts.model import Model


def book(m: Model) -> None:
    """New leases, ended leases, repayments and the transfer to the current debt."""
    pub = m.pub
    def fa(label: str, col: str, nth: int = 0):
        return pub.one("fixed-assets", label, col, nth)

    net = m.published_closing("リース資産", 0)
    cur = m.published_closing("リース債務", 0)
    lt = m.published_closing("リース債務", 1)
    debt = [c + n for c, n in zip(cur, lt, strict=True)]
    new = share(pub.notes["重要な非資金取引"]["ファイナンス・リース取引に係る資産及び負債の額"], net)
    m.add(YEAR_END, "ファイナンス・リース取引の開始", "有形固定資産等明細書 リース資産 当期増加額; 重要な非資金取引", "リース契約",
          per_business(ITEM["lease_t"], new, 1, "取得価額") + per_business(ITEM["lease_debt_lt"], new, -1),
          basis="allocated", rule="in proportion to each business's published closing book value of リース資産")
    # lease debt reconciliation: opening + new − repaid − (reduction without repayment) = closing
    opening_cur, closing_cur = pub.row("lease-debt", "1年以内に返済予定のリース債務")
    opening_lt, closing_lt = pub.row("lease-debt", "リース債務（1年以内に返済予定のものを除く。）")
    repaid = -pub.one("cf", "リース債務の返済による支出")
    ended_without_repayment = opening_cur + opening_lt + sum(new) - repaid - closing_cur - closing_lt
    gross_removed = -fa("リース資産", 2, 0)
    accumulated_removed = gross_removed - ended_without_repayment
    m.notes["lease_ended"] = (ended_without_repayment, gross_removed, accumulated_removed)
    removed = share(gross_removed, net)
    debt_cancelled = share(ended_without_repayment, removed)
    acc = [r - d for r, d in zip(removed, debt_cancelled, strict=False)]
    m.add(YEAR_END, "リース資産の減少（契約終了・解約）", "有形固定資産等明細書 リース資産 当期減少額; 借入金等明細書", "リース終了",
          per_business(ITEM["lease_t"], removed, -1, "取得価額") + per_business(ITEM["lease_t"], acc, 1, "減価償却累計額")
          + per_business(ITEM["lease_debt_lt"], debt_cancelled, 1),
          basis="derived",
          rule=(f"lease debt fell by {ended_without_repayment:,} more than the repayments (借入金等明細書 opening + new − "
                f"repaid − closing); with no gain or loss published, the leases that ended ({gross_removed:,} gross) "
                f"carried that much book value, the rest ({accumulated_removed:,}) being accumulated depreciation; "
                "split in proportion to the closing book value of リース資産"))
    repay = share(repaid, debt)
    open_cur = share(opening_cur, cur)
    reclass = [c - o + r for c, o, r in zip(cur, open_cur, repay, strict=False)]
    m.add(YEAR_END, "リース債務の返済", "キャッシュ・フロー計算書 リース債務の返済による支出", "リース返済",
          per_business(ITEM["lease_debt_cur"], repay, 1)
          + per_business(ITEM["cash"], repay, -1, "預金", {"cf": "リース債務の返済による支出"}),
          basis="allocated", rule="in proportion to each business's published closing リース債務 (current and non-current)")
    m.add(YEAR_END, "リース債務の1年以内返済予定額への振替", "借入金等明細書", "振替",
          per_business(ITEM["lease_debt_lt"], reclass, 1) + per_business(ITEM["lease_debt_cur"], reclass, -1),
          basis="derived",
          rule="the opening current リース債務 (借入金等明細書) is split in proportion to the closing current リース債務; "
               "the transfer is what makes each business's current debt close as published")
