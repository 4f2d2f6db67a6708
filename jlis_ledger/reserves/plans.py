"""Rule 6 of the reserves: plans and published records (計画 / 実績) against the books.

``custom "reserve-plan" ACCOUNT FROM TO PROVISION RELEASE`` plans or records a reserve's 積立 and
取崩 over a period; see :mod:`jlis_ledger.plugins.reserves` for the rule.  :class:`PlanCheck`
compares each plan with the movements one pass of :mod:`.analysis` found, once it is due, and
checks the plans that lie before the books against the opening balance they lead to.
"""

from __future__ import annotations

import bisect
import datetime
from decimal import Decimal

from beancount.core import data

from jlis_ledger.core.numbers import amount_text as fmt
from jlis_ledger.reserves.declarations import ReservePlan
from jlis_ledger.reserves.model import OPENING, Analysis, Movement, OpeningCheck, PlanResult, ReservePlanError

ZERO = Decimal(0)


def _yen(number: Decimal, currency: str) -> str:
    return fmt(number, currency, sign=False)


class PlanCheck:
    """The comparison of every declared plan of one analysis with its movements."""

    def __init__(self, analysis: Analysis, series: dict[tuple[str, str], tuple[list[datetime.date], list[Decimal]]],
                 opening_dates: dict[str, datetime.date], appropriated: dict[int, data.Transaction]) -> None:
        self.analysis = analysis
        self.series = series  # (reserve, currency) -> daily totals
        self.opening_dates = opening_dates  # reserve -> date of its last #opening entry
        self.appropriated = appropriated  # fiscal year -> its appropriation

    def _due(self, end: datetime.date) -> bool:
        if self.appropriated:
            return any(self.analysis.fiscal_year(y).end >= end for y in self.appropriated)
        return self.analysis.last_date is not None and self.analysis.last_date >= end

    def _balance_at(self, reserve: str, currency: str, date: datetime.date) -> Decimal:
        dates, values = self.series.get((reserve, currency), ((), ()))
        i = bisect.bisect_right(dates, date)
        return values[i - 1] if i else ZERO

    def run(self) -> None:
        analysis = self.analysis
        booked: dict[tuple[str, str], list[Movement]] = {}
        for m in analysis.movements:
            if m.kind != OPENING:
                booked.setdefault((m.reserve, m.currency), []).append(m)
        history: dict[tuple[str, str], list[ReservePlan]] = {}
        for plan in sorted(analysis.plans, key=lambda p: (p.account, p.start)):
            opened = self.opening_dates.get(plan.account)
            if opened is not None and plan.start <= opened:
                history.setdefault((plan.account, plan.currency), []).append(plan)
                analysis.plan_results.append(PlanResult(plan, "opening", self._due(plan.end), None, None, None))
                continue
            provision = release = ZERO
            for m in booked.get((plan.account, plan.currency), ()):
                if plan.start <= m.date <= plan.end:
                    if m.amount > 0:
                        provision += m.amount
                    else:
                        release -= m.amount
            due = self._due(plan.end)
            ok = abs(provision - plan.provision) <= plan.tolerance and abs(release - plan.release) <= plan.tolerance
            analysis.plan_results.append(PlanResult(plan, "movements", due, provision, release, ok if due else None))
            if due and not ok and plan.explanation is None:
                self._plan_error(plan, provision, release)
        for (reserve, currency), plans in history.items():
            end = max(p.end for p in plans)
            at = max(end, self.opening_dates[reserve])
            balance = self._balance_at(reserve, currency, at)
            planned = sum((p.provision - p.release for p in plans), ZERO)
            tolerance = sum((p.precision for p in plans), ZERO)
            due = self._due(at)
            ok = abs(balance - planned) <= tolerance
            analysis.opening_checks.append(OpeningCheck(reserve, currency, at, balance, planned, tolerance, tuple(plans), due, ok if due else None))
            if due and not ok and all(p.explanation is None for p in plans):
                self._history_error(plans, at, balance, planned, tolerance, currency)

    def _plan_error(self, plan: ReservePlan, provision: Decimal, release: Decimal) -> None:
        c = plan.currency
        parts = []
        for what, booked, planned in (("積立 (provisions)", provision, plan.provision), ("取崩 (releases)", release, plan.release)):
            if abs(booked - planned) > plan.tolerance:
                parts.append(f"{what} booked {_yen(booked, c)}, planned {_yen(planned, c)} (deviation {fmt(booked - planned, c)})")
        kind = "record (実績)" if plan.is_record else "plan (計画)"
        self.analysis.errors.append(ReservePlanError(
            plan.meta,
            f"reserve {kind} for {plan.account} {plan.start} – {plan.end} is not met: {'; '.join(parts)}, beyond the "
            f"declared precision (±{_yen(plan.tolerance, c)}). Correct the bookings or the declaration, or record why "
            'the deviation is accepted with explanation: "…" on the declaration.',
            None,  # the source locates the declaration; a ReservePlan is no directive (bean-check would fail to print it)
        ))

    def _history_error(self, plans: list[ReservePlan], at: datetime.date, balance: Decimal, planned: Decimal, tolerance: Decimal, currency: str) -> None:
        last = max(plans, key=lambda p: p.end)
        periods = ", ".join(f"{p.start} – {p.end}: 積立 {_yen(p.provision, currency)} 取崩 {_yen(p.release, currency)}" for p in plans)
        self.analysis.errors.append(ReservePlanError(
            last.meta,
            f"the opening balance of reserve (積立金) {last.account} does not agree with its published history: "
            f"balance {_yen(balance, currency)} at the end of {at}, history ({periods}) gives {_yen(planned, currency)} "
            f"(deviation {fmt(balance - planned, currency)}, precision ±{_yen(tolerance, currency)}).",
            None,  # as above: located by the source
        ))


__all__ = ["PlanCheck"]
