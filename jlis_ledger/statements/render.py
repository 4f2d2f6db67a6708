"""Moved to :mod:`jlis_ledger.render` (kept for one release)."""

from jlis_ledger.render import NEGATIVES, UNITS, csv_text, json_text, number, scaled, text

__all__ = ["NEGATIVES", "UNITS", "csv_text", "json_text", "number", "scaled", "text"]
