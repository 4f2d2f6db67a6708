"""附属明細書 and notes: fixed assets, provisions, lease debt, asset retirement obligations,
liability reserves and the contents of 長期前受金.

The ledger lists the lines of each schedule (``custom "statement-line" ID
ACCOUNT [LABEL]``, see :mod:`.layout`); the columns are computed from the
period's sums.  Liabilities read positive; a decrease is negative (its column is printed as the
positive figures the report shows: :attr:`Column.sign`).
"""

from __future__ import annotations

from decimal import Decimal

from beancount.core import account as account_lib

from jlis_ledger.statements.chart import Node
from jlis_ledger.statements.context import Context, StatementError, code_key
from jlis_ledger.statements.figures import ZERO
from jlis_ledger.table import Column, Table


def _lines(ctx: Context, statement: str) -> list[tuple[Node, str]]:
    """The declared lines of a schedule as chart nodes, with their published labels."""
    out = []
    for declared in ctx.layout.schedule_lines.get(statement, []):
        node = _node(ctx, declared.account)
        if node is None:
            raise StatementError(f'{statement}: custom "statement-line" names {declared.account}, which has no accounts')
        out.append((node, declared.label or node.label))
    return out


def _node(ctx: Context, account: str) -> Node | None:
    parts = account.split(":")
    node = ctx.chart.roots.get(parts[0])
    for i in range(1, len(parts)):
        if node is None:
            return None
        node = node.children.get(":".join(parts[: i + 1]))
    return node


def _accounts(ctx: Context, prefix: str) -> list[str]:
    return [a for a in ctx.figures.accounts() if a.startswith(prefix + ":")]


def _flows(ctx: Context, accounts: list[str], *, increase: bool | None = None,
           events: set[str] | None = None, exclude: set[str] | None = None) -> Decimal:
    """Sum of the period's postings to ``accounts``, by direction and ``event:``."""
    wanted = set(accounts)
    total = ZERO
    for (account, event, up), number in ctx.figures.flows.items():
        if account not in wanted or (increase is not None and up != increase):
            continue
        if events is not None and event not in events:
            continue
        if exclude is not None and event in exclude:
            continue
        total += number
    return total


def _opening(ctx: Context, accounts) -> Decimal:
    return sum((ctx.figures.opening.get(a, ZERO) for a in accounts), ZERO)


def _closing(ctx: Context, accounts) -> Decimal:
    return sum((ctx.figures.closing(a) for a in accounts), ZERO)


def _table(ctx: Context, statement_id: str, title: str, columns: list[str], *, balance: bool = False,
           decreases: tuple[str, ...] = ()) -> Table:
    """A schedule's table; the ``decreases`` columns (減少額, 償却額: negative figures) print as the report prints them, positive."""
    shown = [Column(c, sign=-1 if c in decreases else 1) for c in columns]
    if balance:
        return Table(statement_id, title, shown, as_of=ctx.period.end.isoformat())
    return Table(statement_id, title, shown, period=(ctx.period.start.isoformat(), ctx.period.end.isoformat()))


def _add(total: list[Decimal] | None, values: list[Decimal]) -> list[Decimal]:
    return list(values) if total is None else [a + b for a, b in zip(total, values, strict=False)]


# -- 有形固定資産等明細書 -------------------------------------------------------------------------


def fixed_assets(ctx: Context) -> Table:
    """当期首残高, 当期増加額, 当期減少額, 当期末残高 of the cost (取得価額, or the line itself when it has
    no accumulated depreciation), 当期末減価償却累計額, 当期償却額 (postings with a depreciation event)
    and 差引当期末残高 (the book value), grouped under their section with 「<section>計」."""
    depreciation = set(ctx.layout.option_values("fixed-assets", "depreciation-event"))
    accumulated_label = ctx.layout.option("fixed-assets", "accumulated-detail")
    table = _table(ctx, "fixed-assets", "有形固定資産等明細書",
                   ["当期首残高", "当期増加額", "当期減少額", "当期末残高",
                    "当期末減価償却累計額又は償却累計額", "当期償却額", "差引当期末残高"],
                   decreases=("当期減少額", "当期末減価償却累計額又は償却累計額", "当期償却額"))
    section: Node | None = None
    total: list[Decimal] | None = None
    for node, label in _lines(ctx, "fixed-assets"):
        parent = _node(ctx, account_lib.parent(node.account) or "")  # (None only for an empty name)
        if parent is None:
            raise StatementError(f'fixed-assets: custom "statement-line" names {node.account}, which has no section above it')
        if section is None or parent.account != section.account:
            if section is not None and total is not None:
                table.subtotal(f"{section.label}計", 0, total)
            section, total = parent, None
            table.heading(section.label, 0)
        accumulated = [d for d, dl in node.details.items() if dl == accumulated_label]
        every = _accounts(ctx, node.account)
        acc_accounts = [a for a in every if any(a.startswith(d + ":") for d in accumulated)]
        cost = [a for a in every if a not in acc_accounts]
        opening = _opening(ctx, cost)
        increase = _flows(ctx, cost, increase=True, exclude=depreciation)
        decrease = _flows(ctx, cost, increase=False, exclude=depreciation)
        end = opening + increase + decrease
        values = [opening, increase, decrease, end, _closing(ctx, acc_accounts),
                  _flows(ctx, every, events=depreciation), _closing(ctx, every)]
        table.line(label, 1, values, node.account)
        total = _add(total, values)
    if section is not None and total is not None:
        table.subtotal(f"{section.label}計", 0, total)
    return table


# -- 引当金明細書, 資産除去債務明細書 ----------------------------------------------------------------


def _movements(ctx: Context, statement_id: str, title: str, split_decrease: bool) -> Table:
    reversal = set(ctx.layout.option_values(statement_id, "reversal-event"))
    columns = ["当期首残高", "当期増加額"]
    columns += ["当期減少額（目的使用）", "当期減少額（その他）"] if split_decrease else ["当期減少額"]
    table = _table(ctx, statement_id, title, [*columns, "当期末残高"], decreases=tuple(c for c in columns if "減少額" in c))
    total: list[Decimal] | None = None
    for node, label in _lines(ctx, statement_id):
        accounts = _accounts(ctx, node.account)
        s = ctx.sign(node.account)
        increase = s * _flows(ctx, accounts, increase=s > 0)
        if split_decrease:
            decrease = [s * _flows(ctx, accounts, increase=s < 0, exclude=reversal),
                        s * _flows(ctx, accounts, increase=s < 0, events=reversal)]
        else:
            decrease = [s * _flows(ctx, accounts, increase=s < 0)]
        values = [s * _opening(ctx, accounts), increase, *decrease, s * _closing(ctx, accounts)]
        table.line(label, 0, values, node.account)
        total = _add(total, values)
    if total is not None:
        table.subtotal("合計", 0, total)
    return table


def provisions(ctx: Context) -> Table:
    """引当金明細書: a decrease is 目的使用 unless its event is a declared ``reversal-event`` (その他)."""
    return _movements(ctx, "provisions", "引当金明細書", split_decrease=True)


def aro(ctx: Context) -> Table:
    """資産除去債務明細書."""
    return _movements(ctx, "aro", "資産除去債務明細書", split_decrease=False)


# -- 借入金等明細書 ---------------------------------------------------------------------------------


def lease_debt(ctx: Context) -> Table:
    table = _table(ctx, "lease-debt", "借入金等明細書", ["当期首残高", "当期末残高"])
    total: list[Decimal] | None = None
    for node, label in _lines(ctx, "lease-debt"):
        accounts = _accounts(ctx, node.account)
        s = ctx.sign(node.account)
        values = [s * _opening(ctx, accounts), s * _closing(ctx, accounts)]
        table.line(label, 0, values, node.account)
        total = _add(total, values)
    if total is not None:
        table.subtotal("合計", 0, total)
    return table


# -- 負債性積立金の増減 -------------------------------------------------------------------------------


def reserves(ctx: Context) -> Table:
    """Each liability reserve (負債性積立金): 期首残高, 増加額 (繰入), 減少額 (取崩), 期末残高 — the
    reserves report's figures (:mod:`jlis_ledger.reserves.report`)."""
    table = _table(ctx, "reserves", "負債性積立金の増減", ["期首残高", "増加額", "減少額", "期末残高"], decreases=("減少額",))
    for r in ctx.reserve_report.reserves:
        if r.kind != "負債性積立金":
            continue
        t = r.total
        table.line(r.label, 0, [t.opening, t.provisions + t.transfers_total + t.other, t.releases, t.closing], r.account)
    return table


# -- 長期前受金の内容及び金額 --------------------------------------------------------------------------


def deferred_revenue(ctx: Context) -> Table:
    """The closing balance of each detail (purpose) of the declared line, and 合計."""
    table = _table(ctx, "deferred-revenue", "長期前受金の内容及び金額", ["金額"], balance=True)
    total = ZERO
    for node, _label in _lines(ctx, "deferred-revenue"):
        s = ctx.sign(node.account)
        for detail in sorted(node.details, key=lambda d: code_key(Node(d, d))):
            value = s * _closing(ctx, _accounts(ctx, detail))
            table.line(node.details[detail], 0, [value], detail)
            total += value
    table.subtotal("合計", 0, [total])
    return table
