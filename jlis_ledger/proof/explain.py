"""What moved a published figure: the entries behind a figure of a statement, and a diff of two revisions.

``jlis-ledger reconcile --explain`` lists, under every figure that differs from the reference, the
entries (``file:line``) and postings that make it; ``jlis-ledger diff OLD NEW`` compares every statement
of two revisions of the books figure by figure and lists, under every figure that moved, the entries that
make it in one revision and not in the other (an entry is the same in both when its meaning is:
:func:`jlis_ledger.proof.digest.entry_digest`), so a 修正仕訳 can be reviewed by its effect on the
published tables.  A figure of a sealed year that moves is marked; ``diff`` exits 1 when there is one.

Which postings make a figure (:class:`Postings`): the row's account (a line or a section; with every
account below it) in the column's business (合計: every business), dated in the statement's period for a
flow statement, up to its date for a balance sheet; the general reserve (積立金) and the sections above it
with the profit not yet appropriated (Income, Expenses and the appropriations' profit legs), as the
statements present it; a CF line: the postings whose ``cf:`` is its label; a 予算額: the ``fiscal-budget``
declarations of the line.  A computed row (a profit step, a subtotal without an account) names no
postings of its own.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount.core import data

from jlis_ledger.core.accounts import business_of, under
from jlis_ledger.core.errors import location
from jlis_ledger.core.numbers import amount_text
from jlis_ledger.proof.digest import entry_digest
from jlis_ledger.statements import STATEMENT_IDS, build_all
from jlis_ledger.statements.context import Context, StatementError
from jlis_ledger.table import Row, Table

if TYPE_CHECKING:
    from jlis_ledger.books import Books

LIMIT = 12  # entries listed per figure


@dataclass(frozen=True)
class Contribution:
    """A posting (or a budget declaration) that makes a figure."""

    meta: data.Meta
    date: datetime.date
    what: str  # the entry: its narration, or the directive
    account: str
    amount: Decimal
    currency: str
    entry: data.Directive | None = None

    @property
    def key(self) -> object:
        """The same in two revisions when the entry means the same (its digest; a budget: its figures)."""
        return entry_digest(self.entry) if self.entry is not None else (self.what, self.account, self.amount, self.currency)

    def __str__(self) -> str:
        return f"{location(self.meta)} {self.date} {self.what}: {self.account} {amount_text(self.amount, self.currency)}"


def _posting(entry: data.Transaction, account: str, number: Decimal, currency: str) -> Contribution:
    return Contribution(entry.meta, entry.date, f'"{entry.narration}"', account, number, currency, entry)


class Postings:
    """The books' postings indexed by account and by ``cf:`` label, to find what makes a figure."""

    def __init__(self, books: Books) -> None:
        self.books = books
        self.by_account: dict[str, list[tuple[Any, Any]]] = defaultdict(list)
        self.by_label: dict[str, list[tuple[Any, Any]]] = defaultdict(list)
        for entry in books.transactions():
            for posting in entry.postings:
                self.by_account[posting.account].append((entry, posting))
                label = (posting.meta or {}).get("cf")
                if label is not None:
                    self.by_label[str(label)].append((entry, posting))
        self._profit_legs = {p.account for e in books.transactions() if "appropriation" in e.tags for p in e.postings
                             if p.account.startswith(books.roots.equity + ":")}

    def _accounts(self, prefixes: list[str], business: str | None) -> list[str]:
        return [a for a in self.by_account if any(under(a, p) for p in prefixes) and (business is None or business_of(a) == business)]

    def figure(self, ctx: Context, table: Table, row: Row, column: int) -> list[Contribution] | None:
        """What makes a cell; None for a computed row."""
        label = table.columns[column].label
        business = table.columns[column].business
        currency = self.books.currency
        start, end = ctx.period.start, ctx.period.end
        if table.id == "cf":
            if row.kind != "line":
                return None
            pairs = [(e, p) for e, p in self.by_label.get(row.label, []) if start <= e.date <= end]
            return [_posting(e, p.account, p.units.number, currency) for e, p in pairs]
        if row.account is None:
            return None
        if label == "予算額":
            return [Contribution(b.meta, ctx.period.start, f'custom "fiscal-budget" {b.year}', b.account, b.amount, b.currency)
                    for b in self.books.declarations.budgets.budgets
                    if b.year == ctx.period.year and under(b.account, row.account)]
        prefixes = [row.account]
        general = ctx.general_reserve
        balance = table.as_of is not None or label.startswith(("当期末", "期末", "差引")) or "累計額" in label
        if balance and general and (general == row.account or general.startswith(row.account + ":")):
            prefixes += [*self.books.roots.income_statement, *self._profit_legs]
        opening = label.startswith(("当期首", "期首"))
        out = []
        for account in self._accounts(prefixes, business):
            for entry, posting in self.by_account[account]:
                date = entry.date
                if (opening and date < start) or (balance and date <= end) or (not opening and not balance and start <= date <= end):
                    out.append(_posting(entry, account, posting.units.number, currency))
        return out


def _row_at(table: Table, name: str) -> Row | None:
    """A row by the reconcile label ``#n label``."""
    number = name.split(" ", 1)[0].lstrip("#")
    index = int(number) - 1 if number.isdigit() else -1
    return table.rows[index] if 0 <= index < len(table.rows) else None


def reference_years(books: Books, reference: dict[str, dict], year: int | None) -> dict[str, int]:
    """The fiscal year of each reference table (``jlis-ledger reconcile``'s rule: its ``as_of`` or ``period``)."""
    out = {}
    for statement, table in reference.items():
        when = table.get("as_of") or (table.get("period") or [None, None])[1]
        if year is not None:
            out[statement] = year
        elif when:
            out[statement] = books.fiscal_year_of(datetime.date.fromisoformat(when)).year
    dated = set(out.values())
    if len(dated) == 1:
        out = {statement: next(iter(dated)) for statement in reference}
    return out


def explain_differences(books: Books, differences: list, year_of: dict[str, int]) -> list[str]:
    """The lines under each reconcile difference: its year if sealed, and what makes the figure."""
    sealed = {s.year: s for s in books.declarations.seals}
    postings = Postings(books)
    cache: dict[int, tuple[Context, dict[str, Table]]] = {}
    lines = []
    for difference in differences:
        lines.append(str(difference))
        year = year_of.get(difference.statement)
        if year is None:
            continue
        if year not in cache:
            fy = books.fiscal_year(year)
            cache[year] = (Context.create(books, fy), build_all(books, fy))
        ctx, tables = cache[year]
        if year in sealed:
            lines.append(f"  in {sealed[year].name}, which is sealed ({location(sealed[year].meta)})")
        table = tables[difference.statement]
        row = _row_at(table, difference.row)
        column = next((i for i, c in enumerate(table.columns) if c.label == difference.column), None)
        if row is None or column is None:
            continue
        lines += _listing(postings.figure(ctx, table, row, column))
    return lines


def _listing(contributions: list[Contribution] | None) -> list[str]:
    if contributions is None:
        return ["  (a computed row: see the rows it adds up)"]
    if not contributions:
        return ["  no posting makes it"]
    by_entry: dict[int, list[Contribution]] = {}
    for c in contributions:
        by_entry.setdefault(id(c.meta), []).append(c)
    out = [f"  {c}" for group in list(by_entry.values())[:LIMIT] for c in group]
    if len(by_entry) > LIMIT:
        out.append(f"  … and {len(by_entry) - LIMIT} more entries")
    return out


# -- two revisions ----------------------------------------------------------------------------


@dataclass
class Moved:
    year: int
    statement: str
    row: str
    column: str
    old: object
    new: object
    sealed: bool
    removed: list[Contribution]
    added: list[Contribution]

    def lines(self) -> list[str]:
        mark = " (sealed year)" if self.sealed else ""
        head = f"{self.year} {self.statement}: {self.row}: {self.column}: {self.old} → {self.new}{mark}"
        out = [head]
        out += [f"  - {c}" for c in self.removed[:LIMIT]] + [f"  + {c}" for c in self.added[:LIMIT]]
        more = max(0, len(self.removed) - LIMIT) + max(0, len(self.added) - LIMIT)
        if more:
            out.append(f"  … and {more} more postings")
        return out


def _years(books: Books) -> set[int]:
    return {books.fiscal_year_of(e.date).year for e in books.transactions()}


def diff(old: Books, new: Books, years: list[int] | None = None) -> list[Moved]:
    """Every figure of every statement that differs between two revisions, with the entries behind it."""
    from jlis_ledger.statements.reconcile import compare

    years = years or sorted(_years(old) & _years(new))
    sealed = {s.year for s in old.declarations.seals} | {s.year for s in new.declarations.seals}
    index = {id(old): Postings(old), id(new): Postings(new)}
    out: list[Moved] = []
    for year in years:
        built: dict[int, tuple[Context, dict[str, Table]] | None] = {}
        for books in (old, new):
            try:
                fy = books.fiscal_year(year)
                built[id(books)] = (Context.create(books, fy), build_all(books, fy, STATEMENT_IDS))
            except StatementError:
                built[id(books)] = None
        before_built, after_built = built[id(old)], built[id(new)]
        if before_built is None or after_built is None:
            continue
        (old_ctx, old_tables), (new_ctx, new_tables) = before_built, after_built
        for statement in STATEMENT_IDS:
            for d in compare(statement, old_tables[statement].to_dict(), new_tables[statement], exact=True):
                old_t, new_t = old_tables[statement], new_tables[statement]
                o_row, n_row = _row_at(old_t, d.row), _row_at(new_t, d.row)
                column = next((i for i, c in enumerate(new_t.columns) if c.label == d.column), None)
                before = index[id(old)].figure(old_ctx, old_t, o_row, column) if o_row and column is not None else None
                after = index[id(new)].figure(new_ctx, new_t, n_row, column) if n_row and column is not None else None
                kept = {c.key for c in before or []} & {c.key for c in after or []}
                out.append(Moved(year, statement, d.row, d.column, d.expected, d.actual, year in sealed,
                                 [c for c in before or [] if c.key not in kept], [c for c in after or [] if c.key not in kept]))
    return out


__all__ = ["Contribution", "Moved", "Postings", "diff", "explain_differences", "reference_years"]
