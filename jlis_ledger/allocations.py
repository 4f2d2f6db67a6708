"""The allocations report (配賦): each key, its weights over time, and what it allocated in a fiscal year.

Read from the loaded books: the key declarations (``custom "allocation-key"``)
and the postings the allocations plugin generated (``generated:
"allocations"``, ``allocation-key:``), so the report shows what the books
actually contain.

    >>> from jlis_ledger import books, allocations
    >>> b = books.load()
    >>> print(allocations.render(allocations.report(b, b.fiscal_year(2022))))
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from jlis_ledger.books import Books, FiscalYear
from jlis_ledger.declarations import read_allocations
from jlis_ledger.plugins.allocations import FROM_META, GENERATED_BY, GENERATED_KEY, KEY_DATE_META, KEY_META
from jlis_ledger.summary import pad, width

_CODE = re.compile(r"^[0-9A-Z]+-")


@dataclass(frozen=True)
class Weights:
    """One dated version of a key."""

    date: datetime.date
    weights: dict[str, Decimal]  # business label -> weight, in the key's order
    in_force: bool  # in force at some date of the fiscal year
    basis: str | None
    rule: str | None
    source: str | None


@dataclass(frozen=True)
class Allocated:
    """What a key allocated on one item in one currency over the year, per business (Beancount signs)."""

    item: str
    currency: str
    by_business: dict[str, Decimal]
    pool_postings: int  # pool postings it came from

    @property
    def total(self) -> Decimal:
        return sum(self.by_business.values(), Decimal(0))


@dataclass(frozen=True)
class KeyReport:
    name: str
    versions: list[Weights]
    rules: list[str]  # the items whose pool postings the key allocates by rule
    allocated: list[Allocated] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    fiscal_year: FiscalYear
    businesses: dict[str, str]  # label -> published name, declaration order
    keys: list[KeyReport]


def report(books: Books, fy: FiscalYear) -> Report:
    """The keys of the ledger and what each allocated in ``fy``."""
    keys, rules, _ = read_allocations(books.entries, books.businesses)
    sums: dict[tuple[str, str, str], dict[str, Decimal]] = {}
    counts: dict[tuple[str, str, str], set] = {}
    for entry in books.transactions():
        if not (fy.start <= entry.date <= fy.end):
            continue
        for posting in entry.postings:
            meta = posting.meta
            if not meta or meta.get(GENERATED_KEY) != GENERATED_BY or KEY_META not in meta:
                continue
            item, _, business = posting.account.rpartition(":")
            k = (meta[KEY_META], item, posting.units.currency)
            per = sums.setdefault(k, {})
            per[business] = per.get(business, Decimal(0)) + posting.units.number
            counts.setdefault(k, set()).add((id(entry), meta.get(FROM_META), meta.get("lineno")))
    order = {label: i for i, label in enumerate(books.businesses)}
    out = []
    for name, versions in keys.items():
        shown = []
        for i, v in enumerate(versions):
            until = versions[i + 1].date if i + 1 < len(versions) else None
            in_force = v.date <= fy.end and (until is None or until > fy.start)
            shown.append(Weights(v.date, dict(v.weights), in_force, v.meta.get("basis"), v.meta.get("rule"), v.meta.get("source")))
        allocated = [
            Allocated(item, currency, dict(sorted(per.items(), key=lambda kv: order.get(kv[0], len(order)))), len(counts[(n, item, currency)]))
            for (n, item, currency), per in sorted(sums.items()) if n == name
        ]
        out.append(KeyReport(name, shown, [r.item for r in rules if r.key == name], allocated))
    return Report(fy, {label: b.name for label, b in books.businesses.items()}, out)


def item_label(item: str) -> str:
    """The published label of an item: its last component without the code."""
    return _CODE.sub("", item.rsplit(":", 1)[-1])


def _columns(report: Report, key: KeyReport) -> list[str]:
    used = {b for v in key.versions for b in v.weights} | {b for a in key.allocated for b in a.by_business}
    return [label for label in report.businesses if label in used]


def render(report: Report, fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(_as_json(report), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(report)
    return _text(report)


def _as_json(report: Report) -> dict:
    fy = report.fiscal_year
    return {
        "fiscal_year": fy.year, "start": str(fy.start), "end": str(fy.end),
        "keys": [
            {
                "name": key.name,
                "rules": key.rules,
                "versions": [{"date": str(v.date), "in_force": v.in_force, "basis": v.basis, "rule": v.rule, "source": v.source,
                              "weights": {b: str(w) for b, w in v.weights.items()}} for v in key.versions],
                "allocated": [{"item": a.item, "label": item_label(a.item), "currency": a.currency, "pool_postings": a.pool_postings,
                               "total": int(a.total) if a.total == a.total.to_integral() else str(a.total),
                               "by_business": {b: (int(n) if n == n.to_integral() else str(n)) for b, n in a.by_business.items()}}
                              for a in key.allocated],
            }
            for key in report.keys
        ],
    }


def _csv(report: Report) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["key", "kind", "date", "item", "currency", "business", "value"])
    for key in report.keys:
        for v in key.versions:
            for business, weight in v.weights.items():
                writer.writerow([key.name, "weight", v.date, "", "", business, weight])
        for a in key.allocated:
            for business, number in a.by_business.items():
                writer.writerow([key.name, "allocated", "", a.item, a.currency, business, number])
    return buf.getvalue()


def _number(n: Decimal) -> str:
    return f"{n:,}"


def _table(rows: list[list[str]]) -> list[str]:
    sizes = [max(width(row[c]) for row in rows) for c in range(len(rows[0]))]
    lines = []
    for i, row in enumerate(rows):
        lines.append("  " + "  ".join(pad(cell, sizes[c], right=c > 0) for c, cell in enumerate(row)).rstrip())
        if i == 0:
            lines.append("  " + "  ".join("-" * s for s in sizes))
    return lines


def _text(report: Report) -> str:
    fy = report.fiscal_year
    lines = [f"配賦基準と配賦額 {fy.japanese} ({fy.start} .. {fy.end})  単位: 円"]
    if not report.keys:
        lines.append("(no allocation key is declared)")
    for key in report.keys:
        columns = _columns(report, key)
        names = [report.businesses[b] for b in columns]
        lines.append("")
        lines.append(f"配賦基準「{key.name}」" + (f"  rules: {', '.join(key.rules)}" if key.rules else ""))
        rows = [["基準日"] + names + ["合計"]]
        for v in key.versions:
            total = sum(v.weights.values(), Decimal(0))
            mark = "" if v.in_force else " (not in force)"
            rows.append([f"{v.date}{mark}"] + [_number(v.weights[b]) if b in v.weights else "" for b in columns] + [_number(total)])
        lines.extend(_table(rows))
        for v in key.versions:
            if v.basis or v.rule:
                lines.append(f"  {v.date}: basis {v.basis or '-'}" + (f"; rule: {v.rule}" if v.rule else ""))
        if key.allocated:
            rows = [["配賦額"] + names + ["合計"]]
            for a in key.allocated:
                label = item_label(a.item) + ("" if a.currency == "JPY" else f" ({a.currency})")
                rows.append([label] + [_number(a.by_business[b]) if b in a.by_business else "" for b in columns] + [_number(a.total)])
            lines.extend(_table(rows))
        else:
            lines.append("  (nothing allocated in the year)")
    return "\n".join(lines) + "\n"
