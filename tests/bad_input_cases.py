"""The bad-input corpus (issue 13): one row per case, run by tests/test_bad_input.py.

A :class:`Case` is a command line (``{tmp}``: the case's own directory, ``{ro}``: a directory nobody may write
into), the files it needs (written into ``{tmp}`` first; text, or bytes for a wrong encoding), and what its one
line of standard error must name: ``where`` (the file:line, the CSV row, or the output file) and ``says`` (the
reason). Every case is checked the same way: exit status 1, exactly one line on standard error, no traceback,
every file byte-identical afterwards, and no file created. To add a case, add a row; ``at(text, needle)`` is the
``file:line`` of the first line of ``text`` that contains ``needle``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "importers" / "fixtures"


@dataclass(frozen=True)
class Case:
    id: str
    family: str
    argv: tuple[str, ...]
    files: dict[str, str | bytes] = field(default_factory=dict)
    where: str = ""
    says: str = ""
    status: int = 1
    needs: str | None = None  # "readonly": a {ro} directory (skipped where none can be made)


def at(text: str, needle: str, name: str = "main.beancount") -> str:
    """``{tmp}/NAME:LINE:`` where the last occurrence of ``needle`` in ``text`` starts (a case's fault is usually
    what it appends)."""
    start = text.rfind(needle)
    if start == -1:
        raise ValueError(f"the case's text does not contain {needle!r}")
    return f"{{tmp}}/{name}:{text.count(chr(10), 0, start) + 1}:"


# -- ledgers --------------------------------------------------------------------------------------

HEAD = """\
option "title" "テスト機構"
option "operating_currency" "JPY"
plugin "jlis_ledger.plugins.segments" "{'mode': 'strict', 'clearing': 'Liabilities:1-流動負債:17-他事業勘定', 'internal_tag': 'internal'}"
plugin "jlis_ledger.plugins.reserves"
2022-04-01 custom "fava-option" "fiscal-year-end" "15-31"
2022-04-01 custom "business" "B1-一般事業"
2022-04-01 custom "business" "B2-受託事業"
2022-04-01 custom "business" "E-相殺等" "elimination"
2022-04-01 custom "reserve" Liabilities:2-固定負債:24-積立金 "B2-受託事業"
  provision: Expenses:4-特別損失:42-積立金繰入額
  release: Income:1-営業収益:20-積立金取崩収入
2022-04-01 open Assets:1-流動資産:11-現金及び預金:B1-一般事業 JPY
2022-04-01 open Assets:1-流動資産:11-現金及び預金:B2-受託事業 JPY
2022-04-01 open Liabilities:1-流動負債:17-他事業勘定:B1-一般事業 JPY
2022-04-01 open Liabilities:1-流動負債:17-他事業勘定:B2-受託事業 JPY
2022-04-01 open Liabilities:2-固定負債:24-積立金:B2-受託事業 JPY
2022-04-01 open Equity:1-資本金:B1-一般事業 JPY
2022-04-01 open Equity:1-資本金:B2-受託事業 JPY
2022-04-01 open Income:1-営業収益:10-事業収入:B1-一般事業 JPY
2022-04-01 open Income:1-営業収益:10-事業収入:B2-受託事業 JPY
2022-04-01 open Income:1-営業収益:20-積立金取崩収入:B2-受託事業 JPY
2022-04-01 open Expenses:1-営業費用:10-事業費:B1-一般事業 JPY
2022-04-01 open Expenses:1-営業費用:10-事業費:B2-受託事業 JPY
2022-04-01 open Expenses:4-特別損失:42-積立金繰入額:B2-受託事業 JPY
"""

SALE = """\
2022-05-01 * "事業収入"
  Assets:1-流動資産:11-現金及び預金:B1-一般事業   1,000,000 JPY
  Income:1-営業収益:10-事業収入:B1-一般事業    -1,000,000 JPY
"""

GOOD = HEAD + SALE


def ledger(name: str, family: str, extra: str, needle: str, says: str, *, head: str = HEAD, command: tuple[str, ...] = ("check",),
           files: dict[str, str | bytes] | None = None) -> Case:
    """A ledger case: GOOD's head, the sale, and ``extra``; the one error at the line containing ``needle``."""
    text = head + SALE + extra
    return Case(name, family, (*command, "{tmp}/main.beancount", "--no-cache"), {"main.beancount": text, **(files or {})},
                at(text, needle), says)


LEDGER_CASES = [
    ledger("unbalanced-transaction", "ledger", '2022-06-01 * "x"\n  Assets:1-流動資産:11-現金及び預金:B1-一般事業  100 JPY\n'
           "  Income:1-営業収益:10-事業収入:B1-一般事業  -90 JPY\n", '2022-06-01 * "x"', "does not balance"),
    ledger("unknown-business", "ledger", "2022-04-01 open Assets:1-流動資産:11-現金及び預金:B9-不明 JPY\n",
           "B9-不明", "B9-不明"),
    ledger("unbalanced-business-strict", "ledger", '2022-06-01 * "cross"\n  Assets:1-流動資産:11-現金及び預金:B1-一般事業  100 JPY\n'
           "  Income:1-営業収益:10-事業収入:B2-受託事業  -100 JPY\n", '2022-06-01 * "cross"', "B1-一般事業"),
    ledger("negative-reserve", "ledger", '2022-06-01 * "取崩"\n  Liabilities:2-固定負債:24-積立金:B2-受託事業  100 JPY\n'
           "  Income:1-営業収益:20-積立金取崩収入:B2-受託事業  -100 JPY\n", '2022-06-01 * "取崩"', "never drawn beyond its balance"),
    ledger("reserve-in-another-business", "ledger", "2022-04-01 open Liabilities:2-固定負債:24-積立金:B1-一般事業 JPY\n"
           "2022-04-01 open Expenses:4-特別損失:42-積立金繰入額:B1-一般事業 JPY\n"
           '2022-06-01 * "繰入"\n  Expenses:4-特別損失:42-積立金繰入額:B1-一般事業  100 JPY\n  Liabilities:2-固定負債:24-積立金:B1-一般事業  -100 JPY\n',
           '2022-06-01 * "繰入"', "B2-受託事業"),
    ledger("business-without-label", "declaration", '2022-04-01 custom "business"\n', 'custom "business"\n', 'custom "business" takes a label'),
    ledger("business-label-not-a-component", "declaration", '2022-04-01 custom "business" "b3 bad"\n', '"b3 bad"', "not a valid account component"),
    ledger("business-unknown-role", "declaration", '2022-04-01 custom "business" "B3-三" "boss"\n', '"boss"', "unknown role"),
    ledger("business-declared-twice", "declaration", '2022-04-02 custom "business" "B1-一般事業"\n', '2022-04-02 custom "business"', "declared twice"),
    ledger("reserve-without-account-then-pad", "declaration", '2022-04-01 custom "reserve"\n'
           "2022-04-02 pad Assets:1-流動資産:11-現金及び預金:B2-受託事業 Equity:1-資本金:B2-受託事業\n"
           "2022-04-03 balance Assets:1-流動資産:11-現金及び預金:B2-受託事業  500 JPY\n", 'custom "reserve"\n', 'custom "reserve" takes an account'),
    ledger("custom-without-values-then-pad", "declaration", '2022-04-01 custom "statement-line"\n'
           "2022-04-02 pad Assets:1-流動資産:11-現金及び預金:B2-受託事業 Equity:1-資本金:B2-受託事業\n"
           "2022-04-03 balance Assets:1-流動資産:11-現金及び預金:B2-受託事業  500 JPY\n", 'custom "statement-line"\n', "statement-line"),
    ledger("note-fact-without-source", "declaration", '2022-04-01 custom "note-table" "cash-scope" "資金の範囲" "as-of"\n'
           '2022-04-01 custom "note-column" "cash-scope" "金額"\n2022-04-01 custom "note-row" "cash-scope" "line" 0 "定期預金"\n'
           '2023-03-31 custom "note-fact" "cash-scope" "定期預金" "金額" 0\n', 'custom "note-fact"', "has no source: metadata"),
    ledger("note-cell-unknown-source", "declaration", '2022-04-01 custom "note-table" "cash-scope" "資金の範囲" "as-of"\n'
           '2022-04-01 custom "note-column" "cash-scope" "金額"\n2022-04-01 custom "note-row" "cash-scope" "line" 0 "預金"\n'
           '2022-04-01 custom "note-cell" "cash-scope" "預金" "金額" "balance" Assets:1-流動資産\n', '"balance"', "source 'balance' is not one of"),
    ledger("reserve-undeclared-business", "declaration", '2022-04-01 custom "reserve" Liabilities:2-固定負債:25-その他 "B7-ない"\n',
           "B7-ない", "B7-ない"),
    ledger("reserve-plan-undeclared-reserve", "declaration",
           '2022-04-01 custom "reserve-plan" Liabilities:2-固定負債:99-無 2022-04-01 2023-03-31 100 JPY 0 JPY\n', "99-無", "99-無"),
    ledger("allocation-key-negative-weight", "declaration", '2022-04-01 custom "allocation-key" "k" "B1-一般事業" -1 "B2-受託事業" 2\n',
           '"allocation-key"', "negative"),
    ledger("allocation-rule-undeclared-key", "declaration", '2022-04-01 custom "allocation-rule" Expenses:1-営業費用 "nokey"\n',
           '"nokey"', "nokey"),
    ledger("fiscal-budget-malformed", "declaration", '2022-04-01 custom "fiscal-budget" "令和4" Income:1-営業収益 100 JPY\n',
           "fiscal-budget", "fiscal-budget"),
    ledger("trend-record-fractional-year", "declaration", '2022-04-01 custom "trend" "収益" Income:1-営業収益\n'
           '2022-04-01 custom "trend-record" "収益" 2014.5 "B1-一般事業" 30.8\n', "2014.5", "trend-record"),
    ledger("trend-places-not-whole", "declaration", '2022-04-01 custom "trend" "収益" Income:1-営業収益\n  places: 1.5\n',
           'custom "trend"', "places"),
    ledger("fiscal-year-end-malformed", "declaration", "", '"fiscal-year-end"', "not MM-DD",
           head=HEAD.replace('"fiscal-year-end" "15-31"', '"fiscal-year-end" "March"')),
    ledger("elimination-typed-by-hand", "ledger", "2022-04-01 open Assets:1-流動資産:11-現金及び預金:E-相殺等 JPY\n"
           '2022-06-01 * "hand"\n  Assets:1-流動資産:11-現金及び預金:E-相殺等  100 JPY\n  Assets:1-流動資産:11-現金及び預金:E-相殺等  -100 JPY\n',
           '2022-06-01 * "hand"', "elimination"),
    ledger("fraction-of-a-yen", "amounts", '2022-06-01 * "x"\n  Assets:1-流動資産:11-現金及び預金:B1-一般事業  100.5 JPY\n'
           "  Income:1-営業収益:10-事業収入:B1-一般事業  -100.5 JPY\n", "B1-一般事業  100.5 JPY", "has no minor unit"),
    ledger("fraction-made-by-a-price", "amounts", "2022-04-01 open Assets:1-流動資産:12-有価証券:B1-一般事業\n"
           '2022-06-01 * "buy"\n  Assets:1-流動資産:12-有価証券:B1-一般事業  1.5 HOOL @ 3 JPY\n  Assets:1-流動資産:11-現金及び預金:B1-一般事業\n',
           "  Assets:1-流動資産:11-現金及び預金:B1-一般事業\n", "4.5 JPY"),
    ledger("posting-booking-cannot-complete", "ledger", "2022-04-01 open Assets:1-流動資産:12-有価証券:B1-一般事業\n"
           '2022-06-01 * "buy"\n  Assets:1-流動資産:12-有価証券:B1-一般事業  HOOL {{100 JPY}}\n'
           "  Assets:1-流動資産:11-現金及び預金:B1-一般事業  -100 JPY\n", "HOOL {{100 JPY}}", "Cannot infer"),
    ledger("missing-include", "files", 'include "fy2023/missing.beancount"\n', 'include "fy2023', "no file matches"),
    ledger("include-of-itself", "files", 'include "main.beancount"\n', 'include "main.beancount"', "included twice"),
    ledger("plugin-not-importable", "plugins", "", 'plugin "jlis_ledger.plugins.nothing"', "cannot be imported",
           head=HEAD.replace('plugin "jlis_ledger.plugins.reserves"', 'plugin "jlis_ledger.plugins.nothing"')),
    ledger("segments-mode-unknown", "plugins", "", "'mode': 'lenient'", "'mode' must be",
           head=HEAD.replace("'mode': 'strict'", "'mode': 'lenient'")),
    ledger("segments-config-not-a-dict", "plugins", "", '"{\'mode\': "', "not a Python dict literal",
           head=HEAD.replace("\"{'mode': 'strict', 'clearing': 'Liabilities:1-流動負債:17-他事業勘定', 'internal_tag': 'internal'}\"", "\"{'mode': \"")),
    ledger("segments-config-unknown-key", "plugins", "", "'internal_tag': 'internal', 'colour'", "unknown key",
           head=HEAD.replace("'internal_tag': 'internal'}", "'internal_tag': 'internal', 'colour': 'red'}")),
    ledger("segments-clearing-missing", "plugins", "", "{'mode': 'strict'}", "'clearing' must be",
           head=HEAD.replace("\"{'mode': 'strict', 'clearing': 'Liabilities:1-流動負債:17-他事業勘定', 'internal_tag': 'internal'}\"", "\"{'mode': 'strict'}\"")),
    ledger("reserves-config-unknown-key", "plugins", "", 'plugin "jlis_ledger.plugins.reserves" "{', "unknown",
           head=HEAD.replace('plugin "jlis_ledger.plugins.reserves"', 'plugin "jlis_ledger.plugins.reserves" "{\'tag\': 1}"')),
    ledger("allocations-config-not-a-dict", "plugins", "", 'plugin "jlis_ledger.plugins.allocations" "[1]"', "allocations",
           head=HEAD.replace('plugin "jlis_ledger.plugins.reserves"', 'plugin "jlis_ledger.plugins.allocations" "[1]"\nplugin "jlis_ledger.plugins.reserves"')),
    ledger("allocations-config-unknown-key", "plugins", "", "'clearance'", "unknown",
           head=HEAD.replace('plugin "jlis_ledger.plugins.reserves"', 'plugin "jlis_ledger.plugins.allocations" "{\'clearance\': 1}"\nplugin "jlis_ledger.plugins.reserves"')),
    ledger("syntax-error", "ledger", "2022-06-01 * \"x\n", '2022-06-01 * "x', ""),
    ledger("open-twice", "ledger", "2022-04-01 open Equity:1-資本金:B1-一般事業 JPY\n", "2022-04-01 open Equity:1-資本金:B1-一般事業 JPY\n",
           "Duplicate open"),
    ledger("balance-fails", "ledger", "2022-06-01 balance Assets:1-流動資産:11-現金及び預金:B1-一般事業  5 JPY\n", "2022-06-01 balance",
           "Balance failed"),
]

POOL_HEAD = HEAD.replace('plugin "jlis_ledger.plugins.segments"', 'plugin "jlis_ledger.plugins.allocations"\nplugin "jlis_ledger.plugins.segments"') + (
    '2022-04-01 custom "business" "C-共通" "common"\n2022-04-01 open Expenses:1-営業費用:10-事業費:C-共通 JPY\n')
POOL_POSTING = '2022-06-01 * "共通費"\n  Expenses:1-営業費用:10-事業費:C-共通  900 JPY\n  Assets:1-流動資産:11-現金及び預金:B1-一般事業  -900 JPY\n'
POOL_KEYED = ('2022-04-01 custom "allocation-key" "人員比" "B1-一般事業" 1 "B2-受託事業" 2\n'
              '2022-04-01 custom "allocation-rule" Expenses:1-営業費用:10-事業費 "人員比"\n')

LEDGER_CASES += [
    ledger("pool-posting-without-key", "one-fault", POOL_POSTING, '2022-06-01 * "共通費"', "no allocation rule", head=POOL_HEAD),
    ledger("pool-key-not-in-force", "one-fault", POOL_KEYED.replace("2022-04-01 custom \"allocation-key\"", "2022-07-01 custom \"allocation-key\"")
           + POOL_POSTING, '2022-06-01 * "共通費"', "not in force", head=POOL_HEAD),
    ledger("broken-segments-clearing-with-a-pool", "one-fault", POOL_KEYED + POOL_POSTING, 'plugin "jlis_ledger.plugins.segments"',
           "'clearing' must be", head=POOL_HEAD.replace("'clearing': 'Liabilities:1-流動負債:17-他事業勘定', ", "")),
]

NOTE = '2022-04-01 custom "statement-note" "notes" "損益計算書" "(注1)" "収入の増"\n  cites: "pl"\n'
LEDGER_CASES += [  # the declarations of issue 16 (notes and tables declared as data)
    ledger("statement-row-level-not-a-number", "declaration", '2022-04-01 custom "statement-row" "grants" "交付" "one" 1\n',
           'custom "statement-row"', 'custom "statement-row" takes'),
    ledger("statement-note-cites-without-lines", "declaration", NOTE, 'custom "statement-note"', 'custom "statement-note" takes'),
    ledger("statement-note-cites-a-missing-line", "statement", NOTE + '  cited-by: "ない科目"\n', 'custom "statement-note"',
           "ない科目", command=("statements", "--statement", "pl", "--year", "2022")),
]

SHIFT_JIS = GOOD.replace("事業収入\"", "事業収入\"").encode("cp932")
ENCODING_CASES = [
    Case("main-file-shift-jis", "encoding", ("check", "{tmp}/main.beancount", "--no-cache"), {"main.beancount": SHIFT_JIS},
         "{tmp}/main.beancount:1:", "Shift_JIS"),
    Case("included-file-shift-jis", "encoding", ("check", "{tmp}/main.beancount", "--no-cache"),
         {"main.beancount": HEAD + 'include "sales.beancount"\n', "sales.beancount": SALE.encode("cp932")},
         "{tmp}/sales.beancount:1:", "not UTF-8"),
    Case("main-file-utf16", "encoding", ("check", "{tmp}/main.beancount", "--no-cache"), {"main.beancount": GOOD.encode("utf-16")},
         "{tmp}/main.beancount:1:", "UTF-16"),
    Case("one-line-in-shift-jis", "encoding", ("check", "{tmp}/main.beancount", "--no-cache"),
         {"main.beancount": GOOD.encode() + '2022-06-01 * "東京"\n'.encode("cp932")
          + b"  Assets:1-\xe6\xb5\x81\xe5\x8b\x95\xe8\xb3\x87\xe7\x94\xa3:11-\xe7\x8f\xbe\xe9\x87\x91\xe5\x8f\x8a\xe3\x81\xb3\xe9\xa0\x90\xe9\x87\x91:B1-\xe4\xb8\x80\xe8\x88\xac\xe4\xba\x8b\xe6\xa5\xad  1 JPY\n"},
         f"{{tmp}}/main.beancount:{GOOD.count(chr(10)) + 1}:", "not UTF-8"),
]

# -- the books as a whole: which command, which year ---------------------------------------------------

NO_BUSINESS = 'option "operating_currency" "JPY"\n2022-04-01 open Assets:Cash JPY\n2022-04-01 open Income:Sales JPY\n' + (
    '2022-05-01 * "sale"\n  Assets:Cash  100 JPY\n  Income:Sales  -100 JPY\n')
BROKEN = GOOD + '2022-06-01 * "x"\n  Assets:1-流動資産:11-現金及び預金:B1-一般事業  100 JPY\n  Income:1-営業収益:10-事業収入:B1-一般事業  -90 JPY\n'
CASH_FLOW = GOOD.replace(SALE, "") + (
    '2022-04-01 custom "cash-flow-cash" Assets:1-流動資産:11-現金及び預金\n'
    '2022-04-01 custom "cash-flow-line" "業務活動によるキャッシュ・フロー" "事業収入"\n'
    '2022-05-01 * "事業収入"\n  Assets:1-流動資産:11-現金及び預金:B1-一般事業   1,000,000 JPY\n    cf: "事業収入"\n'
    "  Income:1-営業収益:10-事業収入:B1-一般事業    -1,000,000 JPY\n"
    '2022-06-01 * "事業収入"\n  Assets:1-流動資産:11-現金及び預金:B2-受託事業   7,000 JPY\n'
    "  Income:1-営業収益:10-事業収入:B2-受託事業    -7,000 JPY\n")


def books(name: str, family: str, command: tuple[str, ...], text: str, where: str, says: str, after: tuple[str, ...] = (),
          files: dict[str, str | bytes] | None = None, path: str = "{tmp}/main.beancount") -> Case:
    """A case of a command on books (``path``: the ledger argument) that are themselves fine or broken as ``text``."""
    position = 2 if command[0] == "export" else 1
    argv = (*command[:position], path, *command[position:], "--no-cache", *after)
    return Case(name, family, argv, {"main.beancount": text, **(files or {})}, where, says)


BOOKS_CASES = [
    books("check-on-a-directory", "arguments", ("check",), GOOD, "{tmp}/adir", "is a directory", files={"adir/keep": ""}, path="{tmp}/adir"),
    books("check-no-business", "no-business", ("check",), NO_BUSINESS, "{tmp}/main.beancount", "declares no business"),
    books("reconcile-no-business", "no-business", ("reconcile",), NO_BUSINESS, "{tmp}/main.beancount", "declares no business"),
    books("statements-no-business", "no-business", ("statements", "--statement", "bs"), NO_BUSINESS, "{tmp}/main.beancount",
          "declares no business"),
    books("check-year-10000", "year", ("check",), GOOD, "fiscal year 10000", "outside the calendar", after=("--year", "10000")),
    books("check-year-0", "year", ("check",), GOOD, "fiscal year 0", "outside the calendar", after=("--year", "0")),
    books("check-year-without-entries", "year", ("check",), GOOD, "{tmp}/main.beancount", "no entries in fiscal year 2030",
          after=("--year", "2030")),
    books("statements-year-10000", "year", ("statements", "--statement", "pl"), GOOD, "fiscal year 10000", "outside the calendar",
          after=("--year", "10000")),
    books("statements-year-without-entries", "year", ("statements", "--statement", "pl"), GOOD, "{tmp}/main.beancount",
          "no entries in fiscal year 2019", after=("--year", "2019")),
    books("reserves-year-without-entries", "year", ("reserves",), GOOD, "{tmp}/main.beancount", "no entries", after=("--year", "2030")),
    books("allocations-year-10000", "year", ("allocations",), GOOD, "fiscal year 10000", "outside the calendar", after=("--year", "10000")),
    books("export-postings-year-without-entries", "year", ("export", "postings", "--format", "csv"), GOOD, "{tmp}/main.beancount",
          "no entries", after=("--year", "2030")),
    books("reconcile-year-10000", "year", ("reconcile",), GOOD, "fiscal year 10000", "outside the calendar", after=("--year", "10000")),
    books("statements-from-broken-books", "refused", ("statements", "--statement", "pl", "-o", "{tmp}/pl.txt"), BROKEN,
          at(BROKEN, '2022-06-01 * "x"'), "nothing written"),
    books("xlsx-from-broken-books", "refused", ("statements", "--statement", "pl", "--format", "xlsx", "-o", "{tmp}/pl.xlsx"), BROKEN,
          at(BROKEN, '2022-06-01 * "x"'), "nothing written"),
    books("postings-from-broken-books", "refused", ("export", "postings", "--format", "csv", "-o", "{tmp}/p.csv"), BROKEN,
          at(BROKEN, '2022-06-01 * "x"'), "nothing exported"),
    books("reconcile-broken-books", "refused", ("reconcile",), BROKEN, at(BROKEN, '2022-06-01 * "x"'), "nothing reconciled"),
    books("cash-posting-without-cf", "statements", ("statements", "--statement", "cf"), CASH_FLOW,
          at(CASH_FLOW, "Assets:1-流動資産:11-現金及び預金:B2-受託事業   7,000 JPY"), "has no cf: line"),
    books("cash-posting-without-cf-all", "statements", ("statements", "--all", "--format", "csv", "-o", "{tmp}/out"), CASH_FLOW,
          at(CASH_FLOW, "Assets:1-流動資産:11-現金及び預金:B2-受託事業   7,000 JPY"), "has no cf: line"),
    books("cf-without-cash-accounts", "statements", ("statements", "--statement", "cf"), GOOD, "cash-flow-cash", "declares no cash accounts"),
    books("xlsx-without-output", "arguments", ("statements", "--statement", "pl", "--format", "xlsx"), GOOD, "--format xlsx", "needs -o"),
    books("xlsx-in-oku-yen", "arguments", ("statements", "--statement", "pl", "--format", "xlsx", "-o", "{tmp}/pl.xlsx", "--unit", "億円"),
          GOOD, "--format xlsx", "億円"),
    books("all-csv-onto-a-file", "arguments", ("statements", "--all", "--format", "csv", "-o", "{tmp}/afile"), GOOD, "{tmp}/afile", "is a file",
          files={"afile": "keep"}),
    books("parquet-without-output", "arguments", ("export", "postings"), GOOD, "--format parquet", "needs -o"),
    books("missing-ledger", "arguments", ("check",), GOOD, "{tmp}/nowhere.beancount", "does not exist", path="{tmp}/nowhere.beancount"),
]

REFERENCE = ("reconcile", "{tmp}/main.beancount", "--no-cache", "--published")
RECONCILE_CASES = [
    Case("published-missing", "reconcile", (*REFERENCE, "{tmp}/none.json"), {"main.beancount": GOOD}, "{tmp}/none.json", "cannot read"),
    Case("published-not-json", "reconcile", (*REFERENCE, "{tmp}/r.json"), {"main.beancount": GOOD, "r.json": '{"tables":\n  {\n'},
         "{tmp}/r.json:3:", "not JSON"),
    Case("published-a-list", "reconcile", (*REFERENCE, "{tmp}/r.json"), {"main.beancount": GOOD, "r.json": "[1, 2]"},
         "{tmp}/r.json", "not an object"),
    Case("published-tables-a-string", "reconcile", (*REFERENCE, "{tmp}/r.json"), {"main.beancount": GOOD, "r.json": '{"tables": "bs"}'},
         "{tmp}/r.json", "not an object of tables"),
    Case("published-no-statement", "reconcile", (*REFERENCE, "{tmp}/r.json"), {"main.beancount": GOOD, "r.json": '{"tables": {"x": {}}}'},
         "{tmp}/r.json", "no table of a statement id"),
    Case("published-table-without-rows", "reconcile", (*REFERENCE, "{tmp}/r.json"),
         {"main.beancount": GOOD, "r.json": '{"tables": {"pl": {"columns": ["金額"]}}}'}, "{tmp}/r.json: table pl", "not a table"),
    Case("published-row-malformed", "reconcile", (*REFERENCE, "{tmp}/r.json"),
         {"main.beancount": GOOD, "r.json": '{"tables": {"pl": {"columns": ["金額"], "rows": [{"label": 3}]}}}'},
         "{tmp}/r.json: table pl: row 1", "not a row"),
    Case("published-bad-period", "reconcile", (*REFERENCE, "{tmp}/r.json"),
         {"main.beancount": GOOD, "r.json": '{"tables": {"pl": {"columns": ["金額"], "rows": [], "period": ["x", "2023-13-01"]}}}'},
         "{tmp}/r.json: table pl", "not an ISO date"),
    Case("published-table-without-period", "reconcile", (*REFERENCE, "{tmp}/r.json"),
         {"main.beancount": GOOD, "r.json": '{"tables": {"pl": {"columns": ["金額"], "rows": []}}}'}, "pl", "give it with --year"),
    Case("published-not-utf8", "reconcile", (*REFERENCE, "{tmp}/r.json"), {"main.beancount": GOOD, "r.json": '{"表": 1}'.encode("cp932")},
         "{tmp}/r.json", "not UTF-8"),
    Case("published-a-directory", "reconcile", (*REFERENCE, "{tmp}/adir"), {"main.beancount": GOOD, "adir/keep": ""},
         "{tmp}/adir", "cannot read"),
]

ARGUMENT_CASES = [
    Case("synth-negative-transactions", "arguments", ("synth", "{tmp}/s.beancount", "--transactions", "-5"), {}, "--transactions", "0 or more"),
    Case("synth-no-business", "arguments", ("synth", "{tmp}/s.beancount", "--businesses", "0"), {}, "--businesses", "1 or more"),
    Case("synth-share-above-one", "arguments", ("synth", "{tmp}/s.beancount", "--cross-share", "2"), {}, "--cross-share", "between 0 and 1"),
]

# -- outputs that cannot be written -------------------------------------------------------------

WRITERS = {
    "statements-text": ("statements", "{tmp}/main.beancount", "--statement", "pl", "-o", "{out}.txt"),
    "statements-csv": ("statements", "{tmp}/main.beancount", "--statement", "segment-bs", "--format", "csv", "-o", "{out}.csv"),
    "statements-json": ("statements", "{tmp}/main.beancount", "--statement", "bs", "--format", "json", "-o", "{out}.json"),
    "statements-xlsx": ("statements", "{tmp}/main.beancount", "--statement", "bs", "--format", "xlsx", "-o", "{out}.xlsx"),
    "statements-pdf": ("statements", "{tmp}/main.beancount", "--statement", "pl", "--format", "pdf", "-o", "{out}.pdf"),
    "check-csv": ("check", "{tmp}/main.beancount", "--format", "csv", "-o", "{out}.csv"),
    "reserves-xlsx": ("reserves", "{tmp}/main.beancount", "--format", "xlsx", "-o", "{out}.xlsx"),
    "sources-csv": ("sources", "{tmp}/main.beancount", "--format", "csv", "-o", "{out}.csv"),
    "export-yayoi": ("export", "yayoi", "{tmp}/books.beancount", "--year", "2023", "-o", "{out}.csv"),
    "export-mf": ("export", "mf", "{tmp}/books.beancount", "--year", "2023", "-o", "{out}.csv"),
    "export-postings-csv": ("export", "postings", "{tmp}/main.beancount", "--format", "csv", "-o", "{out}.csv"),
    "export-postings-parquet": ("export", "postings", "{tmp}/main.beancount", "-o", "{out}.parquet"),
    "import-extract": ("import", "--ledger", "{tmp}/books.beancount", "extract", "{tmp}/journal.csv", "-o", "{out}.beancount"),
    "synth": ("synth", "{out}.beancount", "--transactions", "5"),
}
TARGETS = {  # where the output goes: the {out} of WRITERS, what the one line says
    "into-a-missing-directory": ("{tmp}/missing/out", "does not exist"),
    "onto-a-directory": ("{tmp}/adir", "it is a directory"),
    "into-a-read-only-directory": ("{ro}/out", "cannot write the output"),
}
EXCHANGE_FILES = {  # the importer tests' small ledger, with a 伝票 in FY2023 to export, and its mapping
    "books.beancount": (FIXTURES / "ledger.beancount").read_text(encoding="utf-8") + (
        '2023-05-01 * "元入金の払込"\n  Assets:1-預金:1-普通:B1-一般事業  1000 JPY\n  Equity:1-元入金:B1-一般事業  -1000 JPY\n'),
    "import/mapping.csv": (FIXTURES / "import" / "mapping.csv").read_text(encoding="utf-8"),
    "journal.csv": (FIXTURES / "journal.csv").read_text(encoding="utf-8"),
    "yayoi.csv": (FIXTURES / "yayoi-fy2023.csv").read_bytes(),
}


def _output_cases() -> list[Case]:
    out = []
    for writer, argv in WRITERS.items():
        for target, (stem, says) in TARGETS.items():
            suffix = next((a[len("{out}"):] for a in argv if a.startswith("{out}")), "")
            path = stem + suffix if target != "onto-a-directory" else stem
            files: dict[str, str | bytes] = {"main.beancount": GOOD, **EXCHANGE_FILES}
            if target == "onto-a-directory":
                files[f"adir{suffix}/keep"] = ""
                path = f"{stem}{suffix}"
            out.append(Case(f"{writer}-{target}", "output", tuple(a.replace("{out}", stem) for a in argv), files, path, says,
                            needs="readonly" if target == "into-a-read-only-directory" else None))
    return out


OUTPUT_CASES = _output_cases() + [
    Case("import-archive-into-a-file", "output", ("import", "--ledger", "{tmp}/books.beancount", "archive", "{tmp}/journal.csv", "-o",
                                                   "{tmp}/afile"), {**EXCHANGE_FILES, "afile": "keep"}, "{tmp}/afile", "is a file, not a directory: nothing is moved"),
    Case("import-archive-read-only", "output", ("import", "--ledger", "{tmp}/books.beancount", "archive", "{tmp}/journal.csv", "-o",
                                                 "{ro}/documents"), EXCHANGE_FILES, "{ro}/documents", "nothing is moved", needs="readonly"),
]

# -- journals to import -------------------------------------------------------------------------

YAYOI_ROW = "2111,1,,R05/06/01,普通預金,,一般,,500,,元入金,,一般,,500,,入金,,,0,,,0,0,no\r\n"
MF_HEAD, MF_ROW = (FIXTURES / "moneyforward-fy2023.csv").read_text(encoding="utf-8-sig").split("\n")[:2]
FREEE_HEAD, FREEE_ROW = (FIXTURES / "freee-fy2023.csv").read_bytes().decode("cp932").split("\n")[:2]
JOURNAL_HEAD = "date,voucher,account,business,debit,credit,memo\n"


def yayoi(name: str, row: str, says: str, *, raw: bytes | None = None, line: int = 1) -> Case:
    data = raw if raw is not None else row.encode("cp932")
    return Case(name, "import", ("import", "--ledger", "{tmp}/books.beancount", "extract", "{tmp}/j.csv", "-o", "{tmp}/out.beancount"),
                {**EXCHANGE_FILES, "j.csv": data}, f"{{tmp}}/j.csv:{line}:", says)


def journal(name: str, product: str, text: str, says: str, line: int, encoding: str = "utf-8") -> Case:
    return Case(name, "import", ("import", "--ledger", "{tmp}/books.beancount", "extract", f"{{tmp}}/{product}.csv"),
                {**EXCHANGE_FILES, f"{product}.csv": text.encode(encoding)}, f"{{tmp}}/{product}.csv:{line}:", says)


IMPORT_CASES = [
    yayoi("yayoi-heisei-after-its-end", YAYOI_ROW.replace("R05/06/01", "H31/05/01"), "平成 ran from"),
    yayoi("yayoi-reiwa-before-its-start", YAYOI_ROW.replace("R05/06/01", "R01/04/30"), "令和"),
    yayoi("yayoi-showa-after-its-end", YAYOI_ROW.replace("R05/06/01", "S64/01/08"), "昭和"),
    yayoi("yayoi-malformed-amount", YAYOI_ROW.replace(",500,,元入金", ",5x0,,元入金"), "malformed 借方金額"),
    yayoi("yayoi-unknown-account", YAYOI_ROW.replace("普通預金", "謎の預金"), "is not in the mapping"),
    yayoi("yayoi-unknown-department", YAYOI_ROW.replace(",一般,,500,,元入金", ",謎部門,,500,,元入金"), "is not in the mapping"),
    yayoi("yayoi-nul-in-a-text", YAYOI_ROW.replace("入金,", "入\x00金,"), "control character U+0000"),
    yayoi("yayoi-second-row-bad-date", YAYOI_ROW + YAYOI_ROW.replace("R05/06/01", "R05/13/01"), "malformed 取引日付", line=2),
    yayoi("yayoi-not-shift-jis", "", "Shift_JIS", raw=b"2111,1,,R05/06/01,\x82,,,,500,,x,,,,500,,x,,,0,,,0,0,no\r\n"),
    yayoi("yayoi-line-break-in-a-field", YAYOI_ROW.replace("入金,", '"入\r\n金",'), "expected 25 columns"),  # the row is cut there
    journal("moneyforward-bad-date", "mf", MF_HEAD + "\n" + MF_ROW.replace("2019/04/30", "2019/02/30") + "\n", "取引日", 2),
    journal("moneyforward-unknown-account", "mf", MF_HEAD + "\n" + MF_ROW.replace("普通預金", "謎の預金", 1) + "\n", "is not in the mapping", 2),
    journal("freee-bad-amount", "freee", FREEE_HEAD + "\n" + FREEE_ROW.replace(",1000,,元入金", ",一千,,元入金") + "\n", "金額", 2, "cp932"),
    journal("generic-unbalanced-voucher", "generic", JOURNAL_HEAD + "2023-05-01,G-1,業務委託費,一般,1200,,x\n"
            "2023-05-01,G-1,普通預金,一般,,1100,x\n", "", 2),
    journal("generic-bad-date", "generic", JOURNAL_HEAD + "2023-05-32,G-1,業務委託費,一般,1200,,x\n2023-05-32,G-1,普通預金,一般,,1200,x\n",
            "date", 2),
    Case("mapping-missing", "import", ("import", "--ledger", "{tmp}/books.beancount", "--mapping", "{tmp}/nomap.csv", "extract",
                                       "{tmp}/journal.csv"), EXCHANGE_FILES, "{tmp}/nomap.csv", "cannot read"),
    Case("import-ledger-missing", "import", ("import", "--ledger", "{tmp}/nowhere.beancount", "extract", "{tmp}/journal.csv"),
         EXCHANGE_FILES, "{tmp}/nowhere.beancount", "does not exist"),
    Case("import-unidentified-file", "import", ("import", "--ledger", "{tmp}/books.beancount", "extract", "{tmp}/notes.txt"),
         {**EXCHANGE_FILES, "notes.txt": "hello\n"}, "{tmp}/notes.txt", "no importer identifies"),
    Case("published-json-not-an-object", "import", ("import", "--ledger", "{tmp}/books.beancount", "extract", "{tmp}/tables.json"),
         {**EXCHANGE_FILES, "tables.json": '{"tables": {"segment-bs": []}}'}, "{tmp}/tables.json", "segment-bs"),
]

CASES = LEDGER_CASES + ENCODING_CASES + BOOKS_CASES + RECONCILE_CASES + ARGUMENT_CASES + OUTPUT_CASES + IMPORT_CASES
