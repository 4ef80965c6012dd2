"""Writer ``docx``: DOCX briefings with python-docx.

One article: label line, breadcrumb, title, original title, meta line, body, editors line.
Several: a cover page with a contents table (linked to each article), then each article.
Every look comes from the style and lands in a named Word style ("Title", "Heading 1",
"Article Meta", "Body Text"...) so users can restyle in Word. Metadata goes to the core
properties, to typed custom properties, and (the whole IR) to a custom XML part, which the
``docx`` reader uses to read a briefkit DOCX back losslessly.
"""

from __future__ import annotations

import dataclasses
import string
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any, BinaryIO

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from .. import ir, ir_json
from ..styles import Style
from . import _docx_xml as x
from ._common import (
    PRODUCER,
    article_title,
    base_language,
    build_time,
    collection_language,
    display_title,
    document_properties,
    editors_line,
    extended_fields,
    format_when,
    is_cjk_language,
    is_safe_link,
    iso,
    labels,
    meta_line,
    original_title_line,
    running_header,
    to_utc,
)
from ._zip import FixedTimeZip

_WORD_LANG = {"zh": "zh-CN", "ja": "ja-JP", "ko": "ko-KR"}
_DIV_STYLES = {"pull-quote": "Intense Quote", "pullquote": "Intense Quote", "quote": "Quote"}
_BULLET_LIST, _NUMBERED_LIST = 900, 901


def word_language(tag: str | None) -> str | None:
    """A language tag as Word expects it (``zh`` -> ``zh-CN``); others unchanged."""
    if not tag:
        return None
    if "-" in tag:
        return tag
    return _WORD_LANG.get(tag.lower(), tag)


# --------------------------------------------------------------------------- styles


def _set_fonts(element: Any, latin: str, cjk: str) -> None:
    """Name fonts explicitly for every script (theme fonts are substituted on Linux)."""
    rpr = element.get_or_add_rPr()
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = rpr.makeelement(qn("w:rFonts"), {})
    for key, value in (
        ("w:ascii", latin),
        ("w:hAnsi", latin),
        ("w:eastAsia", cjk),
        ("w:cs", latin),
    ):
        fonts.set(qn(key), value)
    rpr.insert(0, fonts)


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


@dataclasses.dataclass
class _Styles:
    """Word style ids by role, after they have been defined in the document."""

    ids: dict[str, str]

    def __getitem__(self, role: str) -> str:
        return self.ids[role]


def _define_styles(document: Any, style: Style, language: str) -> _Styles:
    styles = document.styles
    fonts, sizes, colours, spacing = style.fonts, style.sizes, style.colors, style.spacing

    def paragraph_style(name: str, base: str | None = "Normal") -> Any:
        try:
            found = styles[name]
        except KeyError:
            found = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            if base:
                found.base_style = styles[base]
            found.quick_style = True
        return found

    def configure(
        name: str,
        *,
        size: float,
        colour: str,
        heading: bool = False,
        bold: bool | None = None,
        italic: bool | None = None,
        before: float | None = None,
        after: float | None = None,
        base: str | None = "Normal",
    ) -> str:
        found = paragraph_style(name, base)
        latin = fonts["heading_latin"] if heading else fonts["body_latin"]
        cjk = fonts["heading_cjk"] if heading else fonts["body_cjk"]
        found.font.size = Pt(size)
        found.font.color.rgb = _rgb(colour)
        found.font.bold = bold
        found.font.italic = italic
        _set_fonts(found.element, latin, cjk)
        fmt = found.paragraph_format
        if before is not None:
            fmt.space_before = Pt(before)
        if after is not None:
            fmt.space_after = Pt(after)
        return str(found.style_id)

    # Document defaults: explicit fonts and the main language, no theme fonts.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr_default.findall(qn("w:rFonts")) + rpr_default.findall(qn("w:lang")):
        rpr_default.remove(old)
    rpr_default.insert(
        0,
        parse_xml(
            f'<w:rFonts xmlns:w="{x.W_NS}" w:ascii={x.attr(fonts["body_latin"])} '
            f"w:hAnsi={x.attr(fonts['body_latin'])} w:eastAsia={x.attr(fonts['body_cjk'])} "
            f"w:cs={x.attr(fonts['body_latin'])}/>"
        ),
    )
    lang = word_language(language) or "en-US"
    east = lang if is_cjk_language(language) else "zh-CN"
    rpr_default.append(
        parse_xml(f'<w:lang xmlns:w="{x.W_NS}" w:val={x.attr(lang)} w:eastAsia={x.attr(east)}/>')
    )

    text, accent, meta = colours["text"], colours["accent"], colours["meta"]
    heading_space = {"before": spacing["heading_before"], "after": spacing["heading_after"]}
    # role: Word style name, size, colour, options ("heading" = the heading fonts); in this
    # order, so that the styles part comes out the same every time.
    table: list[tuple[str, str, float, str, dict[str, Any]]] = [
        ("normal", "Normal", sizes["body"], text, {"base": None}),
        ("body", "Body Text", sizes["body"], text, {"after": spacing["paragraph_after"]}),
        ("title", "Title", sizes["title"], accent, {"heading": True, "bold": True, "after": 6}),
        ("subtitle", "Subtitle", sizes["original_title"] + 1, meta,
         {"heading": True, "italic": False}),
        *(
            (f"h{level}", f"Heading {level}", sizes[f"heading{min(level, 3)}"], accent,
             {"heading": True, "bold": True, **heading_space})
            for level in range(1, 7)
        ),
        ("label", "Briefing Label", sizes["label"], accent,
         {"heading": True, "bold": True, "after": 2}),
        ("breadcrumb", "Breadcrumb", sizes["meta"], meta, {"heading": True, "after": 2}),
        ("original_title", "Original Title", sizes["original_title"], meta,
         {"italic": True, "after": 4}),
        ("meta", "Article Meta", sizes["meta"], meta, {"heading": True, "after": 10}),
        ("editors", "Editors Line", sizes["meta"], meta, {"before": 8, "after": 4}),
        ("quote", "Quote", sizes["body"], text, {"italic": True, "base": "Body Text"}),
        ("intense_quote", "Intense Quote", sizes["body"] + 1, accent,
         {"italic": True, "base": "Body Text"}),
        ("list", "List Paragraph", sizes["body"], text,
         {"after": spacing["paragraph_after"] / 2, "base": "Body Text"}),
        ("list_continue", "List Continue", sizes["body"], text, {"base": "Body Text"}),
        ("caption", "Caption", sizes["meta"], meta, {"italic": True, "after": 8}),
        ("cover_title", "Cover Title", sizes["cover_title"], accent,
         {"heading": True, "bold": True, "before": 120, "after": 12}),
        ("cover_subtitle", "Cover Subtitle", sizes["cover_subtitle"], meta,
         {"heading": True, "after": 6}),
        ("cover_meta", "Cover Meta", sizes["meta"] + 1, meta, {"heading": True, "after": 4}),
        ("contents_heading", "TOC Heading", sizes["heading1"], accent,
         {"heading": True, "bold": True, "before": 36, "after": 8}),
        ("table_text", "Table Text", sizes["meta"] + 0.5, text, {"after": 0}),
        ("header", "Header", sizes["header"], meta, {"heading": True}),
        ("footer", "Footer", sizes["footer"], meta, {"heading": True}),
    ]  # fmt: skip
    paragraph_style("Body Text")  # exists before the table is applied, as Word's base styles
    ids = {role: configure(name, size=size, colour=colour, **options)
           for role, name, size, colour, options in table}  # fmt: skip
    body = styles["Body Text"]
    body.paragraph_format.line_spacing = spacing["line_height"]
    body.paragraph_format.first_line_indent = Pt(spacing["first_line_indent"])
    title_properties = styles["Title"].element.get_or_add_pPr()
    for border in title_properties.findall(qn("w:pBdr")):  # the template draws a rule under it
        title_properties.remove(border)
    styles["Quote"].paragraph_format.left_indent = Pt(24)
    for name in ("Header", "Footer"):
        styles[name].paragraph_format.alignment = 1  # centred
    try:
        link = styles["Hyperlink"]
    except KeyError:
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = _rgb(colours["link"])
    link.font.underline = True
    ids["hyperlink"] = str(link.style_id)
    ids["table"] = str(styles["Table Grid"].style_id)
    return _Styles(ids)


# --------------------------------------------------------------------------- body


@dataclasses.dataclass(frozen=True)
class _Context:
    """How the inlines being written look."""

    lang: str | None = None
    east_asia: str | None = None
    bold: bool = False
    italic: bool = False
    mono: str | None = None
    char_style: str | None = None
    in_link: bool = False

    def rpr(self) -> str:
        return x.run_properties(
            style=self.char_style,
            mono=self.mono,
            bold=self.bold,
            italic=self.italic,
            lang=self.lang,
            east_asia_lang=self.east_asia,
        )


class _BodyWriter:
    """Turns IR blocks into WordprocessingML text for one document."""

    def __init__(self, document: Any, style: Style, ids: _Styles) -> None:
        self.document = document
        self.part = document.part
        self.style = style
        self.ids = ids
        self.numbering = document.part.numbering_part.element
        self.next_num = 1000
        self.bookmarks = 0
        width_mm = (
            style.page_size_mm[0] - style.page["margin_left_mm"] - style.page["margin_right_mm"]
        )
        self.text_width_twips = int(width_mm / 25.4 * 1440)
        self._add_list_definitions()

    def _add_list_definitions(self) -> None:
        nums = self.numbering.findall(qn("w:num"))
        for abstract_id, ordered in ((_BULLET_LIST, False), (_NUMBERED_LIST, True)):
            element = parse_xml(
                x.abstract_numbering(abstract_id, ordered, self.style.fonts["body_latin"])
            )
            # Schema order: every abstractNum before the first num.
            if nums:
                nums[0].addprevious(element)
            else:
                self.numbering.append(element)

    def _new_list(self, ordered: bool, level: int, start: int) -> int:
        self.next_num += 1
        abstract = _NUMBERED_LIST if ordered else _BULLET_LIST
        self.numbering.append(
            parse_xml(x.numbering_instance(self.next_num, abstract, level, start))
        )
        return self.next_num

    def link_id(self, href: str) -> str | None:
        if not is_safe_link(href):
            return None
        return str(self.part.relate_to(href, RT.HYPERLINK, is_external=True))

    # inlines

    def inlines(self, nodes: tuple[ir.Inline, ...], ctx: _Context) -> str:
        return "".join(self.inline(node, ctx) for node in nodes)

    def inline(self, node: ir.Inline, ctx: _Context) -> str:
        if isinstance(node, ir.Text):
            return x.run(node.text, ctx.rpr())
        if isinstance(node, ir.Emph):
            return self.inlines(node.content, dataclasses.replace(ctx, italic=not ctx.italic))
        if isinstance(node, ir.Strong):
            return self.inlines(node.content, dataclasses.replace(ctx, bold=True))
        if isinstance(node, ir.Code):
            return x.run(node.text, dataclasses.replace(ctx, mono=self.style.fonts["mono"]).rpr())
        if isinstance(node, ir.LineBreak):
            return x.line_break(ctx.rpr())
        if isinstance(node, ir.Link):
            rid = None if ctx.in_link else self.link_id(node.href)
            if rid is None:
                return self.inlines(node.content, ctx)
            inner = dataclasses.replace(ctx, char_style=self.ids["hyperlink"], in_link=True)
            return x.hyperlink(self.inlines(node.content, inner), rid=rid)
        if isinstance(node, ir.Span):
            return self.inlines(node.content, ctx)
        raise TypeError(f"the docx writer does not know the inline node {type(node).__name__}")

    # blocks

    def blocks(
        self, nodes: tuple[ir.Block, ...], ctx: _Context, para_style: str, depth: int = 0
    ) -> Iterator[str]:
        for node in nodes:
            yield from self.block(node, ctx, para_style, depth)

    def block(self, node: ir.Block, ctx: _Context, para_style: str, depth: int) -> Iterator[str]:
        ids = self.ids
        if isinstance(node, ir.Paragraph):
            yield x.paragraph(self.inlines(node.content, ctx), style=para_style)
        elif isinstance(node, ir.Heading):
            style_id = ids[f"h{min(max(node.level, 1), 6)}"]
            yield x.paragraph(self.inlines(node.content, ctx), style=style_id, keep_next=True)
        elif isinstance(node, ir.Quote):
            yield from self.blocks(node.blocks, ctx, ids["quote"], depth)
        elif isinstance(node, ir.Div):
            mapped = next((_DIV_STYLES[c] for c in node.attr.classes if c in _DIV_STYLES), None)
            style_id = (
                ids["intense_quote" if mapped == "Intense Quote" else "quote"]
                if mapped
                else para_style
            )
            yield from self.blocks(node.blocks, ctx, style_id, depth)
        elif isinstance(node, ir.ListBlock):
            yield from self.list_block(node, ctx, depth)
        elif isinstance(node, ir.Image):
            words = labels(ctx.lang)
            shown = f"[{words['image']}: {node.alt or node.src}]"
            rid = self.link_id(node.src)
            runs = x.run(
                shown, dataclasses.replace(ctx, char_style=ids["hyperlink"] if rid else None).rpr()
            )
            if rid:
                runs = x.hyperlink(runs, rid=rid)
            if node.caption:
                runs += x.run(" ", ctx.rpr()) + self.inlines(node.caption, ctx)
            yield x.paragraph(runs, style=ids["caption"])
        elif isinstance(node, ir.Table):
            rows = [
                [
                    x.paragraph(
                        self.inlines(cell, dataclasses.replace(ctx, bold=r < node.header_rows)),
                        style=ids["table_text"],
                    )
                    for cell in row
                ]
                for r, row in enumerate(node.rows)
            ]
            if rows:
                yield x.table(rows, node.header_rows, self.text_width_twips, ids["table"])
                yield x.paragraph("", style=ids["table_text"])
        elif isinstance(node, ir.Rule):
            yield x.paragraph(
                "", style=para_style, bottom_border=self.style.colors["rule"].lstrip("#")
            )
        else:
            raise TypeError(f"the docx writer does not know the block node {type(node).__name__}")

    def list_block(self, node: ir.ListBlock, ctx: _Context, depth: int) -> Iterator[str]:
        level = min(depth, 8)
        num_id = self._new_list(node.ordered, level, node.start)
        for item in node.items:
            first = True
            for child in item:
                if first and isinstance(child, ir.Paragraph):
                    yield x.paragraph(
                        self.inlines(child.content, ctx),
                        style=self.ids["list"],
                        num=(num_id, level),
                    )
                elif isinstance(child, ir.ListBlock):
                    yield from self.list_block(child, ctx, depth + 1)
                else:
                    if first:  # an item that starts with something other than text
                        yield x.paragraph("", style=self.ids["list"], num=(num_id, level))
                    yield from self.block(child, ctx, self.ids["list_continue"], depth + 1)
                first = False
            if not item:
                yield x.paragraph("", style=self.ids["list"], num=(num_id, level))

    # article and cover

    def article(self, article: ir.Article, number: int, page_break: bool) -> Iterator[str]:
        meta, ids = article.meta, self.ids
        lang = word_language(meta.language)
        ctx = _Context(lang=lang, east_asia=lang if is_cjk_language(meta.language) else None)
        rpr = ctx.rpr()
        pending_break = page_break

        def para(runs: str, style_id: str, **kwargs: Any) -> str:
            nonlocal pending_break
            xml = x.paragraph(runs, style=style_id, page_break_before=pending_break, **kwargs)
            pending_break = False
            return xml

        if self.style.label:
            yield para(x.run(self.style.label, rpr), ids["label"], keep_next=True)
        if meta.section:
            yield para(x.run(" › ".join(meta.section), rpr), ids["breadcrumb"], keep_next=True)
        self.bookmarks += 1
        title = x.bookmark(
            self.bookmarks, f"article_{number}", x.run(article_title(article, number), rpr)
        )
        yield para(title, ids["title"], keep_next=True)
        if meta.subtitle:
            yield para(x.run(meta.subtitle, rpr), ids["subtitle"], keep_next=True)
        if original := original_title_line(meta):
            yield para(x.run(original, rpr), ids["original_title"], keep_next=True)
        if line := meta_line(meta):
            yield para(x.run(line, rpr), ids["meta"])
        for xml in self.blocks(article.blocks, ctx, ids["body"]):
            if pending_break:  # an article with no header lines at all
                yield para("", ids["body"])
            yield xml
        if editors := editors_line(meta):
            yield para(x.run(editors, rpr), ids["editors"])
        if meta.url and (rid := self.link_id(meta.url)):
            link_ctx = dataclasses.replace(ctx, char_style=ids["hyperlink"])
            yield para(x.hyperlink(x.run(meta.url, link_ctx.rpr()), rid=rid), ids["meta"])

    def cover(self, collection: ir.Collection) -> Iterator[str]:
        ids = self.ids
        language = collection_language(collection)
        words = labels(language)
        lang = word_language(language)
        ctx = _Context(lang=lang, east_asia=lang if is_cjk_language(language) else None)
        rpr = ctx.rpr()
        if self.style.label:
            yield x.paragraph(x.run(self.style.label, rpr), style=ids["label"])
        yield x.paragraph(x.run(display_title(collection), rpr), style=ids["cover_title"])
        if collection.subtitle:
            yield x.paragraph(x.run(collection.subtitle, rpr), style=ids["cover_subtitle"])
        count = len(collection.articles)
        noun = words["article"] if count == 1 else words["articles"]
        sep = "" if base_language(language) == "zh" else " "
        facts = [format_when(collection.date, language), f"{count}{sep}{noun}"]
        if collection.publisher:
            facts.append(collection.publisher)
        yield x.paragraph(x.run(" · ".join(f for f in facts if f), rpr), style=ids["cover_meta"])
        if collection.editors:
            yield x.paragraph(x.run(", ".join(collection.editors), rpr), style=ids["cover_meta"])
        if collection.description:
            yield x.paragraph(x.run(collection.description, rpr), style=ids["cover_meta"])
        if not self.style.layout["contents"]:
            return
        yield x.paragraph(
            x.run(words["contents"], rpr), style=ids["contents_heading"], keep_next=True
        )
        header = [
            x.paragraph(x.run(words[k], x.run_properties(bold=True)), style=ids["table_text"])
            for k in ("title", "source", "date")
        ]
        rows = [header]
        for number, article in enumerate(collection.articles, start=1):
            meta = article.meta
            link_ctx = _Context(lang=word_language(meta.language), char_style=ids["hyperlink"])
            title = x.hyperlink(
                x.run(article_title(article, number), link_ctx.rpr()), anchor=f"article_{number}"
            )
            rows.append(
                [
                    x.paragraph(title, style=ids["table_text"]),
                    x.paragraph(
                        x.run(meta.source or meta.site or "", rpr), style=ids["table_text"]
                    ),
                    x.paragraph(
                        x.run(format_when(meta.published, meta.language), rpr),
                        style=ids["table_text"],
                    ),
                ]
            )
        yield x.table(rows, 1, self.text_width_twips, ids["table"], (0.6, 0.18, 0.22))


# --------------------------------------------------------------------------- package


def _page_setup(document: Any, style: Style, header: str) -> None:
    section = document.sections[0]
    width, height = style.page_size_mm
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin = Mm(style.page["margin_top_mm"])
    section.bottom_margin = Mm(style.page["margin_bottom_mm"])
    section.left_margin = Mm(style.page["margin_left_mm"])
    section.right_margin = Mm(style.page["margin_right_mm"])
    section.header_distance = Mm(max(style.page["margin_top_mm"] / 2 - 2, 4))
    section.footer_distance = Mm(max(style.page["margin_bottom_mm"] / 2 - 2, 4))
    if header:
        head = section.header.paragraphs[0]
        head.style = document.styles["Header"]
        head._p.append(parse_xml(x.body_fragment(x.run(header)))[0])
    foot = section.footer.paragraphs[0]
    foot.style = document.styles["Footer"]
    for item in _footer_runs(style.footer):
        foot._p.append(item)


def _footer_runs(template: str) -> list[Any]:
    """Runs and PAGE/NUMPAGES fields for a footer template such as ``page {page} of {pages}``."""
    xml = []
    for literal, name, _, _ in string.Formatter().parse(template):
        if literal:
            xml.append(x.run(literal))
        if name == "page":
            xml.append(x.simple_field("PAGE", "1"))
        elif name == "pages":
            xml.append(x.simple_field("NUMPAGES", "1"))
    return list(parse_xml(x.body_fragment("".join(xml))))


def _clip(value: str, limit: int = 255) -> str:
    """Core properties are limited to 255 characters."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _naive_utc(value: datetime) -> datetime:
    # python-docx writes a literal Z after the time it is given: hand it UTC without tzinfo.
    return value.replace(tzinfo=None)


def _set_core_properties(document: Any, collection: ir.Collection) -> None:
    props = document_properties(collection)
    core = document.core_properties
    core.title = _clip(props.title)
    core.author = _clip("; ".join(props.creator))
    core.subject = _clip(props.subject)
    core.keywords = _clip(", ".join(props.keywords))
    core.category = _clip(props.category)
    core.comments = _clip(props.description)
    core.language = _clip(props.language)
    core.identifier = _clip(props.identifier)
    core.content_status = ""
    core.version = ""
    core.last_modified_by = PRODUCER
    core.revision = 1
    core.created = _naive_utc(props.created or props.modified)
    core.modified = _naive_utc(props.modified)
    core.last_printed = _naive_utc(props.modified)


def _custom_values(collection: ir.Collection) -> list[tuple[str, str | datetime]]:
    values: list[tuple[str, str | datetime]] = [("briefkit_ir_version", str(ir.IR_VERSION))]
    if collection.has_metadata() or len(collection.articles) != 1:
        for name, value in (
            ("collection_title", collection.title),
            ("collection_subtitle", collection.subtitle),
            ("collection_editors", "; ".join(collection.editors)),
            ("collection_publisher", collection.publisher),
            ("collection_date", iso(collection.date)),
            ("collection_identifier", collection.identifier),
            ("collection_language", collection.language),
            ("collection_description", collection.description),
            ("article_count", str(len(collection.articles))),
        ):
            if value:
                values.append((name, value))
        if collection.date and (utc := to_utc(collection.date)):
            values.append(("collection_date_utc", utc))
    if len(collection.articles) == 1:
        meta = collection.articles[0].meta
        values.extend(extended_fields(meta))
        for name, when in (("published_utc", meta.published), ("updated_utc", meta.updated)):
            if when is not None and (utc := to_utc(when, meta)):
                values.append((name, utc))
    return values


def _package_parts(document: Any, collection: ir.Collection) -> None:
    package = document.part.package
    # Drop the template's leftovers: its thumbnail, its bibliography item and its app.xml.
    for rid, rel in list(package.rels.items()):
        if rel.reltype in (RT.THUMBNAIL, RT.EXTENDED_PROPERTIES):
            package.rels.pop(rid)
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML:
            document.part.rels.pop(rid)
    app = Part(
        PackURI("/docProps/app.xml"),
        CT.OFC_EXTENDED_PROPERTIES,
        x.app_properties(PRODUCER),
        package,
    )
    package.relate_to(app, RT.EXTENDED_PROPERTIES)
    custom = Part(
        PackURI("/docProps/custom.xml"),
        CT.OFC_CUSTOM_PROPERTIES,
        x.custom_properties(_custom_values(collection)),
        package,
    )
    package.relate_to(custom, RT.CUSTOM_PROPERTIES)
    item = _StreamedPart(
        PackURI("/customXml/item1.xml"),
        CT.XML,
        package,
        lambda: x.ir_item(ir_json.iter_compact(collection)),
    )
    item_props = Part(
        PackURI("/customXml/itemProps1.xml"),
        CT.OFC_CUSTOM_XML_PROPERTIES,
        x.ir_item_properties(),
        package,
    )
    item.relate_to(item_props, RT.CUSTOM_XML_PROPS)
    document.part.relate_to(item, RT.CUSTOM_XML)


class _StreamedPart(Part):
    """A package part whose XML is produced piece by piece while the zip is written.

    The body of a thousand-article briefing and its embedded IR are each as large as all the
    articles together; streaming them keeps neither as a tree nor as one string.
    """

    def __init__(
        self,
        partname: PackURI,
        content_type: str,
        package: Any,
        pieces: Callable[[], Iterable[str]],
    ) -> None:
        super().__init__(partname, content_type, b"", package)
        self.pieces = pieces


def _body_pieces(document: Any, content: Iterable[str]) -> Callable[[], Iterator[str]]:
    """document.xml as pieces: the template around ``content``, placed before ``w:sectPr``."""
    body = document.element.body
    for child in list(body)[:-1]:  # the template's empty paragraph; keep the sectPr
        body.remove(child)
    serialised = etree.tostring(document.element, encoding="unicode")
    at = serialised.rindex("<w:sectPr")

    def pieces() -> Iterator[str]:
        yield x.XML_DECLARATION + serialised[:at]
        yield from content
        yield serialised[at:]

    return pieces


class _PackageZip(FixedTimeZip):
    """python-docx's physical package writer interface (pack URIs) over :class:`FixedTimeZip`."""

    def write(self, pack_uri: Any, blob: bytes, *, stored: bool = False) -> None:  # type: ignore[override]
        super().write(pack_uri.membername, blob, stored=stored)


def _save(document: Any, out: BinaryIO, body: Callable[[], Iterable[str]]) -> None:
    """What ``Document.save`` does, with fixed zip times and the big parts streamed."""
    package = document.part.package
    parts = list(package.iter_parts())
    writer = _PackageZip(out, build_time())
    PackageWriter._write_content_types_stream(writer, parts)  # type: ignore[no-untyped-call]
    PackageWriter._write_pkg_rels(writer, package.rels)  # type: ignore[no-untyped-call]
    for part in parts:
        if part is document.part:
            writer.write_pieces(part.partname.membername, body())
        elif isinstance(part, _StreamedPart):
            writer.write_pieces(part.partname.membername, part.pieces())
        else:
            part.before_marshal()
            writer.write(part.partname, part.blob)
        # Relationships last: writing the body adds the hyperlink relationships.
        if len(part.rels):
            writer.write(part.partname.rels_uri, part.rels.xml)
    writer.close()


def write(collection: ir.Collection, out: BinaryIO, style: Style) -> None:
    """Write ``collection`` as a DOCX briefing to ``out``."""
    document = docx.Document()
    language = collection_language(collection)
    ids = _define_styles(document, style, language)
    articles = collection.articles
    several = len(articles) > 1
    header = running_header(style, collection, None if several else articles[0])
    _page_setup(document, style, header)
    writer = _BodyWriter(document, style, ids)
    cover = several and style.layout["cover"]
    breaks = style.layout["article_break"] == "page"

    def pieces() -> Iterator[str]:
        if cover:
            yield from writer.cover(collection)
        for number, article in enumerate(articles, start=1):
            page_break = (cover and (breaks or number == 1)) or (number > 1 and breaks)
            yield from writer.article(article, number, page_break)

    body = _body_pieces(document, pieces())
    _set_core_properties(document, collection)
    _package_parts(document, collection)
    _save(document, out, body)
