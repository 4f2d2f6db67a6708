"""The common pool (共通, ``C-共通``): 保証金 and 資産除去債務, and the allocation keys (配賦基準).

保証金 and 資産除去債務 serve every business (the offices they hold), so their movements are booked
once to the common pool and split to the businesses by ``jlis_ledger.plugins.allocations``.

Rules:

* the keys' weights are the published closing balances by business of the asset they split
  (保証金残高比, 資産除去債務残高比); the rules of ``ledger/allocations.beancount`` (hand-written)
  name the same items, and :func:`check_allocations` fails if they disagree with these;
* the only other investing flows of the CF statement (その他投資活動による支出・収入) are 保証金
  paid and returned (the only other investing asset that moved);
* the 資産除去債務's 時の経過による調整額 is in 減価償却費 (企業会計基準第18号), within 事業費;
* the rest of the published 減価償却費, after the schedule's depreciation and that 調整額, is the
  expensed part of 保証金 not expected back (the alternative method of the ARO note).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fy2022_parts import LEDGER
from fy2022_parts.books import YEAR_END, Posting
from fy2022_parts.chart import BUSINESSES, ITEM, POOL

if TYPE_CHECKING:
    from fy2022_parts.model import Model

ALLOCATIONS = LEDGER / "allocations.beancount"  # the keys and rules (hand-written; checked against the published splits)
# allocation keys: name -> (the published 事業別 closing balance whose split is the key's weights, the item its rule covers)
KEYS = {
    "保証金残高比": ("保証金", "deposit"),
    "資産除去債務残高比": ("資産除去債務", "aro"),
}


def book(m: Model) -> None:
    """保証金 and 資産除去債務 serve every business (the offices they hold): booked once to the common pool
    and allocated by the plugin, with keys whose weights are the published closing balances by business."""
    pub = m.pub
    deposit_key, aro_key = "保証金残高比", "資産除去債務残高比"
    accretion = pub.one("aro", "合計", 1)
    paid = -pub.one("cf", "その他投資活動による支出")
    returned = pub.one("cf", "その他投資活動による収入")
    pool = {"deposit": ITEM["deposit"].leaf(POOL), "cash": ITEM["cash"].leaf(POOL, "預金"), "aro": ITEM["aro"].leaf(POOL),
            "expense": ITEM["exp_business"].leaf(POOL, "減価償却費")}
    m.add(YEAR_END, "保証金の差入", "キャッシュ・フロー計算書 その他投資活動による支出", "保証金",
          [Posting(pool["deposit"], paid),
           Posting(pool["cash"], -paid, {"cf": "その他投資活動による支出", "allocation-key": deposit_key})],
          basis="allocated",
          rule=f"the only other investing flows are taken to be 保証金 (the only other investing asset that moved); "
               f"booked to the common pool and allocated by the key {deposit_key}")
    m.add(YEAR_END, "保証金の返還", "キャッシュ・フロー計算書 その他投資活動による収入", "保証金",
          [Posting(pool["deposit"], -returned),
           Posting(pool["cash"], returned, {"cf": "その他投資活動による収入", "allocation-key": deposit_key})],
          basis="allocated",
          rule=f"the only other investing flows are taken to be 保証金; booked to the common pool and allocated by the key {deposit_key}")
    m.add(YEAR_END, "資産除去債務の時の経過による調整額", "資産除去債務明細書 当期増加額; 事業費の主要な費目 減価償却費", "時の経過による調整額",
          [Posting(pool["aro"], -accretion), Posting(pool["expense"], accretion, {"allocation-key": aro_key})],
          basis="allocated",
          rule=f"the 時の経過による調整額 of the 資産除去債務, shown in 減価償却費 (企業会計基準第18号) within 事業費; "
               f"booked to the common pool and allocated by the key {aro_key}")
    # the part of 減価償却費 that is neither the schedule's depreciation nor the ARO accretion
    total_dep = pub.notes["事業費の主要な費目"]["減価償却費"] + pub.notes["一般管理費の主要な費目"]["減価償却費"]
    schedule = -pub.one("fixed-assets", "有形固定資産計", 5) - pub.one("fixed-assets", "無形固定資産計", 5)
    residual = total_dep - schedule - accretion
    m.notes["deposit_amortisation"] = residual
    m.add(YEAR_END, "保証金の回収不能見込額の費用計上", "事業費の主要な費目 減価償却費; 資産除去債務関係", "保証金の費用計上",
          [Posting(pool["deposit"], -residual), Posting(pool["expense"], residual, {"allocation-key": deposit_key})],
          basis="allocated",
          rule=f"the remainder of the published 減価償却費 ({residual:,}) after the schedule's depreciation and the "
               "資産除去債務's 時の経過による調整額 is the expensed part of 保証金 not expected back (the alternative method "
               f"of the ARO note); booked to the common pool and allocated by the key {deposit_key}")


def check_allocations(model: Model, path: Path = ALLOCATIONS) -> list[str]:
    """The hand-written keys and rules must be the ones the reconstruction splits by: the same weights (the
    published closing balances by business, zero weights left out, column order) and the same items."""
    from beancount.parser import parser

    from jlis_ledger.allocations.declarations import read_allocations

    entries, errors, _ = parser.parse_file(str(path))
    keys, rules, declaration_errors = read_allocations(entries)
    problems = [f"{path.name}: {e.message}" for e in list(errors) + list(declaration_errors)]
    for name, weights in model.books.keys.items():
        want = tuple((BUSINESSES[b], w) for b, w in enumerate(weights) if w)
        got = [tuple((label, int(w)) for label, w in v.weights) for v in keys.get(name, [])]
        if got != [want]:
            problems.append(f"{path.name}: key {name} must have the one version {want}, has {got}")
    declared = {r.item: r.key for r in rules}
    if declared != model.books.rules:
        problems.append(f"{path.name}: rules {declared} must be {model.books.rules}")
    return problems
