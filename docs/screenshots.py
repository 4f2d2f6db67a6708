"""Retake the screenshots of the accountants' guide (docs/guide-ja.md) into docs/images/.

    python docs/screenshots.py            # the bundled books, Debian's /usr/bin/chromium

Starts ``jlis-ledger serve`` on a free loopback port, opens each page in
headless Chromium (Playwright for Python driving the system browser) and saves
PNG screenshots 1200 px wide, clipped to the part the guide discusses.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "images"
sys.path.insert(0, str(REPO / "tests" / "fava"))

from fava_browser import chromium_page, fava_server  # noqa: E402


SHOTS = [
    # (file, path under the ledger, what to wait for, clip height)
    ("matrix.png", "extension/BusinessMatrix/?time=FY2022", "table[data-statement=segment-bs]", 700),
    ("clearing.png", "extension/Clearing/?time=FY2022", "table[data-table=matrix]", 640),
    ("reserves.png", "extension/Reserves/?time=FY2022", "table[data-table=reserves]", 600),
    ("budget.png", "extension/Settlement/?time=FY2022", "table[data-statement=budget-pl]", 640),
    ("trend.png", "extension/Trend/", "svg.jlis-chart", 620),
]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with fava_server() as (_, ledger_url), chromium_page() as page:
        for name, path, selector, height in SHOTS:
            page.goto(f"{ledger_url}/{path}")
            page.wait_for_selector(selector)
            page.wait_for_load_state("networkidle")
            target = OUT / name
            page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": 1200, "height": height})
            print(f"{target.relative_to(REPO)}: {target.stat().st_size // 1024} KB")
        # the right-hand side of the matrix: 相殺等 and 合計
        page.goto(f"{ledger_url}/extension/BusinessMatrix/?time=FY2022")
        page.locator('table[data-statement="segment-bs"] td.total').first.scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
        target = OUT / "matrix-elimination.png"
        page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": 1200, "height": 640})
        print(f"{target.relative_to(REPO)}: {target.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
