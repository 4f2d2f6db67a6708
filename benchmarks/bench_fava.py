#!/usr/bin/env python3
"""Benchmark: server time of the 事業別財務情報 page (jlis_ledger.fava) against Fava's own balance sheet.

A script, not a test (it never asserts a time).  It writes a synthetic ledger
(``jlis_ledger.synth``, 8 businesses, four fiscal years) with the extension
enabled, loads it in Fava's own Flask app (``fava.application.create_app``),
and times requests through Flask's test client — the server's work, no
network, no browser — after the load:

- ``matrix``: ``/extension/BusinessMatrix/?time=FY…`` (both segment
  statements, every cell a link, inside Fava's layout);
- ``balance sheet``: Fava's ``/balance_sheet/?time=FY…`` page (the layout; the
  page is drawn by Fava's frontend) plus the ``/api/balance_sheet?time=FY…``
  request that the frontend makes for the data; their sum is what the server
  does to show Fava's balance sheet.

Per fiscal year: the first request of each (cold: the extension aggregates the
period's postings once and memoises the statements; Fava filters the entries
for the period once and caches the result — the extension reads only the
filter's dates, but the order alternates from year to year in case one page
profits from the other), then the median of ``--repeat`` warm requests.  The very first extension request after the load
also builds the extension's books (``jlis_ledger.books.from_entries``): that
time is reported on its own.

    .venv/bin/python benchmarks/bench_fava.py                        # 100k transactions
    .venv/bin/python benchmarks/bench_fava.py --transactions 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

from jlis_ledger import synth


def timed(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    import beancount
    import fava
    from fava.application import create_app

    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "synth.beancount"
        stats = synth.write_ledger(ledger, transactions=args.transactions, seed=args.seed)
        with ledger.open("a", encoding="utf-8") as f:
            f.write('\n2000-01-01 custom "fava-extension" "jlis_ledger.fava"\n')

        app = create_app([str(ledger)], read_only=True)
        client = app.test_client()
        start = time.perf_counter()
        slug = client.get("/").headers["Location"].split("/")[1]  # loads the ledger
        load = time.perf_counter() - start
        errors = client.get(f"/{slug}/api/errors").get_json()["data"]
        if errors:
            raise SystemExit(f"the synthetic ledger has errors: {errors[:3]}")

        base = f"/{slug}"
        years = [synth.START.year + i for i in range(synth.YEARS)]
        first_extension = timed(client, f"{base}/extension/Clearing/?time=FY{years[0]}")

        def matrix(year):
            return timed(client, f"{base}/extension/BusinessMatrix/?time=FY{year}")

        def balance_sheet(year):
            return (timed(client, f"{base}/balance_sheet/?time=FY{year}"),
                    timed(client, f"{base}/api/balance_sheet?time=FY{year}"))

        rows = []
        for i, year in enumerate(reversed(years)):
            if i % 2 == 0:
                cold_bs, cold_m = balance_sheet(year), matrix(year)
                first = "balance sheet"
            else:
                cold_m, cold_bs = matrix(year), balance_sheet(year)
                first = "matrix"
            warm_m, warm_page, warm_api = [], [], []
            for _ in range(args.repeat):
                warm_m.append(matrix(year))
                page, api = balance_sheet(year)
                warm_page.append(page)
                warm_api.append(api)
            rows.append((year, first, cold_m, sum(cold_bs), statistics.median(warm_m),
                         statistics.median(warm_page), statistics.median(warm_api),
                         statistics.median(warm_page) + statistics.median(warm_api)))

    print(f"{stats.transactions:,} transactions, {stats.postings:,} postings; load in Fava {load:.1f} s; "
          f"first extension request after the load (builds the books) {first_extension * 1000:.0f} ms")
    print(f"Python {platform.python_version()}, Beancount {beancount.__version__}, Fava {fava.__version__}, "
          f"{args.repeat} warm requests per page and year (medians)")
    print()
    print("| fiscal year | asked first | matrix cold (ms) | balance sheet cold (ms) | matrix warm (ms) "
          "| balance sheet page (ms) | balance sheet API (ms) | balance sheet total (ms) | matrix / balance sheet (warm) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for year, first, cm, cb, wm, wp, wa, wt in rows:
        print(f"| FY{year} | {first} | {cm * 1000:.0f} | {cb * 1000:.0f} | {wm * 1000:.0f} | {wp * 1000:.0f} "
              f"| {wa * 1000:.0f} | {wt * 1000:.0f} | {wm / wt:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
