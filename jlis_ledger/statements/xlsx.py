"""Moved to :mod:`jlis_ledger.render.xlsx` (kept for one release)."""

from jlis_ledger.render.xlsx import HEADER_ROW, YEN_FORMAT, write

__all__ = ["HEADER_ROW", "YEN_FORMAT", "write"]
