#!/usr/bin/env python3
"""Benchmark: every statement of a fiscal year against the bare Beancount load of the same ledger.

A script, not a test (it never asserts a time).  For each size it writes a
synthetic ledger (``jlis_ledger.synth``) as our users keep it (the segments
and reserves plugins, the layout declarations of the statements, a ``cf:``
line on every cash posting), and the same file without its plugin lines, and
runs, in fresh Python processes, interleaved:

- ``bare``: ``beancount.loader.load_file`` of the file without plugins;
- ``cold``: ``jlis_ledger.books.load(..., cache=False)`` of the full file (our
  loader, collector paused), then ``statements.build_all`` for the last fiscal
  year (all fifteen ids);
- ``warm``: the same with our cache (primed once before the runs).

It prints medians and the ratio to the bare load (target ≤ 1.15×), with the
time of the statements step alone.  Beancount's pickle cache is disabled; ours
lives in a temporary directory.

    .venv/bin/python benchmarks/bench_statements.py                      # 100k and 1M postings, 3 runs
    .venv/bin/python benchmarks/bench_statements.py --sizes 20000 --repeat 1
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

from jlis_ledger import synth

LAYOUT = f"""
2019-04-01 custom "cash-flow-cash" {synth.CASH}
2019-04-01 custom "cash-flow-line" "業務活動によるキャッシュ・フロー" "収入"
2019-04-01 custom "cash-flow-line" "業務活動によるキャッシュ・フロー" "支出"
2019-04-01 custom "statement-subtotal" "pl" "当期純利益" Expenses:2-臨時損失
2019-04-01 custom "statement-line" "provisions" {synth.RESERVE}
"""

BARE = r"""
import json, sys, time
from beancount import loader
t = time.perf_counter()
entries, errors, options = loader.load_file(sys.argv[1])
print(json.dumps({"load": time.perf_counter() - t, "errors": len(errors)}))
"""

FULL = r"""
import json, sys, time
t = time.perf_counter()
from jlis_ledger import books, statements
b = books.load(sys.argv[1], cache=sys.argv[2] == "warm")
loaded = time.perf_counter()
fy = b.fiscal_year(2022)
tables = statements.build_all(b, fy)
done = time.perf_counter()
print(json.dumps({"load": loaded - t, "statements": done - loaded, "total": done - t, "errors": len(b.errors),
                  "rows": sum(len(x.rows) for x in tables.values())}))
"""


PLUGINS = synth.PLUGIN_LINE + "\n" + 'plugin "jlis_ledger.plugins.reserves"\n'


def write_ledgers(full: Path, bare: Path, postings_target: int, seed: int) -> int:
    """The synthetic ledger with plugins, the layout declarations and cf: on every cash posting, and the same
    without the plugin lines; returns the number of postings."""
    transactions = max(postings_target * 10 // 32, 1)  # about 3.2 postings per transaction
    prefix = f"  {synth.CASH}:"
    postings = 0
    with open(full, "w", encoding="utf-8", buffering=1 << 20) as out, \
            open(bare, "w", encoding="utf-8", buffering=1 << 20) as out_bare:
        out.write(PLUGINS)
        for text in [LAYOUT]:
            out.write(text)
            out_bare.write(text)
        for chunk in synth.ledger_lines(transactions=transactions, seed=seed, plugins=False):
            lines = []
            for line in chunk.splitlines(keepends=True):
                lines.append(line)
                if line.startswith("  ") and line[2:3].isupper():  # a posting, not metadata
                    postings += 1
                if line.startswith(prefix):
                    amount = int(line.split()[-2])
                    lines.append(f'    cf: "{"収入" if amount >= 0 else "支出"}"\n')
            text = "".join(lines)
            out.write(text)
            out_bare.write(text)
    return postings


def run(code: str, path: Path, *args: str, cache_dir: str) -> dict:
    env = dict(os.environ, BEANCOUNT_DISABLE_LOAD_CACHE="1", JLIS_LEDGER_CACHE_DIR=cache_dir)
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, str(path), *args], capture_output=True, text=True, env=env, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - start
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="postings (about)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print("| postings | bare load (s) | cold: load + plugins + all statements (s) | statements step (s) | statements / bare load "
          "| cold ratio to bare | cold wall ratio | warm (cache hit) ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            full = Path(tmp) / f"full-{size}.beancount"
            bare = Path(tmp) / f"bare-{size}.beancount"
            postings = write_ledgers(full, bare, size, args.seed)
            bares, fulls, warms = [], [], []
            cache_dir = str(Path(tmp) / "cache")
            run(FULL, full, "warm", cache_dir=cache_dir)  # prime the cache for the warm runs
            for i in range(args.repeat):
                variants = [("bare", BARE, bare, ()), ("cold", FULL, full, ("cold",)), ("warm", FULL, full, ("warm",))]
                for name, code, path, extra in (variants if i % 2 == 0 else variants[::-1]):
                    result = run(code, path, *extra, cache_dir=cache_dir)
                    {"bare": bares, "cold": fulls, "warm": warms}[name].append(result)
            if any(r["errors"] for r in fulls):
                print(f"warning: {fulls[0]['errors']} load errors in the full ledger", file=sys.stderr)
            b = statistics.median(r["load"] for r in bares)
            f = statistics.median(r["total"] for r in fulls)
            s = statistics.median(r["statements"] for r in fulls)
            wall = statistics.median(r["wall"] for r in fulls) / statistics.median(r["wall"] for r in bares)
            warm = statistics.median(r["total"] for r in warms)
            print(f"| {postings:,} | {b:.2f} | {f:.2f} | {s:.2f} | {s / b:.1%} | {f / b:.3f}× | {wall:.3f}× | {warm / b:.3f}× |",
                  flush=True)


if __name__ == "__main__":
    main()
