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


def test_code_columns_are_optional_and_map_codes(info, tmp_path):
    path = tmp_path / "mapping.csv"
    path.write_text("種別,名前,補助科目,対応先,コード,補助コード\n"
                    "科目,普通預金,,Assets:1-預金:1-普通,111,\n"
                    "科目,普通預金,みずほ,Assets:1-預金:2-定期,111,2\n"
                    "科目,,,Expenses:1-委託費,811,\n"          # a code without a name
                    "部門,一般,,B1-一般事業,100\n"
                    "部門,,,B2-受託事業,\n"                   # the default: no name, no code
                    "部門,,,C-共通,900\n", encoding="utf-8")   # a code only
    m = mapping_lib.load(path, info.businesses)
    assert m.item_by_code("111", "") == ("Assets:1-預金:1-普通", True)
    assert m.item_by_code("111", "2") == ("Assets:1-預金:2-定期", True)
    assert m.item_by_code("111", "7") == ("Assets:1-預金:1-普通", False)  # kept as sub_account_code metadata
    assert m.item_by_code("811", "") == ("Expenses:1-委託費", True)
    assert m.business_by_code("100") == "B1-一般事業" and m.business_by_code("900") == "C-共通"
    assert m.business_by_code("") == "B2-受託事業" and m.business("") == "B2-受託事業"
    assert "Expenses:1-委託費" not in m.item_names  # no name to export
    with pytest.raises(KeyError):
        m.item_by_code("999", "")


@pytest.mark.parametrize("lines, row, message", [
    ([HEADER + ",補助コード"], 1, "the first row must be the header"),
    ([HEADER + ",コード", "科目,普通預金,,Assets:1-預金,1,2"], 2, "expected 4 to 5 columns"),
    ([HEADER + ",コード,補助コード", "科目,普通預金,,Assets:1-預金,,3"], 2, "a 補助コード needs the コード"),
    ([HEADER + ",コード", "科目,普通預金,,Assets:1-預金,111", "科目,定期預金,,Assets:1-預金,111"], 3, "コード 111 is mapped twice"),
    ([HEADER + ",コード", "部門,一般,,B1-一般事業,1", "部門,受託,,B2-受託事業,1"], 3, "部門コード 1 is mapped twice"),
    ([HEADER + ",コード,補助コード", "部門,一般,,B1-一般事業,1,2"], 2, "a 部門 row has no 補助コード"),
    ([HEADER + ",コード", "科目,,,Assets:1-預金,"], 2, "needs the 勘定科目 name (or its コード)"),
])
def test_code_column_errors(lines, row, message, info, tmp_path):
    path = tmp_path / "mapping.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        mapping_lib.load(path, info.businesses)
    assert str(exc.value).startswith(f"{path}:{row}: ") and message in str(exc.value)
