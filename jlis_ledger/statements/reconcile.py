"""Compare regenerated statements with published reference data, figure by figure.

The reference file is JSON shaped like :meth:`Table.to_dict`: ``{"tables": {id:
{"columns": [...], "rows": [{"label", "kind", "level", "values"}], "period"|"as_of"}}}``
(``ledger/published/r4-kessan.json``, recovered from the publication independently of
this library).  A table's fiscal year is the one its ``as_of`` or ``period`` ends in (a
table without either takes the year of the others).  Tables whose id is not a statement id (参考資料, summaries) are skipped.
Rows are compared in published order: a missing or extra row, a label, kind or level
that differs, and every value that differs is one :class:`Difference`.

Units: a table printed in another unit than 円 (its ``unit``, or a column's own, e.g. 億円 beside 百万円) keeps
exact yen; its figures are compared at the published unit with the publication's rounding: the exact value in
that unit, rounded half up (away from zero) to the decimals the published figure prints (``"110.1"``: one;
``7738``, ``"1,181"``: none), must be the published figure, and a difference shows the books' figure so rounded.
A unit that is no money unit (団体) is a count, compared as it is.  A reference table that names a money unit
other than the regenerated table's is one difference (``unit``), its figures still compared at the reference's
unit.  One mechanism for every table.

A printed figure that the publication itself contradicts is declared in the ledger (``custom
"published-disagreement"``, :mod:`.summaries`): :func:`reconcile` leaves it out of the differences while the
published figure and the books' are the declared ones, and :func:`disagreements` lists it.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from jlis_ledger.core.numbers import UNITS
from jlis_ledger.statements import STATEMENT_IDS, build_all
from jlis_ledger.table import Table

if TYPE_CHECKING:
    from jlis_ledger.books import Books


@dataclass(frozen=True)
class Difference:
    statement: str
    row: str  # "#n label"
    column: str
    expected: object
    actual: object

    def __str__(self) -> str:
        return f"{self.statement}: {self.row}: {self.column}: expected {self.expected}, got {self.actual}"


class ReferenceDataError(ValueError):
    """Reference data that cannot be read or is not of the tables' shape: the message names the file (and line)."""


_KINDS = ("heading", "line", "subtotal")


def load_reference(path: str | Path) -> dict[str, dict]:
    """The statement tables of a reference file, checked to be of the shape above (a :class:`ReferenceDataError` naming
    the file, and the line or the table and row, when they are not)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(f"{path}: not UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}): reference data is UTF-8 JSON") from None
    except OSError as exc:
        raise ReferenceDataError(f"{path}: cannot read the reference data: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReferenceDataError(f"{path}:{exc.lineno}: not JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise ReferenceDataError(f"{path}: not JSON of reference tables: nested too deeply") from None
    if not isinstance(data, dict):
        raise ReferenceDataError(f"{path}: not reference tables: a JSON {type(data).__name__}, not an object of tables")
    tables = data.get("tables", data)
    if not isinstance(tables, dict):
        raise ReferenceDataError(f"{path}: \"tables\" is a JSON {type(tables).__name__}, not an object of tables by id")
    out = {i: t for i, t in tables.items() if i in STATEMENT_IDS}
    if not out:
        raise ReferenceDataError(f"{path}: no table of a statement id ({', '.join(STATEMENT_IDS[:3])} …): nothing to reconcile")
    for statement, table in out.items():
        _check_table(path, statement, table)
    return out


def _check_table(path: str | Path, statement: str, table: object) -> None:
    where = f"{path}: table {statement}"
    if not isinstance(table, dict) or not isinstance(table.get("rows"), list) or not isinstance(table.get("columns", []), list):
        raise ReferenceDataError(f"{where}: not a table (an object with columns and rows)")
    for n, row in enumerate(table["rows"], start=1):
        values = row.get("values") if isinstance(row, dict) else None
        if not (isinstance(row, dict) and isinstance(row.get("label"), str) and row.get("kind") in _KINDS
                and isinstance(row.get("level"), int) and (values is None or isinstance(values, list))):
            raise ReferenceDataError(f"{where}: row {n} is not a row (label, kind heading/line/subtotal, level, values)")
    try:
        _end(table)
    except (TypeError, ValueError, IndexError):
        raise ReferenceDataError(f"{where}: as_of / period is not an ISO date (YYYY-MM-DD) or a pair of them") from None


def _end(table: dict) -> datetime.date | None:
    when = table.get("as_of") or (table.get("period") or [None, None])[1]
    return datetime.date.fromisoformat(when) if when else None


def _published(expected: object) -> Decimal | None:
    """A published figure as a number (``"1,181"``, ``"110.1"``, ``7738``), or None for a text."""
    if isinstance(expected, bool):
        return None
    if isinstance(expected, int):
        return Decimal(expected)
    if isinstance(expected, str):
        try:
            return Decimal(expected.replace(",", ""))
        except InvalidOperation:
            return None
    return None


def printed(expected: object, actual: object, unit: str) -> object:
    """The books' exact ``actual`` as the publication prints ``expected`` in ``unit``: rounded half up to the
    published figure's decimals (exact yen, a text or a count stays as it is)."""
    if unit not in UNITS or unit == "円" or isinstance(actual, bool) or not isinstance(actual, (int, Decimal)):
        return actual
    published = _published(expected)
    exponent = published.as_tuple().exponent if published is not None else 0
    places = max(-exponent, 0) if isinstance(exponent, int) else 0
    amount = (Decimal(actual) / UNITS[unit][0]).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return int(amount) if places == 0 else amount


def same(expected: object, actual: object, unit: str) -> bool:
    """Whether a published figure is the exact ``actual`` value at the published ``unit`` and rounding (above)."""
    if expected == actual:
        return True
    if unit == "円" or isinstance(actual, bool) or not isinstance(actual, (int, Decimal)):
        return False
    if unit not in UNITS:  # a count (団体): the figure as it is
        return _published(expected) == Decimal(actual)
    return _same(expected, printed(expected, actual, unit))


def _same(published: object, regenerated: object) -> bool:
    """Equal as numbers (a decimal string ``"110.1"`` against a Decimal), or equal."""
    if published == regenerated:
        return True
    number = _published(published)
    return number is not None and isinstance(regenerated, (int, Decimal)) and not isinstance(regenerated, bool) and number == Decimal(regenerated)


def compare(statement: str, expected: dict, actual: Table, *, exact: bool = False) -> list[Difference]:
    """The differences of ``actual`` from ``expected`` (a reference table, its figures in their units; ``exact``: another
    table's :meth:`Table.to_dict`, its figures in yen like ``actual``'s, compared to the yen)."""
    diffs: list[Difference] = []
    got = actual.to_dict()
    unit = expected.get("unit")
    if not exact and unit in UNITS and unit != actual.unit:
        diffs.append(Difference(statement, "(header)", "unit", unit, actual.unit))
    table_unit = unit if unit in UNITS else actual.unit  # the unit the reference's figures are printed in
    if expected.get("columns") != got["columns"]:
        diffs.append(Difference(statement, "(header)", "columns", expected.get("columns"), got["columns"]))
    rows_e, rows_a = expected["rows"], got["rows"]
    for n in range(max(len(rows_e), len(rows_a))):
        e = rows_e[n] if n < len(rows_e) else None
        a = rows_a[n] if n < len(rows_a) else None
        name = f"#{n + 1} {(rows_e if n < len(rows_e) else rows_a)[n]['label']}"
        if e is None or a is None:
            diffs.append(Difference(statement, name, "(row)", e and e["label"], a and a["label"]))
            continue
        diffs.extend(Difference(statement, name, f"({key})", e[key], a[key]) for key in ("label", "kind", "level") if e[key] != a[key])
        ev, av = e.get("values"), a.get("values")
        if ev is None or av is None:
            if ev != av:
                diffs.append(Difference(statement, name, "(values)", ev, av))
            continue
        columns = expected.get("columns") or []
        raw = actual.rows[n].values or ()
        for j in range(max(len(ev), len(av))):
            x = ev[j] if j < len(ev) else None
            y = av[j] if j < len(av) else None
            if exact:
                if x == y:
                    continue
            else:
                unit = (actual.columns[j].unit if j < len(actual.columns) else None) or table_unit
                exact_value = raw[j] if j < len(raw) else None
                if same(x, exact_value, unit):
                    continue
                y = printed(x, exact_value, unit)
            diffs.append(Difference(statement, name, columns[j] if j < len(columns) else f"#{j + 1}", x, y))
    return diffs


def reconcile(books: Books, reference: dict[str, dict], year: int | None = None) -> list[Difference]:
    """Every difference between the books' statements and the reference tables (the declared disagreements of the
    publication left out: :func:`disagreements`)."""
    return split(books, reference, year)[0]


def disagreements(books: Books, reference: dict[str, dict], year: int | None = None) -> list[tuple[Difference, str]]:
    """The differences that are a declared disagreement of the publication with itself, each with its rule."""
    return split(books, reference, year)[1]


def split(books: Books, reference: dict[str, dict], year: int | None = None) -> tuple[list[Difference], list[tuple[Difference, str]]]:
    """(the differences, the declared disagreements with their rules) from one build of the statements."""
    differences: list[Difference] = []
    declared: list[tuple[Difference, str]] = []
    for y, d in _all_differences(books, reference, year):
        rule = _declared(books, d, y)
        if rule is None:
            differences.append(d)
        else:
            declared.append((d, rule))
    return differences, declared


def _declared(books: Books, d: Difference, year: int) -> str | None:
    """The rule of the disagreement declared for ``d`` in fiscal year ``year`` (its date's), or None."""
    label = d.row.split(" ", 1)[1] if " " in d.row else d.row
    for x in books.declarations.summaries.disagreements:
        if ((x.statement, x.row, x.column) == (d.statement, label, d.column) and _same(d.expected, x.published)
                and _same(x.books, d.actual) and books.fiscal_year_of(x.date).year == year):
            return x.rule
    return None


def _all_differences(books: Books, reference: dict[str, dict], year: int | None = None) -> list[tuple[int, Difference]]:
    ends = {s: _end(t) for s, t in reference.items()}
    years = {s: (year if year is not None else (books.fiscal_year_of(end).year if end is not None else None))
             for s, end in ends.items()}
    dated = {y for y in years.values() if y is not None}
    if None in years.values() and len(dated) != 1:
        undated = ", ".join(s for s, y in years.items() if y is None)
        raise ReferenceDataError(f"reference table(s) {undated} have no as_of or period, and the other tables do not name one "
                             "fiscal year: give it with --year")
    by_year: dict[int, list[str]] = {}
    for statement, y in years.items():
        by_year.setdefault(y if y is not None else next(iter(dated)), []).append(statement)
    diffs: list[tuple[int, Difference]] = []
    for y, ids in by_year.items():
        tables = build_all(books, books.fiscal_year(y), ids)
        for statement in ids:
            diffs += [(y, d) for d in compare(statement, reference[statement], tables[statement])]
    return diffs
