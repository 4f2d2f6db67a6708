"""The configuration string of a plugin line: a Python dict literal, never executed.

    plugin "jlis_ledger.plugins.segments" "{'mode': 'strict', 'clearing': 'Liabilities:Clearing'}"

:func:`parse` reads it with :func:`ast.literal_eval` (a literal, not code), checks that it is a
dict and that every key is known, and raises :class:`ConfigError` with a message for the user;
:func:`plugin_config` finds the configuration of a plugin among the ledger's plugin lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import Any


class ConfigError(ValueError):
    """A plugin configuration the user must fix; the message says how."""


def parse(text: str | None, plugin: str, known: Iterable[str], example: str, *, required: bool = False) -> dict[str, Any]:
    """The configuration dict of the ``plugin`` plugin (``{}`` for none, unless ``required``)."""
    keys = list(known)
    if text is None or not text.strip():
        if required:
            raise ConfigError(f"the {plugin} plugin needs a configuration, e.g. {example}")
        return {}
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise ConfigError(f"the {plugin} plugin configuration is not a Python dict literal: {text!r}; expected {example}") from None
    if not isinstance(value, dict):
        raise ConfigError(f"the {plugin} plugin configuration must be a dict, e.g. {example}")
    unknown = sorted(set(value) - set(keys), key=str)
    if unknown:
        raise ConfigError(f"unknown key(s) {', '.join(map(repr, unknown))} in the {plugin} plugin configuration; "
                          f"known: {', '.join(map(repr, keys))}")
    return value


def tag(value: Any, key: str, plugin: str, example: str = "internal") -> str:
    """A tag name option (``'internal'`` or ``'#internal'``), without its ``#``."""
    if not isinstance(value, str) or not value.lstrip("#"):
        raise ConfigError(f"{plugin} plugin: {key!r} must be a tag name, e.g. '{example}'; got {value!r}")
    return value.lstrip("#")


def plugin_config(options_map: dict[str, Any], module: str) -> str | None:
    """The configuration string of the first ``plugin "MODULE"`` line (None: no configuration or no line)."""
    for name, config in options_map.get("plugin") or ():
        if name == module:
            return config
    return None


def has_plugin(options_map: dict[str, Any], module: str) -> bool:
    return any(name == module for name, _ in options_map.get("plugin") or ())


def runs_before(options_map: dict[str, Any], first: str, then: str) -> bool:
    """Whether the ledger lists the plugin ``first`` before (its first line) the plugin ``then``."""
    names = [name for name, _ in options_map.get("plugin") or ()]
    return first in names and then in names and names.index(first) < names.index(then)


def literal_dict(text: str | None) -> dict[str, Any]:
    """The dict of a configuration string, or ``{}`` when it is not one (for readers of another plugin's line)."""
    if not text:
        return {}
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


__all__ = ["ConfigError", "has_plugin", "literal_dict", "parse", "plugin_config", "tag"]
