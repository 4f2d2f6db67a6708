"""The synthetic ledgers: contract-conforming, clean under the segments plugin, deterministic."""

from __future__ import annotations

import datetime

import pytest
from beancount import loader
from beancount.core import data

from jlis_ledger import cli, synth


def load(path):
    entries, errors, options = loader.load_file(str(path))
    return entries, errors


def test_small_ledger_loads_without_errors_under_the_plugin(tmp_path):
    path = tmp_path / "s.beancount"
    stats = synth.write_ledger(path, transactions=600, businesses=5, cross_share=0.3, internal_share=0.1, seed=3)
    text = path.read_text(encoding="utf-8")
    assert text.startswith('plugin "jlis_ledger.plugins.segments" "{\'mode\': \'strict\'')
    assert 'custom "fava-option" "fiscal-year-end" "15-31"' in text
    entries, errors = load(path)
    assert errors == []
    transactions = [e for e in entries if isinstance(e, data.Transaction)]
    assert len(transactions) == stats.transactions
    typed = [p for t in transactions for p in t.postings if not (p.meta or {}).get("generated")]
    assert len(typed) == stats.postings
    # internal transactions are tagged and eliminated; cross-business ones carry typed clearing legs
    internal = [t for t in transactions if "internal" in t.tags]
    assert internal and all(any(p.account.endswith(":E-相殺等") for p in t.postings) for t in internal)
    assert any(p.account.startswith(synth.CLEARING) for t in transactions if "internal" not in t.tags for p in t.postings)
    # declarations: 4 businesses and a fund, the elimination column; every open has a label
    roles = [tuple(v.value for v in e.values) for e in entries if isinstance(e, data.Custom) and e.type == "business"]
    assert roles[-2:] == [("B5-支援基金事業", "fund"), ("E-相殺等", "elimination")]
    assert all("label" in e.meta for e in entries if isinstance(e, data.Open))
    # several fiscal years (April to March), with balance assertions at each year end
    years = {t.date.year if t.date.month >= 4 else t.date.year - 1 for t in transactions}
    assert years == {2019, 2020, 2021, 2022}
    balances = {e.date for e in entries if isinstance(e, data.Balance)}
    assert balances == {datetime.date(y, 4, 1) for y in (2020, 2021, 2022, 2023)}


def test_same_seed_same_bytes_other_seed_other_ledger(tmp_path):
    a, b, c = (tmp_path / f"{n}.beancount" for n in "abc")
    synth.write_ledger(a, transactions=300, seed=7)
    synth.write_ledger(b, transactions=300, seed=7)
    synth.write_ledger(c, transactions=300, seed=8)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    assert "".join(synth.ledger_lines(transactions=300, seed=7)) == a.read_text(encoding="utf-8")


def test_without_plugins_the_ledger_is_the_same_but_the_plugin_line(tmp_path):
    with_plugin, without = tmp_path / "p.beancount", tmp_path / "n.beancount"
    synth.write_ledger(with_plugin, transactions=200, seed=1)
    synth.write_ledger(without, transactions=200, seed=1, plugins=False)
    first, *rest = with_plugin.read_text(encoding="utf-8").splitlines(keepends=True)
    assert first == synth.PLUGIN_LINE + "\n"
    assert "".join(rest) == without.read_text(encoding="utf-8")
    entries, errors = load(without)
    assert errors == []
    assert not any((p.meta or {}).get("generated") for e in entries if isinstance(e, data.Transaction) for p in e.postings)


def test_one_business_and_no_cross_share(tmp_path):
    path = tmp_path / "one.beancount"
    synth.write_ledger(path, transactions=50, businesses=1, cross_share=0.5, internal_share=0.5)
    entries, errors = load(path)
    assert errors == []
    assert {e.account.rsplit(":", 1)[1] for e in entries if isinstance(e, data.Open)} == {"B1-一般事業", "E-相殺等"}


def test_cli_synth_writes_the_same_ledger(tmp_path):
    path = tmp_path / "cli.beancount"
    assert cli.main(["synth", str(path), "--transactions", "100", "--businesses", "3", "--seed", "5"]) == 0
    assert path.read_text(encoding="utf-8") == "".join(synth.ledger_lines(transactions=100, businesses=3, seed=5))


def test_the_reserve_activity_passes_the_reserves_plugin(tmp_path):
    pytest.importorskip("jlis_ledger.plugins.reserves")
    path = tmp_path / "r.beancount"
    synth.write_ledger(path, transactions=2000, seed=4)
    first, rest = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(f'{first}\nplugin "jlis_ledger.plugins.reserves"\n{rest}', encoding="utf-8")
    entries, errors = load(path)
    assert errors == []
    moves = [e for e in entries if isinstance(e, data.Transaction) and e.narration.startswith("事業積立金の")]
    assert {e.narration for e in moves} == {"事業積立金の繰入", "事業積立金の取崩"}


def test_a_pool_ledger_allocates_a_third_of_its_transactions_and_loads_clean(tmp_path):
    path = tmp_path / "pool.beancount"
    stats = synth.write_ledger(path, transactions=900, seed=2, pool_share=1 / 3)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(synth.ALLOCATIONS_LINE + "\n" + synth.PLUGIN_LINE)
    pooled = text.count(f":{synth.POOL}  ")  # typed pool postings (one per common cost)
    assert 0.25 * stats.transactions < pooled < 0.42 * stats.transactions
    entries, errors = load(path)
    assert errors == []
    transactions = [e for e in entries if isinstance(e, data.Transaction)]
    assert not any(p.account.endswith(":" + synth.POOL) for t in transactions for p in t.postings)
    allocated = [t for t in transactions if any((p.meta or {}).get("generated") == "allocations" for p in t.postings)]
    assert len(allocated) == pooled


def test_the_pool_is_off_by_default():
    lines = "".join(synth.ledger_lines(transactions=200, seed=2))
    assert synth.POOL not in lines and "allocation" not in lines


def test_the_presplit_form_holds_the_same_books_as_the_plugin_makes(tmp_path):
    """The allocations benchmark's baseline: common costs typed already split load to the same transactions."""
    pooled, presplit = tmp_path / "pooled.beancount", tmp_path / "presplit.beancount"
    synth.write_ledger(pooled, transactions=700, seed=4, pool_share=1 / 3)
    synth.write_ledger(presplit, transactions=700, seed=4, pool_share=1 / 3, pool_presplit=True)
    assert "allocations" not in presplit.read_text(encoding="utf-8").split("\n", 1)[0]
    a, errors_a = load(pooled)
    b, errors_b = load(presplit)
    assert errors_a == errors_b == []

    def books(entries):
        return [(e.date, e.narration, sorted((p.account, p.units) for p in e.postings))
                for e in entries if isinstance(e, data.Transaction)]

    assert books(a) == books(b)
    assert f":{synth.POOL}  " in pooled.read_text(encoding="utf-8") and f":{synth.POOL}  " not in presplit.read_text(encoding="utf-8")
