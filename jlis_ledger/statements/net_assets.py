"""純資産変動計算書 and 利益の処分に関する書類.

Both read the reserves report (:mod:`jlis_ledger.reserves.report`, over the books' one reading
of the reserves), so that the statements and the reserves plugin classify every movement the
same way.

純資産変動計算書: the Equity lines in chart order.  A line that is not a reserve
(出資金) and each equity reserve get 当期首残高, 当期変動額 (its movement lines,
or one line when it has none), 当期変動額合計 and 当期末残高; the reserves of a
section are followed by 「<section>合計」, whose movements name each reserve's
own movement (「積立金の取崩」 / 「システム開発積立金の積立」, a transfer as a pair,
those into the general reserve first), and the statement ends with 純資産合計.
A reserve or line with nothing in the year is left out; so is the profit leg
of appropriations (処分対象利益), whose balance is presented in the general
reserve.  The ledger may declare a heading over everything (``custom
"statement-option" "equity" "heading" "出資者資本"``).
"""

from __future__ import annotations

from decimal import Decimal

from jlis_ledger.statements.chart import Node
from jlis_ledger.statements.context import Context
from jlis_ledger.statements.figures import ZERO
from jlis_ledger.table import Column, Presentation, Table

NET_INCOME = "当期純利益"


def appropriation(ctx: Context) -> Table:
    """処分対象利益 (当期純利益 of the year) and 利益処分額: what each reserve received, in the form's two columns."""
    table = Table("appropriation", "利益の処分に関する書類", [Column("金額")], as_of=ctx.period.end.isoformat(),
                  presentation=Presentation(layout="two-column"))
    rep = ctx.reserve_report.appropriation
    legs = sorted(ctx.profit_legs)
    label = ctx.books.label(legs[0]) if legs else "処分対象利益"
    if rep is None:
        income_statement = ctx.roots.prefixes(*ctx.roots.income_statement)
        net_income = -sum((n for a, n in ctx.figures.movement.items() if a.startswith(income_statement)), ZERO)
        table.subtotal(label, 0, [net_income])
        table.line(NET_INCOME, 1, [net_income])
        return table
    table.subtotal(label, 0, [rep.total.net_income])
    table.line(NET_INCOME, 1, [rep.total.net_income])
    table.heading("利益処分額", 0)
    for reserve, amount in rep.total.parts.items():
        if amount:
            table.line(reserve, 1, [amount])
    return table


def _block(table: Table, level: int, opening: Decimal, movements: list[tuple[str, Decimal]], closing: Decimal) -> None:
    table.line("当期首残高", level, [opening])
    if movements:
        table.heading("当期変動額", level)
        for label, amount in movements:
            table.line(label, level + 1, [amount])
    else:
        table.line("当期変動額", level, [ZERO])
    table.subtotal("当期変動額合計", level, [sum((a for _, a in movements), ZERO)])
    table.line("当期末残高", level, [closing])


def _summary(reports) -> list[tuple[str, Decimal]]:
    """The movements of a section's reserves, each named after its own reserve."""
    general = next((r for r in reports if r.general), None)
    others = [r for r in reports if not r.general]
    pairs: list[list[tuple[str, Decimal]]] = []
    used: set[tuple[str, str]] = set()
    if general is not None:
        own = general.label
        for label, amount in general.total.transfers.items():
            pair = [(f"{own}の{'積立' if amount > 0 else '取崩'}", amount)]
            for r in others:
                if label in r.total.transfers:
                    pair.append((label, r.total.transfers[label]))
                    used.add((r.account, label))
            pairs.append(pair)
        pairs.sort(key=lambda pair: pair[0][1] < 0)  # transfers into the general reserve first
    out = [line for pair in pairs for line in pair]
    for r in others:
        out += [(label, a) for label, a in r.total.transfers.items() if (r.account, label) not in used]
        if r.total.provisions:
            out.append((f"{r.label}の積立", r.total.provisions))
        if r.total.releases:
            out.append((f"{r.label}の取崩", r.total.releases))
    net_income = sum((r.total.net_income for r in reports), ZERO)
    if net_income:
        out.append((NET_INCOME, net_income))
    other = sum((r.total.other for r in reports), ZERO)
    if other:
        out.append(("その他", other))
    return [(label, a) for label, a in out if a]


def equity(ctx: Context) -> Table:
    table = Table("equity", "純資産変動計算書", [Column("金額")],
                  period=(ctx.period.start.isoformat(), ctx.period.end.isoformat()))
    heading = ctx.layout.option("equity", "heading")
    base = 0
    if heading:
        table.heading(heading, 0)
        base = 1
    root = ctx.root(ctx.roots.equity)
    if root is None:
        return table
    reports = {r.account: r for r in ctx.reserve_report.reserves if r.kind == "利益剰余金"}
    hidden = ctx.profit_leg_lines
    opening_total = closing_total = ZERO
    net_income = ZERO
    capital_changes: list[tuple[str, Decimal]] = []

    def capital(node: Node, level: int) -> None:
        nonlocal opening_total, closing_total
        opening, closing = ctx.shown(node.account, "opening"), ctx.shown(node.account, "closing")
        if not (opening or closing or ctx.shown(node.account, "movement")):
            return
        table.heading(node.label, level)
        movements = [(f"{node.label}の増減", closing - opening)] if closing != opening else []
        _block(table, level + 1, opening, movements, closing)
        capital_changes.extend(movements)
        opening_total += opening
        closing_total += closing

    for child in ctx.children(root):
        if child.is_line:
            if child.account in reports:
                r = reports[child.account]
                table.heading(r.label, base)
                _block(table, base + 1, r.total.opening, r.total.lines(), r.total.closing)
                opening_total += r.total.opening
                closing_total += r.total.closing
                net_income += r.total.net_income
            elif child.account not in hidden:
                capital(child, base)
            continue
        section = [reports[n.account] for n in ctx.children(child) if n.account in reports]
        section = [r for r in section if not r.total.is_empty()]
        table.heading(child.label, base)
        for r in section:
            table.heading(r.label, base + 1)
            _block(table, base + 2, r.total.opening, r.total.lines(), r.total.closing)
        for n in ctx.children(child):
            if n.account not in reports and n.account not in hidden and n.is_line:
                capital(n, base + 1)
        opening = sum((r.total.opening for r in section), ZERO)
        closing = sum((r.total.closing for r in section), ZERO)
        table.heading(f"{child.label}合計", base)
        _block(table, base + 1, opening, _summary(section), closing)
        opening_total += opening
        closing_total += closing
        net_income += sum((r.total.net_income for r in section), ZERO)
    table.heading("純資産合計", base)
    movements = [(NET_INCOME, net_income)] if net_income else []
    movements += capital_changes
    rest = closing_total - opening_total - sum((a for _, a in movements), ZERO)
    if rest:
        movements.append(("その他", rest))
    _block(table, base + 1, opening_total, movements, closing_total)
    return table
