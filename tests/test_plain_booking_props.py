"""Property: jlis_ledger.plain_booking books a transaction exactly as Beancount's ``booking_full._book`` does
(the booked postings, their order and metadata, the transaction's metadata with its tolerances), or declines;
and when it says a transaction balances, Beancount's balance check finds no error in it.

The transactions are parsed from text by Beancount's parser (each side gets its own parse: booking changes
the parsed postings' metadata in place): units with 0 to 3 decimals, one to three currencies, an
auto-posting or none, unbalanced ones, numbers of more than 28 digits, prices and costs (declined), under
random booking options."""

from __future__ import annotations

import collections

from hypothesis import given, settings
from hypothesis import strategies as st

from beancount.core import data
from beancount.core.number import MISSING
from beancount.ops import validation
from beancount.parser import booking_full, parser

from jlis_ledger import plain_booking

CURRENCIES = ["JPY", "USD", "EUR"]

number = st.one_of(
    st.integers(-10**6, 10**6).map(str),
    st.tuples(st.integers(-10**5, 10**5), st.integers(1, 3)).map(lambda t: f"{t[0] / 10 ** t[1]:.{t[1]}f}"),
    st.tuples(st.integers(-10**5, 10**5), st.integers(1, 3)).map(lambda t: f"{t[0] / 10 ** t[1]:.{t[1]}f}"),
    st.just("0"), st.just("0.00"), st.just("12345678901234567890123456789.5"),
)


@st.composite
def transaction(draw) -> str:
    currencies = draw(st.lists(st.sampled_from(CURRENCIES), min_size=1, max_size=3, unique=True))
    plain = draw(st.booleans())  # no price or cost: the case the fast paths take
    postings = []
    for _ in range(draw(st.integers(1, 5))):
        extra = "" if plain else draw(st.sampled_from(["", "", " @ 2 USD", " {3 EUR}"]))
        postings.append((draw(number), draw(st.sampled_from(currencies)), extra))
    if draw(st.booleans()):  # every posting mirrored: balanced, unless a mirror is in another currency
        other = st.sampled_from(currencies) if draw(st.booleans()) else st.none()
        postings += [(n[1:] if n.startswith("-") else "-" + n, draw(other) or currency, extra)
                     for n, currency, extra in postings]
    postings = draw(st.permutations(postings))
    lines = [f"  Assets:A{index}  {n} {currency}{extra}{draw(st.sampled_from(['', chr(10) + '    note: 1']))}"
             for index, (n, currency, extra) in enumerate(postings)]
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2]))):
        lines.insert(draw(st.integers(0, len(lines))), "  Assets:Auto")
    return '2022-05-01 * "t"\n' + "\n".join(lines) + "\n"


@st.composite
def options_text(draw) -> str:
    lines = []
    if draw(st.booleans()):
        lines.append('option "use_precise_interpolation" "TRUE"')
    if draw(st.booleans()):
        lines.append(f'option "inferred_tolerance_default" "{draw(st.sampled_from(["*:0.5", "JPY:1", "USD:0.001"]))}"')
    if draw(st.booleans()):
        lines.append(f'option "tolerance_multiplier" "{draw(st.sampled_from(["0.5", "1.1", "0"]))}"')
    return "\n".join(lines) + "\n"


def methods(options_map: dict) -> collections.defaultdict:
    return collections.defaultdict(lambda: options_map["booking_method"])


def parse(text: str) -> tuple[data.Transaction, dict]:
    entries, errors, options_map = parser.parse_string(text)
    assert not errors, errors
    (entry,) = [e for e in entries if isinstance(e, data.Transaction)]
    return entry, options_map


@settings(max_examples=400, deadline=None)
@given(options_text(), transaction())
def test_booking_as_beancount(options: str, text: str) -> None:
    ours, options_map = parse(options + text)
    theirs, _ = parse(options + text)
    try:
        booked, errors, _ = booking_full._book([theirs], options_map, methods(options_map))  # noqa: SLF001
    except ArithmeticError as crash:  # Beancount's booking fails on this input: ours declines or fails the same way
        try:
            declined = plain_booking.book(ours, options_map) is None
        except ArithmeticError as same:
            declined = type(same) is type(crash)
        assert declined, text
        return
    fast = plain_booking.book(ours, options_map)
    if fast is None:  # declined: only what is not plain
        simple = [p for p in theirs.postings if p.cost is None and p.price is None]
        autos = [p for p in theirs.postings if p.units is MISSING]
        currencies = {p.units.currency for p in theirs.postings if p.units is not MISSING}
        assert len(simple) < len(theirs.postings) or len(autos) > 1 or (autos and len(currencies) != 1), text
        return
    assert not errors
    assert booked == [fast]  # postings (with their metadata) and the transaction's metadata, tolerances included
    assert [p.meta for p in booked[0].postings] == [p.meta for p in fast.postings]


@settings(max_examples=400, deadline=None)
@given(options_text(), transaction())
def test_balanced_as_beancount(options: str, text: str) -> None:
    entry, options_map = parse(options + text)
    try:
        booked, errors, _ = booking_full._book([entry], options_map, methods(options_map))  # noqa: SLF001
    except ArithmeticError:
        return
    for transaction in booked:
        errors = validation.validate_check_transaction_balances([transaction], options_map)
        if plain_booking.balanced(transaction):
            assert errors == [], text


def test_the_checks_can_say_no() -> None:
    """The fast paths decline what they do not cover, and an unbalanced transaction is not called balanced."""
    entry, options_map = parse('2022-05-01 * "t"\n  Assets:A  10 JPY\n  Assets:B  -9 JPY\n')
    assert plain_booking.balanced(entry) is False
    assert plain_booking.book(entry, options_map) is not None
    entry, options_map = parse('2022-05-01 * "t"\n  Assets:A  10 HOOL {1 JPY}\n  Assets:B  -10 JPY\n')
    assert plain_booking.book(entry, options_map) is None
    assert plain_booking.balanced(entry) is False
    entry, options_map = parse('2022-05-01 * "t"\n  Assets:A  10 JPY\n  Assets:B  -5 USD\n  Assets:C\n')
    assert plain_booking.book(entry, options_map) is None
