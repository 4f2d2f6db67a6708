"""The library works when installed: the wheel carries the bundled books, and in a fresh virtual environment outside
the repository the README's Python example, the commands, a Beancount query and the server all find them.

The wheel is built from the checkout (``pip wheel --no-deps``) and installed with pip into a new environment in a
temporary folder. Its dependencies are not downloaded again: a ``.pth`` line, added after the install, puts the
test environment's site-packages behind the new one's (a folder named in a ``.pth`` file is only put on the path:
its own ``.pth`` files, such as the checkout's editable finder, are not run), so ``jlis_ledger`` can only be
the installed wheel — which the test checks first.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("installed")
    dist = root / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(REPO)],
                           capture_output=True, text=True, timeout=900, cwd=root)
    assert build.returncode == 0, build.stderr
    (wheel,) = dist.glob("jlis_ledger-*.whl")
    shutil.rmtree(REPO / "build", ignore_errors=True)  # what setuptools leaves in the checkout
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)],
                             capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stderr
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], capture_output=True,
                          text=True, check=True).stdout.strip()
    (Path(site) / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    work = root / "work"  # outside the repository: nothing there but what a user would have
    work.mkdir()
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(root), "LANG": "C.UTF-8",
           "JLIS_LEDGER_CACHE_DIR": str(root / "cache"), "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    return {"wheel": wheel, "venv": venv, "python": python, "site": Path(site), "work": work, "env": env}


def run(installed: dict, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=installed["work"], env=installed["env"], capture_output=True, text=True, timeout=timeout)


def test_the_wheel_carries_the_books(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for path in ("main.beancount", "declarations.beancount", "fy2022/transactions.beancount", "fy2022/closing.beancount",
                 "import/mapping.csv", "published/r4-kessan.json"):
        assert f"jlis_ledger/ledger/{path}" in names, path
    included = {line.split('"')[1] for line in (REPO / "ledger" / "main.beancount").read_text(encoding="utf-8").splitlines()
                if line.startswith("include ")}
    assert all(f"jlis_ledger/ledger/{name}" in names for name in included)
    assert not any(name.startswith("jlis_ledger/ledger/") and name.endswith(".py") for name in names)  # not the scripts
    assert not any(name.startswith(("importers/", "ledger/")) for name in names)


def test_the_package_is_the_installed_one(installed):
    result = run(installed, str(installed["python"]), "-c",
                 "import jlis_ledger, jlis_ledger.books as b; print(jlis_ledger.__file__); print(b.BUNDLED_LEDGER)")
    assert result.returncode == 0, result.stderr
    module, ledger = result.stdout.splitlines()
    assert module.startswith(str(installed["site"])) and ledger == str(installed["site"] / "jlis_ledger" / "ledger" / "main.beancount")


def test_the_readme_python_example_runs_there(installed):
    example = installed["work"] / "statements_api.py"
    shutil.copy(REPO / "examples" / "statements_api.py", example)
    result = run(installed, str(installed["python"]), str(example))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "6143949797"  # 現金及び預金, 一般事業: the published figure
    assert (installed["work"] / "statements-r4.xlsx").stat().st_size > 10_000


def test_the_commands_run_there(installed):
    check = run(installed, "jlis-ledger", "check")
    assert check.returncode == 0, check.stderr
    assert "3,151,347,960" in check.stdout  # 当期純利益 合計, as published
    reconcile = run(installed, "jlis-ledger", "reconcile")
    assert reconcile.returncode == 0 and " 0 difference(s)" in reconcile.stdout, reconcile.stdout + reconcile.stderr
    assert run(installed, "jlis-ledger", "--version").stdout.strip() == "jlis-ledger 0.1.0"
    exported = run(installed, "jlis-ledger", "export", "postings", "-o", "postings.parquet")
    assert exported.returncode == 0 and (installed["work"] / "postings.parquet").exists(), exported.stderr
    query = run(installed, str(installed["python"]), "-m", "beanquery", "-f", "csv", str(installed["site"] / "jlis_ledger" / "ledger" / "main.beancount"),
                "SELECT business(account) AS b, count(*) AS n GROUP BY b ORDER BY b")
    assert query.returncode == 0, query.stderr
    assert query.stdout.splitlines()[1].startswith("B1-一般事業,")


def test_a_missing_ledger_is_one_clear_error_there(installed):
    result = run(installed, str(installed["python"]), "-c", "from jlis_ledger import books; books.load('nowhere.beancount')")
    assert "LedgerNotFoundError: nowhere.beancount: does not exist" in result.stderr
    check = run(installed, "jlis-ledger", "check", "nowhere.beancount")
    assert check.returncode == 1 and check.stderr == "jlis-ledger check: nowhere.beancount: does not exist\n"


def test_serve_shows_the_bundled_books_there(installed):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(["jlis-ledger", "serve", "--port", str(port)], cwd=installed["work"], env=installed["env"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
                    page = response.read().decode("utf-8")
                    slug = response.url.split("/")[3]
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stdout.read() if server.stdout else ""
                time.sleep(0.5)
        assert "地方公共団体情報システム機構 事業別会計" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{slug}/extension/BusinessMatrix/data?time=FY2022", timeout=60) as data:
            assert b"6,143,949,797" in data.read()  # 現金及び預金, 一般事業: the published figure
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert os.path.isdir(installed["site"] / "jlis_ledger" / "ledger")
