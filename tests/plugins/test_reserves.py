"""Examples for jlis_ledger.plugins.reserves: one tiny ledger per rule and per error message."""

from __future__ import annotations

import textwrap

import pytest
from beancount import loader

from jlis_ledger.plugins import reserves as plugin

SEGMENTS = "plugin \"jlis_ledger.plugins.segments\" \"{'mode': 'strict', 'clearing': 'Liabilities:Clearing', 'internal_tag': 'internal'}\"\n"
RESERVES = 'plugin "jlis_ledger.plugins.reserves"\n'

DECLARATIONS = """\
2000-01-01 custom "fava-option" "fiscal-year-end" "15-31"
2020-04-01 custom "business" "B1-General"
2020-04-01 custom "business" "B2-Registry"
2020-04-01 custom "business" "E-Elim" "elimination"
2020-04-01 custom "reserve" Liabilities:Reserves:Renewal "B2-Registry"
  provision: Expenses:Special:RenewalProvision
  release: Income:Operating:RenewalRelease
2020-04-01 custom "reserve" Equity:Retained:General
  general: TRUE
2020-04-01 custom "reserve" Equity:Retained:Development
"""

ITEMS = (
    "Assets:Cash",
    "Liabilities:Clearing",
    "Liabilities:Reserves:Renewal",
    "Equity:Retained:General",
    "Equity:Retained:Development",
    "Equity:Retained:Unappropriated",
    "Income:Operating:Fees",
    "Income:Operating:RenewalRelease",
    "Expenses:Operating:Services",
    "Expenses:Special:RenewalProvision",
)
OPENS = "\n".join(f"2020-04-01 open {item}:{b}" for b in ("B1-General", "B2-Registry") for item in ITEMS) + "\n"

OPENING = """
2021-03-31 * "opening balances" #opening
  Liabilities:Reserves:Renewal:B2-Registry   -1000 JPY
  Equity:Retained:General:B1-General          -500 JPY
  Equity:Retained:General:B2-Registry         -200 JPY
  Assets:Cash:B1-General                       500 JPY
  Assets:Cash:B2-Registry                     1200 JPY
"""


def ledger(body: str, declarations: str = DECLARATIONS, opening: str = OPENING) -> str:
    return SEGMENTS + RESERVES + declarations + OPENS + opening + textwrap.dedent(body)


def load(text: str):
    entries, errors, _ = loader.load_string(text)
    return entries, errors


def line_of(text: str, fragment: str, nth: int = 0) -> int:
    found = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(found) > nth, f"{fragment!r} not in the ledger"
    return found[nth]


def only_error(text: str, kind: type):
    _, errors = load(text)
    assert [type(e) for e in errors] == [kind], [e.message for e in errors]
    return errors[0]


# -- a ledger that follows every rule ---------------------------------------------------------

CLEAN = """
2021-06-30 * "provision" ; 繰入
  Expenses:Special:RenewalProvision:B2-Registry    300 JPY
  Liabilities:Reserves:Renewal:B2-Registry        -300 JPY

2021-07-31 * "release" ; 取崩
  Liabilities:Reserves:Renewal:B2-Registry         800 JPY
  Income:Operating:RenewalRelease:B2-Registry     -800 JPY

2021-08-31 * "transfer to development" ; 振替
  Equity:Retained:General:B1-General               100 JPY
  Equity:Retained:Development:B1-General          -100 JPY

2021-09-30 * "fees"
  Income:Operating:Fees:B1-General                -900 JPY
  Assets:Cash:B1-General                           900 JPY

2021-10-31 * "services"
  Expenses:Operating:Services:B2-Registry           50 JPY
  Assets:Cash:B2-Registry                          -50 JPY

2022-06-30 * "appropriation of FY2021" #appropriation
  Equity:Retained:Unappropriated:B1-General        900 JPY
  Equity:Retained:Development:B1-General          -600 JPY
  Equity:Retained:General:B1-General              -300 JPY
  Equity:Retained:Unappropriated:B2-Registry      -250 JPY
  Equity:Retained:General:B2-Registry              250 JPY
"""
# B2's net income is 800 (release) − 300 (provision) − 50 (services) = 450: see below


def test_a_ledger_that_follows_every_rule_passes_both_plugins():
    body = CLEAN.replace("Equity:Retained:Unappropriated:B2-Registry      -250 JPY", "Equity:Retained:Unappropriated:B2-Registry       450 JPY")
    body = body.replace("Equity:Retained:General:B2-Registry              250 JPY", "Equity:Retained:General:B2-Registry             -450 JPY")
    entries, errors = load(ledger(body))
    assert [e.message for e in errors] == []


def test_the_plugin_returns_the_entries_unchanged():
    entries, errors, options = loader.load_string(SEGMENTS + DECLARATIONS + OPENS + OPENING)
    out, found = plugin.reserves(entries, options)
    assert out is entries and found == []


# -- rule 1: ownership ----------------------------------------------------------------------------


def test_a_reserve_declared_with_a_business_is_posted_only_in_that_business():
    text = ledger("""
    2021-06-30 * "provision in the wrong business"
      Expenses:Special:RenewalProvision:B1-General    300 JPY
      Liabilities:Reserves:Renewal:B1-General        -300 JPY
    """)
    error = only_error(text, plugin.ReserveOwnershipError)
    assert error.source["lineno"] == line_of(text, "provision in the wrong business")
    declared = line_of(text, 'custom "reserve" Liabilities:Reserves:Renewal')
    assert error.message == (
        "Liabilities:Reserves:Renewal:B1-General: reserve (積立金) Liabilities:Reserves:Renewal belongs to B2-Registry "
        f'(custom "reserve" at <string>:{declared}), but this transaction posts it in B1-General. '
        "A reserve declared with a business is posted only in that business."
    )


# -- rule 2: never negative ----------------------------------------------------------------------


def test_a_reserve_that_goes_negative_is_reported_on_the_first_day_with_the_amounts():
    text = ledger("""
    2021-07-31 * "release too much"
      Liabilities:Reserves:Renewal:B2-Registry        1500 JPY
      Income:Operating:RenewalRelease:B2-Registry    -1500 JPY

    2021-08-31 * "still negative: not reported again"
      Liabilities:Reserves:Renewal:B2-Registry          10 JPY
      Income:Operating:RenewalRelease:B2-Registry      -10 JPY
    """)
    error = only_error(text, plugin.NegativeReserveError)
    assert error.source["lineno"] == line_of(text, "release too much")
    assert error.message == (
        "reserve (積立金) Liabilities:Reserves:Renewal:B2-Registry goes negative on 2021-07-31: its balance at the end "
        "of the day is -500 JPY (1,000 JPY before the day, -1,500 JPY that day). A reserve is never drawn beyond its "
        "balance; this is the day's last transaction on it."
    )


def test_the_balance_is_checked_at_the_end_of_the_day_not_between_its_transactions():
    text = ledger("""
    2021-07-31 * "release first"
      Liabilities:Reserves:Renewal:B2-Registry        1500 JPY
      Income:Operating:RenewalRelease:B2-Registry    -1500 JPY

    2021-07-31 * "provision later that day"
      Expenses:Special:RenewalProvision:B2-Registry    600 JPY
      Liabilities:Reserves:Renewal:B2-Registry        -600 JPY
    """)
    assert load(text)[1] == []


def test_a_reserve_is_reported_again_after_it_recovered_and_goes_negative_again():
    text = ledger("""
    2021-07-31 * "first overdraft"
      Equity:Retained:General:B1-General               600 JPY
      Equity:Retained:Development:B1-General          -600 JPY

    2021-08-31 * "back"
      Equity:Retained:Development:B1-General           600 JPY
      Equity:Retained:General:B1-General              -600 JPY

    2021-09-30 * "second overdraft"
      Equity:Retained:General:B1-General               501 JPY
      Equity:Retained:Development:B1-General          -501 JPY
    """)
    _, errors = load(text)
    assert [(type(e), e.source["lineno"]) for e in errors] == [
        (plugin.NegativeReserveError, line_of(text, "first overdraft")),
        (plugin.NegativeReserveError, line_of(text, "second overdraft")),
    ]
    assert "its balance at the end of the day is -1 JPY (500 JPY before the day, -501 JPY that day)" in errors[1].message


# -- rule 3: provisions and releases -------------------------------------------------------------


def test_a_provision_must_debit_the_provision_account():
    text = ledger("""
    2021-06-30 * "provision against cash"
      Assets:Cash:B2-Registry                          300 JPY
      Liabilities:Reserves:Renewal:B2-Registry        -300 JPY
    """)
    error = only_error(text, plugin.ProvisionReleaseError)
    assert error.source["lineno"] == line_of(text, "provision against cash")
    assert error.message == (
        "provision (繰入) of 300 JPY to reserve (積立金) Liabilities:Reserves:Renewal in B2-Registry without a debit to "
        "its provision account: book the same amount to Expenses:Special:RenewalProvision:B2-Registry in this transaction."
    )


def test_a_release_must_credit_the_release_account():
    text = ledger("""
    2021-06-30 * "release to cash"
      Liabilities:Reserves:Renewal:B2-Registry         300 JPY
      Assets:Cash:B2-Registry                         -300 JPY
    """)
    error = only_error(text, plugin.ProvisionReleaseError)
    assert error.message == (
        "release (取崩) of 300 JPY to reserve (積立金) Liabilities:Reserves:Renewal in B2-Registry without a credit to "
        "its release account: book the same amount to Income:Operating:RenewalRelease:B2-Registry in this transaction."
    )


def test_a_provision_and_its_expense_must_be_the_same_amount():
    text = ledger("""
    2021-06-30 * "provision of 300, expense of 250"
      Expenses:Special:RenewalProvision:B2-Registry    250 JPY
      Assets:Cash:B2-Registry                           50 JPY
      Liabilities:Reserves:Renewal:B2-Registry        -300 JPY
    """)
    error = only_error(text, plugin.ProvisionReleaseError)
    assert error.message == (
        "provision/release (繰入/取崩) mismatch in B2-Registry: reserve (積立金) Liabilities:Reserves:Renewal changes by "
        "+300 JPY but its provision account Expenses:Special:RenewalProvision:B2-Registry is posted +250 JPY. A provision "
        "credits the reserve and debits its provision account by the same amount, a release debits the reserve and "
        "credits its release account by the same amount, in the same transaction and business."
    )


def test_a_provision_expense_without_the_reserve_is_an_error():
    text = ledger("""
    2021-06-30 * "expense booked as a provision, reserve forgotten"
      Expenses:Special:RenewalProvision:B2-Registry    250 JPY
      Assets:Cash:B2-Registry                         -250 JPY
    """)
    error = only_error(text, plugin.ProvisionReleaseError)
    assert "reserve (積立金) Liabilities:Reserves:Renewal changes by +0 JPY but its provision account" in error.message


def test_a_liability_reserve_without_a_declared_provision_account_says_so():
    declarations = DECLARATIONS.replace(
        "  provision: Expenses:Special:RenewalProvision\n  release: Income:Operating:RenewalRelease\n", ""
    )
    text = ledger("""
    2021-06-30 * "provision"
      Expenses:Special:RenewalProvision:B2-Registry    300 JPY
      Liabilities:Reserves:Renewal:B2-Registry        -300 JPY
    """, declarations=declarations)
    error = only_error(text, plugin.ProvisionReleaseError)
    declared = line_of(text, 'custom "reserve" Liabilities:Reserves:Renewal')
    assert error.message == (
        "provision (繰入) of 300 JPY to reserve (積立金) Liabilities:Reserves:Renewal in B2-Registry without a debit to "
        "its provision account: Liabilities:Reserves:Renewal declares no provision: account (custom \"reserve\" at "
        f"<string>:{declared}); declare it, or tag opening balances #opening."
    )


def test_opening_balances_need_no_provision():
    assert load(ledger(""))[1] == []


# -- rule 4: transfers among equity reserves ------------------------------------------------------


def test_a_transfer_between_reserves_never_crosses_businesses():
    text = ledger("""
    2021-06-30 * "transfer from B1 to B2"
      Equity:Retained:General:B1-General               100 JPY
      Liabilities:Clearing:B1-General                 -100 JPY
      Liabilities:Clearing:B2-Registry                 100 JPY
      Equity:Retained:Development:B2-Registry         -100 JPY
    """)
    error = only_error(text, plugin.ReserveTransferError)
    assert error.source["lineno"] == line_of(text, "transfer from B1 to B2")
    assert error.message == (
        "transfer between reserves (積立金の振替) crosses businesses: B1-General -100 JPY, B2-Registry +100 JPY. "
        "A transfer between reserves stays within one business; move money between businesses through 他事業勘定, "
        "not through reserves."
    )


def test_transfers_among_equity_reserves_net_to_zero_within_the_business():
    text = ledger("""
    2021-06-30 * "general reserve paid out"
      Equity:Retained:General:B1-General               100 JPY
      Assets:Cash:B1-General                          -100 JPY
    """)
    error = only_error(text, plugin.ReserveTransferError)
    assert error.message == (
        "transfer among equity reserves (積立金の振替) does not net to zero within the business: B1-General -100 JPY "
        "(+ = the reserves increase). An equity reserve moves only to another equity reserve of the same business, "
        "against its declared provision/release accounts, or by the appropriation of profit (#appropriation)."
    )


# -- rule 5: appropriation of profit -----------------------------------------------------------------

PROFITS = """
    2021-09-30 * "fees"
      Income:Operating:Fees:B1-General                -900 JPY
      Assets:Cash:B1-General                           900 JPY

    2021-10-31 * "services"
      Expenses:Operating:Services:B2-Registry           50 JPY
      Assets:Cash:B2-Registry                          -50 JPY

    2022-04-01 * "fees of the next year: not appropriated with FY2021"
      Income:Operating:Fees:B1-General                 -70 JPY
      Assets:Cash:B1-General                            70 JPY
"""


def test_an_appropriation_distributes_exactly_the_net_income_of_every_business():
    text = ledger(PROFITS + """
    2022-06-30 * "appropriation of FY2021" #appropriation
      Equity:Retained:Unappropriated:B1-General        900 JPY
      Equity:Retained:Development:B1-General          -600 JPY
      Equity:Retained:General:B1-General              -300 JPY
      Equity:Retained:Unappropriated:B2-Registry       -50 JPY
      Equity:Retained:General:B2-Registry               50 JPY
    """)
    assert load(text)[1] == []


def test_an_appropriation_that_leaves_out_a_business_with_a_loss_is_an_error():
    text = ledger(PROFITS + """
    2022-06-30 * "appropriation of FY2021" #appropriation
      Equity:Retained:Unappropriated:B1-General        900 JPY
      Equity:Retained:Development:B1-General          -900 JPY
    """)
    error = only_error(text, plugin.AppropriationError)
    assert error.source["lineno"] == line_of(text, "appropriation of FY2021")
    assert error.message == (
        "appropriation of profit (利益の処分) for fiscal year 2021 (2021-04-01 – 2022-03-31) in B2-Registry: the profit "
        "leg is +0 JPY but the business's 当期純利益 is -50 JPY (difference +50 JPY). Debit each business's net income "
        "of the year to a non-reserve equity account (e.g. 処分対象利益; credit it for a loss) and credit its parts to "
        "the reserves."
    )


def test_an_appropriation_of_a_wrong_amount_is_an_error():
    text = ledger(PROFITS + """
    2022-06-30 * "appropriation of FY2021" #appropriation
      Equity:Retained:Unappropriated:B1-General        970 JPY
      Equity:Retained:Development:B1-General          -970 JPY
      Equity:Retained:Unappropriated:B2-Registry       -50 JPY
      Equity:Retained:General:B2-Registry               50 JPY
    """)
    error = only_error(text, plugin.AppropriationError)
    assert "in B1-General: the profit leg is +970 JPY but the business's 当期純利益 is +900 JPY (difference +70 JPY)" in error.message


def test_an_appropriation_without_a_profit_leg_is_reported_for_each_business():
    text = ledger(PROFITS + """
    2022-06-30 * "old style: transfers only" #appropriation
      Equity:Retained:General:B1-General               400 JPY
      Equity:Retained:Development:B1-General          -400 JPY
    """)
    _, errors = load(text)
    assert [type(e) for e in errors] == [plugin.AppropriationError] * 2
    assert ["B1-General" in errors[0].message, "B2-Registry" in errors[1].message] == [True, True]


def test_a_fiscal_year_is_appropriated_once():
    body = PROFITS + """
    2022-06-30 * "appropriation of FY2021" #appropriation
      Equity:Retained:Unappropriated:B1-General        900 JPY
      Equity:Retained:General:B1-General              -900 JPY
      Equity:Retained:Unappropriated:B2-Registry       -50 JPY
      Equity:Retained:General:B2-Registry               50 JPY

    2022-07-31 * "again" #appropriation
      Equity:Retained:Unappropriated:B1-General        900 JPY
      Equity:Retained:General:B1-General              -900 JPY
    """
    text = ledger(body)
    error = only_error(text, plugin.AppropriationError)
    assert error.source["lineno"] == line_of(text, '"again"')
    assert error.message == (
        "appropriation of profit (利益の処分) for fiscal year 2021 (2021-04-01 – 2022-03-31): that year is already "
        f"appropriated by the entry at <string>:{line_of(text, 'appropriation of FY2021')}. A year's net income is "
        "appropriated once."
    )


def test_the_appropriation_tag_is_configurable():
    text = ledger(PROFITS + """
    2022-06-30 * "appropriation of FY2021" #shobun
      Equity:Retained:Unappropriated:B1-General        900 JPY
      Equity:Retained:Development:B1-General          -900 JPY
    """).replace(RESERVES, "plugin \"jlis_ledger.plugins.reserves\" \"{'appropriation_tag': 'shobun'}\"\n")
    error = only_error(text, plugin.AppropriationError)
    assert "in B2-Registry" in error.message


# -- rule 6: plans and published history ------------------------------------------------------------

PLAN_DECLARATIONS = DECLARATIONS + """\
2021-03-31 custom "reserve-plan" Liabilities:Reserves:Renewal 2018-04-01 2021-03-31 1,200 JPY 200 JPY
  precision: 100
2021-03-31 custom "reserve-plan" Liabilities:Reserves:Renewal 2021-04-01 2022-03-31 300 JPY 0 JPY
2021-03-31 custom "reserve-plan" Liabilities:Reserves:Renewal 2022-04-01 2025-03-31 0 JPY 1,300 JPY
"""
PROVISION_FY2021 = """
    2021-06-30 * "provision"
      Expenses:Special:RenewalProvision:B2-Registry    {amount} JPY
      Liabilities:Reserves:Renewal:B2-Registry        -{amount} JPY

    2022-04-01 * "the books reach FY2022"
      Income:Operating:Fees:B1-General                 -70 JPY
      Assets:Cash:B1-General                            70 JPY
"""


def test_plans_met_and_future_plans_pass():
    assert load(ledger(PROVISION_FY2021.format(amount=300), declarations=PLAN_DECLARATIONS))[1] == []


def test_an_ended_plan_that_differs_is_an_error_at_its_declaration():
    text = ledger(PROVISION_FY2021.format(amount=250), declarations=PLAN_DECLARATIONS)
    error = only_error(text, plugin.ReservePlanError)
    assert error.source["lineno"] == line_of(text, "2021-04-01 2022-03-31 300 JPY")
    assert error.message == (
        "reserve plan (計画) for Liabilities:Reserves:Renewal 2021-04-01 – 2022-03-31 is not met: 積立 (provisions) "
        "booked 250 JPY, planned 300 JPY (deviation -50 JPY), beyond the declared precision (±0.5 JPY). Correct the "
        'bookings or the declaration, or record why the deviation is accepted with explanation: "…" on the declaration.'
    )


def test_a_plan_error_prints_as_bean_check_prints_errors():
    """bean-check prints each error with Beancount's printer, which prints the error's entry: a plan's
    error must carry none (a ReservePlan is not a directive; bean-check used to crash on it)."""
    from beancount.parser import printer

    text = ledger(PROVISION_FY2021.format(amount=250), declarations=PLAN_DECLARATIONS)
    error = only_error(text, plugin.ReservePlanError)
    out = printer.format_error(error)
    assert "is not met" in out and str(error.source["lineno"]) in out


def test_an_explained_deviation_is_not_an_error():
    declarations = PLAN_DECLARATIONS.replace(
        "2022-03-31 300 JPY 0 JPY\n", '2022-03-31 300 JPY 0 JPY\n  explanation: "代表者会議で250に変更"\n'
    )
    assert load(ledger(PROVISION_FY2021.format(amount=250), declarations=declarations))[1] == []


def test_a_plan_is_not_checked_before_the_books_reach_its_end():
    body = PROVISION_FY2021.format(amount=250).split("2022-04-01")[0]
    text = ledger(body.replace("2021-06-30", "2022-03-30"), declarations=PLAN_DECLARATIONS)
    assert load(text)[1] == []  # the last transaction (2022-03-30) is before the plan's last day


def test_with_appropriations_a_plan_is_due_once_its_year_is_appropriated():
    """A ledger that books appropriations checks a plan only once the year of its end is appropriated
    (the books of a year are final when its 利益の処分 is booked), not as soon as the next year starts."""
    opening = OPENING.replace("-200 JPY", "-300 JPY").replace("1200 JPY", "1300 JPY")
    earlier = """
    2020-06-30 * "appropriation of FY2019: nothing to distribute" #appropriation
    """
    text = ledger(earlier + PROVISION_FY2021.format(amount=250), declarations=PLAN_DECLARATIONS, opening=opening)
    assert load(text)[1] == []  # FY2021 is not appropriated yet: its plan is not due
    appropriated = earlier + PROVISION_FY2021.format(amount=250) + """
    2022-06-30 * "appropriation of FY2021: B2's loss (the provision)" #appropriation
      Equity:Retained:Unappropriated:B2-Registry      -250 JPY
      Equity:Retained:General:B2-Registry              250 JPY
    """
    text = ledger(appropriated, declarations=PLAN_DECLARATIONS, opening=opening)
    error = only_error(text, plugin.ReservePlanError)
    assert error.source["lineno"] == line_of(text, "2021-04-01 2022-03-31 300 JPY")


def test_the_opening_balance_is_checked_against_the_published_history_within_its_precision():
    # history 2018–2021: 1,200 − 200 = 1,000 ± 100 (precision 100 on each of two figures: ±50 each); the opening is 1,000
    assert load(ledger(PROVISION_FY2021.format(amount=300), declarations=PLAN_DECLARATIONS))[1] == []
    near = OPENING.replace("-1000 JPY", "-1090 JPY").replace("1200 JPY", "1290 JPY")
    assert load(ledger(PROVISION_FY2021.format(amount=300), declarations=PLAN_DECLARATIONS, opening=near))[1] == []
    far = OPENING.replace("-1000 JPY", "-1101 JPY").replace("1200 JPY", "1301 JPY")
    text = ledger(PROVISION_FY2021.format(amount=300), declarations=PLAN_DECLARATIONS, opening=far)
    error = only_error(text, plugin.ReservePlanError)
    assert error.source["lineno"] == line_of(text, "2018-04-01 2021-03-31")
    assert error.message == (
        "the opening balance of reserve (積立金) Liabilities:Reserves:Renewal does not agree with its published history: "
        "balance 1,101 JPY at the end of 2021-03-31, history (2018-04-01 – 2021-03-31: 積立 1,200 JPY 取崩 200 JPY) "
        "gives 1,000 JPY (deviation +101 JPY, precision ±100 JPY)."
    )


# -- declarations and configuration ---------------------------------------------------------------


@pytest.mark.parametrize("declaration, message", [
    ('2020-04-01 custom "reserve" Income:Operating:Fees', "reserve Income:Operating:Fees: a reserve is a liability (Liabilities:…) or an equity reserve (Equity:…)"),
    ('2020-04-01 custom "reserve" Equity:Retained:Other "B9-Nobody"', 'reserve Equity:Retained:Other: business "B9-Nobody" is not declared with custom "business"'),
    ('2020-04-01 custom "reserve" Equity:Retained:Other:B1-General', "reserve Equity:Retained:Other:B1-General: give the account without its business component (Equity:Retained:Other)"),
    ('2020-04-01 custom "reserve" Equity:Retained:General', "reserve Equity:Retained:General is declared twice (first at <string>:"),
    ('2020-04-01 custom "reserve-plan" Equity:Retained:Other 2021-04-01 2022-03-31 0 JPY 0 JPY', 'reserve plan for Equity:Retained:Other: no such reserve is declared (custom "reserve" Equity:Retained:Other)'),
    ('2020-04-01 custom "reserve-plan" Equity:Retained:General 2022-04-01 2021-03-31 0 JPY 0 JPY', "reserve plan for Equity:Retained:General: the period ends (2021-03-31) before it starts (2022-04-01)"),
    ('2020-04-01 custom "reserve-plan" Equity:Retained:General 2021-04-01', 'custom "reserve-plan" takes ACCOUNT FROM TO PROVISION RELEASE'),
])
def test_declaration_errors_name_the_declaration(declaration, message):
    text = ledger("", declarations=DECLARATIONS + declaration + "\n")
    error = only_error(text, plugin.ReserveDeclarationError)
    assert error.source["lineno"] == line_of(text, declaration, nth=text.count(declaration + "\n") - 1)
    assert error.message.startswith(message), error.message


def test_overlapping_plans_are_an_error():
    text = ledger("", declarations=PLAN_DECLARATIONS + '2021-03-31 custom "reserve-plan" Liabilities:Reserves:Renewal 2024-04-01 2026-03-31 0 JPY 0 JPY\n')
    error = only_error(text, plugin.ReserveDeclarationError)
    assert "overlaps the plan 2022-04-01 – 2025-03-31" in error.message


def test_a_bad_configuration_is_one_error():
    text = ledger("").replace(RESERVES, 'plugin "jlis_ledger.plugins.reserves" "{\'tag\': 1}"\n')
    error = only_error(text, plugin.ReserveDeclarationError)
    assert error.message == "unknown key(s) 'tag' in the reserves plugin configuration; known: 'appropriation_tag', 'opening_tag'"


# -- the bundled books ----------------------------------------------------------------------------


def test_the_bundled_books_pass_both_plugins(books):
    """Both plugins on the J-LIS books: with the plugin line in main.beancount the load itself runs it."""
    enabled = any(name == "jlis_ledger.plugins.reserves" for name, _ in books.options.get("plugin", []))
    errors = list(books.errors)
    if not enabled:
        errors += plugin.reserves(books.entries, books.options)[1]
    assert [f"{e.source.get('filename')}:{e.source.get('lineno')}: {e.message}" for e in errors] == []
    assert any(name == "jlis_ledger.plugins.segments" for name, _ in books.options["plugin"])


def test_the_bundled_appropriation_closes_fy2022_for_every_business_with_a_profit_or_a_loss(books, published):
    analysis = plugin.analyze(books.entries, books.options)
    (appropriation,) = analysis.appropriations
    assert (appropriation.year.start.isoformat(), appropriation.year.end.isoformat()) == ("2022-04-01", "2023-03-31")
    (row,) = [r for r in published["tables"]["segment-pl"]["rows"] if r["label"] == "当期純利益"]
    names = published["tables"]["segment-pl"]["columns"][:8]
    labels = {b.name: b.label for b in books.businesses.values()}
    expected = {labels[name]: value for name, value in zip(names, row["values"][:8]) if value}
    assert {b: int(v) for (b, _), v in appropriation.distributed.items()} == expected
    assert {b: int(v) for (b, _), v in appropriation.net_income.items()} == expected


def test_the_bundled_main_file_with_the_plugin_line_loads_without_errors(monkeypatch):
    """main.beancount as the reviewer will enable it: the plugin line after the segments one (includes resolve from
    the working directory when Beancount loads a string)."""
    from pathlib import Path

    ledger_dir = Path(__file__).resolve().parents[2] / "ledger"
    text = (ledger_dir / "main.beancount").read_text(encoding="utf-8")
    if RESERVES not in text:
        segments_line = next(line for line in text.splitlines(keepends=True) if line.startswith('plugin "jlis_ledger.plugins.segments"'))
        text = text.replace(segments_line, segments_line + RESERVES)
    monkeypatch.chdir(ledger_dir)
    entries, errors, options = loader.load_string(text)
    assert [f"{e.source.get('filename')}:{e.source.get('lineno')}: {e.message}" for e in errors] == []
    # the allocations plugin (issue 8) runs first: it empties the common pool before the segments plugin checks
    assert [name for name, _ in options["plugin"]] == ["jlis_ledger.plugins.allocations", "jlis_ledger.plugins.segments",
                                                       "jlis_ledger.plugins.reserves", "jlis_ledger.plugins.bql",
                                                       "jlis_ledger.plugins.proof"]  # issue 17: last
    assert sum(1 for e in entries if type(e).__name__ == "Transaction") > 50
