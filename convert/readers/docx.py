"""Reader ``docx``: a briefkit DOCX back to its exact IR; any other DOCX best-effort.

A briefkit DOCX carries its IR JSON in a custom XML part, which is read and validated like
any IR JSON. Other documents are read from their WordprocessingML directly (found through
the package relationships, wherever the main part lives): core properties as metadata;
headings (by style name or outline level), paragraphs with bold, italic, links and
sub/superscript, lists (bullets or numbers from the numbering part), tables (nested tables
kept as lines of their cell), content controls, inserted text (deleted text is not shown, so
it is not read), text boxes, equations as their linear text, pictures as image blocks with
their description, and footnotes and endnotes as a numbered list at the end of the article.
What has no IR form (embedded documents, OLE objects) goes to ``dropped``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from zipfile import ZipFile

from lxml import etree

from ..model import ir, ir_json
from ..model.contracts import DOCX_IR_NAMESPACE as IR_NS
from ..model.errors import InputError
from ..model.language import language_tag
from ._inline import tidy
from ._zipcheck import open_zip, read_member

_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_V = "{urn:schemas-microsoft-com:vml}"
_O = "{urn:schemas-microsoft-com:office:office}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_MAIN_TYPES = ("/officeDocument",)
_QUOTE_STYLES = frozenset(("quote", "intense quote", "block text"))
_MAX_DEPTH = 200  # nested tables and content controls deeper than this are corrupt


def _xml(archive: ZipFile, name: str) -> Any:
    try:
        return etree.fromstring(read_member(archive, name), _SAFE_XML)
    except KeyError:
        raise InputError(f"broken DOCX: part {name} is missing") from None
    except etree.XMLSyntaxError as exc:
        raise InputError(f"broken DOCX: {name} is not well-formed XML ({exc})") from None


def _relationships(archive: ZipFile, part: str) -> dict[str, tuple[str, str, bool]]:
    """The relationships of ``part``: id -> (type, target part or URL, external)."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels_name not in archive.NameToInfo:
        return {}
    out = {}
    for rel in _xml(archive, rels_name).iter(f"{_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        external = rel.get("TargetMode") == "External"
        if not external:
            target = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
        out[rel.get("Id", "")] = (rel.get("Type", ""), target, external)
    return out


def _part_of_type(rels: dict[str, tuple[str, str, bool]], suffix: str) -> str | None:
    for kind, target, external in rels.values():
        if kind.endswith(suffix) and not external:
            return target
    return None


def _main_part(archive: ZipFile) -> str:
    """The main document part, named by the package relationships (not always word/...)."""
    target = _part_of_type(_relationships(archive, ""), "/officeDocument")
    if target and target in archive.NameToInfo:
        return target
    if "word/document.xml" in archive.NameToInfo:
        return "word/document.xml"
    raise InputError("not a DOCX file (no main document part)")


def _embedded_ir(archive: ZipFile) -> ir.Collection | None:
    for name in archive.namelist():
        if re.fullmatch(r"customXml/item\d+\.xml", name):
            try:
                root = etree.fromstring(read_member(archive, name), _SAFE_XML)
            except etree.XMLSyntaxError:
                continue
            if root.tag == f"{{{IR_NS}}}ir":
                return ir_json.loads(root.text or "")
    return None


# --------------------------------------------------------------------------- foreign documents


@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    outline: int | None = None
    numbered: bool = False


@dataclass
class _Document:
    """What the walk needs from the package, and what it collects on the way."""

    archive: ZipFile
    rels: dict[str, tuple[str, str, bool]]
    styles: dict[str, _Style]
    ordered: dict[tuple[str, str], bool]  # (numId, ilvl) -> numbered list?
    notes: dict[tuple[str, str], Any]  # ("footnote"|"endnote", id) -> w:footnote element
    used_notes: list[tuple[str, str]] = field(default_factory=list)
    dropped: list[ir.Dropped] = field(default_factory=list)

    def style_chain(self, style_id: str | None) -> Iterator[_Style]:
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            style_id = style.based_on


def _on(element: Any) -> bool:
    """A toggle property (``<w:b/>``, ``<w:b w:val="0"/>``) is on?"""
    return element is not None and element.get(f"{_W}val", "true") not in ("0", "false", "off")


def _styles(archive: ZipFile, rels: dict[str, tuple[str, str, bool]]) -> dict[str, _Style]:
    part = _part_of_type(rels, "/styles")
    if part is None or part not in archive.NameToInfo:
        return {}
    out = {}
    for element in _xml(archive, part).iter(f"{_W}style"):
        name = element.find(f"{_W}name")
        based = element.find(f"{_W}basedOn")
        outline = element.find(f"{_W}pPr/{_W}outlineLvl")
        level = outline.get(f"{_W}val", "") if outline is not None else ""
        out[element.get(f"{_W}styleId", "")] = _Style(
            name=(name.get(f"{_W}val", "") if name is not None else "").lower(),
            based_on=based.get(f"{_W}val") if based is not None else None,
            outline=int(level) if level.isdigit() and int(level) < 9 else None,
            numbered=element.find(f"{_W}pPr/{_W}numPr") is not None,
        )
    return out


def _numbering(
    archive: ZipFile, rels: dict[str, tuple[str, str, bool]]
) -> dict[tuple[str, str], bool]:
    part = _part_of_type(rels, "/numbering")
    if part is None or part not in archive.NameToInfo:
        return {}
    root = _xml(archive, part)
    abstract: dict[str, dict[str, bool]] = {}
    for element in root.iter(f"{_W}abstractNum"):
        levels = {}
        for lvl in element.iter(f"{_W}lvl"):
            fmt = lvl.find(f"{_W}numFmt")
            value = fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal"
            levels[lvl.get(f"{_W}ilvl", "0")] = value not in ("bullet", "none")
        abstract[element.get(f"{_W}abstractNumId", "")] = levels
    out = {}
    for num in root.iter(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        levels = abstract.get(ref.get(f"{_W}val", "") if ref is not None else "", {})
        for ilvl, ordered in levels.items():
            out[(num.get(f"{_W}numId", ""), ilvl)] = ordered
    return out


def _notes(archive: ZipFile, rels: dict[str, tuple[str, str, bool]]) -> dict[tuple[str, str], Any]:
    out = {}
    for kind in ("footnote", "endnote"):
        part = _part_of_type(rels, f"/{kind}s")
        if part is None or part not in archive.NameToInfo:
            continue
        for note in _xml(archive, part).iter(f"{_W}{kind}"):
            if note.get(f"{_W}type") in (None, "normal"):
                out[(kind, note.get(f"{_W}id", ""))] = note
    return out


def _math_text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(f"{_M}t")).strip()


class _Walk:
    """The body walk: block elements to IR blocks, with pictures and notes collected."""

    def __init__(self, document: _Document) -> None:
        self.doc = document
        self.pending: list[ir.Block] = []  # pictures and text boxes met inside a paragraph

    # ---------------------------------------------------------------- inlines

    def inlines(self, parent: Any, depth: int = 0) -> list[ir.Inline]:
        if depth > _MAX_DEPTH:
            raise InputError("broken DOCX: elements nested too deeply")
        out: list[ir.Inline] = []
        for child in parent:
            tag = child.tag
            if tag == f"{_W}r":
                out.extend(self.run(child))
            elif tag == f"{_W}hyperlink":
                inner = self.inlines(child, depth + 1)
                target = self._link_target(child)
                if inner and target:
                    out.append(ir.Link(target, tuple(inner)))
                else:
                    out.extend(inner)
            elif tag in (f"{_W}del", f"{_W}moveFrom", f"{_W}pPr", f"{_W}rPr"):
                continue  # deleted text is not on the page
            elif tag == f"{_M}oMath" or tag == f"{_M}oMathPara":
                text = _math_text(child)
                if text:
                    out.append(ir.Text(text))
            elif tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    out.extend(self.inlines(content, depth + 1))
            elif tag == f"{_MC}AlternateContent":
                out.extend(self.inlines(self._choice(child), depth + 1))
            elif isinstance(tag, str):  # ins, moveTo, smartTag, customXml, fldSimple, ...
                out.extend(self.inlines(child, depth + 1))
        return out

    def _link_target(self, link: Any) -> str | None:
        rel_id = link.get(f"{_R}id")
        if rel_id and rel_id in self.doc.rels:
            return self.doc.rels[rel_id][1]
        anchor = link.get(f"{_W}anchor")
        return f"#{anchor}" if anchor else None

    @staticmethod
    def _choice(alternate: Any) -> Any:
        for tag in (f"{_MC}Choice", f"{_MC}Fallback"):
            found = alternate.find(tag)
            if found is not None:
                return found
        return ()

    def run(self, run: Any) -> list[ir.Inline]:
        props = run.find(f"{_W}rPr")
        out: list[ir.Inline] = []
        text: list[str] = []

        def flush_text() -> None:
            if text:
                out.append(ir.Text("".join(text)))
                text.clear()

        for child in run:
            tag = child.tag
            if tag == f"{_W}t":
                text.append(child.text or "")
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                text.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                if child.get(f"{_W}type") in (None, "textWrapping"):
                    flush_text()
                    out.append(ir.LineBreak())
            elif tag == f"{_W}noBreakHyphen":
                text.append("-")
            elif tag == f"{_W}sym":
                code = child.get(f"{_W}char", "")
                if re.fullmatch(r"[0-9A-Fa-f]{4}", code) and not 0xF000 <= int(code, 16) <= 0xF0FF:
                    text.append(chr(int(code, 16)))
            elif tag in (f"{_W}footnoteReference", f"{_W}endnoteReference"):
                flush_text()
                out.extend(self._note_mark(tag, child))
            elif tag in (f"{_W}drawing", f"{_W}pict", f"{_W}object"):
                self.pending.extend(self.picture(child))
            elif tag == f"{_MC}AlternateContent":
                choice = self._choice(child)
                for inner in choice:
                    if inner.tag in (f"{_W}drawing", f"{_W}pict"):
                        self.pending.extend(self.picture(inner))
        flush_text()
        if props is None:
            return out
        vertical = props.find(f"{_W}vertAlign")
        position = vertical.get(f"{_W}val") if vertical is not None else None
        wrapped: list[ir.Inline] = []
        for node in out:
            if isinstance(node, ir.Text):
                if _on(props.find(f"{_W}i")):
                    node = ir.Emph((node,))  # type: ignore[assignment]
                if _on(props.find(f"{_W}b")):
                    node = ir.Strong((node,))  # type: ignore[assignment]
                if position in ("superscript", "subscript"):
                    klass = "sup" if position == "superscript" else "sub"
                    node = ir.Span(ir.Attr(classes=(klass,)), (node,))  # type: ignore[assignment]
            wrapped.append(node)
        return wrapped

    def _note_mark(self, tag: str, reference: Any) -> list[ir.Inline]:
        kind = "footnote" if tag == f"{_W}footnoteReference" else "endnote"
        key = (kind, reference.get(f"{_W}id", ""))
        if key not in self.doc.notes:
            return []
        if key not in self.doc.used_notes:
            self.doc.used_notes.append(key)
        number = self.doc.used_notes.index(key) + 1
        return [ir.Span(ir.Attr(classes=("note-ref",)), (ir.Text(f"[{number}]"),))]

    def picture(self, element: Any) -> list[ir.Block]:
        """A drawing: its text boxes' content, or an image block with its description."""
        boxes = [b for b in element.iter(f"{_W}txbxContent")]
        if boxes:
            # The boxes' paragraphs are walked with pending lists of their own: the
            # paragraph holding the drawing keeps its own, in order.
            outer, self.pending = self.pending, []
            try:
                return [block for box in boxes for block in self.blocks(box)]
            finally:
                self.pending = outer
        doc_pr = next(element.iter(f"{_WP}docPr"), None)
        alt = ""
        if doc_pr is not None:
            alt = (doc_pr.get("descr") or doc_pr.get("title") or "").strip()
        blip = next(element.iter(f"{_A}blip"), None)
        image_data = next(element.iter(f"{_V}imagedata"), None)
        rel_id = (
            blip.get(f"{_R}embed") or blip.get(f"{_R}link")
            if blip is not None
            else image_data.get(f"{_R}id")
            if image_data is not None
            else None
        )
        if rel_id is None:
            if element.tag == f"{_W}object":
                self.doc.dropped.append(
                    ir.Dropped("<w:object>", "embedded OLE object (no IR form)")
                )
            return []
        target = self.doc.rels.get(rel_id, ("", "", False))[1]
        if image_data is not None and not alt:
            # VML (older Word, other programs): the shape's alt text, else the picture's title
            shape = image_data.getparent()
            alt = (
                (shape.get("alt") if shape is not None else None)
                or image_data.get(f"{_O}title")
                or ""
            ).strip()
        return [ir.Image(target, alt)]

    # ---------------------------------------------------------------- blocks

    def blocks(self, parent: Any, depth: int = 0) -> list[ir.Block]:
        if depth > _MAX_DEPTH:
            raise InputError("broken DOCX: elements nested too deeply")
        out: list[ir.Block] = []
        items: list[tuple[ir.Block, ...]] = []
        ordered = False

        def flush() -> None:
            nonlocal items
            if items:
                out.append(ir.ListBlock(ordered, tuple(items)))
                items = []

        for child in parent:
            tag = child.tag
            if tag == f"{_W}p":
                kind, block, numbered = self.paragraph(child)
                pictures, self.pending = self.pending, []
                if kind == "item" and block is not None:
                    if not items:
                        ordered = numbered
                    items.append((block,))
                else:
                    flush()
                    if block is not None:
                        out.append(block)
                if pictures:  # a paragraph's pictures and text boxes follow it
                    flush()
                    out.extend(pictures)
            elif tag == f"{_W}tbl":
                flush()
                out.extend(self.table(child, depth + 1))
            elif tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    flush()
                    out.extend(self.blocks(content, depth + 1))
            elif tag in (f"{_W}ins", f"{_W}moveTo", f"{_W}customXml"):
                flush()
                out.extend(self.blocks(child, depth + 1))
            elif tag == f"{_M}oMathPara":
                flush()
                text = _math_text(child)
                if text:
                    out.append(ir.Paragraph((ir.Text(text),)))
            elif tag == f"{_W}altChunk":
                self.doc.dropped.append(
                    ir.Dropped("<w:altChunk>", "embedded document (altChunk) not read")
                )
        flush()
        return out

    def paragraph(self, p: Any) -> tuple[str, ir.Block | None, bool]:
        """("item" | "block", the block or None, numbered list?)."""
        content = tidy(self.inlines(p), collapse=False)
        props = p.find(f"{_W}pPr")
        style_id = None
        num_pr = None
        outline = None
        if props is not None:
            style = props.find(f"{_W}pStyle")
            style_id = style.get(f"{_W}val") if style is not None else None
            num_pr = props.find(f"{_W}numPr")
            level = props.find(f"{_W}outlineLvl")
            value = level.get(f"{_W}val", "") if level is not None else ""
            outline = int(value) if value.isdigit() and int(value) < 9 else None
        chain = list(self.doc.style_chain(style_id))
        names = [s.name for s in chain]
        if not ir.plain_text(content).strip():
            return "block", None, False
        heading = next((int(m[1]) for n in names if (m := re.fullmatch(r"heading (\d)", n))), None)
        if heading is None and outline is None:
            outline = next((s.outline for s in chain if s.outline is not None), None)
        if heading is None and outline is not None:
            heading = outline + 1
        if "title" in names[:1]:
            return "block", ir.Heading(1, content), False
        if heading is not None:
            return "block", ir.Heading(min(heading, 6), content), False
        if (
            num_pr is not None
            or any(s.numbered for s in chain)
            or any(n.startswith("list") for n in names[:1])
        ):
            num_id = num_pr.find(f"{_W}numId") if num_pr is not None else None
            ilvl = num_pr.find(f"{_W}ilvl") if num_pr is not None else None
            key = (
                num_id.get(f"{_W}val", "") if num_id is not None else "",
                ilvl.get(f"{_W}val", "0") if ilvl is not None else "0",
            )
            if key[0] != "0":  # numId 0 switches numbering off
                numbered = self.doc.ordered.get(key, any("number" in n for n in names))
                return "item", ir.Paragraph(content), numbered
        if any(n in _QUOTE_STYLES for n in names):
            return "block", ir.Quote((ir.Paragraph(content),)), False
        return "block", ir.Paragraph(content), False

    def table(self, table: Any, depth: int) -> list[ir.Block]:
        rows: list[tuple[tuple[ir.Inline, ...], ...]] = []
        header_rows = 0
        for row in _children(table, f"{_W}tr"):
            cells = tuple(self.cell(cell, depth) for cell in _children(row, f"{_W}tc"))
            if not cells:
                continue
            header = row.find(f"{_W}trPr/{_W}tblHeader")
            if _on(header) and header_rows == len(rows):
                header_rows += 1
            rows.append(cells)
        if not rows:
            return []
        width = max(len(r) for r in rows)
        return [ir.Table(tuple(r + ((),) * (width - len(r)) for r in rows), header_rows)]

    def cell(self, cell: Any, depth: int) -> tuple[ir.Inline, ...]:
        """A cell's paragraphs as lines (tables hold inlines; a nested table becomes lines)."""
        lines: list[tuple[ir.Inline, ...]] = []
        for block in self.blocks(cell, depth + 1):
            lines.extend(_as_lines(block))
        for picture in self.pending:
            lines.extend(_as_lines(picture))
        self.pending = []
        out: list[ir.Inline] = []
        for line in lines:
            if out:
                out.append(ir.LineBreak())
            out.extend(line)
        return tuple(out)


def _as_lines(block: ir.Block) -> list[tuple[ir.Inline, ...]]:
    match block:
        case ir.Paragraph(content=content) | ir.Heading(content=content):
            return [content]
        case ir.Table(rows=rows):
            return [
                tuple(
                    n for i, cell in enumerate(row) for n in ((ir.Text(" | "),) if i else ()) + cell
                )
                for row in rows
            ]
        case ir.ListBlock(items=items):
            return [line for item in items for b in item for line in _as_lines(b)]
        case ir.Quote(blocks=blocks) | ir.Div(blocks=blocks):
            return [line for b in blocks for line in _as_lines(b)]
        case ir.Image(alt=alt):
            return [(ir.Text(f"[{alt}]"),)] if alt else []
        case ir.Rule():
            return []
        case _:
            ir.unknown_node(block, "docx reader")


def _children(element: Any, tag: str) -> Iterator[Any]:
    """Direct children with ``tag``, looking through content controls and tracked inserts."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}ins"):
            inner = child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child
            if inner is not None:
                yield from _children(inner, tag)


def _core(archive: ZipFile) -> dict[str, str]:
    part = _part_of_type(_relationships(archive, ""), "/core-properties")
    part = part if part in archive.NameToInfo else "docProps/core.xml"
    if part not in archive.NameToInfo:
        return {}
    try:
        root = _xml(archive, part)
    except InputError:
        return {}  # metadata is not worth refusing a readable body for
    out = {}
    for prefix in (_DC, _DCTERMS, _CP):
        for element in root.iter(f"{prefix}*"):
            name = element.tag.rsplit("}", 1)[-1]
            if element.text and element.text.strip() and name not in out:
                out[name] = element.text.strip()
    return out


def _foreign(archive: ZipFile) -> ir.Collection:
    main = _main_part(archive)
    rels = _relationships(archive, main)
    document = _Document(
        archive, rels, _styles(archive, rels), _numbering(archive, rels), _notes(archive, rels)
    )
    body = _xml(archive, main).find(f"{_W}body")
    if body is None:
        raise InputError(f"broken DOCX: {main} has no body")
    walk = _Walk(document)
    blocks = walk.blocks(body)
    core = _core(archive)
    title = core.get("title")
    if title is None and blocks and isinstance(blocks[0], ir.Heading) and blocks[0].level == 1:
        first = blocks[0]
        title = ir.plain_text(first.content).strip() or None
        blocks = blocks[1:]
    for kind in ("footnote", "endnote"):
        used = [key for key in document.used_notes if key[0] == kind]
        items = []
        for key in used:
            note_blocks = walk.blocks(document.notes[key])
            items.append(tuple(note_blocks) or (ir.Paragraph(()),))
        if items:
            start = document.used_notes.index(used[0]) + 1
            blocks.append(
                ir.Div(ir.Attr(classes=(f"{kind}s",)), (ir.ListBlock(True, tuple(items), start),))
            )

    def split(value: str | None) -> tuple[str, ...]:
        return tuple(p.strip() for p in re.split(r"[;,]", value or "") if p.strip())

    published = None
    if core.get("created"):
        try:
            moment = datetime.fromisoformat(core["created"].replace("Z", "+00:00"))
            published = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        except ValueError:
            published = None
    meta = ir.Meta(
        title=title,
        authors=split(core.get("creator")),
        keywords=split(core.get("keywords")),
        summary=core.get("description"),
        language=language_tag(core.get("language")),
        identifier=core.get("identifier"),
        section=tuple(p.strip() for p in core.get("category", "").split(">") if p.strip()),
        published=published,
        extra=(("subject", core["subject"]),) if core.get("subject") else (),
    )
    article = ir.Article(meta=meta, blocks=tuple(blocks), dropped=tuple(document.dropped))
    return ir.Collection(articles=(article,))


def read(data: bytes, *, name: str) -> ir.Collection:
    """Read a DOCX: the embedded IR when briefkit wrote it, else the document's content."""
    archive = open_zip(data, "DOCX")
    embedded = _embedded_ir(archive)
    if embedded is not None:
        return embedded
    return _foreign(archive)
