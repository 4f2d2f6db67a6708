"""identify / extract / archive with beangulp's semantics, safe: all or nothing.

Thin wrappers around beangulp's own functions (``identify.identify``,
``extract.extract_from_file``, ``extract.sort_extracted_entries``,
``extract.print_extracted_entries``, ``archive.filepath``/``move``), with
four differences from ``beangulp.Ingest``'s commands:

- a file that no importer identifies, or any bad line, is an error: one
  message ``file:row: message`` on stderr, exit status 1, and **nothing is
  written** (beangulp skips unidentified files and still writes the output);
- the output file is written atomically (a temporary file in the same
  directory, then ``os.replace``), so a reader never sees half a file;
- nothing new is written into a sealed fiscal year of the ledger (``custom "fiscal-seal"``): an entry
  dated in one, that is not a duplicate of an entry already there, is an error (``refuse_sealed``);
- deduplication is exact, by the stable id that every importer here puts in
  ``import_id:`` (balance assertions: same date, account and amount), rather
  than by beangulp's similarity heuristic, which is slow on large files and can
  take two distinct 伝票 of the same amount for one another; the heuristic is
  used only against existing transactions that have no id (typed by hand, or
  from another source), as beangulp does by default.  Duplicates are marked
  with beangulp's ``__duplicate__`` and printed commented out, as beangulp does;
  the entries of earlier files of the same run count as existing.

What an importer reports without failing (a 伝票 repeated identically in a
file, imported once) is printed on stderr after a successful extract, one
``file:row: …`` line each; a failed run prints only its one error.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import io
import os
import shutil
import sys
from pathlib import Path

from beancount.core import data
from beangulp import archive as archive_lib
from beangulp import extract as extract_lib
from beangulp import identify as identify_lib
from beangulp import similar
from beangulp.exceptions import Error as BeangulpError

from jlis_ledger.render.files import OutputError, write

from .errors import InputError
from .journal import ID_KEY, typed_view


def _key(entry):
    if isinstance(entry, data.Transaction):
        value = entry.meta.get(ID_KEY)
        return ("id", value) if value else None
    if isinstance(entry, data.Balance):
        return ("balance", entry.date, entry.account, entry.amount)
    return None


#: beangulp's default comparison, for existing transactions that have no stable id (typed by hand).
_SIMILAR = similar.heuristic_comparator()
_WINDOW = datetime.timedelta(days=2)


def mark_duplicates(entries: data.Entries, existing: data.Entries) -> None:
    """Mark the entries already in ``existing``: by stable id (balance assertions: date, account and amount);
    an existing transaction without ``import_id`` (typed by hand) is compared as beangulp does by default
    (similar postings within two days)."""
    index: dict[tuple, data.Directive] = {}
    unidentified = []
    for entry in existing:
        key = _key(entry)
        if key is not None:
            index.setdefault(key, entry)
        elif isinstance(entry, data.Transaction):
            unidentified.append(typed_view(entry))  # as typed: a split pool posting is compared whole
    rest = []
    for entry in entries:
        key = _key(entry)
        if key is not None and key in index:
            entry.meta[extract_lib.DUPLICATE] = index[key]
        elif isinstance(entry, data.Transaction):
            rest.append(entry)
    if rest and unidentified:
        extract_lib.mark_duplicate_entries(rest, unidentified, _WINDOW, _SIMILAR)


def identify_one(importers, filename: str):
    """The importer of a file; InputError if none or several identify it."""
    try:
        importer = identify_lib.identify(importers, filename)
    except BeangulpError as exc:
        raise InputError(filename, 0, f"{exc.args[0]} ({', '.join(a.strip() for a in exc.args[1:])})") from None
    if importer is None:
        names = ", ".join(i.name for i in importers)
        raise InputError(filename, 0, f"no importer identifies this file (tried {names})")
    return importer


def notices(extracted) -> list[str]:
    """What the importers reported on the extracted files without failing (repeated 伝票), in file order."""
    return [note for filename, _, _, importer in extracted for note in getattr(importer, "notices", {}).get(filename, [])]


def extract(importers, files: list[str], existing: data.Entries) -> list:
    """beangulp's extracted list ``[(filename, entries, account, importer)]``, sorted and deduplicated."""
    extracted = []
    for filename in files:
        importer = identify_one(importers, filename)
        entries = extract_lib.extract_from_file(importer, filename, existing)
        extracted.append((filename, entries, importer.account(filename), importer))
    extract_lib.sort_extracted_entries(extracted)
    existing = list(existing)
    for _filename, entries, _account, importer in extracted:
        importer.deduplicate(entries, existing)
        existing.extend(entries)
    for _filename, entries, _account, importer in extracted:
        refuse_sealed(entries, getattr(importer, "ledger", None))
    return extracted


def refuse_sealed(entries: data.Entries, ledger) -> None:
    """An :class:`InputError` at the first new entry (not a duplicate of one already in the books) dated in a
    sealed fiscal year of the ledger imported into (:attr:`journal.LedgerInfo.sealed`): nothing is written."""
    if ledger is None or not getattr(ledger, "sealed", None):
        return
    for entry in entries:
        if extract_lib.DUPLICATE in entry.meta:
            continue
        what = f'"{entry.narration}"' if isinstance(entry, data.Transaction) else f"the balance of {getattr(entry, 'account', '')}"
        ledger.refuse_sealed(entry.meta.get("filename", "<import>"), entry.meta.get("lineno", 0), entry.date, what,
                             balance=isinstance(entry, data.Balance))


def render(extracted) -> str:
    buffer = io.StringIO()
    extract_lib.print_extracted_entries(extracted, buffer)
    return buffer.getvalue()


def load_existing(path: str | None) -> data.Entries:
    if not path:
        return []
    if not Path(path).is_file():
        raise InputError(path, 0, "the existing ledger (-e) does not exist")
    from jlis_ledger.loading import load_ledger  # the library's one loader (collector tuning, safe cache)

    entries, _errors, _options = load_ledger(str(path))
    return entries


def run_extract(importers, files: list[str], existing: str | None = None, output: str | None = None, stderr=None) -> int:
    """``extract FILE... [-e EXISTING] [-o OUTPUT]``: 0, or 1 with one message and nothing written."""
    stderr = stderr or sys.stderr
    # the entries only grow until they are printed: the cyclic garbage collector would scan them again and again
    enabled = gc.isenabled()
    gc.disable()
    try:
        extracted = extract(importers, [str(f) for f in files], load_existing(existing))
        new = sum(1 for _, entries, _, _ in extracted for e in entries if extract_lib.DUPLICATE not in e.meta)
        duplicates = sum(1 for _, entries, _, _ in extracted for e in entries) - new
        text = render(extracted)  # (beangulp's printer drops the duplicate marks)
        reported = notices(extracted)
    except InputError as exc:
        print(str(exc), file=stderr)
        return 1
    finally:
        if enabled:
            gc.enable()
    if output and output != "-":
        try:
            write(output, text)  # atomically: all or nothing
        except OutputError as exc:
            print(str(exc), file=stderr)
            return 1
    else:
        sys.stdout.write(text)
    for note in reported:
        print(note, file=stderr)
    print(f"{new} new entr{'y' if new == 1 else 'ies'}, {duplicates} duplicate(s) of existing entries", file=stderr)
    return 0


def run_identify(importers, files: list[str], stderr=None) -> int:
    stderr = stderr or sys.stderr
    status = 0
    for filename in files:
        try:
            importer = identify_one(importers, str(filename))
        except InputError as exc:
            print(str(exc), file=stderr)
            status = 1
            continue
        print(f"{filename}: {importer.name} ({importer.account(str(filename))})")
    return status


def run_archive(importers, files: list[str], destination: str, dry_run: bool = False, overwrite: bool = False,
                stderr=None) -> int:
    """Move each identified file under ``destination/ACCOUNT/DATE.NAME`` (beangulp's layout); all or nothing."""
    stderr = stderr or sys.stderr
    renames: list[tuple[str, str]] = []
    try:
        for filename in files:
            filename = str(filename)
            importer = identify_one(importers, filename)
            try:
                target = os.path.join(destination, archive_lib.filepath(importer, filename))
            except BeangulpError as exc:
                raise InputError(filename, 0, str(exc.args[0])) from None
            if any(dst == target for _, dst in renames):
                raise InputError(filename, 0, f"another file goes to the same place {target}")
            if not overwrite and os.path.exists(target):
                raise InputError(filename, 0, f"{target} already exists (use --overwrite)")
            renames.append((filename, target))
    except InputError as exc:
        print(str(exc), file=stderr)
        return 1
    if not dry_run:
        problem = _unwritable(destination) or _folders(renames)
        if problem is not None:
            print(f"{problem}: nothing is moved", file=stderr)
            return 1
    if dry_run:
        print(f"would move {len(renames)} file(s) under {destination} (--dry-run: nothing is moved):", file=stderr)
    else:
        print(f"moving {len(renames)} file(s) under {destination}: they leave their folders "
              "(--dry-run lists the moves without making them):", file=stderr)
    moved: list[tuple[str, str]] = []
    for src, dst in renames:
        print(f"{src} -> {dst}")
        if dry_run:
            continue
        try:
            archive_lib.move(src, dst)
        except OSError as exc:
            for back_src, back_dst in reversed(moved):  # all or nothing: the files moved so far go back
                with contextlib.suppress(OSError):
                    shutil.move(back_dst, back_src)
            print(f"{src}: cannot move it to {dst}: {exc.strerror or exc}: nothing is moved", file=stderr)
            return 1
        moved.append((src, dst))
    return 0


def _unwritable(destination: str) -> str | None:
    """Why files cannot be moved under ``destination`` (None: they can, as far as can be told before moving)."""
    path = Path(destination)
    if path.exists() and not path.is_dir():
        return f"{destination}: is a file, not a directory"
    existing = next((p for p in (path, *path.parents) if p.exists()), None)
    if existing is None:
        return None
    if not existing.is_dir():
        return f"{destination}: {existing} is a file, not a directory"
    if not os.access(existing, os.W_OK):
        return f"{destination}: {existing} is not writable"
    return None


def _folders(renames: list[tuple[str, str]]) -> str | None:
    """Create the folders the moves go to; on failure, remove those created and say why (None: all are there)."""
    created: list[str] = []
    for _, target in renames:
        folder = os.path.dirname(target)
        missing = []
        probe = folder
        while probe and not os.path.exists(probe):
            missing.append(probe)
            probe = os.path.dirname(probe)
        try:
            for name in reversed(missing):
                os.mkdir(name)
                created.append(name)
        except OSError as exc:
            for name in reversed(created):
                with contextlib.suppress(OSError):
                    os.rmdir(name)
            return f"{folder}: cannot create the folder: {exc.strerror or exc}"
    return None
