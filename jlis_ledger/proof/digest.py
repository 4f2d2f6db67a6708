"""What a seal covers, and the digest of an entry.

**Which entries.**  The seal of fiscal year N covers every entry dated after the end of the latest
sealed year before N (from the beginning of the books when there is none) up to N's last day, and
the ``balance`` assertions dated the day after it (Beancount checks a balance at the start of its
day: they assert N's closing).  So sealing a year also seals the years before it that no seal
covers yet — their entries make its opening — and every entry falls under at most one seal.  Not
covered: the seals themselves, ``document`` entries (links to files, which Beancount also makes
from the ``documents`` folders) and what a plugin generated.

**As what: as typed.**  The entries as the ledger's files give them, after Beancount's booking (an
amount left out is the number Beancount filled in), without what the jlis-ledger plugins generate
(postings and entries marked ``generated: "segments"`` or ``"allocations"``; an allocated pool
posting counts once, as typed, not as its shares).  So a seal says what was written, whatever the
plugins' configuration or version makes of it; what they make of it is proven by the ``balance``
and ``flow`` assertions, which are sealed entries themselves.  Legs an importer wrote into a file
(``generated: "import"``) are typed entries like any other.

**What counts.**  An entry's *meaning*, written as canonical text (:func:`entry_text`): its type,
date and fields, its tags and links sorted, every posting in order (account, number, currency,
cost, price, flag) and every metadata key with its value, sorted by key.  What does not count: the
file and line (``filename``, ``lineno``), Beancount's internal keys (``__…``), whitespace, comments,
the order of metadata lines, thousands separators (``1,000`` is ``1000``), which file holds the
entry and the order of entries (a seal compares the *multiset* of its entries' digests).  The
number's written precision counts (``1000.00`` is not ``1000``: Beancount infers tolerances and
display precision from it), and so does the order of a transaction's postings (what the journal
shows).  The text depends on nothing else — not on Python's hash randomisation (no set or dict is
iterated unsorted), not on the load cache (the same values give the same text) — so the digest is
the same in every process.

**The digests.**  Each entry's digest is the first 8 bytes of BLAKE2b of its text (UTF-8); the seal
lists them sorted (hex), and its digest is SHA-256 of that sorted list and of the rest of the seal
(its fingerprints, files and closing), which checks the seal itself.  An entry whose digest is not in the list is named (file:line) as changed or added; a listed
digest that no entry has any more counts as changed or removed.

**The fast path.**  The seal also records, for every file that holds entries of its range, the SHA-256
of its bytes and how many entries of the range it holds (of any kind, the seals aside), and a
fingerprint of the options that change how Beancount parses and books (:func:`options_fingerprint`).
When the entries of the range are in exactly those files, as many in each, each file unchanged to the
byte, and the options are the same, the typed entries are the ones that were sealed and no entry is
digested (the range is a slice of the sorted entries, counted in C); otherwise every covered entry is
(and a file that was only reformatted still passes).

**The sealed proof.**  The seal records as well what turns its typed entries into the books the plugins
make (:func:`plugins_fingerprint`: Beancount's version, the plugin lines and configurations, the source
of the plugins' packages, the declarations dated after the year).  A flow assertion that a seal covers,
over a period within the sealed years, held when the seal was written (``jlis-ledger close`` refuses
books with errors); while every seal up to its period's end holds on the fast path and the fingerprint
is the same, everything its booked figure depends on is the same, so it still holds and is not summed
again.  Any difference — a changed file, option, plugin line or plugin version, a new declaration — and
it is checked afresh.  (After an upgrade, ``jlis-ledger close --replace`` writes the same digests with the
new fingerprint.)
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import importlib.util
import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import account as account_lib
from beancount.core import data, flags
from beancount.core.amount import Amount

from jlis_ledger.core import generated
from jlis_ledger.proof.declarations import SEAL

LOCATION = frozenset(("filename", "lineno"))
#: The keys of metadata that carries nothing that counts (the location, Beancount's inferred tolerances and
#: its mark on an interpolated posting): the usual case, tested in one call.
_PLAIN = frozenset(("filename", "lineno", "__tolerances__", "__automatic__"))
#: What the plugins mark as theirs (an importer's ``generated: "import"`` legs are typed in the files).
PLUGIN_MARKS = frozenset((generated.SEGMENTS, generated.ALLOCATIONS))
#: The allocations plugin's metadata on the shares of a pool posting (jlis_ledger.allocations.rule).
ALLOCATED_FROM = "allocated-from"
_ALLOCATION_KEYS = (generated.KEY, "allocation-key", "allocation-key-date", ALLOCATED_FROM, "allocated-generated")
#: The options that change what Beancount makes of the same text (the fast path's fingerprint).
OPTIONS = ("booking_method", "inferred_tolerance_default", "inferred_tolerance_multiplier", "infer_tolerance_from_cost",
           "name_assets", "name_liabilities", "name_equity", "name_income", "name_expenses")
ONE_DAY = datetime.timedelta(days=1)
_Transaction = data.Transaction
_Balance = data.Balance
_blake2b = hashlib.blake2b
_SHARE = object()  # a share of an allocated pool posting: the entry is folded back (slow, rare)


def _value(value: object) -> str:
    """A metadata or field value as text, its type visible (a quoted string, an unquoted number …)."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, (Decimal, int, datetime.date)):
        return str(value)
    if isinstance(value, Amount):
        return f"{value.number!s} {value.currency}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_value(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_value(v) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(sorted(f"{_value(k)}:{_value(v)}" for k, v in value.items())) + "}"
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, data.Cost):
        return f"{{{value.number!s} {value.currency} {value.date} {value.label!r}}}"
    return f"{type(value).__name__}:{value!r}"


def _meta(meta: data.Meta | None) -> str:
    """The metadata that counts, sorted by key ("" for none: the usual location and Beancount's own keys alone)."""
    if not meta or _PLAIN.issuperset(meta):
        return ""
    return ";".join(f"{k}={_value(meta[k])}" for k in sorted(meta) if k not in LOCATION and not k.startswith("__"))


def _posting_text(account: str, number: object, currency: str, cost: object, price: object, flag: str | None, meta: data.Meta | None) -> str:
    text = f"{account}\x1f{number!s}\x1f{currency}"
    if cost is not None or price is not None or flag is not None:
        text += f"\x1f{_value(cost)}\x1f{_value(price)}\x1f{flag}"
    extra = _meta(meta)
    return text + "\x1f" + extra if extra else text


def _posting(p: Any) -> Any:
    """A posting's text; None for a posting a plugin generated; ``_SHARE`` for a share of a pool posting."""
    meta = p.meta
    if meta and meta.get(generated.KEY) in PLUGIN_MARKS:
        return _SHARE if meta.get(ALLOCATED_FROM) is not None else None
    return _posting_text(p.account, p.units.number, p.units.currency, p.cost, p.price, p.flag, meta)


def _folded(postings: list[Any]) -> list[str]:
    """The typed postings of a transaction whose pool postings the allocations plugin split: each run of
    shares of one pool posting is that posting again (account, the sum, its own metadata)."""
    out: list[str] = []
    run: list[Any] = []

    def flush() -> None:
        if not run:
            return
        first = run[0]
        meta = {k: v for k, v in first.meta.items() if k not in _ALLOCATION_KEYS}
        origin = first.meta.get("allocated-generated")
        if origin is not None:
            meta[generated.KEY] = origin
        if origin not in PLUGIN_MARKS:
            total = sum((p.units.number for p in run), Decimal(0))
            out.append(_posting_text(first.meta[ALLOCATED_FROM], total, first.units.currency, None, None, first.flag, meta))
        run.clear()

    for p in postings:
        text = _posting(p)
        if text is _SHARE:
            key = tuple(p.meta.get(k) for k in (ALLOCATED_FROM, "filename", "lineno", "allocation-key", "allocation-key-date"))
            if run and tuple(run[0].meta.get(k) for k in (ALLOCATED_FROM, "filename", "lineno", "allocation-key", "allocation-key-date")) != key:
                flush()
            run.append(p)
            continue
        flush()
        if text is not None:
            out.append(text)
    flush()
    return out


def entry_text(entry: data.Directive) -> str:
    """The canonical text of an entry's meaning, as typed (see the module docstring)."""
    if type(entry) is _Transaction:
        head = (f"Transaction\x1f{entry.date!s}\x1f{entry.flag}\x1f{entry.payee!r}\x1f{entry.narration!r}\x1f"
                f"{' '.join(sorted(entry.tags)) if entry.tags else ''}\x1f{' '.join(sorted(entry.links)) if entry.links else ''}\x1f"
                f"{'' if _PLAIN.issuperset(entry.meta) else _meta(entry.meta)}")
        postings: list[Any] = entry.postings
        texts = [f"{p.account}\x1f{p.units.number!s}\x1f{p.units.currency}"  # the usual posting, inline
                 if p.cost is None and p.price is None and p.flag is None and p.meta is not None and _PLAIN.issuperset(p.meta)
                 else _posting(p) for p in postings]
        if _SHARE in texts:
            texts = _folded(postings)
        return head + "\x1e" + "\x1e".join(filter(None, texts))
    if type(entry) is _Balance:
        return f"Balance\x1f{entry.date}\x1f{entry.account}\x1f{_value(entry.amount)}\x1f{entry.tolerance}\x1f{_meta(entry.meta)}"
    if type(entry) is data.Custom:
        values = ",".join(f"{'account:' if v.dtype == account_lib.TYPE else ''}{_value(v.value)}" for v in entry.values)
        return f"Custom\x1f{entry.date}\x1f{entry.type!r}\x1f{values}\x1f{_meta(entry.meta)}"
    fields = entry._fields[2:]  # meta and date first
    return (f"{type(entry).__name__}\x1f{entry.date}\x1f" + "\x1f".join(_value(getattr(entry, f)) for f in fields)
            + f"\x1f{_meta(entry.meta)}")


def entry_digest(entry: data.Directive) -> bytes:
    """The 8-byte digest of an entry (BLAKE2b of its canonical text)."""
    return _blake2b(entry_text(entry).encode("utf-8"), digest_size=8).digest()


def seal_body(options: str | None, plugins: str | None, files: Sequence[tuple[str, int, str]],
              closing: Sequence[tuple[str, Decimal, str]]) -> bytes:
    """The rest of a seal as its digest covers it: the fingerprints, the files and the sealed closing."""
    parts = [options or "", plugins or ""] + [f"{sha} {count} {path}" for path, count, sha in files]
    parts += [f"{account} {number} {currency}" for account, number, currency in closing]
    return "\x1f".join(parts).encode("utf-8")


def seal_digest(digests: Sequence[bytes], body: bytes = b"") -> str:
    """The digest of a seal: SHA-256 (hex) of its sorted entry digests and the rest of it (:func:`seal_body`)."""
    return hashlib.sha256(b"".join(sorted(digests)) + body).hexdigest()


def is_covered(entry: data.Directive) -> bool:
    """False for what no seal covers: the seals themselves, documents, and entries a plugin generated."""
    if isinstance(entry, data.Custom):
        return entry.type != SEAL
    if isinstance(entry, data.Document):
        return False
    meta = entry.meta
    return not (meta and meta.get(generated.KEY) in PLUGIN_MARKS)


def is_padding(entry: data.Directive) -> bool:
    """A transaction that Beancount's ``pad`` created (after the plugins: the proof plugin never sees one)."""
    return type(entry) is _Transaction and entry.flag == flags.FLAG_PADDING


class Scope:
    """Which seal covers an entry: :meth:`index` of the seal (in year order), or None."""

    def __init__(self, seals: Sequence[tuple[datetime.date, datetime.date]]) -> None:
        """``seals``: (first day, last day) of each sealed fiscal year, in year order."""
        self.ends = [end for _, end in seals]

    def index(self, entry: data.Directive) -> int | None:
        date = entry.date
        for i, end in enumerate(self.ends):
            if date <= end:
                return i
            if date == end + ONE_DAY and isinstance(entry, data.Balance):
                return i
        return None


def options_fingerprint(options_map: dict[str, Any]) -> str:
    """16 hex digits naming the options that change what Beancount makes of the same files."""
    text = "\x1f".join(f"{name}={_value(options_map.get(name))}" for name in OPTIONS)
    return _blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


#: The customs whose later declarations never change what the plugins generate for earlier entries.
_INERT = frozenset((SEAL, "flow", "fiscal-budget", "trend", "trend-record", "fava-option", "fava-extension"))


def _package(module: str) -> str:
    """SHA-256 of the source of a plugin's top-level package: each ``.py`` file by its path inside the package."""
    top = module.split(".", 1)[0]
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return "?"
    if spec is None:
        return "?"
    digest = hashlib.sha256()
    locations = list(spec.submodule_search_locations or [])
    files = sorted((os.path.relpath(str(p), location), p) for location in locations for p in Path(location).rglob("*.py"))
    if not locations and spec.origin and os.path.exists(spec.origin):
        files = [(os.path.basename(spec.origin), Path(spec.origin))]
    for name, path in files:
        try:
            digest.update(name.encode("utf-8", "surrogateescape") + b"\0" + path.read_bytes())
        except OSError:
            return "?"
    return digest.hexdigest()


def plugins_fingerprint(entries: Sequence[data.Directive], options_map: dict[str, Any], after: datetime.date,
                        packages: dict[str, str] | None = None) -> str:
    """16 hex digits naming what turns a sealed year's typed entries into the books the plugins make: Beancount's
    version, the plugin lines with their configuration and the source of their packages, and every declaration
    dated after the sealed year (a later one could change what a plugin generates for earlier entries), the
    flows, seals, budgets and Fava options aside.  ``packages`` caches the packages' digests (for one load)."""
    import beancount

    packages = {} if packages is None else packages
    parts = [beancount.__version__]
    for name, config in options_map.get("plugin") or ():
        top = name.split(".", 1)[0]
        if top not in packages:
            packages[top] = _package(name)
        parts.append(f"{name}\x1f{config}\x1f{packages[top]}")
    later = sorted(entry_text(e) for e in entries if type(e) is data.Custom and e.date > after and e.type not in _INERT)
    text = "\x1e".join(parts + later)
    return _blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def file_digest(path: str) -> str | None:
    """SHA-256 (hex) of a file's bytes; None if it cannot be read (an entry of a string, say)."""
    try:
        with open(path, "rb") as file:
            return hashlib.sha256(file.read()).hexdigest()
    except (OSError, ValueError):
        return None


def relative(path: str, main: str | None) -> str:
    """A file's name as a seal records it: relative to the main file's folder (portable across checkouts)."""
    if not main or not os.path.isabs(path):
        return path
    return os.path.relpath(path, os.path.dirname(main))


__all__ = ["LOCATION", "OPTIONS", "PLUGIN_MARKS", "Scope", "entry_digest", "entry_text", "file_digest", "is_covered",
           "is_padding", "options_fingerprint", "plugins_fingerprint", "relative", "seal_body", "seal_digest"]
