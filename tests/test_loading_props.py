"""Property: after any edit of any file of a ledger (a posting amount, a new include, a
deleted line, a plugin option), the cached load is a fresh load: it equals the plain load
of the edited books, and the cache was not used."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jlis_ledger import loading, synth

from test_loading import comparable, plain_load

BUSINESSES = synth.business_labels(3)
AMOUNT = re.compile(r"^(  \S+  )(-?\d+)( JPY)$")
PLUGIN_VARIANTS = [
    synth.PLUGIN_LINE,
    synth.PLUGIN_LINE.replace("'strict'", "'auto'"),
    synth.PLUGIN_LINE.replace("'internal_tag': 'internal'", "'internal_tag': 'naibu'"),
    synth.PLUGIN_LINE + '\nplugin "jlis_ledger.plugins.reserves"',
]


def write_books(directory: Path) -> list[Path]:
    """main.beancount (plugin lines) including two parts of a small synthetic ledger."""
    text = "".join(synth.ledger_lines(transactions=24, businesses=3, plugins=False, seed=5))
    middle = text.index("\n\n", len(text) // 2) + 2
    (directory / "part1.beancount").write_text(text[:middle], encoding="utf-8")
    (directory / "part2.beancount").write_text(text[middle:], encoding="utf-8")
    main = directory / "main.beancount"
    main.write_text(
        synth.PLUGIN_LINE + '\noption "operating_currency" "JPY"\ninclude "part1.beancount"\ninclude "part2.beancount"\n',
        encoding="utf-8",
    )
    return [main, directory / "part1.beancount", directory / "part2.beancount"]


def edit(draw, files: list[Path]) -> None:
    kind = draw(st.sampled_from(["amount", "include", "delete", "plugin"]))
    if kind == "plugin":
        main = files[0]
        text = main.read_text(encoding="utf-8")
        current = text.split('\noption "operating_currency"')[0]
        replacement = draw(st.sampled_from([v for v in PLUGIN_VARIANTS if v != current]))
        main.write_text(replacement + text[len(current):], encoding="utf-8")
        return
    target = draw(st.sampled_from(files))
    lines = target.read_text(encoding="utf-8").split("\n")
    if kind == "amount":
        candidates = [i for i, line in enumerate(lines) if AMOUNT.match(line)] or [None]
        index = draw(st.sampled_from(candidates))
        if index is None:
            kind = "delete"
        else:
            head, number, tail = AMOUNT.match(lines[index]).groups()
            delta = draw(st.integers(-5000, 5000).filter(bool))
            lines[index] = f"{head}{int(number) + delta}{tail}"
    if kind == "delete":
        index = draw(st.integers(0, len(lines) - 1))
        del lines[index]
    if kind == "include":
        business = draw(st.sampled_from(BUSINESSES))
        amount = draw(st.integers(1, 10_000))
        extra = target.parent / f"extra{len(list(target.parent.glob('extra*.beancount')))}.beancount"
        extra.write_text(
            f'2020-05-01 * "追加"\n  {synth.CASH}:{business}  {amount} JPY\n  {synth.FEES}:{business}  -{amount} JPY\n',
            encoding="utf-8",
        )
        lines.append(f'include "{extra.name}"')
        files.append(extra)
    target.write_text("\n".join(lines), encoding="utf-8")


def cache_files(cache_dir: Path) -> dict:
    """The load cache's files (not the stored parses of jlis_ledger.incremental) and their bytes."""
    return {p: p.read_bytes() for p in cache_dir.glob("*.pickle")}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_edit_of_any_included_file_invalidates_the_cache(data):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        books = root / "books"
        books.mkdir()
        files = write_books(books)
        main = files[0]
        cache_dir = root / "cache"
        included = loading.load_ledger(main, cache_dir=cache_dir)[2]["include"]  # primes the cache
        # The files as they were when the cache was last written (a re-check after an edit does not write it,
        # jlis_ledger.loading; an edit back to those bytes is then a correct hit).
        cached_from = {f: f.read_bytes() for f in files}
        cache_bytes = cache_files(cache_dir)
        for _ in range(data.draw(st.integers(1, 3), label="edits")):
            edit(data.draw, files)
            plain = plain_load(main)
            # An edit of a file that is not (or no longer) included changes nothing.
            relevant = [f for f in files if str(f) in set(included) | set(plain[2]["include"])]
            changed = any((f.read_bytes() if f.exists() else None) != cached_from.get(f) for f in relevant)
            fresh_calls = []
            original = loading._fresh
            loading._fresh = lambda filename, *store: fresh_calls.append(filename) or original(filename, *store)
            try:
                cached = loading.load_ledger(main, cache_dir=cache_dir)
            finally:
                loading._fresh = original
            assert comparable(cached) == comparable(plain)
            if changed:
                assert fresh_calls == [str(main)], "an edit must invalidate the cache"
            if cache_files(cache_dir) != cache_bytes:
                cached_from, cache_bytes = {f: f.read_bytes() for f in files if f.exists()}, cache_files(cache_dir)
            included = plain[2]["include"]
