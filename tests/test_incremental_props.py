"""Property: the incremental load (each file's parse kept by its bytes, jlis_ledger.incremental) is a fresh
Beancount load, after any sequence of edits, appends, new and removed included files of a split ledger:
the same entries with their metadata (filename, lineno), the same errors, the same options (the include
list among them) as ``beancount.loader.load_file`` without its cache; and through jlis_ledger.loading (load
cache and stored parses) the same as our cold path (``cache=False``: Beancount's load, errors refined)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_loading import comparable, plain_load

from jlis_ledger import incremental, loading, synth

BUSINESSES = synth.business_labels(3)
AMOUNT = re.compile(r"^(  \S+  )(-?\d+)( JPY)$")
SNIPPETS = [
    '2021-06-01 * "追加"\n  {cash}:{b}  {n} JPY\n  {fees}:{b}  -{n} JPY\n',
    '2021-06-01 * "釣り合わない"\n  {cash}:{b}  {n} JPY\n  {fees}:{b}  -1 JPY\n',  # a validation error
    '2021-06-01 * "未開設"\n  Assets:Unknown  {n} JPY\n  {fees}:{b}  -{n} JPY\n',  # an account never opened
    "2021-06-01 this is not beancount {n}\n",  # a parse error
    '2021-06-02 balance {cash}:{b} {n} JPY\n',  # a failing assertion
    'option "operating_currency" "USD"\n2021-06-01 commodity USD\n',  # options of an included file
    '2021-06-01 * "端数"\n  {cash}:{b}  {n}.5 JPY\n  {fees}:{b}  -{n}.5 JPY\n',  # the display context
    # bookings that read the running balances (not local: booked again in the ledger's order)
    '2021-06-01 * "買"\n  Assets:Stock  {n} HOOL {{10 JPY}}\n  {cash}:{b}\n',  # a lot at cost, an auto-posting
    '2021-06-03 * "売"\n  Assets:Stock  -3 HOOL {{}}\n  {cash}:{b}  30 JPY\n',  # a reduction (or no lot: an error)
    '2021-06-02 * "移"\n  Assets:Stock  {n} HOOL\n  {fees}:{b}  -{n} HOOL\n',  # local, on an account held at cost
    '2021-06-04 * "通貨なし"\n  Assets:Stock  5\n  {cash}:{b}  -5 JPY\n',  # a currency from the balance
    '2021-06-01 * "外貨"\n  {cash}:{b}  10 USD @ {n} JPY\n  {fees}:{b}\n',  # a price
    '2021-06-01 * "二つ"\n  {cash}:{b}  {n} JPY\n  {fees}:{b}\n  {cash}:{b}\n',  # two auto-postings: dropped
    '2021-01-01 open Assets:Stock "FIFO"\n',
]
MAIN_OPTIONS = [  # options the booking of every transaction depends on
    'option "inferred_tolerance_default" "JPY:{n}"',
    'option "tolerance_multiplier" "{n}"',
    'option "use_precise_interpolation" "FALSE"',
    'option "booking_method" "LIFO"',
]


def write_books(directory: Path, files: int) -> list[Path]:
    main = directory / "main.beancount"
    synth.write_ledger(main, transactions=40, businesses=3, seed=11, pool_share=0.1, files=files)
    return [main, *synth.part_names(main, files)]


def change(draw, books: Path, files: list[Path]) -> None:
    """One random change: an amount, a deleted line, an appended snippet, a new included file (from the main
    file, from a part, by a glob, twice), a removed file (with or without its include line), an option of the
    main file that booking depends on."""
    main = files[0]
    kind = draw(st.sampled_from(["amount", "delete", "append", "add", "glob", "twice", "remove", "unlink", "option"]))
    existing = [f for f in files if f.exists()]
    target = draw(st.sampled_from(existing))
    text = target.read_text(encoding="utf-8")
    lines = text.split("\n")
    if kind == "amount":
        candidates = [i for i, line in enumerate(lines) if AMOUNT.match(line)]
        if candidates:
            index = draw(st.sampled_from(candidates))
            head, number, tail = AMOUNT.match(lines[index]).groups()
            lines[index] = f"{head}{int(number) + draw(st.integers(-5000, 5000).filter(bool))}{tail}"
        target.write_text("\n".join(lines), encoding="utf-8")
    elif kind == "delete":
        del lines[draw(st.integers(0, len(lines) - 1))]
        target.write_text("\n".join(lines), encoding="utf-8")
    elif kind == "append":
        snippet = draw(st.sampled_from(SNIPPETS)).format(
            cash=synth.CASH, fees=synth.FEES, b=draw(st.sampled_from(BUSINESSES)), n=draw(st.integers(1, 9999)))
        target.write_text(text + "\n" + snippet, encoding="utf-8")
    elif kind in ("add", "glob", "twice"):
        new = books / f"extra-{len(list(books.glob('extra-*')))}.beancount"
        snippet = draw(st.sampled_from(SNIPPETS)).format(
            cash=synth.CASH, fees=synth.FEES, b=draw(st.sampled_from(BUSINESSES)), n=draw(st.integers(1, 9999)))
        new.write_text(snippet, encoding="utf-8")
        files.append(new)
        line = 'include "extra-*.beancount"' if kind == "glob" else f'include "{new.name}"'
        if kind == "twice":
            line += f'\ninclude "{new.name}"'
        includer = main if kind == "glob" else target
        includer.write_text(includer.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    elif kind == "remove" and target != main:  # the file and its include line
        target.unlink()
        main.write_text(main.read_text(encoding="utf-8").replace(f'include "{target.name}"\n', ""), encoding="utf-8")
    elif kind == "unlink" and target != main:  # the file only: its include line matches nothing
        target.unlink()
    elif kind == "option":
        option = draw(st.sampled_from(MAIN_OPTIONS)).format(n=draw(st.integers(1, 3)))
        main.write_text(option + "\n" + main.read_text(encoding="utf-8"), encoding="utf-8")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_the_incremental_load_is_a_fresh_load_after_any_change(data):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        books = root / "books"
        books.mkdir()
        files = write_books(books, data.draw(st.integers(2, 5), label="files"))
        main = files[0]
        store = incremental.ParseStore(root / "parse")
        cache_dir = root / "cache"
        first = comparable(incremental.load(str(main), store))
        assert first == comparable(plain_load(main))
        loading.load_ledger(main, cache_dir=cache_dir)  # primes the load cache and its stored parses
        for _ in range(data.draw(st.integers(1, 6), label="changes")):
            change(data.draw, books, files)
            assert comparable(incremental.load(str(main), store)) == comparable(plain_load(main))
            # our cold path (Beancount's load, its errors one line at their place) and our cached one
            assert comparable(loading.load_ledger(main, cache_dir=cache_dir)) == comparable(
                loading.load_ledger(main, cache=False))


def test_an_edit_of_one_file_parses_that_file_only(tmp_path):
    books = tmp_path / "books"
    books.mkdir()
    files = write_books(books, 12)
    store = incremental.ParseStore(tmp_path / "parse")
    incremental.load(str(files[0]), store)
    assert (store.hits, store.misses) == (0, 13)
    edited = files[5]
    edited.write_text(edited.read_text(encoding="utf-8") + '\n2021-06-01 note Assets:Nowhere "x"\n', encoding="utf-8")
    result = incremental.load(str(files[0]), store)
    assert (store.hits, store.misses) == (12, 14)  # since the store was made: 13 parsed, then 12 kept and 1 parsed
    assert comparable(result) == comparable(plain_load(files[0]))
    assert any("Assets:Nowhere" in e.message for e in result[1])  # the edit is seen


def test_a_damaged_stored_parse_is_parsed_again(tmp_path):
    books = tmp_path / "books"
    books.mkdir()
    files = write_books(books, 3)
    store = incremental.ParseStore(tmp_path / "parse")
    expected = comparable(incremental.load(str(files[0]), store))
    stored = sorted((tmp_path / "parse").glob("*.pickle"))
    assert len(stored) == 4
    stored[0].write_bytes(stored[0].read_bytes()[:-20])  # truncated
    stored[1].write_bytes(stored[1].read_bytes()[:-1] + b"x")  # one byte changed
    again = incremental.ParseStore(tmp_path / "parse")
    assert comparable(incremental.load(str(files[0]), again)) == expected
    assert (again.hits, again.misses) == (2, 2)


def test_a_recheck_after_an_edit_leaves_the_load_cache_to_the_next_load(tmp_path, monkeypatch):
    books = tmp_path / "books"
    books.mkdir()
    files = write_books(books, 4)
    cache_dir = tmp_path / "cache"
    loading.load_ledger(files[0], cache_dir=cache_dir)  # a first load: every file parsed, the cache written
    (written,) = cache_dir.glob("*.pickle")
    first = written.read_bytes()
    files[2].write_text(files[2].read_text(encoding="utf-8") + '\n2021-06-01 note Assets:Nowhere "x"\n', encoding="utf-8")
    edited = comparable(loading.load_ledger(files[0], cache_dir=cache_dir))  # 3 parses stored, 1 parsed: not written
    assert written.read_bytes() == first
    assert comparable(loading.load_ledger(files[0], cache_dir=cache_dir)) == edited  # every parse stored: written
    assert written.read_bytes() != first
    assert edited == comparable(loading.load_ledger(files[0], cache=False))
    calls = []
    monkeypatch.setattr(loading, "_fresh", lambda *args: calls.append(args))
    assert comparable(loading.load_ledger(files[0], cache_dir=cache_dir)) == edited  # a hit
    assert calls == []


def test_a_kept_files_local_bookings_feed_a_later_booking_that_reads_the_balances(tmp_path):
    """A transaction of an unchanged file booked from the store still counts in the running balance that a
    later posting without currency is booked from (Beancount takes the currency from the account's balance)."""
    books = tmp_path / "books"
    books.mkdir()
    files = write_books(books, 3)
    business = BUSINESSES[0]
    files[1].write_text(files[1].read_text(encoding="utf-8") + '\n2021-01-01 open Assets:Stock\n'
                        f'2021-06-02 * "移"\n  Assets:Stock  2 HOOL\n  {synth.FEES}:{business}  -2 HOOL\n', encoding="utf-8")
    store = incremental.ParseStore(tmp_path / "parse")
    incremental.load(str(files[0]), store)
    files[2].write_text(files[2].read_text(encoding="utf-8") + '\n2021-06-04 * "通貨なし"\n  Assets:Stock  -1\n'
                        f'  {synth.FEES}:{business}  1 HOOL\n  {synth.CASH}:{business}  5 JPY\n'
                        f'  {synth.FEES}:{business}  -5 JPY\n', encoding="utf-8")  # two currencies: none to infer from
    result = incremental.load(str(files[0]), store)
    assert (store.hits, store.misses) == (3, 5)  # files[1] kept, files[2] parsed
    expected = plain_load(files[0])
    assert not [e for e in expected[1] if "resolve" in e.message or "categorize" in e.message]  # HOOL, from the balance
    assert comparable(result) == comparable(expected)


def test_a_changed_booking_option_books_every_file_again(tmp_path):
    books = tmp_path / "books"
    books.mkdir()
    files = write_books(books, 3)
    business = BUSINESSES[0]
    files[1].write_text(files[1].read_text(encoding="utf-8") + f'\n2021-06-01 * "端数"\n  {synth.CASH}:{business}  3.25 JPY\n'
                        f'  {synth.FEES}:{business}\n', encoding="utf-8")
    store = incremental.ParseStore(tmp_path / "parse")
    before = incremental.load(str(files[0]), store)
    files[0].write_text('option "tolerance_multiplier" "3"\n' + files[0].read_text(encoding="utf-8"), encoding="utf-8")
    after = incremental.load(str(files[0]), store)
    assert (store.hits, store.misses) == (0, 8)  # the kept files' bookings were made under the old option
    assert comparable(after) == comparable(plain_load(files[0]))

    def tolerances(result):
        return [e.meta.get("__tolerances__") for e in result[0] if getattr(e, "narration", None) == "端数"]

    assert tolerances(before) != tolerances(after)  # the option changes the booked entries
