#!/usr/bin/env python3
"""Benchmark: server time of every jlis_ledger page in Fava, with Fava's own balance sheet beside it.

A script, not a test (it never asserts a time).  Each ledger — the bundled books, and a synthetic
one (``jlis_ledger.testing.synth``, 8 businesses, four fiscal years) of ``--transactions`` — is loaded
in Fava's own Flask app (``fava.application.create_app``, the extension enabled) and every page is
requested through Flask's test client: the server's work, no network, no browser.  For each page:
the first request after the load of the ledger and of the page's own figures (cold), then the median
of ``--repeat`` requests (warm).  Fava's balance sheet is its page plus the ``/api/balance_sheet``
request its frontend makes, in the same run.  The pages:

- 事業別財務情報 (the matrix), the same with the lens on a business (its BS, PL, CF) and in 千円;
- 仕訳明細: the journal of a business (first page of 200 rows), a drill-down to a line of the
  business, and to a line across the businesses (合計);
- 他事業勘定 (positions, who owes whom, the settlement proposal), 積立金, 決算報告書, 推移.

    .venv/bin/python benchmarks/bench_fava_pages.py                          # bundled + 100k synthetic
    .venv/bin/python benchmarks/bench_fava_pages.py --transactions 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return elapsed


def pages(year: int, business: str, line: str) -> list[tuple[str, list[str]]]:
    fy = f"time=FY{year}"
    b = urllib.parse.quote(business)
    drill = f"line={urllib.parse.quote(line)}&which=movement"
    return [
        ("事業別財務情報", [f"extension/BusinessMatrix/?{fy}"]),
        ("事業別財務情報（事業を選択）", [f"extension/BusinessMatrix/?{fy}&business={b}"]),
        ("事業別財務情報（千円）", [f"extension/BusinessMatrix/?{fy}&unit=%E5%8D%83%E5%86%86"]),
        ("仕訳帳（事業）", [f"extension/BusinessPostings/?{fy}&business={b}"]),
        ("仕訳明細（事業 × 科目）", [f"extension/BusinessPostings/?{fy}&business={b}&{drill}"]),
        ("仕訳明細（合計 × 科目）", [f"extension/BusinessPostings/?{fy}&{drill}"]),
        ("他事業勘定", [f"extension/Clearing/?{fy}"]),
        ("積立金", [f"extension/Reserves/?{fy}"]),
        ("決算報告書", [f"extension/Settlement/?{fy}"]),
        ("推移", [f"extension/Trend/?{fy}"]),
        ("Fava 貸借対照表（ページ + API）", [f"balance_sheet/?{fy}", f"api/balance_sheet?{fy}"]),
    ]


def measure(ledger: Path, year: int, business: str, line: str | None, repeat: int) -> tuple[float, list[tuple[str, float, float]]]:
    from fava.application import create_app

    app = create_app([str(ledger)], read_only=True)
    client = app.test_client()
    start = time.perf_counter()
    slug = client.get("/").headers["Location"].split("/")[1]  # loads the ledger
    load = time.perf_counter() - start
    errors = client.get(f"/{slug}/api/errors").get_json()["data"]
    if errors:
        raise SystemExit(f"{ledger}: the ledger has errors: {errors[:3]}")
    if line is None:  # the first income line of the chart
        from jlis_ledger.fava import page

        books = page.books_of(app.config["LEDGERS"][urllib.parse.unquote(slug)])[0]
        line = next(a.rsplit(":", 1)[0] for a in sorted(books.opens) if a.startswith(books.roots.income + ":"))
    rows = []
    for name, urls in pages(year, business, line):
        cold = sum(timed(client, f"/{slug}/{u}") for u in urls)
        warm = statistics.median(sum(timed(client, f"/{slug}/{u}") for u in urls) for _ in range(repeat))
        rows.append((name, cold, warm))
    return load, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    import beancount
    import fava

    from jlis_ledger.testing import synth

    results = []
    bundled = REPO / "ledger" / "main.beancount"
    results.append(("bundled books (令和4年度)", *measure(bundled, 2022, "B2-本人確認情報処理事業",
                                                           "Income:1-営業収益:105-事業収入", args.repeat)))
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "synth.beancount"
        stats = synth.write_ledger(ledger, transactions=args.transactions, seed=args.seed)
        with ledger.open("a", encoding="utf-8") as f:
            f.write('\n2000-01-01 custom "fava-extension" "jlis_ledger.fava"\n')
        last = synth.START.year + synth.YEARS - 1
        name = f"synthetic, {stats.transactions:,} transactions, {stats.postings:,} postings (FY{last})"
        results.append((name, *measure(ledger, last, synth.business_labels(8)[1], None, args.repeat)))

    print(f"Python {platform.python_version()}, Beancount {beancount.__version__}, Fava {fava.__version__}, "
          f"{args.repeat} warm requests per page (median); times in ms")
    for title, load, rows in results:
        print()
        print(f"### {title}: load in Fava {load:.1f} s")
        print()
        print("| page | cold (ms) | warm (ms) | warm / Fava balance sheet |")
        print("|---|---:|---:|---:|")
        anchor = rows[-1][2]
        for name, cold, warm in rows:
            print(f"| {name} | {cold * 1000:.0f} | {warm * 1000:.0f} | {warm / anchor:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
