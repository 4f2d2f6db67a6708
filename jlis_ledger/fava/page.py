"""What every jlis_ledger page in Fava shares: the books, the period, the filters, links.

- The books (:class:`jlis_ledger.books.Books`) are built once per load of the
  ledger from Fava's own entries (plugins already applied), not per request, by
  one :class:`State` per Fava ledger, which every page shares and which is reset
  in ``after_load_file``; figures computed from them (a statement of a period, a
  report) are memoised in the books, so a reload of a changed file drops both.
  The problems of the ledger's declarations join Fava's error page at each load.
- The period is the one chosen with Fava's time filter (``?time=FY2022`` is
  令和4年度 with ``fiscal-year-end`` ``15-31``); without a time filter, the last
  fiscal year with revenue or expense.
- The account filter (``?account=…``) is Fava's: a regular expression or an
  account component that an account must match.  Both filters come from the request:
  they are read with :mod:`jlis_ledger.fava.guard` (the pattern by a linear-time engine,
  the period within bounds), and one that cannot be read is said on the page.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from fava.ext import FavaExtensionBase, extension_endpoint
from flask import jsonify, request

from jlis_ledger import books as books_lib
from jlis_ledger.books import Books, FiscalYear
from jlis_ledger.fava import guard, numbers, views

T = TypeVar("T")

#: The page that holds the one state of a Fava ledger (the other pages find it through Fava).
STATE_OWNER = "BusinessMatrix"


class State:
    """The books of one Fava ledger, built from Fava's own entries at most once per load."""

    def __init__(self, ledger) -> None:
        self.ledger = ledger
        self._books: Books | None = None
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self._books = None

    @property
    def books(self) -> Books:
        ledger = self.ledger
        with self._lock:
            books = self._books
            if books is None or books.entries is not ledger.all_entries:
                books = self._books = books_lib.from_entries(Path(ledger.beancount_file_path), ledger.all_entries,
                                                             ledger.load_errors, ledger.options)
            return books


def books_of(ledger) -> tuple[Books, dict]:
    """The books of a Fava ledger (the one state's) and their memo."""
    owner = ledger.extensions.get_extension(STATE_OWNER)
    books = owner.books if isinstance(owner, Page) else State(ledger).books
    return books, books._memo  # noqa: SLF001


def last_fiscal_year(books: Books) -> FiscalYear | None:
    """The last fiscal year with revenue or expense (an appropriation booked after the year end starts none)."""
    return books.last_fiscal_year()


def account_matches(account: str, pattern: str) -> bool:
    """Fava's account filter: an account component, or a regular expression (case-insensitive),
    matched in linear time; :class:`~jlis_ledger.fava.guard.PatternError` if it is not one."""
    return guard.has_component(account, pattern) or guard.pattern_matcher(pattern)(account)


class Page(FavaExtensionBase):
    """A page of the jlis_ledger extension (subclasses set ``report_title`` and have a template of their name)."""

    def __init__(self, ledger, config: str | None = None) -> None:
        super().__init__(ledger, config)
        self.own_state = State(ledger)

    # -- the books ------------------------------------------------------------------

    @property
    def state(self) -> State:
        """The one state of this Fava ledger (held by the 事業別財務情報 page)."""
        owner = self.ledger.extensions.get_extension(STATE_OWNER)
        return owner.own_state if isinstance(owner, Page) else self.own_state

    def after_load_file(self) -> None:
        """Fava (re)loaded the ledger: drop the books; the owner joins the declaration errors to Fava's."""
        self.own_state.reset()
        if self.name == STATE_OWNER or self.ledger.extensions.get_extension(STATE_OWNER) is None:
            self.ledger.extensions.errors.extend(self.state.books.declarations.errors)  # type: ignore[arg-type]  # Fava shows any (source, message, entry) error

    @property
    def books(self) -> Books:
        return self.state.books

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """``compute()`` once per load of the ledger and ``key``."""
        return self.books.memo(("fava", key), compute)

    # -- the period and the filters ----------------------------------------------

    def period(self) -> FiscalYear | None:
        """Fava's time filter as a period (end inclusive); without one, the last fiscal year.

        Only the filter's dates are read (Fava's own parser, with the ledger's
        ``fiscal-year-end``): the pages compute from the books, so there is no
        need to have Fava filter the entries of the period.
        """
        books = self.books
        value = request.args.get("time", "").strip()
        if not value:
            return self.memo("last-fiscal-year", lambda: last_fiscal_year(books))
        try:
            begin, end = guard.parse_period(value, self.ledger.fava_options.fiscal_year_end)
        except guard.PeriodError:  # shown by period_label
            return None
        end = end - datetime.timedelta(days=1)
        return FiscalYear(books.fiscal_year_of(end).year, begin, end)

    def is_fiscal_year(self, period: FiscalYear) -> bool:
        return period == self.books.fiscal_year(period.year)

    def period_label(self, period: FiscalYear | None) -> str:
        if period is None:
            value = request.args.get("time", "").strip()
            if not value:
                return "（取引がありません）"
            try:
                guard.parse_period(value, self.ledger.fava_options.fiscal_year_end)
            except guard.PeriodError as error:
                return f"期間「{value[:40]}{'…' if len(value) > 40 else ''}」を読めません（{error.ja}）"
            return f"期間「{value}」を読めません"
        span = f"{period.start:%Y年%-m月%-d日}〜{period.end:%Y年%-m月%-d日}"
        if self.is_fiscal_year(period):
            return f"{period.japanese}（FY{period.year}: {span}）"
        return span

    def account_filter(self) -> str | None:
        value = request.args.get("account", "").strip()
        return value or None

    def filter_problem(self) -> str | None:
        """Why Fava's account filter cannot be used (the pages then show everything), or ``None``."""
        pattern = self.account_filter()
        if pattern is None:
            return None
        try:
            guard.compile_pattern(pattern)
        except guard.PatternError as error:
            shown = pattern[:40] + ("…" if len(pattern) > 40 else "")
            return f"勘定科目フィルタ「{shown}」を使えません: {error.ja}。フィルタなしで表示しています。"
        return None

    # -- links and numbers for the templates ---------------------------------------

    def account_url(self, account: str) -> str:
        from fava.application import url_for  # Fava's url_for keeps the current filters

        return url_for("account", name=account)

    def business_name(self, label: str | None) -> str:
        return self.books.business_name(label)

    yen = staticmethod(numbers.yen)


def statement(ext: Page, statement_id: str, period):
    from jlis_ledger import statements

    books = ext.books
    ctx = ext.memo(("context", period), lambda: statements.context(books, period))  # one aggregation per period
    return ext.memo(("statement", statement_id, period), lambda: statements.build(books, statement_id, period, ctx=ctx))


def table_json(view: views.TableView) -> dict:
    return {
        "title": view.title,
        "error": view.error,
        "columns": view.columns,
        "rows": [
            {"label": r.label, "kind": r.kind, "level": r.level, "account": r.account,
             "values": [c.text for c in r.cells] if r.cells else None}
            for r in view.rows
        ],
    }


class StatementPage(Page):
    """A page of statement tables (subclasses list the statement ids and titles, and build the views)."""

    statements: tuple[tuple[str, str], ...] = ()

    def _matcher(self):
        pattern = self.account_filter()
        if pattern is None or self.filter_problem() is not None:
            return None
        return lambda account: account_matches(account, pattern)

    def view(self, table, title: str) -> views.TableView:
        raise NotImplementedError

    def tables(self) -> list[views.TableView]:
        """The statements of the period, as views (a statement the ledger cannot give shows its error)."""
        from jlis_ledger.statements import StatementError

        period = self.period()
        if period is None:
            return []
        out = []
        for statement_id, title in self.statements:
            try:
                table = statement(self, statement_id, period)
            except StatementError as error:
                out.append(views.TableView(title, [], [], error=str(error)))
                continue
            out.append(self.view(table, title))
        return out

    @extension_endpoint
    def data(self):
        period = self.period()
        return jsonify({"period": self.period_label(period), "filter_problem": self.filter_problem(),
                        "tables": [table_json(t) for t in self.tables()]})

