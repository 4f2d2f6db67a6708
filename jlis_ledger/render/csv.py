"""Tables as CSV (the contract): UTF-8, a header row, one row per table row, signed integer yen.

A text cell is *neutralised* when a spreadsheet would evaluate it (OWASP, "CSV Injection"): a
text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a
leading apostrophe, so that Excel and LibreOffice show it as text; amounts are numbers and stay
numbers (``-1234`` is a number, not a formula). The rule is :mod:`jlis_ledger.core.cells`, shared
by every CSV jlis-ledger writes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from jlis_ledger.core.cells import FORMULA_STARTS, neutralise
from jlis_ledger.table import Table, Value


def _cell(value: Value | int) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return value


def rows_text(header: Sequence[str], rows: Iterable[Sequence[Value | int]]) -> str:
    """CSV of a header and rows of cells (texts neutralised, numbers as they are)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def csv_text(table: Table) -> str:
    """The contract: a header row (``科目`` then one column per value column), rows in published order
    (headings with empty values), amounts as signed integer yen."""
    width = len(table.columns)
    return rows_text([table.label_header, *(c.label for c in table.columns)],
                     ([row.label, *(row.values if row.values is not None else [None] * width)] for row in table.rows))


__all__ = ["FORMULA_STARTS", "csv_text", "neutralise", "rows_text"]
