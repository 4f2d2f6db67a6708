#!/usr/bin/env python3
"""Benchmark: the allocations plugin's overhead, alone and with the other plugins, against bare Beancount.

A script, not a test (it never asserts a time).  For each size it writes a
synthetic ledger (``jlis_ledger.synth`` with ``pool_share=1/3``: a third of
the transactions book a common cost to the pool ``C-共通``, paid by one
business) in two forms with the same books:

- *pooled*: each common cost is one pool posting, split by the allocations plugin;
- *pre-split*: each common cost is typed already split, exactly as the plugin
  splits it (shares and 他事業勘定 legs; ``synth``'s ``pool_presplit``), which is
  what bare Beancount must load to hold the same books.

Variants (plugin lines only differ within a form):

- ``beancount (pre-split)``: no plugin — the baseline of every ratio;
- ``beancount (pooled)``: no plugin, pool postings left as typed (for reference: fewer postings);
- ``segments+reserves (pre-split)``: the other plugins on the same books;
- ``allocations (pooled)``: the allocations plugin alone (clearing in its configuration);
- ``all (pooled)``: allocations, segments (strict) and reserves, in that order.

Each file is loaded in a fresh Python process (``benchmarks.bench_segments.run_child``:
pickle cache off, Beancount's ``log_timings`` per stage, peak RSS), the
variants interleaved with alternating order; figures are medians and ratios
over the bare load measured in the same run.

    .venv/bin/python benchmarks/bench_allocations.py                    # 100k and 300k postings
    .venv/bin/python benchmarks/bench_allocations.py --sizes 20000 --repeat 3
    .venv/bin/python benchmarks/bench_allocations.py --collector off   # every variant as our loader loads
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_segments import run_child  # noqa: E402

from jlis_ledger import synth  # noqa: E402

ROOT = Path(__file__).resolve().parent
POOL_SHARE = 1 / 3
PLUGINS = ("jlis_ledger.plugins.allocations", "jlis_ledger.plugins.segments", "jlis_ledger.plugins.reserves")
STAGES = ("parse", "booking", *PLUGINS, "beancount.ops.pad", "beancount.ops.balance", "beancount.ops.validate")


RESERVES_LINE = 'plugin "jlis_ledger.plugins.reserves"'


def write_variants(directory: Path, postings: int, seed: int) -> tuple[int, int, dict[str, Path]]:
    """The variants; ``postings`` is the size of the books (the pre-split form)."""
    transactions = max(1, round(postings / 7.0))  # about 7 postings per transaction once a third are split 7 ways
    presplit = directory / f"alloc-{postings}-presplit.beancount"
    stats = synth.write_ledger(presplit, transactions=transactions, seed=seed, plugins=False, pool_share=POOL_SHARE,
                               pool_presplit=True)
    pooled = directory / f"alloc-{postings}-pooled.beancount"
    synth.write_ledger(pooled, transactions=transactions, seed=seed, plugins=False, pool_share=POOL_SHARE)
    split_body, pool_body = presplit.read_text(encoding="utf-8"), pooled.read_text(encoding="utf-8")
    others = directory / f"alloc-{postings}-presplit-plugins.beancount"
    others.write_text(f"{synth.PLUGIN_LINE}\n{RESERVES_LINE}\n{split_body}", encoding="utf-8")
    alone = directory / f"alloc-{postings}-allocations.beancount"
    alone.write_text(f'{synth.ALLOCATIONS_LINE} "{repr({"clearing": synth.CLEARING})}"\n{pool_body}', encoding="utf-8")
    everything = directory / f"alloc-{postings}-all.beancount"
    everything.write_text(f"{synth.ALLOCATIONS_LINE}\n{synth.PLUGIN_LINE}\n{RESERVES_LINE}\n{pool_body}", encoding="utf-8")
    count = pool_body.count(f":{synth.POOL}  ")
    return stats.postings, count, {
        "beancount (pre-split)": presplit, "beancount (pooled)": pooled, "segments+reserves (pre-split)": others,
        "allocations (pooled)": alone, "all (pooled)": everything,
    }


def measure(sizes: list[int], repeat: int, directory: Path, seed: int) -> list[dict]:
    rows = []
    for size in sizes:
        postings, pooled, variants = write_variants(directory, size, seed)
        runs = {name: [] for name in variants}
        for i in range(repeat):
            order = list(variants.items())
            for name, path in order if i % 2 == 0 else reversed(order):
                runs[name].append(run_child(path))
                print(f"  {size:>9,} {name:<30} run {i + 1}/{repeat}: {runs[name][-1].wall:7.2f} s", file=sys.stderr)
        bare = runs["beancount (pre-split)"]
        bare_load = statistics.median(r.load for r in bare)
        bare_wall = statistics.median(r.wall for r in bare)
        for name, rs in runs.items():
            steps = {s: statistics.median(r.steps.get(s, 0) for r in rs) for s in STAGES}
            plugin_ms = statistics.median(sum(r.steps.get(s, 0) for s in PLUGINS) for r in rs)
            rows.append({
                "postings": postings, "pooled": pooled, "variant": name, "runs": len(rs),
                "wall_s": statistics.median(r.wall for r in rs),
                "wall_ratio": statistics.median(r.wall for r in rs) / bare_wall,
                "paired_wall_ratio": statistics.median(r.wall / b.wall for r, b in zip(rs, bare)),
                "load_s": statistics.median(r.load for r in rs),
                "load_ratio": statistics.median(r.load for r in rs) / bare_load,
                "paired_load_ratio": statistics.median(r.load / b.load for r, b in zip(rs, bare)),
                "plugin_ms": plugin_ms,
                "plugin_share": plugin_ms / 1000 / bare_load,
                "allocations_share": steps[PLUGINS[0]] / 1000 / bare_load,
                "rss_mb": statistics.median(r.rss_kb for r in rs) / 1024,
                "steps_ms": steps,
            })
    return rows


def tables(rows: list[dict]) -> str:
    lines = [
        "| postings | pool postings | variant | runs | wall (s) | wall ratio | paired wall ratio | load (s) | load ratio "
        "| paired load ratio | plugin steps (ms) | plugins / bare load | allocations / bare load | peak RSS (MB) |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['postings']:,} | {r['pooled']:,} | {r['variant']} | {r['runs']} | {r['wall_s']:.2f} | {r['wall_ratio']:.3f} | "
            f"{r['paired_wall_ratio']:.3f} | {r['load_s']:.2f} | {r['load_ratio']:.3f} | {r['paired_load_ratio']:.3f} | "
            f"{r['plugin_ms']:.0f} | {r['plugin_share']:.1%} | {r['allocations_share']:.1%} | {r['rss_mb']:.0f} |"
        )
    names = [s.replace("beancount.ops.", "").replace("jlis_ledger.plugins.", "") for s in STAGES]
    lines += ["", "Stages (median ms):", "", "| postings | variant | " + " | ".join(names) + " |",
              "|---:|---|" + "---:|" * len(names)]
    for r in rows:
        lines.append(f"| {r['postings']:,} | {r['variant']} | " + " | ".join(f"{r['steps_ms'][s]:.0f}" for s in STAGES) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,300000", help="postings per ledger, comma-separated")
    parser.add_argument("--repeat", type=int, default=5, help="runs per variant (median)")
    parser.add_argument("--out", type=Path, default=ROOT / "out", help="where the ledgers are written (git-ignored)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--collector", choices=("on", "off"), default="on",
                        help="off: every variant loads with the garbage collector paused, as jlis_ledger.loading does")
    args = parser.parse_args(argv)
    if args.collector == "off":
        os.environ["JLIS_BENCH_COLLECTOR"] = "off"
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    print(f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(tables(measure(sizes, args.repeat, args.out, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
