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


def assert_one_error_nothing_written(document: Path, row: int, message: str, capsys, *options: str) -> None:
    """``jlis-ledger import extract DOCUMENT -o OUT``: exit 1, exactly one line ``DOCUMENT:ROW: …`` matching
    ``message`` (``DOCUMENT: …`` for row 0), no traceback, the previous output intact and no file left beside it."""
    import re

    from jlis_ledger.cli import main

    out = document.parent / "out.beancount"
    out.write_text("; the previous output\n", encoding="utf-8")
    before = sorted(p.name for p in document.parent.iterdir())
    status = main(["import", "--ledger", str(LEDGER), "extract", *options, str(document), "-o", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 1
    assert len(err) == 1, err
    where = f"{document}:{row}: " if row else f"{document}: "
    assert err[0].startswith(where), err[0]
    assert re.search(message, err[0]), err[0]
    assert "Traceback" not in err[0]
    assert out.read_text(encoding="utf-8") == "; the previous output\n"
    assert sorted(p.name for p in document.parent.iterdir()) == before  # no temporary file left
