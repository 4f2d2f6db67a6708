#!/usr/bin/env python3
"""Benchmark (issue 18, item 1): what the plugin lines cost a load, and the part of it no plugin code can save.

A script, not a test (it never asserts a time). It writes one synthetic ledger (``jlis-ledger synth``: 20 %
cross-business and 5 % internal transactions, ``--pool-share`` of common costs for the allocations plugin) with
the bundled ledger's five plugin lines (allocations, segments, reserves, bql, proof), parses and books it ONCE, and
then, in this one process (the collector on, as in ``bean-check``; ``gc.collect()`` before every timed step, not
timed), times Beancount's own ``loader.run_transformations`` followed by ``validation.validate`` over copies of the
same booked entries, in variants that differ only in their plugin lines:

- ``bare``: no plugin line (Beancount's documents, pad and balance, then its validations);
- ``plugins``: the five plugin lines;
- ``lines``: five plugin lines whose function returns the entries untouched: what five lines cost whatever the
  plugin does (Beancount sorts the entries again after every line);
- ``walks``: five lines whose function reads every posting's units once: the least a rule over postings does;
- ``generated``: no plugin line, over the entries that the five plugins returned: Beancount's own work over the
  postings the plugins generate (the 配賦 shares and the 他事業勘定 legs), which no plugin code can save.

Besides, a whole bare ``loader.load_file`` of the ledger without its plugin lines (Beancount's cache off) in the
same process, the anchor of every share: ``(variant - bare) / bare load``. Times are CPU (``time.process_time``),
``--repeat`` repetitions, the order of the variants rotating every repetition; the machine is shared and its noise
comes in bursts, so each share is paired within one repetition (that repetition's ``bare`` and load), then the
median and range over the repetitions are printed. ``log_timings`` of the ``plugins`` variant gives each line's
own time, its sort included; less the sorts that ``lines`` measures, the plugins' own code.
Memory: the bytes (``sys.getsizeof``) of every object reachable from the plugins' output and not from their
input (and net of the input's objects that the output no longer holds, which a load frees), against the peak
RSS of ``bean-check --no-cache`` on the bare ledger (a fresh process).

    .venv/bin/python benchmarks/bench_plugin_share.py --repeat 7                          # 100k (about 8 minutes)
    .venv/bin/python benchmarks/bench_plugin_share.py --transactions 1000000 --repeat 3  # 1M (40 minutes, 9 GB)
    .venv/bin/python benchmarks/bench_plugin_share.py --transactions 5000 --repeat 2     # a quick look
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import types
from decimal import Decimal
from pathlib import Path

from beancount import loader
from beancount.core import data
from beancount.ops import validation
from beancount.parser import booking, parser

from jlis_ledger.testing import synth

BIN = Path(sys.executable).parent
PLUGIN_LINES = (f"{synth.ALLOCATIONS_LINE}\n{synth.PLUGIN_LINE}\n"
                'plugin "jlis_ledger.plugins.reserves"\nplugin "jlis_ledger.plugins.bql"\nplugin "jlis_ledger.plugins.proof"\n')
VARIANTS = ("bare", "plugins", "lines", "walks", "generated")
DATA = (tuple, list, dict, set, frozenset, str, Decimal, datetime.date)


def untouched(entries: list, options_map: dict) -> tuple[list, list]:
    """A plugin that does nothing: what a plugin line costs by itself."""
    return entries, []


def walk(entries: list, options_map: dict) -> tuple[list, list]:
    """A plugin that reads every posting's units once: the least a rule over postings costs."""
    total = 0
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                if posting.units is not None and posting.units.number:
                    total += 1
    return entries, []


def register(name: str, function) -> str:
    """A plugin module made in this process (Beancount imports plugins by name)."""
    module = types.ModuleType(name)
    module.__plugins__ = (function,)  # type: ignore[attr-defined]
    sys.modules[name] = module
    return name


def reachable(roots: list) -> dict[int, int]:
    """id -> size of every data object reachable from ``roots`` (types, functions and singletons left out)."""
    seen: dict[int, int] = {}
    stack = list(roots)
    while stack:
        obj = stack.pop()
        if id(obj) in seen or not isinstance(obj, DATA):
            continue
        seen[id(obj)] = sys.getsizeof(obj)
        if isinstance(obj, (tuple, list, dict, set, frozenset)):
            stack.extend(gc.get_referents(obj))
    return seen


def peak_rss_mb(argv: list[str]) -> float:
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv}: exit {os.waitstatus_to_exitcode(status)}")
    return usage.ru_maxrss / 1024


def postings(entries: list) -> int:
    return sum(len(e.postings) for e in entries if isinstance(e, data.Transaction))


def main(argv: list[str] | None = None) -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--transactions", type=int, default=100_000)
    arguments.add_argument("--pool-share", type=float, default=0.1)
    arguments.add_argument("--repeat", type=int, default=7, help="repetitions of every variant (median of the paired shares)")
    args = arguments.parse_args(argv)
    print(f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs; "
          f"{args.transactions:,} transactions, pool share {args.pool_share}, {args.repeat} repetitions", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-plugin-share-") as tmp:
        bare_path, plugins_path = Path(tmp, "bare.beancount"), Path(tmp, "plugins.beancount")
        synth.write_ledger(bare_path, transactions=args.transactions, pool_share=args.pool_share, plugins=False)
        plugins_path.write_text(PLUGIN_LINES + bare_path.read_text(encoding="utf-8"), encoding="utf-8")
        bare_rss = peak_rss_mb([str(BIN / "bean-check"), "--no-cache", str(bare_path)])

        parsed, errors, options_map = parser.parse_file(str(plugins_path))
        if errors:
            raise SystemExit(f"parse: {errors[:3]}")
        parsed.sort(key=data.entry_sortkey)
        booked, errors = booking.book(parsed, options_map)
        del parsed
        if errors:
            raise SystemExit(f"booking: {errors[:3]}")
        lines = options_map["plugin"]
        if len(lines) != 5:
            raise SystemExit(f"expected five plugin lines, read {lines}")
        generated, errors = loader.run_transformations(
            list(booked), [], dict(options_map, plugin_processing_mode="raw"), None)
        if errors:
            raise SystemExit(f"plugins: {errors[:3]}")
        noop, walker = register("_bench_untouched", untouched), register("_bench_walk", walk)
        runs = {
            "bare": (booked, []), "plugins": (booked, lines), "lines": (booked, [(noop, None)] * 5),
            "walks": (booked, [(walker, None)] * 5), "generated": (generated, []),
        }
        loader.initialize(use_cache=False)
        times: list[dict[str, float]] = []  # per repetition: variant -> CPU seconds
        steps: list[dict[str, float]] = []  # per repetition: plugin line -> seconds (log_timings)

        def timed(name: str) -> float:
            gc.collect()
            if name == "load":
                start = time.process_time()
                _, load_errors, _ = loader.load_file(str(bare_path))
                spent = time.process_time() - start
                if load_errors:
                    raise SystemExit(f"bare load: {load_errors[:3]}")
                return spent
            entries, plugin_lines = runs[name]
            options = dict(options_map, plugin=plugin_lines)
            log: list[str] = []
            start = time.process_time()
            result, found = loader.run_transformations(list(entries), [], options, log.append)
            found += validation.validate(result, options, None, None)
            spent = time.process_time() - start
            if found:
                raise SystemExit(f"{name}: {found[:3]}")
            if name == "plugins":
                for line in log:
                    match = re.match(r"Operation: '(jlis_ledger[^']*)'\s+Time:\s+([\d.]+) ms", line)
                    if match:
                        steps[-1][match[1].rsplit(".", 1)[1]] = float(match[2]) / 1000
            return spent

        names = ["load", *VARIANTS]
        for i in range(args.repeat):
            times.append({})
            steps.append({})
            for name in names[i % len(names):] + names[: i % len(names)]:
                times[-1][name] = timed(name)
                print(f"  run {i + 1}/{args.repeat} {name:<10} {times[-1][name]:7.2f} s CPU", file=sys.stderr, flush=True)

        def share(of) -> str:
            """Median, minimum and maximum over the repetitions of ``of(repetition)`` / that repetition's load."""
            values = sorted(of(t, s) / t["load"] for t, s in zip(times, steps, strict=True))
            return f"{statistics.median(values):.1%} ({values[0]:.1%}–{values[-1]:.1%})"

        def sorts(t: dict, s: dict) -> float:
            return t["lines"] - t["bare"]

        print(f"\npostings: {postings(booked):,} booked, {postings(generated):,} after the plugins "
              f"(+{postings(generated) / postings(booked) - 1:.1%})")
        print(f"bare load_file (no plugin lines): {statistics.median(t['load'] for t in times):.2f} s CPU "
              f"(median of {args.repeat})\n")
        print("| variant | transformations + validations (s CPU, median) | over bare, share of a bare load "
              "(median, range; paired within each repetition) |")
        print("|---|---:|---:|")
        for name in VARIANTS:
            paired = "—" if name == "bare" else share(lambda t, s, name=name: t[name] - t["bare"])
            print(f"| {name} | {statistics.median(t[name] for t in times):.2f} | {paired} |")
        print("\nlog_timings of each plugin line (median, its sort included): " + ", ".join(
            f"{line} {statistics.median(s[line] for s in steps) * 1000:.0f} ms" for line in steps[0])
            + f"; all five {share(lambda t, s: sum(s.values()))} of a bare load; less the sorts that `lines` "
              f"measures (the plugins' own code) {share(lambda t, s: sum(s.values()) - sorts(t, s))}")

        before = reachable(booked)
        after = reachable(generated)
        new_mb = sum(size for key, size in after.items() if key not in before) / 2**20
        net_mb = new_mb - sum(size for key, size in before.items() if key not in after) / 2**20
        print(f"memory: objects reachable from the plugins' output and not from their input {new_mb:.1f} MB "
              f"({net_mb:.1f} MB net of the input's objects the output no longer holds) = {new_mb / bare_rss:.1%} "
              f"({net_mb / bare_rss:.1%}) of a bare load's peak RSS ({bare_rss:.0f} MB, bean-check)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
