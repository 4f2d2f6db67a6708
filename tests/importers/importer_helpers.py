"""Helpers of the importer tests: the fixture paths and beangulp-style comparison with expected entries."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LEDGER = FIXTURES / "ledger.beancount"
MAPPING = FIXTURES / "import" / "mapping.csv"


def comparable(entry) -> tuple:
    """An entry without its source location, for comparing with hand-written expected entries."""
    from beancount.core import data

    def meta(m):
        return {k: v for k, v in (m or {}).items() if k not in ("filename", "lineno") and not k.startswith("__")}

    if isinstance(entry, data.Transaction):
        return (entry.date, entry.narration, meta(entry.meta),
                [(p.account, p.units.number, p.units.currency, meta(p.meta)) for p in entry.postings])
    return (entry.date, type(entry).__name__, meta(entry.meta))


def assert_same_as_expected(entries, expected_path: Path) -> None:
    """beangulp's regression style: the document's entries equal the hand-written ``DOCUMENT.beancount`` beside it.

    An expected ``import_id`` ending in ``*`` only fixes the id's prefix (a hash of the 仕訳's lines).
    """
    from beancount.parser import parser

    expected, errors, _ = parser.parse_file(str(expected_path))
    assert not errors, errors
    got = sorted((comparable(e) for e in entries), key=lambda t: (t[0], t[1]))
    want = sorted((comparable(e) for e in expected), key=lambda t: (t[0], t[1]))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        wid = w[2].get("import_id", "")
        if wid.endswith("*"):
            assert g[2]["import_id"].startswith(wid[:-1]) and len(g[2]["import_id"]) == len(wid) - 1 + 12
            g = (g[0], g[1], {**g[2], "import_id": wid}, g[3])
        assert g == w
