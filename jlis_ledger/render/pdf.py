"""Tables as a PDF laid out like the published pages (ReportLab), the Japanese font embedded.

Each table starts a page, as :mod:`.present` prints it: the entity, the title, the 和暦 date in
brackets and （単位：円） above a ruled table with the published heads; labels indented by level,
figures right-aligned with the table's conventions (△, ``-`` for a zero, a 減少額 column
positive).  A table is set in the largest size from 9 pt down that fits it one page wide on A4,
portrait if it fits so, else landscape; a longer one continues on the next page with its heads
repeated.  Every page has a footer (作成日, 版, page x / y of its statement, 照合: a
:class:`~jlis_ledger.render.stamp.Stamp`), a continued page a running head (entity, statement,
year); each statement is a bookmark.

Texts from the ledger are escaped before ReportLab's paragraph markup reads them (a label
cannot name an image file or a link).

ReportLab (BSD licence, maintained since 2000) is used for the layout: its tables split across
pages with repeated heads, wrap Japanese text, and embed a subset of a TrueType font
(:mod:`.fonts`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as Grid

from jlis_ledger.render import fonts
from jlis_ledger.render.files import write as write_file
from jlis_ledger.render.present import Printed, printed
from jlis_ledger.render.stamp import Stamp
from jlis_ledger.table import Table

MARGIN = 15 * mm
SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5)  # the type sizes tried, largest first
PAD = 3.0  # cell padding left and right (pt)
TOP, BOTTOM = 0.8, 1.4  # cell padding above and below (pt)
LEADING = 1.2  # line height, in type sizes
LABEL_SHARE = 0.42  # the label column takes at most this share of the line
HEAD_LINES = 3  # a head wraps to at most this many lines before its column widens
ONE_PAGE = 6.5  # the smallest size a table is set in to keep it on one page
MIN_SHARE = 0.7  # a narrower table is widened to this share of the line
TITLE_BLOCK = 80.0  # the height of the entity, title, date and unit lines (pt)
GREY = colors.Color(0.35, 0.35, 0.35)


class _Start(Flowable):
    """Marks the first page of a statement: bookmark, outline entry and the page furniture's subject."""

    def __init__(self, key: str, title: str) -> None:
        super().__init__()
        self.key, self.title = key, title
        self.width = self.height = 0

    def draw(self) -> None:
        c = self.canv
        c.bookmarkPage(self.key)
        c.addOutlineEntry(self.title, self.key, level=0)
        c.subject = (self.key, self.title)
        c.first = True


def _stamped(stamp: Stamp, font: str) -> type[canvas.Canvas]:
    """A canvas that keeps its pages until the end, then draws each page's furniture (page x / y of its statement)."""

    class Stamped(canvas.Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.pages: list[dict] = []
            self.subject: tuple[str, str] = ("", "")
            self.first = False

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self.pages.append(dict(self.__dict__))
            self.first = False
            self._startPage()

        def save(self) -> None:
            totals = Counter(page["subject"][0] for page in self.pages)
            seen: Counter[str] = Counter()
            for page in self.pages:
                self.__dict__.update(page)
                seen[self.subject[0]] += 1
                self._furniture(seen[self.subject[0]], totals[self.subject[0]])
                canvas.Canvas.showPage(self)
            canvas.Canvas.save(self)

        def _furniture(self, number: int, total: int) -> None:
            width, height = self._pagesize
            self.setFillColor(GREY)
            if not self.first:  # a continued page: the running head
                self.setFont(font, 7.5)
                top = height - MARGIN + 4 * mm
                self.drawString(MARGIN, top, stamp.entity or "")
                self.drawCentredString(width / 2, top, f"{self.subject[1]}（続き）")
                self.drawRightString(width - MARGIN, top, stamp.year or "")
            self.setFont(font, 8)
            self.drawCentredString(width / 2, MARGIN - 7 * mm, f"{number} / {total}")
            self.setFont(font, 6.5)
            facts = stamp.facts()
            for i, line in enumerate(facts[:2]):
                self.drawString(MARGIN, MARGIN - 6 * mm - i * 8, line)
            for i, line in enumerate(facts[2:]):
                self.drawRightString(width - MARGIN, MARGIN - 6 * mm - i * 8, line)

    return Stamped


def _widths(shown: Printed, font: str, size: float) -> tuple[float, list[float]]:
    """The natural widths of the label column and of each value column at ``size``."""
    label = max([stringWidth(r.label, font, size) + size * r.level for r in shown.rows]
                + [stringWidth(shown.label_head, font, size)]) + 2 * PAD + size
    values = []
    for j, column in enumerate(shown.columns):
        figures = max([stringWidth(r.cells[j], font, size) for r in shown.rows] + [0.0])
        head = stringWidth(column.head, font, size) / HEAD_LINES if shown.heads else 0.0
        longest = max((stringWidth(ch, font, size) for ch in column.head), default=0.0)
        values.append(max(figures, head, longest * 2, 4 * size) + 2 * PAD + size / 2)
    return label, values


def _height(shown: Printed, font: str, size: float, label: float, values: list[float]) -> float:
    """The height of the title block and the table at ``size`` with these widths (wrapped lines counted)."""
    leading = size * LEADING + TOP + BOTTOM
    def lines(text: str, room: float) -> int:
        return max(1, -(-int(stringWidth(text, font, size)) // max(1, int(room - 2 * PAD))))
    rows = sum(lines(r.label, label - size * r.level) * leading for r in shown.rows)
    head = max([lines(c.head, w) for c, w in zip(shown.columns, values, strict=True)] + [1]) * leading if shown.heads else 0
    return TITLE_BLOCK + head + rows


def _fit(shown: Printed, font: str) -> tuple[tuple[float, float], float, float, list[float]]:
    """The page, type size and column widths: one page wide always; one page tall when a size from
    :data:`ONE_PAGE` up allows it; then the largest size, portrait before landscape at the same size."""
    found = []
    for rank, page in enumerate((A4, landscape(A4))):
        frame = page[0] - 2 * MARGIN
        for size in SIZES:
            label, values = _widths(shown, font, size)
            label = min(label, frame * LABEL_SHARE)
            total = label + sum(values)
            if total > frame:
                continue
            if total < frame * MIN_SHARE:  # a narrow table is widened as the pages print it
                extra = frame * MIN_SHARE - total
                label += extra * 0.6
                values = [v + extra * 0.4 / len(values) for v in values]
            one_page = size >= ONE_PAGE and _height(shown, font, size, label, values) <= page[1] - 2 * MARGIN
            found.append(((not one_page, -size, rank), page, size, label, values))
    if found:
        _, page, size, label, values = min(found, key=lambda f: f[0])
        return page, size, label, values
    page = landscape(A4)  # the smallest size, every column narrowed in proportion (labels and heads wrap)
    frame = page[0] - 2 * MARGIN
    label, values = _widths(shown, font, SIZES[-1])
    label = min(label, frame * LABEL_SHARE)
    scale = frame / (label + sum(values))
    return page, SIZES[-1], label * scale, [v * scale for v in values]


def _styles(font: str, size: float) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("cell", fontName=font, fontSize=size, leading=size * LEADING, wordWrap="CJK")
    return {
        "label": ParagraphStyle("label", base, alignment=TA_LEFT),
        "head": ParagraphStyle("head", base, alignment=TA_CENTER),
        "entity": ParagraphStyle("entity", base, fontSize=9, leading=12, alignment=TA_LEFT),
        "title": ParagraphStyle("title", base, fontSize=15, leading=20, alignment=TA_CENTER, spaceBefore=2, spaceAfter=4),
        "when": ParagraphStyle("when", base, fontSize=9.5, leading=13, alignment=TA_CENTER),
        "unit": ParagraphStyle("unit", base, fontSize=8.5, leading=12, alignment=TA_RIGHT),
    }


def _grid(shown: Printed, font: str, size: float, label_width: float, widths: list[float]) -> Grid:
    style = _styles(font, size)
    data: list[list] = []
    if shown.heads:
        data.append([Paragraph(escape(shown.label_head), style["head"]),
                     *(Paragraph(escape(c.head), style["head"]) for c in shown.columns)])
    ruled = ("GRID", (0, 0), (-1, -1), 0.4, colors.black) if shown.heads else ("BOX", (0, 0), (-1, -1), 0.4, colors.black)
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), font, size, size * LEADING),
        ruled,  # the two-column form of 利益の処分 has no rules between its columns
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), BOTTOM),
    ]
    for j, column in enumerate(shown.columns, start=1):
        commands.append(("ALIGN", (j, 0), (j, -1), "LEFT" if column.text else "RIGHT"))
    for row in shown.rows:
        indented = ParagraphStyle(f"l{row.level}", style["label"], leftIndent=size * row.level)
        data.append([Paragraph(escape(row.label), indented), *row.cells])
        if row.kind == "subtotal" and row.level == 0 and shown.heads:
            commands.append(("LINEABOVE", (0, len(data) - 1), (-1, len(data) - 1), 1.0, colors.black))
    return Grid(data, colWidths=[label_width, *widths], repeatRows=1 if shown.heads else 0, style=TableStyle(commands),
                hAlign="CENTER")


def _story(tables: Iterable[Table], font: str, unit: str | None) -> tuple[list, str]:
    """The flowables of every table, and the page template of the first page."""
    story: list = []
    first = "portrait"
    for index, table in enumerate(tables):
        shown = printed(table, unit=unit)
        page, size, label_width, widths = _fit(shown, font)
        style = _styles(font, size)
        template = "landscape" if page[0] > page[1] else "portrait"
        if index:
            story += [NextPageTemplate(template), PageBreak()]
        else:
            first = template
        story.append(_Start(f"s{index}-{table.id}", table.title))
        if shown.entity:
            story.append(Paragraph(escape(shown.entity), style["entity"]))
        story.append(Paragraph(escape(shown.title), style["title"]))
        if shown.when:
            story.append(Paragraph(escape(f"（{shown.when}）"), style["when"]))
        story.append(Grid([[Paragraph(escape(shown.unit_line), style["unit"])]], colWidths=[label_width + sum(widths)],
                          style=TableStyle([("FONT", (0, 0), (-1, -1), font, 8.5), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                            ("RIGHTPADDING", (0, 0), (-1, -1), 0)]),
                          hAlign="CENTER"))
        story.append(Spacer(1, 2))
        story.append(_grid(shown, font, size, label_width, widths))
        for note in table.notes:
            story.append(Paragraph(escape(note), style["label"]))
    return story, first


def render(tables: Iterable[Table], path: str | Path, *, stamp: Stamp | None = None, unit: str | None = None) -> None:
    """Write the PDF of ``tables`` to ``path`` (not atomically: see :func:`write`)."""
    font = fonts.register()
    stamp = stamp or Stamp()
    portrait, wide = A4, landscape(A4)
    doc = BaseDocTemplate(str(path), pagesize=portrait, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=MARGIN, title=" ".join(p for p in (stamp.entity, stamp.year, "財務諸表") if p),
                          author=stamp.entity or "", creator="jlis-ledger", lang="ja-JP", initialFontName=font)
    story, first = _story(tables, font, unit)
    templates = [PageTemplate(name, [Frame(MARGIN, MARGIN, size[0] - 2 * MARGIN, size[1] - 2 * MARGIN, id=name)], pagesize=size)
                 for name, size in (("portrait", portrait), ("landscape", wide))]
    doc.addPageTemplates(sorted(templates, key=lambda t: t.id != first))  # the first page takes the first template
    doc.build(story, canvasmaker=_stamped(stamp, font))


def write(tables: Iterable[Table], path: str | Path, *, stamp: Stamp | None = None, unit: str | None = None) -> None:
    """Write the PDF of ``tables`` to ``path`` atomically (:func:`jlis_ledger.render.files.write`)."""
    tables = list(tables)
    fonts.register()  # a missing font is reported before any file is touched
    write_file(path, lambda temporary: render(tables, temporary, stamp=stamp, unit=unit))


__all__ = ["MARGIN", "SIZES", "render", "write"]
