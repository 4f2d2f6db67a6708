"""A command's output remembered while nothing it depends on changed: ``jlis-ledger check`` run again on
unchanged books prints what it printed and exits as it exited, without loading them.

What the output depends on, all of it in the memo's key and read again before the memo is used:

- the command line and the working folder, and the ``JLIS_LEDGER_*`` environment variables;
- every load the command made, by the load cache's own key (:func:`jlis_ledger.loading.current`): the
  bytes of every included file, the plugins and their code, the versions, the documents folders. A command
  that made a load that is not in the load cache (``--no-cache``, a re-check after an edit) is not
  remembered;
- the code of the command: every module of ``jlis_ledger`` the CLI imports, transitively, by the bytes of
  its file (:func:`jlis_ledger.imports.closure`).

A memo is a file in ``memo/`` of the load cache folder, in the stored-result format
(:mod:`jlis_ledger.core.stored`): written atomically, ignored when damaged, never raising. A command that
writes a file (``--output``) is never remembered.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from jlis_ledger import imports, loading
from jlis_ledger.core import stored

_MAGIC = b"jlis-ledger command memo\n"

#: The modules whose code every remembered command runs (their imports followed).
COMMAND_MODULES = ("jlis_ledger.cli",)


class _Tee(io.TextIOBase):
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.copy = io.StringIO()

    def write(self, text: str) -> int:
        self.copy.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


def _file(argv: list[str], cache_dir: Path) -> Path:
    what = repr((os.getcwd(), list(argv), sorted((k, v) for k, v in os.environ.items() if k.startswith("JLIS_LEDGER_"))))
    return cache_dir / "memo" / (hashlib.sha256(what.encode("utf-8", "surrogateescape")).hexdigest()[:32] + ".pickle")


def _code() -> list[tuple[str, str | None, str | None]]:
    return [(module, origin, loading.code_digest(module, origin))
            for module, origin in sorted(imports.closure(COMMAND_MODULES, []).items())]


def _current(header: dict) -> bool:
    loads, code = header.get("loads"), header.get("code")
    if not isinstance(loads, list) or not isinstance(code, list):
        return False
    return (all(loading.current(load) for load in loads)
            and all(loading.code_digest(module, origin) == digest for module, origin, digest in code))


def _is_output(payload: object) -> bool:
    return (isinstance(payload, tuple) and len(payload) == 3 and isinstance(payload[0], str)
            and isinstance(payload[1], str) and isinstance(payload[2], int))


def run(argv: list[str], command: Callable[[], int], cache_dir: Path | None = None) -> int:
    """``command()`` (which prints and returns an exit status), or its remembered output and status."""
    target = _file(argv, cache_dir if cache_dir is not None else loading.default_cache_dir())
    hit = stored.read(target, _MAGIC, _current, _is_output)
    if hit is not None:
        out, err, status = hit
        sys.stdout.write(out)
        sys.stderr.write(err)
        return status
    out_tee, err_tee = _Tee(sys.stdout), _Tee(sys.stderr)
    saved, recording = (sys.stdout, sys.stderr), loading.loads
    sys.stdout, sys.stderr = out_tee, err_tee
    loads: list[dict | None] = []
    loading.loads = loads
    try:
        status = command()
    finally:
        sys.stdout, sys.stderr = saved
        loading.loads = recording
    if loads and all(load is not None for load in loads):
        header = {"loads": loads, "code": _code()}
        stored.write(target, _MAGIC, header, (out_tee.copy.getvalue(), err_tee.copy.getvalue(), status))
    return status


__all__ = ["COMMAND_MODULES", "run"]
