#!/usr/bin/env python3
"""Benchmark: what `jlis-ledger export postings` adds to the load of the books, on a synthetic ledger.

A script, not a test (it never asserts a time). It writes a synthetic ledger with ``jlis-ledger synth``
(segments plugin in strict mode; about 3.3 postings per transaction: 310,000 transactions ≈ 1M postings) into a
temporary directory, then, in one process, repeats:

- the load: :func:`jlis_ledger.books.load` with ``cache=False`` (Beancount's parse, booking and the plugins:
  what ``jlis-ledger export postings --no-cache`` does before it exports), and with the load cache (a hit,
  primed once), which is what the command does by default;
- the export steps on the loaded books: :func:`jlis_ledger.postings.collect` (one pass over the postings),
  then writing Parquet (:func:`jlis_ledger.postings.write_parquet`: the Arrow table and the file) and CSV.

Ratios are of medians (and the median of the per-run ratios), to the cold load and to the warm load of the same run: "adds ≤ 20 % to its load" is
``(collect + Parquet) / load``. Wall time is ``time.perf_counter``; the collector is paused during ``collect``,
as the command does. The output files are checked to hold one row per posting, and are deleted.

    .venv/bin/python benchmarks/bench_postings.py                        # 310,000 transactions, 3 runs
    .venv/bin/python benchmarks/bench_postings.py --transactions 30000 --repeat 2
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transactions", type=int, default=310_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import pyarrow.parquet as pq

    from jlis_ledger import books as books_lib
    from jlis_ledger import postings
    from jlis_ledger.loading import CACHE_DIR_ENV, collector_paused
    from jlis_ledger.testing import synth

    with tempfile.TemporaryDirectory(prefix="bench-postings-") as folder:
        work = Path(folder)
        os.environ[CACHE_DIR_ENV] = str(work / "cache")
        ledger = work / "synth.beancount"
        stats = synth.write_ledger(ledger, transactions=args.transactions, businesses=8, cross_share=0.2, internal_share=0.05,
                                   pool_share=0.0, seed=0)
        books_lib.load(ledger, cache=True)  # primes the load cache (a miss: load + write)
        times: dict[str, list[float]] = {k: [] for k in ("cold load", "warm load", "collect", "parquet", "csv")}
        rows = 0
        for i in range(args.repeat):
            for step in ("cold load", "warm load") if i % 2 == 0 else ("warm load", "cold load"):
                gc.collect()
                start = time.perf_counter()
                books = books_lib.load(ledger, cache=step == "warm load")
                times[step].append(time.perf_counter() - start)
                if books.errors:
                    raise SystemExit(f"the synthetic ledger has {len(books.errors)} errors")
                rows = sum(len(e.postings) for e in books.transactions())
                if step == "cold load":
                    cold = books
            start = time.perf_counter()
            with collector_paused():  # as postings.export does
                columns = postings.collect(cold)
            times["collect"].append(time.perf_counter() - start)
            start = time.perf_counter()
            postings.write_parquet(columns, work / "p.parquet")
            times["parquet"].append(time.perf_counter() - start)
            start = time.perf_counter()
            postings.write_csv(columns, work / "p.csv")
            times["csv"].append(time.perf_counter() - start)
            if pq.read_metadata(work / "p.parquet").num_rows != rows or len(columns) != rows:
                raise SystemExit("the export does not hold one row per posting")
            with open(work / "p.csv", encoding="utf-8") as csv_file:
                if sum(1 for _ in csv_file) != rows + 1:
                    raise SystemExit("the CSV does not hold one row per posting")
            size = {"parquet": (work / "p.parquet").stat().st_size, "csv": (work / "p.csv").stat().st_size}
            del cold, books, columns
            print(f"  run {i + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()), file=sys.stderr, flush=True)

    median = {k: statistics.median(v) for k, v in times.items()}
    paired = statistics.median((c + p) / load for c, p, load in zip(times["collect"], times["parquet"], times["cold load"], strict=True))
    paired_warm = statistics.median((c + p) / load for c, p, load in zip(times["collect"], times["parquet"], times["warm load"], strict=True))
    parquet = median["collect"] + median["parquet"]
    csv = median["collect"] + median["csv"]
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores; "
          f"{stats.transactions:,} transactions, {rows:,} postings (after the plugins), {args.repeat} runs, medians")
    print()
    print("| step | seconds | / cold load | / warm load | file (MB) |")
    print("|---|---:|---:|---:|---:|")
    for name, value, mb in (("load, cold (`--no-cache`: parse, booking, plugins)", median["cold load"], None),
                            ("load, warm (load cache hit)", median["warm load"], None),
                            ("collect (one pass over the postings)", median["collect"], None),
                            ("write Parquet (Arrow table + file)", median["parquet"], size["parquet"]),
                            ("write CSV", median["csv"], size["csv"]),
                            ("**export postings, Parquet** (collect + write)", parquet, size["parquet"]),
                            ("export postings, CSV (collect + write)", csv, size["csv"])):
        print(f"| {name} | {value:.2f} | {value / median['cold load']:.1%} | {value / median['warm load']:.1%} | "
              f"{'' if mb is None else f'{mb / 1e6:.1f}'} |")
    print()
    print(f"export postings (Parquet) / load, paired per run (median): {paired:.1%} of the cold load, {paired_warm:.1%} of the warm load")
    return 0


if __name__ == "__main__":
    sys.exit(main())
