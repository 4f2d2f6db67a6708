"""The incremental load: every included file's parse kept by its bytes, so that a re-check after an edit
re-parses only the files that changed.

:func:`load` does what Beancount's ``loader._load`` does for one main file, step by step: it follows the
``include`` lines as ``loader._parse_recursive`` does (globs relative to the including file's folder,
options from the top file only and the other files' operating currencies, display contexts and
``insert_pythonpath`` aggregated, a file included twice or a cycle reported as Beancount reports it, an
include that matches nothing, a file that does not exist, an encrypted file decrypted and parsed as a
string), sorts the entries, books them, runs the plugins (``loader.run_transformations``, with the
ledger's ``pythonpath``), validates them and computes Beancount's input hash. The one difference: the
parse of a file (``parser.parse_file``, a pure function of its bytes and its name) comes from a
:class:`ParseStore` when the file's bytes (SHA-256) are those it was stored with. The stored parse is a
pickle, unpickled afresh for every load (booking and plugins never see the objects of an earlier load,
which they may have changed).

A stored parse is one file per included file in ``parse/`` of the load cache directory
(:mod:`jlis_ledger.loading`), replaced when that file's bytes change; it is used only if its header
names the same file, the same bytes, the same versions of Python and Beancount and the payload's
digest holds, else the file is parsed and the stored parse replaced (silently, like the load cache).
Encrypted files are never stored.

The property test ``tests/test_incremental_props.py`` pins :func:`load` to a fresh
``beancount.loader.load_file`` (entries with their metadata, errors, options) over random edits,
appends, new and removed included files.
"""

from __future__ import annotations

import glob
import hashlib
import io
import os
import sys
from os import path
from pathlib import Path

from beancount import loader
from beancount.core import data
from beancount.ops import validation
from beancount.parser import booking, options, parser
from beancount.utils import encryption

from jlis_ledger.core import stored as store_file

LoadResult = tuple[list, list, dict]

#: The layout of a stored parse; another is ignored.
FORMAT = 1

_MAGIC = b"jlis-ledger parse\n"


class ParseStore:
    """The stored parses of a ledger's files, in ``directory`` (created ``0700`` when first written).

    ``hits`` and ``misses`` count the files taken from the store and parsed since it was made.
    """

    def __init__(self, directory: str | os.PathLike) -> None:
        self.directory = Path(directory)
        self.hits = 0
        self.misses = 0

    def _file(self, filename: str) -> Path:
        return self.directory / (hashlib.sha256(filename.encode("utf-8", "surrogateescape")).hexdigest()[:32] + ".pickle")

    @staticmethod
    def _key(filename: str, digest: str, encoding: str | None) -> tuple:
        import beancount

        return (FORMAT, sys.version, beancount.__version__, filename, digest, encoding)

    def parse(self, filename: str, encoding: str | None) -> LoadResult:
        """``parser.parse_file(filename, encoding=encoding)``, from the store if the file's bytes are the stored ones."""
        with open(filename, "rb") as file:
            raw = file.read()
        key = self._key(filename, hashlib.sha256(raw).hexdigest(), encoding)
        target = self._file(filename)
        stored = store_file.read(target, _MAGIC, lambda header: header.get("key") == key)
        if stored is not None:
            self.hits += 1
            return stored
        self.misses += 1
        buffer = io.BytesIO(raw)
        buffer.name = filename  # the name parse_file's own open() would give
        result = parser.parse_file(buffer, report_filename=filename, encoding=encoding)
        store_file.write(target, _MAGIC, {"key": key}, result)
        return result


def parse_recursive(filename: str, store: ParseStore, encoding: str | None = None) -> LoadResult:
    """``loader._parse_recursive([(filename, True)], None, encoding)`` with each file's parse from ``store``."""
    entries: list = []
    parse_errors: list = []
    options_map = None
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
            src_entries, src_errors, src_options_map = store.parse(name, encoding)
            cwd = path.dirname(name)
        else:
            if encoding:
                if isinstance(content, bytes):
                    content = content.decode(encoding)
                content = content.encode("ascii", "replace")
            src_entries, src_errors, src_options_map = parser.parse_string(content, source_filename)
        entries.extend(src_entries)
        parse_errors.extend(src_errors)
        if is_top_level:
            options_map = src_options_map
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
    return entries, parse_errors, options_map


def load(filename: str, store: ParseStore, encoding: str | None = None) -> LoadResult:
    """``loader._load([(filename, True)], None, None, encoding)``: the same entries, errors and options, with the
    parse of every unchanged file from ``store``."""
    entries, parse_errors, options_map = parse_recursive(filename, store, encoding)
    entries.sort(key=data.entry_sortkey)
    entries, balance_errors = booking.book(entries, options_map)
    parse_errors.extend(balance_errors)
    saved_pythonpath = list(sys.path)
    try:
        if "pythonpath" in options_map:
            sys.path[0:0] = options_map["pythonpath"]
        entries, errors = loader.run_transformations(entries, parse_errors, options_map, None)
    finally:
        sys.path[:] = saved_pythonpath
    errors.extend(validation.validate(entries, options_map, None, None))
    options_map["input_hash"] = loader.compute_input_hash(options_map["include"])
    return entries, errors, options_map


__all__ = ["ParseStore", "load", "parse_recursive"]
