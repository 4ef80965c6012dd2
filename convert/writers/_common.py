"""What every document writer shares: labels, date display, document-level properties.

Keeping this in one place means the DOCX, PDF and EPUB writers put the same metadata in the
same slots (title, creator, subject, keywords, created) and print the same meta line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .. import __version__, ir
from ..ir_json import when_to_iso
from ..styles import Style

PRODUCER = f"briefkit {__version__}"
SAFE_SCHEMES = ("http://", "https://", "mailto:")
"""The only link targets writers turn into live links (no javascript:, file:, data:...)."""


def is_safe_link(href: str) -> bool:
    """True for http, https and mailto targets."""
    return href.lower().startswith(SAFE_SCHEMES)


_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "original_title": "Original title",
        "reporters": "Reporters",
        "reporter": "Reporter",
        "editors": "Editors",
        "contents": "Contents",
        "articles": "articles",
        "article": "article",
        "title": "Title",
        "source": "Source",
        "date": "Date",
        "image": "Image",
        "briefing": "Briefing",
    },
    "zh": {
        "original_title": "原标题",
        "reporters": "记者",
        "reporter": "记者",
        "editors": "责编",
        "contents": "目录",
        "articles": "篇文章",
        "article": "篇文章",
        "title": "标题",
        "source": "来源",
        "date": "日期",
        "image": "图片",
        "briefing": "简报",
    },
}
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def base_language(tag: str | None) -> str:
    """The primary subtag, lower case (``zh-CN`` -> ``zh``); ``en`` when unknown."""
    return (tag or "en").split("-")[0].lower()


def is_cjk_language(tag: str | None) -> bool:
    """True for Chinese, Japanese and Korean tags."""
    return base_language(tag) in ("zh", "ja", "ko")


def has_cjk(text: str) -> bool:
    """True when ``text`` holds CJK characters."""
    return bool(_CJK.search(text))


def labels(tag: str | None) -> dict[str, str]:
    """Fixed words in the article's language (English unless Chinese)."""
    return _LABELS["zh" if base_language(tag) == "zh" else "en"]


def format_when(value: ir.When | None, tag: str | None) -> str:
    """A date or time for people: ``20 March 2021, 13:21`` or ``2021年3月20日 13:21``."""
    if value is None:
        return ""
    time = ""
    if isinstance(value, datetime):
        time = f"{value:%H:%M}"
        if value.tzinfo is not None:
            offset = value.strftime("%z")
            time += " UTC" if offset == "+0000" else f" UTC{offset[:3]}:{offset[3:]}"
    if base_language(tag) in ("zh", "ja"):
        day = f"{value.year}年{value.month}月{value.day}日"
        return f"{day} {time}".strip()
    day = f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
    return f"{day}, {time}" if time else day


def source_offset(meta: ir.Meta) -> timezone | None:
    """The UTC offset the article's naive times are in, when the reader knew it.

    Readers record it as ``extra["timezone"]`` (``+08:00``): People's Daily and Xinhua print
    Beijing time without saying so.
    """
    for key, value in meta.extra:
        match = re.fullmatch(r"([+-])(\d{2}):(\d{2})", value) if key == "timezone" else None
        if match:
            delta = timedelta(hours=int(match[2]), minutes=int(match[3]))
            return timezone(-delta if match[1] == "-" else delta)
    return None


def to_utc(value: ir.When | None, meta: ir.Meta | None = None) -> datetime | None:
    """``value`` as an aware UTC datetime (naive times use the article's offset, else UTC)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        offset = source_offset(meta) if meta is not None else None
        value = value.replace(tzinfo=offset or timezone.utc)
    return value.astimezone(timezone.utc)


def build_time() -> datetime:
    """The build's timestamp: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def unique(items: list[str]) -> tuple[str, ...]:
    """``items`` without repeats, first occurrence kept."""
    return tuple(dict.fromkeys(i for i in items if i))


def collection_language(collection: ir.Collection) -> str:
    """The collection's language, else its first article's, else ``en``."""
    if collection.language:
        return collection.language
    for article in collection.articles:
        if article.meta.language:
            return article.meta.language
    return "en"


def display_title(collection: ir.Collection) -> str:
    """What to print as the document title: the collection's, or the only article's."""
    if collection.title:
        return collection.title
    if len(collection.articles) == 1:
        return collection.articles[0].meta.title or "Untitled"
    return labels(collection_language(collection))["briefing"]


def clip_words(text: str, limit: int = 70) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-—") + "…"


def running_header(style: Style, collection: ir.Collection, article: ir.Article | None) -> str:
    """The style's header line for the whole output (titles clipped to fit one line)."""
    meta = article.meta if article is not None else None
    return style.header_text(
        collection_title=clip_words(display_title(collection)),
        article_title=clip_words(meta.title or "") if meta else "",
        section=meta.section[-1] if meta and meta.section else "",
        source=(meta.source or "") if meta else "",
    )


def article_title(article: ir.Article, number: int) -> str:
    """The article's title, or a numbered stand-in when it has none."""
    return article.meta.title or f"Article {number}"


def meta_line(meta: ir.Meta) -> str:
    """``source · published · Reporters: A, B`` in the article's language."""
    words = labels(meta.language)
    sep = "、" if base_language(meta.language) == "zh" else ", "
    parts = [meta.source or meta.site or "", format_when(meta.published, meta.language)]
    if meta.authors:
        key = "reporter" if len(meta.authors) == 1 else "reporters"
        colon = "：" if base_language(meta.language) == "zh" else ": "
        parts.append(f"{words[key]}{colon}{sep.join(meta.authors)}")
    return " · ".join(p for p in parts if p)


def editors_line(meta: ir.Meta) -> str:
    """``(Editors: A, B)`` / ``（责编：A、B）``, or empty."""
    if not meta.editors:
        return ""
    if base_language(meta.language) == "zh":
        return f"（{labels(meta.language)['editors']}：{'、'.join(meta.editors)}）"
    return f"({labels(meta.language)['editors']}: {', '.join(meta.editors)})"


def original_title_line(meta: ir.Meta) -> str:
    """``Original title: X`` when it differs from the title, else empty."""
    if not meta.original_title or meta.original_title == meta.title:
        return ""
    colon = "：" if base_language(meta.language) == "zh" else ": "
    return f"{labels(meta.language)['original_title']}{colon}{meta.original_title}"


@dataclass(frozen=True)
class DocumentProperties:
    """Document-level metadata, the same for every output format."""

    title: str
    creator: tuple[str, ...]
    subject: str
    keywords: tuple[str, ...]
    description: str
    category: str
    language: str
    identifier: str
    publisher: str
    created: datetime | None
    modified: datetime


def document_properties(collection: ir.Collection) -> DocumentProperties:
    """Title, creator, subject... for the whole output (one article or a collection)."""
    articles = collection.articles
    single = articles[0] if len(articles) == 1 and not collection.has_metadata() else None
    if single is not None:
        meta = single.meta
        return DocumentProperties(
            title=meta.title or "Untitled",
            creator=meta.authors,
            subject=meta.summary
            or meta.original_title
            or " > ".join(meta.section)
            or (meta.source or ""),
            keywords=meta.keywords or unique([*meta.section, meta.source or ""]),
            description=meta.summary or "",
            category=" > ".join(meta.section),
            language=meta.language or "en",
            identifier=meta.identifier or meta.url or "",
            publisher=meta.source or meta.site or "",
            created=to_utc(meta.published, meta),
            modified=build_time(),
        )
    dates = [to_utc(a.meta.published, a.meta) for a in articles]
    known = [d for d in dates if d is not None]
    created = to_utc(collection.date) if collection.date else (max(known) if known else None)
    return DocumentProperties(
        title=display_title(collection),
        creator=collection.editors or unique([n for a in articles for n in a.meta.authors]),
        subject=collection.subtitle or collection.description or display_title(collection),
        keywords=unique([k for a in articles for k in (*a.meta.keywords, *a.meta.section[-1:])]),
        description=collection.description or "",
        category=", ".join(unique([a.meta.section[-1] for a in articles if a.meta.section])),
        language=collection_language(collection),
        identifier=collection.identifier or "",
        publisher=collection.publisher or "",
        created=created,
        modified=build_time(),
    )


def extended_fields(meta: ir.Meta) -> list[tuple[str, str]]:
    """Article metadata that no format has a standard slot for, as (IR field name, text).

    Lists are joined ("A > B" for the section, "A; B" for names), times are given as the
    IR prints them, ``extra`` keys come last as ``extra.KEY``; empty fields are left out.
    Writers store these in their own extension (DOCX custom properties, PDF XMP), so a field
    added to the IR reaches every format from here.
    """
    pairs = [
        ("original_title", meta.original_title or ""),
        ("subtitle", meta.subtitle or ""),
        ("source", meta.source or ""),
        ("site", meta.site or ""),
        ("section", " > ".join(meta.section)),
        ("authors", "; ".join(meta.authors)),
        ("editors", "; ".join(meta.editors)),
        ("url", meta.url or ""),
        ("byline", meta.byline or ""),
        ("dateline", meta.dateline or ""),
        ("published", iso(meta.published)),
        ("updated", iso(meta.updated)),
        ("summary", meta.summary or ""),
        ("rights", meta.rights or ""),
        *((f"extra.{key}", value) for key, value in meta.extra),
    ]
    return [(name, value) for name, value in pairs if value]


def iso(value: ir.When | None) -> str:
    """ISO 8601 text as in the IR JSON (empty for None)."""
    return when_to_iso(value) or ""
