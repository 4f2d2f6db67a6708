"""The books, loaded once: entries, errors, options, every declaration, and figures memoised.

Everything else in the library (the check summary, the statements, the reports, the Fava pages)
reads a :class:`Books`; nothing reloads the ledger and nothing parses a declaration again.

    >>> from jlis_ledger import books
    >>> b = books.load()                        # the bundled ledger/main.beancount
    >>> fy = b.fiscal_year(2022)                # 令和4年度: 2022-04-01 .. 2023-03-31
    >>> b.balances(end=fy.end_exclusive)        # {(account, currency): Decimal}

Data flows one way: the ledger file → :mod:`jlis_ledger.loading` (Beancount's load, plugins
applied) → :class:`Books` (declarations parsed once, their problems joined to the load errors)
→ the concept packages and the statements → :class:`jlis_ledger.table.Table` → the renderers.
"""

from __future__ import annotations

import datetime
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from beancount.core import data

from jlis_ledger import declarations as declarations_lib
from jlis_ledger.core import config as config_lib
from jlis_ledger.core import units
from jlis_ledger.core.accounts import Roots, business_of, leaf_label, under
from jlis_ledger.core.periods import FiscalYear, Period, fiscal_year, fiscal_year_of, parse_fiscal_year_end
from jlis_ledger.loading import load_ledger
from jlis_ledger.segments.declarations import Business

if TYPE_CHECKING:
    from jlis_ledger.reserves.model import Analysis



def bundled_ledger() -> Path:
    """The bundled J-LIS books' main file: ``jlis_ledger/ledger/main.beancount`` in an installed wheel (the
    repository's ``ledger/`` folder is the package data of ``jlis_ledger.ledger``), else ``ledger/main.beancount``
    of the checkout the package runs from (an editable install). If neither exists, the installed path: loading it
    raises :class:`LedgerNotFoundError` naming it."""
    package = Path(__file__).resolve().parent
    installed = package / "ledger" / "main.beancount"
    checkout = package.parent / "ledger" / "main.beancount"
    return checkout if not installed.is_file() and checkout.is_file() else installed


#: The bundled J-LIS books (see :func:`bundled_ledger`).
BUNDLED_LEDGER = bundled_ledger()

RESERVES_PLUGIN = "jlis_ledger.plugins.reserves"

T = TypeVar("T")


class LedgerNotFoundError(ValueError):
    """The ledger file does not exist or is not a file."""


@dataclass
class Books:
    """A loaded ledger and what it declares."""

    path: Path
    entries: list[data.Directive]
    errors: list
    options: dict
    declarations: declarations_lib.Declarations
    opens: dict[str, data.Open]
    _memo: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # -- declarations -------------------------------------------------------

    @property
    def businesses(self) -> dict[str, Business]:
        return self.declarations.businesses

    @property
    def fiscal_year_end(self) -> tuple[int, int]:
        return self.declarations.fiscal_year_end

    @property
    def roots(self) -> Roots:
        return Roots.of(self.options)

    @property
    def currency(self) -> str:
        currencies = self.options.get("operating_currency") or ["JPY"]
        return currencies[0]

    def label(self, account: str) -> str:
        """The published label of an account (``label:`` on its open), else its name without the code."""
        entry = self.opens.get(account)
        if entry is not None and "label" in entry.meta:
            return str(entry.meta["label"])
        return leaf_label(account)

    def business_name(self, label: str | None) -> str:
        """The published name of a business (合計 for None)."""
        if label is None:
            return "合計"
        business = self.businesses.get(label)
        return business.name if business is not None else label

    def fiscal_year(self, year: int) -> FiscalYear:
        return fiscal_year(year, self.fiscal_year_end)

    def fiscal_year_of(self, date: datetime.date) -> FiscalYear:
        return fiscal_year_of(date, self.fiscal_year_end)

    def transactions(self) -> Iterator[data.Transaction]:
        return (e for e in self.entries if isinstance(e, data.Transaction))

    def last_fiscal_year(self) -> FiscalYear | None:
        """The last fiscal year with revenue or expense (an appropriation of profit booked after the
        year end starts none); else the year of the last transaction; None without transactions."""

        def compute() -> FiscalYear | None:
            prefixes = self.roots.prefixes(*self.roots.income_statement)
            latest = [e for e in reversed(self.entries) if isinstance(e, data.Transaction)]
            last = next((e for e in latest if any(p.account.startswith(prefixes) for p in e.postings)), None)
            if last is None and latest:
                last = latest[0]
            return self.fiscal_year_of(last.date) if last is not None else None

        return self.memo("last-fiscal-year", compute)

    # -- figures --------------------------------------------------------------

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """``compute()`` once per ``key`` for these books (the figures of a period, a report)."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = compute()
        with self._lock:
            return self._memo.setdefault(key, value)

    def balances(self, *, end: datetime.date, start: datetime.date | None = None) -> dict[tuple[str, str], Decimal]:
        """Sum of postings per (account, currency) dated ``start <= date < end``."""

        def compute() -> dict[tuple[str, str], Decimal]:
            sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
            number: Decimal
            currency: str
            for entry in self.transactions():
                if entry.date >= end or (start is not None and entry.date < start):
                    continue
                for posting in entry.postings:
                    number, currency = posting.units  # type: ignore[misc, assignment]  # loaded: a posting has a number
                    sums[(posting.account, currency)] += number
            return dict(sums)

        return self.memo(("balances", start, end), compute)

    def by_business(self, sums: dict[tuple[str, str], Decimal], prefix: str, currency: str | None = None) -> dict[str, Decimal]:
        """Totals of the accounts under ``prefix`` (an account or a root), per business."""
        currency = currency or self.currency
        out: dict[str, Decimal] = defaultdict(Decimal)
        for (account, cur), number in sums.items():
            if cur == currency and under(account, prefix):
                out[business_of(account)] += number
        return dict(out)

    def reserves(self) -> Analysis:
        """The reserves (積立金) as the reserves plugin reads them: one pass, memoised."""
        from jlis_ledger.reserves.analysis import analyze

        return self.memo("reserves", lambda: analyze(self.entries, self.options, config_lib.plugin_config(self.options, RESERVES_PLUGIN)))


def from_entries(path: Path | str, entries: list[data.Directive], errors: list, options: dict) -> Books:
    """Books over entries already loaded (by Fava, say): the declarations parsed once, their errors
    (those no enabled plugin reports) and the fractions of a yen (:mod:`jlis_ledger.core.units`) joined to
    the load errors."""
    declared = declarations_lib.read(entries, options)
    opens = {e.account: e for e in entries if isinstance(e, data.Open)}
    return Books(Path(path), entries, [*errors, *declared.errors, *units.fraction_errors(entries, options)], options, declared, opens)


def ledger_file(path: str | Path | None = None) -> Path:
    """The ledger file ``path`` names (None: the bundled books), or :class:`LedgerNotFoundError` if it is
    not there: a missing ledger is one clear error, never empty books."""
    path = Path(path) if path is not None else BUNDLED_LEDGER
    if not path.is_file():
        what = "is a directory, not a ledger file" if path.is_dir() else "does not exist"
        raise LedgerNotFoundError(f"{path}: {what}")
    return path


def load(path: str | Path | None = None, *, cache: bool = True) -> Books:
    """Load a ledger (by default the bundled J-LIS books) with its plugins, through
    :func:`jlis_ledger.loading.load_ledger` (``cache=False``: no load cache)."""
    path = ledger_file(path)
    entries, errors, options = load_ledger(path, cache=cache)
    return from_entries(path, entries, errors, options)


__all__ = ["BUNDLED_LEDGER", "Books", "FiscalYear", "LedgerNotFoundError", "Period", "bundled_ledger", "fiscal_year", "from_entries", "ledger_file", "load", "parse_fiscal_year_end"]
