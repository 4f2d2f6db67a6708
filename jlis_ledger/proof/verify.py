"""``jlis-ledger verify``: the articulation of the statements, for any ledger that follows the contract.

    >>> from jlis_ledger import books
    >>> from jlis_ledger.proof import verify
    >>> b = books.load()
    >>> result = verify.verify(b, b.fiscal_year(2022))    # doctest: +SKIP
    >>> [str(f) for f in result.failures]                 # doctest: +SKIP
    []

Each identity compares figures that come from different places — a statement's rows against another
statement, the books' own sums (:meth:`jlis_ledger.books.Books.balances`), the declarations, the
reserves analysis — so that it fails when the books or a builder disagree:

``A=L+NA``        資産合計 = 負債合計 + 純資産合計 in every column of the 事業別貸借対照表 (each business, 相殺等, 合計)
``columns``       the businesses and 相殺等 add up to 合計 on every row of the 事業別貸借対照表 and 損益計算書
``cash``          the CF statement's 期首残高 and 期末残高 = the balance of the declared cash accounts
``equity``        the 純資産変動計算書's 当期末残高 = the 貸借対照表's 純資産合計; each block: 当期首残高 + 当期変動額合計 = 当期末残高
``appropriation`` the 利益の処分 closing the year distributes each business's 当期純利益; its table's 当期純利益 = the PL's
``budget``        決算報告書: 決算額 = the 貸借対照表 / 損益計算書, 予算額 = the declared budgets, 差額 = 決算額 − 予算額
``schedules``     every schedule rolls forward (当期首残高 + movements = 当期末残高) and ends on the 貸借対照表
``roll-forward``  each business's opening of the year = its closing of the year before, on every account and reserve
``clearing``      他事業勘定 nets to zero over the businesses at the year end

A failure names the identity, where, both figures and the difference (:class:`Failure`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from jlis_ledger.core import config as config_lib
from jlis_ledger.core.accounts import business_of, under
from jlis_ledger.core.numbers import amount_text
from jlis_ledger.core.periods import FiscalYear
from jlis_ledger.statements import STATEMENT_IDS, build
from jlis_ledger.statements.chart import Node
from jlis_ledger.statements.context import Context, StatementError
from jlis_ledger.table import Row, Table

if TYPE_CHECKING:
    from jlis_ledger.books import Books

ZERO = Decimal(0)
SEGMENTS = "jlis_ledger.plugins.segments"
IDENTITIES = {
    "A=L+NA": "資産 = 負債 + 純資産, every column of the 事業別貸借対照表",
    "columns": "事業 + 相殺等 = 合計, every row of the 事業別貸借対照表 and 損益計算書",
    "cash": "CF 期首残高 / 期末残高 = the balance of the cash accounts",
    "equity": "純資産変動計算書 当期末残高 = 貸借対照表 純資産合計; 当期首残高 + 当期変動額合計 = 当期末残高",
    "appropriation": "利益の処分 = 当期純利益, each business",
    "budget": "決算額 = the statements, 予算額 = the budgets, 差額 = 決算額 − 予算額",
    "schedules": "schedules roll forward and end on the 貸借対照表",
    "roll-forward": "opening of the year = closing of the year before, each business, account and reserve",
    "clearing": "他事業勘定 nets to zero over the businesses",
}


@dataclass(frozen=True)
class Failure:
    identity: str
    where: str
    left: Decimal
    right: Decimal
    left_name: str = ""
    right_name: str = ""
    currency: str = "JPY"

    @property
    def difference(self) -> Decimal:
        return self.left - self.right

    def __str__(self) -> str:
        left = f"{self.left_name} " if self.left_name else ""
        right = f"{self.right_name} " if self.right_name else ""
        return (f"{self.identity}: {self.where}: {left}{amount_text(self.left, self.currency, False)} ≠ "
                f"{right}{amount_text(self.right, self.currency, False)} (difference {amount_text(self.difference, self.currency)})")


@dataclass
class Verification:
    year: FiscalYear
    checked: dict[str, int] = field(default_factory=lambda: dict.fromkeys(IDENTITIES, 0))
    failures: list[Failure] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # a statement that cannot be built, an identity not checked
    currency: str = "JPY"

    def compare(self, identity: str, where: str, left: Decimal | int | None, right: Decimal | int | None,
                left_name: str = "", right_name: str = "") -> None:
        a, b = Decimal(left or 0), Decimal(right or 0)
        self.checked[identity] += 1
        if a != b:
            self.failures.append(Failure(identity, where, a, b, left_name, right_name, self.currency))

    @property
    def ok(self) -> bool:
        return not self.failures and not self.problems


def _num(value: object) -> Decimal:
    return Decimal(value) if isinstance(value, (int, Decimal)) else ZERO


def _by_account(table: Table) -> dict[str, Row]:
    out: dict[str, Row] = {}
    for row in table.rows:
        if row.account and row.values is not None:
            out.setdefault(row.account, row)
    return out


def _value(row: Row | None, column: int = 0) -> Decimal:
    return _num(row.values[column]) if row is not None and row.values is not None else ZERO


def _balance_sheet(v: Verification, ctx: Context, sbs: Table) -> None:
    roots = ctx.roots
    rows = _by_account(sbs)
    for c, column in enumerate(sbs.columns):
        assets, liabilities, equity = (_value(rows.get(r), c) for r in roots.balance_sheet)
        v.compare("A=L+NA", f"事業別貸借対照表 {column.label}", assets, liabilities + equity, "資産", "負債 + 純資産")


def _columns(v: Verification, table: Table) -> None:
    for row in table.rows:
        if row.values is None:
            continue
        values = [_num(x) for x in row.values]
        v.compare("columns", f"{table.title} {row.label}", sum(values[:-1], ZERO), values[-1], "事業 + 相殺等", "合計")


def _cash(v: Verification, books: Books, ctx: Context, cf: Table) -> None:
    prefixes = ctx.layout.cash_accounts
    currency = books.currency
    for label, date in (("現金及び現金同等物期首残高", ctx.period.start), ("現金及び現金同等物期末残高", v.year.end_exclusive)):
        booked = sum((n for (a, c), n in books.balances(end=date).items() if c == currency and any(under(a, p) for p in prefixes)), ZERO)
        v.compare("cash", f"キャッシュ・フロー計算書 {label}", _value(cf.find(label)), booked, "CF", "cash accounts")


def _equity(v: Verification, ctx: Context, equity: Table, bs: Table) -> None:
    closing = [r for r in equity.rows if r.label == "当期末残高"]
    if closing:
        v.compare("equity", "純資産変動計算書 当期末残高 (純資産合計)", _value(closing[-1]), _value(_by_account(bs).get(ctx.roots.equity)),
                  "純資産変動計算書", "貸借対照表")
    opening = change = None
    block = ""
    for row in equity.rows:
        if row.kind == "heading" and row.label != "当期変動額":
            block = row.label
        if row.label == "当期首残高":
            opening = _value(row)
        elif row.label == "当期変動額合計":
            change = _value(row)
        elif row.label == "当期末残高" and opening is not None:
            v.compare("equity", f"純資産変動計算書 {block}", opening + (change or ZERO), _value(row), "当期首残高 + 当期変動額合計", "当期末残高")
            opening = change = None


def _appropriation(v: Verification, books: Books, ctx: Context, appropriation: Table, pl: Table) -> None:
    fy = v.year
    found = [a for a in books.reserves().appropriations if a.year.year == fy.year]
    net = _net_income(books, fy)
    if not found and any(n for b, n in net.items() if not (books.businesses.get(b) and books.businesses[b].is_elimination)):
        v.problems.append(f"appropriation: {fy.japanese} has no 利益の処分 booked yet (not checked)")
    for a in found:
        for business in sorted({b for b, _ in a.net_income} | {b for b, _ in a.distributed}):
            if books.businesses.get(business) is not None and books.businesses[business].is_elimination:
                continue
            v.compare("appropriation", f"利益の処分 {books.business_name(business)}", a.distributed.get((business, books.currency), ZERO),
                      net.get(business, ZERO), "処分対象利益", "当期純利益")
    profit = [r for r in pl.rows if r.kind == "subtotal"]
    if profit:
        v.compare("appropriation", "利益の処分に関する書類 当期純利益", _value(appropriation.find("当期純利益")), _value(profit[-1]),
                  "利益の処分", "損益計算書")
    if found:
        head = next(r for r in appropriation.rows if r.kind == "subtotal")
        parts = sum((_value(r) for r in appropriation.rows[appropriation.rows.index(head) + 2:] if r.kind == "line"), ZERO)
        v.compare("appropriation", "利益の処分に関する書類 利益処分額", parts, _value(head), "利益処分額", head.label)


def _net_income(books: Books, fy: FiscalYear) -> dict[str, Decimal]:
    sums = books.balances(start=fy.start, end=fy.end_exclusive)
    roots = books.roots.prefixes(*books.roots.income_statement)
    out: dict[str, Decimal] = defaultdict(Decimal)
    for (account, currency), number in sums.items():
        if currency == books.currency and account.startswith(roots):
            out[business_of(account)] -= number
    return out


def _key(row: Row) -> tuple:
    return (row.kind, row.account or row.label)


def _budget(v: Verification, ctx: Context, budget: Table, actual: Table) -> None:
    rows: dict[tuple, Row] = {}
    for row in actual.rows:
        if row.values is not None:
            rows.setdefault(_key(row), row)
    for row in budget.rows:
        if row.values is None:
            continue
        plan, result, difference = (_num(x) for x in row.values)
        v.compare("budget", f"{budget.title} {row.label} 決算額", result, _value(rows.get(_key(row))), "決算額", actual.title)
        if row.account:
            v.compare("budget", f"{budget.title} {row.label} 予算額", plan, ctx.budget(row.account), "予算額", "fiscal-budget")
        v.compare("budget", f"{budget.title} {row.label} 差額", difference, result - plan, "差額", "決算額 − 予算額")


def _chart_node(ctx: Context, account: str) -> Node | None:
    parts = account.split(":")
    node = ctx.chart.roots.get(parts[0])
    for i in range(1, len(parts)):
        node = node.children.get(":".join(parts[: i + 1])) if node is not None else None
    return node


def _schedules(v: Verification, ctx: Context, tables: dict[str, Table], bs: Table) -> None:
    bs_rows = _by_account(bs)

    def on_bs(table: Table, row: Row, value: Decimal) -> None:
        if row.account and row.kind == "line":
            v.compare("schedules", f"{table.title} {row.label} 当期末残高", value, _value(bs_rows.get(row.account)), table.title, "貸借対照表")

    t = tables["fixed-assets"]
    accumulated = ctx.layout.option("fixed-assets", "accumulated-detail")
    lines: list[Decimal] = []
    for row in t.rows:
        if row.values is None:
            lines = []
            continue
        x = [_num(n) for n in row.values]
        v.compare("schedules", f"{t.title} {row.label}", x[0] + x[1] + x[2], x[3], "当期首残高 + 増加 + 減少", "当期末残高")
        if row.kind == "subtotal":
            v.compare("schedules", f"{t.title} {row.label} 差引", sum(lines, ZERO), x[6], "Σ 差引当期末残高", row.label)
            continue
        node = _chart_node(ctx, row.account) if row.account else None
        direct = node is None or accumulated not in node.details.values()  # amortised directly (ソフトウェア)
        v.compare("schedules", f"{t.title} {row.label} 差引", x[3] + (x[5] if direct else x[4]), x[6],
                  "当期末残高 − 当期償却額" if direct else "当期末残高 − 累計額", "差引当期末残高")
        lines.append(x[6])
        on_bs(t, row, x[6])
    for name in ("provisions", "aro"):
        t = tables[name]
        for row in t.rows:
            if row.values is not None:
                x = [_num(n) for n in row.values]
                v.compare("schedules", f"{t.title} {row.label}", sum(x[:-1], ZERO), x[-1], "当期首残高 + 増減", "当期末残高")
                on_bs(t, row, x[-1])
    t = tables["lease-debt"]
    for row in t.rows:
        if row.values is not None:
            on_bs(t, row, _num(row.values[-1]))
    t = tables["reserves"]
    for row in t.rows:
        if row.values is not None:
            x = [_num(n) for n in row.values]
            v.compare("schedules", f"{t.title} {row.label}", sum(x[:-1], ZERO), x[-1], "期首残高 + 増加 + 減少", "期末残高")
            on_bs(t, row, x[-1])
    t = tables["deferred-revenue"]
    for line in ctx.layout.schedule_lines.get("deferred-revenue", []):
        v.compare("schedules", f"{t.title} 合計", _value(t.find("合計")), _value(bs_rows.get(line.account)), t.title, "貸借対照表")


def _roll_forward(v: Verification, books: Books, ctx: Context) -> None:
    before = books.fiscal_year(v.year.year - 1)
    if not any(before.start <= e.date <= before.end for e in books.transactions()):
        v.problems.append(f"roll-forward: {before.japanese} has no entries (not checked)")
        return
    previous = Context.create(books, before)
    opening, closing = ctx.figures.opening, previous.figures
    bs_roots = books.roots.prefixes(*books.roots.balance_sheet)
    for account in sorted(set(opening) | set(closing.accounts())):
        if account.startswith(bs_roots):
            v.compare("roll-forward", f"{account} {v.year.japanese} 期首", opening.get(account, ZERO), closing.closing(account),
                      "期首", f"{before.japanese} 期末")
    now, then = ctx.reserve_report, previous.reserve_report
    closed = {(r.account, row.business): row.closing for r in then.reserves for row in r.rows}
    for r in now.reserves:
        for row in r.rows:
            v.compare("roll-forward", f"{r.label} {row.name} 期首残高", row.opening, closed.get((r.account, row.business), ZERO),
                      "期首", f"{before.japanese} 期末")


def _clearing(v: Verification, books: Books) -> None:
    config = config_lib.literal_dict(config_lib.plugin_config(books.options, SEGMENTS))
    clearing = config.get("clearing")
    if not isinstance(clearing, str):
        v.problems.append("clearing: the ledger has no segments plugin with a clearing account (not checked)")
        return
    sums = books.balances(end=v.year.end_exclusive)
    total = sum((n for (a, c), n in sums.items() if c == books.currency and under(a, clearing)), ZERO)
    v.compare("clearing", f"{clearing} at {v.year.end}", total, ZERO, "Σ 他事業勘定", "")


def verify(books: Books, fy: FiscalYear) -> Verification:
    """Every identity of the module docstring for ``fy``."""
    v = Verification(fy, currency=books.currency)
    try:
        ctx = Context.create(books, fy)
    except StatementError as error:
        v.problems.append(f"statements: {error}")
        return v
    tables: dict[str, Table] = {}
    for statement in STATEMENT_IDS:
        try:
            tables[statement] = build(books, statement, fy, ctx=ctx)
        except StatementError as error:
            v.problems.append(f"{statement}: cannot be built: {error}")
    if "segment-bs" in tables:
        _balance_sheet(v, ctx, tables["segment-bs"])
        _columns(v, tables["segment-bs"])
    if "segment-pl" in tables:
        _columns(v, tables["segment-pl"])
    if "cf" in tables:
        _cash(v, books, ctx, tables["cf"])
    if "equity" in tables and "bs" in tables:
        _equity(v, ctx, tables["equity"], tables["bs"])
    if "appropriation" in tables and "pl" in tables:
        _appropriation(v, books, ctx, tables["appropriation"], tables["pl"])
    if ctx.has_budget():
        _budget(v, ctx, tables["budget-bs"], tables["bs"])
        _budget(v, ctx, tables["budget-pl"], tables["pl"])
    if all(s in tables for s in ("fixed-assets", "provisions", "aro", "lease-debt", "reserves", "deferred-revenue", "bs")):
        _schedules(v, ctx, tables, tables["bs"])
    _roll_forward(v, books, ctx)
    _clearing(v, books)
    return v


__all__ = ["IDENTITIES", "Failure", "Verification", "verify"]
