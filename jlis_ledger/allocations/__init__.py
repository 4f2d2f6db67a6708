"""Allocations (配賦): common costs and shared assets booked once to a pool (共通), split to the
businesses by declared keys, exact to the yen — declarations, split, rule and report together.

- :mod:`.declarations` — ``custom "allocation-key"`` and ``custom "allocation-rule"``;
- :mod:`.split` — largest-remainder rounding (最大剰余法);
- :mod:`.rule` — every pool posting replaced by its shares, with the 他事業勘定 legs; run by
  :mod:`jlis_ledger.plugins.allocations`;
- :mod:`.report` — each key, its weights over time and what it allocated in a fiscal year.
"""

from jlis_ledger.allocations.report import (
    Allocated,
    KeyReport,
    Report,
    Weights,
    csv_table,
    item_label,
    render,
    report,
    tables,
)
from jlis_ledger.allocations.split import largest_remainder

__all__ = ["Allocated", "KeyReport", "Report", "Weights", "csv_table", "item_label", "largest_remainder", "render", "report", "tables"]
