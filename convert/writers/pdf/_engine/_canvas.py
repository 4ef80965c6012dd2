"""reportlab's canvas, table and image objects with the hooks the writer needs.

The rest of the writer subclasses :class:`EngineCanvas` and overrides its public hooks
(:meth:`EngineCanvas.page_finishing`, :meth:`EngineCanvas.annotation_added`) instead of
reportlab's private methods; streams are compressed here, pictures drawn here.
"""

from __future__ import annotations

import io
import zlib
from typing import Any

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObjectReference, PDFStream
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Table

from .._tags import artifact
from ._hooks import TextObject, image_xobject
from ._switch import fast

FAST = 1
"""zlib level for streams that qpdf compresses again when it packs the file."""


def flate_stream(compressed: bytes, entries: dict[str, Any] | None = None) -> PDFStream:
    """A stream whose content is already Flate-compressed (at :data:`FAST`).

    Its Filter is written the way reportlab writes it, as a one-filter array: reportlab
    leaves a stream that names its filter as it is, and qpdf, packing the file, decodes and
    compresses again every stream whose filter is such an array, so the file's bytes do not
    depend on the level used here (tested; a filter written as a name would be kept).
    """
    return PDFStream(
        PDFDictionary({**(entries or {}), "Filter": PDFArray([PDFName("FlateDecode")])}),
        compressed,
    )


def _stream_bytes(content: str | bytes) -> bytes:
    """Content as reportlab's Flate filter takes it (text as UTF-8)."""
    return content.encode("utf-8") if isinstance(content, str) else content


def _compress_content(holder: Any, comment: str) -> None:
    """Compress a finished page's or form's content now, not when the file is written:
    reportlab keeps every page's drawing commands as text until then (17 MB for 1,000
    articles).

    Binary, whatever reportlab's process-wide ``useA85`` says (its ASCII85 layer would make
    the file a quarter larger); see :func:`flate_stream` for the level. With the speed-ups
    off, compressed at zlib's default level (qpdf makes the two the same file).
    """
    if holder.compression and holder.stream and not holder.Contents:
        content = _stream_bytes(holder.stream)
        stream = flate_stream(zlib.compress(content, FAST if fast() else -1))
        stream.__Comment__ = comment
        holder.Contents, holder.stream = stream, None


class EngineCanvas(Canvas):  # type: ignore[misc]
    """reportlab's canvas drawing text through :class:`._hooks.TextObject`, with page and
    form streams compressed as they are finished, and two hooks for tagging."""

    @property
    def document(self) -> Any:
        """reportlab's ``PDFDocument`` being written (for references and forms)."""
        return self._doc

    def add_operator(self, operator: str) -> None:
        """Write ``operator`` into the content stream being drawn, as it is."""
        self._code.append(operator)

    def page_finishing(self, page: Any) -> None:
        """Called with each page (and form) object as reportlab finishes it."""

    def annotation_added(self, annotation: Any, reference: PDFObjectReference) -> None:
        """Called with each link annotation put on the page, and its reference."""

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> TextObject:
        return TextObject(self, x, y, direction=direction)

    def endForm(self, **extra_attributes: Any) -> None:
        name = self._formData[0]
        super().endForm(**extra_attributes)
        form = self._doc.idToObject[self._doc.getXObjectName(name)]
        _compress_content(form, "xobject form stream")

    def showPage(self) -> None:
        super().showPage()
        _compress_content(self._doc.Pages.pages[-1], "page stream")

    def _setAnnotations(self, page: Any) -> None:
        super()._setAnnotations(page)
        self.page_finishing(page)

    def _addAnnotation(self, annotation: Any, name: str | None = None, addtopage: int = 1) -> None:
        name = name or f"NUMBER{self._annotationCount + 1}"
        super()._addAnnotation(annotation, name, addtopage)
        self.annotation_added(annotation, self._doc.refAnnotation(name))


def draw_picture(
    canvas: Any, key: str, data: bytes, png: bool, width: float, height: float
) -> None:
    """Draw a JPEG or PNG at ``width`` x ``height`` from the canvas's origin, embedding it
    once per document under ``key`` (a JPEG as it is, a PNG's transparency as a soft
    mask shared by pictures with the same transparency)."""
    document = canvas._doc
    name = "bk" + key
    registered = document.getXObjectName(name)
    if registered not in document.idToObject:
        image = image_xobject(name, ImageReader(io.BytesIO(data)), mask="auto" if png else None)
        image.name = name
        canvas._setXObjects(image)
        document.Reference(image, registered)
        document.addForm(name, image)
        mask = getattr(image, "_smask", None)
        if mask is not None:  # a PNG's transparency, as a soft mask
            # Named by its pixels: pictures with the same transparency share one.
            mask_name = document.getXObjectName(mask.name)
            if mask_name in document.idToObject:
                image.smask = PDFObjectReference(mask_name)
            else:
                canvas._setXObjects(mask)
                image.smask = document.Reference(mask, mask_name)
            del image._smask
    canvas._currentPageHasImages = 1
    canvas._formsinuse.append(name)  # the page's resources name it
    canvas.saveState()
    canvas.scale(width, height)
    canvas._code.append(f"/{registered} Do")
    canvas.restoreState()


def draw_drawing(canvas: Any, drawing: Any, width: float, height: float) -> None:
    """Draw a reportlab Drawing (an SVG drawing, see :mod:`convert.media.svg`) scaled to
    ``width`` x ``height`` from the canvas's origin, as vectors."""
    # Imported here: reportlab's graphics package is only needed for a drawing.
    from reportlab.graphics import renderPDF

    canvas.saveState()
    canvas.scale(width / max(drawing.width, 1e-6), height / max(drawing.height, 1e-6))
    renderPDF.draw(drawing, canvas, 0, 0)
    canvas.restoreState()


class GridTable(Table):  # type: ignore[misc]
    """A table whose equal columns fill the width it is given (inside lists and quotes too);
    its backgrounds and grid lines are artifacts."""

    def _drawBkgrnd(self) -> None:
        with artifact(self.canv, "Layout"):
            super()._drawBkgrnd()

    def _drawLines(self) -> None:
        with artifact(self.canv, "Layout"):
            super()._drawLines()

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        columns = max(self._ncols, 1)
        self._argW = [max(available_width, 36.0) / columns] * columns
        self._colWidths = self._argW
        return super().wrap(available_width, available_height)  # type: ignore[no-any-return]
