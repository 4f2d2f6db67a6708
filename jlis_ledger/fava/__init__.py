"""The jlis_ledger extension for Fava: the books by business, in Japanese.

Enable it in the main ledger file::

    2014-04-01 custom "fava-extension" "jlis_ledger.fava"

Five pages appear in Fava's sidebar; each is a thin view of what the library
computes for the period of Fava's time filter (``?time=FY2022``: 令和4年度):

- 事業別財務情報 (:class:`BusinessMatrix`): the business × line matrix of the
  balance sheet and the income statement (``segment-bs``, ``segment-pl`` of
  :mod:`jlis_ledger.statements`), each cell a link to its account;
- 他事業勘定 (:class:`Clearing`): each business's position and who owes whom
  (:mod:`jlis_ledger.segments.clearing`), with the zero check;
- 積立金 (:class:`Reserves`): each reserve by business, the appropriation of
  profit, plans and deviations (:mod:`jlis_ledger.reserves.report`);
- 決算報告書 (:class:`Settlement`): budget against actual (``budget-bs``,
  ``budget-pl``);
- 推移 (:class:`Trend`): the measure declared with ``custom "trend"`` by business
  over the years, published history and the books' own years
  (:mod:`jlis_ledger.trend`), as a chart and a table.

Fava lists the pages in the order of their class names, hence the names.
Each page also answers ``…/extension/<Page>/data`` with its figures as JSON.
Fava calls its extension API unstable: everything here stays thin, and the
figures come from the library.
"""

from __future__ import annotations

from decimal import Decimal

from fava.ext import extension_endpoint
from flask import jsonify

from jlis_ledger import bql as _bql  # noqa: F401  (registers business(account) & co. for Fava's query page)
from jlis_ledger.fava import page as _page
from jlis_ledger.fava import views as _views
from jlis_ledger.segments import clearing

ZERO = Decimal(0)


class BusinessMatrix(_page.StatementPage):
    """事業別財務情報: the balance sheet and the income statement by business (8 businesses, 相殺等, 合計)."""

    report_title = "事業別財務情報"
    statements = (("segment-bs", "貸借対照表関係"), ("segment-pl", "損益計算書関係"))

    def column_classes(self) -> list[str]:
        """A CSS class per column: the elimination column (相殺等) and the total (合計) stand apart."""
        businesses = self.books.businesses
        out = []
        for column in self.columns():
            if column.business is None:
                out.append("total")
            elif column.business in businesses and businesses[column.business].is_elimination:
                out.append("elimination")
            else:
                out.append("")
        return out

    def columns(self):
        from jlis_ledger.statements import StatementError

        period = self.period()
        try:
            return _page.statement(self, self.statements[0][0], period).columns if period is not None else []
        except StatementError:
            return []

    def view(self, table, title: str) -> _views.TableView:
        return _views.matrix(table, title=title, business_name=self.business_name, opens=self.books.opens,
                             url_for=self.account_url, account_filter=self._matcher())


class Settlement(_page.StatementPage):
    """決算報告書: 予算額, 決算額 and 差額 of the balance sheet and the income statement."""

    report_title = "決算報告書"
    statements = (("budget-bs", "貸借対照表"), ("budget-pl", "損益計算書"))

    def view(self, table, title: str) -> _views.TableView:
        return _views.budget(table, title=title, opens=self.books.opens, url_for=self.account_url, account_filter=self._matcher())


class Clearing(_page.Page):
    """他事業勘定: what each business owes the others, who owes whom, and the zero check."""

    report_title = "他事業勘定"

    def view(self) -> clearing.Positions | None:
        period = self.period()
        if period is None:
            return None
        books = self.books
        return self.memo(("clearing", period), lambda: clearing.positions(books, period.end_exclusive))

    @extension_endpoint("data")
    def data(self):
        view = self.view()
        if view is None:
            return jsonify({"period": self.period_label(self.period()), "account": None})
        return jsonify({
            "period": self.period_label(self.period()),
            "account": view.account,
            "balances": {b: int(v) for b, v in view.balances.items()},
            "total": int(view.total),
            "owes": [{"debtor": d, "creditor": c, "amount": int(v)} for (d, c), v in view.owes.items() if v > 0],
        })


class Reserves(_page.Page):
    """積立金: each reserve by business — opening, movements, closing — the appropriation, plans and deviations."""

    report_title = "積立金"

    def report(self):
        period = self.period()
        if period is None:
            return None
        from jlis_ledger import reserves

        books = self.books
        return self.memo(("reserves", period), lambda: reserves.report(books, period))

    def reserve_account(self, reserve: str, business: str | None) -> str:
        account = f"{reserve}:{business}" if business else reserve
        return account if account in self.books.opens else reserve

    @extension_endpoint("data")
    def data(self):
        from jlis_ledger import reserves

        rep = self.report()
        return jsonify(reserves.as_dict(rep) if rep is not None else None)


class Trend(_page.Page):
    """推移: the declared measure (参考資料1-1: expense by business) over the years, as a chart and a table."""

    report_title = "推移"

    def trend(self):
        from jlis_ledger import trend

        books = self.books
        return self.memo("trend", lambda: trend.build(books))

    def chart(self) -> str:
        from jlis_ledger.fava import svg

        t = self.trend()
        return svg.stacked_bars(t) if t is not None else ""

    def era(self, year: int) -> str:
        from jlis_ledger.trend import era

        return era(year)

    def figure(self, value) -> str:
        from jlis_ledger.fava.numbers import units

        t = self.trend()
        return units(value, t.measure.places) if t is not None else ""

    @extension_endpoint("data")
    def data(self):
        t = self.trend()
        if t is None:
            return jsonify(None)
        return jsonify({
            "title": t.measure.title,
            "unit": t.measure.unit,
            "years": t.years,
            "series": [
                {"business": s.business, "name": s.name,
                 "values": [None if c.value is None else str(c.value) for c in s.cells],
                 "origin": [c.origin for c in s.cells],
                 "published": [None if c.published is None else str(c.published) for c in s.cells]}
                for s in t.series
            ],
            "totals": [str(v) for v in t.totals()],
        })
