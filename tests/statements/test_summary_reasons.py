"""参考資料1-2 左の主な理由 (``summary-reasons``): the publication's reasons for 決算 − 予算, declared as rows in
ledger/fy2022/reasons.beancount; every reason against r4-kessan.json (recovered independently), and a changed
reason is exactly one difference."""

from __future__ import annotations

import shutil
from pathlib import Path

from jlis_ledger import books as books_lib
from jlis_ledger import statements
from jlis_ledger.statements import reconcile

REPO = Path(__file__).resolve().parents[2]


def test_every_reason_is_the_published_one_in_its_place(books, published):
    table = statements.build(books, "summary-reasons", books.fiscal_year(2022))
    expected = published["tables"]["summary-reasons"]
    assert table.unit == "百万円" and [c.label for c in table.columns] == expected["columns"]
    assert [(r.label, r.kind, r.level) for r in table.rows] == [(r["label"], r["kind"], r["level"]) for r in expected["rows"]]
    lines = [r for r in expected["rows"] if r["kind"] == "line"]
    assert len(lines) == 53
    got = {(r.label, r.values[0]) for r in table.rows if r.kind == "line"}
    assert got == {(r["label"], r["values"][0] * 1_000_000) for r in lines}
    assert reconcile.compare("summary-reasons", expected, table) == []


def test_a_changed_reason_is_one_difference(tmp_path, published):
    ledger = tmp_path / "ledger"
    shutil.copytree(REPO / "ledger", ledger, ignore=shutil.ignore_patterns("*.picklecache", "__pycache__"))
    reasons = ledger / "fy2022" / "reasons.beancount"
    text = reasons.read_text(encoding="utf-8")
    assert text.count(" 2 75,308,000,000 JPY") == 2  # the organisation's reason, and the fund business's
    reasons.write_text(text.replace(" 2 75,308,000,000 JPY", " 2 75,309,000,000 JPY", 1), encoding="utf-8")  # the first
    books = books_lib.load(ledger / "main.beancount")
    table = statements.build(books, "summary-reasons", books.fiscal_year(2022))
    diffs = reconcile.compare("summary-reasons", published["tables"]["summary-reasons"], table)
    assert [(d.row, d.expected, d.actual) for d in diffs] == [("#3 補助金交付金額の減に伴う「現金及び預金」の増", 75308, 75309)]
    assert any("not as sealed" in e.message for e in books.errors)  # and the sealed year says so
