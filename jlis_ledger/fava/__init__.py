"""The jlis_ledger extension for Fava: the books by business, in Japanese.

Enable it in the main ledger file::

    2014-04-01 custom "fava-extension" "jlis_ledger.fava"

Six pages appear in Fava's sidebar; each is a thin view of what the library
computes for the period of Fava's time filter (``?time=FY2022``: 令和4年度), with a
business lens (``?business=B2-…``: one business alone) and a unit (``?unit=千円``):

- 事業別財務情報 (:class:`BusinessMatrix`, Fava's default page): the business × line
  matrix of the balance sheet and the income statement (``segment-bs``, ``segment-pl``
  of :mod:`jlis_ledger.statements`); with a business, that business's own 貸借対照表,
  損益計算書 and キャッシュ・フロー計算書 (:mod:`jlis_ledger.statements.business`).
  Every figure links to the postings that make it (:mod:`jlis_ledger.statements.drill`)
  and carries a mark when it rests on an estimate (``basis:``), listed in a legend;
- 仕訳明細 (:class:`BusinessPostings`): the postings of a figure (the drill-down, its
  total the figure), of a budget, of a 他事業勘定 pair, or the journal of the business
  of the lens (only its own postings of each transaction);
- 他事業勘定 (:class:`Clearing`): each business's position, who owes whom in one
  direction (:mod:`jlis_ledger.segments.settlement`), with the zero check, and the
  精算仕訳 that would clear them (shown, and downloadable as Beancount text);
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

import contextlib
from decimal import Decimal

from fava.ext import extension_endpoint
from flask import Response, jsonify, request

from jlis_ledger import bql as _bql  # noqa: F401  (registers business(account) & co. for Fava's query page)
from jlis_ledger.core.numbers import json_amount
from jlis_ledger.fava import page as _page
from jlis_ledger.fava import params as _params
from jlis_ledger.fava import postings as _postings
from jlis_ledger.fava import views as _views
from jlis_ledger.segments import clearing, settlement

ZERO = Decimal(0)


class BusinessMatrix(_page.StatementPage):
    """事業別財務情報: the balance sheet and the income statement by business (8 businesses, 相殺等, 合計);
    with the lens, one business's own statements."""

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
        if period is None or self.business() is not None:
            return []
        try:
            return _page.statement(self, self.statements[0][0], period).columns
        except StatementError:
            return []

    def built(self, period):
        business = self.business()
        if business is None:
            return super().built(period)
        from jlis_ledger.statements import StatementError
        from jlis_ledger.statements import business as lens

        ctx = _page.context(self, period)
        titles = {"business-bs": "貸借対照表", "business-pl": "損益計算書", "business-cf": "キャッシュ・フロー計算書"}
        try:
            tables = self.memo(("lens", business, period), lambda: lens.statements(ctx, business))
        except StatementError as error:
            return [("business-bs", "貸借対照表", error)]
        return [(t.id, titles[t.id], t) for t in tables]

    def view(self, table, title: str, ctx, links) -> _views.TableView:
        view = _views.statement(ctx, table, title=title, links=links, business_name=self.business_name,
                                opens=self.books.opens, account_filter=self._matcher(), business=self.business())
        view.estimated = table.id == "business-cf"
        return view


class BusinessPostings(_page.Page):
    """仕訳明細: the postings behind a figure (the drill-down), a budget, a 他事業勘定 pair, or the journal
    of the business of the lens."""

    report_title = "仕訳明細"

    def problem(self) -> str | None:
        """Why the request's parameters cannot be used (a Japanese sentence), or None."""
        try:
            asked = self.request()
        except _params.ParamError as error:
            return error.ja
        if asked is None or _params.one(request.args, "page") is None:
            return None
        view = self.view()
        try:
            _params.page_number(request.args, view.pages if view is not None else 1)
        except _params.ParamError as error:
            return error.ja
        return None

    def request(self):
        """What the request asks: ('pair', Pair) | ('drill', Selection, budget) | ('journal', business) | None."""
        from jlis_ledger.statements import drill

        books = self.books
        args = request.args
        pair = _params.pair(args, books.businesses)
        if pair is not None:
            return ("pair", pair)
        business = _params.business(args, books.businesses)
        known = self.memo("prefixes", lambda: {":".join(a.split(":")[:i]) for a in books.opens
                                              for i in range(1, a.count(":") + 2)})
        plus, minus = _params.prefixes(args, "line", known), _params.prefixes(args, "less", known)
        if not plus and not minus:
            return ("journal", business) if business is not None else None
        cf_known = {label for _, label in books.declarations.layout.cash_flow_lines} | {drill.NO_CF}
        period = self.period()
        if period is not None:
            with contextlib.suppress(ValueError):  # a ledger without businesses has no figures
                cf_known |= {label for label, _ in _page.context(self, period).figures.cash_flows}
        cash = _params.labels(args, "cf", cf_known)
        budget = _params.one(args, "budget")
        if budget not in (None, "budget", "difference"):
            raise _params.ParamError("budget", budget or "", "予算の表示は budget か difference です")
        return ("drill", drill.Selection(plus, minus, business, _params.which(args), cash), budget)

    def view(self) -> _postings.PostingsView | None:
        from jlis_ledger.statements import StatementError, drill

        period = self.period()
        if period is None:
            return None
        try:
            asked = self.request()
            ctx = _page.context(self, period)
        except (_params.ParamError, StatementError):
            return None
        if asked is None:
            return None
        books = self.books
        if asked[0] == "pair":
            return self._pair(asked[1], period)
        if asked[0] == "journal":
            business = asked[1]
            roots = tuple(ctx.roots.all())
            selection = drill.Selection(roots, business=business, which="movement")
            found = self.memo(("journal", business, period), lambda: drill.postings(ctx, selection))
            rows, page = self._rows(ctx, found.items, journal=True)
            return _postings.PostingsView(f"仕訳帳（{books.business_name(business)}）",
                                          f"{books.business_name(business)}の期中の仕訳（この事業の行だけ）",
                                          rows, None, len(found.items), page, _postings.pages(len(found.items)), kind="journal")
        _, selection, budget = asked
        description = _postings.describe(ctx, selection)
        if budget == "budget":
            rows, total = _postings.budget_rows(self, ctx, selection)
            return self._page(_postings.PostingsView("予算額の宣言", description, rows, total, len(rows), kind="budget"))
        found = self.memo(("drill", selection, period), lambda: drill.postings(ctx, selection))
        if budget != "difference":
            rows, page = self._rows(ctx, found.items, which=selection.which)
            return _postings.PostingsView("仕訳明細", description, rows, found.total, len(found.items), page,
                                          _postings.pages(len(found.items)))
        rows = _postings.rows_of(self, ctx, found.items, which=selection.which)
        if budget == "difference":
            planned, planned_total = _postings.budget_rows(self, ctx, selection, sign=-1)
            view = _postings.PostingsView("差額（決算額 − 予算額）", description, rows + planned, found.total + planned_total,
                                          len(rows) + len(planned), kind="difference",
                                          parts=[("決算額", found.total), ("予算額", -planned_total)])
        return self._page(view)

    def _pair(self, pair, period) -> _postings.PostingsView:
        books = self.books
        account = clearing.clearing_account(books.options)
        contributions = settlement.pair_entries(books, account, pair.debtor, pair.creditor, period.end_exclusive) if account else []
        rows = []
        running = ZERO
        for c in contributions:
            running += c.amount
            rows.append(_postings.PostingRow(c.entry.date, c.entry.narration or "", "他事業勘定", account or "", "", c.amount, running,
                                             source_url=self.source_url(c.entry.meta),
                                             where=f"{c.entry.meta.get('filename', '')}:{c.entry.meta.get('lineno', '')}",
                                             estimate=self.basis_name(str(c.entry.meta["basis"])) if c.entry.meta.get("basis") else None,
                                             rule=c.entry.meta.get("rule")))
        title = f"{books.business_name(pair.debtor)} → {books.business_name(pair.creditor)}"
        return self._page(_postings.PostingsView(
            "他事業勘定の貸し借り", f"{title}（支払うべき額を生じた仕訳、期末まで）", rows, running, len(rows), kind="pair"))

    @staticmethod
    def page_link(number: int) -> str:
        """This request with another ``page``."""
        from urllib.parse import urlencode

        pairs = [(k, v) for k, values in request.args.lists() for v in values if k != "page"] + [("page", str(number))]
        return f"{request.path}?{urlencode(pairs)}"

    def _rows(self, ctx, items, **options) -> tuple[list[_postings.PostingRow], int]:
        """The rows of the requested page of ``items`` (only those are built), and the page's number."""
        try:
            number = _params.page_number(request.args, _postings.pages(len(items)))
        except _params.ParamError:
            number = 1
        first = (number - 1) * _postings.PAGE_SIZE
        before = sum((item.amount for item in items[:first]), ZERO)
        page = items[first:first + _postings.PAGE_SIZE]
        return _postings.rows_of(self, ctx, page, start=before, **options), number

    def _page(self, view: _postings.PostingsView) -> _postings.PostingsView:
        view.pages = _postings.pages(view.count)
        try:
            view.page = _params.page_number(request.args, view.pages)
        except _params.ParamError:
            view.page = 1
        view.rows = _postings.paginate(view.rows, view.page)
        return view

    @extension_endpoint
    def data(self):
        view = self.view()
        if view is None:
            return jsonify({"period": self.period_label(self.period()), "problem": self.problem(), "view": None})
        return jsonify({
            "period": self.period_label(self.period()), "problem": self.problem(),
            "view": {"title": view.title, "description": view.description, "kind": view.kind,
                     "total": None if view.total is None else str(view.total), "count": view.count,
                     "page": view.page, "pages": view.pages,
                     "rows": [{"date": r.date.isoformat(), "narration": r.narration, "account": r.account,
                               "amount": str(r.amount), "notes": r.notes, "estimate": r.estimate,
                               "where": r.where} for r in view.rows]},
        })


class Clearing(_page.Page):
    """他事業勘定: what each business owes the others, who owes whom (one direction), the zero check and the
    精算仕訳 that would clear them."""

    report_title = "他事業勘定"

    def view(self) -> clearing.Positions | None:
        period = self.period()
        if period is None:
            return None
        books = self.books
        return self.memo(("clearing", period), lambda: clearing.positions(books, period.end_exclusive))

    def debts(self) -> list[settlement.Debt]:
        view = self.view()
        if view is None:
            return []
        business = self.business()
        return [d for d in settlement.debts(view) if business is None or business in (d.debtor, d.creditor)]

    def proposed(self) -> settlement.Proposal | None:
        view, period = self.view(), self.period()
        if view is None or period is None:
            return None
        books = self.books
        return self.memo(("proposal", period), lambda: settlement.propose(books, view, period.end_exclusive))

    def pair_url(self, debt: settlement.Debt) -> str:
        return self.page_url("BusinessPostings", debtor=debt.debtor, creditor=debt.creditor, business=None)

    def position_url(self, business: str) -> str:
        from jlis_ledger.statements import drill

        view = self.view()
        assert view is not None
        return self.drill_url(drill.Selection((view.account,), business=business, which="closing"))

    def download_url(self) -> str:
        """The proposal's download (``…/extension/Clearing/proposal``, with Fava's filters)."""
        base, _, query = self.page_url("Clearing", business=None, unit=None).partition("?")
        return base + "proposal" + (f"?{query}" if query else "")

    @extension_endpoint
    def proposal(self):
        """The settlement proposal as a Beancount file to download (``…/extension/Clearing/proposal``)."""
        proposal = self.proposed()
        text = proposal.text() if proposal is not None else ""
        header = "; 他事業勘定の精算案（jlis-ledger）: 帳簿に含めると、各事業の他事業勘定が 0 になります。\n"
        name = f"settlement-{proposal.date}.beancount" if proposal is not None else "settlement.beancount"
        return Response(header + text, mimetype="text/plain",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @extension_endpoint
    def data(self):
        view = self.view()
        if view is None:
            return jsonify({"period": self.period_label(self.period()), "account": None})
        proposal = self.proposed()
        return jsonify({
            "period": self.period_label(self.period()),
            "account": view.account,
            "balances": {b: json_amount(v) for b, v in view.balances.items()},
            "total": json_amount(view.total),
            "owes": [{"debtor": d.debtor, "creditor": d.creditor, "amount": json_amount(d.amount)} for d in self.debts()],
            "proposal": proposal.text() if proposal is not None else "",
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

    def rows(self, res) -> list:
        """The rows of a reserve shown under the lens (all, or the business's)."""
        business = self.business()
        return [r for r in res.rows if business is None or r.business == business]

    def cells(self, res, row) -> list[_views.CellView]:
        """期首残高, 繰入, 取崩, 振替・処分, 当期純利益, その他, 期末残高 of a reserve row, each linking to the postings
        that make it (the reserve's own, its declared 繰入/取崩 accounts, the business's income statement)
        when their total is the figure."""
        from jlis_ledger.statements import StatementError, drill

        period = self.period()
        assert period is not None
        try:
            ctx = _page.context(self, period)
        except StatementError:
            return [_views.CellView(self.figure(v)) for v in self._values(row)]
        links = self.links(ctx)
        declared = self.books.declarations.reserves.get(res.account)
        roots = ctx.roots
        candidates = [
            drill.Selection((res.account,), business=row.business, which="opening"),
            drill.Selection((declared.provision,), business=row.business, which="movement") if declared and declared.provision else None,
            drill.Selection((), (declared.release,), business=row.business, which="movement") if declared and declared.release else None,
            drill.Selection((res.account,), business=row.business, which="movement"),
            drill.Selection((roots.income,), (roots.expenses,), business=row.business, which="movement"),
            None,
            drill.Selection((res.account,), business=row.business, which="closing"),
        ]
        def total(selection: drill.Selection) -> Decimal:
            return self.memo(("reserve-cell", selection, period), lambda: drill.postings(ctx, selection).total)

        out = []
        for value, selection in zip(self._values(row), candidates, strict=True):
            exact = selection is not None and value and total(selection) == value
            out.append(links.cell(value, selection if exact else None))
        return out

    @staticmethod
    def _values(row) -> list:
        return [row.opening, row.provisions, row.releases, row.transfers_total, row.net_income, row.other, row.closing]

    def plan_status(self, status: str, *deviations) -> str:
        """A plan's status as the page says it: within the tolerance is said with the difference, not as 一致."""
        if status != "一致":
            return status
        shown = [d for d in deviations if d]
        if not shown:
            return "計画どおり（差異 0）"
        return f"許容差内（差異 {'、'.join(self.figure(d) for d in shown)}）"

    @extension_endpoint
    def data(self):
        from jlis_ledger import reserves

        rep = self.report()
        return jsonify(reserves.as_dict(rep) if rep is not None else None)


class Settlement(_page.StatementPage):
    """決算報告書: 予算額, 決算額 and 差額 of the balance sheet and the income statement."""

    report_title = "決算報告書"
    statements = (("budget-bs", "貸借対照表"), ("budget-pl", "損益計算書"))

    def has_budget(self) -> bool:
        period = self.period()
        books = self.books
        return period is not None and books.declarations.budgets.declared(period.year, books.currency)

    def view(self, table, title: str, ctx, links) -> _views.TableView:
        return _views.budget(ctx, table, title=title, links=links, opens=self.books.opens, has_budget=self.has_budget(),
                             account_filter=self._matcher())


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

    def cell_url(self, series, index: int) -> str | None:
        """A year the books give: the postings of the measure's accounts of that business and fiscal year
        (their total is the figure before rounding to the unit)."""
        from jlis_ledger.statements import drill

        t = self.trend()
        cell = series.cells[index]
        if t is None or cell.booked_yen is None or not cell.booked_yen:
            return None
        selection = drill.Selection(tuple(t.measure.accounts), business=series.business, which="movement")
        return self.drill_url(selection, time=f"FY{t.years[index]}")

    def line_label(self, account: str) -> str:
        """The published label of an account prefix (営業費用), not its path."""
        from jlis_ledger.core.accounts import label_of

        return label_of(account.rsplit(":", 1)[-1])

    def era(self, year: int) -> str:
        from jlis_ledger.trend import era

        return era(year)

    def figure(self, value) -> str:
        from jlis_ledger.fava.numbers import units

        t = self.trend()
        return units(value, t.measure.places) if t is not None else ""

    @extension_endpoint
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
