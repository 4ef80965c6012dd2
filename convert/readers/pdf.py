"""Reader ``pdf``: a briefkit digest back to its exact IR; any other PDF best-effort (pypdf).

A briefkit PDF carries its IR JSON as the embedded file ``briefkit-ir.json``. Other PDFs give
their Info dictionary and XMP (language) as metadata and their text as paragraphs (blank lines
or page ends separate them; hard-wrapped lines are joined).
"""

from __future__ import annotations

import io
import re
from datetime import timezone

from .. import ir, ir_json
from ..contracts import PDF_IR_ATTACHMENT as ATTACHMENT
from ..errors import InputError
from ._language import guess_language, language_tag

MAX_PAGES = 20_000


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(r"[;,]", value or "") if p.strip())


def read(data: bytes, *, name: str) -> ir.Collection:
    """Read a PDF: the attached IR when briefkit wrote it, else metadata and text."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.lstrip()[:5] == b"%PDF-":
        raise InputError("not a PDF file (no %PDF- header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise InputError("encrypted PDF: decrypt it first")
        attachments = reader.attachments
        if ATTACHMENT in attachments:
            return ir_json.loads(attachments[ATTACHMENT][0].decode("utf-8"))
        pages = reader.pages
        if len(pages) > MAX_PAGES:
            raise InputError(f"refusing PDF with {len(pages)} pages (the limit is {MAX_PAGES})")
        text = "\n\n".join(page.extract_text() or "" for page in pages)
        info = reader.metadata
        xmp = reader.xmp_metadata
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(f"cannot read PDF: {exc}") from None
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.replace("\r", "")):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines:
            paragraphs.append(" ".join(lines))
    title = (info.title if info else None) or None
    if title is None and paragraphs:
        title = paragraphs.pop(0)
    language = None
    if xmp is not None and xmp.dc_language:
        language = language_tag(xmp.dc_language[0])
    try:
        created = info.creation_date if info else None
    except ValueError:  # producers write many date dialects; a bad one costs only the date
        created = None
    if created is not None and created.tzinfo is not None:
        created = created.astimezone(timezone.utc)
    meta = ir.Meta(
        title=title,
        authors=_split(info.author if info else None),
        keywords=_split(info.get("/Keywords") if info else None),
        summary=(info.subject if info else None) or None,
        language=language or guess_language(text),
        published=created,
    )
    return ir.Collection(
        articles=(ir.Article(meta=meta, blocks=tuple(ir.paragraph(p) for p in paragraphs)),)
    )
