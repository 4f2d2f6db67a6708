"""jlis-ledger: segment accounting on Beancount.

The books of 地方公共団体情報システム機構 (J-LIS) kept with one account per business (事業), and
the library that enforces the segment rules (plugins), regenerates the published statements and
plugs into Fava.  Nothing about J-LIS lives in the library: a ledger declares its businesses,
reserves, keys and layout with ``custom`` directives.

Glossary (the Japanese term of the books, the English word of the code):

============  ==================  ============================================================
他事業勘定     clearing            what one business owes another (``segments.clearing``)
相殺等         elimination         the column where internal transactions are eliminated
共通           pool                common costs and assets, split by keys (``allocations``)
配賦 / 配賦基準 allocation / key    the split of a pool posting and its weights
繰入           provision           a reserve funded against its provision expense
取崩           release             a reserve drawn against its release income
積立金         reserve             ``reserves``; the general reserve is 積立金 itself
利益の処分     appropriation       the year's net income distributed to the reserves
基金事業       fund business       a business that closes every year at zero
年度           fiscal year         Fava's ``fiscal-year-end`` (``core.periods``)
============  ==================  ============================================================

Where things live — one folder per concept, adapters by kind:

- ``core/`` — periods and 和暦, the account vocabulary, errors, generated marks, plugin
  configuration, numbers (imports only Beancount);
- ``segments/``, ``reserves/``, ``allocations/`` — each concept's declarations, rule, analysis
  and report; ``plugins/`` — the contract paths Beancount loads;
- ``books.py`` — load once, every declaration parsed once; ``declarations.py`` — all of them;
- ``statements/`` — one builder per statement family → a ``Table`` (``table.py``);
  ``render/`` — Table → text, CSV, JSON, XLSX;
- ``fava/`` — the Fava extension; ``cli.py`` — the command line; ``importers`` (installed from
  the repository's ``importers/`` folder) — beangulp importers; ``testing/`` — strategies and
  synthetic ledgers for users' own tests.
"""

__version__ = "0.1.0"
