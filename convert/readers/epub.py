"""Reader ``epub``: a briefkit EPUB back to its exact IR; any other EPUB best-effort.

The container is checked before anything is decompressed (entry count, total size, ratio).
A briefkit book carries its IR JSON at ``data/briefkit-ir.json``; other books give their OPF
metadata to the collection and one article per spine document (title from the document,
headings, paragraphs, lists, quotes, links and emphasis as blocks).
"""

from __future__ import annotations

import dataclasses
import posixpath
import warnings
from typing import Any

from lxml import etree, html

from ..model import ir, ir_json
from ..model.contracts import EPUB_IR_ID
from ..model.errors import InputError
from ..model.ir_json import iso_to_when
from ..model.language import language_tag
from ._xhtml import Walk
from ._zipcheck import open_zip, read_member

_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"


def _opf_path(archive: Any) -> str:
    try:
        container = etree.fromstring(read_member(archive, "META-INF/container.xml"), _SAFE_XML)
    except KeyError:
        raise InputError("not an EPUB file (no META-INF/container.xml)") from None
    except etree.XMLSyntaxError as exc:
        raise InputError(f"broken EPUB container.xml: {exc}") from None
    rootfile = container.find(f".//{_CONTAINER}rootfile")
    if rootfile is None or not rootfile.get("full-path"):
        raise InputError("broken EPUB: container.xml names no package document")
    return str(rootfile.get("full-path"))


def _embedded_ir(archive: Any, opf_path: str) -> ir.Collection | None:
    try:
        opf = etree.fromstring(read_member(archive, opf_path), _SAFE_XML)
    except (KeyError, etree.XMLSyntaxError) as exc:
        raise InputError(f"broken EPUB package document: {exc}") from None
    item = opf.find(f"{_OPF}manifest/{_OPF}item[@id='{EPUB_IR_ID}']")
    if item is None or item.get("media-type") != "application/json":
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(opf_path), item.get("href", "")))
    try:
        data = read_member(archive, path)
    except KeyError:
        raise InputError(f"broken briefkit EPUB: {path} is missing") from None
    try:
        return ir_json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"broken briefkit EPUB: {path} is not UTF-8 ({exc.reason})") from None


# --------------------------------------------------------------------------- foreign books


def _foreign(archive: Any, opf_path: str) -> ir.Collection:
    opf = etree.fromstring(read_member(archive, opf_path), _SAFE_XML)
    metadata = opf.find(f"{_OPF}metadata")

    def dc(name: str) -> list[str]:
        if metadata is None:
            return []
        return [
            (e.text or "").strip()
            for e in metadata.findall(f"{_DC}{name}")
            if (e.text or "").strip()
        ]

    def first(values: list[str]) -> str | None:
        return values[0] if values else None

    book_lang = language_tag(first(dc("language")))
    manifest = {item.get("id"): item for item in opf.findall(f"{_OPF}manifest/{_OPF}item")}
    base = posixpath.dirname(opf_path)
    articles: list[ir.Article] = []
    skipped: list[ir.Dropped] = []
    for position, itemref in enumerate(opf.findall(f"{_OPF}spine/{_OPF}itemref"), 1):
        item = manifest.get(itemref.get("idref"))
        if item is None or "nav" in (item.get("properties") or "").split():
            continue
        path = posixpath.normpath(posixpath.join(base, item.get("href", "")))
        kind = item.get("media-type") or ""
        if kind.startswith("image/"):
            # A picture page straight in the spine (comics, scanned books): an image block;
            # consecutive picture pages make one article.
            picture = ir.Image(path, f"page {position}")
            last = articles[-1] if articles else None
            if (
                last is not None
                and last.blocks
                and all(isinstance(b, ir.Image) for b in last.blocks)
            ):
                articles[-1] = dataclasses.replace(last, blocks=(*last.blocks, picture))
            else:
                articles.append(ir.Article(meta=ir.Meta(language=book_lang), blocks=(picture,)))
            continue
        if kind != "application/xhtml+xml":
            continue
        try:
            data = read_member(archive, path)
        except KeyError:
            raise InputError(f"broken EPUB: spine document {path} is missing") from None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                document = html.fromstring(
                    data, parser=html.HTMLParser(no_network=True, encoding="utf-8")
                )
            except (etree.ParserError, ValueError) as exc:
                skipped.append(ir.Dropped(path, f"spine document not readable ({exc})"))
                continue
        body = document.find(".//body")
        if body is None:
            continue
        walk = Walk(base=path)
        blocks = list(walk.blocks(body))
        title_element = document.find(".//title")
        title = (title_element.text_content().strip() if title_element is not None else "") or None
        if blocks and isinstance(blocks[0], ir.Heading):
            title = ir.plain_text(blocks[0].content).strip() or title
            blocks = blocks[1:]
        if not blocks and title is None:
            continue
        lang = (
            language_tag(
                document.get("lang") or document.get("{http://www.w3.org/XML/1998/namespace}lang")
            )
            or book_lang
        )
        articles.append(
            ir.Article(
                meta=ir.Meta(title=title, language=lang),
                blocks=tuple(blocks),
                dropped=tuple(walk.dropped),
            )
        )
    if not articles:
        raise InputError("the EPUB has no readable documents in its spine")
    if skipped:
        articles[0] = dataclasses.replace(articles[0], dropped=(*skipped, *articles[0].dropped))
    date = None
    for text in dc("date"):
        try:
            date = iso_to_when(text[:10])
            break
        except ValueError:
            continue
    collection = ir.Collection(
        title=first(dc("title")),
        editors=tuple(dc("creator")),
        publisher=first(dc("publisher")),
        date=date,
        identifier=first(dc("identifier")),
        language=book_lang,
        description=first(dc("description")),
        articles=tuple(articles),
    )
    if len(articles) == 1:  # a one-document book: its metadata is the article's
        only = articles[0]
        meta = ir.Meta(
            title=only.meta.title or collection.title,
            language=only.meta.language,
            authors=tuple(dc("creator")),
            keywords=tuple(dc("subject")),
            summary=collection.description,
            identifier=collection.identifier,
            source=collection.publisher,
            published=date,
            rights=first(dc("rights")),
        )
        collection = ir.Collection(
            articles=(ir.Article(meta=meta, blocks=only.blocks, dropped=only.dropped),)
        )
    return collection


def read(data: bytes, *, name: str) -> ir.Collection:
    """Read an EPUB: the embedded IR when briefkit wrote it, else the book's documents."""
    archive = open_zip(data, "EPUB")
    mimetype = archive.namelist()[:1] == ["mimetype"] and read_member(archive, "mimetype", 100)
    if mimetype and mimetype.strip() != b"application/epub+zip":
        raise InputError("not an EPUB file (wrong mimetype)")
    opf_path = _opf_path(archive)
    embedded = _embedded_ir(archive, opf_path)
    return embedded if embedded is not None else _foreign(archive, opf_path)
