#!/usr/bin/env python3
"""Benchmark: two revisions of jlis-ledger side by side — plugins, statements and a cold check.

A script, not a test.  It checks out ``--base`` (a git revision) into a worktree under
``benchmarks/out/`` (git-ignored) and runs the same measurements with that tree and with the
working tree, in fresh processes, interleaved (the order alternates every repetition), on the same
synthetic ledger: ``jlis-ledger synth`` with 8 businesses, cross-business and internal
transactions and a common pool allocated by the allocations plugin.  Per run:

- ``load``: Beancount's ``loader.load_file`` with the collector paused (as ``jlis_ledger.loading``
  loads), and the time of each plugin step from Beancount's own ``log_timings``;
- ``statements``: every statement of the last fiscal year from the loaded entries;
- ``check``: the whole ``jlis-ledger check FILE --no-cache`` process (wall and CPU), beside
  ``bean-check --no-cache`` in the same repetition.

It prints medians and the ratio of the working tree to the base: the way to show that a
reorganisation does not slow anything down.

    .venv/bin/python benchmarks/bench_revisions.py --base a3d2106 --transactions 100000 --repeat 5
    .venv/bin/python benchmarks/bench_revisions.py --base a3d2106 --transactions 10000 --instructions   # callgrind
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
REPO = ROOT.parent

CHILD = r"""
import gc, json, re, sys, time
gc.disable()
from beancount import loader
steps = {}
def log(line):
    m = re.search(r"Operation: '([^']+)'\s+Time:\s+(\d+) ms", line)
    if m:
        steps[m.group(1)] = int(m.group(2))
start = time.perf_counter()
entries, errors, options = loader.load_file(sys.argv[1], log_timings=log)
load = time.perf_counter() - start
from jlis_ledger import books as books_lib, statements
start = time.perf_counter()
books = books_lib.from_entries(sys.argv[1], entries, errors, options)
year = max(e.date for e in entries if hasattr(e, "postings")).year - 1
tables = statements.build_all(books, books.fiscal_year(year))
built = time.perf_counter() - start
print(json.dumps({"load": load, "statements": built, "steps": steps, "errors": len(errors), "tables": len(tables)}))
"""

PLUGINS = ("jlis_ledger.plugins.allocations", "jlis_ledger.plugins.segments", "jlis_ledger.plugins.reserves")

#: each plugin function on the same parsed and booked entries, several times in one process (the fastest run):
#: less noisy than a whole load on a shared machine
STEPS_CHILD = r"""
import gc, importlib, json, sys, time
gc.disable()
from beancount.parser import booking, parser
entries, _, options = parser.parse_file(sys.argv[1])
entries, _ = booking.book(entries, options)
best = {}
for _ in range(int(sys.argv[2])):
    current = entries
    for name, config in options["plugin"]:
        module = importlib.import_module(name)
        function = getattr(module, module.__plugins__[0])
        start = time.perf_counter()
        current, errors = function(current, options, config) if config is not None else function(current, options)
        elapsed = time.perf_counter() - start
        best[name] = min(best.get(name, elapsed), elapsed)
        assert not errors, errors[:1]
print(json.dumps(best))
"""


#: the plugins' work in instructions (valgrind --tool=callgrind): repeatable on a shared machine, unlike seconds.
#: ``none`` parses and books; ``N`` also runs the first N plugins; the plugin modules are imported first in every mode.
INSTRUCTIONS_CHILD = r"""
import gc, importlib, sys
gc.disable()
from beancount.parser import booking, parser
entries, _, options = parser.parse_file(sys.argv[1])
entries, _ = booking.book(entries, options)
modules = [importlib.import_module(name) for name, _ in options["plugin"]]  # imports are a fixed cost, outside the measure
if sys.argv[2] != "none":
    current = entries
    limit = len(options["plugin"]) if sys.argv[2] == "plugins" else int(sys.argv[2])
    for name, config in options["plugin"][:limit]:
        module = importlib.import_module(name)
        function = getattr(module, module.__plugins__[0])
        current, errors = function(current, options, config) if config is not None else function(current, options)
        assert not errors
"""


def instructions(tree: Path, ledger: Path, mode: str) -> int:
    out = ROOT / "out" / f"callgrind-{tree.name}-{mode}.out"
    env = dict(os.environ, PYTHONPATH=str(tree))
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-c", INSTRUCTIONS_CHILD,
                    str(ledger), mode], env=env, cwd=tree, check=True, capture_output=True)
    for line in out.read_text().splitlines():
        if line.startswith("summary:"):
            return int(line.split()[1])
    raise SystemExit(f"{out}: no summary")


def plugin_instructions(trees: dict[str, Path], ledger: Path, plugins: int) -> None:
    """Instructions of each plugin step (the difference between running the first k and k-1 plugins)."""
    print("| plugin | " + " | ".join(trees) + " | ratio |")
    print("|---|" + "---:|" * (len(trees) + 1))
    counts = {name: [instructions(tree, ledger, "none" if k == 0 else str(k)) for k in range(plugins + 1)] for name, tree in trees.items()}
    with open(ledger, encoding="utf-8") as file:
        names = [line.split('"')[1] for line in file if line.startswith("plugin ")]
    for k, plugin in enumerate(names, start=1):
        steps = [counts[n][k] - counts[n][k - 1] for n in trees]
        print(f"| {plugin} | " + " | ".join(f"{x / 1e6:,.1f} M" for x in steps) + f" | {steps[-1] / steps[0]:.3f} |")
    totals = [counts[n][-1] - counts[n][0] for n in trees]
    print("| all | " + " | ".join(f"{x / 1e6:,.1f} M" for x in totals) + f" | {totals[-1] / totals[0]:.3f} |")


def worktree(base: str) -> Path:
    sha = subprocess.run(["git", "rev-parse", "--short", base], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    path = ROOT / "out" / f"rev-{sha}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "worktree", "add", "--detach", str(path), sha], cwd=REPO, check=True, capture_output=True)
    return path


def child(tree: Path, ledger: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree), BEANCOUNT_DISABLE_LOAD_CACHE="1")
    out = subprocess.run([sys.executable, "-c", CHILD, str(ledger)], env=env, capture_output=True, text=True, check=True,
                         cwd=tree)  # ``-c`` puts the working directory first on sys.path
    return json.loads(out.stdout)


def write_ledger(path: Path, transactions: int, cross_share: float, pool_share: float) -> None:
    """The synthetic ledger with a pool, the layout declarations of the statements and ``cf:`` on every cash
    posting (as ``bench_statements.py`` writes it), the plugins (allocations, segments, reserves) enabled."""
    from jlis_ledger.testing import synth

    prefix = f"  {synth.CASH}:"
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as out:
        out.write('plugin "jlis_ledger.plugins.reserves"\n')
        out.write(f'2019-04-01 custom "cash-flow-cash" {synth.CASH}\n'
                  '2019-04-01 custom "cash-flow-line" "業務活動によるキャッシュ・フロー" "収入"\n'
                  '2019-04-01 custom "cash-flow-line" "業務活動によるキャッシュ・フロー" "支出"\n'
                  '2019-04-01 custom "statement-subtotal" "pl" "当期純利益" Expenses:2-臨時損失\n'
                  f'2019-04-01 custom "statement-line" "provisions" {synth.RESERVE}\n')
        for chunk in synth.ledger_lines(transactions=transactions, cross_share=cross_share, pool_share=pool_share, seed=0):
            for line in chunk.splitlines(keepends=True):
                out.write(line)
                if line.startswith(prefix):
                    out.write(f'    cf: "{"収入" if int(line.split()[-2]) >= 0 else "支出"}"\n')


def timed(command: list[str], env: dict, cwd: Path | None = None) -> tuple[float, float]:
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{command} failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the git revision to compare with (e.g. a3d2106)")
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pool-share", type=float, default=0.3)
    parser.add_argument("--cross-share", type=float, default=0.25)
    parser.add_argument("--instructions", action="store_true",
                        help="count the plugins' instructions with callgrind instead of timing (use --transactions 10000)")
    args = parser.parse_args()
    trees = {"base": worktree(args.base), "working tree": REPO}
    ledger = ROOT / "out" / f"revisions-{args.transactions}.beancount"
    write_ledger(ledger, args.transactions, args.cross_share, args.pool_share)
    if args.instructions:
        plugin_instructions(trees, ledger, 3)
        return 0
    results: dict[str, dict[str, list[float]]] = {name: {} for name in [*trees, "bean-check"]}
    bean_check = str(Path(sys.executable).parent / "bean-check")
    for i in range(args.repeat):
        order = list(trees) if i % 2 == 0 else list(reversed(trees))
        for name in order:
            r = child(trees[name], ledger)
            if r["errors"]:
                raise SystemExit(f"{name}: the ledger has {r['errors']} errors")
            row = results[name]
            row.setdefault("load (s)", []).append(r["load"])
            for step in ("parse", "booking", *PLUGINS):
                row.setdefault(f"{step} (ms)", []).append(r["steps"].get(step, 0))
            row.setdefault("plugins (ms)", []).append(sum(r["steps"].get(p, 0) for p in PLUGINS))
            row.setdefault("statements (s)", []).append(r["statements"])
            env = dict(os.environ, PYTHONPATH=str(trees[name]))
            steps = json.loads(subprocess.run([sys.executable, "-c", STEPS_CHILD, str(ledger), "3"], env=env, cwd=trees[name],
                                              capture_output=True, text=True, check=True).stdout)
            for step, seconds in steps.items():
                row.setdefault(f"{step} in process, fastest of 3 (ms)", []).append(seconds * 1000)
            wall, cpu = timed([sys.executable, "-m", "jlis_ledger.cli", "check", str(ledger), "--no-cache"], env, trees[name])
            row.setdefault("check wall (s)", []).append(wall)
            row.setdefault("check CPU (s)", []).append(cpu)
        wall, cpu = timed([bean_check, "--no-cache", str(ledger)], dict(os.environ))
        results["bean-check"].setdefault("check wall (s)", []).append(wall)
        results["bean-check"].setdefault("check CPU (s)", []).append(cpu)
    print(f"{args.transactions:,} transactions, {args.repeat} runs each, medians; base = {args.base}\n")
    print("| measure | base | working tree | working / base |")
    print("|---|---:|---:|---:|")
    for measure in results["base"]:
        b, w = (statistics.median(results[n][measure]) for n in ("base", "working tree"))
        print(f"| {measure} | {b:.3f} | {w:.3f} | {w / b if b else float('nan'):.3f} |")
    for measure in ("check wall (s)", "check CPU (s)"):
        bc = statistics.median(results["bean-check"][measure])
        for name in trees:
            print(f"| {name}: {measure} / bean-check | | | {statistics.median(results[name][measure]) / bc:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
