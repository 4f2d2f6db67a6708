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


def _without_place(entries):
    """The entries printed without their metadata's filename and lineno, in an order that does not depend on them."""
    from beancount.parser import printer

    def strip(entry):
        meta = {k: v for k, v in (entry.meta or {}).items() if k not in ("filename", "lineno")}
        if isinstance(entry, data.Transaction):
            postings = [p._replace(meta={k: v for k, v in (p.meta or {}).items() if k not in ("filename", "lineno")})
                        for p in entry.postings]
            return entry._replace(meta=meta, postings=postings)
        return entry._replace(meta=meta)

    return sorted(printer.format_entry(strip(e)) for e in entries)


@pytest.mark.parametrize(("transactions", "files"), [(900, 12), (5, 12), (0, 3), (400, 2)])
def test_a_split_ledger_loads_to_the_same_entries_as_the_single_file(tmp_path, transactions, files):
    single, split = tmp_path / "one.beancount", tmp_path / "split" / "many.beancount"
    split.parent.mkdir()
    a = synth.write_ledger(single, transactions=transactions, seed=5, pool_share=0.1)
    b = synth.write_ledger(split, transactions=transactions, seed=5, pool_share=0.1, files=files)
    assert a == b
    parts = synth.part_names(split, files)
    assert [p.name for p in parts] == [f"many-{k:02d}.beancount" for k in range(1, files + 1)]
    assert sorted(split.parent.iterdir()) == sorted([split, *parts])  # no temporary file left
    main_text = split.read_text(encoding="utf-8")
    assert [line for line in main_text.splitlines() if line.startswith("include")] == [
        f'include "{p.name}"' for p in parts]
    one_entries, one_errors, _ = loader.load_file(str(single))
    many_entries, many_errors, options = loader.load_file(str(split))
    assert one_errors == [] and many_errors == []
    assert sorted(options["include"]) == sorted(str(p) for p in [split, *parts])
    assert _without_place(many_entries) == _without_place(one_entries)
    if transactions >= 900:  # every part holds transactions, in date order from one part to the next
        firsts = []
        for part in parts:
            dates = [
                line[:10] for line in part.read_text(encoding="utf-8").splitlines() if line[:2] == "20" and " * " in line]
            assert dates
            firsts.append(dates[0])
        assert firsts == sorted(firsts)


def test_synth_command_splits_beside_the_output(tmp_path):
    out = tmp_path / "l.beancount"
    assert cli.main(["synth", str(out), "--transactions", "300", "--files", "4"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["l-01.beancount", "l-02.beancount", "l-03.beancount",
                                                          "l-04.beancount", "l.beancount"]
    assert loader.load_file(str(out))[1] == []
    assert cli.main(["synth", str(tmp_path / "x.beancount"), "--files", "0"]) == 1
