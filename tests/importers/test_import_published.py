"""The published tables → balance assertions; against the bundled FY2022 books and the recovered JSON."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from importer_helpers import comparable

TEXT = "ledger/published/jlis-r4-kessan-zaimu.txt"
JSON = "ledger/published/r4-kessan.json"


@pytest.fixture(scope="module")
def bundled():
    from jlis_ledger.importers import importers_for
    from jlis_ledger.books import BUNDLED_LEDGER

    root = BUNDLED_LEDGER.parent.parent
    published = next(i for i in importers_for(BUNDLED_LEDGER) if i.name == "jlis.published")
    return root, published


def test_every_assertion_is_already_in_the_books(bundled, books):
    from jlis_ledger.importers.ingest import extract

    root, published = bundled
    extracted = extract([published], [str(root / TEXT)], list(books.entries))
    (_, entries, _, _), = extracted
    assert len(entries) > 100
    assert all("__duplicate__" in e.meta for e in entries)  # same date, account and amount as the books' own assertions
    assert any(s.startswith("現金及び預金: split into 預金, 定期預金") for s in published.skipped)


def test_figures_and_signs_follow_the_publication(bundled, published):
    root, importer = bundled
    entries = {e.account: e for e in importer.extract(str(root / TEXT), [])}
    columns = published["tables"]["segment-bs"]["columns"]
    row = next(r for r in published["tables"]["segment-bs"]["rows"] if r["label"] == "未収金")
    ar = entries["Assets:1-流動資産:12-未収金:B1-一般事業"]
    assert ar.date == datetime.date(2023, 4, 1)
    assert ar.amount.number == Decimal(row["values"][columns.index("一般事業")])
    row = next(r for r in published["tables"]["segment-bs"]["rows"] if r["label"] == "未払金")
    ap = entries["Liabilities:1-流動負債:11-未払金:B2-本人確認情報処理事業"]
    assert ap.amount.number == -Decimal(row["values"][columns.index("本人確認情報処理事業")])  # a liability is negative
    # the general reserve (積立金) is asserted without the year's 当期純利益
    row = next(r for r in published["tables"]["segment-bs"]["rows"] if r["label"] == "積立金")
    profit = next(r for r in published["tables"]["segment-pl"]["rows"] if r["label"] == "当期純利益")
    i = columns.index("本人確認情報処理事業")
    reserve = entries["Equity:2-利益剰余金:21-積立金:B2-本人確認情報処理事業"]
    assert reserve.amount.number == -Decimal(row["values"][i] - profit["values"][i])


def test_the_recovered_json_gives_the_same_assertions_as_the_text(bundled):
    root, importer = bundled
    from_text = [comparable(e) + (e.account, e.amount) for e in importer.extract(str(root / TEXT), [])]
    from_json = [comparable(e) + (e.account, e.amount) for e in importer.extract(str(root / JSON), [])]
    assert from_text == from_json
    assert importer.identify(str(root / TEXT)) and importer.identify(str(root / JSON))


def test_no_code_beside_the_text_is_run(bundled, tmp_path):
    """Issue 13: the recovery is imported from the package; a recover.py found beside the input is never executed
    (it would write a marker file and make the recovery fail), and the text needs nothing beside it."""
    import shutil

    root, importer = bundled
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(root / TEXT, alone / "kessan.txt")
    expected = [(e.account, e.amount) for e in importer.extract(str(root / TEXT), [])]
    assert importer.identify(str(alone / "kessan.txt"))
    assert [(e.account, e.amount) for e in importer.extract(str(alone / "kessan.txt"), [])] == expected
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    shutil.copy(root / TEXT, hostile / "kessan.txt")
    marker = tmp_path / "executed"
    (hostile / "recover.py").write_text(
        f"open({str(marker)!r}, 'w').write('ran')\ndef recover():\n    raise AssertionError('the foreign script ran')\n", encoding="utf-8")
    assert [(e.account, e.amount) for e in importer.extract(str(hostile / "kessan.txt"), [])] == expected
    assert not marker.exists()


@pytest.mark.parametrize(("content", "message"), [
    (b"{", ":1: not the JSON of recovered tables: Expecting property name enclosed in double quotes"),
    (b"[1, 2]", ":1: not the JSON of recovered tables: a list, not an object"),
    (b"\x82\xa0{}", "not UTF-8 (byte 0x82 at offset 0)"),
    (b'{"tables": {}}', "no segment-bs table and period in the recovered publication"),
])
def test_a_malformed_json_is_one_located_error(bundled, tmp_path, content, message):
    from jlis_ledger.importers.errors import InputError

    _, importer = bundled
    path = tmp_path / "tables.json"
    path.write_bytes(content)
    with pytest.raises(InputError) as raised:
        importer.extract(str(path), [])
    assert str(raised.value).startswith(str(path))
    assert message in str(raised.value)


@pytest.mark.parametrize("table", [5, {"columns": ["一般事業"], "rows": [{"label": "x", "kind": "line", "level": 0, "values": ["1"]}]},
                                   {"columns": ["一般事業"], "rows": [{"label": "x"}]}])
def test_a_table_not_of_the_recoverys_shape_is_one_located_error(bundled, tmp_path, table):
    import json

    from jlis_ledger.importers.errors import InputError

    _, importer = bundled
    path = tmp_path / "tables.json"
    path.write_text(json.dumps({"source": {"period": ["2022-04-01", "2023-03-31"]}, "tables": {"segment-bs": table}}), encoding="utf-8")
    with pytest.raises(InputError, match="segment-bs"):
        importer.extract(str(path), [])
