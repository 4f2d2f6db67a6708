"""beangulp importers for segment ledgers, and the import entry point of this ledger.

Installed as ``jlis_ledger.importers`` (the repository keeps them in its top-level ``importers/``
folder; the name ``importers`` belongs to users' own beangulp import configurations).

- :mod:`jlis_ledger.importers.yayoi` — 弥生会計 仕訳データ (弥生インポート形式, Shift_JIS);
- :mod:`jlis_ledger.importers.freee` — freee会計 仕訳 CSV (汎用形式, 仕訳帳 export; Shift_JIS or UTF-8);
- :mod:`jlis_ledger.importers.moneyforward` — マネーフォワード クラウド会計 仕訳帳 CSV (Shift_JIS or UTF-8);
- :mod:`jlis_ledger.importers.bugyo` — 勘定奉行 仕訳伝票 (OBC受入形式, codes);
- :mod:`jlis_ledger.importers.generic` — a generic journal CSV (UTF-8) for any other system;
- :mod:`jlis_ledger.importers.published` — the published statement tables → ``balance`` assertions;
- :mod:`jlis_ledger.importers.mapping` — the ledger's mapping file (勘定科目/補助科目 → item, 部門 → business);
- :mod:`jlis_ledger.importers.journal` — vouchers → transactions balanced per business (他事業勘定 legs);
- :mod:`jlis_ledger.importers.ingest` — identify / extract / archive, all or nothing;
- :mod:`jlis_ledger.importers.vouchers`, :mod:`jlis_ledger.importers.dates` — what the 仕訳 importers share;
- :mod:`jlis_ledger.importers.yayoi_export`, :mod:`jlis_ledger.importers.mf_export` — the books back to 弥生インポート形式
  and to the マネーフォワード 仕訳帳 CSV, with what each format cannot hold.

``jlis-ledger import extract FILE... [-e EXISTING] [-o OUTPUT] [--keep-repeats]`` uses
:func:`importers_for` on the ledger; an import script of your own can do the same::

    from jlis_ledger.importers import importers_for
    from jlis_ledger.importers.ingest import run_extract
    run_extract(importers_for("ledger/main.beancount"), ["journal.csv"], existing="ledger/main.beancount", output="new.beancount")
"""

from __future__ import annotations

from pathlib import Path

#: Where a ledger keeps its mapping file, relative to its main file's directory.
MAPPING_FILE = Path("import") / "mapping.csv"


def ledger_info(ledger: str | Path):
    """:class:`importers.journal.LedgerInfo` of a ledger file (loaded once, with its plugins)."""
    from jlis_ledger.loading import load_ledger  # the library's one loader (collector tuning, safe cache)

    from .journal import LedgerInfo

    entries, _errors, options = load_ledger(str(ledger))
    return LedgerInfo.from_entries(entries, options)


def importers_for(ledger: str | Path, mapping: str | Path | None = None, info=None, keep_repeats: bool = False) -> list:
    """The importers for a ledger: 弥生, freee, マネーフォワード, 勘定奉行, generic CSV, published tables.

    ``mapping``: default ``import/mapping.csv`` beside the ledger; ``keep_repeats``: import every copy of a
    伝票 repeated identically in a file (by default it is imported once and reported).
    """
    from . import bugyo, freee, generic, moneyforward, published, yayoi
    from . import mapping as mapping_lib

    ledger = Path(ledger)
    info = info if info is not None else ledger_info(ledger)
    mapping_path = Path(mapping) if mapping is not None else ledger.parent / MAPPING_FILE
    mapped = mapping_lib.load(mapping_path, info.businesses)
    journals = [module.Importer(mapped, info, keep_repeats=keep_repeats) for module in (yayoi, freee, moneyforward, bugyo, generic)]
    return [*journals, published.Importer(info)]
