"""Names shared by a writer and the reader of its output: where the embedded IR lives.

Every briefkit document carries the IR it was made from, so reading it back is lossless.
The writer puts it there and the reader looks for it in the same place; keeping the names
here means a reader never imports a writer (and never loads reportlab to learn a file name).
"""

from __future__ import annotations

DOCX_IR_NAMESPACE = "urn:briefkit:ir"
"""Namespace of the DOCX custom XML part (``customXml/item1.xml``) holding the IR JSON."""

DOCX_IR_PART = "/customXml/item1.xml"
"""Package part name of that custom XML part."""

PDF_IR_ATTACHMENT = "briefkit-ir.json"
"""Name of the PDF embedded file (``/EmbeddedFiles`` and ``/AF``) holding the IR JSON."""

EPUB_IR_PATH = "data/briefkit-ir.json"
"""Path of the IR JSON inside an EPUB's content folder (manifest id ``briefkit-ir``)."""

EPUB_IR_ID = "briefkit-ir"
"""Manifest id of that item."""

XMP_NAMESPACE = "urn:briefkit:xmp:1"
"""Namespace of briefkit's own XMP properties (prefix ``bk``) in PDF metadata."""

PDF_PICTURE_FOLDER = "pictures/"
"""The embedded IR of a briefkit PDF names each picture ``pictures/<digest start>.<ext>``; the
``pdf`` reader finds it among the pages' images by that name."""

HTML_IR_ID = "briefkit-ir"
"""The ``id`` of the HTML page's ``<script type="application/json">`` block holding the IR."""

HTML_PICTURE_FOLDER = "pictures/"
"""How the IR embedded in an HTML page names its pictures: this folder and the picture's
file name, the ``data-briefkit-picture`` of the ``img`` whose ``data:`` URI holds it."""

MATCH_CLASS = "match"
"""The class of the span around a watch term in an article's text (``convert.app.watch``
marks it, every writer shows it highlighted)."""
