"""``jlis-ledger``: argument parsing only; every command calls the library.

A user error (a ledger that cannot be read, a year that does not exist, an output that cannot
be written) is one line on standard error and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from jlis_ledger import __version__
from jlis_ledger import books as books_lib
from jlis_ledger.core.errors import format_error

FORMATS = ("text", "csv", "json", "xlsx")


class UserError(Exception):
    """A mistake of the user's: printed as one line, exit status 1."""


# -- arguments shared by the commands -------------------------------------------------------------


def _ledger_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ledger", nargs="?", type=Path, default=None,
                        help="the Beancount ledger (default: the bundled J-LIS books, ledger/main.beancount)")
    _no_cache_argument(parser)


def _no_cache_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-cache", action="store_true",
                        help="load afresh: neither read nor write the load cache (see jlis_ledger.loading)")


def _year_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, default=None,
                        help="fiscal year as Fava names it (with fiscal-year-end 15-31, 2022 = 令和4年度); default: the last one with entries")


def _format_arguments(parser: argparse.ArgumentParser, formats: Sequence[str] = FORMATS) -> None:
    parser.add_argument("--format", choices=formats, default="text")
    parser.add_argument("-o", "--output", type=Path, default=None,
                        help="the file to write (xlsx: required; default: standard output)")


def _load(args: argparse.Namespace) -> books_lib.Books:
    return books_lib.load(args.ledger, cache=not args.no_cache)


def _fiscal_year(books: books_lib.Books, year: int | None):
    from jlis_ledger.core.periods import PeriodError

    if year is None:
        fy = books.last_fiscal_year()
        if fy is None:
            raise UserError(f"{books.path}: the ledger has no transactions")
        return fy
    try:
        return books.fiscal_year(year)
    except PeriodError as error:
        raise UserError(str(error)) from None


def _print_errors(books: books_lib.Books) -> None:
    for error in books.errors:
        print(format_error(error), file=sys.stderr)


def _refuse_errors(books: books_lib.Books, what: str) -> None:
    if books.errors:
        _print_errors(books)
        raise UserError(f"{len(books.errors)} error(s) in the ledger: nothing {what}")


def _emit(args: argparse.Namespace, tables: Callable[[], list], text: Callable[[], str], csv: Callable[[], str] | None = None,
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


# -- the commands ------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from jlis_ledger.segments import summary

    books = _load(args)
    _print_errors(books)
    if not books.businesses:
        print(f"{books.path}: the ledger declares no business (custom \"business\" LABEL): nothing to summarise", file=sys.stderr)
        return 1
    fy = _fiscal_year(books, args.year)
    rows = summary.summarize(books, fy)
    status = _emit(args, lambda: [summary.table(rows, fy)], lambda: summary.render(rows, fy) + "\n")
    if books.errors:
        print(f"{len(books.errors)} error(s)", file=sys.stderr)
        return 1
    return status


def cmd_sources(args: argparse.Namespace) -> int:
    from jlis_ledger import sources

    books = _load(args)
    items = sources.derived_figures(books, basis=args.basis)
    return _emit(args, lambda: [sources.table(items)], lambda: sources.render(items, fmt="text"),
                 lambda: sources.render(items, fmt="csv"))


def cmd_reserves(args: argparse.Namespace) -> int:
    from jlis_ledger import reserves

    books = _load(args)
    report = reserves.report(books, _fiscal_year(books, args.year))
    return _emit(args, lambda: reserves.tables(report), lambda: reserves.render(report, "text"),
                 lambda: reserves.render(report, "csv"), lambda: reserves.render(report, "json"))


def cmd_allocations(args: argparse.Namespace) -> int:
    from jlis_ledger import allocations

    books = _load(args)
    report = allocations.report(books, _fiscal_year(books, args.year))
    return _emit(args, lambda: allocations.tables(report), lambda: allocations.render(report, "text"),
                 lambda: allocations.render(report, "csv"), lambda: allocations.render(report, "json"))


def cmd_statements(args: argparse.Namespace) -> int:
    from jlis_ledger import render, statements

    ids = list(statements.STATEMENT_IDS) if args.all else [args.statement]
    if args.format == "xlsx" and args.output is None:
        raise UserError("--format xlsx needs -o FILE")
    if args.format == "csv" and len(ids) > 1 and (args.output is None or not args.output.is_dir()):
        raise UserError("--all --format csv needs -o DIRECTORY (one <id>.csv per statement)")
    books = _load(args)
    _refuse_errors(books, "written")
    fy = _fiscal_year(books, args.year)
    try:
        tables = statements.build_all(books, fy, ids)
    except statements.StatementError as error:
        raise UserError(str(error)) from None
    if args.format == "csv" and len(ids) > 1:
        for i, table in tables.items():
            render.write(args.output / f"{i}.csv", render.csv_text(table))
        return 0
    return _emit(args, lambda: list(tables.values()),
                 lambda: "\n".join(render.text(t, unit=args.unit, negative=args.negative) for t in tables.values()),
                 lambda: render.csv_text(tables[ids[0]]),
                 lambda: render.json_text(tables if args.all else tables[ids[0]]))


def cmd_reconcile(args: argparse.Namespace) -> int:
    from jlis_ledger.statements import StatementError, reconcile

    books = _load(args)
    if not books.businesses:
        raise UserError(f"{books.path}: the ledger declares no business (custom \"business\" LABEL): nothing to reconcile")
    published = args.published or books_lib.BUNDLED_LEDGER.parent / "published" / "r4-kessan.json"
    try:
        reference = reconcile.load_reference(published)
        differences = reconcile.reconcile(books, reference, args.year)
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
    print(f"{len(reference)} statements, {figures} published figures: {len(differences)} difference(s)",
          file=sys.stderr if differences else sys.stdout)
    return 1 if differences else 0


def cmd_verify(args: argparse.Namespace) -> int:
    """The articulation identities of the statements of a year, and what the ledger's assertions prove."""
    from jlis_ledger.proof import report, verify

    books = _load(args)
    _print_errors(books)
    if not books.businesses:
        raise UserError(f"{books.path}: the ledger declares no business (custom \"business\" LABEL): nothing to verify")
    fy = _fiscal_year(books, args.year)
    result = verify.verify(books, fy)
    _emit(args, lambda: report.tables(books, result), lambda: report.render(books, result))
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

    if args.transactions < 0 or args.businesses < 1:
        raise UserError("--transactions must be 0 or more and --businesses 1 or more")
    for name in ("cross_share", "internal_share", "pool_share"):
        if not 0 <= getattr(args, name) <= 1:
            raise UserError(f"--{name.replace('_', '-')} is a share between 0 and 1")
    try:
        synth.write_ledger(args.output, transactions=args.transactions, businesses=args.businesses, cross_share=args.cross_share,
                           internal_share=args.internal_share, pool_share=args.pool_share, seed=args.seed)
    except OSError as error:
        raise UserError(f"{args.output}: cannot write the ledger: {error.strerror or error}") from None
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from jlis_ledger import serve

    try:
        return serve.run(args.ledger or books_lib.BUNDLED_LEDGER, port=args.port, editable=args.editable,
                         cache=not args.no_cache, host=args.host, allow_hosts=args.allow_host,
                         allow_remote=args.allow_remote)
    except serve.ServeError as error:
        print(f"jlis-ledger serve: {error}", file=sys.stderr)
        return 1


def _importers(args: argparse.Namespace):
    """The importers of the ledger named by --ledger (default: the bundled books), or an InputError."""
    from jlis_ledger import importers

    ledger = args.ledger_file or books_lib.BUNDLED_LEDGER
    return importers.importers_for(ledger, args.mapping, keep_repeats=getattr(args, "keep_repeats", False))


def cmd_import(args: argparse.Namespace) -> int:
    from jlis_ledger.importers import ingest
    from jlis_ledger.importers.errors import InputError

    try:
        importer_list = _importers(args)
    except InputError as exc:
        print(str(exc), file=sys.stderr)  # the message starts with the file it is about
        return 1
    if args.import_command == "identify":
        return ingest.run_identify(importer_list, args.files)
    if args.import_command == "extract":
        return ingest.run_extract(importer_list, args.files, existing=args.existing, output=args.output)
    return ingest.run_archive(importer_list, args.files, str(args.destination), dry_run=args.dry_run, overwrite=args.overwrite)


def cmd_export_yayoi(args: argparse.Namespace) -> int:
    from jlis_ledger.importers import yayoi_export

    return _export(args, lambda entries, mapping, fy, currency: yayoi_export.export(entries, mapping, fy.start, fy.end, currency), "弥生")


def cmd_export_mf(args: argparse.Namespace) -> int:
    from jlis_ledger.importers import mf_export

    encoding = "cp932" if args.encoding == "shift_jis" else "utf-8"
    return _export(args, lambda entries, mapping, fy, currency: mf_export.export(entries, mapping, fy.start, fy.end, currency, encoding),
                   "マネーフォワード")


def _export(args: argparse.Namespace, write, product: str) -> int:
    """Load the books, map them, write the year in another tool's format atomically, list what it cannot hold."""
    from jlis_ledger import importers, render
    from jlis_ledger.importers import mapping as mapping_lib
    from jlis_ledger.importers.errors import InputError

    books = _load(args)
    _refuse_errors(books, "exported")
    mapping_path = args.mapping or books.path.parent / importers.MAPPING_FILE
    try:
        mapping = mapping_lib.load(mapping_path, books.businesses)
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    fy = _fiscal_year(books, args.year)
    try:
        result = write(books.entries, mapping, fy, books.currency)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    render.write(args.output, result.encoded())
    print(f"{args.output}: {result.vouchers} 伝票, {result.rows} lines ({fy.japanese} {fy.start} – {fy.end})", file=sys.stderr)
    for note in result.notes:
        print(f"not in the {product} file: {note}", file=sys.stderr)
    return 0


# -- the parser --------------------------------------------------------------------------------


def _statement_ids() -> tuple[str, ...]:
    from jlis_ledger.statements import STATEMENT_IDS

    return STATEMENT_IDS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jlis-ledger", description="Segment accounting on Beancount (J-LIS books).")
    parser.add_argument("--version", action="version", version=f"jlis-ledger {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="load the books, print errors as file:line: message and a summary per business")
    _ledger_argument(check)
    _year_argument(check)
    _format_arguments(check)
    check.set_defaults(func=cmd_check)

    src = commands.add_parser("sources", help="list the derived and allocated figures of the books with their rules")
    _ledger_argument(src)
    src.add_argument("--basis", choices=("derived", "allocated"), default=None, help="only this basis")
    _format_arguments(src)
    src.set_defaults(func=cmd_sources)

    res = commands.add_parser("reserves", help="each reserve (積立金) by business: opening, movements, closing, plans and deviations")
    _ledger_argument(res)
    _year_argument(res)
    _format_arguments(res)
    res.set_defaults(func=cmd_reserves)

    st = commands.add_parser("statements", help="regenerate the published statements (text, csv, json or xlsx)")
    _ledger_argument(st)
    which = st.add_mutually_exclusive_group(required=True)
    which.add_argument("--statement", choices=_statement_ids(), help="one statement")
    which.add_argument("--all", action="store_true", help="every statement")
    _year_argument(st)
    st.add_argument("--format", choices=FORMATS, default="text")
    st.add_argument("--unit", choices=("円", "千円", "百万円", "億円"), default="円", help="text: the unit (rounded half up as published)")
    st.add_argument("--negative", choices=("-", "△", "▲"), default="-", help="text: the mark of a negative amount")
    st.add_argument("-o", "--output", type=Path, default=None, help="the file to write (a directory for --all --format csv)")
    st.set_defaults(func=cmd_statements)

    rec = commands.add_parser("reconcile", help="compare every regenerated figure with published reference data")
    _ledger_argument(rec)
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
    _no_cache_argument(dif)
    dif.set_defaults(func=cmd_diff)

    alloc = commands.add_parser("allocations", help="each allocation key (配賦基準): its weights over time and what it allocated per business and item")
    _ledger_argument(alloc)
    _year_argument(alloc)
    _format_arguments(alloc)
    alloc.set_defaults(func=cmd_allocations)

    ver = commands.add_parser("verify", help="check the articulation of the statements (A = L + NA, columns, CF, 純資産, 利益の処分, 決算額, schedules, roll-forward, 他事業勘定)")
    _ledger_argument(ver)
    _year_argument(ver)
    _format_arguments(ver)
    ver.set_defaults(func=cmd_verify)

    close = commands.add_parser("close", help="seal a fiscal year: any later change to its entries fails bean-check")
    _ledger_argument(close)  # (--no-cache is accepted; close always digests a fresh load)
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
    synth.set_defaults(func=cmd_synth)

    serve = commands.add_parser("serve", help="start Fava on 127.0.0.1 (read-only unless --editable)")
    _ledger_argument(serve)
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

    imp = commands.add_parser("import", help="import journals (弥生, freee, マネーフォワード, 勘定奉行, generic CSV, published tables) with beangulp")
    imp.add_argument("--ledger", dest="ledger_file", type=Path, default=None,
                     help="the ledger imported into (businesses, segments plugin, mapping); default: the bundled books")
    imp.add_argument("--mapping", type=Path, default=None, help="the mapping file (default: import/mapping.csv beside the ledger)")
    imp_commands = imp.add_subparsers(dest="import_command", required=True)
    imp_identify = imp_commands.add_parser("identify", help="which importer reads each file")
    imp_identify.add_argument("files", nargs="+")
    imp_extract = imp_commands.add_parser("extract", help="extract entries; duplicates of EXISTING are marked; all or nothing")
    imp_extract.add_argument("files", nargs="+")
    imp_extract.add_argument("-e", "--existing", default=None, help="existing ledger: entries already in it are marked as duplicates")
    imp_extract.add_argument("-o", "--output", default=None, help="output file, written atomically (default: standard output)")
    imp_extract.add_argument("--keep-repeats", action="store_true",
                             help="import every copy of a 伝票 repeated identically in a file (default: once, and reported)")
    imp_archive = imp_commands.add_parser("archive", help="move the files under DESTINATION/ACCOUNT/DATE.NAME")
    imp_archive.add_argument("files", nargs="+")
    imp_archive.add_argument("-o", "--destination", type=Path, required=True)
    imp_archive.add_argument("-n", "--dry-run", action="store_true")
    imp_archive.add_argument("-f", "--overwrite", action="store_true")
    for sub in (imp_identify, imp_extract, imp_archive):  # also accepted after the subcommand
        sub.add_argument("--ledger", dest="ledger_file", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        sub.add_argument("--mapping", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    imp.set_defaults(func=cmd_import)

    exp = commands.add_parser("export", help="write the books in another tool's format")
    exp_formats = exp.add_subparsers(dest="export_format", required=True)
    exp_yayoi = exp_formats.add_parser("yayoi", help="弥生インポート形式 仕訳データ (cp932); says what the format cannot hold")
    _ledger_argument(exp_yayoi)
    _year_argument(exp_yayoi)
    exp_yayoi.add_argument("-o", "--output", type=Path, required=True)
    exp_yayoi.add_argument("--mapping", type=Path, default=None, help="the mapping file (default: import/mapping.csv beside the ledger)")
    exp_yayoi.set_defaults(func=cmd_export_yayoi)
    exp_mf = exp_formats.add_parser("mf", help="マネーフォワード クラウド会計 仕訳帳 CSV (UTF-8); says what the format cannot hold")
    _ledger_argument(exp_mf)
    _year_argument(exp_mf)
    exp_mf.add_argument("-o", "--output", type=Path, required=True)
    exp_mf.add_argument("--mapping", type=Path, default=None, help="the mapping file (default: import/mapping.csv beside the ledger)")
    exp_mf.add_argument("--encoding", choices=("utf-8", "shift_jis"), default="utf-8",
                        help="utf-8 (with a BOM, the default) or shift_jis (cp932)")
    exp_mf.set_defaults(func=cmd_export_mf)
    return parser


def main(argv: list[str] | None = None) -> int:
    from jlis_ledger.books import LedgerNotFoundError
    from jlis_ledger.render import OutputError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (UserError, LedgerNotFoundError, OutputError) as error:
        print(f"jlis-ledger {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
