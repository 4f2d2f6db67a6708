"""Beancount plugins of jlis-ledger: each module is one rule, enabled from the ledger with ``plugin``."""
