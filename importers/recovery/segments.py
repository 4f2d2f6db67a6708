"""事業別財務情報: the segment tables, their moved cells and scrambled revenue columns recovered."""

from __future__ import annotations

from .financial import PL_COMPUTED, pl_computed_hold
from .text import (
    BUSINESSES,
    SEGMENT_COLUMNS,
    Text,
    amount,
    check,
    clean_label,
    outline,
    row,
    section_sums_hold,
    subtotal_of,
    table,
    value,
)


def recover_segment_bs(text: Text, bs: dict) -> tuple[dict, list[dict]]:
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

        def off(ms, r=r):
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
    raw_rows = [(clean_label(cells[0]), [amount(c) for c in cells[1:] if c.strip()])
                for cells in text.rows(text.find("営業収益", start), "当期純利益")]
    # The labels of wrapped cells come out garbled ('地方公共団体負担金入収', '…開連交付金'):
    # the rows stand in the order of the 損益計算書, so take its labels, after
    # checking that each garbled label is made of (nearly) the same characters.
    published = [r["label"] for r in pl["rows"]]
    check(len(published) == len(raw_rows), "segment PL: not the rows of the 損益計算書")
    label_repairs = {}
    for k, ((garbled, vals), label) in enumerate(zip(raw_rows, published, strict=True)):
        if garbled != label:
            shared = sum(min(garbled.count(ch), label.count(ch)) for ch in set(label))
            check(len(garbled) == len(label) and shared >= len(label) - 1, f"segment PL: {garbled!r} is not {label!r}")
            label_repairs[garbled] = label
        raw_rows[k] = (label, vals)
    by_label = dict(raw_rows)
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
            rows.append(row(label, "line", 1, [*per_business, -eliminated, consolidated[label]]))
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
    used: dict[str, set[int]] = {label: set() for label in candidates}
    elim = dict.fromkeys(candidates, 0)
    dropped: dict[str, list[int]] = {label: [] for label in candidates}
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


