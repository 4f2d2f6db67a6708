"""他事業勘定: the closing positions between businesses, as costs one business paid for another (立替).

Rules:

* the closing 他事業勘定 positions by business are published; the opening positions are taken as
  settled (zero), so each position arose in the year as costs paid for other businesses (参考資料:
  一般事業's 「他事業に係る費用の立替」): the debtor books 事業費, the creditor pays in cash
  (CF その他の営業支出);
* who paid for whom is the segments plugin's own pairing (:func:`jlis_ledger.clearing.pair_positions`:
  creditors and debtors in the declared column order, first with first), so that the books' who-owes-whom
  matrix reads back exactly these advances.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from fy2022_parts.books import YEAR_END, Posting
from fy2022_parts.chart import BUSINESSES, ITEM, RESIDUAL_NATURE
from jlis_ledger.segments.clearing import pair_positions

if TYPE_CHECKING:
    from fy2022_parts.model import Model


def book(m: Model) -> None:
    """他事業勘定: the closing positions arise from costs one business paid for another (立替)."""
    pub = m.pub
    names = pub.data["source"]["businesses"]
    positions = pub.seg_bs("他事業勘定")[:8]
    m.advances = [0] * 8  # cash paid by each business for others
    # who paid for whom: the segments plugin's own greedy pairing (jlis_ledger.clearing), so that the
    # who-owes-whom matrix of the books reads back exactly these advances
    nets = {BUSINESSES[b]: Decimal(-p) for b, p in enumerate(positions)}  # Beancount sign: negative = owes
    for debtor_label, creditor_label, owed in pair_positions(nets, BUSINESSES):
        debtor, creditor, amount = BUSINESSES.index(debtor_label), BUSINESSES.index(creditor_label), int(owed)
        m.advances[creditor] += amount
        m.add(YEAR_END, f"他事業に係る費用の立替（{names[creditor]} → {names[debtor]}）", "事業別財務情報(貸借対照表関係) 他事業勘定",
              "立替",
              [Posting(ITEM["exp_business"].leaf(debtor, RESIDUAL_NATURE), amount),
               Posting(ITEM["clearing"].leaf(debtor), -amount),
               Posting(ITEM["clearing"].leaf(creditor), amount),
               Posting(ITEM["cash"].leaf(creditor, "預金"), -amount, {"cf": "その他の営業支出"})],
              basis="allocated",
              rule=("the closing 他事業勘定 positions are published; opening positions are taken as settled (zero) and the "
                    "positions as costs paid for other businesses during the year (参考資料: 一般事業's 「他事業に係る費用の立替」); "
                    "who paid for whom pairs creditors and debtors in column order"))
