"""Property tests of the statements (issue 17): every generated contract ledger satisfies every identity of
jlis-ledger verify, proves its flows itself, and a 1-unit tamper of a posting is caught by a flow assertion
or by verify.  The ledgers are jlis_ledger.testing.statements' (their assertions are the strategy's own sums)."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jlis_ledger.core.errors import format_error
from jlis_ledger.proof import verify
from jlis_ledger.proof.rule import FlowError
from jlis_ledger.testing import statements as stst

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(stst.statement_ledgers())
def test_every_generated_ledger_loads_clean_and_satisfies_every_identity(ledger):
    books = ledger.load()
    assert [format_error(e) for e in books.errors] == []
    assert sum(1 for e in books.entries if type(e).__name__ == "Custom" and e.type == "flow") > 100
    for year in ledger.years:
        result = verify.verify(books, books.fiscal_year(year))
        assert [str(f) for f in result.failures] == []
        assert result.problems == []  # every identity was checked, none skipped
        assert all(result.checked[name] for name in verify.IDENTITIES)


@SETTINGS
@given(stst.statement_ledgers(), st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6))
def test_a_one_unit_tamper_of_a_posting_is_caught(ledger, txn, first, second):
    postings = ledger.transactions[txn % len(ledger.transactions)].postings
    assume(postings[first % len(postings)].account != postings[second % len(postings)].account)
    books = ledger.tampered(txn, first, second).load()
    flows = [e for e in books.errors if isinstance(e, FlowError)]
    failures = [f for year in ledger.years for f in verify.verify(books, books.fiscal_year(year)).failures]
    assert flows or failures


@SETTINGS
@given(stst.statement_ledgers(), st.integers(0, 10**6), st.integers(0, 10**6))
def test_one_unit_more_on_one_posting_is_caught_by_verify_on_the_entries(ledger, txn, which):
    """A posting changed after the load (the transaction no longer balances, so Beancount cannot be the one to
    catch it): the articulation itself fails."""
    from decimal import Decimal

    from jlis_ledger.books import from_entries

    books = ledger.load()
    first, last = books.fiscal_year(ledger.years[0]), books.fiscal_year(ledger.years[-1])
    transactions = [e for e in books.entries if type(e).__name__ == "Transaction" and first.start <= e.date <= last.end]
    target = transactions[txn % len(transactions)]
    i = which % len(target.postings)
    posting = target.postings[i]
    changed = target._replace(postings=[*target.postings[:i], posting._replace(units=posting.units._replace(number=posting.units.number + Decimal(1))),
                                        *target.postings[i + 1:]])
    entries = [changed if e is target else e for e in books.entries]
    tampered = from_entries("<tampered>", entries, [], books.options)
    failures = [f for year in ledger.years for f in verify.verify(tampered, tampered.fiscal_year(year)).failures]
    assert "A=L+NA" in {f.identity for f in failures}  # its business no longer balances at the year end
