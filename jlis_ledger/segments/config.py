"""The segments plugin's configuration and its error type.

    plugin "jlis_ledger.plugins.segments" "{'mode': 'strict', 'clearing': 'Liabilities:1-流動負債:17-他事業勘定', 'internal_tag': 'internal'}"

``clearing`` (required): the 他事業勘定 account without its business component; ``mode``:
``'strict'`` (default: an unbalanced business is an error) or ``'auto'`` (the legs are
generated); ``internal_tag``: the tag of the transactions eliminated in 相殺等 (``internal``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from beancount.core import account as account_lib

from jlis_ledger.core import config as config_lib
from jlis_ledger.core.accounts import Roots, root_of
from jlis_ledger.core.errors import LedgerError

PLUGIN = "jlis_ledger.plugins.segments"
#: the plugin that empties the common pools before this one runs (it reports a pool posting it cannot allocate)
ALLOCATIONS_PLUGIN = "jlis_ledger.plugins.allocations"
MODES = ("strict", "auto")
EXAMPLE = "\"{'mode': 'strict', 'clearing': 'Liabilities:...', 'internal_tag': 'internal'}\""


class SegmentsError(LedgerError):
    """An error of the segments rule."""

    __slots__ = ()


@dataclass(frozen=True)
class Config:
    """The plugin's configuration string, parsed."""

    clearing: str
    mode: str = "strict"
    internal_tag: str = "internal"


def parse_config(text: str | None, roots: Sequence[str] = Roots().all()) -> Config:
    """Parse the config string; raise :class:`~jlis_ledger.core.config.ConfigError` (a ValueError)."""
    value = config_lib.parse(text, "segments", ("mode", "clearing", "internal_tag"), EXAMPLE, required=True)
    mode = value.get("mode", "strict")
    if mode not in MODES:
        raise config_lib.ConfigError(f"segments plugin: 'mode' must be 'strict' or 'auto', not {mode!r}")
    clearing = value.get("clearing")
    if not isinstance(clearing, str) or not account_lib.is_valid(clearing) or root_of(clearing) not in roots:
        raise config_lib.ConfigError(
            f"segments plugin: 'clearing' must be the 他事業勘定 account without its business component, "
            f"e.g. 'Liabilities:Clearing'; got {clearing!r}"
        )
    return Config(clearing=clearing, mode=mode, internal_tag=config_lib.tag(value.get("internal_tag", "internal"), "internal_tag", "segments"))


__all__ = ["ALLOCATIONS_PLUGIN", "EXAMPLE", "MODES", "PLUGIN", "Config", "SegmentsError", "parse_config"]
