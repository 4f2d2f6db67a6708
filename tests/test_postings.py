"""`jlis-ledger export postings`: one row per posting after the plugins, read back with DuckDB and pyarrow; the
README's DuckDB query over the file gives the published 事業別損益計算書 totals."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from test_cli import jlis

REPO = Path(__file__).resolve().parent.parent
QUERY = REPO / "examples" / "segment_pl.sql"
#: The columns of the README's query and the published subtotal rows they reproduce.
TOTALS = ("営業収益合計", "営業費用合計", "営業外収益合計", "営業外費用合計", "特別損失合計", "当期純利益")


def sql(statement: str) -> list[tuple]:
    """The rows of one DuckDB statement, in a connection of its own."""
    with duckdb.connect() as connection:
        return connection.execute(statement).fetchall()


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("postings")
    result = jlis("export", "postings", "--format", "parquet", "-o", str(folder / "postings.parquet"))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r".*postings\.parquet: \d+ postings\n", result.stderr)
    return folder / "postings.parquet"


def test_the_readme_query_gives_the_published_segment_income_statement(exported, published, books):
    """Every total of the 事業別損益計算書 (8 businesses, 相殺等, 合計), to the yen, from DuckDB over the file."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    query = QUERY.read_text(encoding="utf-8")
    assert query.strip() in readme  # the README shows the very query tested here
    rows = sql(query.replace("'postings.parquet'", f"'{exported}'"))
    table = published["tables"]["segment-pl"]
    columns = [books.business_name(row[0]) if row[0] != "合計" else "合計" for row in rows]
    assert columns == table["columns"]  # published column order: B1 … B8, 相殺等, 合計
    for i, label in enumerate(TOTALS, start=1):
        expected = next(r["values"] for r in table["rows"] if r["label"] == label)
        assert [int(row[i]) for row in rows] == expected, label


def test_one_row_per_posting_with_the_types_analysts_read(exported, books):
    table = pq.read_table(exported)
    postings = [(e, p) for e in books.transactions() for p in e.postings]
    assert table.num_rows == len(postings)
    types = {field.name: str(field.type) for field in table.schema}
    assert types["date"] == "date32[day]" and types["amount"] == "decimal128(38, 0)" and types["tags"] in ("list<item: string>", "list<element: string>")
    assert [name for name in types] == ["date", "entry", "location", "account", "item", "business", "amount", "currency", "tags",
                                        "basis", "generated", "cf", "source", "narration"]
    rows = table.to_pylist()
    for row, (entry, posting) in zip(rows, postings, strict=True):
        assert row["date"] == entry.date and row["account"] == posting.account and row["amount"] == posting.units.number
        assert row["item"] + ":" + row["business"] == posting.account
        assert row["tags"] == sorted(entry.tags)
        meta = {**entry.meta, **(posting.meta or {})}
        assert (row["basis"], row["generated"], row["cf"]) == (meta.get("basis"), meta.get("generated"), meta.get("cf"))
    generated = {row["generated"] for row in rows}
    assert generated == {None, "segments", "allocations"}  # what the plugins added is in the file, marked


def test_locations_name_the_lines_of_the_ledger(exported):
    """``location`` is file:line relative to the ledger's folder; the line is the posting's own (typed) line."""
    lines: dict[str, list[str]] = {}
    rows = sql(f"SELECT location, account, generated, entry FROM '{exported}'")
    for location, account, generated, entry in rows:
        name, _, number = location.rpartition(":")
        assert not name.startswith("/"), location
        text = lines.setdefault(name, (REPO / "ledger" / name).read_text(encoding="utf-8").splitlines())
        if generated is None:
            assert account in text[int(number) - 1], location
        entry_name, _, entry_line = entry.partition("#")[0].rpartition(":")
        assert entry_name == name and re.match(r"\d{4}-\d\d-\d\d [*!]", text[int(entry_line) - 1]), entry
    assert sql(f"SELECT count(DISTINCT entry) FROM '{exported}'")[0][0] > 50


def test_csv_reads_the_same_in_duckdb(tmp_path, exported):
    out = tmp_path / "postings.csv"
    result = jlis("export", "postings", "--format", "csv", "-o", str(out), "--year", "2022")
    assert result.returncode == 0, result.stderr
    query = QUERY.read_text(encoding="utf-8")
    from_csv = sql(query.replace("'postings.parquet'", f"read_csv('{out}', header = true)"))
    from_parquet = sql(query.replace("'postings.parquet'", f"'{exported}'"))
    assert [tuple(int(v) if not isinstance(v, str) else v for v in row) for row in from_csv] == \
           [tuple(int(v) if not isinstance(v, str) else v for v in row) for row in from_parquet]
    assert out.read_text(encoding="utf-8").splitlines()[0] == ("date,entry,location,account,item,business,amount,currency,tags,"
                                                               "basis,generated,cf,source,narration")
    ((first, last),) = sql(f"SELECT min(date), max(date) FROM read_csv('{out}', header = true)")
    assert str(first) >= "2022-04-01" and str(last) <= "2023-03-31"


LEDGER = """\
option "operating_currency" "JPY"
2000-01-01 commodity JPY
  precision: 2
plugin "jlis_ledger.plugins.segments" "{'mode': 'auto', 'clearing': 'Liabilities:Clearing'}"
2022-04-01 custom "business" "B1-一般事業"
2022-04-01 custom "business" "B2-受託事業"
2022-04-01 open Assets:Cash:B1-一般事業
2022-04-01 open Liabilities:Clearing:B1-一般事業
2022-04-01 open Liabilities:Clearing:B2-受託事業
2022-04-01 open Expenses:Rent:B2-受託事業
2022-05-01 * "=HYPERLINK(\\"http://x\\")" #internal-not
  source: "+1 row"
  Expenses:Rent:B2-受託事業   1.50 JPY
    cf: "@SUM(A1)"
  Assets:Cash:B1-一般事業   -1.50 JPY
"""


def test_csv_cells_are_never_formulas_and_generated_legs_are_marked(tmp_path):
    ledger = tmp_path / "small.beancount"
    ledger.write_text(LEDGER, encoding="utf-8")
    out = tmp_path / "p.csv"
    result = jlis("export", "postings", str(ledger), "--format", "csv", "-o", str(out), "--no-cache")
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    rows = [line.split(",") for line in text.splitlines()[1:]]
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    assert "'=HYPERLINK" in text and "'+1 row" in text and "'@SUM(A1)" in text
    assert sorted(row[6] for row in rows) == ["-1.50", "-1.50", "1.50", "1.50"]  # the amount as typed, two legs added
    assert sum(1 for row in rows if row[10] == "segments") == 2
    parquet = tmp_path / "p.parquet"
    assert jlis("export", "postings", str(ledger), "-o", str(parquet), "--no-cache").returncode == 0
    table = pq.read_table(parquet)
    assert str(table.schema.field("amount").type) == "decimal128(38, 2)"
    assert table.column("narration")[0].as_py() == '=HYPERLINK("http://x")'  # Parquet keeps the text as it is


def test_a_ledger_with_errors_writes_nothing(tmp_path):
    ledger = tmp_path / "bad.beancount"
    ledger.write_text(LEDGER.replace("'mode': 'auto'", "'mode': 'strict'"), encoding="utf-8")
    out = tmp_path / "p.parquet"
    result = jlis("export", "postings", str(ledger), "-o", str(out), "--no-cache")
    assert result.returncode == 1
    assert f"{ledger}:11: " in result.stderr and "nothing exported" in result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [ledger]


def test_parquet_without_pyarrow_is_one_line_naming_the_extra(tmp_path):
    script = ("import sys; sys.modules['pyarrow'] = None\n"
              "from jlis_ledger.cli import main\n"
              f"sys.exit(main(['export', 'postings', '-o', {str(tmp_path / 'p.parquet')!r}]))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "jlis-ledger[analytics]" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "p.parquet").exists()


def test_parquet_needs_an_output_file():
    result = jlis("export", "postings")
    assert result.returncode == 1 and "--format parquet needs -o FILE" in result.stderr
