"""Writer ``epub``: EPUB 3 collections (with an NCX for older readers) via ebooklib.

One XHTML document per article, with a header block (title, original title, section, source,
published, reporters, editors), the body, its own ``xml:lang`` and machine-readable metadata
in its head. A title page, a nav document grouped by section (flat when no article has one),
CSS from the style, package metadata with MARC roles and accessibility properties, and the IR
JSON inside the package so reading back is lossless. ebooklib builds the OPF, nav and NCX; the
zip is written again with ``mimetype`` first and stored, and fixed timestamps.
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
from xml.sax.saxutils import escape, quoteattr

from ebooklib import epub

from .. import ir, ir_json
from ..styles import Style
from ._common import (
    PRODUCER,
    article_title,
    base_language,
    build_time,
    collection_language,
    display_title,
    document_properties,
    format_when,
    is_safe_link,
    iso,
    labels,
    original_title_line,
    unique,
)
from ._zip import FixedTimeZip

IR_PATH = "data/briefkit-ir.json"
_NAME = re.compile(r"[^A-Za-z0-9_.-]")


def _t(value: str) -> str:
    return escape(value)


def _a(value: str) -> str:
    return quoteattr(value)


def _href(value: str) -> str:
    # Percent-encode what a URL may not hold (spaces, quotes, non-ASCII) but keep its syntax.
    return quote(value, safe=":/?#[]@!$&'()*+,;=%~")


def _lang(tag: str | None, fallback: str) -> str:
    return tag or fallback


# --------------------------------------------------------------------------- XHTML body


class _Xhtml:
    """Renders IR blocks and inlines as XHTML for one article."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.ids: set[str] = set()

    def _attr(self, attr: ir.Attr, extra_class: str = "") -> str:
        parts = []
        if attr.id:
            # XHTML ids must be unique in the book and valid XML names: prefix with the
            # article number, and number repeats (the embedded IR keeps the original).
            base = f"a{self.number}-" + _NAME.sub("-", attr.id)
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

    def inline(self, node: ir.Inline) -> str:
        if isinstance(node, ir.Text):
            return _t(node.text)
        if isinstance(node, ir.Emph):
            return f"<em>{self.inlines(node.content)}</em>"
        if isinstance(node, ir.Strong):
            return f"<strong>{self.inlines(node.content)}</strong>"
        if isinstance(node, ir.Code):
            return f"<code>{_t(node.text)}</code>"
        if isinstance(node, ir.LineBreak):
            return "<br/>"
        if isinstance(node, ir.Link):
            inner = self.inlines(node.content)
            if is_safe_link(node.href) and "<a " not in inner:
                return f"<a href={_a(_href(node.href))}>{inner}</a>"
            return f'<span class="link" title={_a(node.href)}>{inner}</span>'
        if isinstance(node, ir.Span):
            return f"<span{self._attr(node.attr)}>{self.inlines(node.content)}</span>"
        raise TypeError(f"the epub writer does not know the inline node {type(node).__name__}")

    def blocks(self, nodes: tuple[ir.Block, ...]) -> Iterator[str]:
        for node in nodes:
            yield self.block(node)

    def block(self, node: ir.Block) -> str:
        if isinstance(node, ir.Paragraph):
            return f"<p>{self.inlines(node.content)}</p>"
        if isinstance(node, ir.Heading):
            level = min(node.level + 1, 6)  # h1 is the article title
            return f"<h{level}>{self.inlines(node.content)}</h{level}>"
        if isinstance(node, ir.Quote):
            return f"<blockquote>{''.join(self.blocks(node.blocks))}</blockquote>"
        if isinstance(node, ir.ListBlock):
            tag = "ol" if node.ordered else "ul"
            start = f' start="{node.start}"' if node.ordered and node.start != 1 else ""
            items = "".join(f"<li>{''.join(self.blocks(item))}</li>" for item in node.items)
            return f"<{tag}{start}>{items}</{tag}>" if node.items else ""
        if isinstance(node, ir.Image):
            # Images stay references: an EPUB may not load remote resources.
            shown = _t(node.alt or node.src)
            target = (
                f"<a href={_a(_href(node.src))}>{shown}</a>" if is_safe_link(node.src) else shown
            )
            caption = f" {self.inlines(node.caption)}" if node.caption else ""
            return f'<figure class="image"><figcaption>[{target}]{caption}</figcaption></figure>'
        if isinstance(node, ir.Table):
            rows = []
            for index, row in enumerate(node.rows):
                cell = "th" if index < node.header_rows else "td"
                rows.append(
                    "<tr>" + "".join(f"<{cell}>{self.inlines(c)}</{cell}>" for c in row) + "</tr>"
                )
            head = "".join(rows[: node.header_rows])
            body = "".join(rows[node.header_rows :])
            thead = f"<thead>{head}</thead>" if head else ""
            tbody = f"<tbody>{body}</tbody>" if body else ""
            return f"<table>{thead}{tbody}</table>" if rows else ""
        if isinstance(node, ir.Rule):
            return "<hr/>"
        if isinstance(node, ir.Div):
            return f"<div{self._attr(node.attr)}>{''.join(self.blocks(node.blocks))}</div>"
        raise TypeError(f"the epub writer does not know the block node {type(node).__name__}")


def _document(title: str, lang: str, head_extra: str, body: str, body_type: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang={_a(lang)} xml:lang={_a(lang)}>\n<head>\n<meta charset="utf-8"/>\n'
        f"<title>{_t(title)}</title>\n"
        '<link rel="stylesheet" type="text/css" href="../style/briefkit.css"/>\n'
        f"{head_extra}</head>\n<body epub:type={_a(body_type)}>\n{body}\n</body>\n</html>\n"
    ).encode()


def _head_metadata(meta: ir.Meta) -> str:
    """Machine-readable metadata for one article (Dublin Core names, then briefkit's own)."""
    pairs: list[tuple[str, str]] = [("dcterms.title", meta.title or "")]
    pairs += [("dcterms.creator", name) for name in meta.authors]
    pairs += [("dcterms.contributor", name) for name in meta.editors]
    pairs += [
        ("dcterms.publisher", meta.source or ""),
        ("dcterms.issued", iso(meta.published)),
        ("dcterms.modified", iso(meta.updated)),
        ("dcterms.language", meta.language or ""),
        ("dcterms.identifier", meta.identifier or ""),
        ("dcterms.source", meta.url or ""),
        ("dcterms.abstract", meta.summary or ""),
        ("dcterms.rights", meta.rights or ""),
        ("keywords", ", ".join(meta.keywords)),
        ("briefkit.original_title", meta.original_title or ""),
        ("briefkit.subtitle", meta.subtitle or ""),
        ("briefkit.section", " > ".join(meta.section)),
        ("briefkit.site", meta.site or ""),
        ("briefkit.byline", meta.byline or ""),
        ("briefkit.dateline", meta.dateline or ""),
    ]
    pairs += [(f"briefkit.extra.{_NAME.sub('-', key)}", value) for key, value in meta.extra]
    return "".join(
        f"<meta name={_a(name)} content={_a(value)}/>\n" for name, value in pairs if value
    )


def _article_document(article: ir.Article, number: int, style: Style, book_lang: str) -> bytes:
    meta = article.meta
    lang = _lang(meta.language, book_lang)
    words = labels(meta.language)
    zh = base_language(meta.language) == "zh"
    sep = "、" if zh else ", "
    header = []
    if style.label:
        header.append(f'<p class="label">{_t(style.label)}</p>')
    if meta.section:
        header.append(f'<p class="breadcrumb">{_t(" › ".join(meta.section))}</p>')
    header.append(f'<h1 class="title">{_t(article_title(article, number))}</h1>')
    if meta.subtitle:
        header.append(f'<p class="subtitle">{_t(meta.subtitle)}</p>')
    if original := original_title_line(meta):
        header.append(f'<p class="original-title">{_t(original)}</p>')
    facts = []
    if meta.source or meta.site:
        facts.append((words["source"], _t(meta.source or meta.site or "")))
    if meta.published is not None:
        shown = _t(format_when(meta.published, meta.language))
        facts.append((words["date"], f"<time datetime={_a(iso(meta.published))}>{shown}</time>"))
    if meta.authors:
        facts.append((words["reporters"], _t(sep.join(meta.authors))))
    if meta.editors:
        facts.append((words["editors"], _t(sep.join(meta.editors))))
    if facts:
        rows = "".join(f"<dt>{_t(k)}</dt><dd>{v}</dd>" for k, v in facts)
        header.append(f'<dl class="article-meta">{rows}</dl>')
    body = "\n".join(_Xhtml(number).blocks(article.blocks))
    footer = ""
    if meta.url and is_safe_link(meta.url):
        footer = (
            f'<footer><p class="url"><a href={_a(_href(meta.url))}>{_t(meta.url)}</a></p></footer>'
        )
    content = (
        f'<article id="article-{number}" epub:type="chapter">\n<header>{"".join(header)}</header>\n'
        f"{body}\n{footer}</article>"
    )
    return _document(
        article_title(article, number), lang, _head_metadata(meta), content, "bodymatter"
    )


def _title_page(collection: ir.Collection, style: Style, lang: str) -> bytes:
    words = labels(lang)
    count = len(collection.articles)
    noun = words["article"] if count == 1 else words["articles"]
    parts = []
    if style.label:
        parts.append(f'<p class="label">{_t(style.label)}</p>')
    parts.append(f'<h1 class="cover-title">{_t(display_title(collection))}</h1>')
    if collection.subtitle:
        parts.append(f'<p class="cover-subtitle">{_t(collection.subtitle)}</p>')
    facts = [
        format_when(collection.date, lang),
        f"{count}{'' if base_language(lang) == 'zh' else ' '}{noun}",
    ]
    if collection.publisher:
        facts.append(collection.publisher)
    parts.append(f'<p class="cover-meta">{_t(" · ".join(f for f in facts if f))}</p>')
    if collection.editors:
        parts.append(f'<p class="cover-meta">{_t(", ".join(collection.editors))}</p>')
    if collection.description:
        parts.append(f'<p class="cover-description">{_t(collection.description)}</p>')
    body = f'<section class="title-page" epub:type="titlepage">{"".join(parts)}</section>'
    return _document(display_title(collection), lang, "", body, "frontmatter")


def _css(style: Style) -> bytes:
    fonts, sizes, colours, spacing = style.fonts, style.sizes, style.colors, style.spacing

    def family(latin: str, cjk: str) -> str:
        return f'"{latin}", "{cjk}", serif'

    body_size = sizes["body"]

    def em(points: float) -> str:
        return f"{points / body_size:.3f}em"

    return f"""/* Generated from the briefkit style "{style.name}". */
body {{ font-family: {family(fonts["body_latin"], fonts["body_cjk"])}; color: {colours["text"]};
  line-height: {spacing["line_height"]}; margin: 0 5%; }}
p {{ margin: 0 0 {em(spacing["paragraph_after"])} 0;
  text-indent: {em(spacing["first_line_indent"])}; }}
h1, h2, h3, h4, h5, h6, .label, .breadcrumb, .article-meta, .cover-title {{
  font-family: {family(fonts["heading_latin"], fonts["heading_cjk"])}; }}
h1 {{ font-size: {em(sizes["title"])}; color: {colours["accent"]}; margin: 0.2em 0 0.3em 0; }}
h2 {{ font-size: {em(sizes["heading1"])}; color: {colours["accent"]};
  margin: {em(spacing["heading_before"])} 0 {em(spacing["heading_after"])} 0; }}
h3 {{ font-size: {em(sizes["heading2"])}; color: {colours["accent"]}; }}
h4, h5, h6 {{ font-size: {em(sizes["heading3"])}; color: {colours["accent"]}; }}
.label {{ font-size: {em(sizes["label"])}; font-weight: bold; color: {colours["accent"]};
  letter-spacing: 0.1em; margin: 0; }}
.breadcrumb {{ font-size: {em(sizes["meta"])}; color: {colours["meta"]}; margin: 0; }}
.subtitle {{ font-size: {em(sizes["original_title"] + 1)}; color: {colours["meta"]}; }}
.original-title {{ font-size: {em(sizes["original_title"])}; font-style: italic;
  color: {colours["meta"]}; }}
.article-meta {{ font-size: {em(sizes["meta"])}; color: {colours["meta"]};
  border-bottom: 1px solid {colours["rule"]}; padding-bottom: 0.5em; }}
.article-meta dt {{ float: left; clear: left; font-weight: bold; margin-right: 0.5em; }}
.article-meta dd {{ margin: 0; }}
.url {{ font-size: {em(sizes["meta"])}; color: {colours["meta"]}; }}
a {{ color: {colours["link"]}; }}
blockquote {{ margin: 0.5em 1.5em; font-style: italic; }}
code {{ font-family: "{fonts["mono"]}", monospace; }}
hr {{ border: 0; border-top: 1px solid {colours["rule"]}; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid {colours["rule"]}; padding: 0.2em 0.4em; }}
figure.image {{ margin: 0.5em 0; font-size: {em(sizes["meta"])}; color: {colours["meta"]}; }}
.pull-quote {{ font-size: 1.15em; color: {colours["accent"]}; margin: 0.5em 1.5em; }}
.title-page {{ text-align: center; margin-top: 20%; }}
.cover-title {{ font-size: {em(sizes["cover_title"])}; color: {colours["accent"]}; }}
.cover-subtitle {{ font-size: {em(sizes["cover_subtitle"])}; color: {colours["meta"]}; }}
.cover-meta, .cover-description {{ color: {colours["meta"]}; text-indent: 0; }}
""".encode()


# --------------------------------------------------------------------------- package


def identifier_for(collection: ir.Collection, ir_bytes: bytes) -> str:
    """The given identifier, else a urn:uuid (v5) derived from the IR JSON bytes."""
    given = document_properties(collection).identifier
    if given:
        return given
    digest = hashlib.sha256(ir_bytes).hexdigest()
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'briefkit:' + digest)}"


def _metadata(book: epub.EpubBook, collection: ir.Collection, lang: str, ir_bytes: bytes) -> None:
    props = document_properties(collection)
    articles = collection.articles
    book.set_identifier(identifier_for(collection, ir_bytes))
    book.set_title(props.title)
    book.set_language(lang)
    # Reporters are the creators (MARC "aut"); the collection's editors, or a lone article's
    # editors, are contributors ("edt").
    authors = unique([name for article in articles for name in article.meta.authors])
    for index, name in enumerate(authors, start=1):
        book.add_author(name, role="aut", uid=f"creator{index}")
    single = len(articles) == 1 and not collection.has_metadata()
    editors = articles[0].meta.editors if single else collection.editors
    for index, name in enumerate(editors, start=1):
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
        book.add_metadata("DC", "date", props.created.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if props.description:
        book.add_metadata("DC", "description", props.description)
    for subject in props.keywords:
        book.add_metadata("DC", "subject", subject)
    sources = [a.meta.url or a.meta.source for a in articles if a.meta.url or a.meta.source]
    for source in dict.fromkeys(s for s in sources if s):
        book.add_metadata("DC", "source", source)
    rights = [a.meta.rights for a in articles if a.meta.rights]
    if rights:
        book.add_metadata("DC", "rights", rights[0])
    series = collection.title if len(articles) > 1 else (articles[0].meta.site or "")
    if series:
        book.add_metadata(
            None, "meta", series, {"property": "belongs-to-collection", "id": "series"}
        )
        book.add_metadata(
            None, "meta", "set", {"refines": "#series", "property": "collection-type"}
        )
    for prop, value in (
        ("schema:accessMode", "textual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityHazard", "none"),
        (
            "schema:accessibilitySummary",
            "Text-only news articles with headings, a navigable table of contents and a "
            "title page; images are given as described links.",
        ),
    ):
        book.add_metadata(None, "meta", value, {"property": prop})
    # Replace ebooklib's own generator entry rather than adding a second one.
    book.metadata[epub.NAMESPACES["OPF"]]["generator"] = [
        ("", {"name": "generator", "content": PRODUCER})
    ]


def _navigation(
    collection: ir.Collection, links: list[epub.Link]
) -> tuple[list[object], list[int]]:
    """The toc (grouped by section when articles have one) and the reading order to match."""
    articles = collection.articles
    if not any(a.meta.section for a in articles):
        return list(links), list(range(len(articles)))
    groups: dict[str, list[int]] = {}
    other = labels(collection_language(collection))["briefing"]
    for index, article in enumerate(articles):
        key = article.meta.section[-1] if article.meta.section else other
        groups.setdefault(key, []).append(index)
    toc: list[object] = []
    order: list[int] = []
    for name, members in groups.items():
        toc.append((epub.Section(name), [links[i] for i in members]))
        order.extend(members)
    return toc, order


def write(collection: ir.Collection, out: BinaryIO, style: Style) -> None:
    """Write ``collection`` as an EPUB 3 book to ``out``."""
    lang = collection_language(collection)
    ir_bytes = "".join(ir_json.iter_compact(collection)).encode("utf-8")
    book = epub.EpubBook()
    _metadata(book, collection, lang, ir_bytes)
    book.add_item(
        epub.EpubItem(
            uid="css", file_name="style/briefkit.css", media_type="text/css", content=_css(style)
        )
    )
    title_page = epub.EpubItem(
        uid="titlepage",
        file_name="text/title.xhtml",
        media_type="application/xhtml+xml",
        content=_title_page(collection, style, lang),
    )
    book.add_item(title_page)
    chapters, links = [], []
    for number, article in enumerate(collection.articles, start=1):
        name = f"text/article-{number:04d}.xhtml"
        chapter = epub.EpubItem(
            uid=f"article{number:04d}",
            file_name=name,
            media_type="application/xhtml+xml",
            content=_article_document(article, number, style, lang),
        )
        book.add_item(chapter)
        chapters.append(chapter)
        links.append(epub.Link(name, article_title(article, number), f"nav{number:04d}"))
    toc, order = _navigation(collection, links)
    book.toc = toc
    book.add_item(epub.EpubNcx())
    nav = epub.EpubNav(file_name="nav.xhtml")
    book.add_item(nav)
    book.spine = [title_page, nav, *(chapters[i] for i in order)]
    book.add_item(
        epub.EpubItem(
            uid="briefkit-ir",
            file_name=IR_PATH,
            media_type="application/json",
            content=ir_bytes,
        )
    )
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
    writer.write()


class _Writer(epub.EpubWriter):  # type: ignore[misc]
    """ebooklib's writer, putting its entries into a fixed-time zip (mimetype first, stored)."""

    def write(self) -> None:
        self.out = _EbooklibZip(self.file_name, self.options["mtime"].replace(tzinfo=timezone.utc))
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()


class _EbooklibZip(FixedTimeZip):
    """The ``writestr`` interface ebooklib calls, over :class:`FixedTimeZip`."""

    def writestr(self, name: str, data: str | bytes, compress_type: int | None = None) -> None:
        blob = data.encode("utf-8") if isinstance(data, str) else data
        self.write(name, blob, stored=compress_type == zipfile.ZIP_STORED)
