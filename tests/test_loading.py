"""jlis_ledger.loading: a cached load is exactly a plain load, the cache is never stale,
a broken cache file is a silent fresh load, --no-cache touches nothing, the collector
is restored, and Fava's loads go through the same function."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
from beancount import loader

from jlis_ledger import books as books_lib
from jlis_ledger import cli, loading, synth

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "ledger" / "main.beancount"


def plain_load(path) -> tuple:
    """Beancount's public loader with its own pickle cache switched off for this call only."""
    saved = loader._load_file
    loader._load_file = loader._uncached_load_file
    try:
        return loader.load_file(str(path))
    finally:
        loader._load_file = saved


def comparable(result) -> tuple:
    """A load result in a form that compares by value (the display context has no ``==``)."""
    entries, errors, options = result
    options = {key: (str(value) if key == "dcontext" else value) for key, value in options.items()}
    errors = [
        (type(e).__name__, (e.source or {}).get("filename"), (e.source or {}).get("lineno"), e.message, e.entry)
        for e in errors
    ]
    return entries, errors, options


class FreshLoads:
    """Counts the loads that really parse (the cache misses)."""

    def __init__(self, monkeypatch) -> None:
        self.count = 0
        original = loading._fresh

        def counted(filename, *store):
            self.count += 1
            return original(filename, *store)

        monkeypatch.setattr(loading, "_fresh", counted)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv(loading.CACHE_DIR_ENV, str(directory))
    return directory


def synthetic(directory: Path, *, transactions: int = 60, seed: int = 0, error: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "main.beancount"
    synth.write_ledger(path, transactions=transactions, businesses=4, seed=seed)
    if error is not None:
        with open(path, "a", encoding="utf-8") as out:
            out.write(error)
    return path


B1 = synth.business_labels(4)[0]
B2 = synth.business_labels(4)[1]
ERRORS = {
    "unbalanced business": (
        f'2020-06-01 * "片側だけの付替"\n  {synth.RENT}:{B1}  1000 JPY\n  {synth.CASH}:{B2}  -1000 JPY\n\n'
    ),
    "unknown account": f'2020-06-02 * "未開設"\n  Expenses:9-謎:{B1}  5 JPY\n  {synth.CASH}:{B1}  -5 JPY\n\n',
    "syntax error": "2020-06-03 * \"壊れた行\n  this is not beancount\n\n",
    "failing balance": f"2021-01-01 balance {synth.CASH}:{B1} 1 JPY\n",
    "transaction that does not balance": f'2020-06-04 * "不一致"\n  {synth.RENT}:{B1}  7 JPY\n  {synth.CASH}:{B1}  -6 JPY\n\n',
}


# -- same result ------------------------------------------------------------------------


def test_the_bundled_books_cached_and_fresh_are_the_plain_load(cache_dir, monkeypatch):
    plain = comparable(plain_load(BUNDLED))
    loads = FreshLoads(monkeypatch)
    assert comparable(loading.load_ledger(BUNDLED, cache=False)) == plain
    assert comparable(loading.load_ledger(BUNDLED)) == plain  # a miss: loads and writes
    assert loads.count == 2
    assert len(list(cache_dir.glob("*.pickle"))) == 1
    hit = loading.load_ledger(BUNDLED)
    assert loads.count == 2  # served from the cache
    assert comparable(hit) == plain
    assert plain[0] and plain[1] == []  # the books load, without errors


@pytest.mark.parametrize("kind", sorted(ERRORS))
def test_synthetic_ledgers_with_an_error_give_the_same_errors_from_the_cache(tmp_path, cache_dir, monkeypatch, kind):
    path = synthetic(tmp_path / "books", error=ERRORS[kind])
    plain = comparable(plain_load(path))
    assert plain[1], "the injected error must be reported"
    loads = FreshLoads(monkeypatch)
    loading.load_ledger(path)
    hit = loading.load_ledger(path)
    assert loads.count == 1
    assert comparable(hit) == plain
    assert [e.message for e in hit[1]] == [e[3] for e in plain[1]]


def test_books_load_goes_through_the_cache_unless_told_not_to(tmp_path, cache_dir, monkeypatch):
    path = synthetic(tmp_path / "books")
    loads = FreshLoads(monkeypatch)
    books_lib.load(path)
    books_lib.load(path)
    assert loads.count == 1
    books_lib.load(path, cache=False)
    assert loads.count == 2


# -- invalidation (see also test_loading_props.py) --------------------------------------


def test_a_file_newly_matched_by_an_include_glob_invalidates(tmp_path, cache_dir, monkeypatch):
    books = tmp_path / "books"
    (books / "parts").mkdir(parents=True)
    (books / "main.beancount").write_text(
        'option "operating_currency" "JPY"\n2020-01-01 open Assets:Cash JPY\n2020-01-01 open Income:Fees JPY\n'
        'include "parts/*.beancount"\n',
        encoding="utf-8",
    )
    (books / "parts" / "a.beancount").write_text('2020-02-01 * "a"\n  Assets:Cash  1 JPY\n  Income:Fees\n', encoding="utf-8")
    loads = FreshLoads(monkeypatch)
    first = loading.load_ledger(books / "main.beancount")
    assert loading.load_ledger(books / "main.beancount")[0] == first[0] and loads.count == 1
    (books / "parts" / "b.beancount").write_text('2020-03-01 * "b"\n  Assets:Cash  2 JPY\n  Income:Fees\n', encoding="utf-8")
    after = loading.load_ledger(books / "main.beancount")
    assert loads.count == 2
    assert comparable(after) == comparable(plain_load(books / "main.beancount"))
    assert len(after[0]) == len(first[0]) + 1


def test_an_included_file_that_appears_invalidates(tmp_path, cache_dir, monkeypatch):
    books = tmp_path / "books"
    books.mkdir()
    (books / "main.beancount").write_text(
        '2020-01-01 open Assets:Cash JPY\n2020-01-01 open Income:Fees JPY\ninclude "later.beancount"\n', encoding="utf-8"
    )
    loads = FreshLoads(monkeypatch)
    missing = loading.load_ledger(books / "main.beancount")
    assert any("later.beancount" in e.message for e in missing[1])
    (books / "later.beancount").write_text('2020-02-01 * "x"\n  Assets:Cash  1 JPY\n  Income:Fees\n', encoding="utf-8")
    found = loading.load_ledger(books / "main.beancount")
    assert loads.count == 2
    assert comparable(found) == comparable(plain_load(books / "main.beancount"))
    assert found[1] == []


def test_a_change_to_a_plugins_code_invalidates(tmp_path, cache_dir, monkeypatch):
    code = tmp_path / "code"
    code.mkdir()
    (code / "wt9_demo_plugin.py").write_text("__plugins__ = ('run',)\ndef run(entries, options_map):\n    return entries, []\n")
    monkeypatch.syspath_prepend(str(code))
    path = tmp_path / "main.beancount"
    path.write_text('plugin "wt9_demo_plugin"\n2020-01-01 open Assets:Cash JPY\n', encoding="utf-8")
    loads = FreshLoads(monkeypatch)
    loading.load_ledger(path)
    loading.load_ledger(path)
    assert loads.count == 1
    (code / "wt9_demo_plugin.py").write_text("__plugins__ = ('run',)\ndef run(entries, options_map):\n    return entries, []  # v2\n")
    loading.load_ledger(path)
    assert loads.count == 2


def test_an_edit_to_a_module_a_plugin_imports_from_another_package_invalidates(tmp_path, cache_dir, monkeypatch):
    """Issue 13: the key is the code the plugin runs, not only its own package (here wt13_rules, imported inside the
    plugin's function, and wt13_helpers.text, imported by wt13_rules)."""
    code = tmp_path / "code"
    (code / "wt13_plugin").mkdir(parents=True)
    (code / "wt13_helpers").mkdir()
    (code / "wt13_plugin" / "__init__.py").write_text(
        "__plugins__ = ('run',)\ndef run(entries, options_map):\n    from wt13_rules import rule\n    return rule(entries), []\n")
    (code / "wt13_rules.py").write_text("from wt13_helpers import (\n    text,  # the helper\n)\ndef rule(entries):\n    return entries\n")
    (code / "wt13_helpers" / "__init__.py").write_text("")
    (code / "wt13_helpers" / "text.py").write_text("VERSION = 1\n")
    monkeypatch.syspath_prepend(str(code))
    path = tmp_path / "main.beancount"
    path.write_text('plugin "wt13_plugin"\n2020-01-01 open Assets:Cash JPY\n', encoding="utf-8")
    loads = FreshLoads(monkeypatch)
    loading.load_ledger(path)
    loading.load_ledger(path)
    assert loads.count == 1
    for edited, text in ((code / "wt13_rules.py", None), (code / "wt13_helpers" / "text.py", "VERSION = 2\n")):
        edited.write_text(text if text is not None else edited.read_text() + "# v2\n")
        loading.load_ledger(path)
        loading.load_ledger(path)
        assert loads.count == 2 + (edited.name == "text.py"), edited  # one fresh load per edit, then hits


def test_a_module_a_plugin_imports_by_a_computed_name_invalidates(tmp_path, cache_dir, monkeypatch):
    code = tmp_path / "code"
    code.mkdir()
    (code / "wt13_dynamic_plugin.py").write_text(
        "import importlib\n__plugins__ = ('run',)\n"
        "def run(entries, options_map):\n    importlib.import_module('wt13_' + 'computed')\n    return entries, []\n")
    (code / "wt13_computed.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(code))
    path = tmp_path / "main.beancount"
    path.write_text('plugin "wt13_dynamic_plugin"\n2020-01-01 open Assets:Cash JPY\n', encoding="utf-8")
    loads = FreshLoads(monkeypatch)
    loading.load_ledger(path)
    loading.load_ledger(path)
    assert loads.count == 1
    (code / "wt13_computed.py").write_text("VALUE = 2\n")
    loading.load_ledger(path)
    assert loads.count == 2


def test_the_key_holds_the_code_of_the_bundled_plugins_and_no_other():
    from jlis_ledger import imports

    code = imports.closure(["jlis_ledger.plugins.segments", "jlis_ledger.plugins.reserves", "jlis_ledger.plugins.allocations"], [])
    assert {"jlis_ledger.plugins.segments", "jlis_ledger.segments.rule", "jlis_ledger.core.periods", "dateutil.relativedelta"} <= set(code)
    assert all(origin is None or Path(origin).is_file() for origin in code.values())
    assert not any(name.startswith(("jlis_ledger.fava", "beancount", "re.", "os")) for name in code)  # Fava, Beancount, stdlib


def test_a_document_under_a_symlinked_folder_invalidates(tmp_path, cache_dir, monkeypatch):
    """Issue 13: Beancount's documents plugin follows links to folders; so does the key."""
    books = tmp_path / "books"
    (books / "docs" / "Assets").mkdir(parents=True)
    elsewhere = tmp_path / "scans" / "Cash"
    elsewhere.mkdir(parents=True)
    (books / "docs" / "Assets" / "Cash").symlink_to(elsewhere, target_is_directory=True)
    path = books / "main.beancount"
    path.write_text('option "documents" "docs"\n2020-01-01 open Assets:Cash JPY\n', encoding="utf-8")
    loads = FreshLoads(monkeypatch)
    loading.load_ledger(path)
    assert loading.load_ledger(path)[0] == plain_load(path)[0] and loads.count == 1
    (elsewhere / "2020-05-01.receipt.pdf").write_bytes(b"%PDF")
    after = loading.load_ledger(path)
    assert loads.count == 2
    assert comparable(after) == comparable(plain_load(path))
    assert any(type(e).__name__ == "Document" for e in after[0])


def test_a_new_document_file_invalidates(tmp_path, cache_dir, monkeypatch):
    books = tmp_path / "books"
    (books / "docs" / "Assets" / "Cash").mkdir(parents=True)
    path = books / "main.beancount"
    path.write_text('option "documents" "docs"\n2020-01-01 open Assets:Cash JPY\n', encoding="utf-8")
    loads = FreshLoads(monkeypatch)
    assert loading.load_ledger(path)[0] == loading.load_ledger(path)[0] and loads.count == 1
    (books / "docs" / "Assets" / "Cash" / "2020-05-01.receipt.pdf").write_bytes(b"%PDF")
    after = loading.load_ledger(path)
    assert loads.count == 2
    assert comparable(after) == comparable(plain_load(path))
    assert any(type(e).__name__ == "Document" for e in after[0])


def test_another_interpreter_or_version_does_not_use_the_cache(tmp_path, cache_dir, monkeypatch):
    path = synthetic(tmp_path / "books")
    loads = FreshLoads(monkeypatch)
    loading.load_ledger(path)
    monkeypatch.setattr("jlis_ledger.__version__", "0.0.0-other")
    loading.load_ledger(path)
    assert loads.count == 2


# -- broken cache files -------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["truncated", "flipped byte", "changed digit", "garbage", "empty", "header only"])
def test_a_damaged_cache_file_is_a_silent_fresh_load(tmp_path, cache_dir, monkeypatch, capsys, caplog, damage):
    path = synthetic(tmp_path / "books")
    plain = comparable(plain_load(path))
    loading.load_ledger(path)
    (cached,) = cache_dir.glob("*.pickle")
    content = cached.read_bytes()
    if damage == "truncated":
        cached.write_bytes(content[: len(content) * 2 // 3])
    elif damage == "flipped byte":
        middle = len(content) * 3 // 4
        cached.write_bytes(content[:middle] + bytes([content[middle] ^ 0x01]) + content[middle + 1 :])
    elif damage == "changed digit":  # still a valid pickle, with another amount: only the digest tells
        at = content.rfind(b"000")
        assert at > len(content) // 2
        cached.write_bytes(content[:at] + b"1" + content[at + 1 :])
    elif damage == "garbage":
        cached.write_bytes(os.urandom(len(content)))
    elif damage == "empty":
        cached.write_bytes(b"")
    else:
        cached.write_bytes(content[:200])
    capsys.readouterr()
    loads = FreshLoads(monkeypatch)
    result = loading.load_ledger(path)
    assert loads.count == 1
    assert comparable(result) == plain
    out = capsys.readouterr()
    assert out.out == "" and out.err == "" and caplog.records == []
    assert cached.read_bytes() != content[:200] and loading.load_ledger(path) is not None
    assert loads.count == 1  # the fresh load rewrote a good cache file


def test_an_unwritable_cache_directory_is_a_fresh_load(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be")
    path = synthetic(tmp_path / "books")
    result = loading.load_ledger(path, cache_dir=blocker / "cache")
    assert comparable(result) == comparable(plain_load(path))
    assert blocker.read_text() == "a file where the cache directory should be"


# -- nothing of the user's is touched -------------------------------------------------


def snapshot(directory: Path) -> dict:
    return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(directory.rglob("*")) if p.is_file()}


def test_no_cache_leaves_the_cache_directory_untouched_and_deletes_nothing(tmp_path, cache_dir, capsys):
    books = tmp_path / "books"
    path = synthetic(books)
    beancounts_cache = books / ".main.beancount.picklecache"  # Beancount deletes this when its cache is off
    beancounts_cache.write_bytes(b"the user's file")
    assert cli.main(["check", str(path), "--no-cache"]) == 0
    assert not cache_dir.exists()
    assert cli.main(["check", str(path)]) == 0
    cache_before, books_before = snapshot(cache_dir), snapshot(books)
    # the load cache, the stored parse of the one file (jlis_ledger.incremental), the memo of check (jlis_ledger.memo)
    assert sorted({p.parent for p in cache_before}) == [cache_dir, cache_dir / "memo", cache_dir / "parse"]
    for command in (["check", str(path)], ["check", str(path), "--no-cache"], ["reserves", str(path), "--no-cache"]):
        assert cli.main(command) == 0
    assert snapshot(cache_dir) == cache_before
    assert snapshot(books) == books_before  # the ledger's folder: nothing written, nothing deleted
    assert beancounts_cache.read_bytes() == b"the user's file"
    capsys.readouterr()


def test_every_command_that_takes_a_ledger_has_no_cache():
    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0].choices
    with_ledger = [name for name, sub in commands.items() if any(a.dest == "ledger" for a in sub._actions)]
    assert {"check", "reserves", "serve"} <= set(with_ledger)
    for name in with_ledger:
        option = next((a for a in commands[name]._actions if "--no-cache" in a.option_strings), None)
        assert option is not None, name
        assert (option.dest, option.default, option.const) == ("no_cache", False, True), name
    assert commands["check"].parse_args(["--no-cache"]).no_cache is True
    assert commands["check"].parse_args([]).no_cache is False


# -- the collector -------------------------------------------------------------------------


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_restored_after_a_load_and_after_a_failing_one(tmp_path, cache_dir, monkeypatch, enabled):
    path = synthetic(tmp_path / "books", transactions=10)
    seen = []
    original = loading._fresh

    def watched(filename, *store):
        seen.append(gc.isenabled())
        return original(filename, *store)

    monkeypatch.setattr(loading, "_fresh", watched)
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        loading.load_ledger(path, cache=False)
        assert gc.isenabled() is enabled
        assert seen == [False]

        def failing(filename):
            raise RuntimeError("boom")

        monkeypatch.setattr(loading, "_fresh", failing)
        with pytest.raises(RuntimeError):
            loading.load_ledger(path, cache=False)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
        gc.unfreeze()


# -- Fava ---------------------------------------------------------------------------------


def test_favas_loads_and_reloads_go_through_the_loading_function(tmp_path, cache_dir, monkeypatch):
    import fava.core

    from jlis_ledger import serve

    monkeypatch.setattr(fava.core, "load_uncached", fava.core.load_uncached)  # undone after the test
    serve.route_fava_loads(cache=True)
    books = tmp_path / "books"
    path = synthetic(books, transactions=30)
    loads = FreshLoads(monkeypatch)
    ledger = fava.core.FavaLedger(str(path))
    assert loads.count == 1 and len(list(cache_dir.glob("*.pickle"))) == 1
    assert comparable((ledger.all_entries, ledger.load_errors, ledger.options)) == comparable(plain_load(path))
    with open(path, "a", encoding="utf-8") as out:
        out.write(ERRORS["transaction that does not balance"])
    ledger.load_file()  # what Fava does when a file changes
    assert loads.count == 2
    assert comparable((ledger.all_entries, ledger.load_errors, ledger.options)) == comparable(plain_load(path))
    assert ledger.load_errors
    ledger.load_file()
    assert loads.count == 2  # unchanged files: from the cache


def test_an_include_line_that_beancount_does_not_read_means_no_cache(tmp_path, cache_dir, monkeypatch):
    """A line that starts inside a string (here an unterminated one: Beancount reports an invalid
    token) looks like an include to the key's reader but not to Beancount: the two lists of
    files differ, so nothing is cached (never a wrong key)."""
    books = tmp_path / "books"
    books.mkdir()
    (books / "other.beancount").write_text('2020-01-01 open Assets:Other JPY\n', encoding="utf-8")
    path = books / "main.beancount"
    path.write_text(
        '2020-01-01 open Assets:Cash JPY\n2020-01-01 note Assets:Cash "a note\ninclude "other.beancount"\n',
        encoding="utf-8",
    )
    plain = comparable(plain_load(path))
    assert str(books / "other.beancount") not in plain[2]["include"]
    assert plain[1]  # the invalid token
    loads = FreshLoads(monkeypatch)
    assert comparable(loading.load_ledger(path)) == plain
    assert comparable(loading.load_ledger(path)) == plain
    assert loads.count == 2
    assert not list(cache_dir.glob("*.pickle"))  # no load cache (only the files' stored parses, keyed on their bytes)
