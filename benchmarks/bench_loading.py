#!/usr/bin/env python3
"""Benchmark: `jlis-ledger check` against `bean-check` on the same synthetic ledgers, cold and warm.

A script, not a test (it never asserts a time). For each size it writes a
synthetic ledger with ``jlis-ledger synth`` (segments plugin in strict mode)
into a temporary directory, then times whole processes, interleaved, the
order rotating from one repetition to the next:

- ``bean-check --no-cache FILE``: Beancount's cold load (the reference, 1.0);
- ``jlis-ledger check FILE --no-cache``: our cold load (collector tuning only),
  plus the summary per business that the command prints;
- ``jlis-ledger check FILE``: warm, a hit on our load cache (primed once
  before the repetitions);
- ``bean-check --cache-filename F FILE``: Beancount's own pickle cache, warm
  (for comparison; ``F`` is in the temporary directory, apart from the file
  that ``bean-check --no-cache`` deletes).

Also timed once per size: the priming run (a cache miss: a load plus writing
the cache). Wall time is ``time.perf_counter`` around the process (interpreter
start, imports, load, output, exit); CPU time is the child's user + system time
(less sensitive to other processes on a shared machine); peak RSS is the
child's ``ru_maxrss``. Ratios are to ``bean-check (cold)``: of the medians, and
the median of the per-repetition ratios (paired).
Our cache lives in a temporary directory (``JLIS_LEDGER_CACHE_DIR``). Every
run's exit status must match bean-check's and our cold and warm outputs must
be identical, or the script stops.

    /work/main/.venv/bin/python benchmarks/bench_loading.py                 # 100k and 300k transactions, 3 runs
    /work/main/.venv/bin/python benchmarks/bench_loading.py --sizes 10000 --repeat 2
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def command(variant: str, ledger: Path) -> list[str]:
    jlis = [sys.executable, "-m", "jlis_ledger.cli", "check", str(ledger)]
    bean_check = [str(BIN / "bean-check")]
    # `bean-check --no-cache` deletes Beancount's cache file: the warm runs use another one.
    beancount_cache = str(ledger.with_name(ledger.name + ".beancount-cache.pickle"))
    return {
        "bean-check (cold)": [*bean_check, "--no-cache", str(ledger)],
        "jlis-ledger check --no-cache (cold)": [*jlis, "--no-cache"],
        "jlis-ledger check (warm)": jlis,
        "bean-check (its own cache, warm)": [*bean_check, "--cache-filename", beancount_cache, str(ledger)],
    }[variant]


VARIANTS = (
    "bean-check (cold)",
    "jlis-ledger check --no-cache (cold)",
    "jlis-ledger check (warm)",
    "bean-check (its own cache, warm)",
)


def run(argv: list[str], env: dict) -> tuple[tuple[float, float], int, int, bytes]:
    """(wall, CPU) seconds, peak RSS (KB), exit status and stdout of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    stdout = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return (wall, usage.ru_utime + usage.ru_stime), usage.ru_maxrss, process.returncode, stdout


def measure(size: int, repeat: int, workdir: Path, env: dict) -> list[dict]:
    ledger = workdir / f"synth-{size}.beancount"
    subprocess.run(
        [sys.executable, "-m", "jlis_ledger.cli", "synth", str(ledger), "--transactions", str(size)], check=True, env=env
    )
    # Prime both caches (not timed as warm runs); the first one of ours is a miss.
    prime_wall, prime_rss, prime_status, prime_out = run(command("jlis-ledger check (warm)", ledger), env)
    run(command("bean-check (its own cache, warm)", ledger), env)
    runs: dict[str, list[tuple[tuple[float, float], int]]] = {v: [] for v in VARIANTS}
    statuses: dict[str, set[int]] = {v: set() for v in VARIANTS}
    outputs: set[bytes] = {prime_out}
    for i in range(repeat):
        order = VARIANTS[i % len(VARIANTS):] + VARIANTS[: i % len(VARIANTS)]
        for variant in order:
            wall, rss, status, out = run(command(variant, ledger), env)
            print(f"  {size:,} {variant}: {wall[0]:.2f} s wall, {wall[1]:.2f} s CPU, {rss / 1024:.0f} MB, exit {status}",
                  file=sys.stderr, flush=True)
            runs[variant].append((wall, rss))
            statuses[variant].add(status)
            if variant.startswith("jlis-ledger"):
                outputs.add(out)
    reference_status = statuses["bean-check (cold)"]
    if any(s != reference_status for s in statuses.values()) or {prime_status} != reference_status:
        raise SystemExit(f"exit statuses differ: {statuses}, priming {prime_status}")
    if len(outputs) != 1:
        raise SystemExit("jlis-ledger check printed different summaries cold, warm and priming")
    reference = [w for w, _ in runs["bean-check (cold)"]]
    rows = []
    for variant in VARIANTS:
        times = [w for w, _ in runs[variant]]
        row = {"size": size, "variant": variant, "runs": len(times), "exit": sorted(statuses[variant])[0],
               "rss_mb": statistics.median(r for _, r in runs[variant]) / 1024}
        for i, name in enumerate(("wall", "cpu")):
            mine = [t[i] for t in times]
            ref = [t[i] for t in reference]
            row[name] = statistics.median(mine)
            row[name + "_ratio"] = statistics.median(mine) / statistics.median(ref)
            row[name + "_paired"] = statistics.median(m / r for m, r in zip(mine, ref))
        rows.append(row)
    ref_wall = statistics.median(t[0] for t in reference)
    ref_cpu = statistics.median(t[1] for t in reference)
    rows.append({
        "size": size, "variant": "jlis-ledger check (miss: load + write the cache, once)", "runs": 1,
        "wall": prime_wall[0], "wall_ratio": prime_wall[0] / ref_wall, "wall_paired": float("nan"),
        "cpu": prime_wall[1], "cpu_ratio": prime_wall[1] / ref_cpu, "cpu_paired": float("nan"),
        "rss_mb": prime_rss / 1024, "exit": prime_status,
    })
    for leftover in ledger.parent.glob(ledger.name + "*"):
        leftover.unlink()
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| transactions | command | runs | wall (s) | wall ratio | paired wall ratio | CPU (s) | CPU ratio "
        "| paired CPU ratio | peak RSS (MB) | exit |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def paired(value: float) -> str:
        return "" if value != value else f"{value:.3f}"

    for r in rows:
        lines.append(
            f"| {r['size']:,} | {r['variant']} | {r['runs']} | {r['wall']:.2f} | {r['wall_ratio']:.3f} | "
            f"{paired(r['wall_paired'])} | {r['cpu']:.2f} | {r['cpu_ratio']:.3f} | {paired(r['cpu_paired'])} | "
            f"{r['rss_mb']:.0f} | {r['exit']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,300000", help="transactions per ledger, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (median)")
    parser.add_argument("--repeat-small", type=int, default=None, help="runs per command below 200k transactions (default: --repeat)")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    print(f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-loading-") as tmp:
        workdir = Path(tmp)
        env = dict(os.environ, JLIS_LEDGER_CACHE_DIR=str(workdir / "cache"), PYTHONPATH=str(ROOT))
        env.pop("BEANCOUNT_DISABLE_LOAD_CACHE", None)
        for size in sizes:
            repeat = args.repeat_small if args.repeat_small and size < 200_000 else args.repeat
            rows.extend(measure(size, repeat, workdir, env))
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
