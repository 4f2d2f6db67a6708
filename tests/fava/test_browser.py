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


def test_matrix_cell_is_the_published_figure_and_links_to_its_account(server, page, published):
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

    link = row.locator("td").nth(1).locator("a")  # 本人確認情報処理事業
    account = row.locator("td").nth(1).get_attribute("data-account")
    link.click()
    page.wait_for_url("**/account/**")
    assert urllib.parse.unquote(page.url).split("/account/", 1)[1].split("/", 1)[0] == account
    assert "time=FY2022" in page.url
    page.wait_for_load_state("networkidle")
    page.locator("article .chart-wrapper").first.wait_for()  # Fava's own account page, rendered by its frontend
    assert account.rsplit(":", 1)[-1].split("-", 1)[1] in page.locator("header").inner_text()
    page.screenshot(path=str(ARTIFACTS / "account.png"))


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
