"""The recovered published tables: ``ledger/published/r4-kessan.json``.

``jlis_ledger.importers.recovery`` (run by ``ledger/published/recover.py``) recovers them from the
text of the publication (the signs and columns the extraction lost, every published identity
asserted); the reconstruction only reads them.  Values keep the published signs; by-business rows have the eight businesses, 相殺等 and
合計, in the published column order.
"""

from __future__ import annotations

import json
from pathlib import Path

from fy2022_parts import LEDGER
from fy2022_parts.chart import BUSINESSES, POOL

PUBLISHED = LEDGER / "published" / "r4-kessan.json"


class Published:
    """The published tables and notes, read once."""

    def __init__(self, path: Path = PUBLISHED) -> None:
        self.data = json.loads(path.read_text(encoding="utf-8"))
        self.tables = self.data["tables"]
        self.notes = self.data["notes"]

    def row(self, table: str, label: str, nth: int = 0) -> list:
        rows = [r for r in self.tables[table]["rows"] if r["label"] == label and r["values"] is not None]
        return rows[nth]["values"]

    def seg_bs(self, label: str, nth: int = 0) -> list[int]:
        """Closing balances by business (8 businesses, 相殺等, 合計), published signs."""
        return self.row("segment-bs", label, nth)

    def seg_pl(self, label: str) -> list[int]:
        return self.row("segment-pl", label)

    def one(self, table: str, label: str, column: int = 0, nth: int = 0) -> int:
        return self.row(table, label, nth)[column]

    def business_name(self, label: str) -> str:
        """The published name of a business label (the pool is 共通, anything else 相殺等)."""
        if label == POOL:
            return "共通"
        return self.data["source"]["businesses"][BUSINESSES.index(label)] if label in BUSINESSES else "相殺等"
