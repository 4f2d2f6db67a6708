"""The books' revision printed on every page: the git commit read from the repository's files, and the
SHA-256 of the files the ledger was read from."""

from __future__ import annotations

import textwrap

from jlis_ledger.render.stamp import content_hash, git_commit, revision

COMMIT = "0123456789abcdef0123456789abcdef01234567"
OTHER = "fedcba9876543210fedcba9876543210fedcba98"


def _ledger(folder):
    folder.mkdir(parents=True, exist_ok=True)
    main = folder / "main.beancount"
    main.write_text('include "more.beancount"\n', encoding="utf-8")
    (folder / "more.beancount").write_text("2024-01-01 open Assets:Cash\n", encoding="utf-8")
    return main, [main, folder / "more.beancount"]


def test_outside_a_repository_the_revision_is_the_content_hash(tmp_path):
    main, files = _ledger(tmp_path / "books")
    stamp = revision(main, files)
    assert stamp.startswith("sha256 ") and "git" not in stamp
    before = content_hash(files, main.parent)
    (tmp_path / "books" / "more.beancount").write_text("2024-01-01 open Assets:Bank\n", encoding="utf-8")
    assert content_hash(files, main.parent) != before
    moved, moved_files = _ledger(tmp_path / "elsewhere" / "books")
    (tmp_path / "elsewhere" / "books" / "more.beancount").write_text("2024-01-01 open Assets:Bank\n", encoding="utf-8")
    assert content_hash(moved_files, moved.parent) == content_hash(files, main.parent)  # the place does not count


def test_a_branch_a_packed_ref_and_a_detached_head(tmp_path):
    main, _files = _ledger(tmp_path / "repo" / "ledger")
    git = tmp_path / "repo" / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text(COMMIT + "\n")
    assert git_commit(main) == COMMIT
    (git / "refs" / "heads" / "main").unlink()
    (git / "packed-refs").write_text(f"# pack-refs with: peeled fully-peeled sorted\n{OTHER} refs/heads/main\n")
    assert git_commit(main) == OTHER
    (git / "HEAD").write_text(COMMIT + "\n")
    assert git_commit(main) == COMMIT
    assert revision(main, [main]).startswith(f"git {COMMIT[:12]} · sha256 ")


def test_a_linked_worktree_reads_its_branch_in_the_common_directory(tmp_path):
    common = tmp_path / "main" / ".git"
    (common / "refs" / "heads").mkdir(parents=True)
    (common / "refs" / "heads" / "topic").write_text(OTHER + "\n")
    linked = common / "worktrees" / "topic"
    linked.mkdir(parents=True)
    (linked / "HEAD").write_text("ref: refs/heads/topic\n")
    (linked / "commondir").write_text("../..\n")
    main, _files = _ledger(tmp_path / "topic")
    (tmp_path / "topic" / ".git").write_text(f"gitdir: {linked}\n")
    assert git_commit(main) == OTHER


def test_no_git_configuration_beside_a_ledger_is_executed(tmp_path):
    """git itself would run core.fsmonitor or a clean filter from the repository's config on `git status`;
    the revision is read from the files, so nothing runs."""
    main, files = _ledger(tmp_path / "repo")
    git = tmp_path / "repo" / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text(COMMIT + "\n")
    marker = tmp_path / "ran"
    (git / "config").write_text(textwrap.dedent(f"""\
        [core]
            fsmonitor = "touch {marker}"
        [filter "x"]
            clean = "touch {marker}"
        """))
    assert revision(main, files).startswith(f"git {COMMIT[:12]}")
    assert not marker.exists()


def test_an_unborn_branch_or_a_damaged_head_gives_no_commit(tmp_path):
    main, _files = _ledger(tmp_path / "repo")
    git = tmp_path / "repo" / ".git"
    git.mkdir()
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    assert git_commit(main) is None
    (git / "HEAD").write_text("not a commit\n")
    assert git_commit(main) is None
    assert revision(main, [main]).startswith("sha256 ")
