"""Tables as JSON: :meth:`jlis_ledger.table.Table.to_dict`, one table or a dict of them."""

from __future__ import annotations

import json
from collections.abc import Mapping

from jlis_ledger.table import Table


def json_text(tables: Table | Mapping[str, Table]) -> str:
    data = tables.to_dict() if isinstance(tables, Table) else {i: t.to_dict() for i, t in tables.items()}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


__all__ = ["json_text"]
