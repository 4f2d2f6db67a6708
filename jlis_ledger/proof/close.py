"""``jlis-ledger close --year FY``: seal a fiscal year, writing its ``custom "fiscal-seal"`` to the ledger.

    >>> from jlis_ledger import books
    >>> from jlis_ledger.proof import close
    >>> b = books.load("ledger/main.beancount", cache=False)            # doctest: +SKIP
    >>> result = close.close(b, 2022, output="ledger/fy2022/seal.beancount")  # doctest: +SKIP

What a seal covers is :mod:`jlis_ledger.proof.digest`'s; the entries are those of a fresh load (all
plugins applied, Beancount's padding left out), which are what the proof plugin sees when it is the
last plugin — :func:`close` refuses otherwise.  It also refuses a ledger with errors (a seal of
books that do not check would seal their mistakes), a year after which a later year is sealed
already (that seal covers this year too), a year without transactions, and a year already sealed
unless ``replace`` (a deliberate 修正 of a sealed year, visible in the seal file's history).  Those
errors of the seal being replaced are the only ones tolerated.

The seal goes to its own file, written atomically (``output``, default ``seal-FY.beancount``
beside the main file; with ``replace``, the file that holds the seal, which must have been written
by this command); if the ledger does not include that file yet, an ``include`` line is appended to
the main file.  The ledger is then loaded again and must check without seal errors, else both files
are restored.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from beancount.core import data

from jlis_ledger.books import Books, load
from jlis_ledger.core.errors import format_error, location
from jlis_ledger.core.periods import fiscal_year
from jlis_ledger.proof.declarations import CLOSING_KEY, DIGEST_KEY, DIGESTS_PER_LINE, FILE_KEY, SEAL
from jlis_ledger.proof.digest import (
    Scope,
    entry_digest,
    file_digest,
    is_covered,
    is_padding,
    options_fingerprint,
    plugins_fingerprint,
    relative,
    seal_body,
    seal_digest,
)
from jlis_ledger.proof.rule import PLUGIN, SealError, analyze, seal_errors
from jlis_ledger.render.files import write

MARKER = "sealed by `jlis-ledger close"
ZERO = Decimal(0)


class CloseError(ValueError):
    """A year that cannot be sealed; the message says why (nothing was written)."""


@dataclass(frozen=True)
class Closed:
    year: int
    name: str
    path: Path
    entries: int
    digest: str
    included: bool  # an include line was added to the main file
    replaced: bool
    main: Path

    def __str__(self) -> str:
        return (f"{self.path}: {self.name} {'sealed again' if self.replaced else 'sealed'}, {self.entries} entries, digest "
                f"{self.digest[:16]}…" + (f"; include added to {self.main}" if self.included else ""))


def seal_text(books: Books, year: int) -> tuple[str, int, str]:
    """The seal file of ``year`` for these books: (text, entries covered, digest)."""
    fy = books.fiscal_year(year)
    existing = [s for s in books.declarations.seals if s.year != year]
    spans = sorted([(s.start, s.end) for s in existing] + [(fy.start, fy.end)])
    scope = Scope(spans)
    index = spans.index((fy.start, fy.end))
    previous = spans[index - 1][1] if index else None
    in_range = [e for e in books.entries if not is_padding(e) and not (isinstance(e, data.Custom) and e.type == SEAL)
                and scope.index(e) == index]
    digests = sorted(entry_digest(e) for e in in_range if is_covered(e))
    options, plugins = options_fingerprint(books.options), plugins_fingerprint(books.entries, books.options, fy.end)
    main = str(books.options.get("filename") or books.path)
    counts = Counter(str(e.meta.get("filename")) for e in in_range)  # the fast path counts every entry of the range
    files = []
    for filename in sorted(counts, key=lambda f: relative(f, main)):
        sha = file_digest(filename)
        if sha is None:
            raise CloseError(f"{filename}: cannot read a file that holds entries of {fy.japanese}")
        files.append((relative(filename, main), counts[filename], sha))
    balances: dict[tuple[str, str], Decimal] = {}
    for entry in books.entries:  # the sealed closing: every account as the plugins make it (Beancount's padding aside)
        if isinstance(entry, data.Transaction) and entry.date <= fy.end and not is_padding(entry):
            for p in entry.postings:
                if p.units is not None and isinstance(p.units.number, Decimal):
                    key = (p.account, p.units.currency)
                    balances[key] = balances.get(key, ZERO) + p.units.number
    closing = [(a, n, c) for (a, c), n in sorted(balances.items()) if n]
    digest = seal_digest(digests, seal_body(options, plugins, files, closing))
    after = f"dated after {previous} " if previous else "dated from the beginning of the books "
    lines = [
        f"; {fy.japanese} (FY{year}) {MARKER} --year {year}`: do not edit by hand.",
        f"; The seal covers {len(digests)} entries as typed: those {after}up to {fy.end}, and the balance assertions",
        f"; dated {fy.end_exclusive} (see jlis_ledger.plugins.proof and jlis_ledger.proof.digest); closing-: the sealed closing.",
        f'{fy.end} custom "{SEAL}" {year} "{digest}"',
        f"  entries: {len(digests)}",
        f'  options: "{options}"',
        f'  plugins: "{plugins}"',
    ]
    lines += [f'  {FILE_KEY}{i:04d}: "{sha} {count} {path}"' for i, (path, count, sha) in enumerate(files, start=1)]
    lines += [f'  {CLOSING_KEY}{i:04d}: "{a} {n} {c}"' for i, (a, n, c) in enumerate(closing, start=1)]
    hexes = [d.hex() for d in digests]
    for n, i in enumerate(range(0, len(hexes), DIGESTS_PER_LINE), start=1):
        lines.append(f'  {DIGEST_KEY}{n:04d}: "{" ".join(hexes[i:i + DIGESTS_PER_LINE])}"')
    return "\n".join(lines) + "\n", len(digests), digest


def _tolerated(books: Books, year: int) -> list:
    """The errors of the seal of ``year`` itself (what replacing it repairs)."""
    from jlis_ledger.core.config import plugin_config

    proof = analyze(books.entries, books.options, plugin_config(books.options, PLUGIN))
    return [e for check in proof.seals if check.seal.year == year for e in seal_errors(check)]


def _check(books: Books, year: int, replace: bool) -> None:
    plugins = [name for name, _ in books.options.get("plugin") or ()]
    if PLUGIN not in plugins:
        raise CloseError(f'{books.path}: the ledger does not enable plugin "{PLUGIN}": a seal would never be checked')
    if plugins[-1] != PLUGIN:
        raise CloseError(f'{books.path}: plugin "{PLUGIN}" must be the last plugin (found "{plugins[-1]}" after it): '
                         "a seal covers the entries as the plugins before it leave them")
    fy = fiscal_year(year, books.fiscal_year_end)
    later = [s for s in books.declarations.seals if s.year > year]
    if later:
        raise CloseError(f"{later[0].name} is sealed ({location(later[0].meta)}) and covers {fy.japanese} already")
    sealed = next((s for s in books.declarations.seals if s.year == year), None)
    if sealed is not None and not replace:
        raise CloseError(f"{fy.japanese} is sealed already ({location(sealed.meta)}); --replace seals it again (a 修正 of a sealed year)")
    tolerated = _tolerated(books, year) if sealed is not None else []
    errors = [e for e in books.errors if not (isinstance(e, SealError) and e in tolerated)]
    if errors:
        raise CloseError(f"{len(errors)} error(s) in the ledger, e.g. {format_error(errors[0])}: nothing sealed")
    if not any(fy.start <= e.date <= fy.end for e in books.transactions()):
        raise CloseError(f"{fy.japanese} ({fy.start} – {fy.end}) has no transactions: nothing to seal")


def _target(books: Books, year: int, output: str | os.PathLike | None) -> Path:
    sealed = next((s for s in books.declarations.seals if s.year == year), None)
    if sealed is not None:
        path = Path(str(sealed.meta.get("filename")))
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise CloseError(f"{path}: cannot read the file that holds the seal") from None
        if MARKER not in text.split("\n", 1)[0]:
            raise CloseError(f"{location(sealed.meta)}: the seal is not in a file written by jlis-ledger close; replace it by hand")
        if output is not None and Path(output).resolve() != path.resolve():
            raise CloseError(f"{location(sealed.meta)}: the seal is replaced in its own file, not in {output}")
        return path
    return Path(output) if output is not None else books.path.parent / f"seal-{year}.beancount"


def close(books: Books, year: int, *, output: str | os.PathLike | None = None, replace: bool = False) -> Closed:
    """Seal ``year`` of freshly loaded books (``load(..., cache=False)``); see the module docstring."""
    _check(books, year, replace)
    path = _target(books, year, output)
    included = {os.path.realpath(f) for f in books.options.get("include") or ()}
    main = books.path
    old_seal = path.read_bytes() if path.exists() else None
    old_main = main.read_bytes()
    add_include = os.path.realpath(path) not in included
    try:
        if add_include:  # first: the seal records the bytes of the main file when it holds covered entries
            relative_path = os.path.relpath(path.resolve(), main.resolve().parent)
            body = old_main.decode("utf-8")
            write(main, body + ("" if body.endswith("\n") else "\n") + f'include "{relative_path}"\n')
        text, count, digest = seal_text(books, year)
        write(path, text)
        again = load(main, cache=False)
        problems = [e for e in again.errors if isinstance(e, SealError)]
        if problems:
            raise CloseError(f"the new seal does not check: {format_error(problems[0])}")
    except BaseException:
        if old_seal is None:
            path.unlink(missing_ok=True)
        else:
            write(path, old_seal)
        if add_include:
            write(main, old_main)
        raise
    fy = books.fiscal_year(year)
    return Closed(year, fy.japanese, path, count, digest, add_include, old_seal is not None, main)


__all__ = ["MARKER", "CloseError", "Closed", "close", "seal_text"]
