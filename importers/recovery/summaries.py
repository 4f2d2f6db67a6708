"""参考資料: the trend by business and the 百万円 summaries, with their reasons, checked against the yen tables."""

from __future__ import annotations

import itertools
import re
from decimal import ROUND_HALF_UP, Decimal

from .text import BUSINESSES, Text, amount, check, clean_label, matched, row, table, value


def round_half_up(x: Decimal, places: Decimal) -> Decimal:
    return x.quantize(places, rounding=ROUND_HALF_UP)


def recover_trend(text: Text, segment_pl: dict) -> dict:
    """参考資料1-1 事業別決算額の推移 (億円, one decimal)."""
    start = text.find("# 事業別決算額の推移")
    header = text.lines[text.find("\tH26", start)].split("\t")[1:]
    rows = []
    for cells in text.rows(text.find("一般\t", start), "計"):
        label = clean_label(cells[0])
        printed = [re.sub(r"</?b>", "", c).strip() for c in cells[1:]]
        printed = (printed + [""] * len(header))[: len(header)]
        # a business that did not exist yet has no figure: the row is right-aligned
        filled = [v for v in printed if v]
        vals: list[str | None] = [None] * (len(header) - len(filled))
        vals += [str(Decimal(v.replace(",", ""))) for v in filled]
        rows.append(row(label, "subtotal" if label == "計" else "line", 0, vals))
    t = table("事業別決算額の推移（損益計算書費用ベース）", header, rows, unit="億円")
    # R4 = 営業費用 + 営業外費用 of each business, in 億円 rounded half up to one decimal
    get = lambda label: next(r for r in segment_pl["rows"] if r["label"] == label)["values"]  # noqa: E731
    for b in range(8):
        yen = get("営業費用合計")[b] + get("営業外費用合計")[b]
        oku = round_half_up(Decimal(yen) / Decimal(100_000_000), Decimal("0.1"))
        check(str(oku) == rows[b]["values"][-1], f"trend: R4 of {rows[b]['label']} {oku} != {rows[b]['values'][-1]}")
    for c in range(len(header)):
        col = [Decimal(r["values"][c]) for r in rows[:-1] if r["values"][c] is not None]
        total = Decimal(rows[-1]["values"][c])
        # the total is the sum of the published figures, shown to the total's precision
        check(round_half_up(sum(col, Decimal(0)), total) == total, f"trend: total of {header[c]}")
    t["business_columns"] = {r["label"]: BUSINESSES[i] for i, r in enumerate(rows[:-1])}
    return t


def to_million(yen: int) -> int:
    return int(round_half_up(Decimal(yen) / Decimal(1_000_000), Decimal(1)))


def summary_sections(text: Text):
    """(table id, first line, last label) of every BS / PL summary of 参考資料1-2."""
    start = text.find("## 令和 4 年度決算の概要")
    yield "summary-bs", text.find("## 1 貸借対照表", start) + 1, "純資産"
    yield "summary-pl", text.find("## 2 損益計算書", start) + 1, "当期純利益"
    for b, name in enumerate(BUSINESSES):
        i = text.find("貸借対照表", text.find(f"{b + 1} {name}", start))
        yield f"summary-{b + 1}-bs", i + 1, "純資産"
        yield f"summary-{b + 1}-pl", text.find("損益計算書", i) + 1, "当期純利益"


def recover_summaries(text: Text, tables: dict) -> tuple[dict, list[dict]]:
    """参考資料1-2 令和4年度決算の概要 (百万円): consolidated and by business.

    The 予算, 決算 and 差引 columns lost their signs.  決算 is checked against
    the yen figures rounded half up; 差引 = 決算 − 予算 with each side rounded,
    so it may differ from the difference of the rounded figures by one."""
    out = {}
    discrepancies: list[dict] = []
    start = text.find("## 令和 4 年度決算の概要")
    seg_bs, seg_pl = tables["segment-bs"], tables["segment-pl"]
    budget_bs, budget_pl = tables["budget-bs"], tables["budget-pl"]

    def read(first_line: int, last: str) -> list[tuple[str, list[int]]]:
        rows = []
        for cells in text.rows(first_line, last):
            label = clean_label(cells[0])
            if label == "科目":
                continue
            rows.append((label, [amount(c) for c in cells[1:4]]))
        return rows

    def seg(tbl, label, col):
        return next(r for r in tbl["rows"] if r["label"] == label)["values"][col]

    bs_map = {"資産": "資産合計", "流動資産": "流動資産合計", "固定資産": "固定資産合計", "負債": "負債合計",
              "流動負債": "流動負債合計", "固定負債": "固定負債合計", "純資産": "純資産合計"}
    pl_map = {"営業収益": "営業収益合計", "営業費用": "営業費用合計", "営業利益": "営業利益", "営業外収益": "営業外収益合計",
              "営業外費用": "営業外費用合計", "経常利益": "経常利益", "特別利益": None, "特別損失": "特別損失合計",
              "当期純利益": "当期純利益"}

    def signed_rows(raw, actual_of, budget_of, name):
        rows: list[dict] = []
        for label, (b, a, d) in raw:
            actual = actual_of(label)
            check(abs(to_million(actual)) == a, f"summary {name}: 決算 {label} {to_million(actual)} != {a}")
            a_signed = to_million(actual)
            budget = budget_of(label)
            if budget is not None:
                b_signed = to_million(budget)
                check(abs(b_signed) == b, f"summary {name}: 予算 {label}")
            elif label in PROFIT_IDENTITIES:
                # no yen budget published: a profit's sign is the one that agrees
                # with the rows it is computed from (then with the 差引)
                signed_so_far = {r["label"]: r["values"][0] for r in rows}
                b_signed = _budget_sign(label, b, a_signed, d, PROFIT_IDENTITIES[label](signed_so_far))
            else:  # revenues, costs, assets and liabilities are never negative
                b_signed = b
            diff = a_signed - b_signed
            d_signed = d if diff >= 0 else -d
            rows.append(row(label, "line", 0, [b_signed, a_signed, d_signed]))
        return rows

    sections = {table_id: (line, last) for table_id, line, last in summary_sections(text)}
    # consolidated BS / PL
    raw = read(*sections["summary-bs"])
    out["summary-bs"] = table("令和4年度決算の概要 貸借対照表", ["予算", "決算", "差引"], signed_rows(
        raw, lambda label: seg(seg_bs, bs_map[label], 9), lambda label: seg(budget_bs, bs_map[label], 0), "BS"), unit="百万円")
    raw = read(*sections["summary-pl"])

    def pl_actual(label, col=9):
        return 0 if pl_map[label] is None else seg(seg_pl, pl_map[label], col)

    def pl_budget(label):
        if pl_map[label] is None:
            return 0
        return next(r for r in budget_pl["rows"] if r["label"] == pl_map[label])["values"][0]

    out["summary-pl"] = table("令和4年度決算の概要 損益計算書", ["予算", "決算", "差引"],
                              signed_rows(raw, pl_actual, pl_budget, "PL"), unit="百万円")
    # by business: budgets by business are published only here, in 百万円
    for b, name in enumerate(BUSINESSES):
        raw = read(*sections[f"summary-{b + 1}-bs"])
        bs_rows = signed_rows(raw, lambda label, b=b: seg(seg_bs, bs_map[label], b), lambda label: None, f"{name} BS")
        raw = read(*sections[f"summary-{b + 1}-pl"])
        pl_rows = signed_rows(raw, lambda label, b=b: pl_actual(label, b), lambda label: None, f"{name} PL")
        _summary_budget_identities(bs_rows, pl_rows, name, discrepancies)
        out[f"summary-{b + 1}-bs"] = table(f"事業別決算の状況 {name} 貸借対照表", ["予算", "決算", "差引"], bs_rows, unit="百万円", business=name)
        out[f"summary-{b + 1}-pl"] = table(f"事業別決算の状況 {name} 損益計算書", ["予算", "決算", "差引"], pl_rows, unit="百万円", business=name)
    # consolidated CF summary (百万円): checked against the CF statement, groups as published
    i = text.find("### 3 キャッシュ・フロー計算書", start)
    cf_rows = []
    for cells in text.rows(text.find("営業活動", i), "現金及び現金同等物期末残高"):
        label = clean_label(cells[0]).strip("()（）")
        vals = [c for c in cells[1:] if c.strip()]
        cf_rows.append(row(label, "heading" if not vals else "line", 0,
                           None if not vals else [amount(vals[0].strip("()（） "))]))
    cf = tables["cf"]
    _summary_cf_signs(cf_rows, cf, discrepancies)
    out["summary-cf"] = table("令和4年度決算の概要 キャッシュ・フロー計算書", ["金額"], cf_rows, unit="百万円")
    return out, discrepancies


PROFIT_IDENTITIES = {
    "営業利益": lambda v: v["営業収益"] - v["営業費用"],
    "経常利益": lambda v: v["営業利益"] + v["営業外収益"] - v["営業外費用"],
    "当期純利益": lambda v: v["経常利益"] + v["特別利益"] - v["特別損失"],
    "純資産": lambda v: v["資産"] - v["負債"],
}


def _budget_sign(label, b, a_signed, d, identity):
    """The sign of a budget profit: the one nearer the value its identity gives,
    or, if both are as near, the one that brings 決算 − 予算 nearer the 差引."""
    if b == 0:
        return 0
    keys = {s * b: (abs(s * b - identity), abs(abs(a_signed - s * b) - d)) for s in (1, -1)}
    best = min(keys.values())
    fits = [x for x, k in keys.items() if k == best]
    check(len(fits) == 1, f"summary: ambiguous budget sign for {label}")
    return fits[0]


SUMMARY_TOLERANCE = 1  # each 百万円 figure is rounded on its own


def _summary_budget_identities(bs_rows, pl_rows, name, discrepancies):
    """The recovered budget signs must satisfy the statements' own identities.

    Each figure is rounded on its own, so an identity may be off by the
    rounding of its terms; anything larger is a discrepancy in the publication
    itself and is recorded (and listed in SOURCES.md), not silently accepted."""
    def expect(what, lhs, rhs, terms):
        if abs(lhs - rhs) > terms * SUMMARY_TOLERANCE:
            discrepancies.append({"table": name, "identity": what, "left": lhs, "right": rhs})

    for col, column in enumerate(("予算", "決算")):
        b = {r["label"]: r["values"][col] for r in pl_rows}
        expect(f"{column}: 営業収益 − 営業費用 = 営業利益", b["営業収益"] - b["営業費用"], b["営業利益"], 2)
        expect(f"{column}: 営業利益 + 営業外収益 − 営業外費用 = 経常利益", b["営業利益"] + b["営業外収益"] - b["営業外費用"], b["経常利益"], 3)
        expect(f"{column}: 経常利益 + 特別利益 − 特別損失 ≈ 当期純利益", b["経常利益"] + b["特別利益"] - b["特別損失"], b["当期純利益"], 3)
        s = {r["label"]: r["values"][col] for r in bs_rows}
        expect(f"{column}: 流動資産 + 固定資産 = 資産", s["流動資産"] + s["固定資産"], s["資産"], 2)
        expect(f"{column}: 流動負債 + 固定負債 = 負債", s["流動負債"] + s["固定負債"], s["負債"], 2)
        expect(f"{column}: 負債 + 純資産 = 資産", s["負債"] + s["純資産"], s["資産"], 2)
    for r in bs_rows + pl_rows:
        budget, actual, diff = r["values"]
        if abs((actual - budget) - diff) > 2 * SUMMARY_TOLERANCE:
            discrepancies.append({"table": name, "identity": f"{r['label']}: 差引 = 決算 − 予算", "left": actual - budget, "right": diff})


SUMMARY_CF_LINES = {  # summary line -> the lines of the キャッシュ・フロー計算書 it groups
    "事業負担金": ["事業負担金収入"],
    "交付金収入": ["交付金収入"],
    "負担金収入": ["負担金収入"],
    "事業収入": ["事業収入"],
    "情報提供手数料": ["情報提供等手数料"],
    "その他収入": ["補助金等収入", "発行手数料収入", "その他の営業収入"],
    "収入計": ["事業負担金収入", "交付金収入", "負担金収入", "事業収入", "情報提供等手数料", "補助金等収入", "発行手数料収入", "その他の営業収入"],
    "委託費": ["委託費の支出"],
    "支出計": ["人件費の支出", "委託費の支出", "その他の営業支出"],
    "小計": ["小計"],
    "利息及び配当金の受取額等": ["利息及び配当金の受取額"],
    "利息の支払額等": ["消費税等還付金収入", "利息の支払額", "法人税等の支払額"],
    "営業活動によるキャッシュ・フロー": ["営業活動によるキャッシュ・フロー"],
    "定期預金の払戻等による収入": ["定期預金の払戻による収入", "その他投資活動による収入"],
    "定期預金の預入等による支出": ["有形固定資産取得による支出", "定期預金の預入による支出", "その他投資活動による支出"],
    "投資活動によるキャッシュ・フロー": ["投資活動によるキャッシュ・フロー"],
    "リース債務の返済による支出": ["リース債務の返済による支出"],
    "財務活動によるキャッシュ・フロー": ["財務活動によるキャッシュ・フロー"],
    "現金及び現金同等物に係る換算差額": ["現金及び現金同等物に係る換算差額"],
    "現金及び現金同等物の増減額": ["現金及び現金同等物の増減額"],
    "現金及び現金同等物期首残高": ["現金及び現金同等物期首残高"],
    "現金及び現金同等物期末残高": ["現金及び現金同等物期末残高"],
}


def _summary_cf_signs(rows, cf, discrepancies):
    """Each summary line groups lines of the CF statement (the grouping is read
    off the figures: その他収入 = 補助金等 + 発行手数料 + その他, 利息の支払額等 nets
    the 消費税等還付金 …); its sign is that of the group, and its magnitude must
    be the group's total in 百万円 (±1: the 小計 is computed from rounded figures)."""
    full = {r["label"]: r["values"][0] for r in cf["rows"] if r["values"] is not None}
    for r in rows:
        if r["values"] is None:
            continue
        check(r["label"] in SUMMARY_CF_LINES, f"CF summary: unknown line {r['label']}")
        expected = sum(full[x] for x in SUMMARY_CF_LINES[r["label"]])
        if expected < 0:
            r["values"][0] = -r["values"][0]
        if abs(to_million(expected) - r["values"][0]) > SUMMARY_TOLERANCE:
            discrepancies.append({"table": "summary-cf", "identity": r["label"], "left": to_million(expected), "right": r["values"][0]})


def _reason_bullets(cell: str) -> list[str]:
    """The bullets (・) of a 左の主な理由 cell, plain or as an HTML list; a ・ inside a name
    (中間サーバー・プラットフォーム) has no space before it."""
    cell = re.sub(r"</?(?:ul|li)[^>]*>", " ", cell)
    return [b.strip() for b in re.split(r"(?:^|\s)・\s*", cell) if b.strip()]


DIRECTION = re.compile(r"皆減|増加|減少|増|減")


def _reason(bullet: str) -> tuple[str, int]:
    """A reason's text and its signed amount (百万円).

    The amount, printed unsigned in brackets at the end, is the part of 決算 − 予算 the
    reason explains: positive for an increase.  Its direction is the last 増 / 減 of the
    reason's first clause, once the bracketed asides are dropped: 「…取崩額の減少による「現金
    及び預金」の増」 is an increase; a reason of several clauses (「資産の増(…)、…「備品」の増
    及び「建設仮勘定」の減」) gives the net effect on the row, named first."""
    m = matched(re.search(r"\(\s*([\d,]+)\s*\)\s*$", bullet), f"summary reason without an amount: {bullet!r}")
    label = bullet[: m.start()].replace(" ", "")
    clause = re.sub(r"\([^()]*\)", "", label).split("、")[0]
    words = DIRECTION.findall(clause)
    check(bool(words), f"summary reason without a direction: {label!r}")
    return label, (1 if words[-1].startswith("増") else -1) * amount(m.group(1))


def recover_summary_reasons(text: Text, tables: dict, disagreements: list[dict]) -> tuple[dict, dict]:
    """参考資料1-2 左の主な理由: every reason with its amount, under its summary table and row.

    Checks: (1) each reason of the organisation's summary is the sum of reasons of the
    businesses' summaries (one per business at most, same direction, within the rounding
    of the terms); exactly one such set must exist, and each business reason serves one
    organisation reason at most.  (2) the reasons whose amount the yen tables fix
    (REASON_FIGURES) agree with them in 百万円, or the disagreement is recorded."""
    rows = []
    reasons: dict[str, list[tuple[str, str, int]]] = {}  # table id -> (row label, text, amount)
    for table_id, line, last in summary_sections(text):
        found = []
        for cells in text.rows(line, last):
            label = clean_label(cells[0])
            if label != "科目" and len(cells) > 4 and cells[4].strip():
                found += [(label, *_reason(b)) for b in _reason_bullets(cells[4])]
        reasons[table_id] = found
        if not found:
            continue
        rows.append({**row(tables[table_id]["title"], "heading", 0, None), "table": table_id})
        for label in dict.fromkeys(r[0] for r in found):
            rows.append(row(label, "heading", 1, None))
            rows += [row(reason, "line", 2, [figure]) for r_label, reason, figure in found if r_label == label]
    t = table("令和4年度決算の概要・事業別決算の状況 左の主な理由", ["金額"], rows, unit="百万円")
    matches: dict[str, dict] = {}
    used: set[tuple] = set()
    for kind in ("bs", "pl"):
        pool = [(f"summary-{b + 1}-{kind}", *r) for b in range(len(BUSINESSES)) for r in reasons[f"summary-{b + 1}-{kind}"]]
        for label, reason, figure in reasons[f"summary-{kind}"]:
            candidates = [c for c in pool if c[1] == label and (c[3] > 0) == (figure > 0)]
            fits = [subset for k in range(1, len(candidates) + 1) for subset in itertools.combinations(candidates, k)
                    if len({c[0] for c in subset}) == k and abs(sum(c[3] for c in subset) - figure) <= (k - 1) * SUMMARY_TOLERANCE]
            check(len(fits) == 1, f"summary reasons: {reason} ({figure}) is the sum of {len(fits)} sets of business reasons")
            check(not used & set(fits[0]), f"summary reasons: a business reason explains two: {reason}")
            used |= set(fits[0])
            matches[reason] = {"amount": figure, "businesses": [{"table": c[0], "reason": c[2], "amount": c[3]} for c in fits[0]]}
            if sum(c[3] for c in fits[0]) != figure:
                matches[reason]["rounding"] = sum(c[3] for c in fits[0]) - figure
    for table_id, label, fragment, yen_of in REASON_FIGURES:
        said = [(r, f) for r_label, r, f in reasons[table_id] if r_label == label and fragment in r]
        check(len(said) == 1, f"summary reasons: {len(said)} reasons of {table_id} {label} say {fragment}")
        (reason, figure), = said
        expected = yen_of(tables)
        if figure != expected:
            disagreements.append({"table": "summary-reasons", "identity": f"{table_id} {label}: {reason}", "left": figure,
                                  "right": expected, "kept": "the reason as printed"})
    return t, matches


def summary_differences_exact(tables: dict, disagreements: list[dict]) -> None:
    """差引 of the 百万円 summaries against 決算 − 予算, to the bound rounding allows.

    差引 is the yen difference rounded; 予算 and 決算 are rounded on their own, so
    |(決算 − 予算) − 差引| <= 1 whatever the yen figures (each rounding moves less than
    0.5).  The summaries' own check allows 2 (recovery › summary discrepancies); a row
    past 1 cannot be rounding and is recorded here as a disagreement of the publication."""
    for table_id, t in tables.items():
        if not re.fullmatch(r"summary-(\d-)?(bs|pl)", table_id):
            continue
        for r in t["rows"]:
            budget, actual, diff = r["values"]
            if abs(actual - budget - diff) > 1:
                disagreements.append({"table": table_id, "identity": f"{r['label']}: 差引 = 決算 − 予算 (±1)",
                                      "left": actual - budget, "right": diff, "kept": "all three as printed"})


def _cell(table_id: str, label: str, column: int, nth: int = 0):
    return lambda tables: value(tables[table_id], label, column, nth)


REASON_FIGURES = [  # (summary, row, words of the reason, the figure the other tables give it, in 百万円)
    # 一般事業's 他事業勘定 (budgeted at nothing: the account nets to zero over the businesses)
    ("summary-1-bs", "負債", "「他事業勘定」の減", lambda t: to_million(_cell("segment-bs", "他事業勘定", 0)(t))),
    # the reserve and the fee are 本人確認情報処理事業's alone (事業別財務情報): the 決算報告書's 差額 is theirs
    ("summary-2-bs", "負債", "「住基ネット再構築平準化等積立金」の増", lambda t: to_million(_cell("budget-bs", "住基ネット再構築平準化等積立金", 2)(t))),
    ("summary-2-bs", "負債", "「長期前受金」の減", lambda t: -to_million(_cell("budget-pl", "符号生成住民票コード提供手数料", 2)(t))),
    ("summary-2-pl", "営業収益", "手数料収入の増", lambda t: to_million(_cell("budget-pl", "符号生成住民票コード提供手数料", 2)(t))),
    ("summary-2-pl", "営業収益", "積立金取崩収入」の減", lambda t: to_million(_cell("budget-pl", "住基ネット再構築平準化等積立金取崩収入", 2)(t))),
    # the 補助金等収入 moved to 長期前受金 ((注2) of the 決算報告書)
    ("summary-pl", "営業収益", "導入機器に係る収入の減", lambda t: to_million(_cell("budget-pl", "補助金等収入", 2)(t))),
    # the fund: no current liability budgeted, its only fixed liability is 長期前受金, its only asset cash
    ("summary-8-bs", "負債", "「未払金」の", lambda t: to_million(_cell("segment-bs", "未払金", 7)(t))),
    ("summary-8-bs", "負債", "「長期前受金」の増", _cell("summary-8-bs", "固定負債", 2)),
    ("summary-8-bs", "資産", "「現金及び預金」の増", _cell("summary-8-bs", "資産", 2)),
    ("summary-8-pl", "営業収益", "「長期前受金取崩収入」の減", _cell("summary-8-pl", "営業収益", 2)),
    ("summary-8-pl", "営業費用", "「事業費」の減", _cell("summary-8-pl", "営業費用", 2)),
]


