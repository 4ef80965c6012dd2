"""(X)HTML elements to IR blocks: EPUB chapters and feed entries share this walk.

Everything a reader sees is kept, in document order: text directly inside a ``div`` (verse is
often written that way) becomes paragraphs split at ``<br><br>``-free block boundaries;
tables, definition lists, figures with captions, pictures and ``<object>`` fallbacks become
their IR blocks. What has no IR form (scripts, forms, embedded media without a fallback) goes
to ``dropped`` with a reason, never silently.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from ..model import ir
from ._inline import tidy

_HEADING = re.compile(r"h[1-6]")
_CONTAINERS = frozenset(
    ("div", "section", "article", "main", "header", "footer", "aside", "body", "nav",
     "center", "address", "details", "summary", "hgroup", "object", "picture",
     "noscript", "form", "fieldset", "html")
)  # fmt: skip
_BLOCKS = frozenset(
    ("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "dl", "pre", "table",
     "hr", "figure", "img", "svg", "math", "video", "audio", "iframe", "embed", "canvas",
     "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "figcaption",
     *_CONTAINERS)
)  # fmt: skip
_INVISIBLE = frozenset(("script", "style", "template", "head", "title", "meta", "link", "base"))
_MEDIA = frozenset(("video", "audio", "iframe", "embed", "canvas"))


def local(element: Any) -> str:
    """The element's tag without namespace, lower case ("" for comments and the like)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def text_of(element: Any) -> str:
    """All text under ``element`` (MathML and SVG text included), whitespace collapsed."""
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def inlines(element: Any, *, top: bool = True) -> tuple[ir.Inline, ...]:
    """The inline content of ``element`` (its text, inline children and their tails)."""
    out = _inline_children(element, include_text=True)
    return tidy(out) if top else tuple(out)


def _inline_children(element: Any, *, include_text: bool) -> list[ir.Inline]:
    out: list[ir.Inline] = []
    if include_text and element.text:
        out.append(ir.Text(element.text))
    for child in element:
        out.extend(_inline(child))
        if child.tail:
            out.append(ir.Text(child.tail))
    return out


def _inline(child: Any) -> list[ir.Inline]:
    tag = local(child)
    if not tag or tag in _INVISIBLE:
        return []
    inner = tuple(_inline_children(child, include_text=True))
    if tag in ("em", "i", "cite", "var", "dfn"):
        return [ir.Emph(inner)]
    if tag in ("strong", "b"):
        return [ir.Strong(inner)]
    if tag == "a" and child.get("href"):
        return [ir.Link(child.get("href"), inner)] if inner else []
    if tag in ("code", "kbd", "samp", "tt"):
        return [ir.Code(text_of(child))]
    if tag == "br":
        return [ir.LineBreak()]
    if tag == "img":
        alt = (child.get("alt") or "").strip()
        return [ir.Text(f"[{alt}]")] if alt else []
    if tag == "math":  # an equation as its linear text
        linear = child.get("alttext") or text_of(child)
        return [ir.Text(linear)] if linear else []
    if tag in ("sup", "sub"):
        return [ir.Span(ir.Attr(classes=(tag,)), inner)]
    return list(inner)


class Walk:
    """One document's walk; ``dropped`` collects what had no IR form."""

    def __init__(self, base: str | None = None) -> None:
        self.dropped: list[ir.Dropped] = []
        self.base = base
        """The document's own path inside its container (an EPUB chapter's), against which
        relative picture references are made container paths; None leaves them as written."""

    def blocks(self, element: Any) -> tuple[ir.Block, ...]:
        """The blocks under ``element``, loose text and inline runs included."""
        out: list[ir.Block] = []
        run: list[ir.Inline] = []

        def flush() -> None:
            content = tidy(run)
            if ir.plain_text(content).strip():
                out.append(ir.Paragraph(content))
            run.clear()

        if element.text:
            run.append(ir.Text(element.text))
        for child in element:
            tag = local(child)
            if tag in _BLOCKS:
                flush()
                out.extend(self.block(child))
            elif tag == "br" and run and isinstance(run[-1], ir.LineBreak):
                run.pop()  # <br><br> separates paragraphs in loose text
                flush()
            else:
                run.extend(_inline(child))
            if child.tail:
                run.append(ir.Text(child.tail))
        flush()
        return tuple(out)

    def block(self, child: Any) -> list[ir.Block]:
        """One block-level element as IR blocks."""
        tag = local(child)
        if tag == "p":
            content = inlines(child)
            images = [self._image(img) for img in child.iter() if local(img) == "img"]
            if ir.plain_text(content).strip() and not images:
                return [ir.Paragraph(content)]
            return [*images, *self.blocks(child)] if images else []
        if _HEADING.fullmatch(tag):
            content = inlines(child)
            return [ir.Heading(int(tag[1]), content)] if content else []
        if tag == "blockquote":
            return [ir.Quote(self.blocks(child))] if text_of(child) else []
        if tag in ("ul", "ol"):
            items = tuple(
                self.blocks(li) or (ir.Paragraph(()),) for li in child if local(li) == "li"
            )
            start = child.get("start", "1")
            return (
                [ir.ListBlock(tag == "ol", items, int(start) if start.isdigit() else 1)]
                if items
                else []
            )
        if tag == "li":
            return list(self.blocks(child))
        if tag == "dl":
            return self._definitions(child)
        if tag == "pre":
            lines = "".join(child.itertext()).strip("\n").split("\n")
            code: list[ir.Inline] = []
            for index, line in enumerate(lines):
                if index:
                    code.append(ir.LineBreak())
                code.append(ir.Code(line))
            return [ir.Paragraph(tuple(code))] if "".join(lines).strip() else []
        if tag == "table":
            return self._table(child)
        if tag == "hr":
            return [ir.Rule()]
        if tag == "figure":
            return self._figure(child)
        if tag == "img":
            return [self._image(child)]
        if tag == "math":
            linear = child.get("alttext") or text_of(child)
            return [ir.Paragraph((ir.Text(linear),))] if linear else []
        if tag == "svg":
            label = text_of(child)
            self.dropped.append(ir.Dropped(label or "<svg>", "SVG drawing (no IR form)"))
            return []
        if tag in _MEDIA:
            fallback = self.blocks(child)
            if not fallback:
                src = child.get("src") or child.get("data") or ""
                self.dropped.append(ir.Dropped(src or f"<{tag}>", f"embedded {tag} (no IR form)"))
            return list(fallback)
        if tag in ("dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "caption"):
            return list(self.blocks(child))  # stray table or list parts: keep their text
        if tag == "figcaption":
            content = inlines(child)
            return [ir.Paragraph(content)] if content else []
        return list(self.blocks(child))  # containers (div, section, object, ...)

    def _image(self, img: Any) -> ir.Image:
        src = (img.get("src") or "").strip()
        if self.base is not None and src and not re.match(r"[a-zA-Z][\w+.-]*:|/", src):
            folder = posixpath.dirname(self.base)
            src = posixpath.normpath(posixpath.join(folder, src.split("#")[0]))
        return ir.Image(src, (img.get("alt") or "").strip())

    def _figure(self, figure: Any) -> list[ir.Block]:
        caption_element = next((c for c in figure if local(c) == "figcaption"), None)
        caption = inlines(caption_element) if caption_element is not None else ()
        images = [i for i in figure.iter() if local(i) == "img"]
        if len(images) == 1:
            rest = [
                b
                for c in figure
                if local(c) not in ("figcaption", "img", "picture")
                and not (local(c) in ("p", "div", "a") and images[0] in c.iter())
                for b in self.block(c)
            ]
            image = self._image(images[0])
            return [ir.Image(image.src, image.alt, caption), *rest]
        out = [b for c in figure if local(c) != "figcaption" for b in self.block(c)]
        if caption:
            out.append(ir.Paragraph(caption))
        return out

    def _definitions(self, dl: Any) -> list[ir.Block]:
        out: list[ir.Block] = []
        for child in dl:
            tag = local(child)
            if tag == "dt":
                content = inlines(child)
                if content:
                    out.append(ir.Paragraph((ir.Strong(content),)))
            elif tag == "dd":
                inner = self.blocks(child)
                if inner:
                    out.append(ir.Div(ir.Attr(classes=("definition",)), inner))
            elif tag == "div":  # HTML allows <div> groups inside <dl>
                out.extend(self._definitions(child))
        return out

    def _table(self, table: Any) -> list[ir.Block]:
        rows: list[tuple[tuple[ir.Inline, ...], ...]] = []
        header_rows = 0
        counting_header = True
        caption: tuple[ir.Inline, ...] = ()
        for element in table.iter():
            tag = local(element)
            if tag == "caption":
                caption = inlines(element)
            if tag != "tr":
                continue
            cells = [c for c in element if local(c) in ("td", "th")]
            if not cells:
                continue
            in_head = local(element.getparent()) == "thead" or all(local(c) == "th" for c in cells)
            row = tuple(inlines(c) for c in cells)
            if counting_header and in_head:
                header_rows += 1
            else:
                counting_header = False
            rows.append(row)
        out: list[ir.Block] = []
        if caption:
            out.append(ir.Paragraph(caption))
        if rows:
            width = max(len(r) for r in rows)
            padded = tuple(r + ((),) * (width - len(r)) for r in rows)
            out.append(ir.Table(padded, header_rows))
        return out
