"""jlis_ledger.fava.guard on its own: the Host guard around a stand-in WSGI app, the linear-time
matcher against Python's own engine (on patterns Python runs fast), and the bounded periods against
Fava's own parser."""

from __future__ import annotations

import datetime
import re

import pytest

from jlis_ledger.fava import guard

# -- the Host guard --------------------------------------------------------------------------------


class App:
    """A WSGI app that says who called it and sends a CORS header (which the guard must drop)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        start_response("200 OK", [("Content-Type", "text/plain"), ("Access-Control-Allow-Origin", "*"),
                                  ("access-control-allow-credentials", "true"), ("X-Kept", "yes")])
        return [b"the books"]


def call(app, host: str | None = "127.0.0.1:5000", *, path: str = "/", query: str = "", origin: str | None = None):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query}
    if host is not None:
        environ["HTTP_HOST"] = host
    if origin is not None:
        environ["HTTP_ORIGIN"] = origin
    seen: dict = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, headers

    body = b"".join(app(environ, start_response))
    return int(seen["status"].split()[0]), dict(seen["headers"]), body.decode()


@pytest.mark.parametrize("host", ["127.0.0.1:5000", "localhost:5000", "LocalHost.:5000", "[::1]:5000",
                                  "[0:0:0:0:0:0:0:1]:5000"])
def test_the_loopback_names_with_the_port_are_answered(host):
    inner = App()
    status, headers, body = call(guard.HostGuard(inner, port=5000), host)
    assert (status, body, inner.calls) == (200, "the books", 1)
    assert headers["X-Kept"] == "yes"
    assert not [k for k in headers if k.lower().startswith("access-control-")]  # no CORS, whatever the app says


@pytest.mark.parametrize("host", ["attacker.example:5000", "attacker.example", "127.0.0.1:5001", "127.0.0.1",
                                  "localhost", "127.0.0.1.nip.io:5000", "127.0.0.1:5000, attacker.example",
                                  "[::1", "[::1]x", "127.0.0.1:50000000", "127.0.0.1:+5000", "", None,
                                  "127.0.0.1:5000@attacker.example", "localhost.attacker.example:5000"])
def test_any_other_host_is_refused_before_the_app_runs(host):
    inner = App()
    status, headers, body = call(guard.HostGuard(inner, port=5000), host)
    assert status == 403 and inner.calls == 0
    assert "the books" not in body and "--allow-host" in body
    assert headers["Cache-Control"] == "no-store"


def test_the_listened_address_and_allowed_names():
    app = guard.HostGuard(App(), port=5000, hosts=["192.0.2.7"], allowed=["books.example", "proxy.example:443"])
    answered = {host: call(app, host)[0] == 200 for host in (
        "192.0.2.7:5000", "192.0.2.7", "books.example:5000", "BOOKS.example", "books.example:6000",
        "proxy.example:443", "proxy.example", "proxy.example:5000", "other.example:5000")}
    assert answered == {
        "192.0.2.7:5000": True, "192.0.2.7": False,  # the address listened on: with the port
        "books.example:5000": True, "BOOKS.example": True, "books.example:6000": False,  # a name allowed: also bare
        "proxy.example:443": True, "proxy.example": False, "proxy.example:5000": False,  # a name with its own port
        "other.example:5000": False,
    }


def test_on_port_80_a_host_without_a_port_is_the_server():
    app = guard.HostGuard(App(), port=80)
    assert call(app, "localhost")[0] == 200 and call(app, "localhost:80")[0] == 200
    assert call(app, "attacker.example")[0] == 403


def test_a_malformed_allowed_name_is_an_error():
    with pytest.raises(ValueError):
        guard.HostGuard(App(), port=5000, allowed=["books.example:port"])


@pytest.mark.parametrize(("origin", "status"), [
    (None, 200), ("http://127.0.0.1:5000", 200), ("http://localhost:5000", 200),
    ("http://attacker.example", 403), ("http://attacker.example:5000", 403), ("http://127.0.0.1:5001", 403),
    ("null", 403), ("file://", 403), ("http://127.0.0.1:5000/path", 403), ("ftp://127.0.0.1:5000", 403),
])
def test_a_page_of_another_origin_is_refused(origin, status):
    inner = App()
    assert call(guard.HostGuard(inner, port=5000), origin=origin)[0] == status
    assert inner.calls == (status == 200)


def test_over_long_parameters_and_control_characters_are_refused():
    app = guard.HostGuard(App(), port=5000)
    limit = guard.MAX_PARAMETER_LENGTH
    assert call(app, query=f"account={'a' * limit}")[0] == 200
    assert call(app, query="query_string=SELECT%0A%09account")[0] == 200  # a query has lines
    status, headers, body = call(app, query=f"time=FY2022&account={'a' * (limit + 1)}")
    assert status == 400 and f"{limit + 1}文字" in body and "account" in body
    assert headers["Content-Type"].startswith("text/html")
    status, headers, body = call(app, path="/ledger/api/journal", query=f"filter={'%E4%BA%8B' * (limit + 1)}")
    assert status == 400 and headers["Content-Type"] == "application/json" and "filter" in body
    assert call(app, path="/ledger/document/", query="filename=a%00b")[0] == 400
    assert call(app, path="/ledger/account/A\x00/")[0] == 400
    assert call(app, query="&".join(["a=1"] * 1001))[0] == 400


# -- patterns --------------------------------------------------------------------------------------


ACCOUNTS = [
    "Assets:1-流動資産:11-現金及び預金:1-預金:B1-一般事業",
    "Liabilities:1-流動負債:17-他事業勘定:B3-公的個人認証サービス事業",
    "Income:1-営業収益:19-長期前受金取崩収入:B8-デジタル基盤改革支援基金事業",
    "Expenses:2-一般管理費:Staff",
]


def test_a_pattern_that_backtracking_takes_eons_on_is_matched_at_once():
    """``(.|.)*ZZ`` makes Python's engine try 2**n ways on an n-character name; RE2 reads the name once.
    (No clock here: with a backtracking engine this test would not end.)"""
    long_name = ":".join(["B1-一般事業"] * 40)  # 280 characters
    assert not guard.pattern_matcher("(.|.)*ZZ")(long_name)
    assert guard.pattern_matcher("(.|.)*事業$")(long_name)
    assert not guard.pattern_matcher("(a*)*b")("a" * 10_000)


@pytest.mark.parametrize("pattern", ["現金及び預金", "^Assets:", "b[0-9]-", "事業$", "流動(資産|負債)", r"\d{2}-現金",
                                     "STAFF", "^(Income|Expenses):", "基金事業|Staff", r"Assets:1-[^:]+:11-"])
def test_the_linear_matcher_agrees_with_pythons_engine(pattern):
    """On patterns both engines read the same way (and Python runs fast), the same accounts match,
    case-insensitively as Fava's filters."""
    assert [guard.pattern_matcher(pattern)(a) for a in ACCOUNTS] == [
        re.search(pattern, a, re.IGNORECASE) is not None for a in ACCOUNTS]
    assert [guard.LinearMatch(pattern)(a) for a in ACCOUNTS] == [guard.pattern_matcher(pattern)(a) for a in ACCOUNTS]


@pytest.mark.parametrize(("pattern", "reason", "ja"), [
    ("(", "not a regular expression", "正規表現として読めません"),
    ("[B1", "not a regular expression", "正規表現として読めません"),
    ("(?=B1)B", "without look-around", "先読み・後読み"),
    (r"(B)\1", "back-references", "後方参照"),
    ("a" * (guard.MAX_PARAMETER_LENGTH + 1), "at most", "長すぎます"),
    (".{0,999}" * 3, "too complex", "複雑すぎます"),
    ("(a{0,1000}){0,1000}", "not a regular expression", "正規表現として読めません"),
])
def test_a_pattern_the_server_does_not_run_is_an_error_with_its_reason(pattern, reason, ja):
    with pytest.raises(guard.PatternError) as error:
        guard.pattern_matcher(pattern)
    assert reason in error.value.message and ja in error.value.ja
    with pytest.raises(guard.PatternError):
        guard.LinearMatch(pattern)


def test_the_account_filter_of_the_pages_is_a_component_or_a_pattern():
    from jlis_ledger.fava.page import account_matches

    assert account_matches(ACCOUNTS[0], "B1-一般事業")  # a component
    assert account_matches(ACCOUNTS[0], "11-現金及び預金")
    assert account_matches(ACCOUNTS[0], "現金")  # a pattern, part of a component
    assert account_matches(ACCOUNTS[1], "b.-公的")  # case-insensitive
    assert not account_matches(ACCOUNTS[1], "B1-一般事業")
    assert not account_matches(ACCOUNTS[0], "(.|.)*ZZ")
    with pytest.raises(guard.PatternError):
        account_matches(ACCOUNTS[0], "(")


def test_has_component_compares_whole_components_literally():
    from beancount.core import account

    for name in ACCOUNTS:
        for component in [*name.split(":"), "B1", "一般事業", "Assets:1-流動資産", "Staf"]:
            assert guard.has_component(name, component) == account.has_component(name, component), (name, component)
    assert guard.has_component(ACCOUNTS[0], "Assets:1-流動資産") and not guard.has_component(ACCOUNTS[0], "Assets:1-流動")
    assert not guard.has_component(ACCOUNTS[0], "B.-一般事業")  # Beancount's runs it as a pattern: True
    assert not guard.has_component(ACCOUNTS[0], "(.|.)*ZZ")  # Beancount's would not return


def test_the_re_stand_in_for_beanquery():
    r = guard.linear_re
    assert r.search("b1", "Assets:B1-一般事業", r.IGNORECASE) is not None
    assert r.search("b1", "Assets:B1-一般事業") is None
    assert r.match("Assets", "Assets:B1").group(0) == "Assets"
    assert r.search("B([0-9])", "X:B8-基金").group(1) == "8"
    assert r.fullmatch(r"([-+]?[0-9]+)\s+(day|month|year)s?", "3 months").group(2) == "month"
    assert r.sub("B([0-9])-", r"Business\1:", "Assets:B1-一般事業") == "Assets:Business1:一般事業"
    with pytest.raises(r.error):
        r.search("(", "x")
    with pytest.raises(ValueError):
        r.compile("x", re.MULTILINE)


# -- periods ---------------------------------------------------------------------------------------


def fye(text: str | None):
    from fava.util.date import parse_fye_string

    return parse_fye_string(text) if text else None


@pytest.mark.parametrize(("value", "end", "expected"), [
    ("FY2022", "15-31", (datetime.date(2022, 4, 1), datetime.date(2023, 4, 1))),  # 令和4年度
    ("2022-06", None, (datetime.date(2022, 6, 1), datetime.date(2022, 7, 1))),
    ("2022-04 - 2022-09", None, (datetime.date(2022, 4, 1), datetime.date(2022, 10, 1))),
    ("1900 - 2199", None, (datetime.date(1900, 1, 1), datetime.date(2200, 1, 1))),
])
def test_a_period_is_read_by_favas_parser(value, end, expected):
    from fava.util.date import parse_date

    assert guard.parse_period(value, fye(end)) == expected == parse_date(value, fye(end))


@pytest.mark.parametrize(("value", "reason", "ja"), [
    ("FY9999", "not a date", "読めません"),  # with 15-31 it would end in the year 10000: Fava raised ValueError
    ("garbage", "not a date", "読めません"),
    ("day+99999999999", "not a date", "読めません"),  # Fava raised OverflowError
    ("1900-01-01 - 9999-12-31", "between 1900-01-01 and 2199-12-31", "1900年1月1日から2199年12月31日まで"),
    ("1899-12-31 - 1900-01-01", "between", "まで"),
    ("2023 - 2022", "ends before it begins", "終わりが始まりより前"),
    ("2022-" * 4000, "at most 100", "長すぎます"),  # Fava recursed once per dash: RecursionError
])
def test_a_period_the_server_does_not_read_is_an_error_with_its_reason(value, reason, ja):
    with pytest.raises(guard.PeriodError) as error:
        guard.parse_period(value, fye("15-31"))
    assert reason in error.value.message and ja in error.value.ja
    assert error.value.filter_type == "time"


def test_a_period_is_cut_into_a_bounded_number_of_intervals():
    from fava.util.date import Day, Month, dateranges

    bounded = guard.bounded_dateranges(dateranges)
    start = datetime.date(2000, 1, 1)
    limit = guard.MAX_INTERVALS
    assert bounded(start, datetime.date(2001, 1, 1), Month, complete=True) == dateranges(
        start, datetime.date(2001, 1, 1), Month, complete=True)
    assert len(bounded(start, start + datetime.timedelta(days=limit), Day, complete=False)) == limit
    with pytest.raises(guard.PeriodError) as error:
        bounded(start, start + datetime.timedelta(days=limit + 1), Day, complete=False)
    assert "intervals" in error.value.message
    with pytest.raises(guard.PeriodError):
        bounded(datetime.date(1900, 1, 1), datetime.date(2200, 1, 1), Day, complete=False)  # 110,000 days, not built


def test_a_report_by_interval_has_a_bounded_number_of_columns():
    from fava.util.date import DateRange

    class Filtered:
        def __init__(self, n: int) -> None:
            day = datetime.date(2022, 4, 1)
            self.ranges = [DateRange(day + datetime.timedelta(i), day + datetime.timedelta(i + 1)) for i in range(n)]

        def interval_ranges(self, interval):
            return self.ranges

    calls = []
    bounded = guard.bounded_interval_balances(lambda *args, **kwargs: calls.append(args) or "trees")
    limit = guard.MAX_TREE_INTERVALS
    assert bounded("ledger", Filtered(limit), "day", "Assets") == "trees"
    with pytest.raises(guard.PeriodError) as error:
        bounded("ledger", Filtered(limit + 1), "day", "Assets")
    assert f"{limit + 1} intervals" in error.value.message and len(calls) == 1
