"""Segments (事業): businesses, per-business balancing, 他事業勘定 clearing, funds and elimination.

Where each rule lives:

- :mod:`.declarations` — ``custom "business" LABEL [ROLE]``: the businesses and their roles;
- :mod:`.config` — the plugin line's configuration (clearing account, mode, internal tag);
- :mod:`.rule` — the rule itself (every business balances; 他事業勘定 nets to zero; internal
  transactions eliminated in 相殺等; no posting left on a pool), run by
  :mod:`jlis_ledger.plugins.segments`;
- :mod:`.funds` — a fund business (基金事業) closes every fiscal year at zero;
- :mod:`.clearing` — who owes whom: the pairing rule of the 他事業勘定 positions and the
  positions at a date;
- :mod:`.summary` — the one-screen summary per business that ``jlis-ledger check`` prints.
"""

from jlis_ledger.segments.declarations import ROLES, Business, ordered, read_businesses

__all__ = ["ROLES", "Business", "ordered", "read_businesses"]
