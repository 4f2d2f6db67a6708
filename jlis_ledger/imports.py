"""The code a plugin runs: its module and every module it imports, transitively, outside the standard library.

The load cache (:mod:`jlis_ledger.loading`) is keyed on the bytes of these files, so that an edit
to any module a plugin imports — in its own package or another (``from mylib.rules import …``) —
invalidates a cached load. The closure is found without running anything: the ``import``
statements of each module's source (also those inside functions, and ``from . import x``), each
resolved by the import system's own finders on ``sys.path`` plus the ledger's ``pythonpath``
option (:class:`importlib.machinery.PathFinder`, which imports nothing). Not followed: the
standard library (:data:`sys.stdlib_module_names`, fixed by the Python version) and Beancount
(keyed by its version). Modules a plugin imports by a computed name are added by the loader
(those that appeared in :data:`sys.modules` during the load, :func:`loaded_since`).

    >>> files = closure(["jlis_ledger.plugins.segments"], [])      # doctest: +SKIP
    >>> sorted(files)[:1]                                           # doctest: +SKIP
    ['jlis_ledger', ...]
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import re
import sys
from collections.abc import Iterable

#: Top-level packages keyed otherwise: the standard library by Python's version, Beancount by its own.
SKIPPED = frozenset(sys.stdlib_module_names) | {"beancount", "__future__"}


def _find(name: str, search: list[str], found: dict[str, importlib.machinery.ModuleSpec | None]):
    """The spec of module ``name`` as the import system would find it (None if not found), executing nothing:
    a loaded module's own spec; a top-level module, or one whose package is loaded, by the import system's finders
    (which import at most its package, already imported); else by the path hooks in its package's locations."""
    if name in found:
        return found[name]
    parent = name.rpartition(".")[0]
    spec = None
    module = sys.modules.get(name)
    if module is not None:
        spec = getattr(module, "__spec__", None)
    elif not parent or parent in sys.modules:
        saved = list(sys.path)
        try:
            sys.path[0:0] = [p for p in search if p not in sys.path]
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError, AttributeError):
            spec = None
        finally:
            sys.path[:] = saved
    else:
        parent_spec = _find(parent, search, found)
        locations = list(parent_spec.submodule_search_locations or []) if parent_spec is not None else []
        spec = _from_locations(name, locations)
    found[name] = spec
    return spec


def _from_locations(name: str, locations: list[str]) -> importlib.machinery.ModuleSpec | None:
    """The spec of the submodule ``name`` in its package's ``locations``, through the path hooks (FileFinder)."""
    portions: list[str] = []
    for location in locations:
        finder = sys.path_importer_cache.get(location)
        if finder is None:
            for hook in sys.path_hooks:
                try:
                    finder = hook(location)
                    break
                except ImportError:
                    continue
        if finder is None or not hasattr(finder, "find_spec"):
            continue
        spec = finder.find_spec(name)
        if spec is None:
            continue
        if spec.loader is not None:
            return spec
        portions.extend(spec.submodule_search_locations or [])  # a namespace portion
    return _namespace(name, portions) if portions else None


def _namespace(name: str, portions: list[str]) -> importlib.machinery.ModuleSpec:
    spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
    spec.submodule_search_locations = portions
    return spec


_STATEMENT = re.compile(r"[ \t]*(?:import[ \t]+([^\n#]+)|from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+([^\n#]+))")


def _imported(source: str, name: str, is_package: bool) -> set[str]:
    """The module names a module's source imports (``from a import b``: ``a`` and ``a.b``, which is kept if it is a
    module). Read from the text: a line that starts with ``import`` or ``from … import`` (continued in brackets or
    after a backslash); a line of a docstring that looks like one only adds a name that is then not found, or a
    module hashed for nothing. (Parsing every module's syntax tree would cost a tenth of a second per load.)"""
    package = name if is_package else name.rpartition(".")[0]
    out: set[str] = set()
    lines = source.replace("\\\n", " ").split("\n")
    for i, line in enumerate(lines):
        if "import" not in line:
            continue
        m = _STATEMENT.match(line)
        if m is None:
            continue
        plain, base, names = m.groups()
        if plain is not None:
            out.update(part.split()[0] for part in plain.split(",") if part.split())
            continue
        if base.startswith("."):
            try:
                base = importlib.util.resolve_name(base, package)
            except (ImportError, ValueError):
                continue
        if not base:
            continue
        out.add(base)
        if names.lstrip().startswith("(") and ")" not in names:
            rest = [names]
            for follow in lines[i + 1:]:
                rest.append(follow.split("#")[0])
                if ")" in follow:
                    break
            names = " ".join(rest)
        out.update(f"{base}.{part.split()[0]}" for part in names.strip().strip("()").replace(")", "").split(",")
                   if part.split() and part.split()[0] != "*")
    return {n for n in out if all(piece.isidentifier() for piece in n.split("."))}


def closure(modules: Iterable[str], pythonpath: list[str]) -> dict[str, str | None]:
    """Every module that importing ``modules`` imports outside the standard library and Beancount, with its file
    (None for a module without one, e.g. a namespace package); a name that is not a module (``from a import f``)
    is left out."""
    search = [*pythonpath, *sys.path]
    found: dict[str, importlib.machinery.ModuleSpec | None] = {}
    out: dict[str, str | None] = {}
    queue = list(modules)
    while queue:
        name = queue.pop()
        if name in out or name.split(".")[0] in SKIPPED:
            continue
        parts = name.split(".")
        queue.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # the packages above run first
        spec = _find(name, search, found)
        if spec is None:
            continue
        origin = spec.origin if spec.has_location and spec.origin and os.path.isfile(spec.origin) else None
        out[name] = origin
        if origin is None or not origin.endswith(".py"):
            continue
        try:
            with open(origin, "rb") as file:
                source = file.read().decode("utf-8", "replace")
        except OSError:
            continue
        queue.extend(_imported(source, name, spec.submodule_search_locations is not None))
    return out


def loaded_since(before: set[str]) -> list[str]:
    """The modules outside the standard library and Beancount imported since ``before`` (a set of sys.modules keys)."""
    return sorted(name for name in list(sys.modules) if name not in before and name.split(".")[0] not in SKIPPED)


__all__ = ["SKIPPED", "closure", "loaded_since"]
