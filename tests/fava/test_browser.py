"""End to end in a real browser: `jlis-ledger serve` on a free loopback port, headless Chromium
(Debian's /usr/bin/chromium driven by Playwright for Python).  Screenshots go to artifacts/browser/.

The browser is required: without it these tests fail, unless JLIS_SKIP_BROWSER=1 says to skip them
(`.ci/run` installs Chromium, so CI never skips).
"""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path

import pytest

from fava_browser import CHROMIUM, REPO, chromium_page, fava_server  # tests/fava/fava_browser.py

ARTIFACTS = REPO / "artifacts" / "browser"
FY = "?time=FY2022"


def published_yen(value: int) -> str:
    return ("△" if value < 0 else "") + f"{abs(value):,}"


def _require_browser() -> None:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("Playwright for Python (pip install playwright)")
    if missing:
        if os.environ.get("JLIS_SKIP_BROWSER") == "1":
            pytest.skip("JLIS_SKIP_BROWSER=1: " + "; ".join(missing))
        pytest.fail("the browser tests need " + " and ".join(missing) + "; set JLIS_SKIP_BROWSER=1 to skip them", pytrace=False)


@pytest.fixture(scope="module")
def server():
    _require_browser()
    with fava_server() as urls:
        yield urls


@pytest.fixture(scope="module")
def page(server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with chromium_page() as p:
        yield p


def amount(text: str) -> int:
    text = text.strip().rstrip("※")  # an estimate's mark
    return -int(text[1:].replace(",", "")) if text.startswith("△") else int(text.replace(",", ""))


def test_matrix_cell_is_the_published_figure_and_opens_the_postings_that_make_it(server, page, published):
    _, ledger = server
    page.goto(f"{ledger}/extension/BusinessMatrix/{FY}")
    table = page.locator('table[data-statement="segment-bs"]')
    table.wait_for()
    row = table.locator("tr.line", has=page.locator("th", has_text="現金及び預金"))
    cash = next(r for r in published["tables"]["segment-bs"]["rows"] if r["label"] == "現金及び預金")["values"]
    cells = row.locator("td")
    assert cells.count() == len(cash)
    for i, value in enumerate(cash):
        assert cells.nth(i).inner_text().strip() == published_yen(value)
    page.screenshot(path=str(ARTIFACTS / "matrix.png"), full_page=False)

    cells.nth(1).locator("a").click()  # 本人確認情報処理事業
    page.wait_for_url("**/extension/BusinessPostings/**")
    assert "time=FY2022" in page.url and "business=B2-" in urllib.parse.unquote(page.url)
    total = page.locator("[data-total]")
    total.wait_for()
    assert amount(total.inner_text()) == cash[1]
    rows = page.locator('table[data-table="postings"] tr.line')
    assert rows.count() > 3
    assert all(a.endswith(":B2-本人確認情報処理事業") for a in (rows.nth(i).get_attribute("data-account") for i in range(rows.count())))
    page.screenshot(path=str(ARTIFACTS / "drill.png"))
    # a posting opens its entry's source line in Fava's editor
    rows.first.locator("td").last.locator("a").click()
    page.wait_for_url("**/editor/**")
    assert "line=" in page.url


def test_the_lens_survives_favas_time_filter_and_the_pages(server, page, published):
    _, ledger = server
    page.goto(f"{ledger}/extension/BusinessMatrix/{FY}")
    page.select_option("form[data-lens] select[name=business]", "B2-本人確認情報処理事業")
    page.locator('table[data-statement="business-pl"]').wait_for()
    assert "business=B2-" in urllib.parse.unquote(page.url)
    pl = page.locator('table[data-statement="business-pl"]')
    income = next(r for r in published["tables"]["segment-pl"]["rows"] if r["label"] == "当期純利益")["values"][1]
    assert amount(pl.locator("tr", has=page.locator("th", has_text="当期純利益")).locator("td").first.inner_text()) == income
    page.screenshot(path=str(ARTIFACTS / "lens.png"), full_page=True)
    time_filter = page.locator("header input").first
    time_filter.fill("FY2021")
    time_filter.press("Enter")
    page.wait_for_url("**time=FY2021**")
    assert "business=B2-" in urllib.parse.unquote(page.url)
    page.locator("text=令和3年度").first.wait_for()
    page.locator("form[data-lens] .pages a", has_text="他事業勘定").click()
    page.wait_for_url("**/extension/Clearing/**")
    assert "business=B2-" in urllib.parse.unquote(page.url) and "time=FY2021" in page.url


def test_the_unit_switch_rounds_and_says_so(server, page, published):
    _, ledger = server
    page.goto(f"{ledger}/extension/BusinessMatrix/{FY}")
    page.select_option("form[data-lens] select[name=unit]", "百万円")
    page.locator("[data-unit-note]").wait_for()
    row = page.locator('table[data-statement="segment-bs"] tr.line', has=page.locator("th", has_text="現金及び預金"))
    cash = next(r for r in published["tables"]["segment-bs"]["rows"] if r["label"] == "現金及び預金")["values"]
    shown = [amount(row.locator("td").nth(i).inner_text()) for i in range(len(cash))]
    assert shown == [int((v + 500_000) // 1_000_000) for v in cash]  # all positive: half up
    page.screenshot(path=str(ARTIFACTS / "unit.png"))


PAGES = ["BusinessMatrix", "BusinessPostings", "Clearing", "Reserves", "Settlement", "Trend"]


@pytest.mark.parametrize("width", [1280, 1600])
@pytest.mark.parametrize("name", PAGES)
def test_each_page_at_the_common_widths(server, page, name, width):
    """Headers fit their columns (no word cut by overflow), the matrix's ten columns fit without scrolling
    sideways, and the header row stays in view when the table scrolls."""
    _, ledger = server
    query = FY + ("&business=B2-本人確認情報処理事業" if name == "BusinessPostings" else "")
    page.set_viewport_size({"width": width, "height": 900})
    try:
        p = page
        p.goto(f"{ledger}/extension/{name}/{query}")
        p.wait_for_load_state("networkidle")
        assert p.locator("form[data-lens]").count() == 1
        overflowing = p.evaluate("""() => [...document.querySelectorAll('.jlis-table thead th')]
            .filter(th => th.scrollWidth > th.clientWidth + 1).map(th => th.textContent)""")
        assert overflowing == []
        if name == "BusinessMatrix":
            sizes = p.evaluate("() => [...document.querySelectorAll('.jlis-scroll')].map(d => [d.scrollWidth, d.clientWidth])")
            assert all(scroll <= client + 1 for scroll, client in sizes), sizes
            box = p.locator(".jlis-scroll").first
            box.evaluate("d => d.scrollTop = 400")
            top = box.evaluate("d => d.getBoundingClientRect().top")
            head = box.locator("thead th").first.evaluate("th => th.getBoundingClientRect().top")
            assert abs(head - top) < 3  # sticky header row
        p.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"))
    finally:
        page.set_viewport_size({"width": 1200, "height": 900})


def test_reserves_page_from_the_sidebar(server, page, published):
    _, ledger = server
    page.goto(f"{ledger}/extension/BusinessMatrix/{FY}")
    page.locator("aside a", has_text="積立金").click()
    page.wait_for_url("**/extension/Reserves/**")
    table = page.locator('table[data-table="reserves"]')
    table.wait_for()
    row = table.locator('tr[data-reserve$="住基ネット再構築平準化等積立金"][data-business="B2-本人確認情報処理事業"]')
    seg = next(r for r in published["tables"]["segment-bs"]["rows"] if r["label"] == "住基ネット再構築平準化等積立金")
    assert row.locator("td").last.inner_text().strip() == published_yen(seg["values"][1])
    page.screenshot(path=str(ARTIFACTS / "reserves.png"), full_page=True)


def test_clearing_and_trend_pages_render(server, page):
    _, ledger = server
    page.goto(f"{ledger}/extension/Clearing/{FY}")
    assert "✓ 0" in page.locator('td[data-check="zero"]').inner_text()
    assert "他事業勘定の精算" in page.locator("pre[data-proposal]").inner_text()
    with page.expect_download() as download:
        page.locator("a[data-download]").click()
    assert download.value.suggested_filename.endswith(".beancount")
    page.screenshot(path=str(ARTIFACTS / "clearing.png"))
    page.goto(f"{ledger}/extension/Trend/{FY}")
    chart = page.locator("svg.jlis-chart")
    chart.wait_for()
    assert chart.locator("rect").count() > 50
    page.screenshot(path=str(ARTIFACTS / "trend.png"))


def test_read_only_server_refuses_a_write(server, page):
    _, ledger = server
    response = page.request.put(f"{ledger}/api/source", data={"file_path": "x", "source": "", "sha256sum": ""})
    assert response.status == 401
