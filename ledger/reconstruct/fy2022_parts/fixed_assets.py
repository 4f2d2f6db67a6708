"""Fixed assets (有形固定資産等明細書): acquisitions, 建設仮勘定, disposals and depreciation.

Rules (the schedule gives each movement in total; the book value by business is published):

* 建物: the additions and the depreciation in proportion to each business's closing book value;
* 建設仮勘定 → 備品 ((注3) of the 決算報告書): the 令和3年度 equipment of the 公的個人認証サービス and
  カード管理 systems, split between 公的個人認証サービス事業 and 個人番号カード発行等事業 in proportion
  to their closing 備品; the 建設仮勘定 decrease beyond the 備品 increase was expensed (事業費), split
  the same way;
* 建設仮勘定 additions: a business with no transfer out started its whole closing balance in the
  year; the rest of the increase is split as the transfers;
* 除却: by the one business with a 固定資産除却損; the accumulated depreciation removed is the gross
  decrease less the loss;
* depreciation (当期償却額) of each asset type in proportion to each business's closing book value
  (ソフトウェア and 無形リース資産 are held by one business each); the 一般管理費 part (注記) in
  proportion to each business's 一般管理費, the rest in 事業費.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fy2022_parts.books import YEAR_END, Posting, per_business, share
from fy2022_parts.chart import B3, B4, ITEM, RESIDUAL_NATURE

if TYPE_CHECKING:
    from fy2022_parts.model import Model


def book(m: Model) -> None:
    """Acquisitions, the 建設仮勘定 transfers and expense, the disposal; the depreciation by asset type."""
    pub = m.pub
    def fa(label: str, col: str, nth: int = 0):
        return pub.one("fixed-assets", label, col, nth)

    names = pub.data["source"]["businesses"]
    m.dep = {}
    m.additions = [0] * 8

    net = {key: m.published_closing(label, nth) for key, label, nth in
        (("building", "建物", 0), ("equipment", "備品", 0), ("lease_t", "リース資産", 0), ("cip", "建設仮勘定", 0))}
    # 建物: additions and depreciation in proportion to the closing book value
    building_add = share(fa("建物", 1), net["building"])
    m.additions = [a + b for a, b in zip(m.additions, building_add, strict=False)]
    m.dep["building"] = share(-fa("建物", 5), net["building"])
    rule_prop = "in proportion to each business's published closing book value of the asset (largest remainder)"
    m.add(YEAR_END, "建物の取得", "有形固定資産等明細書 建物 当期増加額", "取得",
          per_business(ITEM["building"], building_add, 1, "取得価額") + per_business(ITEM["ap"], building_add, -1),
          basis="allocated", rule=rule_prop)

    # 建設仮勘定 → 備品 (注3): the 公的個人認証サービス and カード管理 systems' equipment
    users = [0] * 8
    users[B3], users[B4] = net["equipment"][B3], net["equipment"][B4]
    transfer = share(fa("備品", 1), users)
    expensed = share(-fa("建設仮勘定", 2) - fa("備品", 1), users)
    m.notes["cip_expensed"] = -fa("建設仮勘定", 2) - fa("備品", 1)
    rule_users = ("(注3) of the 決算報告書: the 令和3年度 equipment of the 公的個人認証サービス and カード管理 systems "
                  "(公的個人認証サービス事業, 個人番号カード発行等事業), split in proportion to their closing 備品")
    m.add(YEAR_END, "建設仮勘定から備品への振替（情報システム機器）", "有形固定資産等明細書 備品 当期増加額・建設仮勘定 当期減少額",
          "振替", per_business(ITEM["equipment"], transfer, 1, "取得価額") + per_business(ITEM["cip"], transfer, -1),
          basis="allocated", rule=rule_users)
    m.add(YEAR_END, "建設仮勘定の費用処理", "有形固定資産等明細書 建設仮勘定 当期減少額（備品への振替を超える部分）", "振替",
          per_business(ITEM["exp_business"], expensed, 1, RESIDUAL_NATURE) + per_business(ITEM["cip"], expensed, -1),
          basis="derived",
          rule="the 建設仮勘定 decrease exceeds the 備品 increase by this amount and no other asset grew: it was expensed "
               "(事業費; its nature is not published: その他), " + rule_users.split(": ", 1)[1])
    # 建設仮勘定 additions: businesses without a transfer out started all their closing balance this year
    cip_add = [0] * 8
    for b in range(8):
        if b not in (B3, B4):
            cip_add[b] = net["cip"][b]
    rest = fa("建設仮勘定", 1) - sum(cip_add)
    for b, v in enumerate(share(rest, users)):
        cip_add[b] += v
    m.additions = [a + b for a, b in zip(m.additions, cip_add, strict=False)]
    m.add(YEAR_END, "建設仮勘定の計上", "有形固定資産等明細書 建設仮勘定 当期増加額", "取得",
          per_business(ITEM["cip"], cip_add, 1) + per_business(ITEM["ap"], cip_add, -1),
          basis="allocated",
          rule="businesses with no transfer out of 建設仮勘定 started their whole closing balance this year; "
               "the rest of the increase is 公的個人認証サービス事業's and 個人番号カード発行等事業's, split as their transfers")
    # 除却: 本人確認情報処理事業 is the only business with a 固定資産除却損
    loss = pub.seg_pl("固定資産除却損")
    owner = next(b for b in range(8) if loss[b])
    gross = -fa("備品", 2)
    accumulated = gross - loss[owner]
    m.add(YEAR_END, f"備品の除却（{names[owner]}）", "有形固定資産等明細書 備品 当期減少額; 固定資産除却損の内訳", "除却",
          [Posting(ITEM["exp_disposal"].leaf(owner), loss[owner]),
           Posting(ITEM["equipment"].leaf(owner, "減価償却累計額"), accumulated),
           Posting(ITEM["equipment"].leaf(owner, "取得価額"), -gross)],
          basis="derived",
          rule=f"the business is the one with the 固定資産除却損; the accumulated depreciation removed is the gross "
               f"decrease less the loss ({gross:,} − {loss[owner]:,})")
    m.dep["equipment"] = share(-fa("備品", 5), net["equipment"])
    m.dep["lease_t"] = share(-fa("リース資産", 5, 0), net["lease_t"])
    software = m.published_closing("ソフトウェア")
    intangible_lease = m.published_closing("リース資産", 1)
    m.dep["software"] = share(-fa("ソフトウェア", 5), software)
    m.dep["lease_i"] = share(-fa("リース資産", 5, 1), intangible_lease)
    m.rule_dep = ("the 当期償却額 of each asset type (有形固定資産等明細書) " + rule_prop +
                  "; ソフトウェア and 無形リース資産 are held by one business each")


def depreciation(m: Model) -> None:
    """The year's depreciation by business, charged to 事業費 and 一般管理費."""
    pub = m.pub
    names = pub.data["source"]["businesses"]
    admin = pub.seg_pl("一般管理費")[:8]
    dep_total = [sum(m.dep[k][b] for k in m.dep) for b in range(8)]
    adm_dep = share(pub.notes["一般管理費の主要な費目"]["減価償却費"], admin)
    biz_dep = [t - a for t, a in zip(dep_total, adm_dep, strict=False)]
    assert all(x >= 0 for x in biz_dep)
    for b in range(8):
        if not dep_total[b]:
            continue
        postings = [
            Posting(ITEM["building"].leaf(b, "減価償却累計額"), -m.dep["building"][b]),
            Posting(ITEM["equipment"].leaf(b, "減価償却累計額"), -m.dep["equipment"][b]),
            Posting(ITEM["lease_t"].leaf(b, "減価償却累計額"), -m.dep["lease_t"][b]),
            Posting(ITEM["software"].leaf(b), -m.dep["software"][b]),
            Posting(ITEM["lease_i"].leaf(b, "減価償却累計額"), -m.dep["lease_i"][b]),
            Posting(ITEM["exp_business"].leaf(b, "減価償却費"), biz_dep[b]),
            Posting(ITEM["exp_admin"].leaf(b, "減価償却費"), adm_dep[b]),
        ]
        m.add(YEAR_END, f"減価償却費の計上（{names[b]}）", "有形固定資産等明細書 当期償却額; 資産除去債務明細書; 事業費・一般管理費の主要な費目 減価償却費",
              "減価償却", postings, basis="allocated",
              rule=(m.rule_dep + "; the 一般管理費 part (注記) in proportion to each business's 一般管理費 (the "
                    "資産除去債務's 時の経過による調整額 and the expensed 保証金, also in 減価償却費, are allocated from the common pool)"))
