"""Where the figures of the books come from: the derived and allocated ones, with their rules.

Every entry of the books carries ``source:`` (the published table and row);
a figure that the publication does not give directly carries ``basis:``
(``"derived"``: computed from published figures; ``"allocated"``: a
consolidated figure split over the businesses) and ``rule:``.  This report
lists them from the ledger's own metadata, so it can never disagree with it.

It is two Beancount queries (:data:`ENTRIES`, :data:`POSTINGS`), with the columns of
:mod:`jlis_ledger.bql`; ``bean-query`` gives the same rows on any ledger that enables
``plugin "jlis_ledger.plugins.bql"``::

    bean-query ledger/main.beancount "SELECT filename, lineno, kind, subject, basis, meta('rule')
        FROM entries WHERE basis IN ('derived', 'allocated') AND generated IS NULL"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from jlis_ledger import bql
from jlis_ledger import render as render_lib
from jlis_ledger.table import Column, Table

if TYPE_CHECKING:
    from jlis_ledger.books import Books

BASES = ("derived", "allocated")

#: The directives marked derived or allocated (a transaction, a balance assertion, an allocation key, …),
#: not those a plugin generated.
ENTRIES = """
SELECT filename, lineno, date, kind, subject, basis, meta('rule'), meta('source')
FROM entries WHERE basis IN %(bases)s AND generated IS NULL"""

#: The postings marked derived or allocated themselves, in transactions that no plugin generated: a posting's
#: ``rule:`` and ``source:`` are its own, else its transaction's.
POSTINGS = """
SELECT filename, lineno, date, 'posting', account, meta('basis'), any_meta('rule'), any_meta('source')
FROM postings WHERE meta('basis') IN %(bases)s AND entry_meta('generated') IS NULL"""


@dataclass(frozen=True)
class DerivedFigure:
    filename: str
    lineno: int
    date: str
    kind: str  # transaction, balance, posting, allocation-key, … (the kind of directive)
    what: str  # narration, the asserted account, the key's name
    basis: str
    rule: str
    source: str


def derived_figures(books: Books, basis: str | None = None) -> list[DerivedFigure]:
    """Every directive (or posting) marked derived or allocated (only ``basis``, if given), in file order."""
    params = {"bases": tuple(BASES if basis is None else (basis,))}
    out = []
    for statement in (ENTRIES, POSTINGS):
        _, rows = bql.query(books.entries, books.options, statement, params)
        for filename, lineno, date, kind, what, basis_, rule, source in rows:
            out.append(DerivedFigure(filename or "", lineno or 0, str(date), kind, what or "", basis_,
                                     str(rule or ""), str(source or "")))
    return sorted(out, key=lambda f: (f.filename, f.lineno))


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
