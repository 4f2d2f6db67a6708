"""``jlis-ledger check`` remembered (jlis_ledger.memo): on unchanged books and code the same output and exit
status without a load; any change of what it depends on runs the command again."""

from __future__ import annotations

import pytest
from test_loading import cache_dir, synthetic  # noqa: F401  (a fixture)

from jlis_ledger import books as books_lib
from jlis_ledger import cli, loading


def check(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(["check", *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def no_load(monkeypatch):
    """Makes any load fail: a command that still answers did not load."""
    def refuse(*args, **kwargs):
        raise AssertionError("loaded")

    def arm() -> None:
        monkeypatch.setattr(books_lib, "load_ledger", refuse)

    return arm


def test_an_unchanged_ledger_gives_the_same_output_without_loading(tmp_path, cache_dir, capsys, no_load):  # noqa: F811
    path = synthetic(tmp_path / "books")
    first = check(capsys, str(path))
    assert first[0] == 0
    assert "合計" in first[1]
    no_load()
    assert check(capsys, str(path)) == first
    assert len(list((cache_dir / "memo").iterdir())) == 1


def test_errors_and_their_exit_status_are_remembered_too(tmp_path, cache_dir, capsys, no_load):  # noqa: F811
    path = synthetic(tmp_path / "books", error='\n2021-06-01 note Assets:Nowhere "x"\n')
    first = check(capsys, str(path))
    assert first[0] == 1
    assert "Assets:Nowhere" in first[1] + first[2]
    no_load()
    assert check(capsys, str(path)) == first


def counted_loads(monkeypatch) -> list:
    calls: list = []
    original = books_lib.load_ledger

    def load_ledger(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(books_lib, "load_ledger", load_ledger)
    return calls


def test_an_edit_a_new_argument_or_changed_code_runs_the_command_again(tmp_path, cache_dir, capsys, monkeypatch):  # noqa: F811
    path = synthetic(tmp_path / "books")
    calls = counted_loads(monkeypatch)
    first = check(capsys, str(path))
    with open(path, "a", encoding="utf-8") as out:
        out.write('\n2021-06-01 note Assets:Nowhere "x"\n')
    edited = check(capsys, str(path))
    assert edited != first
    assert "Assets:Nowhere" in edited[1] + edited[2]
    assert check(capsys, str(path), "--format", "csv")[1] != edited[1]
    loads = len(calls)
    check(capsys, str(path))
    assert len(calls) == loads  # remembered
    original = loading.code_digest
    monkeypatch.setattr(loading, "code_digest", lambda module, origin: "changed" if module == "jlis_ledger.cli"
                        else original(module, origin))
    assert check(capsys, str(path)) == edited
    assert len(calls) == loads + 1  # the command's code changed: loaded again


def test_no_cache_and_output_files_are_never_remembered(tmp_path, cache_dir, capsys):  # noqa: F811
    path = synthetic(tmp_path / "books")
    check(capsys, str(path), "--no-cache")
    check(capsys, str(path), "--format", "csv", "-o", str(tmp_path / "out.csv"))
    assert not (cache_dir / "memo").exists()
    (tmp_path / "out.csv").unlink()
    check(capsys, str(path), "--format", "csv", "-o", str(tmp_path / "out.csv"))
    assert (tmp_path / "out.csv").exists()  # written again


def test_a_damaged_memo_runs_the_command(tmp_path, cache_dir, capsys, monkeypatch):  # noqa: F811
    path = synthetic(tmp_path / "books")
    calls = counted_loads(monkeypatch)
    first = check(capsys, str(path))
    (written,) = (cache_dir / "memo").iterdir()
    written.write_bytes(written.read_bytes()[:-3])
    loads = len(calls)
    assert check(capsys, str(path)) == first
    assert len(calls) == loads + 1
    assert loading.loads is None  # nothing kept between commands
