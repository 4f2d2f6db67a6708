"""The printed statements of a fiscal year: a workbook or a PDF, stamped with where they come from.

    >>> from jlis_ledger import books, publication, statements
    >>> b = books.load(); fy = b.fiscal_year(2022)
    >>> tables = statements.build_all(b, fy)
    >>> publication.write(b, fy, tables, "r4.pdf", "pdf")      # or "xlsx"

Every page carries a :class:`~jlis_ledger.render.stamp.Stamp`: the entity, the fiscal year, the
preparation date, the books' revision, and the result of reconciling the books with the
published reference data the ledger declares (``custom "statement-option" "*" "reference"
"published/r4-kessan.json"``, relative to the declaring file): the same comparison as
``jlis-ledger reconcile``, for the year printed.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from beancount.core import data

from jlis_ledger.core.periods import FiscalYear
from jlis_ledger.render.stamp import Stamp, revision
from jlis_ledger.statements.layout import EVERY
from jlis_ledger.statements.presentation import entity
from jlis_ledger.table import Table

if TYPE_CHECKING:
    from jlis_ledger.books import Books

FORMATS = ("xlsx", "pdf")


def reference_file(books: Books) -> Path | None:
    """The published reference data the ledger declares, resolved beside the declaring file."""
    for entry in books.entries:
        if isinstance(entry, data.Custom) and entry.type == "statement-option":
            values = [v.value for v in entry.values]
            if values[:2] == [EVERY, "reference"] and len(values) == 3 and isinstance(values[2], str):
                return Path(entry.meta.get("filename") or books.path).parent / values[2]
    return None


def reconciled(books: Books, fy: FiscalYear) -> str | None:
    """照合: the reconcile result for ``fy`` against the declared reference, as printed (None: none declared)."""
    from jlis_ledger.statements import reconcile

    path = reference_file(books)
    if path is None:
        return None
    try:
        reference = reconcile.load_reference(path)
    except (OSError, ValueError) as error:
        return f"照合 できず（{path.name}: {getattr(error, 'strerror', None) or error}）"
    ends = {t.get("as_of") or (t.get("period") or [None, None])[1] for t in reference.values()} - {None}
    years = {books.fiscal_year_of(datetime.date.fromisoformat(end)).year for end in ends}
    if years != {fy.year}:
        return f"照合 {path.name}: {fy.japanese}の参照データなし"
    differences = reconcile.reconcile(books, reference, fy.year)
    figures = sum(len(r.get("values") or []) for t in reference.values() for r in t["rows"])
    return f"照合 {path.name}: {len(reference)}表 {figures:,}件 差異{len(differences)}件"


def stamp(books: Books, fy: FiscalYear, *, prepared: datetime.date | None = None) -> Stamp:
    """What every printed page of ``fy`` says about itself."""
    return Stamp(entity=entity(books.declarations.layout, books.options), year=fy.japanese,
                 prepared=prepared or datetime.date.today(), revision=revision(books.path, books.options.get("include") or [books.path]),
                 reconcile=reconciled(books, fy))


def write(books: Books, fy: FiscalYear, tables: dict[str, Table], path: str | Path, fmt: str, *, unit: str | None = None) -> None:
    """The statements ``tables`` of ``fy`` as a workbook (``xlsx``) or a PDF (``pdf``) at ``path``, atomically."""
    mark = stamp(books, fy)
    if fmt == "xlsx":
        from jlis_ledger.render import xlsx

        font = books.declarations.layout.option(EVERY, "font") or xlsx.FONT
        xlsx.write(list(tables.values()), path, stamp=mark, unit=unit, font=font)
    elif fmt == "pdf":
        from jlis_ledger.render import pdf

        pdf.write(list(tables.values()), path, stamp=mark, unit=unit)
    else:
        raise ValueError(f"printed formats: {', '.join(FORMATS)}, not {fmt!r}")


__all__ = ["FORMATS", "reconciled", "reference_file", "stamp", "write"]
