"""Reader ``docx``: a briefkit DOCX back to its exact IR; any other DOCX best-effort.

A briefkit DOCX carries its IR JSON in a custom XML part, which is read and validated like
any IR JSON. Other documents give core properties as metadata, and headings, paragraphs
(with bold, italic and links), lists and tables as blocks.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from typing import Any

from lxml import etree

from .. import ir, ir_json
from ..contracts import DOCX_IR_NAMESPACE as IR_NS
from ..errors import InputError
from ._language import language_tag
from ._zipcheck import open_zip, read_member

_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


def _embedded_ir(data: bytes) -> ir.Collection | None:
    archive = open_zip(data, "DOCX")
    names = archive.namelist()
    if "word/document.xml" not in names:
        raise InputError("not a DOCX file (no word/document.xml)")
    for name in names:
        if re.fullmatch(r"customXml/item\d+\.xml", name):
            try:
                root = etree.fromstring(read_member(archive, name), _SAFE_XML)
            except etree.XMLSyntaxError:
                continue
            if root.tag == f"{{{IR_NS}}}ir":
                return ir_json.loads(root.text or "")
    return None


def _inlines(paragraph: Any) -> tuple[ir.Inline, ...]:
    out: list[ir.Inline] = []
    for item in paragraph.iter_inner_content():
        if hasattr(item, "url"):  # a Hyperlink
            text = item.text
            if text:
                out.append(ir.Link(item.url or f"#{item.fragment}", (ir.Text(text),)))
            continue
        text = item.text
        if not text:
            continue
        node: ir.Inline = ir.Text(text)
        if item.italic:
            node = ir.Emph((node,))
        if item.bold:
            node = ir.Strong((node,))
        out.append(node)
    return tuple(out)


def _foreign(data: bytes) -> ir.Collection:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for broken packages
        raise InputError(f"cannot read DOCX: {exc}") from None
    core = document.core_properties
    title = core.title or None
    blocks: list[ir.Block] = []
    list_items: list[tuple[ir.Block, ...]] = []
    list_ordered = False

    def flush() -> None:
        nonlocal list_items
        if list_items:
            blocks.append(ir.ListBlock(list_ordered, tuple(list_items)))
            list_items = []

    for item in document.iter_inner_content():
        if isinstance(item, Table):
            flush()
            rows = tuple(
                tuple((ir.Text(cell.text),) if cell.text else () for cell in row.cells)
                for row in item.rows
            )
            if rows:
                blocks.append(ir.Table(rows, 0))
            continue
        assert isinstance(item, Paragraph)
        content = _inlines(item)
        if not ir.plain_text(content).strip():
            continue
        style = item.style.name if item.style is not None else ""
        if style == "Title" and title is None:
            title = ir.plain_text(content)
            continue
        heading = re.fullmatch(r"Heading (\d)", style)
        is_list = (item._p.pPr is not None and item._p.pPr.numPr is not None) or style.startswith(
            "List"
        )
        if is_list:
            if not list_items:
                list_ordered = "Number" in style
            list_items.append((ir.Paragraph(content),))
            continue
        flush()
        if heading:
            blocks.append(ir.Heading(int(heading[1]), content))
        elif style == "Title":
            blocks.append(ir.Heading(1, content))
        elif style in ("Quote", "Intense Quote"):
            blocks.append(ir.Quote((ir.Paragraph(content),)))
        else:
            blocks.append(ir.Paragraph(content))
    flush()

    def split(value: str | None) -> tuple[str, ...]:
        return tuple(p.strip() for p in re.split(r"[;,]", value or "") if p.strip())

    created = core.created
    published = created.replace(tzinfo=timezone.utc) if isinstance(created, datetime) else None
    meta = ir.Meta(
        title=title,
        authors=split(core.author),
        keywords=split(core.keywords),
        summary=core.comments or None,
        language=language_tag(core.language),
        identifier=core.identifier or None,
        section=tuple(p.strip() for p in (core.category or "").split(">") if p.strip()),
        published=published,
        extra=tuple((k, v) for k, v in (("subject", core.subject),) if v),
    )
    return ir.Collection(articles=(ir.Article(meta=meta, blocks=tuple(blocks)),))


def read(data: bytes, *, name: str) -> ir.Collection:
    """Read a DOCX: the embedded IR when briefkit wrote it, else the document's content."""
    embedded = _embedded_ir(data)
    return embedded if embedded is not None else _foreign(data)
