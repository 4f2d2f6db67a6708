"""The published statement tables → ``balance`` assertions of every published closing figure by business.

Input: the text extraction of the published document (e.g.
``ledger/published/jlis-r4-kessan-zaimu.txt``) or the tables already recovered
from it (``r4-kessan.json``).  A text is recovered by :func:`importers.recovery.recover`
(which restores the signs and columns the extraction lost and asserts every
published identity), imported from this package: nothing found beside the input
(a ``recover.py`` there, say) is ever run.  A ``.json`` file is read as its output.

From the 事業別財務情報 (貸借対照表関係) table (``segment-bs``), for each line and
business column (and 相殺等, the declared elimination business):

- the account is found in the ledger by the published label (the ``label:``
  of its ``open``), the nearest heading (流動負債 / 固定負債 …) settling lines
  of the same label, and the column's business (declared ``name:``);
- the amount is the published closing figure, signed as Beancount keeps it
  (liabilities and net assets negative), asserted on the day after the period;
- the declared general reserve (``custom "reserve" … general: TRUE``) is
  asserted without the year's 当期純利益 (from ``segment-pl``), which Beancount
  keeps in Income and Expenses until the 利益の処分;
- a line that the ledger splits into details (``detail:``, e.g. 預金 and 定期預金
  under 現金及び預金) has no single account: it is skipped, and listed in the
  ``skipped`` attribute of the importer after an extract.

Each assertion carries ``source: "事業別財務情報(貸借対照表関係) LABEL BUSINESS"``.
Deduplication (in :mod:`importers.ingest`) takes an assertion of the same date,
account and amount as a duplicate, so importing the publication into books
that already reproduce it adds nothing.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import beangulp
from beancount.core import data
from beancount.core.amount import Amount

from jlis_ledger.core.accounts import label_of

from . import recovery
from .errors import InputError
from .journal import LedgerInfo

TABLE = "segment-bs"
SOURCE_LABEL = "事業別財務情報(貸借対照表関係)"
NET_INCOME = "当期純利益"
_MARKERS = ("事業別財務情報", "貸借対照表")


def recover_tables(filename: str) -> dict:
    """The recovered publication: :func:`importers.recovery.recover` of the text, or the JSON itself
    (an :class:`InputError` naming the file when it is neither)."""
    path = Path(filename)
    if path.suffix == ".json":
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise InputError(filename, 0, f"not UTF-8 (byte {exc.object[exc.start]:#04x} at offset {exc.start}): not the JSON of recovered tables") from None
        except json.JSONDecodeError as exc:
            raise InputError(filename, exc.lineno, f"not the JSON of recovered tables: {exc.msg} (column {exc.colno})") from None
        except OSError as exc:
            raise InputError(filename, 0, f"cannot read the file: {exc.strerror or exc}") from None
        if not isinstance(value, dict):
            raise InputError(filename, 1, f"not the JSON of recovered tables: a {type(value).__name__}, not an object")
        return value
    try:
        return recovery.recover(path)
    except UnicodeDecodeError as exc:
        raise InputError(filename, 0, f"not UTF-8 (byte {exc.object[exc.start]:#04x} at offset {exc.start}): the text extraction is read as UTF-8") from None
    except OSError as exc:
        raise InputError(filename, 0, f"cannot read the file: {exc.strerror or exc}") from None
    except (AssertionError, LookupError, ValueError, TypeError, ArithmeticError) as exc:
        # RecoveryError (a published identity that does not hold), or a text that is not laid out as the publication
        raise InputError(filename, 0, f"the published tables cannot be recovered: {exc}") from None


def _well_formed(filename: str, name: str, table: object) -> None:
    """An :class:`InputError` at the first row of a recovered table that is not of the recovery's shape:
    ``columns`` (texts) and ``rows`` of ``label``, ``kind``, ``level`` and ``values`` (whole yen, one per column)."""
    if not (isinstance(table, dict) and isinstance(table.get("columns"), list) and isinstance(table.get("rows"), list)
            and all(isinstance(c, str) for c in table["columns"])):
        raise InputError(filename, 0, f"the {name} table has no columns and rows")
    width = len(table["columns"])
    for number, row in enumerate(table["rows"], start=1):
        values = row.get("values") if isinstance(row, dict) else None
        if not (isinstance(row, dict) and isinstance(row.get("label"), str) and row.get("kind") in ("heading", "line", "subtotal")
                and isinstance(row.get("level"), int) and not isinstance(row.get("level"), bool) and row["level"] >= 0
                and (values is None or (isinstance(values, list) and len(values) == width
                                        and all(isinstance(v, int) and not isinstance(v, bool) for v in values)))
                and (values is not None or row.get("kind") == "heading")):
            raise InputError(filename, 0, f"{name} row {number}: not a row of the recovered tables (label, kind, level, "
                                          f"and {width} whole-yen values)")


def _components(item: str) -> set[str]:
    return {label_of(c) for c in item.split(":")}


class Reader:
    def __init__(self, filename: str, ledger: LedgerInfo) -> None:
        self.filename = filename
        self.ledger = ledger
        self.skipped: list[str] = []

    def accounts_by_label(self) -> dict[str, dict[str, str | None]]:
        """label -> {item: detail} over the ledger's opens (item = account without business)."""
        out: dict[str, dict[str, str | None]] = {}
        for account, (label, detail) in (self.ledger.labels or {}).items():
            if label is None:
                continue
            item, _, business = account.rpartition(":")
            if business in self.ledger.businesses:
                out.setdefault(label, {})[item] = detail
        return out

    def read(self) -> list[data.Balance]:
        published = recover_tables(self.filename)
        try:
            table = published["tables"][TABLE]
            period_end = datetime.date.fromisoformat(published["source"]["period"][1])
        except (KeyError, TypeError, ValueError):
            raise InputError(self.filename, 0, f"no {TABLE} table and period in the recovered publication") from None
        _well_formed(self.filename, TABLE, table)
        segment_pl = published["tables"].get("segment-pl")
        if segment_pl is not None:
            _well_formed(self.filename, "segment-pl", segment_pl)
        by_name = {b.name: label for label, b in self.ledger.businesses.items()}
        columns = [by_name.get(name) for name in table["columns"]]
        net_income = next((r["values"] for r in (segment_pl or {}).get("rows", [])
                           if r["label"] == NET_INCOME and r["values"] is not None), None)
        labels = self.accounts_by_label()
        date = period_end + datetime.timedelta(days=1)
        headings: list[str] = []
        out = []
        for number, row in enumerate(table["rows"], start=1):
            level = row["level"]
            del headings[level:]
            if row["kind"] == "heading":
                headings.append(row["label"])
                continue
            if row["kind"] != "line":
                continue
            where = f"{TABLE} row {number} {row['label']}"
            items = labels.get(row["label"], {})
            if len(items) > 1:
                near = list(headings[1:])[-1:] or headings[-1:]
                items = {i: d for i, d in items.items() if not near or near[0] in _components(i)}
            if not items:
                raise InputError(self.filename, 0, f"{where}: no account of the ledger has the label {row['label']!r}")
            if len(items) > 1:
                if all(d for d in items.values()):
                    self.skipped.append(f"{row['label']}: split into {', '.join(d for d in items.values() if d)} in the ledger; the publication gives only their sum")
                    continue
                raise InputError(self.filename, 0, f"{where}: several accounts have the label {row['label']!r}: {', '.join(items)}")
            (item, _detail), = items.items()
            sign = 1 if item.startswith("Assets") else -1
            for column, value in enumerate(row["values"]):
                business = columns[column]
                if business is None:
                    continue  # 合計
                account = f"{item}:{business}"
                if self.ledger.general_reserve == item and net_income is not None:
                    value -= net_income[column]
                if account not in (self.ledger.opens or ()):
                    if value:
                        raise InputError(self.filename, 0, f"{where}: {value:,} for {table['columns'][column]} but the ledger has no account {account}")
                    continue
                meta = data.new_metadata(self.filename, number, {"source": f"{SOURCE_LABEL} {row['label']} {table['columns'][column]}"})
                out.append(data.Balance(meta, date, account, Amount(Decimal(sign * value), self.ledger.currency), None, None))
        return out


class Importer(beangulp.Importer):
    """The beangulp importer for the published statement tables (text extraction or recovered JSON)."""

    def __init__(self, ledger: LedgerInfo, archive_account: str = "Documents:Published") -> None:
        self.ledger = ledger
        self.archive_account = archive_account
        self.skipped: list[str] = []

    @property
    def name(self) -> str:
        return "jlis.published"

    def identify(self, filepath: str) -> bool:
        path = Path(filepath)
        try:
            if path.suffix == ".json":
                try:
                    value = json.loads(path.read_text(encoding="utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    return False
                return isinstance(value, dict) and TABLE in (value.get("tables") or {})
            if path.suffix in (".txt", ".md"):
                text = path.read_text(encoding="utf-8", errors="replace")
                return all(marker in text for marker in _MARKERS)
        except OSError:
            return False
        return False

    def account(self, filepath: str) -> str:
        return self.archive_account

    def filename(self, filepath: str) -> str | None:
        return "published-" + Path(filepath).name.replace(" ", "_")

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        reader = Reader(filepath, self.ledger)
        entries: data.Entries = list(reader.read())
        self.skipped = reader.skipped
        return entries

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        from .ingest import mark_duplicates

        mark_duplicates(entries, existing)
