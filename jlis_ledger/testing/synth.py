"""Synthetic multi-business ledgers for benchmarks, demos and users' load tests.

The ledger follows the jlis-ledger contract: businesses declared with
``custom "business"`` (the last one a fund business when there are at least
two, plus an elimination business ``E-相殺等``), a small chart of accounts
opened for every business with ``label:`` metadata, fiscal years ending March 31
(``fiscal-year-end`` ``15-31``) and four fiscal years of transactions:

- ordinary transactions of one business (revenue, expenses, accruals, payments);
- cross-business transactions (a shared expense paid by one business, the
  settlement of 他事業勘定 balances) with explicit 他事業勘定 legs, so the
  ledger passes the segments plugin in strict mode;
- internal transactions (one business charging another), tagged ``#internal``
  and eliminated by the plugin (相殺等);
- fund-business transactions that keep its net income and net assets at zero;
- provisions (繰入) and releases (取崩) of a liability reserve (積立金) of the
  first business, declared with ``custom "reserve"`` and never negative;
- ``balance`` assertions on every cash account at every fiscal year end;
- with ``pool_share`` > 0 (default 0: not in the file at all), common costs
  (賃借料) booked to a common pool ``C-共通`` and paid by one business, allocated
  by ``jlis_ledger.plugins.allocations`` with a key ``人員比`` over the ordinary
  businesses that changes every fiscal year (its plugin line comes first);
  ``pool_presplit=True`` writes the same common costs already split as the
  plugin splits them (shares and 他事業勘定 legs typed, no metadata): the same
  books without the plugin's work, the baseline of the allocations benchmark.

The file is written as it is generated (a million postings need a few
kilobytes of state), and the same seed gives the same bytes::

    >>> from jlis_ledger import synth
    >>> stats = synth.write_ledger("demo.beancount", transactions=1000, seed=1)
    >>> stats.postings > stats.transactions
    True

``plugins=False`` writes the same ledger without the plugin line (the benchmark
compares both); ``files=N`` (N > 1) writes the transactions and balance assertions
into N included files beside the main one (``NAME-01.beancount`` ...), consecutive
stretches of about the same number of transactions, the declarations and
``include`` lines in the main file: the same entries as the single file (the
incremental re-check's benchmark edits one of them); ``jlis-ledger synth`` is the
command-line form.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import itertools
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CLEARING = "Liabilities:1-流動負債:17-他事業勘定"
ELIMINATION = "E-相殺等"
POOL = "C-共通"
POOL_KEY = "人員比"
ALLOCATIONS_LINE = 'plugin "jlis_ledger.plugins.allocations"'
START = datetime.date(2019, 4, 1)
YEARS = 4
PLUGIN_LINE = (
    f'plugin "jlis_ledger.plugins.segments" "{{\'mode\': \'strict\', \'clearing\': \'{CLEARING}\', '
    "'internal_tag': 'internal'}\""
)

_NAMES = ["一般事業", "受託事業", "情報システム事業", "研修事業", "調査研究事業", "施設管理事業", "共同利用事業"]
_FUND_NAME = "支援基金事業"

CASH = "Assets:1-流動資産:11-現金及び預金"
RECEIVABLE = "Assets:1-流動資産:12-未収金"
EQUIPMENT = "Assets:2-固定資産:21-工具器具備品"
PAYABLE = "Liabilities:1-流動負債:11-未払金"
FUND_DEPOSIT = "Liabilities:2-固定負債:21-預り基金"
CAPITAL = "Equity:1-資本金:11-出資金"
FEES = "Income:1-営業収益:11-手数料収入"
CONTRACT = "Income:1-営業収益:12-受託収入"
FUND_RELEASE = "Income:1-営業収益:13-基金取崩収入"
PERSONNEL = "Expenses:1-業務費:11-人件費"
OUTSOURCING = "Expenses:1-業務費:12-委託費"
RENT = "Expenses:1-業務費:13-賃借料"
DEPRECIATION = "Expenses:1-業務費:14-減価償却費"
CHARGES = "Expenses:1-業務費:15-他事業負担金"
RESERVE = "Liabilities:2-固定負債:22-事業積立金"
RESERVE_PROVISION = "Expenses:2-臨時損失:21-事業積立金繰入額"
RESERVE_RELEASE = "Income:2-臨時利益:21-事業積立金取崩収入"

#: item -> published label (written as ``label:`` on every open)
CHART = {
    CASH: "現金及び預金",
    RECEIVABLE: "未収金",
    EQUIPMENT: "工具器具備品",
    PAYABLE: "未払金",
    CLEARING: "他事業勘定",
    FUND_DEPOSIT: "預り基金",
    CAPITAL: "出資金",
    FEES: "手数料収入",
    CONTRACT: "受託収入",
    FUND_RELEASE: "基金取崩収入",
    PERSONNEL: "人件費",
    OUTSOURCING: "委託費",
    RENT: "賃借料",
    DEPRECIATION: "減価償却費",
    CHARGES: "他事業負担金",
    RESERVE: "事業積立金",
    RESERVE_PROVISION: "事業積立金繰入額",
    RESERVE_RELEASE: "事業積立金取崩収入",
}


@dataclass(frozen=True)
class SynthStats:
    """What :func:`write_ledger` wrote."""

    transactions: int
    postings: int


def business_labels(count: int) -> list[str]:
    """The labels of ``count`` businesses; with two or more, the last is the fund business."""
    if count < 1:
        raise ValueError("a ledger needs at least one business")
    names = [_NAMES[i] if i < len(_NAMES) else f"事業{i + 1}" for i in range(count)]
    if count >= 2:
        names[-1] = _FUND_NAME
    return [f"B{i + 1}-{name}" for i, name in enumerate(names)]


def write_ledger(
    path: str | Path,
    *,
    transactions: int,
    businesses: int = 8,
    cross_share: float = 0.2,
    internal_share: float = 0.05,
    seed: int = 0,
    plugins: bool = True,
    pool_share: float = 0.0,
    pool_presplit: bool = False,
    files: int = 1,
    name: str | Path | None = None,
) -> SynthStats:
    """Write a synthetic ledger of about ``transactions`` transactions to ``path``.

    ``cross_share``, ``internal_share`` and ``pool_share`` are the shares of
    cross-business, internal (eliminated) and common-pool (allocated)
    transactions; ``plugins=False`` leaves out the plugin lines (same entries
    otherwise); ``files`` > 1 splits the transactions over that many included
    files (:func:`part_names` of ``name``, the main file's final name when ``path`` is a temporary file, by
    default ``path``).
    """
    if files < 1:
        raise ValueError("files must be >= 1")
    generator = _Generator(transactions, businesses, cross_share, internal_share, seed, pool_share, pool_presplit)
    path = Path(path)
    names = part_names(name if name is not None else path, files) if files > 1 else []
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as out:
        if plugins:
            if generator.pool_share and not pool_presplit:
                out.write(ALLOCATIONS_LINE + "\n")
            out.write(PLUGIN_LINE + "\n")
        if not names:
            out.writelines(generator.lines())
            return SynthStats(generator.transactions, generator.postings)
        stream = generator.stream()
        for index, text in stream:
            if index >= 0:
                first = (index, text)
                break
            out.write(text)
        else:
            first = None
        out.writelines(f'include "{name.name}"\n' for name in names)
    _write_parts(names, first, stream, max(generator.count, 1))
    return SynthStats(generator.transactions, generator.postings)


def part_names(path: str | Path, files: int) -> list[Path]:
    """The included files of a ledger split into ``files`` parts: ``NAME-01.beancount`` ... beside ``path``."""
    path = Path(path)
    width = max(2, len(str(files)))
    return [path.with_name(f"{path.stem}-{k:0{width}d}{path.suffix or '.beancount'}") for k in range(1, files + 1)]


def _write_parts(names: list[Path], first: tuple[int, str] | None, stream: Iterator[tuple[int, str]], count: int) -> None:
    """The body of the ledger (transaction ``i`` into part ``i * len(names) // count``; the final balances in the
    last part), each part generated into a temporary file beside it, renamed over it once all are written."""
    temporaries = [name.with_name(f".{name.name}.tmp") for name in names]
    outs: list[io.TextIOWrapper] = []
    try:
        for index, text in itertools.chain([first] if first is not None else [], stream):
            part = min(index * len(names) // count, len(names) - 1)
            while len(outs) <= part:
                if outs:
                    outs[-1].close()
                outs.append(open(temporaries[len(outs)], "w", encoding="utf-8", buffering=1 << 20))  # noqa: SIM115
            outs[-1].write(text)
        while len(outs) < len(names):  # parts without transactions (fewer transactions than files)
            if outs:
                outs[-1].close()
            outs.append(open(temporaries[len(outs)], "w", encoding="utf-8"))  # noqa: SIM115
        outs[-1].close()
        for temporary, name in zip(temporaries, names, strict=True):
            os.replace(temporary, name)
    finally:
        for out, temporary in zip(outs, temporaries, strict=False):
            out.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


def ledger_lines(
    *,
    transactions: int,
    businesses: int = 8,
    cross_share: float = 0.2,
    internal_share: float = 0.05,
    seed: int = 0,
    plugins: bool = True,
    pool_share: float = 0.0,
    pool_presplit: bool = False,
) -> Iterator[str]:
    """The lines of the ledger that :func:`write_ledger` writes, as a generator."""
    generator = _Generator(transactions, businesses, cross_share, internal_share, seed, pool_share, pool_presplit)
    if plugins:
        if generator.pool_share and not pool_presplit:
            yield ALLOCATIONS_LINE + "\n"
        yield PLUGIN_LINE + "\n"
    yield from generator.lines()


class _Generator:
    def __init__(self, transactions: int, businesses: int, cross_share: float, internal_share: float, seed: int,
                 pool_share: float = 0.0, pool_presplit: bool = False) -> None:
        if transactions < 0:
            raise ValueError("transactions must be >= 0")
        shares = (cross_share, internal_share, pool_share)
        if not (all(0 <= x <= 1 for x in shares) and sum(shares) <= 1):
            raise ValueError("cross_share, internal_share and pool_share must be shares (0..1) that add up to at most 1")
        self.count = transactions
        self.labels = business_labels(businesses)
        self.fund = self.labels[-1] if businesses >= 2 else None
        self.ordinary = [b for b in self.labels if b != self.fund]
        self.cross_share = cross_share if len(self.ordinary) >= 2 else 0.0
        self.internal_share = internal_share if len(self.ordinary) >= 2 else 0.0
        self.pool_share = pool_share
        self.pool_presplit = pool_presplit
        self.key_versions: list[tuple[datetime.date, list[int]]] = []
        self.rng = random.Random(seed)
        self.cash = dict.fromkeys(self.labels, 0)
        self.payable = dict.fromkeys(self.ordinary, 0)
        self.clearing = dict.fromkeys(self.ordinary, 0)
        self.reserve = 0  # the reserve's balance (a credit, positive)
        self.transactions = 0
        self.postings = 0

    # -- the file ----------------------------------------------------------------

    def lines(self) -> Iterator[str]:
        return (text for _, text in self.stream())

    def stream(self) -> Iterator[tuple[int, str]]:
        """The file's text with the index of the transaction it belongs to: -1 for the declarations, ``i`` for
        transaction ``i`` and the balance assertions just before it, the count for the last assertions."""
        yield from ((-1, text) for text in self._header())
        end = datetime.date(START.year + YEARS, START.month, START.day)
        days = (end - START).days - 1
        next_year_end = datetime.date(START.year + 1, START.month, START.day)
        for i in range(self.count):
            date = START + datetime.timedelta(days=1 + i * days // max(self.count, 1))
            while date >= next_year_end:
                yield from ((i, text) for text in self._balances(next_year_end))
                next_year_end = datetime.date(next_year_end.year + 1, START.month, START.day)
            yield from ((i, text) for text in self._transaction(date))
        yield from ((self.count, text) for text in self._balances(next_year_end))

    def _header(self) -> Iterator[str]:
        yield 'option "title" "Synthetic multi-business ledger (jlis-ledger synth)"\n'
        yield 'option "operating_currency" "JPY"\n'
        yield '2000-01-01 custom "fava-option" "fiscal-year-end" "15-31"\n\n'
        for label in self.labels:
            role = ' "fund"' if label == self.fund else ""
            yield f'{START} custom "business" "{label}"{role}\n'
        yield f'{START} custom "business" "{ELIMINATION}" "elimination"\n\n'
        if self.pool_share:
            yield from self._pool_header()
        yield f'{START} custom "reserve" {RESERVE} "{self.labels[0]}"\n'
        yield f"  provision: {RESERVE_PROVISION}\n  release: {RESERVE_RELEASE}\n\n"
        for item, label in CHART.items():
            for business in [*self.labels, ELIMINATION]:
                if business == ELIMINATION and item == CLEARING:
                    continue
                yield f'{START} open {item}:{business} JPY\n  label: "{label}"\n'
        yield "\n"
        for business in self.labels:
            amount = 500_000_000 if business != self.fund else 2_000_000_000
            other = CAPITAL if business != self.fund else FUND_DEPOSIT
            yield from self._txn(START, "*", "開始残高", [(CASH, business, amount), (other, business, -amount)])

    def _pool_header(self) -> Iterator[str]:
        """The pool, a key over the ordinary businesses with new weights every fiscal year, a rule, the pool's opens."""
        yield f'{START} custom "business" "{POOL}" "common"\n'
        for year in range(YEARS):
            date = datetime.date(START.year + year, START.month, START.day)
            self.key_versions.append((date, [self.rng.randint(1, 50) for _ in self.ordinary]))
            weights = " ".join(f'"{b}" {w}' for b, w in zip(self.ordinary, self.key_versions[-1][1], strict=False))
            yield f'{date} custom "allocation-key" "{POOL_KEY}" {weights}\n'
        yield f'{START} custom "allocation-rule" {RENT} "{POOL_KEY}"\n'
        yield f'{START} open {RENT}:{POOL} JPY\n  label: "{CHART[RENT]}"\n\n'

    def _balances(self, date: datetime.date) -> Iterator[str]:
        for business in self.labels:
            yield f"{date} balance {CASH}:{business} {self.cash[business]} JPY\n"
        yield "\n"

    def _txn(self, date, flag: str, narration: str, postings, tag: str = "", track_clearing: bool = True) -> Iterator[str]:
        self.transactions += 1
        self.postings += len(postings)
        lines = [f'{date} {flag} "{narration}"{tag}\n']
        for item, business, amount in postings:
            if item == CASH:
                self.cash[business] += amount
            elif item == PAYABLE:
                self.payable[business] += amount
            elif item == CLEARING and track_clearing:
                self.clearing[business] += amount
            lines.append(f"  {item}:{business}  {amount} JPY\n")
        lines.append("\n")
        yield "".join(lines)

    # -- transactions ------------------------------------------------------------

    def _transaction(self, date: datetime.date) -> Iterator[str]:
        r = self.rng.random()
        if r < self.internal_share:
            return self._internal(date)
        if r < self.internal_share + self.cross_share:
            return self._cross(date)
        if r < self.internal_share + self.cross_share + self.pool_share:
            return self._common(date)
        business = self.rng.choice(self.labels)
        if business == self.fund:
            return self._fund(date, business)
        return self._single(date, business)

    def _amount(self, low: int = 1, high: int = 500) -> int:
        return self.rng.randint(low, high) * 1000

    def _single(self, date, b: str) -> Iterator[str]:
        kind = self.rng.random()
        if b == self.labels[0] and kind < 0.1:
            return self._reserve(date, b)
        if kind < 0.3:
            amount = self._amount(50, 3000)
            return self._txn(date, "*", "手数料収入", [(CASH, b, amount), (FEES, b, -amount)])
        if kind < 0.55:
            lines = [(item, b, self._amount()) for item in self.rng.sample([PERSONNEL, OUTSOURCING, RENT], self.rng.randint(1, 3))]
            return self._txn(date, "*", "経費の支払", [*lines, (CASH, b, -sum(a for _, _, a in lines))])
        if kind < 0.75:
            amount = self._amount()
            return self._txn(date, "*", "委託費の計上", [(OUTSOURCING, b, amount), (PAYABLE, b, -amount)])
        if kind < 0.9 and self.payable[b] < 0:
            amount = min(-self.payable[b], self._amount(100, 2000))
            return self._txn(date, "*", "未払金の支払", [(PAYABLE, b, amount), (CASH, b, -amount)])
        amount = self._amount(10, 200)
        return self._txn(date, "*", "減価償却", [(DEPRECIATION, b, amount), (EQUIPMENT, b, -amount)])

    def _reserve(self, date, b: str) -> Iterator[str]:
        amount = self._amount(100, 1000)
        if self.reserve >= amount and self.rng.random() < 0.4:
            self.reserve -= amount
            return self._txn(date, "*", "事業積立金の取崩", [(RESERVE, b, amount), (RESERVE_RELEASE, b, -amount)])
        self.reserve += amount
        return self._txn(date, "*", "事業積立金の繰入", [(RESERVE_PROVISION, b, amount), (RESERVE, b, -amount)])

    def _fund(self, date, f: str) -> Iterator[str]:
        if self.rng.random() < 0.2:
            amount = self._amount(1000, 5000)
            return self._txn(date, "*", "基金の受入", [(CASH, f, amount), (FUND_DEPOSIT, f, -amount)])
        amount = self._amount()
        return self._txn(
            date,
            "*",
            "基金事業の委託費（基金取崩）",
            [(OUTSOURCING, f, amount), (CASH, f, -amount), (FUND_DEPOSIT, f, amount), (FUND_RELEASE, f, -amount)],
        )

    def _cross(self, date) -> Iterator[str]:
        if self.rng.random() < 0.3:
            debtor = min(self.ordinary, key=lambda b: (self.clearing[b], b))
            creditor = max(self.ordinary, key=lambda b: (self.clearing[b], b))
            amount = min(-self.clearing[debtor], self.clearing[creditor])
            if amount > 0:
                return self._txn(
                    date,
                    "*",
                    "他事業勘定の精算",
                    [(CASH, debtor, -amount), (CLEARING, debtor, amount), (CASH, creditor, amount), (CLEARING, creditor, -amount)],
                )
        payer, *others = self.rng.sample(self.ordinary, self.rng.randint(2, min(4, len(self.ordinary))))
        shares = [(b, self._amount()) for b in (payer, *others)]
        total = sum(a for _, a in shares)
        postings = [(CASH, payer, -total)]
        postings += [(RENT, b, a) for b, a in shares]
        postings.append((CLEARING, payer, total - shares[0][1]))
        postings += [(CLEARING, b, -a) for b, a in shares[1:]]
        return self._txn(date, "*", "共通経費の立替払", postings)

    def _common(self, date) -> Iterator[str]:
        payer = self.rng.choice(self.ordinary)
        amount = self._amount() + self.rng.randint(0, 999)  # not a round figure: the split has remainders
        if not self.pool_presplit:
            return self._txn(date, "*", "共通経費（賃借料）", [(RENT, POOL, amount), (CASH, payer, -amount)])
        from decimal import Decimal

        from jlis_ledger.plugins.allocations import largest_remainder

        weights = [w for d, w in self.key_versions if d <= date][-1]
        shares = [int(x) for x in largest_remainder(Decimal(amount), weights)]
        postings = [(RENT, b, x) for b, x in zip(self.ordinary, shares, strict=False) if x] + [(CASH, payer, -amount)]
        nets = dict(zip(self.ordinary, shares, strict=False))
        nets[payer] -= amount
        postings += [(CLEARING, b, -nets[b]) for b in self.ordinary if nets[b]]
        # the same books as the plugin makes: its legs are not typed 他事業勘定, so they do not steer the settlements
        return self._txn(date, "*", "共通経費（賃借料）", postings, track_clearing=False)

    def _internal(self, date) -> Iterator[str]:
        seller, buyer = self.rng.sample(self.ordinary, 2)
        amount = self._amount()
        return self._txn(
            date,
            "*",
            "他事業への役務提供",
            [(CONTRACT, seller, -amount), (CLEARING, seller, amount), (CHARGES, buyer, amount), (CLEARING, buyer, -amount)],
            tag=" #internal",
        )
