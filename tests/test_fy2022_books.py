"""The bundled FY2022 books reproduce the published statements to the yen.

Expected figures come from ledger/published/r4-kessan.json (recovered from
the published text, independently of the library); actual figures are plain
sums of the ledger's postings by account and business.  The published 積立金
includes the year's 当期純利益, which Beancount keeps in Income and Expenses:
the equity rows that contain 積立金 add the business's net income.
"""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import pytest

from jlis_ledger.chart import Chart

REPO = Path(__file__).resolve().parent.parent
FY_START = datetime.date(2022, 4, 1)
FY_END = datetime.date(2023, 4, 1)  # exclusive
RESERVE_LINE = "Equity:2-利益剰余金:21-積立金"


@pytest.fixture(scope="module")
def chart(books):
    return Chart(books)


@pytest.fixture(scope="module")
def columns(books):
    """The published columns as sets of business labels: 8 businesses, 相殺等, 合計."""
    ordinary = [b for b in books.businesses.values() if not b.is_elimination and not b.is_common]
    elimination = [b for b in books.businesses.values() if b.is_elimination]
    assert len(ordinary) == 8 and len(elimination) == 1
    cols = [{b.label} for b in ordinary] + [{elimination[0].label}]
    return cols + [set().union(*cols)]


def total(sums, prefix, businesses):
    return sum(int(v) for (account, _), v in sums.items()
               if (account + ":").startswith(prefix + ":") and account.rsplit(":", 1)[1] in businesses)


def net_income(books, businesses):
    flows = books.balances(start=FY_START, end=FY_END)
    return -(total(flows, "Income", businesses) + total(flows, "Expenses", businesses))


def test_books_load_without_errors(books):
    assert [f"{e.source.get('filename')}:{e.source.get('lineno')}: {e.message}" for e in books.errors] == []


def test_bean_check_is_clean():
    result = subprocess.run([sys.executable, "-m", "beancount.scripts.check", str(REPO / "ledger/main.beancount")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_books_are_what_the_reconstruction_gives():
    """ledger/fy2022/* and accounts.beancount are regenerated from the published data and the stated rules."""
    result = subprocess.run([sys.executable, str(REPO / "ledger/reconstruct/fy2022.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def bs_cells(published, table, books, chart, columns):
    """(row label, column, published, ledger) for every cell of a balance sheet table."""
    balances = books.balances(end=FY_END)
    headings: list[str] = []
    out = []
    for r in published["tables"][table]["rows"]:
        if r["kind"] == "heading":
            headings = headings[: r["level"]] + [r["label"]]
            continue
        if r["kind"] == "line":
            prefixes = [chart.line(r["label"], within=chart.section(headings)).account]
        elif r["label"] == "負債純資産合計":
            prefixes = ["Liabilities", "Equity"]
        else:  # a subtotal closes the heading at its level
            prefixes = [chart.section(headings[: r["level"] + 1]).account]
            headings = headings[: r["level"]]
        for c, expected in enumerate(r["values"]):
            businesses = columns[c] if len(r["values"]) > 1 else columns[-1]
            actual = 0
            for prefix in prefixes:
                sign = 1 if prefix.startswith("Assets") else -1
                actual += sign * total(balances, prefix, businesses)
                if (RESERVE_LINE + ":").startswith(prefix + ":"):
                    actual += net_income(books, businesses)
            out.append((r["label"], c, expected, actual))
    return out


def pl_cells(published, table, books, chart, columns):
    flows = books.balances(start=FY_START, end=FY_END)
    headings: list[str] = []
    section_value: dict[tuple[str, int], int] = {}
    out = []
    for r in published["tables"][table]["rows"]:
        if r["kind"] == "heading":
            headings = [r["label"]]
            continue
        for c, expected in enumerate(r["values"]):
            businesses = columns[c] if len(r["values"]) > 1 else columns[-1]
            v = lambda label: section_value[(label, c)]  # noqa: E731
            if r["kind"] == "line":
                section = chart.section(headings) if headings and r["level"] > 0 else None
                node = chart.line(r["label"], within=section)
                sign = -1 if node.account.startswith("Income") else 1
                actual = sign * total(flows, node.account, businesses)
            elif r["label"] == "営業利益":
                actual = v("営業収益合計") - v("営業費用合計")
            elif r["label"] == "経常利益":
                actual = v("営業利益") + v("営業外収益合計") - v("営業外費用合計")
            elif r["label"] == "税金等調整前当期純利益":
                actual = v("経常利益") - v("特別損失合計")
            elif r["label"] == "当期純利益":
                actual = v("税金等調整前当期純利益") - v("法人住民税")
                assert actual == net_income(books, businesses)
            else:
                node = chart.section(headings)
                sign = -1 if node.account.startswith("Income") else 1
                actual = sign * total(flows, node.account, businesses)
            section_value[(r["label"], c)] = actual
            out.append((r["label"], c, expected, actual))
        if r["kind"] == "subtotal":
            headings = []
    return out


def value_rows(published, table):
    return sum(1 for r in published["tables"][table]["rows"] if r["values"] is not None)


def mismatches(cells, columns_labels):
    return [f"{label} [{columns_labels[c] if len(columns_labels) > c else c}]: published {e:,}, ledger {a:,}"
            for label, c, e, a in cells if e != a]


def test_every_cell_of_the_segment_balance_sheet(published, books, chart, columns):
    cells = bs_cells(published, "segment-bs", books, chart, columns)
    assert len(cells) == value_rows(published, "segment-bs") * 10
    assert mismatches(cells, published["tables"]["segment-bs"]["columns"]) == []


def test_every_cell_of_the_segment_income_statement(published, books, chart, columns):
    cells = pl_cells(published, "segment-pl", books, chart, columns)
    assert len(cells) == value_rows(published, "segment-pl") * 10
    assert mismatches(cells, published["tables"]["segment-pl"]["columns"]) == []


def test_consolidated_balance_sheet_and_income_statement(published, books, chart, columns):
    cells = bs_cells(published, "bs", books, chart, columns) + pl_cells(published, "pl", books, chart, columns)
    assert len(cells) == value_rows(published, "bs") + value_rows(published, "pl")
    assert mismatches(cells, ["金額"]) == []


def test_assets_equal_liabilities_plus_net_assets_for_every_business(books, columns):
    balances = books.balances(end=FY_END)
    for businesses in columns:
        assets = total(balances, "Assets", businesses)
        liabilities = -total(balances, "Liabilities", businesses)
        equity = -total(balances, "Equity", businesses) + net_income(books, businesses)
        assert assets == liabilities + equity, businesses


def test_every_transaction_names_its_source_and_every_unpublished_figure_its_rule(books):
    from beancount.core import data

    for entry in books.entries:
        if isinstance(entry, data.Transaction) and not entry.meta.get("generated"):
            assert entry.meta.get("source"), entry.meta
            if entry.meta.get("basis") is not None:
                assert entry.meta["basis"] in ("derived", "allocated") and entry.meta.get("rule"), entry.meta


def test_every_closing_figure_of_every_business_is_asserted(published, books, chart, columns):
    """bean-check itself proves the publication: a `balance` on every account with a published closing figure."""
    from beancount.core import data

    asserted = {e.account: int(e.amount.number) for e in books.entries
                if isinstance(e, data.Balance) and e.date == FY_END}
    for r in published["tables"]["segment-bs"]["rows"]:
        if r["kind"] != "line":
            continue
        for c, value in enumerate(r["values"][:9]):
            if value == 0:
                continue
            accounts = [a for a in asserted if a.rsplit(":", 1)[1] in columns[c] and books.label(a) == r["label"]]
            assert accounts, (r["label"], c)


def test_inter_business_positions_are_the_published_ones(published, books):
    """The who-owes-whom matrix of 他事業勘定 nets, per business, to the published position, and is antisymmetric."""
    from jlis_ledger.clearing import clearing_positions

    clearing = "Liabilities:1-流動負債:17-他事業勘定"
    matrix = clearing_positions(books.entries, clearing, list(books.businesses), end=FY_END)
    assert matrix
    for (debtor, creditor, currency), amount in matrix.items():
        assert matrix[(creditor, debtor, currency)] == -amount
    row = next(r for r in published["tables"]["segment-bs"]["rows"] if r["label"] == "他事業勘定")["values"]
    labels = [b.label for b in books.businesses.values() if not b.is_elimination]
    for label, position in zip(labels, row[:8]):
        owed = sum(v for (d, _, _), v in matrix.items() if d == label)  # what the business owes the others
        assert owed == position, label
    assert row[8] == 0 and total(books.balances(end=FY_END), clearing, {"E-相殺等"}) == 0
