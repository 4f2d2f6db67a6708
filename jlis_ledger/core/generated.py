"""The marks on what a plugin or an importer adds to the books.

Anything jlis-ledger adds carries ``generated: "<who>"`` in its metadata (``segments``,
``allocations``, ``import``), so that it is visible, never mistaken for a typed posting, and
dropped before a plugin runs again::

    >>> is_generated({"generated": "segments"}, by=SEGMENTS)
    True
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Mapping
from typing import Any, TypeGuard

from beancount.core import data

#: The metadata key on every generated posting, open and entry.
KEY = "generated"
#: On a generated 他事業勘定 leg: its partner businesses and amounts.
PARTNERS = "partners"

SEGMENTS = "segments"
ALLOCATIONS = "allocations"
IMPORT = "import"


def is_generated(meta: data.Meta | None, by: str | None = None) -> TypeGuard[data.Meta]:
    """True for the metadata of something generated (by ``by``, if given); then ``meta`` is a dict."""
    if not meta:
        return False
    value = meta.get(KEY)
    return value is not None and (by is None or value == by)


def generated_meta(source: data.Meta | None, by: str, **values: Any) -> dict[str, Any]:
    """Metadata for what ``by`` adds on behalf of an entry: the entry's location and the mark."""
    source = source or {}
    return {"filename": source.get("filename", f"<{by}>"), "lineno": source.get("lineno", 0), KEY: by, **values}


def insert_opens(entries: list[data.Directive], first_use: Mapping[str, datetime.date], opened: set[str], by: str) -> None:
    """Open, in ``entries`` (sorted by date), the accounts ``by`` posts to that the ledger does not open,
    dated on their first use and marked generated (filename ``<by>``)."""
    missing = sorted((date, account) for account, date in first_use.items() if account not in opened)
    places = []
    for date, account in missing:
        meta = data.new_metadata(f"<{by}>", 0, {KEY: by})
        opening = data.Open(meta, date, account, None, None)  # type: ignore[arg-type]  # no currencies: None, as Beancount's parser
        places.append((bisect.bisect_left(entries, date, key=_date), opening))
    for index, entry in reversed(places):
        entries.insert(index, entry)


def _date(entry: data.Directive) -> datetime.date:
    return entry.date


__all__ = ["ALLOCATIONS", "IMPORT", "KEY", "PARTNERS", "SEGMENTS", "generated_meta", "insert_opens", "is_generated"]
