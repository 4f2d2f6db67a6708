"""How the body prints its statements: the conventions of its publication, declared in the ledger.

The builders set what belongs to a form (a 減少額 column prints positive, 利益の処分 has two
columns); what a body chooses for its own publication is declared with ``statement-option``::

    2014-04-01 custom "statement-option" "*" "entity" "地方公共団体情報システム機構"
    2014-04-01 custom "statement-option" "*" "negative" "△"
    2014-04-01 custom "statement-option" "fixed-assets" "zero" "-"
    2014-04-01 custom "statement-option" "fixed-assets" "label-head" "資産の種類"

``"*"`` declares an option for every statement; a statement's own declaration wins.  Options:
``entity`` (the name printed above each statement; default: the ledger's ``title`` option),
``negative`` (the mark of a negative figure: ``-``, ``△`` or ``▲``; default ``-``), ``zero``
(what a zero prints as, e.g. ``-``; default ``0``) and ``label-head`` (the head of the label
column, e.g. 区分; default 科目).  The values of the tables are never changed: CSV, JSON and
``reconcile`` read them as they are.
"""

from __future__ import annotations

from dataclasses import replace

from beancount.parser import options as options_lib

from jlis_ledger.statements.layout import EVERY, PRESENTATION, Layout
from jlis_ledger.table import Table


def option(layout: Layout, statement: str, name: str) -> str | None:
    """A presentation option of ``statement``: its own declaration, else the one for every statement."""
    own = layout.option(statement, name)
    return own if own is not None else layout.option(EVERY, name)


def entity(layout: Layout, options: dict) -> str | None:
    """The body's name: declared, else the ledger's ``title`` option (unless it is Beancount's default)."""
    declared = layout.option(EVERY, "entity")
    if declared:
        return declared
    title = options.get("title")
    return title if title and title != options_lib.OPTIONS_DEFAULTS.get("title") else None


def present(table: Table, layout: Layout, options: dict) -> Table:
    """``table`` with the declared conventions of its publication (in place; returned for chaining)."""
    current = table.presentation
    table.presentation = replace(
        current,
        entity=layout.option(table.id, "entity") or entity(layout, options),
        negative=option(layout, table.id, "negative") or current.negative,
        zero=option(layout, table.id, "zero") or current.zero,
        label_head=option(layout, table.id, "label-head") or current.label_head,
    )
    return table


__all__ = ["EVERY", "PRESENTATION", "entity", "option", "present"]
