"""Writer ``pdf``: PDF digests with reportlab platypus.

One article: label line, breadcrumb, title, original title, meta line, body, editors line.
Several: a cover page, a contents page with each article's title, source, date and page
number, bookmarks (one per article), articles on new pages or running on, as the style says.
Running header (collection title, article section) and "page X of Y" footer.

The layout runs once. ``multiBuild`` would lay a thousand-article digest out three times to
learn page numbers; instead the canvas keeps each page's drawing until the end, when every
article's first page and the total are known, and then stamps the footers and the contents
page numbers. Fonts are embedded subsets chosen per run (Latin or CJK), and every piece of
text is escaped before reportlab's Paragraph parser sees it. Metadata goes to the Info
dictionary, an XMP stream and, as IR JSON, an embedded file that the ``pdf`` reader uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import XMP, PDFArray, PDFDictionary, PDFName, PDFStream, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .. import ir, ir_json
from ..errors import BriefkitError
from ..styles import Style
from ._common import (
    PRODUCER,
    article_title,
    base_language,
    clip_words,
    collection_language,
    display_title,
    document_properties,
    editors_line,
    extended_fields,
    format_when,
    is_safe_link,
    labels,
    meta_line,
    original_title_line,
)
from ._pdf_fonts import Fonts

ATTACHMENT = "briefkit-ir.json"
_SNAKE = re.compile(r"_([a-z])")  # original_title -> originalTitle in XMP
BK_NS = "urn:briefkit:xmp:1"


def _href(value: str) -> str:
    return escape(value, {'"': "&quot;"})


# --------------------------------------------------------------------------- state


@dataclass
class _Progress:
    """What the layout learns as it goes, read back when the pages are stamped."""

    article_pages: dict[int, int] = field(default_factory=dict)
    has_cover: bool = False
    page_limit: int = 1000
    has_contents: bool = False
    section: str = ""
    article_title: str = ""


class _ArticleStart(Flowable):  # type: ignore[misc]
    """Invisible: records the article's first page, its bookmark and the running header."""

    def __init__(self, number: int, title: str, section: str, progress: _Progress) -> None:
        super().__init__()
        self.number, self.title, self.section, self.progress = number, title, section, progress
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        key = f"article-{self.number}"
        canvas.bookmarkPage(key)
        canvas.addOutlineEntry(self.title, key, level=0)
        self.progress.article_pages[self.number] = canvas.getPageNumber()
        self.progress.section = self.section
        self.progress.article_title = self.title


class _ContentsEntry(Flowable):  # type: ignore[misc]
    """A contents row: linked title and source/date line; the page number comes later.

    The number is a form XObject named after the article, drawn here at the row's right edge
    and defined when the layout is over and every article's first page is known.
    """

    NUMBER_WIDTH = 36

    def __init__(self, number: int, title: Paragraph, detail: Paragraph) -> None:
        super().__init__()
        self.number, self.title, self.detail = number, title, detail

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        text_width = available_width - self.NUMBER_WIDTH - 6
        _, self.title_height = self.title.wrap(text_width, available_height)
        _, self.detail_height = self.detail.wrap(text_width, available_height)
        self.width = available_width
        self.height = self.title_height + self.detail_height + 6
        return self.width, self.height

    def draw(self) -> None:
        self.title.drawOn(self.canv, 0, self.detail_height + 6)
        self.detail.drawOn(self.canv, 0, 6)
        baseline = self.detail_height + 6 + self.title_height - self.title.style.fontSize
        self.canv.saveState()
        self.canv.translate(self.width, baseline)
        self.canv.doForm(f"bk-contents-{self.number}")
        self.canv.restoreState()


class _FitTable(Table):  # type: ignore[misc]
    """A table whose equal columns fill the width it is given (inside lists and quotes too)."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        columns = max(self._ncols, 1)
        self._argW = [max(available_width, 36.0) / columns] * columns
        self._colWidths = self._argW
        return super().wrap(available_width, available_height)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- canvas


def _canvas_class(
    style: Style, fonts: Fonts, progress: _Progress, finish: Any, count: int
) -> type[Canvas]:
    """A canvas whose footers and contents numbers are forms, defined once the layout is over.

    Pages are emitted as they are laid out (so bookmarks and links point at the right pages);
    only "of Y" and the contents page numbers wait for the end.
    """

    class DigestCanvas(Canvas):  # type: ignore[misc]
        def showPage(self) -> None:
            page = self.getPageNumber()
            if page > progress.page_limit:
                # A block that fits no page makes reportlab add pages for ever; stop instead.
                raise BriefkitError(
                    f"layout does not converge after {page} pages: a table cell or block is "
                    "too large for a page"
                )
            if page > 1 or not progress.has_cover:
                self.doForm(f"bk-footer-{page}")
            super().showPage()

        def save(self) -> None:
            total = self.getPageNumber() - 1
            width = self._pagesize[0]
            y = style.page["margin_bottom_mm"] * mm / 2
            for page in range(2 if progress.has_cover else 1, total + 1):
                self.beginForm(f"bk-footer-{page}")
                self.setFillColor(colors.HexColor(style.colors["meta"]))
                text = style.footer_text(page=str(page), pages=str(total))
                fonts.draw(self, width / 2, y, text, style.sizes["footer"], align="centre")
                self.endForm()
            if progress.has_contents:
                for number in range(1, count + 1):
                    self.beginForm(
                        f"bk-contents-{number}", lowerx=-200, lowery=-20, upperx=20, uppery=40
                    )
                    self.setFillColor(colors.HexColor(style.colors["text"]))
                    shown = str(progress.article_pages.get(number, ""))
                    fonts.draw(self, 0, 0, shown, style.sizes["body"], align="right", role="body")
                    self.endForm()
            finish(self)
            super().save()

    return DigestCanvas


# --------------------------------------------------------------------------- flowables


class _Builder:
    """Turns the IR into platypus flowables for one document."""

    def __init__(self, style: Style, fonts: Fonts, progress: _Progress, frame_width: float) -> None:
        self.style, self.fonts, self.progress, self.frame_width = (
            style,
            fonts,
            progress,
            frame_width,
        )
        self._styles: dict[tuple[str, bool], ParagraphStyle] = {}
        self.body_latin, self.body_cjk = fonts.pair("body")
        self.head_latin, self.head_cjk = fonts.pair("heading")

    # paragraph styles

    def para_style(self, role: str, cjk: bool) -> ParagraphStyle:
        key = (role, cjk)
        if key in self._styles:
            return self._styles[key]
        sizes, colours, spacing = (
            self.style.sizes,
            self.style.colors,
            self.style.spacing,
        )
        heading = role in (
            "title",
            "h1",
            "h2",
            "h3",
            "label",
            "breadcrumb",
            "meta",
            "cover_title",
            "cover_subtitle",
            "cover_meta",
            "contents_heading",
            "contents_title",
            "contents_detail",
        )
        latin = self.head_latin if heading else self.body_latin
        size = {
            "body": sizes["body"],
            "quote": sizes["body"],
            "list": sizes["body"],
            "title": sizes["title"],
            "original_title": sizes["original_title"],
            "h1": sizes["heading1"],
            "h2": sizes["heading2"],
            "h3": sizes["heading3"],
            "label": sizes["label"],
            "breadcrumb": sizes["meta"],
            "meta": sizes["meta"],
            "editors": sizes["meta"],
            "caption": sizes["meta"],
            "cell": sizes["meta"] + 0.5,
            "cover_title": sizes["cover_title"],
            "cover_subtitle": sizes["cover_subtitle"],
            "cover_meta": sizes["meta"] + 1.5,
            "contents_heading": sizes["heading1"],
            "contents_title": sizes["body"],
            "contents_detail": sizes["meta"],
        }[role]
        colour = {
            "title": colours["accent"],
            "h1": colours["accent"],
            "h2": colours["accent"],
            "h3": colours["accent"],
            "label": colours["accent"],
            "cover_title": colours["accent"],
            "contents_heading": colours["accent"],
            "breadcrumb": colours["meta"],
            "meta": colours["meta"],
            "editors": colours["meta"],
            "caption": colours["meta"],
            "original_title": colours["meta"],
            "cover_subtitle": colours["meta"],
            "cover_meta": colours["meta"],
            "contents_detail": colours["meta"],
        }.get(role, colours["text"])
        bold = role in ("title", "h1", "h2", "h3", "label", "cover_title", "contents_heading")
        italic = role in ("quote", "original_title", "caption")
        after = {
            "body": spacing["paragraph_after"],
            "quote": spacing["paragraph_after"],
            "list": spacing["paragraph_after"] / 2,
            "title": 6,
            "original_title": 4,
            "meta": 10,
            "h1": spacing["heading_after"],
            "h2": spacing["heading_after"],
            "h3": spacing["heading_after"],
            "label": 2,
            "breadcrumb": 2,
            "editors": 4,
            "caption": 8,
            "cover_title": 12,
            "cover_subtitle": 8,
            "cover_meta": 4,
            "contents_heading": 10,
        }.get(role, 0)
        before = (
            spacing["heading_before"]
            if role in ("h1", "h2", "h3")
            else 8
            if role == "editors"
            else 0
        )
        created = ParagraphStyle(
            f"bk-{role}-{cjk}",
            fontName=latin.face(bold=bold, italic=italic),
            fontSize=size,
            leading=size * spacing["line_height"],
            textColor=colors.HexColor(colour),
            spaceAfter=after,
            spaceBefore=before,
            firstLineIndent=spacing["first_line_indent"] if role == "body" else 0,
            leftIndent=18 if role == "quote" else 0,
            alignment=TA_CENTER if role.startswith("cover") else 0,
            wordWrap="CJK" if cjk else None,
            splitLongWords=True,
            allowWidows=0,
            allowOrphans=0,
            linkUnderline=0,
        )
        self._styles[key] = created
        return created

    # inline markup

    def text(
        self, value: str, heading: bool = False, bold: bool = False, italic: bool = False
    ) -> str:
        latin, cjk = (
            (self.head_latin, self.head_cjk) if heading else (self.body_latin, self.body_cjk)
        )
        return self.fonts.markup(value, latin, cjk, bold, italic)

    def inlines(
        self,
        nodes: tuple[ir.Inline, ...],
        heading: bool = False,
        bold: bool = False,
        italic: bool = False,
        in_link: bool = False,
    ) -> str:
        out = []
        for node in nodes:
            if isinstance(node, ir.Text):
                out.append(self.text(node.text, heading, bold, italic))
            elif isinstance(node, ir.Emph):
                out.append(self.inlines(node.content, heading, bold, not italic, in_link))
            elif isinstance(node, ir.Strong):
                out.append(self.inlines(node.content, heading, True, italic, in_link))
            elif isinstance(node, ir.Code):
                out.append(
                    self.fonts.markup(node.text, self.fonts.mono, self.body_cjk, bold, italic)
                )
            elif isinstance(node, ir.LineBreak):
                out.append("<br/>")
            elif isinstance(node, ir.Link):
                inner = self.inlines(node.content, heading, bold, italic, True)
                if is_safe_link(node.href) and not in_link:
                    link = self.style.colors["link"]
                    out.append(f'<a href="{_href(node.href)}" color="{link}">{inner}</a>')
                else:
                    out.append(inner)
            elif isinstance(node, ir.Span):
                out.append(self.inlines(node.content, heading, bold, italic, in_link))
            else:
                raise TypeError(
                    f"the pdf writer does not know the inline node {type(node).__name__}"
                )
        return "".join(out)

    def para(self, markup: str, role: str, cjk: bool, keep: bool = False) -> Paragraph:
        # reportlab's CJK line breaking is pure Python per character: use it only where the
        # paragraph really holds CJK text (a Chinese article's Latin-only table cell needs none).
        cjk = cjk and self.fonts.cjk_font_in(markup)
        paragraph = Paragraph(markup, self.para_style(role, cjk))
        paragraph.keepWithNext = keep
        return paragraph

    # blocks

    def blocks(
        self, nodes: tuple[ir.Block, ...], cjk: bool, role: str = "body", in_list: bool = False
    ) -> Iterator[Flowable]:
        for node in nodes:
            yield from self.block(node, cjk, role, in_list)

    def block(
        self, node: ir.Block, cjk: bool, role: str, in_list: bool = False
    ) -> Iterator[Flowable]:
        if isinstance(node, ir.Paragraph):
            yield self.para(self.inlines(node.content, italic=role == "quote"), role, cjk)
        elif isinstance(node, ir.Heading):
            level = f"h{min(max(node.level, 1), 3)}"
            # Keep-with-next inside a list item makes reportlab retry the item for ever.
            yield self.para(
                self.inlines(node.content, heading=True, bold=True), level, cjk, keep=not in_list
            )
        elif isinstance(node, ir.Quote):
            # The quote style indents; Indenter would be simpler but cannot live in a list item.
            yield from self.blocks(node.blocks, cjk, "quote", in_list)
        elif isinstance(node, ir.Div):
            quote = any(c in ("pull-quote", "pullquote", "quote") for c in node.attr.classes)
            yield from self.blocks(node.blocks, cjk, "quote" if quote else role, in_list)
        elif isinstance(node, ir.ListBlock):
            items = [
                ListItem(list(self.blocks(item, cjk, "list", True)) or [Spacer(1, 1)])
                for item in node.items
            ]
            if items:
                yield ListFlowable(
                    items,
                    bulletType="1" if node.ordered else "bullet",
                    bulletFormat="%s." if node.ordered else None,
                    start=node.start if node.ordered else None,
                    bulletFontName=self.body_latin.regular,
                    bulletFontSize=self.style.sizes["body"],
                    leftIndent=18,
                    bulletColor=colors.HexColor(self.style.colors["text"]),
                )
        elif isinstance(node, ir.Image):
            words = labels("zh" if cjk else "en")
            shown = self.text(f"[{words['image']}: {node.alt or node.src}]")
            if is_safe_link(node.src):
                shown = (
                    f'<a href="{_href(node.src)}" color="{self.style.colors["link"]}">{shown}</a>'
                )
            caption = f" {self.inlines(node.caption, italic=True)}" if node.caption else ""
            yield self.para(shown + caption, "caption", cjk)
        elif isinstance(node, ir.Table):
            columns = max((len(row) for row in node.rows), default=0)
            if columns:
                rows = [
                    [
                        self.para(self.inlines(cell, bold=r < node.header_rows), "cell", cjk)
                        for cell in row
                    ]
                    + [""] * (columns - len(row))
                    for r, row in enumerate(node.rows)
                ]
                table = _FitTable(rows, repeatRows=node.header_rows, splitInRow=1)
                commands = [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor(self.style.colors["rule"])),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    # Tables set this font around every cell, flowable or not: keep it embedded.
                    ("FONTNAME", (0, 0), (-1, -1), self.body_latin.regular),
                ]
                if node.header_rows:
                    commands.append(
                        (
                            "BACKGROUND",
                            (0, 0),
                            (-1, node.header_rows - 1),
                            colors.HexColor("#eeeeee"),
                        )
                    )
                table.setStyle(TableStyle(commands))
                yield table
                yield Spacer(1, self.style.spacing["paragraph_after"])
        elif isinstance(node, ir.Rule):
            yield HRFlowable(
                width="100%",
                thickness=0.5,
                color=colors.HexColor(self.style.colors["rule"]),
                spaceBefore=4,
                spaceAfter=8,
            )
        else:
            raise TypeError(f"the pdf writer does not know the block node {type(node).__name__}")

    # article, cover, contents

    def article(self, article: ir.Article, number: int) -> Iterator[Flowable]:
        meta = article.meta
        cjk = base_language(meta.language) in ("zh", "ja", "ko")
        title = article_title(article, number)
        section = meta.section[-1] if meta.section else ""
        head: list[Flowable] = [_ArticleStart(number, title, section, self.progress)]
        if self.style.label:
            head.append(
                self.para(self.text(self.style.label, True, bold=True), "label", cjk, keep=True)
            )
        if meta.section:
            head.append(
                self.para(self.text(" › ".join(meta.section), True), "breadcrumb", cjk, keep=True)
            )
        head.append(self.para(self.text(title, True, bold=True), "title", cjk, keep=True))
        if meta.subtitle:
            head.append(self.para(self.text(meta.subtitle, True), "original_title", cjk, keep=True))
        if original := original_title_line(meta):
            head.append(
                self.para(self.text(original, italic=True), "original_title", cjk, keep=True)
            )
        if line := meta_line(meta):
            head.append(self.para(self.text(line, True), "meta", cjk))
        yield from head
        yield from self.blocks(article.blocks, cjk)
        if editors := editors_line(meta):
            yield self.para(self.text(editors), "editors", cjk)
        if meta.url and is_safe_link(meta.url):
            colour = self.style.colors["link"]
            link = f'<a href="{_href(meta.url)}" color="{colour}">{self.text(meta.url)}</a>'
            yield self.para(link, "meta", cjk)

    def cover(self, collection: ir.Collection) -> Iterator[Flowable]:
        language = collection_language(collection)
        cjk = base_language(language) in ("zh", "ja", "ko")
        words = labels(language)
        yield Spacer(1, 60 * mm)
        if self.style.label:
            yield self.para(self.text(self.style.label, True), "cover_meta", cjk)
        yield self.para(self.text(display_title(collection), True, bold=True), "cover_title", cjk)
        if collection.subtitle:
            yield self.para(self.text(collection.subtitle, True), "cover_subtitle", cjk)
        count = len(collection.articles)
        noun = words["article"] if count == 1 else words["articles"]
        facts = [
            format_when(collection.date, language),
            f"{count}{'' if base_language(language) == 'zh' else ' '}{noun}",
        ]
        yield self.para(self.text(" · ".join(f for f in facts if f), True), "cover_meta", cjk)
        if collection.publisher:
            yield self.para(self.text(collection.publisher, True), "cover_meta", cjk)
        if collection.editors:
            yield self.para(self.text(", ".join(collection.editors), True), "cover_meta", cjk)
        if collection.description:
            yield self.para(self.text(collection.description), "cover_meta", cjk)

    def contents(self, collection: ir.Collection) -> Iterator[Flowable]:
        language = collection_language(collection)
        cjk = base_language(language) in ("zh", "ja", "ko")
        yield self.para(
            self.text(labels(language)["contents"], True, bold=True), "contents_heading", cjk
        )
        for number, article in enumerate(collection.articles, start=1):
            meta = article.meta
            title = (
                f'<a href="#article-{number}">{self.text(article_title(article, number), True)}</a>'
            )
            detail = " · ".join(
                p
                for p in (
                    meta.source or meta.site or "",
                    format_when(meta.published, meta.language),
                )
                if p
            )
            entry_cjk = cjk or base_language(meta.language) in ("zh", "ja", "ko")
            yield _ContentsEntry(
                number,
                self.para(title, "contents_title", entry_cjk),
                self.para(self.text(detail, True) or "&nbsp;", "contents_detail", entry_cjk),
            )


# --------------------------------------------------------------------------- metadata


def _xmp(collection: ir.Collection) -> str:
    props = document_properties(collection)

    def text(value: str) -> str:
        return escape(value)

    def seq(tag: str, values: tuple[str, ...] | list[str], kind: str = "Seq") -> str:
        if not values:
            return ""
        items = "".join(f"<rdf:li>{text(v)}</rdf:li>" for v in values)
        return f"<{tag}><rdf:{kind}>{items}</rdf:{kind}></{tag}>"

    def alt(tag: str, value: str) -> str:
        return (
            f'<{tag}><rdf:Alt><rdf:li xml:lang="x-default">{text(value)}</rdf:li></rdf:Alt></{tag}>'
        )

    modified = props.modified.strftime("%Y-%m-%dT%H:%M:%SZ")
    created = (props.created or props.modified).strftime("%Y-%m-%dT%H:%M:%SZ")
    fields = [
        alt("dc:title", props.title),
        seq("dc:creator", props.creator),
        seq("dc:date", [created]),
        seq("dc:language", [props.language], "Bag"),
        seq("dc:publisher", [props.publisher] if props.publisher else [], "Bag"),
        seq("dc:subject", props.keywords, "Bag"),
        alt("dc:description", props.description) if props.description else "",
        f"<dc:identifier>{text(props.identifier)}</dc:identifier>" if props.identifier else "",
        f"<xmp:CreateDate>{created}</xmp:CreateDate><xmp:ModifyDate>{modified}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{modified}</xmp:MetadataDate>",
        f"<xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool><pdf:Producer>{PRODUCER}</pdf:Producer>",
        f"<pdf:Keywords>{text(', '.join(props.keywords))}</pdf:Keywords>",
    ]
    if len(collection.articles) == 1:
        meta = collection.articles[0].meta
        sources = [meta.source] if meta.source else []
        fields.append(
            seq("dc:source", [meta.url] if meta.url else sources, "Bag")
            if (meta.url or sources)
            else ""
        )
        for name, value in extended_fields(meta):
            if name in ("authors", "editors") or name.startswith("extra."):
                continue  # names go in as rdf:Seq below; extra keys may not be XML names
            tag = _SNAKE.sub(lambda m: m.group(1).upper(), name)
            fields.append(f"<bk:{tag}>{text(value)}</bk:{tag}>")
        fields.append(seq("bk:authors", meta.authors))
        fields.append(seq("bk:editors", meta.editors))
    else:
        fields.append(f"<bk:articleCount>{len(collection.articles)}</bk:articleCount>")
        fields.append(seq("bk:editors", collection.editors))
    body = "".join(f for f in fields if f)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
        f'xmlns:bk="{BK_NS}">{body}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )


def _finish(collection: ir.Collection, lang: str) -> Any:
    """Catalog entries added just before saving: language, XMP, the IR attachment, outline."""

    def finish(canvas: Canvas) -> None:
        canvas.setCatalogEntry("Lang", lang)
        xmp_bytes = _xmp(collection).encode("utf-8")
        canvas.setCatalogEntry("Metadata", XMP(creator=lambda doc: xmp_bytes))
        data = "".join(ir_json.iter_compact(collection)).encode("utf-8")
        stream = PDFStream(
            PDFDictionary(
                {
                    "Type": PDFName("EmbeddedFile"),
                    "Subtype": "/application#2Fjson",  # PDFName does not escape the slash
                    "Params": PDFDictionary({"Size": len(data)}),
                }
            ),
            data,
        )
        spec = PDFDictionary(
            {
                "Type": PDFName("Filespec"),
                "F": PDFString(ATTACHMENT),
                "UF": PDFString(ATTACHMENT),
                "Desc": PDFString("briefkit IR JSON: every article and its metadata"),
                "AFRelationship": PDFName("Data"),
                "EF": PDFDictionary({"F": stream, "UF": stream}),
            }
        )
        names = PDFDictionary(
            {"EmbeddedFiles": PDFDictionary({"Names": PDFArray([PDFString(ATTACHMENT), spec])})}
        )
        canvas.setCatalogEntry("Names", names)
        canvas.setCatalogEntry("AF", PDFArray([spec]))
        if len(collection.articles) > 1:
            canvas.showOutline()

    return finish


class _Document(BaseDocTemplate):  # type: ignore[misc]
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


# --------------------------------------------------------------------------- entry point


def write(collection: ir.Collection, out: BinaryIO, style: Style) -> None:
    """Write ``collection`` as a PDF digest to ``out``."""
    fonts = Fonts(style)
    progress = _Progress()
    props = document_properties(collection)
    lang = props.language
    width, height = style.page_size_mm
    page = style.page
    margins = (
        page["margin_left_mm"] * mm,
        page["margin_right_mm"] * mm,
        page["margin_top_mm"] * mm,
        page["margin_bottom_mm"] * mm,
    )
    frame_width = width * mm - margins[0] - margins[1]
    builder = _Builder(style, fonts, progress, frame_width)
    several = len(collection.articles) > 1
    collection_title = clip_words(display_title(collection))

    def header(canvas: Canvas, doc: Any) -> None:
        section = (
            progress.section if several else (collection.articles[0].meta.section or ("",))[-1]
        )
        text = style.header_text(
            collection_title=collection_title,
            section=section,
            article_title=clip_words(progress.article_title),
            source="",
        )
        if text:
            canvas.saveState()
            canvas.setFillColor(colors.HexColor(style.colors["meta"]))
            y = height * mm - page["margin_top_mm"] * mm / 2
            fonts.draw(
                canvas,
                width * mm / 2,
                y,
                clip_words(text, 110),
                style.sizes["header"],
                align="centre",
            )
            canvas.restoreState()

    frame = Frame(
        margins[0],
        margins[3],
        frame_width,
        height * mm - margins[2] - margins[3],
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    templates = [PageTemplate(id="body", frames=[frame], onPageEnd=header)]
    story: list[Flowable] = []
    # Even one character per line fills a page only every ~50 characters.
    characters = sum(len(ir.plain_text(a.blocks)) + 200 for a in collection.articles)
    progress.page_limit = 50 + characters // 10
    progress.has_cover = several and style.layout["cover"]
    progress.has_contents = several and style.layout["contents"]
    if progress.has_cover:
        templates.insert(0, PageTemplate(id="cover", frames=[frame]))
        story.extend(builder.cover(collection))
        story.append(NextPageTemplate("body"))
        story.append(PageBreak())
    if progress.has_contents:
        story.extend(builder.contents(collection))
        story.append(PageBreak())
    page_breaks = style.layout["article_break"] == "page"
    for number, article in enumerate(collection.articles, start=1):
        if number > 1:
            story.append(
                PageBreak()
                if page_breaks
                else HRFlowable(
                    width="100%",
                    thickness=1,
                    color=colors.HexColor(style.colors["rule"]),
                    spaceBefore=12,
                    spaceAfter=12,
                )
            )
        flowables = list(builder.article(article, number))
        # Keep the article's head (marker to meta line) on one page with its first paragraph;
        # a table or list would be wrapped again and again inside KeepTogether.
        head = next(
            (
                i
                for i, f in enumerate(flowables)
                if isinstance(f, Paragraph) and f.style.name.startswith("bk-meta")
            ),
            0,
        )
        take = (
            head + 2
            if head + 1 < len(flowables) and isinstance(flowables[head + 1], Paragraph)
            else head + 1
        )
        story.append(KeepTogether(flowables[:take]))
        story.extend(flowables[take:])
    document = _Document(
        out,
        pagesize=(width * mm, height * mm),
        pageTemplates=templates,
        leftMargin=margins[0],
        rightMargin=margins[1],
        topMargin=margins[2],
        bottomMargin=margins[3],
        title=props.title,
        author="; ".join(props.creator),
        subject=props.subject,
        keywords=", ".join(props.keywords),
        creator=PRODUCER,
        producer=PRODUCER,
        lang=lang,
        invariant=0,
        initialFontName=builder.body_latin.regular,  # no unembedded Helvetica
    )
    canvas_class = _canvas_class(
        style, fonts, progress, _finish(collection, lang), len(collection.articles)
    )
    document.build(story, canvasmaker=canvas_class)
