#!/usr/bin/env python3
"""Benchmark: load time and peak memory of synthetic ledgers with and without the jlis-ledger plugins.

A script, not a test (it never asserts a time).  For each size it writes the
same synthetic ledger (``jlis_ledger.synth``) once without plugin lines and
once with them, then loads each file in a fresh Python process, several times,
interleaving the variants so that drift on a noisy machine hits all of them
alike.  Per run it records

- the whole-process wall time (``time.perf_counter`` around the subprocess),
- the load time measured inside the child (``loader.load_file`` only),
- the time of each plugin step, from Beancount's own ``log_timings``,
- the child's peak RSS (``os.wait4`` rusage, per child),

and prints medians and ratios over bare Beancount as a Markdown table: the
ratio of the medians, and the median of the per-run ratios (each plugin run
against the bare run next to it; the order alternates), which is less sensitive
to the machine speeding up or slowing down during the benchmark.  A second
table gives the median time of each load stage.  The
Beancount pickle cache is disabled (``BEANCOUNT_DISABLE_LOAD_CACHE``).

    .venv/bin/python benchmarks/bench_segments.py                     # 10k, 100k, 1M postings, 5 runs each
    .venv/bin/python benchmarks/bench_segments.py --sizes 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from jlis_ledger import synth

ROOT = Path(__file__).resolve().parent
RESERVES_LINE = 'plugin "jlis_ledger.plugins.reserves"'

CHILD = r"""
import gc, json, os, re, sys, time
from beancount import loader
if os.environ.get("JLIS_BENCH_COLLECTOR") == "off":  # as jlis_ledger.loading loads: the collector paused
    gc.disable()
steps = {}
def log(line):
    m = re.search(r"Operation: '([^']+)'\s+Time:\s+(\d+) ms", line)
    if m:
        steps[m.group(1)] = int(m.group(2))
start = time.perf_counter()
entries, errors, options = loader.load_file(sys.argv[1], log_timings=log)
load = time.perf_counter() - start
print(json.dumps({"load": load, "errors": len(errors), "entries": len(entries), "steps": steps,
                  "first_error": errors[0].message[:300] if errors else None}))
"""

#: the plugin steps reported separately (Beancount's names in log_timings)
PLUGIN_STEPS = ("jlis_ledger.plugins.segments", "jlis_ledger.plugins.reserves")
#: the stages of a load, in order (Beancount's names in log_timings)
STAGES = ("parse", "booking", *PLUGIN_STEPS, "beancount.ops.pad", "beancount.ops.balance", "beancount.ops.validate")
STEPS = STAGES


@dataclass
class Run:
    wall: float
    load: float
    rss_kb: int
    steps: dict[str, int]


def run_child(path: Path) -> Run:
    env = dict(os.environ, BEANCOUNT_DISABLE_LOAD_CACHE="1")
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, env=env)
    stdout = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"loading {path} failed with exit code {process.returncode}")
    result = json.loads(stdout)
    if result["errors"]:
        raise SystemExit(f"{path}: {result['errors']} error(s), e.g. {result['first_error']}")
    return Run(wall, result["load"], usage.ru_maxrss, result["steps"])


def write_variants(directory: Path, postings: int, seed: int) -> tuple[int, dict[str, Path]]:
    """The same ledger without plugins, with segments, and (if it exists) with segments and reserves."""
    transactions = max(1, round(postings / 3.23))  # synth writes about 3.23 postings per transaction
    bare = directory / f"synth-{postings}-bare.beancount"
    stats = synth.write_ledger(bare, transactions=transactions, seed=seed, plugins=False)
    segments = directory / f"synth-{postings}-segments.beancount"
    synth.write_ledger(segments, transactions=transactions, seed=seed, plugins=True)
    variants = {"beancount": bare, "+segments": segments}
    if importlib.util.find_spec("jlis_ledger.plugins.reserves") is not None:
        both = directory / f"synth-{postings}-both.beancount"
        first, rest = segments.read_text(encoding="utf-8").split("\n", 1)  # the reserves plugin runs after segments
        both.write_text(f"{first}\n{RESERVES_LINE}\n{rest}", encoding="utf-8")
        variants["+segments+reserves"] = both
    return stats.postings, variants


def baseline_rss(directory: Path, repeat: int) -> int:
    """Peak RSS of a child that loads a ledger without transactions (interpreter, Beancount, plugin, chart)."""
    empty = directory / "empty.beancount"
    synth.write_ledger(empty, transactions=0, seed=0, plugins=True)
    return int(statistics.median(run_child(empty).rss_kb for _ in range(repeat)))


def measure(sizes: list[int], repeat: int, repeat_large: int, directory: Path, seed: int) -> list[dict]:
    base = baseline_rss(directory, 3)
    rows = []
    for size in sizes:
        postings, variants = write_variants(directory, size, seed)
        runs: dict[str, list[Run]] = {name: [] for name in variants}
        count = repeat if size < 1_000_000 else repeat_large
        for i in range(count):
            order = list(variants.items())
            for name, path in order if i % 2 == 0 else reversed(order):  # alternate who goes first
                runs[name].append(run_child(path))
                print(f"  {size:>9,} {name:<20} run {i + 1}/{count}: {runs[name][-1].wall:7.2f} s", file=sys.stderr)
        bare = runs["beancount"]
        bare_wall = statistics.median(r.wall for r in bare)
        bare_load = statistics.median(r.load for r in bare)
        bare_rss = statistics.median(r.rss_kb for r in bare)
        for name, rs in runs.items():
            wall = statistics.median(r.wall for r in rs)
            load = statistics.median(r.load for r in rs)
            rss = statistics.median(r.rss_kb for r in rs)
            plugin_ms = statistics.median(sum(r.steps.get(s, 0) for s in PLUGIN_STEPS) for r in rs)
            paired_wall = statistics.median(r.wall / b.wall for r, b in zip(rs, bare))
            paired_load = statistics.median(r.load / b.load for r, b in zip(rs, bare))
            steps = {step: statistics.median(r.steps.get(step, 0) for r in rs) for step in STEPS}
            rows.append({
                "postings": postings,
                "variant": name,
                "runs": len(rs),
                "wall_s": wall,
                "wall_ratio": wall / bare_wall,
                "wall_ratio_paired": paired_wall,
                "load_ratio_paired": paired_load,
                "steps_ms": steps,
                "load_s": load,
                "load_ratio": load / bare_load,
                "plugin_ms": plugin_ms,
                "plugin_share": plugin_ms / 1000 / bare_load,
                "rss_mb": rss / 1024,
                "rss_ratio": rss / bare_rss,
                "bytes_per_posting": (rss - base) * 1024 / postings,
            })
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| postings | variant | runs | wall (s) | wall ratio | paired wall ratio | load (s) | load ratio | paired load ratio "
        "| plugin step (ms) | plugin / bare load | peak RSS (MB) | RSS ratio | bytes / posting |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['postings']:,} | {r['variant']} | {r['runs']} | {r['wall_s']:.2f} | {r['wall_ratio']:.3f} | "
            f"{r['wall_ratio_paired']:.3f} | {r['load_s']:.2f} | {r['load_ratio']:.3f} | {r['load_ratio_paired']:.3f} | "
            f"{r['plugin_ms']:.0f} | {r['plugin_share']:.1%} | {r['rss_mb']:.0f} | {r['rss_ratio']:.3f} | "
            f"{r['bytes_per_posting']:.0f} |"
        )
    return "\n".join(lines)


def stages_table(rows: list[dict]) -> str:
    """Median milliseconds per load stage (Beancount's log_timings)."""
    stages = [s for s in STAGES if any(r["steps_ms"][s] for r in rows)]
    names = [s.replace("beancount.ops.", "").replace("jlis_ledger.plugins.", "") for s in stages]
    lines = ["| postings | variant | " + " | ".join(names) + " |", "|---:|---|" + "---:|" * len(names)]
    for r in rows:
        cells = " | ".join(f"{r['steps_ms'][s]:.0f}" for s in stages)
        lines.append(f"| {r['postings']:,} | {r['variant']} | {cells} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="postings per ledger, comma-separated")
    parser.add_argument("--repeat", type=int, default=5, help="runs per variant (median)")
    parser.add_argument("--repeat-large", type=int, default=None, help="runs per variant at 1M postings and more (default: --repeat)")
    parser.add_argument("--out", type=Path, default=ROOT / "out", help="where the ledgers are written (git-ignored)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    print(f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    rows = measure(sizes, args.repeat, args.repeat_large or args.repeat, args.out, args.seed)
    print(table(rows))
    print()
    print("Stages (median ms):")
    print()
    print(stages_table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
