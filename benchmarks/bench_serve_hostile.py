#!/usr/bin/env python3
"""Benchmark: how long `jlis-ledger serve` takes to answer hostile requests, and whether it keeps serving.

A script, not a test (it never asserts a time; ``tests/test_serve.py`` checks the outcomes).  For each
hostile request it starts ``jlis-ledger serve`` on the bundled books on a free loopback port (a fresh
process each time: a request that froze the previous one would spoil the next figure; ``--url`` uses one
server already running instead), warms it with one page, then:

- sends it (client timeout ``--timeout`` seconds: a request still running then is reported as ``>T``);
- while it runs, sends a plain request (Fava's ``/api/changed``) and times that too: a server whose process
  is frozen by one request (a catastrophic regular expression holds the interpreter) cannot answer it.

Every request goes to the loopback address only; the number of requests is fixed.

    .venv/bin/python benchmarks/bench_serve_hostile.py
    .venv/bin/python benchmarks/bench_serve_hostile.py --url http://127.0.0.1:5000 --timeout 20
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVIL = "(.|.)*ZZ"  # exponential backtracking in a backtracking engine on any account name
LONG = "a" * 20_000

#: (what, path under the ledger, query parameters)
REQUESTS: list[tuple[str, str, dict[str, str]]] = [
    ("extension page, account=(.|.)*ZZ", "extension/BusinessMatrix/", {"time": "FY2022", "account": EVIL}),
    ("extension data, account=(.|.)*ZZ", "extension/Settlement/data", {"time": "FY2022", "account": EVIL}),
    ("Fava API income_statement, account=(.|.)*ZZ", "api/income_statement", {"account": EVIL}),
    ("Fava API journal, filter=(.|.)*ZZ", "api/journal", {"filter": EVIL}),
    ("Fava API journal, filter=narration:(.|.)*ZZ", "api/journal", {"filter": f'narration:"{EVIL}"'}),
    ("Fava API query, account ~ (.|.)*ZZ", "api/query", {"query_string": f"SELECT account WHERE account ~ '{EVIL}'"}),
    ("Fava API balance_sheet, time 1900-9999 daily", "api/balance_sheet",
     {"time": "1900-01-01 - 9998-12-31", "interval": "day"}),
    ("Fava API account_report, time 1900-9999 daily", "api/account_report",
     {"a": "Assets", "r": "balances", "time": "1900-01-01 - 9998-12-31", "interval": "day"}),
    ("Fava API income_statement, time=FY9999", "api/income_statement", {"time": "FY9999"}),
    ("Fava API income_statement, time=1900-01-01 - 9999-12-31", "api/income_statement",
     {"time": "1900-01-01 - 9999-12-31"}),
    ("Fava API income_statement, 20,000-character time", "api/income_statement", {"time": "2022-" * 4000}),
    ("Fava API journal, 20,000-character filter", "api/journal", {"filter": LONG}),
    ("extension page, 20,000-character account", "extension/BusinessMatrix/", {"account": LONG}),
    ("extension page, time=FY9999", "extension/BusinessMatrix/", {"time": "FY9999"}),
    ("Fava page income_statement, account=(", "income_statement/", {"account": "("}),
    ("Fava API query, 60 nested parentheses", "api/query", {"query_string": "SELECT " + "(" * 60 + "1" + ")" * 60}),
    ("Fava API query, date_add past 9999", "api/query", {"query_string": "SELECT date_add(date(9999,12,31), 10)"}),
    # within the bounds, the dearest: every account's tree on each of 60 days (MAX_TREE_INTERVALS)
    ("Fava API account_report of the root, 60 days daily", "api/account_report",
     {"a": "", "r": "balances", "interval": "day", "time": "2022-04-01 - 2022-05-30"}),
    ("Fava API account_report of the root, FY2022 daily", "api/account_report",
     {"a": "", "r": "balances", "interval": "day", "time": "FY2022"}),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(url: str, timeout: float) -> tuple[str, float]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status = str(response.status)
    except urllib.error.HTTPError as error:
        status = str(error.code)
    except (TimeoutError, urllib.error.URLError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        status = "timeout" if isinstance(reason, TimeoutError) or "timed out" in str(reason) else f"error {reason}"
    return status, time.perf_counter() - start


def ledger_base(root: str) -> str:
    with urllib.request.urlopen(root + "/", timeout=60) as response:
        slug = urllib.parse.urlparse(response.url).path.split("/")[1]
    return f"{root}/{slug}"


def start_server() -> tuple[subprocess.Popen, str]:
    port = free_port()
    script = Path(sys.executable).with_name("jlis-ledger")
    proc = subprocess.Popen([str(script), "serve", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(root + "/", timeout=5).read()
            return proc, root
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("jlis-ledger serve did not start")
            time.sleep(0.3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (default: start jlis-ledger serve)")
    parser.add_argument("--timeout", type=float, default=15.0, help="client timeout per request, seconds")
    args = parser.parse_args()
    print(f"{'request':<52} {'status':>8} {'seconds':>8}   {'parallel /api/changed':>22}")
    for what, path, params in REQUESTS:
        proc = None
        if args.url:
            root = args.url.rstrip("/")
        else:
            proc, root = start_server()
        try:
            base = ledger_base(root)
            timed(f"{base}/extension/BusinessMatrix/?time=FY2022", 60)  # warm: books built, pages compiled
            url = f"{base}/{path}?{urllib.parse.urlencode(params)}"
            result: dict[str, tuple[str, float]] = {}

            def hostile(u: str = url, out: dict = result) -> None:
                out["hostile"] = timed(u, args.timeout)

            worker = threading.Thread(target=hostile)
            worker.start()
            time.sleep(0.2)  # the hostile request is in the server now
            side_status, side_seconds = timed(f"{base}/api/changed", args.timeout)
            worker.join()
            status, seconds = result["hostile"]
            shown = f">{args.timeout:.0f}" if status == "timeout" else f"{seconds:.3f}"
            side = f">{args.timeout:.0f}" if side_status == "timeout" else f"{side_seconds:.3f}"
            print(f"{what:<52} {status:>8} {shown:>8}   {side_status:>8} {side:>8}s", flush=True)
            if status == "timeout" and proc is None:
                print("  (the server may still be busy with it)", flush=True)
        finally:
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
