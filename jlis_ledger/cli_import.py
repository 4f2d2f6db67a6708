"""``jlis-ledger import`` and ``jlis-ledger export``: journals from and to the tools accountants already use.

Argument parsing only (the importers in :mod:`jlis_ledger.importers`, the postings in
:mod:`jlis_ledger.postings`); a bad input file is one line ``file:row: message`` and nothing is
written, an output that cannot be written is one :class:`~jlis_ledger.render.OutputError` line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jlis_ledger.cli_common import UserError, fiscal_year, ledger_argument, load, refuse_errors, year_argument


def _importers(args: argparse.Namespace):
    """The importers of the ledger named by --ledger (default: the bundled books), or an InputError."""
    from jlis_ledger import importers
    from jlis_ledger.books import BUNDLED_LEDGER, ledger_file

    ledger = ledger_file(args.ledger_file) if args.ledger_file is not None else BUNDLED_LEDGER
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


def cmd_export_postings(args: argparse.Namespace) -> int:
    """One row per posting after the plugins, as Parquet or CSV (jlis_ledger.postings)."""
    from jlis_ledger import postings

    if args.format == "parquet" and args.output is None:
        raise UserError("--format parquet needs -o FILE")
    books = load(args)
    refuse_errors(books, "exported")
    fy = fiscal_year(books, args.year) if args.year is not None else None
    try:
        rows = postings.export(books, args.format, args.output, fy.start if fy else None, fy.end_exclusive if fy else None)
    except postings.ExportError as error:
        raise UserError(str(error)) from None
    if args.output is not None:
        print(f"{args.output}: {rows} postings" + (f" ({fy.japanese} {fy.start} – {fy.end})" if fy else ""), file=sys.stderr)
    return 0


def _export(args: argparse.Namespace, write, product: str) -> int:
    """Load the books, map them, write the year in another tool's format atomically, list what it cannot hold."""
    from jlis_ledger import importers, render
    from jlis_ledger.importers import mapping as mapping_lib
    from jlis_ledger.importers.errors import InputError

    books = load(args)
    refuse_errors(books, "exported")
    mapping_path = args.mapping or books.path.parent / importers.MAPPING_FILE
    try:
        mapping = mapping_lib.load(mapping_path, books.businesses)
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    fy = fiscal_year(books, args.year)
    try:
        result = write(books.entries, mapping, fy, books.currency)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    render.write(args.output, result.encoded())
    print(f"{args.output}: {result.vouchers} 伝票, {result.rows} lines ({fy.japanese} {fy.start} – {fy.end})", file=sys.stderr)
    for note in result.notes:
        print(f"not in the {product} file: {note}", file=sys.stderr)
    return 0


def add_parsers(commands) -> None:
    """The ``import`` and ``export`` commands, on the subparsers ``commands`` of ``jlis-ledger``."""
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
    ledger_argument(exp_yayoi)
    year_argument(exp_yayoi)
    exp_yayoi.add_argument("-o", "--output", type=Path, required=True)
    exp_yayoi.add_argument("--mapping", type=Path, default=None, help="the mapping file (default: import/mapping.csv beside the ledger)")
    exp_yayoi.set_defaults(func=cmd_export_yayoi)
    exp_mf = exp_formats.add_parser("mf", help="マネーフォワード クラウド会計 仕訳帳 CSV (UTF-8); says what the format cannot hold")
    ledger_argument(exp_mf)
    year_argument(exp_mf)
    exp_mf.add_argument("-o", "--output", type=Path, required=True)
    exp_mf.add_argument("--mapping", type=Path, default=None, help="the mapping file (default: import/mapping.csv beside the ledger)")
    exp_mf.add_argument("--encoding", choices=("utf-8", "shift_jis"), default="utf-8",
                        help="utf-8 (with a BOM, the default) or shift_jis (cp932)")
    exp_mf.set_defaults(func=cmd_export_mf)
    exp_postings = exp_formats.add_parser("postings", help="one row per posting after the plugins, for DuckDB, Polars or Spark "
                                          "(parquet needs jlis-ledger[analytics])")
    ledger_argument(exp_postings)
    exp_postings.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    exp_postings.add_argument("-o", "--output", type=Path, default=None, help="the file to write (csv: default standard output)")
    exp_postings.add_argument("--year", type=int, default=None, help="only this fiscal year (2022 = 令和4年度); default: every posting")
    exp_postings.set_defaults(func=cmd_export_postings)


__all__ = ["add_parsers", "cmd_export_mf", "cmd_export_postings", "cmd_export_yayoi", "cmd_import"]
