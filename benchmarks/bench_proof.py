#!/usr/bin/env python3
"""Benchmark: the cost of the proof plugin (flow assertions and sealed years) against a bare Beancount load.

A script, not a test (it never asserts a time).  It writes one synthetic ledger (``jlis_ledger.synth``:
8 businesses, four fiscal years, 20 % cross-business and 5 % internal transactions), then adds what a
closed book carries:

- ``custom "flow"`` assertions of every flow: each item in each business and consolidated over each
  fiscal year, and each balance-sheet item's balance in each business at each year end (the expected
  figures are the books' own sums, taken once from a load with the plugins: the benchmark needs
  assertions that hold, not an independent proof);
- the first three fiscal years sealed (``jlis-ledger close``'s seals, one file each): three quarters
  of the entries are covered.

The variants differ only by their plugin lines (the same directives are parsed in all of them):

- ``beancount``: no plugin line — the anchor;
- ``+segments+reserves``: the segments plugin (strict) and the reserves plugin;
- ``+…+proof``: the same and ``jlis_ledger.plugins.proof``, the files as sealed (the seals' fast
  path: the files' bytes are those recorded, no entry is digested);
- ``+…+proof (digests)``: the same books with one comment appended to the main file, which holds
  covered entries: its bytes differ, so every covered entry is digested (the path after any edit of
  a file that holds sealed entries, or a reformatting).

Each load runs in a fresh Python process (Beancount's pickle cache off), variants interleaved, order
alternating; the proof step is Beancount's own ``log_timings`` of the plugin (its share of the sort
Beancount makes after every plugin included), reported against the bare load of the same run.

    .venv/bin/python benchmarks/bench_proof.py                          # 100k transactions, 5 runs each
    .venv/bin/python benchmarks/bench_proof.py --transactions 20000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
from collections import defaultdict
from pathlib import Path

from bench_segments import RESERVES_LINE, run_child

from jlis_ledger import books as books_lib
from jlis_ledger import synth
from jlis_ledger.core.accounts import split
from jlis_ledger.proof import close

ROOT = Path(__file__).resolve().parent
PROOF_LINE = 'plugin "jlis_ledger.plugins.proof"'
PROOF_STEP = "jlis_ledger.plugins.proof"
SEALED = (2019, 2020, 2021)
YEARS = (2019, 2020, 2021, 2022)


def flows_text(books: books_lib.Books) -> tuple[str, int]:
    """Flow assertions of every item by business and consolidated per year, and of each BS balance at each year end."""
    lines = []
    for year in YEARS:
        fy = books.fiscal_year(year)
        flows: dict[tuple[str, str], int] = defaultdict(int)
        for (account, _), number in books.balances(start=fy.start, end=fy.end_exclusive).items():
            flows[split(account)] += int(number)
        items = sorted({item for item, _ in flows})
        for (item, business), number in sorted(flows.items()):
            lines.append(f'{fy.end} custom "flow" {year} {item} {number} JPY\n  business: "{business}"')
        lines += [f'{fy.end} custom "flow" {year} {item} {sum(n for (i, _), n in flows.items() if i == item)} JPY' for item in items]
        balances: dict[tuple[str, str], int] = defaultdict(int)
        for (account, _), number in books.balances(end=fy.end_exclusive).items():
            if account.startswith(("Assets:", "Liabilities:", "Equity:")):
                balances[split(account)] += int(number)
        lines += [f'{fy.end} custom "flow" {fy.end} {item} {n} JPY\n  business: "{b}"' for (item, b), n in sorted(balances.items())]
    return "\n".join(lines) + "\n", len(lines)


def write_books(directory: Path, transactions: int, seed: int) -> tuple[dict[str, Path], dict]:
    """The four variants of the same books (see the module docstring), and what they hold."""
    directory.mkdir(parents=True, exist_ok=True)
    full = directory / "proof"
    full.mkdir(exist_ok=True)
    main = full / "books.beancount"
    stats = synth.write_ledger(main, transactions=transactions, seed=seed, plugins=True)
    first, rest = main.read_text(encoding="utf-8").split("\n", 1)
    seals = [full / f"seal-{year}.beancount" for year in SEALED]
    for seal in seals:
        seal.write_text("", encoding="utf-8")
    includes = 'include "flows.beancount"\n' + "".join(f'include "{s.name}"\n' for s in seals)
    main.write_text(f"{first}\n{RESERVES_LINE}\n{PROOF_LINE}\n{rest}{includes}", encoding="utf-8")
    (full / "flows.beancount").write_text("", encoding="utf-8")
    books = books_lib.load(main, cache=False)
    text, count = flows_text(books)
    (full / "flows.beancount").write_text(text, encoding="utf-8")
    covered = 0
    for year, seal in zip(SEALED, seals, strict=True):
        books = books_lib.load(main, cache=False)
        if books.errors:
            raise SystemExit(f"{main}: {len(books.errors)} error(s) before sealing {year}, e.g. {books.errors[0].message}")
        seal_text, entries, _ = close.seal_text(books, year)
        seal.write_text(seal_text, encoding="utf-8")
        covered += entries
    variants = {"+segments+reserves+proof": main}
    for name, lines in (("beancount", ()), ("+segments+reserves", (synth.PLUGIN_LINE, RESERVES_LINE))):
        target = directory / name.strip("+").replace("+", "-")
        target.mkdir(exist_ok=True)
        body = main.read_text(encoding="utf-8").split("\n", 3)[3]  # the three plugin lines dropped
        (target / "books.beancount").write_text("".join(f"{line}\n" for line in lines) + body, encoding="utf-8")
        for other in [full / "flows.beancount", *seals]:
            (target / other.name).write_text(other.read_text(encoding="utf-8"), encoding="utf-8")
        variants[name] = target / "books.beancount"
    digests = directory / "digests"
    digests.mkdir(exist_ok=True)
    for other in [full / "flows.beancount", *seals]:
        (digests / other.name).write_text(other.read_text(encoding="utf-8"), encoding="utf-8")
    (digests / "books.beancount").write_text(main.read_text(encoding="utf-8") + "; reformatted\n", encoding="utf-8")
    variants["+segments+reserves+proof (digests)"] = digests / "books.beancount"
    order = ["beancount", "+segments+reserves", "+segments+reserves+proof", "+segments+reserves+proof (digests)"]
    return {name: variants[name] for name in order}, {"transactions": stats.transactions, "postings": stats.postings,
                                                      "flows": count, "sealed entries": covered}


def measure(variants: dict[str, Path], repeat: int) -> list[dict]:
    runs: dict[str, list] = {name: [] for name in variants}
    for i in range(repeat):
        order = list(variants.items())
        for name, path in order if i % 2 == 0 else reversed(order):
            runs[name].append(run_child(path))
            print(f"  {name:<36} run {i + 1}/{repeat}: load {runs[name][-1].load:6.2f} s", file=sys.stderr)
    bare = runs["beancount"]
    rows = []
    for name, rs in runs.items():
        proof = statistics.median(r.steps.get(PROOF_STEP, 0) for r in rs)
        paired = statistics.median(r.steps.get(PROOF_STEP, 0) / 1000 / b.load for r, b in zip(rs, bare, strict=True))
        rows.append({"variant": name, "runs": len(rs), "load_s": statistics.median(r.load for r in rs),
                     "load_ratio_paired": statistics.median(r.load / b.load for r, b in zip(rs, bare, strict=True)),
                     "proof_ms": proof, "proof_share_paired": paired,
                     "segments_ms": statistics.median(r.steps.get("jlis_ledger.plugins.segments", 0) for r in rs),
                     "reserves_ms": statistics.median(r.steps.get("jlis_ledger.plugins.reserves", 0) for r in rs)})
    return rows


def table(rows: list[dict], held: dict) -> str:
    lines = [f"{held['transactions']:,} transactions, {held['postings']:,} postings, {held['flows']:,} flow assertions, "
             f"{len(SEALED)} of 4 fiscal years sealed ({held['sealed entries']:,} entries)", "",
             "| variant | runs | load (s) | paired load ratio | segments (ms) | reserves (ms) | proof step (ms) | proof / bare load (paired) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['variant']} | {r['runs']} | {r['load_s']:.2f} | {r['load_ratio_paired']:.3f} | {r['segments_ms']:.0f} | "
                     f"{r['reserves_ms']:.0f} | {r['proof_ms']:.0f} | {r['proof_share_paired']:.2%} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs per variant (median)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "proof", help="where the ledgers are written (git-ignored)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON")
    args = parser.parse_args(argv)
    os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
    print(f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    variants, held = write_books(args.out, args.transactions, args.seed)
    rows = measure(variants, args.repeat)
    print(table(rows, held))
    if args.json:
        args.json.write_text(json.dumps({"held": held, "rows": rows}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
