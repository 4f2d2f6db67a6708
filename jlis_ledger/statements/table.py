"""Moved to :mod:`jlis_ledger.table` (kept for one release)."""

from jlis_ledger.table import Column, Kind, Row, Table, Value

__all__ = ["Column", "Kind", "Row", "Table", "Value"]
