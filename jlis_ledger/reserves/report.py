"""Reserves (積立金) of a fiscal year by business: movements, the appropriation of profit, plans.

    >>> from jlis_ledger import books, reserves
    >>> b = books.load()
    >>> r = reserves.report(b, b.fiscal_year(2022))     # 令和4年度
    >>> print(reserves.render(r))                        # or fmt="csv" / "json" / reserves.tables(r)

The figures come from the books' one reading of the reserves
(:meth:`jlis_ledger.books.Books.reserves`, the same pass as the plugin's,
:func:`jlis_ledger.reserves.analysis.analyze`), so the report and the plugin
classify every movement the same way.  For each declared reserve and business:

- 期首残高 (opening): the balance before the year, plus opening entries
  (``#opening``) dated in the year;
- 繰入 (provisions, against the declared provision account) and 取崩 (releases,
  negative);
- 振替 (transfers among equity reserves, and the appropriation of profit booked
  in the year), one line per label as the 純資産変動計算書 words them: a transfer
  between the general reserve (積立金) and a purpose reserve P is
  「Pの積立」 (P increases) or 「Pの取崩」 (P decreases), on both rows, each with
  its own sign; a transfer between purpose reserves is 「Xの積立」/「Xの取崩」 on
  each row;
- 当期純利益: **the general reserve (積立金) is presented as the publication
  presents it**: its published figure includes the profit not yet appropriated.
  Beancount keeps the year's net income in Income and Expenses, so the report adds
  to the book balance of 積立金 the business's net income to date less what
  appropriations have distributed (their profit legs, e.g. 処分対象利益): the
  opening includes the earlier years' unappropriated profit, the year's
  net income is a movement line 「当期純利益」, and an appropriation in the year
  shows as transfers from 積立金 to the reserves it funds;
- その他: movements that break a rule (the plugin reports them), so that the
  closing balance still adds up;
- 期末残高 (closing).

Then the appropriation of profit that closes the year (利益の処分, booked after
the year end), by business, and every plan and published record of the reserves
(計画 / 実績) with its period, planned and booked 積立/取崩 and the deviation,
and the check of each opening balance against the published history.
Amounts are integer yen, signed (a decrease is negative).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from jlis_ledger.core.accounts import business_of, root_of
from jlis_ledger.core.errors import format_error
from jlis_ledger.core.periods import FiscalYear
from jlis_ledger.reserves import model as plugin
from jlis_ledger.segments.declarations import ordered

if TYPE_CHECKING:
    from jlis_ledger.books import Books

ZERO = Decimal(0)

OPENING, PROVISIONS, RELEASES, NET_INCOME, OTHER, CLOSING = "期首残高", "繰入", "取崩", "当期純利益", "その他", "期末残高"
APPROPRIATION_LINE = "利益の処分"


@dataclass
class Row:
    """One reserve in one business (``business`` None: the reserve's total)."""

    business: str | None
    name: str  # the published business name, or 合計
    opening: Decimal = ZERO
    provisions: Decimal = ZERO  # 繰入 (増加額)
    releases: Decimal = ZERO  # 取崩 (減少額), negative
    transfers: dict[str, Decimal] = field(default_factory=dict)  # 振替 / 利益の処分 lines, by label
    net_income: Decimal = ZERO  # 当期純利益 (the general reserve only)
    other: Decimal = ZERO  # movements that break a rule
    closing: Decimal = ZERO

    @property
    def transfers_total(self) -> Decimal:
        return sum(self.transfers.values(), ZERO)

    @property
    def change(self) -> Decimal:
        """当期変動額合計."""
        return self.provisions + self.releases + self.transfers_total + self.net_income + self.other

    def lines(self) -> list[tuple[str, Decimal]]:
        """The movement lines in published order (zero lines left out)."""
        out = [(PROVISIONS, self.provisions), (RELEASES, self.releases)]
        out += list(self.transfers.items())
        out += [(NET_INCOME, self.net_income), (OTHER, self.other)]
        return [(label, v) for label, v in out if v]

    def is_empty(self) -> bool:
        return not (self.opening or self.closing or self.lines())


@dataclass
class ReserveReport:
    account: str  # without business
    label: str  # the published label
    kind: str  # 負債性積立金 or 利益剰余金
    business: str | None  # the business it belongs to, if declared
    general: bool  # the general reserve (積立金), presented with the unappropriated profit
    rows: list[Row]
    total: Row


@dataclass
class PlanLine:
    reserve: str
    label: str
    start: datetime.date
    end: datetime.date
    kind: str  # 実績 (a published record) or 計画 (a plan)
    planned_provision: Decimal
    planned_release: Decimal
    booked_provision: Decimal | None  # None: the period lies before the books (see HistoryLine)
    booked_release: Decimal | None
    precision: Decimal
    status: str
    explanation: str | None
    source: str | None

    @property
    def provision_deviation(self) -> Decimal | None:
        return None if self.booked_provision is None else self.booked_provision - self.planned_provision

    @property
    def release_deviation(self) -> Decimal | None:
        return None if self.booked_release is None else self.booked_release - self.planned_release


@dataclass
class HistoryLine:
    """The opening balance against the published history (the plans before the books)."""

    reserve: str
    label: str
    start: datetime.date  # of the earliest period
    date: datetime.date  # the balance is at the end of this day
    balance: Decimal
    planned: Decimal  # Σ (積立 − 取崩) of the history
    tolerance: Decimal
    status: str

    @property
    def deviation(self) -> Decimal:
        return self.balance - self.planned


@dataclass
class AppropriationRow:
    business: str | None
    name: str
    net_income: Decimal  # 当期純利益 (処分対象利益)
    parts: dict[str, Decimal]  # reserve label -> amount received (a loss: negative)


@dataclass
class AppropriationReport:
    date: datetime.date
    filename: str
    lineno: int
    rows: list[AppropriationRow]
    total: AppropriationRow


@dataclass
class Report:
    fiscal_year: FiscalYear
    currency: str
    reserves: list[ReserveReport]
    appropriation: AppropriationReport | None
    plans: list[PlanLine]
    history: list[HistoryLine]
    errors: list[str]  # the plugin's findings on these books, as file:line: message


# -- building ---------------------------------------------------------------------------------


def report(books: Books, fy: FiscalYear) -> Report:
    """Each reserve by business for ``fy``, the appropriation closing ``fy``, the plans and the history check."""
    return books.memo(("reserves-report", fy), lambda: _report(books, fy))


def _report(books: Books, fy: FiscalYear) -> Report:
    analysis = books.reserves()
    currency = books.currency
    businesses = list(books.businesses)  # the declaration order: the rows of each reserve
    general = next((r.account for r in analysis.reserves.values() if r.general), None)

    def label(reserve: str) -> str:
        for business in businesses:
            account = f"{reserve}:{business}"
            if account in books.opens:
                return books.label(account)
        return books.label(reserve)

    name = books.business_name

    labels = {r: label(r) for r in analysis.reserves}
    rows: dict[tuple[str, str], Row] = {}

    def row(reserve: str, business: str) -> Row:
        key = (reserve, business)
        if key not in rows:
            rows[key] = Row(business, name(business))
        return rows[key]

    # appropriations in the year: the parts of each business, to present them as transfers from 積立金
    in_year: dict[tuple[int, str], dict[str, Decimal]] = {}
    order: dict[str, int] = {}  # the movement lines (振替 labels) in the order they first appear
    for m in analysis.movements:
        if m.currency != currency:
            continue
        r = row(m.reserve, m.business)
        if m.date < fy.start or (m.kind == plugin.OPENING and m.date <= fy.end):
            r.opening += m.amount
        elif m.date <= fy.end:
            _movement(r, m, labels, general, order)
            if m.kind == plugin.APPROPRIATION and general is not None:
                in_year.setdefault((id(m.entry), m.business), {})[m.reserve] = m.amount
        if m.date <= fy.end:
            r.closing += m.amount

    if general is not None:
        _present_general(books, analysis, fy, currency, general, labels, in_year, row, order)

    def ordered_lines(lines: dict[str, Decimal]) -> dict[str, Decimal]:
        return dict(sorted(lines.items(), key=lambda item: order.get(item[0], len(order))))

    for r in rows.values():
        r.transfers = ordered_lines(r.transfers)

    reports = []
    kinds = {books.roots.liabilities: 0, books.roots.equity: 1}
    for reserve in sorted(analysis.reserves.values(), key=lambda r: (kinds.get(root_of(r.account), 2), r.account)):
        by_business = [rows[(reserve.account, b)] for b in ordered({b for (r, b) in rows if r == reserve.account}, businesses)]
        by_business = [r for r in by_business if not r.is_empty()]
        total = _total(by_business)
        total.transfers = ordered_lines(total.transfers)
        reports.append(ReserveReport(
            reserve.account, labels[reserve.account], "利益剰余金" if reserve.equity else "負債性積立金",
            reserve.business, reserve.general, by_business, total,
        ))
    return Report(
        fiscal_year=fy,
        currency=currency,
        reserves=reports,
        appropriation=_appropriation(analysis, fy, currency, labels, businesses, name),
        plans=[_plan_line(p, labels, analysis, fy) for p in analysis.plan_results if p.plan.currency == currency],
        history=[_history_line(h, labels) for h in analysis.opening_checks if h.currency == currency],
        errors=[format_error(e) for e in analysis.errors],
    )


def _add(lines: dict[str, Decimal], label: str, amount: Decimal, order: dict[str, int] | None = None) -> None:
    lines[label] = lines.get(label, ZERO) + amount
    if order is not None:
        order.setdefault(label, len(order))


def _transfer_label(reserve: str, amount: Decimal, counterparts: tuple[str, ...], labels: dict[str, str], general: str | None) -> str:
    if reserve == general and counterparts:
        other = counterparts[0] if len(counterparts) == 1 else None
        if other is None:
            return "振替（" + "・".join(labels[c] for c in counterparts) + "）"
        return f"{labels[other]}の{'積立' if amount < 0 else '取崩'}"
    return f"{labels[reserve]}の{'積立' if amount > 0 else '取崩'}"


def _movement(r: Row, m: plugin.Movement, labels: dict[str, str], general: str | None, order: dict[str, int]) -> None:
    if m.kind == plugin.PROVISION:
        r.provisions += m.amount
    elif m.kind == plugin.RELEASE:
        r.releases += m.amount
    elif m.kind == plugin.TRANSFER:
        _add(r.transfers, _transfer_label(m.reserve, m.amount, m.counterparts, labels, general), m.amount, order)
    elif m.kind == plugin.APPROPRIATION:
        if general is None:
            _add(r.transfers, APPROPRIATION_LINE, m.amount, order)
        elif m.reserve != general:
            _add(r.transfers, f"{labels[m.reserve]}の{'積立' if m.amount > 0 else '取崩'}", m.amount, order)
        # the general reserve's part is presented with the profit leg, below
    else:
        r.other += m.amount


def _present_general(books: Books, analysis, fy: FiscalYear, currency: str, general: str, labels, in_year, row, order) -> None:
    """積立金 as published: plus the net income to date not yet distributed by an appropriation."""
    before = books.balances(end=fy.start)
    during = books.balances(start=fy.start, end=fy.end_exclusive)
    income_statement = books.roots.income_statement

    def net_income(sums) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for (account, cur), number in sums.items():
            if cur == currency and root_of(account) in income_statement:
                business = business_of(account)
                out[business] = out.get(business, ZERO) - number
        return out

    for business, amount in net_income(before).items():
        if amount:
            row(general, business).opening += amount
            row(general, business).closing += amount
    for business, amount in net_income(during).items():
        if amount:
            row(general, business).net_income += amount
            row(general, business).closing += amount
    for leg in analysis.profit_legs:
        if leg.currency != currency or leg.date > fy.end:
            continue
        r = row(general, leg.business)
        r.closing -= leg.amount
        if leg.date < fy.start:
            r.opening -= leg.amount
    # an appropriation in the year: 積立金 gives each other reserve its part; the rest of its own part and of
    # the profit leg (a distribution outside the reserves) is 利益の処分
    legs_in_year: dict[tuple[int, str], Decimal] = {}
    for leg in analysis.profit_legs:
        if leg.currency == currency and fy.start <= leg.date <= fy.end:
            key = (id(leg.entry), leg.business)
            legs_in_year[key] = legs_in_year.get(key, ZERO) + leg.amount
    for key in dict.fromkeys(list(in_year) + list(legs_in_year)):
        parts = in_year.get(key, {})
        r = row(general, key[1])
        rest = parts.get(general, ZERO) - legs_in_year.get(key, ZERO)
        for reserve, amount in parts.items():
            if reserve != general:
                _add(r.transfers, f"{labels[reserve]}の{'積立' if amount > 0 else '取崩'}", -amount, order)
                rest += amount
        if rest:
            _add(r.transfers, APPROPRIATION_LINE, rest, order)


def _total(rows: list[Row]) -> Row:
    total = Row(None, "合計")
    for r in rows:
        total.opening += r.opening
        total.provisions += r.provisions
        total.releases += r.releases
        for label, amount in r.transfers.items():
            _add(total.transfers, label, amount)
        total.net_income += r.net_income
        total.other += r.other
        total.closing += r.closing
    return total


def _appropriation(analysis, fy: FiscalYear, currency: str, labels, order: list[str], name) -> AppropriationReport | None:
    found = [a for a in analysis.appropriations if a.year.year == fy.year]
    if not found:
        return None
    a = found[0]
    businesses = ordered({b for b, c in a.distributed if c == currency} | {b for b, c in a.net_income if c == currency}
                         | {b for _, b, c in a.parts if c == currency}, order)
    rows = []
    for business in businesses:
        parts: dict[str, Decimal] = {}
        for (reserve, b, c), amount in a.parts.items():
            if b == business and c == currency and amount:
                parts[labels[reserve]] = parts.get(labels[reserve], ZERO) + amount
        rows.append(AppropriationRow(business, name(business), a.distributed.get((business, currency), ZERO), parts))
    total = AppropriationRow(None, "合計", sum((r.net_income for r in rows), ZERO), {})
    for r in rows:
        for label, amount in r.parts.items():
            _add(total.parts, label, amount)
    meta = a.entry.meta
    return AppropriationReport(a.entry.date, str(meta.get("filename", "")), int(meta.get("lineno", 0)), rows, total)


def _plan_line(result: plugin.PlanResult, labels, analysis, fy: FiscalYear) -> PlanLine:
    plan = result.plan
    if result.compared == "opening":
        status = "期首残高で照合"
    elif result.due:
        if result.ok:
            status = "一致"
        elif plan.explanation is not None:
            status = "差異（説明あり）"
        else:
            status = "差異"
    elif analysis.last_date is None or analysis.last_date < plan.start:
        status = "未到来"
    else:
        status = "進行中"
    return PlanLine(
        plan.account, labels[plan.account], plan.start, plan.end, "実績" if plan.is_record else "計画",
        plan.provision, plan.release, result.booked_provision, result.booked_release, plan.precision, status,
        plan.explanation, plan.meta.get("source"),
    )


def _history_line(check: plugin.OpeningCheck, labels) -> HistoryLine:
    if not check.due:
        status = "進行中"
    elif check.ok:
        status = "一致"
    elif any(p.explanation is not None for p in check.plans):
        status = "差異（説明あり）"
    else:
        status = "差異"
    start = min(p.start for p in check.plans)
    return HistoryLine(check.reserve, labels[check.reserve], start, check.date, check.balance, check.planned, check.tolerance, status)


__all__ = ["AppropriationReport", "AppropriationRow", "HistoryLine", "PlanLine", "Report", "ReserveReport", "Row", "report"]
