"""Retake the screenshots of the accountants' guide (docs/guide-ja.md) into docs/images/.

    python docs/screenshots.py            # the bundled books, Debian's /usr/bin/chromium

Starts ``jlis-ledger serve`` on a free loopback port, opens each page in
headless Chromium (Playwright for Python driving the system browser) and saves
PNG screenshots 1200 px wide, clipped to the part the guide discusses.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "images"
CHROMIUM = os.environ.get("JLIS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def fava_server(ledger: Path | None = None, *, editable: bool = False):
    """``jlis-ledger serve`` on a free 127.0.0.1 port; yields (base URL, ledger slug URL)."""
    port = free_port()
    script = Path(sys.executable).with_name("jlis-ledger")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "jlis_ledger.cli"]
    command += ["serve", "--port", str(port)] + ([str(ledger)] if ledger else []) + (["--editable"] if editable else [])
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=30) as response:
                    slug = urllib.parse.urlparse(response.url).path.split("/")[1]
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise RuntimeError(f"Fava did not start: {proc.stdout.read() if proc.stdout else ''}")
                time.sleep(0.3)
        yield base, f"{base}/{slug}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def chromium_page(width: int = 1200, height: int = 900):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
            yield page
        finally:
            browser.close()


SHOTS = [
    # (file, path under the ledger, what to wait for, clip height)
    ("matrix.png", "extension/BusinessMatrix/?time=FY2022", "table[data-statement=segment-bs]", 760),
    ("clearing.png", "extension/Clearing/?time=FY2022", "table[data-table=matrix]", 900),
    ("reserves.png", "extension/Reserves/?time=FY2022", "table[data-table=reserves]", 820),
    ("budget.png", "extension/Settlement/?time=FY2022", "table[data-statement=budget-pl]", 700),
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
