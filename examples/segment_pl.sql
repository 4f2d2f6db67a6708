-- 事業別損益計算書の合計行 (令和4年度) from the exported postings: one row per business, 相殺等 and 合計.
-- Run: .venv/bin/python -c "import duckdb; duckdb.sql(open('examples/segment_pl.sql').read()).show(max_width=200)"
SELECT coalesce(business, '合計')                                              AS business,
       coalesce(-sum(amount) FILTER (WHERE account LIKE 'Income:1-%'), 0)      AS 営業収益合計,
       coalesce(sum(amount) FILTER (WHERE account LIKE 'Expenses:1-%'), 0)     AS 営業費用合計,
       coalesce(-sum(amount) FILTER (WHERE account LIKE 'Income:2-%'), 0)      AS 営業外収益合計,
       coalesce(sum(amount) FILTER (WHERE account LIKE 'Expenses:2-%'), 0)     AS 営業外費用合計,
       coalesce(sum(amount) FILTER (WHERE account LIKE 'Expenses:3-%'), 0)     AS 特別損失合計,
       -sum(amount)                                                            AS 当期純利益
FROM 'postings.parquet'
WHERE date BETWEEN DATE '2022-04-01' AND DATE '2023-03-31'
  AND (account LIKE 'Income:%' OR account LIKE 'Expenses:%')
GROUP BY ROLLUP (business)
ORDER BY business NULLS LAST;
