"""One table: where every article and collection field goes in every output format.

Each :class:`Row` names an IR field and its slots: DOCX core (``core:``) and custom
(``custom:``) properties, the PDF Info dictionary (``info:``), catalog (``catalog:``) and XMP
(``xmp:``), the EPUB package document (``opf:``) and each article's XHTML head (``xhtml:``).
A field with no slot in a format lives only in the IR embedded in the file (every briefkit
output carries it). Writers take their extension slots from this table, the mapping report
(``briefkit inspect --mapping``) reads slots back through it, and a test fails when an IR
field has no row.

Document-level slots (DOCX core, PDF Info, XMP ``dc:``, OPF) describe the whole file: the
article's fields when the file holds one article and no collection metadata, else the
collection's (:func:`document_properties`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import cache
from typing import Literal

from ..model import ir
from ..model.ir_json import when_to_iso
from ..model.version import __version__
from .words import words_for

PRODUCER = f"briefkit {__version__}"
"""What briefkit writes as the producing application."""

Scope = Literal["article", "collection"]


@dataclass(frozen=True)
class Row:
    """One IR field and the slots it fills in each format."""

    field: str
    """The field's name in :class:`~convert.model.ir.Meta` or
    :class:`~convert.model.ir.Collection`."""
    scope: Scope
    """``article`` (a Meta field) or ``collection`` (a Collection field)."""
    docx: tuple[str, ...] = ()
    """DOCX slots: ``core:NAME`` (core properties) and ``custom:NAME`` (custom properties)."""
    pdf: tuple[str, ...] = ()
    """PDF slots: ``info:Key``, ``catalog:Key`` and ``xmp:prefix:name``."""
    epub: tuple[str, ...] = ()
    """EPUB slots: ``opf:...`` in the package document, ``xhtml:NAME`` in the article head."""


# fmt: off
ROWS: tuple[Row, ...] = (
    # ---- article fields (document-level slots apply to a one-article file)
    Row("title", "article", ("core:title",), ("info:Title", "xmp:dc:title"),
        ("opf:dc:title", "xhtml:dcterms.title")),
    Row("subtitle", "article", ("custom:subtitle",), ("xmp:bk:subtitle",),
        ("xhtml:briefkit.subtitle",)),
    Row("original_title", "article", ("custom:original_title",), ("xmp:bk:originalTitle",),
        ("xhtml:briefkit.original_title",)),
    Row("section", "article", ("core:category", "custom:section"), ("xmp:bk:section",),
        ("xhtml:briefkit.section",)),
    Row("site", "article", ("custom:site",), ("xmp:bk:site",),
        ("opf:meta:belongs-to-collection", "xhtml:briefkit.site")),
    Row("source", "article", ("custom:source",), ("xmp:dc:publisher", "xmp:bk:source"),
        ("opf:dc:publisher", "xhtml:dcterms.publisher")),
    Row("published", "article", ("core:created", "custom:published", "custom:published_utc"),
        ("xmp:dc:date", "xmp:bk:published"), ("opf:dc:date", "xhtml:dcterms.issued")),
    Row("updated", "article", ("custom:updated", "custom:updated_utc"), ("xmp:bk:updated",),
        ("xhtml:dcterms.modified",)),
    Row("authors", "article", ("core:creator", "custom:authors"),
        ("info:Author", "xmp:dc:creator", "xmp:bk:authors"),
        ("opf:dc:creator", "xhtml:dcterms.creator")),
    Row("editors", "article", ("custom:editors",), ("xmp:bk:editors",),
        ("opf:dc:contributor", "xhtml:dcterms.contributor")),
    Row("language", "article", ("core:language",), ("catalog:Lang", "xmp:dc:language"),
        ("opf:dc:language", "xhtml:dcterms.language")),
    Row("url", "article", ("custom:url",), ("xmp:dc:source", "xmp:bk:url"),
        ("opf:dc:source", "xhtml:dcterms.source")),
    Row("identifier", "article", ("core:identifier",), ("xmp:dc:identifier",),
        ("opf:dc:identifier", "xhtml:dcterms.identifier")),
    Row("keywords", "article", ("core:keywords",), ("info:Keywords", "xmp:dc:subject"),
        ("opf:dc:subject", "xhtml:keywords")),
    Row("summary", "article", ("core:description", "custom:summary"),
        ("info:Subject", "xmp:dc:description", "xmp:bk:summary"),
        ("opf:dc:description", "xhtml:dcterms.abstract")),
    Row("byline", "article", ("custom:byline",), ("xmp:bk:byline",), ("xhtml:briefkit.byline",)),
    Row("dateline", "article", ("custom:dateline",), ("xmp:bk:dateline",),
        ("xhtml:briefkit.dateline",)),
    Row("rights", "article", ("custom:rights",), ("xmp:bk:rights",),
        ("opf:dc:rights", "xhtml:dcterms.rights")),
    Row("extra", "article", ("custom:extra.*",), ("xmp:bk:extra",), ("xhtml:briefkit.extra.*",)),
    # ---- collection fields (document-level slots apply to every other file)
    Row("title", "collection", ("core:title", "custom:collection_title"),
        ("info:Title", "xmp:dc:title"), ("opf:dc:title",)),
    Row("subtitle", "collection", ("custom:collection_subtitle",),
        ("info:Subject", "xmp:bk:collectionSubtitle"), ("opf:meta:briefkit:subtitle",)),
    Row("editors", "collection", ("custom:collection_editors",), ("xmp:bk:editors",),
        ("opf:dc:contributor",)),
    Row("publisher", "collection", ("custom:collection_publisher",), ("xmp:dc:publisher",),
        ("opf:dc:publisher",)),
    Row("date", "collection", ("core:created", "custom:collection_date",
                               "custom:collection_date_utc"),
        ("xmp:dc:date", "xmp:bk:collectionDate"), ("opf:dc:date",)),
    Row("identifier", "collection", ("core:identifier", "custom:collection_identifier"),
        ("xmp:dc:identifier",), ("opf:dc:identifier",)),
    Row("language", "collection", ("core:language", "custom:collection_language"),
        ("catalog:Lang", "xmp:dc:language"), ("opf:dc:language",)),
    Row("description", "collection", ("core:description", "custom:collection_description"),
        ("xmp:dc:description",), ("opf:dc:description",)),
    Row("issue", "collection", ("custom:collection_issue",), ("xmp:bk:issue",), ()),
    Row("marking", "collection", ("custom:collection_marking",), ("xmp:bk:marking",), ()),
    Row("sections", "collection", ("custom:collection_sections",), ("xmp:bk:sections",), ()),
)
# fmt: on

ARTICLE_ROWS = tuple(r for r in ROWS if r.scope == "article")
COLLECTION_ROWS = tuple(r for r in ROWS if r.scope == "collection")


@cache
def slots(
    scope: Scope, fmt: Literal["docx", "pdf", "epub"], prefix: str
) -> tuple[tuple[Row, str], ...]:
    """(row, slot name without ``prefix``) for every ``scope`` slot of ``fmt`` starting with
    ``prefix`` (cached: writers ask once per article)."""
    return tuple(
        (row, slot[len(prefix) :])
        for row in ROWS
        if row.scope == scope
        for slot in getattr(row, fmt)
        if slot.startswith(prefix)
    )


# --------------------------------------------------------------------------- values


def field_value(obj: ir.Meta | ir.Collection, name: str) -> str:
    """A field as one line of text: names joined by ``; ``, the section by `` > ``,
    keywords by ``, ``, times in ISO 8601 as the IR JSON prints them; empty when unset."""
    value = getattr(obj, name)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (datetime, date)):
        return when_to_iso(value) or ""
    if name == "extra":
        return "; ".join(f"{k}={v}" for k, v in value)
    if name == "sections":
        return "; ".join(f"{s.title} ({s.count})" for s in value)
    if name == "section":
        return " > ".join(value)
    if name == "keywords":
        return ", ".join(value)
    return "; ".join(value)


def is_list_field(obj: ir.Meta | ir.Collection, name: str) -> bool:
    """True for fields holding several values (names, keywords, section, extra)."""
    return isinstance(getattr(obj, name), tuple)


def iso_utc(value: datetime) -> str:
    """An aware datetime as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC: the one date form of every slot."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


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
    """``items`` without repeats or empties, first occurrence kept."""
    return tuple(dict.fromkeys(i for i in items if i))


def collection_language(collection: ir.Collection) -> str:
    """The collection's language, else its first article's, else ``en``."""
    if collection.language:
        return collection.language
    for article in collection.articles:
        if article.meta.language:
            return article.meta.language
    return "en"


def is_single_article(collection: ir.Collection) -> bool:
    """True when the file describes one article (its fields fill the document-level slots)."""
    return len(collection.articles) == 1 and not collection.has_metadata()


# --------------------------------------------------------------------------- document level


@dataclass(frozen=True)
class DocumentProperties:
    """The document-level slots, the same for every output format."""

    title: str
    """Title (DOCX core, PDF Info/XMP, OPF)."""
    creators: tuple[str, ...]
    """The reporters: who wrote the articles (DOCX author, PDF Author, dc:creator)."""
    contributors: tuple[str, ...]
    """The editors (dc:contributor with the MARC role ``edt``)."""
    subject: str
    """A one-line subject (DOCX subject, PDF Subject)."""
    keywords: tuple[str, ...]
    """Keywords or subjects."""
    description: str
    """A description (DOCX comments, dc:description)."""
    category: str
    """The sections (DOCX category)."""
    language: str
    """BCP 47 language tag."""
    identifier: str
    """A stable identifier, or empty (the EPUB writer derives one then)."""
    publisher: str
    """The outlet or issuing office."""
    sources: tuple[str, ...]
    """Where the articles came from: URLs, else source names (dc:source)."""
    rights: str
    """A rights statement (the first article's)."""
    series: str
    """What the file belongs to: the collection's title, or a lone article's site."""
    created: datetime | None
    """Publication (UTC): the article's, or the collection's date, else its newest article."""
    modified: datetime
    """The build time (``SOURCE_DATE_EPOCH`` when set)."""


def document_properties(collection: ir.Collection) -> DocumentProperties:
    """Title, creators, subject... for the whole output (one article or a collection)."""
    articles = collection.articles
    authors = unique([n for a in articles for n in a.meta.authors])
    sources = unique([a.meta.url or a.meta.source or "" for a in articles])
    rights = next((a.meta.rights for a in articles if a.meta.rights), "")
    if is_single_article(collection):
        meta = articles[0].meta
        return DocumentProperties(
            title=meta.title or "Untitled",
            creators=authors,
            contributors=meta.editors,
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
            sources=sources,
            rights=rights,
            series=meta.site or "",
            created=to_utc(meta.published, meta),
            modified=build_time(),
        )
    dates = [to_utc(a.meta.published, a.meta) for a in articles]
    known = [d for d in dates if d is not None]
    created = to_utc(collection.date) if collection.date else (max(known) if known else None)
    title = display_title(collection)
    return DocumentProperties(
        title=title,
        creators=authors,
        contributors=collection.editors,
        subject=collection.subtitle or collection.description or title,
        keywords=unique([k for a in articles for k in (*a.meta.keywords, *a.meta.section[-1:])]),
        description=collection.description or "",
        category=", ".join(unique([a.meta.section[-1] for a in articles if a.meta.section])),
        language=collection_language(collection),
        identifier=collection.identifier or "",
        publisher=collection.publisher or "",
        sources=sources,
        rights=rights,
        series=collection.title or "" if len(articles) > 1 else "",
        created=created,
        modified=build_time(),
    )


def display_title(collection: ir.Collection) -> str:
    """What to print as the document title: the collection's, or the only article's."""
    if collection.title:
        return collection.title
    if len(collection.articles) == 1:
        return collection.articles[0].meta.title or "Untitled"
    return words_for(collection_language(collection)).briefing


# --------------------------------------------------------------------------- extension slots


ExtensionValue = str | datetime | tuple[str, ...]


def extension_values(
    collection: ir.Collection, fmt: Literal["docx", "pdf"], prefix: str
) -> list[tuple[str, ExtensionValue]]:
    """(slot name, value) for a format's own extension slots (DOCX ``custom:``, XMP ``xmp:bk:``).

    Article slots are filled for a one-article file, collection slots otherwise (plus the
    article count). A slot named ``..._utc`` holds the time in UTC as a datetime; list fields
    give a tuple for XMP (an ``rdf:Seq``) and one joined line for DOCX; ``extra.*`` expands to
    one slot per key.
    """
    single = is_single_article(collection)
    out: list[tuple[str, ExtensionValue]] = []
    if single:
        meta = collection.articles[0].meta
        for row, name in slots("article", fmt, prefix):
            out.extend(_slot_values(meta, row.field, name, fmt, meta))
    else:
        for row, name in slots("collection", fmt, prefix):
            out.extend(_slot_values(collection, row.field, name, fmt, None))
        out.append(("article_count" if fmt == "docx" else "articleCount",
                    str(len(collection.articles))))  # fmt: skip
    return out


def _slot_values(
    obj: ir.Meta | ir.Collection, field: str, name: str, fmt: str, meta: ir.Meta | None
) -> list[tuple[str, ExtensionValue]]:
    if name.endswith(".*"):  # one slot per extra key
        pairs: tuple[tuple[str, str], ...] = getattr(obj, field)
        return [(f"{name[:-2]}.{key}", value) for key, value in pairs]
    if name.endswith("_utc"):
        utc = to_utc(getattr(obj, field), meta)
        return [(name, utc)] if utc is not None else []
    if fmt == "pdf" and is_list_field(obj, field):
        value: tuple[str, ...] = getattr(obj, field)
        if field == "extra":
            value = tuple(f"{k}={v}" for k, v in getattr(obj, field))
        elif field == "sections":
            value = tuple(f"{s.title} ({s.count})" for s in getattr(obj, field))
        return [(name, value)] if value else []
    text = field_value(obj, field)
    return [(name, text)] if text else []


def xhtml_meta(meta: ir.Meta) -> list[tuple[str, str]]:
    """(name, content) of the ``<meta>`` elements in an article's XHTML head, from the table.

    Names and keywords-like lists give one element per value (names) or one joined value.
    """
    out: list[tuple[str, str]] = []
    for row, name in slots("article", "epub", "xhtml:"):
        value = getattr(meta, row.field)
        if name.endswith(".*"):
            out += [(f"{name[:-2]}.{re.sub(r'[^A-Za-z0-9_.-]', '-', k)}", v) for k, v in value]
        elif row.field in ("authors", "editors"):
            out += [(name, v) for v in value]
        elif text := field_value(meta, row.field):
            out.append((name, text))
    return out
