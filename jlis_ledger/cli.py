"""``jlis-ledger``: argument parsing only; every command calls the library."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jlis_ledger import books as books_lib


def _ledger_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "ledger",
        nargs="?",
        type=Path,
        default=None,
        help="the Beancount ledger (default: the bundled J-LIS books, ledger/main.beancount)",
    )
    _no_cache_argument(parser)


def _no_cache_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="load afresh: neither read nor write the load cache (see jlis_ledger.loading)",
    )


def _year_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year",
        type=int,
        default=None,
        help="fiscal year as Fava names it (with fiscal-year-end 15-31, 2022 = 令和4年度); default: the last one with entries",
    )


def format_error(error) -> str:
    """An error as ``file:line: message``."""
    source = getattr(error, "source", None) or {}
    where = f"{source.get('filename', '<unknown>')}:{source.get('lineno', 0)}"
    return f"{where}: {error.message}"


def _last_year(books: books_lib.Books) -> int:
    """The last fiscal year with revenue or expense (an appropriation of profit booked
    after the year end does not start a new year)."""
    from beancount.core.data import Transaction

    # The entries are sorted by date: the last match is the latest (no pass over the whole ledger).
    def latest():
        return (e for e in reversed(books.entries) if isinstance(e, Transaction))

    last = next((e for e in latest() if any(p.account.startswith(("Income:", "Expenses:")) for p in e.postings)), None)
    if last is None:
        last = next(latest(), None)
    if last is None:
        raise SystemExit("the ledger has no transactions")
    return books.fiscal_year_of(last.date).year


def cmd_check(args: argparse.Namespace) -> int:
    from jlis_ledger import summary

    books = books_lib.load(args.ledger, cache=not args.no_cache)
    for error in books.errors:
        print(format_error(error), file=sys.stderr)
    year = args.year if args.year is not None else _last_year(books)
    fy = books.fiscal_year(year)
    print(summary.render(summary.summarize(books, fy), fy))
    if books.errors:
        print(f"{len(books.errors)} error(s)", file=sys.stderr)
        return 1
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from jlis_ledger import sources

    books = books_lib.load(args.ledger, cache=not args.no_cache)
    items = sources.derived_figures(books, basis=args.basis)
    print(sources.render(items, fmt=args.format), end="")
    return 0


def cmd_reserves(args: argparse.Namespace) -> int:
    from jlis_ledger import reserves

    books = books_lib.load(args.ledger, cache=not args.no_cache)
    year = args.year if args.year is not None else _last_year(books)
    report = reserves.report(books, books.fiscal_year(year))
    print(reserves.render(report, fmt=args.format), end="")
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from jlis_ledger import synth

    synth.write_ledger(
        args.output,
        transactions=args.transactions,
        businesses=args.businesses,
        cross_share=args.cross_share,
        internal_share=args.internal_share,
        seed=args.seed,
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from jlis_ledger import serve

    return serve.run(args.ledger or books_lib.BUNDLED_LEDGER, port=args.port, editable=args.editable, cache=not args.no_cache)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jlis-ledger", description="Segment accounting on Beancount (J-LIS books).")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="load the books, print errors as file:line: message and a summary per business")
    _ledger_argument(check)
    _year_argument(check)
    check.set_defaults(func=cmd_check)

    src = commands.add_parser("sources", help="list the derived and allocated figures of the books with their rules")
    _ledger_argument(src)
    src.add_argument("--basis", choices=("derived", "allocated"), default=None, help="only this basis")
    src.add_argument("--format", choices=("text", "csv"), default="text")
    src.set_defaults(func=cmd_sources)

    res = commands.add_parser("reserves", help="each reserve (積立金) by business: opening, movements, closing, plans and deviations")
    _ledger_argument(res)
    _year_argument(res)
    res.add_argument("--format", choices=("text", "csv", "json"), default="text")
    res.set_defaults(func=cmd_reserves)

    synth = commands.add_parser("synth", help="write a synthetic multi-business ledger (benchmarks, demos)")
    synth.add_argument("output", type=Path, help="the file to write")
    synth.add_argument("--transactions", type=int, default=10_000)
    synth.add_argument("--businesses", type=int, default=8)
    synth.add_argument("--cross-share", type=float, default=0.2, help="share of cross-business transactions")
    synth.add_argument("--internal-share", type=float, default=0.05, help="share of internal (eliminated) transactions")
    synth.add_argument("--seed", type=int, default=0)
    synth.set_defaults(func=cmd_synth)

    serve = commands.add_parser("serve", help="start Fava on 127.0.0.1 (read-only unless --editable)")
    _ledger_argument(serve)
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--editable", action="store_true", help="allow changes through Fava")
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
