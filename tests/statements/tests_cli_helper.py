"""Run the real `jlis-ledger` command (shared by the statements tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def jlis(*args: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("jlis-ledger")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "jlis_ledger.cli"]
    return subprocess.run(command + list(args), capture_output=True, text=True, cwd=REPO)
