"""The published statement tables → ``balance`` assertions of every published closing figure by business.

Input: the text extraction of the published document (e.g.
``ledger/published/jlis-r4-kessan-zaimu.txt``) or the tables already recovered
from it (``r4-kessan.json``).  The text is not parsed again here: the tables
come from the ledger's own recovery script, ``recover.py`` beside the text
(``ledger/published/recover.py``, which restores the signs and columns the
extraction lost and asserts every published identity); its ``recover()`` is
run on the given file.  A ``.json`` file is read as its output.

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
import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import beangulp
from beancount.core import data
from beancount.core.amount import Amount

from jlis_ledger.core.accounts import label_of

from .errors import InputError
from .journal import LedgerInfo

TABLE = "segment-bs"
SOURCE_LABEL = "事業別財務情報(貸借対照表関係)"
NET_INCOME = "当期純利益"
_MARKERS = ("事業別財務情報", "貸借対照表")


def recover_tables(filename: str) -> dict:
    """The recovered publication: ``recover()`` of ``recover.py`` beside the text, or the JSON itself."""
    path = Path(filename)
    if path.suffix == ".json":
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(filename, getattr(exc, "lineno", 0), f"not the JSON of recovered tables: {exc}") from None
    script = path.parent / "recover.py"
    if not script.is_file():
        raise InputError(filename, 0, f"no recovery script {script} beside the text (it restores signs and columns)")
    spec = importlib.util.spec_from_file_location("_published_recover", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.SOURCE = path
    try:
        return module.recover()
    except AssertionError as exc:
        raise InputError(filename, 0, f"the published tables cannot be recovered: {exc}") from None


def _components(item: str) -> set[str]:
    return {label_of(c) for c in item.split(":")}


class Reader:
    def __init__(self, filename: str, ledger: LedgerInfo) -> None:
        self.filename = filename
        self.ledger = ledger
        self.skipped: list[str] = []

    def accounts_by_label(self) -> dict[str, dict[str, tuple[str, str | None]]]:
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
        by_name = {b.name: label for label, b in self.ledger.businesses.items()}
        columns = [by_name.get(name) for name in table["columns"]]
        net_income = next((r["values"] for r in published["tables"].get("segment-pl", {}).get("rows", [])
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
                    self.skipped.append(f"{row['label']}: split into {', '.join(d for d in items.values())} in the ledger; the publication gives only their sum")
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
                return all(marker in text for marker in _MARKERS) and (path.parent / "recover.py").is_file()
        except OSError:
            return False
        return False

    def account(self, filepath: str) -> str:
        return self.archive_account

    def filename(self, filepath: str) -> str | None:
        return "published-" + Path(filepath).name.replace(" ", "_")

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        reader = Reader(filepath, self.ledger)
        entries = reader.read()
        self.skipped = reader.skipped
        return entries

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        from .ingest import mark_duplicates

        mark_duplicates(entries, existing)
