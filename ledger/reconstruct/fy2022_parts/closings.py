"""Closing balances: the published 事業別貸借対照表, and the ``balance`` assertions that pin it.

Rules:

* every line is closed at the published figure of each business, signed as Beancount keeps it
  (liabilities and net assets negative); 相殺等 is asserted on 未収金 and 未払金 (the internal
  balance left at the year end) and the common pool at zero;
* 取得価額 / 減価償却累計額: the book value by business is published; the accumulated depreciation
  (有形固定資産等明細書, in total) is split in proportion to it;
* 長期前受金 by purpose: each purpose names its business's system and is published in total; the
  remainder of each business is 次期機器更改に係る施設設備の整備 (the remainders add up to its
  published total exactly);
* 積立金: the published figure includes the year's 当期純利益, which Beancount keeps in Income and
  Expenses until the 利益の処分, so it is asserted without it;
* an assertion that restates our own split (取得価額 / 減価償却累計額, 長期前受金 by purpose) carries
  ``proof: "estimate"``, one computed from published figures alone (積立金 less 当期純利益)
  ``proof: "published"``, and the common pool's zero ``proof: "check"`` (an identity of the books, not a
  published figure): ``jlis-ledger verify`` counts only the published ones as proof of the publication.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fy2022_parts.books import ASSERT_DATE, only, share
from fy2022_parts.chart import B2, B3, B6, B8, ELIMINATION, ITEM, POOL, chart_order, item_for
from fy2022_parts.syntax import quote, yen
from jlis_ledger.core.accounts import business_of

if TYPE_CHECKING:
    from fy2022_parts.model import Model

SIMPLE_BS = [  # item key, published label, occurrence, sign (Beancount)
    ("ar", "未収金", 0, 1), ("prepaid", "前払金", 0, 1), ("supplies", "貯蔵品", 0, 1), ("securities", "有価証券", 0, 1),
    ("cip", "建設仮勘定", 0, 1), ("phone", "電話加入権", 0, 1), ("software", "ソフトウェア", 0, 1),
    ("inv_securities", "投資有価証券", 0, 1), ("deposit", "保証金", 0, 1),
    ("ap", "未払金", 0, -1), ("tax_payable", "未払法人住民税等", 0, -1), ("withheld", "預り金", 0, -1),
    ("bonus", "賞与引当金", 0, -1), ("officer_bonus", "役員賞与引当金", 0, -1), ("lease_debt_cur", "リース債務", 0, -1),
    ("clearing", "他事業勘定", 0, -1), ("retirement", "退職給付引当金", 0, -1), ("officer_retirement", "役員退職引当金", 0, -1),
    ("res_juki", "住基ネット再構築平準化等積立金", 0, -1), ("res_security", "セキュリティ強化等積立金", 0, -1),
    ("res_next", "次期システム更改積立金", 0, -1), ("lease_debt_lt", "リース債務", 1, -1), ("aro", "資産除去債務", 0, -1),
    ("capital", "地方公共団体出資金", 0, -1), ("jpki_fund", "公的個人認証サービス事業財政調整積立金", 0, -1),
    ("dev_reserve", "システム開発積立金", 0, -1),
]
COST_ITEMS = [("building", "建物", 0, "建物"), ("equipment", "備品", 0, "備品"), ("lease_t", "リース資産", 0, "リース資産"),
              ("lease_i", "リース資産", 1, "リース資産")]


def book(m: Model) -> None:
    """The closing balance of every account of the 事業別貸借対照表 (and of 相殺等)."""
    pub = m.pub
    for key, label, nth, sign in SIMPLE_BS:
        m.set_closing(ITEM[key], m.published_closing(label, nth), sign)
    m.set_closing(ITEM["cash"], m.published_closing("現金及び預金"), 1, "預金")
    # 取得価額 / 減価償却累計額: the book value by business is published, the split in total only
    for key, label, nth, schedule_label in COST_ITEMS:
        net = m.published_closing(label, nth)
        accumulated_total = -pub.one("fixed-assets", schedule_label, 4, 1 if key == "lease_i" else 0)
        acc = share(accumulated_total, net)
        m.set_closing(ITEM[key], [n + a for n, a in zip(net, acc, strict=False)], 1, "取得価額", basis="allocated",
                      rule="book value as published; the accumulated depreciation (有形固定資産等明細書) split in proportion to it",
                      proof="estimate")
        m.set_closing(ITEM[key], acc, -1, "減価償却累計額", basis="allocated",
                      rule="the accumulated depreciation (有形固定資産等明細書) split in proportion to each business's book value",
                      proof="estimate")
    # 長期前受金 by purpose: each purpose names its business's system; 施設設備 is each business's remainder
    deferred = m.published_closing("長期前受金")
    contents = {r["label"]: r["values"][0] for r in pub.tables["deferred-revenue"]["rows"]}
    owner = {"符号生成のための住民票コード提供に係る経費": B2, "住基ネットシステムの機器更改（第4回）": B2,
             "次期JPKIシステムの更改": B3, "次期LGWANシステムの更改（第五次）": B6,
             "自治体情報システムの標準化・共通化支援": B8, "地方の行政手続オンライン化": B8,
             "次期自治体情報セキュリティクラウド移行支援": B8}
    remainder = list(deferred)
    for purpose, b in owner.items():
        m.set_closing(ITEM["deferred"], only(b, contents[purpose]), -1, purpose, basis="derived",
                      rule="the purposes of 長期前受金 are published in total only; each is the business whose system it names "
                           "(符号生成, 住基ネット機器更改 → 本人確認情報処理事業; 次期JPKI → 公的個人認証サービス事業; 次期LGWAN → "
                           "総合行政ネットワーク運営事業; the fund's three programmes → デジタル基盤改革支援基金事業)",
                      proof="estimate")
        remainder[b] -= contents[purpose]
    assert all(x >= 0 for x in remainder) and sum(remainder) == contents["次期機器更改に係る施設設備の整備"], remainder
    m.set_closing(ITEM["deferred"], remainder, -1, "次期機器更改に係る施設設備の整備", basis="derived",
                  rule="the business's published 長期前受金 less its named purposes; the remainders add up to the "
                       "published 次期機器更改に係る施設設備の整備 exactly", proof="estimate")
    # 積立金: the published figure includes the year's 当期純利益, which Beancount keeps in Income/Expenses
    reserve = m.published_closing("積立金")
    net_income = pub.seg_pl("当期純利益")[:8]
    m.set_closing(ITEM["reserve"], [r - n for r, n in zip(reserve, net_income, strict=False)], -1, basis="derived",
                  rule="the published 積立金 less the business's 当期純利益 (事業別財務情報), which stays in the "
                       "Income and Expenses accounts until the 利益の処分", proof="published")
    m.elimination_closing = {
     ITEM["ar"].leaf(ELIMINATION): pub.seg_bs("未収金")[8],
     ITEM["ap"].leaf(ELIMINATION): -pub.seg_bs("未払金")[8],
 }


def closing_assertions(model: Model) -> str:
    """``balance`` assertions of every closing balance, in chart order, with their source."""
    pub = model.pub
    lines = []
    opened = set(model.opening) | {p.account for t in model.books.txns for p in t.postings}
    accounts = set(model.closing) | set(model.elimination_closing) | {a for a in opened if not a.startswith(("Income", "Expenses"))}
    for account in sorted(accounts, key=chart_order):
        if account.startswith(("Income", "Expenses")):
            continue
        item = item_for(account)
        business = business_of(account)
        amount = model.elimination_closing.get(account, model.closing.get(account, 0))
        lines.append(f"{ASSERT_DATE} balance {account.ljust(80)} {yen(amount).rjust(18)} JPY")
        if business == POOL:
            lines.append(f"  source: {quote(f'配賦: the common pool ({item.label}) is zero once the allocations plugin has run')}")
            lines.append(f"  proof: {quote('check')}")
        else:
            lines.append(f"  source: {quote(f'事業別財務情報(貸借対照表関係) {item.label} {pub.business_name(business)}')}")
        meta = model.closing_meta.get(account)
        if meta:
            for k, v in meta.items():
                lines.append(f"  {k}: {quote(v)}")
    return "\n".join(lines) + "\n"
