"""What keeps Fava and the jlis_ledger pages answering under hostile requests.

A page of the books can be requested by anything that reaches the server, including
any web page the user visits (one ``<img src="http://127.0.0.1:5000/…">`` sends a GET),
so every query parameter is hostile input.  Three families of defences live here;
:mod:`jlis_ledger.serve` installs them around Fava (the one place that knows Fava's
internals), and the extension's pages use the same functions directly, so that they
hold under plain ``fava`` too.

- **Addressing** (:class:`HostGuard`, WSGI): a request is answered only when its
  ``Host`` (and ``Origin``, when a browser sends one) names the address the server
  listens on — ``127.0.0.1``, ``localhost`` or ``[::1]`` with its port — or a name the
  user allowed; anything else gets 403 and no data (DNS rebinding: a foreign page whose
  name resolves to 127.0.0.1 sends ``Host: attacker.example``).  No response carries
  CORS headers.  A query parameter longer than :data:`MAX_PARAMETER_LENGTH`
  characters is refused with 400: every cost below (patterns, filter expressions,
  queries, periods) grows with the length of what it reads; so is a control character
  in a parameter or the path (a NUL byte makes Python's path functions raise).
- **Patterns** (:func:`compile_pattern`, :class:`LinearMatch`, :data:`linear_re`): every
  regular expression that comes from a request is compiled by RE2 (``google-re2``), whose
  matching time is linear in the text, whatever the pattern: ``(.|.)*ZZ``, which makes
  Python's backtracking engine run for longer than the age of the universe on a 60-character
  account name (and holds the interpreter while it does, so that the whole server stops),
  takes microseconds.  The compiled program is bounded too (:data:`MAX_PATTERN_PROGRAM`),
  which bounds the cost per character.  RE2 has no look-around and no back-references; a
  pattern that uses them, or is not a regular expression, is refused with a message
  (:class:`PatternError`) instead of silently matching something else.
- **Periods** (:func:`parse_period`, :func:`bounded_dateranges`): a time filter is read
  by Fava's own parser, but only when it is short, its dates lie within
  :data:`PERIOD_RANGE`, and it ends after it begins; and no period is cut into more
  than :data:`MAX_INTERVALS` intervals (``time=1900 - 2199&interval=day`` would be
  110,000), nor into more than :data:`MAX_TREE_INTERVALS` for a report that builds an
  account tree per interval.  A period that fails is refused with a message
  (:class:`PeriodError`).

The errors are Fava's ``FilterError`` (Fava's JSON API answers them with 400 and their
message), each with an English message (Fava's pages) and a Japanese reason
(``ja``, the jlis_ledger pages).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import ipaddress
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qsl

from fava.core.filters import FilterError

#: The longest query parameter value answered (characters, after decoding).
MAX_PARAMETER_LENGTH = 500
#: The longest time filter read (``2022-04-01 - 2023-03-31`` has 23 characters).
MAX_PERIOD_LENGTH = 100
#: The largest RE2 program (instructions) a pattern may compile to: a cost per character.
MAX_PATTERN_PROGRAM = 5_000
#: The most intervals a period may be cut into (daily for 13 years, weekly for 95).
MAX_INTERVALS = 5_000
#: The most intervals of a report that builds one account tree per interval (the changes and
#: balances of Fava's account page: each interval costs a pass over the entries and a column of
#: every account below; five years by month, a year by week).
MAX_TREE_INTERVALS = 60
#: The dates a time filter may name: [first, end).
PERIOD_RANGE = (datetime.date(1900, 1, 1), datetime.date(2200, 1, 1))
#: Loopback names always answered (with the server's port).
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def _shown(value: str, limit: int = 40) -> str:
    """A value as quoted in a message: at most ``limit`` characters."""
    return value if len(value) <= limit else value[:limit] + "…"


# -- patterns ---------------------------------------------------------------------------------------


class PatternError(FilterError):
    """A pattern from a request that this server does not run; ``ja``: the reason in Japanese."""

    def __init__(self, pattern: str, reason: str, ja: str) -> None:
        super().__init__("filter", f"Pattern '{_shown(pattern)}': {reason}. ")
        self.pattern = pattern
        self.reason = reason
        self.ja = ja


def _re2():
    import re2  # google-re2

    return re2


@functools.lru_cache(maxsize=128)
def compile_pattern(pattern: str, *, ignore_case: bool = True, capture: bool = False):
    """``pattern`` compiled by RE2 (linear-time matching), or :class:`PatternError`.

    ``capture=False`` (the default) compiles without capturing groups: a yes/no match
    never needs them, and RE2 then answers from its DFA alone.
    """
    if len(pattern) > MAX_PARAMETER_LENGTH:
        raise PatternError(pattern, f"{len(pattern)} characters, at most {MAX_PARAMETER_LENGTH}",
                           f"{len(pattern)}文字で長すぎます（上限 {MAX_PARAMETER_LENGTH}文字）")
    re2 = _re2()
    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.never_capture = not capture
    options.log_errors = False
    try:
        compiled = re2.compile(pattern, options)
    except re2.error as error:
        reason = error.args[0] if error.args else "invalid"
        reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        raise PatternError(
            pattern,
            f"not a regular expression this server reads ({reason}; RE2 syntax, without look-around or back-references)",
            f"正規表現として読めません（{reason}。RE2 の構文で、先読み・後読みと後方参照は使えません）",
        ) from None
    if compiled.programsize > MAX_PATTERN_PROGRAM:
        raise PatternError(pattern, f"too complex ({compiled.programsize} instructions, at most {MAX_PATTERN_PROGRAM})",
                           f"複雑すぎます（{compiled.programsize} 命令、上限 {MAX_PATTERN_PROGRAM}）")
    return compiled


def pattern_matcher(pattern: str) -> Callable[[str], bool]:
    """Whether a string contains a match of ``pattern`` (case-insensitive, as Fava's filters)."""
    search = compile_pattern(pattern).search
    return lambda text: search(text) is not None


class LinearMatch:
    """Fava's ``Match`` (``fava.core.filters``: a pattern of the account filter or of the advanced
    filter, matched case-insensitively against a string) in RE2.  Fava's own falls back to
    equality when the pattern is not a regular expression; this one says so (:class:`PatternError`)."""

    __slots__ = ("match",)

    def __init__(self, search: str) -> None:
        self.match = pattern_matcher(search)

    def __call__(self, obj: Any) -> bool:
        return self.match(str(obj))


def has_component(account_name: str, component: str) -> bool:
    """Whether ``component`` (one or more whole components, ``11-現金及び預金`` or
    ``Assets:1-流動資産``) is in ``account_name``, compared as a string.

    Beancount's ``account.has_component`` formats the component into a regular expression
    without escaping it, so that Fava's account filter runs its value in Python's backtracking
    engine; account components contain no pattern characters, so the literal comparison is what
    it means."""
    return bool(component) and f":{component}:" in f":{account_name}:"


class _LinearRe:
    """The part of the ``re`` module that beanquery's operators and functions use (``~``, ``grep``,
    ``grepn``, ``subst``, ``findfirst``), on RE2: a query's patterns come from the request too."""

    IGNORECASE = I = re.IGNORECASE  # noqa: E741 (re.I: the name beanquery uses)
    error = PatternError

    @staticmethod
    def compile(pattern: str, flags: int = 0):
        if flags & ~re.IGNORECASE:
            raise ValueError(f"unsupported flags for the linear-time engine: {flags!r}")
        return compile_pattern(pattern, ignore_case=bool(flags & re.IGNORECASE), capture=True)

    def search(self, pattern: str, string: str, flags: int = 0):
        return self.compile(pattern, flags).search(string)

    def match(self, pattern: str, string: str, flags: int = 0):
        return self.compile(pattern, flags).match(string)

    def fullmatch(self, pattern: str, string: str, flags: int = 0):
        return self.compile(pattern, flags).fullmatch(string)

    def sub(self, pattern: str, repl: str, string: str, count: int = 0, flags: int = 0) -> str:
        return self.compile(pattern, flags).sub(repl, string, count)


#: A stand-in for the ``re`` module in modules that run patterns from requests (beanquery).
linear_re = _LinearRe()


# -- periods ----------------------------------------------------------------------------------------


class PeriodError(FilterError):
    """A time filter that this server does not read; ``ja``: the reason in Japanese."""

    def __init__(self, value: str, reason: str, ja: str) -> None:
        super().__init__("time", f"Time filter '{_shown(value)}': {reason}")
        self.value = value
        self.reason = reason
        self.ja = ja


def parse_period(value: str, fye=None) -> tuple[datetime.date, datetime.date]:
    """The dates ``[begin, end)`` of a time filter (Fava's syntax: ``FY2022``, ``2022-04 - 2022-09``,
    ``year-1``, …), read by Fava's parser with the fiscal year end ``fye``; or :class:`PeriodError`.

    It has the signature of ``fava.util.date.parse_date`` (which Fava's ``TimeFilter`` calls) but
    never answers ``None``: a value is refused when it is longer than :data:`MAX_PERIOD_LENGTH`,
    unreadable (including Fava's own overflows, ``FY9999`` ends in the year 10000), outside
    :data:`PERIOD_RANGE`, or ends where it begins."""
    from fava.util.date import parse_date

    text = value.strip()
    if len(text) > MAX_PERIOD_LENGTH:
        raise PeriodError(value, f"{len(text)} characters, at most {MAX_PERIOD_LENGTH}",
                          f"{len(text)}文字で長すぎます（上限 {MAX_PERIOD_LENGTH}文字）")
    try:
        begin, end = parse_date(text, fye)
    except (ValueError, OverflowError, RecursionError):
        begin = end = None
    if begin is None or end is None:
        raise PeriodError(value, "not a date or a range of dates", "日付または日付の範囲として読めません")
    first, last = PERIOD_RANGE
    if begin < first or end > last:
        shown_last = last - datetime.timedelta(days=1)
        raise PeriodError(value, f"dates must lie between {first} and {shown_last}",
                          f"{first:%Y年%-m月%-d日}から{shown_last:%Y年%-m月%-d日}までの日付にしてください")
    if begin >= end:
        raise PeriodError(value, "it ends before it begins", "終わりが始まりより前です")
    return begin, end


def bounded_dateranges(dateranges: Callable[..., list]) -> Callable[..., list]:
    """``fava.util.date.dateranges`` refusing to cut a period into more than :data:`MAX_INTERVALS`
    intervals: the intervals are counted lazily (at most ``MAX_INTERVALS + 1`` of them) before
    Fava builds them."""
    from fava.util.date import interval_ends

    @functools.wraps(dateranges)
    def bounded(begin: datetime.date, end: datetime.date, interval, *, complete: bool) -> list:
        if begin < end:
            ends = interval_ends(begin, end, interval, complete=complete)
            if sum(1 for _ in itertools.islice(ends, MAX_INTERVALS + 2)) > MAX_INTERVALS + 1:
                value = f"{begin} - {end - datetime.timedelta(days=1)}"
                raise PeriodError(value, f"more than {MAX_INTERVALS} intervals of this length: "
                                         "choose a longer interval or a shorter period",
                                  f"区間が {MAX_INTERVALS} を超えます。区間を長くするか期間を短くしてください")
        return dateranges(begin, end, interval, complete=complete)

    bounded.fava_original = dateranges  # type: ignore[attr-defined]
    return bounded


def bounded_interval_balances(interval_balances: Callable[..., Any]) -> Callable[..., Any]:
    """Fava's ``FavaLedger.interval_balances`` (one account tree per interval) refusing more than
    :data:`MAX_TREE_INTERVALS` intervals."""

    @functools.wraps(interval_balances)
    def bounded(ledger, filtered, interval, account_name: str, *, accumulate: bool = False):
        ranges = filtered.interval_ranges(interval)
        if len(ranges) > MAX_TREE_INTERVALS:
            value = f"{ranges[0].begin} - {ranges[-1].end_inclusive}"
            raise PeriodError(value, f"{len(ranges)} intervals, at most {MAX_TREE_INTERVALS} in a report by interval: "
                                     "choose a longer interval or a shorter period",
                              f"区間が {len(ranges)} あります（区間ごとの表は {MAX_TREE_INTERVALS} まで）。"
                              "区間を長くするか期間を短くしてください")
        return interval_balances(ledger, filtered, interval, account_name, accumulate=accumulate)

    bounded.fava_original = interval_balances  # type: ignore[attr-defined]
    return bounded


# -- addressing (WSGI) ------------------------------------------------------------------------------


#: Control characters no parameter or path holds (tab, line feed and carriage return may: a query has lines).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _split_host(value: str) -> tuple[str, int | None] | None:
    """``(name, port)`` of a ``Host`` value (``name``, ``name:port``, ``[v6]:port``), the name
    lowercased, without a final dot, IP addresses in their canonical form; ``None`` if malformed."""
    value = value.strip().lower()
    if value.startswith("["):
        close = value.find("]")
        if close < 0:
            return None
        name, rest = value[1:close], value[close + 1:]
        if rest and not rest.startswith(":"):
            return None
        port_text = rest[1:] if rest else None
    elif value.count(":") > 1:  # a bare IPv6 address: no port
        name, port_text = value, None
    else:
        name, _, port_text = value.partition(":") if ":" in value else (value, "", None)
    if port_text is not None and not (port_text.isascii() and port_text.isdigit() and len(port_text) <= 5):
        return None
    name = name.removesuffix(".")
    if not name:
        return None
    with contextlib.suppress(ValueError):
        name = ipaddress.ip_address(name).compressed
    return name, int(port_text) if port_text is not None else None


class HostGuard:
    """WSGI middleware around Fava's app: answers only requests addressed to this server.

    ``port``: the port the server listens on; ``hosts``: the names it answers besides the
    loopback names (the address it listens on, the names the user allowed).  A name is
    answered with the server's port; a name the user allowed also without a port (behind a
    reverse proxy), or with the port written with it (``books.example:443``).
    """

    def __init__(self, app: Callable, *, port: int, hosts: Iterable[str] = (), allowed: Iterable[str] = ()) -> None:
        self.app = app
        self.port = port
        self._names: set[str] = set()  # answered with the server's port
        self._bare: set[str] = set()  # also answered without a port
        self._exact: set[tuple[str, int]] = set()  # a name with its own port
        for host in (*LOOPBACK_NAMES, *hosts):
            split = _split_host(host)
            if split is None:
                raise ValueError(f"not a host name: {host!r}")
            self._names.add(split[0])
        for host in allowed:
            split = _split_host(host)
            if split is None:
                raise ValueError(f"not a host name: {host!r}")
            name, explicit = split
            if explicit is None:
                self._names.add(name)
                self._bare.add(name)
            else:
                self._exact.add((name, explicit))
        if port == 80:
            self._bare |= self._names

    def answers(self, host: str) -> bool:
        """Whether a ``Host`` value (or the host part of an ``Origin``) names this server."""
        split = _split_host(host)
        if split is None:
            return False
        name, port = split
        if port is None:
            return name in self._bare
        return (name in self._names and port == self.port) or (name, port) in self._exact

    def refusal(self, environ: dict) -> tuple[str, str, str] | None:
        """Why a request is not answered: ``(status, English, Japanese)``, or ``None``."""
        host = environ.get("HTTP_HOST", "")
        if not self.answers(host):
            return ("403 Forbidden", (f"this server does not answer requests for Host '{_shown(host)}' "
                                      "(jlis-ledger serve --allow-host NAME allows a name)"),
                    f"このサーバーは Host「{_shown(host)}」宛ての要求に答えません（名前を許すには --allow-host）")
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None:
            scheme, sep, rest = origin.partition("://")
            if not sep or scheme.lower() not in ("http", "https") or "/" in rest or not self.answers(rest):
                return ("403 Forbidden", f"this server does not answer requests from pages of '{_shown(origin)}'",
                        f"このサーバーは「{_shown(origin)}」のページからの要求に答えません")
        if _CONTROL.search(environ.get("PATH_INFO", "")):
            return ("400 Bad Request", "a control character in the path", "パスに制御文字があります")
        try:
            pairs = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True, errors="replace",
                              max_num_fields=1000)
        except ValueError:
            return ("400 Bad Request", "more than 1000 query parameters", "クエリのパラメータが 1000 を超えます")
        for name, value in pairs:
            shown = _shown(name, 20)
            if len(value) > MAX_PARAMETER_LENGTH or len(name) > MAX_PARAMETER_LENGTH:
                return ("400 Bad Request", (f"the parameter '{shown}' has {len(value)} characters, "
                                            f"at most {MAX_PARAMETER_LENGTH}"),
                        f"パラメータ「{shown}」が {len(value)}文字で長すぎます（上限 {MAX_PARAMETER_LENGTH}文字）")
            if _CONTROL.search(name) or _CONTROL.search(value):
                return ("400 Bad Request", f"a control character in the parameter '{shown}'",
                        f"パラメータ「{shown}」に制御文字があります")
        return None

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        refused = self.refusal(environ)
        if refused is not None:
            return self._refuse(environ, start_response, *refused)

        def start(status: str, headers: list[tuple[str, str]], exc_info=None):
            kept = [(k, v) for k, v in headers if not k.lower().startswith("access-control-")]
            return start_response(status, kept, exc_info) if exc_info is not None else start_response(status, kept)

        return self.app(environ, start)

    @staticmethod
    def _refuse(environ: dict, start_response: Callable, status: str, english: str, japanese: str) -> Iterator[bytes]:
        if "/api/" in environ.get("PATH_INFO", ""):  # Fava's JSON API: its error shape, which its pages show
            body = json.dumps({"error": f"{japanese} / {english}"}, ensure_ascii=False).encode()
            content_type = "application/json"
        else:
            from html import escape

            body = ("<!doctype html><html lang=ja><meta charset=utf-8><title>jlis-ledger</title>"
                    f"<h1>{escape(status)}</h1><p>{escape(japanese)}</p><p lang=en>{escape(english)}</p>").encode()
            content_type = "text/html; charset=utf-8"
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])
        return iter([body])
