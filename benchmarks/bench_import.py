#!/usr/bin/env python3
"""Benchmark: importing a generated 弥生インポート形式 file into the bundled books (not a test).

For each size it writes one synthetic 弥生 file (cp932; the bundled ledger's
mapping, ``ledger/import/mapping.csv``: its 勘定科目/補助科目 and the eight 部門;
a third of the 伝票 are 2000/2111 single lines, the others 2110…2101 with 2–5
lines, a quarter of which cross 部門 and get 他事業勘定 legs), then runs in a
fresh Python process, several times, interleaved:

- **import**: what ``jlis-ledger import extract`` does after loading the
  ledger: ``ingest.extract`` (identify, decode, CSV, mapping, dates,
  transactions, 他事業勘定 legs, sort, dedup) and ``ingest.render`` (beangulp's
  printer), with the garbage collector paused as ``ingest.run_extract`` does;
  ``extract`` alone is reported too;
- **bare Beancount**: ``beancount.parser.parser.parse_string`` of the same
  entries printed as Beancount text (what reading the imported result costs
  Beancount itself), for a ratio measured in the same run.

It prints rows per second, the ratio, and the growth of the child's resident
memory (``/proc/self/statm``) from before reading the file to after rendering
it, with the entries and the text still alive, per row, so that two sizes show
whether memory grows linearly.  The ledger (businesses, plugin config,
opens, mapping) is loaded before the clock starts.

    .venv/bin/python benchmarks/bench_import.py                        # 25k and 100k rows, 3 runs each
    .venv/bin/python benchmarks/bench_import.py --sizes 10000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEDGER = ROOT / "ledger" / "main.beancount"

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[3])
from jlis_ledger.importers import importers_for, ledger_info, mapping as mapping_lib
from jlis_ledger.importers import yayoi, ingest
from beancount.parser import parser, printer
info = ledger_info(sys.argv[2])
mapping = mapping_lib.load(str(__import__("pathlib").Path(sys.argv[2]).parent / "import" / "mapping.csv"), info.businesses)
kind = sys.argv[4]
if kind == "bare":
    text = open(sys.argv[1] + ".beancount", encoding="utf-8").read()
import gc, os
def rss_kb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
base = rss_kb()
gc.disable()
start = time.perf_counter()
if kind == "import":
    importer = yayoi.Importer(mapping, info)
    extracted = ingest.extract([importer], [sys.argv[1]], [])   # identify, extract, sort, dedup (as the CLI)
    t_extract = time.perf_counter() - start
    out = ingest.render(extracted)
    entries = extracted[0][1]
    dup = 0
    n = len(entries)
else:
    entries, errors, _ = parser.parse_string(text)
    t_extract = time.perf_counter() - start
    dup = 0
    n = len(entries)
total = time.perf_counter() - start
after = rss_kb()  # the entries and the output text are still alive here
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"time": total, "extract": t_extract, "entries": n, "duplicates": dup, "rss_kb": after - base, "peak_kb": peak}))
"""


def load_names():
    sys.path.insert(0, str(ROOT))
    from jlis_ledger.importers import ledger_info, mapping as mapping_lib

    info = ledger_info(LEDGER)
    mapping = mapping_lib.load(LEDGER.parent / "import" / "mapping.csv", info.businesses)
    departments = [name for name in mapping.departments if name]
    pairs = [key for key, item in mapping.items.items()
             if item != info.clearing and not item.startswith("Equity")]
    usable = [(name, sub, dept) for (name, sub) in pairs for dept in departments
              if f"{mapping.items[(name, sub)]}:{mapping.departments[dept]}" in info.opens]
    return info, mapping, usable


def side(choice, amount):
    name, sub, dept = choice
    return [name, sub, dept, "対象外", str(amount), ""]


def write_file(path: Path, rows: int, seed: int, usable) -> int:
    """A synthetic 弥生 file of about ``rows`` lines; returns the number of lines written."""
    rng = random.Random(seed)
    by_dept: dict[str, list] = {}
    for choice in usable:
        by_dept.setdefault(choice[2], []).append(choice)
    depts = list(by_dept)
    blank = ["", "", "", "", "0", ""]
    written = 0
    voucher = 0
    d0 = 738_611  # 2023-04-01 ordinal
    lines = ["# 弥生会計 仕訳データ (synthetic, bench_import.py)"]
    while written < rows:
        voucher += 1
        import datetime

        date = datetime.date.fromordinal(d0 + rng.randrange(365))
        wareki = rng.random() < 0.5
        dtext = f"R.{date.year - 2018:02d}/{date.month:02d}/{date.day:02d}" if wareki else date.strftime("%Y/%m/%d")
        text = f"取引 {voucher} の摘要"
        if rng.random() < 1 / 3:
            dept = rng.choice(depts)
            a, b = rng.choice(by_dept[dept]), rng.choice(by_dept[dept])
            amount = rng.randrange(1, 10**8)
            cells = ["2111", str(voucher % 1_000_000), "", dtext, *side(a, amount), *side(b, amount), text, "", "", "0", "", "", "0", "0", "no"]
            lines.append(",".join(cells))
            written += 1
            continue
        n = rng.randrange(2, 6)
        cross = rng.random() < 0.25
        dept = rng.choice(depts)
        amounts = [rng.randrange(1, 10**8) for _ in range(n)]
        total = sum(amounts)
        for i in range(n):
            d = rng.choice(depts) if cross else dept
            debit = side(rng.choice(by_dept[d]), amounts[i])
            credit = side(rng.choice(by_dept[dept]), total) if i == 0 else blank
            flag = "2110" if i == 0 else "2101" if i == n - 1 else "2100"
            cells = [flag, str(voucher % 1_000_000) if i == 0 else "", "", dtext if i == 0 else "", *debit, *credit, text, "", "", "0", "", "", "0", "0", "no"]
            lines.append(",".join(cells))
        written += n
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    return written


def run_child(kind: str, document: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(document), str(LEDGER), str(ROOT), kind],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from jlis_ledger.importers import yayoi
    from beancount.parser import printer

    info, mapping, usable = load_names()
    print(f"Machine: {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}, {platform.system()} {platform.release()}")
    print()
    print("| rows | 伝票 | import (s) | rows/s | of which extract (s) | extract rows/s | bare parse of the result (s) | ratio | RSS growth (MB) | bytes/row |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            document = Path(tmp) / f"yayoi-{size}.csv"
            rows = write_file(document, size, seed=size, usable=usable)
            entries = yayoi.extract(str(document), mapping, info)
            with open(str(document) + ".beancount", "w", encoding="utf-8") as f:
                printer.print_entries(entries, file=f)
            imports, bares = [], []
            for i in range(args.repeat):
                order = ("import", "bare") if i % 2 == 0 else ("bare", "import")
                for kind in order:
                    (imports if kind == "import" else bares).append(run_child(kind, document))
            t_import = statistics.median(r["time"] for r in imports)
            t_bare = statistics.median(r["time"] for r in bares)
            t_extract = statistics.median(r["extract"] for r in imports)
            rss = statistics.median(r["rss_kb"] for r in imports) * 1024
            print(f"| {rows:,} | {imports[0]['entries']:,} | {t_import:.2f} | {rows / t_import:,.0f} | {t_extract:.2f} | "
                  f"{rows / t_extract:,.0f} | {t_bare:.2f} | "
                  f"{t_import / t_bare:.2f} | {rss / 2**20:.0f} | {rss / rows:,.0f} |")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
