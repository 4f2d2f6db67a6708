"""Renderings: the CSV contract, the workbook, text aligned with wide characters, units and △."""

from __future__ import annotations

import csv
import io
import json

import pytest
from published_print import at_unit, regenerated

from jlis_ledger import statements
from jlis_ledger.statements import reconcile, render, xlsx
from jlis_ledger.statements.table import Column, Table
from jlis_ledger.summary import width


@pytest.fixture(scope="module")
def tables(books):
    return statements.build_all(books, books.fiscal_year(2022))


def test_csv_follows_the_contract(tables, published):
    for statement, table in tables.items():
        expected = published["tables"][statement]
        rows = list(csv.reader(io.StringIO(render.csv_text(table))))
        assert rows[0] == ["科目", *expected["columns"]]
        assert [r[0] for r in rows[1:]] == [r["label"] for r in expected["rows"]]
        for row, e in zip(rows[1:], expected["rows"]):
            if e["values"] is None:
                assert row[1:] == [""] * len(expected["columns"])
            elif all(x is None or isinstance(x, int) for x in e["values"]) and expected.get("unit", "円") == "円":
                assert [int(v) for v in row[1:]] == e["values"]  # signed integer yen
            elif statement.startswith("summary-"):  # 参考資料1-2: still signed yen, printed in 百万円
                assert [at_unit(int(v), expected["unit"]) for v in row[1:]] == regenerated(expected, e)
            else:  # published in 億円 / 百万円 / counts, or texts: the CSV keeps exact yen (or the text, a leading "-"
                # neutralised as every CSV text that a spreadsheet would read as a formula: "'-")
                units = [expected.get("column_units", {}).get(c) or expected.get("unit", "円") for c in expected["columns"]]
                for v, x, unit in zip(row[1:], e["values"], units, strict=True):
                    if x is None:
                        assert v == "", (statement, e["label"], v)
                    elif isinstance(x, str) and not v.lstrip("-").isdigit():
                        assert v == ("'" + x if x.startswith(("-", "=", "+", "@")) else x), (statement, e["label"], v, x)
                    else:
                        assert reconcile.same(x, int(v), unit), (statement, e["label"], v, x)


def test_csv_is_utf8_on_disk_through_the_cli(tmp_path):
    from tests_cli_helper import jlis

    out = tmp_path / "segment-pl.csv"
    result = jlis("statements", "--statement", "segment-pl", "--year", "2022", "--format", "csv", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_bytes().decode("utf-8")
    assert text.startswith("科目,一般事業,本人確認情報処理事業,")


def test_workbook_opens_with_openpyxl_and_holds_the_published_values(tables, published, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "statements.xlsx"
    xlsx.write(list(tables.values()), path)
    wb = load_workbook(path)
    assert len(wb.sheetnames) == len(statements.STATEMENT_IDS)
    ws = wb["事業別財務情報（貸借対照表関係）"]
    assert ws.freeze_panes == "B5"
    header = [c.value for c in ws[4]]
    assert header == ["科目", *published["tables"]["segment-bs"]["columns"]]
    expected = next(r for r in published["tables"]["segment-bs"]["rows"] if r["label"] == "現金及び預金")["values"]
    row = next(r for r in ws.iter_rows(min_row=5) if r[0].value == "現金及び預金")
    assert [c.value for c in row[1:]] == expected
    assert row[1].number_format == xlsx.YEN_FORMAT
    ws = wb["キャッシュ・フロー計算書"]
    labels = [r[0].value for r in ws.iter_rows(min_row=5)]
    assert labels == [r["label"] for r in published["tables"]["cf"]["rows"]]


def test_text_stays_aligned_with_wide_characters():
    table = Table("x", "表", [Column("一般事業"), Column("合計")])
    table.heading("資産の部", 0)
    table.line("現金及び預金", 1, [1234567, -1])
    table.line("Cash (ASCII)", 1, [0, 12])
    table.subtotal("資産合計", 0, [1234567, 11])
    lines = render.text(table, negative="△").splitlines()
    body = [line for line in lines[2:] if line and not line.startswith("-") and line.strip() not in ("資産の部",)]
    assert len({width(line) for line in body}) == 1, body  # every row ends in the same display column
    assert next(line for line in lines if "現金及び預金" in line).endswith("△1")


def test_units_round_half_up_as_published(published, tables):
    """参考資料1-2 gives the balance sheet in 百万円: our rounding of the yen figures gives its 決算 column."""
    summary = {r["label"]: r["values"][1] for r in published["tables"]["summary-bs"]["rows"]}
    bs = tables["bs"]
    assert render.scaled(bs.value("資産合計"), "百万円") == summary["資産"]
    assert render.scaled(bs.value("流動資産合計"), "百万円") == summary["流動資産"]
    assert render.scaled(bs.value("固定負債合計"), "百万円") == summary["固定負債"]
    assert render.number(-1_250_000_000, "億円", "△") == "△12.5"
    assert render.number(-49, "百万円") == "0" and render.number(-500_000, "百万円") == "-1"


def test_json_is_the_table_object(tables):
    data = json.loads(render.json_text(tables["aro"]))
    assert data["id"] == "aro" and data["rows"][0]["label"] == "不動産賃貸借契約に伴う原状回復義務"
