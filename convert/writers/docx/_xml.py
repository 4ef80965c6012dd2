"""Raw WordprocessingML for the DOCX writer and reader: the only place that spells XML.

Body content is produced as text (escaped here) and parsed once, which is what makes large
briefings fast: python-docx's ``add_paragraph`` searches for ``sectPr`` on every call and
goes quadratic. Package-level extras python-docx has no API for live here too: custom
properties, the custom XML part carrying the IR, app.xml, and the reproducible zip rewrite.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import lru_cache

from ...model.contracts import DOCX_IR_NAMESPACE as IR_NS
from ...model.language import RTL_STRETCH, has_right_to_left
from ...model.xmltext import escape, quoteattr
from ...plan.metadata import iso_utc

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
CUSTOM_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one Word uses for user properties


def w(tag: str) -> str:
    """Clark name of a ``w:`` element or attribute."""
    return f"{{{W_NS}}}{tag}"


def text(value: str) -> str:
    """Escape character data."""
    return escape(value)


def attr(value: str) -> str:
    """A quoted, escaped attribute value."""
    return quoteattr(value)


# --------------------------------------------------------------------------- runs


@lru_cache(maxsize=1024)
def run_properties(
    *,
    style: str | None = None,
    mono: str | None = None,
    bold: bool = False,
    italic: bool = False,
    lang: str | None = None,
    east_asia_lang: str | None = None,
    bidi_lang: str | None = None,
    shading: str | None = None,
) -> str:
    """``w:rPr`` with children in schema order (rStyle, rFonts, b, i, shd, lang);
    ``shading`` is a background colour (``RRGGBB``) behind the run."""
    parts = []
    if style:
        parts.append(f"<w:rStyle w:val={attr(style)}/>")
    if mono:
        parts.append(f"<w:rFonts w:ascii={attr(mono)} w:hAnsi={attr(mono)} w:cs={attr(mono)}/>")
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if shading:
        parts.append(f'<w:shd w:val="clear" w:color="auto" w:fill={attr(shading)}/>')
    if lang or east_asia_lang or bidi_lang:
        val = f" w:val={attr(lang)}" if lang else ""
        east = f" w:eastAsia={attr(east_asia_lang)}" if east_asia_lang else ""
        bidi = f" w:bidi={attr(bidi_lang)}" if bidi_lang else ""
        parts.append(f"<w:lang{val}{east}{bidi}/>")
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def run(value: str, rpr: str = "") -> str:
    """A ``w:r`` with one ``w:t`` (spaces preserved); Arabic, Hebrew and other right-to-left
    stretches become runs of their own marked ``w:rtl`` (Word's complex-script run)."""
    if not has_right_to_left(value):
        return f'<w:r>{rpr}<w:t xml:space="preserve">{text(value)}</w:t></w:r>'
    out, start = [], 0
    rtl_rpr = _with_rtl(rpr)
    for match in RTL_STRETCH.finditer(value):
        if match.start() > start:
            out.append(run(value[start : match.start()], rpr))
        out.append(f'<w:r>{rtl_rpr}<w:t xml:space="preserve">{text(match.group())}</w:t></w:r>')
        start = match.end()
    if start < len(value):
        out.append(run(value[start:], rpr))
    return "".join(out)


def _with_rtl(rpr: str) -> str:
    """``rpr`` with ``w:rtl`` in its schema place (after the fonts and toggles, before lang)."""
    if not rpr:
        return "<w:rPr><w:rtl/></w:rPr>"
    at = rpr.find("<w:lang")
    at = at if at >= 0 else rpr.rfind("</w:rPr>")
    return rpr[:at] + "<w:rtl/>" + rpr[at:]


def bidi_paragraphs(xml: str) -> str:
    """Every ``w:p`` of ``xml`` marked right-to-left (``w:bidi``, before spacing and jc)."""

    def mark(match: re.Match[str]) -> str:
        props = match.group(1)
        if props is None:
            return "<w:p><w:pPr><w:bidi/></w:pPr>"
        at = min((i for i in (props.find("<w:spacing"), props.find("<w:jc")) if i >= 0),
                 default=len(props))  # fmt: skip
        return f"<w:p><w:pPr>{props[:at]}<w:bidi/>{props[at:]}</w:pPr>"

    return re.sub(r"<w:p>(?:<w:pPr>(.*?)</w:pPr>)?", mark, xml)


def line_break(rpr: str = "") -> str:
    """A ``w:r`` holding a line break."""
    return f"<w:r>{rpr}<w:br/></w:r>"


def run_tab(rpr: str = "") -> str:
    """A run holding a tab character."""
    return f"<w:r>{rpr}<w:tab/></w:r>"


def hyperlink(runs: str, *, rid: str | None = None, anchor: str | None = None) -> str:
    """A ``w:hyperlink`` to an external relationship or an internal bookmark."""
    target = f" r:id={attr(rid)}" if rid else f" w:anchor={attr(anchor or '')}"
    return f'<w:hyperlink{target} w:history="1">{runs}</w:hyperlink>'


def simple_field(instruction: str, shown: str, rpr: str = "") -> str:
    """A ``w:fldSimple`` (PAGE, NUMPAGES...) with a placeholder result."""
    return f"<w:fldSimple w:instr={attr(f' {instruction} ')}>{run(shown, rpr)}</w:fldSimple>"


def bookmark(number: int, name: str, inner: str) -> str:
    """``inner`` wrapped in a bookmark (for the contents table's internal links)."""
    return (
        f'<w:bookmarkStart w:id="{number}" w:name={attr(name)}/>{inner}'
        f'<w:bookmarkEnd w:id="{number}"/>'
    )


_SVG_BLIP = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
"""The extension of Office 2016 that gives a picture an SVG beside its PNG."""
ASVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def picture_run(
    rid: str,
    number: int,
    name: str,
    alt: str,
    width_emu: int,
    height_emu: int,
    svg_rid: str = "",
) -> str:
    """A run holding an inline picture; ``alt`` goes into the drawing's description (what Word
    and screen readers call alternative text). With ``svg_rid`` the picture is that SVG
    drawing, ``rid`` its PNG rendering for readers without SVG."""
    size = f'cx="{width_emu}" cy="{height_emu}"'
    described = f"name={attr(name)} descr={attr(alt)}"
    blip = f'<a:blip r:embed="{rid}"/>'
    if svg_rid:
        blip = (
            f'<a:blip r:embed="{rid}"><a:extLst><a:ext uri="{_SVG_BLIP}">'
            f'<asvg:svgBlip xmlns:asvg="{ASVG_NS}" r:embed="{svg_rid}"/>'
            "</a:ext></a:extLst></a:blip>"
        )
    return (
        '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent {size}/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{number}" {described}/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{A_NS}" noChangeAspect="1"/>'
        f'</wp:cNvGraphicFramePr><a:graphic xmlns:a="{A_NS}"><a:graphicData uri="{PIC_NS}">'
        f'<pic:pic xmlns:pic="{PIC_NS}"><pic:nvPicPr><pic:cNvPr id="{number}" {described}/>'
        '<pic:cNvPicPr><a:picLocks noChangeAspect="1" noChangeArrowheads="1"/></pic:cNvPicPr>'
        f"</pic:nvPicPr><pic:blipFill>{blip}<a:stretch><a:fillRect/>"
        '</a:stretch></pic:blipFill><pic:spPr bwMode="auto"><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext {size}/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        "</pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


# --------------------------------------------------------------------------- paragraphs


def paragraph(
    runs: str,
    *,
    style: str | None = None,
    page_break_before: bool = False,
    keep_next: bool = False,
    num: tuple[int, int] | None = None,
    bottom_border: tuple[str, float] | None = None,
    space_before: float | None = None,
) -> str:
    """A ``w:p``; ``num`` is (numId, level); ``bottom_border`` (colour, width in points);
    ``space_before`` in points overrides the style's; pPr children in schema order."""
    props = paragraph_properties(
        style, page_break_before, keep_next, num, bottom_border, space_before
    )
    return f"<w:p>{props}{runs}</w:p>"


@lru_cache(maxsize=1024)
def paragraph_properties(
    style: str | None,
    page_break_before: bool,
    keep_next: bool,
    num: tuple[int, int] | None,
    bottom_border: tuple[str, float] | None,
    space_before: float | None,
) -> str:
    """``w:pPr`` for :func:`paragraph` (cached: a briefing repeats a few dozen of them)."""
    ppr = []
    if style:
        ppr.append(f"<w:pStyle w:val={attr(style)}/>")
    if keep_next:
        ppr.append("<w:keepNext/>")
    if page_break_before:
        ppr.append("<w:pageBreakBefore/>")
    if num is not None:
        ppr.append(f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>')
    if bottom_border:
        colour, width = bottom_border
        eighths = max(2, min(96, round(width * 8)))  # border widths are in eighths of a point
        line = f'w:val="single" w:sz="{eighths}" w:space="1" w:color="{colour.lstrip("#")}"'
        ppr.append(f"<w:pBdr><w:bottom {line}/></w:pBdr>")
    if space_before is not None:
        ppr.append(f'<w:spacing w:before="{round(space_before * 20)}"/>')
    return f"<w:pPr>{''.join(ppr)}</w:pPr>" if ppr else ""


def table(
    rows: list[list[str]],
    header_rows: int,
    width_twips: int,
    style: str,
    fractions: tuple[float, ...] | None = None,
    caption: str | None = None,
    description: str | None = None,
) -> str:
    """A full-width ``w:tbl``; each cell is already-built paragraph XML.

    ``fractions`` gives each column's share of the width (equal shares by default);
    ``caption`` and ``description`` are the table's alternative text (Word's "Alt Text").
    """
    columns = max((len(r) for r in rows), default=1) or 1
    shares = fractions if fractions and len(fractions) == columns else (1 / columns,) * columns
    widths = [int(width_twips * share) for share in shares]
    grid = "".join(f'<w:gridCol w:w="{col}"/>' for col in widths)
    out = [
        f'<w:tbl><w:tblPr><w:tblStyle w:val={attr(style)}/><w:tblW w:w="5000" w:type="pct"/>'
        f'<w:tblLook w:val="04A0" w:firstRow="{1 if header_rows else 0}" w:lastRow="0" '
        f'w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        + (f"<w:tblCaption w:val={attr(caption)}/>" if caption else "")
        + (f"<w:tblDescription w:val={attr(description)}/>" if description else "")
        + "</w:tblPr>"
        f"<w:tblGrid>{grid}</w:tblGrid>"
    ]
    for index, row in enumerate(rows):
        header = "<w:trPr><w:tblHeader/></w:trPr>" if index < header_rows else ""
        cells = [*row, *([paragraph("")] * (columns - len(row)))]
        tcs = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{col}" w:type="dxa"/></w:tcPr>{cell or paragraph("")}'
            "</w:tc>"
            for col, cell in zip(widths, cells, strict=True)
        )
        out.append(f"<w:tr>{header}{tcs}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def body_fragment(xml: str) -> str:
    """Wrap body content so it parses as one element with the right namespaces."""
    return f'<w:body xmlns:w="{W_NS}" xmlns:r="{R_NS}">{xml}</w:body>'


# --------------------------------------------------------------------------- numbering


def abstract_numbering(abstract_id: int, ordered: bool, font: str, step_twips: int) -> str:
    """A nine-level bullet or decimal list definition, each level ``step_twips`` further in."""
    levels = []
    for level in range(9):
        indent = step_twips * (level + 1) + 360
        if ordered:
            fmt, lvl_text, rpr = "decimal", f"%{level + 1}.", ""
        else:
            fmt, lvl_text = "bullet", "•◦▪"[level % 3]
            rpr = f"<w:rPr><w:rFonts w:ascii={attr(font)} w:hAnsi={attr(font)}/></w:rPr>"
        levels.append(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val={attr(lvl_text)}/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{indent}" w:hanging="360"/></w:pPr>{rpr}</w:lvl>'
        )
    return (
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{"".join(levels)}</w:abstractNum>'
    )


def numbering_instance(num_id: int, abstract_id: int, level: int, start: int) -> str:
    """A ``w:num`` that restarts its list at ``start`` (so each list counts from its own 1)."""
    return (
        f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
        f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        f"</w:num>"
    )


# --------------------------------------------------------------------------- package parts


def custom_properties(values: list[tuple[str, str | datetime]]) -> bytes:
    """``docProps/custom.xml``: strings as ``vt:lpwstr``, datetimes as ``vt:filetime``."""
    props = []
    for pid, (name, value) in enumerate(values, start=2):
        if isinstance(value, datetime):
            typed = f"<vt:filetime>{iso_utc(value)}</vt:filetime>"
        else:
            typed = f"<vt:lpwstr>{text(value)}</vt:lpwstr>"
        props.append(f'<property fmtid="{_FMTID}" pid="{pid}" name={attr(name)}>{typed}</property>')
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<Properties xmlns="{CUSTOM_PROPS_NS}" xmlns:vt="{VT_NS}">{"".join(props)}</Properties>'
    ).encode()


def ir_item(json_pieces: Iterable[str]) -> Iterator[str]:
    """The custom XML part holding the IR JSON (so a briefkit DOCX reads back losslessly)."""
    yield "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    yield f'<ir xmlns="{IR_NS}" version="1">'
    for piece in json_pieces:
        yield text(piece)
    yield "</ir>"


def ir_item_properties() -> bytes:
    """``itemProps`` for the IR part; the item id is fixed (it names the part, not content)."""
    item_id = str(uuid.uuid5(uuid.NAMESPACE_URL, IR_NS)).upper()
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<ds:datastoreItem xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"'
        f' ds:itemID="{{{item_id}}}"><ds:schemaRefs><ds:schemaRef ds:uri="{IR_NS}"/>'
        "</ds:schemaRefs></ds:datastoreItem>"
    ).encode()


def app_properties(application: str, pages: int = 1) -> bytes:
    """``docProps/app.xml`` naming briefkit, not the template's "Microsoft Macintosh Word"."""
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
        f' xmlns:vt="{VT_NS}"><Application>{text(application)}</Application>'
        "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode()


XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
