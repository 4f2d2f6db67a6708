"""The allocations plugin (配賦), rule by rule and error by error, on tiny ledgers.

Expected shares are worked out by hand in the comments (largest remainder).
"""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal

import pytest
from beancount import loader
from beancount.core import data

from jlis_ledger.plugins.allocations import largest_remainder

HEADER = """\
option "operating_currency" "JPY"
plugin "jlis_ledger.plugins.allocations"
plugin "jlis_ledger.plugins.segments" "{'mode': 'strict', 'clearing': 'Liabilities:Clearing'}"
2000-01-01 custom "business" "B1-A"
2000-01-01 custom "business" "B2-B"
2000-01-01 custom "business" "B3-C"
2000-01-01 custom "business" "C-Common" "common"
2000-01-01 custom "business" "E-Elim" "elimination"
2000-01-01 open Expenses:Admin:C-Common
2000-01-01 open Expenses:Admin:Rent:C-Common
2000-01-01 open Assets:Cash:C-Common
2000-01-01 open Assets:Deposit:C-Common
2000-01-01 open Assets:Cash:B1-A
2000-01-01 open Assets:Cash:B2-B
2000-01-01 open Assets:Cash:USD:B1-A
2000-01-01 open Expenses:Admin:B1-A
2000-01-01 open Expenses:Admin:B2-B
2000-01-01 open Expenses:Admin:B3-C
"""


def load(body: str, header: str = HEADER):
    entries, errors, _ = loader.load_string(header + textwrap.dedent(body))
    return entries, errors


def txns(entries, narration=None):
    return [e for e in entries if isinstance(e, data.Transaction) and (narration is None or e.narration == narration)]


def amounts(txn, prefix=""):
    """{account: number} of the postings under ``prefix`` (summed)."""
    out: dict[str, Decimal] = {}
    for p in txn.postings:
        if p.account.startswith(prefix):
            out[p.account] = out.get(p.account, Decimal(0)) + p.units.number
    return out


def messages(errors):
    return [e.message for e in errors]


KEY_111 = '2022-01-01 custom "allocation-key" "heads" "B1-A" 1 "B2-B" 1 "B3-C" 1\n'
RULE = '2022-01-01 custom "allocation-rule" Expenses:Admin "heads"\n'
COST = """
2022-03-01 * "admin"
  Expenses:Admin:C-Common  100 JPY
  Assets:Cash:B1-A  -100 JPY
"""


def test_a_common_cost_is_split_by_largest_remainder_and_each_business_balances():
    entries, errors = load(KEY_111 + RULE + COST)
    assert errors == []
    (txn,) = txns(entries, "admin")
    # 100 / 3 = 33 rest 1 each: one unit left, all remainders equal → the first listed business
    assert amounts(txn, "Expenses") == {"Expenses:Admin:B1-A": 34, "Expenses:Admin:B2-B": 33, "Expenses:Admin:B3-C": 33}
    # B1 paid 100 and bears 34: the others owe it 66 through 他事業勘定
    assert amounts(txn, "Liabilities") == {"Liabilities:Clearing:B1-A": 66, "Liabilities:Clearing:B2-B": -33, "Liabilities:Clearing:B3-C": -33}
    assert not any(p.account.endswith("C-Common") for p in txn.postings)
    for p in txn.postings:
        if p.account.startswith(("Expenses", "Liabilities")):
            assert p.meta["generated"] == "allocations"
    share = next(p for p in txn.postings if p.account == "Expenses:Admin:B1-A")
    assert share.meta["allocation-key"] == "heads"
    assert share.meta["allocation-key-date"] == datetime.date(2022, 1, 1)
    assert share.meta["allocated-from"] == "Expenses:Admin:C-Common"


def test_largest_remainder_goes_to_the_largest_fraction_not_the_first():
    # 100 by 1:2:4 (sum 7): exact 14.29, 28.57, 57.14 → floors 14, 28, 57 = 99; largest fraction .57 → B2
    entries, errors = load('2022-01-01 custom "allocation-key" "heads" "B1-A" 1 "B2-B" 2 "B3-C" 4\n' + RULE + COST)
    assert errors == []
    assert amounts(txns(entries, "admin")[0], "Expenses") == {"Expenses:Admin:B1-A": 14, "Expenses:Admin:B2-B": 29, "Expenses:Admin:B3-C": 57}


def test_ties_go_to_the_business_listed_first_in_the_key():
    # same weights as KEY_111, listed B3, B2, B1: the extra unit goes to B3
    entries, errors = load('2022-01-01 custom "allocation-key" "heads" "B3-C" 1 "B2-B" 1 "B1-A" 1\n' + RULE + COST)
    assert errors == []
    assert amounts(txns(entries, "admin")[0], "Expenses") == {"Expenses:Admin:B1-A": 33, "Expenses:Admin:B2-B": 33, "Expenses:Admin:B3-C": 34}


def test_the_key_in_force_is_the_latest_on_or_before_the_date():
    keys = KEY_111 + '2022-06-01 custom "allocation-key" "heads" "B1-A" 1 "B2-B" 3 "B3-C" 0\n'
    body = keys + RULE + """
2022-05-31 * "before"
  Expenses:Admin:C-Common  100 JPY
  Assets:Cash:B1-A  -100 JPY
2022-06-01 * "on"
  Expenses:Admin:C-Common  100 JPY
  Assets:Cash:B1-A  -100 JPY
"""
    entries, errors = load(body)
    assert errors == []
    assert amounts(txns(entries, "before")[0], "Expenses") == {"Expenses:Admin:B1-A": 34, "Expenses:Admin:B2-B": 33, "Expenses:Admin:B3-C": 33}
    on = txns(entries, "on")[0]
    # 1:3:0 → 25, 75, and nothing posted for the zero weight
    assert amounts(on, "Expenses") == {"Expenses:Admin:B1-A": 25, "Expenses:Admin:B2-B": 75}
    assert {p.meta["allocation-key-date"] for p in on.postings if "allocation-key-date" in p.meta} == {datetime.date(2022, 6, 1)}


def test_a_negative_amount_is_split_as_the_negation_so_a_reversal_reverses_exactly():
    body = KEY_111 + RULE + COST + """
2022-03-02 * "refund"
  Expenses:Admin:C-Common  -100 JPY
  Assets:Cash:B1-A  100 JPY
"""
    entries, errors = load(body)
    assert errors == []
    assert amounts(txns(entries, "refund")[0], "Expenses") == {"Expenses:Admin:B1-A": -34, "Expenses:Admin:B2-B": -33, "Expenses:Admin:B3-C": -33}


def test_the_unit_is_the_last_decimal_place_of_the_amount():
    body = KEY_111 + RULE + """
2022-03-01 * "usd"
  Expenses:Admin:C-Common  12.50 USD
  Assets:Cash:USD:B1-A  -12.50 USD
"""
    entries, errors = load(body)
    assert errors == []
    # 1250 cents / 3 = 416 rest 2 each → two extra cents to B1, B2
    assert amounts(txns(entries, "usd")[0], "Expenses") == {
        "Expenses:Admin:B1-A": Decimal("4.17"), "Expenses:Admin:B2-B": Decimal("4.17"), "Expenses:Admin:B3-C": Decimal("4.16")}


def test_the_longest_rule_wins_and_metadata_overrides_rules():
    keys = KEY_111 + '2022-01-01 custom "allocation-key" "area" "B1-A" 3 "B2-B" 1\n'
    body = keys + RULE + '2022-01-01 custom "allocation-rule" Expenses:Admin:Rent "area"\n' + """
2022-03-01 * "rent"
  Expenses:Admin:Rent:C-Common  100 JPY
  Assets:Cash:B1-A  -100 JPY
2022-03-01 * "by meta"
  allocation-key: "area"
  Expenses:Admin:C-Common  100 JPY
  Assets:Cash:B1-A  -100 JPY
2022-03-01 * "by posting meta"
  Expenses:Admin:C-Common  100 JPY
    allocation-key: "area"
  Assets:Cash:B1-A  -100 JPY
"""
    entries, errors = load(body)
    assert errors == []
    assert amounts(txns(entries, "rent")[0], "Expenses") == {"Expenses:Admin:Rent:B1-A": 75, "Expenses:Admin:Rent:B2-B": 25}
    assert amounts(txns(entries, "by meta")[0], "Expenses") == {"Expenses:Admin:B1-A": 75, "Expenses:Admin:B2-B": 25}
    assert amounts(txns(entries, "by posting meta")[0], "Expenses") == {"Expenses:Admin:B1-A": 75, "Expenses:Admin:B2-B": 25}


def test_a_movement_inside_the_pool_by_one_key_needs_no_clearing():
    body = KEY_111 + """
2022-01-01 custom "allocation-rule" "Assets" "heads"
2022-03-01 * "deposit paid"
  Assets:Deposit:C-Common  100 JPY
  Assets:Cash:C-Common  -100 JPY
"""
    entries, errors = load(body)
    assert errors == []
    (txn,) = txns(entries, "deposit paid")
    assert amounts(txn) == {
        "Assets:Deposit:B1-A": 34, "Assets:Deposit:B2-B": 33, "Assets:Deposit:B3-C": 33,
        "Assets:Cash:B1-A": -34, "Assets:Cash:B2-B": -33, "Assets:Cash:B3-C": -33}


def test_accounts_the_plugin_posts_to_are_opened_on_first_use():
    entries, errors = load(KEY_111 + RULE + COST)
    assert errors == []
    opened = {e.account: e for e in entries if isinstance(e, data.Open)}
    assert opened["Liabilities:Clearing:B3-C"].meta["generated"] == "allocations"
    assert opened["Liabilities:Clearing:B3-C"].date == datetime.date(2022, 3, 1)
    assert "generated" not in opened["Expenses:Admin:B3-C"].meta  # opened by the ledger


def test_changing_a_key_changes_only_the_generated_postings():
    other = '2022-01-01 custom "allocation-key" "heads" "B1-A" 5 "B2-B" 2 "B3-C" 9\n'
    a, errors_a = load(KEY_111 + RULE + COST)
    b, errors_b = load(other + RULE + COST)
    assert errors_a == errors_b == []

    def typed(entries):
        return [(e.date, e.narration, [(p.account, p.units) for p in e.postings if "generated" not in (p.meta or {})]) for e in txns(entries)]

    assert typed(a) == typed(b)
    assert amounts(txns(a, "admin")[0], "Expenses") != amounts(txns(b, "admin")[0], "Expenses")


def test_the_clearing_account_can_be_given_without_the_segments_plugin():
    header = HEADER.replace(
        """plugin "jlis_ledger.plugins.allocations"
plugin "jlis_ledger.plugins.segments" "{'mode': 'strict', 'clearing': 'Liabilities:Clearing'}"
""", """plugin "jlis_ledger.plugins.allocations" "{'clearing': 'Liabilities:Owed'}"
""")
    entries, errors = load(KEY_111 + RULE + COST, header)
    assert errors == []
    assert set(amounts(txns(entries, "admin")[0], "Liabilities")) == {"Liabilities:Owed:B1-A", "Liabilities:Owed:B2-B", "Liabilities:Owed:B3-C"}


def test_largest_remainder_function():
    assert largest_remainder(Decimal(100), [1, 1, 1]) == [34, 33, 33]
    assert largest_remainder(Decimal(-100), [1, 1, 1]) == [-34, -33, -33]
    assert largest_remainder(Decimal(7), [0, 5, 0]) == [0, 7, 0]
    assert largest_remainder(Decimal("0.05"), [1, 1]) == [Decimal("0.03"), Decimal("0.02")]


# -- errors: one clear error at the offending entry -------------------------------------------------


def located(errors, lineno_text: str, body: str):
    """The line number of ``lineno_text`` in HEADER + body (1-based)."""
    lines = (HEADER + textwrap.dedent(body)).split("\n")
    return next(i + 1 for i, line in enumerate(lines) if lineno_text in line)


def allocation_errors(errors):
    return [e for e in errors if type(e).__name__ == "AllocationsError"]


@pytest.mark.parametrize("body, where, expected", [
    (KEY_111 + COST, '* "admin"', "no allocation rule covers Expenses:Admin"),
    (KEY_111 + RULE + COST.replace('"admin"', '"admin"\n  allocation-key: "nokey"'), '* "admin"', 'allocation key "nokey" is not declared'),
    (KEY_111.replace("2022-01-01", "2022-04-01") + RULE.replace("2022-01-01", "2022-04-01") + COST, '* "admin"',
     'allocation key "heads" is not in force on 2022-03-01 (its first weights are dated 2022-04-01)'),
    (KEY_111 + RULE + COST.replace("100 JPY\n  Assets", "1 XAU {100 JPY}\n  Assets"), '* "admin"', "cost or price"),
])
def test_a_pool_posting_that_cannot_be_allocated_is_one_error_at_its_transaction(body, where, expected):
    entries, errors = load(body)
    found = allocation_errors(errors)
    assert len(found) == 1, messages(errors)
    assert expected in found[0].message
    assert found[0].source["lineno"] == located(errors, where, body)
    # the transaction is left as it is (nothing allocated), and the segments plugin, which runs after the allocations
    # plugin, does not report the pool posting again (issue 13: one fault, one error)
    (txn,) = txns(entries, "admin")
    assert not any((p.meta or {}).get("generated") for p in txn.postings)
    assert len(errors) == 1, messages(errors)


@pytest.mark.parametrize("key, expected", [
    ('"B1-A" 1 "B2-B" -1', "weight of B2-B is negative"),
    ('"B1-A" 0 "B2-B" 0', "all weights are zero"),
    ('"B1-A" 1 "B9-Nobody" 1', 'business "B9-Nobody" is not declared'),
    ('"B1-A" 1 "E-Elim" 1', "E-Elim is the elimination column"),
    ('"B1-A" 1 "C-Common" 1', "C-Common is the common column"),
    ('"B1-A" 1 "B1-A" 2', "B1-A is listed twice"),
    ('"B1-A"', "takes a name and pairs of business and weight"),
])
def test_a_bad_key_is_one_error_at_its_declaration(key, expected):
    body = f'2022-01-01 custom "allocation-key" "bad" {key}\n'
    entries, errors = load(body)
    found = allocation_errors(errors)
    assert len(found) == 1 and expected in found[0].message, messages(errors)
    assert found[0].source["lineno"] == located(errors, '"allocation-key" "bad"', body)


def test_a_rule_naming_an_undeclared_key_is_an_error_at_the_rule():
    body = '2022-01-01 custom "allocation-rule" Expenses:Admin "missing"\n'
    _, errors = load(body)
    found = allocation_errors(errors)
    assert len(found) == 1 and 'key "missing" is not declared' in found[0].message
    assert found[0].source["lineno"] == located(errors, '"allocation-rule"', body)


def test_two_weights_of_one_key_on_one_date_are_an_error():
    body = KEY_111 + KEY_111.replace("1 \"B3-C\" 1", "2 \"B3-C\" 1")
    _, errors = load(body)
    found = allocation_errors(errors)
    assert len(found) == 1 and "declared twice on 2022-01-01" in found[0].message


def test_without_the_plugin_the_segments_plugin_reports_the_pool_posting():
    header = HEADER.replace('plugin "jlis_ledger.plugins.allocations"\n', "")
    _, errors = load(KEY_111 + RULE + COST, header)
    assert len(errors) == 1
    assert "Expenses:Admin:C-Common is left on the common pool (共通) C-Common" in errors[0].message


def test_a_rejected_version_does_not_let_the_previous_weights_run_on():
    body = KEY_111 + '2022-02-01 custom "allocation-key" "heads" "B1-A" -1 "B2-B" 1\n' + RULE + COST
    entries, errors = load(body)
    found = allocation_errors(errors)
    assert [e.source["lineno"] for e in found] == [located(errors, '"B1-A" -1', body), located(errors, '* "admin"', body)]
    assert "negative" in found[0].message
    assert 'the weights of allocation key "heads" in force on 2022-03-01' in found[1].message
    assert not any((p.meta or {}).get("generated") for p in txns(entries, "admin")[0].postings)


def test_without_the_plugin_a_transaction_with_two_pool_postings_is_one_error():
    header = HEADER.replace('plugin "jlis_ledger.plugins.allocations"\n', "")
    body = KEY_111 + '2022-01-01 custom "allocation-rule" "Assets" "heads"\n' + """
2022-03-01 * "deposit paid"
  Assets:Deposit:C-Common  100 JPY
  Assets:Cash:C-Common  -100 JPY
"""
    _, errors = load(body, header)
    assert len(errors) == 1 and "Assets:Deposit:C-Common is left on the common pool" in errors[0].message
