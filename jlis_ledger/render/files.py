"""Writing an output file atomically: the one writer of jlis-ledger's outputs.

The content goes to a temporary file beside the target, which is then renamed over it
(:func:`os.replace`): a reader never sees half a file, a failure leaves the old file as it was
and no temporary file behind.  A target that cannot be written (a missing directory, a
directory, a read-only place) is one :class:`OutputError` naming the file and the reason.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


class OutputError(ValueError):
    """An output file that cannot be written; the message names it and says why."""


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def write(path: str | os.PathLike, content: str | bytes | Callable[[Path], None], *, encoding: str = "utf-8") -> None:
    """Write ``content`` (text, bytes, or a function that writes the file it is given) to ``path``."""
    target = Path(path)
    directory = target.parent
    if target.is_dir():
        raise OutputError(f"{target}: cannot write the output: it is a directory")
    if not directory.is_dir():
        raise OutputError(f"{target}: cannot write the output: the directory {directory} does not exist")
    temporary: str | None = None
    try:
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
        if callable(content):
            content(Path(temporary))
        else:
            data = content.encode(encoding) if isinstance(content, str) else content
            with open(temporary, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(temporary, target.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
        temporary = None
    except OSError as error:
        raise OutputError(f"{target}: cannot write the output: {_reason(error)}") from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


__all__ = ["OutputError", "write"]
