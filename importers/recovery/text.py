"""Reading the text extraction and the table model of the recovered publication: rows, outlines, sums."""

from __future__ import annotations

import re
from pathlib import Path

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
SEGMENT_COLUMNS = [*BUSINESSES, "相殺等", "合計"]


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
    return label.replace(" ", "").replace("\u3000", "")


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
    base = head.removesuffix("の部")
    return label in (head, head + "合計", head + "計", base + "合計")


#: A row as read from the text: its label and its amounts (None for a heading).
RawRow = tuple[str, list[int] | None]


def outline(raw: list[RawRow], subtotal_labels=()) -> list[dict]:
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


