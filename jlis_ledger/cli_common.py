"""What the commands of ``jlis-ledger`` share: their arguments, loading the books, the year, errors, output.

A user error is one :class:`UserError` (printed by :func:`jlis_ledger.cli.main` as one line
``jlis-ledger COMMAND: message``, exit status 1); the errors of the books are printed one per line
as ``file:line: message`` (a message that spans lines is joined), and a count follows only when
there are several: one fault is one line.
"""

from __future__ import annotations

import argparse
import bisect
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from jlis_ledger.core.errors import format_error

if TYPE_CHECKING:
    from jlis_ledger.books import Books
    from jlis_ledger.core.periods import FiscalYear

FORMATS = ("text", "csv", "json", "xlsx")


class UserError(Exception):
    """A mistake of the user's: printed as one line, exit status 1."""


# -- arguments shared by the commands -------------------------------------------------------------


def ledger_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ledger", nargs="?", type=Path, default=None,
                        help="the Beancount ledger (default: the bundled J-LIS books, ledger/main.beancount)")
    no_cache_argument(parser)


def no_cache_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-cache", action="store_true",
                        help="load afresh: neither read nor write the load cache (see jlis_ledger.loading)")


def year_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, default=None,
                        help="fiscal year as Fava names it (with fiscal-year-end 15-31, 2022 = 令和4年度); default: the last one with entries")


def format_arguments(parser: argparse.ArgumentParser, formats: Sequence[str] = FORMATS) -> None:
    parser.add_argument("--format", choices=formats, default="text")
    parser.add_argument("-o", "--output", type=Path, default=None,
                        help="the file to write (xlsx: required; default: standard output)")


# -- the books ------------------------------------------------------------------------------------


def load(args: argparse.Namespace) -> Books:
    from jlis_ledger import books as books_lib

    return books_lib.load(args.ledger, cache=not args.no_cache)


def fiscal_year(books: Books, year: int | None) -> FiscalYear:
    """The fiscal year ``--year`` names (default: the last with entries), or a UserError: a year outside the
    calendar, or one in which the books have no transaction (a statement of it would be zeros)."""
    from jlis_ledger.core.periods import PeriodError

    if year is None:
        fy = books.last_fiscal_year()
        if fy is None:
            raise UserError(f"{books.path}: the ledger has no transactions")
        return fy
    try:
        fy = books.fiscal_year(year)
    except PeriodError as error:
        raise UserError(str(error)) from None
    dates = books.memo("transaction-dates", lambda: [e.date for e in books.transactions()])  # sorted, as loaded
    i = bisect.bisect_left(dates, fy.start)
    if i == len(dates) or dates[i] > fy.end:
        span = (f"its transactions are in fiscal years {books.fiscal_year_of(dates[0]).year}–{books.fiscal_year_of(dates[-1]).year}"
                if dates else "it has no transactions")
        raise UserError(f"{books.path}: no entries in fiscal year {year} ({fy.japanese}, {fy.start} – {fy.end}): {span}")
    return fy


def error_line(error: object) -> str:
    """An error of the books as one line, ``file:line: message``."""
    return " ".join(line.strip() for line in format_error(error).splitlines() if line.strip())


def print_errors(books: Books) -> None:
    for error in books.errors:
        print(error_line(error), file=sys.stderr)


def refuse_errors(books: Books, what: str) -> None:
    """A UserError when the books have errors (nothing is ``what``): one line for one error, else each error, then the count."""
    if not books.errors:
        return
    if len(books.errors) == 1:
        raise UserError(f"nothing {what}: {error_line(books.errors[0])}")
    print_errors(books)
    raise UserError(f"nothing {what}: {len(books.errors)} errors in the ledger (above)")


def no_business(books: Books, what: str) -> UserError:
    return UserError(f'{books.path}: the ledger declares no business (custom "business" LABEL): nothing to {what}')


# -- output ---------------------------------------------------------------------------------------


def emit(args: argparse.Namespace, tables: Callable[[], list], text: Callable[[], str], csv: Callable[[], str] | None = None,
         json: Callable[[], str] | None = None) -> int:
    """Print or write a report in ``args.format``: its own text, CSV and JSON, or a workbook of its tables."""
    from jlis_ledger import render

    if args.format == "xlsx":
        if args.output is None:
            raise UserError("--format xlsx needs -o FILE")
        from jlis_ledger.render import xlsx

        xlsx.write(tables(), args.output)
        return 0
    if args.format == "csv":
        out = csv() if csv is not None else "".join(render.csv_text(t) for t in tables())
    elif args.format == "json":
        out = json() if json is not None else render.json_text({t.id: t for t in tables()})
    else:
        out = text()
    if args.output is None:
        sys.stdout.write(out)
    else:
        render.write(args.output, out)
    return 0


def output_directory(path: Path) -> None:
    """``-o DIR``: the directory, created (with its parents) if missing, or a UserError saying why it cannot be."""
    if path.is_dir():
        return
    try:
        path.mkdir(parents=True)
    except OSError as error:
        raise UserError(f"{path}: cannot create the output directory: {error.strerror or error}") from None
    print(f"{path}: created the output directory", file=sys.stderr)


__all__ = ["FORMATS", "UserError", "emit", "error_line", "fiscal_year", "format_arguments", "ledger_argument", "load",
           "no_business", "no_cache_argument", "output_directory", "print_errors", "refuse_errors", "year_argument"]
