"""beangulp importers for segment ledgers, and the import entry point of this ledger.

- :mod:`importers.yayoi` — 弥生会計 仕訳データ (弥生インポート形式, Shift_JIS);
- :mod:`importers.generic` — a generic journal CSV (UTF-8) for any other system;
- :mod:`importers.published` — the published statement tables → ``balance`` assertions;
- :mod:`importers.mapping` — the ledger's mapping file (勘定科目/補助科目 → item, 部門 → business);
- :mod:`importers.journal` — vouchers → transactions balanced per business (他事業勘定 legs);
- :mod:`importers.ingest` — identify / extract / archive, all or nothing;
- :mod:`importers.yayoi_export` — the books back to 弥生インポート形式.

``jlis-ledger import extract FILE... [-e EXISTING] [-o OUTPUT]`` uses
:func:`importers_for` on the ledger; an import script of your own can do the same::

    from importers import importers_for
    from importers.ingest import run_extract
    run_extract(importers_for("ledger/main.beancount"), ["journal.csv"], existing="ledger/main.beancount", output="new.beancount")
"""

from __future__ import annotations

from pathlib import Path


#: Where a ledger keeps its mapping file, relative to its main file's directory.
MAPPING_FILE = Path("import") / "mapping.csv"


def ledger_info(ledger: str | Path):
    """:class:`importers.journal.LedgerInfo` of a ledger file (loaded once, with its plugins)."""
    from .journal import LedgerInfo

    from jlis_ledger.loading import load_ledger  # the library's one loader (collector tuning, safe cache)

    entries, _errors, options = load_ledger(str(ledger))
    return LedgerInfo.from_entries(entries, options)


def importers_for(ledger: str | Path, mapping: str | Path | None = None, info=None) -> list:
    """The importers for a ledger: 弥生, generic CSV, published tables (mapping: ``import/mapping.csv`` beside the ledger)."""
    from . import generic, published, yayoi
    from . import mapping as mapping_lib

    ledger = Path(ledger)
    info = info if info is not None else ledger_info(ledger)
    mapping_path = Path(mapping) if mapping is not None else ledger.parent / MAPPING_FILE
    mapped = mapping_lib.load(mapping_path, info.businesses)
    return [yayoi.Importer(mapped, info), generic.Importer(mapped, info), published.Importer(info)]
