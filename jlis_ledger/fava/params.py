"""The jlis_ledger pages' own query parameters, read as hostile input.

Besides Fava's filters (``time``, ``account``, read by :mod:`jlis_ledger.fava.guard`), the pages
take:

- ``business``: the business lens, a business the ledger declares (its label, ``B2-…``);
- ``unit``: 円, 千円 or 百万円 (figures rounded half up, each on its own, as published);
- on 仕訳明細 (the drill-down): ``line`` and ``less`` (account prefixes of the chart added and
  subtracted, repeatable), ``which`` (``closing``, ``movement``, ``opening``), ``cf`` (CF lines,
  repeatable), ``budget`` (the 予算額 of the lines), ``debtor``/``creditor`` (a 他事業勘定 pair),
  ``page`` (a page of a long list).

Every value is looked up in what the books declare (a set membership, no pattern is compiled), so
a value costs its length; one that is not there is a :class:`ParamError` with the reason in
Japanese, which the page shows instead of its figures — never an error of the server.  The
length of each value is already bounded by :class:`~jlis_ledger.fava.guard.HostGuard` under
``jlis-ledger serve``; :data:`MAX_VALUES` bounds the repeats under plain ``fava`` too.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

#: The units of the switch, in order (億円 is the trend's own unit).
UNITS = ("円", "千円", "百万円")
#: The most values a repeatable parameter may have.
MAX_VALUES = 40
WHICH = {"closing": "期末残高", "movement": "期中の発生額", "opening": "期首残高"}


def _shown(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


class ParamError(ValueError):
    """A parameter the page cannot use; ``ja`` says why."""

    def __init__(self, name: str, value: str, ja: str) -> None:
        super().__init__(f"{name}={_shown(value)!r}: {ja}")
        self.name = name
        self.value = value
        self.ja = ja


def one(args: Mapping, name: str) -> str | None:
    """The value of a parameter (stripped; None when absent or empty)."""
    value = args.get(name, "")
    value = value.strip() if isinstance(value, str) else ""
    return value or None


def many(args, name: str) -> list[str]:
    values = [v.strip() for v in args.getlist(name) if v.strip()] if hasattr(args, "getlist") else []
    if len(values) > MAX_VALUES:
        raise ParamError(name, ",".join(values), f"値が {len(values)} 個あります（上限 {MAX_VALUES} 個）")
    return values


def business(args, declared: Collection[str]) -> str | None:
    value = one(args, "business")
    if value is None:
        return None
    if value not in declared:
        raise ParamError("business", value, f"事業「{_shown(value)}」は帳簿に宣言されていません")
    return value


def unit(args) -> str:
    value = one(args, "unit") or UNITS[0]
    if value not in UNITS:
        raise ParamError("unit", value, f"単位「{_shown(value)}」は使えません（{'・'.join(UNITS)}のいずれか）")
    return value


def prefixes(args, name: str, known: Collection[str]) -> tuple[str, ...]:
    values = many(args, name)
    for value in values:
        if value not in known:
            raise ParamError(name, value, f"科目「{_shown(value)}」は帳簿の勘定科目にありません")
    return tuple(values)


def which(args) -> str:
    value = one(args, "which") or "closing"
    if value not in WHICH:
        raise ParamError("which", value, f"「{_shown(value)}」は残高の種類として読めません（closing・movement・opening）")
    return value


def labels(args, name: str, known: Collection[str]) -> tuple[str, ...] | None:
    if name not in args:
        return None
    values = [v.strip() for v in args.getlist(name)] if hasattr(args, "getlist") else []
    if len(values) > MAX_VALUES:
        raise ParamError(name, ",".join(values), f"値が {len(values)} 個あります（上限 {MAX_VALUES} 個）")
    for value in values:
        if value not in known:
            raise ParamError(name, value, f"キャッシュ・フローの区分「{_shown(value)}」は帳簿にありません")
    return tuple(values)


def page_number(args, pages: int) -> int:
    value = one(args, "page")
    if value is None:
        return 1
    if not (value.isascii() and value.isdigit() and len(value) <= 6) or not 1 <= int(value) <= max(pages, 1):
        raise ParamError("page", value, f"ページ「{_shown(value)}」はありません（1〜{max(pages, 1)}）")
    return int(value)


@dataclass(frozen=True)
class Pair:
    debtor: str
    creditor: str


def pair(args, declared: Collection[str]) -> Pair | None:
    debtor, creditor = one(args, "debtor"), one(args, "creditor")
    if debtor is None and creditor is None:
        return None
    if debtor is None or debtor not in declared:
        raise ParamError("debtor", debtor or "", f"事業「{_shown(debtor or '')}」は帳簿に宣言されていません")
    if creditor is None or creditor not in declared:
        raise ParamError("creditor", creditor or "", f"事業「{_shown(creditor or '')}」は帳簿に宣言されていません")
    return Pair(debtor, creditor)


__all__ = ["MAX_VALUES", "UNITS", "WHICH", "Pair", "ParamError", "business", "labels", "many", "one", "page_number",
           "pair", "prefixes", "unit", "which"]
