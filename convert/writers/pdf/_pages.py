"""Page furniture and numbering: running header, "page X of Y" footer, contents numbers.

The layout runs once. ``multiBuild`` would lay a thousand-article digest out three times to
learn page numbers; instead each footer and each contents page number is a form XObject,
drawn in place while the pages are laid out and defined at the end, when every article's
first page and the total are known. Pages are emitted as they are laid out, so bookmarks
and links point at the right pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFObjectReference
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable

from ...model.errors import BriefkitError
from ...plan.layout import Plan, clip_words
from ...plan.styles import Style
from ._engine import EngineCanvas, fast
from ._flowables import Progress, contents_form
from ._fonts import Fonts
from ._tags import Tags, artifact, tag_annotation, tag_page
from ._tags import finish as finish_tags


def footer_form(page: int) -> str:
    """Name of the form XObject holding a page's footer."""
    return f"bk-footer-{page}"


def canvas_class(
    style: Style,
    document: Plan,
    fonts: Fonts,
    progress: Progress,
    finish: Callable[[Canvas], None],
    tags: Tags,
) -> type[Canvas]:
    """A canvas whose footers and contents numbers are forms, defined once the layout is over,
    and which tags what it draws (see :mod:`._tags`)."""
    footer_look, number_look = style.roles["footer"], style.roles["contents_title"]

    class DigestCanvas(EngineCanvas):
        bk_tags = tags

        def page_finishing(self, page: Any) -> None:
            tag_page(self, page)

        def annotation_added(self, annotation: Any, reference: PDFObjectReference) -> None:
            tag_annotation(self, annotation, reference)

        def showPage(self) -> None:
            page = self.getPageNumber()
            if page > progress.page_limit:
                # A block that fits no page makes reportlab add pages for ever; stop instead.
                raise BriefkitError(
                    f"layout does not converge after {page} pages: a table cell or block is "
                    "too large for a page"
                )
            if page > 1 or not document.has_cover:
                with artifact(self, "Pagination"):
                    self.doForm(footer_form(page))
            super().showPage()

        def save(self) -> None:
            total = self.getPageNumber() - 1
            y = style.page["margin_bottom_mm"] * mm / 2
            for page in range(2 if document.has_cover else 1, total + 1):
                self.beginForm(footer_form(page))
                self.setFillColor(colors.HexColor(footer_look.color))
                text = document.footer_text(page, total)
                fonts.draw(self, _x(style, footer_look.align), y, text, footer_look.size,
                           align=footer_look.align, font=footer_look.font)  # fmt: skip
                self.endForm()
            if document.has_contents:
                for article in document.articles:
                    self.beginForm(
                        contents_form(article.number), lowerx=-200, lowery=-20, upperx=20, uppery=40
                    )
                    self.setFillColor(colors.HexColor(number_look.color))
                    shown = str(progress.article_pages.get(article.number, ""))
                    fonts.draw(self, 0, 0, shown, number_look.size, align="right",
                               font=number_look.font)  # fmt: skip
                    self.endForm()
            finish(self)
            finish_tags(self)
            super().save()

    return DigestCanvas


def _x(style: Style, align: str) -> float:
    """Where a line of furniture is anchored: the middle of the page, or a margin."""
    if align == "left":
        return float(style.page["margin_left_mm"] * mm)
    width = style.page_size_mm[0] * mm
    if align == "right":
        return float(width - style.page["margin_right_mm"] * mm)
    return float(width / 2)


def header_painter(style: Style, document: Plan, fonts: Fonts, progress: Progress) -> Any:
    """The ``onPageEnd`` callback drawing the running header of the page's article."""
    look = style.roles["header"]
    height = style.page_size_mm[1] * mm

    def header(canvas: Canvas, doc: Any) -> None:
        text = document.header(progress.current if document.several else None)
        if not text:
            return
        with artifact(canvas, "Pagination"):
            canvas.saveState()
            canvas.setFillColor(colors.HexColor(look.color))
            y = height - style.page["margin_top_mm"] * mm / 2
            x = _x(style, look.align)
            shown = clip_words(text, 110)
            fonts.draw(canvas, x, y, shown, look.size, align=look.align, font=look.font)
            canvas.restoreState()

    return header


class LazyStory(list[Flowable]):
    """The story, built a part (an article) at a time as the layout takes flowables off
    its front (a thousand articles' flowables, made before the first page, held ~60 MB).

    reportlab's ``build`` loops ``while len(flowables)`` and looks ahead through ``len``
    for keep-with-next chains; asking the length tops the list up to :data:`AHEAD`
    flowables first. Everything else (taking the front, putting split parts back) is the
    list's own.
    """

    AHEAD = 64

    def __init__(self, parts: Iterator[list[Flowable]]) -> None:
        super().__init__()
        self._parts: Iterator[list[Flowable]] | None = parts
        self._top_up()

    def _top_up(self) -> None:
        ahead = self.AHEAD if fast() else float("inf")
        while self._parts is not None and super().__len__() < ahead:
            part = next(self._parts, None)
            if part is None:
                self._parts = None
            else:
                self.extend(part)

    def __len__(self) -> int:
        self._top_up()
        return super().__len__()


class DigestDocument(BaseDocTemplate):  # type: ignore[misc]
    """reportlab's document, stopping where its layout would retry one flowable for ever."""

    RETRIES = 200
    _last: tuple[object, int] | None = None
    _retries = 0

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        current = (flowables[0] if flowables else None, self.page)
        if current == getattr(self, "_last", None):
            self._retries += 1
            if self._retries > self.RETRIES:
                raise BriefkitError(
                    f"layout does not converge on page {self.page}: a block cannot be placed"
                )
        else:
            self._last, self._retries = current, 0
        super().handle_flowable(flowables)
