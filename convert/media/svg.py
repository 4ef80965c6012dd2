"""SVG drawings: read within limits, made safe, measured, and drawn for the PDF and DOCX.

News pages draw charts and maps as SVG. A drawing from an input is hostile until made safe:
:func:`sanitise` parses it without entities, a network or a DTD (a document that declares
entities is refused: an entity bomb; libxml2 refuses nesting deeper than 256), refuses more
than :data:`MAX_ELEMENTS` elements, and keeps only drawing elements of the SVG namespace:
scripts, ``foreignObject``, animations (which can set a link), embedded or linked raster
images, other namespaces' elements and attributes, event attributes (``onload``...), links
and ``url()`` references that leave the drawing, and style sheets that import or link
anything are removed. What is left is serialised again with a definite pixel size, so every
writer draws the same picture and a drawing made safe twice is byte for byte the same.

The EPUB and HTML writers embed the safe SVG as it is; the PDF writer draws it as vectors
(:func:`to_drawing`, with svglib); the DOCX writer shows a PNG rendering (:func:`to_png`, with
resvg) with the SVG beside it, which Word 2016 and LibreOffice show instead.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from ..model.errors import BriefkitError

MAX_ELEMENTS = 20_000
"""More elements than this is refused: drawing them would take seconds each (svglib draws
~6,000 elements a second), and a news chart or map has a few thousand at most."""
MAX_SIDE = 20_000
"""The largest width or height, in CSS pixels, a drawing keeps; larger ones are scaled down."""
MEDIA_TYPE = "image/svg+xml"

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

_ALLOWED = frozenset(
    " ".join(
        (
            "svg g defs symbol use title desc switch a style",
            "path rect circle ellipse line polyline polygon text tspan textPath",
            "linearGradient radialGradient stop pattern clipPath mask marker filter",
            "feBlend feColorMatrix feComponentTransfer feComposite feDropShadow feFlood",
            "feFuncA feFuncB feFuncG feFuncR feGaussianBlur feMerge feMergeNode",
            "feMorphology feOffset",
        )
    ).split()
)
"""Drawing elements kept (``a`` becomes a plain group); every other element goes with its
content: ``script``, ``foreignObject``, ``image``, ``feImage``, ``animate``, ``set``..."""
_SHAPES = frozenset(
    ["path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "use"]
)
_URL = re.compile(r"url\(\s*(['\"]?)\s*([^)'\"]*)\1\s*\)", re.I)
_LENGTH = re.compile(
    r"\s*([+]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|em|ex)?\s*", re.I
)
_UNITS = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54,
          "in": 96.0, "em": 16.0, "ex": 8.0}  # fmt: skip
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


_ENTITIES = "refused: an SVG drawing that declares entities (an entity bomb?)"


class SvgError(BriefkitError):
    """An SVG drawing that cannot be used: broken, hostile or too large."""


def looks_like_svg(data: bytes) -> bool:
    """True when ``data`` begins like an SVG document."""
    head = data[:1024].lstrip().lower()
    return head.startswith(b"<svg") or (
        head.startswith((b"<?xml", b"<!doctype", b"<!--")) and b"<svg" in head
    )


def _safe_value(value: str) -> bool:
    """False for a value that could run code or load something from outside the drawing."""
    lowered = value.lower()
    if "javascript:" in lowered or "expression(" in lowered or "@import" in lowered:
        return False
    targets = [target for _, target in _URL.findall(value)]
    return lowered.count("url(") == len(targets) and all(t.startswith("#") for t in targets)


def _clean(element: etree._Element) -> None:
    for key in list(element.attrib):
        name = etree.QName(key)
        namespace, local = name.namespace or "", name.localname
        value = element.attrib[key]
        keep = (
            namespace in ("", XLINK_NS, XML_NS)
            and not local.lower().startswith("on")
            and (local != "href" or value.strip().startswith("#"))
            and _safe_value(value)
        )
        if not keep:
            del element.attrib[key]
    for child in list(element):  # comments and processing instructions are parsed away
        name = etree.QName(child)
        namespace, local = name.namespace, name.localname
        if (
            namespace != SVG_NS
            or local not in _ALLOWED
            or (local == "style" and not _safe_value("".join(child.itertext())))
        ):
            element.remove(child)
        else:
            if local == "a":
                child.tag = f"{{{SVG_NS}}}g"
            _clean(child)


def _length(value: str | None) -> float | None:
    match = _LENGTH.fullmatch(value or "")
    if match is None:
        return None  # absent, a percentage or "auto": the viewBox decides
    return float(match.group(1)) * _UNITS[(match.group(2) or "").lower()]


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _size(root: etree._Element) -> tuple[float, float]:
    """The drawing's width and height in CSS pixels, as a browser would size it."""
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = [float(n) for n in re.split(r"[\s,]+", root.get("viewBox", "").strip()) if n][:4]
    ratio = box[2] / box[3] if len(box) == 4 and box[2] > 0 and box[3] > 0 else None
    if width is None and height is None:
        width, height = (box[2], box[3]) if ratio else (300.0, 150.0)
    elif width is None:
        width = height * ratio if ratio and height is not None else 300.0
    elif height is None:
        height = width / ratio if ratio else 150.0
    assert width is not None and height is not None
    if not (math.isfinite(width) and math.isfinite(height)) or width <= 0 or height <= 0:
        raise SvgError("an SVG drawing without a usable size")
    return width, height


def sanitise(data: bytes) -> tuple[bytes, int, int]:
    """The drawing made safe (see the module doc), and its width and height in pixels."""
    start = data.find(b"<svg")
    if b"<!ENTITY" in data[: start if start >= 0 else len(data)]:
        raise SvgError(_ENTITIES)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise SvgError(f"broken SVG drawing ({str(exc).splitlines()[0]})") from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise SvgError(_ENTITIES)
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SvgError("not an SVG drawing (its root is not an svg element)")
    count = sum(1 for _ in root.iter())
    if count > MAX_ELEMENTS:
        raise SvgError(
            f"refused: an SVG drawing of {count:,} elements (the limit is {MAX_ELEMENTS:,})"
        )
    width, height = _size(root)
    _clean(root)
    if not any(etree.QName(e).localname in _SHAPES for e in root.iter()):
        # Only linked pictures, scripts or foreign content: a blank page is no picture.
        raise SvgError("an SVG drawing with nothing left to draw once made safe")
    if root.get("viewBox") is None:
        root.set("viewBox", f"0 0 {_number(width)} {_number(height)}")
    scale = min(1.0, MAX_SIDE / width, MAX_SIDE / height)
    width, height = max(1.0, width * scale), max(1.0, height * scale)
    root.set("width", _number(width))
    root.set("height", _number(height))
    etree.cleanup_namespaces(root)
    safe = etree.tostring(root, encoding="utf-8")
    return safe, max(1, round(width)), max(1, round(height))


# --------------------------------------------------------------------------- drawing


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Keep a library's log records off stderr while the block runs (stderr is for the
    user): with a handler of its own on the library's logger, Python's last-resort handler
    never prints them; an application that set up logging still receives them."""
    handler = logging.NullHandler()
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def to_drawing(data: bytes, font_name: str) -> Any:
    """A safe SVG as a reportlab Drawing (in points), its text in the registered font
    ``font_name`` (an embedded font: a PDF/UA file may not use the unembedded Helvetica)."""
    # Imported here: svglib costs ~60 ms of start-up; only a PDF with a drawing needs it.
    from svglib.fonts import FontMap
    from svglib.svglib import svg2rlg

    class OneFont(FontMap):  # type: ignore[misc]
        def find_font(self, *_: object, **__: object) -> tuple[str, bool]:
            return font_name, True

    with _quiet("svglib"):
        drawing = svg2rlg(io.BytesIO(data), font_map=OneFont())
    # svglib gives None only for a document it cannot parse; a safe drawing always parses.
    assert drawing is not None
    drawing.initialFontName = font_name  # reportlab's renderer starts in Helvetica else
    return drawing


def to_png(data: bytes, width: int, font_files: list[Path], family: str) -> bytes:
    """A safe SVG rendered as a PNG ``width`` pixels wide, its text in ``family`` from
    ``font_files`` whatever family it names (no system font is looked up, so the rendering
    is the same wherever it is made)."""
    # Imported here: only a DOCX with a drawing needs it.
    import resvg_py

    try:
        png = resvg_py.svg_to_bytes(
            svg_string=data.decode("utf-8"),
            width=width,
            skip_system_fonts=True,
            font_files=[str(path) for path in font_files],
            font_family=family,
            serif_family=family,
            sans_serif_family=family,
            monospace_family=family,
        )
    except ValueError as exc:
        raise SvgError(f"an SVG drawing that could not be rendered ({exc})") from None
    return bytes(png)
