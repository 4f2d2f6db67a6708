"""`jlis-ledger serve`: a real Fava server on 127.0.0.1 with the bundled books, read-only by default."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    script = Path(sys.executable).with_name("jlis-ledger")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "jlis_ledger.cli"]
    proc = subprocess.Popen(command + ["serve", "--port", str(port)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=5)
            break
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"Fava did not start: {proc.stdout.read() if proc.stdout else ''}")
            time.sleep(0.3)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def test_serves_the_books_in_fava_on_loopback(server):
    with urllib.request.urlopen(server + "/", timeout=30) as response:
        assert response.status == 200
        final = urllib.parse.unquote(response.url)
        html = response.read().decode()
    assert final.endswith("/income_statement/?time=FY2022")  # the default page: 令和4年度
    assert "地方公共団体情報システム機構 事業別会計" in html
    slug = urllib.parse.urlparse(response.url).path.split("/")[1]
    url = f"{server}/{slug}/api/errors"
    with urllib.request.urlopen(url, timeout=30) as errors:
        assert b'"data":[]' in errors.read().replace(b" ", b"")


def test_is_read_only_by_default(server):
    with urllib.request.urlopen(server + "/", timeout=30) as response:
        slug = urllib.parse.urlparse(response.url).path.split("/")[1]
    request = urllib.request.Request(f"{server}/{slug}/api/source", data=b'{"file_path": "x", "source": "", "sha256sum": ""}',
                                     method="PUT", headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=30)
    assert error.value.code in (401, 403, 405)
