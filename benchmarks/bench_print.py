#!/usr/bin/env python3
"""Benchmark: the printed statements (PDF, and the workbook) against the bare Beancount load.

A script, not a test (it never asserts a time). Two measures, each in fresh Python processes,
interleaved, medians of ``--repeat`` runs:

1. **Bundled books** (target ≤ 5 s): ``jlis-ledger statements --all --year 2022 --format pdf`` as a user
   runs it, wall clock, cold (``--no-cache``) and warm (our load cache primed), and in one process the
   steps: load, all statements, the stamp (revision and reconcile against the publication), the PDF.
2. **Synthetic ledger** of ``--transactions`` transactions (``benchmarks/bench_statements.py``'s ledger:
   segments and reserves plugins, layout declarations, ``cf:`` on every cash posting) against
   ``beancount.loader.load_file`` of the same file without its plugin lines (target ≤ 1.3×): ``cold`` is
   our load (plugins applied, cache off) + all statements + the PDF; ``+ xlsx`` adds the workbook.

    .venv/bin/python benchmarks/bench_print.py                         # 100k transactions, 3 runs
    .venv/bin/python benchmarks/bench_print.py --transactions 20000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_statements import BARE, write_ledgers

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "ledger" / "main.beancount"

STEPS = r"""
import json, sys, time
t0 = time.perf_counter()
from jlis_ledger import books, publication, statements
from jlis_ledger.render import pdf, xlsx
b = books.load(sys.argv[1], cache=sys.argv[2] == "warm")
t1 = time.perf_counter()
fy = b.fiscal_year(2022)
tables = statements.build_all(b, fy)
t2 = time.perf_counter()
stamp = publication.stamp(b, fy)
t3 = time.perf_counter()
pdf.write(list(tables.values()), sys.argv[3] + ".pdf", stamp=stamp)
t4 = time.perf_counter()
if sys.argv[4] == "xlsx":
    xlsx.write(list(tables.values()), sys.argv[3] + ".xlsx", stamp=stamp)
t5 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "statements": t2 - t1, "stamp": t3 - t2, "pdf": t4 - t3, "xlsx": t5 - t4,
                  "total": t4 - t0, "with_xlsx": t5 - t0, "errors": len(b.errors), "reconcile": stamp.reconcile}))
"""


def _env(cache_dir: str) -> dict:
    return dict(os.environ, BEANCOUNT_DISABLE_LOAD_CACHE="1", JLIS_LEDGER_CACHE_DIR=cache_dir)


def run_code(code: str, *args: str, cache_dir: str) -> dict:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=_env(cache_dir), check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - start
    return result


def run_cli(output: Path, cold: bool, cache_dir: str) -> float:
    command = [sys.executable, "-m", "jlis_ledger.cli", "statements", str(BUNDLED), "--all", "--year", "2022",
               "--format", "pdf", "-o", str(output), *(["--no-cache"] if cold else [])]
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, text=True, env=_env(cache_dir), check=True)
    return time.perf_counter() - start


def bundled(tmp: Path, repeat: int) -> None:
    cache_dir = str(tmp / "cache-bundled")
    run_cli(tmp / "prime.pdf", cold=False, cache_dir=cache_dir)  # the warm runs find the cache
    cold, warm, steps = [], [], []
    for i in range(repeat):
        order = [True, False] if i % 2 == 0 else [False, True]
        for is_cold in order:
            (cold if is_cold else warm).append(run_cli(tmp / "bundled.pdf", is_cold, cache_dir))
        steps.append(run_code(STEPS, str(BUNDLED), "cold", str(tmp / "bundled-steps"), "pdf", cache_dir=cache_dir))
    median = {k: statistics.median(s[k] for s in steps) for k in ("load", "statements", "stamp", "pdf", "total")}
    print("Bundled books, all statements to PDF (target ≤ 5 s):\n")
    print("| command wall, cold (s) | command wall, warm (s) | load, cold (s) | statements (s) | stamp: revision + reconcile (s) | PDF (s) |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(f"| {statistics.median(cold):.2f} | {statistics.median(warm):.2f} | {median['load']:.2f} | {median['statements']:.2f} "
          f"| {median['stamp']:.2f} | {median['pdf']:.2f} |")
    print(f"\n({steps[0]['reconcile']})\n", flush=True)


def synthetic(tmp: Path, transactions: int, repeat: int, seed: int) -> None:
    full, bare = tmp / "full.beancount", tmp / "bare.beancount"
    postings = write_ledgers(full, bare, transactions * 32 // 10, seed)  # about 3.2 postings per transaction
    cache_dir = str(tmp / "cache-synth")
    bares, colds = [], []
    for i in range(repeat):
        variants = [("bare", lambda: run_code(BARE, str(bare), cache_dir=cache_dir)),
                    ("cold", lambda: run_code(STEPS, str(full), "cold", str(tmp / "synth"), "xlsx", cache_dir=cache_dir))]
        for name, call in (variants if i % 2 == 0 else variants[::-1]):
            (bares if name == "bare" else colds).append(call())
    if colds[0]["errors"]:
        print(f"warning: {colds[0]['errors']} load errors in the synthetic ledger", file=sys.stderr)
    b = statistics.median(r["load"] for r in bares)
    m = {k: statistics.median(r[k] for r in colds) for k in ("load", "statements", "stamp", "pdf", "xlsx", "total", "with_xlsx")}
    print(f"Synthetic ledger, {transactions:,} transactions ({postings:,} postings), against the bare Beancount load "
          "(target ≤ 1.3×):\n")
    print("| bare load (s) | our load (s) | statements (s) | stamp (s) | PDF (s) | load + statements + PDF (s) | ratio to bare "
          "| + workbook (s) | ratio with workbook |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {b:.2f} | {m['load']:.2f} | {m['statements']:.2f} | {m['stamp']:.2f} | {m['pdf']:.2f} | {m['total']:.2f} "
          f"| {m['total'] / b:.3f}× | {m['xlsx']:.2f} | {m['with_xlsx'] / b:.3f}× |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bundled(Path(tmp), args.repeat)
        synthetic(Path(tmp), args.transactions, args.repeat, args.seed)


if __name__ == "__main__":
    main()
