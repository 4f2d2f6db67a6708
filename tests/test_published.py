"""The published figures as data: the recovered tables must satisfy the publication's own sums.

These checks are written independently of ledger/published/recover.py (which
asserts while it recovers): they read the committed JSON and verify every
identity the publication states — rows, columns, subtotals, A = L + NA per
business, the 相殺等 column, opening + movements = closing, 決算額 − 予算額 =
差額, and the 百万円 / 億円 summaries against the yen figures.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal

import pytest

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SEGMENTS = 8


def rows(published, table):
    return published["tables"][table]["rows"]


def get(published, table, label, nth=0):
    found = [r for r in rows(published, table) if r["label"] == label and r["values"] is not None]
    return found[nth]["values"]


def closes(heading: str, label: str) -> bool:
    base = heading[:-2] if heading.endswith("の部") else heading
    return label in (heading, heading + "合計", heading + "計", base + "合計")


def subtotal_groups(table_rows):
    """(subtotal row, member rows) for every subtotal that closes a heading."""
    for i, r in enumerate(table_rows):
        if r["kind"] != "subtotal":
            continue
        j = next((j for j in range(i - 1, -1, -1)
                  if table_rows[j]["kind"] == "heading" and table_rows[j]["level"] == r["level"]), None)
        if j is None or not closes(table_rows[j]["label"], r["label"]):
            continue
        members = [m for m in table_rows[j + 1 : i] if m["level"] == r["level"] + 1 and m["kind"] != "heading"]
        yield r, members


def test_recovery_is_reproducible():
    """The committed JSON is exactly what recover.py gives from the source text."""
    result = subprocess.run([sys.executable, str(REPO / "ledger/published/recover.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("table,expected", [("bs", 11), ("pl", 5), ("segment-bs", 11), ("segment-pl", 5),
                                            ("budget-bs", 11), ("budget-pl", 5), ("fixed-assets", 2)])
def test_subtotals_are_sums_of_their_lines(published, table, expected):
    checked = 0
    for subtotal, members in subtotal_groups(rows(published, table)):
        for c, value in enumerate(subtotal["values"]):
            assert sum(m["values"][c] for m in members) == value, (table, subtotal["label"], c)
        checked += 1
    assert checked == expected


@pytest.mark.parametrize("table", ["segment-bs", "segment-pl"])
def test_businesses_and_eliminations_add_up_to_the_total(published, table):
    for r in rows(published, table):
        if r["values"] is not None:
            assert sum(r["values"][: SEGMENTS + 1]) == r["values"][SEGMENTS + 1], r["label"]


@pytest.mark.parametrize("table,columns", [("bs", 1), ("segment-bs", SEGMENTS + 2), ("budget-bs", 2)])
def test_assets_equal_liabilities_plus_net_assets(published, table, columns):
    for c in range(columns):
        assets = get(published, table, "資産合計")[c]
        assert assets == get(published, table, "負債合計")[c] + get(published, table, "純資産合計")[c]
        assert assets == get(published, table, "負債純資産合計")[c]


@pytest.mark.parametrize("table,columns", [("pl", 1), ("segment-pl", SEGMENTS + 2), ("budget-pl", 3)])
def test_profit_rows(published, table, columns):
    g = lambda label, c: get(published, table, label)[c]  # noqa: E731
    for c in range(columns):
        assert g("営業収益合計", c) - g("営業費用合計", c) == g("営業利益", c)
        assert g("営業利益", c) + g("営業外収益合計", c) - g("営業外費用合計", c) == g("経常利益", c)
        assert g("経常利益", c) - g("特別損失合計", c) == g("税金等調整前当期純利益", c)
        assert g("税金等調整前当期純利益", c) - g("法人住民税", c) == g("当期純利益", c)


def test_segment_totals_are_the_statements(published):
    for seg, stmt in (("segment-bs", "bs"), ("segment-pl", "pl")):
        # 他事業勘定 nets to zero over the businesses: the consolidated statement has no such row
        seg_rows = [r for r in rows(published, seg) if r["values"] is not None and r["label"] != "他事業勘定"]
        stmt_rows = [r for r in rows(published, stmt) if r["values"] is not None]
        assert [r["label"] for r in seg_rows] == [r["label"] for r in stmt_rows]
        for a, b in zip(seg_rows, stmt_rows):
            assert a["values"][SEGMENTS + 1] == b["values"][0], a["label"]


def test_inter_business_account_nets_to_zero_and_eliminations_are_negative(published):
    assert sum(get(published, "segment-bs", "他事業勘定")[:SEGMENTS]) == 0
    for table in ("segment-bs", "segment-pl"):
        for r in rows(published, table):
            if r["values"] is not None and r["kind"] == "line":
                assert r["values"][SEGMENTS] <= 0, r["label"]
    # the eliminated receivable is the eliminated payable
    assert get(published, "segment-bs", "未収金")[SEGMENTS] == get(published, "segment-bs", "未払金")[SEGMENTS] == -3_075_096
    assert get(published, "segment-pl", "営業収益合計")[SEGMENTS] == get(published, "segment-pl", "事業費")[SEGMENTS]


def test_fund_business_has_no_net_assets_and_no_profit(published):
    fund = SEGMENTS - 1
    assert get(published, "segment-bs", "純資産合計")[fund] == 0
    assert get(published, "segment-pl", "当期純利益")[fund] == 0


def test_cash_flow_statement(published):
    g = lambda label: get(published, "cf", label)[0]  # noqa: E731
    activities = [r["values"][0] for r in rows(published, "cf") if r["label"].endswith("活動によるキャッシュ・フロー") and r["values"]]
    assert sum(activities) + g("現金及び現金同等物に係る換算差額") == g("現金及び現金同等物の増減額")
    assert g("現金及び現金同等物期首残高") + g("現金及び現金同等物の増減額") == g("現金及び現金同等物期末残高")
    assert g("現金及び現金同等物期末残高") == get(published, "bs", "現金及び預金")[0]
    assert g("営業活動によるキャッシュ・フロー") == 18_575_803_316
    assert g("投資活動によるキャッシュ・フロー") == -13_836_314_690


def test_equity_statement(published):
    table = rows(published, "equity")
    group = None
    opening = change = 0
    movements = []
    groups = 0
    for r in table:
        if r["kind"] == "heading" and r["label"] not in ("当期変動額", "出資者資本", "利益剰余金"):
            group, movements = r["label"], []
        elif r["label"] == "当期首残高":
            opening = r["values"][0]
        elif r["kind"] == "line" and r["label"] not in ("当期末残高", "当期変動額"):
            movements.append(r["values"][0])
        elif r["label"] == "当期変動額合計":
            change = r["values"][0]
            assert sum(movements) == change, group
        elif r["label"] == "当期末残高":
            assert opening + change == r["values"][0], group
            groups += 1
    assert groups == 6
    assert get(published, "equity", "当期末残高", 5)[0] == get(published, "bs", "純資産合計")[0]


def test_appropriation_distributes_the_net_income(published):
    net_income = get(published, "pl", "当期純利益")[0]
    assert get(published, "appropriation", "処分対象利益")[0] == net_income
    parts = [r["values"][0] for r in rows(published, "appropriation") if r["level"] == 1 and r["label"] != "当期純利益"]
    assert sum(parts) == net_income


def test_schedules(published):
    for r in rows(published, "fixed-assets"):
        if r["kind"] == "line":
            opening, inc, dec, closing, acc, dep, net = r["values"]
            assert opening + inc + dec == closing
            assert net == closing + (dep if r["label"] == "ソフトウェア" else acc)
    for r in rows(published, "provisions"):
        assert sum(r["values"][:4]) == r["values"][4]
        if r["kind"] == "line":
            assert r["values"][4] == get(published, "bs", r["label"])[0]
    for r in rows(published, "aro"):
        assert sum(r["values"][:3]) == r["values"][3]
    for r in rows(published, "reserves"):
        assert sum(r["values"][:3]) == r["values"][3]
        assert r["values"][3] == get(published, "bs", r["label"])[0]
    cur, lt, total = (r["values"] for r in rows(published, "lease-debt"))
    assert [a + b for a, b in zip(cur, lt)] == total
    assert cur[1] == get(published, "bs", "リース債務", 0)[0] and lt[1] == get(published, "bs", "リース債務", 1)[0]
    contents = rows(published, "deferred-revenue")
    assert sum(r["values"][0] for r in contents[:-1]) == contents[-1]["values"][0] == get(published, "bs", "長期前受金")[0]


@pytest.mark.parametrize("table,statement", [("budget-bs", "bs"), ("budget-pl", "pl")])
def test_budget_difference_is_actual_minus_budget(published, table, statement):
    for r in rows(published, table):
        if r["values"] is None:
            continue
        budget, actual, diff = r["values"]
        assert actual - budget == diff, r["label"]
    actual = {r["label"]: r["values"][0] for r in rows(published, statement) if r["values"] is not None and r["label"] not in ("リース資産", "リース債務")}
    for r in rows(published, table):
        if r["values"] is not None and r["label"] in actual:
            assert r["values"][1] == actual[r["label"]], r["label"]


def million(yen: int) -> int:
    return int((Decimal(yen) / Decimal(1_000_000)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_million_yen_summaries_agree_with_the_yen_figures(published):
    """参考資料1-2: every 決算 figure is the yen figure rounded half up to 百万円."""
    seg_bs = {"資産": "資産合計", "流動資産": "流動資産合計", "固定資産": "固定資産合計", "負債": "負債合計",
              "流動負債": "流動負債合計", "固定負債": "固定負債合計", "純資産": "純資産合計"}
    seg_pl = {"営業収益": "営業収益合計", "営業費用": "営業費用合計", "営業利益": "営業利益", "営業外収益": "営業外収益合計",
              "営業外費用": "営業外費用合計", "経常利益": "経常利益", "特別損失": "特別損失合計", "当期純利益": "当期純利益"}
    checked = 0
    for b in range(SEGMENTS):
        for kind, mapping, table in (("bs", seg_bs, "segment-bs"), ("pl", seg_pl, "segment-pl")):
            for r in rows(published, f"summary-{b + 1}-{kind}"):
                if r["label"] in mapping:
                    assert r["values"][1] == million(get(published, table, mapping[r["label"]])[b]), (b, r["label"])
                    checked += 1
    for kind, mapping, table in (("bs", seg_bs, "bs"), ("pl", seg_pl, "pl")):
        for r in rows(published, f"summary-{kind}"):
            if r["label"] in mapping:
                assert r["values"][1] == million(get(published, table, mapping[r["label"]])[0])
                assert r["values"][0] == million(get(published, f"budget-{kind}", mapping[r["label"]])[0])
                checked += 2
    assert checked > 120


def test_trend_of_fy2022_is_the_segment_costs(published):
    """参考資料1-1 (億円): R4 = 営業費用 + 営業外費用 of each business, rounded half up to 0.1 億円."""
    trend = rows(published, "trend")
    for b, r in enumerate(trend[:-1]):
        yen = get(published, "segment-pl", "営業費用合計")[b] + get(published, "segment-pl", "営業外費用合計")[b]
        oku = (Decimal(yen) / Decimal(100_000_000)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        assert r["values"][-1] == str(oku), r["label"]


def test_recovered_figures_that_the_text_lost(published):
    """Spot checks of recoveries documented in ledger/SOURCES.md, against figures read off the PDF's layout."""
    assert get(published, "segment-bs", "他事業勘定")[:SEGMENTS] == [
        -179_251_473, -57_961_018, 109_815_442, 39_294_712, -20_721_593, 36_149_911, 13_796_398, 58_877_621]
    assert get(published, "segment-bs", "長期前受金")[6:8] == [0, 193_020_115_348]
    assert get(published, "segment-bs", "純資産合計")[2] == 2_027_871_956
    assert get(published, "segment-pl", "営業利益")[3] == -116_407_748
    assert get(published, "segment-pl", "当期純利益")[6] == -11_401_881
    assert get(published, "segment-pl", "地方公共団体負担金収入")[5] == 1_342_102_573
    assert get(published, "cf", "有形固定資産取得による支出")[0] == -13_836_048_490
    assert get(published, "budget-pl", "当期純利益")[0] == -325_725_000


# --------------------------------------------------------------------------
# The notes and the rest of the 附属明細書 (issue 16).  Literal figures are read off the
# publication (ledger/published/jlis-r4-kessan-zaimu.txt); the identities are the ones the
# publication states, checked here on the JSON without recover.py's helpers.
# --------------------------------------------------------------------------


def column(published, table, label, name, nth=0):
    """The cell of row ``label`` in the column named ``name``."""
    columns = published["tables"][table]["columns"]
    return get(published, table, label, nth)[columns.index(name)]


def bs(published, label, nth=0):
    return get(published, "bs", label, nth)[0]


def test_securities_schedule_is_the_balance_sheet_and_the_redemption_note(published):
    """有価証券明細書: one bond per section, 券面総額 and 計上額 both 100,000,000; the text prints
    one figure per bond row, the other column comes from the BS and the 償還予定額 note."""
    table = rows(published, "securities")
    assert [(r["label"], r["kind"], r["level"]) for r in table] == [
        ("有価証券", "heading", 0), ("満期保有目的の債券", "heading", 1), ("5年第24回地方公共団体金融機構債券", "line", 2),
        ("小計", "subtotal", 1), ("投資有価証券", "heading", 0), ("満期保有目的の債券", "heading", 1),
        ("5年第28回地方公共団体金融機構債券", "line", 2), ("小計", "subtotal", 1), ("合計", "subtotal", 0)]
    current, non_current = table[2]["values"], table[6]["values"]
    assert current[1] == bs(published, "有価証券") and non_current[1] == bs(published, "投資有価証券")
    redeemed = get(published, "redemption-schedule", "有価証券及び投資有価証券満期保有目的のもの")
    assert current[0] == redeemed[0] and non_current[0] == sum(redeemed[1:])
    assert table[3]["values"] == current and table[7]["values"] == non_current
    assert table[8]["values"] == [a + b for a, b in zip(current, non_current)] == [200_000_000, 200_000_000]


def test_securities_note_and_fair_values(published):
    """(有価証券関係), 金融商品の時価等 and its レベル別 table: 差額 = 時価 − 計上額, the 計 rows add up,
    each instrument's book value is the balance sheet's and all of its fair value is レベル2."""
    assert get(published, "securities-note", "地方債") == [200_000_000, 199_840_000, -160_000]
    assert get(published, "securities-note", "小計") == get(published, "securities-note", "合計") == [200_000_000, 199_840_000, -160_000]
    fair = rows(published, "financial-instruments")
    for r in fair:
        book, value, diff = r["values"]
        assert value - book == diff < 0, r["label"]
    assert [r["label"] for r in fair] == ["有価証券及び投資有価証券満期保有目的のもの", "保証金", "資産計", "リース債務", "負債計"]
    assert [sum(c) for c in zip(fair[0]["values"], fair[1]["values"])] == fair[2]["values"]
    assert fair[3]["values"] == fair[4]["values"] == [2_902_149_471, 2_836_246_470, -65_903_001]
    assert fair[0]["values"][0] == bs(published, "有価証券") + bs(published, "投資有価証券")
    assert fair[0]["values"][:2] == get(published, "securities-note", "合計")[:2]
    assert fair[1]["values"][0] == bs(published, "保証金") == 1_001_071_069
    assert fair[3]["values"][0] == bs(published, "リース債務", 0) + bs(published, "リース債務", 1)
    assert fair[2]["values"][2] == -350_560_904
    levels = rows(published, "financial-instruments-levels")
    assert published["tables"]["financial-instruments-levels"]["columns"] == ["レベル1", "レベル2", "レベル3"]
    for level, f in zip(levels, fair):
        assert level["label"] == f["label"]
        assert level["values"] == [0, f["values"][1], 0]


def test_redemption_and_repayment_schedules(published):
    redemption = rows(published, "redemption-schedule")
    assert [sum(c) for c in zip(*(r["values"] for r in redemption[:-1]))] == redemption[-1]["values"] == [311_613_244_991, 0, 100_000_000]
    assert get(published, "redemption-schedule", "現金及び預金") == [bs(published, "現金及び預金"), 0, 0]
    assert get(published, "redemption-schedule", "未収金") == [bs(published, "未収金"), 0, 0]
    due = get(published, "lease-repayment", "リース債務")
    assert due == [985_094_624, 821_985_849, 496_548_473, 402_320_920, 196_199_605]
    assert due[0] == bs(published, "リース債務", 0) and sum(due[1:]) == bs(published, "リース債務", 1)


def test_borrowings_is_the_lease_debt_schedule_with_rates_and_due_dates(published):
    table = rows(published, "borrowings")
    assert published["tables"]["borrowings"]["columns"] == ["当期首残高", "当期末残高", "平均利率（%）", "返済期限"]
    assert [r["values"] for r in table] == [
        [903_085_335, 985_094_624, "2.278", "-"],
        [2_191_787_754, 1_917_054_847, "2.429", "令和5年~令和9年"],
        [3_094_873_089, 2_902_149_471, "-", "-"]]
    assert [r["values"][:2] for r in table] == [r["values"] for r in rows(published, "lease-debt")]
    assert [r["label"] for r in table] == [r["label"] for r in rows(published, "lease-debt")]


def test_reserve_contents_and_fixed_asset_notes(published):
    contents = rows(published, "reserves-content")
    for r in contents[:-1]:
        assert r["values"][0] == bs(published, r["label"]) == get(published, "reserves", r["label"])[3]
    assert sum(r["values"][0] for r in contents[:-1]) == contents[-1]["values"][0] == 12_384_327_634
    assert get(published, "fixed-assets-notes", "備品") == ["情報システム機器", 21_040_167_344]
    assert get(published, "fixed-assets-notes", "備品")[1] == column(published, "fixed-assets", "備品", "当期増加額")
    assert get(published, "fixed-assets-notes", "建設仮勘定") == ["情報システム機器", -21_104_878_899]
    assert get(published, "fixed-assets-notes", "建設仮勘定")[1] == column(published, "fixed-assets", "建設仮勘定", "当期減少額")


def vertical_values(published, table):
    return [r["values"][0] for r in rows(published, table)]


def test_retirement_benefits_aro_and_deposit_notes_reconcile(published):
    """Each note's 期首 + movements = 期末, and it restates the 引当金明細書 / 資産除去債務明細書 / BS."""
    opening, cost, paid, closing = vertical_values(published, "retirement-benefits")
    assert (opening, cost, paid, closing) == (765_493_793, 80_238_514, -22_719_171, 823_013_136)
    assert opening + cost + paid == closing == bs(published, "退職給付引当金")
    o, inc, use, other, c = get(published, "provisions", "退職給付引当金")
    assert (o, inc, use + other, c) == (opening, cost, paid, closing)
    aro = vertical_values(published, "aro-changes")
    assert aro == [677_145_379, 0, 9_442_556, 0, 686_587_935]
    assert sum(aro[:-1]) == aro[-1] == bs(published, "資産除去債務")
    assert get(published, "aro", "合計") == [aro[0], aro[1] + aro[2], aro[3], aro[4]]
    deposits = vertical_values(published, "deposit-allowance")
    assert deposits == [52_030_000, 0, 52_030_000] and deposits[0] + deposits[1] == deposits[2]


def test_disposal_loss_cash_scope_non_cash_and_accumulated_depreciation(published):
    assert vertical_values(published, "disposal-loss") == [3_564_164, 3_564_164]
    assert get(published, "disposal-loss", "計")[0] == get(published, "pl", "固定資産除却損")[0]
    assert get(published, "segment-pl", "固定資産除却損")[1] == 3_564_164  # 本人確認情報処理事業's
    cash = vertical_values(published, "cash-scope")
    assert cash[0] + cash[1] == cash[2] == bs(published, "現金及び預金") == get(published, "cf", "現金及び現金同等物期末残高")[0]
    new_leases = get(published, "non-cash", "ファイナンス・リース取引に係る資産及び負債の額")[0]
    assert new_leases == 1_186_474_893
    assert new_leases == column(published, "fixed-assets", "リース資産", "当期増加額") + column(published, "fixed-assets", "リース資産", "当期増加額", 1)
    accumulated = get(published, "accumulated-depreciation", "有形固定資産の減価償却累計額")[0]
    assert accumulated == -2_936_531_493
    tangible = ("建物", "備品", "リース資産", "建設仮勘定")
    assert accumulated == sum(column(published, "fixed-assets", a, "当期末減価償却累計額又は償却累計額") for a in tangible)


def test_main_expense_items(published):
    """主要な費目: main items only, each part of its expense; the two 減価償却費 cover the schedule's
    depreciation and the 資産除去債務's accretion.  The 一般管理費 items add up to more than the
    一般管理費 of the 損益計算書 (a disagreement of the publication, recorded in the JSON)."""
    table = rows(published, "expenses-by-nature")
    split = [r["label"] for r in table].index("一般管理費")
    business, admin = table[1:split], table[split + 1 :]
    assert {r["label"]: r["values"][0] for r in business}["委託費"] == 65_667_874_754
    assert {r["label"]: r["values"][0] for r in admin}["減価償却費"] == 4_578_798
    for items, expense in ((business, "事業費"), (admin, "一般管理費")):
        assert all(0 < r["values"][0] <= get(published, "pl", expense)[0] for r in items)
    assert sum(r["values"][0] for r in business) == 102_453_217_173 < get(published, "pl", "事業費")[0]
    assert sum(r["values"][0] for r in admin) == 1_032_460_449 > get(published, "pl", "一般管理費")[0] == 973_110_370
    assert {"table": "expenses-by-nature", "identity": "Σ 一般管理費の主要な費目 <= 一般管理費 (損益計算書)",
            "left": 1_032_460_449, "right": 973_110_370, "kept": "both as printed"} in published["recovery"]["publication disagreements"]
    depreciation = sum(r["values"][0] for r in table if r["label"] == "減価償却費")
    scheduled = -(column(published, "fixed-assets", "有形固定資産計", "当期償却額") + column(published, "fixed-assets", "無形固定資産計", "当期償却額"))
    assert depreciation - scheduled - get(published, "aro-changes", "時の経過による調整額")[0] == 1_186_964


def test_budget_notes_are_cited_and_agree_with_the_signs_of_the_differences(published):
    """決算報告書 備考: (注1)–(注10) and (注1)–(注6), every note cited by the rows that print it in
    their 備考; a note that ends in 増 stands beside a positive 差額, 減 / 皆減 beside a negative one."""
    table = rows(published, "budget-notes")
    split = [r["label"] for r in table].index("損益計算書")
    assert [r["label"] for r in table[1:split]] == [f"(注{n})" for n in range(1, 11)]
    assert [r["label"] for r in table[split + 1 :]] == [f"(注{n})" for n in range(1, 7)]
    notes = {("budget-bs", r["label"]): r for r in table[1:split]} | {("budget-pl", r["label"]): r for r in table[split + 1 :]}
    assert notes[("budget-bs", "(注10)")]["values"] == ["将来の符号生成運用経費のための「システム運用積立金」の増"]
    assert notes[("budget-pl", "(注4)")]["values"] == ["住基ネット再構築等に係るスケジュールの見直しに伴う取崩額の皆減"]
    expected_direction = {  # read off the publication: row -> the direction its single note states
        ("budget-bs", "現金及び預金"): 1, ("budget-bs", "未収金"): -1, ("budget-bs", "建設仮勘定"): -1,
        ("budget-bs", "リース資産"): -1, ("budget-bs", "リース債務"): -1, ("budget-bs", "未払金"): 1,
        ("budget-bs", "住基ネット再構築平準化等積立金"): 1, ("budget-bs", "積立金"): 1,
        ("budget-pl", "符号生成住民票コード提供手数料"): 1, ("budget-pl", "当期純利益"): 1, ("budget-pl", "補助金等収入"): -1,
        ("budget-pl", "長期前受金取崩収入"): -1, ("budget-pl", "住基ネット再構築平準化等積立金取崩収入"): -1,
    }
    cited = 0
    for statement in ("budget-bs", "budget-pl"):
        for r in rows(published, statement):
            for n in (r.get("note") or "").strip("(注)").split(","):
                if n:
                    assert r["label"] in notes[(statement, f"(注{n})")]["cited_by"]
                    cited += 1
            if r.get("note") and "," not in r["note"]:
                assert (r["values"][2] > 0) == (expected_direction[(statement, r["label"])] > 0), r["label"]
    assert cited == sum(len(r["cited_by"]) for r in notes.values()) == 21
    assert get(published, "budget-pl", "住基ネット再構築平準化等積立金取崩収入")[1] == 0  # 皆減


def reasons(published):
    """{summary table id: [(row, reason, amount)]} from the summary-reasons table."""
    out: dict[str, list] = {}
    table_id = row_label = None
    for r in rows(published, "summary-reasons"):
        if r["level"] == 0:
            table_id = r["table"]
            out[table_id] = []
        elif r["level"] == 1:
            row_label = r["label"]
        else:
            out[table_id].append((row_label, r["label"], r["values"][0]))
    return out


def test_summary_reasons_of_the_organisation_are_those_of_the_businesses(published):
    """参考資料1-2 左の主な理由 (百万円, 決算 − 予算 explained: an increase positive).  Read off the
    publication: each reason of the organisation's summary is the same reason of the 公的個人認証
    サービス and 個人番号カード発行等 businesses together, or the fund's alone."""
    by_table = reasons(published)
    assert sum(len(v) for v in by_table.values()) == 53
    assert set(by_table) == {"summary-bs", "summary-pl"} | {f"summary-{b}-{k}" for b in range(1, 9) for k in ("bs", "pl")} - {"summary-7-pl"}
    amounts = {t: [(row, a) for row, _, a in v] for t, v in by_table.items()}
    assert amounts["summary-bs"] == [("資産", 75_308), ("資産", -14_380), ("資産", 6_134),
                                     ("負債", 60_313), ("負債", 14_936), ("負債", -14_640), ("負債", 5_123)]
    assert amounts["summary-pl"] == [("営業収益", -56_044), ("営業収益", -8_611), ("営業費用", -56_044), ("営業費用", -8_179)]
    assert amounts["summary-3-bs"] == [("資産", 5_575), ("資産", 3_249), ("資産", -10_303), ("負債", 6_697), ("負債", 2_919), ("負債", -10_559)]
    assert amounts["summary-4-bs"] == [("資産", -8_063), ("資産", 2_886), ("資産", -4_077), ("負債", -6_314), ("負債", 2_204), ("負債", -4_081)]
    assert amounts["summary-3-pl"] == [("営業収益", -4_677), ("営業費用", -4_730)]
    assert amounts["summary-4-pl"] == [("営業収益", -3_934), ("営業費用", -3_449)]
    assert amounts["summary-8-bs"] == [("資産", 75_308), ("負債", 60_313), ("負債", 14_936)]
    assert amounts["summary-8-pl"] == [("営業収益", -56_044), ("営業費用", -56_044)]
    card = {k: dict(enumerate(amounts[f"summary-{b}-{k[-2:]}"])) for b in (3, 4) for k in (f"{b}-bs", f"{b}-pl")}
    pairs = [(75_308, [amounts["summary-8-bs"][0][1]]), (-14_380, [card["3-bs"][2][1], card["4-bs"][2][1]]),
             (-14_640, [card["3-bs"][5][1], card["4-bs"][5][1]]), (5_123, [card["3-bs"][4][1], card["4-bs"][4][1]]),
             (-8_611, [card["3-pl"][0][1], card["4-pl"][0][1]]), (-8_179, [card["3-pl"][1][1], card["4-pl"][1][1]])]
    for total, parts in pairs:
        assert sum(parts) == total
    # rounded separately: 3,249 + 2,886 = 6,135 against the organisation's 6,134
    assert card["3-bs"][1][1] + card["4-bs"][1][1] - 6_134 == 1
    assert published["recovery"]["summary reasons by business"]["公的個人認証サービスシステム及びカード管理システムの導入機器に係る資産の増"
                                                                "(後年度発生費用分について資産に振替)、令和3年度取得の導入機器を備品に計上替えしたことによる備品の増及び建設仮勘定の減"]["rounding"] == 1


def test_summary_reasons_agree_with_the_yen_tables(published):
    def reason(table_id, words):
        (found,) = [a for _, text, a in reasons(published)[table_id] if words in text]
        return found

    assert reason("summary-1-bs", "「他事業勘定」の減") == million(get(published, "segment-bs", "他事業勘定")[0]) == -179
    assert reason("summary-2-bs", "「住基ネット再構築平準化等積立金」の増") == million(get(published, "budget-bs", "住基ネット再構築平準化等積立金")[2])
    assert reason("summary-2-pl", "手数料収入の増") == million(get(published, "budget-pl", "符号生成住民票コード提供手数料")[2]) == 2_120
    assert reason("summary-pl", "導入機器に係る収入の減") == million(get(published, "budget-pl", "補助金等収入")[2])
    assert reason("summary-8-bs", "「未払金」の増") == million(get(published, "segment-bs", "未払金")[7])
    assert reason("summary-8-bs", "「長期前受金」の増") == get(published, "summary-8-bs", "固定負債")[2]
    # the one that does not: 本人確認情報処理事業 explains its revenue by 1,888 百万円 less 積立金取崩収入,
    # but the 決算報告書 budgets that line (the reserve is this business's alone) at 1,403,438,000 円, 決算 0
    assert reason("summary-2-pl", "積立金取崩収入」の減") == -1_888
    assert get(published, "budget-pl", "住基ネット再構築平準化等積立金取崩収入") == [1_403_438_000, 0, -1_403_438_000]
    assert {"table": "summary-reasons", "left": -1_888, "right": -1_403}.items() <= next(
        d for d in published["recovery"]["publication disagreements"] if d["table"] == "summary-reasons").items()


def test_fund_programmes_and_grants(published):
    """事業報告書 第3章十二: the fund's programmes are what its 長期前受金 is for."""
    table = rows(published, "fund-grants")
    programmes = [r for r in table if r["level"] == 0]
    assert [r["values"][:3] for r in programmes] == [["1825", "10/10", "令和7年度まで"], ["250", "1/2", "令和4年度まで"],
                                                     ["29", "1/2", "令和4年度まで"]]
    assert [r["values"][3:] for r in table if r["level"] == 1] == [["573", 7_738], ["40", 613], ["1,181", 7_437], ["43", 2_477]]
    purposes = ["自治体情報システムの標準化・共通化支援", "地方の行政手続オンライン化", "次期自治体情報セキュリティクラウド移行支援"]
    left = [get(published, "deferred-revenue", p)[0] for p in purposes]
    assert sum(left) == get(published, "segment-bs", "長期前受金")[SEGMENTS - 1] == 193_020_115_348
    for programme, remaining in zip(programmes, left):
        assert remaining <= int(programme["values"][0]) * 100_000_000


def test_reserve_plans_agree_with_the_balances(published):
    """(負債性積立金関係) history and plans in 億円: the record to 令和3年度 is the opening balance and
    the 令和4年度 積立 the year's increase, each within the rounding of the figures shown."""
    plans: dict[str, dict] = {}
    name = None
    for r in rows(published, "reserve-plans"):
        if r["kind"] == "heading":
            name = r["label"]
            plans[name] = {}
        else:
            plans[name][r["label"]] = r["values"]
    assert plans == {
        "住基ネット再構築平準化等積立金": {"平成28年度から令和3年度まで": ["110.1", "-22.1"], "令和4年度": ["20.1", None],
                                 "令和5年度から令和9年度まで": ["12.5", "-120.6"]},
        "セキュリティ強化等積立金": {"平成30年度から令和3年度まで": ["12", None], "令和7年度及び令和8年度": [None, "-12"]},
        "次期システム更改積立金": {"令和元年度及び令和2年度": ["3.8", None], "令和5年度": [None, "-0.6"], "令和6年度及び令和7年度": [None, "-3.2"]},
    }
    oku = 100_000_000
    opening, increase, _, _ = get(published, "reserves", "住基ネット再構築平準化等積立金")
    assert abs((Decimal("110.1") - Decimal("22.1")) * oku - opening) <= oku // 10
    assert abs(Decimal("20.1") * oku - increase) <= oku // 20
    assert get(published, "reserves", "セキュリティ強化等積立金")[0] == 12 * oku
    assert get(published, "reserves", "次期システム更改積立金")[0] == Decimal("3.8") * oku


def test_summary_differences_within_rounding_except_two_recorded(published):
    """差引 is the yen difference rounded, 予算 and 決算 rounded on their own: |決算 − 予算 − 差引| <= 1.
    Only 公的個人認証サービス事業's 経常利益 and 当期純利益 (予算 △1, 決算 75, 差引 78) break it."""
    off = []
    for table_id, table in published["tables"].items():
        if table_id.endswith(("-bs", "-pl")) and table_id.startswith("summary-"):
            for r in table["rows"]:
                budget, actual, diff = r["values"]
                if abs(actual - budget - diff) > 1:
                    off.append((table_id, r["label"], r["values"]))
    assert off == [("summary-3-pl", "経常利益", [-1, 75, 78]), ("summary-3-pl", "当期純利益", [-1, 75, 78])]
    recorded = [(d["table"], d["left"], d["right"]) for d in published["recovery"]["publication disagreements"]]
    assert recorded.count(("summary-3-pl", 76, 78)) == 2
