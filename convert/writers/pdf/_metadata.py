"""PDF metadata: the XMP packet and the catalog entries, from the metadata table.

The Info dictionary is filled by reportlab from the table's ``info:`` slots; the XMP packet
and the catalog walk the table's ``xmp:`` and ``catalog:`` slots, and the IR JSON goes in as
an embedded file (``/EmbeddedFiles`` and ``/AF``) that the ``pdf`` reader reads back.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable

from reportlab.pdfbase.pdfdoc import (
    XMP,
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

from ...media import pictures, svg
from ...model import ir, ir_json
from ...model.contracts import PDF_IR_ATTACHMENT, PDF_PICTURE_FOLDER, XMP_NAMESPACE
from ...model.xmltext import escape
from ...plan.metadata import PRODUCER, SlotValue, build_time, iso_utc, slot_texts, slot_values
from ._engine import FAST, fast, flate_stream

# How XMP shapes each standard slot of the table (``bk:`` slots: an ``rdf:Seq`` for several
# values, else a simple property); a slot missing here fails the first PDF written.
_XMP_SHAPES = {
    "dc:title": "Alt",
    "dc:description": "Alt",
    "dc:rights": "Alt",
    "dc:creator": "Seq",
    "dc:date": "Seq",
    "dc:contributor": "Bag",
    "dc:language": "Bag",
    "dc:publisher": "Bag",
    "dc:subject": "Bag",
    "dc:source": "Bag",
    "dc:identifier": "",
    "pdf:Keywords": "",
}


def xmp(collection: ir.Collection) -> str:
    """The XMP packet: the table's ``xmp:`` slots, then the file's own (when it was made and
    by what, its PDF/UA conformance)."""

    def prop(tag: str, value: SlotValue, shape: str) -> str:
        items = [escape(text) for text in slot_texts(value)]
        if not shape:
            return f"<{tag}>{', '.join(items)}</{tag}>"
        if shape == "Alt":  # one text in several languages: several values are one text
            items, lang = ["; ".join(items)], ' xml:lang="x-default"'
        else:
            lang = ""
        listed = "".join(f"<rdf:li{lang}>{item}</rdf:li>" for item in items)
        return f"<{tag}><rdf:{shape}>{listed}</rdf:{shape}></{tag}>"

    fields = []
    for name, value in slot_values(collection, "pdf", "xmp:", several=True):
        if name.startswith("bk:"):
            fields.append(prop(name, value, "Seq" if isinstance(value, tuple) else ""))
        else:
            fields.append(prop(name, value, _XMP_SHAPES[name]))
    modified = iso_utc(build_time())
    fields += [
        f"<xmp:CreateDate>{modified}</xmp:CreateDate><xmp:ModifyDate>{modified}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{modified}</xmp:MetadataDate>",
        f"<xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool><pdf:Producer>{PRODUCER}</pdf:Producer>",
        "<pdfuaid:part>1</pdfuaid:part>",  # the writer tags every PDF (see ._tags)
    ]
    body = "".join(fields)
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
    collection: ir.Collection, embed_ir: bool, outline: bool
) -> Callable[[Canvas], None]:
    """Catalog entries added just before saving: the table's ``catalog:`` slots (the
    language), the XMP, the attachments, the outline.

    With the IR go the SVG drawings' sources (drawn as vectors, a drawing leaves no picture
    to find on the page), under the names the IR gives them (``pictures/NAME.svg``).
    """

    def finish(canvas: Canvas) -> None:
        for name, value in slot_values(collection, "pdf", "catalog:"):
            canvas.setCatalogEntry(name, value)
        xmp_bytes = xmp(collection).encode("utf-8")
        canvas.setCatalogEntry("Metadata", XMP(creator=lambda doc: xmp_bytes))
        if embed_ir:
            files = [(PDF_IR_ATTACHMENT, ir_json.iter_compact(collection), _IR_FILE)]
            for picture, data in pictures.distinct(collection):
                if picture.media_type == svg.MEDIA_TYPE:
                    name = PDF_PICTURE_FOLDER + pictures.file_name(picture)
                    files.append((name, iter([data.decode("utf-8")]), _DRAWING_FILE))
            # A name tree's keys are in order; a file is one compressed stream.
            specs = [(name, _attachment(canvas, name, *_compressed(pieces), kind))
                     for name, pieces, kind in sorted(files, key=lambda f: f[0])]  # fmt: skip
            names = PDFArray([item for name, spec in specs for item in (PDFString(name), spec)])
            canvas.setCatalogEntry(
                "Names", PDFDictionary({"EmbeddedFiles": PDFDictionary({"Names": names})})
            )
            canvas.setCatalogEntry("AF", PDFArray([spec for _, spec in specs]))
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


_IR_FILE = ("/application#2Fjson", "briefkit IR JSON: every article and its metadata", "Data")
_DRAWING_FILE = ("/image#2Fsvg+xml", "An SVG drawing shown in the document", "Source")
# (subtype, description, relationship); PDFName does not escape the slash in a subtype.


def _attachment(
    canvas: Canvas, name: str, compressed: bytes, size: int, kind: tuple[str, str, str]
) -> PDFDictionary:
    """The file specification of an attachment: one Flate-compressed stream object,
    referenced from both ``/F`` and ``/UF`` (an inline stream would be written twice)."""
    subtype, description, relationship = kind
    stream = canvas.document.Reference(
        flate_stream(
            compressed,
            {
                "Type": PDFName("EmbeddedFile"),
                "Subtype": subtype,
                "Params": PDFDictionary({"Size": size}),
            },
        )
    )
    return PDFDictionary(
        {
            "Type": PDFName("Filespec"),
            "F": PDFString(name),
            "UF": PDFString(name),
            "Desc": PDFString(description),
            "AFRelationship": PDFName(relationship),
            "EF": PDFDictionary({"F": stream, "UF": stream}),
        }
    )
