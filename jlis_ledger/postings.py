"""The postings of the books for analysts: one row per posting, after the plugins, as Parquet or CSV.

The same file feeds any engine that reads Parquet (DuckDB, Polars, Spark, pandas): the path for users who
outgrow one machine — many bodies, many years, one folder of files. ``jlis-ledger export postings`` writes it::

    jlis-ledger export postings --format parquet -o postings.parquet     # needs jlis-ledger[analytics] (pyarrow)
    jlis-ledger export postings --format csv -o postings.csv --year 2022

Every posting of the loaded books is a row — those the plugins generated included (他事業勘定 legs, the
相殺等 mirrors, allocated shares), marked in ``generated`` — with the columns of :data:`COLUMNS`. Metadata
(``basis``, ``generated``, ``cf``, ``source``) is the posting's own, else its transaction's. File names are
relative to the main ledger's folder when they are inside it, so the file is the same on every machine.

Parquet keeps the types: ``date`` a date, ``amount`` an exact decimal (``decimal128(38, s)`` with ``s`` the
most decimal places any amount has: 0 for yen), ``tags`` a list of strings, the rest strings (NULL when
absent). CSV (UTF-8, a header row) writes the amount as typed, the tags joined by ``,``, empty cells for
NULL, and neutralises a text cell that a spreadsheet would evaluate as a formula (a leading ``'``, as
:mod:`jlis_ledger.render.csv` does); both files are written atomically.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beancount.core import data

from jlis_ledger.core.generated import KEY as GENERATED
from jlis_ledger.render.csv import FORMULA_STARTS
from jlis_ledger.render.files import OutputError, write

if TYPE_CHECKING:
    from jlis_ledger.books import Books


@dataclass(frozen=True)
class Column:
    name: str
    description: str


#: The columns, in order.
COLUMNS = (
    Column("date", "the transaction's date"),
    Column("entry", "the transaction: file:line of its first line (file:line#2, #3 … if a plugin made another there)"),
    Column("location", "file:line of the posting (of its transaction for a posting a plugin generated)"),
    Column("account", "the account"),
    Column("item", "the item (科目): the account without its business component"),
    Column("business", "the business (事業): the account's last component"),
    Column("amount", "the amount, exact (units of the posting)"),
    Column("currency", "the currency of the amount"),
    Column("tags", "the transaction's tags (internal, opening, appropriation, …)"),
    Column("basis", "basis: of the posting, else of its transaction (derived, allocated, …); NULL if typed from the publication"),
    Column("generated", "generated: what a plugin or importer added (segments, allocations, import); NULL if typed"),
    Column("cf", "cf: the cash-flow line of a cash posting"),
    Column("source", "source: the published table and row it comes from"),
    Column("narration", "the transaction's narration"),
)
NAMES = tuple(c.name for c in COLUMNS)

FORMATS = ("parquet", "csv")

#: What to install for Parquet.
ANALYTICS = "pip install 'jlis-ledger[analytics]' (in a checkout: .venv/bin/pip install -e '.[analytics]')"


class ExportError(ValueError):
    """The export cannot be written (a missing Parquet writer, an amount beyond 38 digits): one line."""


def collect(books: Books, start: datetime.date | None = None, end: datetime.date | None = None) -> dict[str, list]:
    """The columns (name → one value per posting) of the postings dated ``start <= date < end``, in the books'
    order. One pass; entry-level values are looked up once per transaction."""
    out: dict[str, list] = {name: [] for name in NAMES}
    dates, entries, locations, accounts, items, businesses = (out[n] for n in NAMES[:6])
    amounts, currencies, tags_, bases, generateds, cfs, sources, narrations = (out[n] for n in NAMES[6:])
    relative = _relative_names(books.path.parent)
    parts: dict[str, tuple[str, str]] = {}
    seen: dict[str, int] = {}
    for entry in books.entries:
        if type(entry) is not data.Transaction or (start is not None and entry.date < start) or (end is not None and entry.date >= end):
            continue
        meta = entry.meta or {}
        where = f"{relative(meta.get('filename'))}:{meta.get('lineno', 0)}"
        if where in seen:
            seen[where] += 1
            entry_id = f"{where}#{seen[where]}"
        else:
            seen[where] = 1
            entry_id = where
        basis, generated, cf, source = meta.get("basis"), meta.get(GENERATED), meta.get("cf"), meta.get("source")
        tags = sorted(entry.tags) if entry.tags else []
        for posting in entry.postings:
            account = posting.account
            split = parts.get(account)
            if split is None:
                item, _, business = account.rpartition(":")
                split = parts[account] = (item, business)
            pmeta = posting.meta
            if pmeta and "lineno" in pmeta:
                locations.append(f"{relative(pmeta.get('filename'))}:{pmeta['lineno']}")
            else:
                locations.append(where)
            if pmeta:
                bases.append(pmeta.get("basis", basis))
                generateds.append(pmeta.get(GENERATED, generated))
                cfs.append(pmeta.get("cf", cf))
                sources.append(pmeta.get("source", source))
            else:
                bases.append(basis)
                generateds.append(generated)
                cfs.append(cf)
                sources.append(source)
            units = posting.units
            assert units is not None  # a loaded posting always has its units
            dates.append(entry.date)
            entries.append(entry_id)
            accounts.append(account)
            items.append(split[0])
            businesses.append(split[1])
            amounts.append(units.number)
            currencies.append(units.currency)
            tags_.append(tags)
            narrations.append(entry.narration)
    for name in ("basis", "generated", "cf", "source"):
        out[name] = [None if v is None else str(v) for v in out[name]]
    return out


def _relative_names(folder: Path) -> Callable[[str | None], str]:
    """``filename → name``: relative to ``folder`` when inside it (computed once per file)."""
    cache: dict[str | None, str] = {}
    base = os.path.abspath(folder)

    def name(filename: str | None) -> str:
        found = cache.get(filename)
        if found is None:
            text = filename or "<unknown>"
            if filename and os.path.isabs(filename) and os.path.commonpath([base, os.path.abspath(filename)]) == base:
                text = os.path.relpath(filename, base).replace(os.sep, "/")
            found = cache[filename] = text
        return found

    return name


# -- Parquet -----------------------------------------------------------------------------------


def arrow_table(columns: dict[str, list]) -> Any:
    """The columns as a ``pyarrow.Table`` (the types of the module docstring), or an :class:`ExportError`
    if pyarrow is not installed."""
    try:
        import pyarrow as pa
    except ImportError:
        raise ExportError(f"--format parquet needs pyarrow: {ANALYTICS}") from None
    amount = pa.array(columns["amount"])
    if not pa.types.is_decimal(amount.type) and len(amount):
        raise ExportError(f"amounts are not decimal numbers ({amount.type})")
    scale = amount.type.scale if pa.types.is_decimal(amount.type) else 0
    if pa.types.is_decimal256(amount.type) or (pa.types.is_decimal(amount.type) and amount.type.precision > 38):
        raise ExportError("an amount has more than 38 digits: Parquet readers take decimals of 38 digits at most")
    arrays = {
        "date": pa.array(columns["date"], type=pa.date32()),
        "amount": amount.cast(pa.decimal128(38, scale)),
        "tags": pa.array(columns["tags"], type=pa.list_(pa.string())),
    }
    fields, values = [], []
    for column in COLUMNS:
        array = arrays.get(column.name)
        if array is None:
            array = pa.array(columns[column.name], type=pa.string())
        fields.append(pa.field(column.name, array.type, metadata={"description": column.description}))
        values.append(array)
    schema = pa.schema(fields, metadata={"created_by": "jlis-ledger export postings"})
    return pa.Table.from_arrays(values, schema=schema)


def write_parquet(columns: dict[str, list], path: str | os.PathLike) -> None:
    """Write the columns to a Parquet file, atomically."""
    table = arrow_table(columns)
    import pyarrow.parquet as pq

    write(path, lambda temporary: pq.write_table(table, temporary))


# -- CSV ---------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(columns: dict[str, list]) -> str:
    """The columns as CSV: a header row, then one row per posting (see the module docstring)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(NAMES)
    for (day, entry, location, account, item, business, amount, currency, tags, basis, generated, cf, source,
         narration) in zip(*(columns[name] for name in NAMES), strict=True):
        writer.writerow([day.isoformat(), _text(entry), _text(location), account, item, business, f"{amount:f}", currency,
                         ",".join(tags), _text(basis), _text(generated), _text(cf), _text(source), _text(narration)])
    return out.getvalue()


def write_csv(columns: dict[str, list], path: str | os.PathLike) -> None:
    write(path, csv_text(columns))


def export(books: Books, fmt: str, path: str | os.PathLike | None, start: datetime.date | None = None,
           end: datetime.date | None = None) -> int:
    """Write the postings of ``books`` (dated ``start <= date < end``) as ``fmt`` to ``path`` (CSV: standard
    output if None); the number of rows."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: {' or '.join(FORMATS)}")
    if fmt == "parquet" and path is None:
        raise ExportError("--format parquet needs -o FILE")
    columns = collect(books, start, end)
    if fmt == "parquet":
        assert path is not None
        write_parquet(columns, path)
    elif path is None:
        import sys

        sys.stdout.write(csv_text(columns))
    else:
        write_csv(columns, path)
    return len(columns["date"])


__all__ = ["ANALYTICS", "COLUMNS", "FORMATS", "NAMES", "ExportError", "OutputError", "arrow_table", "collect", "csv_text", "export",
           "write_csv", "write_parquet"]
