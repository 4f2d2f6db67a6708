"""The README's API example runs as is and prints published figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def test_the_api_example_runs_and_prints_a_published_figure(tmp_path, published):
    result = subprocess.run([sys.executable, str(REPO / "examples" / "statements_api.py")],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    cash = next(r for r in published["tables"]["segment-bs"]["rows"] if r["label"] == "現金及び預金")["values"][0]
    assert result.stdout.splitlines()[0] == str(cash)
    assert (tmp_path / "statements-r4.xlsx").exists()
