"""Writer ``html``: one self-contained, accessible HTML page — the briefing as it will read.

The document plan (:mod:`convert.plan.layout`) gives the cover, the contents groups, the
section dividers and each article's head and tail lines, rendered with the EPUB writer's
XHTML (:mod:`._xhtml`) and its CSS from the style's roles. Everything is inside the one
file: the CSS in a ``style`` element, each picture as a ``data:`` URI (named by
``data-briefkit-picture``, so the reader finds it again), and the IR JSON in a
``<script type="application/json">`` data block that nothing executes, so ``inspect`` reads
the page back losslessly. The page loads nothing from anywhere and runs no script.

Accessibility: the page's language (and each article's, where it differs), landmarks
(``header`` for the cover, ``nav`` for the contents, ``main``), one ``h1`` per article and
section, headings below them in order, tables with header cells, pictures with their
alternative text, a skip link to the articles.
"""

from __future__ import annotations

import base64
from typing import BinaryIO

from ..media import pictures
from ..model import ir, ir_json
from ..model.contracts import HTML_IR_ID, HTML_PICTURE_FOLDER
from ..plan.layout import ArticlePlan, ContentsGroup, Line, Plan, direction_of, plan
from ..plan.metadata import PRODUCER, slot_texts, slot_values, xhtml_meta
from ..plan.styles import Style
from ._xhtml import Xhtml, css
from ._xhtml import attribute as _a
from ._xhtml import text_escape as _t

_PAGE_CSS = """
.skip { position: absolute; left: -999em; }
.skip:focus { left: 1em; top: 1em; background: #fff; padding: .5em; }
header.cover, nav.contents, section.section, article { max-width: 44em; margin: 2em auto; }
article { border-top: 1px solid #bbb; padding-top: 1em; }
nav.contents ol { list-style: none; padding-left: 0; }
nav.contents li { margin: .4em 0; }
nav.contents .detail, nav.contents .summary { display: block; font-size: .85em; color: #444; }
"""


def _picture_src(picture: ir.Picture, data: bytes) -> str:
    return f"data:{picture.media_type};base64,{base64.b64encode(data).decode('ascii')}"


class _Page(Xhtml):
    """XHTML whose pictures are ``data:`` URIs named for the reader."""

    def __init__(self, article: ArticlePlan | None) -> None:
        super().__init__(article, _picture_src, writer="html")

    def block(self, node: ir.Block) -> str:
        shown = super().block(node)
        if isinstance(node, ir.Image) and node.picture is not None and "<img " in shown:
            name = pictures.file_name(node.picture)
            shown = shown.replace("<img ", f"<img data-briefkit-picture={_a(name)} ", 1)
        return shown


def _lines(page: Xhtml, lines: tuple[Line, ...]) -> str:
    return "".join(page.line(line) for line in lines)


def _article(document: Plan, article: ArticlePlan) -> str:
    page = _Page(article)
    lang = ""
    if article.language and article.language != document.language:
        direction = ' dir="rtl"' if article.direction == "rtl" else ""
        lang = f" lang={_a(article.language)}{direction}"
    head = _lines(page, article.head)
    body = "\n".join(page.blocks(article.body))
    tail = _lines(page, article.tail)
    footer = f"<footer>{tail}</footer>" if tail else ""
    return (
        f"<article id={_a(article.anchor)}{lang} aria-labelledby={_a(article.anchor + '-t')}>"
        f"\n<header>{_titled(head, article.anchor + '-t')}</header>\n{body}\n{footer}</article>"
    )


def _titled(lines: str, identifier: str) -> str:
    """The head's ``h1`` given an id (the article's accessible name)."""
    return lines.replace("<h1 ", f"<h1 id={_a(identifier)} ", 1)


def _section(group: ContentsGroup) -> str:
    page = _Page(None)
    lines = [Line("section_title", (ir.Text(group.title),))]
    if group.intro:
        lines.append(Line("section_intro", (ir.Text(group.intro),)))
    heading = _titled(_lines(page, tuple(lines)), group.anchor + "-t")
    return (
        f'<section id={_a(group.anchor)} class="section" '
        f"aria-labelledby={_a(group.anchor + '-t')}>{heading}</section>"
    )


def _contents(document: Plan) -> str:
    page = _Page(None)
    heading = page.line(document.contents_heading).replace("<p ", '<h2 id="contents" ', 1)
    heading = heading.removesuffix("</p>") + "</h2>" if heading.startswith("<h2") else heading
    groups = []
    for group in document.contents:
        rows = []
        for row in group.rows:
            lang = f" lang={_a(row.language)}" if row.language != document.language else ""
            detail = f'<span class="detail">{_t(row.detail)}</span>' if row.detail else ""
            summary = f'<span class="summary">{_t(row.summary)}</span>' if row.summary else ""
            rows.append(
                f"<li{lang}><a href={_a('#' + row.anchor)}>{_t(row.title)}</a>"
                f"{detail}{summary}</li>"
            )
        items = "".join(rows)
        if group.title:
            # A collection section has a divider to go to; a breadcrumb group is a label.
            label = (
                f"<a href={_a('#' + group.anchor)}>{_t(group.title)}</a>"
                if document.has_sections
                else f"<span>{_t(group.title)}</span>"
            )
            groups.append(f"<li>{label}<ol>{items}</ol></li>")
        else:
            groups.append(items)
    return (
        f'<nav class="contents" aria-labelledby="contents">{heading}'
        f"<ol>{''.join(groups)}</ol></nav>"
    )


def _head(collection: ir.Collection, document: Plan, style: Style) -> str:
    meta: list[tuple[str, str]] = [("generator", PRODUCER)]
    if len(collection.articles) == 1:
        meta += xhtml_meta(collection.articles[0].meta)
    else:
        # A collection's head: the EPUB package's Dublin Core slots as ``dcterms.*``.
        for name, value in slot_values(collection, "epub", "opf:dc:", several=True):
            term = "dcterms.alternative" if name == "title#subtitle" else f"dcterms.{name}"
            meta += [(term, text) for text in slot_texts(value)]
    tags = "".join(f"<meta name={_a(n)} content={_a(v)}/>\n" for n, v in meta if v)
    return (
        '<meta charset="utf-8"/>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
        f"<title>{_t(document.title)}</title>\n{tags}"
        f"<style>\n{css(style).decode('utf-8')}{_PAGE_CSS}</style>\n"
    )


def _embedded_ir(collection: ir.Collection) -> str:
    """The IR as a JSON data block, its pictures named where the reader finds them."""
    recorded = pictures.with_sources(
        collection, lambda p: HTML_PICTURE_FOLDER + pictures.file_name(p)
    )
    text = "".join(ir_json.iter_compact(recorded))
    # "</script" cannot end the block early, and no HTML comment can open in it.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{HTML_IR_ID}">{text}</script>\n'


def render(collection: ir.Collection, style: Style) -> str:
    """The page's HTML text."""
    document = plan(collection, style)
    body = ['<a class="skip" href="#articles" lang="en">Skip to the articles</a>\n']
    if document.several:
        cover = _lines(_Page(None), document.title_page)
        if document.masthead:
            cover = f'<div class="masthead">{_lines(_Page(None), document.masthead)}</div>{cover}'
        if document.cover_picture is not None:
            article, image = document.cover_picture
            cover += "".join(_Page(article).blocks((image,)))
        body.append(f'<header class="cover">{cover}</header>\n')
        if document.contents:
            body.append(_contents(document) + "\n")
    body.append('<main id="articles">\n')
    for article in document.articles:
        if article.opens_section is not None:
            body.append(_section(article.opens_section) + "\n")
        body.append(_article(document, article) + "\n")
    body.append("</main>\n")
    direction = ' dir="rtl"' if direction_of(document.language) == "rtl" else ""
    return "".join(
        [
            "<!DOCTYPE html>\n",
            f"<html lang={_a(document.language)}{direction}>\n<head>\n",
            _head(collection, document, style),
            _embedded_ir(collection) if style.layout["embed_ir"] else "",
            "</head>\n<body>\n",
            *body,
            "</body>\n</html>\n",
        ]
    )


def write(collection: ir.Collection, out: BinaryIO, style: Style) -> None:
    """Write ``collection`` as one self-contained HTML page to ``out``."""
    out.write(render(collection, style).encode("utf-8"))
