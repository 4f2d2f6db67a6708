"""Where the commands write: `-o DIR` is created when missing (or refused with the reason), `-o FILE` in a missing
folder is one precise line, `import archive` says that it moves files before it moves them, and a ledger that is
not there is one error for every command that takes one."""

from __future__ import annotations

import shutil
from pathlib import Path

from jlis_ledger.statements import STATEMENT_IDS
from test_cli import jlis

from jlis_ledger.statements import STATEMENT_IDS

REPO = Path(__file__).resolve().parent.parent


def test_statements_all_csv_creates_a_missing_directory(tmp_path):
    out = tmp_path / "new" / "statements"
    result = jlis("statements", "--all", "--year", "2022", "--format", "csv", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert f"{out}: created the output directory" in result.stderr
    assert len(list(out.glob("*.csv"))) == len(STATEMENT_IDS)


def test_statements_all_csv_into_a_file_is_refused(tmp_path):
    target = tmp_path / "a-file"
    target.write_text("keep", encoding="utf-8")
    result = jlis("statements", "--all", "--year", "2022", "--format", "csv", "-o", str(target))
    assert result.returncode == 1
    assert result.stderr == (f"jlis-ledger statements: {target}: is a file: --all --format csv writes one <id>.csv per statement "
                             "into a directory\n")
    assert target.read_text(encoding="utf-8") == "keep"


def test_an_output_file_in_a_missing_folder_names_the_folder(tmp_path):
    target = tmp_path / "missing" / "r4.csv"
    result = jlis("export", "yayoi", "--year", "2022", "-o", str(target))
    assert result.returncode == 1
    assert result.stderr.strip() == f"jlis-ledger export: {target}: cannot write the output: the directory {target.parent} does not exist"


def test_import_archive_says_it_moves_before_it_moves(tmp_path):
    copy = tmp_path / "freee-r5.csv"
    shutil.copy(REPO / "examples" / "import" / "freee-r5.csv", copy)
    dry = jlis("import", "archive", str(copy), "-o", str(tmp_path / "documents"), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stderr.startswith(f"would move 1 file(s) under {tmp_path / 'documents'} (--dry-run: nothing is moved)")
    assert copy.exists() and not (tmp_path / "documents").exists()
    moved = jlis("import", "archive", str(copy), "-o", str(tmp_path / "documents"))
    assert moved.returncode == 0, moved.stderr
    assert moved.stderr.startswith(f"moving 1 file(s) under {tmp_path / 'documents'}: they leave their folders")
    assert not copy.exists() and len(list((tmp_path / "documents").rglob("*freee-r5.csv"))) == 1


def test_a_missing_ledger_is_one_line_for_every_command(tmp_path):
    missing = tmp_path / "nowhere.beancount"
    for command in (["check"], ["sources"], ["reserves"], ["allocations"], ["statements", "--statement", "bs"], ["reconcile"],
                    ["serve"], ["export", "postings", "-o", str(tmp_path / "p.parquet")], ["export", "yayoi", "-o", str(tmp_path / "y.csv")]):
        position = 2 if command[0] == "export" else 1
        args = [*command[:position], str(missing), *command[position:]]
        result = jlis(*args)
        assert result.returncode == 1, args
        assert result.stderr.endswith(f"{missing}: does not exist\n") and result.stderr.count("\n") == 1, (args, result.stderr)
    assert list(tmp_path.iterdir()) == []
