"""One error type for bad input: it names the file and the row, nothing is written."""

from __future__ import annotations


class InputError(Exception):
    """Bad input at ``filename:row``; ``str()`` is ``file:row: message`` (``file: message`` for the whole file, row 0)."""

    def __init__(self, filename: str, row: int, message: str) -> None:
        super().__init__(f"{filename}:{row}: {message}" if row else f"{filename}: {message}")
        self.filename = filename
        self.row = row
        self.message = message
