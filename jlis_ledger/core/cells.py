"""Text cells that no spreadsheet evaluates: the one rule of every CSV that jlis-ledger writes or reads.

A spreadsheet opening a CSV evaluates a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (OWASP, "CSV Injection"). Every text cell jlis-ledger writes — the
statements' and reports' CSV, the postings, the 弥生 and マネーフォワード exports — goes through
:func:`neutralise`, which prefixes such a text with an apostrophe, so that Excel and LibreOffice
show it as text; numbers are never passed through it and stay numbers (``-1234`` is a number).
A text that itself begins with an apostrophe gets one more, so that :func:`restore` (which the
importers apply to every cell they read) gives back exactly the text that was written::

    >>> neutralise("=1+1"), neutralise("'quoted"), neutralise("本部")
    ("'=1+1", "''quoted", '本部')
    >>> restore("'=1+1"), restore("''quoted"), restore("'本部"), restore("本部")
    ('=1+1', "'quoted", "'本部", '本部')

(``'本部`` — an apostrophe before an ordinary character — is not one of ours and is read as it stands.)
"""

from __future__ import annotations

#: The first characters that make a spreadsheet evaluate a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The first characters of a text that :func:`neutralise` prefixes (the formula starts and the prefix itself).
_PREFIXED = (*FORMULA_STARTS, "'")


def neutralise(text: str) -> str:
    """A text cell as a spreadsheet must show it: prefixed with ``'`` if it could be read as a formula
    (or begins with ``'``)."""
    return "'" + text if text.startswith(_PREFIXED) else text


def restore(cell: str) -> str:
    """The text that :func:`neutralise` wrote as ``cell`` (any other cell as it stands)."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_PREFIXED) else cell


__all__ = ["FORMULA_STARTS", "neutralise", "restore"]
