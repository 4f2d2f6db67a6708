"""What the ledger proves by itself: its assertions counted by table and kind, its seals, the identities.

An assertion is a ``balance`` or a ``custom "flow"``; its table is the first word of its ``source:``
(``事業別財務情報(損益計算書関係) 事業収入 一般事業`` → ``事業別財務情報(損益計算書関係)``), its kind
:func:`jlis_ledger.proof.declarations.proof_kind`'s: ``published`` (proof of a published figure),
``estimate`` (restates the books' own derivation or allocation) or ``check`` (an identity of the
books).  Only the published ones count as proof of the publication.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from beancount.core import data

from jlis_ledger.core.errors import location
from jlis_ledger.proof.declarations import CHECK, ESTIMATE, FLOW, PUBLISHED, proof_kind
from jlis_ledger.proof.verify import IDENTITIES, Verification
from jlis_ledger.table import Column, Table

if TYPE_CHECKING:
    from jlis_ledger.books import Books

KINDS = (PUBLISHED, ESTIMATE, CHECK)


@dataclass
class Assertions:
    """(table, kind) -> count, for flows and for balances."""

    flows: Counter = field(default_factory=Counter)
    balances: Counter = field(default_factory=Counter)

    def tables(self) -> list[str]:
        return sorted({t for t, _ in self.flows} | {t for t, _ in self.balances})

    def total(self, which: str, kind: str | None = None) -> int:
        counts = self.flows if which == "flows" else self.balances
        return sum(n for (_, k), n in counts.items() if kind is None or k == kind)


def _table_of(meta: data.Meta) -> str:
    source = str(meta.get("source") or "").strip()
    return source.split()[0] if source else "(no source)"


def assertions(books: Books) -> Assertions:
    """Every balance and flow assertion of the books, counted."""
    out = Assertions()
    for entry in books.entries:
        if isinstance(entry, data.Balance):
            out.balances[(_table_of(entry.meta), proof_kind(entry.meta))] += 1
        elif isinstance(entry, data.Custom) and entry.type == FLOW:
            out.flows[(_table_of(entry.meta), proof_kind(entry.meta))] += 1
    return out


def seals(books: Books) -> list[str]:
    """One line per sealed year: where, how many entries, and whether the books are as sealed."""
    errors = [e.message for e in books.errors if type(e).__name__ == "SealError"]
    out = []
    for seal in books.declarations.seals:
        state = "NOT as sealed (see the errors)" if any(seal.name in m for m in errors) else "as sealed"
        out.append(f"{seal.name} sealed ({location(seal.meta)}): {seal.count:,} entries, {state}")
    return out


def tables(books: Books, verification: Verification) -> list[Table]:
    """The identities checked and failed, and the assertions by table and kind."""
    identities = Table("verify", f"{verification.year.japanese} 財務諸表の整合性", [Column("checked"), Column("failed")],
                       label_header="identity")
    failed = Counter(f.identity for f in verification.failures)
    for name, what in IDENTITIES.items():
        identities.line(f"{name}: {what}", 0, [verification.checked[name], failed[name]])
    found = assertions(books)
    columns = [Column(f"flows {k}") for k in KINDS] + [Column(f"balances {k}") for k in KINDS]
    counts = Table("assertions", "帳簿の検証 (assertions by table)", columns, label_header="table")
    for t in found.tables():
        counts.line(t, 0, [found.flows[(t, k)] for k in KINDS] + [found.balances[(t, k)] for k in KINDS])
    counts.subtotal("合計", 0, [found.total("flows", k) for k in KINDS] + [found.total("balances", k) for k in KINDS])
    return [identities, counts]


def render(books: Books, verification: Verification) -> str:
    v = verification
    head = f"{v.year.japanese} ({v.year.start} – {v.year.end}): {sum(v.checked.values()):,} comparisons, {len(v.failures)} failure(s)"
    lines = [head]
    failed = Counter(f.identity for f in v.failures)
    width = max(len(n) for n in IDENTITIES)
    for name, what in IDENTITIES.items():
        mark = "FAILED" if failed[name] else "ok" if v.checked[name] else "-"
        lines.append(f"  {name.ljust(width)}  {v.checked[name]:>5}  {mark:<6}  {what}")
    lines += [str(f) for f in v.failures]
    lines += [f"not checked: {p}" for p in v.problems]
    found = assertions(books)
    lines.append(f"proof in the ledger: {found.total('flows'):,} flow assertions ({found.total('flows', PUBLISHED):,} of published "
                 f"figures), {found.total('balances'):,} balance assertions ({found.total('balances', PUBLISHED):,} of published "
                 f"figures, {found.total('balances', ESTIMATE):,} restating estimates, {found.total('balances', CHECK):,} checks)")
    for t in found.tables():
        flows = " ".join(f"{found.flows[(t, k)]} {k}" for k in KINDS if found.flows[(t, k)])
        balances = " ".join(f"{found.balances[(t, k)]} {k}" for k in KINDS if found.balances[(t, k)])
        lines.append(f"  {t}: " + "; ".join(x for x in (f"flows: {flows}" if flows else "", f"balances: {balances}" if balances else "") if x))
    lines += seals(books) or ["no year is sealed"]
    return "\n".join(lines) + "\n"


__all__ = ["Assertions", "assertions", "render", "seals", "tables"]
