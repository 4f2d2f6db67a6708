"""Fixtures of the importer tests: a small strict-mode segment ledger with its mapping file."""

from __future__ import annotations

import pytest

from importer_helpers import LEDGER, MAPPING


@pytest.fixture(scope="session")
def info():
    from jlis_ledger.importers import ledger_info

    return ledger_info(LEDGER)


@pytest.fixture(scope="session")
def mapping(info):
    from jlis_ledger.importers import mapping as mapping_lib

    return mapping_lib.load(MAPPING, info.businesses)

