"""Reconstruct the FY2022 (令和4年度) books of J-LIS as double-entry transactions.

The publication gives closing balances by business, the year's revenue and
expense by business and line, and — for the organisation as a whole only —
the cash flow statement, the schedules (附属明細書) and the notes.  This script
turns those figures into transactions at the finest grain they determine and
writes them to ``ledger/fy2022/*.beancount``:

* every figure that the publication gives by business is booked as given
  (``source:`` names the table and row);
* every figure that it gives only for the whole organisation is split over the
  businesses by a stated rule (``basis: "allocated"`` and ``rule:``);
* every figure that follows from others (an opening balance, a remainder) is
  computed and marked ``basis: "derived"`` with the rule.

Opening balances by business are not published: each is the published
closing balance less the year's booked movements, so that the books close to
the yen on the published 事業別貸借対照表 — and the consolidated openings that
*are* published (cash, fixed assets, provisions, leases, reserves, 資産除去債務,
純資産) are checked against what this gives.

Every rule is listed in ``ledger/SOURCES.md``; ``jlis-ledger sources`` lists
the derived and allocated entries from the ledger's own metadata.

Run ``python ledger/reconstruct/fy2022.py`` to rewrite the files and
``--check`` to verify that the committed files are what the published data
and these rules give.  It uses the jlis_ledger package (``make reconstruct`` runs it in the
project's virtual environment) for the one rule it shares with the segments plugin: the pairing of
他事業勘定 positions.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from jlis_ledger.clearing import pair_positions

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "published" / "r4-kessan.json"
OUT = ROOT / "fy2022"

# --------------------------------------------------------------------------
# Businesses and the chart of accounts
# --------------------------------------------------------------------------

BUSINESSES = [
    "B1-一般事業",
    "B2-本人確認情報処理事業",
    "B3-公的個人認証サービス事業",
    "B4-個人番号カード発行等事業",
    "B5-中間サーバー共同化集約化等事業",
    "B6-総合行政ネットワーク運営事業",
    "B7-本人確認情報処理事業関連事業",
    "B8-デジタル基盤改革支援基金事業",
]
ELIMINATION = "E-相殺等"
POOL = "C-共通"  # the common pool (共通): what is booked here is split to the businesses by jlis_ledger.plugins.allocations
ALLOCATIONS = ROOT / "allocations.beancount"  # the keys and rules (hand-written; checked against the published splits)
# allocation keys: name -> (the published 事業別 closing balance whose split is the key's weights, the item its rule covers)
KEYS = {
    "保証金残高比": ("保証金", "deposit"),
    "資産除去債務残高比": ("資産除去債務", "aro"),
}
B1, B2, B3, B4, B5, B6, B7, B8 = range(8)

OPENING_DATE = "2022-03-31"  # balances carried into 2022-04-01
YEAR_END = "2023-03-31"  # annual totals are booked on the 決算日
ASSERT_DATE = "2023-04-01"  # balance assertions check the closing position
FY2021_APPROVAL = "2022-06-27"  # 第44回代表者会議: 令和3年度決算
FY2022_APPROVAL = "2023-06-30"  # after the 経営審議委員会 of 2023-06-22 (see SOURCES.md)


@dataclass(frozen=True)
class Item:
    """A published line: its account (without business), label and where it is published."""

    key: str
    account: str
    label: str
    details: tuple[tuple[str, str], ...] = ()  # (component, label) below the line, above the business

    def leaf(self, business: int | str, detail: str | None = None) -> str:
        b = business if isinstance(business, str) else BUSINESSES[business]
        if detail is None:
            if self.details:
                raise ValueError(f"{self.key} needs a detail")
            return f"{self.account}:{b}"
        for component, label in self.details:
            if detail in (label, component.split("-", 1)[1]):
                return f"{self.account}:{component}:{b}"
        raise KeyError(f"{self.key} has no detail {detail!r}")


COST_DETAILS = (("1-取得価額", "取得価額"), ("2-減価償却累計額", "減価償却累計額"))
CASH_DETAILS = (("1-預金", "預金"), ("2-定期預金", "定期預金"))
DEFERRED_PURPOSES = (
    ("1-符号生成のための住民票コード提供に係る経費", "符号生成のための住民票コード提供に係る経費"),
    ("2-住基ネットシステムの機器更改第4回", "住基ネットシステムの機器更改（第4回）"),
    ("3-次期JPKIシステムの更改", "次期JPKIシステムの更改"),
    ("4-次期LGWANシステムの更改第五次", "次期LGWANシステムの更改（第五次）"),
    ("5-自治体情報システムの標準化共通化支援", "自治体情報システムの標準化・共通化支援"),
    ("6-地方の行政手続オンライン化", "地方の行政手続オンライン化"),
    ("7-次期自治体情報セキュリティクラウド移行支援", "次期自治体情報セキュリティクラウド移行支援"),
    ("8-次期機器更改に係る施設設備の整備", "次期機器更改に係る施設設備の整備"),
)

ITEMS = [
    # 貸借対照表: 資産の部
    Item("cash", "Assets:1-流動資産:11-現金及び預金", "現金及び預金", CASH_DETAILS),
    Item("ar", "Assets:1-流動資産:12-未収金", "未収金"),
    Item("prepaid", "Assets:1-流動資産:13-前払金", "前払金"),
    Item("supplies", "Assets:1-流動資産:14-貯蔵品", "貯蔵品"),
    Item("securities", "Assets:1-流動資産:15-有価証券", "有価証券"),
    Item("building", "Assets:2-固定資産:21-有形固定資産:211-建物", "建物", COST_DETAILS),
    Item("equipment", "Assets:2-固定資産:21-有形固定資産:212-備品", "備品", COST_DETAILS),
    Item("cip", "Assets:2-固定資産:21-有形固定資産:213-建設仮勘定", "建設仮勘定"),
    Item("lease_t", "Assets:2-固定資産:21-有形固定資産:214-リース資産", "リース資産", COST_DETAILS),
    Item("phone", "Assets:2-固定資産:22-無形固定資産:221-電話加入権", "電話加入権"),
    Item("software", "Assets:2-固定資産:22-無形固定資産:222-ソフトウェア", "ソフトウェア"),
    Item("lease_i", "Assets:2-固定資産:22-無形固定資産:223-リース資産", "リース資産", COST_DETAILS),
    Item("inv_securities", "Assets:2-固定資産:23-投資その他の資産:231-投資有価証券", "投資有価証券"),
    Item("deposit", "Assets:2-固定資産:23-投資その他の資産:232-保証金", "保証金"),
    # 負債の部
    Item("ap", "Liabilities:1-流動負債:11-未払金", "未払金"),
    Item("tax_payable", "Liabilities:1-流動負債:12-未払法人住民税等", "未払法人住民税等"),
    Item("withheld", "Liabilities:1-流動負債:13-預り金", "預り金"),
    Item("bonus", "Liabilities:1-流動負債:14-賞与引当金", "賞与引当金"),
    Item("officer_bonus", "Liabilities:1-流動負債:15-役員賞与引当金", "役員賞与引当金"),
    Item("lease_debt_cur", "Liabilities:1-流動負債:16-リース債務", "リース債務"),
    Item("clearing", "Liabilities:1-流動負債:17-他事業勘定", "他事業勘定"),
    Item("deferred", "Liabilities:2-固定負債:21-長期前受金", "長期前受金", DEFERRED_PURPOSES),
    Item("retirement", "Liabilities:2-固定負債:22-退職給付引当金", "退職給付引当金"),
    Item("officer_retirement", "Liabilities:2-固定負債:23-役員退職引当金", "役員退職引当金"),
    Item("res_juki", "Liabilities:2-固定負債:24-住基ネット再構築平準化等積立金", "住基ネット再構築平準化等積立金"),
    Item("res_security", "Liabilities:2-固定負債:25-セキュリティ強化等積立金", "セキュリティ強化等積立金"),
    Item("res_next", "Liabilities:2-固定負債:26-次期システム更改積立金", "次期システム更改積立金"),
    Item("lease_debt_lt", "Liabilities:2-固定負債:27-リース債務", "リース債務"),
    Item("aro", "Liabilities:2-固定負債:28-資産除去債務", "資産除去債務"),
    # 純資産の部
    Item("capital", "Equity:1-地方公共団体出資金", "地方公共団体出資金"),
    Item("reserve", "Equity:2-利益剰余金:21-積立金", "積立金"),
    Item("jpki_fund", "Equity:2-利益剰余金:22-公的個人認証サービス事業財政調整積立金", "公的個人認証サービス事業財政調整積立金"),
    Item("dev_reserve", "Equity:2-利益剰余金:23-システム開発積立金", "システム開発積立金"),
    Item("ops_reserve", "Equity:2-利益剰余金:24-システム運用積立金", "システム運用積立金"),
    Item("unappropriated", "Equity:2-利益剰余金:25-処分対象利益", "処分対象利益"),  # the 利益の処分's profit leg
    # 損益計算書: 営業収益
    Item("rev_business_burden", "Income:1-営業収益:101-事業負担金収入", "事業負担金収入"),
    Item("rev_grant_middle", "Income:1-営業収益:102-自治体中間サーバー関連交付金", "自治体中間サーバー関連交付金"),
    Item("rev_local_burden", "Income:1-営業収益:103-地方公共団体負担金収入", "地方公共団体負担金収入"),
    Item("rev_burden", "Income:1-営業収益:104-負担金収入", "負担金収入"),
    Item("rev_business", "Income:1-営業収益:105-事業収入", "事業収入"),
    Item("rev_info_fee", "Income:1-営業収益:106-情報提供手数料", "情報提供手数料"),
    Item("rev_code_fee", "Income:1-営業収益:107-符号生成住民票コード提供手数料", "符号生成住民票コード提供手数料"),
    Item("rev_issue_fee", "Income:1-営業収益:108-発行手数料", "発行手数料"),
    Item("rev_disclosure_fee", "Income:1-営業収益:109-情報開示手数料", "情報開示手数料"),
    Item("rev_subsidy", "Income:1-営業収益:110-補助金等収入", "補助金等収入"),
    Item("rev_deferred", "Income:1-営業収益:111-長期前受金取崩収入", "長期前受金取崩収入"),
    Item("rev_res_juki", "Income:1-営業収益:112-住基ネット再構築平準化等積立金取崩収入", "住基ネット再構築平準化等積立金取崩収入"),
    Item("rev_res_next", "Income:1-営業収益:113-次期システム更改積立金取崩収入", "次期システム更改積立金取崩収入"),
    Item("rev_res_security", "Income:1-営業収益:114-セキュリティ強化等積立金取崩収入", "セキュリティ強化等積立金取崩収入"),
    # 営業外収益
    Item("rev_interest", "Income:2-営業外収益:201-受取利息", "受取利息"),
    Item("rev_bond_interest", "Income:2-営業外収益:202-有価証券利息", "有価証券利息"),
    Item("rev_housing", "Income:2-営業外収益:203-借上住宅使用料", "借上住宅使用料"),
    Item("rev_card_test", "Income:2-営業外収益:204-動作確認ICカード作成料", "動作確認ICカード作成料"),
    Item("rev_misc", "Income:2-営業外収益:205-雑収入", "雑収入"),
    # 営業費用, 営業外費用, 特別損失, 法人住民税
    Item("exp_business", "Expenses:1-営業費用:101-事業費", "事業費"),
    Item("exp_admin", "Expenses:1-営業費用:102-一般管理費", "一般管理費"),
    Item("exp_interest", "Expenses:2-営業外費用:201-支払利息", "支払利息"),
    Item("exp_disposal", "Expenses:3-特別損失:301-固定資産除却損", "固定資産除却損"),
    Item("exp_res_juki", "Expenses:3-特別損失:302-住基ネット再構築平準化等積立金繰入額", "住基ネット再構築平準化等積立金繰入額"),
    Item("exp_res_security", "Expenses:3-特別損失:303-セキュリティ強化等積立金繰入額", "セキュリティ強化等積立金繰入額"),
    Item("exp_res_next", "Expenses:3-特別損失:304-次期システム更改積立金繰入額", "次期システム更改積立金繰入額"),
    Item("exp_tax", "Expenses:4-法人住民税", "法人住民税"),
]
I = {item.key: item for item in ITEMS}

SECTION_LABELS = {
    "Assets": "資産",
    "Assets:1-流動資産": "流動資産",
    "Assets:2-固定資産": "固定資産",
    "Assets:2-固定資産:21-有形固定資産": "有形固定資産",
    "Assets:2-固定資産:22-無形固定資産": "無形固定資産",
    "Assets:2-固定資産:23-投資その他の資産": "投資その他の資産",
    "Liabilities": "負債",
    "Liabilities:1-流動負債": "流動負債",
    "Liabilities:2-固定負債": "固定負債",
    "Equity": "純資産",
    "Equity:2-利益剰余金": "利益剰余金",
    "Income": "収益",
    "Income:1-営業収益": "営業収益",
    "Income:2-営業外収益": "営業外収益",
    "Expenses": "費用",
    "Expenses:1-営業費用": "営業費用",
    "Expenses:2-営業外費用": "営業外費用",
    "Expenses:3-特別損失": "特別損失",
}


# --------------------------------------------------------------------------
# Published figures
# --------------------------------------------------------------------------


class Published:
    def __init__(self, path: Path = PUBLISHED) -> None:
        self.data = json.loads(path.read_text(encoding="utf-8"))
        self.tables = self.data["tables"]
        self.notes = self.data["notes"]

    def row(self, table: str, label: str, nth: int = 0) -> list:
        rows = [r for r in self.tables[table]["rows"] if r["label"] == label and r["values"] is not None]
        return rows[nth]["values"]

    def seg_bs(self, label: str, nth: int = 0) -> list[int]:
        """Closing balances by business (8 businesses, 相殺等, 合計), published signs."""
        return self.row("segment-bs", label, nth)

    def seg_pl(self, label: str) -> list[int]:
        return self.row("segment-pl", label)

    def one(self, table: str, label: str, column: int = 0, nth: int = 0) -> int:
        return self.row(table, label, nth)[column]


# --------------------------------------------------------------------------
# Allocation
# --------------------------------------------------------------------------


def share(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` yen in proportion to ``weights`` with largest-remainder rounding.

    The parts sum exactly to ``total``; ties go to the earlier business (the
    published column order).  A zero weight gets nothing.
    """
    if total < 0:
        return [-x for x in share(-total, weights)]
    weight_sum = sum(weights)
    if total == 0:
        return [0] * len(weights)
    if weight_sum <= 0 or any(w < 0 for w in weights):
        raise ValueError(f"cannot share {total} by weights {weights}")
    floors = [total * w // weight_sum for w in weights]
    remainders = [(total * w) % weight_sum for w in weights]
    left = total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def only(business: int, amount: int) -> list[int]:
    v = [0] * 8
    v[business] = amount
    return v


# --------------------------------------------------------------------------
# Transactions
# --------------------------------------------------------------------------


@dataclass
class Posting:
    account: str
    amount: int
    meta: dict = field(default_factory=dict)


@dataclass
class Txn:
    date: str
    narration: str
    source: str
    event: str
    postings: list[Posting]
    basis: str | None = None  # None (as published), "derived" or "allocated"
    rule: str | None = None
    tags: tuple[str, ...] = ()

    def balanced_by_business(self) -> bool:
        sums: dict[str, int] = defaultdict(int)
        for p in self.postings:
            sums[p.account.rsplit(":", 1)[1]] += p.amount
        return all(v == 0 for v in sums.values())


class Books:
    """The transactions being reconstructed, and their sums per account.

    A posting to the common pool (``…:C-共通``) counts, in the sums, as the
    shares the allocations plugin gives it: its amount split by its key (the
    posting's ``allocation-key:`` or the rule of its item) with the same
    largest-remainder rule (:func:`share`, ties to the earlier column).
    """

    def __init__(self) -> None:
        self.txns: list[Txn] = []
        self.keys: dict[str, list[int]] = {}  # key name -> weights by business (column order)
        self.rules: dict[str, str] = {}  # item account -> key name

    def add(self, txn: Txn) -> Txn:
        postings = [p for p in txn.postings if p.amount != 0]
        if not postings:
            return txn
        txn.postings = postings
        if sum(p.amount for p in postings) != 0:
            raise AssertionError(f"unbalanced: {txn.narration} {sum(p.amount for p in postings)}")
        if not txn.balanced_by_business():
            raise AssertionError(f"not balanced per business: {txn.narration}")
        self.txns.append(txn)
        return txn

    def flows(self, dates: tuple[str, str] | None = None) -> dict[str, int]:
        sums: dict[str, int] = defaultdict(int)
        for t in self.txns:
            if dates and not (dates[0] <= t.date <= dates[1]):
                continue
            for p in t.postings:
                item, _, business = p.account.rpartition(":")
                if business != POOL:
                    sums[p.account] += p.amount
                    continue
                for b, part in enumerate(share(p.amount, self.keys[p.meta.get("allocation-key") or self.rules[item]])):
                    if part:
                        sums[f"{item}:{BUSINESSES[b]}"] += part
        return sums


def per_business(item: Item, values: list[int], sign: int, detail: str | None = None, meta=None) -> list[Posting]:
    """Postings of ``sign * value`` on ``item`` for each business with a nonzero value."""
    return [Posting(item.leaf(b, detail), sign * v, dict(meta or {})) for b, v in enumerate(values) if v]


# --------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------


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

# Internal transactions: the publication gives only the eliminated amount per
# line (相殺等) and the internal receivable/payable left at the year end.
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


class Model:
    def __init__(self, pub: Published) -> None:
        self.pub = pub
        self.books = Books()
        self.closing: dict[str, int] = {}  # leaf account -> closing balance (Beancount sign)
        self.closing_meta: dict[str, dict] = {}
        self.checks: list[str] = []
        self.notes: dict[str, object] = {}
        # allocation keys (配賦基準): weights derived from the published splits (see allocations.beancount)
        self.books.keys = {name: self.published_closing(label) for name, (label, _) in KEYS.items()}
        self.books.rules = {I[item].account: name for name, (_, item) in KEYS.items()}

    # -- helpers -----------------------------------------------------------

    def add(self, *args, **kwargs) -> Txn:
        return self.books.add(Txn(*args, **kwargs))

    def published_closing(self, label: str, nth: int = 0) -> list[int]:
        return self.pub.seg_bs(label, nth)[:8]

    def set_closing(self, item: Item, values: list[int], sign: int, detail: str | None = None, **meta) -> None:
        for b, v in enumerate(values):
            if v:
                self.closing[item.leaf(b, detail)] = sign * v
                if meta:
                    self.closing_meta[item.leaf(b, detail)] = meta

    # -- the year ----------------------------------------------------------

    def build(self) -> None:
        self.revenue()
        self.internal_transactions()
        self.deferred_revenue_release()
        self.fixed_assets()
        self.leases()
        self.provisions()
        self.asset_retirement_and_deposits()
        self.clearing_advances()
        self.expenses()  # the rest of 事業費 and 一般管理費: after every part booked separately
        self.non_operating_and_special()
        self.reserves_and_equity()
        self.time_deposits()
        self.closings()
        self.cash_receivables_payables()
        self.openings()
        self.verify()

    def revenue(self) -> None:
        """Revenue by business and line, as published, accrued to 未収金 (internal parts apart)."""
        pub = self.pub
        for b in range(8):
            postings = []
            total = 0
            for key, label in REVENUE_LINES:
                amount = pub.seg_pl(label)[b]
                internal = INTERNAL.get(key)
                if internal and internal["receiver"] == b:
                    amount += pub.seg_pl(label)[8]  # less the internal part (相殺等 is negative)
                if amount:
                    postings.append(Posting(I[key].leaf(b), -amount))
                    total += amount
            if not postings:
                continue
            postings.append(Posting(I["ar"].leaf(b), total))
            self.add(YEAR_END, f"営業収益の計上（{pub.data['source']['businesses'][b]}）",
                     f"事業別財務情報(損益計算書関係) 営業収益 {pub.data['source']['businesses'][b]}", "収益計上", postings)

    def internal_transactions(self) -> None:
        """Charges between businesses (eliminated by the segments plugin) and their settlement."""
        pub = self.pub
        unpaid = -pub.seg_bs("未収金")[8]  # 3,075,096
        self.notes["internal_unpaid"] = unpaid
        for key, parties in INTERNAL.items():
            label = I[key].label
            amount = -pub.seg_pl(label)[8]
            r, p = parties["receiver"], parties["payer"]
            names = pub.data["source"]["businesses"]
            self.add(YEAR_END, f"{label}の事業間請求（{names[r]} → {names[p]}）", f"事業別財務情報(損益計算書関係) {label} 相殺等",
                     "事業間取引",
                     [Posting(I[key].leaf(r), -amount), Posting(I["ar"].leaf(r), amount),
                      Posting(I["exp_business"].leaf(p), amount), Posting(I["ap"].leaf(p), -amount)],
                     basis="allocated", rule=INTERNAL_RULE, tags=("internal",))
            paid = amount - unpaid if key == "rev_burden" else amount
            self.add(YEAR_END, f"{label}の事業間精算（{names[p]} → {names[r]}）",
                     f"事業別財務情報(貸借対照表関係) 未収金・未払金 相殺等", "事業間取引",
                     [Posting(I["cash"].leaf(p, "預金"), -paid), Posting(I["ap"].leaf(p), paid),
                      Posting(I["cash"].leaf(r, "預金"), paid), Posting(I["ar"].leaf(r), -paid)],
                     basis="derived",
                     rule=f"settled in the year except the internal 未収金/未払金 of {unpaid:,} left at the year end (相殺等)",
                     tags=("internal",))

    def deferred_revenue_release(self) -> None:
        """長期前受金取崩収入 by business (published), drawn from the purposes of 長期前受金."""
        pub = self.pub
        release = pub.seg_pl("長期前受金取崩収入")[:8]
        decided = {d["text"]: d["百万円"] for d in pub.notes["デジタル基盤改革支援基金の交付決定"]}
        standardisation = sum(v for k, v in decided.items() if "年度交付決定" in k)
        online, security = (v for k, v in decided.items() if "年度" not in k)
        fund_split = share(release[B8], [standardisation, online, security])
        self.notes["fund_release_weights"] = [standardisation, online, security]
        for b, amount in enumerate(release):
            if not amount:
                continue
            if b == B8:
                purposes = list(zip(("自治体情報システムの標準化・共通化支援", "地方の行政手続オンライン化",
                                     "次期自治体情報セキュリティクラウド移行支援"), fund_split))
                rule = ("split over the fund's three programmes in proportion to the grants decided in FY2022 "
                        f"(事業報告書 第3章十二: 標準化 {standardisation:,}, オンライン化 {online:,}, "
                        f"セキュリティ {security:,} 百万円)")
                basis = "allocated"
            else:
                purposes = [("次期機器更改に係る施設設備の整備", amount)]
                rule = ("drawn from 次期機器更改に係る施設設備の整備, the purpose that funds assets in service; "
                        "the other purposes fund renewals that have not started")
                basis = "derived"
            postings = [Posting(I["deferred"].leaf(b, purpose), amount) for purpose, amount in purposes]
            postings.append(Posting(I["rev_deferred"].leaf(b), -amount))
            self.add(YEAR_END, f"長期前受金の取崩（{pub.data['source']['businesses'][b]}）",
                     "事業別財務情報(損益計算書関係) 長期前受金取崩収入", "長期前受金取崩", postings, basis=basis, rule=rule)

    # -- fixed assets --------------------------------------------------------

    def fixed_assets(self) -> None:
        pub = self.pub
        fa = lambda label, col, nth=0: pub.one("fixed-assets", label, col, nth)  # noqa: E731
        names = pub.data["source"]["businesses"]
        self.dep: dict[str, list[int]] = {}
        self.additions = [0] * 8

        net = {key: self.published_closing(label, nth) for key, label, nth in
               (("building", "建物", 0), ("equipment", "備品", 0), ("lease_t", "リース資産", 0), ("cip", "建設仮勘定", 0))}
        # 建物: additions and depreciation in proportion to the closing book value
        building_add = share(fa("建物", 1), net["building"])
        self.additions = [a + b for a, b in zip(self.additions, building_add)]
        self.dep["building"] = share(-fa("建物", 5), net["building"])
        rule_prop = "in proportion to each business's published closing book value of the asset (largest remainder)"
        self.add(YEAR_END, "建物の取得", "有形固定資産等明細書 建物 当期増加額", "取得",
                 per_business(I["building"], building_add, 1, "取得価額") + per_business(I["ap"], building_add, -1),
                 basis="allocated", rule=rule_prop)

        # 建設仮勘定 → 備品 (注3): the 公的個人認証サービス and カード管理 systems' equipment
        users = [0] * 8
        users[B3], users[B4] = net["equipment"][B3], net["equipment"][B4]
        transfer = share(fa("備品", 1), users)
        expensed = share(-fa("建設仮勘定", 2) - fa("備品", 1), users)
        self.notes["cip_expensed"] = -fa("建設仮勘定", 2) - fa("備品", 1)
        rule_users = ("(注3) of the 決算報告書: the 令和3年度 equipment of the 公的個人認証サービス and カード管理 systems "
                      "(公的個人認証サービス事業, 個人番号カード発行等事業), split in proportion to their closing 備品")
        self.add(YEAR_END, "建設仮勘定から備品への振替（情報システム機器）", "有形固定資産等明細書 備品 当期増加額・建設仮勘定 当期減少額",
                 "振替", per_business(I["equipment"], transfer, 1, "取得価額") + per_business(I["cip"], transfer, -1),
                 basis="allocated", rule=rule_users)
        self.add(YEAR_END, "建設仮勘定の費用処理", "有形固定資産等明細書 建設仮勘定 当期減少額（備品への振替を超える部分）", "振替",
                 per_business(I["exp_business"], expensed, 1) + per_business(I["cip"], expensed, -1),
                 basis="derived",
                 rule="the 建設仮勘定 decrease exceeds the 備品 increase by this amount and no other asset grew: it was expensed "
                      "(事業費), " + rule_users.split(": ", 1)[1])
        # 建設仮勘定 additions: businesses without a transfer out started all their closing balance this year
        cip_add = [0] * 8
        for b in range(8):
            if b not in (B3, B4):
                cip_add[b] = net["cip"][b]
        rest = fa("建設仮勘定", 1) - sum(cip_add)
        for b, v in enumerate(share(rest, users)):
            cip_add[b] += v
        self.additions = [a + b for a, b in zip(self.additions, cip_add)]
        self.add(YEAR_END, "建設仮勘定の計上", "有形固定資産等明細書 建設仮勘定 当期増加額", "取得",
                 per_business(I["cip"], cip_add, 1) + per_business(I["ap"], cip_add, -1),
                 basis="allocated",
                 rule="businesses with no transfer out of 建設仮勘定 started their whole closing balance this year; "
                      "the rest of the increase is 公的個人認証サービス事業's and 個人番号カード発行等事業's, split as their transfers")
        # 除却: 本人確認情報処理事業 is the only business with a 固定資産除却損
        loss = pub.seg_pl("固定資産除却損")
        owner = next(b for b in range(8) if loss[b])
        gross = -fa("備品", 2)
        accumulated = gross - loss[owner]
        self.add(YEAR_END, f"備品の除却（{names[owner]}）", "有形固定資産等明細書 備品 当期減少額; 固定資産除却損の内訳", "除却",
                 [Posting(I["exp_disposal"].leaf(owner), loss[owner]),
                  Posting(I["equipment"].leaf(owner, "減価償却累計額"), accumulated),
                  Posting(I["equipment"].leaf(owner, "取得価額"), -gross)],
                 basis="derived",
                 rule=f"the business is the one with the 固定資産除却損; the accumulated depreciation removed is the gross "
                      f"decrease less the loss ({gross:,} − {loss[owner]:,})")
        self.dep["equipment"] = share(-fa("備品", 5), net["equipment"])
        self.dep["lease_t"] = share(-fa("リース資産", 5, 0), net["lease_t"])
        software = self.published_closing("ソフトウェア")
        intangible_lease = self.published_closing("リース資産", 1)
        self.dep["software"] = share(-fa("ソフトウェア", 5), software)
        self.dep["lease_i"] = share(-fa("リース資産", 5, 1), intangible_lease)
        self.rule_dep = ("the 当期償却額 of each asset type (有形固定資産等明細書) " + rule_prop +
                         "; ソフトウェア and 無形リース資産 are held by one business each")

    def leases(self) -> None:
        pub = self.pub
        fa = lambda label, col, nth=0: pub.one("fixed-assets", label, col, nth)  # noqa: E731
        net = self.published_closing("リース資産", 0)
        cur = self.published_closing("リース債務", 0)
        lt = self.published_closing("リース債務", 1)
        debt = [c + l for c, l in zip(cur, lt)]
        new = share(pub.notes["重要な非資金取引"]["ファイナンス・リース取引に係る資産及び負債の額"], net)
        self.add(YEAR_END, "ファイナンス・リース取引の開始", "有形固定資産等明細書 リース資産 当期増加額; 重要な非資金取引", "リース契約",
                 per_business(I["lease_t"], new, 1, "取得価額") + per_business(I["lease_debt_lt"], new, -1),
                 basis="allocated", rule="in proportion to each business's published closing book value of リース資産")
        # lease debt reconciliation: opening + new − repaid − (reduction without repayment) = closing
        opening_cur, closing_cur = pub.row("lease-debt", "1年以内に返済予定のリース債務")
        opening_lt, closing_lt = pub.row("lease-debt", "リース債務（1年以内に返済予定のものを除く。）")
        repaid = -pub.one("cf", "リース債務の返済による支出")
        ended_without_repayment = opening_cur + opening_lt + sum(new) - repaid - closing_cur - closing_lt
        gross_removed = -fa("リース資産", 2, 0)
        accumulated_removed = gross_removed - ended_without_repayment
        self.notes["lease_ended"] = (ended_without_repayment, gross_removed, accumulated_removed)
        removed = share(gross_removed, net)
        debt_cancelled = share(ended_without_repayment, removed)
        acc = [r - d for r, d in zip(removed, debt_cancelled)]
        self.add(YEAR_END, "リース資産の減少（契約終了・解約）", "有形固定資産等明細書 リース資産 当期減少額; 借入金等明細書", "リース終了",
                 per_business(I["lease_t"], removed, -1, "取得価額") + per_business(I["lease_t"], acc, 1, "減価償却累計額")
                 + per_business(I["lease_debt_lt"], debt_cancelled, 1),
                 basis="derived",
                 rule=(f"lease debt fell by {ended_without_repayment:,} more than the repayments (借入金等明細書 opening + new − "
                       f"repaid − closing); with no gain or loss published, the leases that ended ({gross_removed:,} gross) "
                       f"carried that much book value, the rest ({accumulated_removed:,}) being accumulated depreciation; "
                       "split in proportion to the closing book value of リース資産"))
        repay = share(repaid, debt)
        open_cur = share(opening_cur, cur)
        reclass = [c - o + r for c, o, r in zip(cur, open_cur, repay)]
        self.lease = {"repay": repay, "open_cur": open_cur, "reclass": reclass}
        self.add(YEAR_END, "リース債務の返済", "キャッシュ・フロー計算書 リース債務の返済による支出", "リース返済",
                 per_business(I["lease_debt_cur"], repay, 1)
                 + per_business(I["cash"], repay, -1, "預金", {"cf": "リース債務の返済による支出"}),
                 basis="allocated", rule="in proportion to each business's published closing リース債務 (current and non-current)")
        self.add(YEAR_END, "リース債務の1年以内返済予定額への振替", "借入金等明細書", "振替",
                 per_business(I["lease_debt_lt"], reclass, 1) + per_business(I["lease_debt_cur"], reclass, -1),
                 basis="derived",
                 rule="the opening current リース債務 (借入金等明細書) is split in proportion to the closing current リース債務; "
                      "the transfer is what makes each business's current debt close as published")

    def provisions(self) -> None:
        pub = self.pub
        admin = pub.seg_pl("一般管理費")[:8]
        self.provision_cost = {"exp_business": [0] * 8, "exp_admin": [0] * 8}
        specs = [
            ("bonus", "賞与引当金", "exp_business"),
            ("officer_bonus", "役員賞与引当金", "exp_admin"),
            ("retirement", "退職給付引当金", None),
            ("officer_retirement", "役員退職引当金", "exp_admin"),
        ]
        for key, label, expense in specs:
            opening, increase, used, other, closing = pub.row("provisions", label)
            closing_b = self.published_closing(label)
            if increase == closing and -used == opening:
                inc = closing_b
                rule_inc = "the increase equals the closing balance in total (re-estimated each year), so by business too"
                basis = "derived"
            else:
                inc = share(increase, closing_b)
                rule_inc = "in proportion to each business's published closing balance"
                basis = "allocated"
            use = share(-used, closing_b)
            if expense is None:  # 退職給付費用: the part in 一般管理費 is published in total
                adm = share(pub.notes["一般管理費の主要な費目"]["退職給付費用"], admin)
                biz = [i - a for i, a in zip(inc, adm)]
                assert all(x >= 0 for x in biz), biz
                split = {"exp_business": biz, "exp_admin": adm}
                rule_inc += ("; the 退職給付費用 of 一般管理費 (注記) is split in proportion to each business's 一般管理費, "
                             "the rest is 事業費")
            else:
                split = {expense: inc}
                rule_inc += "; charged to " + ("事業費" if expense == "exp_business" else "一般管理費 (役員)")
            for k, v in split.items():
                self.provision_cost[k] = [a + b for a, b in zip(self.provision_cost[k], v)]
            postings = per_business(I[key], inc, -1)
            for k, v in split.items():
                postings += per_business(I[k], v, 1)
            self.add(YEAR_END, f"{label}の繰入", f"引当金明細書 {label} 当期増加額", "引当金繰入", postings, basis=basis, rule=rule_inc)
            self.add(YEAR_END, f"{label}の目的使用（支払）", f"引当金明細書 {label} 当期減少額（目的使用）", "引当金目的使用",
                     per_business(I[key], use, 1) + per_business(I["cash"], use, -1, "預金", {"cf": "人件費の支出"}),
                     basis="allocated", rule="in proportion to each business's published closing balance; paid in cash (人件費の支出)")
        self.provision_cash = sum(-pub.row("provisions", label)[2] for _, label, _ in specs)

    def asset_retirement_and_deposits(self) -> None:
        """保証金 and 資産除去債務 serve every business (the offices they hold): booked once to the common pool
        and allocated by the plugin, with keys whose weights are the published closing balances by business."""
        pub = self.pub
        deposit_key, aro_key = "保証金残高比", "資産除去債務残高比"
        accretion = pub.one("aro", "合計", 1)
        paid = -pub.one("cf", "その他投資活動による支出")
        returned = pub.one("cf", "その他投資活動による収入")
        pool = {"deposit": I["deposit"].leaf(POOL), "cash": I["cash"].leaf(POOL, "預金"), "aro": I["aro"].leaf(POOL),
                "expense": I["exp_business"].leaf(POOL)}
        self.add(YEAR_END, "保証金の差入", "キャッシュ・フロー計算書 その他投資活動による支出", "保証金",
                 [Posting(pool["deposit"], paid),
                  Posting(pool["cash"], -paid, {"cf": "その他投資活動による支出", "allocation-key": deposit_key})],
                 basis="allocated",
                 rule=f"the only other investing flows are taken to be 保証金 (the only other investing asset that moved); "
                      f"booked to the common pool and allocated by the key {deposit_key}")
        self.add(YEAR_END, "保証金の返還", "キャッシュ・フロー計算書 その他投資活動による収入", "保証金",
                 [Posting(pool["deposit"], -returned),
                  Posting(pool["cash"], returned, {"cf": "その他投資活動による収入", "allocation-key": deposit_key})],
                 basis="allocated",
                 rule=f"the only other investing flows are taken to be 保証金; booked to the common pool and allocated by the key {deposit_key}")
        self.add(YEAR_END, "資産除去債務の時の経過による調整額", "資産除去債務明細書 当期増加額; 事業費の主要な費目 減価償却費", "時の経過による調整額",
                 [Posting(pool["aro"], -accretion), Posting(pool["expense"], accretion, {"allocation-key": aro_key})],
                 basis="allocated",
                 rule=f"the 時の経過による調整額 of the 資産除去債務, shown in 減価償却費 (企業会計基準第18号) within 事業費; "
                      f"booked to the common pool and allocated by the key {aro_key}")
        # the part of 減価償却費 that is neither the schedule's depreciation nor the ARO accretion
        total_dep = pub.notes["事業費の主要な費目"]["減価償却費"] + pub.notes["一般管理費の主要な費目"]["減価償却費"]
        schedule = -pub.one("fixed-assets", "有形固定資産計", 5) - pub.one("fixed-assets", "無形固定資産計", 5)
        residual = total_dep - schedule - accretion
        self.notes["deposit_amortisation"] = residual
        self.add(YEAR_END, "保証金の回収不能見込額の費用計上", "事業費の主要な費目 減価償却費; 資産除去債務関係", "保証金の費用計上",
                 [Posting(pool["deposit"], -residual), Posting(pool["expense"], residual, {"allocation-key": deposit_key})],
                 basis="allocated",
                 rule=f"the remainder of the published 減価償却費 ({residual:,}) after the schedule's depreciation and the "
                      "資産除去債務's 時の経過による調整額 is the expensed part of 保証金 not expected back (the alternative method "
                      f"of the ARO note); booked to the common pool and allocated by the key {deposit_key}")

    def non_operating_and_special(self) -> None:
        pub = self.pub
        names = pub.data["source"]["businesses"]
        for b in range(8):
            postings = []
            total = 0
            for key, label in NON_OPERATING_LINES:
                v = pub.seg_pl(label)[b]
                if v:
                    postings.append(Posting(I[key].leaf(b), -v))
                    total += v
            if postings:
                postings.append(Posting(I["ar"].leaf(b), total))
                self.add(YEAR_END, f"営業外収益の計上（{names[b]}）", f"事業別財務情報(損益計算書関係) 営業外収益 {names[b]}", "収益計上", postings)
        interest = pub.seg_pl("支払利息")[:8]
        self.add(YEAR_END, "支払利息の計上", "事業別財務情報(損益計算書関係) 支払利息", "費用計上",
                 per_business(I["exp_interest"], interest, 1) + per_business(I["ap"], interest, -1))
        provision = pub.seg_pl("住基ネット再構築平準化等積立金繰入額")[:8]
        self.add(YEAR_END, "住基ネット再構築平準化等積立金への繰入", "事業別財務情報(損益計算書関係) 住基ネット再構築平準化等積立金繰入額; (負債性積立金関係)",
                 "積立金繰入", per_business(I["exp_res_juki"], provision, 1) + per_business(I["res_juki"], provision, -1))
        tax = pub.seg_pl("法人住民税")[:8]
        self.add(YEAR_END, "法人住民税の計上", "事業別財務情報(損益計算書関係) 法人住民税", "費用計上",
                 per_business(I["exp_tax"], tax, 1) + per_business(I["tax_payable"], tax, -1))
        paid = -pub.one("cf", "法人税等の支払額")
        payable = self.published_closing("未払法人住民税等")
        self.add(YEAR_END, "前期法人住民税の納付", "キャッシュ・フロー計算書 法人税等の支払額", "納付",
                 per_business(I["tax_payable"], share(paid, payable), 1)
                 + per_business(I["cash"], share(paid, payable), -1, "預金", {"cf": "法人税等の支払額"}),
                 basis="derived", rule="the tax paid is the previous year's 未払法人住民税等, owed by the business that owes this year's")

    def reserves_and_equity(self) -> None:
        pub = self.pub
        dev = self.published_closing("システム開発積立金")
        transferred = pub.one("equity", "システム開発積立金の積立", 0, 1)  # in the システム開発積立金 group
        released = -pub.one("equity", "システム開発積立金の取崩", 0, 1)
        opening_total = pub.one("equity", "当期首残高", 0, 3)
        # B1's closing + the release, and the others' closings less the transfer, add up to the opening:
        # the whole release is 一般事業's and the whole transfer is the other holders'.
        holders = [b for b in range(8) if dev[b]]
        releaser = B1
        check = dev[releaser] + released + sum(dev[b] for b in holders if b != releaser) - transferred
        assert check == opening_total, (check, opening_total)
        weights = [dev[b] if b in holders and b != releaser else 0 for b in range(8)]
        to_dev = share(transferred, weights)
        self.add(FY2021_APPROVAL, "令和3年度利益の処分: 積立金からシステム開発積立金への積立", "純資産変動計算書 システム開発積立金の積立",
                 "利益処分", per_business(I["reserve"], to_dev, 1) + per_business(I["dev_reserve"], to_dev, -1),
                 basis="allocated",
                 rule=(f"{dev[releaser]:,} + {released:,} (一般事業) and the other holders' closings less {transferred:,} add up to "
                       f"the published opening {opening_total:,}: the 積立 is the other holders' (split in proportion to their "
                       "closing システム開発積立金), the 取崩 一般事業's; dated at the 代表者会議 that approved 令和3年度決算"))
        self.add(YEAR_END, "システム開発積立金の取崩", "純資産変動計算書 システム開発積立金の取崩", "積立金取崩",
                 [Posting(I["dev_reserve"].leaf(releaser), released), Posting(I["reserve"].leaf(releaser), -released)],
                 basis="derived",
                 rule=f"the only split of the movements that gives the published opening {opening_total:,} with the other holders' "
                      "round closings (see 積立 of 2022-06-27)")

    def clearing_advances(self) -> None:
        """他事業勘定: the closing positions arise from costs one business paid for another (立替)."""
        pub = self.pub
        names = pub.data["source"]["businesses"]
        positions = pub.seg_bs("他事業勘定")[:8]
        self.advances = [0] * 8  # cash paid by each business for others
        # who paid for whom: the segments plugin's own greedy pairing (jlis_ledger.clearing), so that the
        # who-owes-whom matrix of the books reads back exactly these advances
        nets = {BUSINESSES[b]: -p for b, p in enumerate(positions)}  # Beancount sign: negative = owes
        for debtor_label, creditor_label, amount in pair_positions(nets, BUSINESSES):
            debtor, creditor, amount = BUSINESSES.index(debtor_label), BUSINESSES.index(creditor_label), int(amount)
            self.advances[creditor] += amount
            self.add(YEAR_END, f"他事業に係る費用の立替（{names[creditor]} → {names[debtor]}）", "事業別財務情報(貸借対照表関係) 他事業勘定",
                     "立替",
                     [Posting(I["exp_business"].leaf(debtor), amount),
                      Posting(I["clearing"].leaf(debtor), -amount),
                      Posting(I["clearing"].leaf(creditor), amount),
                      Posting(I["cash"].leaf(creditor, "預金"), -amount, {"cf": "その他の営業支出"})],
                     basis="allocated",
                     rule=("the closing 他事業勘定 positions are published; opening positions are taken as settled (zero) and the "
                           "positions as costs paid for other businesses during the year (参考資料: 一般事業's 「他事業に係る費用の立替」); "
                           "who paid for whom pairs creditors and debtors in column order"))

    def expenses(self) -> None:
        """Depreciation by business, then the rest of 事業費 and 一般管理費 accrued to 未払金."""
        pub = self.pub
        names = pub.data["source"]["businesses"]
        admin = pub.seg_pl("一般管理費")[:8]
        dep_total = [sum(self.dep[k][b] for k in self.dep) for b in range(8)]
        adm_dep = share(pub.notes["一般管理費の主要な費目"]["減価償却費"], admin)
        biz_dep = [t - a for t, a in zip(dep_total, adm_dep)]
        assert all(x >= 0 for x in biz_dep)
        for b in range(8):
            if not dep_total[b]:
                continue
            postings = [
                Posting(I["building"].leaf(b, "減価償却累計額"), -self.dep["building"][b]),
                Posting(I["equipment"].leaf(b, "減価償却累計額"), -self.dep["equipment"][b]),
                Posting(I["lease_t"].leaf(b, "減価償却累計額"), -self.dep["lease_t"][b]),
                Posting(I["software"].leaf(b), -self.dep["software"][b]),
                Posting(I["lease_i"].leaf(b, "減価償却累計額"), -self.dep["lease_i"][b]),
                Posting(I["exp_business"].leaf(b), biz_dep[b]),
                Posting(I["exp_admin"].leaf(b), adm_dep[b]),
            ]
            self.add(YEAR_END, f"減価償却費の計上（{names[b]}）", "有形固定資産等明細書 当期償却額; 資産除去債務明細書; 事業費・一般管理費の主要な費目 減価償却費",
                     "減価償却", postings, basis="allocated",
                     rule=(self.rule_dep + "; the 一般管理費 part (注記) in proportion to each business's 一般管理費 (the "
                           "資産除去債務's 時の経過による調整額 and the expensed 保証金, also in 減価償却費, are allocated from the common pool)"))
        # the rest of the published 事業費 / 一般管理費 of each business is accrued to 未払金
        booked = self.books.flows()
        rest = {}
        for key, label in (("exp_business", "事業費"), ("exp_admin", "一般管理費")):
            published = pub.seg_pl(label)[:8]
            rest[key] = [published[b] - booked.get(I[key].leaf(b), 0) for b in range(8)]
            assert all(x >= 0 for x in rest[key]), (label, rest[key])
        self.expense_accrual = [rest["exp_business"][b] + rest["exp_admin"][b] for b in range(8)]
        for b in range(8):
            if not self.expense_accrual[b]:
                continue
            self.add(YEAR_END, f"事業費・一般管理費の計上（{names[b]}）", f"事業別財務情報(損益計算書関係) 事業費・一般管理費 {names[b]}",
                     "費用計上",
                     [Posting(I["exp_business"].leaf(b), rest["exp_business"][b]),
                      Posting(I["exp_admin"].leaf(b), rest["exp_admin"][b]),
                      Posting(I["ap"].leaf(b), -self.expense_accrual[b])],
                     basis="derived",
                     rule="the published 事業費 and 一般管理費 of the business less what is booked separately (減価償却費, 引当金繰入, "
                          "建設仮勘定の費用処理, 事業間取引, 他事業の立替)")

    def time_deposits(self) -> None:
        pub = self.pub
        placed = -pub.one("cf", "定期預金の預入による支出")
        withdrawn = pub.one("cf", "定期預金の払戻による収入")
        cash = self.published_closing("現金及び預金")
        rule = ("in proportion to each business's published closing 現金及び預金; the dates are not published: both are booked "
                "on the 決算日 (預入期間が3箇月を超える定期預金 is 0 at the year end)")
        self.add(YEAR_END, "定期預金の預入", "キャッシュ・フロー計算書 定期預金の預入による支出", "定期預金",
                 per_business(I["cash"], share(placed, cash), 1, "定期預金")
                 + per_business(I["cash"], share(placed, cash), -1, "預金", {"cf": "定期預金の預入による支出"}),
                 basis="allocated", rule=rule)
        self.add(YEAR_END, "定期預金の払戻", "キャッシュ・フロー計算書 定期預金の払戻による収入", "定期預金",
                 per_business(I["cash"], share(withdrawn, cash), -1, "定期預金")
                 + per_business(I["cash"], share(withdrawn, cash), 1, "預金", {"cf": "定期預金の払戻による収入"}),
                 basis="allocated", rule=rule)

    # -- closing balances ------------------------------------------------------

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

    def closings(self) -> None:
        pub = self.pub
        for key, label, nth, sign in self.SIMPLE_BS:
            self.set_closing(I[key], self.published_closing(label, nth), sign)
        self.set_closing(I["cash"], self.published_closing("現金及び預金"), 1, "預金")
        # 取得価額 / 減価償却累計額: the book value by business is published, the split in total only
        for key, label, nth, schedule_label in self.COST_ITEMS:
            net = self.published_closing(label, nth)
            accumulated_total = -pub.one("fixed-assets", schedule_label, 4, 1 if key == "lease_i" else 0)
            acc = share(accumulated_total, net)
            self.set_closing(I[key], [n + a for n, a in zip(net, acc)], 1, "取得価額", basis="allocated",
                             rule="book value as published; the accumulated depreciation (有形固定資産等明細書) split in proportion to it")
            self.set_closing(I[key], acc, -1, "減価償却累計額", basis="allocated",
                             rule="the accumulated depreciation (有形固定資産等明細書) split in proportion to each business's book value")
        # 長期前受金 by purpose: each purpose names its business's system; 施設設備 is each business's remainder
        deferred = self.published_closing("長期前受金")
        contents = {r["label"]: r["values"][0] for r in pub.tables["deferred-revenue"]["rows"]}
        owner = {"符号生成のための住民票コード提供に係る経費": B2, "住基ネットシステムの機器更改（第4回）": B2,
                 "次期JPKIシステムの更改": B3, "次期LGWANシステムの更改（第五次）": B6,
                 "自治体情報システムの標準化・共通化支援": B8, "地方の行政手続オンライン化": B8,
                 "次期自治体情報セキュリティクラウド移行支援": B8}
        remainder = list(deferred)
        for purpose, b in owner.items():
            self.set_closing(I["deferred"], only(b, contents[purpose]), -1, purpose)
            remainder[b] -= contents[purpose]
        assert all(x >= 0 for x in remainder) and sum(remainder) == contents["次期機器更改に係る施設設備の整備"], remainder
        self.set_closing(I["deferred"], remainder, -1, "次期機器更改に係る施設設備の整備", basis="derived",
                         rule="the business's published 長期前受金 less its named purposes; the remainders add up to the "
                              "published 次期機器更改に係る施設設備の整備 exactly")
        # 積立金: the published figure includes the year's 当期純利益, which Beancount keeps in Income/Expenses
        reserve = self.published_closing("積立金")
        net_income = pub.seg_pl("当期純利益")[:8]
        self.set_closing(I["reserve"], [r - n for r, n in zip(reserve, net_income)], -1, basis="derived",
                         rule="the published 積立金 less the business's 当期純利益 (事業別財務情報), which stays in the "
                              "Income and Expenses accounts until the 利益の処分")
        self.elimination_closing = {
            I["ar"].leaf(ELIMINATION): pub.seg_bs("未収金")[8],
            I["ap"].leaf(ELIMINATION): -pub.seg_bs("未払金")[8],
        }

    # -- cash, 未収金 and 未払金 ------------------------------------------------

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
    PAYMENT_LINES = ["人件費の支出", "委託費の支出", "その他の営業支出", "利息の支払額", "有形固定資産取得による支出"]

    def cash_receivables_payables(self) -> None:
        """Split the CF statement's receipts and payments over the businesses.

        Each receipt line of the CF statement collects 未収金 and each payment
        line settles 未払金.  A line is split over the businesses in proportion
        to their related revenue or cost (人件費: the 賞与引当金 as a head count;
        有形固定資産: the additions).  Where that would leave a business with a
        negative opening 未収金, 未払金 or cash, its share is raised until that
        opening balance stands in the organisation's opening/closing ratio,
        the amount coming from the businesses with the most room in the same
        lines.  The openings then follow (closing less the year's flows)."""
        pub = self.pub
        cf = {r["label"]: r["values"][0] for r in pub.tables["cf"]["rows"] if r["values"] is not None}
        booked = self.books.flows()
        ar_close = self.published_closing("未収金")
        ap_close = self.published_closing("未払金")
        cash_close = self.published_closing("現金及び預金")
        ar_flow = [booked.get(I["ar"].leaf(b), 0) for b in range(8)]
        ap_flow = [-booked.get(I["ap"].leaf(b), 0) for b in range(8)]
        cash_flow = [booked.get(I["cash"].leaf(b, "預金"), 0) + booked.get(I["cash"].leaf(b, "定期預金"), 0) for b in range(8)]
        receipt_totals = {line: cf[line] for line in self.RECEIPT_LINES}
        payment_totals = {
            "人件費の支出": -cf["人件費の支出"] - self.provision_cash,  # the provisions' 目的使用 is booked with them
            "委託費の支出": -cf["委託費の支出"],
            "その他の営業支出": -cf["その他の営業支出"] - sum(self.advances),  # the 立替 are booked with 他事業勘定
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
        self.notes["ar_open_total"], self.notes["ap_open_total"] = ar_open_total, ap_open_total
        booked_revenue = {key: [-booked.get(I[key].leaf(b), 0) for b in range(8)] for key in I if key.startswith("rev_")}
        costs = {key: pub.seg_pl(I[key].label)[:8] for key in ("exp_business", "exp_admin")}
        seed_receipts = {line: [sum((booked_revenue.get(k) or costs.get(k))[b] for k in keys) for b in range(8)]
                         for line, keys in self.RECEIPT_LINES.items()}
        seed_receipts["消費税等還付金収入"][B8] = 0
        seed_payments = {
            "人件費の支出": self.published_closing("賞与引当金"),
            "委託費の支出": self.expense_accrual,
            "その他の営業支出": self.expense_accrual,
            "利息の支払額": pub.seg_pl("支払利息")[:8],
            "有形固定資産取得による支出": self.additions,
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
        self.notes["raised shares"] = {"receipts": {BUSINESSES[b]: v for b, v in raised_r.items()},
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
            self.add(YEAR_END, f"{line}の入金", f"キャッシュ・フロー計算書 {line}", "入金",
                     per_business(I["cash"], values, 1, "預金", {"cf": line}) + per_business(I["ar"], values, -1),
                     basis="allocated", rule=rule_r)
        for line, values in paid.items():
            self.add(YEAR_END, f"{line}（未払金の支払）", f"キャッシュ・フロー計算書 {line}", "支払",
                     per_business(I["ap"], values, 1) + per_business(I["cash"], values, -1, "預金", {"cf": line}),
                     basis="allocated", rule=rule_p)

    # -- opening balances --------------------------------------------------------

    def openings(self) -> None:
        flows = self.books.flows()
        accounts = sorted(set(self.closing) | {a for a in flows if not a.startswith(("Income", "Expenses"))})
        self.opening = {}
        for account in accounts:
            if account.endswith(ELIMINATION):
                continue
            value = self.closing.get(account, 0) - flows.get(account, 0)
            if value:
                self.opening[account] = value

    # -- checks against the published consolidated figures ----------------------

    def verify(self) -> None:
        pub = self.pub

        def opening_of(prefix: str) -> int:
            return sum(v for a, v in self.opening.items() if a.startswith(prefix + ":"))

        def expect(what: str, got: int, want: int) -> None:
            if got != want:
                raise AssertionError(f"{what}: the books give {got:,}, the publication {want:,}")
            self.checks.append(f"{what}: {want:,}")

        expect("期首 現金及び預金 (CF 期首残高)", opening_of(I["cash"].account), pub.one("cf", "現金及び現金同等物期首残高"))
        for key, label, nth in (("building", "建物", 0), ("equipment", "備品", 0), ("lease_t", "リース資産", 0), ("lease_i", "リース資産", 1)):
            expect(f"期首 {label} 取得価額 (有形固定資産等明細書)", opening_of(I[key].account + ":1-取得価額"),
                   pub.one("fixed-assets", label, 0, nth))
        expect("期首 建設仮勘定", opening_of(I["cip"].account), pub.one("fixed-assets", "建設仮勘定", 0))
        expect("期首 ソフトウェア", opening_of(I["software"].account), pub.one("fixed-assets", "ソフトウェア", 0))
        for label in ("賞与引当金", "役員賞与引当金", "退職給付引当金", "役員退職引当金"):
            key = next(i.key for i in ITEMS if i.label == label)
            expect(f"期首 {label} (引当金明細書)", -opening_of(I[key].account), pub.one("provisions", label, 0))
        expect("期首 リース債務 1年以内 (借入金等明細書)", -opening_of(I["lease_debt_cur"].account),
               pub.one("lease-debt", "1年以内に返済予定のリース債務", 0))
        expect("期首 リース債務 1年超 (借入金等明細書)", -opening_of(I["lease_debt_lt"].account),
               pub.one("lease-debt", "リース債務（1年以内に返済予定のものを除く。）", 0))
        for key, label in (("res_juki", "住基ネット再構築平準化等積立金"), ("res_security", "セキュリティ強化等積立金"),
                           ("res_next", "次期システム更改積立金")):
            expect(f"期首 {label} (負債性積立金関係)", -opening_of(I[key].account), pub.one("reserves", label, 0))
        expect("期首 資産除去債務 (資産除去債務明細書)", -opening_of(I["aro"].account), pub.one("aro", "合計", 0))
        expect("期首 地方公共団体出資金 (純資産変動計算書)", -opening_of(I["capital"].account), pub.one("equity", "当期首残高", 0, 0))
        expect("期首 積立金 (純資産変動計算書)", -opening_of(I["reserve"].account), pub.one("equity", "当期首残高", 0, 1))
        expect("期首 公的個人認証サービス事業財政調整積立金", -opening_of(I["jpki_fund"].account), pub.one("equity", "当期首残高", 0, 2))
        expect("期首 システム開発積立金", -opening_of(I["dev_reserve"].account), pub.one("equity", "当期首残高", 0, 3))
        expect("期首 純資産合計", -opening_of("Equity"), pub.one("equity", "当期首残高", 0, 5))
        for label in BUSINESSES:
            total = sum(v for a, v in self.opening.items() if a.endswith(":" + label))
            if total:
                raise AssertionError(f"the opening balances of {label} do not balance ({total:,})")
        # no business starts with a negative balance where none is possible
        for account, value in self.opening.items():
            contra = "減価償却累計額" in account
            if account.startswith("Assets") and (value < 0) != contra:
                raise AssertionError(f"opening {account} = {value:,}")
            if account.startswith(("Liabilities", "Equity")) and value > 0 and I["clearing"].account not in account:
                raise AssertionError(f"opening {account} = {value:,}")


# --------------------------------------------------------------------------
# Iterative proportional fitting with exact integer margins
# --------------------------------------------------------------------------


def split_with_floors(totals: dict[str, int], seeds: dict[str, list[int]], floor) -> tuple[dict[str, list[int]], dict[int, int]]:
    """Split each line's total over the businesses in proportion to ``seeds``,
    then raise the businesses whose column falls below ``floor(b, False)``
    up to ``floor(b, True)``, moving yen from the business with the most room
    above its own ``floor(k, False)`` within a line where both are seeded.

    Returns the matrix and, per raised business, by how much."""
    lines = list(totals)
    n = len(next(iter(seeds.values())))
    out = {line: share(totals[line], seeds[line]) for line in lines}
    col = lambda b: sum(out[line][b] for line in lines)  # noqa: E731
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


def share_real(total: int, weights: list[float]) -> list[int]:
    """Round real ``weights`` (summing to about ``total``) to yen summing exactly to ``total``."""
    s = sum(weights)
    if not s:
        return [0] * len(weights)
    exact = [total * w / s for w in weights]
    floors = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[: total - sum(floors)]:
        floors[i] += 1
    return floors


# --------------------------------------------------------------------------
# Appropriation of the FY2022 profit (after the year end)
# --------------------------------------------------------------------------


def appropriation(model: Model) -> Txn:
    """利益の処分に関する書類 by business: the published totals, split by stated rules.

    The entry distributes each business's 当期純利益 exactly, for every business with a profit or a
    loss, so that the reserves plugin can check it: 処分対象利益 (the profit subject to appropriation,
    ``Equity:2-利益剰余金:25-処分対象利益``) is debited with the business's 当期純利益 (credited with a
    loss) and the reserves are credited with its parts — システム開発積立金, システム運用積立金 and the
    rest, which stays in 積立金 (debited when the parts exceed the profit, or for a loss).  Beancount
    keeps the year's net income in Income and Expenses; 処分対象利益 is the part of 利益剰余金 that
    offsets it once appropriated, so after the 処分 積立金 holds the published figure.
    """
    pub = model.pub
    net_income = pub.seg_pl("当期純利益")[:8]
    ops = pub.one("appropriation", "システム運用積立金")
    dev = pub.one("appropriation", "システム開発積立金")
    retained_total = pub.one("appropriation", "積立金")
    assert pub.one("appropriation", "処分対象利益") == sum(net_income)
    holders = model.published_closing("システム開発積立金")
    weights = [net_income[b] if holders[b] and net_income[b] > 0 else 0 for b in range(8)]
    to_dev = share(dev, weights)
    to_ops = only(B2, ops)
    retained = [n - d - o for n, d, o in zip(net_income, to_dev, to_ops)]
    assert sum(retained) == retained_total
    postings = []
    for b in range(8):
        parts = [(I["unappropriated"], net_income[b]), (I["reserve"], -retained[b]), (I["dev_reserve"], -to_dev[b]),
                 (I["ops_reserve"], -to_ops[b])]
        postings += [Posting(item.leaf(b), amount) for item, amount in parts if amount]
    txn = Txn(FY2022_APPROVAL, "令和4年度利益の処分", "利益の処分に関する書類", "利益処分", postings, basis="allocated",
              rule=("処分対象利益 is debited with each business's 当期純利益 (事業別財務情報; credited with a loss) and the "
                    "reserves are credited with its parts: システム運用積立金 is 本人確認情報処理事業's (注10: 符号生成運用経費); "
                    "システム開発積立金 is split over the businesses that hold it in proportion to their 当期純利益; the rest of "
                    "each business's 当期純利益 stays in 積立金 (a loss reduces it); dated after the 経営審議委員会 of "
                    "2023-06-22 (the approval date is not published)"),
              tags=("appropriation",))
    assert txn.balanced_by_business() and sum(p.amount for p in postings) == 0
    return txn


# --------------------------------------------------------------------------
# Writing the files
# --------------------------------------------------------------------------

HEADER = """; 令和4年度 (FY2022) — {what}
; Generated by ledger/reconstruct/fy2022.py from ledger/published/r4-kessan.json; do not edit by hand:
; change the rules there (and ledger/SOURCES.md), then run `python ledger/reconstruct/fy2022.py`.
"""


def yen(n: int) -> str:
    return f"{n:,}"


def quote(value) -> str:
    if isinstance(value, int):
        return yen(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_txn(t: Txn) -> str:
    tags = "".join(f" #{tag}" for tag in t.tags)
    lines = [f'{t.date} * "{t.narration}"{tags}', f"  source: {quote(t.source)}", f"  event: {quote(t.event)}"]
    if t.basis:
        lines.append(f"  basis: {quote(t.basis)}")
        lines.append(f"  rule: {quote(t.rule)}")
    width = max(len(p.account) for p in t.postings) + 2
    for p in t.postings:
        lines.append(f"  {p.account.ljust(width)}{yen(p.amount).rjust(18)} JPY")
        for k, v in p.meta.items():
            lines.append(f"    {k}: {quote(v)}")
    return "\n".join(lines) + "\n"


def business_name(pub: Published, label: str) -> str:
    if label == POOL:
        return "共通"
    return pub.data["source"]["businesses"][BUSINESSES.index(label)] if label in BUSINESSES else "相殺等"


def opening_txns(model: Model) -> list[Txn]:
    out = []
    by_business: dict[str, list[Posting]] = defaultdict(list)
    for account in sorted(model.opening):
        by_business[account.rsplit(":", 1)[1]].append(Posting(account, model.opening[account]))
    for label in BUSINESSES:
        postings = by_business.get(label)
        if not postings:
            continue
        out.append(Txn(OPENING_DATE, f"期首残高（{business_name(model.pub, label)}）", "事業別財務情報(貸借対照表関係) less the FY2022 movements",
                       "期首残高", postings, basis="derived",
                       rule=("opening balances by business are not published: each is the business's published closing balance "
                             "less the movements booked in fy2022/transactions.beancount; the consolidated openings that are "
                             "published (CF 期首残高, 附属明細書, 純資産変動計算書) are checked by the reconstruction and the tests"),
                       tags=("opening",)))
    return out


def open_directives(model: Model) -> str:
    """The chart of accounts: every account the FY2022 books use, with its published label."""
    used = set(model.opening) | set(model.closing) | {p.account for t in model.books.txns for p in t.postings}
    used |= {p.account for p in appropriation(model).postings}
    used |= set(model.elimination_closing)
    for key in ("rev_burden", "rev_business", "exp_business"):
        used.add(I[key].leaf(ELIMINATION))
    for item in ITEMS:  # the lines of the published statements that FY2022 does not use still get an account of their holder
        if not any(a.startswith(item.account + ":") for a in used):
            used.add(item.leaf(_holder_of(item), item.details[0][1] if item.details else None))
    out = []
    last_section = None
    for account in sorted(used, key=_chart_order):
        item = next(i for i in ITEMS if account.startswith(i.account + ":"))
        section = item.account.rsplit(":", 1)[0]
        if section != last_section:
            out.append(f"\n; {section}  {SECTION_LABELS.get(section, '')}")
            last_section = section
        business = account.rsplit(":", 1)[1]
        date = "2020-04-01" if business == BUSINESSES[B8] else "2014-04-01"
        out.append(f"{date} open {account} JPY")
        out.append(f"  label: {quote(item.label)}")
        middle = account[len(item.account) + 1 : -len(business) - 1]
        if middle:
            out.append(f"  detail: {quote(dict(item.details)[middle])}")
    return "\n".join(out) + "\n"


def _holder_of(item: Item) -> int:
    return {"rev_res_juki": B2, "exp_res_juki": B2, "rev_res_security": B3, "exp_res_security": B3, "rev_res_next": B6,
            "exp_res_next": B6, "ops_reserve": B2}.get(item.key, B1)


def _chart_order(account: str) -> tuple:
    item = next(i for i in ITEMS if account.startswith(i.account + ":"))
    business = account.rsplit(":", 1)[1]
    rank = BUSINESSES.index(business) if business in BUSINESSES else 98 if business == POOL else 99
    return (ITEMS.index(item), account[len(item.account):-len(business)], rank)


def closing_assertions(model: Model) -> str:
    pub = model.pub
    lines = []
    opened = set(model.opening) | {p.account for t in model.books.txns for p in t.postings}
    accounts = set(model.closing) | set(model.elimination_closing) | {a for a in opened if not a.startswith(("Income", "Expenses"))}
    for account in sorted(accounts, key=_chart_order):
        if account.startswith(("Income", "Expenses")):
            continue
        item = next(i for i in ITEMS if account.startswith(i.account + ":"))
        business = account.rsplit(":", 1)[1]
        amount = model.elimination_closing.get(account, model.closing.get(account, 0))
        lines.append(f"{ASSERT_DATE} balance {account.ljust(80)} {yen(amount).rjust(18)} JPY")
        if business == POOL:
            lines.append(f"  source: {quote(f'配賦: the common pool ({item.label}) is zero once the allocations plugin has run')}")
        else:
            lines.append(f"  source: {quote(f'事業別財務情報(貸借対照表関係) {item.label} {business_name(pub, business)}')}")
        meta = model.closing_meta.get(account)
        if meta:
            for k, v in meta.items():
                lines.append(f"  {k}: {quote(v)}")
    return "\n".join(lines) + "\n"


BUDGET_TABLES = (("budget-bs", "決算報告書 貸借対照表"), ("budget-pl", "決算報告書 損益計算書"))


def budget_directives(pub: Published) -> str:
    """決算報告書 予算額 per line, as our own directive (Fava's `budget` spreads amounts per day)."""
    lines = []
    for table, source in BUDGET_TABLES:
        occurrences: dict[str, int] = defaultdict(int)
        for r in pub.tables[table]["rows"]:
            if r["kind"] != "line":
                continue
            nth = occurrences[r["label"]]
            occurrences[r["label"]] += 1
            items = [i for i in ITEMS if i.label == r["label"]]
            if not items:
                raise AssertionError(f"no account for budget line {r['label']}")
            item = items[nth] if len(items) > nth else items[0]
            if r["label"] == "リース資産":
                item = I["lease_t"] if nth == 0 else I["lease_i"]
            if r["label"] == "リース債務":
                item = I["lease_debt_cur"] if nth == 0 else I["lease_debt_lt"]
            lines.append(f'2022-04-01 custom "fiscal-budget" 2022 {item.account} {yen(r["values"][0])} JPY')
            lines.append(f"  source: {quote(source + ' ' + r['label'] + ' 予算額')}")
            lines.append('  stage: "補正後"')
    return "\n".join(lines) + "\n"


def render_files(model: Model) -> dict[Path, str]:
    pub = model.pub
    txns = sorted(model.books.txns, key=lambda t: t.date)  # stable: the order of the model within a date
    files = {
        ROOT / "accounts.beancount": "; 勘定科目 — the chart of accounts: one account per published line and business (事業).\n"
        + HEADER.split("\n", 1)[1].replace("FY2022", "")
        + open_directives(model),
        OUT / "opening.beancount": HEADER.format(what="期首残高 (opening balances by business, derived)") + "\n"
        + "\n".join(render_txn(t) for t in opening_txns(model)),
        OUT / "transactions.beancount": HEADER.format(what="the year's transactions") + "\n" + "\n".join(render_txn(t) for t in txns),
        OUT / "closing.beancount": HEADER.format(what="期末残高: balance assertions for every published figure of the 事業別貸借対照表")
        + "; 積立金 is asserted without the year's 当期純利益 (which Beancount keeps in Income/Expenses): see SOURCES.md.\n\n"
        + closing_assertions(model),
        OUT / "appropriation.beancount": HEADER.format(what="利益の処分 (after the year end)") + "\n" + render_txn(appropriation(model)),
        OUT / "budget.beancount": HEADER.format(what="予算額 of the 決算報告書 per line (custom \"fiscal-budget\" YEAR ACCOUNT AMOUNT)") + "\n"
        + budget_directives(pub),
    }
    return files


def check_allocations(model: Model, path: Path = ALLOCATIONS) -> list[str]:
    """The hand-written keys and rules must be the ones the reconstruction splits by: the same weights (the
    published closing balances by business, zero weights left out, column order) and the same items."""
    from beancount.parser import parser

    from jlis_ledger.declarations import read_allocations

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the committed files instead of writing them")
    parser.add_argument("--diagnose", action="store_true", help="print the checks against the publication and the notes")
    args = parser.parse_args(argv)
    model = Model(Published())
    model.build()
    if args.diagnose:
        for c in model.checks:
            print("ok", c)
        print(json.dumps(model.notes, ensure_ascii=False, default=str, indent=1))
        return 0
    problems = check_allocations(model)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    files = render_files(model)
    stale = [path for path, text in files.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT.parent)} is not what the published data and the rules give", file=sys.stderr)
        return 1 if stale else 0
    OUT.mkdir(exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files; {len(model.checks)} published consolidated openings agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
