"""`statements --format pdf` (issue 16, items 4 and 5): the PDF read back with poppler (pdftotext, pdftoppm,
pdffonts, pdfinfo; `make print-tools` installs them) against the published figures.

Every figure of every statement must be printed, row by row in published order, as the report prints it
(published_print.py: the figures of r4-kessan.json with the document's conventions). The first page of each
statement is kept as a PNG under artifacts/pdf/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from PIL import Image
from published_print import ENTITY, cells
from tests_cli_helper import REPO, jlis

from jlis_ledger.render import pdf
from jlis_ledger.render.stamp import Stamp
from jlis_ledger.statements import STATEMENT_IDS
from jlis_ledger.table import Column, Presentation, Table

ARTIFACTS = REPO / "artifacts" / "pdf"
WIDE = {"segment-bs", "segment-pl", "fixed-assets", "budget-notes"}  # budget-notes: its long texts


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf") / "statements-r4.pdf"
    result = jlis("statements", "--all", "--year", "2022", "--format", "pdf", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def pages(document) -> list[str]:
    return _run("pdftotext", "-layout", str(document), "-").split("\f")[:-1]


def _head(text: str, title: str) -> bool:
    """The page starts with ``title``: a line of its own, or (wrapped) the next lines together, under the entity."""
    lines = [line.strip() for line in text.splitlines()[:5]]
    return title in lines or any("".join(lines[i:i + 2]) == title for i in range(len(lines) - 1))


@pytest.fixture(scope="module")
def statement_pages(pages, published) -> dict[str, list[int]]:
    """The page indices of each statement: its first page shows its title as a line, a continued one the running head.
    Two statements may share a published title (借入金等明細書: ``lease-debt`` and the full form ``borrowings``): the
    statements are printed in STATEMENT_IDS order, so each one's first page is the first such page after the previous one's.
    A long title may wrap over two lines."""
    out: dict[str, list[int]] = {}
    after = -1
    for statement in STATEMENT_IDS:
        title = published["tables"][statement]["title"]
        heads = [i for i, text in enumerate(pages) if _head(text, title)]
        first = [i for i in heads if i > after][:1]
        assert len(first) == 1 and len(heads) <= sum(1 for t in published["tables"].values() if t["title"] == title), (statement, heads)
        after = first[0]
        following = [i for i in heads if i > after] + [len(pages)]
        running = "".join(f"{title}（続き）".split())  # the running head, compared without the layout's spaces
        continued = [i for i, text in enumerate(pages) if after < i < following[0] and running in "".join(text.split())]
        out[statement] = first + continued
    return out


def test_the_japanese_font_is_embedded_and_nothing_else_is_used(document):
    fonts = [line.split() for line in _run("pdffonts", str(document)).splitlines()[2:]]
    assert fonts and all(f[0].endswith("+IPAexMincho") for f in fonts), fonts
    assert all(f[-5:-2] == ["yes", "yes", "yes"] for f in fonts), fonts  # embedded, subset, with a Unicode map


@pytest.mark.parametrize("statement", STATEMENT_IDS)
def test_every_published_figure_is_printed_row_by_row(pages, statement_pages, published, statement):
    table = published["tables"][statement]
    text = "\n".join(pages[i] for i in statement_pages[statement])
    lines = [line.split() for line in text.splitlines()]
    position, found = 0, 0
    for row in table["rows"]:
        if row["values"] is None:
            continue
        expected = cells(statement, table, row)
        hit = next((i for i in range(position, len(lines)) if lines[i][-len(expected):] == expected), None)
        assert hit is not None, (statement, row["label"], expected)
        position, found = hit + 1, found + 1
    assert found == sum(1 for r in table["rows"] if r["values"] is not None)
    # the labels, a wrapped one read across its lines: each line without the figures at its end, joined without spaces
    flat = "".join("".join(re.sub(r"(\s+(△?[\d,]+(\.\d+)?|-))+\s*$", "", line).split()) for line in text.splitlines())
    assert all("".join(row["label"].split()) in flat for row in table["rows"]), statement
    assert ENTITY in pages[statement_pages[statement][0]]


def test_pages_are_a4_landscape_where_wide_and_numbered_within_their_statement(document, pages, statement_pages, published):
    figures = sum(len(r["values"] or []) for i, t in published["tables"].items() if i in STATEMENT_IDS for r in t["rows"])
    info = _run("pdfinfo", "-f", "1", "-l", str(len(pages)), str(document))
    sizes = [tuple(float(x) for x in m) for m in re.findall(r"size:\s+([\d.]+) x ([\d.]+) pts", info)]
    assert len(sizes) == len(pages)
    for statement, indices in statement_pages.items():
        for number, index in enumerate(indices, start=1):
            width, height = sizes[index]
            assert sorted((width, height)) == pytest.approx([595.28, 841.89], abs=0.5)  # A4
            assert (width > height) == (statement in WIDE), statement
            assert re.search(rf"\b{number}\s*/\s*{len(indices)}\b", pages[index]), (statement, number)
            assert f"照合 r4-kessan.json: {len(STATEMENT_IDS)}表 {figures:,}件 差異0件" in pages[index]
            assert re.search(r"版 git [0-9a-f]{12} · sha256 [0-9a-f]{12}", pages[index])


def test_one_png_per_statement_is_kept_as_an_artifact(document, statement_pages):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for statement, indices in statement_pages.items():
        target = ARTIFACTS / statement
        page = str(indices[0] + 1)
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", page, "-l", page, str(document), str(target)],
                       check=True)
        with Image.open(target.with_suffix(".png")) as image:
            assert (image.width > image.height) == (statement in WIDE)
            dark = sum(image.convert("L").histogram()[:128])
            assert dark > 2000, statement  # ruled and printed, not a blank page


def test_one_statement_and_the_text_of_the_ledger_is_never_markup(tmp_path):
    result = jlis("statements", "--statement", "cf", "--year", "2022", "--format", "pdf", "-o", str(tmp_path / "cf.pdf"))
    assert result.returncode == 0, result.stderr
    assert "Pages:           1" in _run("pdfinfo", str(tmp_path / "cf.pdf"))
    table = Table("x", "表 <b>太字</b>", [Column("金額")], presentation=Presentation(entity="R&D <機構>"))
    table.line("<img src='/etc/passwd'/> & <a href='x'>", 0, [1])
    pdf.write([table], tmp_path / "x.pdf", stamp=Stamp(revision="sha256 <i>x</i>"))
    text = _run("pdftotext", "-layout", str(tmp_path / "x.pdf"), "-")
    assert "<img src='/etc/passwd'/> & <a href='x'>" in text and "表 <b>太字</b>" in text and "R&D <機構>" in text
    assert "版 sha256 <i>x</i>" in text


def test_without_a_font_nothing_is_written(tmp_path):
    env = {**os.environ, "JLIS_LEDGER_FONT": str(tmp_path / "missing.ttf")}
    result = subprocess.run([sys.executable, "-m", "jlis_ledger.cli", "statements", "--statement", "bs", "--format", "pdf", "-o", str(tmp_path / "bs.pdf")],
                            capture_output=True, text=True, env=env, cwd=REPO)
    assert result.returncode == 1 and "missing.ttf: no such font file" in result.stderr
    assert list(tmp_path.iterdir()) == []
