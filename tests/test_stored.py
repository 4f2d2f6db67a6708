"""The stored-file format (jlis_ledger.core.stored): what is pickled in chunks and with Beancount's named tuples
rebuilt by ``tuple.__new__`` reads back as the same values, of the same types."""

from __future__ import annotations

import pickle
from decimal import Decimal
from typing import NamedTuple

import pytest
from beancount import loader
from beancount.core import amount, data, position

from jlis_ledger.core import stored

LEDGER = """
option "operating_currency" "JPY"
2022-04-01 open Assets:Cash
2022-04-01 open Assets:Stock
2022-04-01 open Expenses:Food
2022-04-01 commodity STK
2022-04-02 * "shop" "lunch" #tag ^link
  Expenses:Food   1,200 JPY
  Assets:Cash
2022-04-03 * "broker" "buy"
  Assets:Stock    10 STK {100 JPY}
  Assets:Cash
2022-04-04 price STK 110 JPY
2022-04-05 balance Assets:Cash  -2200 JPY
2022-04-06 note Assets:Cash "a note"
2022-04-07 event "place" "Tokyo"
2022-04-08 custom "budget" Expenses:Food "month" 30000 JPY
"""


def _entries() -> list:
    entries, errors, _ = loader.load_string(LEDGER)
    assert not errors
    return entries


def _types(value: object) -> list[str]:
    """Every object's type, depth first (named tuples, lists, dicts and tuples opened)."""
    out = [type(value).__name__]
    if isinstance(value, (list, tuple)):
        for item in value:
            out.extend(_types(item))
    elif isinstance(value, dict):
        for key, item in value.items():
            out.extend([*_types(key), *_types(item)])
    return out


def test_named_tuples_read_back_with_their_types_and_fields() -> None:
    entries = _entries()
    back = pickle.loads(stored.dumps(entries))
    assert back == entries
    assert _types(back) == _types(entries)
    kinds = {type(e) for e in back}
    assert {data.Open, data.Commodity, data.Transaction, data.Price, data.Balance, data.Note, data.Event,
            data.Custom} <= kinds
    bought = next(e for e in back if isinstance(e, data.Transaction) and e.narration == "buy")
    assert type(bought.postings[0].cost) is position.Cost
    assert type(bought.postings[0].units) is amount.Amount


class _Mine(NamedTuple):  # a named tuple that is not Beancount's: pickled the standard way
    a: int
    b: str


def test_other_named_tuples_and_plain_values_are_pickled_as_pickle_does() -> None:
    value = [_Mine(1, "x"), (1, 2), {"k": Decimal("1.50")}, frozenset({"t"}), None]
    assert pickle.loads(stored.dumps(value)) == value
    assert stored.dumps(value) == pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


@pytest.mark.parametrize("size", [0, 1, stored.CHUNK - 1, stored.CHUNK, stored.CHUNK + 1, 3 * stored.CHUNK + 7])
def test_lists_read_back_whole_and_in_order_across_chunks(size: int) -> None:
    entries = _entries()
    items = [(i, entries[i % len(entries)]) for i in range(size)]
    back = stored.loads_list(stored.dumps_list(items))
    assert back == items
    assert [i for i, _ in back] == list(range(size))


def test_a_load_result_is_stored_and_read_back(tmp_path) -> None:
    entries, errors, options_map = loader.load_string(LEDGER + "2022-04-09 balance Assets:Cash  5 JPY\n")
    assert errors  # the failing balance: an error that names its entry
    target = tmp_path / "result.pickle"
    assert stored.write_result(target, b"magic\n", {"k": 1}, (entries, errors, options_map))
    back = stored.read_result(target, b"magic\n", lambda header: header == {"k": 1})
    assert back is not None
    assert back[0] == entries
    assert [(e.message, e.entry) for e in back[1]] == [(e.message, e.entry) for e in errors]
    without = "dcontext"  # a DisplayContext compares by identity
    assert {k: v for k, v in back[2].items() if k != without} == {k: v for k, v in options_map.items() if k != without}
    assert str(back[2][without]) == str(options_map[without])
    assert stored.read_result(target, b"magic\n", lambda header: False) is None
    assert stored.read_result(target, b"other\n", lambda header: True) is None


def test_a_payload_of_another_shape_is_not_a_load_result(tmp_path) -> None:
    target = tmp_path / "result.pickle"
    assert stored.write(target, b"magic\n", {}, (_entries(), [], {}))  # the entries not pickled in chunks
    assert stored.read_result(target, b"magic\n", lambda header: True) is None
