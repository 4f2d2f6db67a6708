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
start, imports, load, output, exit); peak RSS is the child's ``ru_maxrss``.
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


def run(argv: list[str], env: dict) -> tuple[float, int, int, bytes]:
    """Wall seconds, peak RSS (KB), exit status and stdout of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    stdout = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss, process.returncode, stdout


def measure(size: int, repeat: int, workdir: Path, env: dict) -> list[dict]:
    ledger = workdir / f"synth-{size}.beancount"
    subprocess.run(
        [sys.executable, "-m", "jlis_ledger.cli", "synth", str(ledger), "--transactions", str(size)], check=True, env=env
    )
    # Prime both caches (not timed as warm runs); the first one of ours is a miss.
    prime_wall, prime_rss, prime_status, prime_out = run(command("jlis-ledger check (warm)", ledger), env)
    run(command("bean-check (its own cache, warm)", ledger), env)
    runs: dict[str, list[tuple[float, int]]] = {v: [] for v in VARIANTS}
    statuses: dict[str, set[int]] = {v: set() for v in VARIANTS}
    outputs: set[bytes] = {prime_out}
    for i in range(repeat):
        order = VARIANTS[i % len(VARIANTS):] + VARIANTS[: i % len(VARIANTS)]
        for variant in order:
            wall, rss, status, out = run(command(variant, ledger), env)
            print(f"  {size:,} {variant}: {wall:.2f} s, {rss / 1024:.0f} MB, exit {status}", file=sys.stderr, flush=True)
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
        walls = [w for w, _ in runs[variant]]
        rows.append({
            "size": size,
            "variant": variant,
            "runs": len(walls),
            "wall": statistics.median(walls),
            "ratio": statistics.median(walls) / statistics.median(reference),
            "paired": statistics.median(w / r for w, r in zip(walls, reference)),
            "rss_mb": statistics.median(r for _, r in runs[variant]) / 1024,
            "exit": sorted(statuses[variant])[0],
        })
    rows.append({
        "size": size, "variant": "jlis-ledger check (miss: load + write the cache, once)", "runs": 1,
        "wall": prime_wall, "ratio": prime_wall / statistics.median(reference),
        "paired": float("nan"), "rss_mb": prime_rss / 1024, "exit": prime_status,
    })
    for leftover in ledger.parent.glob(ledger.name + "*"):
        leftover.unlink()
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| transactions | command | runs | wall (s, median) | ratio to bean-check cold | paired ratio | peak RSS (MB) | exit |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        paired = "" if r["paired"] != r["paired"] else f"{r['paired']:.3f}"
        lines.append(
            f"| {r['size']:,} | {r['variant']} | {r['runs']} | {r['wall']:.2f} | {r['ratio']:.3f} | {paired} | "
            f"{r['rss_mb']:.0f} | {r['exit']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,300000", help="transactions per ledger, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (median)")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    print(f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-loading-") as tmp:
        workdir = Path(tmp)
        env = dict(os.environ, JLIS_LEDGER_CACHE_DIR=str(workdir / "cache"), PYTHONPATH=str(ROOT))
        env.pop("BEANCOUNT_DISABLE_LOAD_CACHE", None)
        for size in sizes:
            rows.extend(measure(size, args.repeat, workdir, env))
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
