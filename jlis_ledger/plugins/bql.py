"""Beancount queries that know businesses: this ledger's ``bean-query`` and Fava query page get the BQL
functions and columns of :mod:`jlis_ledger.bql`.

Enable it in the ledger's main file::

    plugin "jlis_ledger.plugins.bql"

The rule: loading the plugin imports :mod:`jlis_ledger.bql`, which registers ``business(account)``,
``item(account)``, ``business_name(account)`` and the columns ``basis`` and ``generated`` with beanquery.
It changes no entry and reports no error; it leaves one marker in the options map
(``options["jlis_ledger.bql"]``) so that a load from Beancount's pickle cache, which runs no plugin,
registers them too. With a tiny ledger::

    plugin "jlis_ledger.plugins.bql"
    2022-04-01 open Assets:Cash:B1-一般事業
    2022-04-01 open Income:Sales:B1-一般事業
    2022-05-01 * "売上"
      Assets:Cash:B1-一般事業    100 JPY
      Income:Sales:B1-一般事業  -100 JPY

``bean-query ledger.beancount "SELECT business(account), sum(number) WHERE account ~ '^Income' GROUP BY 1"``
prints ``B1-一般事業  -100``.
"""

from __future__ import annotations

from beancount.core import data

from jlis_ledger import bql as bql_lib

__plugins__ = ("bql",)


def bql(entries: list[data.Directive], options_map: dict) -> tuple[list[data.Directive], list]:
    """The entries, unchanged; the functions are registered (by the import) and the options marked."""
    options_map[bql_lib.OPTION] = bql_lib.Registered()
    return entries, []
