"""The plan's lines and the IR bodies as reportlab platypus flowables.

Each role becomes one ParagraphStyle from the style's role table; every piece of text is
escaped and cut into font runs (:mod:`._fonts`) before reportlab's Paragraph parser sees it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    ListItem,
    Paragraph,
    Spacer,
    TableStyle,
)

from ...media import svg
from ...model import ir
from ...model.contracts import MATCH_CLASS
from ...model.language import has_right_to_left
from ...model.xmltext import escape
from ...plan.layout import (
    ArticlePlan,
    ContentsGroup,
    Line,
    Plan,
    div_role,
    heading_role,
    image_stand_in,
    is_cjk_language,
    picture_alt,
    picture_size,
)
from ...plan.styles import JUSTIFIED_ROLES, Style
from ...plan.typography import hyphenation_language
from .._common import is_safe_link
from ._engine import (
    FastParagraph,
    GridTable,
    TaggedBullets,
    display_order,
    draw_drawing,
    draw_paragraph,
    draw_picture,
    fast,
    fragments,
    hyphenator,
    right_to_left,
)
from ._fonts import Fonts, shaped_font_in
from ._tags import CONTAINER, Element, Tagged, Tags, artifact, marked

_TAG = re.compile(r"<[^>]*>")
_ROLE_TAGS = {
    "title": "H1",
    "section_title": "H1",
    "cover_title": "H1",
    "masthead_title": "H1",
    "contents_heading": "H1",
    "heading1": "H2",
    "heading2": "H3",
    "heading3": "H3",
}
"""The structure element of each role's paragraphs (every other role is a ``P``)."""
_LONG_TOKEN = re.compile(r"[^\s&;]{40,}")
_HAN_OR_KANA = re.compile("[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def _right_to_left(markup: str) -> bool | None:
    """:func:`._shaping.right_to_left` of the paragraph's text (its markup's tags would
    count as left-to-right letters)."""
    return right_to_left(_TAG.sub("", markup)) if has_right_to_left(markup) else None


LONG_PARAGRAPH = 12_000
LONG_CELL = 4_000
"""A table cell longer than this (characters) keeps only its start in the table."""
CELL_START = 1_000
"""How much of such a cell stays in the table (the rest follows it)."""
"""Paragraphs with more characters than this are laid out in pieces (see long_paragraph)."""
PIECE = 4_000
"""About a page of text: the size of one piece of a long paragraph."""
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])[\"”’」』)]?\s+|(?<=[。！？])")


def _script_change(text: str, start: int, end: int) -> int:
    """Where to cut ``text[start:end]``, which has no space: after its last change between
    CJK and other characters (a megabyte word in Chinese text then becomes pieces in one
    font, which lay out a hundred times faster than pieces mixing two), else at ``end``."""
    for index in range(end - 1, start, -1):
        if bool(_HAN_OR_KANA.match(text[index])) != bool(_HAN_OR_KANA.match(text[index - 1])):
            return index
    return end


def _text_pieces(text: str, limit: int) -> list[str]:
    """``text`` cut after sentence ends, else at spaces, else anywhere, in pieces <= limit."""
    pieces: list[str] = []
    start = 0
    cuts = [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    for cut in cuts:
        while cut - start > limit:
            space = text.rfind(" ", start + 1, start + limit)
            end = space + 1 if space > start else _script_change(text, start, start + limit)
            pieces.append(text[start:end])
            start = end
        if cut > start:
            pieces.append(text[start:cut])
            start = cut
    return pieces


def split_inlines(content: tuple[ir.Inline, ...], limit: int) -> list[tuple[ir.Inline, ...]]:
    """``content`` in consecutive runs of about ``limit`` characters, cut at sentence ends;
    emphasis, links and spans that are cut are repeated around each part."""
    runs: list[list[ir.Inline]] = [[]]
    size = 0

    def place(node: ir.Inline, length: int, boundary: bool) -> None:
        nonlocal size
        if boundary and size + length > limit and runs[-1]:
            runs.append([])
            size = 0
        runs[-1].append(node)
        size += length

    for node in content:
        length = len(ir.plain_text((node,)))
        if length <= limit // 4:
            place(node, length, True)
        elif isinstance(node, ir.Text):
            for piece in _text_pieces(node.text, limit // 4):
                place(ir.Text(piece), len(piece), True)
        elif isinstance(node, (ir.Emph, ir.Strong, ir.Link, ir.Span)):
            for part in split_inlines(node.content, limit):
                place(replace(node, content=part), len(ir.plain_text(part)), True)
        else:
            place(node, length, True)
    return [_joined(run) for run in runs if run]


def _joined(run: list[ir.Inline]) -> tuple[ir.Inline, ...]:
    """Neighbouring texts as one text: one font run, which the fast line breaker takes
    (reportlab's own breaks a run of several fragments a word at a time, five times slower)."""
    out: list[ir.Inline] = []
    for node in run:
        if out and isinstance(node, ir.Text) and isinstance(out[-1], ir.Text):
            out[-1] = ir.Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)


_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


def _href(value: str) -> str:
    return escape(value, {'"': "&quot;"})


@dataclass
class Progress:
    """What the layout learns as it goes, read back when the pages are stamped."""

    article_pages: dict[int, int] = field(default_factory=dict)
    """Each article's first page, by article number."""
    current: ArticlePlan | None = None
    """The article whose start was drawn last (for the running header)."""
    page_limit: int = 1000
    """A page count no honest layout reaches (see the canvas)."""
    in_section: bool = False
    """True once a collection section has started (articles go one outline level down)."""


class _Marker(Tagged, Flowable):  # type: ignore[misc]
    """A flowable that takes no space: it only acts on the canvas where it lands."""

    _bk_tag = CONTAINER  # it draws nothing: no marked content

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0


class SectionStart(_Marker):
    """Invisible: the bookmark and first-level outline entry of a collection section."""

    def __init__(self, group: ContentsGroup, progress: Progress) -> None:
        super().__init__(progress)
        self.group = group

    def draw(self) -> None:
        self.canv.bookmarkPage(self.group.anchor)
        self.canv.addOutlineEntry(self.group.title or "—", self.group.anchor, level=0)
        self.progress.in_section = True


class ArticleStart(_Marker):
    """Invisible: records the article's first page, its bookmark and the running header."""

    def __init__(self, article: ArticlePlan, progress: Progress) -> None:
        super().__init__(progress)
        self.article = article

    def draw(self) -> None:
        canvas = self.canv
        canvas.bookmarkPage(self.article.anchor)
        level = 1 if self.progress.in_section else 0  # under its section's entry
        canvas.addOutlineEntry(self.article.title, self.article.anchor, level=level)
        self.progress.article_pages[self.article.number] = canvas.getPageNumber()
        self.progress.current = self.article


class ContentsEntry(Tagged, Flowable):  # type: ignore[misc]
    """A contents row: linked title and source/date line; the page number comes later.

    The number is a form XObject named after the article, drawn here at the row's right edge
    and defined when the layout is over and every article's first page is known.
    """

    _bk_tag = CONTAINER  # its paragraphs are tagged; the page number is the TOCI's own

    def __init__(
        self,
        number: int,
        title: Paragraph,
        below: list[Paragraph],
        width: float,
        entry: Element,
        leaders: bool = False,
    ) -> None:
        super().__init__()
        self.number, self.title, self.below, self.number_width = number, title, below, width
        self.entry, self.leaders = entry, leaders

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        text_width = available_width - self.number_width - 6
        _, self.title_height = self.title.wrap(text_width, available_height)
        self.heights = [p.wrap(text_width, available_height)[1] for p in self.below]
        self.gap = self.below[-1].style.spaceAfter if self.below else 0
        self.width = available_width
        self.height = self.title_height + sum(self.heights) + self.gap
        return self.width, self.height

    def draw(self) -> None:
        y = self.gap
        for paragraph, height in reversed(list(zip(self.below, self.heights, strict=True))):
            paragraph.drawOn(self.canv, 0, y)
            y += height
        self.title.drawOn(self.canv, 0, y)
        # the number stands on the title's last line, where the leaders lead to it
        lines = len(getattr(self.title.blPara, "lines", ())) or 1
        style = self.title.style
        baseline = y + self.title_height - style.fontSize - (lines - 1) * style.leading
        if self.leaders:
            self._draw_leaders(baseline)
        with marked(self.canv, self.entry):
            self.canv.saveState()
            self.canv.translate(self.width, baseline)
            self.canv.doForm(contents_form(self.number))
            self.canv.restoreState()

    LEADER_PITCH = 4.0
    """Points from one leader dot to the next; dots sit on a grid measured from the right
    edge, so the leaders of every entry line up."""

    def _draw_leaders(self, baseline: float) -> None:
        """Dot leaders from the end of the title's last line to the page number: an
        artifact (the number is the entry's own text)."""
        lines = getattr(self.title.blPara, "lines", [])
        if not lines:
            return
        last = lines[-1]
        unused = last[0] if isinstance(last, tuple) else getattr(last, "extraSpace", 0)
        text_width = self.width - self.number_width - 6
        start = max(0.0, text_width - unused) + self.LEADER_PITCH
        end = self.width - self.number_width + 10
        count = int((end - start) // self.LEADER_PITCH)
        if count < 2:
            return
        style = self.title.style
        dot = self.canv.stringWidth(".", style.fontName, style.fontSize)
        with artifact(self.canv, "Layout"):
            text = self.canv.beginText(end - count * self.LEADER_PITCH, baseline)
            text.setFont(style.fontName, style.fontSize)
            text.setFillColor(style.textColor)
            text.setCharSpace(self.LEADER_PITCH - dot)
            text.textOut("." * count)
            self.canv.drawText(text)


class MastheadBand(Tagged, Flowable):  # type: ignore[misc]
    """The cover's masthead: its lines on a band of colour running to the page's top and
    side edges (the band is an artifact; the lines are tagged)."""

    _bk_tag = CONTAINER

    def __init__(
        self, lines: list[Paragraph], colour: str, padding: float, bleed: tuple[float, float, float]
    ) -> None:
        super().__init__()
        self.lines, self.colour, self.padding = lines, colour, padding
        self.bleed = bleed  # the left, right and top margins the band runs across

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.heights = [
            line.wrap(available_width, available_height)[1] + line.style.spaceAfter
            for line in self.lines
        ]
        self.height = sum(self.heights) + 2 * self.padding
        return self.width, self.height

    def draw(self) -> None:
        left, right, top = self.bleed
        with artifact(self.canv, "Layout"):
            self.canv.saveState()
            self.canv.setFillColor(colors.HexColor(self.colour))
            self.canv.rect(-left, 0, self.width + left + right, self.height + top, stroke=0,
                           fill=1)  # fmt: skip
            self.canv.restoreState()
        y = self.height - self.padding
        for line, height in zip(self.lines, self.heights, strict=True):
            y -= height
            line.drawOn(self.canv, 0, y + line.style.spaceAfter)


def contents_form(number: int) -> str:
    """Name of the form XObject that shows an article's page number in the contents."""
    return f"bk-contents-{number}"


class PictureFlowable(Tagged, Flowable):  # type: ignore[misc]
    """A checked picture drawn at a fixed size, embedded once however often it is shown.

    reportlab's own Image flowable names each image by a digest of its decoded pixels, so
    every photo of a digest was decoded and kept decoded until the end (a 200-photo PDF
    peaked at 1 GB); the picture's own digest names it here, a JPEG is embedded as it is
    without decoding, and a PNG is decoded only while its image object is made.
    """

    def __init__(
        self, picture: ir.Picture, data: bytes, width: float, height: float, font: str
    ) -> None:
        super().__init__()
        self.picture, self.data = picture, data
        self.width, self.height = width, height
        self.font = font
        """The registered font an SVG drawing's text is drawn in."""
        self.hAlign = "LEFT"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        if self.picture.media_type == svg.MEDIA_TYPE:  # vectors, drawn where it is shown
            drawing = svg.to_drawing(self.data, self.font)
            draw_drawing(self.canv, drawing, self.width, self.height)
            return
        png = self.picture.media_type == "image/png"
        key = self.picture.digest.removeprefix("sha256:")[:32]
        draw_picture(self.canv, key, self.data, png, self.width, self.height)


class _FitTable(Tagged, GridTable):  # type: ignore[misc]
    """A table filling the width it is given: its cells are tagged, its backgrounds and grid
    lines are artifacts."""

    _bk_tag = CONTAINER


class _Paragraph(Tagged, FastParagraph):  # type: ignore[misc]
    """A paragraph whose parts keep its structure element when it splits across pages, and
    whose lines are put in display order when drawn if it holds complex or right-to-left
    text."""

    _bk_tag: Element | None = None
    _bk_rtl: bool | None = None
    """None: drawn as laid out; else the lines are shaped and reordered when drawn
    (:mod:`._shaping`) in a right-to-left (True) or left-to-right paragraph."""

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(available_width, available_height)
        for part in parts:
            part._bk_tag, part._bk_rtl = self._bk_tag, self._bk_rtl
        return parts

    def drawPara(self, debug: int = 0) -> None:
        if self._bk_rtl is None:
            draw_paragraph(self, debug)
            return
        laid_out = self.blPara  # type: ignore[has-type]  # set by wrap()
        self.blPara = display_order(laid_out, self._bk_rtl)
        try:
            draw_paragraph(self, debug)
        finally:
            self.blPara = laid_out


class _Spacer(Tagged, Spacer):  # type: ignore[misc]
    """Space between blocks: an artifact when drawn on its own."""


class _Rule(Tagged, HRFlowable):  # type: ignore[misc]
    """A horizontal rule: an artifact."""


@dataclass(frozen=True)
class _Ink:
    """How the inlines being written look: the role's font family, weight and slant."""

    font: str
    bold: bool
    italic: bool
    in_link: bool = False


MAX_LIST_INDENTS = 12
"""List levels that indent; deeper ones keep the twelfth level's indent."""


class Builder:
    """Turns the plan and the IR into platypus flowables for one document."""

    list_depth = 0
    """How many lists the blocks being built are inside."""

    def __init__(self, style: Style, fonts: Fonts, progress: Progress, language: str) -> None:
        self.style, self.fonts, self.progress = style, fonts, progress
        self.tags = Tags(language)
        """The structure tree, in story order (the reading order)."""
        self.parent: Element = self.tags.root
        """The element new flowables' elements go under."""
        self.section: Element | None = None
        """The element of the collection section being laid out."""
        self.language: str | None = None
        """The language of the article being laid out (picks its CJK family)."""
        self._styles: dict[tuple[str, bool, bool, str | None], ParagraphStyle] = {}
        self._piece_styles: dict[tuple[str, bool, bool], ParagraphStyle] = {}

    # paragraph styles

    def para_style(
        self, role: str, cjk: bool, rtl: bool = False, hyphenate: bool = True
    ) -> ParagraphStyle:
        """The role's paragraph style; ``rtl``: a right-to-left paragraph (left alignment
        mirrored)."""
        typography = self.style.typography
        hyphenation = None
        running = role in JUSTIFIED_ROLES and not cjk and not rtl
        if hyphenate and typography.get("hyphenate") and running:
            hyphenation = hyphenation_language(self.language)
        key = (role, cjk, rtl, hyphenation)
        if key in self._styles:
            return self._styles[key]
        look = self.style.roles[role]
        align = _ALIGN[look.align]
        if rtl and look.align in ("left", "justify"):
            # right-to-left text is set flush right: reportlab's justification would leave a
            # paragraph's last line at the left
            align = TA_RIGHT
        latin, _ = self.fonts.pair(look.font)
        created = ParagraphStyle(
            f"bk-{role}-{cjk}-{'rtl' if rtl else 'ltr'}",
            fontName=latin.face(bold=look.bold, italic=look.italic),
            fontSize=look.size,
            leading=look.size * self.style.measures["line_height"],
            textColor=colors.HexColor(look.color),
            spaceAfter=look.space_after,
            spaceBefore=look.space_before,
            firstLineIndent=look.first_line_indent,
            leftIndent=look.left_indent,
            alignment=align,
            wordWrap="CJK" if cjk else None,
            splitLongWords=True,
            allowWidows=0,
            allowOrphans=0,
            linkUnderline=0,
        )
        if hyphenation is not None:
            created.hyphenationLang = hyphenator(
                hyphenation, typography["hyphenate_left"], typography["hyphenate_right"]
            )
            created.hyphenationMinWordLength = typography["hyphenate_min_word"]
        self._styles[key] = created
        return created

    def ink(self, role: str) -> _Ink:
        look = self.style.roles[role]
        return _Ink(look.font, look.bold, look.italic)

    # inline markup

    def text(self, value: str, ink: _Ink) -> str:
        latin, cjk = self.fonts.pair(ink.font, self.language)
        return self.fonts.markup(value, latin, cjk, ink.bold, ink.italic)

    def inlines(self, nodes: tuple[ir.Inline, ...], ink: _Ink) -> str:
        return "".join(self.inline(node, ink) for node in nodes)

    def inline(self, node: ir.Inline, ink: _Ink) -> str:
        match node:
            case ir.Text():
                return self.text(node.text, ink)
            case ir.Emph():
                return self.inlines(node.content, replace(ink, italic=not ink.italic))
            case ir.Strong():
                return self.inlines(node.content, replace(ink, bold=True))
            case ir.Code():
                return self.text(node.text, replace(ink, font="mono"))
            case ir.LineBreak():
                return "<br/>"
            case ir.Link():
                inner = self.inlines(node.content, replace(ink, in_link=True))
                if is_safe_link(node.href) and not ink.in_link:
                    link = self.style.colors["link"]
                    return f'<a href="{_href(node.href)}" color="{link}">{inner}</a>'
                return inner
            case ir.Span() if MATCH_CLASS in node.attr.classes:
                colour = self.style.colors["highlight"]
                return f'<span backColor="{colour}">{self.inlines(node.content, ink)}</span>'
            case ir.Span():
                return self.inlines(node.content, ink)
            case _:
                ir.unknown_node(node, "pdf")

    @contextlib.contextmanager
    def under(self, element: Element) -> Iterator[Element]:
        """Make the elements of the flowables built inside the block children of ``element``."""
        outer, self.parent = self.parent, element
        try:
            yield element
        finally:
            self.parent = outer

    def para(
        self,
        markup: str,
        role: str,
        cjk: bool,
        keep: bool | None = None,
        tag: Element | None = None,
    ) -> Paragraph:
        """A paragraph in ``role``'s style, tagged ``tag`` (default: a new element for the
        role under the current parent)."""
        # reportlab's CJK line breaking is pure Python per character: use it only where the
        # paragraph really holds CJK text (a Chinese article's Latin-only table cell needs none).
        # Korean breaks lines at spaces like Latin text; only Han and kana break anywhere.
        cjk = cjk and self.fonts.cjk_font_in(markup) and _HAN_OR_KANA.search(markup) is not None
        rtl = _right_to_left(markup)
        # reportlab hyphenation splits a word wider than a line (a long address) once and
        # never cuts its rest to the line: such a paragraph is not hyphenated
        hyphenate = role not in JUSTIFIED_ROLES or not _LONG_TOKEN.search(_TAG.sub(" ", markup))
        style = self.para_style(role, cjk, rtl is True, hyphenate)
        parsed = fragments(markup, style) if fast() else None
        if parsed is None:
            paragraph = _Paragraph(markup, style)
        else:
            cleaned, style, frags = parsed
            paragraph = _Paragraph(cleaned, style, frags=frags)
        if rtl is not None or shaped_font_in(markup):
            paragraph._bk_rtl = bool(rtl)
        paragraph.keepWithNext = self.style.roles[role].keep_with_next if keep is None else keep
        paragraph._bk_tag = tag or self.tags.element(_ROLE_TAGS.get(role, "P"), self.parent)
        return paragraph

    def long_paragraph(self, node: ir.Paragraph, role: str, cjk: bool) -> Iterator[Flowable]:
        """A very long paragraph as consecutive pieces of about a page each.

        reportlab re-lays the rest of a paragraph at every page break, so its time grows with
        the square of the paragraph's length (a 2 MB paragraph never finishes). Pieces break
        at sentence ends, touch each other (no space between, no first-line indent after the
        first), and keep every character in order; the cost is linear.
        """
        pieces = split_inlines(node.content, PIECE)
        element = self.tags.element(_ROLE_TAGS.get(role, "P"), self.parent)
        for index, piece in enumerate(pieces):
            markup = self.inlines(piece, self.ink(role))
            paragraph = self.para(markup, role, cjk, keep=False, tag=element)
            first, last = index == 0, index == len(pieces) - 1
            if not (first and last):  # the piece's own style: its script and direction
                paragraph.style = self._piece_style(paragraph.style, first, last)
            yield paragraph

    def _piece_style(self, base: ParagraphStyle, first: bool, last: bool) -> ParagraphStyle:
        key = (base.name, first, last)
        if key not in self._piece_styles:
            self._piece_styles[key] = ParagraphStyle(
                f"{base.name}-piece-{int(first)}{int(last)}",
                parent=base,
                spaceBefore=base.spaceBefore if first else 0,
                spaceAfter=base.spaceAfter if last else 0,
                firstLineIndent=base.firstLineIndent if first else 0,
            )
        return self._piece_styles[key]

    def line(self, line: Line, cjk: bool) -> Paragraph:
        """A plan line in its role."""
        return self.para(self.inlines(line.content, self.ink(line.role)), line.role, cjk)

    def lines(self, lines: tuple[Line, ...], cjk: bool) -> Iterator[Flowable]:
        """Plan lines in their roles; a very long one (a summary of megabytes) is laid out
        in pieces, as a long body paragraph is."""
        for line in lines:
            if len(ir.plain_text(line.content)) > LONG_PARAGRAPH:
                yield from self.long_paragraph(ir.Paragraph(line.content), line.role, cjk)
            else:
                yield self.line(line, cjk)

    # blocks

    def blocks(
        self, nodes: tuple[ir.Block, ...], article: ArticlePlan, role: str, in_list: bool = False
    ) -> Iterator[Flowable]:
        for node in nodes:
            yield from self.block(node, article, role, in_list)

    def block(
        self, node: ir.Block, article: ArticlePlan, role: str, in_list: bool
    ) -> Iterator[Flowable]:
        cjk, measures, colours = article.cjk, self.style.measures, self.style.colors
        match node:
            case ir.Paragraph():
                markup = self.inlines(node.content, self.ink(role))
                if (
                    len(markup) > LONG_PARAGRAPH
                    and len(ir.plain_text(node.content)) > LONG_PARAGRAPH
                ):
                    yield from self.long_paragraph(node, role, cjk)
                else:
                    yield self.para(markup, role, cjk)
            case ir.Heading():
                level = heading_role(node.level)
                # Keep-with-next inside a list item makes reportlab retry the item for ever.
                markup = self.inlines(node.content, self.ink(level))
                yield self.para(markup, level, cjk, keep=False if in_list else None)
            case ir.Quote():
                # The quote role indents; Indenter would be simpler but cannot live in a list.
                with self.under(self.tags.element("BlockQuote", self.parent)):
                    yield from self.blocks(node.blocks, article, "quote", in_list)
            case ir.Div():
                shown_as = div_role(node.attr, role)
                if shown_as in ("quote", "pull_quote") and role != shown_as:
                    with self.under(self.tags.element("BlockQuote", self.parent)):
                        yield from self.blocks(node.blocks, article, shown_as, in_list)
                else:
                    yield from self.blocks(node.blocks, article, shown_as, in_list)
            case ir.ListBlock():
                listed = self.tags.element("L", self.parent)
                items = []
                self.list_depth += 1
                try:
                    for item in node.items:
                        body = self.tags.element("LBody", self.tags.element("LI", listed))
                        with self.under(body):
                            flowables = list(self.blocks(item, article, "list", True))
                        items.append(ListItem(flowables or [_Spacer(1, 1)]))
                finally:
                    self.list_depth -= 1
                if items:
                    latin, _ = self.fonts.pair(self.style.roles["list"].font)
                    # Lists nested deeper than a page can indent go on at the same indent
                    # (each level takes list_indent off the width: 26 levels leave none).
                    indent = measures["list_indent"] if self.list_depth < MAX_LIST_INDENTS else 0
                    yield TaggedBullets(
                        items,
                        bulletType="1" if node.ordered else "bullet",
                        bulletFormat="%s." if node.ordered else None,
                        start=node.start if node.ordered else None,
                        bulletFontName=latin.regular,
                        bulletFontSize=self.style.roles["list"].size,
                        leftIndent=indent,
                        bulletColor=colors.HexColor(self.style.roles["list"].color),
                    )
            case ir.Image() if (found := article.picture(node)) is not None:
                yield self.picture(node, *found, article, cjk)
            case ir.Image():
                ink = self.ink("caption")
                shown = self.text(image_stand_in(node, article.words), ink)
                if is_safe_link(node.src):
                    link = colours["link"]
                    shown = f'<a href="{_href(node.src)}" color="{link}">{shown}</a>'
                caption = f" {self.inlines(node.caption, ink)}" if node.caption else ""
                yield self.para(shown + caption, "caption", cjk)
            case ir.Table():
                yield from self.table(node, article)
            case ir.Rule():
                yield _Rule(
                    width="100%",
                    thickness=measures["rule_width"],
                    color=colors.HexColor(colours["rule"]),
                    spaceBefore=measures["separator_space"] / 3,
                    spaceAfter=measures["separator_space"] / 3,
                )
            case _:
                ir.unknown_node(node, "pdf")

    def picture(
        self, image: ir.Image, picture: ir.Picture, data: bytes, article: ArticlePlan, cjk: bool
    ) -> Flowable:
        """The picture at the plan's size with its caption below, kept on one page."""
        width, height = picture_size(picture, self.style)
        font = self.fonts.pair("body")[0]
        font.load()  # registered before a drawing's text is set in it
        shown = PictureFlowable(picture, data, width, height, font.regular)
        shown._bk_tag = self.tags.element(
            "Figure", self.parent, alt=picture_alt(image, article.words)
        )
        if not image.caption:
            return shown
        caption = self.para(self.inlines(image.caption, self.ink("caption")), "caption", cjk)
        return KeepTogether([shown, caption])

    def table(self, node: ir.Table, article: ArticlePlan) -> Iterator[Flowable]:
        columns = max((len(row) for row in node.rows), default=0)
        if not columns:
            return
        ink = self.ink("table_cell")
        table_element = self.tags.element("Table", self.parent)
        rows = []
        overflow: list[tuple[int, int, list[tuple[ir.Inline, ...]]]] = []
        for r, row in enumerate(node.rows):
            header = r < node.header_rows
            row_element = self.tags.element("TR", table_element)
            cells = []
            for c, cell in enumerate([*row, *[()] * (columns - len(row))]):
                cell_element = self.tags.element(
                    "TH" if header else "TD",
                    row_element,
                    attributes={"Scope": "Column"} if header else None,
                    repeats_as_artifact=header,
                )
                if len(ir.plain_text(cell)) > LONG_CELL:
                    # A table re-lays a cell's rest at every page a row spans (the time
                    # grows with the square of its length): the cell keeps its start, the
                    # rest follows the table.
                    pieces = split_inlines(cell, CELL_START)
                    overflow.append((r + 1, c + 1, pieces[1:]))
                    cell = (*pieces[0], ir.Text(" …"))
                markup = self.inlines(cell, replace(ink, bold=ink.bold or header))
                cells.append(self.para(markup, "table_cell", article.cjk, tag=cell_element))
            rows.append(cells)
        measures, colours = self.style.measures, self.style.colors
        padding = measures["cell_padding"]
        latin, _ = self.fonts.pair("body")
        commands = [
            ("GRID", (0, 0), (-1, -1), measures["rule_width"], colors.HexColor(colours["rule"])),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), padding),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), padding),
            ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
            # Tables set this font around every cell, flowable or not: keep it embedded.
            ("FONTNAME", (0, 0), (-1, -1), latin.regular),
        ]
        if node.header_rows:
            fill = colors.HexColor(colours["table_header"])
            commands.append(("BACKGROUND", (0, 0), (-1, node.header_rows - 1), fill))
        table = _FitTable(rows, repeatRows=node.header_rows, splitInRow=1)
        table.setStyle(TableStyle(commands))
        yield table
        yield _Spacer(1, self.style.roles["body"].space_after)
        for row_number, column, rest in overflow:
            lead = f"… row {row_number}, column {column}, continued:"
            yield self.para(self.text(lead, self.ink("caption")), "caption", article.cjk)
            merged = tuple(node for piece in rest for node in piece)
            yield from self.long_paragraph(ir.Paragraph(merged), "body", article.cjk)

    # article, cover, contents

    def article(self, article: ArticlePlan) -> tuple[list[Flowable], list[Flowable]]:
        """(head, rest): the head is kept on one page with the first body paragraph.

        An article that opens a collection section brings the section's divider (title and
        intro) into its head.
        """
        head: list[Flowable] = []
        group = article.opens_section
        if group is not None:
            self.section = self.tags.element("Sect", self.tags.root)
            with self.under(self.section):
                head.append(SectionStart(group, self.progress))
                head.append(self.line(Line("section_title", (ir.Text(group.title),)), article.cjk))
                if group.intro:
                    intro = Line("section_intro", (ir.Text(group.intro),))
                    head.append(self.line(intro, article.cjk))
        # An article in another language than the document's says so (a Chinese article
        # in an English briefing is read with Chinese rules).
        lang = article.language if article.language != self.tags.root.lang else None
        element = self.tags.element("Sect", self.section or self.tags.root, lang=lang)
        self.language = article.language
        try:
            with self.under(element):
                head.append(ArticleStart(article, self.progress))
                head += self.lines(article.head, article.cjk)
                rest = list(self.blocks(article.body, article, "body"))
                rest += self.lines(article.tail, article.cjk)
        finally:
            self.language = None
        return head, rest

    def cover(self, document: Plan) -> Iterator[Flowable]:
        cjk = is_cjk_language(document.language)
        measures, page = self.style.measures, self.style.page
        if not document.masthead:
            yield _Spacer(1, measures["cover_top"])
        with self.under(self.tags.element("Sect", self.tags.root)):
            if document.masthead:
                lines = [self.line(line, cjk) for line in document.masthead]
                bleed = (page["margin_left_mm"] * mm, page["margin_right_mm"] * mm,
                         page["margin_top_mm"] * mm)  # fmt: skip
                padding = measures["masthead_padding"]
                yield MastheadBand(lines, self.style.colors["masthead"], padding, bleed)
                yield _Spacer(1, 3 * padding)
            for line in document.title_page:
                yield self.line(line, cjk)
            if document.cover_picture is not None:
                article, image = document.cover_picture
                found = article.picture(image)
                if found is not None:
                    yield _Spacer(1, measures["separator_space"])
                    yield self.picture(image, *found, article, cjk)

    def contents(self, document: Plan) -> Iterator[Flowable]:
        cjk = is_cjk_language(document.language)
        width = self.style.measures["contents_number_width"]
        leaders = bool(self.style.typography.get("contents_leaders"))
        with self.under(self.tags.element("Sect", self.tags.root)):
            yield self.line(document.contents_heading, cjk)
            listing = self.tags.element("TOC", self.parent)
            for group in document.contents:
                below_group = listing
                if group.title:
                    entry = self.tags.element("TOCI", listing)
                    with self.under(entry):
                        section = Line("contents_section", (ir.Text(group.title),))
                        yield self.line(section, cjk)
                    below_group = self.tags.element("TOC", entry)
                for row in group.rows:
                    row_cjk = cjk or is_cjk_language(row.language)
                    entry = self.tags.element("TOCI", below_group)
                    with self.under(entry):
                        title_ink = self.ink("contents_title")
                        title = f'<a href="#{row.anchor}">{self.text(row.title, title_ink)}</a>'
                        shown = self.para(title, "contents_title", row_cjk)
                        detail = self.text(row.detail, self.ink("contents_detail")) or "&nbsp;"
                        below = [self.para(detail, "contents_detail", row_cjk)]
                        if row.summary:
                            summary = self.text(row.summary, self.ink("contents_summary"))
                            below.append(self.para(summary, "contents_summary", row_cjk))
                    yield ContentsEntry(row.number, shown, below, width, entry, leaders)

    def separator(self) -> Flowable:
        """The rule between articles that run on."""
        measures = self.style.measures
        return _Rule(
            width="100%",
            thickness=measures["separator_width"],
            color=colors.HexColor(self.style.colors["rule"]),
            spaceBefore=measures["separator_space"],
            spaceAfter=measures["separator_space"],
        )
