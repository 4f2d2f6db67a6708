"""A pickled load result stored on disk so that it can only be read back intact: one file format for the load
cache (:mod:`jlis_ledger.loading`) and the stored parses (:mod:`jlis_ledger.incremental`).

A file is ``MAGIC``, the length of a pickled header (8 bytes, little-endian), the header (a dict with the
payload's SHA-256 under ``"digest"``) and the payload, a pickle (:func:`dumps`; a load result is
``(entries pickled in chunks, errors, options_map)``, :func:`write_result`, :func:`read_result`). It is written
to a temporary file beside its target and renamed over it (:func:`os.replace`); reading gives None for a
missing, truncated, corrupted or foreign file, or one whose header the caller does not accept. Neither ever
raises: a store that cannot be used means a fresh load, silently.

A long list of entries is pickled in chunks (:func:`dumps_list`, :func:`loads_list`). Unpickling keeps every
object it memoised alive until the end of its pickle, and Python's pickler memoises the argument tuple of every
named tuple and the string of every number it writes; freed together at the end, they leave holes among the
objects read, which the next file's objects fill, so entries read back from one big pickle per file lie
scattered in memory and every later pass over them (sorting, the plugins, validation) runs up to twice as slow as
over parsed entries. Pickled in chunks of a few hundred objects, the holes of one chunk are filled by the next,
and the entries are as compact as parsed ones (measured in BENCHMARKS.md, issue 18, fourth step).
"""

from __future__ import annotations

import contextlib
import copyreg
import hashlib
import io
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from beancount.core import amount, data, position

LoadResult = tuple[list, list, dict]

_NAMED_TUPLES = (
    data.Open, data.Close, data.Commodity, data.Pad, data.Balance, data.Transaction, data.Note, data.Event,
    data.Query, data.Price, data.Document, data.Custom, data.Posting, data.TxnPosting,
    amount.Amount, position.Cost, position.CostSpec, position.Position,
)


def _as_tuple(value: tuple) -> tuple:
    return tuple.__new__, (type(value), tuple(value))


_REBUILT = dict.fromkeys(_NAMED_TUPLES, _as_tuple)


def dumps(value: object) -> bytes:
    """``pickle.dumps(value)`` (highest protocol), Beancount's named tuples rebuilt in one call each when read."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, **_REBUILT}  # copyreg's as it is now, as pickle.dumps reads it
    pickler.dump(value)
    return buffer.getvalue()


def write(target: Path, magic: bytes, header: dict, result: object) -> bool:
    """Store ``result`` under ``header`` in ``target`` (its folder made ``0700``): True if it is stored; any failure
    leaves no file behind."""
    try:
        payload = dumps(result)
        header_bytes = pickle.dumps({**header, "digest": hashlib.sha256(payload).hexdigest()}, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an unpicklable plugin error or entry: nothing stored
        return False
    temporary = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".tmp-", suffix=".pickle", delete=False) as out:
            temporary = out.name
            out.write(magic)
            out.write(len(header_bytes).to_bytes(8, "little"))
            out.write(header_bytes)
            out.write(payload)
        os.replace(temporary, target)
        temporary = None
    except Exception:  # a folder that cannot be written, a full disk: nothing stored
        return False
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)  # our own temporary file, never the user's
    return True


#: Items per chunk in :func:`dumps_list`: small enough for a chunk's objects to stay in the processor's cache
#: while the next chunk is read, large enough for the chunks to cost nothing (measured: 32 to 512 alike).
CHUNK = 128


def dumps_list(items: list) -> bytes:
    """``items`` pickled for :func:`loads_list`: a pickled list of pickles of at most :data:`CHUNK` items each.
    Objects shared by items of two chunks are read back as two equal objects."""
    return pickle.dumps([dumps(items[i:i + CHUNK]) for i in range(0, len(items), CHUNK)],
                        protocol=pickle.HIGHEST_PROTOCOL)


def loads_list(payload: bytes) -> list:
    """The list that :func:`dumps_list` pickled."""
    items: list = []
    for chunk in pickle.loads(payload):
        items.extend(pickle.loads(chunk))
    return items


def write_result(target: Path, magic: bytes, header: dict, result: LoadResult) -> bool:
    """:func:`write` for a load result, its entries pickled in chunks (:func:`dumps_list`; an error's entry is
    read back as an equal copy)."""
    entries, errors, options_map = result
    return write(target, magic, header, (dumps_list(entries), errors, options_map))


def read_result(target: Path, magic: bytes, accept: Callable[[dict], bool]) -> LoadResult | None:
    """The load result that :func:`write_result` stored, under the same conditions as :func:`read`."""
    payload = read(target, magic, accept, _is_stored_result)
    if payload is None:
        return None
    try:
        entries = loads_list(payload[0])
    except Exception:  # a stored file that passed its digest but does not unpickle: load afresh
        return None
    return entries, payload[1], payload[2]


def _is_stored_result(payload: object) -> bool:
    if not (isinstance(payload, tuple) and len(payload) == 3):
        return False
    entries, errors, options_map = payload
    return isinstance(entries, bytes) and isinstance(errors, list) and isinstance(options_map, dict)


def read(target: Path, magic: bytes, accept: Callable[[dict], bool], shape: Callable[[object], bool]) -> Any:
    """The stored payload if the file is intact, ``accept`` takes its header (without ``"digest"``) and ``shape``
    its payload, else None."""
    try:
        with open(target, "rb") as file:
            if file.read(len(magic)) != magic:
                return None
            size = int.from_bytes(file.read(8), "little")
            header = pickle.loads(file.read(size))
            if not isinstance(header, dict):
                return None
            digest = header.pop("digest", None)
            if not accept(header):
                return None
            payload = file.read()
        if hashlib.sha256(payload).hexdigest() != digest:
            return None
        result = pickle.loads(payload)
        if not shape(result):
            return None
    except Exception:  # missing, truncated, corrupted, of another version: load afresh
        return None
    return result
