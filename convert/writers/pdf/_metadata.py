"""PDF metadata: the XMP packet and the catalog entries, from the metadata table.

The Info dictionary is filled by reportlab from the document properties; the XMP carries the
same document-level slots plus briefkit's own (``bk:``), and the IR JSON goes in as an
embedded file (``/EmbeddedFiles`` and ``/AF``) that the ``pdf`` reader reads back.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from datetime import datetime

from reportlab.pdfbase.pdfdoc import (
    XMP,
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

from ...model import ir, ir_json
from ...model.contracts import PDF_IR_ATTACHMENT, XMP_NAMESPACE
from ...model.xmltext import escape
from ...plan.metadata import PRODUCER, document_properties, extension_values, iso_utc
from ._engine import FAST, fast, flate_stream


def xmp(collection: ir.Collection) -> str:
    """The XMP packet: ``dc:``/``xmp:``/``pdf:`` document slots, then the table's ``bk:`` slots."""
    props = document_properties(collection)

    def seq(tag: str, values: tuple[str, ...] | list[str], kind: str = "Seq") -> str:
        if not values:
            return ""
        items = "".join(f"<rdf:li>{escape(v)}</rdf:li>" for v in values)
        return f"<{tag}><rdf:{kind}>{items}</rdf:{kind}></{tag}>"

    def alt(tag: str, value: str) -> str:
        item = f'<rdf:li xml:lang="x-default">{escape(value)}</rdf:li>'
        return f"<{tag}><rdf:Alt>{item}</rdf:Alt></{tag}>"

    modified = iso_utc(props.modified)
    created = iso_utc(props.created or props.modified)
    fields = [
        alt("dc:title", props.title),
        seq("dc:creator", props.creators),
        seq("dc:date", [created]),
        seq("dc:language", [props.language], "Bag"),
        seq("dc:publisher", [props.publisher] if props.publisher else [], "Bag"),
        seq("dc:subject", props.keywords, "Bag"),
        seq("dc:source", props.sources, "Bag"),
        alt("dc:description", props.description) if props.description else "",
        f"<dc:identifier>{escape(props.identifier)}</dc:identifier>" if props.identifier else "",
        f"<xmp:CreateDate>{created}</xmp:CreateDate><xmp:ModifyDate>{modified}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{modified}</xmp:MetadataDate>",
        f"<xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool><pdf:Producer>{PRODUCER}</pdf:Producer>",
        f"<pdf:Keywords>{escape(', '.join(props.keywords))}</pdf:Keywords>",
        "<pdfuaid:part>1</pdfuaid:part>",  # the writer tags every PDF (see ._tags)
    ]
    for name, value in extension_values(collection, "pdf", "xmp:bk:"):
        if isinstance(value, tuple):
            fields.append(seq(f"bk:{name}", value))
        else:
            shown = iso_utc(value) if isinstance(value, datetime) else escape(value)
            fields.append(f"<bk:{name}>{shown}</bk:{name}>")
    body = "".join(f for f in fields if f)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
        'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" '
        f'xmlns:bk="{XMP_NAMESPACE}">{body}</rdf:Description></rdf:RDF></x:xmpmeta>'
        '<?xpacket end="w"?>'
    )


def catalog_entries(
    collection: ir.Collection, language: str, embed_ir: bool, outline: bool
) -> Callable[[Canvas], None]:
    """Catalog entries added just before saving: language, XMP, the IR attachment, outline."""

    def finish(canvas: Canvas) -> None:
        canvas.setCatalogEntry("Lang", language)
        xmp_bytes = xmp(collection).encode("utf-8")
        canvas.setCatalogEntry("Metadata", XMP(creator=lambda doc: xmp_bytes))
        if embed_ir:
            spec = _attachment(canvas, *_compressed(ir_json.iter_compact(collection)))
            names = PDFArray([PDFString(PDF_IR_ATTACHMENT), spec])
            canvas.setCatalogEntry(
                "Names", PDFDictionary({"EmbeddedFiles": PDFDictionary({"Names": names})})
            )
            canvas.setCatalogEntry("AF", PDFArray([spec]))
        if outline:
            canvas.showOutline()

    return finish


def _compressed(pieces: Iterable[str]) -> tuple[bytes, int]:
    """The UTF-8 text of ``pieces`` Flate-compressed as it comes, without holding it (a
    thousand articles' IR is ~12 MB), and its size before compression. The level only has to
    be fast (see :func:`._pages.flate_stream`)."""
    compressor = zlib.compressobj(FAST if fast() else zlib.Z_DEFAULT_COMPRESSION)
    parts, size = [], 0
    for piece in pieces:
        data = piece.encode("utf-8")
        size += len(data)
        parts.append(compressor.compress(data))
    parts.append(compressor.flush())
    return b"".join(parts), size


def _attachment(canvas: Canvas, compressed: bytes, size: int) -> PDFDictionary:
    """The file specification of the IR attachment: one Flate-compressed stream object,
    referenced from both ``/F`` and ``/UF`` (an inline stream would be written twice)."""
    stream = canvas.document.Reference(
        flate_stream(
            compressed,
            {
                "Type": PDFName("EmbeddedFile"),
                "Subtype": "/application#2Fjson",  # PDFName does not escape the slash
                "Params": PDFDictionary({"Size": size}),
            },
        )
    )
    return PDFDictionary(
        {
            "Type": PDFName("Filespec"),
            "F": PDFString(PDF_IR_ATTACHMENT),
            "UF": PDFString(PDF_IR_ATTACHMENT),
            "Desc": PDFString("briefkit IR JSON: every article and its metadata"),
            "AFRelationship": PDFName("Data"),
            "EF": PDFDictionary({"F": stream, "UF": stream}),
        }
    )
