"""Numbers as the publication prints them: moved to :mod:`jlis_ledger.core.numbers` (the one formatter).

    >>> yen(-3075096)
    '△3,075,096'
"""

from jlis_ledger.core.numbers import units, yen

__all__ = ["units", "yen"]
