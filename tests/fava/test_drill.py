"""Drill-down, the business lens, the unit switch, estimates and settlement, through Fava's own Flask app.

Every amount of a page links to 仕訳明細, whose total (``data-total``, in yen) must be that amount:
the tests follow each link.  The amounts themselves are the published ones (ledger/published/
r4-kessan.json, recovered from the publication independently of the code), so a link is checked
against the figure the accountant reads.
"""

from __future__ import annotations

import datetime
import re
import urllib.parse
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

FY = "?time=FY2022"
B2 = "B2-本人確認情報処理事業"


def amount(text: str) -> int:
    """A figure as printed (``△1,234``) in the page's unit."""
    text = text.strip()
    return -int(text[1:].replace(",", "")) if text.startswith("△") else int(text.replace(",", ""))


def target(get, href: str) -> tuple[Decimal, str]:
    """Follow a link of a page: (the total of the 仕訳明細 it opens, in yen; the page)."""
    assert "/extension/BusinessPostings/" in href, href
    response = get(href.split("/", 2)[2])
    assert response.status_code == 200, href
    html = response.data.decode()
    found = re.search(r'data-total="([^"]+)"', html)
    assert found, (href, re.findall(r'data-problem>([^<]*)', html))
    return Decimal(found.group(1)), html


def in_unit(yen: Decimal, unit: str) -> int:
    per = {"円": 1, "千円": 1000, "百万円": 1_000_000}[unit]
    return int((yen / per).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def check_cells(get, rows, unit: str = "円") -> int:
    """Follow every non-zero figure of a statement's rows; returns how many were checked."""
    checked = 0
    for kind, label, cells, _ in rows:
        if kind not in ("line", "subtotal"):
            continue
        for text, _, href, _ in cells:
            if not text or text in ("0", "予算未登録"):
                continue
            assert href is not None, (label, text)
            total, _ = target(get, href)
            assert in_unit(total, unit) == amount(text), (label, text, href)
            checked += 1
    return checked


def test_every_non_zero_matrix_cell_opens_postings_whose_total_is_the_cell(get, tables, published, books):
    page = tables(get(f"extension/BusinessMatrix/{FY}").data)
    checked = {s: check_cells(get, page[s]) for s in ("segment-bs", "segment-pl")}
    # every non-zero published cell (8 businesses, 相殺等, 合計) was followed
    want = {s: sum(1 for r in published["tables"][s]["rows"] if r["kind"] in ("line", "subtotal") for v in r["values"] if v)
            for s in checked}
    assert checked == want
    assert sum(checked.values()) == 441  # of which 354 in the 8 business columns, 12 相殺等, 75 合計


def test_a_business_cell_opens_that_business_alone_with_every_detail_account(get, tables):
    rows = tables(get(f"extension/BusinessMatrix/{FY}").data)["segment-bs"]
    cells = next(cells for kind, label, cells, _ in rows if label == "建物")
    total, html = target(get, cells[1][2])  # 本人確認情報処理事業
    accounts = set(re.findall(r'<tr class="line[^"]*" data-account="([^"]+)"', html))
    assert accounts == {f"Assets:2-固定資産:21-有形固定資産:211-建物:1-取得価額:{B2}",
                        f"Assets:2-固定資産:21-有形固定資産:211-建物:2-減価償却累計額:{B2}"}
    assert amount(cells[1][0]) == total


def test_the_elimination_column_opens_the_mirrors_marked_as_generated(get, tables):
    rows = tables(get(f"extension/BusinessMatrix/{FY}").data)["segment-pl"]
    cells = next(cells for kind, label, cells, _ in rows if label == "負担金収入")
    total, html = target(get, cells[8][2])  # 相殺等
    assert total == Decimal(-24847988) and amount(cells[8][0]) == -24847988
    assert html.count("相殺等: 内部取引の消去（プラグインが生成）") >= 1
    assert set(re.findall(r'data-account="[^"]*:([^":]+)"', html)) == {"E-相殺等"}


@pytest.mark.parametrize("business", ["B1-一般事業", B2, "B8-デジタル基盤改革支援基金事業"])
def test_the_lens_shows_the_business_own_statements_and_every_figure_drills_down(get, tables, published, books, business):
    html = get(f"extension/BusinessMatrix/{FY}&business={business}").data.decode()
    page = tables(html)
    assert set(page) == {"business-bs", "business-pl", "business-cf"}
    seg = published["tables"]["segment-bs"]
    index = seg["columns"].index(books.business_name(business))
    for statement in ("segment-bs", "segment-pl"):  # the business's figures are its published column
        want = [(r["label"], r["values"][index]) for r in published["tables"][statement]["rows"]
                if r["kind"] in ("line", "subtotal") and r["values"][index]]
        shown = {(label, amount(cells[0][0])) for kind, label, cells, _ in page["business-" + statement[-2:]]
                 if kind in ("line", "subtotal")}
        assert set(want) <= shown, statement
    assert sum(check_cells(get, page[s]) for s in page) > 20
    assert "事業別のキャッシュ・フローは公表されていません" in html  # the CF by business is marked as an estimate
    cf = {label: amount(cells[0][0]) for kind, label, cells, _ in page["business-cf"] if kind != "heading"}
    assert cf["現金及び現金同等物期首残高"] + cf["現金及び現金同等物の増減額"] == cf["現金及び現金同等物期末残高"]
    cash = next(r for r in seg["rows"] if r["label"] == "現金及び預金")["values"][index]
    assert cf["現金及び現金同等物期末残高"] == cash


def test_the_lens_journal_shows_only_the_business_lines_and_names_the_partners(get):
    html = get(f"extension/BusinessPostings/{FY}&business=B3-公的個人認証サービス事業").data.decode()
    accounts = set(re.findall(r'<tr class="line[^"]*" data-account="([^"]+)"', html))
    assert accounts and all(a.endswith(":B3-公的個人認証サービス事業") for a in accounts)
    row = next(r for r in html.split("<tr ") if "他事業に係る費用の立替（一般事業 → 公的個人認証サービス事業）" in r
               and "17-他事業勘定" in r)
    assert "一般事業へ支払うべき額 109,815,442" in row


def test_each_posting_links_to_its_source_line(get, tables):
    rows = tables(get(f"extension/BusinessMatrix/{FY}").data)["segment-pl"]
    cells = next(cells for kind, label, cells, _ in rows if label == "事業収入")
    _, html = target(get, cells[0][2])
    links = re.findall(r'href="([^"]*/editor/\?[^"]+)"', html)
    assert links
    for link in links:
        query = urllib.parse.parse_qs(urllib.parse.urlparse(link.replace("&amp;", "&")).query)
        path, line = Path(query["file_path"][0]), int(query["line"][0])
        text = path.read_text(encoding="utf-8").splitlines()[line - 1]
        assert re.match(r"\d{4}-\d\d-\d\d [*!]", text), text  # the entry's own first line


def test_settlement_links_budget_actual_and_difference(get, tables):
    page = tables(get(f"extension/Settlement/{FY}").data)
    for statement in ("budget-bs", "budget-pl"):
        assert check_cells(get, page[statement]) > 20
    rows = page["budget-pl"]
    planned = next(cells for kind, label, cells, _ in rows if label == "事業収入")[0]
    _, html = target(get, planned[2])
    assert "予算額の宣言" in html and "budget.beancount" in html


def test_a_year_without_budget_says_so(get, tables):
    html = get("extension/Settlement/?time=FY2021").data.decode()
    assert "予算未登録" in html and "data-no-budget" in html
    rows = tables(html)["budget-pl"] if "budget-pl" in tables(html) else []
    for kind, label, cells, _ in rows:
        if cells:
            assert cells[0][0] == "予算未登録" and cells[2][0] == ""


def test_clearing_positions_and_pairs_drill_down(get, tables):
    page = tables(get(f"extension/Clearing/{FY}").data)
    checked = 0
    for name in ("positions", "debts"):
        for kind, label, cells, _ in page[name]:
            for text, _, href, _ in cells:
                if href:
                    total, _ = target(get, href)
                    assert total == amount(text), (label, text)
                    checked += 1
    assert checked == 8 + 7


def test_the_settlement_proposal_is_accepted_by_the_plugins_and_clears_every_position(get, tmp_path, books):
    from jlis_ledger import books as books_lib
    from jlis_ledger.segments import clearing

    response = get(f"extension/Clearing/proposal{FY}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode()
    main = books.path.read_text(encoding="utf-8")
    ledger = tmp_path / "main.beancount"
    ledger.write_text(main.replace('include "', f'include "{books.path.parent}/') + '\ninclude "proposal.beancount"\n',
                      encoding="utf-8")
    (tmp_path / "proposal.beancount").write_text(text, encoding="utf-8")
    settled = books_lib.load(ledger, cache=False)
    assert settled.errors == []
    after = clearing.positions(settled, datetime.date(2023, 4, 2))
    assert after is not None and set(after.balances.values()) == {Decimal(0)}
    assert text.count('* "他事業勘定の精算（') == 7


def test_reserves_figures_drill_down(get, tables):
    rows = tables(get(f"extension/Reserves/{FY}").data)["reserves"]
    linked = [("line", label, [c for c in cells if c[2] and "/extension/" in c[2]], a) for _, label, cells, a in rows]
    assert check_cells(get, linked) >= 40


def test_plans_within_tolerance_show_the_difference_not_agreement(get):
    html = get(f"extension/Reserves/{FY}").data.decode()
    statuses = re.findall(r"<td data-status>([^<]*)", html)
    assert statuses and "一致" not in statuses
    assert any(s.startswith("許容差内") for s in statuses)


@pytest.mark.parametrize("unit", ["千円", "百万円"])
def test_the_unit_switch_rounds_half_up_each_figure_and_says_so(get, tables, published, unit):
    html = get(f"extension/BusinessMatrix/{FY}&unit={unit}").data.decode()
    assert "data-unit-note" in html and "一致しないことがあります" in html
    rows = tables(html)["segment-bs"]
    per = {"千円": 1000, "百万円": 1_000_000}[unit]
    want = [(r["label"], [int((Decimal(v) / per).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for v in r["values"]])
            for r in published["tables"]["segment-bs"]["rows"] if r["kind"] in ("line", "subtotal")]
    shown = [(label, [amount(c[0]) for c in cells]) for kind, label, cells, _ in rows if kind in ("line", "subtotal")]
    assert shown == want
    assert check_cells(get, rows[:12], unit) > 10  # the links keep the exact yen behind the rounded figure
    assert f"unit={urllib.parse.quote(unit)}" in html  # and carry the unit along


def test_estimates_are_marked_with_a_legend_and_published_closings_are_not(get, tables):
    html = get(f"extension/BusinessMatrix/{FY}").data.decode()
    numbers = set(re.findall(r'data-estimate-number="(\d+)"', html))
    marked = {n for marks in re.findall(r'data-estimate="([\d,]+)"', html) for n in marks.split(",")}
    assert marked and marked <= numbers  # every mark is explained in the legend
    rows = tables(html)["segment-bs"]
    cash = next(cells for kind, label, cells, _ in rows if label == "現金及び預金")
    assert all("data-estimate" not in attrs for *_, attrs in cash)  # published and asserted
    pl = tables(html)["segment-pl"]
    internal = next(cells for kind, label, cells, _ in pl if label == "負担金収入")
    assert "data-estimate" in internal[8][3]  # 相殺等: who charged whom is allocated
    assert "opening balances by business are not published" in html or "the publication gives only" in html


@pytest.mark.parametrize("query", [
    "business=存在しない事業", "unit=万円", "line=Assets:X", "line=Income&which=later", "line=Income&cf=%3Cscript%3E",
    "business=B1-一般事業&page=0", "business=B1-一般事業&page=99999", "debtor=B1-一般事業", "line=Income&budget=x",
])
@pytest.mark.parametrize("page", ["BusinessMatrix", "BusinessPostings", "Clearing", "Reserves", "Settlement", "Trend"])
def test_malformed_parameters_give_a_japanese_message_not_an_error(get, page, query):
    response = get(f"extension/{page}/{FY}&{query}")
    assert response.status_code == 200
    html = response.data.decode()
    assert "<script>alert" not in html
    if page == "BusinessPostings" or query.startswith(("business=存在", "unit=")):
        assert re.search(r"data-(param-)?problem>[^<]*(ません|ありません|です)", html), (page, query)


def test_no_developer_vocabulary_on_the_pages(get):
    for page in ("BusinessMatrix", "BusinessPostings", "Clearing", "Reserves", "Settlement", "Trend"):
        for query in (FY, FY + f"&business={B2}"):
            html = get(f"extension/{page}/{query}").data.decode()
            body = html.split('id="page-title"', 1)[1]
            body = re.sub(r"<pre[^>]*>.*?</pre>", "", body, flags=re.S)  # the proposal is Beancount text, by design
            body = re.sub(r"<script.*?</script>", "", body, flags=re.S)
            text = re.sub(r"<[^>]+>", " ", body)
            assert 'custom "' not in text and "jlis_ledger" not in text, page
            assert not re.search(r"\b(Assets|Liabilities|Equity|Income|Expenses):", text), (page, query)


def test_favas_own_pages_agree_with_the_extension(fava_app, slug):
    client = fava_app.test_client()
    assert client.get(f"/{slug}/").headers["Location"].endswith("/extension/BusinessMatrix/?time=FY2022")
    ledger = fava_app.config["LEDGERS"][urllib.parse.unquote(slug)]
    options = ledger.fava_options
    assert options.invert_income_liabilities_equity  # revenue, liabilities, net assets positive in Fava's pages
    assert not options.show_metadata_indicators  # they hid the narration of the allocated entries


def test_the_books_years_of_the_trend_drill_down_to_the_measure(get, tables):
    rows = tables(get("extension/Trend/").data)["trend"]
    checked = 0
    for _, label, cells, _ in rows:
        for text, _, href, _ in cells:
            if href:
                total, html = target(get, href)
                figure = Decimal(text.split("公表")[0].strip().replace(",", ""))  # 億円, one decimal, rounded half up
                assert (total / 100_000_000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) == figure, label
                assert "time=FY2022" in href
                checked += 1
    assert checked == 8
