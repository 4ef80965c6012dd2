"""``briefkit inspect --mapping FILE``: which field went into which slot of a written file.

The slots are read from the file itself (DOCX core and custom properties, PDF Info, catalog
and XMP, EPUB package metadata and article heads) and matched to IR fields through the
metadata table (:mod:`convert.plan.metadata`); a field found in no native slot is reported as
held by the embedded IR only.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from lxml import etree

from ..model import ir
from ..model.contracts import XMP_NAMESPACE
from ..model.errors import InputError
from ..plan import metadata
from .api import load

Format = Literal["docx", "pdf", "epub"]
EMBEDDED = "embedded IR only"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_PREFIXES = {
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://ns.adobe.com/pdf/1.3/": "pdf",
    XMP_NAMESPACE: "bk",
}
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_CORE_NAMES = {"creator": "creator", "description": "description", "title": "title"}


@dataclass(frozen=True)
class Entry:
    """One field of the file, where it was found."""

    scope: str
    """``document`` for document-level fields, ``articles`` for an article field gathered from
    every article of a collection file, ``article N`` for one article's."""
    field: str
    """The IR field name."""
    value: str
    """The value as stored in the slot (or the IR's, for the embedded IR)."""
    slot: str
    """The slot it was read from, as named in the metadata table, or :data:`EMBEDDED`."""


def file_format(path: Path) -> Format:
    """The output format of ``path`` by its extension."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ("docx", "pdf", "epub"):
        raise InputError("--mapping reads DOCX, PDF and EPUB files", where=str(path))
    return suffix  # type: ignore[return-value]


def _xml(data: bytes, where: str) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"unreadable metadata: {exc}", where=where) from None


def _local(tag: str) -> tuple[str, str]:
    namespace, _, name = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return namespace, name


def _values(element: etree._Element) -> str:
    items = [li.text or "" for li in element.iter(f"{_RDF}li")]
    return "; ".join(items) if items else (element.text or "").strip()


def docx_slots(data: bytes, where: str) -> dict[str, str]:
    """``core:NAME`` and ``custom:NAME`` slots of a DOCX."""
    out: dict[str, str] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if "docProps/core.xml" in names:
            for child in _xml(archive.read("docProps/core.xml"), where):
                name = _local(child.tag)[1]
                if child.text:
                    out[f"core:{_CORE_NAMES.get(name, name)}"] = child.text
        if "docProps/custom.xml" in names:
            for prop in _xml(archive.read("docProps/custom.xml"), where):
                value = "".join(prop.itertext())
                out[f"custom:{prop.get('name')}"] = value
    return out


def pdf_slots(data: bytes, where: str) -> dict[str, str]:
    """``info:Key``, ``catalog:Lang`` and ``xmp:prefix:name`` slots of a PDF."""
    # Imported here: pypdf costs ~70 ms of start-up; only this path needs it.
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    out: dict[str, str] = {}
    for key, value in (reader.metadata or {}).items():
        out[f"info:{key.lstrip('/')}"] = str(value)
    root: Any = reader.trailer["/Root"]
    if "/Lang" in root:
        out["catalog:Lang"] = str(root["/Lang"])
    if "/Metadata" in root:
        packet = _xml(root["/Metadata"].get_object().get_data(), where)
        for description in packet.iter(f"{_RDF}Description"):
            for child in description:
                namespace, name = _local(child.tag)
                prefix = _PREFIXES.get(namespace)
                if prefix:
                    out[f"xmp:{prefix}:{name}"] = _values(child)
    return out


def epub_slots(data: bytes, where: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """``opf:`` slots of the package, and ``xhtml:`` slots of each article document."""
    package: dict[str, str] = {}
    articles: list[dict[str, str]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        container = _xml(archive.read("META-INF/container.xml"), where)
        rootfile = next(e for e in container.iter() if _local(e.tag)[1] == "rootfile")
        opf_path = rootfile.get("full-path", "")
        opf = _xml(archive.read(opf_path), where)
        base = opf_path.rpartition("/")[0]
        for element in opf.iter():
            namespace, name = _local(element.tag)
            text = (element.text or "").strip()
            if namespace == "http://purl.org/dc/elements/1.1/" and text:
                key = (
                    f"opf:dc:{name}#subtitle"
                    if element.get("id") == "subtitle"
                    else f"opf:dc:{name}"
                )
                package[key] = f"{package[key]}; {text}" if key in package else text
            elif name == "meta" and element.get("property") and not element.get("refines"):
                package[f"opf:meta:{element.get('property')}"] = text
        for item in opf.iter():
            href = item.get("href", "")
            if _local(item.tag)[1] == "item" and href.startswith("text/article-"):
                document = _xml(archive.read(f"{base}/{href}" if base else href), where)
                slots: dict[str, str] = {}
                for meta in document.iter("{http://www.w3.org/1999/xhtml}meta"):
                    name, content = meta.get("name"), meta.get("content")
                    if name and content is not None:
                        key = f"xhtml:{name}"
                        slots[key] = f"{slots[key]}; {content}" if key in slots else content
                articles.append(slots)
    return package, articles


def _entries(
    scope: str,
    rows: tuple[metadata.Row, ...],
    obj: ir.Meta | ir.Collection,
    fmt: Format,
    found: dict[str, str],
) -> list[Entry]:
    out: list[Entry] = []
    for row in rows:
        if row.scope == "articles":
            assert isinstance(obj, ir.Collection)
            value = "; ".join(metadata.gathered_values(obj, row.field))
        else:
            value = metadata.field_value(obj, row.field)
        if not value:
            # An empty field may still leave a slot filled by a fallback (dc:source holds the
            # outlet when there is no URL): that slot does not carry this field.
            continue
        hits = []
        for slot in getattr(row, fmt):
            if slot.endswith(".*"):
                stem = slot[:-1]
                hits += [(key, value) for key, value in found.items() if key.startswith(stem)]
            elif slot in found:
                hits.append((slot, found[slot]))
        out += [Entry(scope, row.field, found_value, slot) for slot, found_value in hits]
        if not hits:
            out.append(Entry(scope, row.field, value, EMBEDDED))
    return out


def mapping(path: Path) -> list[Entry]:
    """Every field of the briefkit file at ``path``, its value and the slot it was read from."""

    fmt = file_format(path)
    collection = load(path, fmt)  # names the file in a one-line error when it is unusable
    data = path.read_bytes()
    where = str(path)
    per_article: list[dict[str, str]]
    try:
        if fmt == "docx":
            found, per_article = docx_slots(data, where), [{} for _ in collection.articles]
        elif fmt == "pdf":
            found, per_article = pdf_slots(data, where), [{} for _ in collection.articles]
        else:
            found, per_article = epub_slots(data, where)
    except (KeyError, zipfile.BadZipFile, StopIteration) as exc:
        raise InputError(f"cannot read its metadata: {exc}", where=where) from None
    if metadata.is_single_article(collection):
        meta = collection.articles[0].meta
        return _entries("document", metadata.ARTICLE_ROWS, meta, fmt, {
            **found, **(per_article[0] if per_article else {})
        })  # fmt: skip
    out = _entries("document", metadata.COLLECTION_ROWS, collection, fmt, found)
    out += _entries("articles", metadata.GATHERED_ROWS, collection, fmt, found)
    for number, article in enumerate(collection.articles, start=1):
        slots = per_article[number - 1] if number <= len(per_article) else {}
        out += _entries(f"article {number}", metadata.ARTICLE_ROWS, article.meta, fmt, slots)
    return out


def format_report(entries: list[Entry]) -> str:
    """The report as aligned text: scope, field, slot, value."""
    lines = [f"{'scope':<11} {'field':<15} {'slot':<34} value"]
    for entry in entries:
        value = entry.value if len(entry.value) <= 100 else entry.value[:99] + "…"
        lines.append(f"{entry.scope:<11} {entry.field:<15} {entry.slot:<34} {value}")
    return "\n".join(lines)
