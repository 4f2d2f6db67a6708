"""What the reserves rule finds: movement kinds, errors, and the analysis of one pass.

:func:`jlis_ledger.reserves.analysis.analyze` fills an :class:`Analysis`; the plugin
(:mod:`jlis_ledger.plugins.reserves`) returns its errors, the report
(:mod:`jlis_ledger.reserves.report`) and the statements read its movements.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data

from jlis_ledger.core import config as config_lib
from jlis_ledger.core.errors import LedgerError
from jlis_ledger.core.periods import FiscalYear, fiscal_year
from jlis_ledger.reserves.declarations import Reserve, ReservePlan

ZERO = Decimal(0)

#: Movement kinds.
OPENING = "opening"  # 期首残高 carried in (#opening)
PROVISION = "provision"  # 繰入: against the provision account
RELEASE = "release"  # 取崩: against the release account
TRANSFER = "transfer"  # 振替 among equity reserves (積立 in, 取崩 out)
APPROPRIATION = "appropriation"  # 利益の処分: a part of the year's profit (or loss) received
UNMATCHED = "unmatched"  # a movement that breaks rule 3 or 4 (reported)


# -- errors: one class per rule, Beancount's (source, message, entry) ------------------


class ReserveDeclarationError(LedgerError):
    """A malformed reserve or plan declaration, or plugin configuration."""

    __slots__ = ()


class ReserveOwnershipError(LedgerError):
    """Rule 1: a reserve posted outside the business it belongs to."""

    __slots__ = ()


class NegativeReserveError(LedgerError):
    """Rule 2: a reserve whose balance goes below zero."""

    __slots__ = ()


class ProvisionReleaseError(LedgerError):
    """Rule 3: a provision or release without (or not matching) its declared account."""

    __slots__ = ()


class ReserveTransferError(LedgerError):
    """Rule 4: a transfer among equity reserves that does not net to zero in one business."""

    __slots__ = ()


class AppropriationError(LedgerError):
    """Rule 5: an appropriation of profit that does not distribute exactly the net income."""

    __slots__ = ()


class ReservePlanError(LedgerError):
    """Rule 6: a due plan or published record that the books do not meet."""

    __slots__ = ()


# -- configuration ------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    appropriation_tag: str = "appropriation"
    opening_tag: str = "opening"


EXAMPLE = "\"{'appropriation_tag': 'appropriation', 'opening_tag': 'opening'}\""


def parse_config(text: str | None) -> Config:
    """Parse the optional config string; raise :class:`~jlis_ledger.core.config.ConfigError` (a ValueError)."""
    value = config_lib.parse(text, "reserves", ("appropriation_tag", "opening_tag"), EXAMPLE)
    return Config(**{key: config_lib.tag(value.get(key, getattr(Config, key)), key, "reserves", getattr(Config, key))
                     for key in ("appropriation_tag", "opening_tag")})


# -- what a pass finds (used by the report, jlis_ledger.reserves.report) ------------------------------


class Movement(NamedTuple):
    """A reserve's net movement in one transaction, business and currency, by kind."""

    date: datetime.date
    reserve: str  # the reserve account, without business
    business: str
    currency: str
    amount: Decimal  # the change of the reserve's balance: positive = increase (credit)
    kind: str  # OPENING, PROVISION, RELEASE, TRANSFER, APPROPRIATION or UNMATCHED
    counterparts: tuple[str, ...]  # TRANSFER: the reserves that moved the other way
    entry: data.Transaction


class ProfitLeg(NamedTuple):
    """A posting of an appropriation to a non-reserve Equity account (e.g. 処分対象利益)."""

    date: datetime.date
    account: str
    business: str
    currency: str
    amount: Decimal  # Beancount sign: the year's profit is debited (positive)
    entry: data.Transaction


class Appropriation(NamedTuple):
    """An appropriation of profit and what it closes."""

    entry: data.Transaction
    year: FiscalYear  # the fiscal year it closes
    net_income: dict[tuple[str, str], Decimal]  # (business, currency) -> 当期純利益 of the year
    distributed: dict[tuple[str, str], Decimal]  # (business, currency) -> the profit leg
    parts: dict[tuple[str, str, str], Decimal]  # (reserve, business, currency) -> increase


class PlanResult(NamedTuple):
    """A plan compared with the books.

    ``compared`` is "movements" (booked 積立/取崩 over the period) or "opening"
    (the period lies before the books: see :class:`OpeningCheck`).
    """

    plan: ReservePlan
    compared: str
    due: bool
    booked_provision: Decimal | None  # None when compared on the opening balance
    booked_release: Decimal | None  # positive
    ok: bool | None  # None when not due

    @property
    def provision_deviation(self) -> Decimal | None:
        return None if self.booked_provision is None else self.booked_provision - self.plan.provision

    @property
    def release_deviation(self) -> Decimal | None:
        return None if self.booked_release is None else self.booked_release - self.plan.release


class OpeningCheck(NamedTuple):
    """The published history of a reserve (its plans before the books) against the balance it leads to."""

    reserve: str
    currency: str
    date: datetime.date  # the balance compared is at the end of this day
    balance: Decimal
    planned: Decimal  # Σ (PROVISION − RELEASE)
    tolerance: Decimal
    plans: tuple[ReservePlan, ...]
    due: bool
    ok: bool | None

    @property
    def deviation(self) -> Decimal:
        return self.balance - self.planned


@dataclass
class Analysis:
    """What one pass over the entries finds."""

    config: Config
    reserves: dict[str, Reserve]
    plans: list[ReservePlan]
    order: list[str]  # businesses in declaration order
    fiscal_year_end: tuple[int, int]
    movements: list[Movement] = field(default_factory=list)
    profit_legs: list[ProfitLeg] = field(default_factory=list)
    appropriations: list[Appropriation] = field(default_factory=list)
    plan_results: list[PlanResult] = field(default_factory=list)
    opening_checks: list[OpeningCheck] = field(default_factory=list)
    errors: list = field(default_factory=list)
    last_date: datetime.date | None = None
    #: custom directives written without any value (their readers report them; the plugin passes them on with values [])
    malformed: list = field(default_factory=list)

    def fiscal_year(self, year: int) -> FiscalYear:
        return fiscal_year(year, self.fiscal_year_end)
