"""`jlis-ledger reserves`: the FY2022 report reproduces the published reserve figures to the yen.

Expected figures are read from ledger/published/r4-kessan.json (tables › reserves: the
負債性積立金 notes; tables › equity: the 純資産変動計算書; tables › appropriation; tables ›
segment-bs: the closing balances by business), never computed by the library.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from jlis_ledger import reserves
from jlis_ledger.cli import main
from jlis_ledger.summary import width


@pytest.fixture(scope="module")
def report(books):
    return reserves.report(books, books.fiscal_year(2022))


def by_label(report, label):
    (found,) = [r for r in report.reserves if r.label == label]
    return found


def rows(published, table):
    return published["tables"][table]["rows"]


def test_the_liability_reserve_notes(report, published):
    """負債性積立金の増減: 期首残高, 増加額, 減少額, 期末残高 of each reserve."""
    table = published["tables"]["reserves"]
    assert table["columns"] == ["期首残高", "増加額", "減少額", "期末残高"]
    assert len(table["rows"]) == 3
    for row in table["rows"]:
        reserve = by_label(report, row["label"])
        assert reserve.kind == "負債性積立金"
        total = reserve.total
        assert [int(total.opening), int(total.provisions + total.transfers_total), int(total.releases), int(total.closing)] == row["values"], row["label"]


def equity_groups(published):
    """The reserve groups of the 純資産変動計算書: label -> {当期首残高, movement lines, 当期変動額合計, 当期末残高}."""
    groups: dict[str, dict] = {}
    current = section = None
    for row in rows(published, "equity"):
        if row["kind"] == "heading" and row["level"] <= 1:
            section, current = row["label"], None
        elif row["kind"] == "heading" and row["level"] == 2 and section == "利益剰余金":
            current = groups.setdefault(row["label"], {"lines": {}})
        elif current is not None and row["values"] is not None:
            if row["label"] in ("当期首残高", "当期変動額合計", "当期末残高"):
                current[row["label"]] = row["values"][0]
            elif row["values"][0]:
                current["lines"][row["label"]] = row["values"][0]
    return groups


def test_the_reserve_lines_of_the_statement_of_changes_in_net_assets(report, published):
    """純資産変動計算書: 積立金 (with the year's 当期純利益, as published), 財政調整積立金, システム開発積立金."""
    groups = equity_groups(published)
    assert set(groups) == {"積立金", "公的個人認証サービス事業財政調整積立金", "システム開発積立金"}
    for label, group in groups.items():
        total = by_label(report, label).total
        assert int(total.opening) == group["当期首残高"], label
        assert {k: int(v) for k, v in total.lines()} == group["lines"], label
        assert list(dict(total.lines())) == list(group["lines"]), label  # in published order
        assert int(total.change) == group["当期変動額合計"], label
        assert int(total.closing) == group["当期末残高"], label


def test_every_reserve_closes_by_business_as_the_segment_balance_sheet(report, published, books):
    columns = published["tables"]["segment-bs"]["columns"][:8]
    names = {b.name: b.label for b in books.businesses.values()}
    published_rows = {r["label"]: r["values"] for r in rows(published, "segment-bs") if "積立金" in r["label"]}
    assert len(published_rows) == 6
    for label, values in published_rows.items():
        reserve = by_label(report, label)
        closing = {r.business: int(r.closing) for r in reserve.rows}
        expected = {names[name]: v for name, v in zip(columns, values[:8]) if v}
        assert {b: v for b, v in closing.items() if v} == expected, label
        assert int(reserve.total.closing) == values[-1]


def test_the_appropriation_closing_the_year(report, published):
    """利益の処分に関する書類: 当期純利益 and each reserve's part (the totals of the by-business split)."""
    expected = {r["label"]: r["values"][0] for r in rows(published, "appropriation") if r["level"] == 1}
    a = report.appropriation
    assert a is not None and a.date.isoformat() == "2023-06-30"
    assert int(a.total.net_income) == expected.pop("当期純利益")
    assert {k: int(v) for k, v in a.total.parts.items()} == expected
    for row in a.rows:
        assert sum(row.parts.values()) == row.net_income, row.name  # every business distributes exactly its net income
    assert {r.name for r in a.rows} >= {"個人番号カード発行等事業", "本人確認情報処理事業関連事業"}  # the losses too


def test_plans_and_the_published_history(report):
    plans = {(p.label, p.start.isoformat()): p for p in report.plans}
    assert len(plans) == 8
    r4 = plans[("住基ネット再構築平準化等積立金", "2022-04-01")]
    assert (r4.kind, int(r4.planned_provision), int(r4.booked_provision), int(r4.provision_deviation), r4.status) == (
        "実績", 2_010_000_000, 2_008_024_000, -1_976_000, "一致")
    future = plans[("住基ネット再構築平準化等積立金", "2023-04-01")]
    assert (future.kind, int(future.planned_provision), int(future.planned_release), future.status) == ("計画", 1_250_000_000, 12_060_000_000, "進行中")
    assert plans[("セキュリティ強化等積立金", "2025-04-01")].status == "未到来"
    history = {h.label: h for h in report.history}
    assert {label: (int(h.balance), int(h.planned), h.status) for label, h in history.items()} == {
        "住基ネット再構築平準化等積立金": (8_796_303_634, 8_800_000_000, "一致"),
        "セキュリティ強化等積立金": (1_200_000_000, 1_200_000_000, "一致"),
        "次期システム更改積立金": (380_000_000, 380_000_000, "一致"),
    }
    assert report.errors == []


def test_the_next_year_opens_with_the_published_closing_and_shows_the_appropriation_as_transfers(books, published):
    fy2023 = reserves.report(books, books.fiscal_year(2023))
    groups = equity_groups(published)
    general = by_label(fy2023, "積立金").total
    assert int(general.opening) == groups["積立金"]["当期末残高"]
    parts = {r["label"]: r["values"][0] for r in rows(published, "appropriation") if r["level"] == 1}
    assert dict(general.lines()) == {"システム開発積立金の積立": -parts["システム開発積立金"], "システム運用積立金の積立": -parts["システム運用積立金"]}
    assert int(by_label(fy2023, "システム運用積立金").total.closing) == parts["システム運用積立金"]


# -- rendering ----------------------------------------------------------------------------------


def test_text_is_aligned_with_wide_characters(report):
    text = reserves.render(report, "text")
    assert text.startswith("積立金の増減 令和4年度 (2022-04-01 .. 2023-03-31)  単位: 円\n")
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("積立金 ") and "期首残高" in line)
    table = []
    for line in lines[header:]:
        if not line:
            break
        table.append(line)
    rule = table[1]
    for line in table:
        if set(line) <= {"-", " "}:
            assert line == rule
    # every amount column ends where its rule ends
    ends = [i + 1 for i, ch in enumerate(rule) if ch == "-" and (i + 1 == len(rule) or rule[i + 1] == " ")]
    for line in table[2:]:
        if set(line) <= {"-", " "}:
            continue
        assert width(line) == ends[-1], line
    assert "10,804,327,634" in text and "8,515,937,865" in text and "当期純利益" in text


def test_csv_has_a_header_and_integer_yen(report, published):
    text = reserves.render(report, "csv")
    records = list(csv.DictReader(io.StringIO(text)))
    assert list(records[0]) == reserves.CSV_HEADER
    closing = {(r["積立金"], r["事業"]): int(r["金額"]) for r in records if r["表"] == "増減" and r["項目"] == "期末残高"}
    assert closing[("積立金", "合計")] == equity_groups(published)["積立金"]["当期末残高"]
    assert closing[("住基ネット再構築平準化等積立金", "本人確認情報処理事業")] == 10_804_327_634
    shobun = {r["積立金"]: int(r["金額"]) for r in records if r["表"] == "利益の処分" and r["事業"] == "合計" and r["項目"] == "処分額"}
    assert shobun == {"積立金": 260_281_440, "システム開発積立金": 676_374_000, "システム運用積立金": 2_214_692_520}


def test_json_is_the_report_as_data(report):
    data = json.loads(reserves.render(report, "json"))
    assert data["fiscal_year"] == 2022 and data["start"] == "2022-04-01"
    general = next(r for r in data["reserves"] if r["label"] == "積立金")
    assert general["general"] is True and general["total"]["net_income"] == 3_151_347_960
    assert data == reserves.as_dict(report)


def test_the_command_prints_the_report(capsys):
    assert main(["reserves", "--year", "2022", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ",".join(reserves.CSV_HEADER)
    assert "住基ネット再構築平準化等積立金,本人確認情報処理事業,繰入,2022-04-01,2023-03-31,2008024000" in out


def test_an_unknown_format_is_refused(report):
    with pytest.raises(ValueError):
        reserves.render(report, "xlsx")
