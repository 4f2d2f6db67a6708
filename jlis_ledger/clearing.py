"""Moved to :mod:`jlis_ledger.segments.clearing` (kept for one release)."""

from jlis_ledger.segments.clearing import (
    Matrix,
    Pairing,
    Positions,
    clearing_positions,
    format_partners,
    pair_positions,
    parse_partners,
    positions,
    transaction_nets,
)
from jlis_ledger.segments.declarations import ordered

__all__ = ["Matrix", "Pairing", "Positions", "clearing_positions", "format_partners", "ordered", "pair_positions",
           "parse_partners", "positions", "transaction_nets"]
