"""The allocations report (配賦): each key, its weights over time, and what it allocated in a fiscal year.

Read from the loaded books: the key declarations (``custom "allocation-key"``)
and the postings the allocations plugin generated (``generated:
"allocations"``, ``allocation-key:``), so the report shows what the books
actually contain.

    >>> from jlis_ledger import books, allocations
    >>> b = books.load()
    >>> print(allocations.render(allocations.report(b, b.fiscal_year(2022))))   # or "csv", "json"; tables(r)
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from jlis_ledger.allocations.rule import FROM_META, KEY_META
from jlis_ledger.core import generated
from jlis_ledger.core.accounts import leaf_label, split
from jlis_ledger.core.periods import FiscalYear
from jlis_ledger.table import Column, Table

if TYPE_CHECKING:
    from jlis_ledger.books import Books


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
    keys, rules = books.declarations.keys, books.declarations.rules
    sums: dict[tuple[str, str, str], dict[str, Decimal]] = {}
    counts: dict[tuple[str, str, str], set] = {}
    number: Decimal
    currency: str
    for entry in books.transactions():
        if not (fy.start <= entry.date <= fy.end):
            continue
        for posting in entry.postings:
            meta = posting.meta
            if not generated.is_generated(meta, generated.ALLOCATIONS) or KEY_META not in meta:
                continue
            item, business = split(posting.account)
            number, currency = posting.units  # type: ignore[misc, assignment]  # loaded: a posting has a number
            k = (meta[KEY_META], item, currency)
            per = sums.setdefault(k, {})
            per[business] = per.get(business, Decimal(0)) + number
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
    return leaf_label(item)


def _columns(report: Report, key: KeyReport) -> list[str]:
    used = {b for v in key.versions for b in v.weights} | {b for a in key.allocated for b in a.by_business}
    return [label for label in report.businesses if label in used]


def render(report: Report, fmt: str = "text") -> str:
    """The report as ``text``, ``csv`` (one figure per row) or ``json`` (a workbook: :func:`tables`)."""
    if fmt == "json":
        return json.dumps(_as_json(report), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        from jlis_ledger import render as render_lib  # here: the plugin imports this package, never the renderers

        return render_lib.csv_text(csv_table(report))
    if fmt == "text":
        return _text(report)
    raise ValueError(f"unknown format {fmt!r}: text, csv or json")


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


def csv_table(report: Report) -> Table:
    """The long form: key, kind (weight / allocated), date, item, currency, business, value."""
    t = Table("allocations-figures", "配賦基準と配賦額", [Column(c, text=c != "value") for c in ("kind", "date", "item", "currency", "business", "value")],
              label_header="key")
    for key in report.keys:
        for v in key.versions:
            for business, weight in v.weights.items():
                t.line(key.name, 0, ["weight", str(v.date), "", "", business, weight])
        for a in key.allocated:
            for business, number in a.by_business.items():
                t.line(key.name, 0, ["allocated", "", a.item, a.currency, business, number])
    return t


def tables(report: Report) -> list[Table]:
    """Per key: its weights over time, and what it allocated per item and business."""
    fy = report.fiscal_year
    out = []
    for i, key in enumerate(report.keys):
        columns = _columns(report, key)
        names = [Column(report.businesses[b]) for b in columns] + [Column("合計")]
        caption = f"配賦基準「{key.name}」" + (f"  rules: {', '.join(key.rules)}" if key.rules else "")
        if i == 0:
            caption = f"配賦基準と配賦額 {fy.japanese} ({fy.start} .. {fy.end})  単位: 円\n\n{caption}"
        weights = Table(f"allocation-key-{i + 1}", f"配賦基準「{key.name}」", names, label_header="基準日", caption=caption)
        for v in key.versions:
            total = sum(v.weights.values(), Decimal(0))
            weights.line(f"{v.date}{'' if v.in_force else ' (not in force)'}", 0, [v.weights.get(b) for b in columns] + [total])
        weights.notes += [f"  {v.date}: basis {v.basis or '-'}" + (f"; rule: {v.rule}" if v.rule else "") for v in key.versions if v.basis or v.rule]
        out.append(weights)
        allocated = Table(f"allocation-{i + 1}", f"配賦額「{key.name}」", names, label_header="配賦額", caption="")
        for a in key.allocated:
            label = item_label(a.item) + ("" if a.currency == "JPY" else f" ({a.currency})")
            allocated.line(label, 0, [a.by_business.get(b) for b in columns] + [a.total])
        if not key.allocated:
            allocated.notes.append("  (nothing allocated in the year)")
        out.append(allocated)
    return out


def _text(report: Report) -> str:
    fy = report.fiscal_year
    if not report.keys:
        return f"配賦基準と配賦額 {fy.japanese} ({fy.start} .. {fy.end})  単位: 円\n(no allocation key is declared)\n"
    from jlis_ledger import render as render_lib  # here: the plugin imports this package, never the renderers

    return render_lib.text(tables(report))


__all__ = ["Allocated", "KeyReport", "Report", "Weights", "csv_table", "item_label", "render", "report", "tables"]
