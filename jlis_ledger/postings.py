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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beancount.core import data

from jlis_ledger.core.cells import neutralise
from jlis_ledger.core.generated import KEY as GENERATED
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


#: The metadata columns: the posting's value, else its transaction's.
META = ("basis", "generated", "cf", "source")
_META_KEYS = (("basis", "basis"), ("generated", GENERATED), ("cf", "cf"), ("source", "source"))


@dataclass
class Collected:
    """The postings in columns, compactly: what is the same for every posting of a transaction is kept once per
    transaction (``txn`` says which), accounts, files and currencies once each (indices per posting), and the
    posting-level metadata that overrides its transaction's as ``{row: value}``. :func:`arrow_table` and
    :func:`csv_text` expand it."""

    # one value per transaction
    dates: list[datetime.date] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    tags: list[list[str]] = field(default_factory=list)
    narrations: list[str | None] = field(default_factory=list)
    meta: dict[str, list[str | None]] = field(default_factory=lambda: {key: [] for key in META})
    # one value per posting
    txn: list[int] = field(default_factory=list)
    account: list[int] = field(default_factory=list)
    file: list[int] = field(default_factory=list)
    line: list[int] = field(default_factory=list)
    amount: list = field(default_factory=list)
    currency: list[int] = field(default_factory=list)
    # posting-level metadata: key → {row: value}
    overrides: dict[str, dict[int, str | None]] = field(default_factory=lambda: {key: {} for key in META})
    # the values the indices name
    accounts: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    currencies: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.txn)

    def meta_column(self, key: str) -> list[str | None]:
        """One value per posting of a metadata column (plain lists: the CSV path)."""
        per_txn = self.meta[key]
        values = [per_txn[t] for t in self.txn]
        for row, value in self.overrides[key].items():
            values[row] = value
        return values


def collect(books: Books, start: datetime.date | None = None, end: datetime.date | None = None) -> Collected:
    """The postings dated ``start <= date < end``, in the books' order: one pass, a few list appends per posting."""
    out = Collected()
    relative = _relative_names(books.path.parent)
    account_index: dict[str, int] = {}
    file_index: dict[str | None, int] = {}
    currency_index: dict[str, int] = {}
    seen: dict[str, int] = {}
    metas = [out.meta[key] for key in META]
    overrides = [(key, out.overrides[column]) for column, key in _META_KEYS]
    txn, account_, file_, line_, amount_, currency_ = out.txn, out.account, out.file, out.line, out.amount, out.currency
    row = 0

    def file_of(filename: str | None) -> int:
        index = file_index[filename] = len(out.files)
        out.files.append(relative(filename))
        return index

    for entry in books.entries:
        if type(entry) is not data.Transaction or (start is not None and entry.date < start) or (end is not None and entry.date >= end):
            continue
        meta = entry.meta or {}
        filename, lineno = meta.get("filename"), meta.get("lineno", 0)
        entry_file = file_index.get(filename)
        if entry_file is None:
            entry_file = file_of(filename)
        where = f"{out.files[entry_file]}:{lineno}"
        count = seen[where] = seen.get(where, 0) + 1
        t = len(out.entries)
        out.entries.append(where if count == 1 else f"{where}#{count}")
        out.dates.append(entry.date)
        out.tags.append(sorted(entry.tags) if entry.tags else [])
        out.narrations.append(entry.narration)
        for values, (_, key) in zip(metas, _META_KEYS, strict=True):
            value = meta.get(key)
            values.append(None if value is None else str(value))
        for posting in entry.postings:
            pmeta = posting.meta
            if pmeta and "lineno" in pmeta:
                name = pmeta.get("filename")
                index = file_index.get(name)
                file_.append(file_of(name) if index is None else index)
                line_.append(pmeta["lineno"])
                extra = len(pmeta) > 2
            else:
                file_.append(entry_file)
                line_.append(lineno)
                extra = bool(pmeta)
            if extra and pmeta:
                for key, table in overrides:
                    if key in pmeta:
                        value = pmeta[key]
                        table[row] = None if value is None else str(value)
            account = posting.account
            index = account_index.get(account)
            if index is None:
                index = account_index[account] = len(out.accounts)
                out.accounts.append(account)
            account_.append(index)
            units = posting.units
            assert units is not None  # a loaded posting always has its units
            amount_.append(units.number)
            index = currency_index.get(units.currency)
            if index is None:
                index = currency_index[units.currency] = len(out.currencies)
                out.currencies.append(units.currency)
            currency_.append(index)
            txn.append(t)
            row += 1
    return out


def _relative_names(folder: Path) -> Callable[[str | None], str]:
    """``filename → name``: relative to ``folder`` when inside it."""
    base = os.path.abspath(folder)

    def name(filename: str | None) -> str:
        if filename and os.path.isabs(filename) and os.path.commonpath([base, os.path.abspath(filename)]) == base:
            return os.path.relpath(filename, base).replace(os.sep, "/")
        return filename or "<unknown>"

    return name


# -- Parquet -----------------------------------------------------------------------------------


def arrow_table(collected: Collected) -> Any:
    """The postings as a ``pyarrow.Table`` (the types of the module docstring), or an :class:`ExportError`
    if pyarrow is not installed. The repeated values are expanded by Arrow (``take``), not in Python."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        raise ExportError(f"--format parquet needs pyarrow: {ANALYTICS}") from None
    c = collected
    strings = pa.string()
    txn = pa.array(c.txn, pa.int64())
    accounts = pa.array(c.account, pa.int64())
    parts = [account.rpartition(":") for account in c.accounts]
    locations = pc.binary_join_element_wise(pa.array(c.files, strings).take(pa.array(c.file, pa.int64())),
                                            pc.cast(pa.array(c.line, pa.int64()), strings), ":")
    arrays = {
        "date": pa.array(c.dates, pa.date32()).take(txn),
        "entry": pa.array(c.entries, strings).take(txn),
        "location": locations,
        "account": pa.array(c.accounts, strings).take(accounts),
        "item": pa.array([p[0] for p in parts], strings).take(accounts),
        "business": pa.array([p[2] for p in parts], strings).take(accounts),
        "amount": _amounts(pa, c.amount),
        "currency": pa.array(c.currencies, strings).take(pa.array(c.currency, pa.int64())),
        "tags": pa.array(c.tags, pa.list_(strings)).take(txn),
        "narration": pa.array(c.narrations, strings).take(txn),
    }
    for key in META:
        values = pa.array(c.meta[key], strings).take(txn)
        overrides = c.overrides[key]
        if overrides:
            mask = [False] * len(c)
            for row in overrides:
                mask[row] = True
            values = pc.replace_with_mask(values, pa.array(mask, pa.bool_()), pa.array(list(overrides.values()), strings))
        arrays[key] = values
    fields = [pa.field(column.name, arrays[column.name].type, metadata={"description": column.description}) for column in COLUMNS]
    schema = pa.schema(fields, metadata={"created_by": "jlis-ledger export postings"})
    return pa.Table.from_arrays([arrays[column.name] for column in COLUMNS], schema=schema)


def _amounts(pa, numbers: list) -> Any:
    """Exact decimals of 38 digits: whole numbers (yen) directly, else at the largest scale the amounts have."""
    try:
        return pa.array(numbers, pa.decimal128(38, 0))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass  # an amount with decimal places: let Arrow find the scale
    inferred = pa.array(numbers)
    if not pa.types.is_decimal(inferred.type) or inferred.type.precision > 38:
        raise ExportError("an amount has more than 38 digits: Parquet readers take decimals of 38 digits at most")
    return inferred.cast(pa.decimal128(38, inferred.type.scale))


def write_parquet(collected: Collected, path: str | os.PathLike) -> None:
    """Write the postings to a Parquet file, atomically."""
    table = arrow_table(collected)
    import pyarrow.parquet as pq

    write(path, lambda temporary: pq.write_table(table, temporary))


# -- CSV ---------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    return neutralise(str(value))


def csv_text(collected: Collected) -> str:
    """The postings as CSV: a header row, then one row per posting (see the module docstring)."""
    c = collected
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(NAMES)
    parts = [(account, *account.rpartition(":")[::2]) for account in c.accounts]
    entries = [(day.isoformat(), _text(entry), ",".join(tags), _text(narration))
               for day, entry, tags, narration in zip(c.dates, c.entries, c.tags, c.narrations, strict=True)]
    files = [_text(name) for name in c.files]
    metas = [c.meta_column(key) for key in META]
    for row, (t, a, f, line, amount, currency) in enumerate(zip(c.txn, c.account, c.file, c.line, c.amount, c.currency, strict=True)):
        day, entry, tags, narration = entries[t]
        writer.writerow([day, entry, f"{files[f]}:{line}", *parts[a], f"{amount:f}", c.currencies[currency], tags,
                         *(_text(m[row]) for m in metas), narration])
    return out.getvalue()


def write_csv(collected: Collected, path: str | os.PathLike) -> None:
    """Write the postings to a CSV file, atomically."""
    write(path, csv_text(collected))


def export(books: Books, fmt: str, path: str | os.PathLike | None, start: datetime.date | None = None,
           end: datetime.date | None = None) -> int:
    """Write the postings of ``books`` (dated ``start <= date < end``) as ``fmt`` to ``path`` (CSV: standard
    output if None); the number of rows."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: {' or '.join(FORMATS)}")
    if fmt == "parquet" and path is None:
        raise ExportError("--format parquet needs -o FILE")
    from jlis_ledger.loading import collector_paused

    with collector_paused():  # a million rows of new containers: no cyclic collection while they are built
        collected = collect(books, start, end)
    if fmt == "parquet":
        assert path is not None
        write_parquet(collected, path)
    elif path is None:
        import sys

        sys.stdout.write(csv_text(collected))
    else:
        write_csv(collected, path)
    return len(collected)


__all__ = ["ANALYTICS", "COLUMNS", "FORMATS", "META", "NAMES", "Collected", "ExportError", "OutputError", "arrow_table", "collect", "csv_text", "export",
           "write_csv", "write_parquet"]
