"""The trend by business (:mod:`jlis_ledger.trend`) as a statement, so that ``reconcile`` checks it too.

One row per business (its printed name declared with ``statement-option "trend" "row-label" BUSINESS NAME``, else
the business's name), one column per fiscal year (H26 … R4), and a total row (``total-label``, default 計).  A
year the books hold is the sum of its postings, in exact yen; a year before the books is its published record
(``custom "trend-record"``, in the measure's unit) in yen.  The table prints in the measure's unit (億円); the
total of a year is the sum of the figures *as printed* (each rounded half up to the measure's places), as the
publication adds them.
"""

from __future__ import annotations

from decimal import Decimal

from jlis_ledger import trend as trend_lib
from jlis_ledger.statements.context import Context
from jlis_ledger.table import Column, Table

STATEMENT = "trend"


def trend(ctx: Context) -> Table:
    built = trend_lib.build(ctx.books)
    if built is None:  # the ledger declares no measure (custom "trend" NAME ACCOUNT…): an empty table
        return Table(STATEMENT, "推移", [])
    measure = built.measure
    labels = ctx.layout.option_values(STATEMENT, "row-label")
    names = dict(zip(labels[::2], labels[1::2], strict=False))
    end = ctx.books.fiscal_year_end
    table = Table(STATEMENT, measure.title, [Column(trend_lib.era(y, end)) for y in built.years], unit=measure.unit)
    for series in built.series:
        business = ctx.books.businesses.get(series.business)
        if business is None or not business.is_column:
            continue  # a common pool is no row
        values: list[Decimal | None] = []
        for cell in series.cells:
            if cell.booked_yen is not None:
                values.append(cell.booked_yen)
            else:
                values.append(cell.published * measure.scale if cell.published is not None else None)
        table.line(names.get(series.business, series.name), 0, values)
    table.subtotal(ctx.layout.option(STATEMENT, "total-label") or "計", 0, [t * measure.scale for t in built.totals()])
    return table
