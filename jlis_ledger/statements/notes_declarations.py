"""The notes (注記) and the tables of the 附属明細書 that the chart cannot lay out, declared in the ledger.

A note table is declared whole: its title, its columns and its rows in published order, and for each cell
where its figure comes from — a quantity of the books (a balance, a flow by ``event:``), another cell, or a
*fact* (a 時価, an interest rate, a due date, a text: what is not a posting), declared as data with
``source:``.  Nothing about a particular body lives in code::

    ; the table: id (the statement id), title, and "as-of" (balances at the period's end) or "period"
    2014-04-01 custom "note-table" "securities-note" "満期保有目的の債券で時価のあるもの" "as-of"
    ; its value columns in order ("text": a column of texts, e.g. 平均利率, 返済期限, 内容)
    2014-04-01 custom "note-column" "securities-note" "貸借対照表計上額"
    ; its rows in order: kind (heading, line, subtotal), level, label
    2014-04-01 custom "note-row" "securities-note" "line" 1 "地方債"
    ; a cell from the books: table, row, column, source and its arguments (below)
    2014-04-01 custom "note-cell" "securities-note" "地方債" "貸借対照表計上額" "closing" Assets:1-流動資産:15-有価証券
    ; a check: the sum of some cells of a row ("|"-separated columns) is a quantity of the books
    2014-04-01 custom "note-check" "lease-repayment" "リース債務" "1年超2年以内|2年超3年以内" "closing" Liabilities:2-固定負債:27-リース債務
    ; a text printed under the table
    2014-04-01 custom "note-text" "securities-note" "(注3) 地方債の時価は、…"
    ; a fact of the period it is dated in (source: required): table, row, column, value (a number or a text)
    2023-03-31 custom "note-fact" "securities-note" "地方債" "時価" 199840000
      source: "…"

Sources of a ``note-cell`` or ``note-check`` (amounts read as the statements show them: a liability, a
revenue or a net asset positive, an asset or an expense positive; a decrease of either negative):

* ``"closing" ACCOUNT…`` / ``"opening" ACCOUNT…``: the balance under the accounts at the period's end / start;
* ``"increase" EVENT ACCOUNT…`` / ``"decrease" EVENT ACCOUNT…`` / ``"flow" EVENT ACCOUNT…``: the period's
  postings under the accounts that increase / decrease them / either, whose ``event:`` is ``EVENT``
  (``"*"``: any event);
* ``"difference" COLUMN COLUMN``: the first cell of the same row less the second;
* ``"cell" TABLE ROW COLUMN``: a cell of another note table of the same period;
* any source prefixed with ``-`` is negated (e.g. ``"-closing"``).

A ``line`` cell is its fact, else its ``note-cell``, else empty.  A ``subtotal`` cell is the sum of the
lines above it, back to the previous subtotal of the same or a lower level; a fact or ``note-cell``
declared for a subtotal is checked against that sum (a text column of a subtotal shows its fact).  A
``heading`` has no values.  :func:`read_notes` reads them once (at load, through
:class:`jlis_ledger.books.Books`); a malformed declaration is a located error of the books and is left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from beancount.core import account as account_lib
from beancount.core import amount as amount_lib
from beancount.core import data

from jlis_ledger.core.errors import DeclarationError

USAGE = {
    "note-table": 'custom "note-table" takes an id, a title and "as-of" or "period"',
    "note-column": 'custom "note-column" takes a table id, a label and optionally "text"',
    "note-row": 'custom "note-row" takes a table id, a kind (heading, line, subtotal), a level (a number) and a label',
    "note-cell": 'custom "note-cell" takes a table id, a row, a column, a source and its arguments',
    "note-check": 'custom "note-check" takes a table id, a row, "|"-separated columns, a source and its arguments',
    "note-text": 'custom "note-text" takes a table id and a text',
    "note-fact": 'custom "note-fact" takes a table id, a row, a column and a value (a number or a text), with source:',
}
KINDS = ("heading", "line", "subtotal")
#: source -> what its arguments are
SOURCES = {
    "closing": "accounts", "opening": "accounts",
    "increase": "event+accounts", "decrease": "event+accounts", "flow": "event+accounts",
    "difference": "two columns", "cell": "table, row, column",
}
ANY_EVENT = "*"


@dataclass(frozen=True)
class Source:
    """Where a cell's amount comes from (see the module's doc)."""

    kind: str
    args: tuple[str, ...]
    negate: bool
    meta: data.Meta

    @property
    def event(self) -> str | None:
        return None if self.args[0] == ANY_EVENT else self.args[0]

    @property
    def accounts(self) -> tuple[str, ...]:
        return self.args[1:] if SOURCES[self.kind] == "event+accounts" else self.args


@dataclass(frozen=True)
class NoteRow:
    kind: str
    level: int
    label: str


@dataclass(frozen=True)
class NoteFact:
    date: object
    value: Decimal | str
    meta: data.Meta


@dataclass(frozen=True)
class NoteCheck:
    row: str
    columns: tuple[str, ...]
    source: Source


@dataclass
class NoteTable:
    id: str
    title: str
    balance: bool
    meta: data.Meta
    columns: list[tuple[str, bool]] = field(default_factory=list)  # (label, text?)
    rows: list[NoteRow] = field(default_factory=list)
    cells: dict[tuple[str, str], Source] = field(default_factory=dict)  # (row, column) -> source
    checks: list[NoteCheck] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    facts: dict[tuple[str, str], list[NoteFact]] = field(default_factory=dict)  # (row, column) -> facts (any year)

    def column_labels(self) -> list[str]:
        return [c for c, _ in self.columns]


def _source(values: list, meta: data.Meta) -> Source | str:
    """The source of a cell or a check from its values (source name and arguments), or what is wrong."""
    if not values or not isinstance(values[0], str):
        return f"a source ({', '.join(SOURCES)}) and its arguments"
    name = values[0]
    negate = name.startswith("-")
    kind = name[1:] if negate else name
    args = values[1:]
    if kind not in SOURCES:
        return f"source {name!r} is not one of {', '.join(SOURCES)} (optionally prefixed with -)"
    if not all(isinstance(a, str) for a in args):
        return f"the arguments of {name!r} are strings and accounts"
    shape = SOURCES[kind]
    accounts = args[1:] if shape == "event+accounts" else args
    if shape in ("accounts", "event+accounts") and (not accounts or not all(account_lib.is_valid(a) for a in accounts)):
        what = 'an event (or "*") and ' if shape == "event+accounts" else ""
        return f"{name!r} takes {what}one or more accounts"
    if shape == "two columns" and len(args) != 2:
        return f"{name!r} takes two columns of the same row"
    if shape == "table, row, column" and len(args) != 3:
        return f"{name!r} takes a table, a row and a column"
    return Source(kind, tuple(args), negate, meta)


def _fact_value(value: object) -> Decimal | str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return value
    if isinstance(value, amount_lib.Amount) and value.number is not None:
        return value.number
    return None


def read_notes(entries: Iterable[data.Directive]) -> tuple[dict[str, NoteTable], list[DeclarationError]]:
    """The note tables of a ledger (by id, in declaration order), and the errors of the malformed declarations."""
    tables: dict[str, NoteTable] = {}
    errors: list[DeclarationError] = []
    pending: list[tuple[data.Custom, list]] = []

    def error(entry: data.Custom, message: str) -> None:
        errors.append(DeclarationError(entry.meta, message, entry))

    for entry in entries:
        if not isinstance(entry, data.Custom) or entry.type not in USAGE:
            continue
        values = [v.value for v in entry.values]
        if entry.type == "note-table":
            if len(values) == 3 and all(isinstance(v, str) for v in values) and values[2] in ("as-of", "period"):
                if values[0] in tables:
                    error(entry, f'note table {values[0]!r} is declared twice (first at {tables[values[0]].meta.get("filename")}:'
                                 f'{tables[values[0]].meta.get("lineno")})')
                else:
                    tables[values[0]] = NoteTable(values[0], values[1], values[2] == "as-of", entry.meta)
            else:
                error(entry, USAGE[entry.type])
        else:
            pending.append((entry, values))
    for entry, values in pending:  # everything that names a table, once every table is known
        kind = entry.type
        table = tables.get(values[0]) if values and isinstance(values[0], str) else None
        if table is None:
            error(entry, f"{USAGE[kind]}: {values[0]!r} is not a declared note-table" if values else USAGE[kind])
            continue
        rest = values[1:]
        if kind == "note-column":
            if len(rest) in (1, 2) and all(isinstance(v, str) for v in rest) and rest[1:] in ([], ["text"]):
                table.columns.append((rest[0], rest[1:] == ["text"]))
            else:
                error(entry, USAGE[kind])
        elif kind == "note-row":
            if (len(rest) == 3 and rest[0] in KINDS and isinstance(rest[1], Decimal) and rest[1] == int(rest[1]) >= 0
                    and isinstance(rest[2], str)):
                table.rows.append(NoteRow(rest[0], int(rest[1]), rest[2]))
            else:
                error(entry, USAGE[kind])
        elif kind == "note-text":
            if len(rest) == 1 and isinstance(rest[0], str):
                table.texts.append(rest[0])
            else:
                error(entry, USAGE[kind])
    for entry, values in pending:  # cells, checks and facts, once the rows and columns are known
        kind = entry.type
        table = tables.get(values[0]) if values and isinstance(values[0], str) else None
        if table is None or kind not in ("note-cell", "note-check", "note-fact"):
            continue
        problem = _cell_problem(table, values[1:], kind)
        if problem:
            error(entry, f"{USAGE[kind]}: {problem}")
            continue
        row, column = values[1], values[2]
        if kind == "note-fact":
            value = _fact_value(values[3])
            if "source" not in entry.meta:
                error(entry, f'custom "note-fact" {table.id} {row!r} {column!r} has no source: metadata (a fact is declared with its source)')
            else:
                table.facts.setdefault((row, column), []).append(NoteFact(entry.date, value, entry.meta))  # type: ignore[arg-type]
            continue
        source = _source(values[3:], entry.meta)
        if isinstance(source, str):
            error(entry, f"{USAGE[kind]}: {source}")
        elif kind == "note-cell":
            if (row, column) in table.cells:
                error(entry, f"{table.id}: the cell {row!r} {column!r} has two note-cell declarations")
            else:
                table.cells[(row, column)] = source
        else:
            table.checks.append(NoteCheck(row, tuple(column.split("|")), source))
    return tables, errors


def _cell_problem(table: NoteTable, rest: list, kind: str) -> str | None:
    """What is wrong with the row and column a cell, check or fact names (None: nothing)."""
    if len(rest) < 3 or not isinstance(rest[0], str) or not isinstance(rest[1], str):
        return "too few values"
    if kind == "note-fact" and (len(rest) != 3 or _fact_value(rest[2]) is None):
        return "the value is one number or one text"
    labels = [r.label for r in table.rows]
    if rest[0] not in labels:
        return f"{table.id} has no row {rest[0]!r}"
    if labels.count(rest[0]) > 1:
        return f"{table.id} has {labels.count(rest[0])} rows {rest[0]!r}: a cell names a row of a unique label"
    if next(r for r in table.rows if r.label == rest[0]).kind == "heading":
        return f"{rest[0]!r} is a heading (it has no values)"
    columns = table.column_labels()
    named = rest[1].split("|") if kind == "note-check" else [rest[1]]
    missing = [c for c in named if c not in columns]
    if missing:
        return f"{table.id} has no column {missing[0]!r} (its columns: {', '.join(columns)})"
    return None


__all__ = ["ANY_EVENT", "KINDS", "SOURCES", "USAGE", "NoteCheck", "NoteFact", "NoteRow", "NoteTable", "Source", "read_notes"]
