"""What a printed output says about itself, on every page: a :class:`Stamp`.

A workbook's page header and footer and a PDF's page footer carry the entity, the statement,
the fiscal year, the page (x / y), the preparation date, the books' revision and the reconcile
result, so that a printed page can be traced to the books it came from.

The revision is the git commit of the repository holding the ledger (read from the ``.git``
files: no git command runs, so no configuration found beside a ledger is executed) and,
always, the SHA-256 of the files the ledger was read from (the commit says nothing of
uncommitted changes; the content hash names exactly what was read)::

    git 1a2b3c4d5e6f · sha256 9f86d081884c
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jlis_ledger.core.periods import japanese_date

_HASH = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
SHORT = 12


@dataclass(frozen=True)
class Stamp:
    """The facts printed on every page of a workbook or PDF (each optional)."""

    entity: str | None = None
    year: str | None = None  # the fiscal year's 和暦 name (令和4年度)
    prepared: datetime.date | None = None
    revision: str | None = None  # see :func:`revision`
    reconcile: str | None = None  # e.g. 照合 r4-kessan.json 1,247件 差異0件

    def facts(self) -> list[str]:
        """作成日, 版 and 照合, as printed in a footer."""
        out = []
        if self.prepared is not None:
            out.append(f"作成 {japanese_date(self.prepared)}")
        if self.revision:
            out.append(f"版 {self.revision}")
        if self.reconcile:
            out.append(self.reconcile)
        return out


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _resolve(gitdir: Path, ref: str) -> str | None:
    common = gitdir
    pointer = _read(gitdir / "commondir")  # a linked worktree keeps its branches in the common directory
    if pointer:
        common = (gitdir / pointer).resolve()
    for base in (gitdir, common):
        value = _read(base / ref)
        if value is not None:
            return value if _HASH.match(value) else None
    for line in (_read(common / "packed-refs") or "").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1] == ref:
            return parts[0] if _HASH.match(parts[0]) else None
    return None  # a branch with no commit yet


def git_commit(path: Path) -> str | None:
    """The commit checked out in the git repository (or worktree) holding ``path``, read from its files; None outside one."""
    for folder in [path.parent, *path.parent.parents]:
        dot = folder / ".git"
        if dot.is_dir():
            gitdir = dot
        elif dot.is_file():
            pointer = _read(dot) or ""
            if not pointer.startswith("gitdir:"):
                return None
            gitdir = (folder / pointer.removeprefix("gitdir:").strip()).resolve()
        else:
            continue
        head = _read(gitdir / "HEAD") or ""
        if head.startswith("ref:"):
            return _resolve(gitdir, head.removeprefix("ref:").strip())
        return head if _HASH.match(head) else None
    return None


def content_hash(files: Iterable[str | Path], base: Path) -> str:
    """SHA-256 of the files (their names relative to ``base`` where they are below it, and their bytes), in name order."""
    paths = sorted(Path(f).resolve() for f in files)
    base = base.resolve()
    digest = hashlib.sha256()
    for path in paths:
        name = path.relative_to(base) if path.is_relative_to(base) else path
        digest.update(str(name).encode("utf-8") + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0missing\0")
        digest.update(b"\0")
    return digest.hexdigest()


def revision(ledger: Path, files: Iterable[str | Path]) -> str:
    """``git <commit> · sha256 <hash>`` (the commit only when the ledger is in a git repository)."""
    ledger = Path(ledger).resolve()
    commit = git_commit(ledger)
    hashed = f"sha256 {content_hash(files, ledger.parent)[:SHORT]}"
    return f"git {commit[:SHORT]} · {hashed}" if commit else hashed


__all__ = ["Stamp", "content_hash", "git_commit", "revision"]
