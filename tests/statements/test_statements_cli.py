"""`jlis-ledger statements` and `jlis-ledger reconcile` as real processes."""

from __future__ import annotations

import json

from tests_cli_helper import jlis

from jlis_ledger.statements import STATEMENT_IDS


def test_reconcile_on_the_bundled_books_reports_zero_differences():
    result = jlis("reconcile")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(STATEMENT_IDS)} statements" in result.stdout and "0 difference(s)" in result.stdout


def test_reconcile_exits_non_zero_and_prints_each_difference(tmp_path, published):
    reference = json.loads(json.dumps(published))
    row = next(r for r in reference["tables"]["pl"]["rows"] if r["label"] == "当期純利益")
    row["values"][0] = 1
    path = tmp_path / "ref.json"
    path.write_text(json.dumps(reference, ensure_ascii=False), encoding="utf-8")
    result = jlis("reconcile", "--published", str(path))
    assert result.returncode == 1
    assert "pl: #36 当期純利益: 金額: expected 1, got 3151347960" in result.stdout


def test_all_statements_as_one_workbook(tmp_path):
    out = tmp_path / "r4.xlsx"
    result = jlis("statements", "--all", "--year", "2022", "--format", "xlsx", "-o", str(out))
    assert result.returncode == 0, result.stderr
    from openpyxl import load_workbook

    assert len(load_workbook(out).sheetnames) == len(STATEMENT_IDS)


def test_text_in_millions_with_triangles():
    result = jlis("statements", "--statement", "segment-pl", "--year", "2022", "--unit", "百万円", "--negative", "△")
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.strip().startswith("負担金収入"))
    assert line.split()[-2:] == ["△25", "762"]


def test_all_as_json_and_csv_directory(tmp_path):
    result = jlis("statements", "--all", "--year", "2022", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)) >= {"bs", "cf", "deferred-revenue"}
    result = jlis("statements", "--all", "--year", "2022", "--format", "csv", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert len(list(tmp_path.glob("*.csv"))) == len(STATEMENT_IDS)


def test_xlsx_without_output_is_refused_and_writes_nothing(tmp_path):
    result = jlis("statements", "--all", "--format", "xlsx")
    assert result.returncode != 0 and "-o FILE" in result.stderr
