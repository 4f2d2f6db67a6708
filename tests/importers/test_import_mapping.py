"""The mapping file: lookups, the 補助科目 fallback, and its own errors with file and row."""

from __future__ import annotations

import pytest

from jlis_ledger.importers import mapping as mapping_lib
from jlis_ledger.importers.errors import InputError

HEADER = "種別,名前,補助科目,対応先"


def test_lookups_and_the_sub_account_fallback(mapping):
    assert mapping.item("普通預金", "") == ("Assets:1-預金:1-普通", True)
    assert mapping.item("普通預金", "みずほ銀行") == ("Assets:1-預金:1-普通", False)  # kept as sub_account metadata
    assert mapping.business("共通") == "C-共通"
    with pytest.raises(KeyError):
        mapping.item("雑収入", "")
    assert mapping.item_names["Expenses:2-地代家賃"] == ("地代家賃", "")
    assert mapping.business_names["B2-受託事業"] == "受託"


@pytest.mark.parametrize("lines, row, message", [
    (["種類,名前,補助,先"], 1, "the first row must be the header"),
    ([HEADER, "科目,普通預金,,Assets:1-預金:1-普通:B1-一般事業"], 2, "ends with a business"),
    ([HEADER, "科目,普通預金,,預金"], 2, "is not a Beancount account"),
    ([HEADER, "科目,普通預金,,Assets:1-預金", "科目,普通預金,,Assets:1-預金"], 3, "mapped twice"),
    ([HEADER, "部門,研修,,B9-研修事業"], 2, "is not declared in the ledger"),
    ([HEADER, "部門,相殺,,E-相殺等"], 2, "the elimination column"),
    ([HEADER, "勘定,普通預金,,Assets:1-預金"], 2, "種別 must be 科目 or 部門"),
    ([HEADER, "科目,普通預金,Assets:1-預金"], 2, "expected 4 columns"),
    (["# only a comment"], 1, "the mapping file is empty"),
])
def test_mapping_errors(lines, row, message, info, tmp_path):
    path = tmp_path / "mapping.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        mapping_lib.load(path, info.businesses)
    assert str(exc.value).startswith(f"{path}:{row}: ") and message in str(exc.value)


def test_the_bundled_mapping_covers_every_item_and_business(books):
    from jlis_ledger.importers import MAPPING_FILE

    mapping = mapping_lib.load(books.path.parent / MAPPING_FILE, books.businesses)
    items = {account.rsplit(":", 1)[0] for account in books.opens}
    assert items <= set(mapping.item_names)
    ordinary = {label for label, b in books.businesses.items() if not b.is_elimination}
    assert set(mapping.business_names) == ordinary
    names = list(mapping.items)
    assert len({name for name, sub in names if not sub} | {(n, s) for n, s in names if s}) == len(names)
