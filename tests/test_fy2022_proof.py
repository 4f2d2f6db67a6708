"""The FY2022 books prove themselves: on a copy of them, a 1-yen move between two revenue lines, two CF
lines or two lines of the appropriation, or any edit of a sealed FY2022 entry, fails bean-check with a
located message; jlis-ledger verify passes on the books and fails, naming the identity, on a tampered copy.

The expected figures of the assertions are copied from ledger/published/r4-kessan.json by the reconstruction
(never computed from the books); the counts below are the published tables' own cell counts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
REVENUE = ("  Income:1-営業収益:101-事業負担金収入:B1-一般事業        -305,468,400 JPY\n"
           "  Income:1-営業収益:104-負担金収入:B1-一般事業          -116,183,028 JPY\n")


@pytest.fixture
def copy(tmp_path) -> Path:
    """A copy of ledger/ (the books and the published data) to tamper with."""
    target = tmp_path / "ledger"
    # not Beancount's own cache (test_fy2022_books's bean-check writes one when the load takes over a second): it
    # names the original files, whose times do not change, and would hand back their entries for the edited copy
    shutil.copytree(REPO / "ledger", target, ignore=shutil.ignore_patterns("reconstruct", "__pycache__", "*.picklecache"))
    return target


def bean_check(main: Path) -> list[str]:
    result = subprocess.run([sys.executable, "-m", "beancount.scripts.check", str(main)], capture_output=True, text=True)
    return [line for line in result.stdout.splitlines() + result.stderr.splitlines() if line.startswith(str(main.parent))]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_books_assert_every_published_flow(published, books):
    """Every value cell of the 事業別損益計算書 (10 columns), the 損益計算書, the CF statement, the 決算額 of the
    決算報告書 and the 利益の処分 has its own flow assertion, and all are counted as published proof."""
    from jlis_ledger.proof import report

    def cells(table, columns=None):
        rows = [r for r in published["tables"][table]["rows"] if r["values"] is not None]
        return len(rows) * (columns or len(rows[0]["values"]))

    found = report.assertions(books)
    expected = {"事業別財務情報(損益計算書関係)": cells("segment-pl"), "損益計算書": cells("pl"), "キャッシュ・フロー計算書": cells("cf"),
                "決算報告書(損益計算書)": cells("budget-pl", 1), "決算報告書(貸借対照表)": cells("budget-bs", 1),
                "利益の処分に関する書類": cells("appropriation")}
    assert {t: found.flows[(t, "published")] for t in expected} == expected
    assert found.total("flows") == sum(expected.values())
    assert found.total("balances", "estimate") > 0  # the splits restated are marked, not counted as proof
    assert [e for e in books.errors] == []


def test_bean_check_is_clean_on_the_copy(copy):
    assert bean_check(copy / "main.beancount") == []


def test_a_one_yen_move_between_two_revenue_lines_fails(copy):
    edit(copy / "fy2022" / "transactions.beancount", REVENUE, REVENUE.replace("305,468,400", "305,468,401").replace("116,183,028", "116,183,027"))
    errors = bean_check(copy / "main.beancount")
    flows = [e for e in errors if "flows.beancount" in e and "difference" in e]
    assert any("101-事業負担金収入 (B1-一般事業)" in e and "difference -1 JPY" in e for e in flows), errors
    assert any("104-負担金収入 (B1-一般事業)" in e and "difference +1 JPY" in e for e in flows), errors
    assert any("transactions.beancount" in e and "is not as sealed: 令和4年度 is sealed" in e for e in errors), errors


def test_a_one_yen_move_between_two_cf_lines_fails(copy):
    old = '  Assets:1-流動資産:11-現金及び預金:1-預金:B1-一般事業                 -1,184,954,082 JPY\n    cf: "委託費の支出"\n'
    new = ('  Assets:1-流動資産:11-現金及び預金:1-預金:B1-一般事業                 -1,184,954,081 JPY\n    cf: "委託費の支出"\n'
           '  Assets:1-流動資産:11-現金及び預金:1-預金:B1-一般事業                 -1 JPY\n    cf: "その他の営業支出"\n')
    edit(copy / "fy2022" / "transactions.beancount", old, new)
    errors = bean_check(copy / "main.beancount")
    assert any("cf: 委託費の支出 over 令和4年度" in e and "difference +1 JPY" in e for e in errors), errors
    assert any("cf: その他の営業支出 over 令和4年度" in e and "difference -1 JPY" in e for e in errors), errors


def test_a_one_yen_move_between_two_lines_of_the_appropriation_fails(copy):
    old = ("  Equity:2-利益剰余金:21-積立金:B1-一般事業                         -76,501,789 JPY\n"
           "  Equity:2-利益剰余金:23-システム開発積立金:B1-一般事業                  -300,804,773 JPY\n")
    edit(copy / "fy2022" / "appropriation.beancount", old, old.replace("76,501,789", "76,501,790").replace("300,804,773", "300,804,772"))
    errors = bean_check(copy / "main.beancount")
    assert any("Equity:2-利益剰余金:21-積立金 #appropriation" in e and "difference -1 JPY" in e for e in errors), errors
    assert any("Equity:2-利益剰余金:23-システム開発積立金 #appropriation" in e and "difference +1 JPY" in e for e in errors), errors


@pytest.mark.parametrize(("file", "old", "new"), [
    ("fy2022/transactions.beancount", '2023-03-31 * "営業外収益の計上（一般事業）"', '2023-03-31 * "営業外収益の計上（一般事業）!"'),
    ("fy2022/opening.beancount", "  Assets:1-流動資産:12-未収金:B1-一般事業", "  Assets:1-流動資産:12-未収金:B1-一般事業  "),  # reformatting
    ("declarations.beancount", '  name: "中間サーバー共同化・集約化等事業"', '  name: "中間サーバー共同化集約化等事業"'),
    ("fy2022/budget.beancount", "2022-04-01 custom \"fiscal-budget\" 2022 Assets:1-流動資産:12-未収金 63,048,209,000 JPY",
     "2022-04-01 custom \"fiscal-budget\" 2022 Assets:1-流動資産:12-未収金 63,048,209,001 JPY"),
])
def test_an_edit_of_a_sealed_entry_fails_naming_it(copy, file, old, new):
    edit(copy / file, old, new)
    errors = bean_check(copy / "main.beancount")
    if new.strip() == old.strip():  # only reformatted: the meaning is the same, the seal holds
        assert errors == []
        return
    sealed = [e for e in errors if "is not as sealed" in e]
    line = (copy / file).read_text(encoding="utf-8").splitlines().index(new) + 1
    entry_line = line if not new.startswith("  ") else line - 1
    assert len(sealed) == 1 and sealed[0].startswith(f"{copy / file}:{entry_line}: "), errors


def test_verify_passes_on_the_books_and_fails_on_a_tampered_copy(copy):
    ok = subprocess.run([sys.executable, "-m", "jlis_ledger.cli", "verify", str(copy / "main.beancount"), "--no-cache", "--year", "2022"],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "0 failure(s)" in ok.stdout
    # one yen of 一般事業's revenue booked in 本人確認情報処理事業: the two businesses no longer balance on their own
    edit(copy / "fy2022" / "transactions.beancount", REVENUE,
         REVENUE.replace("305,468,400", "305,468,399") + "  Income:1-営業収益:105-事業収入:B2-本人確認情報処理事業  -1 JPY\n")
    bad = subprocess.run([sys.executable, "-m", "jlis_ledger.cli", "verify", str(copy / "main.beancount"), "--no-cache", "--year", "2022"],
                         capture_output=True, text=True)
    assert bad.returncode == 1
    assert "A=L+NA: 事業別貸借対照表 一般事業: 資産 " in bad.stdout and "(difference +1 JPY)" in bad.stdout, bad.stdout
    assert "A=L+NA: 事業別貸借対照表 本人確認情報処理事業: 資産 " in bad.stdout and "(difference -1 JPY)" in bad.stdout
