"""What the chart of accounts does not say about the published statements, declared in the ledger.

The balance sheet and the income statement follow the chart (sections, lines, published labels
on the ``open`` entries).  The rest is declared with ``custom`` directives, so that nothing about
a particular body lives in code::

    ; a profit step printed after a section of the income statement
    2014-04-01 custom "statement-subtotal" "pl" "営業利益" Expenses:1-営業費用
    ; cash and cash equivalents, whose postings carry cf: (the CF line)
    2014-04-01 custom "cash-flow-cash" Assets:1-流動資産:11-現金及び預金:1-預金
    ; the CF lines in published order, by section ("" = outside the sections); "小計" is a subtotal
    2014-04-01 custom "cash-flow-line" "営業活動によるキャッシュ・フロー" "事業負担金収入"
    ; the lines of a schedule (附属明細書), optionally with the published label
    2014-04-01 custom "statement-line" "lease-debt" Liabilities:1-流動負債:16-リース債務 "1年以内に返済予定のリース債務"
    ; an option of a statement ("*": of every statement; the presentation options are in .presentation)
    2014-04-01 custom "statement-option" "fixed-assets" "depreciation-event" "減価償却"
    2014-04-01 custom "statement-option" "equity" "heading" "出資者資本"
    2014-04-01 custom "statement-option" "*" "negative" "△"
    ; a note printed as a table of its own (ID), under a group, with its mark; it may cite the lines of
    ; another statement (cites:, cited-by: the line labels, "; " between; a label twice: its second row too)
    2023-03-31 custom "statement-note" "budget-notes" "貸借対照表" "(注1)" "…の増"
      cites: "budget-bs"
      cited-by: "現金及び預金"
    ; a row of a table declared as data (figures that are no postings): a label, its level and the cells
    ; (a text, an amount in yen, a number; "" for an empty cell), with source:
    2023-03-31 custom "statement-row" "fund-grants" "交付決定" 1 "" "" "" 43 2,477,000,000 JPY

:func:`read_layout` reads them once (at load, through :class:`jlis_ledger.books.Books`); a
malformed declaration is a located error of the books, and is left out of the layout.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import account as account_lib
from beancount.core import data
from beancount.core.amount import Amount

from jlis_ledger.core.errors import DeclarationError
from jlis_ledger.core.numbers import NEGATIVES

#: The layout directives and their usage.
USAGE = {
    "statement-subtotal": 'custom "statement-subtotal" takes "pl", a label and an account, e.g. "pl" "営業利益" Expenses:1-営業費用',
    "cash-flow-cash": 'custom "cash-flow-cash" takes one account',
    "cash-flow-line": 'custom "cash-flow-line" takes a section and a label (strings)',
    "statement-line": 'custom "statement-line" takes a statement, an account and an optional label',
    "statement-option": 'custom "statement-option" takes a statement, a name and values',
    "statement-note": ('custom "statement-note" takes a statement, a group, a mark and a text (strings), and cites: (a '
                       'statement) with cited-by: (its line labels, "; " between) or neither'),
    "statement-row": ('custom "statement-row" takes a statement, a label, a level (a whole number) and its cells (texts, '
                      'amounts, numbers; "" for an empty cell; no cells: a heading)'),
}

#: ``statement-option`` for every statement.
EVERY = "*"
#: The presentation options (:mod:`.presentation`): one value each, of the kind said here.
PRESENTATION = {
    "entity": "a name",
    "negative": f"one of {', '.join(NEGATIVES)}",
    "zero": "the text printed for a zero, e.g. -",
    "label-head": "the head of the label column, e.g. 区分",
    "font": "the font named in every cell of a workbook, e.g. ＭＳ 明朝",
    "reference": "the published reference data (JSON) the books reconcile with, relative to the declaring file",
}


class LayoutError(ValueError):
    """A malformed layout declaration, with its location (the first release raised it; now an error of the books)."""


@dataclass(frozen=True)
class ScheduleLine:
    account: str
    label: str | None


@dataclass(frozen=True)
class StatementNote:
    """A note (備考) declared as data: ``custom "statement-note" ID GROUP MARK TEXT`` (+ ``cites:``, ``cited-by:``)."""

    statement: str  # the table that lists the notes
    group: str  # the heading it is listed under
    mark: str  # (注1)
    text: str
    cites: str | None  # the statement whose lines cite it
    cited_by: tuple[str, ...]  # those lines' labels, in order; a label n times: its first n rows
    meta: dict
    date: datetime.date | None = None  # the note belongs to the statements of the period that holds it


@dataclass(frozen=True)
class DeclaredRow:
    """A row of a table declared as data: ``custom "statement-row" ID LABEL LEVEL CELL…`` (+ ``source:``)."""

    statement: str
    label: str
    level: int
    cells: tuple[int | Decimal | str | None, ...]  # an amount as its number (the currency is the books')
    meta: dict
    date: datetime.date | None = None  # the row belongs to the table of the period that holds it


@dataclass
class Layout:
    profit_steps: dict[str, str] = field(default_factory=dict)  # section/line account -> profit label
    cash_accounts: tuple[str, ...] = ()
    cash_flow_lines: list[tuple[str, str]] = field(default_factory=list)  # (section, label)
    schedule_lines: dict[str, list[ScheduleLine]] = field(default_factory=dict)
    options: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    notes: list[StatementNote] = field(default_factory=list)
    rows: dict[str, list[DeclaredRow]] = field(default_factory=dict)

    def option(self, statement: str, name: str, default: str | None = None) -> str | None:
        values = self.options.get((statement, name))
        return values[0] if values else default

    def option_values(self, statement: str, name: str) -> list[str]:
        return list(self.options.get((statement, name), []))


def _is_account(value: object) -> bool:
    return isinstance(value, str) and account_lib.is_valid(value)


def _presentation(values: list) -> bool:
    """A well-formed presentation option: a statement, the option and one non-empty string of its kind."""
    if len(values) != 3 or not all(isinstance(v, str) for v in values) or not values[2]:
        return False
    return values[1] != "negative" or values[2] in NEGATIVES


def _row(values: list) -> tuple | None:
    """The cells of a well-formed ``statement-row`` (a statement, a label, a whole level, cells), else None."""
    if len(values) < 3 or not (isinstance(values[0], str) and isinstance(values[1], str)):
        return None
    level = values[2]
    if isinstance(level, bool) or not isinstance(level, (int, Decimal)) or level != int(level) or level < 0:
        return None
    cells: list[int | Decimal | str | None] = []
    for v in values[3:]:
        number = v.number if isinstance(v, Amount) else v
        if isinstance(number, str):
            cells.append(number or None)
        elif isinstance(number, (int, Decimal)) and not isinstance(number, bool):
            cells.append(int(number) if number == int(number) else Decimal(number))
        else:
            return None
    return tuple(cells)


def _cites_well(meta: dict) -> bool:
    """``cites:`` and ``cited-by:`` are both there (non-empty strings) or both absent."""
    cites, cited = meta.get("cites"), meta.get("cited-by")
    if cites is None and cited is None:
        return True
    return isinstance(cites, str) and isinstance(cited, str) and bool(cites) and all(c.strip() for c in cited.split(";"))


def read_layout(entries: Iterable[data.Directive]) -> tuple[Layout, list[DeclarationError]]:
    """The layout declarations of a ledger, and the errors of those that are malformed."""
    layout = Layout()
    cash: list[str] = []
    errors: list[DeclarationError] = []
    for entry in entries:
        if not isinstance(entry, data.Custom) or entry.type not in USAGE:
            continue
        values = [v.value for v in entry.values]
        kind = entry.type
        strings = all(isinstance(v, str) for v in values)
        if kind == "statement-subtotal" and len(values) == 3 and values[0] == "pl" and strings and _is_account(values[2]):
            layout.profit_steps[values[2]] = values[1]
        elif kind == "cash-flow-cash" and len(values) == 1 and _is_account(values[0]):
            cash.append(values[0])
        elif kind == "cash-flow-line" and len(values) == 2 and strings:
            layout.cash_flow_lines.append((values[0], values[1]))
        elif kind == "statement-line" and len(values) in (2, 3) and strings and _is_account(values[1]):
            label = values[2] if len(values) == 3 else None
            layout.schedule_lines.setdefault(values[0], []).append(ScheduleLine(values[1], label))
        elif kind == "statement-note" and len(values) == 4 and strings and _cites_well(entry.meta):
            cited = entry.meta.get("cited-by")
            statement, group, mark, text = values
            layout.notes.append(StatementNote(statement, group, mark, text, entry.meta.get("cites"),
                                              tuple(c.strip() for c in cited.split(";")) if cited else (), entry.meta, entry.date))
        elif kind == "statement-row" and _row(values) is not None:
            statement, label, level = values[:3]
            layout.rows.setdefault(statement, []).append(DeclaredRow(statement, label, int(level), _row(values) or (), entry.meta,
                                                                  entry.date))
        elif kind == "statement-option" and values[1:2] and values[1] in PRESENTATION and not _presentation(values):
            errors.append(DeclarationError(
                entry.meta, f'custom "statement-option" STATEMENT "{values[1]}" takes one string: {PRESENTATION[values[1]]}', entry))
        elif kind == "statement-option" and len(values) >= 3 and isinstance(values[0], str) and isinstance(values[1], str):
            layout.options.setdefault((values[0], values[1]), []).extend(str(v) for v in values[2:])
        else:
            errors.append(DeclarationError(entry.meta, USAGE[kind], entry))
    layout.cash_accounts = tuple(cash)
    return layout, errors


__all__ = ["EVERY", "PRESENTATION", "USAGE", "DeclaredRow", "Layout", "LayoutError", "ScheduleLine", "StatementNote", "read_layout"]
