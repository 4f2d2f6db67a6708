"""Shared fixtures: the bundled books are loaded once per test session."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PUBLISHED = REPO / "ledger" / "published" / "r4-kessan.json"


@pytest.fixture(scope="session", autouse=True)
def load_cache_dir(tmp_path_factory) -> Path:
    """The load cache of the whole test session (this process and the CLI and Fava processes
    it starts) lives in a temporary directory, never in the user's ~/.cache."""
    from jlis_ledger.loading import CACHE_DIR_ENV

    directory = tmp_path_factory.mktemp("load-cache")
    saved = os.environ.get(CACHE_DIR_ENV)
    os.environ[CACHE_DIR_ENV] = str(directory)
    yield directory
    if saved is None:
        os.environ.pop(CACHE_DIR_ENV, None)
    else:
        os.environ[CACHE_DIR_ENV] = saved


@pytest.fixture(scope="session")
def published() -> dict:
    """The published FY2022 tables, recovered from the source text (ledger/published/recover.py)."""
    return json.loads(PUBLISHED.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def books():
    from jlis_ledger import books as books_lib

    return books_lib.load(REPO / "ledger" / "main.beancount")
