"""The proof plugin: flow assertions (custom "flow") and sealed years (custom "fiscal-seal")."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from beancount import loader

from jlis_ledger.core.errors import format_error

HEAD = """\
plugin "jlis_ledger.plugins.segments" "{'mode': 'strict', 'clearing': 'Liabilities:Clearing', 'internal_tag': 'internal'}"
plugin "jlis_ledger.plugins.proof"
2000-01-01 custom "fava-option" "fiscal-year-end" "15-31"
2000-01-01 custom "business" "B1-A"
2000-01-01 custom "business" "B2-B"
2000-01-01 custom "business" "E-E" "elimination"
2000-01-01 custom "cash-flow-line" "営業活動" "手数料収入"
2000-01-01 custom "cash-flow-line" "営業活動" "換算差額"
"""
ACCOUNTS = ["Assets:Cash", "Income:Fees", "Income:Grants", "Expenses:Services", "Liabilities:Clearing"]
OPENS = "".join(f"2000-01-01 open {a}:{b}\n" for a in ACCOUNTS for b in ("B1-A", "B2-B"))
BOOKS = HEAD + OPENS + """
2022-05-01 * "fees"
  Assets:Cash:B1-A      100 JPY
    cf: "手数料収入"
  Income:Fees:B1-A     -100 JPY
2022-06-01 * "fees"
  Assets:Cash:B2-B       50 JPY
    cf: "手数料収入"
  Income:Fees:B2-B      -50 JPY
2022-07-01 * "grant" #grant
  Assets:Cash:B2-B       30 JPY
  Income:Grants:B2-B    -30 JPY
2023-05-01 * "fees of the next year"
  Assets:Cash:B1-A        7 JPY
    cf: "手数料収入"
  Income:Fees:B1-A       -7 JPY
"""


def load(text: str):
    entries, errors, options = loader.load_string(textwrap.dedent(text))
    return entries, errors, options


def messages(text: str) -> list[str]:
    return [e.message for e in load(text)[1]]


def test_flows_that_hold_give_no_error():
    assert messages(BOOKS + """
2023-03-31 custom "flow" 2022 Income:Fees -150 JPY
2023-03-31 custom "flow" 2022 Income:Fees -100 JPY
  business: "B1-A"
2023-03-31 custom "flow" 2022 Income:Fees Income:Grants -180 JPY
2023-03-31 custom "flow" 2022 "手数料収入" 150 JPY
2023-03-31 custom "flow" 2022 "手数料収入" "換算差額" 150 JPY
2023-03-31 custom "flow" 2022 "手数料収入" 50 JPY
  business: "B2-B"
2023-03-31 custom "flow" 2022-05-01 2022-05-31 Income:Fees -100 JPY
2023-03-31 custom "flow" 2023-03-31 Assets:Cash 180 JPY
2024-03-31 custom "flow" 2023-12-31 Assets:Cash 187 JPY
2023-03-31 custom "flow" 2022 Income:Grants -30 JPY
  tag: "grant"
2023-03-31 custom "flow" 2022 Income:Fees 0 JPY
  tag: "grant"
2023-03-31 custom "flow" 2022 "換算差額" 0 JPY
""") == []


def test_a_flow_that_differs_names_expected_booked_and_difference_at_the_assertion():
    entries, errors, _ = load(BOOKS + """
2023-03-31 custom "flow" 2022 Income:Fees -101 JPY
  business: "B1-A"
""")
    assert len(errors) == 1
    assert errors[0].source["lineno"] == BOOKS.count("\n") + 2
    assert errors[0].message == ("flow of Income:Fees (B1-A) over 令和4年度 (2022-04-01 – 2023-03-31): "
                                 "expected -101 JPY, booked -100 JPY, difference +1 JPY")


def test_the_fiscal_year_follows_fava_option_and_excludes_the_next_year():
    # the 2023-05-01 fees are FY2023 (15-31: FY2023 = 2023-04-01 .. 2024-03-31)
    assert messages(BOOKS + '2024-03-31 custom "flow" 2023 Income:Fees -7 JPY\n') == []
    assert len(messages(BOOKS + '2024-03-31 custom "flow" 2023 Income:Fees -157 JPY\n')) == 1


def test_a_one_yen_move_between_two_lines_fails_both_line_assertions():
    moved = BOOKS.replace("""  Assets:Cash:B2-B       30 JPY
  Income:Grants:B2-B    -30 JPY""", """  Assets:Cash:B2-B       30 JPY
  Income:Grants:B2-B    -29 JPY
  Income:Fees:B2-B       -1 JPY""")
    text = moved + """
2023-03-31 custom "flow" 2022 Income:Fees -50 JPY
  business: "B2-B"
2023-03-31 custom "flow" 2022 Income:Grants -30 JPY
  business: "B2-B"
"""
    found = messages(text)
    assert len(found) == 2 and all("difference" in m for m in found)


def test_the_elimination_mirrors_count_in_the_flows():
    text = BOOKS + """
2022-08-01 * "internal" #internal
  Expenses:Services:B1-A    10 JPY
  Liabilities:Clearing:B1-A -10 JPY
  Income:Fees:B2-B         -10 JPY
  Liabilities:Clearing:B2-B  10 JPY
2023-03-31 custom "flow" 2022 Income:Fees -150 JPY
2023-03-31 custom "flow" 2022 Income:Fees 10 JPY
  business: "E-E"
"""
    assert messages(text) == []


@pytest.mark.parametrize(("directive", "message"), [
    ('custom "flow" Income:Fees -1 JPY', 'custom "flow" takes a period'),
    ('custom "flow" 2022 -1 JPY', 'custom "flow" takes a period'),
    ('custom "flow" 2022 Income:Fees', 'custom "flow" takes a period'),
    ('custom "flow" 2022 Income:Fees "手数料収入" -1 JPY', "accounts or cf: labels, not both"),
    ('custom "flow" 2023-03-31 2022-04-01 Income:Fees -1 JPY', "ends (2022-04-01) before it starts"),
    ('custom "flow" 2022.5 Income:Fees -1 JPY', "not a year"),
    ('custom "flow" 2022 Income:Nothing 0 JPY', "no account is open at or below Income:Nothing"),
    ('custom "flow" 2022 "どこにもない" 0 JPY', "no posting carries cf: 'どこにもない'"),
])
def test_a_malformed_flow_is_one_located_error(directive, message):
    entries, errors, _ = load(BOOKS + f"2023-03-31 {directive}\n")
    assert len(errors) == 1
    assert message in errors[0].message
    assert errors[0].source["lineno"] == BOOKS.count("\n") + 1


def test_an_undeclared_business_is_an_error():
    found = messages(BOOKS + '2023-03-31 custom "flow" 2022 Income:Fees 0 JPY\n  business: "B9-Z"\n')
    assert found == ['business: B9-Z is not a declared business (custom "business")']


def test_without_the_plugin_a_malformed_flow_is_still_an_error_of_the_books(tmp_path):
    from jlis_ledger import books as books_lib

    path = tmp_path / "main.beancount"
    path.write_text(BOOKS.replace('plugin "jlis_ledger.plugins.proof"\n', "") + '2023-03-31 custom "flow" 2022 -1 JPY\n',
                    encoding="utf-8")
    books = books_lib.load(path, cache=False)
    assert [e.message for e in books.errors if "flow" in e.message]


# -- seals -------------------------------------------------------------------------------


def sealed(tmp_path: Path, body: str = BOOKS, year: int = 2022) -> Path:
    """The books in tmp_path/main.beancount with `year` sealed by jlis-ledger close (its own file)."""
    from jlis_ledger import books as books_lib
    from jlis_ledger.proof import close

    (tmp_path / "main.beancount").write_text(body, encoding="utf-8")
    close.close(books_lib.load(tmp_path / "main.beancount", cache=False), year, output=tmp_path / "seal.beancount")
    return tmp_path / "main.beancount"


def check(path: Path) -> list:
    entries, errors, _ = loader.load_file(str(path))
    return errors


def test_a_sealed_year_checks(tmp_path):
    path = sealed(tmp_path)
    assert check(path) == []
    text = (tmp_path / "seal.beancount").read_text(encoding="utf-8")
    assert 'custom "fiscal-seal" 2022 "' in text and "include \"seal.beancount\"" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("old", "new"), [
    ("  Income:Fees:B2-B      -50 JPY", "  Income:Fees:B2-B      -49 JPY\n  Income:Grants:B2-B      -1 JPY"),
    ('2022-06-01 * "fees"', '2022-06-01 * "fees!"'),
    ('2022-06-01 * "fees"', '2022-06-02 * "fees"'),
    ('    cf: "手数料収入"\n  Income:Fees:B2-B', '    cf: "手数料収入x"\n  Income:Fees:B2-B'),
    ('2022-07-01 * "grant" #grant', '2022-07-01 * "grant"'),
])
def test_any_change_of_a_sealed_entry_fails_naming_it(tmp_path, old, new):
    path = sealed(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    errors = [e for e in check(path) if "not as sealed" in e.message]
    assert len(errors) == 1, [format_error(e) for e in check(path)]
    changed_line = path.read_text(encoding="utf-8").splitlines().index(new.split("\n")[0]) + 1
    assert errors[0].source["filename"] == str(path)
    if "* " in new:  # the entry's own line
        assert errors[0].source["lineno"] == changed_line
    assert "令和4年度 is sealed (" in errors[0].message


def test_an_added_entry_in_a_sealed_year_fails_and_a_removed_one_too(tmp_path):
    path = sealed(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '2022-12-01 * "late"\n  Assets:Cash:B1-A 1 JPY\n  Income:Fees:B1-A -1 JPY\n', encoding="utf-8")
    found = [e for e in check(path) if "not as sealed" in e.message]
    assert len(found) == 1 and found[0].source["lineno"] == text.count("\n") + 1
    path.write_text(text.replace('2022-07-01 * "grant" #grant\n  Assets:Cash:B2-B       30 JPY\n  Income:Grants:B2-B    -30 JPY\n', ""),
                    encoding="utf-8")
    found = [e.message for e in check(path)]
    assert found == ["1 entry of the sealed 令和4年度 is gone (removed, or moved out of the year)"]


def test_a_later_year_and_reformatting_do_not_break_the_seal(tmp_path):
    path = sealed(tmp_path)
    text = path.read_text(encoding="utf-8")
    reformatted = (text.replace("  Assets:Cash:B1-A      100 JPY", "  Assets:Cash:B1-A   100 JPY ; a comment")
                   .replace("2022-05-01 * \"fees\"", "; moved\n2022-05-01 * \"fees\"")
                   .replace("  Assets:Cash:B2-B       30 JPY", "  Assets:Cash:B2-B"))  # the amount left to Beancount
    reformatted += '2023-06-01 * "next year"\n  Assets:Cash:B1-A 5 JPY\n  Income:Fees:B1-A -5 JPY\n'
    path.write_text(reformatted, encoding="utf-8")
    assert check(path) == []


def test_a_sealed_entry_may_move_to_another_file(tmp_path):
    path = sealed(tmp_path)
    text = path.read_text(encoding="utf-8")
    entry = '2022-06-01 * "fees"\n  Assets:Cash:B2-B       50 JPY\n    cf: "手数料収入"\n  Income:Fees:B2-B      -50 JPY\n'
    assert entry in text
    (tmp_path / "other.beancount").write_text(entry, encoding="utf-8")
    path.write_text(text.replace(entry, "") + 'include "other.beancount"\n', encoding="utf-8")
    assert check(path) == []


def test_an_opening_entry_after_a_sealed_year_is_an_error(tmp_path):
    path = sealed(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '2023-04-01 * "carried in again" #opening\n  Assets:Cash:B1-A 1 JPY\n  Income:Fees:B1-A -1 JPY\n',
                    encoding="utf-8")
    found = [e.message for e in check(path)]
    assert len(found) == 1 and "after the sealed 令和4年度" in found[0]


def test_an_edited_digest_list_is_an_error_at_the_seal(tmp_path):
    path = sealed(tmp_path)
    seal = tmp_path / "seal.beancount"
    text = seal.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if "digests-0001" in x)
    first = line.split('"')[1].split()[0]
    seal.write_text(text.replace(first, "0" * 16 if first != "0" * 16 else "1" * 16), encoding="utf-8")
    found = check(path)
    assert len(found) == 1 and "does not match its own digest list" in found[0].message
    assert found[0].source["filename"] == str(seal)


def test_the_digest_is_the_same_in_another_process_and_after_the_load_cache(tmp_path):
    """Hash randomisation and the pickle of the load cache change nothing."""
    import os
    import subprocess
    import sys

    from jlis_ledger import books as books_lib

    path = sealed(tmp_path)
    for seed in ("1", "2"):
        result = subprocess.run([sys.executable, "-m", "beancount.scripts.check", str(path)], capture_output=True, text=True,
                                env={**os.environ, "PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stdout + result.stderr
    books_lib.load(path)  # writes the load cache
    assert books_lib.load(path).errors == []  # read from it
    reformat = path.read_text(encoding="utf-8").replace("100 JPY", "100.0 JPY", 1)  # the precision counts
    path.write_text(reformat, encoding="utf-8")
    assert [e for e in books_lib.load(path, cache=False).errors if "not as sealed" in e.message]


def test_a_malformed_seal_is_one_located_error(tmp_path):
    text = BOOKS + '2023-03-31 custom "fiscal-seal" 2022 "abc"\n'
    found = messages(text)
    assert len(found) == 1 and "fiscal-seal" in found[0]


def test_the_fast_path_holds_for_files_as_sealed_and_not_after_a_reformat(tmp_path):
    """The seal's fast path (files unchanged to the byte: nothing digested) is taken when it may be, and only then."""
    from jlis_ledger.proof import rule

    path = sealed(tmp_path)
    entries, errors, options = loader.load_file(str(path))
    assert errors == [] and [c.fast for c in rule.analyze(entries, options).seals] == [True]
    path.write_text(path.read_text(encoding="utf-8") + "; a comment\n", encoding="utf-8")
    entries, errors, options = loader.load_file(str(path))
    proof = rule.analyze(entries, options)
    assert errors == [] and [c.fast for c in proof.seals] == [False] and len(proof.seals[0].digests) == proof.seals[0].seal.count


FLOWS = """
2023-03-31 custom "flow" 2022 Income:Fees -150 JPY
2023-03-31 custom "flow" 2022 Income:Fees -100 JPY
  business: "B1-A"
2024-03-31 custom "flow" 2023 Income:Fees -7 JPY
"""


def test_the_flows_a_holding_seal_covers_are_held_by_it_and_the_others_summed(tmp_path):
    from jlis_ledger.proof import rule

    path = sealed(tmp_path, BOOKS + FLOWS)
    entries, errors, options = loader.load_file(str(path))
    proof = rule.analyze(entries, options)
    assert errors == []
    assert sorted(f.end.year for f in proof.held) == [2023, 2023]  # the two FY2022 flows, held by the seal
    assert [f.year for f in proof.flows if id(f) in proof.booked] == [2023]  # the open year is summed


@pytest.mark.parametrize("change", [
    ("plugin \"jlis_ledger.plugins.segments\" \"{'mode': 'strict', ", "plugin \"jlis_ledger.plugins.segments\" \"{'mode': 'auto', "),
    ("", '2023-04-01 custom "business" "B3-C"\n'),  # a later declaration could change what the plugins make
    ("", '2023-04-01 custom "allocation-rule" Expenses:Services "key"\n'),
])
def test_anything_the_plugins_depend_on_changes_and_the_sealed_flows_are_summed_again(tmp_path, change):
    from jlis_ledger.proof import rule

    path = sealed(tmp_path, BOOKS + FLOWS)
    text = path.read_text(encoding="utf-8")
    old, new = change
    path.write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")
    entries, _, options = loader.load_file(str(path))
    proof = rule.analyze(entries, options)
    assert proof.held == [] and len(proof.booked) == 3


def test_a_tampered_flow_of_a_sealed_year_still_fails(tmp_path):
    path = sealed(tmp_path, BOOKS + FLOWS)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('custom "flow" 2022 Income:Fees -150 JPY', 'custom "flow" 2022 Income:Fees -151 JPY'), encoding="utf-8")
    found = [e.message for e in check(path)]
    assert any("is not as sealed" in m for m in found) and any("expected -151 JPY, booked -150 JPY" in m for m in found), found


def test_a_balance_of_the_open_year_starts_from_the_sealed_closing(tmp_path):
    """A one-date flow of the next year (a balance from the beginning) is answered from the seal's closing lines
    and the open year's postings; the closing is covered by the seal's own digest."""
    from jlis_ledger.proof import rule

    later = '2024-03-31 custom "flow" 2024-03-31 Assets:Cash 187 JPY\n2024-03-31 custom "flow" 2024-03-31 Assets:Cash 107 JPY\n  business: "B1-A"\n'
    path = sealed(tmp_path, BOOKS + FLOWS + later)
    entries, errors, options = loader.load_file(str(path))
    proof = rule.analyze(entries, options)
    assert errors == [] and proof.held  # held by the seal, and the balances of 2024 right from its closing
    assert sorted(proof.booked.values()) == [-7, 107, 187]
    seal = tmp_path / "seal.beancount"
    text = seal.read_text(encoding="utf-8")
    assert 'closing-0001: "Assets:Cash:B1-A 100 JPY"' in text
    seal.write_text(text.replace('"Assets:Cash:B1-A 100 JPY"', '"Assets:Cash:B1-A 101 JPY"'), encoding="utf-8")
    found = [e.message for e in check(path)]
    assert len(found) == 1 and "does not match its own digest list" in found[0]
