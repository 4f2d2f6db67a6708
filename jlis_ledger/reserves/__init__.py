"""Reserves (積立金): owned by a business, never negative, funded and drawn as declared, profit
appropriated exactly — the declarations, the rule, the analysis and the report in one place.

- :mod:`.declarations` — ``custom "reserve"`` and ``custom "reserve-plan"``;
- :mod:`.model` — what a pass finds (movement kinds, the errors of each rule, the analysis);
- :mod:`.analysis` — rules 1–5 in one pass: ownership, **never negative**, provision/release,
  transfers, the appropriation of profit (利益の処分); run by :mod:`jlis_ledger.plugins.reserves`;
- :mod:`.plans` — rule 6: plans and published records against the books;
- :mod:`.report` — each reserve by business over a fiscal year, the appropriation, plans;
- :mod:`.present` — the report as tables (text, CSV, workbook) and as data (JSON).

    >>> from jlis_ledger import books, reserves
    >>> b = books.load()
    >>> print(reserves.render(reserves.report(b, b.fiscal_year(2022))))
"""

from jlis_ledger.reserves.present import CSV_HEADER, as_dict, csv_table, render, tables
from jlis_ledger.reserves.report import (
    APPROPRIATION_LINE,
    CLOSING,
    NET_INCOME,
    OPENING,
    OTHER,
    PROVISIONS,
    RELEASES,
    AppropriationReport,
    AppropriationRow,
    HistoryLine,
    PlanLine,
    Report,
    ReserveReport,
    Row,
    report,
)

__all__ = [
    "APPROPRIATION_LINE", "CLOSING", "CSV_HEADER", "NET_INCOME", "OPENING", "OTHER", "PROVISIONS", "RELEASES",
    "AppropriationReport", "AppropriationRow", "HistoryLine", "PlanLine", "Report", "ReserveReport", "Row", "as_dict",
    "csv_table", "render", "report", "tables",
]
