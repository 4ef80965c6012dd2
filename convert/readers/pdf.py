"""Reader ``pdf``: a briefkit digest back to its exact IR; any other PDF best-effort.

A briefkit PDF carries its IR JSON as the embedded file ``briefkit-ir.json`` (read with pypdf,
which also gives the Info dictionary and XMP language). Other PDFs are laid out with
pdfminer.six: its layout analysis groups positioned lines into text boxes, in reading order
(columns too; vertical CJK text as vertical boxes), so each box is a paragraph, lines are
joined (hyphenated words rejoined; no space between CJK lines), and a box set in a clearly
larger type than the body is a heading. A PDF that opens with an empty password (RC4 or
AES) is read; one that needs a password is refused with that reason. Pages without a text
layer (scans, JBIG2 images) are listed in ``dropped``; a PDF with no text at all is refused.
"""

from __future__ import annotations

import io
import itertools
import re
import statistics
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timezone
from typing import Any

from bidi import get_display

from ..media.pictures import PictureError, check, file_name
from ..model import ir, ir_json
from ..model.contracts import PDF_IR_ATTACHMENT as ATTACHMENT
from ..model.contracts import PDF_PICTURE_FOLDER as PICTURE_FOLDER
from ..model.errors import InputError
from ..model.language import RTL_LETTER, language_tag
from ._language import identify

MAX_PAGES = 20_000
_PLACEHOLDER_TITLES = frozenset(("untitled", "untitled document", "title", "document", "none"))
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_PRESENTATION = re.compile(r"[\ufb00-\ufdff\ufe70-\ufefe]+")
_PAGE_NUMBER = re.compile(
    r"(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?|(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?", re.I
)


@dataclass(frozen=True)
class _Box:
    text: str
    size: float
    page: int


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(r"[;,]", value or "") if p.strip())


_CJK_GAP = re.compile(
    r"(?<=[\u3000-\u30ff\u3400-\u9fff\uf900-\uffef]) (?=[\u3000-\u30ff\u3400-\u9fff\uf900-\uffef])"
)


def _join_lines(lines: list[str]) -> str:
    """One paragraph from a box's lines: hyphenated words rejoined, CJK lines run together
    (and the spaces layout analysis puts between loosely set CJK characters removed)."""
    out = ""
    for line in (raw.strip() for raw in lines):
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].islower():
            out = out[:-1] + line
        elif _CJK.match(out[-1]) and _CJK.match(line[0]):
            out += line
        else:
            out += " " + line
    return _CJK_GAP.sub("", out)


def _glyph_forms_to_letters(text: str) -> str:
    """Ligatures (ﬁ) and Arabic/Hebrew presentation forms (ﻟ) back to the letters they show."""
    if not _PRESENTATION.search(text):
        return text
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _line_text(line: Any) -> str:
    """A line's text in logical order.

    Some producers write right-to-left text in visual order (left to right on the page,
    often as presentation forms): then the Arabic or Hebrew characters' x positions rise, and
    the line is reordered with the Unicode bidi algorithm. Lines already in logical order
    (positions falling) are kept as they are.
    """
    # Imported here: pdfminer.six costs ~75 ms of start-up; only this path needs it.
    from pdfminer.layout import LTChar

    text = line.get_text()
    positions = [c.x0 for c in line if isinstance(c, LTChar) and RTL_LETTER.match(c.get_text())]
    if len(positions) < 2:
        return _glyph_forms_to_letters(text)
    rising = sum(b > a for a, b in itertools.pairwise(positions))
    if rising * 2 <= len(positions) - 1:
        return _glyph_forms_to_letters(text)

    # Reorder first, then decompose: a ligature glyph (lam-khah) stands for letters that are
    # already in logical order inside it.
    return _glyph_forms_to_letters(str(get_display(text.rstrip("\n")))) + "\n"


def _boxes(data: bytes, page_count: int) -> tuple[list[_Box], list[ir.Dropped]]:
    # Imported here: pdfminer.six costs ~75 ms of start-up; only this path needs it.
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar, LTFigure, LTImage, LTTextBox, LTTextLine

    boxes: list[_Box] = []
    dropped: list[ir.Dropped] = []
    params = LAParams(detect_vertical=True)
    for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=params), 1):
        if number > page_count:
            break
        found = False
        pictures = 0
        for element in page:
            if isinstance(element, LTTextBox):
                lines = [_line_text(line) for line in element if isinstance(line, LTTextLine)]
                text = _join_lines(
                    lines or _glyph_forms_to_letters(element.get_text()).splitlines()
                )
                if not text:
                    continue
                found = True
                if _PAGE_NUMBER.fullmatch(text):
                    dropped.append(ir.Dropped(text, f"page {number}: page number"))
                    continue
                sizes = [
                    char.size
                    for line in element
                    if isinstance(line, LTTextLine)
                    for char in line
                    if isinstance(char, LTChar)
                ]
                boxes.append(_Box(text, statistics.median(sizes) if sizes else 0.0, number))
            elif isinstance(element, (LTFigure, LTImage)):
                pictures += 1
        if not found:
            reason = (
                "no text layer: the page holds only images (a scan? run OCR first)"
                if pictures
                else "no text on this page"
            )
            dropped.append(ir.Dropped(f"page {number}", reason))
    return boxes, dropped


def _blocks(boxes: list[_Box]) -> list[ir.Block]:
    if not boxes:
        return []
    weights: dict[float, int] = {}
    for box in boxes:
        weights[round(box.size, 1)] = weights.get(round(box.size, 1), 0) + len(box.text)
    body = max(weights, key=lambda size: weights[size])  # the size most text is set in
    out: list[ir.Block] = []
    for box in boxes:
        ratio = box.size / body if body else 1.0
        if ratio >= 1.2 and len(box.text) <= 200:
            out.append(ir.Heading(1 if ratio >= 1.6 else 2, (ir.Text(box.text),)))
        else:
            out.append(ir.paragraph(box.text))
    return out


def _open(data: bytes) -> Any:
    # Imported here: pypdf costs ~70 ms of start-up; only this path needs it.
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except NotImplementedError as exc:
            raise InputError(f"encrypted PDF with an unsupported scheme ({exc})") from None
        except Exception as exc:
            raise InputError(f"damaged encrypted PDF ({type(exc).__name__})") from None
        if not opened:
            raise InputError("encrypted PDF: it needs a password (decrypt it first)")
    return reader


def pictures(data: bytes) -> Callable[[str], bytes | None]:
    """A lookup of a briefkit PDF's pictures by the name its embedded IR gives them.

    The pictures are read from the pages' image objects on first use and checked again:
    JPEGs are stored as they are and PNGs as their pixels, so the check gives the bytes the
    PDF was made from. SVG drawings are drawn as vectors; their sources are attachments.
    """

    found: dict[str, bytes] | None = None

    def candidates() -> Iterator[bytes]:
        for page in _open(data).pages:
            resources = page.get("/Resources") or {}
            objects = resources.get("/XObject") or {}
            for image in page.images:
                stream = objects.get("/" + image.name.rsplit(".", 1)[0]) if objects else None
                stream = stream.get_object() if stream is not None else None
                if stream is not None and stream.get("/Filter") in ("/DCTDecode", ["/DCTDecode"]):
                    yield stream.get_data()  # the JPEG as it was embedded (pypdf's .data
                    continue  # would decode and encode it again)
                yield image.data

    def lookup(name: str) -> bytes | None:
        nonlocal found
        if name.endswith(".svg"):  # a drawing: its source is attached under its name
            try:
                sources = _open(data).attachments.get(name) or []
            except Exception:  # a damaged PDF loses its pictures, not its text
                return None
            return sources[0] if sources else None
        if found is None:
            found = {}
            try:
                for raw in candidates():
                    try:
                        checked = check(raw)
                    except PictureError:
                        continue
                    found[PICTURE_FOLDER + file_name(checked.picture)] = checked.data
            except Exception:  # a damaged PDF loses its pictures, not its text
                pass
        return found.get(name)

    return lookup


def read(data: bytes, *, name: str) -> ir.Collection:
    """Read a PDF: the attached IR when briefkit wrote it, else metadata and laid-out text."""
    if not data.lstrip()[:5] == b"%PDF-":
        raise InputError("not a PDF file (no %PDF- header)")
    title: str | None = None
    authors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    subject = language = created = None
    page_count = MAX_PAGES
    notes: list[ir.Dropped] = []
    try:
        reader = _open(data)
        attachments = reader.attachments
        if ATTACHMENT in attachments:
            try:
                return ir_json.loads(attachments[ATTACHMENT][0].decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"broken briefkit PDF: the attached {ATTACHMENT} is not UTF-8 ({exc.reason})"
                ) from None
        page_count = len(reader.pages)
        if page_count > MAX_PAGES:
            raise InputError(f"refusing PDF with {page_count} pages (the limit is {MAX_PAGES})")
        info = reader.metadata
        xmp = reader.xmp_metadata
        title = (info.title if info else None) or None
        if title is not None and title.strip().lower() in _PLACEHOLDER_TITLES:
            title = None
        authors = _split(info.author if info else None)
        keywords = _split(info.get("/Keywords") if info else None)
        subject = (info.subject if info else None) or None
        language = language_tag(xmp.dc_language[0]) if xmp is not None and xmp.dc_language else None
        try:
            created = info.creation_date if info else None
        except ValueError:  # producers write many date dialects; a bad one costs only the date
            created = None
    except InputError:
        raise
    except (Exception, RecursionError) as exc:
        # pypdf gave up on the document structure; the layout pass below reads the pages
        # on its own and says so if it cannot either.
        notes.append(ir.Dropped("document information", f"unreadable ({_reason(exc)})"))
    try:
        boxes, dropped = _boxes(data, page_count)
    except InputError:
        raise
    except RecursionError:
        raise InputError("cannot read PDF: damaged file (objects nested too deeply)") from None
    except Exception as exc:
        if type(exc).__name__.startswith("PDFPassword"):
            raise InputError("encrypted PDF: it needs a password (decrypt it first)") from None
        raise InputError(f"cannot read PDF: damaged file ({_reason(exc)})") from None
    if not boxes:
        scans = any("no text layer" in d.reason for d in dropped)
        raise InputError(
            "no text to read: the pages hold only images (a scan? run OCR first)"
            if scans
            else "no text to read: the PDF has no text on any page"
        )
    blocks = _blocks(boxes)
    if title is None:
        first = next((b for b in blocks[:3] if isinstance(b, ir.Heading)), blocks[0])
        candidate = ir.plain_text(first.content)  # type: ignore[union-attr]
        if len(candidate) <= 200:  # a long first paragraph is body, not a title
            title = candidate
            blocks.remove(first)
    if created is not None and created.tzinfo is not None:
        created = created.astimezone(timezone.utc)
    text = " ".join(box.text for box in boxes[:200])
    meta = ir.Meta(
        title=title,
        authors=authors,
        keywords=keywords,
        summary=subject,
        language=identify(text, language),
        published=created,
    )
    return ir.Collection(
        articles=(ir.Article(meta=meta, blocks=tuple(blocks), dropped=(*notes, *dropped)),)
    )


def _reason(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}"[:200] if message else type(exc).__name__
