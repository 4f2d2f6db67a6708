"""The errors of a load, each one line at the place that caused it: what :mod:`jlis_ledger.loading` returns.

Beancount reports some faults of a ledger without a place, with a traceback, or many times over;
:func:`refine` turns each into one error at its line, so that ``jlis-ledger check``, the other
commands and Fava's error page say where to look:

- a file that is not UTF-8 (Beancount reads UTF-8): one error naming the file, the first byte
  that cannot be read (its line) and the encoding it reads as (Shift_JIS (cp932), UTF-16), instead
  of an "Invalid token" per line and the consequences of the lost directives (which are dropped:
  they go away with the encoding);
- an ``include`` that matches no file, or a file included twice: at the ``include`` line;
- a plugin that cannot be imported or that raised: at its ``plugin`` line, the exception's last
  line instead of the traceback;
- a posting that Beancount's booking could not complete (``HOOL {{100 JPY}}`` without units):
  Beancount's own validation then crashes (``inventory.is_small`` on a missing number);
  :func:`after_crash` gives the booking's error at the posting's line instead (one per
  transaction: the reason, not also "Transaction has incomplete elements"), with no entries.

Nothing else is changed: every other error is Beancount's or a plugin's, as it reported it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data
from beancount.parser import booking

from jlis_ledger.core.errors import LedgerError, plugin_meta

LoadResult = tuple[list, list, dict]

_GLOB = re.compile(r'^File glob "(.*)" does not match any files$')
_DUPLICATE = re.compile(r'^Duplicate filename parsed: "(.*)"$')
_PLUGIN = re.compile(r'^Error (importing|applying plugin) "([^"]+)": (.*)$', re.DOTALL)
_DECODING = ("UnicodeDecodeError", "Invalid token")
_GUESSES = (("cp932", "CP932", "Shift_JIS (cp932)"), ("euc_jp", "EUC-JP", "EUC-JP"))


class LoadFileError(LedgerError):
    """A fault of the ledger's files that Beancount reports without its place (or with a traceback)."""

    __slots__ = ()


def refine(result: LoadResult) -> LoadResult:
    """The load result with the errors above made one line each, at their place."""
    entries, errors, options_map = result
    if not errors:
        return result
    files = [name for name in options_map.get("include") or [] if isinstance(name, str)]
    undecodable = _undecodable(errors, files)
    if undecodable:
        return entries, undecodable, options_map
    refined = [_located(error, files, options_map) for error in errors]
    return entries, refined, options_map


def after_crash(filename: str, crash: BaseException) -> LoadResult:
    """The booking errors of the ledger, when Beancount's load crashed after booking (its validation on an entry
    booking left incomplete); re-raises ``crash`` when booking found nothing (not a fault of the ledger)."""
    entries, parse_errors, options_map = loader._parse_recursive([(filename, True)], None, None)  # noqa: SLF001
    entries.sort(key=data.entry_sortkey)
    _, booking_errors = booking.book(entries, options_map)
    if not booking_errors:
        raise crash
    return [], refine(([], [*parse_errors, *_one_per_transaction(booking_errors)], options_map))[1], options_map


def _one_per_transaction(errors: list) -> list:
    """Booking's errors less the "incomplete elements" of a transaction whose posting has its own error."""
    located = {(e.source.get("filename"), e.source.get("lineno")) for e in errors if getattr(e, "source", None)}
    out = []
    for error in errors:
        entry = getattr(error, "entry", None)
        if isinstance(entry, data.Transaction) and any(
                (p.meta or {}).get("filename") is not None and ((p.meta or {}).get("filename"), (p.meta or {}).get("lineno")) in located
                for p in entry.postings):
            continue  # the posting's own error says why
        out.append(error)
    return out


def _undecodable(errors: list, files: list[str]) -> list:
    """One error per parsed file that is not UTF-8, when the parse stumbled on one (else [])."""
    suspects = {str(getattr(e, "source", {}).get("filename")) for e in errors
                if isinstance(getattr(e, "message", None), str) and e.message.startswith(_DECODING)}
    out = []
    for name in files:
        if name not in suspects:
            continue
        try:
            raw = Path(name).read_bytes()
        except OSError:
            continue
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            guess = _guess(raw)
            how = f"e.g. iconv -f {guess[0]} -t UTF-8" if guess else "to UTF-8"
            reads = f"; it reads as {guess[1]}" if guess else ""
            out.append(LoadFileError(data.new_metadata(name, line),
                                     f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} cannot be read){reads}: "
                                     f"Beancount reads UTF-8; convert the file, {how}", None))
    return out


def _guess(raw: bytes) -> tuple[str, str] | None:
    """(iconv's name, the name said) of the encoding the file reads as, or None."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16", "UTF-16"
    for codec, iconv, name in _GUESSES:
        try:
            raw.decode(codec)
        except UnicodeDecodeError:
            continue
        return iconv, name
    return None


def _located(error: Any, files: list[str], options_map: dict) -> Any:
    source = getattr(error, "source", None) or {}
    message = getattr(error, "message", None)
    if source.get("filename") != "<load>" or not isinstance(message, str):
        return error
    if (m := _GLOB.match(message)) is not None:
        missing = m.group(1)
        where = _include_line(files, lambda pattern, _base: pattern == missing)
        if where is not None:
            return LoadFileError(where, f'include "{missing}": no file matches it', None)
    elif (m := _DUPLICATE.match(message)) is not None:
        twice = os.path.normpath(m.group(1))
        where = _include_line(files, lambda pattern, base: os.path.normpath(os.path.join(base, pattern)) == twice)
        if where is not None:
            return LoadFileError(where, f"{twice} is included twice (or includes itself): it is read once", None)
    elif (m := _PLUGIN.match(message)) is not None:
        kind, module, trace = m.groups()
        last = next((line.strip() for line in reversed(trace.strip().splitlines()) if line.strip()), trace.strip())
        what = "cannot be imported" if kind == "importing" else "failed (a bug in the plugin: please report it)"
        return LoadFileError(plugin_meta(options_map, module), f'plugin "{module}" {what}: {last}', None)
    return error


_INCLUDE = re.compile(r'^[ \t]*include[ \t]+"((?:[^"\\]|\\.)*)"', re.MULTILINE)


def _include_line(files: list[str], matches: Callable[[str, str], bool]) -> data.Meta | None:
    """Where an ``include`` line whose pattern ``matches`` is (the first of the parsed files that has one)."""
    for name in files:
        try:
            text = Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        base = os.path.dirname(name)
        for m in _INCLUDE.finditer(text):
            pattern = m.group(1)
            if matches(pattern, base):
                return data.new_metadata(name, text.count("\n", 0, m.start()) + 1)
    return None


__all__ = ["LoadFileError", "after_crash", "refine"]
