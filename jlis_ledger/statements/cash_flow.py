"""キャッシュ・フロー計算書 (direct method) from the cash postings' ``cf:`` lines.

The ledger declares its cash and cash equivalents (``custom "cash-flow-cash"
ACCOUNT``) and the CF lines in published order by section (``custom
"cash-flow-line" SECTION LABEL``).  Every posting to a cash account names its
line in ``cf:``; a line is the sum of its postings in the period (an outflow is
negative).  A label that no declaration names must sum to zero over the
businesses (a settlement between businesses, e.g. 事業間精算), and cash
postings without ``cf:`` must cancel out (an internal settlement and its
elimination in 相殺等): anything else would make 増減額 differ from the change
of the cash balance, and is an error.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from jlis_ledger.core.errors import location
from jlis_ledger.core.generated import is_generated
from jlis_ledger.core.numbers import amount_text
from jlis_ledger.statements.context import Context, StatementError
from jlis_ledger.statements.figures import ZERO
from jlis_ledger.table import Column, Table

SUBTOTAL = "小計"


def _lacking_cf(uncategorised: list[tuple[str, dict, Decimal, dict]]) -> tuple[str, dict, Decimal]:
    """The cash posting to name when those without ``cf:`` do not cancel out: the first typed one of the first
    transaction whose own cash postings without ``cf:`` do not (an internal settlement and its 相殺等 mirror do)."""
    by_entry: dict[int, list[tuple[str, dict, Decimal]]] = defaultdict(list)
    for account, meta, number, entry_meta in uncategorised:
        by_entry[id(entry_meta)].append((account, meta, number))
    for postings in by_entry.values():
        if sum((number for _, _, number in postings), ZERO):
            return next((p for p in postings if not is_generated(p[1])), postings[0])
    return uncategorised[0][:3]


def cash_flow(ctx: Context) -> Table:
    layout, fig = ctx.layout, ctx.figures
    if not layout.cash_accounts:
        raise StatementError('the ledger declares no cash accounts (custom "cash-flow-cash" ACCOUNT)')
    if sum((number for _, _, number, _ in fig.uncategorised), ZERO):
        account, meta, number = _lacking_cf(fig.uncategorised)
        raise StatementError(f"{location(meta)}: the posting of {amount_text(number, fig.currency, sign=False)} to the cash account {account} has no cf: line "
                             "(name its CF line, e.g. cf: \"人件費支出\"; cash postings without cf: must cancel out)")
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for (label, _account), number in fig.cash_flows.items():
        sums[label] += number
    declared = {label for _, label in layout.cash_flow_lines}
    stray = {label: n for label, n in sums.items() if label not in declared and n}
    if stray:
        raise StatementError("cf: lines not declared by custom \"cash-flow-line\" and not summing to zero: "
                             + ", ".join(f"{label} {n}" for label, n in sorted(stray.items())))

    table = Table("cf", "キャッシュ・フロー計算書", [Column("金額")],
                  period=(ctx.period.start.isoformat(), ctx.period.end.isoformat()))
    sections: dict[str, list[str]] = {}
    for section, label in layout.cash_flow_lines:
        sections.setdefault(section, []).append(label)
    change = ZERO
    for section, labels in sections.items():
        if not section:
            continue
        table.heading(section, 0)
        total = ZERO
        for label in labels:
            if label == SUBTOTAL:
                table.subtotal(SUBTOTAL, 1, [total])
                continue
            total += sums.get(label, ZERO)
            table.line(label, 1, [sums.get(label, ZERO)])
        table.subtotal(section, 0, [total])
        change += total
    for label in sections.get("", []):
        table.line(label, 0, [sums.get(label, ZERO)])
        change += sums.get(label, ZERO)
    opening = sum((n for a, n in fig.opening.items() if a.startswith(tuple(c + ":" for c in layout.cash_accounts))), ZERO)
    closing = sum((fig.closing(a) for a in fig.accounts() if a.startswith(tuple(c + ":" for c in layout.cash_accounts))), ZERO)
    if opening + change != closing:
        raise StatementError(f"cash flows {change} do not explain the change of the cash balance {opening} -> {closing}")
    table.subtotal("現金及び現金同等物の増減額", 0, [change])
    table.subtotal("現金及び現金同等物期首残高", 0, [opening])
    table.subtotal("現金及び現金同等物期末残高", 0, [closing])
    return table
