"""Where the figures of the books come from: every estimate, with its rule and its amount.

Every entry of the books carries ``source:`` (the published table and row);
a figure that the publication does not give directly carries ``basis:``
(``"derived"``: computed from published figures; ``"allocated"``: a
consolidated figure split over the businesses; or another estimate kind) and ``rule:``.  This report
lists them from the ledger's own metadata, so it can never disagree with it: transactions, postings,
``balance`` and ``custom "flow"`` assertions and allocation keys, each with its amount (a
transaction's: the sum of its debits; an assertion's: the amount it asserts) and, where a rule moved
shares away from a plain split, the yen moved (the ``moved:`` metadata of its postings).

The estimates are found by two Beancount queries (:data:`ENTRIES`, :data:`POSTINGS`), with the columns of
:mod:`jlis_ledger.bql`; ``bean-query`` gives the same rows on any ledger that enables
``plugin "jlis_ledger.plugins.bql"``::

    bean-query ledger/main.beancount "SELECT filename, lineno, kind, subject, basis, meta('rule')
        FROM entries WHERE basis IS NOT NULL AND generated IS NULL"
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data
from beancount.core.amount import Amount

from jlis_ledger import bql
from jlis_ledger import render as render_lib
from jlis_ledger.core import generated
from jlis_ledger.core.numbers import figure
from jlis_ledger.table import Column, Table

if TYPE_CHECKING:
    from jlis_ledger.books import Books

BASES = ("derived", "allocated")
ZERO = Decimal(0)

#: The directives whose figures are an estimate (a transaction, a balance or flow assertion, an allocation key),
#: not those a plugin generated.
ENTRIES = """
SELECT filename, lineno, date, kind, subject, basis, meta('rule'), meta('source')
FROM entries WHERE basis IS NOT NULL AND generated IS NULL
  AND kind IN ('transaction', 'balance', 'allocation-key', 'flow')"""

#: The postings marked as estimates themselves, typed (not generated), in transactions no plugin generated: a
#: posting's ``rule:`` and ``source:`` are its own, else its transaction's.
POSTINGS = """
SELECT filename, lineno, date, 'posting', account, meta('basis'), any_meta('rule'), any_meta('source'), number
FROM postings WHERE meta('basis') IS NOT NULL AND generated IS NULL AND entry_meta('generated') IS NULL"""


@dataclass(frozen=True)
class DerivedFigure:
    filename: str
    lineno: int
    date: str
    kind: str  # transaction, balance, flow, posting, allocation key
    what: str  # narration, or the asserted account
    basis: str
    rule: str
    source: str
    postings: int
    amount: Decimal | None = None  # what it books or asserts
    moved: Decimal | None = None  # the yen a rule moved from a plain split (Σ of the postings' positive moved:)


def derived_figures(books: Books, basis: str | None = None) -> list[DerivedFigure]:
    """Every directive (or posting) whose figures are an estimate (any ``basis:``; only ``basis``, if given),
    in file order."""
    located = {(e.meta.get("filename"), e.meta.get("lineno")): e for e in books.entries if e.meta}
    out: list[DerivedFigure] = []
    _, rows = bql.query(books.entries, books.options, ENTRIES)
    for filename, lineno, date, kind, subject, basis_, rule, source in rows:
        entry = located.get((filename, lineno))
        postings, amount, moved, what = 1, None, None, subject or ""
        if isinstance(entry, data.Transaction):
            typed = [p for p in entry.postings if not generated.is_generated(p.meta)]
            postings = len(entry.postings)
            amount = sum((p.units.number for p in typed if p.units is not None and p.units.number is not None
                          and p.units.number > 0), ZERO)
            shifts = [m for m in ((p.meta or {}).get("moved") for p in typed) if isinstance(m, Decimal)]
            moved = sum((m for m in shifts if m > 0), ZERO) if shifts else None
        elif isinstance(entry, data.Balance):
            amount = entry.amount.number if entry.amount is not None else None
        elif isinstance(entry, data.Custom) and entry.type == "flow":
            last = entry.values[-1].value if entry.values else None
            amount = last.number if isinstance(last, Amount) else None
            what = " ".join(str(v.value) for v in entry.values[:-1])
        out.append(DerivedFigure(filename or "", lineno or 0, str(date), kind,
                                 what, str(basis_), str(rule or ""), str(source or ""), postings, amount, moved))
    _, rows = bql.query(books.entries, books.options, POSTINGS)
    for filename, lineno, date, kind, account, basis_, rule, source, number in rows:
        out.append(DerivedFigure(filename or "", lineno or 0, str(date), kind, account or "", str(basis_), str(rule or ""),
                                 str(source or ""), 1, number))
    if basis is not None:
        out = [f for f in out if f.basis == basis]
    return sorted(out, key=lambda f: (f.filename, f.lineno))


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
