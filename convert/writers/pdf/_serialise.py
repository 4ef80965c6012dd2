"""reportlab's object serialisation with its two slowest small steps made fast, same bytes.

Writing a digest's file formats every page, form, annotation and structure element through
``reportlab.pdfbase.pdfdoc``: each dictionary key goes through ``PDFName`` (a Python loop
over its characters) and nearly every piece of text through ``pdfdocEnc``, which encodes
with reportlab's ``extpdfdoc`` codec, a Python-level charmap (~2 µs a call, hundreds of
thousands of calls for a thousand articles: ~15 % of the file's formatting).

- PDFDocEncoding codes printable ASCII and the controls below U+0018 as ASCII does; such
  text is encoded as ASCII, anything else still by the codec (which also raises as before
  for U+0018-U+001F).
- A name is the same string every time: each distinct one is made once.

Importing this module installs both in ``pdfdoc`` (its own functions look them up there);
the file is the same byte for byte (tested against reportlab's own functions).
"""

from __future__ import annotations

import functools
import re

from reportlab.pdfbase import pdfdoc

plain_pdfdoc_enc = pdfdoc.pdfdocEnc
plain_pdf_name = pdfdoc.PDFName

_NOT_AS_ASCII = re.compile("[\x18-\x1f]")
"""ASCII characters PDFDocEncoding does not code as themselves (its breve, caron...)."""


def pdfdoc_enc(text: str | bytes) -> bytes:
    """``pdfdoc.pdfdocEnc``: ``text`` in PDFDocEncoding (bytes as they are)."""
    if type(text) is str and text.isascii() and not _NOT_AS_ASCII.search(text):
        return text.encode("ascii")
    return plain_pdfdoc_enc(text)  # type: ignore[no-any-return]


pdf_name = functools.lru_cache(maxsize=4096)(plain_pdf_name)
"""``pdfdoc.PDFName``: ``/name`` with reportlab's escapes, each distinct name made once."""


pdfdoc.pdfdocEnc = pdfdoc_enc
pdfdoc.PDFName = pdf_name
