"""``jlis-ledger``: argument parsing only; every command calls the library.

A user error (a ledger that cannot be read, a year that does not exist or has no entries, an
output that cannot be written, reference data that cannot be read) is one line on standard error
and exit status 1, never a traceback; the errors of the books are one line each, ``file:line:
message`` (:mod:`jlis_ledger.cli_common`). The ``import`` and ``export`` commands are
:mod:`jlis_ledger.cli_import`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jlis_ledger import __version__, cli_import
from jlis_ledger import books as books_lib
from jlis_ledger.cli_common import (
    FORMATS,
    UserError,
    emit,
    fiscal_year,
    format_arguments,
    ledger_argument,
    load,
    no_business,
    no_cache_argument,
    output_directory,
    print_errors,
    refuse_errors,
    year_argument,
)

# -- the commands ------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from jlis_ledger.segments import summary

    books = load(args)
    print_errors(books)
    if not books.businesses:
        if books.errors:  # the segments plugin says so, or the errors explain it (a file that could not be read)
            return 1
        raise no_business(books, "summarise")
    if books.errors and args.year is None and books.last_fiscal_year() is None:
        return 1  # nothing to summarise, and the errors say why (a file that could not be read, say)
    fy = fiscal_year(books, args.year)
    rows = summary.summarize(books, fy)
    status = emit(args, lambda: [summary.table(rows, fy)], lambda: summary.render(rows, fy) + "\n")
    if books.errors:
        if len(books.errors) > 1:
            print(f"{len(books.errors)} errors", file=sys.stderr)
        return 1
    return status


def cmd_sources(args: argparse.Namespace) -> int:
    from jlis_ledger import sources

    books = load(args)
    items = sources.derived_figures(books, basis=args.basis)
    return emit(args, lambda: [sources.table(items)], lambda: sources.render(items, fmt="text"),
                 lambda: sources.render(items, fmt="csv"))


def cmd_reserves(args: argparse.Namespace) -> int:
    from jlis_ledger import reserves

    books = load(args)
    report = reserves.report(books, fiscal_year(books, args.year))
    return emit(args, lambda: reserves.tables(report), lambda: reserves.render(report, "text"),
                 lambda: reserves.render(report, "csv"), lambda: reserves.render(report, "json"))


def cmd_allocations(args: argparse.Namespace) -> int:
    from jlis_ledger import allocations

    books = load(args)
    report = allocations.report(books, fiscal_year(books, args.year))
    return emit(args, lambda: allocations.tables(report), lambda: allocations.render(report, "text"),
                 lambda: allocations.render(report, "csv"), lambda: allocations.render(report, "json"))


def cmd_statements(args: argparse.Namespace) -> int:
    from jlis_ledger import render, statements

    ids = list(statements.STATEMENT_IDS) if args.all else [args.statement]
    if args.format in ("xlsx", "pdf") and args.output is None:
        raise UserError(f"--format {args.format} needs -o FILE")
    if args.format == "xlsx" and args.unit == "億円":
        raise UserError("--format xlsx shows 円, 千円 or 百万円 (a number format scales by thousands only), not 億円")
    if args.format == "csv" and len(ids) > 1 and args.output is None:
        raise UserError("--all --format csv needs -o DIRECTORY (one <id>.csv per statement; created if missing)")
    if args.format == "csv" and len(ids) > 1 and args.output.exists() and not args.output.is_dir():
        raise UserError(f"{args.output}: is a file: --all --format csv writes one <id>.csv per statement into a directory")
    books = load(args)
    refuse_errors(books, "written")
    if not books.businesses:
        raise no_business(books, "state")
    fy = fiscal_year(books, args.year)
    try:
        tables = statements.build_all(books, fy, ids)
    except statements.StatementError as error:
        raise UserError(str(error)) from None
    if args.format == "csv" and len(ids) > 1:
        output_directory(args.output)
        for i, table in tables.items():
            render.write(args.output / f"{i}.csv", render.csv_text(table))
        return 0
    if args.format in ("xlsx", "pdf"):  # printed: stamped with the books' revision and the reconcile result
        from jlis_ledger import publication

        publication.write(books, fy, tables, args.output, args.format, unit=args.unit)
        return 0
    return emit(args, lambda: list(tables.values()),
                 lambda: "\n".join(render.text(t, unit=args.unit, negative=args.negative) for t in tables.values()),
                 lambda: render.csv_text(tables[ids[0]]),
                 lambda: render.json_text(tables if args.all else tables[ids[0]]))


def cmd_reconcile(args: argparse.Namespace) -> int:
    from jlis_ledger.statements import StatementError, reconcile

    books = load(args)
    if args.explain:
        print_errors(books)  # --explain is how a reviewer reads books with errors (a moved sealed figure): say them, then explain
    else:
        refuse_errors(books, "reconciled")
    if not books.businesses:
        raise no_business(books, "reconcile")
    if args.year is not None:
        fiscal_year(books, args.year)  # a year outside the calendar, or without entries, is one line
    published = args.published or books_lib.BUNDLED_LEDGER.parent / "published" / "r4-kessan.json"
    try:
        reference = reconcile.load_reference(published)
        differences, declared = reconcile.split(books, reference, args.year)
    except (StatementError, ValueError) as error:
        raise UserError(str(error)) from None
    if args.explain:
        from jlis_ledger.proof import explain

        for line in explain.explain_differences(books, differences, explain.reference_years(books, reference, args.year)):
            print(line)
    else:
        for difference in differences:
            print(difference)
    figures = sum(len(r.get("values") or []) for t in reference.values() for r in t["rows"])
    for difference, rule in declared:  # the publication against itself, declared (custom "published-disagreement")
        print(f"{difference} — the publication's own disagreement: {rule}")
    disagreeing = f", {len(declared)} declared disagreement(s) of the publication with itself" if declared else ""
    print(f"{len(reference)} statements, {figures} published figures: {len(differences)} difference(s){disagreeing}",
          file=sys.stderr if differences else sys.stdout)
    return 1 if differences else 0


def cmd_verify(args: argparse.Namespace) -> int:
    """The articulation identities of the statements of a year, and what the ledger's assertions prove."""
    from jlis_ledger.proof import report, verify

    books = load(args)
    print_errors(books)
    if not books.businesses:
        raise UserError(f"{books.path}: the ledger declares no business (custom \"business\" LABEL): nothing to verify")
    fy = fiscal_year(books, args.year)
    result = verify.verify(books, fy)
    emit(args, lambda: report.tables(books, result), lambda: report.render(books, result))
    if books.errors:
        print(f"{len(books.errors)} error(s) in the ledger", file=sys.stderr)
    return 1 if result.failures or books.errors else 0


def cmd_close(args: argparse.Namespace) -> int:
    """Seal a fiscal year: its custom "fiscal-seal" in a file of its own, included by the ledger."""
    from jlis_ledger.proof import close

    books = books_lib.load(args.ledger, cache=False)  # the seal digests what a fresh load gives
    try:
        closed = close.close(books, args.year, output=args.output, replace=args.replace)
    except close.CloseError as error:
        raise UserError(str(error)) from None
    print(closed)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Two revisions of the books compared figure by figure; exit 1 when a sealed year's figures move."""
    from jlis_ledger.proof import explain

    old = books_lib.load(args.old, cache=not args.no_cache)
    new = books_lib.load(args.new, cache=not args.no_cache)
    moved = explain.diff(old, new, args.year)
    for figure in moved:
        for line in figure.lines():
            print(line)
    sealed = [m for m in moved if m.sealed]
    print(f"{len(moved)} figure(s) differ" + (f", {len(sealed)} of them in a sealed year" if sealed else ""),
          file=sys.stderr if sealed else sys.stdout)
    return 1 if sealed else 0


def cmd_synth(args: argparse.Namespace) -> int:
    from jlis_ledger.testing import synth

    if args.transactions < 0 or args.businesses < 1 or args.files < 1:
        raise UserError("--transactions must be 0 or more, --businesses and --files 1 or more")
    for name in ("cross_share", "internal_share", "pool_share"):
        if not 0 <= getattr(args, name) <= 1:
            raise UserError(f"--{name.replace('_', '-')} is a share between 0 and 1")
    from jlis_ledger import render

    def write(path: Path) -> None:
        synth.write_ledger(path, transactions=args.transactions, businesses=args.businesses, cross_share=args.cross_share,
                           internal_share=args.internal_share, pool_share=args.pool_share, seed=args.seed,
                           files=args.files, name=args.output)

    render.write(args.output, write)  # beside the target, renamed over it (an OutputError if it cannot be): never half a ledger
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from jlis_ledger import serve

    try:
        return serve.run(books_lib.ledger_file(args.ledger), port=args.port, editable=args.editable,
                         cache=not args.no_cache, host=args.host, allow_hosts=args.allow_host,
                         allow_remote=args.allow_remote)
    except serve.ServeError as error:
        print(f"jlis-ledger serve: {error}", file=sys.stderr)
        return 1


# -- the parser --------------------------------------------------------------------------------


def _statement_ids() -> tuple[str, ...]:
    from jlis_ledger.statements import STATEMENT_IDS

    return STATEMENT_IDS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jlis-ledger", description="Segment accounting on Beancount (J-LIS books).")
    parser.add_argument("--version", action="version", version=f"jlis-ledger {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="load the books, print errors as file:line: message and a summary per business")
    ledger_argument(check)
    year_argument(check)
    format_arguments(check)
    check.set_defaults(func=cmd_check)

    src = commands.add_parser("sources", help="list the derived and allocated figures of the books with their rules")
    ledger_argument(src)
    src.add_argument("--basis", choices=("derived", "allocated"), default=None, help="only this basis")
    format_arguments(src)
    src.set_defaults(func=cmd_sources)

    res = commands.add_parser("reserves", help="each reserve (積立金) by business: opening, movements, closing, plans and deviations")
    ledger_argument(res)
    year_argument(res)
    format_arguments(res)
    res.set_defaults(func=cmd_reserves)

    st = commands.add_parser("statements", help="regenerate the published statements (text, csv, json, xlsx or pdf)")
    ledger_argument(st)
    which = st.add_mutually_exclusive_group(required=True)
    which.add_argument("--statement", choices=_statement_ids(), help="one statement")
    which.add_argument("--all", action="store_true", help="every statement")
    year_argument(st)
    st.add_argument("--format", choices=(*FORMATS, "pdf"), default="text",
                    help="text, xlsx and pdf print as the publication does (the ledger's statement-option declarations); "
                         "csv and json are signed yen")
    st.add_argument("--unit", choices=("円", "千円", "百万円", "億円"), default=None,
                    help="text, xlsx, pdf: the unit (rounded half up as published; a workbook shows 円, 千円 or 百万円); default: 円")
    st.add_argument("--negative", choices=("-", "△", "▲"), default=None,
                    help="text: the mark of a negative amount (default: the one the ledger declares, else -)")
    st.add_argument("-o", "--output", type=Path, default=None, help="the file to write (a directory for --all --format csv)")
    st.set_defaults(func=cmd_statements)

    rec = commands.add_parser("reconcile", help="compare every regenerated figure with published reference data")
    ledger_argument(rec)
    rec.add_argument("--published", type=Path, default=None,
                     help="reference data JSON (default: the bundled ledger/published/r4-kessan.json)")
    rec.add_argument("--year", type=int, default=None, help="fiscal year (default: the one each reference table names)")
    rec.add_argument("--explain", action="store_true",
                     help="under each difference, the entries (file:line) and postings that make the figure, and whether its year is sealed")
    rec.set_defaults(func=cmd_reconcile)

    dif = commands.add_parser("diff", help="the figures of every statement that differ between two revisions of the books, "
                                           "with the entries behind each; exit 1 when a sealed year's figures move")
    dif.add_argument("old", type=Path, help="the ledger of one revision (e.g. a checkout of the previous commit)")
    dif.add_argument("new", type=Path, help="the ledger of the other")
    dif.add_argument("--year", type=int, action="append", default=None, help="only this fiscal year (repeatable; default: every year of both)")
    no_cache_argument(dif)
    dif.set_defaults(func=cmd_diff)

    alloc = commands.add_parser("allocations", help="each allocation key (配賦基準): its weights over time and what it allocated per business and item")
    ledger_argument(alloc)
    year_argument(alloc)
    format_arguments(alloc)
    alloc.set_defaults(func=cmd_allocations)

    ver = commands.add_parser("verify", help="check the articulation of the statements (A = L + NA, columns, CF, 純資産, 利益の処分, 決算額, schedules, roll-forward, 他事業勘定)")
    ledger_argument(ver)
    year_argument(ver)
    format_arguments(ver)
    ver.set_defaults(func=cmd_verify)

    close = commands.add_parser("close", help="seal a fiscal year: any later change to its entries fails bean-check")
    ledger_argument(close)  # (--no-cache is accepted; close always digests a fresh load)
    close.add_argument("--year", type=int, required=True, help="the fiscal year to seal, as Fava names it (2022 = 令和4年度)")
    close.add_argument("-o", "--output", type=Path, default=None,
                       help="the file of the seal (default: seal-YEAR.beancount beside the ledger; an include line is added)")
    close.add_argument("--replace", action="store_true", help="seal a sealed year again (a 修正 of a sealed year)")
    close.set_defaults(func=cmd_close)

    synth = commands.add_parser("synth", help="write a synthetic multi-business ledger (benchmarks, demos)")
    synth.add_argument("output", type=Path, help="the file to write")
    synth.add_argument("--transactions", type=int, default=10_000)
    synth.add_argument("--businesses", type=int, default=8)
    synth.add_argument("--cross-share", type=float, default=0.2, help="share of cross-business transactions")
    synth.add_argument("--internal-share", type=float, default=0.05, help="share of internal (eliminated) transactions")
    synth.add_argument("--pool-share", type=float, default=0.0,
                       help="share of common costs booked to a pool and allocated (配賦; default 0: no pool)")
    synth.add_argument("--seed", type=int, default=0)
    synth.add_argument("--files", type=int, default=1,
                       help="split the transactions over N included files beside OUTPUT (OUTPUT-01.beancount ...)")
    synth.set_defaults(func=cmd_synth)

    serve = commands.add_parser("serve", help="start Fava on 127.0.0.1 (read-only unless --editable)")
    ledger_argument(serve)
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--editable", action="store_true", help="allow changes through Fava")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default 127.0.0.1; another than loopback needs --allow-remote)")
    serve.add_argument("--allow-remote", action="store_true",
                       help="allow --host to be an address other machines reach (no login, no TLS: a warning is printed)")
    serve.add_argument("--allow-host", action="append", default=[], metavar="NAME[:PORT]",
                       help="also answer requests addressed to NAME (repeatable); by default only the address "
                            "listened on, 127.0.0.1, localhost and [::1] with the port are answered")
    serve.set_defaults(func=cmd_serve)

    cli_import.add_parsers(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    from jlis_ledger.books import LedgerNotFoundError
    from jlis_ledger.render import OutputError

    args = build_parser().parse_args(argv)
    try:
        if args.command == "check" and not args.no_cache and args.output is None:
            from jlis_ledger import memo

            return memo.run(sys.argv[1:] if argv is None else list(argv), lambda: args.func(args))
        return args.func(args)
    except (UserError, LedgerNotFoundError, OutputError) as error:
        print(f"jlis-ledger {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
