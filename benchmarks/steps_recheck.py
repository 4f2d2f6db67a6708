#!/usr/bin/env python3
"""Where one `jlis-ledger check` process spends its CPU time: the load steps timed inside the process.

A script, not a test. It runs ``jlis-ledger check ARGS`` through ``cli.main`` (its output discarded) with
:func:`jlis_ledger.loading._read`, ``_sources``, ``_write`` and :func:`jlis_ledger.incremental.walk`, the booking and the validation
and ``load`` wrapped, and prints the process's CPU time and each call's (``time.process_time``). Run it after an
edit of one included file to see a re-check's parse step against booking, plugins and validation (``load``
less ``walk``, ``book`` and ``validate``)::

    JLIS_LEDGER_CACHE_DIR=/tmp/c .venv/bin/python benchmarks/steps_recheck.py check LEDGER
"""

from __future__ import annotations

import contextlib
import io
import sys
import time

from jlis_ledger import cli, incremental, incremental_booking, loading


def main(argv: list[str]) -> int:
    calls: list[tuple[str, float]] = []

    def timed(module, name: str) -> None:
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            start = time.process_time()
            result = original(*args, **kwargs)
            calls.append((name, round(time.process_time() - start, 2)))
            return result

        setattr(module, name, wrapper)

    for module, name in ((loading, "_read"), (loading, "_sources"), (loading, "_write"),
                         (incremental, "walk"), (incremental_booking, "book"), (incremental_booking, "validate"), (incremental, "load")):
        timed(module, name)
    start = time.process_time()
    with contextlib.redirect_stdout(io.StringIO()):
        status = cli.main(argv)
    print(f"{time.process_time() - start:.2f} s CPU, exit {status}:", calls)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
