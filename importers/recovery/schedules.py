"""決算報告書 and the first 附属明細書 and notes (fixed assets, leases, provisions, reserves and their plans)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .financial import pl_computed_hold
from .text import (
    NUMBER,
    RawRow,
    Text,
    amount,
    check,
    clean_label,
    matched,
    outline,
    row,
    section_sums_hold,
    table,
    value,
)


def recover_budget(text: Text, title: str, first: str, last: str, actual: dict, computed=()) -> dict:
    """予算額 / 決算額 / 差額 (= 決算額 − 予算額, recovered from the other two)."""
    start = text.find(title)
    raw: list[RawRow] = []
    notes = {}
    for cells in text.rows(text.find(first, start), last):
        label = clean_label(cells[0])
        vals = list(cells[1:4])
        if not any(v.strip() for v in vals):
            raw.append((label, None))
            continue
        budget, result, diff = (amount(v) for v in vals)
        if label in computed:
            # a computed row's budget lost its sign where it is a loss: take the
            # sign for which 差額 = |決算額 − 予算額|
            fits = sorted({s * budget for s in (1, -1) if abs(result - s * budget) == diff})
            check(len(fits) == 1, f"{title}: {label} 差額 fits {len(fits)} budget signs")
            budget = fits[0]
        check(abs(result - budget) == diff, f"{title}: {label} 差額")
        raw.append((label, [budget, result, result - budget]))
        if len(cells) > 4 and cells[4].strip():
            notes[label] = cells[4].strip()
    rows = outline(raw, computed)
    for r in rows:
        if r["label"] in computed or r["label"] == "法人住民税":
            r["level"] = 0
        if r["label"] in notes:
            r["note"] = notes[r["label"]]
    t = table("決算報告書", ["予算額", "決算額", "差額"], rows)
    section_sums_hold(t)
    if computed:
        for c in range(3):
            pl_computed_hold(t, c)
    for r in rows:
        if r["values"] is not None:
            same = [x for x in actual["rows"] if x["label"] == r["label"] and x["values"] is not None]
            nth = sum(1 for x in rows[: rows.index(r)] if x["label"] == r["label"] and x["values"] is not None)
            if nth < len(same):
                check(same[nth]["values"][0] == r["values"][1], f"budget: 決算額 of {r['label']} != statement")
            else:
                check(r["values"][1] == 0, f"budget: {r['label']} has no statement row but a 決算額")
    return t


# --------------------------------------------------------------------------
# 附属明細書 and notes
# --------------------------------------------------------------------------


def recover_fixed_assets(text: Text, bs: dict) -> dict:
    columns = ["当期首残高", "当期増加額", "当期減少額", "当期末残高", "当期末減価償却累計額又は償却累計額", "当期償却額", "差引当期末残高"]
    start = text.find("【有形固定資産等明細書】")
    raw: list[RawRow] = []
    for cells in text.rows(start + 1, "無形固定資産計"):
        label = clean_label(cells[0])
        if label == "資産の種類":
            continue
        vals = list(cells[1:8])
        if not any(v.strip() for v in vals):
            raw.append((label, None))
            continue
        v = [amount(x) for x in vals]
        # decreases, accumulated and current depreciation are stored negative
        v[2], v[4], v[5] = -v[2], -v[4], -v[5]
        raw.append((label, v))
    rows = outline(raw)
    t = table("有形固定資産等明細書", columns, rows)
    for r in rows:
        if r["kind"] != "line":
            continue  # the 計 rows are checked as sums of their lines below
        o, inc, dec, close, acc, dep, net = r["values"]
        check(o + inc + dec == close, f"fixed assets: {r['label']} opening + movements != closing")
        if r["label"] == "ソフトウェア":
            # directly amortised: 差引 = 当期末残高 − 当期償却額 (no 累計額 published)
            check(close + dep == net, "fixed assets: ソフトウェア")
        else:
            check(close + acc == net, f"fixed assets: {r['label']} closing + accumulated != net")
    section_sums_hold(t)
    check(-value(t, "有形固定資産計", 4) == 2_936_531_493, "fixed assets: accumulated != note")
    for label in ("建物", "備品", "建設仮勘定"):
        check(value(t, label, 6) == value(bs, label), f"fixed assets: {label} != BS")
    check(value(t, "リース資産", 6, 0) == value(bs, "リース資産", 0, 0), "fixed assets: tangible lease != BS")
    check(value(t, "リース資産", 6, 1) == value(bs, "リース資産", 0, 1), "fixed assets: intangible lease != BS")
    check(value(t, "有形固定資産計", 6) == value(bs, "有形固定資産合計"), "fixed assets: tangible total != BS")
    return t


def recover_lease_debt(text: Text, bs: dict) -> dict:
    start = text.find("【借入金等明細書】")
    rows, extra = [], {}
    for cells in text.rows(start + 1, "合計"):
        label = clean_label(cells[0])
        if label == "区分":
            continue
        label = label.replace("(", "（").replace(")", "）")
        rows.append(row(label, "subtotal" if label == "合計" else "line", 0, [amount(cells[1]), amount(cells[2])]))
        extra[label] = {"平均利率（%）": cells[3].strip(), "返済期限": cells[4].strip().replace(" ", "")}
    t = table("借入金等明細書", ["当期首残高", "当期末残高"], rows, details=extra)
    check(rows[0]["values"][1] == value(bs, "リース債務", 0, 0), "lease debt: current != BS")
    check(rows[1]["values"][1] == value(bs, "リース債務", 0, 1), "lease debt: non-current != BS")
    for c in range(2):
        check(rows[0]["values"][c] + rows[1]["values"][c] == rows[2]["values"][c], "lease debt: 合計")
    return t


def recover_provisions(text: Text, bs: dict) -> dict:
    start = text.find("【引当金明細書】")
    columns = ["当期首残高", "当期増加額", "当期減少額（目的使用）", "当期減少額（その他）", "当期末残高"]
    rows = []
    for cells in text.rows(start + 1, "合計"):
        label = clean_label(cells[0])
        if label == "区分":
            continue
        v = [amount(c) for c in cells[1:6]]
        v[2], v[3] = -v[2], -v[3]
        check(v[0] + v[1] + v[2] + v[3] == v[4], f"provisions: {label}")
        rows.append(row(label, "subtotal" if label == "合計" else "line", 0, v))
        if label != "合計":
            check(v[4] == value(bs, label), f"provisions: {label} != BS")
    t = table("引当金明細書", columns, rows)
    for c in range(5):
        check(sum(r["values"][c] for r in rows[:-1]) == rows[-1]["values"][c], "provisions: 合計")
    return t


def recover_aro(text: Text, bs: dict) -> dict:
    start = text.find("【資産除去債務明細書】")
    rows = []
    for cells in text.rows(start + 1, "合計"):
        label = clean_label(cells[0])
        if label == "区分":
            continue
        v = [amount(c) for c in cells[1:5]]
        v[2] = -v[2]
        check(v[0] + v[1] + v[2] == v[3], f"aro: {label}")
        rows.append(row(label, "subtotal" if label == "合計" else "line", 0, v))
    t = table("資産除去債務明細書", ["当期首残高", "当期増加額", "当期減少額", "当期末残高"], rows)
    check(rows[-1]["values"][3] == value(bs, "資産除去債務"), "aro: closing != BS")
    # the note's reconciliation of the same obligation
    note = dict(note_figures(text, text.find("3 当該資産除去債務の総額の増減") + 1, "期末残高"))
    check(note["期首残高"] == rows[-1]["values"][0], "aro note: opening")
    check(note["時の経過による調整額"] == rows[-1]["values"][1], "aro note: accretion")
    check(note["期末残高"] == rows[-1]["values"][3], "aro note: closing")
    t["note"] = note
    return t


def recover_liability_reserves(text: Text, bs: dict) -> dict:
    """(負債性積立金関係): one small table per reserve, and 負債性積立金の内容及び金額."""
    rows = []
    start = text.find("(負債性積立金関係)")
    for name in ("住基ネット再構築平準化等積立金", "セキュリティ強化等積立金", "次期システム更改積立金"):
        i = text.find(name + "の当期の増減額", start)
        figures = dict(note_figures(text, i + 1, "期末残高"))
        v = [figures["期首残高"], figures["増加額"], -figures["減少額"], figures["期末残高"]]
        check(sum(v[:3]) == v[3], f"reserves: {name}")
        check(v[3] == value(bs, name), f"reserves: {name} != BS")
        rows.append(row(name, "line", 0, v))
        start = i
    t = table("負債性積立金の増減", ["期首残高", "増加額", "減少額", "期末残高"], rows)
    contents = contents_table(text, "負債性積立金の内容及び金額")
    for r in rows:
        check(contents[r["label"]] == r["values"][3], "reserve contents != note")
    check(contents["合計"] == sum(r["values"][3] for r in rows), "reserve contents 合計")
    t["plans"] = _reserve_plan_text(text)
    return t


PLAN_PERIOD = re.compile(r"((?:平成|令和)(?:\d+|元)年度(?:(?:から|及び)(?:平成|令和)?(?:\d+|元)年度)?(?:まで)?)に")
PLAN_AMOUNT = re.compile(r"([\d.]+)億円")


def _fiscal_year(era_year: str) -> int:
    """The last 年度 named in a period: 平成30年度 -> 2018, 令和元年度 -> 2019."""
    era, year = re.findall(r"(平成|令和)?(\d+|元)年度", era_year)[-1]
    era = era or re.findall(r"(平成|令和)", era_year)[-1]
    return (1988 if era == "平成" else 2018) + (1 if year == "元" else int(year))


def _oku_within(figures: list[str | None], yen: int, message: str) -> None:
    """Σ figures in 億円 (as printed) is ``yen`` within half the last digit of each figure."""
    shown = [Decimal(f) for f in figures if f is not None]
    slack = sum((Decimal(1).scaleb(int(d.as_tuple().exponent)) / 2 for d in shown), Decimal(0)) * 100_000_000
    check(abs(sum(shown, Decimal(0)) * 100_000_000 - yen) <= slack, f"{message}: {[str(d) for d in shown]} 億円 against {yen} 円")


def recover_reserve_plans(reserves: dict) -> dict:
    """(負債性積立金関係): the history and the plan of each reserve, in 億円, from its sentences.

    Each amount is 積立 or 取崩 by the first of the two words after it ('令和5年度に0.6億円、
    令和6年度及び令和7年度に計3.2億円の取崩し' are both 取崩), in the period named last
    before it.  Amounts are decimal strings as printed (the trend's 億円 convention), a 取崩
    negative.  Checks, within the rounding of the figures shown (half their last digit):
    the record up to 令和3年度 is the 期首残高, the 令和4年度 part is the year's 増加額 / 減少額."""
    rows = []
    for r in reserves["rows"]:
        name, (opening, increase, decrease, _) = r["label"], r["values"]
        sentence = reserves["plans"][name].replace(" ", "")
        periods: dict[str, list] = {}
        for m in PLAN_AMOUNT.finditer(sentence):
            before = list(PLAN_PERIOD.finditer(sentence, 0, m.start()))
            check(bool(before), f"reserve plans: {name}: an amount before any period")
            after = matched(re.search(r"積立|取崩", sentence[m.end():]), f"reserve plans: {name}: {m.group(0)} neither 積立 nor 取崩")
            figure = Decimal(m.group(1))
            cells = periods.setdefault(before[-1].group(1), [None, None])
            cells[0 if after.group() == "積立" else 1] = str(figure if after.group() == "積立" else -figure)
        rows.append(row(name, "heading", 0, None))
        rows += [row(period, "line", 1, cells) for period, cells in periods.items()]
        past = [c for p, cells in periods.items() if _fiscal_year(p) <= 2021 for c in cells]
        _oku_within(past, opening, f"reserve plans: {name}: record to 令和3年度 != 期首残高")
        this_year = [cells for p, cells in periods.items() if _fiscal_year(p) == 2022 and not re.search("から|及び", p)]
        provision, release = this_year[0] if this_year else (None, None)
        _oku_within([provision], increase, f"reserve plans: {name}: 令和4年度 積立 != 増加額")
        _oku_within([release], decrease, f"reserve plans: {name}: 令和4年度 取崩 != 減少額")
    return table("負債性積立金の積立・取崩の実績及び予定", ["積立", "取崩"], rows, unit="億円")


def _reserve_plan_text(text: Text) -> dict:
    """The published plan sentences, kept verbatim for the reserve-plan declarations."""
    out = {}
    start = text.find("(負債性積立金関係)")
    for name in ("住基ネット再構築平準化等積立金", "セキュリティ強化等積立金", "次期システム更改積立金"):
        i = text.find(name + "の当期の増減額", start)
        j = text.find("期末残高", i)
        k = j + 1
        while not text.lines[k].strip():
            k += 1
        out[name] = text.lines[k].strip()
        start = i
    return out


def note_figures(text: Text, start: int, last: str) -> list[tuple[str, int]]:
    """The (label, amount) rows of a small note table after line ``start`` up to the row
    labelled ``last``; the first amount of such a table is printed with its unit (``円``)."""
    out = []
    for cells in text.rows(start, last):
        cell = cells[1].replace("円", "").strip() if len(cells) >= 2 else ""
        if cell and NUMBER.match(cell):
            out.append((clean_label(cells[0]), amount(cell)))
    return out


def contents_table(text: Text, heading: str) -> dict:
    start = text.find(heading)
    out = {}
    for cells in text.rows(start + 1, "合計"):
        label = clean_label(cells[0])
        if label == "内容":
            continue
        out[label] = amount(cells[1])
    return out


def recover_deferred_revenue(text: Text, segment_bs: dict) -> dict:
    contents = contents_table(text, "長期前受金の内容及び金額")
    rows = [row(label.replace("(", "（").replace(")", "）"), "subtotal" if label == "合計" else "line", 0, [v])
            for label, v in contents.items()]
    t = table("長期前受金の内容及び金額", ["金額"], rows, as_of="2023-03-31")
    check(sum(r["values"][0] for r in rows[:-1]) == rows[-1]["values"][0], "deferred revenue: 合計")
    check(rows[-1]["values"][0] == value(segment_bs, "長期前受金", 9), "deferred revenue != BS")
    return t


def recover_notes(text: Text, pl: dict) -> dict:
    """Notes used by the books: main expense items, retirement benefits, 保証金, non-cash leases."""
    notes: dict[str, Any] = {}

    def small(heading: str, last: str) -> dict:
        return dict(note_figures(text, text.find(heading) + 1, last))

    notes["事業費の主要な費目"] = small("事業費の主要な費目と金額", "開発運用委託費")
    notes["一般管理費の主要な費目"] = small("一般管理費の主要な費目と金額", "減価償却費")
    notes["固定資産除却損の内訳"] = small("固定資産除却損の内訳", "計")
    notes["退職給付引当金の調整表"] = small("簡便法を適用した制度", "期末における退職給付引当金")
    notes["資金の範囲"] = small("現金及び現金同等物の期末残高と貸借対照表", "現金及び現金同等物")
    notes["重要な非資金取引"] = small("新たに計上したファイナンス・リース取引", "ファイナンス・リース取引に係る資産及び負債の額")
    notes["有形固定資産の減価償却累計額"] = amount(text.lines[text.find("有形固定資産の減価償却累計額") + 1].replace("円", "").strip())
    i = text.find("保証金の回収が最終的に見込めないと認められる金額の増減")
    notes["保証金の回収不能見込額"] = small("保証金の回収が最終的に見込めないと認められる金額の増減", "期末残高")
    del i
    check(notes["一般管理費の主要な費目"]["減価償却費"] == 4_578_798, "note: 一般管理費 減価償却費")
    check(notes["固定資産除却損の内訳"]["計"] == value(pl, "固定資産除却損"), "note: 除却損")
    r = notes["退職給付引当金の調整表"]
    check(r["期首における退職給付引当金"] + r["退職給付費用"] - r["退職給付の支払額"] == r["期末における退職給付引当金"], "note: 退職給付")
    # 有価証券明細書
    i = text.find("【有価証券明細書】")
    bonds = []
    for cells in text.rows(i + 1, "合計"):
        cells = [c.strip() for c in cells]
        if "債券" in "".join(cells[2:3]) or "機構債券" in "".join(cells):
            name = next(c for c in cells if "債券" in c and "目的" not in c)
            bonds.append({"区分": clean_label(cells[0]), "銘柄": name.replace(" ", ""), "貸借対照表計上額": amount(cells[-1])})
    notes["有価証券明細書"] = bonds
    # デジタル基盤改革支援基金: grants decided in FY2022 (事業報告書 第3章 十二), 百万円
    decided: dict[str, list[dict[str, Any]]] = {}
    for line in text.lines[: text.find("# 令和4年度財務諸表")]:
        m = re.search(r"交付決定：([\d,]+) 団体、([\d,]+) 百万円", line)
        if m:
            decided.setdefault("lines", []).append({"text": line.strip(" -・"), "団体": amount(m.group(1)), "百万円": amount(m.group(2))})
    notes["デジタル基盤改革支援基金の交付決定"] = decided["lines"]
    notes.update(_financial_instrument_notes(text))
    return notes


def _financial_instrument_notes(text: Text) -> dict:
    """(金融商品関係): fair values, maturities of receivables and of lease debt.

    差額 lost its sign: it is 時価 − 貸借対照表計上額 (negative here: every fair value
    is below the book value), recovered from the other two columns."""
    out: dict[str, Any] = {}
    i = text.find("2 金融商品の時価等に関する事項")
    fair: list[dict[str, Any]] = []
    for cells in text.rows(text.find("貸借対照表 計上額", i) + 1, "負債計"):
        label = re.sub(r"^\(\d\)\s*", "", cells[0].strip())
        label = re.sub(r"\(\s*1\s*\)$", "", label).strip()
        book, value, diff = (amount(c) for c in cells[1:4])
        check(abs(value - book) == diff, f"fair value: {label}")
        fair.append({"label": clean_label(label), "貸借対照表計上額": book, "時価": value, "差額": value - book})
    check(fair[2]["貸借対照表計上額"] == fair[0]["貸借対照表計上額"] + fair[1]["貸借対照表計上額"], "fair value: 資産計")
    out["金融商品の時価"] = fair
    i = text.find("4 金銭債権の決算日後の償還予定額")
    header = [c.strip() for c in text.lines[text.find("\t1年以内", i)].split("\t")[1:]]
    maturities: list[dict[str, Any]] = []
    for cells in text.rows(text.find("\t1年以内", i) + 1, "合計"):
        values = [amount(c) for c in (cells[1:] + [""] * len(header))[: len(header)]]
        maturities.append({"label": clean_label(cells[0]), **dict(zip([h.replace(" ", "") for h in header], values, strict=True))})
    for h in maturities[0]:
        if h != "label":
            check(sum(m[h] for m in maturities[:-1]) == maturities[-1][h], f"maturities: {h}")
    out["金銭債権の償還予定額"] = maturities
    i = text.find("5 リース債務の決算日後の返済予定額")
    header = [c.strip().replace(" ", "") for c in text.lines[text.find("\t1年以内", i)].split("\t")[1:]]
    cells = text.lines[text.find("リース債務\t", i)].split("\t")
    lease = dict(zip(header, (amount(c) for c in cells[1:]), strict=True))
    check(sum(lease.values()) == fair[3]["貸借対照表計上額"], "lease maturities != lease debt")
    out["リース債務の返済予定額"] = lease
    return out


