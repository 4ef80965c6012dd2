"""Reader ``markdown``: CommonMark (markdown-it-py) with YAML front matter, to one article.

Front-matter keys map onto the IR's meta fields (``title``, ``author``/``authors``,
``date``/``published``, ``tags``/``keywords``, ``description``/``summary``...); unknown keys
go to ``extra``. Raw HTML is never passed through as markup: an HTML block keeps only its
text (scripts and styles dropped), inline tags are removed, and only http, https, mailto and
relative links survive. Without a ``title`` key, a leading level-1 heading is the title.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from lxml import html

from ..model import ir
from ..model.errors import InputError
from ..model.ir_json import iso_to_when
from ..model.language import language_tag
from ._decode import decode_text, xml_safe
from ._inline import tidy
from ._language import identify

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_SAFE_HREF = re.compile(r"^(?:https?:|mailto:|[#/.]|[\w-]+(?:/|\.|$))", re.I)
_ALIASES = {
    "author": "authors",
    "authors": "authors",
    "reporters": "authors",
    "by": "authors",
    "editor": "editors",
    "editors": "editors",
    "date": "published",
    "published": "published",
    "updated": "updated",
    "modified": "updated",
    "tags": "keywords",
    "keywords": "keywords",
    "categories": "section",
    "category": "section",
    "section": "section",
    "description": "summary",
    "summary": "summary",
    "abstract": "summary",
    "lang": "language",
    "language": "language",
    "license": "rights",
    "rights": "rights",
    "id": "identifier",
    "identifier": "identifier",
    "link": "url",
    "url": "url",
    "title": "title",
    "subtitle": "subtitle",
    "original_title": "original_title",
    "site": "site",
    "source": "source",
    "byline": "byline",
    "dateline": "dateline",
}
_LISTS = {"authors", "editors", "keywords", "section"}


def _strip_html(fragment: str) -> str:
    """The text of an HTML fragment, with scripts and styles removed."""
    if not fragment.strip():
        return ""
    try:
        element = html.fragment_fromstring(xml_safe(fragment), create_parent="div")
    except Exception:  # lxml raises several types for broken fragments; text is what we want
        return re.sub(r"<[^>]*>", "", fragment)
    for bad in element.xpath(".//script|.//style|.//iframe|.//object|.//embed|.//template"):
        bad.drop_tree()
    return re.sub(r"\s+", " ", element.text_content()).strip()


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    # Imported here: PyYAML costs ~30 ms of start-up; only this path needs it.
    import yaml

    if len(match.group(1)) > MAX_FRONT_MATTER:
        raise InputError(f"YAML front matter larger than {MAX_FRONT_MATTER} characters")
    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        if not _looks_like_mapping(match.group(1)):
            return {}, text  # "---" lines that open a document, not front matter
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise InputError(f"invalid YAML front matter{where}") from None
    except RecursionError:
        raise InputError("YAML front matter nested too deeply") from None
    except ValueError as exc:  # a date like 2021-13-01, an integer of 5,000 digits
        problem = str(exc).split(";")[0].split(":")[0]
        raise InputError(f"invalid YAML front matter: {problem}") from None
    if not isinstance(data, dict):
        # pandoc's rule: a metadata block is a mapping; anything else is the document's
        # own text between thematic breaks or setext underlines.
        return {}, text
    _check_expanded_size(data)
    return data, text[match.end() :]


MAX_FRONT_MATTER = 64 * 1024
MAX_FRONT_MATTER_NODES = 10_000


def _looks_like_mapping(block: str) -> bool:
    first = next((line for line in block.splitlines() if line.strip()), "")
    return re.match(r"[\w\"'-][^:]*:(\s|$)", first) is not None


def _check_expanded_size(data: Any) -> None:
    """Refuse front matter whose aliases expand to more than a small number of values.

    PyYAML shares aliased nodes instead of copying them, so loading an alias bomb is cheap;
    walking or printing it is exponential. Count the values as a walk would meet them and
    stop at the budget.
    """
    budget = MAX_FRONT_MATTER_NODES
    stack = [data]
    while stack:
        value = stack.pop()
        budget -= 1
        if budget < 0:
            raise InputError(
                f"YAML front matter expands to more than {MAX_FRONT_MATTER_NODES} values "
                "(aliases); refusing it"
            )
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, (list, tuple, set)):
            stack.extend(value)


def _when(value: Any) -> ir.When | None:
    if isinstance(value, (datetime, date)):
        return value
    try:
        return iso_to_when(str(value).strip().replace(" ", "T", 1)) if value else None
    except ValueError:
        return None


def _meta_values(front: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    values: dict[str, Any] = {}
    extra: list[tuple[str, str]] = []
    for key, value in front.items():
        field = _ALIASES.get(str(key).lower())
        if field is None or value is None:
            if value is not None:
                extra.append((str(key), value if isinstance(value, str) else str(value)))
            continue
        if field in _LISTS:
            if isinstance(value, str):
                parts = (
                    re.split(r"\s*>\s*", value)
                    if field == "section"
                    else re.split(r"\s*[,;]\s*", value)
                )
            else:
                parts = (
                    [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
                )
            values[field] = tuple(p for p in parts if p)
        elif field in ("published", "updated"):
            when = _when(value)
            if when is None:
                extra.append((str(key), str(value)))
            else:
                values[field] = when
        elif field == "language":
            tag = language_tag(str(value))
            if tag:
                values[field] = tag
        else:
            values[field] = str(value)
    return values, extra


class _Converter:
    """markdown-it tokens to IR blocks."""

    def __init__(self, tokens: list[Any]) -> None:
        self.tokens = tokens
        self.position = 0

    def inlines(self, children: list[Any] | None) -> tuple[ir.Inline, ...]:
        stack: list[tuple[str, Any, list[ir.Inline]]] = [("root", None, [])]
        for token in children or []:
            kind = token.type
            if kind == "text":
                stack[-1][2].append(ir.Text(token.content))
            elif kind == "softbreak":
                stack[-1][2].append(ir.Text(" "))
            elif kind == "hardbreak":
                stack[-1][2].append(ir.LineBreak())
            elif kind == "code_inline":
                stack[-1][2].append(ir.Code(token.content))
            elif kind in ("em_open", "strong_open", "link_open", "s_open"):
                stack.append((kind, token, []))
            elif kind in ("em_close", "strong_close", "link_close", "s_close") and len(stack) > 1:
                opened, opener, content = stack.pop()
                node_content = tuple(content)
                if opened == "em_open":
                    stack[-1][2].append(ir.Emph(node_content))
                elif opened == "strong_open":
                    stack[-1][2].append(ir.Strong(node_content))
                elif opened == "s_open":
                    stack[-1][2].append(ir.Span(ir.Attr(classes=("strikeout",)), node_content))
                else:
                    href = str(opener.attrGet("href") or "")
                    if _SAFE_HREF.match(href) and node_content:
                        stack[-1][2].append(ir.Link(href, node_content))
                    else:
                        stack[-1][2].extend(node_content)
            elif kind == "image":
                src = str(token.attrGet("src") or "")
                title = str(token.attrGet("title") or "")
                attr = ir.Attr(classes=("image",), attributes=(("src", src), ("title", title)))
                stack[-1][2].append(ir.Span(attr, (ir.Text(token.content or src),)))
            elif kind == "html_inline":
                continue  # tags are dropped; the text between them is separate tokens
        while len(stack) > 1:  # unbalanced input: keep the content
            _, _, content = stack.pop()
            stack[-1][2].extend(content)
        return tidy(stack[0][2], collapse=False)

    def blocks(self, closing: str | None = None) -> list[ir.Block]:
        out: list[ir.Block] = []
        while self.position < len(self.tokens):
            token = self.tokens[self.position]
            self.position += 1
            kind = token.type
            if closing is not None and kind == closing:
                return out
            if kind == "heading_open":
                inline = self.tokens[self.position]
                self.position += 2
                out.append(ir.Heading(int(token.tag[1]), self.inlines(inline.children)))
            elif kind == "paragraph_open":
                inline = self.tokens[self.position]
                self.position += 2
                content = self.inlines(inline.children)
                images = [
                    n for n in content if isinstance(n, ir.Span) and "image" in n.attr.classes
                ]
                if len(content) == 1 and images:
                    # A picture alone in its paragraph is a figure; its title is the caption.
                    attributes = dict(images[0].attr.attributes)
                    title = attributes.get("title", "").strip()
                    caption = (ir.Text(title),) if title else ()
                    out.append(
                        ir.Image(attributes["src"], ir.plain_text(images[0].content), caption)
                    )
                elif content:
                    out.append(ir.Paragraph(content))
            elif kind == "blockquote_open":
                out.append(ir.Quote(tuple(self.blocks("blockquote_close"))))
            elif kind in ("bullet_list_open", "ordered_list_open"):
                ordered = kind == "ordered_list_open"
                start = int(token.attrGet("start") or 1) if ordered else 1
                items = []
                end = "ordered_list_close" if ordered else "bullet_list_close"
                while self.tokens[self.position].type != end:
                    self.position += 1  # list_item_open
                    items.append(tuple(self.blocks("list_item_close")))
                self.position += 1
                out.append(ir.ListBlock(ordered, tuple(items), start))
            elif kind in ("fence", "code_block"):
                code: list[ir.Inline] = []
                for index, line in enumerate(token.content.rstrip("\n").split("\n")):
                    if index:
                        code.append(ir.LineBreak())
                    code.append(ir.Code(line))
                out.append(ir.Paragraph(tuple(code)))
            elif kind == "hr":
                out.append(ir.Rule())
            elif kind == "html_block":
                text = _strip_html(token.content)
                if text:
                    out.append(ir.paragraph(text))
            elif kind == "table_open":
                rows: list[tuple[tuple[ir.Inline, ...], ...]] = []
                header_rows = 0
                row: list[tuple[ir.Inline, ...]] = []
                while self.tokens[self.position].type != "table_close":
                    inner = self.tokens[self.position]
                    if inner.type == "inline":
                        row.append(self.inlines(inner.children))
                    elif inner.type == "tr_close":
                        rows.append(tuple(row))
                        row = []
                    elif inner.type == "thead_close":
                        header_rows = len(rows)
                    self.position += 1
                self.position += 1
                out.append(ir.Table(tuple(rows), header_rows))
        return out


def read(data: bytes, *, name: str) -> ir.Collection:
    """Read a Markdown note with optional YAML front matter."""
    # Imported here: markdown-it-py costs ~50 ms of start-up; only this path needs it.
    from markdown_it import MarkdownIt

    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    front, body = _front_matter(text)
    values, extra = _meta_values(front)
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    blocks = _Converter(parser.parse(body)).blocks()
    if (
        "title" not in values
        and blocks
        and isinstance(blocks[0], ir.Heading)
        and blocks[0].level == 1
    ):
        values["title"] = ir.plain_text(blocks[0].content)
        blocks = blocks[1:]
    # the front matter's language stands unless the text is clearly in another one
    found = identify(ir.plain_text(tuple(blocks)) or body, values.get("language"))
    if found:
        values["language"] = found
    meta = ir.Meta(**values, extra=tuple(extra))
    return ir.Collection(articles=(ir.Article(meta=meta, blocks=tuple(blocks)),))
