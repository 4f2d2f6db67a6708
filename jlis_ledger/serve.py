"""Start Fava on the books, on 127.0.0.1, read-only unless asked otherwise.

A thin adapter: Fava's own application and its own WSGI server (cheroot), with the
options our users expect by default, and held under hostile requests
(:mod:`jlis_ledger.fava.guard`):

- the app is wrapped in :class:`~jlis_ledger.fava.guard.HostGuard`: only requests
  addressed to the server's own address (or a name allowed with ``--allow-host``) are
  answered, no response carries CORS headers, over-long parameters are refused;
- :func:`adapt_fava`, the one place that knows Fava's internals, routes Fava's loads
  through :func:`jlis_ledger.loading.load_ledger` and has Fava (and beanquery, for
  Fava's query page) compile the patterns of requests with the linear-time engine and
  read periods within bounds;
- Fava's API errors (a filter, period or query it cannot read, an entry or a file that
  is not there) are answered 400 with their message, where Fava answers 500;
- the port is bound before the URL is printed: a busy port is one line and exit 1;
  an address other than loopback needs ``allow_remote`` and prints a warning.
"""

from __future__ import annotations

import errno
import ipaddress
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fava.beans.types import LoaderResult


class ServeError(Exception):
    """The server cannot start: one line for the user."""


def route_fava_loads(*, cache: bool = True) -> None:
    """Make Fava load ledgers with :func:`jlis_ledger.loading.load_ledger` (the collector
    tuning and the load cache; ``cache=False``: tuning only).

    Fava 1.30's ``FavaLedger.load_file`` calls the name ``load_uncached`` of ``fava.core``
    (Beancount's plain load, ``fava.beans.load``); that name, and only it, is replaced, for
    this process. Encrypted files keep Fava's own path.
    """
    import fava.core

    from jlis_ledger.loading import load_ledger

    original = _fava_name(fava.core, "load_uncached")

    def load_uncached(beancount_file_path: str, *, is_encrypted: bool) -> LoaderResult:  # Fava's signature
        if is_encrypted:
            return original(beancount_file_path, is_encrypted=is_encrypted)
        return load_ledger(beancount_file_path, cache=cache)  # type: ignore[return-value]  # Beancount's result, as Fava's own load returns it

    load_uncached.fava_original = original  # type: ignore[attr-defined]
    fava.core.load_uncached = load_uncached


def bound_fava_parameters() -> None:
    """Have Fava read the patterns and periods of requests with :mod:`jlis_ledger.fava.guard`.

    Fava 1.30 compiles a request's patterns in one place, ``fava.core.filters.Match`` (the
    account filter and the advanced filter's strings and ``key:value`` terms), and its account
    filter also calls Beancount's ``account.has_component`` with the filter's value, which
    formats it, unescaped, into a regular expression; beanquery (Fava's query page) runs the
    patterns of ``~``, ``grep``, ``grepn``, ``subst`` and ``findfirst`` with the ``re`` module of
    ``beanquery.query_compile`` and ``beanquery.query_env``.  Each of these names is replaced by
    its linear-time counterpart.  Fava's ``TimeFilter`` reads the time filter with the name
    ``parse_date`` of ``fava.core.filters``, and ``FilteredLedger.interval_ranges`` cuts periods
    with the name ``dateranges`` of ``fava.core``, and ``FavaLedger.interval_balances`` builds an
    account tree per interval: the three are replaced by their bounded versions.
    """
    import beancount.core.account
    import beanquery.query_compile
    import beanquery.query_env
    import fava.core
    import fava.core.filters
    import fava.core.query_shell

    from jlis_ledger.fava import guard

    _fava_name(fava.core.filters, "Match")
    fava.core.filters.Match = guard.LinearMatch  # type: ignore[misc, assignment]
    _fava_name(beancount.core.account, "has_component")
    beancount.core.account.has_component = guard.has_component
    for module in (beanquery.query_compile, beanquery.query_env):
        _fava_name(module, "re")
        module.re = guard.linear_re
    _fava_name(fava.core.filters, "parse_date")
    fava.core.filters.parse_date = guard.parse_period  # type: ignore[assignment]
    fava.core.dateranges = guard.bounded_dateranges(_fava_name(fava.core, "dateranges"))
    ledger_class = fava.core.FavaLedger
    ledger_class.interval_balances = guard.bounded_interval_balances(  # type: ignore[method-assign]
        _fava_name(ledger_class, "interval_balances"))
    filtered_class = fava.core.FilteredLedger
    filtered_class.paginate_journal = _journal_pages_from_one(  # type: ignore[method-assign]
        _fava_name(filtered_class, "paginate_journal"))
    shell_class = fava.core.query_shell.FavaBQLShell
    shell_class.run = _query_errors_are_the_queries(_fava_name(shell_class, "run"))  # type: ignore[method-assign]


#: What evaluating a query's own expressions raises in beanquery (``date_add`` past 9999,
#: ``parse_date('x')``, ``round(number, 99999999)``) and its recursive parser on nesting.
QUERY_FAULTS = (ArithmeticError, LookupError, RecursionError, TypeError, ValueError)


def _query_errors_are_the_queries(run):
    """Fava's ``FavaBQLShell.run`` (the one place Fava runs a query, for its query page and its
    downloads) turning :data:`QUERY_FAULTS` into Fava's query error: beanquery reports a query it
    cannot parse or compile as such, but lets the errors of evaluating it, and of parsing a query
    nested deeper than Python's recursion limit, escape (Fava answered 500)."""
    from fava.core.query_shell import FavaShellError

    def guarded(shell, entries, query: str):
        try:
            return run(shell, entries, query)
        except QUERY_FAULTS as error:
            reason = "nested too deeply" if isinstance(error, RecursionError) else f"{type(error).__name__}: {error}"
            raise FavaShellError(f"Query failed: {reason}") from None

    guarded.fava_original = run  # type: ignore[attr-defined]
    return guarded


def _journal_pages_from_one(paginate_journal):
    """Fava's ``FilteredLedger.paginate_journal`` answering a page number below 1 as a page that is
    not there (Fava indexes its list of pages with ``page - 1``: ``page=-1`` raised IndexError, 500)."""

    def paginate(filtered, page: int, *args, **kwargs):
        return None if page < 1 else paginate_journal(filtered, page, *args, **kwargs)

    paginate.fava_original = paginate_journal  # type: ignore[attr-defined]
    return paginate


def adapt_fava(*, cache: bool = True) -> None:
    """Everything this process changes in Fava (idempotent): its loads and its reading of requests; and the
    BQL functions that know businesses for its query page (:mod:`jlis_ledger.bql`, registered on import)."""
    import jlis_ledger.bql  # noqa: F401

    route_fava_loads(cache=cache)
    bound_fava_parameters()


def _fava_name(module, name: str):
    """The original object behind ``module.name`` (before an earlier adaptation), or an error
    naming what this Fava version lacks: Fava's internals are not a stable API."""
    value = getattr(module, name, None)
    if value is None:
        raise RuntimeError(f"this Fava version has no {module.__name__}.{name} to adapt (jlis_ledger.serve)")
    return getattr(value, "fava_original", value)


def answer_request_errors(app) -> None:
    """Fava's API errors answered 400 with their message: Fava raises ``FavaAPIError`` for what a
    request asks and the ledger cannot give (a filter, a period or a query it cannot read, an entry
    or a file that is not there) and answers it 500 on its pages, and 500 in its JSON API too unless
    it is a filter error.  The errors of Fava's importer configuration (``fava.core.ingest``: the
    server's, not the request's) keep 500.  Fava's pages keep Fava's layout, its JSON API its
    ``{"error": …}`` shape; the errors Fava's API answers with their own status keep it."""
    from http import HTTPStatus

    from fava.core import ingest
    from fava.helpers import FavaAPIError
    from fava.json_api import json_err
    from flask import render_template

    server_faults = tuple(value for value in vars(ingest).values()
                          if isinstance(value, type) and issubclass(value, FavaAPIError)
                          and value.__module__ == ingest.__name__)

    def status(error) -> HTTPStatus:
        return HTTPStatus.INTERNAL_SERVER_ERROR if isinstance(error, server_faults) else HTTPStatus.BAD_REQUEST

    def page(error):
        return render_template("_layout.html", page_title="Error", content=error.message), status(error)

    def api(error):
        return json_err(error.message, status(error))

    app.register_error_handler(FavaAPIError, page)  # in place of Fava's own (500)
    # A blueprint's handlers come before the app's, and Fava's JSON API has its own for FavaAPIError:
    # replaced in the blueprint's scope (Flask's error_handler_spec), its more specific ones kept.
    app.error_handler_spec["json_api"][None][FavaAPIError] = api


def jump_within_the_server(app) -> None:
    """Fava's ``/jump`` (a sidebar link such as ``/jump?time=year`` sets a parameter on the page
    it was clicked on) redirecting to the path and query of its ``Referer`` only: Fava's redirects
    to the whole referring URL, of any site, and answers 500 without one."""
    from urllib.parse import parse_qsl, urlencode, urlsplit

    from flask import redirect, request

    def jump():
        referrer = urlsplit(request.referrer or "/")
        pairs = parse_qsl(referrer.query, keep_blank_values=True)
        for key, values in request.args.lists():
            pairs = [(k, v) for k, v in pairs if k != key] + [(key, v) for v in values if values != [""]]
        path = "/" + referrer.path.lstrip("/\\")  # never //host (a scheme-relative URL), nor /\host
        return redirect(path + (f"?{urlencode(pairs)}" if pairs else ""))

    if "jump" not in app.view_functions:
        raise RuntimeError("this Fava version has no /jump view to adapt (jlis_ledger.serve)")
    app.view_functions["jump"] = jump


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def create_app(ledger: Path, *, port: int, host: str = "127.0.0.1", editable: bool = False,
               allow_hosts: Iterable[str] = (), cache: bool = True):
    """Fava's app on ``ledger``, adapted and guarded, as the server runs it."""
    from fava.application import create_app as fava_app

    from jlis_ledger.fava.guard import HostGuard

    adapt_fava(cache=cache)
    app = fava_app([str(Path(ledger).resolve())], read_only=not editable)
    answer_request_errors(app)
    jump_within_the_server(app)
    own = [] if host in ("0.0.0.0", "::", "") else [host]  # listening everywhere names no address
    return HostGuard(app, port=port, hosts=own, allowed=allow_hosts)


def _listen_error(error: OSError, host: str, port: int) -> str:
    """One line on why the server cannot listen.  Cheroot reports a failed bind as text only; its
    cause (an ``errno``) is found by binding the address once more."""
    import socket

    cause = error
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((host, port))
    except OSError as probe_error:
        cause = probe_error
    where = f"cannot listen on {host}:{port}"
    if cause.errno == errno.EADDRINUSE:
        return f"{where}: the port is in use (another server?); choose another with --port"
    if cause.errno == errno.EACCES:
        return f"{where}: permission denied (ports below 1024 need privileges); choose another with --port"
    if cause.errno == errno.EADDRNOTAVAIL:
        return f"{where}: the address is not one of this machine's"
    return f"{where}: {cause.strerror or cause}"


def run(
    ledger: Path, *, port: int = 5000, editable: bool = False, host: str = "127.0.0.1", cache: bool = True,
    allow_hosts: Iterable[str] = (), allow_remote: bool = False,
) -> int:
    """Serve ``ledger`` until interrupted; :class:`ServeError` when it cannot start."""
    from cheroot.wsgi import Server

    loopback = is_loopback(host)
    if not loopback and not allow_remote:
        raise ServeError(f"{host} is not a loopback address: the books would be served to other machines "
                         "(add --allow-remote to mean it)")
    allow_hosts = list(allow_hosts)
    try:
        app = create_app(ledger, port=port, host=host, editable=editable, allow_hosts=allow_hosts, cache=cache)
    except ValueError as error:  # a malformed --allow-host
        raise ServeError(str(error)) from None
    server = Server((host, port), app)
    server.max_request_header_size = 1 << 20  # cheroot answers 414 past 1 MiB of request line and headers
    try:
        server.prepare()  # binds and listens; nothing printed before it succeeds
    except OSError as error:
        raise ServeError(_listen_error(error, host, port)) from None
    shown = f"[{host}]" if ":" in host else host
    if not loopback:
        names = ", ".join(allow_hosts) or "none"
        print(f"warning: serving the books on {shown}:{port} to other machines, with no login and no TLS "
              f"(host names answered besides the address: {names})", file=sys.stderr, flush=True)
    print(f"Fava: http://{shown}:{port}/  ({ledger}, {'editable' if editable else 'read-only'})", flush=True)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
