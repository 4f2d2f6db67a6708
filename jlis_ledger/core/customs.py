"""Custom directives as the declaration readers (and Beancount's own plugins) expect them: values a list.

Beancount's parser gives a ``custom`` directive written without any value (``2022-04-01 custom
"business"``) ``values=None``, where it gives every other one a list; Beancount's own ``pad``
plugin (``realization.postings_by_account``) then crashes iterating it, and so would every
declaration reader. The plugins of jlis-ledger (which run before ``pad``) and the declarations of
:class:`jlis_ledger.books.Books` therefore read customs through :func:`complete`, and the plugins
return the entries through :func:`completed`: the same directive with ``values=[]`` (no value, as
written), which its reader then reports as malformed, at its line. Nothing else is changed.
"""

from __future__ import annotations

from collections.abc import Iterable

from beancount.core import data


def malformed(customs: Iterable[data.Custom]) -> list[data.Custom]:
    """The custom directives written without any value (``values`` is None)."""
    return [c for c in customs if c.values is None]


def complete(customs: list[data.Custom]) -> list[data.Custom]:
    """``customs`` with every ``values`` a list (the same list when none is None)."""
    if not malformed(customs):
        return customs
    return [c._replace(values=[]) if c.values is None else c for c in customs]


def completed(entries: list[data.Directive]) -> list[data.Directive]:
    """``entries`` with every custom directive's ``values`` a list (the same list when none is None)."""
    if not any(type(e) is data.Custom and e.values is None for e in entries):
        return entries
    return [e._replace(values=[]) if type(e) is data.Custom and e.values is None else e for e in entries]


__all__ = ["complete", "completed", "malformed"]
