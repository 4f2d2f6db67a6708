"""Fixtures for the Fava extension: Fava's own Flask app on the bundled books, and an HTML reader."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
LEDGER = REPO / "ledger" / "main.beancount"


@pytest.fixture(scope="session")
def fava_app():
    from fava.application import create_app

    app = create_app([str(LEDGER)], read_only=True)
    app.testing = True
    return app


@pytest.fixture(scope="session")
def slug(fava_app) -> str:
    response = fava_app.test_client().get("/")
    assert response.status_code == 302
    return response.headers["Location"].split("/")[1]


@pytest.fixture
def get(fava_app, slug):
    """GET a path under the ledger (``extension/BusinessMatrix/?time=FY2022``); returns the response."""
    client = fava_app.test_client()

    def _get(path: str):
        return client.get(f"/{slug}/{path}")

    return _get


class Tables(HTMLParser):
    """The tables of a page: ``{id: [(row kind, label, [(text, data-account, href), ...]), ...]}``.

    A table is named by its ``data-statement`` or ``data-table`` attribute; a row's
    label is its first ``th`` and its cells are the ``td`` elements.  The text of an
    estimate mark (``span.jlis-mark``, ※1) is not part of a cell's text: the cell's
    ``data-estimate`` attribute says which marks it carries.
    """

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list] = {}
        self._table: str | None = None
        self._row: list | None = None
        self._cell: list | None = None
        self._in_head = False
        self._mark = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and ("data-statement" in a or "data-table" in a):
            self._table = a.get("data-statement") or a.get("data-table")
            self.tables[self._table] = []
        elif self._table is None:
            return
        elif tag == "thead":
            self._in_head = True
        elif tag == "tbody":
            self._in_head = False
        elif tag == "tr" and not self._in_head:
            self._row = [a.get("class", ""), None, [], dict(a)]
        elif tag in ("th", "td") and self._row is not None:
            self._cell = [tag, "", a.get("data-account"), None, dict(a)]
        elif tag == "a" and self._cell is not None and self._cell[3] is None:
            self._cell[3] = a.get("href")
        elif tag == "span" and "jlis-mark" in (a.get("class") or ""):
            self._mark = True

    def handle_data(self, data):
        if self._cell is not None and not self._mark:
            self._cell[1] += data

    def handle_endtag(self, tag):
        if tag == "span":
            self._mark = False
        if self._table is None:
            return
        if tag in ("th", "td") and self._cell is not None and self._row is not None:
            kind, text, account, href, attrs = self._cell
            text = " ".join(text.split())
            if kind == "th" and self._row[1] is None:
                self._row[1] = text
            else:
                self._row[2].append((text, account, href, attrs))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(tuple(self._row))
            self._row = None
        elif tag == "table":
            self._table = None


@pytest.fixture
def tables():
    return lambda html: Tables(html if isinstance(html, str) else html.decode()).tables
