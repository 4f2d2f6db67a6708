"""Recover the published FY2022 (令和4年度) tables from the text extraction of the PDF.

The input, ``ledger/published/jlis-r4-kessan-zaimu.txt``, is the financial part of the published
決算 document as extracted to text (the 事業報告書 section on the デジタル基盤改革
支援基金 and everything from 令和4年度財務諸表 to the end).  The extraction lost
every minus sign (△) and scrambled the columns of the revenue rows of the
事業別損益計算書, so this package does not trust the text: every sign and every
column assignment is *recovered from the constraints* that the publication
itself states (rows sum to 合計, columns sum to their subtotals, opening plus
movements equals closing, the 百万円 summaries agree with the yen figures), and
every recovery is asserted here and explained in ``ledger/SOURCES.md``.

It is part of the importers (:mod:`importers.published` reads a text through :func:`recover`):
code is imported from the package, never run from a file found beside an input.
``python ledger/published/recover.py`` (``make reconstruct``) rewrites ``r4-kessan.json`` with
:func:`main`, ``--check`` verifies that the committed file is exactly what the text gives (the
test suite does the latter).

Conventions of the output (also stated in SOURCES.md):

* amounts are integer yen (or the table's ``unit``), signed: a decrease, an
  outflow, a loss, an elimination or a negative balance is negative;
* every table is ``{"title", "unit", "columns", "rows": [{"label", "kind",
  "level", "values"}]}`` with ``kind`` one of heading / line / subtotal and
  ``values`` aligned with ``columns`` (``null`` for a heading);
* labels are the published 科目 labels, with footnote markers (``事業費 1``)
  and extraction artefacts (spaces inside words) removed.
* cells that are not amounts (an interest rate, a due date, a note's text, a
  count) are strings as printed, less the spaces the extraction put inside
  words; 億円 figures are decimal strings;
* the notes and the rest of the 附属明細書 (issue 16) follow the earlier
  tables, which they leave unchanged; disagreements between the
  publication's own figures are kept as printed and listed under
  ``recovery › publication disagreements``.

The modules: :mod:`.text` (reading the text, the table model), :mod:`.financial` (財務諸表),
:mod:`.segments` (事業別財務情報), :mod:`.schedules` (決算報告書, the first 附属明細書),
:mod:`.notes` (the notes and the rest), :mod:`.summaries` (参考資料). They use only the standard
library.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .financial import PL_COMPUTED, recover_appropriation, recover_bs, recover_cf, recover_equity, recover_pl
from .notes import (
    recover_accumulated_depreciation,
    recover_aro_changes,
    recover_borrowings,
    recover_budget_notes,
    recover_cash_scope,
    recover_deposit_allowance,
    recover_disposal_loss,
    recover_expenses_by_nature,
    recover_fair_value_levels,
    recover_financial_instruments,
    recover_fixed_asset_notes,
    recover_fund_grants,
    recover_lease_repayment,
    recover_non_cash,
    recover_redemption_schedule,
    recover_reserves_content,
    recover_retirement_benefits,
    recover_securities,
    recover_securities_note,
)
from .schedules import (
    recover_aro,
    recover_budget,
    recover_deferred_revenue,
    recover_fixed_assets,
    recover_lease_debt,
    recover_liability_reserves,
    recover_notes,
    recover_provisions,
    recover_reserve_plans,
)
from .segments import recover_segment_bs, recover_segment_pl
from .summaries import recover_summaries, recover_summary_reasons, recover_trend, summary_differences_exact
from .text import BUSINESSES, RecoveryError, Text


def recover(source: str | os.PathLike) -> dict:
    """The recovered publication from the text extraction at ``source`` (a :class:`RecoveryError` when a
    published identity does not hold for the figures read from it)."""
    source = Path(source)
    text = Text(source)
    tables: dict[str, dict] = {}
    tables["bs"] = recover_bs(text)
    tables["pl"] = recover_pl(text)
    tables["appropriation"] = recover_appropriation(text, tables["pl"])
    tables["equity"] = recover_equity(text, tables["bs"], tables["pl"])
    tables["cf"] = recover_cf(text, tables["bs"])
    tables["segment-bs"], bs_repairs = recover_segment_bs(text, tables["bs"])
    tables["segment-pl"], pl_recovery = recover_segment_pl(text, tables["pl"])
    tables["budget-bs"] = recover_budget(text, "令和4年度 決算報告書", "資産の部", "負債純資産合計", tables["bs"])
    tables["budget-bs"]["title"] = "決算報告書 貸借対照表"
    tables["budget-pl"] = recover_budget(text, "損益計算書（令和4年4月1日", "営業収益", "当期純利益", tables["pl"], PL_COMPUTED)
    tables["budget-pl"]["title"] = "決算報告書 損益計算書"
    tables["fixed-assets"] = recover_fixed_assets(text, tables["bs"])
    tables["provisions"] = recover_provisions(text, tables["bs"])
    tables["lease-debt"] = recover_lease_debt(text, tables["bs"])
    tables["aro"] = recover_aro(text, tables["bs"])
    tables["reserves"] = recover_liability_reserves(text, tables["bs"])
    tables["deferred-revenue"] = recover_deferred_revenue(text, tables["segment-bs"])
    tables["trend"] = recover_trend(text, tables["segment-pl"])
    summaries, discrepancies = recover_summaries(text, tables)
    tables.update(summaries)
    # the notes and the rest of the 附属明細書 (issue 16), after the tables above so these keep their place
    tables["securities-note"] = recover_securities_note(text, tables["bs"])
    tables["financial-instruments"] = recover_financial_instruments(text, tables["bs"], tables["lease-debt"], tables["securities-note"])
    tables["financial-instruments-levels"] = recover_fair_value_levels(text, tables["financial-instruments"])
    tables["redemption-schedule"] = recover_redemption_schedule(text, tables["bs"])
    tables["lease-repayment"] = recover_lease_repayment(text, tables["lease-debt"])
    tables["securities"] = recover_securities(text, tables["bs"], tables["redemption-schedule"])
    tables["fixed-assets-notes"] = recover_fixed_asset_notes(text, tables["fixed-assets"])
    tables["borrowings"] = recover_borrowings(text, tables["lease-debt"], tables["lease-repayment"])
    tables["reserves-content"] = recover_reserves_content(text, tables["bs"], tables["reserves"])
    tables["retirement-benefits"] = recover_retirement_benefits(text, tables["bs"], tables["provisions"])
    tables["aro-changes"] = recover_aro_changes(text, tables["bs"], tables["aro"])
    tables["deposit-allowance"] = recover_deposit_allowance(text)
    tables["disposal-loss"] = recover_disposal_loss(text, tables["pl"], tables["segment-pl"], tables["fixed-assets"])
    tables["cash-scope"] = recover_cash_scope(text, tables["bs"], tables["cf"])
    tables["non-cash"] = recover_non_cash(text, tables["fixed-assets"])
    tables["accumulated-depreciation"] = recover_accumulated_depreciation(text, tables["fixed-assets"])
    tables["budget-notes"] = recover_budget_notes(text, tables["budget-bs"], tables["budget-pl"])
    disagreements: list[dict] = []
    tables["expenses-by-nature"] = recover_expenses_by_nature(text, tables["pl"], tables["fixed-assets"], tables["aro-changes"],
                                                              tables["retirement-benefits"], disagreements)
    summary_differences_exact(tables, disagreements)
    tables["summary-reasons"], reason_matches = recover_summary_reasons(text, tables, disagreements)
    tables["fund-grants"] = recover_fund_grants(text, tables["segment-bs"], tables["deferred-revenue"])
    tables["reserve-plans"] = recover_reserve_plans(tables["reserves"])
    return {
        "source": {
            "document": "地方公共団体情報システム機構 令和4年度決算 (text extraction of the published PDF)",
            "file": source.name,
            "fiscal_year": 2022,
            "period": ["2022-04-01", "2023-03-31"],
            "businesses": BUSINESSES,
        },
        "tables": tables,
        "notes": recover_notes(text, tables["pl"]),
        "recovery": {"summary discrepancies": discrepancies, "segment-bs moved cells": bs_repairs, "segment-pl revenue assignment": pl_recovery,
                     "publication disagreements": disagreements, "summary reasons by business": reason_matches},
    }


def dump(recovered: dict) -> str:
    """The JSON text of the recovered publication, as committed (``r4-kessan.json``)."""
    return json.dumps(recovered, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None, source: Path, output: Path) -> int:
    """Write the recovery of ``source`` to ``output``, or with ``--check`` verify that ``output`` is what it gives."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the committed JSON instead of writing it")
    args = parser.parse_args(argv)
    try:
        text = dump(recover(source))
    except RecoveryError as exc:
        print(f"{source.name}: recovery failed: {exc}", file=sys.stderr)
        return 1
    if args.check:
        if not output.exists() or output.read_text(encoding="utf-8") != text:
            print(f"{output.name} is not what {source.name} gives: run ledger/published/recover.py", file=sys.stderr)
            return 1
        return 0
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}")
    return 0


__all__ = ["BUSINESSES", "RecoveryError", "dump", "main", "recover"]
