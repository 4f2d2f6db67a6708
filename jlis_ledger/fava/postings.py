"""仕訳明細: the rows of a drill-down, of the business lens's journal, of a budget and of a 他事業勘定 pair.

Plain data for the template of :class:`jlis_ledger.fava.BusinessPostings`; the postings come from
:mod:`jlis_ledger.statements.drill` and :mod:`jlis_ledger.segments.settlement`, so that a view's
total is the figure that linked to it.  A row says what a plugin generated: a 他事業勘定 leg names
the businesses on the other side (the pairing rule of :mod:`jlis_ledger.segments.clearing`), a
相殺等 posting is the mirror of an internal transaction, a share of the common pool is a 配賦.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import data

from jlis_ledger.core import generated
from jlis_ledger.core.accounts import business_of, item_of, label_of
from jlis_ledger.segments.clearing import pair_positions, transaction_nets
from jlis_ledger.statements import drill

PAGE_SIZE = 200
ZERO = Decimal(0)


@dataclass
class PostingRow:
    date: datetime.date
    narration: str
    line: str  # the published line (and detail) of the account
    account: str
    business: str  # published name
    amount: Decimal  # as the figure counts it (the journal: Beancount's sign, debit positive)
    running: Decimal | None = None
    notes: list[str] = field(default_factory=list)
    estimate: str | None = None  # the kind of estimate, when the entry carries basis:
    rule: str | None = None
    source_url: str | None = None
    where: str = ""
    opening: bool = False


@dataclass
class PostingsView:
    title: str
    description: str
    rows: list[PostingRow]
    total: Decimal | None
    count: int
    page: int = 1
    pages: int = 1
    kind: str = "drill"  # drill, journal, budget, difference, pair
    parts: list[tuple[str, Decimal]] = field(default_factory=list)  # (label, subtotal) of a composite view


def account_line(books, account: str) -> str:
    """The published line of an account, with its detail: 建物（取得価額）."""
    entry = books.opens.get(account)
    meta = entry.meta if entry is not None else {}
    label = str(meta.get("label") or label_of(item_of(account).rsplit(":", 1)[-1]))
    detail = meta.get("detail")
    return f"{label}（{detail}）" if detail else label


def prefix_label(ctx, prefix: str) -> str:
    """The label of an account prefix of the chart (a line, a section, a root)."""
    for root in ctx.chart.roots.values():
        for node in root.walk():
            if node.account == prefix:
                if node is root:
                    return ctx.root_heading(prefix).removesuffix("の部") if prefix in ctx.roots.balance_sheet else prefix
                return node.label
    return label_of(prefix.rsplit(":", 1)[-1])


def describe(ctx, selection: drill.Selection) -> str:
    terms = " ＋ ".join(prefix_label(ctx, p) for p in selection.plus)
    if selection.minus:
        terms += " − " + " − ".join(prefix_label(ctx, p) for p in selection.minus)
    if selection.cash_flows is not None:
        labels = [label or drill.INTERNAL for label in selection.cash_flows]
        terms = "キャッシュ・フロー " + "・".join(labels)
    who = ctx.books.business_name(selection.business) if selection.business else "全事業（合計）"
    return f"{who} › {terms}（{drill_which(selection.which)}）"


def drill_which(which: str) -> str:
    return {"closing": "期末残高", "movement": "期中の発生額", "opening": "期首残高"}[which]


def _notes(books, entry: data.Transaction, posting: data.Posting, clearing: str | None) -> list[str]:
    notes = []
    meta = posting.meta or {}
    by = meta.get(generated.KEY)
    business = business_of(posting.account)
    declared = books.businesses.get(business)
    if declared is not None and declared.is_elimination:
        notes.append("相殺等: 内部取引の消去（プラグインが生成）")
    elif clearing is not None and posting.account.startswith(clearing + ":"):
        nets = transaction_nets(entry.postings, clearing).get(books.currency, {})
        partners = []
        for debtor, creditor, amount in pair_positions(nets, list(books.businesses)):
            if business in (debtor, creditor):
                other = creditor if business == debtor else debtor
                side = "へ支払うべき額" if business == debtor else "から受け取るべき額"
                partners.append(f"{books.business_name(other)}{side} {amount:,}")
        origin = "プラグインが生成した他事業勘定" if by else "他事業勘定"
        notes.append(f"{origin}（{'、'.join(partners) or '相手なし'}）")
    elif by:
        notes.append({"allocations": "配賦: 共通の額を配賦基準で按分（プラグインが生成）",
                      "segments": "プラグインが生成", "import": "取込で生成"}.get(str(by), f"生成: {by}"))
    return notes


def rows_of(page, ctx, items: list[drill.Item], *, journal: bool = False, which: str = "movement",
            start: Decimal = ZERO) -> list[PostingRow]:
    """The rows of ``items`` (``start``: the running total before the first)."""
    from jlis_ledger.segments.clearing import clearing_account

    books = ctx.books
    clearing = clearing_account(books.options)
    out = []
    running = start
    for item in items:
        entry, posting = item.entry, item.posting
        running += item.amount
        basis = (posting.meta or {}).get("basis") or entry.meta.get("basis")
        rule = (posting.meta or {}).get("rule") or entry.meta.get("rule")
        notes = _notes(books, entry, posting, clearing)
        if which != "movement" and drill.folded(ctx, posting.account, which) != posting.account:
            notes.append("未処分の損益: 公表どおり積立金に含める")
        number = posting.units.number if journal and posting.units is not None else item.amount
        out.append(PostingRow(
            entry.date, entry.narration or entry.payee or "", account_line(books, posting.account), posting.account,
            books.business_name(business_of(posting.account)), Decimal(number or 0), None if journal else running,
            notes, page.basis_name(str(basis)) if basis else None, str(rule) if rule else None,
            page.source_url(entry.meta), f"{entry.meta.get('filename', '')}:{entry.meta.get('lineno', '')}", item.opening,
        ))
    return out


def paginate(rows: list, number: int) -> list:
    return rows[(number - 1) * PAGE_SIZE: number * PAGE_SIZE]


def pages(count: int) -> int:
    return max(1, -(-count // PAGE_SIZE))


def budget_rows(page, ctx, selection: drill.Selection, sign: int = 1) -> tuple[list[PostingRow], Decimal]:
    """The budget declarations under a selection's prefixes (added and subtracted), signed as the 予算額."""
    books = ctx.books
    year = ctx.period.year
    rows = []
    total = ZERO
    for budget in books.declarations.budgets.budgets:
        if budget.year != year or budget.currency != books.currency or budget.business is not None:
            continue  # a budget by business (参考資料1-2) is no part of the body's 予算額
        factor = 0
        for prefix in selection.plus:
            factor += 1 if budget.account == prefix or budget.account.startswith(prefix + ":") else 0
        for prefix in selection.minus:
            factor -= 1 if budget.account == prefix or budget.account.startswith(prefix + ":") else 0
        if not factor:
            continue
        amount = sign * factor * budget.amount
        total += amount
        meta = budget.meta
        rows.append(PostingRow(
            ctx.period.start,
            str(meta.get("source") or "予算額"), prefix_label(ctx, budget.account), budget.account, "（法人全体）", amount,
            None, ["予算額の宣言" if sign > 0 else "予算額（差額では減算）"], None, None, page.source_url(meta),
            f"{meta.get('filename', '')}:{meta.get('lineno', '')}"))
    return rows, total


__all__ = ["PAGE_SIZE", "PostingRow", "PostingsView", "account_line", "budget_rows", "describe", "paginate", "rows_of"]
