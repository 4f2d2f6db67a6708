"""The vocabulary every concept of jlis-ledger shares; it imports only Beancount.

- :mod:`.periods` — fiscal years (年度) as Fava's ``fiscal-year-end`` defines them, with their
  和暦 names; :mod:`.wareki` — the one table of the Japanese eras (元年, boundaries, the 年度 rule);
- :mod:`.accounts` — the account vocabulary of the contract: the business (last component), the
  item (the account without it), the published label (the name without its code), the roots
  (Beancount's ``name_*`` options);
- :mod:`.errors` — Beancount-style errors and their location (``file:line``);
- :mod:`.generated` — the ``generated:`` marks on what a plugin or an importer adds;
- :mod:`.config` — the configuration string of a plugin line;
- :mod:`.numbers` — amounts as messages and the publication print them;
- :mod:`.cells` — text cells no spreadsheet evaluates (every CSV written and read).
"""
