"""Issue 13, amounts are never silently altered: a fraction of a yen is one located error of the books (check refuses
nothing silently, statements refuse to write), and a ledger that declares decimals for its currency gets its
statements exact, never truncated (the rows keep adding up)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from jlis_ledger import books as books_lib
from jlis_ledger.core.units import FractionError, whole_currencies
from test_cli import jlis

HEAD = """\
option "operating_currency" "JPY"
plugin "jlis_ledger.plugins.segments" "{'mode': 'strict', 'clearing': 'Liabilities:Clearing'}"
2022-04-01 custom "fava-option" "fiscal-year-end" "03-31"
2022-04-01 custom "business" "B1-一般事業"
2022-04-01 open Assets:Cash:B1-一般事業
2022-04-01 open Assets:Stock:B1-一般事業
2022-04-01 open Income:Sales:B1-一般事業
2022-04-01 open Income:Other:B1-一般事業
"""

SALE = """\
2022-05-01 * "sale"
  Assets:Cash:B1-一般事業   {cash} JPY
  Income:Sales:B1-一般事業  -{sales} JPY
  Income:Other:B1-一般事業  -{other} JPY
"""


def _write(tmp_path, text: str):
    path = tmp_path / "main.beancount"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_fraction_of_a_yen_is_one_error_at_its_posting(tmp_path):
    path = _write(tmp_path, HEAD + SALE.format(cash="10000.5", sales="10000", other="0.5"))
    books = books_lib.load(path, cache=False)
    errors = [e for e in books.errors if isinstance(e, FractionError)]
    assert len(errors) == 1  # one per transaction, though two postings carry a fraction
    assert errors[0].source["lineno"] == 10  # the first offending posting's own line
    assert "10,000.5 JPY on Assets:Cash:B1-一般事業 has a fraction: JPY has no minor unit" in errors[0].message
    result = jlis("check", str(path), "--no-cache")
    assert result.returncode == 1
    assert f"{path}:10: 10,000.5 JPY" in result.stderr
    out = tmp_path / "pl.csv"
    refused = jlis("statements", str(path), "--statement", "pl", "--format", "csv", "-o", str(out), "--no-cache")
    assert refused.returncode == 1
    assert not out.exists()


def test_a_fraction_made_by_a_price_is_found_too(tmp_path):
    text = HEAD + """\
2022-05-01 * "buy"
  Assets:Stock:B1-一般事業   1.5 HOOL @ 3 JPY
  Assets:Cash:B1-一般事業
"""
    books = books_lib.load(_write(tmp_path, text), cache=False)
    (error,) = [e for e in books.errors if isinstance(e, FractionError)]
    assert "4.5 JPY on Assets:Cash:B1-一般事業" in error.message


def test_a_failing_balance_assertion_with_a_fraction_is_one_error(tmp_path):
    text = HEAD + SALE.format(cash="1000", sales="1000", other="0") + "2022-06-01 balance Assets:Cash:B1-一般事業  1000.25 JPY\n"
    books = books_lib.load(_write(tmp_path, text), cache=False)
    assert [e.source["lineno"] for e in books.errors] == [13]  # Beancount's balance failure, not a second error


def test_whole_amounts_written_with_decimals_are_whole(tmp_path):
    books = books_lib.load(_write(tmp_path, HEAD + SALE.format(cash="1000.00", sales="999.50", other="0.50")), cache=False)
    assert [e for e in books.errors if isinstance(e, FractionError)] == [
        e for e in books.errors if isinstance(e, FractionError) and "999.50" in e.message]


@pytest.mark.parametrize(("precision", "whole"), [(None, True), ("0", True), ("2", False)])
def test_the_commodity_precision_declares_decimals(precision, whole):
    from beancount.parser import parser

    text = "2000-01-01 commodity JPY\n" + (f"  precision: {precision}\n" if precision else "")
    text += "2000-01-01 commodity PTS\n  precision: 0\n"
    entries, errors, _ = parser.parse_string(text)
    assert not errors
    currencies = whole_currencies(entries)
    assert ("JPY" in currencies) is whole
    assert "PTS" in currencies and "USD" not in currencies


def test_statements_of_a_ledger_that_keeps_decimals_are_exact(tmp_path):
    text = HEAD.replace('option "operating_currency" "JPY"\n', 'option "operating_currency" "JPY"\n2000-01-01 commodity JPY\n  precision: 2\n')
    path = _write(tmp_path, text + SALE.format(cash="10000.5", sales="10000", other="0.5"))
    books = books_lib.load(path, cache=False)
    assert books.errors == []
    result = jlis("statements", str(path), "--statement", "pl", "--format", "csv", "--no-cache")
    assert result.returncode == 0, result.stderr
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(result.stdout))}
    assert rows["Sales"] == ["10000"]
    assert rows["Other"] == ["0.5"]
    assert rows["当期純利益"] == ["10000.5"]  # never truncated to 10000: the rows still add up
    assert Decimal(rows["Sales"][0]) + Decimal(rows["Other"][0]) == Decimal(rows["当期純利益"][0])
    text_out = jlis("statements", str(path), "--statement", "pl", "--no-cache").stdout
    assert "10,000.5" in text_out
