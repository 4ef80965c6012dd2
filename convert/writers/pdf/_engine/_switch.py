"""The switch of every speed-up of the PDF writer, read once per build.

``BRIEFKIT_PDF_FAST=0`` in the environment turns them all off for the builds that start
while it is set: the writer then takes reportlab's own paths (line breaking, markup parse,
string widths, subset coding, stream compression level, the whole story made up front),
and the equivalence tests compare the two files byte for byte. A context variable, so two
builds in two threads each keep their own.
"""

from __future__ import annotations

import contextvars
import os

_FAST: contextvars.ContextVar[bool] = contextvars.ContextVar("briefkit_pdf_fast", default=True)


def fast() -> bool:
    """True unless the build being made runs with ``BRIEFKIT_PDF_FAST=0``."""
    return _FAST.get()


def start_build() -> contextvars.Token[bool]:
    """Read the switch for one build (in this thread's context); pass the token to
    :func:`end_build`."""
    return _FAST.set(os.environ.get("BRIEFKIT_PDF_FAST", "1").strip() != "0")


def end_build(token: contextvars.Token[bool]) -> None:
    _FAST.reset(token)
