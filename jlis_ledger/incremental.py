"""The incremental load: every included file's part of a load kept by its bytes, so that a re-check after an
edit parses and books again only the files that changed.

:func:`load` does what Beancount's ``loader._load`` does for one main file, step by step: it follows the
``include`` lines as ``loader._parse_recursive`` does (globs relative to the including file's folder,
options from the top file only and the other files' operating currencies, display contexts and
``insert_pythonpath`` aggregated, a file included twice or a cycle reported as Beancount reports it, an
include that matches nothing, a file that does not exist, an encrypted file decrypted and parsed as a
string), sorts the entries, books them, runs the plugins (``loader.run_transformations``, with the
ledger's ``pythonpath``), validates them and computes Beancount's input hash. The differences: the parse of
a file (``parser.parse_file``, a pure function of its bytes and its name) and the booking of its local
transactions come from a :class:`ParseStore` when the file's bytes (SHA-256) and the booking options are
those it was stored with, and the balance check is skipped where its verdict is known
(:mod:`jlis_ledger.incremental_booking` states the rule). A stored part is a pickle, unpickled afresh for
every load (booking and plugins never see the objects of an earlier load, which they may have changed);
what is stored as parsed is pickled before booking, what is booked before the plugins run, each in chunks
(:func:`jlis_ledger.core.stored.dumps_list`: read back, the entries are as compact in memory as parsed ones).

A stored part is one file per included file in ``parse/`` of the load cache directory
(:mod:`jlis_ledger.loading`), replaced when that file's bytes change; it is used only if its header
names the same file, the same bytes, the same versions of Python and Beancount and the payload's
digest holds, else the file is parsed and the stored part replaced (silently, like the load cache); beside
them, one ``.balanced`` file per ledger holds the digests of the plugin-made transactions that balanced.
Encrypted files are never stored. ``ParseStore(None)`` reads and writes nothing: the cold load
(``--no-cache``) is the same :func:`load` with every file parsed.

The property test ``tests/test_incremental_props.py`` pins :func:`load` to a fresh
``beancount.loader.load_file`` (entries with their metadata, errors, options) over random edits,
appends, new and removed included files, lots at cost and booking options.
"""

from __future__ import annotations

import glob
import hashlib
import io
import os
import pickle
import sys
from os import path
from pathlib import Path

from beancount import loader
from beancount.core import data
from beancount.parser import options, parser
from beancount.utils import encryption

from jlis_ledger import incremental_booking
from jlis_ledger.core import stored as store_file
from jlis_ledger.incremental_booking import FileWork

LoadResult = tuple[list, list, dict]

#: The layout of a stored parse; another is ignored.
FORMAT = 3

_MAGIC = b"jlis-ledger parse\n"


class ParseStore:
    """The stored parses of a ledger's files, in ``directory`` (created ``0700`` when first written).

    A stored file holds its parse errors and options as parsed, and its entries as items
    (:mod:`jlis_ledger.incremental_booking`: local transactions booked, the rest as parsed) with the verdicts of
    the balance check; it is used when the file's bytes are the stored ones and, for its items, the booking
    options too (else the file is parsed again). ``hits`` and ``misses`` count the files taken from the store
    and parsed since it was made.
    """

    def __init__(self, directory: str | os.PathLike | None) -> None:
        self.directory = Path(directory) if directory is not None else None  # None: nothing read or written
        self.hits = 0
        self.misses = 0
        self._balanced: frozenset[bytes] | None = None  # as read by the last read_balanced

    def _file(self, filename: str, suffix: str = ".pickle") -> Path:
        assert self.directory is not None
        return self.directory / (hashlib.sha256(filename.encode("utf-8", "surrogateescape")).hexdigest()[:32] + suffix)

    @staticmethod
    def _key(filename: str, digest: str, encoding: str | None) -> tuple:
        import beancount

        return (FORMAT, sys.version, beancount.__version__, filename, digest, encoding)

    def read(self, filename: str, encoding: str | None, booking_key: tuple | None) -> tuple[FileWork, list, dict, bytes]:
        """The file's part in a load, its parse errors and options, and the pickled ``(errors, options)``: from
        the store if the file's bytes (and the booking options, ``booking_key``; None for the top file, whose
        options are its own) are the stored ones, else parsed."""
        with open(filename, "rb") as file:
            raw = file.read()
        key = stored = None
        if self.directory is not None:
            key = self._key(filename, hashlib.sha256(raw).hexdigest(), encoding)
            stored = store_file.read(self._file(filename), _MAGIC, lambda header: header.get("key") == key, _is_record)
        if stored is not None:
            errors, options_map = pickle.loads(stored["file"])
            if stored["booking"] == (booking_key or incremental_booking.options_key(options_map)):
                self.hits += 1
                items: list = [None] * len(stored["verdicts"])
                for part in ("raw", "booked"):
                    for index, item in store_file.loads_list(stored[part]):
                        items[index] = item
                work = FileWork(filename, items=items, verdicts=stored["verdicts"])
                return work, errors, options_map, stored["file"]
        self.misses += 1
        buffer = io.BytesIO(raw)
        buffer.name = filename  # the name parse_file's own open() would give
        entries, errors, options_map = parser.parse_file(buffer, report_filename=filename, encoding=encoding)
        work = FileWork(filename, parsed=entries, key=key)
        return work, errors, options_map, store_file.dumps((errors, options_map))

    def write(self, work: FileWork, file_bytes: bytes, raw_bytes: bytes, booked_bytes: bytes, booking_key: tuple) -> None:
        """Store a parsed file's part: its ``(errors, options)``, its items (those as parsed, pickled before
        booking; the booked ones, after booking and before any plugin) and the verdicts of the balance check."""
        if self.directory is None:
            return
        record = {"file": file_bytes, "raw": raw_bytes, "booked": booked_bytes, "verdicts": work.verdicts,
                  "booking": booking_key}
        assert work.name is not None
        store_file.write(self._file(work.name), _MAGIC, {"key": work.key}, record)


    def read_balanced(self, filename: str, booking_key: tuple) -> frozenset[bytes]:
        """The digests of the transactions that balanced in the last load of the ledger ``filename``, under
        the same booking options (:func:`jlis_ledger.incremental_booking.content_digest`)."""
        if self.directory is None:
            return frozenset()
        key = ("balanced", *self._key(filename, "", None), booking_key)
        stored = store_file.read(self._file(filename, ".balanced"), _MAGIC, lambda header: header.get("key") == key,
                                 lambda payload: isinstance(payload, frozenset))
        self._balanced = stored or frozenset()
        return self._balanced

    def write_balanced(self, filename: str, booking_key: tuple, digests: set[bytes]) -> None:
        """Remember them for the next load (unless they are the ones read)."""
        if self.directory is not None and digests != self._balanced:
            key = ("balanced", *self._key(filename, "", None), booking_key)
            store_file.write(self._file(filename, ".balanced"), _MAGIC, {"key": key}, frozenset(digests))


def _is_record(payload: object) -> bool:
    return isinstance(payload, dict) and {"file", "raw", "booked", "verdicts", "booking"} <= payload.keys()


def walk(filename: str, store: ParseStore, encoding: str | None = None) -> tuple[list[FileWork], list, dict, list]:
    """``loader._parse_recursive([(filename, True)], None, encoding)`` file by file, each file's part from
    ``store``: the files' parts in Beancount's order, the parse errors, the options, and for every parsed
    file that can be stored its pickled ``(errors, options)``."""
    files: list[FileWork] = []
    to_store: list = []
    parse_errors: list = []
    options_map = None
    booking_key = None
    other_options_map = []
    source_stack: list[tuple[str | bytes, bool]] = [(filename, True)]
    filenames_seen: set[str] = set()
    while source_stack:
        source, is_file = source_stack.pop(0)
        is_top_level = options_map is None
        assert isinstance(source, str)  # only file names are stacked
        cwd = path.dirname(source)
        source_filename = source
        content: str | bytes = source
        if encryption.is_encrypted_file(source):
            content = encryption.read_encrypted_file(source)
            is_file = False
        if is_file:
            assert path.isabs(source)
            name = path.normpath(source)
            if name in filenames_seen:
                parse_errors.append(loader.LoadError(data.new_metadata("<load>", 0),
                                                     f'Duplicate filename parsed: "{name}"'))
                continue
            if not path.exists(name):
                parse_errors.append(loader.LoadError(data.new_metadata("<load>", 0), f'File "{name}" does not exist'))
                continue
            filenames_seen.add(name)
            work, src_errors, src_options_map, file_bytes = store.read(name, encoding, booking_key)
            if work.parsed is not None and store.directory is not None:
                to_store.append((work, file_bytes))
            cwd = path.dirname(name)
        else:
            if encoding:
                if isinstance(content, bytes):
                    content = content.decode(encoding)
                content = content.encode("ascii", "replace")
            src_entries, src_errors, src_options_map = parser.parse_string(content, source_filename)
            work = FileWork(None, parsed=src_entries)  # never stored
        files.append(work)
        parse_errors.extend(src_errors)
        if is_top_level:
            options_map = src_options_map
            booking_key = incremental_booking.options_key(options_map)
        else:
            other_options_map.append(src_options_map)
        include_expanded = []
        for include_filename in src_options_map["include"]:
            search_path = include_filename if os.path.isabs(include_filename) else os.path.join(cwd, include_filename)
            matched = glob.glob(search_path, recursive=True)
            if matched:
                include_expanded.extend(matched)
            else:
                parse_errors.append(loader.LoadError(data.new_metadata("<load>", 0),
                                                     f'File glob "{include_filename}" does not match any files'))
        for include_filename in include_expanded:
            if not path.isabs(include_filename):
                include_filename = path.join(cwd, include_filename)
            source_stack.append((path.normpath(include_filename), True))
    if options_map is None:
        options_map = options.OPTIONS_DEFAULTS.copy()
    options_map["include"] = sorted(filenames_seen)
    options_map = loader.aggregate_options_map(options_map, other_options_map)
    return files, parse_errors, options_map, to_store


def load(filename: str, store: ParseStore, encoding: str | None = None) -> LoadResult:
    """``loader._load([(filename, True)], None, None, encoding)``: the same entries, errors and options, with the
    parse and the local bookings of every unchanged file from ``store``; the parsed files are stored after."""
    files, parse_errors, options_map, to_store = walk(filename, store, encoding)
    booking_key = incremental_booking.options_key(options_map)  # before any plugin could change the options
    incremental_booking.prepare(files)
    # the entries stored as parsed are pickled before booking (which changes parsed postings' metadata in place),
    # the booked ones after it and before any plugin runs (plugins may change entries in place)
    raw = [store_file.dumps_list([(i, item) for i, item in enumerate(work.items or ()) if item[0] == incremental_booking.RAW])
           for work, _ in to_store]
    entries, balance_errors = incremental_booking.book(files, options_map)
    parse_errors.extend(balance_errors)
    if store.directory is None:  # nothing to store: the parsed entries and the verdicts are not kept
        for work in files:
            work.parsed, work.items, work.verdicts = None, [], None
    items = [(work, file_bytes, raw_bytes,
              store_file.dumps_list([(i, item) for i, item in enumerate(work.items or ()) if item[0] != incremental_booking.RAW]))
             for (work, file_bytes), raw_bytes in zip(to_store, raw, strict=True)]
    saved_pythonpath = list(sys.path)
    try:
        if "pythonpath" in options_map:
            sys.path[0:0] = options_map["pythonpath"]
        entries, errors = loader.run_transformations(entries, parse_errors, options_map, None)
    finally:
        sys.path[:] = saved_pythonpath
    checked, balanced = incremental_booking.validate(entries, options_map, files, store.read_balanced(filename, booking_key))
    errors.extend(checked)
    options_map["input_hash"] = loader.compute_input_hash(options_map["include"])
    for work, file_bytes, raw_bytes, booked_bytes in items:
        store.write(work, file_bytes, raw_bytes, booked_bytes, booking_key)
    store.write_balanced(filename, booking_key, balanced)
    return entries, errors, options_map


__all__ = ["ParseStore", "load", "walk"]
