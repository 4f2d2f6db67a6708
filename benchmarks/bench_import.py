#!/usr/bin/env python3
"""Benchmark: importing generated 弥生, freee, マネーフォワード and 勘定奉行 files into the bundled books (not a test).

For each format and size it writes one synthetic file from the same synthetic
伝票 (the bundled ledger's mapping, ``ledger/import/mapping.csv``: its
勘定科目/補助科目 and the eight 部門; a third of the 伝票 are one row, the others
2–5 rows, a quarter of which cross 部門 and get 他事業勘定 legs; every row carries
a 税区分, so every posting has metadata):

- **yayoi**: 弥生インポート形式, cp932, half the dates 和暦 (``R.05/…``);
- **freee**: 汎用形式 (日付, 伝票番号, 借方/貸方 勘定科目 補助科目 部門 税区分 金額 税額,
  摘要), cp932, half the dates ``令和5年4月1日``;
- **mf**: the マネーフォワード 27-column 仕訳帳 template, UTF-8 with BOM;
- **bugyo**: 勘定奉行 OBC受入形式 (受入記号 row, ``*`` 伝票区切, codes), cp932,
  read through a copy of the mapping with a コード column added (synthetic codes).

Then it runs in a fresh Python process, several times, interleaved:

- **import**: what ``jlis-ledger import extract`` does after loading the
  ledger: ``ingest.extract`` (identify, decode, text checks, CSV, mapping,
  dates, repeats, transactions, 他事業勘定 legs, sort, dedup) and
  ``ingest.render`` (beangulp's printer), with the garbage collector paused as
  ``ingest.run_extract`` does; ``extract`` alone is reported too;
- **bare Beancount**: ``beancount.parser.parser.parse_string`` of the same
  entries printed as Beancount text (what reading the imported result costs
  Beancount itself), for a ratio measured in the same run.

It prints rows per second, the ratio, and the growth of the child's resident
memory (``/proc/self/statm``) from before reading the file to after rendering
it, with the entries and the text still alive, per row.  The ledger
(businesses, plugin config, opens, mapping) is loaded before the clock starts.

    .venv/bin/python benchmarks/bench_import.py                        # 4 formats, 25k and 100k rows, 3 runs each
    .venv/bin/python benchmarks/bench_import.py --formats mf --sizes 10000 --repeat 1
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEDGER = ROOT / "ledger" / "main.beancount"

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[3])
from jlis_ledger.importers import ledger_info, mapping as mapping_lib
from jlis_ledger.importers import bugyo, freee, ingest, moneyforward, yayoi
from beancount.parser import parser, printer
info = ledger_info(sys.argv[2])
mapping = mapping_lib.load(sys.argv[6], info.businesses)
kind = sys.argv[4]
module = {"yayoi": yayoi, "freee": freee, "mf": moneyforward, "bugyo": bugyo}[sys.argv[5]]
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
    importer = module.Importer(mapping, info)
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
    from jlis_ledger.importers import ledger_info
    from jlis_ledger.importers import mapping as mapping_lib

    info = ledger_info(LEDGER)
    mapping = mapping_lib.load(LEDGER.parent / "import" / "mapping.csv", info.businesses)
    departments = [name for name in mapping.departments if name]
    pairs = [key for key, item in mapping.items.items()
             if item != info.clearing and not item.startswith("Equity")]
    usable = [(name, sub, dept, f"{info.clearing}:{mapping.departments[dept]}" in info.opens)
              for (name, sub) in pairs for dept in departments
              if f"{mapping.items[(name, sub)]}:{mapping.departments[dept]}" in info.opens]
    return info, mapping, usable


def synthetic_vouchers(rows: int, seed: int, usable) -> list[tuple]:
    """About ``rows`` rows of 伝票: ``(date, number, [(debit choice|None, credit choice|None, debit, credit)], text)``."""
    import datetime

    rng = random.Random(seed)
    by_dept: dict[str, list] = {}
    for choice in usable:
        by_dept.setdefault(choice[2], []).append(choice)
    depts = list(by_dept)
    # a 伝票 across 部門 only among businesses with a 他事業勘定 account (the common pool has none: it is allocated)
    crossing = [d for d in depts if any(c[3] for c in by_dept[d])]
    written = 0
    number = 0
    d0 = datetime.date(2023, 4, 1).toordinal()
    out = []
    while written < rows:
        number += 1
        date = datetime.date.fromordinal(d0 + rng.randrange(365))
        text = f"取引 {number} の摘要"
        if rng.random() < 1 / 3:
            dept = rng.choice(depts)
            amount = rng.randrange(1, 10**8)
            out.append((date, number, [(rng.choice(by_dept[dept]), rng.choice(by_dept[dept]), amount, amount)], text))
            written += 1
            continue
        n = rng.randrange(2, 6)
        cross = rng.random() < 0.25
        dept = rng.choice(depts)
        amounts = [rng.randrange(1, 10**8) for _ in range(n)]
        lines = []
        for i in range(n):
            d = rng.choice(crossing) if cross and dept in crossing else dept
            lines.append((rng.choice(by_dept[d]), rng.choice(by_dept[dept]) if i == 0 else None, amounts[i], sum(amounts) if i == 0 else 0))
        out.append((date, number, lines, text))
        written += n
    return out


def _write_csv(path: Path, rows: list[list[str]], encoding: str, bom: bool = False) -> None:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode(encoding))


def write_yayoi(path: Path, vouchers, rng: random.Random) -> None:
    blank = ["", "", "", "", "0", ""]

    def side(choice, amount):
        return [choice[0], choice[1], choice[2], "対象外", str(amount), ""] if choice else blank

    rows = [["# 弥生会計 仕訳データ (synthetic: bench_import.py)"]]
    for date, number, lines, text in vouchers:
        wareki = rng.random() < 0.5
        dtext = f"R.{date.year - 2018:02d}/{date.month:02d}/{date.day:02d}" if wareki else date.strftime("%Y/%m/%d")
        n = len(lines)
        for i, (debit, credit, d, c) in enumerate(lines):
            flag = "2111" if n == 1 else "2110" if i == 0 else "2101" if i == n - 1 else "2100"
            rows.append([flag, str(number % 1_000_000) if i == 0 else "", "", dtext if i == 0 else "", *side(debit, d), *side(credit, c),
                         text, "", "", "0", "", "", "0", "0", "no"])
    _write_csv(path, rows, "cp932")


def write_freee(path: Path, vouchers, rng: random.Random) -> None:
    def side(choice, amount):
        return [choice[0], choice[1], choice[2], "対象外", str(amount), ""] if choice else ["", "", "", "", "", ""]

    rows = [["日付", "伝票番号", "決算整理仕訳", "借方勘定科目", "借方補助科目", "借方部門", "借方税区分", "借方金額", "借方税額",
             "貸方勘定科目", "貸方補助科目", "貸方部門", "貸方税区分", "貸方金額", "貸方税額", "摘要"]]
    for date, number, lines, text in vouchers:
        dtext = f"令和{date.year - 2018}年{date.month}月{date.day}日" if rng.random() < 0.5 else date.strftime("%Y/%m/%d")
        for debit, credit, d, c in lines:
            rows.append([dtext, str(number), "", *side(debit, d), *side(credit, c), text])
    _write_csv(path, rows, "cp932")


def write_mf(path: Path, vouchers, rng: random.Random) -> None:
    from jlis_ledger.importers.moneyforward import HEADER

    def side(choice, amount):
        return [choice[0], choice[1], choice[2], "", "対象外", "", str(amount), "0"] if choice else [""] * 8

    rows = [HEADER]
    for date, number, lines, text in vouchers:
        for debit, credit, d, c in lines:
            rows.append([str(number), date.strftime("%Y/%m/%d"), *side(debit, d), *side(credit, c), text, "", "", "", "",
                         "2024/04/02 10:00", "bench", "2024/04/02 10:00", "bench"])
    _write_csv(path, rows, "utf-8", bom=True)


def code_mapping(mapping, path: Path) -> dict:
    """A copy of the mapping with synthetic codes (コード, 補助コード) for 勘定奉行; returns (name, sub) -> codes, 部門 -> code."""
    items = {key: (f"{1000 + i}", "") for i, key in enumerate(mapping.items)}
    departments = {name: f"{100 * (i + 1)}" for i, name in enumerate(n for n in mapping.departments if n)}
    lines = ["種別,名前,補助科目,対応先,コード,補助コード"]
    for (name, sub), item in mapping.items.items():
        lines.append(f"科目,{name},{sub},{item},{items[(name, sub)][0]},")
    for name, business in mapping.departments.items():
        lines.append(f"部門,{name},,{business},{departments.get(name, '')}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"items": items, "departments": departments}


def write_bugyo(path: Path, vouchers, rng: random.Random, codes: dict) -> None:
    def side(choice, amount):
        if not choice:
            return ["", "", "", "", "", ""]
        return [codes["departments"][choice[2]], codes["items"][(choice[0], choice[1])][0], "", "00", str(amount), "0"]

    rows = [["OBCD001", "CSJS005", "CSJS007", "CSJS200", "CSJS201", "CSJS202", "CSJS203", "CSJS213", "CSJS214",
             "CSJS300", "CSJS301", "CSJS302", "CSJS303", "CSJS313", "CSJS314", "CSJS100"]]
    for date, number, lines, text in vouchers:
        for i, (debit, credit, d, c) in enumerate(lines):
            rows.append(["*" if i == 0 else "", date.strftime("%Y/%m/%d"), str(number), *side(debit, d), *side(credit, c), text])
    _write_csv(path, rows, "cp932")


def run_child(kind: str, document: Path, fmt: str, mapping: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(document), str(LEDGER), str(ROOT), kind, fmt, str(mapping)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


FORMATS = ("yayoi", "freee", "mf", "bugyo")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from beancount.parser import printer

    from jlis_ledger.importers import bugyo, freee, moneyforward, yayoi
    from jlis_ledger.importers import mapping as mapping_lib

    modules = {"yayoi": yayoi, "freee": freee, "mf": moneyforward, "bugyo": bugyo}
    info, mapping, usable = load_names()
    print(f"Machine: {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}, {platform.system()} {platform.release()}")
    print()
    print("| format | rows | 伝票 | import (s) | rows/s | of which extract (s) | extract rows/s | bare parse of the result (s) | ratio | RSS growth (MB) | bytes/row |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        names_mapping = LEDGER.parent / "import" / "mapping.csv"
        coded_mapping = Path(tmp) / "mapping-codes.csv"
        codes = code_mapping(mapping, coded_mapping)
        coded = mapping_lib.load(coded_mapping, info.businesses)
        for size in args.sizes:
            vouchers = synthetic_vouchers(size, seed=size, usable=usable)
            rows = sum(len(lines) for _, _, lines, _ in vouchers)
            for fmt in args.formats:
                document = Path(tmp) / f"{fmt}-{size}.csv"
                rng = random.Random(size)
                if fmt == "bugyo":
                    write_bugyo(document, vouchers, rng, codes)
                else:
                    {"yayoi": write_yayoi, "freee": write_freee, "mf": write_mf}[fmt](document, vouchers, rng)
                used_mapping = coded_mapping if fmt == "bugyo" else names_mapping
                entries = modules[fmt].extract(str(document), coded if fmt == "bugyo" else mapping, info)
                with open(str(document) + ".beancount", "w", encoding="utf-8") as f:
                    printer.print_entries(entries, file=f)
                imports, bares = [], []
                for i in range(args.repeat):
                    order = ("import", "bare") if i % 2 == 0 else ("bare", "import")
                    for kind in order:
                        (imports if kind == "import" else bares).append(run_child(kind, document, fmt, used_mapping))
                t_import = statistics.median(r["time"] for r in imports)
                t_bare = statistics.median(r["time"] for r in bares)
                t_extract = statistics.median(r["extract"] for r in imports)
                rss = statistics.median(r["rss_kb"] for r in imports) * 1024
                print(f"| {fmt} | {rows:,} | {imports[0]['entries']:,} | {t_import:.2f} | {rows / t_import:,.0f} | {t_extract:.2f} | "
                      f"{rows / t_extract:,.0f} | {t_bare:.2f} | "
                      f"{t_import / t_bare:.2f} | {rss / 2**20:.0f} | {rss / rows:,.0f} |")
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
