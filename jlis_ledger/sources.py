"""Where the figures of the books come from: every estimate, with its rule and amount.

Every entry of the books carries ``source:`` (the published table and row);
a figure that the publication does not give directly carries ``basis:``
(``"derived"``: computed from published figures; ``"allocated"``: a
consolidated figure split over the businesses; or another estimate kind) and ``rule:``.  This report
lists them from the ledger's own metadata, so it can never disagree with it: transactions, postings,
``balance`` and ``custom "flow"`` assertions and allocation keys, each with its amount (a
transaction's: the sum of its debits; an assertion's: the amount it asserts) and, where a rule moved
shares away from a plain split, the yen moved (the ``moved:`` metadata of its postings).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data
from beancount.core.amount import Amount

from jlis_ledger import render as render_lib
from jlis_ledger.core import generated
from jlis_ledger.core.numbers import figure
from jlis_ledger.table import Column, Table

if TYPE_CHECKING:
    from jlis_ledger.books import Books

BASES = ("derived", "allocated")
ZERO = Decimal(0)


@dataclass(frozen=True)
class DerivedFigure:
    filename: str
    lineno: int
    date: str
    kind: str  # transaction, balance, posting, allocation key
    what: str  # narration, or the asserted account
    basis: str
    rule: str
    source: str
    postings: int
    amount: Decimal | None = None  # what it books or asserts
    moved: Decimal | None = None  # the yen a rule moved from a plain split (Σ of the postings' positive moved:)


def derived_figures(books: Books, basis: str | None = None) -> list[DerivedFigure]:
    """Every entry (or posting) whose figures are an estimate (any ``basis:``), in file order."""
    out: list[DerivedFigure] = []
    for entry in books.entries:
        meta = entry.meta or {}
        if generated.is_generated(meta):
            continue
        if isinstance(entry, data.Transaction):
            typed = [p for p in entry.postings if not generated.is_generated(p.meta)]
            if meta.get("basis") is not None:
                debits = sum((p.units.number for p in typed if p.units is not None and p.units.number is not None
                              and p.units.number > 0), ZERO)
                moved = [m for m in ((p.meta or {}).get("moved") for p in typed) if isinstance(m, Decimal)]
                out.append(_figure(entry, "transaction", entry.narration or "", meta, len(entry.postings), debits,
                                   sum((m for m in moved if m > 0), ZERO) if moved else None))
            for posting in typed:
                pmeta = posting.meta or {}
                if pmeta.get("basis") is not None:
                    number = posting.units.number if posting.units is not None else None
                    out.append(_figure(entry, "posting", posting.account, {**meta, **pmeta}, 1, number))
        elif isinstance(entry, data.Balance) and meta.get("basis") is not None:
            out.append(_figure(entry, "balance", entry.account, meta, 1, entry.amount.number if entry.amount is not None else None))
        elif isinstance(entry, data.Custom) and meta.get("basis") is not None and entry.type in ("allocation-key", "flow"):
            last = entry.values[-1].value if entry.values else None
            amount = last.number if entry.type == "flow" and isinstance(last, Amount) else None
            what = str(entry.values[0].value) if entry.type == "allocation-key" else " ".join(str(v.value) for v in entry.values[:-1])
            out.append(_figure(entry, "allocation key" if entry.type == "allocation-key" else "flow", what, meta, 1, amount))
    if basis is not None:
        out = [f for f in out if f.basis == basis]
    return sorted(out, key=lambda f: (f.filename, f.lineno))


def _figure(entry, kind: str, what: str, meta: dict, postings: int, amount: Decimal | None = None,
            moved: Decimal | None = None) -> DerivedFigure:
    return DerivedFigure(
        filename=meta.get("filename", ""),
        lineno=meta.get("lineno", 0),
        date=str(entry.date),
        kind=kind,
        what=what,
        basis=str(meta["basis"]),
        rule=meta.get("rule", ""),
        source=meta.get("source", ""),
        postings=postings,
        amount=amount,
        moved=moved,
    )


def table(figures: list[DerivedFigure]) -> Table:
    """One row per estimate: file, line, date, kind, what, basis, amount, moved, rule, source."""
    t = Table("sources", "推計の根拠",
              [Column("line")] + [Column(c, text=True) for c in ("date", "kind", "what", "basis")]
              + [Column("amount"), Column("moved")] + [Column(c, text=True) for c in ("rule", "source")],
              label_header="file")
    for f in figures:
        t.line(f.filename, 0, [f.lineno, f.date, f.kind, f.what, f.basis, f.amount, f.moved, f.rule, f.source])
    return t


def render(figures: list[DerivedFigure], fmt: str = "text") -> str:
    """``text`` (a listing with each rule), ``csv`` or ``json`` (a workbook: :func:`table`)."""
    if fmt == "csv":
        return render_lib.csv_text(table(figures))
    if fmt == "json":
        return render_lib.json_text(table(figures))
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r}: text, csv or json")
    lines = []
    counts = {b: sum(1 for f in figures if f.basis == b) for b in BASES}
    for f in figures:
        amount = f" {figure(f.amount)}" if f.amount is not None else ""
        moved = f" (moved {figure(f.moved)} from the plain split)" if f.moved else ""
        lines.append(f"{f.filename}:{f.lineno}: {f.date} [{f.basis}] {f.what}{amount}{moved}")
        if f.source:
            lines.append(f"    source: {f.source}")
        if f.rule:
            lines.append(f"    rule: {f.rule}")
    other = len(figures) - sum(counts.values())
    lines.append(f"{counts['derived']} derived, {counts['allocated']} allocated" + (f", {other} other estimates" if other else ""))
    return "\n".join(lines) + "\n"
