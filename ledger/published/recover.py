"""Recover the published FY2022 (令和4年度) tables from the text extraction of the PDF.

The input, ``jlis-r4-kessan-zaimu.txt``, is the financial part of the published
決算 document as extracted to text (the 事業報告書 section on the デジタル基盤改革
支援基金 and everything from 令和4年度財務諸表 to the end).  The extraction lost
every minus sign (△) and scrambled the columns of the revenue rows of the
事業別損益計算書, so this script does not trust the text: every sign and every
column assignment is *recovered from the constraints* that the publication
itself states (rows sum to 合計, columns sum to their subtotals, opening plus
movements equals closing, the 百万円 summaries agree with the yen figures), and
every recovery is asserted here and explained in ``ledger/SOURCES.md``.

Run ``python ledger/published/recover.py`` to rewrite ``r4-kessan.json`` and
``python ledger/published/recover.py --check`` to verify that the committed
file is exactly what the text gives (the test suite does the latter).

Conventions of the output (also stated in SOURCES.md):

* amounts are integer yen (or the table's ``unit``), signed: a decrease, an
  outflow, a loss, an elimination or a negative balance is negative;
* every table is ``{"title", "unit", "columns", "rows": [{"label", "kind",
  "level", "values"}]}`` with ``kind`` one of heading / line / subtotal and
  ``values`` aligned with ``columns`` (``null`` for a heading);
* labels are the published 科目 labels, with footnote markers (``事業費 1``)
  and extraction artefacts (spaces inside words) removed.
* cells that are not amounts (an interest rate, a due date, a note's text, a
  count) are strings as printed, less the spaces the extraction put inside
  words; 億円 figures are decimal strings;
* the notes and the rest of the 附属明細書 (issue 16) follow the earlier
  tables, which they leave unchanged; disagreements between the
  publication's own figures are kept as printed and listed under
  ``recovery › publication disagreements``.

This file uses only the standard library, so it runs before anything is
installed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "jlis-r4-kessan-zaimu.txt"
OUTPUT = HERE / "r4-kessan.json"

BUSINESSES = [
    "一般事業",
    "本人確認情報処理事業",
    "公的個人認証サービス事業",
    "個人番号カード発行等事業",
    "中間サーバー共同化・集約化等事業",
    "総合行政ネットワーク運営事業",
    "本人確認情報処理事業関連事業",
    "デジタル基盤改革支援基金事業",
]
SEGMENT_COLUMNS = BUSINESSES + ["相殺等", "合計"]


class RecoveryError(AssertionError):
    """A published constraint does not hold for the figures read from the text."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise RecoveryError(message)


def matched(m: re.Match[str] | None, message: str) -> re.Match[str]:
    """``m``, or the RecoveryError ``message`` when the text did not match."""
    if m is None:
        raise RecoveryError(message)
    return m


# --------------------------------------------------------------------------
# Reading the text
# --------------------------------------------------------------------------

NUMBER = re.compile(r"^-?[\d,]+$")


def amount(cell: str) -> int:
    """A published amount: '1,234' -> 1234; '-' and '' (nothing) -> 0."""
    cell = cell.strip()
    if cell in ("", "-"):
        return 0
    check(bool(NUMBER.match(cell)), f"not an amount: {cell!r}")
    return int(cell.replace(",", ""))


def clean_label(label: str) -> str:
    """Drop footnote markers and the spaces the extraction put inside words."""
    label = re.sub(r"\s+\d$", "", label.strip())  # '事業費 1' -> '事業費'
    label = label.replace(" ", "").replace("\u3000", "")
    return label


class Text:
    def __init__(self, path: Path) -> None:
        self.lines = path.read_text(encoding="utf-8").splitlines()

    def find(self, needle: str, start: int = 0) -> int:
        for i in range(start, len(self.lines)):
            if needle in self.lines[i]:
                return i
        raise RecoveryError(f"{needle!r} not found after line {start + 1}")

    def rows(self, start: int, stop_label: str, width: int | None = None) -> list[list[str]]:
        """Tab-separated rows after line ``start`` up to the row labelled ``stop_label``."""
        out = []
        for i in range(start, len(self.lines)):
            line = self.lines[i]
            if "\t" not in line:
                continue
            cells = line.split("\t")
            out.append(cells if width is None else (cells + [""] * width)[:width])
            if clean_label(cells[0]) == stop_label:
                return out
        raise RecoveryError(f"table ending in {stop_label!r} not found")


# --------------------------------------------------------------------------
# Table model
# --------------------------------------------------------------------------


def row(label: str, kind: str, level: int, values: list | None) -> dict:
    return {"label": label, "kind": kind, "level": level, "values": values}


def subtotal_of(head: str, label: str) -> bool:
    """Is ``label`` the subtotal row that closes the heading ``head``?"""
    base = head[:-2] if head.endswith("の部") else head
    return label in (head, head + "合計", head + "計", base + "合計")


def outline(raw: list[tuple[str, list[int] | None]], subtotal_labels=()) -> list[dict]:
    """Give each row its kind and nesting level.

    A row without values is a heading and opens a level; a row named
    ``<heading>合計`` / ``<heading>計`` (or the heading itself, as in the CF
    statement, or ``資産合計`` for ``資産の部``) closes it and is its subtotal.
    Rows listed in ``subtotal_labels`` are computed rows (営業利益 …).
    """
    stack: list[str] = []
    rows = []
    for label, values in raw:
        if values is None:
            rows.append(row(label, "heading", len(stack), None))
            stack.append(label)
            continue
        closes = None
        for depth in range(len(stack) - 1, -1, -1):
            if subtotal_of(stack[depth], label):
                closes = depth
                break
        if closes is not None:
            del stack[closes:]
            rows.append(row(label, "subtotal", closes, values))
        elif label in subtotal_labels or label.endswith("合計"):
            rows.append(row(label, "subtotal", len(stack), values))
        else:
            rows.append(row(label, "line", len(stack), values))
    return rows


def table(title: str, columns: list[str], rows: list[dict], unit: str = "円", **extra) -> dict:
    for r in rows:
        if r["values"] is not None:
            check(len(r["values"]) == len(columns), f"{title}: {r['label']} has {len(r['values'])} values")
    return {"title": title, "unit": unit, "columns": columns, "rows": rows, **extra}


def value(tbl: dict, label: str, column: int = 0, nth: int = 0) -> int:
    found = [r for r in tbl["rows"] if r["label"] == label and r["values"] is not None]
    return found[nth]["values"][column]


def section_sums_hold(tbl: dict) -> None:
    """Every subtotal equals the sum of the lines and subtotals nested under it."""
    rows = tbl["rows"]
    for i, r in enumerate(rows):
        if r["kind"] != "subtotal":
            continue
        # find the heading this subtotal closes: nearest previous heading at the same level
        j = i - 1
        while j >= 0 and not (rows[j]["kind"] == "heading" and rows[j]["level"] == r["level"]):
            j -= 1
        if j < 0 or not subtotal_of(rows[j]["label"], r["label"]):
            continue
        members = [m for m in rows[j + 1 : i] if m["level"] == r["level"] + 1 and m["kind"] != "heading"]
        if not members:
            continue
        for c in range(len(tbl["columns"])):
            total = sum(m["values"][c] for m in members)
            check(total == r["values"][c], f"{tbl['title']}: {r['label']}[{tbl['columns'][c]}] {r['values'][c]} != {total}")


# --------------------------------------------------------------------------
# 財務諸表
# --------------------------------------------------------------------------


def simple_statement(text: Text, title_line: str, first: str, last: str, subtotal_labels=()) -> list[dict]:
    start = text.find(title_line)
    start = text.find(first, start)
    raw = []
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
    group = None
    opening = movement_total = 0
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
        if label == "当期首残高":
            opening = val
            rows.append(row(label, "line", base, [val]))
        elif label == "当期変動額" and val is None:
            rows.append(row(label, "heading", base, None))
        elif label == "当期変動額" and val is not None:  # a group with no movement
            rows.append(row(label, "line", base, [val]))
        elif label == "当期変動額合計":
            movement_total = sum(movements)
            check(movement_total == val or -movement_total == val, f"equity {group}: 変動額合計")
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
    raw = []
    for cells in text.rows(text.find("営業活動によるキャッシュ・フロー", start), "現金及び現金同等物期末残高"):
        label = clean_label(cells[0])
        vals = [c for c in cells[1:] if c.strip()]
        if not vals:
            raw.append((label, None))
            continue
        v = amount(vals[-1])
        raw.append((label, [-v if label in CF_OUTFLOWS else v]))
    rows = outline(raw, ("小計", "現金及び現金同等物の増減額", "現金及び現金同等物期首残高", "現金及び現金同等物期末残高"))
    # The activity totals lost their sign: recover each from its lines.
    for r in rows:
        if r["kind"] == "subtotal" and r["label"].endswith("活動によるキャッシュ・フロー"):
            pass
    t = table("キャッシュ・フロー計算書", ["金額"], rows, period=["2022-04-01", "2023-03-31"])
    _cf_signs(t)
    v = lambda label: value(t, label)  # noqa: E731
    check(v("現金及び現金同等物期末残高") == value(bs, "現金及び預金"), "CF: closing cash != BS")
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


# --------------------------------------------------------------------------
# 事業別財務情報
# --------------------------------------------------------------------------


def recover_segment_bs(text: Text, bs: dict) -> dict:
    """事業別財務情報（貸借対照表関係）: the columns are in place; the minus signs
    of the 他事業勘定 row and of the 相殺等 column are lost."""
    start = text.find("科 目\t一般事業")
    raw = []
    for cells in text.rows(start + 1, "負債純資産合計"):
        label = clean_label(cells[0])
        vals = [amount(c) for c in cells[1:] if c.strip()]
        raw.append((label, vals[:10] if vals else None))
    rows = outline(raw)
    t = table("事業別財務情報（貸借対照表関係）", SEGMENT_COLUMNS, rows, as_of="2023-03-31")
    repairs = repair_shifted_cells(t, business_columns=8)
    # 相殺等 eliminates: it is never positive.
    for r in rows:
        if r["values"] is not None:
            r["values"][8] = -r["values"][8]
    # 他事業勘定: the sign of each business follows from 流動負債合計 (the other lines are positive).
    other = next(r for r in rows if r["label"] == "他事業勘定")
    current = next(r for r in rows if r["label"] == "流動負債合計")
    members = [r for r in rows if r["level"] == current["level"] + 1 and r["label"] in
               ("未払金", "未払法人住民税等", "預り金", "賞与引当金", "役員賞与引当金", "リース債務") and r is not other]
    members = members[:6]
    for b in range(8):
        rest = sum(m["values"][b] for m in members)
        magnitude = other["values"][b]
        signed = current["values"][b] - rest
        check(abs(signed) == magnitude, f"segment BS: 他事業勘定 of {BUSINESSES[b]}")
        other["values"][b] = signed
    check(sum(other["values"][:8]) == 0, "segment BS: 他事業勘定 does not net to zero")
    repairs += repair_misread_subtotals(t, business_columns=8)
    section_sums_hold(t)
    for r in rows:
        if r["values"] is not None:
            check(sum(r["values"][:9]) == r["values"][9], f"segment BS: {r['label']} row sum")
    for b in range(10):
        check(value(t, "資産合計", b) == value(t, "負債純資産合計", b), f"segment BS: A != L + NA for column {b}")
    for r in rows:
        if r["values"] is not None:
            same = [x for x in bs["rows"] if x["label"] == r["label"] and x["values"] is not None]
            if same:
                nth = sum(1 for x in rows[: rows.index(r)] if x["label"] == r["label"] and x["values"] is not None)
                check(same[nth]["values"][0] == r["values"][9], f"segment BS 合計 != BS for {r['label']}")
    return t, repairs


def repair_misread_subtotals(t: dict, business_columns: int) -> list[dict]:
    """Correct a subtotal cell that agrees neither with its column nor with its row.

    A cell is replaced by the sum of the lines under it only when that sum also
    makes its row add up to the row's 合計 (the last column): two independent
    published constraints must agree on the corrected figure."""
    rows = t["rows"]
    repairs = []
    for i, r in enumerate(rows):
        if r["kind"] != "subtotal":
            continue
        j = i - 1
        while j >= 0 and not (rows[j]["kind"] == "heading" and rows[j]["level"] == r["level"]):
            j -= 1
        if j < 0 or not subtotal_of(rows[j]["label"], r["label"]):
            continue
        members = [m for m in rows[j + 1 : i] if m["level"] == r["level"] + 1 and m["kind"] != "heading"]
        for c in range(business_columns):
            total = sum(m["values"][c] for m in members)
            if total == r["values"][c]:
                continue
            v = r["values"]
            row_ok_after = sum(v[:c]) + total + sum(v[c + 1 : -1]) == v[-1]
            check(sum(v[:-1]) != v[-1] and row_ok_after,
                  f"{t['title']}: {r['label']}[{t['columns'][c]}] {v[c]} disagrees with its lines ({total}) and the row does not confirm {total}")
            repairs.append({"row": r["label"], "column": t["columns"][c], "read": v[c], "recovered": total,
                            "because": "the lines above it and the row's 合計 both give it"})
            v[c] = total
    return repairs


def repair_shifted_cells(t: dict, business_columns: int) -> list[dict]:
    """Put back values that the extraction moved into a neighbouring empty column.

    For every subtotal whose business columns do not add up, look for the one
    line under it where moving a single value into a column holding 0 makes
    every column add up; exactly one such move must exist."""
    rows = t["rows"]
    repairs = []
    for i, r in enumerate(rows):
        if r["kind"] != "subtotal":
            continue
        j = i - 1
        while j >= 0 and not (rows[j]["kind"] == "heading" and rows[j]["level"] == r["level"]):
            j -= 1
        if j < 0 or not subtotal_of(rows[j]["label"], r["label"]):
            continue
        members = [m for m in rows[j + 1 : i] if m["level"] == r["level"] + 1 and m["kind"] != "heading"]

        def off(ms):
            return [c for c in range(business_columns) if sum(m["values"][c] for m in ms) != r["values"][c]]

        if not off(members):
            continue
        fixes = []
        for m in members:
            v = m["values"]
            for a in range(business_columns):
                for b in range(business_columns):
                    if a != b and v[a] != 0 and v[b] == 0:
                        v[a], v[b] = v[b], v[a]
                        if not off(members):
                            fixes.append((m, a, b))
                        v[a], v[b] = v[b], v[a]
        if not fixes:
            continue  # not a moved cell (a lost sign, say): the later checks decide
        check(len(fixes) == 1, f"{t['title']}: {r['label']} does not add up and {len(fixes)} single moves would fix it")
        m, a, b = fixes[0]
        m["values"][a], m["values"][b] = m["values"][b], m["values"][a]
        repairs.append({"row": m["label"], "value": m["values"][b], "read_in": t["columns"][a], "belongs_to": t["columns"][b],
                        "because": f"{r['label']} of every business"})
    return repairs


PL_REVENUE_LINES = [
    "事業負担金収入",
    "自治体中間サーバー関連交付金",
    "地方公共団体負担金収入",
    "負担金収入",
    "事業収入",
    "情報提供手数料",
    "符号生成住民票コード提供手数料",
    "発行手数料",
    "情報開示手数料",
    "補助金等収入",
    "長期前受金取崩収入",
]


def recover_segment_pl(text: Text, pl: dict) -> tuple[dict, dict]:
    """事業別財務情報（損益計算書関係）.

    From 営業収益合計 down, each row reads B1..B8, 相殺等, 合計 and then junk.
    The revenue lines above it are scrambled: their values stand in the wrong
    columns, with stray zeros and one duplicated value.  Each line's values
    are assigned to businesses by an exhaustive search under the constraints
    that every business's lines sum to its 営業収益合計 and every line sums (less
    its elimination) to the consolidated figure; the search must find exactly
    one assignment.  Computed rows (営業利益 …) lost their minus signs for the
    loss-making businesses: they are recomputed and compared in magnitude.
    """
    start = text.find("## (事業別財務情報(損益計算書関係))")
    raw_rows = []
    for cells in text.rows(text.find("営業収益", start), "当期純利益"):
        raw_rows.append((clean_label(cells[0]), [amount(c) for c in cells[1:] if c.strip()]))
    # The labels of wrapped cells come out garbled ('地方公共団体負担金入収', '…開連交付金'):
    # the rows stand in the order of the 損益計算書, so take its labels, after
    # checking that each garbled label is made of (nearly) the same characters.
    published = [r["label"] for r in pl["rows"]]
    check(len(published) == len(raw_rows), "segment PL: not the rows of the 損益計算書")
    label_repairs = {}
    for k, ((garbled, vals), label) in enumerate(zip(raw_rows, published)):
        if garbled != label:
            shared = sum(min(garbled.count(ch), label.count(ch)) for ch in set(label))
            check(len(garbled) == len(label) and shared >= len(label) - 1, f"segment PL: {garbled!r} is not {label!r}")
            label_repairs[garbled] = label
        raw_rows[k] = (label, vals)
    by_label = {label: vals for label, vals in raw_rows}
    revenue_total = by_label["営業収益合計"][:10]
    column_totals = revenue_total[:8]
    consolidated = {label: value(pl, label) for label in PL_REVENUE_LINES}
    elimination_total = revenue_total[8]

    # candidates per line: the nonzero values before the last (which is the consolidated figure)
    candidates = {}
    for label in PL_REVENUE_LINES:
        vals = by_label[label]
        check(vals[-1] == consolidated[label], f"segment PL: last value of {label} is not the consolidated figure")
        candidates[label] = [v for v in vals[:-1] if v != 0]

    solutions = []  # the two copies of a duplicated value give the same assignment twice
    for found in _assign_revenue(candidates, consolidated, column_totals, elimination_total):
        if found not in solutions:
            solutions.append(found)
    check(len(solutions) == 1, f"segment PL: {len(solutions)} assignments satisfy the constraints, expected exactly 1")
    assignment = solutions[0]

    rows: list[dict] = []
    for label, vals in raw_rows:
        if label in ("営業収益", "営業費用", "営業外収益", "営業外費用", "特別損失"):
            rows.append(row(label, "heading", 0, None))
        elif label in assignment:
            per_business, eliminated = assignment[label]
            rows.append(row(label, "line", 1, per_business + [-eliminated, consolidated[label]]))
        else:
            v = vals[:10]
            v[8] = -v[8]
            rows.append(row(label, "line", 1, v))
    # kinds, levels and signs of the subtotals and computed rows
    for r in rows:
        if r["label"].endswith("合計"):
            r["kind"], r["level"] = "subtotal", 0
        if r["label"] in PL_COMPUTED or r["label"] == "法人住民税":
            r["kind"] = "subtotal" if r["label"] in PL_COMPUTED else "line"
            r["level"] = 0
    t = table("事業別財務情報（損益計算書関係）", SEGMENT_COLUMNS, rows, period=["2022-04-01", "2023-03-31"])
    _segment_pl_signs(t)
    section_sums_hold(t)
    for c in range(10):
        pl_computed_hold(t, c)
    for r in rows:
        if r["values"] is not None:
            check(sum(r["values"][:9]) == r["values"][9], f"segment PL: {r['label']} row sum")
            check(r["values"][9] == value(pl, r["label"]), f"segment PL 合計 != PL for {r['label']}")
    recovery = {
        label: {
            "published_order": candidates[label],
            "assigned": {BUSINESSES[b]: v for b, v in enumerate(per) if v},
            "相殺等": -elim,
        }
        for label, (per, elim) in assignment.items()
    }
    return t, {"labels read garbled": label_repairs, "revenue lines": recovery}


def _assign_revenue(candidates, consolidated, column_totals, elimination_total):
    """Yield every assignment {line: ([8 values], eliminated)} meeting the constraints.

    Each candidate value of a line goes to a business not yet used by that
    line, or is the line's elimination (相殺等, at most one per line), or is
    dropped if it repeats another value of its line (the extraction
    duplicated some cells).  Then every business's lines must sum to its
    営業収益合計, every line less its elimination to the consolidated figure,
    and the eliminations to the 相殺等 of 営業収益合計.  Values are placed
    largest first, so a business's remaining total prunes the search early."""
    items = sorted(((v, label) for label, vals in candidates.items() for v in vals), reverse=True)
    remaining = list(column_totals)
    per_line = {label: [0] * 8 for label in candidates}
    used = {label: set() for label in candidates}
    elim = {label: 0 for label in candidates}
    dropped = {label: [] for label in candidates}
    suffix = [0] * (len(items) + 1)
    for k in range(len(items) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + items[k][0]

    def search(k, elim_left):
        if sum(remaining) > suffix[k]:
            return
        if k == len(items):
            if elim_left or any(remaining):
                return
            for label in candidates:
                if sum(per_line[label]) - elim[label] != consolidated[label]:
                    return
                if any(d not in per_line[label] and d != elim[label] for d in dropped[label]):
                    return
            yield {label: (list(per_line[label]), elim[label]) for label in candidates}
            return
        v, label = items[k]
        for b in range(8):
            if b in used[label] or remaining[b] < v:
                continue
            used[label].add(b)
            per_line[label][b] = v
            remaining[b] -= v
            yield from search(k + 1, elim_left)
            remaining[b] += v
            per_line[label][b] = 0
            used[label].discard(b)
        if elim[label] == 0 and v <= elim_left:
            elim[label] = v
            yield from search(k + 1, elim_left - v)
            elim[label] = 0
        if candidates[label].count(v) > 1:
            dropped[label].append(v)
            yield from search(k + 1, elim_left)
            dropped[label].pop()

    yield from search(0, elimination_total)


def _segment_pl_signs(t: dict) -> None:
    """Recompute the computed rows (their published magnitudes must agree)."""
    get = lambda label: next(r for r in t["rows"] if r["label"] == label)  # noqa: E731
    for r in t["rows"]:
        if r["label"].endswith("合計") and r["values"] is not None:
            r["values"][8] = r["values"][8]  # already negated with the column
    formulas = {
        "営業利益": lambda c: get("営業収益合計")["values"][c] - get("営業費用合計")["values"][c],
        "経常利益": lambda c: get("営業利益")["values"][c] + get("営業外収益合計")["values"][c] - get("営業外費用合計")["values"][c],
        "税金等調整前当期純利益": lambda c: get("経常利益")["values"][c] - get("特別損失合計")["values"][c],
        "当期純利益": lambda c: get("税金等調整前当期純利益")["values"][c] - get("法人住民税")["values"][c],
    }
    for label, f in formulas.items():
        r = get(label)
        for c in range(10):
            computed = f(c)
            check(abs(computed) == abs(r["values"][c]), f"segment PL: {label}[{SEGMENT_COLUMNS[c]}] {computed} vs {r['values'][c]}")
            r["values"][c] = computed


# --------------------------------------------------------------------------
# 決算報告書
# --------------------------------------------------------------------------


def recover_budget(text: Text, title: str, first: str, last: str, actual: dict, computed=()) -> dict:
    """予算額 / 決算額 / 差額 (= 決算額 − 予算額, recovered from the other two)."""
    start = text.find(title)
    raw = []
    notes = {}
    for cells in text.rows(text.find(first, start), last):
        label = clean_label(cells[0])
        vals = [c for c in cells[1:4]]
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
    raw = []
    for cells in text.rows(start + 1, "無形固定資産計"):
        label = clean_label(cells[0])
        if label == "資産の種類":
            continue
        vals = [c for c in cells[1:8]]
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
    contents = _contents_table(text, "負債性積立金の内容及び金額")
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


def _contents_table(text: Text, heading: str) -> dict:
    start = text.find(heading)
    out = {}
    for cells in text.rows(start + 1, "合計"):
        label = clean_label(cells[0])
        if label == "内容":
            continue
        out[label] = amount(cells[1])
    return out


def recover_deferred_revenue(text: Text, segment_bs: dict) -> dict:
    contents = _contents_table(text, "長期前受金の内容及び金額")
    rows = [row(label.replace("(", "（").replace(")", "）"), "subtotal" if label == "合計" else "line", 0, [v])
            for label, v in contents.items()]
    t = table("長期前受金の内容及び金額", ["金額"], rows, as_of="2023-03-31")
    check(sum(r["values"][0] for r in rows[:-1]) == rows[-1]["values"][0], "deferred revenue: 合計")
    check(rows[-1]["values"][0] == value(segment_bs, "長期前受金", 9), "deferred revenue != BS")
    return t


def recover_notes(text: Text, pl: dict) -> dict:
    """Notes used by the books: main expense items, retirement benefits, 保証金, non-cash leases."""
    notes = {}

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
    decided = {}
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
    out = {}
    i = text.find("2 金融商品の時価等に関する事項")
    fair = []
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
    maturities = []
    for cells in text.rows(text.find("\t1年以内", i) + 1, "合計"):
        values = [amount(c) for c in (cells[1:] + [""] * len(header))[: len(header)]]
        maturities.append({"label": clean_label(cells[0]), **dict(zip([h.replace(" ", "") for h in header], values))})
    for h in maturities[0]:
        if h != "label":
            check(sum(m[h] for m in maturities[:-1]) == maturities[-1][h], f"maturities: {h}")
    out["金銭債権の償還予定額"] = maturities
    i = text.find("5 リース債務の決算日後の返済予定額")
    header = [c.strip().replace(" ", "") for c in text.lines[text.find("\t1年以内", i)].split("\t")[1:]]
    cells = text.lines[text.find("リース債務\t", i)].split("\t")
    lease = dict(zip(header, (amount(c) for c in cells[1:])))
    check(sum(lease.values()) == fair[3]["貸借対照表計上額"], "lease maturities != lease debt")
    out["リース債務の返済予定額"] = lease
    return out


# --------------------------------------------------------------------------
# The notes (注記) and the rest of the 附属明細書, one table each
#
# Cells that are not amounts (an interest rate, a due date, a レベル, a note's
# text) are strings as printed, with the spaces the extraction put inside
# words removed (as the labels); full-width digits are left as printed.
# --------------------------------------------------------------------------

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
    for r, f in zip(rows, fair["rows"]):
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
    for r, old in zip(rows, lease_debt["rows"]):
        check(r["label"] == old["label"] and r["values"][:2] == old["values"], f"borrowings: {r['label']} != lease-debt")
        check(r["values"][2:] == list(lease_debt["details"][r["label"]].values()), f"borrowings: {r['label']} details")
    due = lease_repayment["rows"][0]["values"]
    check(rows[0]["values"][1] == due[0] and rows[1]["values"][1] == sum(due[1:]), "borrowings != 返済予定額")
    return t


def recover_reserves_content(text: Text, bs: dict, reserves: dict) -> dict:
    contents = _contents_table(text, "負債性積立金の内容及び金額")
    rows = [row(label, "subtotal" if label == "合計" else "line", 0, [v]) for label, v in contents.items()]
    t = table("負債性積立金の内容及び金額", ["金額"], rows, as_of=AS_OF)
    column_sums_hold(t, rows[:-1], rows[-1])
    for r, movement in zip(rows, reserves["rows"]):
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


# --------------------------------------------------------------------------
# 参考資料
# --------------------------------------------------------------------------


def round_half_up(x: Decimal, places: Decimal) -> Decimal:
    return x.quantize(places, rounding=ROUND_HALF_UP)


def recover_trend(text: Text, segment_pl: dict) -> dict:
    """参考資料1-1 事業別決算額の推移 (億円, one decimal)."""
    start = text.find("# 事業別決算額の推移")
    header = text.lines[text.find("\tH26", start)].split("\t")[1:]
    rows = []
    for cells in text.rows(text.find("一般\t", start), "計"):
        label = clean_label(cells[0])
        vals = [re.sub(r"</?b>", "", c).strip() for c in cells[1:]]
        vals = (vals + [""] * len(header))[: len(header)]
        # a business that did not exist yet has no figure: the row is right-aligned
        filled = [v for v in vals if v]
        vals = [None] * (len(header) - len(filled)) + [str(Decimal(v.replace(",", ""))) for v in filled]
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
        check(round_half_up(sum(col), total) == total, f"trend: total of {header[c]}")
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


def recover_summaries(text: Text, tables: dict) -> dict:
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
        rows = []
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
        raw, lambda l: seg(seg_bs, bs_map[l], 9), lambda l: seg(budget_bs, bs_map[l], 0), "BS"), unit="百万円")
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
        bs_rows = signed_rows(raw, lambda l: seg(seg_bs, bs_map[l], b), lambda l: None, f"{name} BS")
        raw = read(*sections[f"summary-{b + 1}-pl"])
        pl_rows = signed_rows(raw, lambda l: pl_actual(l, b), lambda l: None, f"{name} PL")
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
            fits = []
            for k in range(1, len(candidates) + 1):
                for subset in itertools.combinations(candidates, k):
                    if len({c[0] for c in subset}) == k and abs(sum(c[3] for c in subset) - figure) <= (k - 1) * SUMMARY_TOLERANCE:
                        fits.append(subset)
            check(len(fits) == 1, f"summary reasons: {reason} ({figure}) is the sum of {len(fits)} sets of business reasons")
            check(not used & set(fits[0]), f"summary reasons: a business reason explains two: {reason}")
            used |= set(fits[0])
            matches[reason] = {"amount": figure, "businesses": [{"table": c[0], "reason": c[2], "amount": c[3]} for c in fits[0]]}
            if sum(c[3] for c in fits[0]) != figure:
                matches[reason]["rounding"] = sum(c[3] for c in fits[0]) - figure
    for table_id, label, fragment, yen_of in REASON_FIGURES:
        found = [(r, f) for r_label, r, f in reasons[table_id] if r_label == label and fragment in r]
        check(len(found) == 1, f"summary reasons: {len(found)} reasons of {table_id} {label} say {fragment}")
        (reason, figure), = found
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


# --------------------------------------------------------------------------


def recover() -> dict:
    text = Text(SOURCE)
    tables: dict[str, dict] = {}
    tables["bs"] = recover_bs(text)
    tables["pl"] = recover_pl(text)
    tables["appropriation"] = recover_appropriation(text, tables["pl"])
    tables["equity"] = recover_equity(text, tables["bs"], tables["pl"])
    tables["cf"] = recover_cf(text, tables["bs"])
    tables["segment-bs"], bs_repairs = recover_segment_bs(text, tables["bs"])
    tables["segment-pl"], pl_recovery = recover_segment_pl(text, tables["pl"])
    tables["budget-bs"] = recover_budget(text, "令和4年度 決算報告書", "資産の部", "負債純資産合計", tables["bs"])
    tables["budget-bs"]["title"] = "決算報告書 貸借対照表"
    tables["budget-pl"] = recover_budget(text, "損益計算書（令和4年4月1日", "営業収益", "当期純利益", tables["pl"], PL_COMPUTED)
    tables["budget-pl"]["title"] = "決算報告書 損益計算書"
    tables["fixed-assets"] = recover_fixed_assets(text, tables["bs"])
    tables["provisions"] = recover_provisions(text, tables["bs"])
    tables["lease-debt"] = recover_lease_debt(text, tables["bs"])
    tables["aro"] = recover_aro(text, tables["bs"])
    tables["reserves"] = recover_liability_reserves(text, tables["bs"])
    tables["deferred-revenue"] = recover_deferred_revenue(text, tables["segment-bs"])
    tables["trend"] = recover_trend(text, tables["segment-pl"])
    summaries, discrepancies = recover_summaries(text, tables)
    tables.update(summaries)
    # the notes and the rest of the 附属明細書 (issue 16), after the tables above so these keep their place
    tables["securities-note"] = recover_securities_note(text, tables["bs"])
    tables["financial-instruments"] = recover_financial_instruments(text, tables["bs"], tables["lease-debt"], tables["securities-note"])
    tables["financial-instruments-levels"] = recover_fair_value_levels(text, tables["financial-instruments"])
    tables["redemption-schedule"] = recover_redemption_schedule(text, tables["bs"])
    tables["lease-repayment"] = recover_lease_repayment(text, tables["lease-debt"])
    tables["securities"] = recover_securities(text, tables["bs"], tables["redemption-schedule"])
    tables["fixed-assets-notes"] = recover_fixed_asset_notes(text, tables["fixed-assets"])
    tables["borrowings"] = recover_borrowings(text, tables["lease-debt"], tables["lease-repayment"])
    tables["reserves-content"] = recover_reserves_content(text, tables["bs"], tables["reserves"])
    tables["retirement-benefits"] = recover_retirement_benefits(text, tables["bs"], tables["provisions"])
    tables["aro-changes"] = recover_aro_changes(text, tables["bs"], tables["aro"])
    tables["deposit-allowance"] = recover_deposit_allowance(text)
    tables["disposal-loss"] = recover_disposal_loss(text, tables["pl"], tables["segment-pl"], tables["fixed-assets"])
    tables["cash-scope"] = recover_cash_scope(text, tables["bs"], tables["cf"])
    tables["non-cash"] = recover_non_cash(text, tables["fixed-assets"])
    tables["accumulated-depreciation"] = recover_accumulated_depreciation(text, tables["fixed-assets"])
    tables["budget-notes"] = recover_budget_notes(text, tables["budget-bs"], tables["budget-pl"])
    disagreements: list[dict] = []
    tables["expenses-by-nature"] = recover_expenses_by_nature(text, tables["pl"], tables["fixed-assets"], tables["aro-changes"],
                                                              tables["retirement-benefits"], disagreements)
    summary_differences_exact(tables, disagreements)
    tables["summary-reasons"], reason_matches = recover_summary_reasons(text, tables, disagreements)
    tables["fund-grants"] = recover_fund_grants(text, tables["segment-bs"], tables["deferred-revenue"])
    tables["reserve-plans"] = recover_reserve_plans(tables["reserves"])
    return {
        "source": {
            "document": "地方公共団体情報システム機構 令和4年度決算 (text extraction of the published PDF)",
            "file": SOURCE.name,
            "fiscal_year": 2022,
            "period": ["2022-04-01", "2023-03-31"],
            "businesses": BUSINESSES,
        },
        "tables": tables,
        "notes": recover_notes(text, tables["pl"]),
        "recovery": {"summary discrepancies": discrepancies, "segment-bs moved cells": bs_repairs, "segment-pl revenue assignment": pl_recovery,
                     "publication disagreements": disagreements, "summary reasons by business": reason_matches},
    }


def dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the committed JSON instead of writing it")
    args = parser.parse_args(argv)
    try:
        data = dump(recover())
    except RecoveryError as exc:
        print(f"{SOURCE.name}: recovery failed: {exc}", file=sys.stderr)
        return 1
    if args.check:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != data:
            print(f"{OUTPUT.name} is not what {SOURCE.name} gives: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(data, encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
