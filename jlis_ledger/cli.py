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


def _write_atomically(path: Path, content: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(content, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def cmd_statements(args: argparse.Namespace) -> int:
    from jlis_ledger import statements
    from jlis_ledger.statements import render

    ids = list(statements.STATEMENT_IDS) if args.all else [args.statement]
    if args.format == "xlsx" and args.output is None:
        raise SystemExit("jlis-ledger statements: --format xlsx needs -o FILE")
    if args.format == "csv" and len(ids) > 1 and (args.output is None or not args.output.is_dir()):
        raise SystemExit("jlis-ledger statements: --all --format csv needs -o DIRECTORY (one <id>.csv per statement)")
    books = books_lib.load(args.ledger, cache=not args.no_cache)
    for error in books.errors:
        print(format_error(error), file=sys.stderr)
    year = args.year if args.year is not None else _last_year(books)
    try:
        tables = statements.build_all(books, books.fiscal_year(year), ids)
    except (statements.StatementError, ValueError) as error:
        print(f"jlis-ledger statements: {error}", file=sys.stderr)
        return 1
    if args.format == "xlsx":
        from jlis_ledger.statements import xlsx

        xlsx.write(list(tables.values()), args.output)
        return 0
    if args.format == "csv" and len(ids) > 1:
        for i, table in tables.items():
            _write_atomically(args.output / f"{i}.csv", render.csv_text(table))
        return 0
    if args.format == "json":
        out = render.json_text(tables if args.all else tables[ids[0]])
    elif args.format == "csv":
        out = render.csv_text(tables[ids[0]])
    else:
        out = "\n".join(render.text(t, unit=args.unit, negative=args.negative) for t in tables.values())
    if args.output is None:
        sys.stdout.write(out)
    else:
        _write_atomically(args.output, out)
    return 0


def cmd_reconcile(args: argparse.Namespace) -> int:
    from jlis_ledger.statements import reconcile

    books = books_lib.load(args.ledger, cache=not args.no_cache)
    published = args.published or books_lib.BUNDLED_LEDGER.parent / "published" / "r4-kessan.json"
    reference = reconcile.load_reference(published)
    differences = reconcile.reconcile(books, reference, args.year)
    for difference in differences:
        print(difference)
    figures = sum(len(r.get("values") or []) for t in reference.values() for r in t["rows"])
    print(f"{len(reference)} statements, {figures} published figures: {len(differences)} difference(s)",
          file=sys.stderr if differences else sys.stdout)
    return 1 if differences else 0




def cmd_allocations(args: argparse.Namespace) -> int:
    from jlis_ledger import allocations

    books = books_lib.load(args.ledger, cache=not args.no_cache)
    year = args.year if args.year is not None else _last_year(books)
    print(allocations.render(allocations.report(books, books.fiscal_year(year)), fmt=args.format), end="")
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from jlis_ledger import synth

    synth.write_ledger(
        args.output,
        transactions=args.transactions,
        businesses=args.businesses,
        cross_share=args.cross_share,
        internal_share=args.internal_share,
        pool_share=args.pool_share,
        seed=args.seed,
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from jlis_ledger import serve

    return serve.run(args.ledger or books_lib.BUNDLED_LEDGER, port=args.port, editable=args.editable, cache=not args.no_cache)


def _statement_ids() -> tuple[str, ...]:
    from jlis_ledger.statements import STATEMENT_IDS

    return STATEMENT_IDS


def _importers(args: argparse.Namespace):
    """The importers of the ledger named by --ledger (default: the bundled books), or an InputError."""
    import importers

    ledger = args.ledger_file or books_lib.BUNDLED_LEDGER
    return importers.importers_for(ledger, args.mapping, keep_repeats=getattr(args, "keep_repeats", False))


def cmd_import(args: argparse.Namespace) -> int:
    from importers import ingest
    from importers.errors import InputError

    try:
        importer_list = _importers(args)
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.import_command == "identify":
        return ingest.run_identify(importer_list, args.files)
    if args.import_command == "extract":
        return ingest.run_extract(importer_list, args.files, existing=args.existing, output=args.output)
    return ingest.run_archive(importer_list, args.files, str(args.destination), dry_run=args.dry_run, overwrite=args.overwrite)


def cmd_export_yayoi(args: argparse.Namespace) -> int:
    from importers import yayoi_export

    return _export(args, lambda entries, mapping, fy, currency: yayoi_export.export(entries, mapping, fy.start, fy.end, currency), "弥生")


def cmd_export_mf(args: argparse.Namespace) -> int:
    from importers import mf_export

    encoding = "cp932" if args.encoding == "shift_jis" else "utf-8"
    return _export(args, lambda entries, mapping, fy, currency: mf_export.export(entries, mapping, fy.start, fy.end, currency, encoding),
                   "マネーフォワード")


def _export(args: argparse.Namespace, write, product: str) -> int:
    """Load the books, map them, write the year in another tool's format atomically, list what it cannot hold."""
    import importers
    from importers import ingest
    from importers import mapping as mapping_lib
    from importers.errors import InputError

    books = books_lib.load(args.ledger, cache=not args.no_cache)
    if books.errors:
        for error in books.errors:
            print(format_error(error), file=sys.stderr)
        print(f"{len(books.errors)} error(s) in the ledger: nothing exported", file=sys.stderr)
        return 1
    mapping_path = args.mapping or books.path.parent / importers.MAPPING_FILE
    try:
        mapping = mapping_lib.load(mapping_path, books.businesses)
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    year = args.year if args.year is not None else _last_year(books)
    fy = books.fiscal_year(year)
    try:
        result = write(books.entries, mapping, fy, books.currency)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    try:
        ingest.write_atomically_bytes(args.output, result.encoded())
    except FileNotFoundError as exc:
        print(f"{args.output}: cannot write the output: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"{args.output}: {result.vouchers} 伝票, {result.rows} lines ({fy.japanese} {fy.start} – {fy.end})", file=sys.stderr)
    for note in result.notes:
        print(f"not in the {product} file: {note}", file=sys.stderr)
    return 0


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

    st = commands.add_parser("statements", help="regenerate the published statements (text, csv, json or xlsx)")
    _ledger_argument(st)
    which = st.add_mutually_exclusive_group(required=True)
    which.add_argument("--statement", choices=_statement_ids(), help="one statement")
    which.add_argument("--all", action="store_true", help="every statement")
    _year_argument(st)
    st.add_argument("--format", choices=("text", "csv", "json", "xlsx"), default="text")
    st.add_argument("--unit", choices=("円", "千円", "百万円", "億円"), default="円", help="text: the unit (rounded half up as published)")
    st.add_argument("--negative", choices=("-", "△", "▲"), default="-", help="text: the mark of a negative amount")
    st.add_argument("-o", "--output", type=Path, default=None, help="the file to write (a directory for --all --format csv)")
    st.set_defaults(func=cmd_statements)

    rec = commands.add_parser("reconcile", help="compare every regenerated figure with published reference data")
    _ledger_argument(rec)
    rec.add_argument("--published", type=Path, default=None,
                     help="reference data JSON (default: the bundled ledger/published/r4-kessan.json)")
    rec.add_argument("--year", type=int, default=None, help="fiscal year (default: the one each reference table names)")
    rec.set_defaults(func=cmd_reconcile)


    alloc = commands.add_parser("allocations", help="each allocation key (配賦基準): its weights over time and what it allocated per business and item")
    _ledger_argument(alloc)
    _year_argument(alloc)
    alloc.add_argument("--format", choices=("text", "csv", "json"), default="text")
    alloc.set_defaults(func=cmd_allocations)

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
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
