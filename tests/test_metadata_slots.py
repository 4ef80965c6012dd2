"""The metadata table is what the writers write, both ways.

An article and a collection with every field set, each value carrying a marker of its own
field, are written to DOCX, PDF and EPUB. Every native metadata slot is read back with
third-party tools (python-docx and lxml for the DOCX core, app and custom parts; pikepdf for
the PDF Info dictionary, catalog and XMP; ebooklib and lxml for the EPUB package and article
heads) and the markers found in each slot must be exactly those of the fields whose rows
name it: a slot a row names holds its field, and no slot outside the table carries one.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree

import convert
from convert.model import ir
from convert.plan import metadata

# Times are the one value without room for a marker: each field has its own day.
DAYS = {
    ("a1", "published"): datetime(2011, 1, 2, 12, tzinfo=timezone.utc),
    ("a1", "updated"): datetime(2012, 2, 3, 12, tzinfo=timezone.utc),
    ("a2", "published"): datetime(2014, 5, 6, 12, tzinfo=timezone.utc),
    ("a2", "updated"): datetime(2015, 6, 7, 12, tzinfo=timezone.utc),
    ("c", "date"): datetime(2013, 4, 5, 12, tzinfo=timezone.utc),
}
LANGUAGES = {"a1": "de-CH", "a2": "fr-CA", "c": "pt-BR"}
BUILD_EPOCH = "1600000000"  # 2020-09-13: the build time carries no field


def marker(owner: str, field: str) -> str:
    """What shows that a slot holds ``owner``'s ``field``."""
    if (owner, field) in DAYS:
        return DAYS[owner, field].strftime("%Y-%m-%d")
    if field == "language":
        return LANGUAGES[owner]
    return f"X{owner}{field.replace('_', '')}X"


def _meta(owner: str) -> ir.Meta:
    def one(field: str) -> str:
        return f"{marker(owner, field)} text"

    def two(field: str) -> tuple[str, str]:
        return (f"{marker(owner, field)} one", f"{marker(owner, field)} two")

    return ir.Meta(
        title=one("title"),
        subtitle=one("subtitle"),
        original_title=one("original_title"),
        section=two("section"),
        site=one("site"),
        source=one("source"),
        published=DAYS[owner, "published"],
        updated=DAYS[owner, "updated"],
        authors=two("authors"),
        editors=two("editors"),
        language=LANGUAGES[owner],
        url=f"https://example.org/{marker(owner, 'url')}",
        identifier=f"urn:test:{marker(owner, 'identifier')}",
        keywords=two("keywords"),
        summary=one("summary"),
        byline=one("byline"),
        dateline=one("dateline"),
        rights=one("rights"),
        extra=(("desk", marker(owner, "extra")),),
    )


def _article(owner: str) -> ir.Article:
    return ir.Article(meta=_meta(owner), blocks=(ir.Paragraph(content=(ir.Text("Body."),)),))


def every_field_article() -> ir.Collection:
    return ir.Collection(articles=(_article("a1"),))


def every_field_collection() -> ir.Collection:
    return ir.Collection(
        title=f"{marker('c', 'title')} text",
        subtitle=f"{marker('c', 'subtitle')} text",
        editors=(f"{marker('c', 'editors')} one", f"{marker('c', 'editors')} two"),
        publisher=f"{marker('c', 'publisher')} text",
        date=DAYS["c", "date"],
        identifier=f"urn:test:{marker('c', 'identifier')}",
        language=LANGUAGES["c"],
        description=f"{marker('c', 'description')} text",
        issue=f"{marker('c', 'issue')} 12",
        marking=f"{marker('c', 'marking')} text",
        sections=(
            ir.Section(title=f"{marker('c', 'sections')} one", count=1),
            ir.Section(title=f"{marker('c', 'sections')} two", count=1),
        ),
        articles=(_article("a1"), _article("a2")),
    )


# --------------------------------------------------------------------------- reading slots

DC = "http://purl.org/dc/elements/1.1/"
_XMP_PREFIXES = {
    DC: "dc",
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://ns.adobe.com/pdf/1.3/": "pdf",
    "http://www.aiim.org/pdfua/ns/id/": "pdfuaid",
    "urn:briefkit:xmp:1": "bk",
}
# python-docx's core property names and the table's.
_CORE = {"author": "creator", "comments": "description", "last_modified_by": "lastModifiedBy",
         "last_printed": "lastPrinted", "content_status": "contentStatus"}  # fmt: skip
_CORE_PROPERTIES = ("author", "category", "comments", "content_status", "created", "identifier",
                    "keywords", "language", "last_modified_by", "last_printed", "modified",
                    "revision", "subject", "title", "version")  # fmt: skip


def docx_slots(path: Path) -> Iterator[tuple[str, str]]:
    from docx import Document

    core = Document(str(path)).core_properties
    for name in _CORE_PROPERTIES:
        yield f"core:{_CORE.get(name, name)}", str(getattr(core, name) or "")
    with zipfile.ZipFile(path) as archive:
        for prop in etree.fromstring(archive.read("docProps/custom.xml")):
            yield f"custom:{prop.get('name')}", "".join(prop.itertext())
        for element in etree.fromstring(archive.read("docProps/app.xml")).iter():
            yield f"app:{etree.QName(element).localname}", element.text or ""


def pdf_slots(path: Path) -> Iterator[tuple[str, str]]:
    import pikepdf

    with pikepdf.open(path) as pdf:
        for key, value in pdf.docinfo.items():
            yield f"info:{key.lstrip('/')}", str(value)
        for key, value in pdf.Root.items():
            if isinstance(value, (pikepdf.String, pikepdf.Name)):
                yield f"catalog:{key.lstrip('/')}", str(value)
        xmp = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        for qualified in xmp:
            namespace, _, name = qualified[1:].partition("}")
            value = xmp[qualified]
            shown = "; ".join(sorted(value)) if isinstance(value, (list, set)) else str(value)
            yield f"xmp:{_XMP_PREFIXES[namespace]}:{name}", shown


def epub_slots(path: Path) -> Iterator[tuple[str, str]]:
    """The package's Dublin Core and ``meta`` properties, and each article head's ``meta``
    elements (named ``article N xhtml:...``)."""
    import warnings

    from ebooklib import ITEM_DOCUMENT, epub

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ebooklib's own FutureWarnings
        book = epub.read_epub(str(path), {"ignore_ncx": True})
    for name, values in book.metadata.get(DC, {}).items():
        for value, attributes in values:
            suffix = "#subtitle" if attributes.get("id") == "subtitle" else ""
            yield f"opf:dc:{name}{suffix}", value or ""
    for _name, values in book.metadata.get("http://www.idpf.org/2007/opf", {}).items():
        for value, attributes in values:
            if "property" in attributes and "refines" not in attributes:
                yield f"opf:meta:{attributes['property']}", value or ""
            elif "name" in attributes:  # EPUB 2 <meta name content>
                yield f"opf:meta:{attributes['name']}", attributes.get("content", "")
    number = 0
    for item in book.get_items_of_type(ITEM_DOCUMENT):
        if not re.search(r"article-\d+\.xhtml$", item.get_name()):
            continue
        number += 1
        # ``content`` as stored: ebooklib's get_content() makes a new head for an EpubHtml.
        head = etree.parse(io.BytesIO(item.content)).getroot()
        for element in head.iter("{http://www.w3.org/1999/xhtml}meta"):
            if element.get("name"):
                yield f"article {number} xhtml:{element.get('name')}", element.get("content", "")


READERS = {"docx": docx_slots, "pdf": pdf_slots, "epub": epub_slots}


# --------------------------------------------------------------------------- what the table says


def _named(collection: ir.Collection, fmt: str, slot: str) -> set[str]:
    """The markers the table puts in ``slot`` of this file."""
    single = metadata.is_single_article(collection)
    owners = [f"a{n}" for n in range(1, len(collection.articles) + 1)]
    scopes = {"article": ["a1"]} if single else {"collection": ["c"], "articles": owners}
    if slot.startswith("article "):  # an article's own head
        number, _, slot = slot.removeprefix("article ").partition(" ")
        scopes = {"article": [f"a{number}"]}
    out: set[str] = set()
    for row in metadata.ROWS:
        for named in getattr(row, fmt):
            matches = slot.startswith(named[:-1]) if named.endswith(".*") else slot == named
            if matches and row.scope in scopes:
                out |= {marker(owner, row.field) for owner in scopes[row.scope]}
    return out


def _every_marker(collection: ir.Collection) -> set[str]:
    owners = ["c", *(f"a{n}" for n in range(1, len(collection.articles) + 1))]
    fields = [*ir.META_FIELDS, *ir.COLLECTION_META_FIELDS]
    return {marker(owner, field) for owner in owners for field in fields}


def _table_slots(collection: ir.Collection, fmt: str) -> set[str]:
    """Every slot the table names that this file should hold (``extra.*`` as its one key)."""
    single = metadata.is_single_article(collection)
    out: set[str] = set()
    for row in metadata.ROWS:
        for slot in getattr(row, fmt):
            slot = slot.replace(".*", ".desk")
            if slot.startswith("xhtml:") and row.scope == "article":
                out |= {f"article {n} {slot}" for n in range(1, len(collection.articles) + 1)}
            elif (row.scope == "article") == single:
                out.add(slot)
    return out


@pytest.mark.parametrize("fmt", ["docx", "pdf", "epub"])
@pytest.mark.parametrize("kind", ["article", "collection"])
def test_every_native_slot_holds_the_fields_its_row_names_and_no_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, kind: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    collection = every_field_article() if kind == "article" else every_field_collection()
    path = tmp_path / f"every-field.{fmt}"
    convert.write(collection, path)
    found: dict[str, list[str]] = {}
    for slot, value in READERS[fmt](path):
        found.setdefault(slot, []).append(value)
    markers = _every_marker(collection)
    wrong = []
    for slot in sorted(set(found) | _table_slots(collection, fmt)):
        text = " | ".join(found.get(slot, []))
        carried = {m for m in markers if m in text}
        named = _named(collection, fmt, slot)
        if carried != named:
            wrong.append(f"{slot}: holds {sorted(carried)}, the table names {sorted(named)}")
    assert not wrong, "\n".join(wrong)
    # The reading is real: it found the table's slots and the file's own.
    assert len(found) > 10


def test_a_slot_taken_out_of_the_table_is_no_longer_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writers have no list of their own: without its slot the language is not written."""
    rows = tuple(
        metadata.Row(r.field, r.scope, tuple(s for s in r.docx if s != "core:language"),
                     tuple(s for s in r.pdf if s != "catalog:Lang"), r.epub)
        if r.field == "language" else r
        for r in metadata.ROWS
    )  # fmt: skip
    monkeypatch.setattr(metadata, "ROWS", rows)
    metadata.slots.cache_clear()
    try:
        convert.write(every_field_article(), tmp_path / "a.docx")
        convert.write(every_field_article(), tmp_path / "a.pdf")
    finally:
        monkeypatch.undo()
        metadata.slots.cache_clear()
    assert dict(docx_slots(tmp_path / "a.docx"))["core:language"] == ""
    assert "catalog:Lang" not in dict(pdf_slots(tmp_path / "a.pdf"))
