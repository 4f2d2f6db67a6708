"""The businesses (事業) and the chart of accounts of the FY2022 books.

Rules:

* the eight businesses are numbered in the published column order of the 事業別財務情報
  (``B1`` 一般事業 … ``B8`` デジタル基盤改革支援基金事業); ``C-共通`` is the common pool, whose
  postings the allocations plugin splits to the businesses, and ``E-相殺等`` the elimination column;
* every published line is an :class:`Item`: its account without the business, its published label
  and, where the books keep a finer grain than the line, the details between the line and the
  business (取得価額 / 減価償却累計額, 預金 / 定期預金, the purposes of 長期前受金, the natures (主要な費目) of
  事業費 and 一般管理費);
* an account is ``ITEM[:DETAIL]:BUSINESS`` (DESIGN.md: the last component is the business);
* the chart order is the published line order, then the detail, then the business column (the
  pool after the businesses, 相殺等 last).
"""

from __future__ import annotations

from dataclasses import dataclass

from jlis_ledger.core.accounts import business_of
from jlis_ledger.core.accounts import label_of as component_label

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
B1, B2, B3, B4, B5, B6, B7, B8 = range(8)


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
            if detail in (label, component_label(component)):
                return f"{self.account}:{component}:{b}"
        raise KeyError(f"{self.key} has no detail {detail!r}")


COST_DETAILS = (("1-取得価額", "取得価額"), ("2-減価償却累計額", "減価償却累計額"))
CASH_DETAILS = (("1-預金", "預金"), ("2-定期預金", "定期預金"))
#: The natures (主要な費目) of 事業費 and 一般管理費, in the published order of the note (損益計算書関係), then the
#: residual nature (その他: what the published main items leave of the line).
BUSINESS_NATURES = (
    ("1-委託費", "委託費"),
    ("2-支払補助金", "支払補助金"),
    ("3-通信運搬費", "通信運搬費"),
    ("4-賃借料", "賃借料"),
    ("5-人件費", "人件費"),
    ("6-減価償却費", "減価償却費"),
    ("7-開発運用委託費", "開発運用委託費"),
    ("8-その他", "その他"),
)
ADMIN_NATURES = (
    ("1-人件費", "人件費"),
    ("2-賃借料", "賃借料"),
    ("3-役員報酬等", "役員報酬等"),
    ("4-委託費", "委託費"),
    ("5-退職給付費用", "退職給付費用"),
    ("6-事務補助職員給料等", "事務補助職員給料等"),
    ("7-減価償却費", "減価償却費"),
    ("8-その他", "その他"),
)
RESIDUAL_NATURE = "その他"
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
    Item("exp_business", "Expenses:1-営業費用:101-事業費", "事業費", BUSINESS_NATURES),
    Item("exp_admin", "Expenses:1-営業費用:102-一般管理費", "一般管理費", ADMIN_NATURES),
    Item("exp_interest", "Expenses:2-営業外費用:201-支払利息", "支払利息"),
    Item("exp_disposal", "Expenses:3-特別損失:301-固定資産除却損", "固定資産除却損"),
    Item("exp_res_juki", "Expenses:3-特別損失:302-住基ネット再構築平準化等積立金繰入額", "住基ネット再構築平準化等積立金繰入額"),
    Item("exp_res_security", "Expenses:3-特別損失:303-セキュリティ強化等積立金繰入額", "セキュリティ強化等積立金繰入額"),
    Item("exp_res_next", "Expenses:3-特別損失:304-次期システム更改積立金繰入額", "次期システム更改積立金繰入額"),
    Item("exp_tax", "Expenses:4-法人住民税", "法人住民税"),
]
ITEM = {item.key: item for item in ITEMS}

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


def item_for(account: str) -> Item:
    """The published line an account belongs to (below it: a detail, then the business)."""
    return next(i for i in ITEMS if account.startswith(i.account + ":"))


def chart_order(account: str) -> tuple:
    """Sort key: the published line order, then the detail, then the business column."""
    item = item_for(account)
    business = business_of(account)
    rank = BUSINESSES.index(business) if business in BUSINESSES else 98 if business == POOL else 99
    return (ITEMS.index(item), account[len(item.account):-len(business)], rank)
