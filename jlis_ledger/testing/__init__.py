"""Testing helpers shipped with jlis-ledger: hypothesis strategies for segment ledgers, reserves and allocations.

    from jlis_ledger.testing import strategies, reserves, allocations

See :mod:`jlis_ledger.testing.strategies` (businesses, accounts, multi-business and
internal transactions, whole ledgers) and :mod:`jlis_ledger.testing.reserves`
(sequences of provisions, releases and transfers), :mod:`jlis_ledger.testing.journals`
(vouchers as accounting tools export them, for importers and exporters) and :mod:`jlis_ledger.testing.allocations`
(a common pool, dated keys, rules and costs booked to the pool).  Requires ``hypothesis`` (the
``test`` extra: ``pip install jlis-ledger[test]``).  :mod:`jlis_ledger.testing.synth` writes
synthetic ledgers of any size (``jlis-ledger synth``; standard library only).
"""
