"""Beancount queries that know businesses: BQL functions and columns registered with beanquery.

Importing this module registers them for every beanquery connection of the process — ``bean-query``, Fava's
query page, and the library's own queries (:func:`query`):

==========================  ===================================================================================
``business(account)``       the business of an account: its last component (``B1-一般事業``)
``item(account)``           the item (科目) of an account: the account without its business component
``business_name(account)``  the business's published name, from the ledger's ``custom "business"`` declarations
                            (``name:``, else the label without its code: ``一般事業``); NULL for an undeclared one
``basis``                   ``basis:`` (``derived``, ``allocated``, …) of the posting, else of its transaction;
                            in the ``entries`` table, of the directive
``generated``               ``generated:`` (``segments``, ``allocations``, ``import``): what a plugin or an
                            importer added; NULL for what was typed in the ledger
``kind``, ``subject``       (``entries`` table) the kind of directive, a custom directive by its own type
                            (``transaction``, ``balance``, ``allocation-key``, …), and what it is about (a
                            transaction's narration, the account of a balance or an open, a custom's first value)
==========================  ===================================================================================

::

    SELECT business(account) AS business, sum(number) AS amount
    WHERE account ~ '^Income:' AND date >= 2022-04-01 AND date < 2023-04-01
    GROUP BY business ORDER BY business

How a ledger gets them: ``plugin "jlis_ledger.plugins.bql"`` in the ledger (Beancount imports the plugin, which
imports this module; it changes no entry), so plain ``bean-query ledger.beancount`` and plain ``fava`` have them;
the Fava extension ``jlis_ledger.fava`` and ``jlis-ledger serve`` import this module too. Beancount's load from
its pickle cache (``bean-query``'s second run) does not import plugins: the plugin therefore leaves a
:class:`Registered` marker in the options map (``options["jlis_ledger.bql"]``), whose unpickling imports this
module again.

Registration uses beanquery's own hooks: ``query_env.function`` for the functions, and the column registries of
the ``postings`` and ``entries`` tables (``ColumnsRegistry.register``) for the columns. A name beanquery already
defines is never replaced (the import raises). None of these evaluates a pattern: the RE2 wrapper that
``jlis-ledger serve`` puts in place of beanquery's ``re`` stays the only matcher.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import Any, NamedTuple

from beancount.core import data
from beanquery import query_compile, query_env
from beanquery.sources import beancount as tables

from jlis_ledger.core.accounts import business_of, item_of
from jlis_ledger.core.generated import KEY as GENERATED
from jlis_ledger.segments.declarations import read_businesses

#: The key of the marker the plugin leaves in the options map.
OPTION = "jlis_ledger.bql"

FUNCTIONS = ("business", "item", "business_name")
COLUMNS = {"postings": ("basis", "generated"), "entries": ("basis", "generated", "kind", "subject")}


class Registered(NamedTuple):
    """The mark of a ledger whose plugins registered the functions: unpickling it (a load from Beancount's pickle
    cache) imports this module, which registers them again."""

    functions: tuple[str, ...] = FUNCTIONS

    def __str__(self) -> str:  # as Fava's options page shows it
        return "BQL: " + ", ".join(f"{name}()" for name in self.functions) + ", basis, generated"


# -- functions ---------------------------------------------------------------------------------


def _business(account: str) -> str:
    """The business of an account: its last component."""
    return business_of(account)


def _item(account: str) -> str:
    """The item (科目) of an account: the account without its business component."""
    return item_of(account)


_NAMES: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()


def _business_name(context, account: str) -> str | None:
    """The published name of an account's business (``name:`` of its ``custom "business"`` declaration)."""
    names = _NAMES.get(context)
    if names is None:
        table = context.tables.get("entries")
        businesses, _ = read_businesses(table.entries if table is not None else ())
        names = _NAMES.setdefault(context, {label: b.name for label, b in businesses.items()})
    return names.get(business_of(account))


# -- columns -----------------------------------------------------------------------------------


def _posting_meta(row, key: str) -> Any:
    meta = row.posting.meta
    if meta and key in meta:
        return meta[key]
    return (row.entry.meta or {}).get(key)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _posting_basis(row) -> str | None:
    """``basis:`` of the posting, else of its transaction (derived, allocated, …)."""
    return _text(_posting_meta(row, "basis"))


def _posting_generated(row) -> str | None:
    """``generated:`` of the posting, else of its transaction: what a plugin or an importer added."""
    return _text(_posting_meta(row, GENERATED))


def _entry_basis(entry) -> str | None:
    """``basis:`` of the directive (derived, allocated, …)."""
    return _text((entry.meta or {}).get("basis"))


def _entry_generated(entry) -> str | None:
    """``generated:`` of the directive: what a plugin or an importer added."""
    return _text((entry.meta or {}).get(GENERATED))


def _entry_kind(entry) -> str:
    """The kind of directive (transaction, balance, open, …), a custom directive by its own type."""
    return entry.type if isinstance(entry, data.Custom) else type(entry).__name__.lower()


def _entry_subject(entry) -> str | None:
    """What a directive is about: a transaction's narration, a custom's first value, else its account or currency."""
    if isinstance(entry, data.Transaction):
        return entry.narration
    if isinstance(entry, data.Custom):
        return str(entry.values[0].value) if entry.values else None
    for attribute in ("account", "currency", "type"):
        value = getattr(entry, attribute, None)
        if isinstance(value, str):
            return value
    return None


# -- registration ------------------------------------------------------------------------------


def _register() -> None:
    """Register the functions and columns with beanquery: once per process, when this module is imported."""
    for name in FUNCTIONS:
        if name in query_compile.FUNCTIONS:
            raise RuntimeError(f"beanquery already defines a function {name}()")
    query_env.function([str], str, name="business")(_business)
    query_env.function([str], str, name="item")(_item)
    query_env.function([str], str, pass_context=True, name="business_name")(_business_name)
    _columns(tables.PostingsTable.columns, (_posting_basis, _posting_generated), COLUMNS["postings"])
    _columns(tables.EntriesTable.columns, (_entry_basis, _entry_generated, _entry_kind, _entry_subject), COLUMNS["entries"])


def _columns(registry, functions: Iterable, names: Iterable[str]) -> None:
    for function, name in zip(functions, names, strict=True):
        if name in registry:
            raise RuntimeError(f"beanquery already defines a column {name}")
        function.__name__ = name  # the registry names a column after its function
        registry.register(str)(function)


_register()


# -- the library's own queries -----------------------------------------------------------------


def query(entries: list[data.Directive], options: dict, bql: str, params: dict[str, Any] | None = None,
          errors: list | None = None) -> tuple[list[str], list[tuple]]:
    """Run one BQL statement over loaded entries: (column names, rows)."""
    import beanquery

    connection = beanquery.connect("beancount:", entries=entries, errors=errors or [], options=options)
    cursor = connection.execute(bql, params)
    return [column.name for column in cursor.description], cursor.fetchall()


__all__ = ["COLUMNS", "FUNCTIONS", "OPTION", "Registered", "query"]
