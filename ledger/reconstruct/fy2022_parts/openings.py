"""Opening balances by business, and the checks against the published consolidated openings.

Rules:

* opening balances by business are not published: each is the business's published closing
  balance less the movements booked in the year (so the books close to the yen on the published
  事業別貸借対照表); 相殺等 has none;
* the consolidated openings that are published must come out: CF 期首残高, the 附属明細書
  (取得価額, 建設仮勘定, ソフトウェア, 引当金, リース債務, 負債性積立金, 資産除去債務) and the
  純資産変動計算書 (当期首残高 of each reserve and of 純資産);
* each business's openings balance, and none is negative where that is impossible (an asset other
  than 減価償却累計額 below zero, a liability or net asset above zero, 他事業勘定 apart).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from fy2022_parts.books import OPENING_DATE, Posting, Txn
from fy2022_parts.chart import BUSINESSES, ELIMINATION, ITEM, ITEMS
from jlis_ledger.core.accounts import business_of

if TYPE_CHECKING:
    from fy2022_parts.model import Model


def book(m: Model) -> None:
    """Each account's opening balance: its closing balance less the year's flows."""
    flows = m.books.flows()
    accounts = sorted(set(m.closing) | {a for a in flows if not a.startswith(("Income", "Expenses"))})
    m.opening = {}
    for account in accounts:
        if account.endswith(ELIMINATION):
            continue
        value = m.closing.get(account, 0) - flows.get(account, 0)
        if value:
            m.opening[account] = value


def verify(m: Model) -> None:
    """The published consolidated openings that the derived openings must give, and their signs."""
    pub = m.pub

    def opening_of(prefix: str) -> int:
        return sum(v for a, v in m.opening.items() if a.startswith(prefix + ":"))

    def expect(what: str, got: int, want: int) -> None:
        if got != want:
            raise AssertionError(f"{what}: the books give {got:,}, the publication {want:,}")
        m.checks.append(f"{what}: {want:,}")

    expect("期首 現金及び預金 (CF 期首残高)", opening_of(ITEM["cash"].account), pub.one("cf", "現金及び現金同等物期首残高"))
    for key, label, nth in (("building", "建物", 0), ("equipment", "備品", 0), ("lease_t", "リース資産", 0), ("lease_i", "リース資産", 1)):
        expect(f"期首 {label} 取得価額 (有形固定資産等明細書)", opening_of(ITEM[key].account + ":1-取得価額"),
               pub.one("fixed-assets", label, 0, nth))
    expect("期首 建設仮勘定", opening_of(ITEM["cip"].account), pub.one("fixed-assets", "建設仮勘定", 0))
    expect("期首 ソフトウェア", opening_of(ITEM["software"].account), pub.one("fixed-assets", "ソフトウェア", 0))
    for label in ("賞与引当金", "役員賞与引当金", "退職給付引当金", "役員退職引当金"):
        key = next(i.key for i in ITEMS if i.label == label)
        expect(f"期首 {label} (引当金明細書)", -opening_of(ITEM[key].account), pub.one("provisions", label, 0))
    expect("期首 リース債務 1年以内 (借入金等明細書)", -opening_of(ITEM["lease_debt_cur"].account),
           pub.one("lease-debt", "1年以内に返済予定のリース債務", 0))
    expect("期首 リース債務 1年超 (借入金等明細書)", -opening_of(ITEM["lease_debt_lt"].account),
           pub.one("lease-debt", "リース債務（1年以内に返済予定のものを除く。）", 0))
    for key, label in (("res_juki", "住基ネット再構築平準化等積立金"), ("res_security", "セキュリティ強化等積立金"),
                       ("res_next", "次期システム更改積立金")):
        expect(f"期首 {label} (負債性積立金関係)", -opening_of(ITEM[key].account), pub.one("reserves", label, 0))
    expect("期首 資産除去債務 (資産除去債務明細書)", -opening_of(ITEM["aro"].account), pub.one("aro", "合計", 0))
    expect("期首 地方公共団体出資金 (純資産変動計算書)", -opening_of(ITEM["capital"].account), pub.one("equity", "当期首残高", 0, 0))
    expect("期首 積立金 (純資産変動計算書)", -opening_of(ITEM["reserve"].account), pub.one("equity", "当期首残高", 0, 1))
    expect("期首 公的個人認証サービス事業財政調整積立金", -opening_of(ITEM["jpki_fund"].account), pub.one("equity", "当期首残高", 0, 2))
    expect("期首 システム開発積立金", -opening_of(ITEM["dev_reserve"].account), pub.one("equity", "当期首残高", 0, 3))
    expect("期首 純資産合計", -opening_of("Equity"), pub.one("equity", "当期首残高", 0, 5))
    for label in BUSINESSES:
        total = sum(v for a, v in m.opening.items() if a.endswith(":" + label))
        if total:
            raise AssertionError(f"the opening balances of {label} do not balance ({total:,})")
    # no business starts with a negative balance where none is possible
    for account, value in m.opening.items():
        contra = "減価償却累計額" in account
        if account.startswith("Assets") and (value < 0) != contra:
            raise AssertionError(f"opening {account} = {value:,}")
        if account.startswith(("Liabilities", "Equity")) and value > 0 and ITEM["clearing"].account not in account:
            raise AssertionError(f"opening {account} = {value:,}")


def opening_txns(model: Model) -> list[Txn]:
    """One ``#opening`` transaction per business carrying its opening balances."""
    out = []
    by_business: dict[str, list[Posting]] = defaultdict(list)
    for account in sorted(model.opening):
        by_business[business_of(account)].append(Posting(account, model.opening[account]))
    for label in BUSINESSES:
        postings = by_business.get(label)
        if not postings:
            continue
        out.append(Txn(OPENING_DATE, f"期首残高（{model.pub.business_name(label)}）", "事業別財務情報(貸借対照表関係) less the FY2022 movements",
                       "期首残高", postings, basis="derived",
                       rule=("opening balances by business are not published: each is the business's published closing balance "
                             "less the movements booked in fy2022/transactions.beancount; the consolidated openings that are "
                             "published (CF 期首残高, 附属明細書, 純資産変動計算書) are checked by the reconstruction and the tests"),
                       tags=("opening",)))
    return out
