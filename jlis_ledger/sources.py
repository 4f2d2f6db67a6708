"""Where the figures of the books come from: the derived and allocated ones, with their rules.

Every entry of the books carries ``source:`` (the published table and row);
a figure that the publication does not give directly carries ``basis:``
(``"derived"``: computed from published figures; ``"allocated"``: a
consolidated figure split over the businesses) and ``rule:``.  This report
lists them from the ledger's own metadata, so it can never disagree with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from beancount.core import data

from jlis_ledger import render as render_lib
from jlis_ledger.core import generated
from jlis_ledger.table import Column, Table

if TYPE_CHECKING:
    from jlis_ledger.books import Books

BASES = ("derived", "allocated")


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


def derived_figures(books: Books, basis: str | None = None) -> list[DerivedFigure]:
    """Every entry (or posting) marked derived or allocated, in file order."""
    out: list[DerivedFigure] = []
    for entry in books.entries:
        meta = entry.meta or {}
        if generated.is_generated(meta):
            continue
        if isinstance(entry, data.Transaction):
            if meta.get("basis") in BASES:
                out.append(_figure(entry, "transaction", entry.narration or "", meta, len(entry.postings)))  # None from a plugin: no narration
            for posting in entry.postings:
                pmeta = posting.meta or {}
                if pmeta.get("basis") in BASES:
                    out.append(_figure(entry, "posting", posting.account, {**meta, **pmeta}, 1))
        elif isinstance(entry, data.Balance) and meta.get("basis") in BASES:
            out.append(_figure(entry, "balance", entry.account, meta, 1))
        elif isinstance(entry, data.Custom) and entry.type == "allocation-key" and meta.get("basis") in BASES:
            out.append(_figure(entry, "allocation key", str(entry.values[0].value), meta, 1))
    if basis is not None:
        out = [f for f in out if f.basis == basis]
    return sorted(out, key=lambda f: (f.filename, f.lineno))


def _figure(entry, kind: str, what: str, meta: dict, postings: int) -> DerivedFigure:
    return DerivedFigure(
        filename=meta.get("filename", ""),
        lineno=meta.get("lineno", 0),
        date=str(entry.date),
        kind=kind,
        what=what,
        basis=meta["basis"],
        rule=meta.get("rule", ""),
        source=meta.get("source", ""),
        postings=postings,
    )


def table(figures: list[DerivedFigure]) -> Table:
    """One row per derived or allocated figure: file, line, date, kind, what, basis, rule, source."""
    t = Table("sources", "推計の根拠", [Column("line")] + [Column(c, text=True) for c in ("date", "kind", "what", "basis", "rule", "source")],
              label_header="file")
    for f in figures:
        t.line(f.filename, 0, [f.lineno, f.date, f.kind, f.what, f.basis, f.rule, f.source])
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
        lines.append(f"{f.filename}:{f.lineno}: {f.date} [{f.basis}] {f.what}")
        if f.source:
            lines.append(f"    source: {f.source}")
        if f.rule:
            lines.append(f"    rule: {f.rule}")
    lines.append(f"{counts['derived']} derived, {counts['allocated']} allocated")
    return "\n".join(lines) + "\n"
