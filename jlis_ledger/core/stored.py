"""A pickled load result stored on disk so that it can only be read back intact: one file format for the load
cache (:mod:`jlis_ledger.loading`) and the stored parses (:mod:`jlis_ledger.incremental`).

A file is ``MAGIC``, the length of a pickled header (8 bytes, little-endian), the header (a dict with the
payload's SHA-256 under ``"digest"``) and the payload, a pickle (a load result ``(entries, errors, options_map)`` unless the caller says otherwise). It is
written to a temporary file beside its target and renamed over it (:func:`os.replace`); reading gives None
for a missing, truncated, corrupted or foreign file, or one whose header the caller does not accept. Neither
ever raises: a store that cannot be used means a fresh load, silently.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

LoadResult = tuple[list, list, dict]


def write(target: Path, magic: bytes, header: dict, result: object) -> bool:
    """Store ``result`` under ``header`` in ``target`` (its folder made ``0700``): True if it is stored; any failure
    leaves no file behind."""
    try:
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
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


def _is_load_result(payload: object) -> bool:
    if not (isinstance(payload, tuple) and len(payload) == 3):
        return False
    entries, errors, options_map = payload
    return isinstance(entries, list) and isinstance(errors, list) and isinstance(options_map, dict)


def read(target: Path, magic: bytes, accept: Callable[[dict], bool],
         shape: Callable[[object], bool] = _is_load_result) -> Any:
    """The stored payload if the file is intact, ``accept`` takes its header (without ``"digest"``) and ``shape``
    its payload (by default: a load result ``(entries, errors, options_map)``), else None."""
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
