"""Recover the published FY2022 (令和4年度) tables from the text extraction of the PDF.

``python ledger/published/recover.py`` rewrites ``r4-kessan.json`` from ``jlis-r4-kessan-zaimu.txt``
beside this file; ``--check`` verifies that the committed file is exactly what the text gives (the
test suite does the latter).  The recovery itself (every sign and column recovered from the
publication's own identities, see ``ledger/SOURCES.md``) is the package's
:mod:`jlis_ledger.importers.recovery`, which the published-tables importer imports too: this file is
only its entry point (run it with the project's environment, ``make reconstruct``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from jlis_ledger.importers.recovery import main

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "jlis-r4-kessan-zaimu.txt"
OUTPUT = HERE / "r4-kessan.json"

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], SOURCE, OUTPUT))
