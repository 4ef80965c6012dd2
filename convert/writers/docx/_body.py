"""The DOCX body: the plan's cover, contents and articles as WordprocessingML text.

Body content is produced as text (escaped in :mod:`._xml`) and streamed into the package:
python-docx's ``add_paragraph`` goes quadratic on long documents.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from ...model import ir
from ...model.contracts import MATCH_CLASS
from ...plan.layout import (
    ArticlePlan,
    Line,
    Plan,
    direction_of,
    div_role,
    image_stand_in,
    is_cjk_language,
    picture_alt,
    picture_size,
)
from ...plan.styles import Style
from .._common import is_safe_link
from . import _xml as x
from ._styles import word_language

_BULLET_LIST, _NUMBERED_LIST = 900, 901


@dataclasses.dataclass(frozen=True)
class _Context:
    """How the inlines being written look."""

    lang: str | None = None
    east_asia: str | None = None
    bidi: str | None = None
    bold: bool = False
    italic: bool = False
    mono: str | None = None
    char_style: str | None = None
    in_link: bool = False
    shading: str | None = None
    """A watch term's highlight colour (``RRGGBB``)."""

    @staticmethod
    @functools.lru_cache(maxsize=64)
    def for_language(tag: str | None) -> _Context:
        # One context per language (contexts are immutable), so its run properties are
        # spelled once for every run of every article in that language.
        lang = word_language(tag)
        return _Context(
            lang=lang,
            east_asia=lang if is_cjk_language(tag) else None,
            bidi=lang if direction_of(tag) == "rtl" else None,
        )

    @functools.cached_property
    def rpr(self) -> str:
        """The ``w:rPr`` of a run in this context (kept: every run of an article asks)."""
        return x.run_properties(
            style=self.char_style,
            mono=self.mono,
            bold=self.bold,
            italic=self.italic,
            lang=self.lang,
            east_asia_lang=self.east_asia,
            bidi_lang=self.bidi,
            shading=self.shading,
        )


def _table_description(table: ir.Table) -> str:
    """What a screen reader announces for a table: its size and its column headings."""
    size = f"{len(table.rows)} rows, {max(len(r) for r in table.rows)} columns"
    if not table.header_rows:
        return f"{size}; no header row"
    headings = ", ".join(ir.plain_text(cell).strip() for cell in table.rows[0])
    return f"{size}; columns: {headings}"[:250]


class BodyWriter:
    """Turns the plan and the IR blocks into WordprocessingML for one document."""

    def __init__(
        self,
        document: Any,
        style: Style,
        ids: dict[str, str],
        pictures: dict[str, tuple[str, str, str]] | None = None,
    ) -> None:
        self.part = document.part
        self.pictures = pictures or {}
        """Each embedded picture's relationship id and part name, by digest."""
        self.drawings = 0
        self.style = style
        self.ids = ids
        self.numbering = document.part.numbering_part.element
        self.next_num = 1000
        self.bookmarks = 0
        self.tables = 0
        self.text_width_twips = int(style.text_area_mm[0] / 25.4 * 1440)
        self._add_list_definitions()

    def _add_list_definitions(self) -> None:
        nums = self.numbering.findall(qn("w:num"))
        step = round(self.style.measures["list_indent"] * 20)
        for abstract_id, ordered in ((_BULLET_LIST, False), (_NUMBERED_LIST, True)):
            element = parse_xml(
                x.abstract_numbering(abstract_id, ordered, self.style.fonts["body_latin"], step)
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

    def picture(
        self, image: ir.Image, picture: ir.Picture, article: ArticlePlan, ctx: _Context
    ) -> Iterator[str]:
        """An inline picture sized by the plan, its caption as a "Caption" paragraph below
        (the picture's paragraph keeps with it, so they share a page)."""
        rid, part_name, svg_rid = self.pictures[picture.digest]
        self.drawings += 1
        width, height = picture_size(picture, self.style)
        run = x.picture_run(
            rid,
            self.drawings,
            part_name.rsplit("/", 1)[-1],
            picture_alt(image, article.words),
            round(width * 12700),  # EMU per point
            round(height * 12700),
            svg_rid,
        )
        yield x.paragraph(run, style=self.ids["caption"], keep_next=bool(image.caption))
        if image.caption:
            yield x.paragraph(self.inlines(image.caption, ctx), style=self.ids["caption"])

    def link_id(self, href: str) -> str | None:
        if not is_safe_link(href):
            return None
        return str(self.part.relate_to(href, RT.HYPERLINK, is_external=True))

    # inlines

    def inlines(self, nodes: tuple[ir.Inline, ...], ctx: _Context) -> str:
        return "".join(self.inline(node, ctx) for node in nodes)

    def inline(self, node: ir.Inline, ctx: _Context) -> str:
        match node:
            case ir.Text():
                return x.run(node.text, ctx.rpr)
            case ir.Emph():
                return self.inlines(node.content, dataclasses.replace(ctx, italic=not ctx.italic))
            case ir.Strong():
                return self.inlines(node.content, dataclasses.replace(ctx, bold=True))
            case ir.Code():
                mono = dataclasses.replace(ctx, mono=self.style.fonts["mono"])
                return x.run(node.text, mono.rpr)
            case ir.LineBreak():
                return x.line_break(ctx.rpr)
            case ir.Link():
                rid = None if ctx.in_link else self.link_id(node.href)
                if rid is None:
                    return self.inlines(node.content, ctx)
                inner = dataclasses.replace(ctx, char_style=self.ids["hyperlink"], in_link=True)
                return x.hyperlink(self.inlines(node.content, inner), rid=rid)
            case ir.Span() if MATCH_CLASS in node.attr.classes:
                shading = self.style.colors["highlight"].lstrip("#").upper()
                return self.inlines(node.content, dataclasses.replace(ctx, shading=shading))
            case ir.Span():
                return self.inlines(node.content, ctx)
            case _:
                ir.unknown_node(node, "docx")

    # blocks

    def blocks(
        self,
        nodes: tuple[ir.Block, ...],
        article: ArticlePlan,
        ctx: _Context,
        role: str,
        depth: int = 0,
    ) -> Iterator[str]:
        for node in nodes:
            yield from self.block(node, article, ctx, role, depth)

    def block(
        self, node: ir.Block, article: ArticlePlan, ctx: _Context, role: str, depth: int
    ) -> Iterator[str]:
        ids = self.ids
        match node:
            case ir.Paragraph():
                yield x.paragraph(self.inlines(node.content, ctx), style=ids[role])
            case ir.Heading():
                level = min(max(node.level, 1), 6)
                style_id = ids[f"heading{level}" if level <= 3 else f"h{level}"]
                yield x.paragraph(self.inlines(node.content, ctx), style=style_id)
            case ir.Quote():
                yield from self.blocks(node.blocks, article, ctx, "quote", depth)
            case ir.Div():
                yield from self.blocks(node.blocks, article, ctx, div_role(node.attr, role), depth)
            case ir.ListBlock():
                yield from self.list_block(node, article, ctx, depth)
            case ir.Image() if node.picture and node.picture.digest in self.pictures:
                yield from self.picture(node, node.picture, article, ctx)
            case ir.Image():
                rid = self.link_id(node.src)
                shown = dataclasses.replace(ctx, char_style=ids["hyperlink"] if rid else None)
                runs = x.run(image_stand_in(node, article.words), shown.rpr)
                if rid:
                    runs = x.hyperlink(runs, rid=rid)
                if node.caption:
                    runs += x.run(" ", ctx.rpr) + self.inlines(node.caption, ctx)
                yield x.paragraph(runs, style=ids["caption"])
            case ir.Table():
                rows = [
                    [
                        x.paragraph(
                            self.inlines(cell, dataclasses.replace(ctx, bold=r < node.header_rows)),
                            style=ids["table_cell"],
                        )
                        for cell in row
                    ]
                    for r, row in enumerate(node.rows)
                ]
                if rows:
                    self.tables += 1
                    yield x.table(
                        rows,
                        node.header_rows,
                        self.text_width_twips,
                        ids["table"],
                        caption=f"{article.title} — {self.tables}",
                        description=_table_description(node),
                    )
                    yield x.paragraph("", style=ids["table_cell"])
            case ir.Rule():
                rule = (self.style.colors["rule"], self.style.measures["rule_width"])
                yield x.paragraph("", style=ids[role], bottom_border=rule)
            case _:
                ir.unknown_node(node, "docx")

    def list_block(
        self, node: ir.ListBlock, article: ArticlePlan, ctx: _Context, depth: int
    ) -> Iterator[str]:
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
                    yield from self.list_block(child, article, ctx, depth + 1)
                else:
                    if first:  # an item that starts with something other than text
                        yield x.paragraph("", style=self.ids["list"], num=(num_id, level))
                    yield from self.block(child, article, ctx, "list_continue", depth + 1)
                first = False
            if not item:
                yield x.paragraph("", style=self.ids["list"], num=(num_id, level))

    # plan lines: article head and tail, cover, contents

    def line(self, line: Line, ctx: _Context, bookmark: str = "", **options: Any) -> str:
        """A plan line in its role's Word style; the title carries the article's bookmark."""
        runs = self.inlines(line.content, ctx)
        if bookmark and line.role == "title":
            self.bookmarks += 1
            runs = x.bookmark(self.bookmarks, bookmark, runs)
        return x.paragraph(runs, style=self.ids[line.role], **options)

    def article(self, article: ArticlePlan, page_break: bool, separator: bool) -> Iterator[str]:
        if article.direction == "rtl":  # paragraphs laid out right to left
            for xml in self._article(article, page_break, separator):
                yield x.bidi_paragraphs(xml)
        else:
            yield from self._article(article, page_break, separator)

    def _article(self, article: ArticlePlan, page_break: bool, separator: bool) -> Iterator[str]:
        ctx = _Context.for_language(article.language)
        if separator:
            rule = (self.style.colors["rule"], self.style.measures["separator_width"])
            yield x.paragraph("", style=self.ids["normal"], bottom_border=rule)
        group = article.opens_section
        if group is not None:  # the section's divider opens the page
            self.bookmarks += 1
            title = x.bookmark(
                self.bookmarks, f"section_{group.number}", x.run(group.title, ctx.rpr)
            )
            yield x.paragraph(title, style=self.ids["section_title"], page_break_before=page_break)
            if group.intro:
                yield x.paragraph(x.run(group.intro, ctx.rpr), style=self.ids["section_intro"])
            page_break = False
        # The head always holds the title line, so the page break goes on its first line.
        for index, line in enumerate(article.head):
            yield self.line(
                line,
                ctx,
                page_break_before=page_break and index == 0,
                bookmark=_anchor(article.number),
            )
        yield from self.blocks(article.body, article, ctx, "body")
        for line in article.tail:
            yield self.line(line, ctx)

    def cover(self, document: Plan) -> Iterator[str]:
        ctx = _Context.for_language(document.language)
        # The masthead's paragraphs are shaded (their Word styles): one band of colour.
        for line in document.masthead:
            yield self.line(line, ctx)
        for index, line in enumerate(document.title_page):
            top = None
            if index == 0:
                measures = self.style.measures
                top = (
                    3 * measures["masthead_padding"] if document.masthead else measures["cover_top"]
                )
            yield self.line(line, ctx, space_before=top)
        if document.cover_picture is not None:
            article, image = document.cover_picture
            if image.picture is not None and image.picture.digest in self.pictures:
                picture_ctx = _Context.for_language(article.language)
                yield from self.picture(image, image.picture, article, picture_ctx)

    def contents(self, document: Plan, page_break: bool) -> Iterator[str]:
        ctx = _Context.for_language(document.language)
        yield self.line(document.contents_heading, ctx, page_break_before=page_break)
        for group in document.contents:
            if group.title:
                yield x.paragraph(x.run(group.title, ctx.rpr), style=self.ids["contents_section"])
            for row in group.rows:
                row_ctx = _Context.for_language(row.language)
                link = dataclasses.replace(row_ctx, char_style=self.ids["hyperlink"])
                title = x.hyperlink(x.run(row.title, link.rpr), anchor=_anchor(row.number))
                # The page the article starts on: a PAGEREF field to its bookmark, filled in
                # by Word (fields are updated on opening) and LibreOffice.
                page = x.simple_field(f"PAGEREF {_anchor(row.number)} \\h", "", row_ctx.rpr)
                yield x.paragraph(
                    f"{title}{x.run_tab(row_ctx.rpr)}{page}", style=self.ids["contents_title"]
                )
                yield x.paragraph(x.run(row.detail, row_ctx.rpr), style=self.ids["contents_detail"])
                if row.summary:
                    yield x.paragraph(
                        x.run(row.summary, row_ctx.rpr), style=self.ids["contents_summary"]
                    )


def _anchor(number: int) -> str:
    # Word bookmark names must start with a letter and hold no hyphen.
    return f"article_{number}"
