"""Fava and headless Chromium for the end-to-end tests and the guide's screenshots.

- :func:`fava_server`: ``jlis-ledger serve`` (the real command, cheroot and all)
  on a free 127.0.0.1 port, stopped afterwards;
- :func:`chromium_page`: a page of Debian's Chromium (``/usr/bin/chromium``, or
  ``$JLIS_CHROMIUM``) driven by Playwright for Python, headless, with no
  network access of its own (no updates, no sync, no QUIC).

Used by ``tests/fava/test_browser.py`` and ``docs/screenshots.py``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
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
    log = tempfile.TemporaryFile(mode="w+")  # not a pipe: nobody reads it while the server runs
    proc = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, text=True)
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
                    log.seek(0)
                    raise RuntimeError(f"Fava did not start: {log.read()}")
                time.sleep(0.3)
        yield base, f"{base}/{slug}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


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
