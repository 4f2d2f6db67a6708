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
- The pages' own parameters — the business lens (``?business=B2-…``), the unit
  (``?unit=千円``) and the drill-down's — are read by :mod:`jlis_ledger.fava.params`
  against what the books declare; every link of a page carries the lens and the unit
  along with Fava's filters, so that they survive navigation.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from fava.ext import FavaExtensionBase, extension_endpoint
from flask import g, jsonify, request

from jlis_ledger import books as books_lib
from jlis_ledger.books import Books, FiscalYear
from jlis_ledger.core import wareki
from jlis_ledger.fava import guard, numbers, params, views

T = TypeVar("T")

#: The kinds of estimates (``basis:``) in the pages' words.
BASIS_NAMES = {"derived": "推計（他の公表値から導出）", "allocated": "配分（按分による推計）", "fitted": "推計（近似）"}

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
        span = f"{wareki.japanese_date(period.start)}〜{wareki.japanese_date(period.end)}"
        if self.is_fiscal_year(period):
            return f"{period.japanese}（{span}）"
        return span

    @staticmethod
    def period_iso(period: FiscalYear | None) -> str:
        """The period in ISO dates (the tooltip of the 和暦 headings)."""
        return "" if period is None else f"{period.start.isoformat()} 〜 {period.end.isoformat()}"

    @staticmethod
    def wareki(day: datetime.date) -> str:
        return wareki.japanese_date(day)

    @staticmethod
    def as_of(period: FiscalYear) -> str:
        """The heading of a balance: 令和5年3月31日現在."""
        return f"{wareki.japanese_date(period.end)}現在"

    @staticmethod
    def span(period: FiscalYear) -> str:
        """The heading of a flow: 自 令和4年4月1日 至 令和5年3月31日."""
        return f"自 {wareki.japanese_date(period.start)} 至 {wareki.japanese_date(period.end)}"

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

    # -- the lens, the unit and the pages' own parameters ----------------------------

    def ledger_problem(self) -> str | None:
        """Why the pages have nothing to show for this ledger (one sentence), or None."""
        if not self.books.businesses:
            return ('この帳簿は事業を宣言していません（custom "business" LABEL）。事業別の表はありません: '
                    "the ledger declares no business")
        return None

    def lens_choices(self) -> list[tuple[str, str]]:
        """The businesses the lens offers: (label, published name), the columns of the statements."""
        return [(label, b.name) for label, b in self.books.businesses.items() if b.is_column]

    def business(self) -> str | None:
        """The business of the lens (``?business=``), None for all; an unknown one is said on the page."""
        try:
            return params.business(request.args, self.books.businesses)
        except params.ParamError:
            return None

    def unit(self) -> str:
        try:
            return params.unit(request.args)
        except params.ParamError:
            return params.UNITS[0]

    def param_problems(self) -> list[str]:
        """Why a parameter of the request cannot be used (the page then shows what it can)."""
        problems = []
        for read in (lambda: params.business(request.args, self.books.businesses), lambda: params.unit(request.args)):
            try:
                read()
            except params.ParamError as error:
                problems.append(error.ja)
        return problems

    def carried(self) -> dict[str, str]:
        """The parameters every link of the pages carries: the lens and the unit (Fava's filters are added by
        Fava's ``url_for``)."""
        out = {}
        business, unit = self.business(), self.unit()
        if business is not None:
            out["business"] = business
        if unit != params.UNITS[0]:
            out["unit"] = unit
        return out

    def page_url(self, name: str, **values) -> str:
        """A jlis_ledger page with Fava's filters, the lens and the unit (``values`` override; None drops one)."""
        from fava.application import url_for

        merged = {**self.carried(), **values}
        return url_for("extension_report", extension_name=name, **{k: v for k, v in merged.items() if v is not None})

    def drill_url(self, selection, **extra) -> str:
        """The 仕訳明細 page of a drill-down selection (:mod:`jlis_ledger.statements.drill`)."""
        from urllib.parse import urlencode

        from fava.application import url_for

        single: dict[str, str] = {"which": selection.which}
        if selection.business is not None:
            single["business"] = selection.business
        unit = self.unit()
        if unit != params.UNITS[0]:
            single["unit"] = unit
        single.update({k: str(v) for k, v in extra.items() if v is not None})
        repeated = [("line", p) for p in selection.plus] + [("less", p) for p in selection.minus]
        if selection.cash_flows is not None:
            repeated += [("cf", label) for label in selection.cash_flows] or [("cf", "")]
        base = url_for("extension_report", extension_name="BusinessPostings", **single)
        return base + ("&" if "?" in base else "?") + urlencode(repeated)

    def hidden_filters(self) -> list[tuple[str, str]]:
        """Fava's filters of the request, for the hidden fields of the lens form."""
        return [(name, request.args[name]) for name in ("time", "account", "filter", "conversion", "interval")
                if request.args.get(name)]

    def links(self, ctx=None) -> views.Links:
        """The links and marks of this request's figures (one per request: it collects the legend)."""
        from jlis_ledger.statements import drill

        held = getattr(g, "jlis_links", None)
        if held is not None and held[0] is ctx:
            return held[1]
        links = views.Links(self.unit(), self.drill_url, drill.estimates(ctx) if ctx is not None else None)
        g.jlis_links = (ctx, links)
        return links

    def legend(self) -> list[tuple[int, Any]]:
        """The estimates the figures shown so far rest on: (number, estimate)."""
        held = getattr(g, "jlis_links", None)
        if held is None or held[1].estimates is None:
            return []
        links = held[1]
        return [(n + 1, links.estimates.legend[n]) for n in sorted(links.legend_used)]

    @staticmethod
    def basis_name(basis: str) -> str:
        """An estimate's kind in Japanese (``basis: "allocated"`` is 配分)."""
        return BASIS_NAMES.get(basis, basis)

    def figure(self, value) -> str:
        """A figure in the page's unit, rounded half up, △ for a negative."""
        from jlis_ledger.core.numbers import figure

        return figure(value, self.unit(), negative="△")

    # -- links and numbers for the templates ---------------------------------------

    def account_url(self, account: str) -> str:
        from fava.application import url_for  # Fava's url_for keeps the current filters

        return url_for("account", name=account)

    def source_url(self, meta) -> str | None:
        """Fava's editor at the source line of an entry (its ``filename`` and ``lineno``)."""
        from fava.application import url_for

        filename, lineno = (meta or {}).get("filename"), (meta or {}).get("lineno")
        if not filename or not isinstance(lineno, int) or filename.startswith("<"):
            return None
        return url_for("report", report_name="editor", file_path=filename, line=str(lineno))

    def business_name(self, label: str | None) -> str:
        return self.books.business_name(label)

    yen = staticmethod(numbers.yen)


def context(ext: Page, period):
    from jlis_ledger import statements

    books = ext.books
    return ext.memo(("context", period), lambda: statements.context(books, period))  # one aggregation per period


def statement(ext: Page, statement_id: str, period):
    from jlis_ledger import statements

    books = ext.books
    ctx = context(ext, period)
    return ext.memo(("statement", statement_id, period), lambda: statements.build(books, statement_id, period, ctx=ctx))


def table_json(view: views.TableView) -> dict:
    return {
        "id": view.id,
        "title": view.title,
        "heading": view.heading,
        "error": view.error,
        "columns": view.columns,
        "rows": [
            {"label": r.label, "kind": r.kind, "level": r.level, "account": r.account,
             "values": [c.text for c in r.cells] if r.cells else None,
             "links": [c.url for c in r.cells] if r.cells else None,
             "estimates": [list(c.marks) for c in r.cells] if r.cells else None}
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

    def view(self, table, title: str, ctx, links: views.Links) -> views.TableView:
        raise NotImplementedError

    def built(self, period) -> list[tuple[str, str, Any]]:
        """(id, title, table or the StatementError) of the page's statements for the period."""
        from jlis_ledger.statements import StatementError

        out: list[tuple[str, str, Any]] = []
        for statement_id, title in self.statements:
            try:
                out.append((statement_id, title, statement(self, statement_id, period)))
            except StatementError as error:
                out.append((statement_id, title, error))
        return out

    def tables(self) -> list[views.TableView]:
        """The statements of the period, as views (a statement the ledger cannot give shows its error)."""
        from jlis_ledger.statements import StatementError

        period = self.period()
        if period is None:
            return []
        try:
            ctx = context(self, period)
        except StatementError as error:
            return [views.TableView(title, [], [], error=str(error), id=sid) for sid, title in self.statements]
        links = self.links(ctx)
        out = []
        for statement_id, title, table in self.built(period):
            if isinstance(table, StatementError):
                out.append(views.TableView(title, [], [], error=str(table), id=statement_id))
                continue
            view = self.view(table, title, ctx, links)
            view.heading = self.as_of(period) if table.as_of else self.span(period)
            view.heading_title = table.as_of or (" 〜 ".join(table.period) if table.period else "")
            out.append(view)
        return out

    @extension_endpoint
    def data(self):
        period = self.period()
        tables = self.tables()
        return jsonify({"period": self.period_label(period), "filter_problem": self.filter_problem(),
                        "problems": self.param_problems(), "unit": self.unit(), "business": self.business(),
                        "tables": [table_json(t) for t in tables],
                        "estimates": [{"number": n, "basis": e.basis, "rule": e.rule, "where": e.where}
                                      for n, e in self.legend()]})
