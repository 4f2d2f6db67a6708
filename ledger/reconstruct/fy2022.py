"""Reconstruct the FY2022 (令和4年度) books of J-LIS as double-entry transactions.

The publication gives closing balances by business, the year's revenue and
expense by business and line, and — for the organisation as a whole only —
the cash flow statement, the schedules (附属明細書) and the notes.  This script
turns those figures into transactions at the finest grain they determine and
writes them to ``ledger/fy2022/*.beancount``:

* every figure that the publication gives by business is booked as given
  (``source:`` names the table and row);
* every figure that it gives only for the whole organisation is split over the
  businesses by a stated rule (``basis: "allocated"`` and ``rule:``);
* every figure that follows from others (an opening balance, a remainder) is
  computed and marked ``basis: "derived"`` with the rule.

Opening balances by business are not published: each is the published
closing balance less the year's booked movements, so that the books close to
the yen on the published 事業別貸借対照表 — and the consolidated openings that
*are* published (cash, fixed assets, provisions, leases, reserves, 資産除去債務,
純資産) are checked against what this gives.

Every rule is listed in ``ledger/SOURCES.md``; ``jlis-ledger sources`` lists
the derived and allocated entries from the ledger's own metadata.

The rules live in ``fy2022_parts/``, one module per statement family (see its ``__init__``
for the map); this file only runs them.

Run ``python ledger/reconstruct/fy2022.py`` to rewrite the files, ``--check`` to verify that the
committed files are what the published data and these rules give, and ``--diagnose`` to print
the checks against the publication and the notes.  It uses the jlis_ledger package (``make
reconstruct`` runs it in the project's virtual environment) for what it shares with the plugins:
the largest-remainder split of the allocations plugin, the segments plugin's pairing of 他事業勘定
positions, and the reading of the allocation declarations.
"""

from __future__ import annotations

import argparse
import json
import sys

from fy2022_parts import LEDGER
from fy2022_parts.pool import check_allocations
from fy2022_parts.published import Published
from fy2022_parts.writing import render_files, stale, write
from fy2022_parts.year import build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the committed files instead of writing them")
    parser.add_argument("--diagnose", action="store_true", help="print the checks against the publication and the notes")
    args = parser.parse_args(argv)
    model = build(Published())
    if args.diagnose:
        for c in model.checks:
            print("ok", c)
        print(json.dumps(model.notes, ensure_ascii=False, default=str, indent=1))
        return 0
    problems = check_allocations(model)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    files = render_files(model)
    if args.check:
        differ = stale(files)
        for path in differ:
            print(f"{path.relative_to(LEDGER.parent)} is not what the published data and the rules give", file=sys.stderr)
        return 1 if differ else 0
    write(files)
    print(f"wrote {len(files)} files; {len(model.checks)} published consolidated openings agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
