"""Regenerate the published statements with the Python API (run: python examples/statements_api.py).

Load the books once, build any statement as a table, read a figure, render it.
"""

from jlis_ledger import books, render, statements
from jlis_ledger.render import xlsx

b = books.load()                                   # the bundled ledger/main.beancount, plugins applied
fy = b.fiscal_year(2022)                           # 令和4年度: 2022-04-01 .. 2023-03-31

segment_bs = statements.build(b, "segment-bs", fy)
print(segment_bs.value("現金及び預金", "一般事業"))   # one figure, in yen
for row in segment_bs.rows[:4]:                     # rows: label, kind, level, values, account
    print(row.kind, row.level, row.label, row.values)

tables = statements.build_all(b, fy)               # every statement from one pass over the postings
print(render.text(tables["pl"], unit="百万円", negative="△"))
print(render.csv_text(tables["cf"]).splitlines()[1])
xlsx.write(list(tables.values()), "statements-r4.xlsx")  # one sheet per statement
