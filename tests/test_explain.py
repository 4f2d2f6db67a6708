"""What moved a published figure: reconcile --explain and diff name the entries behind each figure that moved."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
OLD = "  Income:1-営業収益:101-事業負担金収入:B1-一般事業        -305,468,400 JPY\n  Income:1-営業収益:104-負担金収入:B1-一般事業          -116,183,028 JPY\n"
NEW = OLD.replace("305,468,400", "305,468,401").replace("116,183,028", "116,183,027")


def jlis(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jlis_ledger.cli", *args], capture_output=True, text=True)


@pytest.fixture
def revisions(tmp_path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    for target in (old, new):
        shutil.copytree(REPO / "ledger", target, ignore=shutil.ignore_patterns("reconstruct", "__pycache__"))
    return old / "main.beancount", new / "main.beancount"


def _move(main: Path) -> None:
    """A 1-yen move between two revenue lines of 一般事業 in the sealed 令和4年度."""
    path = main.parent / "fy2022" / "transactions.beancount"
    text = path.read_text(encoding="utf-8")
    assert text.count(OLD) == 1
    path.write_text(text.replace(OLD, NEW), encoding="utf-8")


def test_reconcile_explain_names_the_entry_and_the_seal(revisions):
    _, new = revisions
    _move(new)
    result = jlis("reconcile", str(new), "--explain", "--no-cache")
    assert result.returncode == 1
    out = result.stdout.splitlines()
    first = out.index("segment-pl: #2 事業負担金収入: 一般事業: expected 305468400, got 305468401")
    assert out[first + 1].startswith("  in 令和4年度, which is sealed (")
    assert "fy2022/transactions.beancount:" in out[first + 2] and out[first + 2].endswith(
        "Income:1-営業収益:101-事業負担金収入:B1-一般事業 -305,468,401 JPY")


def test_diff_lists_what_moved_each_figure_and_fails_when_a_sealed_year_moves(revisions):
    old, new = revisions
    assert jlis("diff", str(old), str(new), "--no-cache").returncode == 0  # the same books
    _move(new)
    result = jlis("diff", str(old), str(new), "--no-cache")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    head = lines.index("2022 segment-pl: #2 事業負担金収入: 一般事業: 305468400 → 305468401 (sealed year)")
    assert lines[head + 1].startswith(f"  - {old.parent}/fy2022/transactions.beancount:") and lines[head + 1].endswith("-305,468,400 JPY")
    assert lines[head + 2].startswith(f"  + {new.parent}/fy2022/transactions.beancount:") and lines[head + 2].endswith("-305,468,401 JPY")
    assert "10 figure(s) differ, 10 of them in a sealed year" in result.stderr


def test_diff_of_an_open_year_reports_and_exits_zero(revisions):
    old, new = revisions
    with new.open("a", encoding="utf-8") as out:
        out.write('\n2023-05-01 * "令和5年度の収入"\n  source: "test"\n'
                  "  Assets:1-流動資産:12-未収金:B1-一般事業  1 JPY\n  Income:1-営業収益:105-事業収入:B1-一般事業  -1 JPY\n")
    result = jlis("diff", str(old), str(new), "--no-cache", "--year", "2023")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2023 segment-pl: #" in result.stdout and "(sealed year)" not in result.stdout
