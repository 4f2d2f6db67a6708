"""Every command of the README and of the guide runs as written, each in a new shell: an empty environment (no
activated virtual environment, a PATH of the system's folders only, a fresh HOME), from the repository's folder.

The commands are the lines of the ``sh`` blocks and every inline command that starts with ``.venv/bin/``, in the
documents' order (a command may read what an earlier one wrote: the DuckDB query reads the exported postings). They run
in a folder that mirrors the repository (a link to each of its entries), so that the files they write
(``new.beancount``, ``r4-yayoi.csv``, ``postings.parquet``, ``artifacts/`` …) land in a temporary folder. Three
kinds are run otherwise, and said so here:

- ``make test`` is what runs this test: not run again;
- a server (``make serve``, ``jlis-ledger serve``) runs until it prints its address, on a free port
  (``PORT=`` for make, ``--port`` for the command), and is stopped;
- ``pip install -e '.[analytics]'`` would re-install the checkout from the mirror: instead the test checks that
  what it installs (pyarrow, duckdb) is in the environment (``make test`` installs the extra).

And ``.venv/bin/python docs/screenshots.py`` rewrites the guide's images: it is not run here (the browser tests
drive the same server).
"""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCUMENTS = ("README.md", "docs/guide-ja.md")
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.M | re.S)
INLINE = re.compile(r"`(\.venv/bin/[^`]+|\. \.venv/bin/activate)`")
NOT_RUN = {".venv/bin/python docs/screenshots.py": "rewrites docs/images/ (the browser tests drive the same pages)"}


def commands(document: str) -> list[str]:
    text = (REPO / document).read_text(encoding="utf-8")
    found = []
    for block in SH_BLOCK.findall(text):
        found += [line.strip() for line in block.splitlines() if line.strip() and not line.strip().startswith("#")]
    found += [command for command in INLINE.findall(text) if "…" not in command]  # not `.venv/bin/jlis-ledger …`
    return list(dict.fromkeys(found))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def mirror(tmp_path_factory) -> Path:
    """A folder with a link to every entry of the repository (its own ``artifacts/``), and a check that ``make``
    will not re-install there: the stamps of .venv must be newer than pyproject.toml (``make test`` makes them)."""
    folder = tmp_path_factory.mktemp("repository")
    for entry in REPO.iterdir():
        if entry.name not in ("artifacts", ".git"):
            (folder / entry.name).symlink_to(entry)
    stale = subprocess.run(["make", "-q", ".venv/.installed-stamp", ".venv/.serve-stamp"], cwd=folder, capture_output=True)
    if stale.returncode != 0:
        pytest.fail("the stamps in .venv/ are older than pyproject.toml: run `make test` (this test never installs)")
    (folder / "home").mkdir()
    return folder


def fresh_shell(folder: Path) -> dict[str, str]:
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(folder / "home"), "LANG": "C.UTF-8"}


def run(command: str, folder: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "--noprofile", "--norc", "-c", command], cwd=folder, env=fresh_shell(folder),
                          capture_output=True, text=True, timeout=timeout)


def serve(command: str, folder: Path) -> str:
    """Start a server command on a free port, wait for its address line, stop it; the output."""
    port = free_port()
    command = re.sub(r"\s+#\s.*$", "", command)  # the comment, before the port is added
    if command.startswith("make serve"):
        command = f"{command} PORT={port}"
    elif "--port" in command:
        command = re.sub(r"--port \d+", f"--port {port}", command)
    else:
        command = f"{command} --port {port}"
    process = subprocess.Popen(["bash", "--noprofile", "--norc", "-c", f"exec {command}" if not command.startswith("make") else command],
                               cwd=folder, env=fresh_shell(folder), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    lines = []
    deadline = time.monotonic() + 180
    try:
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if f"http://127.0.0.1:{port}/" in line:
                return "".join(lines)
        raise AssertionError(f"{command}: no address printed\n{''.join(lines)}")
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


ALL = [(document, command) for document in DOCUMENTS for command in commands(document)]


def test_the_documents_have_commands():
    assert len(commands("README.md")) >= 25 and len(commands("docs/guide-ja.md")) >= 6
    for document, command in ALL:  # every runnable jlis-ledger / bean-* command is written with its folder
        assert not re.match(r"(jlis-ledger|bean-\w+|fava|python) ", command), (document, command)


@pytest.mark.slow
@pytest.mark.parametrize(("document", "command"), ALL, ids=[f"{d}: {c[:70]}" for d, c in ALL])
def test_runs_as_written_in_a_new_shell(mirror, document, command):
    bare = re.sub(r"\s+#\s.*$", "", command)  # without its comment
    if bare.startswith("make test"):
        pytest.skip("make test runs this test")
    if bare in NOT_RUN:
        pytest.skip(NOT_RUN[bare])
    if bare.startswith(".venv/bin/pip install"):
        result = run(".venv/bin/python -c 'import pyarrow, duckdb'", mirror)
        assert result.returncode == 0, "the analytics extra is not installed: " + result.stderr
        return
    if bare.startswith("make serve") or shlex.split(bare)[:2] == [".venv/bin/jlis-ledger", "serve"]:
        out = serve(command, mirror)
        assert "read-only" in out or "editable" in out, out
        return
    if command == ". .venv/bin/activate":
        command = ". .venv/bin/activate && jlis-ledger --version && bean-check --version"
    result = run(command, mirror)
    assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    assert "Traceback" not in result.stderr, result.stderr


def test_version_and_help(mirror):
    result = run(".venv/bin/jlis-ledger --version", mirror)
    assert result.stdout.strip() == "jlis-ledger 0.1.0"
    result = run("make help", mirror)
    targets = re.findall(r"^  (\S+) ", result.stdout, re.M)
    assert {"serve", "test", "check", "statements", "browser", "help", "lint"} <= set(targets)
    assert "installs only what serving needs" in (REPO / "README.md").read_text(encoding="utf-8")


def test_make_serve_installs_only_what_serving_needs():
    """``make serve`` depends on the library alone; ``make test`` on the test extra (with the analytics one)."""
    plan = subprocess.run(["make", "-n", "-B", "serve"], cwd=REPO, capture_output=True, text=True).stdout
    installs = [line for line in plan.splitlines() if "pip install" in line]
    assert installs and all(line.rstrip().endswith("-e .") for line in installs), installs
    plan = subprocess.run(["make", "-n", "-B", ".venv/.installed-stamp"], cwd=REPO, capture_output=True, text=True).stdout
    assert "-e '.[test]'" in plan


def test_make_browser_installs_chromium_without_recommends_and_with_a_japanese_font():
    plan = subprocess.run(["make", "-n", "browser"], cwd=REPO, capture_output=True, text=True).stdout
    assert "--no-install-recommends chromium fonts-ipafont-gothic" in plan
    assert "chromium-driver" not in plan
