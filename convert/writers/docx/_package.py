"""The DOCX package: page set-up, properties, the embedded IR, a reproducible zip.

python-docx builds the parts; the body and the embedded IR are streamed straight into a
fixed-time zip, so neither is ever held as a tree or one string.
"""

from __future__ import annotations

import io
import string
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from ...media import pictures, svg
from ...media.fonts import find_font_file
from ...model import ir, ir_json
from ...model.contracts import DOCX_IR_PART
from ...plan.metadata import PRODUCER, build_time, slot_values
from ...plan.styles import Style
from .._zip import FixedTimeZip
from . import _xml as x
from ._engine import append_to_paragraph, write_package_head


def _custom_values(collection: ir.Collection) -> list[tuple[str, str | datetime]]:
    """Custom properties: the table's ``custom:`` slots (one joined line for list fields)."""
    values: list[tuple[str, str | datetime]] = [("briefkit_ir_version", str(ir.IR_VERSION))]
    for name, value in slot_values(collection, "docx", "custom:"):
        assert not isinstance(value, tuple)  # one line: several=False
        values.append((name, value))
    return values


def page_setup(document: Any, style: Style, header: str, footer: str, cover: bool) -> None:
    """Page size, margins, the running header and the footer with PAGE/NUMPAGES fields.

    A cover page gets neither (Word's "different first page", as the PDF's cover template).
    """
    section = document.sections[0]
    section.different_first_page_header_footer = cover
    width, height = style.page_size_mm
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin = Mm(style.page["margin_top_mm"])
    section.bottom_margin = Mm(style.page["margin_bottom_mm"])
    section.left_margin = Mm(style.page["margin_left_mm"])
    section.right_margin = Mm(style.page["margin_right_mm"])
    section.header_distance = Mm(max(style.page["margin_top_mm"] / 2 - 2, 4))
    section.footer_distance = Mm(max(style.page["margin_bottom_mm"] / 2 - 2, 4))
    if header:
        head = section.header.paragraphs[0]
        head.style = document.styles["Header"]
        append_to_paragraph(head, parse_xml(x.body_fragment(x.run(header)))[0])
    foot = section.footer.paragraphs[0]
    foot.style = document.styles["Footer"]
    for item in _footer_runs(footer):
        append_to_paragraph(foot, item)


# Children of w:settings that come after the ones set here (schema order: Word refuses a
# settings part out of order). The template python-docx starts from holds some of them.
_AFTER_HYPHENATION = (
    "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope",
    "summaryLength", "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders",
    "characterSpacingControl", "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr",
    "compat", "docVars", "rsids", "mathPr", "themeFontLang", "clrSchemeMapping",
    "shapeDefaults", "decimalSymbol", "listSeparator",
)  # fmt: skip
_AFTER_UPDATE_FIELDS = _AFTER_HYPHENATION[_AFTER_HYPHENATION.index("updateFields") + 1 :]


def _set_setting(settings: Any, name: str, value: str | None, after: tuple[str, ...]) -> None:
    element = settings.find(qn(f"w:{name}"))
    if element is not None:
        settings.remove(element)
    value_attr = f" w:val={x.attr(value)}" if value is not None else ""
    element = parse_xml(f'<w:{name} xmlns:w="{x.W_NS}"{value_attr}/>')
    later = {qn(f"w:{tag}") for tag in after}
    for index, child in enumerate(settings):
        if child.tag in later:
            settings.insert(index, element)
            return
    settings.append(element)


def document_settings(document: Any, style: Style, contents: bool) -> None:
    """Automatic hyphenation (the style's ``typography.hyphenate``; Word and LibreOffice
    hyphenate each run in its language), and fields updated on opening when the contents
    has page numbers to fill."""
    settings = document.settings.element
    if style.typography.get("hyphenate"):
        _set_setting(settings, "autoHyphenation", None, _AFTER_HYPHENATION)
    if contents:
        _set_setting(settings, "updateFields", "true", _AFTER_UPDATE_FIELDS)


def _footer_runs(template: str) -> list[Any]:
    """Runs and PAGE/NUMPAGES fields for a footer template such as ``page {page} of {pages}``."""
    xml = []
    for literal, name, _, _ in string.Formatter().parse(template):
        if literal:
            xml.append(x.run(literal))
        if name == "page":
            xml.append(x.simple_field("PAGE", "1"))
        elif name == "pages":
            xml.append(x.simple_field("NUMPAGES", "1"))
    return list(parse_xml(x.body_fragment("".join(xml))))


def _clip(value: str, limit: int = 255) -> str:
    """Core properties are limited to 255 characters."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _naive_utc(value: datetime) -> datetime:
    # python-docx writes a literal Z after the time it is given: hand it UTC without tzinfo.
    return value.replace(tzinfo=None)


# Each ``core:`` slot of the metadata table and the python-docx property that holds it.
_CORE_PROPERTIES = {
    "title": "title",
    "creator": "author",
    "subject": "subject",
    "keywords": "keywords",
    "category": "category",
    "description": "comments",
    "language": "language",
    "identifier": "identifier",
    "created": "created",
}


def _set_core_properties(document: Any, collection: ir.Collection) -> None:
    """The core properties: the table's ``core:`` slots, then the file's own (who saved it,
    when: the build time)."""
    core = document.core_properties
    modified = build_time()
    for slot in _CORE_PROPERTIES.values():  # clear what the template holds
        setattr(core, slot, modified.replace(tzinfo=None) if slot == "created" else "")
    for name, value in slot_values(collection, "docx", "core:"):
        if isinstance(value, datetime):
            setattr(core, _CORE_PROPERTIES[name], _naive_utc(value))
        else:
            assert not isinstance(value, tuple)  # one line: several=False
            setattr(core, _CORE_PROPERTIES[name], _clip(value))
    core.content_status = ""
    core.version = ""
    core.last_modified_by = PRODUCER
    core.revision = 1
    core.modified = _naive_utc(modified)
    core.last_printed = _naive_utc(modified)


def add_pictures(
    document: Any, collection: ir.Collection, style: Style
) -> dict[str, tuple[str, str, str]]:
    """Every embedded picture as an image part of the main document, in reading order (so
    part names are stable); returns each digest's relationship id, the part name the IR
    records, and for an SVG drawing the relationship id of its SVG part (else empty).

    A drawing is shown as a PNG rendering with the SVG beside it (the ``asvg:svgBlip``
    extension): Word 2016 and later and LibreOffice draw the SVG, older readers the PNG.
    """
    placed: dict[str, tuple[str, str, str]] = {}
    for picture, data in pictures.distinct(collection):
        if picture.media_type != svg.MEDIA_TYPE:
            rid, _ = document.part.get_or_add_image(io.BytesIO(data))
            placed[picture.digest] = (rid, document.part.related_parts[rid].partname.membername, "")
            continue
        width = min(pictures.PRINT_WIDTH, 2 * picture.width)  # sharp at twice its size
        png = svg.to_png(data, width, *_drawing_fonts(style))
        rid, _ = document.part.get_or_add_image(io.BytesIO(png))
        part = Part(
            PackURI("/word/media/" + pictures.file_name(picture)),
            svg.MEDIA_TYPE,
            data,
            document.part.package,
        )
        svg_rid = document.part.relate_to(part, RT.IMAGE)
        placed[picture.digest] = (rid, part.partname.membername, svg_rid)
    return placed


def _drawing_fonts(style: Style) -> tuple[list[Path], str]:
    """The font files a drawing's PNG rendering sets its text in (the body's Latin and CJK
    faces), and the family it is set in."""
    files, family = [], style.fonts["body_latin"]
    for name in (family, style.fonts["body_cjk"]):
        faces = style.font_files.get(name)
        found = find_font_file(faces.regular, style.search_dirs) if faces else None
        if found is not None:
            files.append(found)
    return files, family


def package_parts(document: Any, collection: ir.Collection, embed_ir: bool) -> None:
    """Core, app and custom properties, and (unless switched off) the IR as custom XML."""
    _set_core_properties(document, collection)
    package = document.part.package
    # Drop the template's leftovers: its thumbnail, its bibliography item and its app.xml.
    for rid, rel in list(package.rels.items()):
        if rel.reltype in (RT.THUMBNAIL, RT.EXTENDED_PROPERTIES):
            package.rels.pop(rid)
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML:
            document.part.rels.pop(rid)
    app = Part(
        PackURI("/docProps/app.xml"),
        CT.OFC_EXTENDED_PROPERTIES,
        x.app_properties(PRODUCER),
        package,
    )
    package.relate_to(app, RT.EXTENDED_PROPERTIES)
    custom = Part(
        PackURI("/docProps/custom.xml"),
        CT.OFC_CUSTOM_PROPERTIES,
        x.custom_properties(_custom_values(collection)),
        package,
    )
    package.relate_to(custom, RT.CUSTOM_PROPERTIES)
    if not embed_ir:
        return
    item = _StreamedPart(
        PackURI(DOCX_IR_PART),
        CT.XML,
        package,
        lambda: x.ir_item(ir_json.iter_compact(collection)),
    )
    item_props = Part(
        PackURI("/customXml/itemProps1.xml"),
        CT.OFC_CUSTOM_XML_PROPERTIES,
        x.ir_item_properties(),
        package,
    )
    item.relate_to(item_props, RT.CUSTOM_XML_PROPS)
    document.part.relate_to(item, RT.CUSTOM_XML)


class _StreamedPart(Part):
    """A package part whose XML is produced piece by piece while the zip is written.

    The body of a thousand-article briefing and its embedded IR are each as large as all the
    articles together; streaming them keeps neither as a tree nor as one string.
    """

    def __init__(
        self,
        partname: PackURI,
        content_type: str,
        package: Any,
        pieces: Callable[[], Iterable[str]],
    ) -> None:
        super().__init__(partname, content_type, b"", package)
        self.pieces = pieces


def body_pieces(document: Any, content: Iterable[str]) -> Callable[[], Iterator[str]]:
    """document.xml as pieces: the template around ``content``, placed before ``w:sectPr``."""
    body = document.element.body
    for child in list(body)[:-1]:  # the template's empty paragraph; keep the sectPr
        body.remove(child)
    serialised = etree.tostring(document.element, encoding="unicode")
    at = serialised.rindex("<w:sectPr")

    def pieces() -> Iterator[str]:
        yield x.XML_DECLARATION + serialised[:at]
        yield from content
        yield serialised[at:]

    return pieces


class _PackageZip(FixedTimeZip):
    """python-docx's physical package writer interface (pack URIs) over :class:`FixedTimeZip`."""

    def write(self, pack_uri: Any, blob: bytes, *, stored: bool = False) -> None:  # type: ignore[override]
        super().write(pack_uri.membername, blob, stored=stored)


def save(document: Any, out: BinaryIO, body: Callable[[], Iterable[str]]) -> None:
    """What ``Document.save`` does, with fixed zip times and the big parts streamed."""
    package = document.part.package
    parts = list(package.iter_parts())
    with _PackageZip(out, build_time()) as writer:
        write_package_head(writer, parts, package)
        for part in parts:
            if part is document.part:
                writer.write_pieces(part.partname.membername, body())
            elif isinstance(part, _StreamedPart):
                writer.write_pieces(part.partname.membername, part.pieces())
            else:
                part.before_marshal()
                writer.write(part.partname, part.blob)
            # Relationships last: writing the body adds the hyperlink relationships.
            if len(part.rels):
                writer.write(part.partname.rels_uri, part.rels.xml)
