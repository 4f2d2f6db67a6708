"""Examples for jlis_ledger.plugins.segments: one tiny ledger per rule and per error message."""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal

import pytest
from beancount import loader
from beancount.core import data

from jlis_ledger.clearing import clearing_positions, parse_partners
from jlis_ledger.plugins import segments as segments_plugin

CLEARING = "Liabilities:Clearing"
CONFIG = "{'mode': '%s', 'clearing': 'Liabilities:Clearing', 'internal_tag': 'internal'}"

DECLARATIONS = """
2000-01-01 custom "fava-option" "fiscal-year-end" "15-31"
2020-04-01 custom "business" "B1-General"
2020-04-01 custom "business" "B2-Trust"
2020-04-01 custom "business" "B3-Training"
2020-04-01 custom "business" "B4-Fund" "fund"
2020-04-01 custom "business" "E-Elim" "elimination"
"""

OPENS = "\n".join(
    f"2020-04-01 open {item}:{business}"
    for business in ("B1-General", "B2-Trust", "B3-Training", "B4-Fund")
    for item in (
        "Assets:Cash",
        "Liabilities:Payables",
        "Liabilities:Deposits",
        "Equity:Capital",
        "Income:Fees",
        "Income:Grants",
        "Expenses:Rent",
        "Expenses:Services",
    )
)


CLEARING_OPENS = "\n".join(f"2020-04-01 open {CLEARING}:{b}" for b in ("B1-General", "B2-Trust", "B3-Training", "B4-Fund"))


def ledger(body: str, mode: str = "strict", declarations: str = DECLARATIONS, open_clearing: bool = True, plugin_lines: int = 1) -> str:
    """A ledger with the plugin line(s), the declarations, opens and ``body``.

    Extra plugin lines go at the end, so that line numbers do not move.
    """
    plugin = f'plugin "jlis_ledger.plugins.segments" "{CONFIG % mode}"\n'
    opens = OPENS + ("\n" + CLEARING_OPENS if open_clearing else "")
    return plugin + declarations + opens + "\n" + textwrap.dedent(body) + "\n" + plugin * (plugin_lines - 1)


def load(text: str):
    entries, errors, _ = loader.load_string(text)
    return entries, errors


def line_of(text: str, fragment: str) -> int:
    """The 1-based line number of the first line containing ``fragment`` (as Beancount counts)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in the ledger")


def txn(entries, narration: str) -> data.Transaction:
    (found,) = [e for e in entries if isinstance(e, data.Transaction) and e.narration == narration]
    return found


def generated(entry: data.Transaction) -> list[data.Posting]:
    return [p for p in entry.postings if p.meta and p.meta.get("generated") == "segments"]


def legs(entry: data.Transaction) -> list[tuple[str, Decimal]]:
    return [(p.account, p.units.number) for p in generated(entry)]


SHARED_RENT = """
2021-05-10 * "shared rent"
  Assets:Cash:B1-General     -3000 JPY
  Expenses:Rent:B1-General    1000 JPY
  Expenses:Rent:B2-Trust      1500 JPY
  Expenses:Rent:B3-Training    500 JPY
"""


# -- auto --------------------------------------------------------------------------------


def test_auto_adds_one_net_clearing_leg_per_business():
    entries, errors = load(ledger(SHARED_RENT, mode="auto"))
    assert errors == []
    entry = txn(entries, "shared rent")
    assert legs(entry) == [
        ("Liabilities:Clearing:B1-General", Decimal(2000)),
        ("Liabilities:Clearing:B2-Trust", Decimal(-1500)),
        ("Liabilities:Clearing:B3-Training", Decimal(-500)),
    ]
    # typed postings untouched, first and in their order
    assert [(p.account, p.units.number) for p in entry.postings[:4]] == [
        ("Assets:Cash:B1-General", Decimal(-3000)),
        ("Expenses:Rent:B1-General", Decimal(1000)),
        ("Expenses:Rent:B2-Trust", Decimal(1500)),
        ("Expenses:Rent:B3-Training", Decimal(500)),
    ]
    partners = {p.account: p.meta["partners"] for p in generated(entry)}
    assert partners == {
        "Liabilities:Clearing:B1-General": "B2-Trust 1,500 JPY; B3-Training 500 JPY",
        "Liabilities:Clearing:B2-Trust": "B1-General -1,500 JPY",
        "Liabilities:Clearing:B3-Training": "B1-General -500 JPY",
    }


def test_auto_legs_complete_typed_clearing_postings():
    body = """
    2021-05-10 * "partly typed"
      Assets:Cash:B1-General     -3000 JPY
      Liabilities:Clearing:B1-General  2000 JPY
      Expenses:Rent:B2-Trust      2000 JPY
      Liabilities:Clearing:B2-Trust  -2000 JPY
      Expenses:Rent:B3-Training   1000 JPY
    """
    entries, errors = load(ledger(body, mode="auto"))
    assert errors == []
    entry = txn(entries, "partly typed")
    assert legs(entry) == [("Liabilities:Clearing:B1-General", Decimal(1000)), ("Liabilities:Clearing:B3-Training", Decimal(-1000))]
    # partners describe the business's whole 他事業勘定 position in the transaction, typed legs included
    assert [p.meta["partners"] for p in generated(entry)] == ["B2-Trust 2,000 JPY; B3-Training 1,000 JPY", "B1-General -1,000 JPY"]


def test_generated_opens_are_dated_on_first_use_and_marked():
    entries, errors = load(ledger(SHARED_RENT, mode="auto", open_clearing=False))
    assert errors == []
    opens = {e.account: e for e in entries if isinstance(e, data.Open) and e.account.startswith(CLEARING)}
    assert sorted(opens) == [f"{CLEARING}:B1-General", f"{CLEARING}:B2-Trust", f"{CLEARING}:B3-Training"]
    assert {e.date for e in opens.values()} == {datetime.date(2021, 5, 10)}
    assert all(e.meta["generated"] == "segments" for e in opens.values())


def test_accounts_opened_by_the_ledger_get_no_generated_open():
    entries, errors = load(ledger(SHARED_RENT, mode="auto"))
    assert errors == []
    assert not [e for e in entries if isinstance(e, data.Open) and e.meta.get("generated")]


def test_weights_of_priced_postings_are_balanced_in_the_price_currency():
    body = """
    2021-06-01 * "fx"
      Assets:Cash:B1-General    10 USD @ 150 JPY
      Assets:Cash:B2-Trust   -1500 JPY
    """
    entries, errors = load(ledger(body, mode="auto"))
    assert errors == []
    assert legs(txn(entries, "fx")) == [
        ("Liabilities:Clearing:B1-General", Decimal(-1500)),
        ("Liabilities:Clearing:B2-Trust", Decimal(1500)),
    ]
    assert {p.units.currency for p in generated(txn(entries, "fx"))} == {"JPY"}


def test_currencies_are_balanced_separately():
    body = """
    2021-06-01 * "two currencies"
      Assets:Cash:B1-General    100 USD
      Assets:Cash:B2-Trust     -100 USD
      Assets:Cash:B1-General  -7000 JPY
      Expenses:Rent:B1-General  7000 JPY
    """
    entries, errors = load(ledger(body, mode="auto"))
    assert errors == []
    assert [(p.account, p.units.number, p.units.currency) for p in generated(txn(entries, "two currencies"))] == [
        ("Liabilities:Clearing:B1-General", Decimal(-100), "USD"),
        ("Liabilities:Clearing:B2-Trust", Decimal(100), "USD"),
    ]


# -- strict --------------------------------------------------------------------------------


def test_strict_reports_each_business_and_its_imbalance():
    text = ledger(SHARED_RENT + "\n" + SHARED_RENT.replace("shared rent", "again"))
    entries, errors = load(text)
    assert len(errors) == 2
    error = errors[0]
    assert error.source["filename"] == "<string>"
    assert error.source["lineno"] == line_of(text, '"shared rent"')
    assert error.message.startswith("transaction does not balance per business (事業別の貸借不一致)")
    for part in ("B1-General -2,000 JPY", "B2-Trust +1,500 JPY", "B3-Training +500 JPY"):
        assert part in error.message
    assert "他事業勘定" in error.message and "'mode': 'auto'" in error.message
    assert "Liabilities:Clearing:B1-General 2,000 JPY" in error.message  # the leg to type
    assert generated(txn(entries, "shared rent")) == []


def test_strict_accepts_explicit_clearing_legs():
    body = """
    2021-05-10 * "shared rent, split by hand"
      Assets:Cash:B1-General     -3000 JPY
      Expenses:Rent:B1-General    1000 JPY
      Liabilities:Clearing:B1-General  2000 JPY
      Expenses:Rent:B2-Trust      2000 JPY
      Liabilities:Clearing:B2-Trust  -2000 JPY
    """
    entries, errors = load(ledger(body))
    assert errors == []
    assert generated(txn(entries, "shared rent, split by hand")) == []


def test_a_transaction_unbalanced_as_a_whole_is_left_to_beancount():
    body = """
    2021-05-10 * "typo"
      Assets:Cash:B1-General   -3000 JPY
      Expenses:Rent:B2-Trust    2999 JPY
    """
    for mode in ("strict", "auto"):
        entries, errors = load(ledger(body, mode=mode))
        assert [type(e).__name__ for e in errors] == ["ValidationError"]
        assert "does not balance" in errors[0].message
        assert generated(txn(entries, "typo")) == []


def test_a_rounding_residual_cannot_be_split_between_businesses():
    body = """
    2021-05-10 * "rounding"
      Assets:Cash:B1-General    100.00 USD
      Assets:Cash:B2-Trust     -99.996 USD
    """
    for mode in ("strict", "auto"):
        _, errors = load(ledger(body, mode=mode))
        assert len(errors) == 1
        assert "rounding tolerance (residual +0.004 USD)" in errors[0].message
        assert "B1-General +100.00 USD" in errors[0].message and "B2-Trust -99.996 USD" in errors[0].message


# -- 他事業勘定 nets to zero ----------------------------------------------------------------


@pytest.mark.parametrize("mode", ["strict", "auto"])
def test_clearing_must_net_to_zero_over_businesses(mode):
    body = """
    2021-05-10 * "one-sided clearing"
      Assets:Cash:B1-General     -3000 JPY
      Liabilities:Clearing:B1-General  3000 JPY
      Expenses:Rent:B2-Trust      3000 JPY
      Assets:Cash:B2-Trust       -3000 JPY
    """
    text = ledger(body, mode=mode)
    _, errors = load(text)
    assert len(errors) == 1
    assert errors[0].source["lineno"] == line_of(text, "one-sided clearing")
    assert errors[0].message.startswith("他事業勘定 (Liabilities:Clearing) does not net to zero over the businesses")
    assert "B1-General +3,000 JPY, total +3,000 JPY" in errors[0].message


# -- accounts must end with a business ---------------------------------------------------------


def test_an_opened_account_without_business_is_reported_once_at_its_open():
    body = """
    2020-04-01 open Assets:Petty
    2021-05-10 * "uses it"
      Assets:Petty          100 JPY
      Assets:Cash:B1-General  -100 JPY
    2021-05-11 * "uses it again"
      Assets:Petty          100 JPY
      Assets:Cash:B1-General  -100 JPY
    """
    text = ledger(body)
    _, errors = load(text)
    assert len(errors) == 1
    assert errors[0].source["lineno"] == line_of(text, "open Assets:Petty")
    assert errors[0].message.startswith('account Assets:Petty does not end with a declared business (事業): its last component "Petty"')
    assert "B1-General, B2-Trust, B3-Training, B4-Fund, E-Elim" in errors[0].message


def test_an_unopened_account_with_unknown_business_is_reported_at_its_first_use():
    body = """
    2021-05-10 * "unknown business"
      Assets:Cash:B9-Other   100 JPY
      Assets:Cash:B1-General  -100 JPY
    """
    text = ledger(body)
    _, errors = load(text)
    ours = [e for e in errors if "declared business" in e.message]
    assert len(ours) == 1
    assert ours[0].source["lineno"] == line_of(text, "unknown business")
    assert '"B9-Other" is not declared' in ours[0].message


# -- internal transactions and the elimination business ----------------------------------------------


INTERNAL = """
2021-07-01 * "training for B2" #internal
  Income:Fees:B3-Training     -800 JPY
  Liabilities:Clearing:B3-Training  800 JPY
  Expenses:Services:B2-Trust   800 JPY
  Liabilities:Clearing:B2-Trust  -800 JPY
"""


def test_internal_transaction_is_mirrored_in_the_elimination_business():
    entries, errors = load(ledger(INTERNAL))
    assert errors == []
    entry = txn(entries, "training for B2")
    # clearing mirrors cancel out and are dropped; the others are negated, same item
    assert legs(entry) == [("Expenses:Services:E-Elim", Decimal(-800)), ("Income:Fees:E-Elim", Decimal(800))]
    opens = [e.account for e in entries if isinstance(e, data.Open) and e.meta.get("generated")]
    assert sorted(opens) == ["Expenses:Services:E-Elim", "Income:Fees:E-Elim"]


def test_internal_transaction_in_auto_mode_gets_legs_and_mirrors():
    body = """
    2021-07-01 * "training for B2" #internal
      Income:Fees:B3-Training     -800 JPY
      Expenses:Services:B2-Trust   500 JPY
      Expenses:Rent:B2-Trust       300 JPY
    """
    entries, errors = load(ledger(body, mode="auto"))
    assert errors == []
    assert legs(txn(entries, "training for B2")) == [
        ("Liabilities:Clearing:B2-Trust", Decimal(-800)),
        ("Liabilities:Clearing:B3-Training", Decimal(800)),
        ("Expenses:Rent:E-Elim", Decimal(-300)),
        ("Expenses:Services:E-Elim", Decimal(-500)),
        ("Income:Fees:E-Elim", Decimal(800)),
    ]


def test_mirrors_are_aggregated_per_account():
    body = """
    2021-07-01 * "two lines" #internal
      Income:Fees:B3-Training     -800 JPY
      Liabilities:Clearing:B3-Training  800 JPY
      Expenses:Services:B2-Trust   300 JPY
      Expenses:Services:B2-Trust   500 JPY
      Liabilities:Clearing:B2-Trust  -800 JPY
    """
    entries, errors = load(ledger(body))
    assert errors == []
    assert legs(txn(entries, "two lines")) == [("Expenses:Services:E-Elim", Decimal(-800)), ("Income:Fees:E-Elim", Decimal(800))]


def test_hand_typed_posting_to_the_elimination_business_is_an_error():
    body = """
    2021-07-01 * "by hand"
      Income:Fees:E-Elim      800 JPY
      Expenses:Services:E-Elim  -800 JPY
    """
    text = ledger(body) + "2020-04-01 open Income:Fees:E-Elim\n2020-04-01 open Expenses:Services:E-Elim\n"
    _, errors = load(text)
    assert len(errors) == 2
    assert all(e.source["lineno"] == line_of(text, '"by hand"') for e in errors)
    assert errors[0].message.startswith("Income:Fees:E-Elim is posted by hand, but E-Elim is the elimination business (相殺等)")
    assert "#internal" in errors[0].message


def test_internal_transactions_without_elimination_business_give_one_error():
    declarations = DECLARATIONS.replace('2020-04-01 custom "business" "E-Elim" "elimination"\n', "")
    text = ledger(INTERNAL + INTERNAL.replace("training for B2", "again"), declarations=declarations)
    _, errors = load(text)
    assert len(errors) == 1
    assert errors[0].source["lineno"] == line_of(text, "training for B2")
    assert 'no business is declared with role "elimination"' in errors[0].message


def test_two_elimination_businesses_are_an_error():
    declarations = DECLARATIONS + '2020-04-01 custom "business" "E2-More" "elimination"\n'
    text = ledger("", declarations=declarations)
    _, errors = load(text)
    assert len(errors) == 1
    assert errors[0].source["lineno"] == line_of(text, "E2-More")
    assert "but E-Elim already is" in errors[0].message


# -- fund business ----------------------------------------------------------------------------------


FUND_OK = """
2021-04-05 * "fund received"
  Assets:Cash:B4-Fund        10000 JPY
  Liabilities:Deposits:B4-Fund  -10000 JPY
2021-06-30 * "fund release"
  Expenses:Services:B4-Fund   4000 JPY
  Assets:Cash:B4-Fund        -4000 JPY
  Liabilities:Deposits:B4-Fund  4000 JPY
  Income:Grants:B4-Fund      -4000 JPY
"""


def test_fund_business_with_zero_net_income_and_net_assets_passes():
    _, errors = load(ledger(FUND_OK))
    assert errors == []


def test_fund_business_with_net_income_is_reported_with_fiscal_year_and_amounts():
    body = FUND_OK + """
2022-03-31 * "fund expense without release"
  Expenses:Services:B4-Fund   1234567 JPY
  Assets:Cash:B4-Fund        -1234567 JPY
2022-04-01 * "next year, fine"
  Assets:Cash:B4-Fund        1234567 JPY
  Liabilities:Deposits:B4-Fund  -1234567 JPY
"""
    text = ledger(body)
    _, errors = load(text)
    assert len(errors) == 2  # FY2021 (the loss) and FY2022 (net assets still short)
    first, second = errors
    assert first.source["lineno"] == line_of(text, "fund expense without release")
    assert first.message.startswith("fund business (基金事業) B4-Fund does not close to zero at the end of fiscal year 2021 (2021-04-01 – 2022-03-31)")
    assert "net income -1,234,567 JPY, net assets -1,234,567 JPY" in first.message
    assert "fiscal year 2022 (2022-04-01 – 2023-03-31): net income +0 JPY, net assets -1,234,567 JPY" in second.message


def test_fund_business_with_net_assets_only_is_reported():
    body = """
2021-04-05 * "capital into a fund"
  Assets:Cash:B4-Fund   500 JPY
  Equity:Capital:B4-Fund  -500 JPY
"""
    _, errors = load(ledger(body))
    assert len(errors) == 1
    assert "net income +0 JPY, net assets +500 JPY" in errors[0].message


# -- configuration and declarations ------------------------------------------------------------------


@pytest.mark.parametrize(
    "config, expected",
    [
        ("", "needs a configuration"),
        ("mode=auto", "not a Python dict literal"),
        ("['auto']", "must be a dict"),
        ("{'mode': 'lenient', 'clearing': 'Liabilities:Clearing'}", "'mode' must be 'strict' or 'auto', not 'lenient'"),
        ("{'mode': 'auto'}", "'clearing' must be the 他事業勘定 account"),
        ("{'clearing': 'Clearing:X'}", "'clearing' must be the 他事業勘定 account"),
        ("{'clearing': 'Liabilities:Clearing', 'internal_tag': ''}", "'internal_tag' must be a tag name"),
        ("{'clearing': 'Liabilities:Clearing', 'typo': 1}", "unknown key(s) 'typo'"),
    ],
)
def test_bad_configuration_is_one_error_and_changes_nothing(config, expected):
    entries, _, options = loader.load_string(DECLARATIONS + OPENS + SHARED_RENT)
    out, errors = segments_plugin.segments(entries, options, config)
    assert out is entries
    assert len(errors) == 1
    assert expected in errors[0].message


def test_no_declared_business_is_one_error():
    text = f'plugin "jlis_ledger.plugins.segments" "{CONFIG % "strict"}"\n2020-04-01 open Assets:Cash\n'
    _, errors = load(text)
    assert len(errors) == 1
    assert errors[0].message.startswith("no business (事業) is declared")


def test_declaration_errors_are_reported():
    text = ledger("", declarations=DECLARATIONS + '2020-04-01 custom "business" "B5-X" "founder"\n')
    _, errors = load(text)
    assert len(errors) == 1
    assert "unknown role 'founder'" in errors[0].message


def test_bad_fiscal_year_end_is_reported():
    text = ledger("", declarations=DECLARATIONS.replace('"15-31"', '"March"'))
    _, errors = load(text)
    assert len(errors) == 1
    assert "fiscal-year-end 'March' is not MM-DD" in errors[0].message


def test_internal_tag_is_configurable():
    text = ledger(INTERNAL.replace("#internal", "#naibu")).replace("'internal_tag': 'internal'", "'internal_tag': 'naibu'")
    entries, errors = load(text)
    assert errors == []
    assert len(generated(txn(entries, "training for B2"))) == 2


# -- idempotence and the who-owes-whom matrix ----------------------------------------------------------


def test_running_the_plugin_twice_gives_the_same_entries():
    body = SHARED_RENT + INTERNAL + FUND_OK
    once, errors_once = load(ledger(body, mode="auto", open_clearing=False))
    twice, errors_twice = load(ledger(body, mode="auto", open_clearing=False, plugin_lines=2))
    assert errors_once == errors_twice == []
    assert len(once) == len(twice)
    assert once == twice


def test_clearing_positions_pair_debtors_and_creditors_in_declaration_order():
    body = SHARED_RENT + INTERNAL + """
2021-08-01 * "B2 settles"
  Assets:Cash:B2-Trust   -1000 JPY
  Assets:Cash:B1-General  1000 JPY
"""
    entries, errors = load(ledger(body, mode="auto"))
    assert errors == []
    order = ["B1-General", "B2-Trust", "B3-Training", "B4-Fund", "E-Elim"]
    owes = clearing_positions(entries, CLEARING, order)
    # shared rent: B2 owes B1 1500, B3 owes B1 500; internal: B2 owes B3 800; settlement: B1 owes B2 1000
    assert owes == {
        ("B2-Trust", "B1-General", "JPY"): Decimal(500),
        ("B1-General", "B2-Trust", "JPY"): Decimal(-500),
        ("B3-Training", "B1-General", "JPY"): Decimal(500),
        ("B1-General", "B3-Training", "JPY"): Decimal(-500),
        ("B2-Trust", "B3-Training", "JPY"): Decimal(800),
        ("B3-Training", "B2-Trust", "JPY"): Decimal(-800),
    }
    assert clearing_positions(entries, CLEARING, order, end=datetime.date(2021, 6, 1)) == {
        ("B2-Trust", "B1-General", "JPY"): Decimal(1500),
        ("B1-General", "B2-Trust", "JPY"): Decimal(-1500),
        ("B3-Training", "B1-General", "JPY"): Decimal(500),
        ("B1-General", "B3-Training", "JPY"): Decimal(-500),
    }
    assert parse_partners(generated(txn(entries, "shared rent"))[0].meta["partners"]) == [
        ("B2-Trust", Decimal(1500), "JPY"),
        ("B3-Training", Decimal(500), "JPY"),
    ]


def test_a_fund_posting_beancount_cannot_interpolate_is_left_to_beancount():
    """A cost given only in total with no units leaves the number MISSING after booking: Beancount reports
    it; the segments rule must not crash on the fund's sums (it used to raise a TypeError)."""
    from beancount.parser import booking, parser

    text = ledger("""
    2021-05-01 * "a fund buys something priced only in total"
      Assets:Cash:B4-Fund              HOOL {{100 JPY}}
      Liabilities:Deposits:B4-Fund    -100 JPY
    """).replace("open Assets:Cash:B4-Fund", "open Assets:Cash:B4-Fund\n2020-04-01 commodity HOOL")
    entries, errors, options = parser.parse_string(text)
    entries, booking_errors = booking.book(entries, options)
    assert booking_errors  # Beancount's own message about the interpolation
    _, plugin_errors = segments_plugin.segments(entries, options, CONFIG % "strict")
    assert not any("fund business" in e.message for e in plugin_errors)
