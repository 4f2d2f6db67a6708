"""`jlis-ledger serve`: a real Fava server on 127.0.0.1 with the bundled books, read-only by default,
held under hostile requests (jlis_ledger.fava.guard): it answers only its own Host, no request stalls
it, malformed parameters get a page with a message rather than a 500, and it starts (or refuses to) in
one clear line."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
#: A figure of the published 事業別財務情報 (現金及び預金 of 一般事業), as the pages print it and as JSON holds it.
FIGURE = ("6,143,949,797", "6143949797")
#: Time enough for any answer on a loaded machine; a request frozen by a pattern never answers.
PATIENCE = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command(*args: str) -> list[str]:
    script = Path(sys.executable).with_name("jlis-ledger")
    return ([str(script)] if script.exists() else [sys.executable, "-m", "jlis_ledger.cli"]) + ["serve", *args]


@contextmanager
def running(*args: str):
    """``jlis-ledger serve --port P ARGS`` until the block ends; yields (base URL, ledger URL)."""
    port = free_port()
    proc = subprocess.Popen(command("--port", str(port), *args), cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=30) as response:
                    slug = urllib.parse.urlparse(response.url).path.split("/")[1]
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise RuntimeError(f"Fava did not start: {proc.stdout.read() if proc.stdout else ''}") from None
                time.sleep(0.3)
        yield base, f"{base}/{slug}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server():
    with running() as (base, _):
        yield base


@pytest.fixture(scope="module")
def ledger_url(server) -> str:
    with urllib.request.urlopen(server + "/", timeout=30) as response:
        return server + "/" + urllib.parse.urlparse(response.url).path.split("/")[1]


def fetch(url: str, *, headers: dict[str, str] | None = None, timeout: float = PATIENCE):
    """(status, headers, body as text) of a GET, whatever the status."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")


def query(path: str, **params: str) -> str:
    return f"{path}?{urllib.parse.urlencode(params)}"


def test_serves_the_books_in_fava_on_loopback(server):
    with urllib.request.urlopen(server + "/", timeout=30) as response:
        assert response.status == 200
        final = urllib.parse.unquote(response.url)
        html = response.read().decode()
    assert final.endswith("/extension/BusinessMatrix/?time=FY2022")  # the default page: 事業別財務情報, 令和4年度
    assert "地方公共団体情報システム機構 事業別会計" in html
    slug = urllib.parse.urlparse(response.url).path.split("/")[1]
    url = f"{server}/{slug}/api/errors"
    with urllib.request.urlopen(url, timeout=30) as errors:
        assert b'"data":[]' in errors.read().replace(b" ", b"")


def test_is_read_only_by_default(server):
    with urllib.request.urlopen(server + "/", timeout=30) as response:
        slug = urllib.parse.urlparse(response.url).path.split("/")[1]
    request = urllib.request.Request(f"{server}/{slug}/api/source", data=b'{"file_path": "x", "source": "", "sha256sum": ""}',
                                     method="PUT", headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=30)
    assert error.value.code in (401, 403, 405)


# -- the server answers only its own address (DNS rebinding) -------------------------------------


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:{port}", "127.0.0.1.attacker.example:{port}",
                                  "127.0.0.1:1", "localhost", "127.0.0.1:{port}@attacker.example"])
def test_a_foreign_host_is_refused_with_no_data(server, ledger_url, host):
    port = urllib.parse.urlparse(server).port
    header = host.format(port=port)
    for url in (server + "/", ledger_url + query("/extension/BusinessMatrix/data", time="FY2022"),
                ledger_url + query("/extension/BusinessMatrix/", time="FY2022"), ledger_url + "/api/income_statement"):
        status, headers, body = fetch(url, headers={"Host": header})
        assert status == 403, (url, header)
        assert not any(figure in body for figure in FIGURE)
        assert "Location" not in headers and "事業別会計" not in body  # not even the ledger's title
        assert "--allow-host" in body  # and it says how to allow a name


def test_the_figures_are_there_for_the_own_address(server, ledger_url):
    """The same request as above with the server's own address: the refusal is the Host's doing."""
    port = urllib.parse.urlparse(server).port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST.:{port}", f"[::1]:{port}"):
        status, _, body = fetch(ledger_url + query("/extension/BusinessMatrix/data", time="FY2022"), headers={"Host": host})
        assert status == 200, host
        assert FIGURE[0] in body


def test_a_page_of_another_origin_is_refused_and_no_response_has_cors_headers(server, ledger_url):
    url = ledger_url + query("/extension/BusinessMatrix/data", time="FY2022")
    status, _, body = fetch(url, headers={"Origin": "http://attacker.example"})
    assert status == 403 and not any(figure in body for figure in FIGURE)
    status, _, _ = fetch(url, headers={"Origin": server})  # Fava's own pages
    assert status == 200
    for path in ("/", "/api/income_statement", "/extension/BusinessMatrix/", "/api/nothing-here"):
        for origin in (server, "http://attacker.example", None):
            _, headers, _ = fetch(ledger_url + path, headers={"Origin": origin} if origin else None)
            assert not [k for k in headers if k.lower().startswith("access-control-")], (path, origin)


def test_allowed_host_names_pass_and_others_do_not():
    with running("--allow-host", "books.example", "--allow-host", "proxy.example:443") as (base, ledger):
        port = urllib.parse.urlparse(base).port
        url = ledger + query("/extension/BusinessMatrix/data", time="FY2022")
        for host, expected in ((f"books.example:{port}", 200), ("books.example", 200), ("proxy.example:443", 200),
                               (f"127.0.0.1:{port}", 200), ("books.example:1", 403), (f"proxy.example:{port}", 403),
                               (f"other.example:{port}", 403)):
            status, _, body = fetch(url, headers={"Host": host})
            assert status == expected, host
            assert (FIGURE[0] in body) == (expected == 200)


# -- no request stalls the server ---------------------------------------------------------------


EVIL = "(.|.)*ZZ"  # exponential in a backtracking engine: a 60-character account name would take eons
PATHOLOGICAL = [
    query("/extension/BusinessMatrix/", time="FY2022", account=EVIL),
    query("/extension/Settlement/data", time="FY2022", account=EVIL),
    query("/api/income_statement", account=EVIL),
    query("/api/journal", filter=f'narration:"{EVIL}"'),
    query("/api/journal", filter=f"account:'{EVIL}'"),
    query("/api/query", query_string=f"SELECT account WHERE account ~ '{EVIL}'"),
    query("/api/query", query_string=f"SELECT grep('{EVIL}', account) WHERE account ~ 'B1'"),
    query("/api/balance_sheet", time="1900-01-01 - 2199-12-31", interval="day"),
    query("/api/account_report", a="Assets", r="balances", time="1900 - 2199", interval="day"),
    query("/api/account_report", a="", r="balances", time="2014 - 2023", interval="week"),
]


@pytest.mark.parametrize("path", PATHOLOGICAL)
def test_a_pathological_request_answers_while_a_parallel_request_is_served(ledger_url, path):
    """The hostile request answers (200, or 400 for periods refused), and a plain request sent while
    it runs answers too: a pattern run by a backtracking engine froze the whole process."""
    result: dict = {}

    def hostile():
        result["hostile"] = fetch(ledger_url + path)

    worker = threading.Thread(target=hostile)
    worker.start()
    time.sleep(0.1)
    status, _, body = fetch(ledger_url + "/api/changed")
    assert status == 200 and '"data"' in body
    worker.join(PATIENCE + 5)
    assert "hostile" in result, path
    status, _, body = result["hostile"]
    assert status in (200, 400), (path, status, body[:300])
    if status == 400:
        assert "interval" in json.loads(body)["error"]


def test_a_pattern_that_matches_still_filters(ledger_url):
    """RE2 reads the patterns an accountant writes: the account filter narrows the matrix to a line."""
    status, _, body = fetch(ledger_url + query("/extension/BusinessMatrix/data", time="FY2022", account="現金及び預金|^Nothing"))
    assert status == 200
    rows = [r["label"] for r in json.loads(body)["tables"][0]["rows"]]
    assert rows == ["現金及び預金"]
    status, _, body = fetch(ledger_url + query("/api/query", query_string="SELECT account WHERE account ~ '現金及び預金:.*b1-' LIMIT 1"))
    assert status == 200 and "現金及び預金" in json.loads(body)["data"]["rows"][0][0]


# -- malformed parameters: a page with a message, never a 500 --------------------------------------


MALFORMED = {
    "unbalanced pattern": "(",
    "look-ahead (not in RE2)": "(?=B1)B",
    "fiscal year 9999 (ends in 10000)": "FY9999",
    "thousands of years": "1900-01-01 - 9999-12-31",
    "an end before the start": "2023 - 2022",
    "garbage": "%garbage(]",
    "20,000 characters": "a" * 20_000,
}
EXTENSION_PAGES = ["/extension/BusinessMatrix/", "/extension/Settlement/", "/extension/Clearing/", "/extension/Reserves/"]
FAVA_PAGES = ["/income_statement/", "/balance_sheet/", "/journal/", "/account/Assets/"]
FAVA_API = ["/api/income_statement", "/api/balance_sheet", "/api/journal", "/api/trial_balance", "/api/statistics",
            "/api/events", "/api/commodities", "/api/documents", "/api/account_report?a=Assets&r=changes"]


def _with(path: str, name: str, value: str) -> str:
    return path + ("&" if "?" in path else "?") + urllib.parse.urlencode({name: value})


@pytest.mark.parametrize("kind", list(MALFORMED))
@pytest.mark.parametrize("name", ["account", "filter", "time"])
def test_a_malformed_parameter_gives_a_page_with_a_message(ledger_url, kind, name):
    value = MALFORMED[kind]
    for path in EXTENSION_PAGES + [p + "data" for p in EXTENSION_PAGES] + FAVA_PAGES + FAVA_API:
        status, headers, body = fetch(ledger_url + _with(path, name, value))
        assert status < 500, (path, name, kind, body[:300])
        if status >= 400:  # refused: it says why
            assert headers.get_content_type() in ("text/html", "application/json")
            message = json.loads(body)["error"] if path.startswith("/api/") else body
            assert message.strip() and "Internal Server Error" not in message


@pytest.mark.parametrize(("name", "value", "said"), [
    ("time", "FY9999", "期間「FY9999」を読めません（日付または日付の範囲として読めません）"),
    ("time", "1900-01-01 - 9999-12-31", "1900年1月1日から2199年12月31日までの日付にしてください"),
    ("time", "2023 - 2022", "終わりが始まりより前です"),
    ("account", "(", "勘定科目フィルタ「(」を使えません: 正規表現として読めません"),
    ("account", "(?<=B)1", "先読み・後読みと後方参照は使えません"),
])
def test_the_extension_pages_say_what_they_cannot_read_in_japanese(ledger_url, name, value, said):
    for page in ("BusinessMatrix", "Settlement"):
        status, _, html = fetch(ledger_url + query(f"/extension/{page}/", **{name: value}))
        assert status == 200 and said in html
        status, _, data = fetch(ledger_url + query(f"/extension/{page}/data", **{name: value}))
        assert status == 200 and said in json.dumps(json.loads(data), ensure_ascii=False)


@pytest.mark.parametrize(("params", "said"), [
    ({"account": "("}, "not a regular expression"),
    ({"filter": "narration:'('"}, "not a regular expression"),
    ({"time": "FY9999"}, "not a date or a range of dates"),
    ({"time": "1900-01-01 - 9999-12-31"}, "dates must lie between 1900-01-01 and 2199-12-31"),
    ({"time": "2022-" * 4000}, "at most 500"),
    ({"time": "1900 - 2199", "interval": "day"}, "more than 5000 intervals"),
])
def test_favas_json_api_says_what_it_cannot_read(ledger_url, params, said):
    status, _, body = fetch(ledger_url + query("/api/income_statement", **params))
    assert status == 400
    assert said in json.loads(body)["error"]


def test_favas_query_errors_are_the_requests(ledger_url):
    for text in ("garbage (", "SELECT account WHERE account ~ '('", "run no-such-query", "SELECT " + "(" * 60 + "1" + ")" * 60):
        status, _, body = fetch(ledger_url + query("/api/query", query_string=text))
        assert status == 400, text
        assert json.loads(body)["error"]


# -- starting ------------------------------------------------------------------------------------


def test_a_busy_port_is_one_line_and_exit_1():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(command("--port", str(port)), cwd=REPO, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert f"127.0.0.1:{port}" in lines[0] and "in use" in lines[0] and "--port" in lines[0]
    assert "http://" not in done.stdout  # the URL is printed only once the port is ours


def test_listening_beyond_loopback_needs_the_option():
    port = free_port()
    done = subprocess.run(command("--port", str(port), "--host", "0.0.0.0"), cwd=REPO, capture_output=True, text=True, check=False,
                          timeout=120)
    assert done.returncode == 1
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and "0.0.0.0" in lines[0] and "--allow-remote" in lines[0], lines
    with socket.socket() as probe:  # nothing was bound
        probe.bind(("127.0.0.1", port))


def test_listening_beyond_loopback_with_the_option_warns_once_bound(monkeypatch, capsys):
    """In-process, with cheroot's server and the app replaced (nothing is bound, Fava is not adapted):
    the warning and the URL come after the port is bound, the warning on stderr."""
    from jlis_ledger import serve

    events = []

    class Server:
        def __init__(self, bind_addr, app):
            events.append(("server", bind_addr, app))

        def prepare(self):
            events.append(("bound", capsys.readouterr()))  # nothing printed yet

        def serve(self):
            raise KeyboardInterrupt

        def stop(self):
            events.append(("stopped",))

    monkeypatch.setattr("cheroot.wsgi.Server", Server)
    monkeypatch.setattr(serve, "create_app", lambda ledger, **options: ("app", options))
    assert serve.run(REPO / "ledger" / "main.beancount", host="192.0.2.7", port=8080, allow_remote=True,
                     allow_hosts=["books.example"]) == 0
    out = capsys.readouterr()
    assert events[0] == ("server", ("192.0.2.7", 8080), ("app", {"port": 8080, "host": "192.0.2.7", "editable": False,
                                                                    "allow_hosts": ["books.example"], "cache": True}))
    assert events[1][0] == "bound" and events[1][1].out == events[1][1].err == ""
    assert events[2] == ("stopped",)
    assert out.err.startswith("warning: serving the books on 192.0.2.7:8080 to other machines") and "books.example" in out.err
    assert out.out.startswith("Fava: http://192.0.2.7:8080/")


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True),
                                                ("::1", True), ("[::1]", True), ("0.0.0.0", False), ("::", False),
                                                ("192.0.2.7", False), ("books.example", False)])
def test_what_counts_as_loopback(host, loopback):
    from jlis_ledger import serve

    assert serve.is_loopback(host) is loopback
