"""The income statement lines booked as published by business (事業別財務情報 損益計算書関係).

Rules:

* 営業収益 by business and line, as published, accrued to 未収金 — the receiving business's
  internal charge apart (booked by :mod:`fy2022_parts.internal` and eliminated in 相殺等);
* 営業外収益 by business and line, accrued to 未収金; 支払利息 accrued to 未払金;
* 住基ネット再構築平準化等積立金繰入額 credited to the reserve, by business as published;
* 法人住民税 accrued to 未払法人住民税等; the tax paid in the year (CF 法人税等の支払額) is the
  previous year's 未払法人住民税等, owed by the businesses that owe this year's;
* 事業費 and 一般管理費: what the published figure of a business leaves after everything booked
  separately (depreciation, provisions, 建設仮勘定の費用処理, internal charges, 立替) is accrued
  to 未払金 — so this runs after those families;
* that rest is booked by nature (主要な費目, detail components of the line): each published nature
  less what is booked under it separately is split over the businesses in proportion to what each
  has left of the line (支払補助金 first, to the fund alone); その他 is the remainder of each business
  (negative in 一般管理費, whose published natures exceed the line).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fy2022_parts.books import YEAR_END, Posting, per_business, share
from fy2022_parts.chart import B8, ITEM, RESIDUAL_NATURE
from fy2022_parts.internal import INTERNAL

if TYPE_CHECKING:
    from fy2022_parts.model import Model

REVENUE_LINES = [
    ("rev_business_burden", "事業負担金収入"),
    ("rev_grant_middle", "自治体中間サーバー関連交付金"),
    ("rev_local_burden", "地方公共団体負担金収入"),
    ("rev_burden", "負担金収入"),
    ("rev_business", "事業収入"),
    ("rev_info_fee", "情報提供手数料"),
    ("rev_code_fee", "符号生成住民票コード提供手数料"),
    ("rev_issue_fee", "発行手数料"),
    ("rev_disclosure_fee", "情報開示手数料"),
    ("rev_subsidy", "補助金等収入"),
]
NON_OPERATING_LINES = [
    ("rev_interest", "受取利息"),
    ("rev_bond_interest", "有価証券利息"),
    ("rev_housing", "借上住宅使用料"),
    ("rev_card_test", "動作確認ICカード作成料"),
    ("rev_misc", "雑収入"),
]


def revenue(m: Model) -> None:
    """Revenue by business and line, as published, accrued to 未収金 (internal parts apart)."""
    pub = m.pub
    for b in range(8):
        postings = []
        total = 0
        for key, label in REVENUE_LINES:
            amount = pub.seg_pl(label)[b]
            internal = INTERNAL.get(key)
            if internal and internal["receiver"] == b:
                amount += pub.seg_pl(label)[8]  # less the internal part (相殺等 is negative)
            if amount:
                postings.append(Posting(ITEM[key].leaf(b), -amount))
                total += amount
        if not postings:
            continue
        postings.append(Posting(ITEM["ar"].leaf(b), total))
        m.add(YEAR_END, f"営業収益の計上（{pub.data['source']['businesses'][b]}）",
              f"事業別財務情報(損益計算書関係) 営業収益 {pub.data['source']['businesses'][b]}", "収益計上", postings)


def non_operating_and_special(m: Model) -> None:
    """営業外収益, 支払利息, the 住基ネット reserve provision, 法人住民税 and the tax paid."""
    pub = m.pub
    names = pub.data["source"]["businesses"]
    for b in range(8):
        postings = []
        total = 0
        for key, label in NON_OPERATING_LINES:
            v = pub.seg_pl(label)[b]
            if v:
                postings.append(Posting(ITEM[key].leaf(b), -v))
                total += v
        if postings:
            postings.append(Posting(ITEM["ar"].leaf(b), total))
            m.add(YEAR_END, f"営業外収益の計上（{names[b]}）", f"事業別財務情報(損益計算書関係) 営業外収益 {names[b]}", "収益計上", postings)
    interest = pub.seg_pl("支払利息")[:8]
    m.add(YEAR_END, "支払利息の計上", "事業別財務情報(損益計算書関係) 支払利息", "費用計上",
          per_business(ITEM["exp_interest"], interest, 1) + per_business(ITEM["ap"], interest, -1))
    provision = pub.seg_pl("住基ネット再構築平準化等積立金繰入額")[:8]
    m.add(YEAR_END, "住基ネット再構築平準化等積立金への繰入", "事業別財務情報(損益計算書関係) 住基ネット再構築平準化等積立金繰入額; (負債性積立金関係)",
          "積立金繰入", per_business(ITEM["exp_res_juki"], provision, 1) + per_business(ITEM["res_juki"], provision, -1))
    tax = pub.seg_pl("法人住民税")[:8]
    m.add(YEAR_END, "法人住民税の計上", "事業別財務情報(損益計算書関係) 法人住民税", "費用計上",
          per_business(ITEM["exp_tax"], tax, 1) + per_business(ITEM["tax_payable"], tax, -1))
    paid = -pub.one("cf", "法人税等の支払額")
    payable = m.published_closing("未払法人住民税等")
    m.add(YEAR_END, "前期法人住民税の納付", "キャッシュ・フロー計算書 法人税等の支払額", "納付",
          per_business(ITEM["tax_payable"], share(paid, payable), 1)
          + per_business(ITEM["cash"], share(paid, payable), -1, "預金", {"cf": "法人税等の支払額"}),
          basis="derived", rule="the tax paid is the previous year's 未払法人住民税等, owed by the business that owes this year's")


#: The published note of the main natures (主要な費目) of each expense line (``r4-kessan.json › notes``).
NATURE_NOTES = {"exp_business": "事業費の主要な費目", "exp_admin": "一般管理費の主要な費目"}
#: The natures that only the fund pays: the デジタル基盤改革支援基金's 補助金 (its 交付決定, 事業報告書 第3章十二).
FUND_NATURES = {"支払補助金"}
NATURE_RULE = (
    "each published nature (主要な費目) of 事業費 / 一般管理費 less what is booked under it separately (減価償却費, 引当金繰入) "
    "is split over the businesses in proportion to what each business has left of the line (largest remainder), 支払補助金 "
    "first and to デジタル基盤改革支援基金事業 alone (the fund pays the 補助金 it decides); その他 is what the published "
    "natures leave of each business's line — negative in 一般管理費, whose published natures exceed the line by 59,350,079 "
    "(SOURCES.md: disagreements)"
)


def nature_split(m: Model, key: str, rest: list[int]) -> dict[str, list[int]]:
    """The rest of one expense line per business split over its natures (the residual nature last)."""
    item = ITEM[key]
    booked = m.books.flows()
    published = m.pub.notes[NATURE_NOTES[key]]
    split: dict[str, list[int]] = {}
    left = list(rest)
    for nature in sorted(published, key=lambda n: n not in FUND_NATURES):  # the fund's natures first, then published order
        wanted = published[nature] - sum(booked.get(item.leaf(b, nature), 0) for b in range(8))
        assert wanted >= 0, (item.label, nature, wanted)
        seeds = [v if nature not in FUND_NATURES or b == B8 else 0 for b, v in enumerate(left)]
        split[nature] = share(wanted, seeds) if wanted else [0] * 8
        if nature in FUND_NATURES:
            left = [a - x for a, x in zip(left, split[nature], strict=True)]
            assert all(x >= 0 for x in left), (nature, left)
    split[RESIDUAL_NATURE] = [rest[b] - sum(v[b] for v in split.values()) for b in range(8)]
    if sum(published.values()) <= sum(m.pub.seg_pl(item.label)[:9]):  # main items within the line: no business goes negative
        assert all(x >= 0 for x in split[RESIDUAL_NATURE]), (item.label, split[RESIDUAL_NATURE])
    m.notes[f"nature_residual_{key}"] = split[RESIDUAL_NATURE]
    return split


def expenses(m: Model) -> None:
    """The rest of 事業費 and 一般管理費 of each business accrued to 未払金, by nature (主要な費目)."""
    pub = m.pub
    names = pub.data["source"]["businesses"]
    # the rest of the published 事業費 / 一般管理費 of each business is accrued to 未払金
    booked = m.books.flows()
    rest = {}
    for key, label in (("exp_business", "事業費"), ("exp_admin", "一般管理費")):
        item = ITEM[key]
        published = pub.seg_pl(label)[:8]
        rest[key] = [published[b] - sum(booked.get(item.leaf(b, n), 0) for _, n in item.details) for b in range(8)]
        assert all(x >= 0 for x in rest[key]), (label, rest[key])
    natures = {key: nature_split(m, key, rest[key]) for key in rest}
    m.expense_accrual = [rest["exp_business"][b] + rest["exp_admin"][b] for b in range(8)]
    for b in range(8):
        if not m.expense_accrual[b]:
            continue
        postings = [Posting(ITEM[key].leaf(b, nature), values[b]) for key in natures for nature, values in natures[key].items()]
        m.add(YEAR_END, f"事業費・一般管理費の計上（{names[b]}）",
              f"事業別財務情報(損益計算書関係) 事業費・一般管理費 {names[b]}; 事業費・一般管理費の主要な費目", "費用計上",
              [*postings, Posting(ITEM["ap"].leaf(b), -m.expense_accrual[b])],
              basis="allocated",
              rule="the published 事業費 and 一般管理費 of the business less what is booked separately (減価償却費, 引当金繰入, "
                   "建設仮勘定の費用処理, 事業間取引, 他事業の立替); by nature: " + NATURE_RULE)
