"""The FY2022 (令和4年度) reconstruction, one module per statement family.

``ledger/reconstruct/fy2022.py`` is the entry point; :mod:`fy2022_parts.year` books the families
in order into a :class:`fy2022_parts.model.Model`, and :mod:`fy2022_parts.writing` writes the files.

=====================  ==================================================================
module                 what it holds
=====================  ==================================================================
``chart``              the businesses, the published lines (items) and their accounts
``published``          the recovered published tables (``ledger/published/r4-kessan.json``)
``books``              transactions, postings, their sums; the largest-remainder split
``model``              the state the families share (closing balances, notes, checks)
``year``               the order in which the families are booked
``income``             営業収益, 営業外収益, 支払利息, 法人住民税; the rest of 事業費・一般管理費
``internal``           事業間取引: charges between businesses, eliminated in 相殺等
``clearing``           他事業勘定: costs one business paid for another (立替)
``deferred``           長期前受金取崩収入 by purpose
``fixed_assets``       acquisitions, 建設仮勘定, disposals, depreciation
``leases``             ファイナンス・リース: new leases, ended leases, repayments
``provisions``         引当金: 繰入 and 目的使用
``pool``               保証金 and 資産除去債務 booked to the common pool and allocated by keys
``reserves``           積立金: the FY2021 appropriation, システム開発積立金, the FY2022 利益の処分
``cash``               定期預金 and the CF statement's receipts and payments by business
``closings``           the closing balance of every account and its ``balance`` assertion
``openings``           opening balances (closing less the year) and the checks against the publication
``accounts``           the ``open`` directives of the chart of accounts
``budgets``            決算報告書 予算額 as ``custom "fiscal-budget"``
``notes``              the facts of the notes and 附属明細書 (時価, rates, due dates …) as ``custom "note-fact"``
``writing``            rendering the transactions and the files; writing or checking them
=====================  ==================================================================
"""

from __future__ import annotations

from pathlib import Path

#: The ``ledger/`` folder: the published data is read from, and the books are written to, below it.
LEDGER = Path(__file__).resolve().parents[2]
