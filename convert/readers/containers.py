"""Where an input's own pictures are: inside a DOCX's or EPUB's zip, or a briefkit PDF's
attachments. :func:`container_for` gives the picture resolver a lookup by member name."""

from __future__ import annotations

import zipfile

from ..media.pictures import MAX_BYTES, Lookup
from ..model.errors import BriefkitError
from ._zipcheck import open_zip, read_member


def zip_members(data: bytes, kind: str) -> Lookup:
    """A lookup of a DOCX's or EPUB's members (opened on first use, size-checked)."""
    archive: zipfile.ZipFile | None = None

    def lookup(name: str) -> bytes | None:
        nonlocal archive
        if archive is None:
            archive = open_zip(data, kind)
        if name not in archive.NameToInfo:
            return None
        try:
            return read_member(archive, name, MAX_BYTES)
        except (KeyError, BriefkitError):
            return None

    return lookup


def container_for(format_name: str, data: bytes) -> Lookup | None:
    """How to look inside an input of this format for its own pictures, if it has any."""
    if format_name in ("docx", "epub"):
        return zip_members(data, format_name.upper())
    if format_name == "html":
        # The HTML reader (lxml.html, the byline and news cue patterns) costs ~30 ms of
        # every run's start-up: only for an HTML page's pictures.
        from .html import pictures as html_pictures

        return html_pictures(data)
    if format_name == "pdf":
        # The PDF reader brings pypdf and pdfminer (~15 ms of every run's start-up): only
        # for a PDF's pictures.
        from .pdf import pictures as pdf_pictures

        return pdf_pictures(data)
    return None
