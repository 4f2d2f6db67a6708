"""Shared fixtures: the bundled books are loaded once per test session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PUBLISHED = REPO / "ledger" / "published" / "r4-kessan.json"


@pytest.fixture(scope="session")
def published() -> dict:
    """The published FY2022 tables, recovered from the source text (ledger/published/recover.py)."""
    return json.loads(PUBLISHED.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def books():
    from jlis_ledger import books as books_lib

    return books_lib.load(REPO / "ledger" / "main.beancount")
