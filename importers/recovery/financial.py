"""財務諸表: 貸借対照表, 損益計算書, 利益の処分, 純資産変動計算書 and キャッシュ・フロー計算書, signs recovered."""

from __future__ import annotations

from .text import RawRow, Text, amount, check, clean_label, outline, row, section_sums_hold, table, value


def simple_statement(text: Text, title_line: str, first: str, last: str, subtotal_labels=()) -> list[dict]:
    start = text.find(title_line)
    start = text.find(first, start)
    raw: list[RawRow] = []
    for cells in text.rows(start, last):
        label = clean_label(cells[0])
        vals = [c for c in cells[1:] if c.strip()]
        raw.append((label, [amount(vals[-1])] if vals else None))
    return outline(raw, subtotal_labels)


PL_COMPUTED = ("営業利益", "経常利益", "税金等調整前当期純利益", "当期純利益")


def recover_bs(text: Text) -> dict:
    rows = simple_statement(text, "# 貸借対照表", "資産の部", "負債純資産合計")
    t = table("貸借対照表", ["金額"], rows, as_of="2023-03-31")
    section_sums_hold(t)
    check(value(t, "資産合計") == value(t, "負債純資産合計"), "BS: assets != liabilities + net assets")
    check(value(t, "負債合計") + value(t, "純資産合計") == value(t, "負債純資産合計"), "BS: L + NA")
    return t


def pl_computed_hold(t: dict, column: int = 0) -> None:
    v = lambda label: value(t, label, column)  # noqa: E731
    check(v("営業収益合計") - v("営業費用合計") == v("営業利益"), f"{t['title']}: 営業利益")
    check(v("営業利益") + v("営業外収益合計") - v("営業外費用合計") == v("経常利益"), f"{t['title']}: 経常利益")
    special_gain = v("特別利益合計") if any(r["label"] == "特別利益合計" for r in t["rows"]) else 0
    check(v("経常利益") + special_gain - v("特別損失合計") == v("税金等調整前当期純利益"), f"{t['title']}: 税前")
    check(v("税金等調整前当期純利益") - v("法人住民税") == v("当期純利益"), f"{t['title']}: 当期純利益")


def recover_pl(text: Text) -> dict:
    rows = simple_statement(text, "## 損益計算書", "営業収益", "当期純利益", PL_COMPUTED)
    for r in rows:  # 法人住民税 stands between two computed rows, at the top level
        if r["label"] in PL_COMPUTED or r["label"] == "法人住民税":
            r["level"] = 0
    t = table("損益計算書", ["金額"], rows, period=["2022-04-01", "2023-03-31"])
    section_sums_hold(t)
    pl_computed_hold(t)
    return t


def recover_appropriation(text: Text, pl: dict) -> dict:
    start = text.find("利益の処分")
    net_income = value(pl, "当期純利益")
    lines = {}
    for cells in text.rows(start, "システム運用積立金"):
        label = clean_label(cells[0])
        vals = [amount(c) for c in cells[1:] if c.strip()]
        lines[label] = vals[-1] if vals else None
    # The extraction reads the heading 利益処分額 as 利益処分量 (a misread glyph).
    check("利益処分量" in lines, "appropriation heading moved")
    rows = [
        row("処分対象利益", "subtotal", 0, [lines["処分対象利益"]]),
        row("当期純利益", "line", 1, [lines["当期純利益"]]),
        row("利益処分額", "heading", 0, None),
        row("積立金", "line", 1, [lines["積立金"]]),
        row("システム開発積立金", "line", 1, [lines["システム開発積立金"]]),
        row("システム運用積立金", "line", 1, [lines["システム運用積立金"]]),
    ]
    t = table("利益の処分に関する書類", ["金額"], rows, as_of="2023-03-31")
    check(lines["処分対象利益"] == net_income == lines["当期純利益"], "appropriation: 処分対象利益 != 当期純利益")
    check(sum(r["values"][0] for r in rows[3:]) == net_income, "appropriation does not distribute the net income")
    return t


def recover_equity(text: Text, bs: dict, pl: dict) -> dict:
    """純資産変動計算書: groups of 当期首残高 / movements / 当期変動額合計 / 当期末残高.

    Signs: a movement that takes money out of the group is negative.  Which
    movements are decreases is fixed by opening + Σ movements = closing and by
    the meaning of each line (a 積立 increases the reserve it names and
    decreases 積立金; a 取崩 does the opposite)."""
    start = text.find("## 純資産変動計算書")
    raw = text.rows(text.find("出資者資本", start), "当期末残高")  # first group only, to find the layout
    cells_all = text.rows(text.find("出資者資本", start), "当期末残高")
    del raw, cells_all
    lines = []
    i = text.find("出資者資本", start)
    while True:
        line = text.lines[i]
        if line.startswith("キャッシュ・フロー計算書"):
            break
        if "\t" in line:
            cells = line.split("\t")
            vals = [c for c in cells[1:] if c.strip()]
            lines.append((clean_label(cells[0]), amount(vals[-1]) if vals else None))
        i += 1
    groups = ["地方公共団体出資金", "積立金", "公的個人認証サービス事業財政調整積立金", "システム開発積立金", "利益剰余金合計", "純資産合計"]
    # sign of each movement, per group, by its meaning
    decreases = {
        "積立金": {"システム開発積立金の積立"},
        "システム開発積立金": {"システム開発積立金の取崩"},
        "利益剰余金合計": {"システム開発積立金の取崩", "積立金の取崩"},
    }
    rows: list[dict] = [row("出資者資本", "heading", 0, None)]
    group = ""
    opening: int = 0
    movement_total: int = 0
    movements: list[int] = []
    for label, val in lines:
        if label == "出資者資本":
            continue
        if label == "利益剰余金" and val is None:
            rows.append(row(label, "heading", 1, None))
            continue
        if label in groups and val is None:
            group = label
            level = 1 if label in ("地方公共団体出資金", "純資産合計", "利益剰余金合計") else 2
            rows.append(row(label, "heading", level, None))
            base = level + 1
            movements = []
            continue
        if val is None:
            check(label == "当期変動額", f"equity {group}: {label} has no amount")
            rows.append(row(label, "heading", base, None))
            continue
        if label == "当期首残高":
            opening = val
            rows.append(row(label, "line", base, [val]))
        elif label == "当期変動額":  # a group with no movement
            rows.append(row(label, "line", base, [val]))
        elif label == "当期変動額合計":
            movement_total = sum(movements)
            check(val in (movement_total, -movement_total), f"equity {group}: 変動額合計")
            rows.append(row(label, "subtotal", base, [movement_total]))
        elif label == "当期末残高":
            check(opening + movement_total == val, f"equity {group}: {opening} + {movement_total} != {val}")
            rows.append(row(label, "line", base, [val]))
        else:
            signed = -val if label in decreases.get(group, set()) else val
            movements.append(signed)
            rows.append(row(label, "line", base + 1, [signed]))
    t = table("純資産変動計算書", ["金額"], rows, period=["2022-04-01", "2023-03-31"])
    closing = {g: r["values"][0] for g, r in _group_closings(rows)}
    check(closing["積立金"] == value(bs, "積立金"), "equity: 積立金 != BS")
    check(closing["システム開発積立金"] == value(bs, "システム開発積立金"), "equity: システム開発積立金 != BS")
    check(closing["利益剰余金合計"] == value(bs, "利益剰余金合計"), "equity: 利益剰余金合計 != BS")
    check(closing["純資産合計"] == value(bs, "純資産合計"), "equity: 純資産合計 != BS")
    ni = [r for r in rows if r["label"] == "当期純利益"]
    check(all(r["values"][0] == value(pl, "当期純利益") for r in ni), "equity: 当期純利益 != PL")
    return t


def _group_closings(rows):
    group = None
    for r in rows:
        if r["kind"] == "heading" and r["label"] not in ("当期変動額", "出資者資本", "利益剰余金"):
            group = r["label"]
        if r["label"] == "当期末残高":
            yield group, r


CF_OUTFLOWS = {
    "人件費の支出",
    "委託費の支出",
    "その他の営業支出",
    "利息の支払額",
    "法人税等の支払額",
    "有形固定資産取得による支出",
    "定期預金の預入による支出",
    "その他投資活動による支出",
    "リース債務の返済による支出",
}


def recover_cf(text: Text, bs: dict) -> dict:
    start = text.find("キャッシュ・フロー計算書")
    raw: list[RawRow] = []
    for cells in text.rows(text.find("営業活動によるキャッシュ・フロー", start), "現金及び現金同等物期末残高"):
        label = clean_label(cells[0])
        vals = [c for c in cells[1:] if c.strip()]
        if not vals:
            raw.append((label, None))
            continue
        v = amount(vals[-1])
        raw.append((label, [-v if label in CF_OUTFLOWS else v]))
    rows = outline(raw, ("小計", "現金及び現金同等物の増減額", "現金及び現金同等物期首残高", "現金及び現金同等物期末残高"))
    t = table("キャッシュ・フロー計算書", ["金額"], rows, period=["2022-04-01", "2023-03-31"])
    _cf_signs(t)
    check(value(t, "現金及び現金同等物期末残高") == value(bs, "現金及び預金"), "CF: closing cash != BS")
    return t


def _cf_signs(t: dict) -> None:
    rows = t["rows"]
    lines_since: list[dict] = []
    sub = 0
    for r in rows:
        if r["kind"] == "heading":
            lines_since = []
            continue
        if r["label"] == "小計":
            sub = sum(x["values"][0] for x in lines_since)
            check(abs(sub) == abs(r["values"][0]), "CF: 小計")
            r["values"] = [sub]
            lines_since = [r]
            continue
        if r["label"].endswith("活動によるキャッシュ・フロー"):
            total = sum(x["values"][0] for x in lines_since)
            check(abs(total) == abs(r["values"][0]), f"CF: {r['label']}")
            r["values"] = [total]
            lines_since = []
            continue
        lines_since.append(r)
    activities = [r["values"][0] for r in rows if r["label"].endswith("活動によるキャッシュ・フロー") and r["values"]]
    fx = value(t, "現金及び現金同等物に係る換算差額")
    change = value(t, "現金及び現金同等物の増減額")
    check(abs(sum(activities) + fx) == abs(change), "CF: 増減額")
    change = sum(activities) + fx
    for r in rows:
        if r["label"] == "現金及び現金同等物の増減額":
            r["values"] = [change]
    check(value(t, "現金及び現金同等物期首残高") + change == value(t, "現金及び現金同等物期末残高"), "CF: opening + change != closing")


