"""Hypothesis strategies for whole contract ledgers: every statement can be built, every identity checked.

:func:`statement_ledgers` draws a ledger that follows the whole jlis-ledger contract — declared businesses
(ordinary ones, a fund, the elimination column 相殺等, a common pool with a key), a liability reserve and
the general and a purpose reserve, the CF layout, budgets — with two fiscal years of transactions:
revenue, accruals and payments, costs one business pays for another (typed 他事業勘定 legs),
internal charges (``#internal``), common costs booked to the pool, reserve provisions and releases, the
fund's receipts and spending (its net income and net assets stay zero), depreciation, and after each
year the 利益の処分 of every business's net income.  Its text carries the four plugin lines
(allocations, segments strict, reserves, proof) and ``custom "flow"`` assertions of every flow: each
line in each business and consolidated over each year, each ``cf:`` line, each balance at each year
end, each reserve's part of each appropriation.

The expected figures are computed here, from the drawn amounts, by plain sums — never by the library:
the elimination mirrors are the internal postings negated, the pool's shares are exact (every pooled
cost is a multiple of the key's total weight) — so the ledger proves itself against this model::

    from hypothesis import given, settings
    from jlis_ledger.proof import verify
    from jlis_ledger.testing import statements as stst

    @settings(max_examples=20, deadline=None)
    @given(stst.statement_ledgers())
    def test_my_books_articulate(ledger):
        books = ledger.load()                       # loader.load_string with the plugins, then Books
        assert books.errors == []
        for year in ledger.years:
            assert verify.verify(books, books.fiscal_year(year)).failures == []

:meth:`StatementLedger.tampered` moves one unit between two postings of one transaction (the
transaction still balances, the assertions stay those of the untampered model), for tests that a
tamper is caught.  Amounts are integers (yen), the currency JPY, fiscal years end March 31 (``15-31``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from hypothesis import strategies as st

if TYPE_CHECKING:
    from jlis_ledger.books import Books

__all__ = ["Posting", "StatementLedger", "Txn", "statement_ledgers"]

CASH = "Assets:1-流動資産:11-現金及び預金"
AR = "Assets:1-流動資産:12-未収金"
EQUIPMENT = "Assets:2-固定資産:21-備品"
AP = "Liabilities:1-流動負債:11-未払金"
CLEARING = "Liabilities:1-流動負債:17-他事業勘定"
FUND_DEPOSIT = "Liabilities:2-固定負債:21-預り基金"
RESERVE = "Liabilities:2-固定負債:22-事業積立金"
CAPITAL = "Equity:1-出資金"
GENERAL = "Equity:2-利益剰余金:21-積立金"
PURPOSE = "Equity:2-利益剰余金:22-目的積立金"
LEG = "Equity:2-利益剰余金:25-処分対象利益"
FEES = "Income:1-営業収益:101-手数料収入"
CONTRACT = "Income:1-営業収益:102-受託収入"
FUND_RELEASE = "Income:1-営業収益:103-基金取崩収入"
RESERVE_RELEASE = "Income:1-営業収益:104-事業積立金取崩収入"
SERVICES = "Expenses:1-営業費用:101-事業費"
ADMIN = "Expenses:1-営業費用:102-一般管理費"  # booked to the pool, allocated by the key
DEPRECIATION = "Expenses:1-営業費用:103-減価償却費"
PROVISION = "Expenses:2-特別損失:201-事業積立金繰入額"
ITEMS = [CASH, AR, EQUIPMENT, AP, CLEARING, FUND_DEPOSIT, RESERVE, CAPITAL, GENERAL, PURPOSE, LEG,
         FEES, CONTRACT, FUND_RELEASE, RESERVE_RELEASE, SERVICES, ADMIN, DEPRECIATION, PROVISION]
FUND, ELIMINATION, POOL, KEY = "B9-基金事業", "E-相殺等", "C-共通", "人員比"
RECEIPTS, PAYMENTS, FUND_IN = "事業収入", "事業支出", "基金の受入"
CF_LINES = (("営業活動によるキャッシュ・フロー", RECEIPTS), ("営業活動によるキャッシュ・フロー", PAYMENTS), ("財務活動によるキャッシュ・フロー", FUND_IN))
_NAMES = ["一般事業", "受託事業", "情報事業", "研修事業"]


@dataclass(frozen=True)
class Posting:
    account: str
    amount: int
    cf: str | None = None


@dataclass(frozen=True)
class Txn:
    date: datetime.date
    narration: str
    postings: tuple[Posting, ...]
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatementLedger:
    """A drawn contract ledger: the model (businesses, weights, transactions, budgets) and its text."""

    businesses: tuple[str, ...]  # the ordinary businesses, in column order
    weights: tuple[int, ...]  # the pool key's weights, by ordinary business
    years: tuple[int, ...]  # the fiscal years with transactions (Fava's names)
    transactions: tuple[Txn, ...]
    budgets: tuple[tuple[int, str, int], ...]  # (year, account, amount)
    expected: tuple[Txn, ...] | None = field(default=None, compare=False)  # the model the assertions are of

    def fiscal_year(self, year: int) -> tuple[datetime.date, datetime.date]:
        return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)

    # -- what the books must show (the model's own sums) -------------------------------------

    def postings(self, txns: tuple[Txn, ...]) -> list[tuple[datetime.date, str, int, str | None, tuple[str, ...]]]:
        """Every posting as the plugins leave it: the pool's shares (exact) and their 他事業勘定 legs, the
        相殺等 mirrors of internal transactions (their 他事業勘定 mirrors cancel out)."""
        total = sum(self.weights)
        out: list[tuple[datetime.date, str, int, str | None, tuple[str, ...]]] = []
        for t in txns:
            for p in t.postings:
                if p.account.endswith(":" + POOL):
                    item = p.account.rpartition(":")[0]
                    for b, w in zip(self.businesses, self.weights, strict=True):
                        out.append((t.date, f"{item}:{b}", p.amount // total * w, None, t.tags))
                        out.append((t.date, f"{CLEARING}:{b}", -(p.amount // total * w), None, t.tags))
                    continue
                out.append((t.date, p.account, p.amount, p.cf, t.tags))
                if p.account.startswith(CASH + ":") and any(q.account.endswith(":" + POOL) for q in t.postings):
                    out.append((t.date, f"{CLEARING}:{p.account.rpartition(':')[2]}", -p.amount, None, t.tags))
                if "internal" in t.tags and not p.account.startswith(CLEARING + ":"):
                    out.append((t.date, f"{p.account.rpartition(':')[0]}:{ELIMINATION}", -p.amount, None, t.tags))
        return out

    def flows(self) -> list[str]:
        """The ``custom "flow"`` assertions of the model."""
        model = self.expected if self.expected is not None else self.transactions
        postings = self.postings(model)
        lines: list[str] = []
        columns = [*self.businesses, FUND, ELIMINATION]
        for year in self.years:
            start, end = self.fiscal_year(year)
            line: dict[tuple[str, str], int] = defaultdict(int)
            cf: dict[str, int] = defaultdict(int)
            balance: dict[tuple[str, str], int] = defaultdict(int)
            for date, account, amount, label, _ in postings:
                item, _, business = account.rpartition(":")
                if date <= end:
                    balance[(item, business)] += amount
                if start <= date <= end:
                    line[(item, business)] += amount
                    if label:
                        cf[label] += amount
            for item in ITEMS:
                lines.extend(f'{end} custom "flow" {year} {item} {line[(item, business)]} JPY\n  business: "{business}"'
                             for business in columns if (item, business) in line or business != ELIMINATION)
                lines.append(f'{end} custom "flow" {year} {item} {sum(v for (i, _), v in line.items() if i == item)} JPY')
                if item.startswith(("Assets", "Liabilities", "Equity")):
                    lines.extend(f'{end} custom "flow" {end} {item} {balance[(item, business)]} JPY\n  business: "{business}"'
                                 for business in columns)
            lines.extend(f'{end} custom "flow" {year} "{label}" {cf[label]} JPY' for _, label in CF_LINES)
        for t in model:
            if "appropriation" in t.tags:
                for p in t.postings:
                    item, _, business = p.account.rpartition(":")
                    lines.append(f'{t.date} custom "flow" {t.date} {t.date} {item} {p.amount} JPY\n  business: "{business}"\n'
                                 '  tag: "appropriation"')
        return lines

    # -- the ledger ------------------------------------------------------------------------

    @property
    def text(self) -> str:
        first = self.fiscal_year(self.years[0])[0] - datetime.timedelta(days=365)
        out = [
            'option "operating_currency" "JPY"',
            'plugin "jlis_ledger.plugins.allocations"',
            f"plugin \"jlis_ledger.plugins.segments\" \"{{'mode': 'strict', 'clearing': '{CLEARING}', 'internal_tag': 'internal'}}\"",
            'plugin "jlis_ledger.plugins.reserves"',
            'plugin "jlis_ledger.plugins.proof"',
            f'{first} custom "fava-option" "fiscal-year-end" "15-31"',
        ]
        out += [f'{first} custom "business" "{b}"' for b in self.businesses]
        out += [f'{first} custom "business" "{FUND}" "fund"', f'{first} custom "business" "{ELIMINATION}" "elimination"',
                f'{first} custom "business" "{POOL}" "common"',
                f'{first} custom "allocation-key" "{KEY}" ' + " ".join(f'"{b}" {w}' for b, w in zip(self.businesses, self.weights, strict=True)),
                f'{first} custom "allocation-rule" {ADMIN} "{KEY}"',
                f'{first} custom "reserve" {RESERVE} "{self.businesses[0]}"\n  provision: {PROVISION}\n  release: {RESERVE_RELEASE}',
                f"{first} custom \"reserve\" {GENERAL}\n  general: TRUE", f'{first} custom "reserve" {PURPOSE}',
                f'{first} custom "cash-flow-cash" {CASH}']
        out += [f'{first} custom "cash-flow-line" "{section}" "{label}"' for section, label in CF_LINES]
        for item in ITEMS:
            label = item.rpartition(":")[2].split("-", 1)[1]
            for business in [*self.businesses, FUND]:
                out.append(f'{first} open {item}:{business} JPY\n  label: "{label}"')
        out.append(f'{first} open {ADMIN}:{POOL} JPY\n  label: "一般管理費"')
        out += [f'{self.fiscal_year(year)[0]} custom "fiscal-budget" {year} {account} {amount} JPY' for year, account, amount in self.budgets]
        for t in self.transactions:
            tags = "".join(f" #{tag}" for tag in t.tags)
            lines = [f'{t.date} * "{t.narration}"{tags}']
            lines.extend(f"  {p.account}  {p.amount} JPY" + (f'\n    cf: "{p.cf}"' if p.cf else "") for p in t.postings)
            out.append("\n".join(lines))
        out += self.flows()
        return "\n".join(out) + "\n"

    def load(self) -> Books:
        """The books of the text (Beancount's load with the plugins, read as :class:`jlis_ledger.books.Books`)."""
        from beancount import loader

        from jlis_ledger.books import from_entries

        entries, errors, options = loader.load_string(self.text)
        return from_entries("<statement-strategies>", entries, errors, options)

    def tampered(self, txn: int, first: int, second: int) -> StatementLedger:
        """The same ledger with one unit moved from posting ``second`` to posting ``first`` of transaction ``txn``
        (indices wrap around), the assertions still those of the untampered model."""
        t = self.transactions[txn % len(self.transactions)]
        i, j = first % len(t.postings), second % len(t.postings)
        postings = list(t.postings)
        postings[i] = replace(postings[i], amount=postings[i].amount + 1)
        postings[j] = replace(postings[j], amount=postings[j].amount - 1)
        txns = list(self.transactions)
        txns[txn % len(txns)] = replace(t, postings=tuple(postings))
        return replace(self, transactions=tuple(txns), expected=self.expected or self.transactions)


# -- drawing ----------------------------------------------------------------------------------


_AMOUNTS = st.integers(1, 10**6)


def _year(draw: st.DrawFn, year: int, businesses: tuple[str, ...], weights: tuple[int, ...], count: int, reserve: list[int]) -> list[Txn]:
    start = datetime.date(year, 4, 1)
    dates = sorted(draw(st.lists(st.integers(0, 364), min_size=count, max_size=count)))
    out = []
    for offset in dates:
        date = start + datetime.timedelta(days=offset)
        kind = draw(st.sampled_from(("fee", "accrual", "payment", "cross", "internal", "pool", "reserve", "fund", "depreciation")))
        b = draw(st.sampled_from(businesses))
        a = draw(_AMOUNTS)
        if kind == "fee":
            out.append(Txn(date, "手数料収入", (Posting(f"{CASH}:{b}", a, RECEIPTS), Posting(f"{FEES}:{b}", -a))))
        elif kind == "accrual":
            out.append(Txn(date, "事業費の計上", (Posting(f"{SERVICES}:{b}", a), Posting(f"{AP}:{b}", -a))))
        elif kind == "payment":
            out.append(Txn(date, "未払金の支払", (Posting(f"{AP}:{b}", a), Posting(f"{CASH}:{b}", -a, PAYMENTS))))
        elif kind in ("cross", "internal") and len(businesses) >= 2:
            payer, other = draw(st.permutations(businesses))[:2]
            if kind == "cross":
                out.append(Txn(date, "他事業の費用の立替", (Posting(f"{SERVICES}:{other}", a), Posting(f"{CLEARING}:{other}", -a),
                                                      Posting(f"{CLEARING}:{payer}", a), Posting(f"{CASH}:{payer}", -a, PAYMENTS))))
            else:
                out.append(Txn(date, "事業間の役務提供", (Posting(f"{CONTRACT}:{payer}", -a), Posting(f"{CLEARING}:{payer}", a),
                                                    Posting(f"{SERVICES}:{other}", a), Posting(f"{CLEARING}:{other}", -a)), ("internal",)))
        elif kind == "pool":
            cost = sum(weights) * draw(st.integers(1, 10**4))  # exact shares: a multiple of the key's total weight
            out.append(Txn(date, "共通経費", (Posting(f"{ADMIN}:{POOL}", cost), Posting(f"{CASH}:{b}", -cost, PAYMENTS))))
        elif kind == "reserve":
            first = businesses[0]
            if reserve[0] >= a and draw(st.booleans()):
                reserve[0] -= a
                out.append(Txn(date, "事業積立金の取崩", (Posting(f"{RESERVE}:{first}", a), Posting(f"{RESERVE_RELEASE}:{first}", -a))))
            else:
                reserve[0] += a
                out.append(Txn(date, "事業積立金の繰入", (Posting(f"{PROVISION}:{first}", a), Posting(f"{RESERVE}:{first}", -a))))
        elif kind == "fund":
            if draw(st.booleans()):
                out.append(Txn(date, "基金の受入", (Posting(f"{CASH}:{FUND}", a, FUND_IN), Posting(f"{FUND_DEPOSIT}:{FUND}", -a))))
            else:
                out.append(Txn(date, "基金事業の支出", (Posting(f"{SERVICES}:{FUND}", a), Posting(f"{CASH}:{FUND}", -a, PAYMENTS),
                                                  Posting(f"{FUND_DEPOSIT}:{FUND}", a), Posting(f"{FUND_RELEASE}:{FUND}", -a))))
        else:
            out.append(Txn(date, "減価償却", (Posting(f"{DEPRECIATION}:{b}", a), Posting(f"{EQUIPMENT}:{b}", -a))))
    return out


def _appropriation(draw: st.DrawFn, ledger: StatementLedger, year: int) -> Txn | None:
    """The 利益の処分 of ``year``'s net income (the model's own sums), dated in the next year."""
    start, end = ledger.fiscal_year(year)
    income: dict[str, int] = defaultdict(int)
    for date, account, amount, _, _ in ledger.postings(ledger.transactions):
        if start <= date <= end and account.startswith(("Income:", "Expenses:")):
            income[account.rpartition(":")[2]] -= amount
    postings: list[Posting] = []
    for b in ledger.businesses:
        profit = income.get(b, 0)
        if not profit:
            continue
        part = draw(st.integers(0, profit)) if profit > 0 else 0
        postings += [Posting(f"{LEG}:{b}", profit), Posting(f"{GENERAL}:{b}", -(profit - part))]
        if part:
            postings.append(Posting(f"{PURPOSE}:{b}", -part))
    if not postings:
        return None
    return Txn(end + datetime.timedelta(days=draw(st.integers(30, 90))), f"{year}年度利益の処分", tuple(postings), ("appropriation",))


@st.composite
def statement_ledgers(draw: st.DrawFn, min_businesses: int = 2, max_businesses: int = 4, years: tuple[int, ...] = (2021, 2022),
                      max_transactions: int = 12) -> StatementLedger:
    """A whole contract ledger over ``years`` (see the module docstring)."""
    n = draw(st.integers(min_businesses, max_businesses))
    businesses = tuple(f"B{i + 1}-{_NAMES[i % len(_NAMES)]}" for i in range(n))
    weights = tuple(draw(st.lists(st.integers(1, 9), min_size=n, max_size=n)))
    opening_date = datetime.date(years[0], 3, 31)
    txns: list[Txn] = []
    for b in businesses:
        cash = draw(st.integers(10**9, 10**10))
        txns.append(Txn(opening_date, f"期首残高（{b}）", (Posting(f"{CASH}:{b}", cash, RECEIPTS), Posting(f"{CAPITAL}:{b}", -(cash // 2)),
                                                      Posting(f"{GENERAL}:{b}", cash // 2 - cash)), ("opening",)))
    txns.append(Txn(opening_date, "期首残高（基金）", (Posting(f"{CASH}:{FUND}", 10**8, FUND_IN), Posting(f"{FUND_DEPOSIT}:{FUND}", -(10**8))),
                    ("opening",)))
    reserve = [0]
    budgets = []
    ledger = StatementLedger(businesses, weights, years, (), ())
    for year in years:
        txns += _year(draw, year, businesses, weights, draw(st.integers(1, max_transactions)), reserve)
        budgets += [(year, account, draw(st.integers(0, 10**7))) for account in (FEES, SERVICES, CASH)]
        ledger = replace(ledger, transactions=tuple(txns))
        appropriation = _appropriation(draw, ledger, year)
        if appropriation is not None:
            txns.append(appropriation)
    return StatementLedger(businesses, weights, years, tuple(sorted(txns, key=lambda t: t.date)), tuple(budgets))
