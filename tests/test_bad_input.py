"""Issue 13: every bad input is one located error, exit status 1, no traceback, and no file written or changed.

The cases are a table (tests/bad_input_cases.py): add a row to add a case. Each runs the real command line in this
process (``jlis_ledger.cli.main``: an exception would fail the case as the traceback a user would see), and a
sample of them also as a separate ``jlis-ledger`` process, which must say exactly the same.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bad_input_cases import CASES, Case

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "ledger"


def test_the_corpus_covers_every_family_with_at_least_a_hundred_cases():
    families = Counter(case.family for case in CASES)
    assert len(CASES) >= 100, families
    assert len({case.id for case in CASES}) == len(CASES)  # ids are unique
    assert {"ledger", "declaration", "plugins", "one-fault", "amounts", "files", "encoding", "no-business", "year",
            "refused", "statements", "reconcile", "arguments", "output", "import"} <= set(families)


@pytest.fixture(scope="session")
def readonly(tmp_path_factory) -> Path | None:
    """A directory nobody can create a file in: a mode 0555 one, or (for root, whom modes do not stop) a place of a
    read-only kind (/sys, /proc); None if there is none."""
    directory = tmp_path_factory.mktemp("readonly")
    directory.chmod(0o555)
    candidates = [directory, Path("/sys"), Path("/proc")]
    for candidate in candidates:
        probe = candidate / "jlis-probe"
        try:
            probe.open("x").close()
        except OSError:
            return candidate
        probe.unlink()
    return None


def snapshot(*roots: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and directory (None) under the roots."""
    out: dict[str, bytes | None] = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            out[str(path)] = None if path.is_dir() else path.read_bytes()
    return out


def prepare(case: Case, tmp_path: Path, readonly: Path | None) -> tuple[list[str], str, str]:
    if case.needs == "readonly" and readonly is None:
        pytest.skip("no directory here refuses a new file")
    for name, content in case.files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")

    def fill(text: str) -> str:
        return text.replace("{tmp}", str(tmp_path)).replace("{ro}", str(readonly))

    return [fill(a) for a in case.argv], fill(case.where), fill(case.says)


def run_in_process(argv: list[str], cwd: Path) -> tuple[int, str, str]:
    from jlis_ledger.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(argv)
            except SystemExit as exit_:  # argparse
                status = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        os.chdir(saved)
    return status, out.getvalue(), err.getvalue()


def run_as_process(argv: list[str], cwd: Path) -> tuple[int, str, str]:
    script = Path(sys.executable).with_name("jlis-ledger")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "jlis_ledger.cli"]
    result = subprocess.run(command + argv, capture_output=True, text=True, cwd=cwd, check=False)
    return result.returncode, result.stdout, result.stderr


def check(case: Case, status: int, out: str, err: str, where: str, says: str) -> str:
    assert "Traceback" not in err and "Traceback" not in out, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, f"{case.id}: {len(lines)} lines on standard error:\n{err}"
    (line,) = lines
    assert status == case.status, (case.id, status, line)
    assert where in line, (case.id, where, line)
    assert says in line, (case.id, says, line)
    return line


@pytest.mark.parametrize("case", CASES, ids=[f"{c.family}:{c.id}" for c in CASES])
def test_bad_input_is_one_located_error_and_changes_nothing(case, tmp_path, readonly):
    argv, where, says = prepare(case, tmp_path, readonly)
    before = snapshot(tmp_path, BUNDLED)
    status, out, err = run_in_process(argv, tmp_path)
    check(case, status, out, err, where, says)
    assert snapshot(tmp_path, BUNDLED) == before, f"{case.id}: a file was written, changed or left behind"


SAMPLE = CASES[::9]


@pytest.mark.parametrize("case", SAMPLE, ids=[f"{c.family}:{c.id}" for c in SAMPLE])
def test_the_jlis_ledger_process_says_the_same(case, tmp_path, readonly):
    argv, where, says = prepare(case, tmp_path, readonly)
    before = snapshot(tmp_path)
    status, out, err = run_as_process(argv, tmp_path)
    line = check(case, status, out, err, where, says)
    assert snapshot(tmp_path) == before
    assert line == check(case, *run_in_process(argv, tmp_path), where, says)


def test_a_malformed_declaration_hides_no_other_error(tmp_path):
    """Issue 13: `custom "business"` with no argument used to crash the segments plugin and hide every other error;
    both faults are reported now, each at its line, then their count."""
    from bad_input_cases import GOOD, at

    text = GOOD + '2022-04-01 custom "business"\n' + (
        '2022-06-01 * "x"\n  Assets:1-流動資産:11-現金及び預金:B1-一般事業  100 JPY\n  Income:1-営業収益:10-事業収入:B1-一般事業  -90 JPY\n')
    (tmp_path / "main.beancount").write_text(text, encoding="utf-8")
    status, _, err = run_in_process(["check", str(tmp_path / "main.beancount"), "--no-cache"], tmp_path)
    lines = err.splitlines()
    assert status == 1
    assert [line.split(": ")[0] + ":" for line in lines[:2]] == [
        at(text, 'custom "business"\n').replace("{tmp}", str(tmp_path)), at(text, '2022-06-01 * "x"').replace("{tmp}", str(tmp_path))]
    assert lines[2:] == ["2 errors"]
