"""The proof rule: every flow assertion holds, every sealed year is as sealed, nothing reopens it.

One pass over the entries (:func:`analyze`) sums the flows the assertions need
(:class:`jlis_ledger.proof.flows.FlowSums`) and digests the entries the seals cover
(:mod:`jlis_ledger.proof.digest`); the plugin (:mod:`jlis_ledger.plugins.proof`) returns its errors
and the entries unchanged; the reports and ``jlis-ledger verify`` read the same :class:`Proof`.
"""

from __future__ import annotations

import datetime
import hashlib
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from hashlib import blake2b
from itertools import compress
from operator import attrgetter, is_, itemgetter
from typing import Any

from beancount.core import data

from jlis_ledger.core import config as config_lib
from jlis_ledger.core.errors import LedgerError, location, plugin_meta
from jlis_ledger.core.numbers import amount_text
from jlis_ledger.core.periods import CALENDAR, fiscal_year_end_of
from jlis_ledger.proof.declarations import FlowAssertion, Seal, read_proof
from jlis_ledger.proof.digest import (
    ONE_DAY,
    entry_text,
    file_digest,
    is_covered,
    options_fingerprint,
    plugins_fingerprint,
    relative,
    seal_body,
)
from jlis_ledger.proof.flows import FlowSums, index_under

PLUGIN = "jlis_ledger.plugins.proof"
_META = attrgetter("meta")
_DATE = attrgetter("date")
_IS_CUSTOM = partial(is_, data.Custom)
_FILENAME = itemgetter("filename")
EXAMPLE = "\"{'opening_tag': 'opening'}\""


class ProofDeclarationError(LedgerError):
    """A malformed ``custom "flow"`` or ``custom "fiscal-seal"``, or plugin configuration."""

    __slots__ = ()


class FlowError(LedgerError):
    """A flow assertion that the books do not meet."""

    __slots__ = ()


class SealError(LedgerError):
    """A sealed year whose entries changed, or an entry that would reopen it."""

    __slots__ = ()


@dataclass(frozen=True)
class Config:
    opening_tag: str = "opening"


def parse_config(text: str | None) -> Config:
    value = config_lib.parse(text, "proof", ("opening_tag",), EXAMPLE)
    return Config(config_lib.tag(value.get("opening_tag", Config.opening_tag), "opening_tag", "proof", Config.opening_tag))


@dataclass
class SealCheck:
    """A seal against the entries it covers now."""

    seal: Seal
    entries: list[data.Directive] = field(default_factory=list)
    digests: list[bytes] = field(default_factory=list)
    fast: bool = False  # held by the fast path: the files and options as sealed, nothing digested

    def digest_entries(self) -> None:
        self.digests = [blake2b(entry_text(e).encode("utf-8"), digest_size=8).digest() for e in self.entries]

    @property
    def ok(self) -> bool:
        if not _intact(self.seal):
            return False
        return self.fast or sorted(self.digests) == self.seal.digests

    def differences(self) -> tuple[list[data.Directive], int]:
        """The covered entries not in the seal (changed or added), in order, and how many sealed digests are gone."""
        left = Counter(self.seal.digests)
        changed = []
        for entry, digest in zip(self.entries, self.digests, strict=True):
            if left[digest] > 0:
                left[digest] -= 1
            else:
                changed.append(entry)
        return changed, sum(left.values())


def unchanged(seal: Seal, counts: Counter, options_map: dict[str, Any], digests: dict[str, str | None]) -> bool:
    """The fast path: the entries dated in the seal's range are in the files the seal lists, as many in each
    (``counts``), every file unchanged to the byte, and the options as sealed (``digests``: a cache of file
    digests for this load)."""
    if not seal.files or seal.options != options_fingerprint(options_map) or len(counts) != len(seal.files):
        return False
    main = options_map.get("filename")
    expected = {name: (count, sha) for name, count, sha in seal.files}
    for filename, count in counts.items():
        name = relative(filename, main)
        if expected.get(name, (None, None))[0] != count:
            return False
        if filename not in digests:
            digests[filename] = file_digest(filename)
        if digests[filename] != expected[name][1]:
            return False
    return True


def _check_seals(entries: list[Any], checks: list[SealCheck], options_map: dict[str, Any]) -> None:
    """Each seal against the entries of its range: the fast path on the files' bytes, else every covered entry
    digested.  The entries come sorted by date, so a range is a slice (and the balances of its closing, dated the
    day after, are moved from the next range to it)."""
    lo = 0
    carried: list[Any] = []  # the previous seal's closing balances, at the head of this range
    previous: datetime.date | None = None
    file_digests: dict[str, str | None] = {}
    for check in checks:
        end = check.seal.end
        hi = bisect_right(entries, end, key=_DATE)
        closing = [e for e in entries[hi:bisect_right(entries, end + ONE_DAY, key=_DATE)] if type(e) is data.Balance]
        span = entries[lo:hi]
        counts = Counter(map(_FILENAME, map(_META, span)))
        counts.update(map(_FILENAME, map(_META, closing)))
        counts.subtract(map(_FILENAME, map(_META, carried)))
        counts.subtract(str(c.seal.meta.get("filename")) for c in checks  # the seals themselves are no entry of a range
                        if (previous is None or c.seal.entry.date > previous) and c.seal.entry.date <= end)
        counts = Counter({name: n for name, n in counts.items() if n > 0})
        check.fast = unchanged(check.seal, counts, options_map, file_digests)
        if not check.fast:
            skip = {id(e) for e in carried}
            check.entries = [e for e in span if id(e) not in skip and is_covered(e)] + closing
            check.digest_entries()
        lo, carried, previous = hi, closing, end

@dataclass
class Proof:
    """What one pass finds: the assertions with their booked flows, the seals against the books, the errors."""

    config: Config
    flows: list[FlowAssertion]
    seals: list[SealCheck]
    fiscal_year_end: tuple[int, int] = CALENDAR
    booked: dict[int, Decimal] = field(default_factory=dict)  # id(flow) -> the booked flow
    held: list[FlowAssertion] = field(default_factory=list)  # held by the seals (the sealed proof): not summed again
    errors: list = field(default_factory=list)

    def booked_flow(self, flow: FlowAssertion) -> Decimal | None:
        return self.booked.get(id(flow))


def _flow_error(flow: FlowAssertion, booked: Decimal) -> FlowError:
    currency = flow.currency
    message = (f"flow of {flow.subject()} over {flow.period()}: expected {amount_text(flow.amount, currency)}, "
               f"booked {amount_text(booked, currency)}, difference {amount_text(booked - flow.amount, currency)}")
    return FlowError(flow.meta, message, flow.entry)


def _describe(entry: data.Directive) -> str:
    if isinstance(entry, data.Transaction):
        return f'{entry.date} {entry.flag} "{entry.narration}"'
    if isinstance(entry, data.Custom):
        return f'{entry.date} custom "{entry.type}"'
    account = getattr(entry, "account", None)
    return f"{entry.date} {type(entry).__name__.lower()}" + (f" {account}" if account else "")


def _intact(seal: Seal) -> bool:
    """The seal is as written: its digest covers its digest list, fingerprints, files and closing."""
    body = seal_body(seal.options, seal.plugins, seal.files, seal.closing)
    return hashlib.sha256(seal.listed + body).hexdigest() == seal.digest  # close lists them sorted: seal_digest's input


def seal_errors(check: SealCheck) -> list[SealError]:
    """The errors of one seal against the entries it covers now (none when it holds)."""
    seal = check.seal
    where = location(seal.meta)
    if not _intact(seal):
        return [SealError(seal.meta, f"the seal of {seal.name} does not match its own digest list (edited by hand?); "
                                     "write it again with jlis-ledger close", seal.entry)]
    if check.fast or sorted(check.digests) == seal.digests:
        return []
    changed, gone = check.differences()
    if not changed and not gone:
        return []
    if changed:
        first = changed[0]
        more = f"; {len(changed) - 1} more entr{'y' if len(changed) == 2 else 'ies'} of the year differ" if len(changed) > 1 else ""
        missing = f"; {gone} sealed entr{'y is' if gone == 1 else 'ies are'} gone (changed or removed)" if gone else ""
        return [SealError(first.meta, f"{_describe(first)} is not as sealed: {seal.name} is sealed ({where}), "
                                      f"and this entry was changed or added after it{more}{missing}", first)]
    return [SealError(seal.meta, f"{gone} entr{'y' if gone == 1 else 'ies'} of the sealed {seal.name} "
                                 f"{'is' if gone == 1 else 'are'} gone (removed, or moved out of the year)", seal.entry)]


def _trusted(entries: list[Any], checks: list[SealCheck], options_map: dict[str, Any]) -> Seal | None:
    """The last seal up to which every seal holds on the fast path with the plugins as sealed: a flow assertion those
    seals cover, over a period before its end, is held by them, and its closing stands for the postings up to it
    (:mod:`.digest`, the sealed proof)."""
    trusted = None
    packages: dict[str, str] = {}
    for check in checks:
        seal = check.seal
        if not check.fast or not _intact(seal) or seal.plugins is None \
                or seal.plugins != plugins_fingerprint(entries, options_map, seal.end, packages):
            break
        trusted = seal
    return trusted


def analyze(entries: list[data.Directive], options_map: dict[str, Any], config: str | None = None) -> Proof:
    """Check every flow assertion and seal of the entries; see :mod:`jlis_ledger.plugins.proof`."""
    errors: list = []
    try:
        cfg = parse_config(config)
    except config_lib.ConfigError as error:
        errors.append(ProofDeclarationError(plugin_meta(options_map, PLUGIN), str(error), None))
        cfg = Config()
    directives: list[Any] = entries  # the hot loops test types with `is`, which mypy does not narrow on
    customs = list(compress(directives, map(_IS_CUSTOM, map(type, directives))))  # a C loop: no bytecode per entry
    fye = fiscal_year_end_of(customs)
    fye = fye if isinstance(fye, tuple) else CALENDAR
    businesses = [e.values[0].value for e in customs if e.type == "business" and e.values and isinstance(e.values[0].value, str)]
    flows, seals, declaration_errors = read_proof(customs, fye, businesses)
    errors += [ProofDeclarationError(*e) for e in declaration_errors]
    proof = Proof(cfg, flows, [SealCheck(s) for s in seals], fye, errors=errors)
    checks = proof.seals
    if checks:
        first = checks[0].seal
        for entry in directives[bisect_right(directives, first.end, key=_DATE):]:
            if type(entry) is data.Transaction and entry.tags and cfg.opening_tag in entry.tags:
                errors.append(SealError(entry.meta, f"an #{cfg.opening_tag} entry dated {entry.date}, after the sealed {first.name}: "
                                                    "the opening of a year after a sealed one is the sealed closing, never carried in again", entry))
        _check_seals(directives, checks, options_map)
    trusted = _trusted(customs, checks, options_map) if checks else None
    base = None
    if trusted is not None:
        proof.held = [f for f in flows if f.entry.date <= trusted.end and f.end <= trusted.end]
        held = {id(f) for f in proof.held}
        flows = [f for f in flows if id(f) not in held]
        base = {(a, c): n for a, n, c in trusted.closing} if trusted.closing else None
    if flows:
        sums = FlowSums(flows, base, trusted.end if trusted is not None else None)
        bucket = sums.bucket
        since = sums.first_date()
        for entry in directives[bisect_left(directives, since, key=_DATE) if since else 0:]:
            if type(entry) is data.Transaction:
                b = bucket(entry.date)
                if b is not None:
                    sums.add(entry, b)
        declared_labels = {e.values[1].value for e in customs if e.type == "cash-flow-line" and len(e.values) == 2}
        under = index_under(sums.accounts())
        if any(a not in under for f in flows for a in f.accounts):  # an account with no posting: is it open at all?
            under = index_under([*sums.accounts(), *(e.account for e in directives if type(e) is data.Open)])
        for flow in flows:
            unknown = [a for a in flow.accounts if a not in under]
            if unknown:
                errors.append(ProofDeclarationError(flow.meta, f"flow: no account is open at or below {unknown[0]}", flow.entry))
                continue
            labels = [label for label in flow.labels if label not in declared_labels and label not in sums.labels_seen]
            if labels:
                errors.append(ProofDeclarationError(flow.meta, f"flow: no posting carries cf: {labels[0]!r} and no "
                                                               'custom "cash-flow-line" declares it', flow.entry))
                continue
            booked = sums.booked(flow, under)
            proof.booked[id(flow)] = booked
            if booked != flow.amount:
                errors.append(_flow_error(flow, booked))
    for check in checks:
        errors += seal_errors(check)
    return proof


def check(entries: list[data.Directive], options_map: dict[str, Any], config: str | None = None) -> tuple[list[data.Directive], list]:
    """The plugin's function: the entries unchanged, and the errors."""
    return entries, analyze(entries, options_map, config).errors


__all__ = [
    "PLUGIN",
    "Config",
    "FlowError",
    "Proof",
    "ProofDeclarationError",
    "SealCheck",
    "SealError",
    "analyze",
    "check",
    "parse_config",
    "seal_errors",
]
