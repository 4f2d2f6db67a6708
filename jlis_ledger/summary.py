"""Moved to :mod:`jlis_ledger.segments.summary` (kept for one release)."""

from jlis_ledger.render.text import pad, width
from jlis_ledger.segments.summary import HEADERS, BusinessSummary, _balances_and_flows, render, summarize, table

__all__ = ["HEADERS", "BusinessSummary", "_balances_and_flows", "pad", "render", "summarize", "table", "width"]
