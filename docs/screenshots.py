"""Retake the screenshots of the accountants' guide (docs/guide-ja.md) into docs/images/.

    python docs/screenshots.py            # the bundled books, Debian's /usr/bin/chromium

Starts ``jlis-ledger serve`` on a free loopback port, opens each page in
headless Chromium (Playwright for Python driving the system browser) at 1280 px
and saves PNG screenshots clipped to the part the guide discusses.  A Japanese
font must be installed (``make browser`` installs one), or the text shows as boxes.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "images"
sys.path.insert(0, str(REPO / "tests" / "fava"))

from fava_browser import chromium_page, fava_server  # noqa: E402

WIDTH = 1280
B2 = "business=B2-本人確認情報処理事業"

SHOTS = [
    # (file, path under the ledger, what to wait for, clip height)
    ("matrix.png", "extension/BusinessMatrix/?time=FY2022", "table[data-statement=segment-bs]", 720),
    ("lens.png", f"extension/BusinessMatrix/?time=FY2022&{B2}", "table[data-statement=business-pl]", 720),
    ("unit.png", "extension/BusinessMatrix/?time=FY2022&unit=百万円", "[data-unit-note]", 560),
    ("journal.png", f"extension/BusinessPostings/?time=FY2022&{B2}", "table[data-table=postings]", 640),
    ("clearing.png", "extension/Clearing/?time=FY2022", "table[data-table=debts]", 900),
    ("reserves.png", "extension/Reserves/?time=FY2022", "table[data-table=reserves]", 640),
    ("budget.png", "extension/Settlement/?time=FY2022", "table[data-statement=budget-pl]", 640),
    ("trend.png", "extension/Trend/", "svg.jlis-chart", 620),
    ("fava-income.png", "income_statement/?time=FY2022", "svg", 620),
]


def save(page, name: str, height: int) -> None:
    target = OUT / name
    page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": WIDTH, "height": height})
    print(f"{target.relative_to(REPO)}: {target.stat().st_size // 1024} KB")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with fava_server() as (_, ledger_url), chromium_page(WIDTH, 900) as page:
        for name, path, selector, height in SHOTS:
            page.goto(f"{ledger_url}/{path}")
            page.wait_for_selector(selector)
            page.wait_for_load_state("networkidle")
            save(page, name, height)
        # a figure clicked: 本人確認情報処理事業 × 事業費 opens the postings that make it
        page.goto(f"{ledger_url}/extension/BusinessMatrix/?time=FY2022")
        row = page.locator('table[data-statement="segment-pl"] tr.line', has=page.locator("th", has_text="事業費"))
        row.locator("td").nth(1).locator("a").click()
        page.wait_for_selector("[data-total]")
        page.wait_for_load_state("networkidle")
        save(page, "drill.png", 620)
        # the estimates' legend at the foot of the matrix
        page.goto(f"{ledger_url}/extension/BusinessMatrix/?time=FY2022")
        page.locator("#estimates").scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
        save(page, "estimates.png", 700)
    return 0


if __name__ == "__main__":
    sys.exit(main())
