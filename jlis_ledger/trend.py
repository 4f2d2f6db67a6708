"""A measure by business over the fiscal years: published history plus the books' own years.

A ledger declares a measure and records its published history::

    2014-04-01 custom "trend" "経常費用" Expenses:1-営業費用 Expenses:2-営業外費用
      title: "事業別決算額の推移（損益計算書費用ベース）"
      unit: "億円"
      scale: 100000000
      places: 1
    2015-03-31 custom "trend-record" "経常費用" 2014 "B1-一般事業" 30.8

``custom "trend" NAME ACCOUNT...`` names the accounts (without their business
component) whose postings make the measure; ``scale`` (yen per unit) and
``places`` (decimals) say how the published figures are rounded.
``custom "trend-record" NAME FY BUSINESS VALUE`` is a published figure, in
the unit.  For every fiscal year with postings under the accounts, the books
give their own figure per business (the sum of the year's postings, rounded
half up like the published ones); a year without postings shows the record.
Where both exist, both are kept so that a reader (and the tests) can compare.

    >>> from jlis_ledger import books, trend
    >>> t = trend.build(books.load())
    >>> [c.value for c in t.series[0].cells][-1]      # 一般事業, 令和4年度, from the books
    Decimal('43.5')
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from beancount.core import account as account_lib
from beancount.core import data

from jlis_ledger.core import wareki
from jlis_ledger.core.accounts import business_of
from jlis_ledger.core.errors import DeclarationError
from jlis_ledger.core.periods import fiscal_year

if TYPE_CHECKING:
    from jlis_ledger.books import Books

ZERO = Decimal(0)


@dataclass(frozen=True)
class Measure:
    name: str
    accounts: tuple[str, ...]  # without the business component
    title: str
    unit: str  # e.g. 億円; "円" when not declared
    scale: Decimal  # yen per unit
    places: int  # decimals of the published figures
    meta: data.Meta

    def round(self, yen: Decimal) -> Decimal:
        quantum = Decimal(1).scaleb(-self.places)
        return (yen / self.scale).quantize(quantum, rounding=ROUND_HALF_UP)

    def covers(self, account: str) -> bool:
        return any(account.startswith(prefix + ":") for prefix in self.accounts)


@dataclass
class Cell:
    published: Decimal | None  # the record, in the unit
    booked: Decimal | None  # the books' figure, rounded to the unit
    booked_yen: Decimal | None

    @property
    def value(self) -> Decimal | None:
        """What to show: the books where they have the year, else the record."""
        return self.booked if self.booked is not None else self.published

    @property
    def origin(self) -> str | None:
        if self.booked is not None:
            return "帳簿"
        return "公表" if self.published is not None else None

    @property
    def agrees(self) -> bool | None:
        """Whether the books round to the published figure (None: nothing to compare)."""
        if self.booked is None or self.published is None:
            return None
        return self.booked == self.published


@dataclass
class Series:
    business: str  # the label, e.g. B1-一般事業
    name: str  # the published name
    cells: list[Cell]  # one per year


@dataclass
class Trend:
    measure: Measure
    years: list[int]  # fiscal years, as Fava names them
    series: list[Series]
    booked_years: set[int] = field(default_factory=set)
    errors: list[DeclarationError] = field(default_factory=list)  # malformed declarations, with their location

    def totals(self) -> list[Decimal]:
        """The total of each year: the sum of the figures shown (as the publication adds its rounded figures)."""
        quantum = Decimal(1).scaleb(-self.measure.places)
        return [sum((s.cells[i].value or ZERO for s in self.series), ZERO).quantize(quantum, rounding=ROUND_HALF_UP)
                for i in range(len(self.years))]


def era(year: int, fiscal_year_end: tuple[int, int] = (15, 31)) -> str:
    """The fiscal year in the short era form of the publication: H26, R元, R4 (:mod:`jlis_ledger.core.wareki`)."""
    return wareki.short_year_name(fiscal_year(year, fiscal_year_end).start.year)


Record = tuple[str, int, str, Decimal, data.Custom]


@dataclass
class TrendDeclarations:
    """The declared measures (``custom "trend"``) and their published records (``custom "trend-record"``)."""

    measures: dict[str, Measure] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)


def read_trend(entries) -> tuple[TrendDeclarations, list[DeclarationError]]:
    """The trend declarations of the entries, and the errors of the malformed ones."""
    measures, records, errors = read(entries)
    return TrendDeclarations(measures, records), errors


def read(entries) -> tuple[dict[str, Measure], list[Record], list[DeclarationError]]:
    """The declared measures, the published records (name, year, business, value, entry) and the errors."""
    measures: dict[str, Measure] = {}
    records = []
    errors: list[DeclarationError] = []
    for entry in entries:
        if not isinstance(entry, data.Custom):
            continue
        values = entry.values
        if entry.type == "trend":
            if len(values) < 2 or not isinstance(values[0].value, str) or any(v.dtype != account_lib.TYPE for v in values[1:]):
                errors.append(DeclarationError(entry.meta, 'custom "trend" takes a name and one or more accounts (without business)', entry))
                continue
            meta = entry.meta
            try:
                scale = Decimal(meta.get("scale", 1))
                places_value = Decimal(meta.get("places", 0))
                if places_value != places_value.to_integral_value() or not 0 <= places_value <= 12:
                    raise ValueError(places_value)
                places = int(places_value)
            except (ArithmeticError, ValueError, TypeError):
                errors.append(DeclarationError(meta, 'custom "trend": scale: is a number and places: a whole number of decimals (0 to 12)', entry))
                continue
            name = values[0].value
            measures[name] = Measure(name, tuple(v.value for v in values[1:]), str(meta.get("title", name)),
                                     str(meta.get("unit", "円")), scale, places, meta)
        elif entry.type == "trend-record":
            kinds = (str, Decimal, str, Decimal)
            if (len(values) != 4 or not all(isinstance(v.value, k) for v, k in zip(values, kinds, strict=False))
                    or values[1].value != values[1].value.to_integral_value()):
                errors.append(DeclarationError(entry.meta, 'custom "trend-record" takes NAME FY BUSINESS VALUE, e.g. "経常費用" 2014 "B1-一般事業" 30.8', entry))
                continue
            name, year, business, value = (v.value for v in values)
            records.append((name, int(year), business, value, entry))
    for name, _, _business, _, entry in records:
        if name not in measures:
            errors.append(DeclarationError(entry.meta, f'trend-record: no custom "trend" {name!r} is declared', entry))
    return measures, records, errors


def build(books: Books, name: str | None = None) -> Trend | None:
    """The trend of the measure ``name`` (default: the first declared), or None if the ledger declares none."""
    declared = books.declarations.trend
    measures, records = declared.measures, declared.records
    errors = [e for e in books.errors if isinstance(e, DeclarationError) and e.entry is not None
              and isinstance(e.entry, data.Custom) and e.entry.type in ("trend", "trend-record")]
    if not measures:
        return None
    measure = measures[name] if name is not None else next(iter(measures.values()))
    published: dict[tuple[int, str], Decimal] = {}
    for rec_name, rec_year, rec_business, value, _ in records:
        if rec_name == measure.name:
            published[(rec_year, rec_business)] = value
    booked: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    booked_years: set[int] = set()
    number: Decimal
    currency: str
    for entry in books.transactions():
        entry_year: int | None = None
        for posting in entry.postings:
            number, currency = posting.units  # type: ignore[misc, assignment]  # loaded: a posting has a number
            if currency != books.currency or not measure.covers(posting.account):
                continue
            if entry_year is None:
                entry_year = books.fiscal_year_of(entry.date).year
            booked_years.add(entry_year)
            booked[(entry_year, business_of(posting.account))] += number
    years = sorted({y for y, _ in published} | booked_years)
    series = []
    for label, business in books.businesses.items():
        if business.is_elimination:
            continue
        cells = []
        for year in years:
            yen = booked.get((year, label)) if year in booked_years else None
            if year in booked_years and yen is None:
                yen = ZERO
            cells.append(Cell(published.get((year, label)), measure.round(yen) if yen is not None else None, yen))
        if any(c.value is not None for c in cells):
            series.append(Series(label, business.name, cells))
    return Trend(measure, years, series, booked_years, errors)
