"""Beancount queries that know businesses (jlis_ledger.bql): `bean-query` and Fava's query page group by
business(account), and read basis and generated — each through a real process that loads the ledger the way the
tool does (the plugin line registers the functions), compared with the published 事業別損益計算書."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import urllib.parse
from decimal import Decimal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LEDGER = REPO / "ledger" / "main.beancount"
BIN = Path(sys.executable).parent
FY2022 = "date >= 2022-04-01 AND date < 2023-04-01"


def bean_query(ledger: Path, statement: str, *, env: dict[str, str] | None = None) -> list[dict[str, str]]:
    """Rows of ``bean-query -f csv LEDGER STATEMENT`` run as its own process."""
    environment = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1", **(env or {})}
    result = subprocess.run([str(BIN / "bean-query"), "-f", "csv", str(ledger), statement], capture_output=True, text=True,
                            cwd=ledger.parent, env=environment, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def published_row(published, label: str) -> dict[str, int]:
    table = published["tables"]["segment-pl"]
    values = next(r["values"] for r in table["rows"] if r["label"] == label)
    return dict(zip(table["columns"], values, strict=True))


def test_bean_query_groups_the_income_statement_by_business(published):
    """営業収益合計 and 当期純利益 of every business and of 相殺等, by the published names."""
    revenue = bean_query(LEDGER, "SELECT business_name(account) AS name, business(account) AS business, -sum(number) AS amount "
                                 f"WHERE account ~ '^Income:1-' AND {FY2022} GROUP BY name, business ORDER BY business")
    expected = published_row(published, "営業収益合計")
    assert {r["name"].strip(): int(Decimal(r["amount"])) for r in revenue} == {k: v for k, v in expected.items() if k != "合計"}
    assert revenue[0]["business"].strip() == "B1-一般事業"
    net = bean_query(LEDGER, "SELECT business_name(account) AS name, -sum(number) AS amount "
                             f"WHERE (account ~ '^Income:' OR account ~ '^Expenses:') AND {FY2022} GROUP BY name")
    expected = published_row(published, "当期純利益")
    assert {r["name"].strip(): int(Decimal(r["amount"])) for r in net} == {k: v for k, v in expected.items() if k != "合計"}


def test_item_is_the_account_without_its_business(published):
    rows = bean_query(LEDGER, "SELECT item(account) AS item, sum(number) AS amount "
                              f"WHERE account ~ '^Expenses:1-' AND {FY2022} GROUP BY item ORDER BY item")
    by_label: dict[str, int] = {}  # by line (the natures of 事業費 and 一般管理費 are details below it)
    for r in rows:
        line = r["item"].strip().split(":")[2].split("-", 1)[-1]
        by_label[line] = by_label.get(line, 0) + int(Decimal(r["amount"]))
    assert any(r["item"].strip().endswith(":1-委託費") for r in rows)
    assert by_label["事業費"] == published_row(published, "事業費")["合計"]
    assert by_label["一般管理費"] == published_row(published, "一般管理費")["合計"]
    assert all(":" in r["item"] and not r["item"].strip().endswith("事業") for r in rows)


def test_basis_and_generated_columns(books):
    """``generated`` names what each plugin added and ``basis`` the estimates, the posting's own mark first."""
    rows = bean_query(LEDGER, "SELECT generated, basis, count(*) AS n FROM postings GROUP BY generated, basis")
    counts = {(r["generated"].strip() or None, r["basis"].strip() or None): int(r["n"]) for r in rows}
    expected: dict[tuple, int] = {}
    for entry in books.transactions():
        for posting in entry.postings:
            meta = {**entry.meta, **(posting.meta or {})}
            key = (meta.get("generated"), meta.get("basis"))
            expected[key] = expected.get(key, 0) + 1
    assert counts == expected
    assert {g for g, _ in counts} == {None, "segments", "allocations"}
    keys = bean_query(LEDGER, "SELECT subject, basis FROM entries WHERE kind = 'allocation-key' ORDER BY subject")
    assert [(r["subject"].strip(), r["basis"].strip()) for r in keys] == [("保証金残高比", "derived"), ("資産除去債務残高比", "derived")]


def test_sources_is_the_query_bean_query_runs(books):
    """`jlis-ledger sources` and the query its docstring gives to bean-query list the same directives."""
    from jlis_ledger import sources

    rows = bean_query(LEDGER, "SELECT filename, lineno, kind, subject FROM entries "
                              "WHERE basis IN ('derived', 'allocated') AND generated IS NULL")
    listed = {(f.filename, f.lineno) for f in sources.derived_figures(books) if f.kind != "posting"}
    assert {(r["filename"].strip(), int(r["lineno"])) for r in rows} == listed
    assert len(listed) == sum(1 for e in books.entries if (e.meta or {}).get("basis") in ("derived", "allocated"))


TINY = """\
plugin "jlis_ledger.plugins.bql"
2022-04-01 open Assets:Cash:B1-一般事業
2022-04-01 open Income:Sales:B1-一般事業
2022-04-01 open Income:Sales:B2-本人確認情報処理事業
2022-05-01 * "売上"
  Assets:Cash:B1-一般事業    300 JPY
  Income:Sales:B1-一般事業  -100 JPY
  Income:Sales:B2-本人確認情報処理事業  -200 JPY
"""


def test_the_plugin_alone_brings_the_functions_to_a_ledger(tmp_path):
    """A ledger without any other jlis_ledger plugin or the Fava extension: the plugin line is enough (and without
    it, bean-query has no such function)."""
    ledger = tmp_path / "tiny.beancount"
    ledger.write_text(TINY, encoding="utf-8")
    statement = "SELECT business(account) AS b, sum(number) AS n WHERE account ~ '^Income' GROUP BY b ORDER BY b"
    rows = bean_query(ledger, statement)
    assert [(r["b"].strip(), int(Decimal(r["n"]))) for r in rows] == [("B1-一般事業", -100), ("B2-本人確認情報処理事業", -200)]
    plain = tmp_path / "plain.beancount"
    plain.write_text(TINY.split("\n", 1)[1], encoding="utf-8")
    result = subprocess.run([str(BIN / "bean-query"), str(plain), statement], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"})
    assert 'no function matches "business(str)"' in result.stdout + result.stderr


@pytest.mark.slow
def test_a_load_from_beancounts_pickle_cache_registers_them_too(tmp_path):
    """Beancount's loader pickles a load that took over a second and answers the next one from the pickle, running
    no plugin: the marker the plugin leaves in the options imports jlis_ledger.bql as it is unpickled."""
    from jlis_ledger.testing import synth

    ledger = tmp_path / "big.beancount"
    synth.write_ledger(ledger, transactions=20_000, businesses=4, cross_share=0.2, internal_share=0.05, pool_share=0.0, seed=1)
    ledger.write_text('plugin "jlis_ledger.plugins.bql"\n' + ledger.read_text(encoding="utf-8"), encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k != "BEANCOUNT_DISABLE_LOAD_CACHE"}  # Beancount's cache on

    def run() -> str:
        result = subprocess.run([str(BIN / "bean-query"), "-f", "csv", str(ledger), "SELECT business(account) AS b, "
                                 "count(*) AS n GROUP BY b ORDER BY b"], capture_output=True, text=True, env=environment, timeout=600)
        assert result.returncode == 0, result.stderr
        return result.stdout

    first = run()
    cache = tmp_path / ".big.beancount.picklecache"
    assert cache.exists(), "the load was under Beancount's 1 s threshold: make the ledger larger"
    stamp = cache.stat().st_mtime_ns
    second = run()
    assert cache.stat().st_mtime_ns == stamp  # answered from the pickle, not reloaded
    assert second == first
    assert len(first.splitlines()) == 1 + 4 + 1  # the header, four businesses and 相殺等


FAVA_QUERY = """\
import json, sys
from fava.application import create_app
app = create_app([sys.argv[1]], read_only=True)
client = app.test_client()
slug = client.get("/").headers["Location"].split("/")[1]
response = client.get(f"/{slug}/api/query", query_string={"query_string": sys.argv[2]})
print(response.status_code)
print(json.dumps(response.get_json()))
"""


def fava_query(ledger: Path, statement: str) -> list:
    """Rows of Fava's query API (the query page), in a process of its own that only Fava loads the ledger in."""
    result = subprocess.run([sys.executable, "-c", FAVA_QUERY, str(ledger), statement], capture_output=True, text=True,
                            env={**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}, timeout=600)
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-2:]
    assert status == "200", body
    return json.loads(body)["data"]["rows"]


def test_favas_query_page_groups_by_business(tmp_path, published):
    ledger = tmp_path / "tiny.beancount"
    ledger.write_text(TINY, encoding="utf-8")
    assert fava_query(ledger, "SELECT business(account) AS b, sum(number) AS n WHERE account ~ '^Income' GROUP BY b ORDER BY b") == [
        ["B1-一般事業", -100], ["B2-本人確認情報処理事業", -200]]
    rows = fava_query(LEDGER, "SELECT business_name(account) AS name, -sum(number) AS amount "
                              f"WHERE account ~ '^Income:1-' AND {FY2022} GROUP BY name")
    expected = published_row(published, "営業収益合計")
    assert {name: int(amount) for name, amount in rows} == {k: v for k, v in expected.items() if k != "合計"}


def test_jlis_ledger_serve_answers_the_query_page_with_re2_kept():
    """Through the real server: GROUP BY business(account) works, and the patterns are still RE2's (a
    look-ahead, which Python's re reads and RE2 does not, is refused with its reason)."""
    from test_serve import fetch, running

    with running() as (_, ledger_url):
        path = "/api/query?" + urllib.parse.urlencode({"query_string": "SELECT business(account) AS b, count(*) AS n "
                                                                         "WHERE account ~ 'B[0-9]-' GROUP BY b ORDER BY b"})
        status, _, body = fetch(ledger_url + path)
        assert status == 200, body
        rows = json.loads(body)["data"]["rows"]
        assert [r[0] for r in rows] == [f"B{i}-{name}" for i, name in enumerate(
            ["一般事業", "本人確認情報処理事業", "公的個人認証サービス事業", "個人番号カード発行等事業", "中間サーバー共同化集約化等事業",
             "総合行政ネットワーク運営事業", "本人確認情報処理事業関連事業", "デジタル基盤改革支援基金事業"], start=1)]
        path = "/api/query?" + urllib.parse.urlencode({"query_string": "SELECT business(account) WHERE account ~ '(?=B1)B'"})
        status, _, body = fetch(ledger_url + path)
        assert status == 400, body


def test_serve_adapts_beanquery_with_the_functions_and_the_linear_matcher():
    import beanquery.query_compile
    import beanquery.query_env

    from jlis_ledger import serve
    from jlis_ledger.fava import guard

    serve.adapt_fava()
    assert beanquery.query_env.re is guard.linear_re and beanquery.query_compile.re is guard.linear_re
    assert all(name in beanquery.query_compile.FUNCTIONS for name in ("business", "item", "business_name"))
