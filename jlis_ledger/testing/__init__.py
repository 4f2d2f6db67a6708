"""Testing helpers shipped with jlis-ledger: hypothesis strategies for segment ledgers, reserves and allocations.

    from jlis_ledger.testing import strategies, reserves, allocations

See :mod:`jlis_ledger.testing.strategies` (businesses, accounts, multi-business and
internal transactions, whole ledgers) and :mod:`jlis_ledger.testing.reserves`
(sequences of provisions, releases and transfers), :mod:`jlis_ledger.testing.journals`
(vouchers as accounting tools export them, for importers and exporters), :mod:`jlis_ledger.testing.allocations`
(a common pool, dated keys, rules and costs booked to the pool) and :mod:`jlis_ledger.testing.statements`
(whole contract ledgers: businesses, a fund, 相殺等, a pool and its key, reserves, budgets, the CF layout,
two fiscal years with their 利益の処分, and the flow assertions of their own sums — every statement can be
built and every ``jlis-ledger verify`` identity holds).  Requires ``hypothesis`` (the
``test`` extra: ``pip install jlis-ledger[test]``).  :mod:`jlis_ledger.testing.synth` writes
synthetic ledgers of any size (``jlis-ledger synth``; standard library only).
"""
