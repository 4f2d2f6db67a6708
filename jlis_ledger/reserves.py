"""Reserves (積立金) of a fiscal year by business: movements, the appropriation of profit, plans.

    >>> from jlis_ledger import books, reserves
    >>> b = books.load()
    >>> r = reserves.report(b, b.fiscal_year(2022))     # 令和4年度
    >>> print(reserves.render(r))                        # or fmt="csv" / "json"

The figures come from one pass of :func:`jlis_ledger.plugins.reserves.analyze`
over the loaded entries (so the report and the plugin classify every
movement the same way).  For each declared reserve and business:

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

import csv
import datetime
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import account as account_lib

from jlis_ledger.books import Books, FiscalYear
from jlis_ledger.plugins import reserves as plugin
from jlis_ledger.summary import pad, width

ZERO = Decimal(0)
PLUGIN = "jlis_ledger.plugins.reserves"

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


def _config(books: Books) -> str | None:
    for name, config in books.options.get("plugin", []) or []:
        if name == PLUGIN:
            return config
    return None


def report(books: Books, fy: FiscalYear) -> Report:
    """Each reserve by business for ``fy``, the appropriation closing ``fy``, the plans and the history check."""
    analysis = plugin.analyze(books.entries, books.options, _config(books))
    currency = books.currency
    order = list(books.businesses)
    general = next((r.account for r in analysis.reserves.values() if r.general), None)

    def label(reserve: str) -> str:
        for business in order:
            account = f"{reserve}:{business}"
            if account in books.opens:
                return books.label(account)
        return books.label(reserve)

    def name(business: str) -> str:
        declared = books.businesses.get(business)
        return declared.name if declared is not None else business

    labels = {r: label(r) for r in analysis.reserves}
    rows: dict[tuple[str, str], Row] = {}

    def row(reserve: str, business: str) -> Row:
        key = (reserve, business)
        if key not in rows:
            rows[key] = Row(business, name(business))
        return rows[key]

    # appropriations in the year: the parts of each business, to present them as transfers from 積立金
    in_year: dict[tuple[int, str], dict[str, Decimal]] = {}
    order: dict[str, int] = {}
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
    kinds = {books.options.get("name_liabilities", "Liabilities"): 0, books.options.get("name_equity", "Equity"): 1}
    for reserve in sorted(analysis.reserves.values(), key=lambda r: (kinds.get(r.account.split(":", 1)[0], 2), r.account)):
        by_business = [rows[(reserve.account, b)] for b in _ordered({b for (r, b) in rows if r == reserve.account}, order)]
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
        appropriation=_appropriation(analysis, fy, currency, labels, order, name),
        plans=[_plan_line(p, labels, analysis, fy) for p in analysis.plan_results if p.plan.currency == currency],
        history=[_history_line(h, labels) for h in analysis.opening_checks if h.currency == currency],
        errors=[f"{e.source.get('filename', '<unknown>')}:{e.source.get('lineno', 0)}: {e.message}" for e in analysis.errors],
    )


def _ordered(businesses: set[str], order: list[str]) -> list[str]:
    rank = {b: i for i, b in enumerate(order)}
    return sorted(businesses, key=lambda b: (rank.get(b, len(rank)), b))


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
    income, expenses = books.options.get("name_income", "Income"), books.options.get("name_expenses", "Expenses")

    def net_income(sums) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for (account, cur), number in sums.items():
            if cur == currency and account.split(":", 1)[0] in (income, expenses):
                business = account_lib.leaf(account)
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


def _appropriation(analysis, fy: FiscalYear, currency: str, labels, order, name) -> AppropriationReport | None:
    found = [a for a in analysis.appropriations if a.year.year == fy.year]
    if not found:
        return None
    a = found[0]
    businesses = _ordered({b for b, c in a.distributed if c == currency} | {b for b, c in a.net_income if c == currency}
                          | {b for _, b, c in a.parts if c == currency}, order)
    rows = []
    for business in businesses:
        parts = {}
        for (reserve, b, c), amount in a.parts.items():
            if b == business and c == currency and amount:
                parts[labels[reserve]] = parts.get(labels[reserve], ZERO) + amount
        rows.append(AppropriationRow(business, name(business), a.distributed.get((business, currency), ZERO), parts))
    total = AppropriationRow(None, "合計", sum((r.net_income for r in rows), ZERO), {})
    for r in rows:
        for label, amount in r.parts.items():
            _add(total.parts, label, amount)
    meta = a.entry.meta
    return AppropriationReport(a.entry.date, meta.get("filename", ""), meta.get("lineno", 0), rows, total)


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


# -- rendering --------------------------------------------------------------------------------


def render(rep: Report, fmt: str = "text") -> str:
    """The report as ``text`` (aligned for a terminal, East Asian wide characters counted two), ``csv`` or ``json``."""
    if fmt == "text":
        return _text(rep)
    if fmt == "csv":
        return _csv(rep)
    if fmt == "json":
        return json.dumps(as_dict(rep), ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown format {fmt!r}: text, csv or json")


def _yen(value: Decimal | None) -> str:
    return "" if value is None else f"{int(value):,}"


def _table(header: list[str], body: list[list[str]], rules: set[int] = frozenset(), left: int = 2) -> list[str]:
    """Aligned rows: the first ``left`` columns left, the others right; a rule under the header and before rows in ``rules``."""
    table = [header] + body
    sizes = [max(width(r[c]) for r in table) for c in range(len(header))]
    right = [c >= left for c in range(len(header))]
    out = []
    for i, r in enumerate(table):
        if i in rules:
            out.append("  ".join("-" * s for s in sizes))
        out.append("  ".join(pad(cell, sizes[c], right=right[c]) for c, cell in enumerate(r)).rstrip())
        if i == 0:
            out.append("  ".join("-" * s for s in sizes))
    return out


def _text(rep: Report) -> str:
    fy = rep.fiscal_year
    out = [f"積立金の増減 {fy.japanese} ({fy.start} .. {fy.end})  単位: 円", ""]
    header = ["積立金", "事業", OPENING, PROVISIONS, RELEASES, "振替・処分", NET_INCOME, OTHER, CLOSING]
    body: list[list[str]] = []
    rules: set[int] = set()
    details: list[list[str]] = []
    for kind in ("負債性積立金", "利益剰余金"):
        for res in (r for r in rep.reserves if r.kind == kind):
            if body:
                rules.add(len(body) + 1)
            rows = res.rows + ([res.total] if len(res.rows) != 1 else [])
            if not res.rows:
                rows = [res.total]
            for i, r in enumerate(rows):
                body.append([res.label if i == 0 else "", r.name, _yen(r.opening), _yen(r.provisions), _yen(r.releases),
                             _yen(r.transfers_total), _yen(r.net_income), _yen(r.other), _yen(r.closing)])
            for r in rows:
                for label, amount in r.transfers.items():
                    details.append([res.label, r.name, label, _yen(amount)])
    out += _table(header, body, rules)
    if any(r.general for r in rep.reserves):
        general = next(r for r in rep.reserves if r.general)
        out.append("")
        out.append(f"({general.label}は公表どおり未処分の利益を含む: the year's 当期純利益 is a movement line, as published.)")
    if details:
        out += ["", "振替・利益の処分の内訳"]
        out += _table(["積立金", "事業", "項目", "金額"], details)
    if rep.appropriation is not None:
        a = rep.appropriation
        labels = list(dict.fromkeys(label for r in a.rows + [a.total] for label in r.parts))
        out += ["", f"利益の処分 ({fy.japanese}の当期純利益; {a.date}, {a.filename}:{a.lineno})"]
        body = [[r.name, _yen(r.net_income)] + [_yen(r.parts.get(label, ZERO)) for label in labels] for r in a.rows + [a.total]]
        out += _table(["事業", "当期純利益"] + labels, body, {len(body)}, left=1)
    if rep.plans:
        out += ["", "計画と実績 (積立・取崩の計画額、計上額、差異)"]
        body = []
        for p in rep.plans:
            body.append([p.label, f"{p.start}..{p.end}", p.kind, _yen(p.planned_provision), _yen(p.booked_provision),
                         _yen(p.provision_deviation), _yen(p.planned_release), _yen(p.booked_release),
                         _yen(p.release_deviation), f"±{_yen(p.precision / 2)}", p.status])
        out += _table(["積立金", "期間", "区分", "積立 計画", "積立 計上", "積立 差異", "取崩 計画", "取崩 計上", "取崩 差異", "精度", "状況"], body)
        for p in rep.plans:
            if p.explanation:
                out.append(f"  {p.label} {p.start}..{p.end}: {p.explanation}")
    if rep.history:
        out += ["", "期首残高と公表実績の照合"]
        body = [[h.label, f"{h.start}..{h.date}", _yen(h.balance), _yen(h.planned), _yen(h.deviation), f"±{_yen(h.tolerance)}", h.status]
                for h in rep.history]
        out += _table(["積立金", "期間", "残高", "公表実績", "差異", "許容差", "状況"], body)
    if rep.errors:
        out += ["", f"{len(rep.errors)} error(s) of the reserves plugin:"] + [f"  {e}" for e in rep.errors]
    return "\n".join(out) + "\n"


CSV_HEADER = ["表", "積立金", "事業", "項目", "開始日", "終了日", "金額", "備考"]


def _csv(rep: Report) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_HEADER)
    fy = rep.fiscal_year
    start, end = fy.start.isoformat(), fy.end.isoformat()
    for res in rep.reserves:
        for r in res.rows + [res.total]:
            w.writerow(["増減", res.label, r.name, OPENING, start, end, int(r.opening), res.kind])
            for label, amount in r.lines():
                w.writerow(["増減", res.label, r.name, label, start, end, int(amount), res.kind])
            w.writerow(["増減", res.label, r.name, CLOSING, start, end, int(r.closing), res.kind])
    if rep.appropriation is not None:
        a = rep.appropriation
        date = a.date.isoformat()
        for r in a.rows + [a.total]:
            w.writerow(["利益の処分", "", r.name, NET_INCOME, date, date, int(r.net_income), ""])
            for label, amount in r.parts.items():
                w.writerow(["利益の処分", label, r.name, "処分額", date, date, int(amount), ""])
    for p in rep.plans:
        for item, value in (("積立 計画", p.planned_provision), ("積立 計上", p.booked_provision), ("積立 差異", p.provision_deviation),
                            ("取崩 計画", p.planned_release), ("取崩 計上", p.booked_release), ("取崩 差異", p.release_deviation)):
            w.writerow([p.kind, p.label, "", item, p.start.isoformat(), p.end.isoformat(), "" if value is None else int(value),
                        p.status + (f": {p.explanation}" if p.explanation else "")])
    for h in rep.history:
        for item, value in (("期首残高", h.balance), ("公表実績", h.planned), ("差異", h.deviation), ("許容差", h.tolerance)):
            w.writerow(["期首残高照合", h.label, "", item, h.start.isoformat(), h.date.isoformat(), int(value), h.status])
    return buf.getvalue()


def _int(value: Decimal | None) -> int | None:
    return None if value is None else int(value)


def _row_dict(r: Row) -> dict:
    return {
        "business": r.business, "name": r.name, "opening": int(r.opening), "provisions": int(r.provisions),
        "releases": int(r.releases), "transfers": {k: int(v) for k, v in r.transfers.items()},
        "net_income": int(r.net_income), "other": int(r.other), "change": int(r.change), "closing": int(r.closing),
    }


def as_dict(rep: Report) -> dict:
    """The report as plain JSON data (integer yen, ISO dates)."""
    fy = rep.fiscal_year
    a = rep.appropriation
    return {
        "fiscal_year": fy.year, "name": fy.japanese, "start": fy.start.isoformat(), "end": fy.end.isoformat(),
        "currency": rep.currency,
        "reserves": [
            {"account": res.account, "label": res.label, "kind": res.kind, "business": res.business, "general": res.general,
             "rows": [_row_dict(r) for r in res.rows], "total": _row_dict(res.total)}
            for res in rep.reserves
        ],
        "appropriation": None if a is None else {
            "date": a.date.isoformat(), "filename": a.filename, "lineno": a.lineno,
            "rows": [{"business": r.business, "name": r.name, "net_income": int(r.net_income),
                      "parts": {k: int(v) for k, v in r.parts.items()}} for r in a.rows],
            "total": {"net_income": int(a.total.net_income), "parts": {k: int(v) for k, v in a.total.parts.items()}},
        },
        "plans": [
            {"reserve": p.reserve, "label": p.label, "start": p.start.isoformat(), "end": p.end.isoformat(), "kind": p.kind,
             "planned_provision": int(p.planned_provision), "planned_release": int(p.planned_release),
             "booked_provision": _int(p.booked_provision), "booked_release": _int(p.booked_release),
             "provision_deviation": _int(p.provision_deviation), "release_deviation": _int(p.release_deviation),
             "precision": int(p.precision), "status": p.status, "explanation": p.explanation, "source": p.source}
            for p in rep.plans
        ],
        "history": [
            {"reserve": h.reserve, "label": h.label, "start": h.start.isoformat(), "date": h.date.isoformat(),
             "balance": int(h.balance), "planned": int(h.planned), "deviation": int(h.deviation),
             "tolerance": int(h.tolerance), "status": h.status}
            for h in rep.history
        ],
        "errors": rep.errors,
    }
