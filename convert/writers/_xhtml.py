"""XHTML for the EPUB and HTML writers: IR blocks and plan lines as elements, roles as CSS.

Both writers render the same plan the same way; they differ in where a picture is found
(a file inside the book, a ``data:`` URI in a self-contained page) and in what wraps the
article (an XHTML document per article, one page for all).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import quote

from ..model import ir
from ..model.contracts import MATCH_CLASS
from ..model.language import RTL_STRETCH, guess_language, has_right_to_left
from ..model.xmltext import escape, quoteattr
from ..plan.layout import LINE_ROLES, ArticlePlan, Line, div_role, image_stand_in, picture_alt
from ..plan.styles import JUSTIFIED_ROLES, Style
from ..plan.typography import NO_HYPHENATION
from ._common import is_safe_link

_NAME = re.compile(r"[^A-Za-z0-9_.-]")


def text_escape(value: str) -> str:
    """``value`` escaped as character data."""
    return escape(value)


def attribute(value: str) -> str:
    """``value`` as a quoted attribute value."""
    return quoteattr(value)


_t, _a = text_escape, attribute


def _href(value: str) -> str:
    # Percent-encode what a URL may not hold (spaces, quotes, non-ASCII) but keep its syntax.
    return quote(value, safe=":/?#[]@!$&'()*+,;=%~")


def _class(role: str) -> str:
    return role.replace("_", "-")


# The opening tag of each plan line's role: the title roles as h1, the rest as a classed p.
_LINE_TAGS = {
    role: (
        "h1" if role in ("title", "cover_title", "masthead_title", "section_title") else "p",
        f' class="{_class(role)}"',
    )
    for role in LINE_ROLES
}


# --------------------------------------------------------------------------- XHTML body


PictureSource = Callable[[ir.Picture, bytes], str]
"""Where an ``img`` finds a picture: a path inside a book, a ``data:`` URI."""


class Xhtml:
    """Renders IR blocks and inlines as XHTML (well-formed HTML too) for one article."""

    def __init__(
        self,
        article: ArticlePlan | None,
        picture_src: PictureSource | None = None,
        writer: str = "epub",
    ) -> None:
        self.article = article
        self.picture_src = picture_src
        self.writer = writer
        """The writer's name, for the error an unknown node raises."""
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
            case ir.Span() if node.attr.classes == (MATCH_CLASS,) and not node.attr.attributes:
                return f"<mark>{self.inlines(node.content)}</mark>"
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
                ir.unknown_node(node, self.writer)

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
                picture, data = found
                alt = picture_alt(node, self.article.words)
                assert self.picture_src is not None
                img = (
                    f"<img src={_a(self.picture_src(picture, data))} "
                    f'alt={_a(alt)} width="{picture.width}" height="{picture.height}"/>'
                )
                caption = (
                    f"<figcaption>{self.inlines(node.caption)}</figcaption>" if node.caption else ""
                )
                return f'<figure class="picture">{img}{caption}</figure>'
            case ir.Image():
                # A picture whose bytes are not at hand stays a reference: an EPUB may not
                # load remote resources, a self-contained page loads none either.
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
                ir.unknown_node(node, self.writer)

    def line(self, line: Line) -> str:
        """A plan line: the title roles as ``h1``, every other role as a classed ``p``."""
        tag, attributes = _LINE_TAGS[line.role]
        return f"<{tag}{attributes}>{self.inlines(line.content)}</{tag}>"


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


def css(style: Style) -> bytes:
    """The style's roles as CSS (EPUB books and HTML pages)."""
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
        ".title-page.with-masthead { padding-top: 0; }",
        f".masthead {{ background: {colours['masthead']}; padding:"
        f" {rem(style.measures['masthead_padding'])} 1em; margin-bottom:"
        f" {rem(3 * style.measures['masthead_padding'])}; }}",
        "figure.picture { margin: 1em 0; page-break-inside: avoid; break-inside: avoid; }",
        "figure.picture img { display: block; max-width: 100%; height: auto; }",
        # No line of a paragraph alone at the top or bottom of a page; a heading stays with
        # what follows it.
        "p, li, blockquote, figcaption { widows: 2; orphans: 2; }",
        "h1, h2, h3, h4, h5, h6 { page-break-after: avoid; break-after: avoid; }",
    ]
    if style.typography.get("hyphenate"):
        running = ", ".join(_SELECTORS.get(role, f".{_class(role)}") for role in JUSTIFIED_ROLES)
        rules.append(f"{running} {{ -epub-hyphens: auto; -webkit-hyphens: auto; hyphens: auto; }}")
        # reading systems hyphenate in the language of the text (lang and xml:lang are set);
        # languages that are not hyphenated are said so outright
        rules.append(
            ", ".join(f":lang({tag})" for tag in sorted(NO_HYPHENATION))
            + " { -epub-hyphens: manual; -webkit-hyphens: manual; hyphens: manual; }"
        )
    return ("\n".join(rules) + "\n").encode()
