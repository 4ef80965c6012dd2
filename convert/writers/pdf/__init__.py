"""Writer ``pdf``: PDF digests with reportlab platypus.

The document plan (:mod:`convert.plan.layout`) decides what is shown; this package lays it out:
``_flowables`` turns the plan's lines and the IR bodies into platypus flowables (one
ParagraphStyle per role, text escaped and cut into font runs by ``_fonts``), ``_pages``
draws the running header and numbers the pages and the contents in a single layout pass,
and ``_metadata`` writes the XMP and attaches the IR JSON, which the ``pdf`` reader reads
back losslessly.
"""

from __future__ import annotations

import gc
import itertools
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
)

from ...media import pictures
from ...media.fonts import find_font_file
from ...model import ir
from ...model.contracts import PDF_PICTURE_FOLDER as PICTURE_FOLDER
from ...model.errors import BriefkitError, BriefkitWarning
from ...plan.layout import plan
from ...plan.metadata import PRODUCER, collection_language, slot_values
from ...plan.styles import Style
from ._engine import end_build, start_build
from ._flowables import Builder, Progress
from ._fonts import Fonts
from ._metadata import catalog_entries
from ._pages import DigestDocument, LazyStory, canvas_class, header_painter

__all__ = ["find_font_file", "preload_fonts", "write"]

BIG_DOCUMENT = 50
"""From this many articles the layout's memory is collected before the file is packed."""


def write(collection: ir.Collection, out: BinaryIO, style: Style) -> None:
    """Write ``collection`` as a PDF digest to ``out``."""
    switch = start_build()
    try:
        missing = _write(collection, out, style)
    finally:
        end_build(switch)
    if missing:
        shown = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in sorted(missing)[:8])
        more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        warnings.warn(
            BriefkitWarning(
                f"no installed font has {shown}{more}: printed as missing glyphs (install "
                "fonts-noto-core, or name a font that has them in the style's [script_fonts])"
            ),
            stacklevel=2,
        )


def preload_fonts(style: Style) -> None:
    """Register the style's body, heading and mono fonts now (a worker process does it once,
    before its first PDF); a missing font is left for the build that needs it to report."""
    fonts = Fonts(style)
    for role in ("body", "heading", "mono"):
        try:
            fonts.pair(role)
        except BriefkitError:
            return


def _write(collection: ir.Collection, out: BinaryIO, style: Style) -> set[str]:
    """Lay the digest out and pack it into ``out``; returns the characters no font has."""
    with tempfile.TemporaryDirectory(prefix="briefkit-") as folder:
        laid_out = Path(folder, "laid-out.pdf")
        # The layout's objects (story, reportlab's document) are gone before the packing.
        with laid_out.open("wb") as stream:
            missing = _lay_out(collection, style, stream)
        if len(collection.articles) >= BIG_DOCUMENT:
            # reportlab's document and canvas refer to each other: free a big layout before
            # packing. (A full collection costs ~40 ms, most of a one-article PDF's time.)
            gc.collect()
        _packed(laid_out, out)
    return missing


def _lay_out(collection: ir.Collection, style: Style, laid_out: BinaryIO) -> set[str]:
    """reportlab's PDF of ``collection``; returns the characters no font has."""
    document = plan(collection, style)
    fonts = Fonts(style)
    progress = Progress()
    language = collection_language(collection)
    builder = Builder(style, fonts, progress, language)
    page = style.page
    width, height = (side * mm for side in style.page_size_mm)
    left, right = page["margin_left_mm"] * mm, page["margin_right_mm"] * mm
    top, bottom = page["margin_top_mm"] * mm, page["margin_bottom_mm"] * mm
    frame = Frame(
        left, bottom, width - left - right, height - top - bottom,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body",
    )  # fmt: skip
    header = header_painter(style, document, fonts, progress)
    templates = [PageTemplate(id="body", frames=[frame], onPageEnd=header)]
    front: list[Flowable] = []
    if document.has_cover:
        templates.insert(0, PageTemplate(id="cover", frames=[frame]))
        front.extend(builder.cover(document))
        front += [NextPageTemplate("body"), PageBreak()]
    if document.has_contents:
        front.extend(builder.contents(document))
        front.append(PageBreak())

    def articles() -> Iterator[list[Flowable]]:
        for article in document.articles:
            part: list[Flowable] = []
            if article.number > 1:
                part.append(PageBreak() if document.page_breaks else builder.separator())
            head, rest = builder.article(article)
            # Keep the article's head on one page with its first paragraph; a table or list
            # would be wrapped again and again inside KeepTogether.
            if rest and isinstance(rest[0], Paragraph):
                head.append(rest.pop(0))
            part.append(KeepTogether(head))
            part.extend(rest)
            yield part

    story = LazyStory(itertools.chain([front], articles()))
    # Even one character per line fills a page only every ~50 characters.
    characters = sum(len(ir.plain_text(a.blocks)) + 200 for a in collection.articles)
    progress.page_limit = 50 + characters // 10
    doc = DigestDocument(
        laid_out,
        pagesize=(width, height),
        pageTemplates=templates,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        **_info(collection),
        creator=PRODUCER,
        producer=PRODUCER,
        invariant=0,
        initialFontName=fonts.pair("body")[0].regular,  # no unembedded Helvetica
    )
    # The embedded IR names each picture by where the pdf reader finds it again.
    recorded = pictures.with_sources(collection, lambda p: PICTURE_FOLDER + pictures.file_name(p))
    finish = catalog_entries(recorded, style.layout["embed_ir"], outline=document.several)
    doc.build(
        story,
        canvasmaker=canvas_class(style, document, fonts, progress, finish, builder.tags),
    )
    return set(fonts.missing)


def _info(collection: ir.Collection) -> dict[str, str]:
    """The Info dictionary: the table's ``info:`` slots, as reportlab's document arguments.

    reportlab writes Title, Author, Subject and Keywords in every file ("(anonymous)" when
    not given): an unfilled one is left empty rather than made up.
    """
    info = dict.fromkeys(("title", "author", "subject", "keywords"), "")
    for key, value in slot_values(collection, "pdf", "info:"):
        assert isinstance(value, str)  # one line: several=False, no times in Info slots
        info[key.lower()] = value
    return info


def _packed(laid_out: Path, out: BinaryIO) -> None:
    """reportlab's file with its small objects packed into compressed object streams.

    reportlab writes every object on its own, uncompressed: the structure tree's thousands
    of elements made a 1,000-article digest a quarter larger (10.2 -> 12.8 MB). qpdf (through
    pikepdf) packs them into object streams, PDF 1.5's way, leaving the page content, fonts
    and images as they are; the result is deterministic like the input.
    """
    # Imported here: pikepdf costs ~35 ms of start-up; only this path needs it.
    import pikepdf

    # By its path, not a Python file object: qpdf reads every stream's data again while it
    # writes, and through a file object's read() that doubled the packing time.
    with pikepdf.open(laid_out) as pdf:
        pdf.save(
            out,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            compress_streams=True,  # the new object streams; reportlab's stay as they are
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            deterministic_id=True,
            fix_metadata_version=False,
        )
