"""Writer ``epub``: EPUB 3 collections (with an NCX for older readers) via ebooklib.

The document plan (:mod:`convert.plan.layout`) gives the title page, the contents groups and each
article's head and tail lines; this module renders them as XHTML (one document per article,
with its own ``xml:lang`` and its metadata in the head, from the metadata table), turns the
style's roles into CSS, and packages the book: OPF metadata with MARC roles, a nav grouped by
section, the IR JSON inside the package so reading back is lossless. The zip is written
with ``mimetype`` first and stored, and fixed timestamps.
"""

from __future__ import annotations

import hashlib
import re
import uuid
import zipfile
from collections.abc import Iterator
from datetime import timezone
from typing import BinaryIO
from urllib.parse import quote

from ebooklib import epub

from ..media import pictures
from ..model import ir, ir_json
from ..model.contracts import EPUB_IR_ID, EPUB_IR_PATH
from ..model.language import RTL_STRETCH, guess_language, has_right_to_left
from ..model.xmltext import escape, quoteattr
from ..plan.layout import (
    LINE_ROLES,
    ArticlePlan,
    ContentsGroup,
    Line,
    Plan,
    direction_of,
    div_role,
    image_stand_in,
    picture_alt,
    picture_description,
    plan,
)
from ..plan.metadata import PRODUCER, build_time, document_properties, iso_utc, xhtml_meta
from ..plan.styles import Style
from ._common import is_safe_link
from ._zip import Deflater, FixedTimeZip

_NAME = re.compile(r"[^A-Za-z0-9_.-]")
_CSS_PATH = "style/briefkit.css"
PICTURE_FOLDER = "images/"
"""Where the pictures live inside the book's content folder."""


def _t(value: str) -> str:
    return escape(value)


def _a(value: str) -> str:
    return quoteattr(value)


def _href(value: str) -> str:
    # Percent-encode what a URL may not hold (spaces, quotes, non-ASCII) but keep its syntax.
    return quote(value, safe=":/?#[]@!$&'()*+,;=%~")


def _class(role: str) -> str:
    return role.replace("_", "-")


# The opening tag of each plan line's role: the title roles as h1, the rest as a classed p.
_LINE_TAGS = {
    role: (
        "h1" if role in ("title", "cover_title", "section_title") else "p",
        f' class="{_class(role)}"',
    )
    for role in LINE_ROLES
}


# --------------------------------------------------------------------------- XHTML body


class _Xhtml:
    """Renders IR blocks and inlines as XHTML for one article."""

    def __init__(self, article: ArticlePlan | None) -> None:
        self.article = article
        self.prefix = f"a{article.number}-" if article else "t-"
        self.ids: set[str] = set()

    def _attr(self, attr: ir.Attr, extra_class: str = "") -> str:
        parts = []
        if attr.id:
            # XHTML ids must be unique in the book and valid XML names: prefix with the
            # article number, and number repeats (the embedded IR keeps the original).
            base = self.prefix + _NAME.sub("-", attr.id)
            unique_id, n = base, 1
            while unique_id in self.ids:
                n += 1
                unique_id = f"{base}-{n}"
            self.ids.add(unique_id)
            parts.append(f" id={_a(unique_id)}")
        classes = " ".join(c for c in (extra_class, *attr.classes) if c)
        if classes:
            parts.append(f" class={_a(classes)}")
        names: set[str] = set()
        for key, value in attr.attributes:
            name = "data-" + _NAME.sub("-", key.lower()).removeprefix("data-")
            if name not in names:  # an attribute may appear once; the first value wins
                names.add(name)
                parts.append(f" {name}={_a(value)}")
        return "".join(parts)

    def inlines(self, nodes: tuple[ir.Inline, ...]) -> str:
        return "".join(self.inline(node) for node in nodes)

    def text(self, value: str) -> str:
        """Escaped text; in a left-to-right document, right-to-left stretches (an Arabic
        name in an English article) are marked with their direction and language."""
        rtl_document = self.article is not None and self.article.direction == "rtl"
        if rtl_document or not has_right_to_left(value):  # a stretch starts with such a letter
            return _t(value)
        out, start = [], 0
        for match in RTL_STRETCH.finditer(value):
            out.append(_t(value[start : match.start()]))
            stretch = match.group()
            lang = guess_language(stretch)
            tag = f" lang={_a(lang)} xml:lang={_a(lang)}" if lang else ""
            out.append(f'<span dir="rtl"{tag}>{_t(stretch)}</span>')
            start = match.end()
        out.append(_t(value[start:]))
        return "".join(out)

    def inline(self, node: ir.Inline) -> str:
        match node:
            case ir.Text():
                return self.text(node.text)
            case ir.Emph():
                return f"<em>{self.inlines(node.content)}</em>"
            case ir.Strong():
                return f"<strong>{self.inlines(node.content)}</strong>"
            case ir.Code():
                return f"<code>{_t(node.text)}</code>"
            case ir.LineBreak():
                return "<br/>"
            case ir.Link():
                inner = self.inlines(node.content)
                if is_safe_link(node.href) and "<a " not in inner:
                    return f"<a href={_a(_href(node.href))}>{inner}</a>"
                return f'<span class="link" title={_a(node.href)}>{inner}</span>'
            case ir.Span():
                when = dict(node.attr.attributes).get("datetime")
                if when:  # the plan's dated spans (publication time) become <time>
                    classes = " ".join(node.attr.classes)
                    return (
                        f"<time class={_a(classes)} datetime={_a(when)}>"
                        f"{self.inlines(node.content)}</time>"
                    )
                return f"<span{self._attr(node.attr)}>{self.inlines(node.content)}</span>"
            case _:
                ir.unknown_node(node, "epub")

    def blocks(self, nodes: tuple[ir.Block, ...]) -> Iterator[str]:
        for node in nodes:
            yield self.block(node)

    def block(self, node: ir.Block) -> str:
        match node:
            case ir.Paragraph():
                return f"<p>{self.inlines(node.content)}</p>"
            case ir.Heading():
                level = min(node.level + 1, 6)  # h1 is the article title
                return f"<h{level}>{self.inlines(node.content)}</h{level}>"
            case ir.Quote():
                return f"<blockquote>{''.join(self.blocks(node.blocks))}</blockquote>"
            case ir.ListBlock():
                tag = "ol" if node.ordered else "ul"
                start = f' start="{node.start}"' if node.ordered and node.start != 1 else ""
                items = "".join(f"<li>{''.join(self.blocks(item))}</li>" for item in node.items)
                return f"<{tag}{start}>{items}</{tag}>" if node.items else ""
            case ir.Image() if self.article is not None and (found := self.article.picture(node)):
                picture = found[0]
                alt = picture_alt(node, self.article.words)
                img = (
                    f"<img src={_a('../' + PICTURE_FOLDER + pictures.file_name(picture))} "
                    f'alt={_a(alt)} width="{picture.width}" height="{picture.height}"/>'
                )
                caption = (
                    f"<figcaption>{self.inlines(node.caption)}</figcaption>" if node.caption else ""
                )
                return f'<figure class="picture">{img}{caption}</figure>'
            case ir.Image():
                # A picture whose bytes are not at hand stays a reference: an EPUB may not
                # load remote resources.
                assert self.article is not None
                shown = _t(image_stand_in(node, self.article.words))
                if is_safe_link(node.src):
                    shown = f"<a href={_a(_href(node.src))}>{shown}</a>"
                caption = f" {self.inlines(node.caption)}" if node.caption else ""
                return f'<figure class="image"><figcaption>{shown}{caption}</figcaption></figure>'
            case ir.Table():
                rows = []
                for index, row in enumerate(node.rows):
                    cell = 'th scope="col"' if index < node.header_rows else "td"
                    rows.append(
                        "<tr>"
                        + "".join(f"<{cell}>{self.inlines(c)}</{cell.split()[0]}>" for c in row)
                        + "</tr>"
                    )
                head = "".join(rows[: node.header_rows])
                body = "".join(rows[node.header_rows :])
                thead = f"<thead>{head}</thead>" if head else ""
                tbody = f"<tbody>{body}</tbody>" if body else ""
                return f"<table>{thead}{tbody}</table>" if rows else ""
            case ir.Rule():
                return "<hr/>"
            case ir.Div():
                extra = "pull-quote" if div_role(node.attr, "") == "pull_quote" else ""
                inner = "".join(self.blocks(node.blocks))
                return f"<div{self._attr(node.attr, extra)}>{inner}</div>"
            case _:
                ir.unknown_node(node, "epub")

    def line(self, line: Line) -> str:
        """A plan line: the title roles as ``h1``, every other role as a classed ``p``."""
        tag, attributes = _LINE_TAGS[line.role]
        return f"<{tag}{attributes}>{self.inlines(line.content)}</{tag}>"


def _document(title: str, lang: str, head_extra: str, body: str, body_type: str) -> bytes:
    # Right-to-left languages say so on the root: reading systems lay the page out from it.
    direction = ' dir="rtl"' if direction_of(lang) == "rtl" else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang={_a(lang)} xml:lang={_a(lang)}{direction}>\n<head>\n<meta charset="utf-8"/>\n'
        f"<title>{_t(title)}</title>\n"
        f'<link rel="stylesheet" type="text/css" href="../{_CSS_PATH}"/>\n'
        f"{head_extra}</head>\n<body epub:type={_a(body_type)}>\n{body}\n</body>\n</html>\n"
    ).encode()


def _article_document(article: ArticlePlan) -> bytes:
    xhtml = _Xhtml(article)
    head = "".join(xhtml.line(line) for line in article.head)
    body = "\n".join(xhtml.blocks(article.article.blocks))
    tail = "".join(xhtml.line(line) for line in article.tail)
    footer = f"<footer>{tail}</footer>" if tail else ""
    content = (
        f'<article id={_a(article.anchor)} epub:type="chapter">\n<header>{head}</header>\n'
        f"{body}\n{footer}</article>"
    )
    metadata = "".join(
        f"<meta name={_a(name)} content={_a(value)}/>\n"
        for name, value in xhtml_meta(article.article.meta)
    )
    return _document(article.title, article.language, metadata, content, "bodymatter")


def _section_page(document: Plan, group: ContentsGroup) -> bytes:
    """A collection section's divider: its title and intro."""
    xhtml = _Xhtml(None)
    lines = [Line("section_title", (ir.Text(group.title),))]
    if group.intro:
        lines.append(Line("section_intro", (ir.Text(group.intro),)))
    body = (
        f'<section id={_a(group.anchor)} class="section" epub:type="part">'
        f"{''.join(xhtml.line(line) for line in lines)}</section>"
    )
    return _document(group.title, document.language, "", body, "bodymatter")


def _title_page(document: Plan) -> bytes:
    xhtml = _Xhtml(None)
    parts = "".join(xhtml.line(line) for line in document.title_page)
    body = f'<section class="title-page" epub:type="titlepage">{parts}</section>'
    return _document(document.title, document.language, "", body, "frontmatter")


# Which elements show each role; roles not listed are the classes of plan lines.
_SELECTORS = {
    "body": "p",
    "heading1": "h2",
    "heading2": "h3",
    "heading3": "h4, h5, h6",
    "quote": "blockquote, blockquote p",
    "pull_quote": ".pull-quote, .pull-quote p",
    "list": "li, li p",
    "caption": "figure.image, figcaption",  # figure.picture is laid out by its own rules
    "table_cell": "th, td",
    "title": "h1.title",
    "cover_title": "h1.cover-title",
}
_NO_PAGE_FURNITURE = ("header", "footer")  # an EPUB has no running header or footer


def _css(style: Style) -> bytes:
    fonts, colours = style.fonts, style.colors
    # The style's families per script after its Latin and CJK ones, as the PDF tries them
    # (a reading system falls back glyph by glyph along the list).
    scripts = "".join(f', "{family}"' for family in dict.fromkeys(style.script_fonts.values()))
    families = {
        "body": f'"{fonts["body_latin"]}", "{fonts["body_cjk"]}"{scripts}, serif',
        "heading": f'"{fonts["heading_latin"]}", "{fonts["heading_cjk"]}"{scripts}, sans-serif',
        "mono": f'"{fonts["mono"]}"{scripts}, monospace',
    }
    base = style.roles["body"].size

    def rem(points: float) -> str:
        return f"{points / base:.3f}rem"

    rules = [
        f'/* Generated from the briefkit style "{style.name}". */',
        f"body {{ font-family: {families['body']}; color: {colours['text']};"
        f" line-height: {style.measures['line_height']}; margin: 0 5%; }}",
    ]
    for role, look in style.roles.items():
        if role in _NO_PAGE_FURNITURE:
            continue
        selector = _SELECTORS.get(role, f".{_class(role)}")
        rules.append(
            f"{selector} {{ font-family: {families[look.font]}; font-size: {rem(look.size)};"
            f" color: {look.color}; font-weight: {'bold' if look.bold else 'normal'};"
            f" font-style: {'italic' if look.italic else 'normal'};"
            f" margin: {rem(look.space_before)} 0 {rem(look.space_after)} {rem(look.left_indent)};"
            f" text-indent: {rem(look.first_line_indent)}; text-align: {look.align}; }}"
        )
    rule = f"{style.measures['rule_width']}pt solid {colours['rule']}"
    padding = rem(style.measures["cell_padding"])
    rules += [
        f"a {{ color: {colours['link']}; }}",
        f"code {{ font-family: {families['mono']}; }}",
        f"hr {{ border: 0; border-top: {rule}; }}",
        "table { border-collapse: collapse; }",
        f"th, td {{ border: {rule}; padding: {padding}; }}",
        f"th {{ background: {colours['table_header']}; }}",
        f"ul, ol {{ padding-left: {rem(style.measures['list_indent'])}; }}",
        f".title-page {{ padding-top: {rem(style.measures['cover_top'])}; }}",
        "figure.picture { margin: 1em 0; page-break-inside: avoid; break-inside: avoid; }",
        "figure.picture img { display: block; max-width: 100%; height: auto; }",
    ]
    return ("\n".join(rules) + "\n").encode()


# --------------------------------------------------------------------------- package


def identifier_for(collection: ir.Collection, ir_bytes: bytes) -> str:
    """The given identifier, else a urn:uuid (v5) derived from the IR JSON bytes."""
    given = document_properties(collection).identifier
    if given:
        return given
    digest = hashlib.sha256(ir_bytes).hexdigest()
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'briefkit:' + digest)}"


CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def accessibility_metadata(
    collection: ir.Collection, style: Style
) -> tuple[list[tuple[str, str]], bool]:
    """schema.org accessibility properties describing what this book really has, and whether
    it meets what briefkit can check of EPUB Accessibility 1.1 / WCAG 2.1 AA for its own books:
    a language on every document (always), header cells in every table, text contrast
    (pictures are given as text)."""
    placed = [(a, b) for a in collection.articles for b in ir.walk_blocks(a.blocks)]
    contrast_ok = _contrast_ok(style)
    tables = [b for _, b in placed if isinstance(b, ir.Table)]
    headed = [t for t in tables if t.header_rows]
    images = [(a, b) for a, b in placed if isinstance(b, ir.Image)]
    shown = [i for a, i in images if a.picture_data(i) is not None]
    described = [i for i in shown if picture_description(i)]
    linked = len(images) - len(shown)
    features = [
        "tableOfContents",
        "readingOrder",
        "structuralNavigation",
        "displayTransformability",
    ]
    if tables and len(headed) == len(tables):
        features.append("table")
    if shown and len(described) == len(shown):
        features.append("alternativeText")
    summary = [
        f"{len(collection.articles)} news article{'s' if len(collection.articles) != 1 else ''}"
        " with a heading each, a navigable table of contents and a title page; every document "
        "states its language"
    ]
    if tables:
        summary.append(
            f"{len(tables)} table{'s' if len(tables) != 1 else ''}, "
            f"{len(headed)} with marked header cells"
        )
    if shown:
        summary.append(
            f"{len(shown)} picture{'s' if len(shown) != 1 else ''}, {len(described)} with a "
            "text description (alternative text or caption)"
        )
    if linked:
        summary.append(
            f"{linked} picture{'s' if linked != 1 else ''} given as described links "
            "(their description is the text)"
        )
    if contrast_ok:
        summary.append("text colours meet the WCAG AA contrast ratio on white")
    all_described = len(described) == len(shown)
    properties = [
        ("schema:accessMode", "textual"),
        *([("schema:accessMode", "visual")] if shown else []),
        ("schema:accessModeSufficient", "textual" if all_described else "textual,visual"),
        *(("schema:accessibilityFeature", feature) for feature in features),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", "; ".join(summary) + "."),
    ]
    return properties, contrast_ok and len(headed) == len(tables) and all_described


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast_ok(style: Style) -> bool:
    """Every role's text colour has at least WCAG AA's 4.5:1 contrast on a white page."""
    colours = {role.color for role in style.roles.values()}
    return all(1.05 / (_luminance(c) + 0.05) >= 4.5 for c in colours)


def _metadata(
    book: epub.EpubBook, collection: ir.Collection, ir_bytes: bytes, style: Style
) -> None:
    """The package metadata: the document-level slots of the metadata table."""
    props = document_properties(collection)
    book.set_identifier(identifier_for(collection, ir_bytes))
    book.set_title(props.title)
    book.set_language(props.language)
    if collection.subtitle:
        book.add_metadata("DC", "title", collection.subtitle, {"id": "subtitle"})
        book.add_metadata(
            None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"}
        )
    # Reporters are the creators (MARC "aut"), editors the contributors ("edt").
    for index, name in enumerate(props.creators, start=1):
        book.add_author(name, role="aut", uid=f"creator{index}")
    for index, name in enumerate(props.contributors, start=1):
        book.add_metadata("DC", "contributor", name, {"id": f"contributor{index}"})
        book.add_metadata(
            None,
            "meta",
            "edt",
            {"refines": f"#contributor{index}", "property": "role", "scheme": "marc:relators"},
        )
    if props.publisher:
        book.add_metadata("DC", "publisher", props.publisher)
    if props.created is not None:
        book.add_metadata("DC", "date", iso_utc(props.created))
    if props.description:
        book.add_metadata("DC", "description", props.description)
    for subject in props.keywords:
        book.add_metadata("DC", "subject", subject)
    for source in props.sources:
        book.add_metadata("DC", "source", source)
    if props.rights:
        book.add_metadata("DC", "rights", props.rights)
    if props.series:
        book.add_metadata(
            None, "meta", props.series, {"property": "belongs-to-collection", "id": "series"}
        )
        book.add_metadata(
            None, "meta", "set", {"refines": "#series", "property": "collection-type"}
        )
    properties, conforms = accessibility_metadata(collection, style)
    for prop, value in properties:
        book.add_metadata(None, "meta", value, {"property": prop})
    if conforms:
        book.add_metadata(None, "meta", CONFORMS_TO, {"property": "dcterms:conformsTo"})
        book.add_metadata(
            None, "meta", "briefkit (self-declared; checked by its tests)",
            {"property": "a11y:certifiedBy"},
        )  # fmt: skip
    # Replace ebooklib's own generator entry rather than adding a second one.
    book.metadata[epub.NAMESPACES["OPF"]]["generator"] = [
        ("", {"name": "generator", "content": PRODUCER})
    ]


def _navigation(document: Plan, links: list[epub.Link]) -> list[object]:
    """The toc: the plan's contents groups (flat when no article has a section); a
    collection section's entry opens its divider page."""
    toc: list[object] = []
    for group in document.contents:
        members = [links[row.number - 1] for row in group.rows]
        if group.title:
            section = (
                epub.Section(group.title, href=_section_file(group))
                if group.number
                else epub.Section(group.title)
            )
            toc.append((section, members))
        else:
            toc.extend(members)
    return toc


def _section_file(group: ContentsGroup) -> str:
    return f"text/section-{group.number:03d}.xhtml"


def write(collection: ir.Collection, out: BinaryIO, style: Style) -> None:
    """Write ``collection`` as an EPUB 3 book to ``out``."""
    # The chapters and the IR are deflated on a second core while the rest is rendered.
    with Deflater() as ahead:
        _write(collection, out, style, ahead)


def _write(collection: ir.Collection, out: BinaryIO, style: Style, ahead: Deflater) -> None:
    document = plan(collection, style)
    book = epub.EpubBook()

    def add_deflated(item: epub.EpubItem) -> None:
        """Add a big part to the book and have it deflated now, beside the rendering."""
        book.add_item(item)
        ahead.add(f"{book.FOLDER_NAME}/{item.file_name}", item.content)

    book.add_item(
        epub.EpubItem(uid="css", file_name=_CSS_PATH, media_type="text/css", content=_css(style))
    )
    title_page = epub.EpubItem(
        uid="titlepage",
        file_name="text/title.xhtml",
        media_type="application/xhtml+xml",
        content=_title_page(document),
    )
    book.add_item(title_page)
    chapters, links = [], []
    for article in document.articles:
        group = article.opens_section
        if group is not None:
            divider = epub.EpubItem(
                uid=f"section{group.number:03d}",
                file_name=_section_file(group),
                media_type="application/xhtml+xml",
                content=_section_page(document, group),
            )
            add_deflated(divider)
            chapters.append(divider)
        name = f"text/article-{article.number:04d}.xhtml"
        chapter = epub.EpubItem(
            uid=f"article{article.number:04d}",
            file_name=name,
            media_type="application/xhtml+xml",
            content=_article_document(article),
        )
        add_deflated(chapter)
        chapters.append(chapter)
        links.append(epub.Link(name, article.title, f"nav{article.number:04d}"))
    for picture, data in pictures.distinct(collection):
        name = pictures.file_name(picture)
        book.add_item(
            epub.EpubImage(
                uid=f"picture-{name.split('.')[0]}",
                file_name=PICTURE_FOLDER + name,
                media_type=picture.media_type,
                content=data,
            )
        )
    # The IR is serialised after the articles are rendered, so an unknown node is reported
    # by this writer (not by the JSON encoder first). Its pictures point at their copies in
    # the book, where the epub reader finds them again.
    recorded = pictures.with_sources(
        collection, lambda p: f"EPUB/{PICTURE_FOLDER}{pictures.file_name(p)}"
    )
    ir_bytes = "".join(ir_json.iter_compact(recorded)).encode("utf-8")
    _metadata(book, collection, ir_bytes, style)
    book.toc = _navigation(document, links)
    book.add_item(epub.EpubNcx())
    nav = epub.EpubNav(file_name="nav.xhtml")
    book.add_item(nav)
    book.spine = [title_page, nav, *chapters]
    if document.articles and all(a.direction == "rtl" for a in document.articles):
        book.set_direction("rtl")  # page-progression-direction on the spine
    if style.layout["embed_ir"]:
        ir_item = epub.EpubItem(
            uid=EPUB_IR_ID, file_name=EPUB_IR_PATH, media_type="application/json", content=ir_bytes
        )
        add_deflated(ir_item)
    modified = build_time()
    writer = _Writer(
        out,
        book,
        {
            "raise_exceptions": True,
            "mtime": modified.replace(tzinfo=None),  # ebooklib appends Z itself
            "epub3_landmark": False,
            "epub2_guide": False,
        },
    )
    writer.process()
    writer.write(ahead)


class _Writer(epub.EpubWriter):  # type: ignore[misc]
    """ebooklib's writer, putting its entries into a fixed-time zip (mimetype first, stored)."""

    def write(self, ahead: Deflater | None = None) -> None:
        when = self.options["mtime"].replace(tzinfo=timezone.utc)
        with _EbooklibZip(self.file_name, when, ahead) as self.out:
            self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
            self._write_container()
            self._write_opf()
            self._write_items()


class _EbooklibZip(FixedTimeZip):
    """The ``writestr`` interface ebooklib calls, over :class:`FixedTimeZip`."""

    def writestr(self, name: str, data: str | bytes, compress_type: int | None = None) -> None:
        blob = data.encode("utf-8") if isinstance(data, str) else data
        self.write(name, blob, stored=compress_type == zipfile.ZIP_STORED)
