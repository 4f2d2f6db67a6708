"""Errors as Beancount reports them: ``(source, message, entry)``, located by ``file:line``.

Every plugin and every declaration reader of jlis-ledger reports errors of this shape, so that
``bean-check``, ``jlis-ledger check`` and Fava's error page show them with their location.
Each plugin names its own error type (a subclass of :class:`LedgerError`), as Beancount's own
plugins do.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

from beancount.core import data


class LedgerError(NamedTuple):
    """An error of the books: where (``source``: ``filename`` and ``lineno``), what, and the entry."""

    source: data.Meta
    message: str
    entry: data.Directive | None


class DeclarationError(LedgerError):
    """A malformed ``custom`` declaration (business, reserve, key, layout …)."""

    __slots__ = ()


def location(meta: data.Meta | None) -> str:
    """``file:line`` of an entry's (or a posting's) metadata."""
    meta = meta or {}
    return f"{meta.get('filename', '<unknown>')}:{meta.get('lineno', 0)}"


def format_error(error: Any) -> str:
    """An error as ``file:line: message`` (what ``bean-check`` prints)."""
    return f"{location(getattr(error, 'source', None))}: {getattr(error, 'message', error)}"


def meta_at(filename: str, lineno: int, **values: Any) -> data.Meta:
    return data.new_metadata(filename, lineno, values or None)


def plugin_meta(options_map: dict[str, Any], module: str) -> data.Meta:
    """The location of the ``plugin "MODULE"`` line in the ledger's main file (Beancount keeps the
    plugin lines without their line numbers): an error in a plugin's configuration points there."""
    filename = options_map.get("filename") or f"<{module.rsplit('.', 1)[-1]}>"
    lineno = 0
    try:
        text = Path(filename).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError):
        text = ""
    pattern = re.compile(rf'^\s*plugin\s+"{re.escape(module)}"', re.MULTILINE)
    match = pattern.search(text)
    if match is not None:
        lineno = text.count("\n", 0, match.start()) + 1
    return data.new_metadata(filename, lineno)


__all__ = ["DeclarationError", "LedgerError", "format_error", "location", "meta_at", "plugin_meta"]
