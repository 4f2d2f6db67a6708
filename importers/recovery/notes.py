"""The notes (注記) and the rest of the 附属明細書, one table each."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .schedules import contents_table, note_figures
from .text import Text, amount, check, clean_label, matched, row, table, value

AS_OF = "2023-03-31"
PERIOD = ["2022-04-01", "2023-03-31"]


def vertical(title: str, figures: list[tuple[str, int]], negative=(), subtotal=(), **extra) -> dict:
    """A one-column reconciliation (期首残高, movements, 期末残高): a decrease is negative."""
    rows = [row(label, "subtotal" if label in subtotal else "line", 0, [-v if label in negative else v])
            for label, v in figures]
    return table(title, ["金額"], rows, **extra)


def column_sums_hold(t: dict, members: list[dict], total: dict) -> None:
    for c, name in enumerate(t["columns"]):
        got = sum(m["values"][c] for m in members)
        check(got == total["values"][c], f"{t['title']}: {total['label']}[{name}] {total['values'][c]} != {got}")


def header_cells(line: str) -> list[str]:
    return [c.replace(" ", "") for c in line.split("\t")[1:] if c.strip()]


def recover_redemption_schedule(text: Text, bs: dict) -> dict:
    """4 金銭債権の決算日後の償還予定額: a blank cell is no amount (0), as the 合計 row shows."""
    i = text.find("4 金銭債権の決算日後の償還予定額")
    head = text.find("\t1年以内", i)
    columns = header_cells(text.lines[head])
    rows = []
    for cells in text.rows(head + 1, "合計"):
        label = clean_label(cells[0])
        values = [amount(c) for c in (cells[1:] + [""] * len(columns))[: len(columns)]]
        rows.append(row(label, "subtotal" if label == "合計" else "line", 0, values))
    t = table("金銭債権の決算日後の償還予定額", columns, rows, as_of=AS_OF)
    column_sums_hold(t, rows[:-1], rows[-1])
    # a blank cell cannot hide a lost figure: the 合計 of every column equals its printed cells
    cash, receivable, securities = (r["values"] for r in rows[:3])
    check(sum(cash) == cash[0] == value(bs, "現金及び預金"), "redemption: 現金及び預金 != BS")
    check(sum(receivable) == receivable[0] == value(bs, "未収金"), "redemption: 未収金 != BS")
    # a security due within a year is 有価証券 (current); the later ones are 投資有価証券
    check(securities[0] == value(bs, "有価証券"), "redemption: securities within a year != BS 有価証券")
    check(sum(securities[1:]) == value(bs, "投資有価証券"), "redemption: later securities != BS 投資有価証券")
    return t


def recover_securities(text: Text, bs: dict, redemption: dict) -> dict:
    """【有価証券明細書】【債券】: 券面総額 and 貸借対照表計上額 per bond, 小計 per section, 合計.

    The text prints one figure on each bond and 小計 row where the form has two
    columns (only the 合計 row has both).  Both columns are recovered: the
    計上額 of the one bond of each section is the BS line of that section, and
    its 券面総額 is what the 償還予定額 note redeems (有価証券: within a year;
    投資有価証券: later); the printed figure must equal both."""
    i = text.find("【有価証券明細書】")
    i = text.find("【債券】", i)
    bs_line = {"有価証券": value(bs, "有価証券"), "投資有価証券": value(bs, "投資有価証券")}
    securities_row = next(r for r in redemption["rows"] if r["label"].startswith("有価証券及び投資有価証券"))["values"]
    face_value = {"有価証券": securities_row[0], "投資有価証券": sum(securities_row[1:])}
    rows, sections, total = [], [], None
    for cells in text.rows(i + 1, "合計"):
        cells = [c.strip() for c in cells]
        label = clean_label(cells[0])
        if label == "銘柄":
            continue
        if label in bs_line:
            section, kind, name, printed = label, clean_label(cells[1]), clean_label(cells[2]), amount(cells[3])
            values = [face_value[section], bs_line[section]]
            check(printed in values and values[0] == values[1],
                  f"securities: {name} prints {printed}, the BS and the redemption note give {values}")
            rows += [row(section, "heading", 0, None), row(kind, "heading", 1, None), row(name, "line", 2, values)]
            sections.append(values)
        elif clean_label(cells[2]) == "小計":
            check(amount(cells[3]) == sections[-1][1], "securities: 小計")
            rows.append(row("小計", "subtotal", 1, list(sections[-1])))
        elif label == "合計":
            total = [amount(c) for c in cells[1:] if c]
    check(total == [sum(v[0] for v in sections), sum(v[1] for v in sections)], "securities: 合計 != the 小計")
    rows.append(row("合計", "subtotal", 0, total))
    return table("有価証券明細書（債券）", ["券面総額", "貸借対照表計上額"], rows, as_of=AS_OF)


def recover_securities_note(text: Text, bs: dict) -> dict:
    """(有価証券関係) 満期保有目的の債券で時価のあるもの: 差額 = 時価 − 貸借対照表計上額.

    The sign lost by 差額 is the one its own heading states: the bonds stand
    under 貸借対照表計上額が時価を超えるもの, so 時価 is below book and 差額 < 0."""
    i = text.find("(有価証券関係)")
    head = text.find("\t種類\t", i)
    columns = header_cells(text.lines[head])[1:]  # 種類 is the label
    rows = []
    for cells in text.rows(head + 1, "合計"):
        first, kind = clean_label(cells[0]), clean_label(cells[1])
        book, fair, diff = (amount(c) for c in cells[2:5])
        check(abs(fair - book) == diff, f"securities note: {first or kind} 差額")
        values = [book, fair, fair - book]
        if first and first != "合計":
            check(first == "貸借対照表計上額が時価を超えるもの" and book > fair, "securities note: heading and figures disagree")
            rows += [row(first, "heading", 0, None), row(kind, "line", 1, values)]
        elif kind == "小計":
            rows.append(row("小計", "subtotal", 1, values))
            column_sums_hold({"title": "securities note", "columns": columns},
                             [r for r in rows if r["kind"] == "line"], rows[-1])
        else:
            rows.append(row("合計", "subtotal", 0, values))
    check(rows[-1]["values"][0] == value(bs, "有価証券") + value(bs, "投資有価証券"), "securities note: 計上額 != BS")
    column_sums_hold({"title": "securities note", "columns": columns}, [r for r in rows if r["label"] == "小計"], rows[-1])
    footnote = text.lines[text.find("(注3)", head)].strip()
    return table("満期保有目的の債券で時価のあるもの", columns, rows, as_of=AS_OF, notes=[footnote])


def _fair_value_label(cell: str) -> str:
    label = re.sub(r"^\(\d\)\s*", "", cell.strip())  # '(1) 保証金' -> '保証金'
    label = re.sub(r"\(\s*1\s*\)$", "", label)  # the footnote mark: 'リース債務( 1 )'
    return clean_label(label)


def recover_financial_instruments(text: Text, bs: dict, lease_debt: dict, securities_note: dict) -> dict:
    """2 金融商品の時価等に関する事項: 差額 = 時価 − 貸借対照表計上額 (every 時価 is below book)."""
    i = text.find("2 金融商品の時価等に関する事項")
    head = text.find("貸借対照表 計上額", i)
    rows = []
    for cells in text.rows(head + 1, "負債計"):
        label = _fair_value_label(cells[0])
        book, fair, diff = (amount(c) for c in cells[1:4])
        check(abs(fair - book) == diff, f"fair value: {label} 差額")
        rows.append(row(label, "subtotal" if label.endswith("計") else "line", 0, [book, fair, fair - book]))
    t = table("金融商品の時価等", ["貸借対照表計上額", "時価", "差額"], rows, as_of=AS_OF)
    column_sums_hold(t, rows[0:2], rows[2])
    column_sums_hold(t, rows[3:4], rows[4])
    securities, deposits, _, lease, _ = (r["values"] for r in rows)
    check(securities[0] == value(bs, "有価証券") + value(bs, "投資有価証券"), "fair value: securities != BS")
    check(securities[:2] == value_row(securities_note, "合計")[:2], "fair value: securities != (有価証券関係)")
    check(deposits[0] == value(bs, "保証金"), "fair value: 保証金 != BS")
    check(lease[0] == value(bs, "リース債務", 0, 0) + value(bs, "リース債務", 0, 1) == value(lease_debt, "合計", 1),
          "fair value: リース債務 != BS (current and non-current)")
    t["notes"] = [text.lines[text.find("1 リース債務については", head)].strip()]
    return t


def value_row(tbl: dict, label: str, nth: int = 0) -> list:
    return [r for r in tbl["rows"] if r["label"] == label and r["values"] is not None][nth]["values"]


def recover_fair_value_levels(text: Text, fair: dict) -> dict:
    """3 時価のレベルごとの内訳 (2) 時価をもって貸借対照表計上額としない金融資産及び金融負債."""
    i = text.find("3 金融商品の時価のレベルごとの内訳")
    none_at_fair_value = text.lines[text.find("(1) 時価をもって貸借対照表計上額とする", i) + 2].strip()
    head = text.find("\tレベル1\t", text.find("(2) 時価をもって貸借対照表計上額としない", i))
    columns = header_cells(text.lines[head])
    rows = []
    for cells in text.rows(head + 1, "負債計"):
        label = _fair_value_label(cells[0])
        rows.append(row(label, "subtotal" if label.endswith("計") else "line", 0, [amount(c) for c in cells[1:4]]))
    t = table("金融商品の時価のレベルごとの内訳（時価をもって貸借対照表計上額としない金融資産及び金融負債）",
              columns, rows, as_of=AS_OF, notes=[f"時価をもって貸借対照表計上額とする金融資産及び金融負債: {none_at_fair_value}"])
    column_sums_hold(t, rows[0:2], rows[2])
    column_sums_hold(t, rows[3:4], rows[4])
    for r, f in zip(rows, fair["rows"], strict=True):
        check(r["label"] == f["label"] and sum(r["values"]) == f["values"][1], f"levels: {r['label']} != 時価")
    # (注1) says of each instrument that its fair value is レベル2
    j, k = text.find("(注1) 時価の算定に用いた評価技法", head), text.find("(注2)", head)
    prose = "".join(text.lines[j:k])
    check(prose.count("レベル2の時価に分類") == 3 and "レベル1の時価に分類" not in prose and "レベル3の時価に分類" not in prose,
          "levels: (注1) does not put the three instruments in レベル2")
    check(all(r["values"][0] == r["values"][2] == 0 for r in rows), "levels: a figure outside レベル2")
    return t


def recover_lease_repayment(text: Text, lease_debt: dict) -> dict:
    i = text.find("5 リース債務の決算日後の返済予定額")
    head = text.find("\t1年以内", i)
    columns = header_cells(text.lines[head])
    cells = text.lines[text.find("リース債務\t", head)].split("\t")
    rows = [row(clean_label(cells[0]), "line", 0, [amount(c) for c in cells[1 : len(columns) + 1]])]
    t = table("リース債務の決算日後の返済予定額", columns, rows, as_of=AS_OF)
    due = rows[0]["values"]
    current, non_current, total = (r["values"][1] for r in lease_debt["rows"])
    check(sum(due) == total, "lease repayments != 借入金等明細書 合計")
    check(due[0] == current and sum(due[1:]) == non_current, "lease repayments: within a year != 1年以内に返済予定のリース債務")
    return t


def recover_borrowings(text: Text, lease_debt: dict, lease_repayment: dict) -> dict:
    """【借入金等明細書】 in its published form: the two amounts, 平均利率（%） and 返済期限."""
    start = text.find("【借入金等明細書】")
    header = text.lines[text.find("区 分", start)].split("\t")
    columns = [re.sub(r"\s*\(円\)", "", c).replace(" ", "").replace("(%)", "（%）") for c in header[1:5]]
    rows = []
    for cells in text.rows(start + 1, "合計"):
        label = clean_label(cells[0]).replace("(", "（").replace(")", "）")
        if label == "区分":
            continue
        values = [amount(cells[1]), amount(cells[2]), cells[3].strip(), cells[4].strip().replace(" ", "")]
        rows.append(row(label, "subtotal" if label == "合計" else "line", 0, values))
    t = table("借入金等明細書", columns, rows, period=PERIOD)
    for r, old in zip(rows, lease_debt["rows"], strict=True):
        check(r["label"] == old["label"] and r["values"][:2] == old["values"], f"borrowings: {r['label']} != lease-debt")
        check(r["values"][2:] == list(lease_debt["details"][r["label"]].values()), f"borrowings: {r['label']} details")
    due = lease_repayment["rows"][0]["values"]
    check(rows[0]["values"][1] == due[0] and rows[1]["values"][1] == sum(due[1:]), "borrowings != 返済予定額")
    return t


def recover_reserves_content(text: Text, bs: dict, reserves: dict) -> dict:
    contents = contents_table(text, "負債性積立金の内容及び金額")
    rows = [row(label, "subtotal" if label == "合計" else "line", 0, [v]) for label, v in contents.items()]
    t = table("負債性積立金の内容及び金額", ["金額"], rows, as_of=AS_OF)
    column_sums_hold(t, rows[:-1], rows[-1])
    for r, movement in zip(rows, reserves["rows"], strict=False):  # the 合計 row has no movement row
        check(r["label"] == movement["label"] and r["values"][0] == movement["values"][3] == value(bs, r["label"]),
              f"reserve contents: {r['label']} != 負債性積立金の増減 / BS")
    return t


def recover_fixed_asset_notes(text: Text, fixed_assets: dict) -> dict:
    """(注) of the 有形固定資産等明細書: the main contents of the increase and the decrease."""
    i = text.find("(注) 1. 当期増加の主な内容", text.find("【有形固定資産等明細書】"))
    rows = []
    for heading, column, sign in (("当期増加の主な内容", 1, 1), ("当期減少の主な内容", 2, -1)):
        j = text.find(heading, i)
        m = matched(re.match(r"^(\S+) (.+?) ([\d,]+) 円$", text.lines[j + 2].strip()), f"fixed-asset notes: {heading} line")
        label, content, figure = m.group(1), m.group(2), sign * amount(m.group(3))
        check(figure == value(fixed_assets, label, column), f"fixed-asset notes: {label} != 明細書 {fixed_assets['columns'][column]}")
        rows += [row(heading, "heading", 0, None), row(label, "line", 1, [content, figure])]
    return table("有形固定資産等明細書 (注)", ["内容", "金額"], rows, period=PERIOD)


def recover_retirement_benefits(text: Text, bs: dict, provisions: dict) -> dict:
    """(退職給付関係) 2 確定給付型の制度: the 調整表 of the 簡便法 (the note gives nothing else)."""
    figures = note_figures(text, text.find("簡便法を適用した制度") + 1, "期末における退職給付引当金")
    t = vertical("退職給付引当金の期首残高と期末残高の調整表（簡便法を適用した制度）", figures,
                 negative={"退職給付の支払額"}, subtotal={"期末における退職給付引当金"}, period=PERIOD)
    v = [r["values"][0] for r in t["rows"]]
    check(sum(v[:3]) == v[3], "retirement benefits: 期首 + 費用 − 支払額 != 期末")
    opening, increase, used, other, closing = value_row(provisions, "退職給付引当金")
    check([opening, increase, used + other, closing] == v, "retirement benefits != 引当金明細書")
    check(closing == value(bs, "退職給付引当金"), "retirement benefits != BS")
    return t


def recover_aro_changes(text: Text, bs: dict, aro: dict) -> dict:
    """(資産除去債務関係) 3 当該資産除去債務の総額の増減."""
    figures = note_figures(text, text.find("3 当該資産除去債務の総額の増減") + 1, "期末残高")
    t = vertical("資産除去債務の総額の増減", figures, negative={"資産除去債務の履行による減少額"},
                 subtotal={"期末残高"}, period=PERIOD)
    opening, acquired, accretion, settled, closing = (r["values"][0] for r in t["rows"])
    check(opening + acquired + accretion + settled == closing, "aro changes do not add up")
    check([opening, acquired + accretion, settled, closing] == value_row(aro, "合計"), "aro changes != 資産除去債務明細書")
    check(closing == value(bs, "資産除去債務"), "aro changes != BS")
    return t


def recover_deposit_allowance(text: Text) -> dict:
    """保証金の回収が最終的に見込めないと認められる金額の増減: the change is closing − opening."""
    figures = note_figures(text, text.find("保証金の回収が最終的に見込めないと認められる金額の増減") + 1, "期末残高")
    check(len(figures) == 3, "deposit allowance: not 期首残高, 期中の増減額, 期末残高")
    (o_label, opening), (c_label, change), (e_label, closing) = figures
    check(abs(closing - opening) == change, "deposit allowance: |期末 − 期首| != 期中の増減額")
    figures = [(o_label, opening), (c_label, closing - opening), (e_label, closing)]
    return vertical("保証金の回収が最終的に見込めないと認められる金額の増減", figures, subtotal={"期末残高"}, period=PERIOD)


def recover_disposal_loss(text: Text, pl: dict, segment_pl: dict, fixed_assets: dict) -> dict:
    figures = note_figures(text, text.find("固定資産除却損の内訳") + 1, "計")
    t = vertical("固定資産除却損の内訳", figures, subtotal={"計"}, period=PERIOD)
    column_sums_hold(t, t["rows"][:-1], t["rows"][-1])
    check(t["rows"][-1]["values"][0] == value(pl, "固定資産除却損") == value(segment_pl, "固定資産除却損", 9),
          "disposal loss != PL")
    for r in t["rows"][:-1]:  # the loss is at most the cost the schedule removed
        check(0 < r["values"][0] <= -value(fixed_assets, r["label"], 2), f"disposal loss: {r['label']} > its decrease")
    return t


def recover_cash_scope(text: Text, bs: dict, cf: dict) -> dict:
    """(キャッシュ・フロー計算書関係) 1: 資金 = 現金及び預金 − time deposits over three months."""
    figures = note_figures(text, text.find("現金及び現金同等物の期末残高と貸借対照表") + 1, "現金及び現金同等物")
    t = vertical("現金及び現金同等物の期末残高と貸借対照表に掲記されている科目の金額との関係", figures,
                 negative={"預入期間が3箇月を超える定期預金"}, subtotal={"現金及び現金同等物"}, as_of=AS_OF)
    deposits, long_deposits, cash = (r["values"][0] for r in t["rows"])
    check(deposits + long_deposits == cash, "cash scope does not add up")
    check(deposits == value(bs, "現金及び預金") and cash == value(cf, "現金及び現金同等物期末残高"), "cash scope != BS / CF")
    return t


def recover_non_cash(text: Text, fixed_assets: dict) -> dict:
    """(キャッシュ・フロー計算書関係) 2 重要な非資金取引の内容: the new finance leases."""
    i = text.find("2 重要な非資金取引の内容")
    heading = text.lines[text.find("新たに計上したファイナンス・リース取引", i)].strip()
    figures = note_figures(text, i + 1, "ファイナンス・リース取引に係る資産及び負債の額")
    check(len(figures) == 1, "non-cash: not one figure")
    (label, figure), = figures
    rows = [row(heading, "heading", 0, None), row(label, "line", 1, [figure])]
    check(figure == value(fixed_assets, "リース資産", 1, 0) + value(fixed_assets, "リース資産", 1, 1),
          "non-cash: new leases != the lease assets' 当期増加額")
    return table("重要な非資金取引の内容", ["金額"], rows, period=PERIOD)


def recover_accumulated_depreciation(text: Text, fixed_assets: dict) -> dict:
    """(貸借対照表関係) 有形固定資産の減価償却累計額, stored negative like the schedule's column."""
    i = text.find("有形固定資産の減価償却累計額")
    figure = -amount(text.lines[i + 1].replace("円", ""))
    tangible = [r for r in fixed_assets["rows"][: [r["label"] for r in fixed_assets["rows"]].index("有形固定資産計")]
                if r["kind"] == "line"]
    check(figure == value(fixed_assets, "有形固定資産計", 4) == sum(r["values"][4] for r in tangible),
          "accumulated depreciation != 有形固定資産等明細書")
    return table("有形固定資産の減価償却累計額", ["金額"], [row("有形固定資産の減価償却累計額", "line", 0, [figure])], as_of=AS_OF)


def recover_expenses_by_nature(text: Text, pl: dict, fixed_assets: dict, aro_changes: dict, retirement: dict,
                               disagreements: list[dict]) -> dict:
    """(損益計算書関係) 事業費 and 一般管理費: their 主要な費目 (main items, not a full breakdown).

    The items are not all of the expense, so no sum can equal it; what the
    publication does bind: each item is part of its expense, the 減価償却費 of
    both cover the schedule's depreciation and the 資産除去債務's accretion (the
    rest, 1,186,964, is the 保証金 not expected back: SOURCES.md), the 退職給付費用
    in 一般管理費 is part of the 調整表's.  The items of 一般管理費 add up to more
    than 一般管理費 itself: that is recorded, not corrected."""
    rows = []
    for expense, last in (("事業費", "開発運用委託費"), ("一般管理費", "減価償却費")):
        items = note_figures(text, text.find(f"{expense}の主要な費目と金額") + 1, last)
        total = value(pl, expense)
        rows.append(row(expense, "heading", 0, None))
        rows += [row(label, "line", 1, [v]) for label, v in items]
        for label, v in items:
            check(0 < v <= total, f"expenses: {expense} {label} exceeds {expense}")
        listed = sum(v for _, v in items)
        if listed > total:
            disagreements.append({"table": "expenses-by-nature", "identity": f"Σ {expense}の主要な費目 <= {expense} (損益計算書)",
                                  "left": listed, "right": total, "kept": "both as printed"})
    t = table("事業費及び一般管理費の主要な費目と金額", ["金額"], rows, period=PERIOD)
    depreciation = value(t, "減価償却費", 0, 0) + value(t, "減価償却費", 0, 1)
    scheduled = -(value(fixed_assets, "有形固定資産計", 5) + value(fixed_assets, "無形固定資産計", 5))
    check(depreciation >= scheduled + value(aro_changes, "時の経過による調整額"), "expenses: 減価償却費 < the schedule's")
    check(value(t, "退職給付費用") <= value(retirement, "退職給付費用"), "expenses: 退職給付費用 > the 調整表's")
    return t


FUND_PURPOSES = {  # programme of 事業報告書 第3章十二 -> the purpose of 長期前受金 that funds it
    "業務システムの標準化・共通化に向けた環境整備": "自治体情報システムの標準化・共通化支援",
    "マイナンバーカードを用いたオンライン手続の推進": "地方の行政手続オンライン化",
    "情報セキュリティ対策の推進": "次期自治体情報セキュリティクラウド移行支援",
}


def recover_fund_grants(text: Text, segment_bs: dict, deferred: dict) -> dict:
    """事業報告書 第3章十二: the fund's three programmes (総額 in 億円, 補助率, 事業期間) and the
    grants decided (団体 and 百万円).  総額 is a decimal string like the 億円 of the trend; a
    count of 団体 is not an amount and stays a string as printed.

    The programmes are what the fund's 長期前受金 is for: the three purposes that name them
    add up to the fund's 長期前受金 (事業別財務情報), and neither the grants decided nor what
    is left for a programme exceeds its 総額."""
    lines = text.lines[: text.find("# 令和4年度財務諸表")]
    rows: list[dict] = []
    programmes: list[dict[str, Any]] = []
    for line in lines:
        m = re.match(r"^- \d (.+?)（総額 ([\d,]+) 億円）", line.strip())
        if m:
            programmes.append({"name": clean_label(m.group(1)), "total": Decimal(m.group(2).replace(",", "")), "decided": []})
            rows.append(row(programmes[-1]["name"], "line", 0, [str(programmes[-1]["total"]), None, None, None, None]))
            continue
        m = re.search(r"（補助率：(.+?)、事業期間：(.+?)）", line)
        if m:
            rows[-1]["values"][1:3] = [m.group(1), m.group(2)]
            continue
        m = re.search(r"・(\S*交付決定)：([\d,]+) 団体、([\d,]+) 百万円", line)
        if m:
            programmes[-1]["decided"].append(amount(m.group(3)))
            rows.append(row(m.group(1), "line", 1, [None, None, None, m.group(2), amount(m.group(3))]))
    check([p["name"] for p in programmes] == list(FUND_PURPOSES), "fund grants: not the three programmes")
    t = table("デジタル基盤改革に対する支援（デジタル基盤改革支援基金）", ["総額", "補助率", "事業期間", "団体数", "交付決定額"], rows,
              unit="百万円", column_units={"総額": "億円", "団体数": "団体"}, period=PERIOD)
    check(all(r["values"][1] and r["values"][2] for r in rows if r["level"] == 0), "fund grants: 補助率 or 事業期間 missing")
    left = {p["name"]: value(deferred, FUND_PURPOSES[p["name"]]) for p in programmes}
    check(sum(left.values()) == value(segment_bs, "長期前受金", 7), "fund grants: the programmes' 長期前受金 != the fund's")
    for p in programmes:
        total_million = p["total"] * 100
        check(sum(p["decided"]) <= total_million and left[p["name"]] <= total_million * 1_000_000, f"fund grants: {p['name']} exceeds its 総額")
    return t


NOTE_LINE = re.compile(r"^(?:-\s*)?\(注(\d+)\)\s*(.+?)\s*$")


def recover_budget_notes(text: Text, budget_bs: dict, budget_pl: dict) -> dict:
    """The 備考 of the 決算報告書: (注1)–(注10) under the 貸借対照表, (注1)–(注6) under the 損益計算書.

    Each note's text is kept as printed (the notes hold no figure); ``cited_by`` lists the
    rows whose 備考 cites it.  The notes must be numbered 1..n and each cited at least once;
    a row citing a single note must move the way the note says (its last 増 / 減 / 皆減 is
    the sign of the row's 差額, and 皆減 leaves no 決算額), which checks the recovered signs
    of 差額 against the text."""
    sections = (
        ("貸借対照表", budget_bs, text.find("負債純資産合計", text.find("令和4年度 決算報告書")), "# 令和4年度 決算報告書"),
        ("損益計算書", budget_pl, text.find("当期純利益", text.find("損益計算書（令和4年4月1日")), "# 事業別決算額の推移"),
    )
    rows = []
    for heading, budget, start, stop in sections:
        notes = {}
        for line in text.lines[start + 1 : text.find(stop, start)]:
            m = NOTE_LINE.match(line.strip())
            if m:
                notes[int(m.group(1))] = m.group(2)
        check(list(notes) == list(range(1, len(notes) + 1)), f"budget notes ({heading}): not numbered 1..n")
        cited: dict[int, list[str]] = {n: [] for n in notes}
        for r in budget["rows"]:
            numbers = [int(n) for n in re.findall(r"\d+", r.get("note", ""))]
            for n in numbers:
                check(n in notes, f"budget notes ({heading}): {r['label']} cites a missing (注{n})")
                cited[n].append(r["label"])
            if len(numbers) == 1:
                word = re.findall(r"皆減|増|減", notes[numbers[0]])[-1]
                diff = r["values"][2]
                check(diff > 0 if word == "増" else diff < 0, f"budget notes: {r['label']} 差額 {diff} against (注{numbers[0]}) {word}")
                check(word != "皆減" or r["values"][1] == 0, f"budget notes: {r['label']} 皆減 but a 決算額")
        rows.append(row(heading, "heading", 0, None))
        for n, note in notes.items():
            check(bool(cited[n]), f"budget notes ({heading}): (注{n}) is cited nowhere")
            rows.append({**row(f"(注{n})", "line", 1, [note]), "cited_by": cited[n]})
    return table("決算報告書 備考", ["内容"], rows, period=PERIOD)


