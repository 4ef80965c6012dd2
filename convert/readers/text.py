"""Reader ``text``: a plain-text article copied from a news site, in English or Chinese.

The layout it knows (People's Daily, Xinhua and their English editions)::

    CPC News Network >> Leadership activities          breadcrumb   -> section, site
    Chen Yiqin: Strive to ...                          title
    At 13:21 on March 20, 2021 Source: Guizhou Daily   time/source  -> published, source
    Original title: ...                                             -> original_title
    News from our newspaper (reporter Xu Shaoting) On March 19 ...  -> byline, authors
    ...body paragraphs...
    (Editor in charge: Cao Miao, Xie Lei)                           -> editors
    WeChat "Scan" adds ...                             boilerplate  -> dropped

A text without these cues still reads: first line the title, the rest paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from ..model import ir
from ._bylines import Credits, end_byline
from ._decode import decode_text
from ._language import identify
from ._news_cues import (
    BEIJING_LAYOUTS,
    BOILERPLATE,
    BREADCRUMB,
    BY_LINE,
    EDITOR_LINE,
    EN_BYLINE,
    GENERIC_LEADS,
    ORIGINAL_TITLE,
    SENTENCE_END,
    SOURCE_LINE,
    ZH_BYLINE,
    parse_date_line,
    split_names,
    wire_dateline,
)


def _is_cjk(text: str) -> bool:
    return bool(re.search(r"[\u3400-\u9fff]", text))


def _join_wrapped(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines of one blank-line-separated block into paragraphs.

    A line break counts as a soft wrap when the line is short enough to have been wrapped
    (at most 100 characters) and does not end a sentence; otherwise it ends a paragraph.
    """
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if current:
            glue = "" if _is_cjk(current[-1:]) or _is_cjk(line[:1]) else " "
            current = current + glue + line
        else:
            current = line
        if len(line) > 100 or line.endswith(SENTENCE_END):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


# --------------------------------------------------------------------------- the parse


@dataclass
class _Found:
    """Metadata collected while scanning; becomes an ir.Meta at the end."""

    title: str | None = None
    original_title: str | None = None
    section: tuple[str, ...] = ()
    site: str | None = None
    source: str | None = None
    published: datetime | date | None = None
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    byline: str | None = None
    dateline: str | None = None
    extra: list[tuple[str, str]] = field(default_factory=list)
    layout: int | None = None
    """Which date-line layout gave the publication time."""


_CHINESE_OUTLET = re.compile(
    r"xinhua|people'?s daily|people\.cn|cpc news|china|chinese|cgtn|global times|guangming"
    r"|[\u4e00-\u9fff]",
    re.IGNORECASE,
)
"""What names an outlet in China: its name, or Chinese characters."""


def _beijing_time(found: _Found) -> bool:
    """True when the time printed is Beijing time though it does not say so: a People's
    Daily or Xinhua layout, and the page names an outlet in China (the same layouts from
    other papers are left as printed)."""
    if found.layout not in BEIJING_LAYOUTS or not isinstance(found.published, datetime):
        return False
    if found.layout == 3:  # 2021年03月20日13:21: the Chinese layout itself
        return True
    named = " ".join(filter(None, (found.source, found.site, *found.section)))
    return _CHINESE_OUTLET.search(named) is not None


def _header_cue(line: str, found: _Found) -> bool:
    """Take ``line`` into ``found`` if it is a header cue; return whether it was one."""
    parsed = parse_date_line(line)
    if parsed is not None and found.published is None:
        found.published, source, layout = parsed
        if source:
            found.source = source
        found.layout = layout
        return True
    match = SOURCE_LINE.match(line)
    if match and found.source is None:
        found.source = match["source"]
        return True
    match = ORIGINAL_TITLE.match(line)
    if match and found.original_title is None:
        found.original_title = match["title"]
        return True
    match = BY_LINE.match(line)
    if match and not found.authors:
        found.byline = line
        found.authors = split_names(match["names"])
        return True
    return False


def _take_byline(paragraph: str, found: _Found) -> str:
    """Move a leading byline (and dateline) of ``paragraph`` into ``found``; return the rest."""
    wire = wire_dateline(paragraph)
    if wire is not None:
        found.dateline, agency, start = wire
        if agency and found.source is None:
            found.source = agency
        return paragraph[start:]
    match = ZH_BYLINE.match(paragraph) or EN_BYLINE.match(paragraph)
    if not match or found.authors:
        return paragraph
    names = split_names(match["names"])
    if not names:
        return paragraph
    found.byline = match.group(0).strip()
    found.authors = names
    lead = match["lead"].strip(" ,，")
    if lead and lead.lower() not in GENERIC_LEADS:
        found.dateline = lead
    return paragraph[match.end() :]


def parse_article(text: str) -> ir.Article:
    """Parse decoded text into an article (see the module docstring for the layout)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    # Every kind of space goes from a line's ends: ideographic indents, no-break and em
    # spaces of web pages, a form feed between pages.
    lines = [(number, raw.strip()) for number, raw in enumerate(text.split("\n"), 1)]
    found = _Found()
    dropped: list[ir.Dropped] = []
    nonblank = [i for i, (_, line) in enumerate(lines) if line]

    # Header: breadcrumb, title, then any run of cue lines.
    position = 0
    if nonblank:
        first = lines[nonblank[0]][1]
        parts = [p.strip() for p in BREADCRUMB.split(first)]
        if len(parts) > 1 and all(parts) and all(len(p) <= 60 for p in parts):
            found.section = tuple(parts)
            found.site = parts[0]
            position = 1
    while position < len(nonblank):
        line = lines[nonblank[position]][1]
        if found.title is None and not _header_cue(line, found):
            found.title = line
        elif found.title is not None and not _header_cue(line, found):
            break
        position += 1
    body_start = nonblank[position] if position < len(nonblank) else len(lines)

    # Body: an editor line ends it; what follows the editor line is page furniture.
    body: list[tuple[int, str] | None] = []  # None marks a blank line
    after_editors = False
    for number, line in lines[body_start:]:
        match = EDITOR_LINE.match(line) if line else None
        if not line:
            body.append(None)
        elif match and not after_editors:
            found.editors = split_names(match["a"] or match["b"])
            after_editors = True
        elif after_editors:
            reason = (
                "share boilerplate"
                if BOILERPLATE.search(line)
                else "page text after the editor line"
            )
            dropped.append(ir.Dropped(line, reason, number))
        elif (match := ORIGINAL_TITLE.match(line)) and found.original_title is None:
            found.original_title = match["title"]
        else:
            body.append((number, line))

    # Trailing share buttons when there was no editor line to mark the end.
    while body and not after_editors:
        last = body[-1]
        if last is not None:
            if not (BOILERPLATE.search(last[1]) and len(last[1]) <= 80):
                break
            dropped.append(ir.Dropped(last[1], "share boilerplate", last[0]))
        body.pop()

    paragraphs: list[str] = []
    run: list[str] = []
    for entry in [*body, None]:
        if entry is None:
            paragraphs.extend(_join_wrapped(run))
            run = []
        else:
            run.append(entry[1])
    if paragraphs:
        rest = _take_byline(paragraphs[0], found).strip()
        paragraphs = ([rest] if rest else []) + paragraphs[1:]
    if len(paragraphs) > 1 and not found.authors:
        # a byline printed as the last paragraph: "(Lan Anh)", "— Maria Rossi"
        sites = [found.source] if found.source else []
        names = end_byline(paragraphs[-1], bold=False, site_names=sites)
        if names is not None:
            credits = Credits()
            credits.add_byline(names, sites)
            # "(The Daily and AFP)": the paper and an agency, no person: no author, the
            # agency is the source.
            paper_and_agency = bool(credits.organisations and credits.agencies)
            if credits.people or paper_and_agency:
                found.byline = paragraphs.pop().strip()
                found.authors = tuple(credits.people)
                if credits.agencies and found.source is None:
                    found.source = " / ".join(credits.agencies)

    if _beijing_time(found):
        found.extra.append(("timezone", "+08:00"))
    meta = ir.Meta(
        title=found.title,
        original_title=found.original_title,
        section=found.section,
        site=found.site,
        source=found.source,
        published=found.published,
        authors=found.authors,
        editors=found.editors,
        language=identify(text),
        byline=found.byline,
        dateline=found.dateline,
        extra=tuple(found.extra),
    )
    dropped.sort(key=lambda d: d.line or 0)
    return ir.Article(
        meta=meta, blocks=tuple(ir.paragraph(p) for p in paragraphs), dropped=tuple(dropped)
    )


def read(data: bytes, *, name: str) -> ir.Collection:
    """Read one plain-text article from ``data`` (``name`` is used in error messages).

    The article comes out clean (see :func:`convert.model.ir.clean_article`): the registry says
    so, and the library does not walk it again.
    """
    text = decode_text(data)
    article = parse_article(text)
    # Every string of the article is a piece of the text (its line ends made "\n") or a
    # fixed string of this reader: when the whole text is clean, so is every piece, and one
    # check of the text replaces a walk over every node of the article.
    if not ir.is_clean_text(text.replace("\r", "")):
        article = ir.clean_article(article)
    return ir.Collection(articles=(article,))
