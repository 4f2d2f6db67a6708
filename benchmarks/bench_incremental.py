#!/usr/bin/env python3
"""Benchmark (issue 18): cold, warm and incremental checks, the plugins' share and Fava, in ONE run beside the anchors.

A script, not a test (it never asserts a time). It writes one synthetic ledger with ``jlis-ledger synth``
(``--files 12``: the transactions in 12 included files; ``--pool-share``: common costs allocated by the
allocations plugin, beside 20 % cross-business and 5 % internal transactions), with every plugin line of the
bundled ledger (allocations, segments, reserves, bql, proof), into copies in separate folders (each copy its own
cache entries), and times whole fresh processes, the variants interleaved (the order rotating every repetition,
for the machine is shared):

- ``bare``: ``bean-check --no-cache`` of the same ledger without its plugin lines (Beancount's bare load, the
  anchor of the plugins' share);
- ``bean-check``: ``bean-check --no-cache`` of the ledger (the anchor of the check ratios);
- ``cold``: ``jlis-ledger check --no-cache`` (no cache read or written);
- ``warm``: ``jlis-ledger check``, a hit on our load cache (primed before the repetitions);
- ``bean-check warm``: ``bean-check`` on its own pickle cache (primed);
- ``re-check``: ``jlis-ledger check`` after an edit of one of the 12 files (a note appended to the 6th, new
  text every repetition; made before the process starts, not timed), on its own copy whose stored parses were
  primed: the 11 other files' parses are read back, the edited file parsed, then booking, plugins, validation;
- ``fava``: a process that creates Fava's app (``fava.application.create_app``) on the ledger without the
  extension and serves its first page through Flask's test client; ``fava+ext``: the same on a copy with the
  extension line, Fava's loads routed to :func:`jlis_ledger.loading.load_ledger` as ``jlis-ledger serve`` does
  (its cache primed: the first page of a ledger served before; ``fava+ext cold``: with ``cache=False``). Each
  Fava process then appends a note to one of the 12 files, reloads (``FavaLedger.load_file``), serves the page
  again and reports that reload's time (in the process, wall).

Per variant: the median of the wall time (``time.perf_counter`` around the process), of the CPU time (the
child's user + system, ``os.wait4``) and of the peak memory (the child's ``ru_maxrss``). Ratios are of the
medians. Every ``jlis-ledger check`` and ``bean-check`` must exit 0 (the ledger has no errors).

    .venv/bin/python benchmarks/bench_incremental.py                                  # 100k, 5 runs each
    .venv/bin/python benchmarks/bench_incremental.py --transactions 2000 --repeat 2   # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EXTRA_PLUGINS = ('plugin "jlis_ledger.plugins.reserves"\nplugin "jlis_ledger.plugins.bql"\n'
                 'plugin "jlis_ledger.plugins.proof"\n')
EXTENSION = '2000-01-01 custom "fava-extension" "jlis_ledger.fava"\n'
FILES = 12
EDITED = 6

VARIANTS = ("bare", "bean-check", "cold", "warm", "bean-check warm", "re-check", "fava", "fava+ext", "fava+ext cold")


def run(argv: list[str], env: dict) -> tuple[float, float, int, int, bytes]:
    """Wall and CPU seconds, peak RSS (KB), exit status and stdout of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    stdout = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status), stdout


def fava_child(ledger: str, extension: str, edited: str) -> None:
    """The Fava process: app, first page, an edit of one file, the reload and the page again; prints JSON."""
    start = time.perf_counter()
    if extension != "none":
        from jlis_ledger import serve

        serve.route_fava_loads(cache=extension == "cached")
        serve.bound_fava_parameters()
    from fava.application import create_app

    app = create_app([ledger], read_only=True)
    client = app.test_client()
    response = client.get("/", follow_redirects=True)
    first = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"first page: {response.status_code}")
    ledgers = app.config["LEDGERS"]
    (fava_ledger,) = ledgers.ledgers
    if fava_ledger.errors:
        raise SystemExit(f"the ledger has errors: {fava_ledger.errors[:3]}")
    with open(edited, "a", encoding="utf-8") as out:
        out.write(f'\n2021-06-01 note Assets:1-流動資産:11-現金及び預金:B1-一般事業 "fava edit {time.time_ns()}"\n')
    began = time.perf_counter()
    fava_ledger.load_file()
    page = client.get(response.request.path)
    reload = time.perf_counter() - began
    if page.status_code != 200:
        raise SystemExit(f"page after reload: {page.status_code}")
    print(json.dumps({"first_page": first, "reload": reload}))


def prepare(workdir: Path, transactions: int, pool_share: float, env: dict) -> dict[str, Path]:
    """The ledger's copies: with plugins (A), without (bare), for the re-check (B), with the extension (C)."""
    source = workdir / "source" / "synth.beancount"
    source.parent.mkdir()
    subprocess.run([sys.executable, "-m", "jlis_ledger.cli", "synth", str(source), "--transactions", str(transactions),
                    "--pool-share", str(pool_share), "--files", str(FILES)], check=True, env=env)
    text = source.read_text(encoding="utf-8")
    plugin_lines = "".join(line for line in text.splitlines(keepends=True) if line.startswith("plugin "))
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("plugin "))
    copies = {
        "A": plugin_lines + EXTRA_PLUGINS + body,
        "bare": body,
        "B": plugin_lines + EXTRA_PLUGINS + body,
        "C": plugin_lines + EXTRA_PLUGINS + body + EXTENSION,
        "D": plugin_lines + EXTRA_PLUGINS + body,
        "E": plugin_lines + EXTRA_PLUGINS + body + EXTENSION,
        "G": plugin_lines + EXTRA_PLUGINS + body,
    }
    paths = {}
    for name, main in copies.items():
        folder = workdir / name
        folder.mkdir()
        for part in source.parent.glob("synth-*.beancount"):
            shutil.copyfile(part, folder / part.name)
        (folder / "synth.beancount").write_text(main, encoding="utf-8")
        paths[name] = folder / "synth.beancount"
    return paths


def edited(path: Path) -> str:
    """The included file that the re-check and Fava's reload edit."""
    return str(path.with_name(f"synth-{EDITED:02d}.beancount"))


def edit(path: Path, i: int) -> None:
    with open(edited(path), "a", encoding="utf-8") as out:
        out.write(f'\n2021-06-01 note Assets:1-流動資産:11-現金及び預金:B1-一般事業 "edit {i} {time.time_ns()}"\n')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--pool-share", type=float, default=0.1)
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes per variant (median)")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--child-fava", nargs=3, metavar=("LEDGER", "EXTENSION", "EDITED"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_fava:
        fava_child(*args.child_fava)
        return 0
    variants = [v for v in args.variants.split(",") if v]
    print(f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{platform.platform()}; {args.transactions:,} transactions in {FILES} included files, "
          f"pool share {args.pool_share}, {args.repeat} runs per variant", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp:
        workdir = Path(tmp)
        env = dict(os.environ, JLIS_LEDGER_CACHE_DIR=str(workdir / "cache"), PYTHONPATH=str(ROOT))
        env.pop("BEANCOUNT_DISABLE_LOAD_CACHE", None)
        paths = prepare(workdir, args.transactions, args.pool_share, env)
        jlis = [sys.executable, "-m", "jlis_ledger.cli", "check"]
        bean_check = str(BIN / "bean-check")
        own_cache = str(workdir / "beancount-cache.pickle")
        fava = [sys.executable, str(Path(__file__).resolve()), "--child-fava"]

        def command(variant: str, i: int) -> list[str]:
            if variant == "re-check":
                edit(paths["B"], i)  # before the process starts: not timed
            return {
                "bare": lambda: [bean_check, "--no-cache", str(paths["bare"])],
                "bean-check": lambda: [bean_check, "--no-cache", str(paths["A"])],
                "cold": lambda: [*jlis, str(paths["A"]), "--no-cache"],
                "warm": lambda: [*jlis, str(paths["A"])],
                "bean-check warm": lambda: [bean_check, "--cache-filename", own_cache, str(paths["D"])],
                "re-check": lambda: [*jlis, str(paths["B"])],
                "fava": lambda: [*fava, str(paths["G"]), "none", edited(paths["G"])],
                "fava+ext": lambda: [*fava, str(paths["C"]), "cached", edited(paths["C"])],
                "fava+ext cold": lambda: [*fava, str(paths["E"]), "uncached", edited(paths["E"])],
            }[variant]()

        # Priming (timed once, reported apart): our cache (A; C through Fava), the stored parses (B), Beancount's own.
        priming = {}
        for name, argv_, needed in (
                ("jlis-ledger check, first load (cache written)", [*jlis, str(paths["A"])], "warm"),
                ("re-check copy, first load", [*jlis, str(paths["B"])], "re-check"),
                ("bean-check, its cache written", [bean_check, "--cache-filename", own_cache, str(paths["D"])],
                 "bean-check warm"),
                ("fava+ext copy, first load", [*jlis, str(paths["C"])], "fava+ext")):
            if needed not in variants:
                continue
            wall, cpu, rss, status, _ = run(argv_, env)
            priming[name] = (wall, cpu, rss, status)
            print(f"  priming {name}: {wall:.2f} s wall, {cpu:.2f} s CPU, {rss / 1024:.0f} MB, exit {status}",
                  file=sys.stderr, flush=True)
        runs: dict[str, list[tuple[float, float, int]]] = {v: [] for v in variants}
        fava_inner: dict[str, list[dict]] = {v: [] for v in variants}
        warm_out = set()
        for i in range(args.repeat):
            order = variants[i % len(variants):] + variants[: i % len(variants)]
            for variant in order:
                wall, cpu, rss, status, out = run(command(variant, i), env)
                if variant == "fava+ext":  # the child's edit left the cache stale: prime it again (not timed)
                    run([*jlis, str(paths["C"])], env)
                print(f"  {variant}: {wall:.2f} s wall, {cpu:.2f} s CPU, {rss / 1024:.0f} MB, exit {status}",
                      file=sys.stderr, flush=True)
                if status != 0:
                    raise SystemExit(f"{variant} exited {status}")
                runs[variant].append((wall, cpu, rss))
                if variant.startswith("fava"):
                    fava_inner[variant].append(json.loads(out))
                if variant in ("warm", "cold"):
                    warm_out.add(out)
        if len(warm_out) > 1:
            raise SystemExit("jlis-ledger check printed different summaries cold and warm")
    med = {v: tuple(statistics.median(r[k] for r in rs) for k in range(3)) for v, rs in runs.items() if rs}
    print("\n| variant | runs | wall (s) | CPU (s) | peak RSS (MB) |\n|---|---:|---:|---:|---:|")
    for v in variants:
        print(f"| {v} | {len(runs[v])} | {med[v][0]:.2f} | {med[v][1]:.2f} | {med[v][2] / 1024:.0f} |")
    for name, (wall, cpu, rss, _status) in priming.items():
        print(f"| priming: {name} | 1 | {wall:.2f} | {cpu:.2f} | {rss / 1024:.0f} |")

    def ratio(a: str, b: str) -> str:
        if a not in med or b not in med:
            return "not measured"
        return (f"{med[a][0] / med[b][0]:.3f} wall, {med[a][1] / med[b][1]:.3f} CPU, "
                f"{med[a][2] / med[b][2]:.3f} peak memory")

    print("\n| figure | target | ratio of the medians |\n|---|---|---|")
    for label, target, a, b in (
        ("plugins: bean-check with all plugin lines / bare", "≤ 1.03", "bean-check", "bare"),
        ("cold: jlis-ledger check --no-cache / bean-check --no-cache", "≤ 0.70", "cold", "bean-check"),
        ("warm: jlis-ledger check (hit) / bean-check --no-cache", "≤ 0.10", "warm", "bean-check"),
        ("warm: jlis-ledger check (hit) / bean-check on its own cache", "≤ 0.40", "warm", "bean-check warm"),
        ("re-check after an edit of 1 of 12 files / jlis-ledger check --no-cache", "≤ 0.60", "re-check", "cold"),
        ("re-check after an edit of 1 of 12 files / bean-check --no-cache", "", "re-check", "bean-check"),
    ):
        print(f"| {label} | {target} | {ratio(a, b)} |")
    if fava_inner.get("fava"):
        print("\n| Fava, in the process (wall, median) | first page (s) | ratio | reload after an edit of 1 of 12 files (s) "
              "| ratio |\n|---|---:|---:|---:|---:|")
        theirs = {k: statistics.median(x[k] for x in fava_inner["fava"]) for k in ("first_page", "reload")}
        for v in ("fava", "fava+ext", "fava+ext cold"):
            if fava_inner.get(v):
                mine = {k: statistics.median(x[k] for x in fava_inner[v]) for k in ("first_page", "reload")}
                print(f"| {v} | {mine['first_page']:.2f} | {mine['first_page'] / theirs['first_page']:.3f} "
                      f"| {mine['reload']:.2f} | {mine['reload'] / theirs['reload']:.3f} |")
        print("(targets: first page ≤ 0.80, reload ≤ 0.60 of Fava without the extension)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
