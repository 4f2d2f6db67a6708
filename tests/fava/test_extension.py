"""The jlis_ledger Fava extension through Fava's own Flask app: every page and endpoint on the bundled
books, with the published figures (ledger/published/r4-kessan.json), under Fava's time and account filters."""

from __future__ import annotations

import json
import re
import urllib.parse
from decimal import Decimal

import pytest

PAGES = ("BusinessMatrix", "BusinessPostings", "Clearing", "Reserves", "Settlement", "Trend")
FY = "?time=FY2022"


def published_yen(value: int) -> str:
    """How the publication prints an amount: thousands separators, △ before a negative."""
    return ("△" if value < 0 else "") + f"{abs(value):,}"


def account_of(href: str) -> str:
    """The account named by a Fava account-page link."""
    path = urllib.parse.urlparse(href).path
    parts = path.strip("/").split("/")
    assert parts[1] == "account", href
    return urllib.parse.unquote(parts[2])


def figures(rows) -> list[tuple[str, list[str]]]:
    """(label, cell texts) of the line and subtotal rows."""
    return [(label, [c[0] for c in cells]) for kind, label, cells, _ in rows if kind in ("line", "subtotal")]


def expected(table: dict) -> list[tuple[str, list[str]]]:
    return [(r["label"], [published_yen(v) for v in r["values"]]) for r in table["rows"] if r["kind"] in ("line", "subtotal")]


# -- every page answers -------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query", ["", FY, FY + "&account=現金及び預金", "?time=2022-06", "?account=B2-本人確認情報処理事業"])
def test_every_page_answers(get, page, query):
    response = get(f"extension/{page}/{query}")
    assert response.status_code == 200
    html = response.data.decode()
    assert 'id="page-title"' in html  # rendered inside Fava's layout
    data = get(f"extension/{page}/data{query}")
    assert data.status_code == 200
    assert data.is_json


def test_the_pages_are_in_fava_sidebar_in_japanese(get):
    html = get("income_statement/" + FY).data.decode()
    ledger_data = html.split('id="ledger-data">', 1)[1].split("</script>", 1)[0]
    titles = [e["report_title"] for e in json.loads(ledger_data)["extensions"]]
    assert titles == ["事業別財務情報", "仕訳明細", "他事業勘定", "積立金", "決算報告書", "推移"]


# -- 事業別財務情報 --------------------------------------------------------------------------------


@pytest.mark.parametrize("statement", ["segment-bs", "segment-pl"])
def test_matrix_reproduces_the_published_segment_statements(get, tables, published, statement):
    rows = tables(get(f"extension/BusinessMatrix/{FY}").data)[statement]
    assert figures(rows) == expected(published["tables"][statement])


def test_matrix_columns_are_the_businesses_then_elimination_then_total(get, published):
    html = get(f"extension/BusinessMatrix/{FY}").data.decode()
    head = html.split('data-statement="segment-bs"', 1)[1].split("</thead>", 1)[0].replace("<wbr>", "")
    columns = re.findall(r'<th class="num[^"]*"[^>]*>([^<]*)</th>', head)
    assert columns == published["tables"]["segment-bs"]["columns"]


def test_without_time_filter_the_matrix_shows_the_last_fiscal_year(get, tables, published):
    rows = tables(get("extension/BusinessMatrix/").data)["segment-bs"]
    assert figures(rows) == expected(published["tables"]["segment-bs"])


def test_a_cell_link_opens_the_postings_of_that_business_and_line(get, tables):
    rows = tables(get(f"extension/BusinessMatrix/{FY}").data)["segment-pl"]
    text, _, href, _ = next(cells for kind, label, cells, _ in rows if label == "事業収入")[0]  # 一般事業
    query = urllib.parse.parse_qs(urllib.parse.urlparse(href).query)
    assert query["business"] == ["B1-一般事業"] and query["line"] == ["Income:1-営業収益:105-事業収入"]
    assert query["which"] == ["movement"] and query["time"] == ["FY2022"]  # the link keeps Fava's filter
    response = get(href.split("/", 2)[2])
    assert response.status_code == 200
    html = response.data.decode()
    total = re.search(r'data-total="([^"]+)"', html).group(1)
    assert published_yen(int(Decimal(total))) == text


def test_time_filter_changes_the_period(get, tables, published):
    half = tables(get("extension/BusinessMatrix/?time=2022-04 - 2022-09").data)["segment-pl"]
    full = tables(get(f"extension/BusinessMatrix/{FY}").data)["segment-pl"]
    assert figures(full) == expected(published["tables"]["segment-pl"])
    assert figures(half) != figures(full)
    html = get("extension/BusinessMatrix/?time=2022-04 - 2022-09").data.decode()
    assert "令和4年4月1日〜令和4年9月30日" in html  # 和暦, ISO in the tooltip
    assert 'title="2022-04-01 〜 2022-09-30"' in html


def test_account_filter_narrows_the_rows_and_keeps_the_figures(get, tables, published):
    rows = tables(get(f"extension/BusinessMatrix/{FY}&account=現金及び預金").data)["segment-bs"]
    cash = next(r for r in published["tables"]["segment-bs"]["rows"] if r["label"] == "現金及び預金")
    assert figures(rows) == [("現金及び預金", [published_yen(v) for v in cash["values"]])]


def test_account_filter_on_a_business_keeps_the_whole_statement(get, tables, published):
    rows = tables(get(f"extension/BusinessMatrix/{FY}&account=B1-一般事業").data)["segment-bs"]
    assert figures(rows) == expected(published["tables"]["segment-bs"])


def test_matrix_data_endpoint(get, published):
    data = get(f"extension/BusinessMatrix/data{FY}").get_json()
    bs = data["tables"][0]
    assert bs["columns"] == published["tables"]["segment-bs"]["columns"]
    cash = next(r for r in bs["rows"] if r["label"] == "現金及び預金")
    assert cash["values"][0] == "6,143,949,797"


# -- 他事業勘定 ----------------------------------------------------------------------------------


def test_clearing_positions_are_the_published_balances_and_net_to_zero(get, tables, published):
    page = tables(get(f"extension/Clearing/{FY}").data)
    seg = published["tables"]["segment-bs"]
    clearing = next(r for r in seg["rows"] if r["label"] == "他事業勘定")["values"]
    names = seg["columns"][:8]
    shown = {label: cells[0][0] for kind, label, cells, _ in page["positions"]}
    for name, value in zip(names, clearing):
        assert shown[name] == published_yen(value)
    assert shown["合計（ゼロ検査）"].startswith("0 ✓")


def test_who_owes_whom_is_one_direction_and_adds_up_to_each_position(get, tables, published):
    page = tables(get(f"extension/Clearing/{FY}").data)
    seg = published["tables"]["segment-bs"]
    clearing = dict(zip(seg["columns"][:8], next(r for r in seg["rows"] if r["label"] == "他事業勘定")["values"]))
    net = dict.fromkeys(clearing, 0)
    pairs = set()
    for _, debtor, cells, _ in page["debts"]:
        creditor = cells[0][0].removeprefix("→ ")
        amount = int(cells[1][0].replace(",", ""))  # positive: no △ in one direction
        assert amount > 0 and (creditor, debtor) not in pairs
        pairs.add((debtor, creditor))
        net[debtor] += amount
        net[creditor] -= amount
    assert net == clearing  # what each business owes, less what it is owed, is its published 他事業勘定


# -- 積立金 --------------------------------------------------------------------------------------


def test_reserves_closing_balances_are_the_published_ones(get, tables, published):
    rows = tables(get(f"extension/Reserves/{FY}").data)["reserves"]
    seg = published["tables"]["segment-bs"]
    names = seg["columns"][:8]
    closing = {}
    current = None
    for kind, label, cells, attrs in rows:
        current = attrs.get("data-reserve")
        closing[(current.rsplit(":", 1)[-1].split("-", 1)[1], cells[0][0])] = cells[-1][0]
    for reserve in ("住基ネット再構築平準化等積立金", "セキュリティ強化等積立金", "次期システム更改積立金", "積立金",
                    "公的個人認証サービス事業財政調整積立金", "システム開発積立金"):
        values = next(r for r in seg["rows"] if r["label"] == reserve)["values"]
        for name, value in zip(names, values):
            if value:
                assert closing[(reserve, name)] == published_yen(value), (reserve, name)


def test_reserves_show_the_plans_and_the_appropriation(get, tables):
    page = tables(get(f"extension/Reserves/{FY}").data)
    plans = page["plans"]
    assert any(label == "住基ネット再構築平準化等積立金" and cells[1][0] == "計画" for _, label, cells, _ in plans)
    total = page["appropriation"][-1]
    assert total[1] == "合計" and total[2][0][0] == "3,151,347,960"  # 当期純利益 of 令和4年度 (segment-pl)


# -- 決算報告書 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("statement", ["budget-bs", "budget-pl"])
def test_settlement_reproduces_the_published_budget_report(get, tables, published, statement):
    rows = tables(get(f"extension/Settlement/{FY}").data)[statement]
    assert figures(rows) == expected(published["tables"][statement])


# -- 推移 ----------------------------------------------------------------------------------------


def test_trend_shows_the_published_history_and_the_books_year(get, tables, published):
    html = get("extension/Trend/").data.decode()
    assert "<svg" in html and "jlis-chart" in html
    rows = tables(html)["trend"]
    trend = published["tables"]["trend"]
    names = trend["business_columns"]
    shown = {label: [c[0] for c in cells] for kind, label, cells, _ in rows}
    for row in trend["rows"]:
        if row["kind"] != "line":
            continue
        cells = shown[names[row["label"]]]
        for value, text in zip(row["values"][:-1], cells[-len(row["values"]):-1]):
            assert text == ("" if value is None else f"{Decimal(value):,}")
        # 令和4年度 from the books, with the published figure beside it, agreeing
        assert cells[-1] == f"{Decimal(row['values'][-1]):,} 公表 {Decimal(row['values'][-1]):,} ✓"
    total = next(r for r in trend["rows"] if r["kind"] == "subtotal")
    assert [c[0] for c in next(cells for kind, label, cells, _ in rows if label == "計")] == [f"{Decimal(v):,}" for v in total["values"]]


def test_trend_data_in_the_ledger_is_the_published_table(published, books):
    from jlis_ledger import trend

    measures, records, errors = trend.read(books.entries)
    assert not errors
    table = published["tables"]["trend"]
    labels = {b.name: label for label, b in books.businesses.items()}
    want = {}
    for row in table["rows"]:
        if row["kind"] == "line":
            for year, value in zip(range(2014, 2023), row["values"]):
                if value is not None:
                    want[(year, labels[table["business_columns"][row["label"]]])] = Decimal(value)
    assert {(y, b): v for _, y, b, v, _ in records} == want


# -- errors and read-only ------------------------------------------------------------------------


def test_plugin_errors_show_on_favas_error_page_with_their_location(tmp_path):
    from fava.application import create_app

    ledger = tmp_path / "broken.beancount"
    ledger.write_text(
        "plugin \"jlis_ledger.plugins.segments\" \"{'mode': 'strict', 'clearing': 'Liabilities:Clearing'}\"\n"
        'option "operating_currency" "JPY"\n'
        '2020-01-01 custom "fava-extension" "jlis_ledger.fava"\n'
        '2020-01-01 custom "business" "B1-Alpha"\n'
        '2020-01-01 custom "business" "B2-Beta"\n'
        "2020-01-01 open Assets:Cash:B1-Alpha JPY\n"
        "2020-01-01 open Expenses:Rent:B2-Beta JPY\n"
        "2020-01-01 open Liabilities:Clearing:B1-Alpha JPY\n"
        "2020-01-01 open Liabilities:Clearing:B2-Beta JPY\n"
        "\n"
        '2020-05-01 * "Rent of Beta paid by Alpha, without the clearing legs"\n'
        "  Assets:Cash:B1-Alpha   -100 JPY\n"
        "  Expenses:Rent:B2-Beta   100 JPY\n",
        encoding="utf-8",
    )
    app = create_app([str(ledger)], read_only=True)
    client = app.test_client()
    slug = client.get("/").headers["Location"].split("/")[1]
    errors = client.get(f"/{slug}/api/errors").get_json()["data"]
    assert errors, "the unbalanced business must be reported"
    located = [e for e in errors if e["source"] and e["source"]["filename"] == str(ledger) and e["source"]["lineno"] == 11]
    assert located, errors
    assert "B1-Alpha" in located[0]["message"] and "B2-Beta" in located[0]["message"]
    for page in PAGES:  # the pages still render on a ledger with errors
        assert client.get(f"/{slug}/extension/{page}/").status_code == 200


def test_read_only_refuses_a_write(fava_app, slug):
    client = fava_app.test_client()
    response = client.put(f"/{slug}/api/source", json={"file_path": "x", "source": "", "sha256sum": ""})
    assert response.status_code == 401


def test_the_pages_work_on_another_bodys_ledger(tmp_path):
    """Nothing J-LIS-specific: a synthetic ledger with its own businesses gets the same pages."""
    from fava.application import create_app

    from jlis_ledger import synth

    ledger = tmp_path / "synth.beancount"
    synth.write_ledger(ledger, transactions=300, seed=3)
    with ledger.open("a", encoding="utf-8") as f:
        f.write('\n2000-01-01 custom "fava-extension" "jlis_ledger.fava"\n')
    app = create_app([str(ledger)], read_only=True)
    client = app.test_client()
    slug = client.get("/").headers["Location"].split("/")[1]
    assert client.get(f"/{slug}/api/errors").get_json()["data"] == []
    for page in PAGES:
        response = client.get(f"/{slug}/extension/{page}/?time=FY2021")
        assert response.status_code == 200, page
    html = client.get(f"/{slug}/extension/BusinessMatrix/?time=FY2021").data.decode()
    assert "B2-受託事業" in html and "受託事業" in html and "相殺等" in html
    clearing = client.get(f"/{slug}/extension/Clearing/data?time=FY2021").get_json()
    assert clearing["total"] == 0 and any(clearing["balances"].values())


def test_books_are_built_once_per_load(fava_app, slug, get):
    from jlis_ledger.fava import page

    get(f"extension/BusinessMatrix/{FY}")
    ledger = fava_app.config["LEDGERS"][urllib.parse.unquote(slug)]
    first = page.books_of(ledger)[0]
    get(f"extension/Clearing/{FY}")
    assert page.books_of(ledger)[0] is first


def test_a_ledger_without_declarations_and_bad_input_still_render(tmp_path):
    """No businesses, a malformed trend record, an unreadable time filter: each page says so, none fails."""
    from fava.application import create_app

    ledger = tmp_path / "plain.beancount"
    ledger.write_text(
        'option "operating_currency" "JPY"\n'
        '2020-01-01 custom "fava-extension" "jlis_ledger.fava"\n'
        "2020-01-01 open Assets:Cash JPY\n"
        "2020-01-01 open Expenses:Food JPY\n"
        '2020-01-01 custom "trend" "Food" Expenses:Food\n'
        '2020-05-01 custom "trend-record" "Food" "2019"\n'
        '2020-05-01 * "lunch"\n'
        "  Assets:Cash    -100 JPY\n"
        "  Expenses:Food   100 JPY\n",
        encoding="utf-8",
    )
    client = create_app([str(ledger)], read_only=True).test_client()
    slug = client.get("/").headers["Location"].split("/")[1]
    for page in PAGES:
        for query in ("", "?time=2020", "?time=bogus"):
            assert client.get(f"/{slug}/extension/{page}/{query}").status_code == 200, (page, query)
    assert "期間「bogus」を読めません" in client.get(f"/{slug}/extension/Reserves/?time=bogus").data.decode()
    trend_page = client.get(f"/{slug}/extension/Trend/").data.decode()
    assert f"{ledger}:6" in trend_page and "trend-record" in trend_page  # the malformed record, located


def test_a_changed_file_is_read_again(tmp_path):
    """The books are kept between requests, and rebuilt when Fava reloads a changed file."""
    import os

    from fava.application import create_app

    ledger = tmp_path / "books.beancount"
    text = (
        'option "operating_currency" "JPY"\n'
        '2020-01-01 custom "fava-extension" "jlis_ledger.fava"\n'
        '2020-01-01 custom "business" "B1-Alpha"\n'
        "2020-01-01 open Assets:Cash:B1-Alpha JPY\n"
        "2020-01-01 open Expenses:Food:B1-Alpha JPY\n"
        '2020-01-01 custom "trend" "Food" Expenses:Food\n'
        '2020-05-01 * "lunch"\n'
        "  Assets:Cash:B1-Alpha    -{n} JPY\n"
        "  Expenses:Food:B1-Alpha   {n} JPY\n"
    )
    ledger.write_text(text.format(n=100), encoding="utf-8")
    client = create_app([str(ledger)], read_only=True, poll_watcher=True).test_client()
    slug = client.get("/").headers["Location"].split("/")[1]

    def food() -> list:
        return client.get(f"/{slug}/extension/Trend/data").get_json()["series"][0]["values"]

    assert food() == ["100"]
    ledger.write_text(text.format(n=250), encoding="utf-8")
    stat = ledger.stat()
    os.utime(ledger, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**10))  # a later mtime, whatever the clock's grain
    assert food() == ["250"]


# -- hostile filters, under plain Fava too (the pages read them with jlis_ledger.fava.guard) --------


def test_a_pattern_that_backtracking_takes_eons_on_leaves_the_figures(get, tables, published):
    """``(.|.)*ZZ`` froze the process in Python's engine; in RE2 it matches no line, so the statement stays."""
    rows = tables(get(f"extension/BusinessMatrix/{FY}&account=(.|.)*ZZ").data)["segment-bs"]
    assert figures(rows) == expected(published["tables"]["segment-bs"])


@pytest.mark.parametrize("page", ["BusinessMatrix", "Settlement"])
def test_an_unusable_account_filter_is_said_and_the_statement_shown(get, tables, published, page):
    response = get(f"extension/{page}/{FY}&account=(")
    assert response.status_code == 200
    html = response.data.decode()
    assert "勘定科目フィルタ「(」を使えません: 正規表現として読めません" in html
    statement = "segment-pl" if page == "BusinessMatrix" else "budget-pl"
    assert figures(tables(html)[statement]) == expected(published["tables"][statement])
    assert get(f"extension/{page}/data{FY}&account=(").get_json()["filter_problem"].startswith("勘定科目フィルタ「(」")


@pytest.mark.parametrize(("value", "said"), [
    ("FY9999", "期間「FY9999」を読めません（日付または日付の範囲として読めません）"),  # Fava's parser raised ValueError: 500
    ("1900-01-01 - 9999-12-31", "1900年1月1日から2199年12月31日までの日付にしてください"),
    ("2023 - 2022", "終わりが始まりより前です"),
])
def test_an_unreadable_period_is_said_on_every_page(get, value, said):
    for page in PAGES:
        response = get(f"extension/{page}/?time={urllib.parse.quote(value)}")
        assert response.status_code == 200, page
        if page != "Trend":  # the trend shows every year, whatever the period
            assert said in response.data.decode(), page


def test_a_ledger_that_declares_no_business_says_so_on_every_page(tmp_path):
    """Issue 13: one clear line on every page (not tables of zeros), on the pages of a ledger without businesses."""
    from fava.application import create_app

    ledger = tmp_path / "plain.beancount"
    ledger.write_text('option "operating_currency" "JPY"\n2020-01-01 custom "fava-extension" "jlis_ledger.fava"\n'
                      "2020-01-01 open Assets:Cash JPY\n2020-01-01 open Income:Sales JPY\n"
                      '2020-05-01 * "sale"\n  Assets:Cash   100 JPY\n  Income:Sales  -100 JPY\n', encoding="utf-8")
    client = create_app([str(ledger)], read_only=True).test_client()
    slug = client.get("/").headers["Location"].split("/")[1]
    for page in PAGES:
        html = client.get(f"/{slug}/extension/{page}/").data.decode()
        assert html.count("data-ledger-problem") == 1, page
        assert "事業を宣言していません" in html
        assert "<table" not in html or page == "Trend", page
