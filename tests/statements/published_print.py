"""How the publication prints each statement, read from the document (not from the library).

The figures are the published ones (ledger/published/r4-kessan.json, signed yen); the way the report prints
them is stated here from ledger/published/jlis-r4-kessan-zaimu.txt:

- a negative figure is printed with △ (the text extraction lost every △: DESIGN.md, recover.py);
- the schedules print their decreases, accumulated and current depreciation as positive figures
  (有形固定資産等明細書: 「備品 … 9,211,624 … 507,008,948 350,822,748」; 引当金明細書: 目的使用 「120,575,446」;
  資産除去債務明細書 and 負債性積立金の増減: 減少額);
- a zero is 「-」 in 有形固定資産等明細書 (「建物 … 605,000 - …」), 資産除去債務明細書 (「9,442,556 - 686,587,935」)
  , the キャッシュ・フロー計算書 (「現金及び現金同等物に係る換算差額 -」) and the レベル別 table of the 時価
  (「保証金 - 650,670,165 -」); elsewhere 「0」
  (引当金明細書 「0」, 純資産変動計算書 「当期変動額 0」, 事業別財務情報);
- 利益の処分に関する書類 has two columns: 「処分対象利益 ⇥⇥ 3,151,347,960」, 「当期純利益 ⇥ 3,151,347,960 ⇥」 and each
  reserve in both 「積立金 ⇥ 260,281,440 ⇥ 260,281,440」;
- the summaries of 参考資料1-2 print 百万円 (the table's ``unit``), each figure rounded half up on its own, and a
  差引 that is 決算 − 予算 of the printed figures — except where the publication contradicts itself: the books
  then print 決算 − 予算 (:func:`regenerated`; ledger/SOURCES.md, 参考資料1-2).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ZAIMU = Path(__file__).resolve().parent.parent.parent / "ledger" / "published" / "jlis-r4-kessan-zaimu.txt"

MAGNITUDES = {
    "fixed-assets": {"当期減少額", "当期末減価償却累計額又は償却累計額", "当期償却額"},
    "provisions": {"当期減少額（目的使用）", "当期減少額（その他）"},
    "aro": {"当期減少額"},
    "reserves": {"減少額"},
    "reserve-plans": {"取崩"},  # (負債性積立金関係): 「22.1億円の取崩しを行いました」
}
DASH_FOR_ZERO = {"fixed-assets", "aro", "cf", "financial-instruments-levels"}
#: The columns of texts, printed as they are.
TEXTS = {"budget-notes": {"内容"}, "fund-grants": {"補助率", "事業期間"}, "borrowings": {"平均利率（%）", "返済期限"},
         "fixed-assets-notes": {"内容"}}
#: The published head of the label column, and where the document prints it (the first tab line after the marker).
LABEL_HEADS = {
    "bs": "# 貸借対照表", "pl": "## 損益計算書", "equity": "## 純資産変動計算書", "cf": "キャッシュ・フロー計算書",
    "fixed-assets": "## 【有形固定資産等明細書】", "lease-debt": "## 【借入金等明細書】", "provisions": "## 【引当金明細書】",
    "aro": "【資産除去債務明細書】", "deferred-revenue": "長期前受金の内容及び金額",
}
ENTITY = "地方公共団体情報システム機構"


def figure(value: int | str, unit: str = "円") -> str:
    """An amount as printed; a figure the publication gives in another unit (a string: 「110.1」億円, 「1,181」団体) as
    the outputs print it: △ for a negative, at least one decimal in 億円 (「12」億円 prints 12.0)."""
    if isinstance(value, str):
        number = Decimal(value.replace(",", ""))
        if unit == "億円" and number.as_tuple().exponent == 0:
            number = number.quantize(Decimal("0.1"))
        return f"△{-number:,}" if number < 0 else f"{number:,}"
    return f"△{-value:,}" if value < 0 else f"{value:,}"


PER = {"円": 1, "千円": 1_000, "百万円": 1_000_000}


def at_unit(yen: int | str, unit: str) -> int:
    """Exact yen as printed in ``unit``: rounded half up (away from zero), each figure on its own."""
    return int((Decimal(yen) / PER[unit]).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def regenerated(table: dict, row: dict) -> list:
    """The figures the books are to print for a published row, in the table's unit: the published ones, but a
    summary's 差引 is its 決算 − 予算 as printed (where the publication prints another, it contradicts itself)."""
    values = list(row["values"])
    if table.get("columns") == ["予算", "決算", "差引"] and table.get("unit") == "百万円":
        values[2] = values[1] - values[0]
    return values


def disagreements(published: dict) -> list[tuple[str, str, int, int]]:
    """(table, row, printed 差引, 決算 − 予算) wherever a summary's printed 差引 is not its own 決算 − 予算."""
    out = []
    for table_id, table in published["tables"].items():
        for row in table["rows"]:
            if row["values"] is not None and regenerated(table, row) != row["values"]:
                out.append((table_id, row["label"], row["values"][2], regenerated(table, row)[2]))
    return out


def cells(statement: str, table: dict, row: dict) -> list[str]:
    """The cells of a published row as the report prints them."""
    if statement == "appropriation":
        value = figure(row["values"][0])
        return [value, value] if row["kind"] == "line" and _under_heading(table, row) else [value]
    out = []
    for column, value in zip(table["columns"], regenerated(table, row), strict=True):
        if value is None:
            continue  # nothing printed
        if column in TEXTS.get(statement, ()):
            out.append(value)
            continue
        if column in MAGNITUDES.get(statement, ()):
            value = value[1:] if isinstance(value, str) and value.startswith("-") else -value if not isinstance(value, str) else "-" + value
        unit = table.get("column_units", {}).get(column) or table.get("unit", "円")
        out.append("-" if value == 0 and statement in DASH_FOR_ZERO else figure(value, unit))
    if row.get("note"):
        out.append(row["note"])  # the 備考 mark
    return out


def _under_heading(table: dict, row: dict) -> bool:
    rows = table["rows"]
    index = next(i for i, r in enumerate(rows) if r is row)
    parent = next(r for r in reversed(rows[:index]) if r["level"] == 0)
    return parent["kind"] == "heading"


def document() -> list[str]:
    return ZAIMU.read_text(encoding="utf-8").splitlines()


def label_head(statement: str) -> str:
    """The published head of the label column (spaces of the typesetting removed)."""
    lines = document()
    start = lines.index(LABEL_HEADS[statement]) if LABEL_HEADS[statement] in lines else \
        next(i for i, line in enumerate(lines) if line.strip() == LABEL_HEADS[statement])
    head = next(line for line in lines[start + 1:] if "\t" in line)
    return head.split("\t")[0].replace(" ", "")


def date_line(marker: str) -> str:
    """The bracketed date printed under a statement's heading, e.g. 令和5年3月31日現在."""
    lines = document()
    start = next(i for i, line in enumerate(lines) if line.strip() == marker)
    line = next(line for line in lines[start + 1:] if line.strip().startswith("("))
    return line.strip().strip("()")


def printed_rows(marker: str) -> list[tuple[str, list[str]]]:
    """The rows of a table as the extraction kept them (label without spaces, cells), its head row first."""
    lines = document()
    start = next(i for i, line in enumerate(lines) if line.strip() == marker)
    out: list[tuple[str, list[str]]] = []
    for line in lines[start + 1:]:
        if "\t" in line:
            label, *rest = line.split("\t")
            out.append((label.replace(" ", ""), [c.strip() for c in rest]))
        elif out and not line.strip():
            break
    return out
