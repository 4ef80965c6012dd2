"""One table: where every article and collection field goes in every output format.

Each :class:`Row` names an IR field and its slots: DOCX core (``core:``) and custom
(``custom:``) properties, the PDF Info dictionary (``info:``), catalog (``catalog:``) and XMP
(``xmp:``), the EPUB package document (``opf:``) and each article's XHTML head (``xhtml:``).
A row is the only place a slot is named: every writer fills its native slots by walking the
rows (:func:`slot_values`), the mapping report (``briefkit inspect --mapping``) reads slots
back through them, and a test fails when an IR field has no row or a file holds a field in a
slot its row does not name. A field with no slot in a format lives only in the IR embedded in
the file (every briefkit output carries it).

Document-level slots (DOCX core, PDF Info/XMP, OPF) describe the whole file: the article's
fields when the file holds one article and no collection metadata, else the collection's and,
for what a collection has no field of its own (reporters, keywords, sections, addresses,
rights), every article's gathered (``articles`` rows).
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

Scope = Literal["article", "collection", "articles"]
"""``article``: a Meta field; ``collection``: a Collection field; ``articles``: a Meta field
gathered from every article of a collection file (its document-level slots only)."""


@dataclass(frozen=True)
class Row:
    """One IR field and the slots it fills in each format."""

    field: str
    """The field's name in :class:`~convert.model.ir.Meta` or
    :class:`~convert.model.ir.Collection`."""
    scope: Scope
    """``article`` (a Meta field), ``collection`` (a Collection field) or ``articles`` (a Meta
    field gathered from every article of a collection file)."""
    docx: tuple[str, ...] = ()
    """DOCX slots: ``core:NAME`` (core properties) and ``custom:NAME`` (custom properties)."""
    pdf: tuple[str, ...] = ()
    """PDF slots: ``info:Key``, ``catalog:Key`` and ``xmp:prefix:name``."""
    epub: tuple[str, ...] = ()
    """EPUB slots: ``opf:dc:NAME`` (``opf:dc:title#subtitle``: a title refined as the
    subtitle) and ``opf:meta:PROPERTY`` in the package document, ``xhtml:NAME`` in the article
    head."""


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
    Row("keywords", "article", ("core:keywords",),
        ("info:Keywords", "xmp:dc:subject", "xmp:pdf:Keywords"),
        ("opf:dc:subject", "xhtml:keywords")),
    Row("summary", "article", ("core:subject", "core:description", "custom:summary"),
        ("info:Subject", "xmp:dc:description", "xmp:bk:summary"),
        ("opf:dc:description", "xhtml:dcterms.abstract")),
    Row("byline", "article", ("custom:byline",), ("xmp:bk:byline",), ("xhtml:briefkit.byline",)),
    Row("dateline", "article", ("custom:dateline",), ("xmp:bk:dateline",),
        ("xhtml:briefkit.dateline",)),
    Row("rights", "article", ("custom:rights",), ("xmp:dc:rights", "xmp:bk:rights"),
        ("opf:dc:rights", "xhtml:dcterms.rights")),
    Row("extra", "article", ("custom:extra.*",), ("xmp:bk:extra",), ("xhtml:briefkit.extra.*",)),
    # ---- collection fields (document-level slots apply to every other file)
    Row("title", "collection", ("core:title", "custom:collection_title"),
        ("info:Title", "xmp:dc:title"), ("opf:dc:title", "opf:meta:belongs-to-collection")),
    Row("subtitle", "collection", ("core:subject", "custom:collection_subtitle"),
        ("info:Subject", "xmp:bk:collectionSubtitle"), ("opf:dc:title#subtitle",)),
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
    # ---- article fields gathered for a collection file's document-level slots
    Row("authors", "articles", ("core:creator",), ("info:Author", "xmp:dc:creator"),
        ("opf:dc:creator",)),
    Row("keywords", "articles", ("core:keywords",),
        ("info:Keywords", "xmp:dc:subject", "xmp:pdf:Keywords"), ("opf:dc:subject",)),
    Row("section", "articles", ("core:category",), (), ()),
    Row("url", "articles", (), ("xmp:dc:source",), ("opf:dc:source",)),
    Row("rights", "articles", (), ("xmp:dc:rights",), ("opf:dc:rights",)),
)
# fmt: on

ARTICLE_ROWS = tuple(r for r in ROWS if r.scope == "article")
COLLECTION_ROWS = tuple(r for r in ROWS if r.scope == "collection")
GATHERED_ROWS = tuple(r for r in ROWS if r.scope == "articles")
ARTICLE_COUNT_SLOTS = {
    "docx": ("custom:article_count",),
    "pdf": ("xmp:bk:articleCount",),
    "epub": (),
}
"""Where a collection file records how many articles it holds (no IR field: it is counted)."""
EXTENSION_PREFIXES = ("custom:", "xmp:bk:", "xhtml:", "opf:meta:")
"""Slots holding a field as the IR has it (an unset title stays empty, a time as printed in
the IR JSON): briefkit's own and OPF ``meta`` properties. Every other slot is a standard one
that every reader shows: the title and language there are never empty, times are in UTC."""


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


def to_utc(value: ir.When, meta: ir.Meta | None = None) -> datetime:
    """``value`` as an aware UTC datetime (naive times use the article's offset, else UTC)."""
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


# --------------------------------------------------------------------------- slot values


SlotValue = str | datetime | tuple[str, ...]
"""A slot's value: one line of text, a UTC time, or several values (``several=True``)."""


def slot_texts(value: SlotValue) -> tuple[str, ...]:
    """A slot's value as the texts a writer puts in it: one, or several; times in ISO 8601
    UTC (:func:`iso_utc`)."""
    values = (value,) if isinstance(value, (str, datetime)) else value
    return tuple(iso_utc(v) if isinstance(v, datetime) else v for v in values)


def slot_values(
    collection: ir.Collection,
    fmt: Literal["docx", "pdf", "epub"],
    prefix: str,
    *,
    several: bool = False,
) -> list[tuple[str, SlotValue]]:
    """(slot name without ``prefix``, value) for every ``fmt`` slot starting with ``prefix``
    that the file fills, in the table's order: what a writer walks to fill its native slots.

    A one-article file fills the article rows, any other the collection and ``articles`` rows
    (and briefkit's own slots get the article count). Times are UTC datetimes in standard
    slots and in slots named ``..._utc``, else the IR's text. List fields give a tuple when
    the slot kind holds ``several`` values (an XMP array, repeated OPF elements), else one
    line joined as :func:`field_value` joins it; ``extra.*`` expands to one slot per key.
    """
    single = is_single_article(collection)
    out: list[tuple[str, SlotValue]] = []
    for scope in ("article",) if single else ("collection", "articles"):
        for row, name in slots(scope, fmt, prefix):
            standard = not (prefix + name).startswith(EXTENSION_PREFIXES)
            out += _fill(collection, row, name, standard=standard, several=several)
    for slot in () if single else ARTICLE_COUNT_SLOTS[fmt]:
        if slot.startswith(prefix):
            out.append((slot[len(prefix) :], str(len(collection.articles))))
    return out


def _fill(
    collection: ir.Collection, row: Row, name: str, *, standard: bool, several: bool
) -> list[tuple[str, SlotValue]]:
    if row.scope == "articles":
        gathered = gathered_values(collection, row.field)
        if not gathered:
            return []
        joiner = ", " if row.field in ("keywords", "section") else "; "
        return [(name, gathered if several else joiner.join(gathered))]
    meta = collection.articles[0].meta if row.scope == "article" else None
    obj: ir.Meta | ir.Collection = meta if meta is not None else collection
    if standard and row.field == "title":
        return [(name, display_title(collection))]
    if standard and row.field == "language":
        return [(name, collection_language(collection))]
    if name.endswith(".*"):  # one slot per extra key
        pairs: tuple[tuple[str, str], ...] = getattr(obj, row.field)
        return [(f"{name[:-2]}.{key}", value) for key, value in pairs]
    value = getattr(obj, row.field)
    if isinstance(value, (date, datetime)) and (standard or name.endswith("_utc")):
        return [(name, to_utc(value, meta))]
    if several and is_list_field(obj, row.field):
        if row.field == "extra":
            value = tuple(f"{k}={v}" for k, v in value)
        elif row.field == "sections":
            value = tuple(f"{s.title} ({s.count})" for s in value)
        return [(name, value)] if value else []
    text = field_value(obj, row.field)
    return [(name, text)] if text else []


def gathered_values(collection: ir.Collection, field: str) -> tuple[str, ...]:
    """An article field gathered from every article, without repeats (the ``articles`` rows):
    each article's reporters, keywords, rights and address, and the last part of its section."""
    values: list[str] = []
    for article in collection.articles:
        value = getattr(article.meta, field)
        if field == "section":
            values += value[-1:]
        elif isinstance(value, tuple):
            values += value
        elif value:
            values.append(value)
    return unique(values)


def display_title(collection: ir.Collection) -> str:
    """What to print as the document title: the collection's, or the only article's."""
    if collection.title:
        return collection.title
    if len(collection.articles) == 1:
        return collection.articles[0].meta.title or "Untitled"
    return words_for(collection_language(collection)).briefing


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
