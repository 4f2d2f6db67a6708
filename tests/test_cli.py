"""The command line: `jlis-ledger check` and `jlis-ledger sources`, run as real processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def jlis(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("jlis-ledger")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "jlis_ledger.cli"]
    return subprocess.run(command + list(args), capture_output=True, text=True, cwd=cwd or REPO)


def test_check_on_the_bundled_books_prints_the_summary_and_succeeds(published):
    result = jlis("check")
    assert result.returncode == 0, result.stderr
    assert "令和4年度 (2022-04-01 .. 2023-03-31)" in result.stdout
    assets = {r["label"]: r["values"] for r in published["tables"]["segment-bs"]["rows"]}["資産合計"]
    lines = result.stdout.splitlines()
    for name, value in zip(published["source"]["businesses"], assets):
        line = next(line for line in lines if line.startswith(name + " "))
        assert f"{value:,}" in line, line
    total = next(line for line in lines if line.startswith("合計"))
    assert f"{assets[-1]:,}" in total and "3,151,347,960" in total


def test_check_reports_errors_with_file_and_line_and_fails(tmp_path):
    ledger = tmp_path / "broken.beancount"
    ledger.write_text(
        'option "operating_currency" "JPY"\n'
        '2022-04-01 custom "business" "B1-一般事業"\n'
        "2022-04-01 open Assets:1-流動資産:11-現金及び預金:B1-一般事業 JPY\n"
        "2022-04-01 open Income:1-営業収益:105-事業収入:B1-一般事業 JPY\n"
        '2022-05-01 * "unbalanced"\n'
        "  Assets:1-流動資産:11-現金及び預金:B1-一般事業   1,000 JPY\n"
        "  Income:1-営業収益:105-事業収入:B1-一般事業   -900 JPY\n",
        encoding="utf-8",
    )
    result = jlis("check", str(ledger), "--year", "2022")
    assert result.returncode == 1
    assert f"{ledger}:5: " in result.stderr
    assert result.stderr.count("\n") == 1  # one fault, one line (issue 13)
    ledger.write_text(ledger.read_text(encoding="utf-8") + '2022-06-01 * "again"\n  Assets:1-流動資産:11-現金及び預金:B1-一般事業   1 JPY\n',
                      encoding="utf-8")
    result = jlis("check", str(ledger), "--year", "2022")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "2 errors"  # several: each on its line, then the count


def test_sources_lists_the_derived_and_allocated_figures_with_their_rules():
    result = jlis("sources")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[derived] 期首残高（一般事業）" in out
    assert "[allocated] 建設仮勘定から備品への振替（情報システム機器）" in out
    assert "rule: " in out
    counts = out.strip().splitlines()[-1]
    derived, allocated = (int(part.split()[0]) for part in counts.split(", ")[:2])
    assert derived >= 10 and allocated >= 10
    csv_out = jlis("sources", "--format", "csv", "--basis", "allocated").stdout.splitlines()
    assert csv_out[0] == "file,line,date,kind,what,basis,amount,moved,rule,source"
    assert len(csv_out) == allocated + 1
