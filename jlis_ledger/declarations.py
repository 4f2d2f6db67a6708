"""Every declaration of a ledger, read once: businesses, reserves, keys, layout, budgets, trend.

A ledger that follows the jlis-ledger contract says with ``custom`` directives everything a rule
or a statement needs that its chart cannot say (DESIGN.md, "Declarations and metadata"). Each
concept parses its own directives (:mod:`jlis_ledger.segments.declarations`,
:mod:`jlis_ledger.reserves.declarations`, :mod:`jlis_ledger.allocations.declarations`,
:mod:`jlis_ledger.statements.layout`, :mod:`jlis_ledger.statements.notes_declarations`, :mod:`jlis_ledger.statements.summaries`,
:mod:`jlis_ledger.budgets`, :mod:`jlis_ledger.trend`);
:func:`read` runs them all over the ``custom`` entries once, for :class:`jlis_ledger.books.Books`,
and collects their errors, located at the offending directive.

The plugins read the declarations they enforce themselves (a plugin is a pure function of the
entries) and report their errors; :func:`read` reports the others — and those of a plugin that
the ledger does not enable — so that every malformed declaration is an error of the books at
load, never an exception when a statement is built.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from beancount.core import data

from jlis_ledger.allocations.declarations import AllocationRule, KeyVersion, read_allocations
from jlis_ledger.budgets import Budgets, read_budgets
from jlis_ledger.core.accounts import Roots
from jlis_ledger.core.config import has_plugin
from jlis_ledger.core.customs import complete
from jlis_ledger.core.errors import DeclarationError
from jlis_ledger.core.periods import CALENDAR, fiscal_year_end_of
from jlis_ledger.proof.declarations import FlowAssertion, Seal, read_proof
from jlis_ledger.reserves.declarations import RESERVE_ROOTS, Reserve, ReservePlan, read_reserves
from jlis_ledger.segments.declarations import ROLES, Business, read_businesses
from jlis_ledger.statements.layout import Layout, read_layout
from jlis_ledger.statements.notes_declarations import NoteTable, read_notes
from jlis_ledger.statements.summaries import Summaries, read_summaries
from jlis_ledger.trend import TrendDeclarations, read_trend

SEGMENTS = "jlis_ledger.plugins.segments"
RESERVES = "jlis_ledger.plugins.reserves"
ALLOCATIONS = "jlis_ledger.plugins.allocations"
PROOF = "jlis_ledger.plugins.proof"


@dataclass
class Declarations:
    businesses: dict[str, Business] = field(default_factory=dict)
    reserves: dict[str, Reserve] = field(default_factory=dict)
    plans: list[ReservePlan] = field(default_factory=list)
    keys: dict[str, list[KeyVersion]] = field(default_factory=dict)
    rules: list[AllocationRule] = field(default_factory=list)
    layout: Layout = field(default_factory=Layout)
    notes: dict[str, NoteTable] = field(default_factory=dict)  # the note tables (custom "note-table" …)
    budgets: Budgets = field(default_factory=Budgets)
    trend: TrendDeclarations = field(default_factory=TrendDeclarations)
    summaries: Summaries = field(default_factory=Summaries)
    fiscal_year_end: tuple[int, int] = CALENDAR
    flows: list[FlowAssertion] = field(default_factory=list)
    seals: list[Seal] = field(default_factory=list)
    #: the errors that no plugin of the ledger reports
    errors: list[DeclarationError] = field(default_factory=list)


def read(entries: Iterable[data.Directive], options_map: dict[str, Any] | None = None) -> Declarations:
    """All declarations of the entries, with the errors of those no enabled plugin checks."""
    options = options_map or {}
    customs = complete([e for e in entries if type(e) is data.Custom])
    roots = Roots.of(options)
    out = Declarations()
    out.businesses, business_errors = read_businesses(customs)
    out.reserves, out.plans, reserve_errors = read_reserves(customs, out.businesses or None, (roots.liabilities, roots.equity))
    out.keys, out.rules, key_errors = read_allocations(customs, out.businesses)
    out.layout, layout_errors = read_layout(customs)
    out.notes, note_errors = read_notes(customs)
    out.budgets, budget_errors = read_budgets(customs, out.businesses or None)
    out.trend, trend_errors = read_trend(customs)
    out.summaries, summary_errors = read_summaries(customs, roots.all())
    fye = fiscal_year_end_of(customs)
    out.fiscal_year_end = fye if isinstance(fye, tuple) else CALENDAR
    out.flows, out.seals, proof_errors = read_proof(customs, out.fiscal_year_end, out.businesses or None)
    if not has_plugin(options, SEGMENTS):
        out.errors += business_errors
        if isinstance(fye, str):
            entry = next(e for e in customs if e.type == "fava-option" and len(e.values) == 2 and e.values[1].value == fye)
            out.errors.append(DeclarationError(entry.meta, f'fiscal-year-end {fye!r} is not MM-DD (e.g. "15-31"); using 12-31', entry))
    if not has_plugin(options, RESERVES):
        out.errors += reserve_errors
    if not has_plugin(options, ALLOCATIONS):
        out.errors += key_errors
    if not has_plugin(options, PROOF):
        out.errors += proof_errors
    out.errors += layout_errors + note_errors + budget_errors + trend_errors + summary_errors
    return out


# The first release's names, kept for one release (they live in the concept packages now).
from jlis_ledger.core.accounts import business_of, item_of  # noqa: E402

__all__ = [
    "RESERVE_ROOTS", "ROLES", "AllocationRule", "Business", "DeclarationError", "Declarations", "KeyVersion", "Reserve",
    "ReservePlan", "business_of", "item_of", "read", "read_allocations", "read_businesses", "read_reserves",
]
