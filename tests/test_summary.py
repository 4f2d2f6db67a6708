"""The one-screen summary per business agrees with the published 事業別財務情報."""

from __future__ import annotations

from jlis_ledger.summary import pad, render, summarize, width


def test_summary_of_fy2022_is_the_published_segment_figures(books, published):
    fy = books.fiscal_year(2022)
    rows = summarize(books, fy)
    bs = {r["label"]: r["values"] for r in published["tables"]["segment-bs"]["rows"] if r["values"]}
    pl = {r["label"]: r["values"] for r in published["tables"]["segment-pl"]["rows"] if r["values"]}
    assert [r.business for r in rows] == published["source"]["businesses"] + ["相殺等", "合計"]
    for c, row in enumerate(rows):
        assert row.assets == bs["資産合計"][c]
        assert row.liabilities == bs["負債合計"][c]
        assert row.net_assets == bs["純資産合計"][c]
        assert row.revenue == pl["営業収益合計"][c] + pl["営業外収益合計"][c]
        assert row.net_income == pl["当期純利益"][c]


def test_render_keeps_columns_aligned_with_wide_characters(books):
    fy = books.fiscal_year(2022)
    text = render(summarize(books, fy), fy)
    lines = text.splitlines()[1:]
    assert len({width(line) for line in lines}) == 1
    assert width("一般事業") == 8 and pad("事業", 6) == "事業  "


def test_the_one_pass_sums_are_the_books_balances(books, tmp_path):
    """The summary's single pass gives exactly Books.balances at the year end and over the year."""
    from jlis_ledger import books as books_lib
    from jlis_ledger import synth
    from jlis_ledger.summary import _balances_and_flows

    path = tmp_path / "synth.beancount"
    synth.write_ledger(path, transactions=400, businesses=4, seed=2)
    for b, year in ((books, 2022), (books_lib.load(path, cache=False), 2020)):
        fy = b.fiscal_year(year)
        at_end, flows = _balances_and_flows(b, fy)
        assert at_end == b.balances(end=fy.end_exclusive)
        assert flows == b.balances(start=fy.start, end=fy.end_exclusive)
        assert flows and at_end != flows
