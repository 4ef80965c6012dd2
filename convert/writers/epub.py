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
import uuid
import zipfile
from datetime import timezone
from typing import BinaryIO

from ebooklib import epub

from ..media import pictures
from ..model import ir, ir_json
from ..model.contracts import EPUB_IR_ID, EPUB_IR_PATH
from ..plan.layout import (
    ArticlePlan,
    ContentsGroup,
    Line,
    Plan,
    direction_of,
    picture_description,
    plan,
)
from ..plan.metadata import PRODUCER, build_time, slot_texts, slot_values, xhtml_meta
from ..plan.styles import Style
from ._xhtml import Xhtml, css
from ._xhtml import attribute as _a
from ._xhtml import text_escape as _t
from ._zip import Deflater, FixedTimeZip

_CSS_PATH = "style/briefkit.css"
PICTURE_FOLDER = "images/"
"""Where the pictures live inside the book's content folder."""


def _picture_src(picture: ir.Picture, data: bytes) -> str:
    return "../" + PICTURE_FOLDER + pictures.file_name(picture)


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
    xhtml = Xhtml(article, _picture_src)
    head = "".join(xhtml.line(line) for line in article.head)
    body = "\n".join(xhtml.blocks(article.body))
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
    xhtml = Xhtml(None)
    lines = [Line("section_title", (ir.Text(group.title),))]
    if group.intro:
        lines.append(Line("section_intro", (ir.Text(group.intro),)))
    body = (
        f'<section id={_a(group.anchor)} class="section" epub:type="part">'
        f"{''.join(xhtml.line(line) for line in lines)}</section>"
    )
    return _document(group.title, document.language, "", body, "bodymatter")


def _title_page(document: Plan) -> bytes:
    xhtml = Xhtml(None)
    parts = "".join(xhtml.line(line) for line in document.title_page)
    if document.masthead:
        band = "".join(xhtml.line(line) for line in document.masthead)
        parts = f'<div class="masthead">{band}</div>{parts}'
    if document.cover_picture is not None:
        article, image = document.cover_picture
        parts += "".join(Xhtml(article, _picture_src).blocks((image,)))
    kind = "title-page with-masthead" if document.masthead else "title-page"
    body = f'<section class="{kind}" epub:type="titlepage">{parts}</section>'
    return _document(document.title, document.language, "", body, "frontmatter")


# --------------------------------------------------------------------------- package


def identifier_for(collection: ir.Collection, ir_bytes: bytes) -> str:
    """The given identifier, else a urn:uuid (v5) derived from the IR JSON bytes."""
    for _name, given in slot_values(collection, "epub", "opf:dc:identifier"):
        return str(given)
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
    """Every role's text colour has at least WCAG AA's 4.5:1 contrast on its background: a
    white page, or the masthead band for the masthead's roles."""
    for name, role in style.roles.items():
        background = style.colors["masthead"] if name.startswith("masthead_") else "#ffffff"
        light, dark = sorted((_luminance(role.color), _luminance(background)), reverse=True)
        if (light + 0.05) / (dark + 0.05) < 4.5:
            return False
    return True


def _metadata(
    book: epub.EpubBook, collection: ir.Collection, ir_bytes: bytes, style: Style
) -> None:
    """The package metadata: the document-level slots of the metadata table."""
    book.set_identifier(identifier_for(collection, ir_bytes))
    creators = contributors = 0
    for name, value in slot_values(collection, "epub", "opf:", several=True):
        texts = slot_texts(value)
        if name == "dc:identifier":
            continue  # set above, a urn:uuid when there is none
        if name == "dc:title":
            book.set_title(texts[0])
        elif name == "dc:language":
            book.set_language(texts[0])
        elif name == "dc:title#subtitle":
            book.add_metadata("DC", "title", texts[0], {"id": "subtitle"})
            book.add_metadata(
                None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"}
            )
        elif name == "dc:creator":  # the reporters, MARC role "aut"
            for text in texts:
                creators += 1
                book.add_author(text, role="aut", uid=f"creator{creators}")
        elif name == "dc:contributor":  # the editors, MARC role "edt"
            for text in texts:
                contributors += 1
                book.add_metadata("DC", "contributor", text, {"id": f"contributor{contributors}"})
                book.add_metadata(None, "meta", "edt", {
                    "refines": f"#contributor{contributors}", "property": "role",
                    "scheme": "marc:relators",
                })  # fmt: skip
        elif name == "meta:belongs-to-collection":
            book.add_metadata(None, "meta", texts[0], {"property": name[5:], "id": "series"})
            book.add_metadata(
                None, "meta", "set", {"refines": "#series", "property": "collection-type"}
            )
        elif name.startswith("dc:"):
            for text in texts:
                book.add_metadata("DC", name[3:], text)
        else:
            raise ValueError(f"the EPUB writer has no way to fill the OPF slot {name!r}")
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
        epub.EpubItem(uid="css", file_name=_CSS_PATH, media_type="text/css", content=css(style))
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
