"""The document plan: what a briefing shows, decided once for every writer.

From a :class:`~convert.model.ir.Collection` and a :class:`~convert.plan.styles.Style`, :func:`plan`
decides the cover lines, the contents (grouped by section), each article's head and tail as
``(role, inlines)`` lines, the running header and footer texts and the words in the
document's language. Writers only map roles to their native styles (a Word paragraph style,
a reportlab ParagraphStyle, a CSS class) and walk the article bodies; none of them assembles
a title block, a facts line or a contents row of its own.

The roles (their typography is in the style's ``[roles]`` tables):

- article head: ``label``, ``breadcrumb``, ``title``, ``subtitle``, ``original_title``, ``meta``
- article tail: ``editors``, ``url``
- cover: ``cover_label``, ``cover_title``, ``cover_subtitle``, ``cover_meta``,
  ``cover_description``
- contents: ``contents_heading``, ``contents_section``, ``contents_title``, ``contents_detail``
- body: ``body``, ``heading1``-``heading3``, ``quote``, ``pull_quote``, ``list``, ``caption``,
  ``table_cell``; furniture: ``header``, ``footer``
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple
from urllib.parse import urlsplit

from ..model import ir
from ..model.ir_json import iso_to_when, when_to_iso
from .metadata import collection_language, display_title
from .styles import Style, fill_template
from .typography import typeset_blocks, typeset_inlines, typeset_text
from .words import Words, base_language, words_for

LINE_ROLES = (
    "label", "breadcrumb", "title", "subtitle", "original_title", "meta", "summary", "editors",
    "url", "cover_marking", "cover_label", "cover_title", "cover_subtitle", "cover_meta",
    "cover_description", "cover_sections", "masthead_publisher", "masthead_title",
    "masthead_issue", "contents_heading", "contents_section",
    "contents_title", "contents_detail", "contents_summary", "section_title", "section_intro",
)  # fmt: skip
"""The roles of the plan's lines (heads, tails, cover, contents); body blocks and page
furniture have the rest of :data:`convert.plan.styles.ROLES`."""

PULL_QUOTE_CLASSES = frozenset({"pull-quote", "pullquote"})
"""Div classes shown in the ``pull_quote`` role."""
QUOTE_CLASSES = frozenset({"quote", "blockquote"})
"""Div classes shown in the ``quote`` role."""

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def is_cjk_language(tag: str | None) -> bool:
    """True for Chinese, Japanese and Korean tags."""
    return base_language(tag) in ("zh", "ja", "ko")


RTL_LANGUAGES = frozenset(("ar", "fa", "ur", "he", "yi", "ps", "ckb", "dv", "ug", "sd", "syr"))
"""Languages written right to left."""


def direction_of(tag: str | None) -> str:
    """ "rtl" for languages written right to left, else "ltr"."""
    return "rtl" if base_language(tag) in RTL_LANGUAGES else "ltr"


def heading_role(level: int) -> str:
    """The role of a body heading (levels below 3 share ``heading3``)."""
    return f"heading{min(max(level, 1), 3)}"


def div_role(attr: ir.Attr, default: str) -> str:
    """The role a Div's blocks are shown in: a pull quote, a quote, or the surrounding role."""
    classes = set(attr.classes)
    if classes & PULL_QUOTE_CLASSES:
        return "pull_quote"
    if classes & QUOTE_CLASSES:
        return "quote"
    return default


def format_when(value: ir.When | None, tag: str | None) -> str:
    """A date or time for people: ``20 March 2021, 13:21`` or ``2021年3月20日 13:21``."""
    if value is None:
        return ""
    time = ""
    if isinstance(value, datetime):
        time = f"{value.hour:02d}:{value.minute:02d}"  # as %H:%M, without strftime
        if value.tzinfo is not None:
            offset = value.strftime("%z")
            time += " UTC" if offset == "+0000" else f" UTC{offset[:3]}:{offset[3:]}"
    if base_language(tag) in ("zh", "ja"):
        day = f"{value.year}年{value.month}月{value.day}日"
        return f"{day} {time}".strip()
    day = f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    return f"{day}, {time}" if time else day


def clip_words(text: str, limit: int = 70) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-—") + "…"


def image_stand_in(image: ir.Image, words: Words) -> str:
    """What is shown where a picture is not at hand: its description and the site it is
    on (``[Image: Boats at the quay · example.org]``), never a long address (the address
    stays the link, and in the IR)."""
    src = image.src or ""
    site = urlsplit(src).hostname if re.match(r"(?i)https?://", src) else None
    if site and site.startswith("www."):
        site = site[4:]
    described = " ".join(image.alt.split()) if image.alt else ""
    if described and site:
        return f"[{words.image}: {described} · {site}]"
    if described:
        return f"[{words.image}: {described}]"
    if site:
        return f"[{words.image} · {site}]"
    name = src.rsplit("/", 1)[-1]
    return f"[{words.image}: {name[:60] or src[:60]}]"


PICTURE_HEIGHT_SHARE = 0.6
"""The most of the text height a picture takes, leaving room for its caption on the page."""


def picture_size(picture: ir.Picture, style: Style) -> tuple[float, float]:
    """A picture's printed width and height in points, the same in every writer.

    A pixel is a point at most (small pictures stay small, never blown up into a blur);
    larger pictures shrink to the text width, and to 60 % of the text height so the caption
    stays on the same page.
    """
    text_w, text_h = (side / 25.4 * 72 for side in style.text_area_mm)
    scale = min(1.0, text_w / picture.width, text_h * PICTURE_HEIGHT_SHARE / picture.height)
    return picture.width * scale, picture.height * scale


def picture_description(image: ir.Image) -> str:
    """What describes a picture in words: its alt text, else its caption, else nothing."""
    return image.alt.strip() or ir.plain_text(image.caption).strip()


def picture_alt(image: ir.Image, words: Words) -> str:
    """A picture's description for screen readers: :func:`picture_description`, else the
    word for picture (never empty: an empty description reads as decoration)."""
    return picture_description(image) or words.image


# --------------------------------------------------------------------------- the plan


class Line(NamedTuple):
    """One line of a head, tail, cover or contents: a role and what it shows.

    (A named tuple: a thousand-article plan makes thousands of them.)
    """

    role: str
    """One of :data:`LINE_ROLES`."""
    content: tuple[ir.Inline, ...]
    """The inlines to show (links and date spans included)."""

    @property
    def text(self) -> str:
        """The line without markup."""
        return ir.plain_text(self.content)


def _line(role: str, text: str) -> Line:
    return Line(role, (ir.Text(text),))


@dataclass(frozen=True)
class ArticlePlan:
    """One article as every writer lays it out."""

    number: int
    """1-based position in the document."""
    anchor: str
    """Identifier of the article's start (bookmark, XHTML id, link target)."""
    title: str
    """The title as shown (a numbered stand-in when the article has none)."""
    language: str
    """The article's language, else the document's."""
    section: str
    """The innermost breadcrumb part, or empty."""
    words: Words
    """Fixed words in the article's language."""
    head: tuple[Line, ...]
    """Lines before the body: label, breadcrumb, title, subtitle, original title, meta line."""
    tail: tuple[Line, ...]
    """Lines after the body: editors, URL."""
    article: ir.Article
    """The article itself, as read."""
    body: tuple[ir.Block, ...] = ()
    """The body as rendered: the article's blocks with the style's typographic punctuation
    (:mod:`.typography`); the IR keeps the text as read."""
    smart_punctuation: bool = False
    """Whether the style's typographic punctuation is on (the contents entry follows)."""
    opens_section: ContentsGroup | None = None
    """The collection section this article opens (its divider comes first), else None."""

    def picture(self, image: ir.Image) -> tuple[ir.Picture, bytes] | None:
        """The image's checked picture and its bytes when they are at hand, else None (the
        writer then shows :func:`image_stand_in`)."""
        data = self.article.picture_data(image)
        return None if data is None or image.picture is None else (image.picture, data)

    @property
    def cjk(self) -> bool:
        """True when the article is in Chinese, Japanese or Korean."""
        return is_cjk_language(self.language)

    @property
    def direction(self) -> str:
        """ "rtl" when the article's language is written right to left, else "ltr"."""
        return direction_of(self.language)


@dataclass(frozen=True)
class ContentsRow:
    """One entry of the contents: the linked title and a source/date line."""

    number: int
    """The article's position (its page number is looked up by the writer)."""
    anchor: str
    """The article's anchor, the link target."""
    title: str
    """The article title as shown."""
    detail: str
    """``source · date``, or empty."""
    language: str
    """The article's language."""
    summary: str = ""
    """The article's summary when the style shows summaries in the contents, else empty."""


@dataclass(frozen=True)
class ContentsGroup:
    """One section's articles: the collection's own sections, else consecutive articles of
    one breadcrumb section (``title`` empty when nothing has sections)."""

    title: str
    """The section's name, or empty."""
    rows: tuple[ContentsRow, ...]
    """Its articles, in document order."""
    intro: str = ""
    """The section's introductory paragraph, or empty."""
    number: int = 0
    """1-based position among the collection's own sections (0: a breadcrumb group)."""

    @property
    def anchor(self) -> str:
        """Identifier of the section's divider (collection sections only)."""
        return f"section-{self.number}"


@dataclass(frozen=True)
class Plan:
    """A whole document, writer-neutral."""

    title: str
    """The document title as shown."""
    language: str
    """The document's language."""
    words: Words
    """Fixed words in the document's language."""
    title_page: tuple[Line, ...]
    """The cover lines: marking, label, title (without a masthead), subtitle, date and count,
    editors, description, the sections with their article counts."""
    has_cover: bool
    """True when a paged writer prints :attr:`title_page` as a cover page (collections only;
    an EPUB always opens on its title page)."""
    contents_heading: Line
    """The contents page's heading."""
    contents: tuple[ContentsGroup, ...]
    """The contents groups (an EPUB's nav, and the contents page when :attr:`has_contents`)."""
    has_contents: bool
    """True when a paged writer prints a contents page (collections only)."""
    articles: tuple[ArticlePlan, ...]
    """Every article, in document order."""
    page_breaks: bool
    """True when each article starts a new page; False when articles run on."""
    footer: str
    """The footer template; ``{page}`` and ``{pages}`` are left for the writer."""
    header_template: str
    """The style's header template (see :meth:`header`)."""

    marking: str = ""
    """The collection's handling marking, on the cover and every page, or empty."""
    cover_picture: tuple[ArticlePlan, ir.Image] | None = None
    """The picture on the cover (the first article's first picture at hand, when the style's
    ``layout.cover_picture`` asks for one) and the article it comes from."""
    masthead: tuple[Line, ...] = ()
    """The cover's masthead band, above :attr:`title_page`: publisher, title, issue and date
    (empty unless the style's ``layout.cover_masthead``)."""
    has_sections: bool = False
    """True when the collection has sections of its own: dividers in the body, a second
    outline level."""

    @property
    def several(self) -> bool:
        """True for a document of more than one article."""
        return len(self.articles) > 1

    def footer_template(self) -> str:
        """The footer with the marking in place; ``{page}`` and ``{pages}`` are left for the
        writer (DOCX fields, or :meth:`footer_text`)."""
        marking = self.marking.replace("{", "{{").replace("}", "}}")
        template = self.footer.replace("{marking}", marking)
        if marking and "{marking}" not in self.footer:
            template = f"{marking} · {template}" if template else marking
        return template

    def footer_text(self, page: int, pages: int) -> str:
        """The footer of one page."""
        return _fill(self.footer_template(), page=str(page), pages=str(pages))

    def _marked(self, template: str, text: str) -> str:
        if not self.marking or "{marking}" in template:
            return text
        return f"{self.marking} · {text}" if text else self.marking

    def header(self, article: ArticlePlan | None) -> str:
        """The running header for a page of ``article`` (None: the document's own header).

        A one-article document always uses its article.
        """
        if article is None and not self.several and self.articles:
            article = self.articles[0]
        text = _fill(
            self.header_template,
            collection_title=clip_words(self.title),
            article_title=clip_words(article.title) if article else "",
            section=article.section if article else "",
            source=(article.article.meta.source or "") if article else "",
            marking=self.marking,
        )
        return self._marked(self.header_template, text)


def _fill(template: str, **values: str) -> str:
    return fill_template(template, values)


UPDATED_FROM = "updated_from_edition"
"""The ``extra`` key an edition sets on an article printed again because its text changed:
the earlier edition's number as printed."""


ALSO_REPORTED = "also_reported_by"
"""The ``extra`` key set on the article printed for a story several sources reported: a
JSON list of the others, each ``{"source": ..., "published": ISO time or null, "title": ...,
"url": ...}`` (see :mod:`convert.app.stories`)."""


def also_reported(article: ir.Article, words: Words) -> str:
    """``Also reported by: Source A (time), Source B`` for a grouped story, else ``""``."""
    value = dict(article.meta.extra).get(ALSO_REPORTED)
    if not value:
        return ""
    names = []
    try:  # an IR file from elsewhere may hold anything under this key
        others = json.loads(value)
    except ValueError:
        return ""
    for other in others if isinstance(others, list) else ():
        if not isinstance(other, dict) or not isinstance(other.get("source"), str):
            continue
        try:
            when = iso_to_when(other.get("published") or None)
        except (TypeError, ValueError):
            when = None
        shown = format_when(when, article.meta.language)
        open_, close = words.brackets
        names.append(f"{other['source']}{open_}{shown}{close}" if shown else other["source"])
    if not names:
        return ""
    return words.also_reported.format(sources=words.names(tuple(names)))


SUMMARY_SHOWN = 2_000
"""The most of a summary printed (under the head, in the contents), in characters: a longer
one is cut at a word and ends in an ellipsis; the IR and the metadata keep it whole."""


def shown_summary(summary: str) -> str:
    """``summary`` as printed: whole, or cut to about :data:`SUMMARY_SHOWN` characters."""
    if len(summary) <= SUMMARY_SHOWN:
        return summary
    cut = summary[:SUMMARY_SHOWN]
    space = cut.rfind(" ")
    return (cut[:space] if space > SUMMARY_SHOWN // 2 else cut).rstrip() + "…"


def _opens_the_body(article: ir.Article) -> bool:
    """True for a summary made from the body's first sentences: printed above a body that
    begins with the same words, it would be read twice (it stays in the contents)."""
    if dict(article.meta.extra).get("summary_origin") != "generated":
        return False
    summary = " ".join((article.meta.summary or "").removesuffix("…").split())
    body = " ".join(ir.plain_text(article.blocks).split())
    return bool(summary) and body.startswith(summary)


def article_head(article: ir.Article, number: int, style: Style, fallback: str) -> ArticlePlan:
    """Plan one article: its head and tail lines in its own language."""
    meta = article.meta
    language = meta.language or fallback
    words = words_for(language)
    title = meta.title or words.untitled.format(number=number)
    head: list[Line] = []
    if style.label:
        head.append(_line("label", style.label))
    if meta.section:
        head.append(_line("breadcrumb", " › ".join(meta.section)))
    head.append(_line("title", title))
    if meta.subtitle:
        head.append(_line("subtitle", meta.subtitle))
    if meta.original_title and meta.original_title != meta.title:
        head.append(
            _line("original_title", words.labelled(words.original_title, meta.original_title))
        )
    facts: list[ir.Inline] = []
    for part in _facts(meta, words):
        pieces = [ir.Text(" · "), part] if facts else [part]
        for piece in pieces:
            # Neighbouring texts become one run (fewer runs for every writer to emit).
            if facts and isinstance(piece, ir.Text) and isinstance(facts[-1], ir.Text):
                facts[-1] = ir.Text(facts[-1].text + piece.text)
            else:
                facts.append(piece)
    if facts:
        head.append(Line("meta", tuple(facts)))
    updated_from = dict(meta.extra).get(UPDATED_FROM)
    if updated_from:  # printed again by an edition because its text changed
        head.append(_line("meta", words.updated.format(edition=updated_from)))
    others = also_reported(article, words)
    if others:
        head.append(_line("meta", others))
    if meta.summary and not _opens_the_body(article):
        head.append(_line("summary", shown_summary(meta.summary)))
    tail: list[Line] = []
    if meta.editors:
        shown = words.labelled(words.editors, words.names(meta.editors))
        tail.append(_line("editors", words.bracketed(shown)))
    if meta.url:
        tail.append(Line("url", (ir.Link(meta.url, (ir.Text(meta.url),)),)))
    body = article.blocks
    if style.typography.get("smart_punctuation"):
        head = [_typeset(line, language) for line in head]
        tail = [_typeset(line, language) for line in tail]
        body = typeset_blocks(body, language)
    return ArticlePlan(
        number=number,
        anchor=f"article-{number}",
        title=title,
        language=language,
        section=meta.section[-1] if meta.section else "",
        words=words,
        head=tuple(head),
        tail=tuple(tail),
        article=article,
        body=body,
        smart_punctuation=bool(style.typography.get("smart_punctuation")),
    )


def _typeset(line: Line, language: str) -> Line:
    if line.role == "url":
        return line
    content = typeset_inlines(line.content, language)
    return line if content == line.content else Line(line.role, content)


def _facts(meta: ir.Meta, words: Words) -> list[ir.Inline]:
    """The meta line's parts: source, publication time (a dated span), reporters."""
    parts: list[ir.Inline] = []
    if meta.source or meta.site:
        parts.append(ir.Text(meta.source or meta.site or ""))
    if meta.published is not None:
        attr = ir.Attr(
            classes=("published",), attributes=(("datetime", when_to_iso(meta.published) or ""),)
        )
        parts.append(ir.Span(attr, (ir.Text(format_when(meta.published, meta.language)),)))
    if meta.authors:
        label = words.reporter if len(meta.authors) == 1 else words.reporters
        parts.append(ir.Text(words.labelled(label, words.names(meta.authors))))
    return parts


def plan(collection: ir.Collection, style: Style) -> Plan:
    """The document plan for ``collection`` in ``style``."""
    language = collection_language(collection)
    words = words_for(language)
    title = display_title(collection)
    articles = tuple(
        article_head(article, number, style, language)
        for number, article in enumerate(collection.articles, start=1)
    )
    several = len(articles) > 1
    summaries = bool(style.layout["contents_summaries"])
    if collection.sections:
        groups = _typeset_groups(section_groups(collection, articles, summaries), style, language)
        first = {g.rows[0].number: g for g in groups if g.rows}
        articles = tuple(
            dataclasses.replace(a, opens_section=first.get(a.number)) for a in articles
        )
    else:
        groups = _typeset_groups(contents_groups(articles, summaries), style, language)
    masthead, cover = _cover(collection, style, title, words, language)
    if style.typography.get("smart_punctuation"):
        masthead = tuple(_typeset(line, language) for line in masthead)
        cover = tuple(_typeset(line, language) for line in cover)
    return Plan(
        title=title,
        language=language,
        words=words,
        title_page=cover,
        masthead=masthead,
        cover_picture=_lead_picture(articles) if style.layout.get("cover_picture") else None,
        has_cover=several and style.layout["cover"],
        contents_heading=_line("contents_heading", words.contents),
        contents=groups,
        has_contents=several and style.layout["contents"],
        articles=articles,
        page_breaks=style.layout["article_break"] == "page",
        footer=style.footer.replace("{page_of_pages}", words.page_of_pages),
        header_template=style.header,
        marking=collection.marking or "",
        has_sections=bool(collection.sections),
    )


def _lead_picture(articles: tuple[ArticlePlan, ...]) -> tuple[ArticlePlan, ir.Image] | None:
    """The first picture at hand in the articles' bodies, in reading order."""
    for article in articles:
        for block in ir.walk_blocks(article.body):
            if isinstance(block, ir.Image) and article.picture(block) is not None:
                return article, block
    return None


def _typeset_groups(
    groups: tuple[ContentsGroup, ...], style: Style, language: str
) -> tuple[ContentsGroup, ...]:
    """Section names and introductions with the style's typographic punctuation."""
    if not style.typography.get("smart_punctuation"):
        return groups
    return tuple(
        dataclasses.replace(
            group,
            title=typeset_text(group.title, language),
            intro=typeset_text(group.intro, language),
        )
        for group in groups
    )


def _cover(
    collection: ir.Collection, style: Style, title: str, words: Words, language: str
) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    """The cover: its masthead band (publisher, title, issue and date; empty unless the
    style's ``layout.cover_masthead``) and the lines below it."""
    masthead: list[Line] = []
    lines: list[Line] = []
    date = format_when(collection.date, language)
    if style.layout.get("cover_masthead"):
        if collection.publisher:
            masthead.append(_line("masthead_publisher", collection.publisher))
        masthead.append(_line("masthead_title", title))
        issue = " · ".join(f for f in (collection.issue or "", date) if f)
        if issue:
            masthead.append(_line("masthead_issue", issue))
    if collection.marking:
        lines.append(_line("cover_marking", collection.marking))
    if style.label:
        lines.append(_line("cover_label", style.label))
    if not masthead:
        lines.append(_line("cover_title", title))
    if collection.subtitle:
        lines.append(_line("cover_subtitle", collection.subtitle))
    if masthead:
        facts = [words.count(len(collection.articles))]
    else:
        facts = [
            collection.issue or "", date, words.count(len(collection.articles)),
            collection.publisher or "",
        ]  # fmt: skip
    lines.append(_line("cover_meta", " · ".join(f for f in facts if f)))
    if collection.editors:
        lines.append(_line("cover_meta", words.names(collection.editors)))
    if collection.description:
        lines.append(_line("cover_description", collection.description))
    # the sections, each with its number of articles
    for section in collection.sections:
        if section.title and section.count:
            lines.append(_line("cover_sections", f"{section.title} — {words.count(section.count)}"))
    return tuple(masthead), tuple(lines)


def _row(article: ArticlePlan, summaries: bool) -> ContentsRow:
    meta = article.article.meta
    others = also_reported(article.article, article.words)
    detail = " · ".join(
        p
        for p in (
            meta.source or meta.site or "",
            format_when(meta.published, meta.language),
            others,
        )
        if p
    )
    summary = shown_summary(meta.summary or "") if summaries else ""
    title = article.title
    if article.smart_punctuation:  # the entry reads as the head does
        title = typeset_text(title, article.language)
        summary = typeset_text(summary, article.language)
    return ContentsRow(article.number, article.anchor, title, detail, article.language,
                       summary)  # fmt: skip


def section_groups(
    collection: ir.Collection, articles: tuple[ArticlePlan, ...], summaries: bool
) -> tuple[ContentsGroup, ...]:
    """The collection's own sections as contents groups (empty sections left out)."""
    groups, start = [], 0
    for number, (section, members) in enumerate(ir.section_spans(collection), start=1):
        rows = tuple(_row(a, summaries) for a in articles[start : start + len(members)])
        start += len(members)
        if rows:
            groups.append(ContentsGroup(section.title, rows, section.intro or "", number))
    return tuple(groups)


def contents_groups(
    articles: tuple[ArticlePlan, ...], summaries: bool
) -> tuple[ContentsGroup, ...]:
    """Rows grouped by breadcrumb section: consecutive articles of one section share a group.

    Document order is kept (a section that comes back starts a new group); without any
    section there is one untitled group.
    """
    sectioned = any(a.section for a in articles)
    groups: list[tuple[str, list[ContentsRow]]] = []
    for article in articles:
        row = _row(article, summaries)
        name = (article.section or article.words.briefing) if sectioned else ""
        if groups and groups[-1][0] == name:
            groups[-1][1].append(row)
        else:
            groups.append((name, [row]))
    return tuple(ContentsGroup(name, tuple(rows)) for name, rows in groups)
