"""jlis-ledger: segment accounting on Beancount.

The books of 地方公共団体情報システム機構 (J-LIS) kept with one account per
business (事業), and the library that enforces the segment rules (plugins),
regenerates the published statements and plugs into Fava.
"""

__version__ = "0.1.0"
