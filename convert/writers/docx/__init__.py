"""Writer ``docx``: DOCX briefings with python-docx.

The document plan (:mod:`convert.plan.layout`) decides what is shown; this package maps each of
its roles to a named Word style (``_styles``: "Title", "Article Meta", "Body Text"... so
users can restyle in Word), renders the plan and the IR bodies as WordprocessingML
(``_body``), and packages the file (``_package``): core and custom properties from the
metadata table, the IR as a custom XML part (which the ``docx`` reader reads back
losslessly), fixed zip timestamps. All raw XML is spelled in ``_xml``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any, BinaryIO

import docx

from ...media import pictures
from ...model import ir
from ...plan.layout import Plan, plan
from ...plan.styles import Style
from ._body import BodyWriter
from ._engine import replace_styles_element, styles_element
from ._package import (
    add_pictures,
    body_pieces,
    document_settings,
    package_parts,
    page_setup,
    save,
)
from ._styles import define_styles


def write(collection: ir.Collection, out: BinaryIO, style: Style) -> None:
    """Write ``collection`` as a DOCX briefing to ``out``."""
    document_plan = plan(collection, style)
    document = docx.Document()
    ids = _styles(document, style, document_plan.language)
    page_setup(
        document,
        style,
        document_plan.header(None),
        document_plan.footer_template(),
        document_plan.has_cover,
    )
    document_settings(document, style, document_plan.has_contents)
    placed = add_pictures(document, collection, style)
    writer = BodyWriter(document, style, ids, placed)
    # The body is streamed into the zip before the embedded IR (document.xml is the first
    # part written), so an unknown node is reported by this writer, not by the JSON encoder.
    body = _pieces(document_plan, writer)
    # The embedded IR names each picture's part, where the docx reader finds it again.
    recorded = pictures.with_sources(collection, lambda p: placed[p.digest][1])
    package_parts(document, recorded, embed_ir=style.layout["embed_ir"])
    save(document, out, body_pieces(document, body))


_STYLE_CACHE: dict[tuple[int, str], tuple[Style, Any, dict[str, str]]] = {}


def _styles(document: Any, style: Style, language: str) -> dict[str, str]:
    """The Word styles for ``style`` and ``language``: defined once per process, then copied.

    Defining them through python-docx costs a quarter of a second (its style lookups are
    linear), which dominated one-article briefings in a batch.
    """
    key = (id(style), language)
    cached = _STYLE_CACHE.get(key)
    if cached is not None and cached[0] is style:
        replace_styles_element(document, copy.deepcopy(cached[1]))
        return dict(cached[2])
    ids = define_styles(document, style, language)
    if len(_STYLE_CACHE) > 16:
        _STYLE_CACHE.clear()
    _STYLE_CACHE[key] = (style, copy.deepcopy(styles_element(document)), dict(ids))
    return ids


def _pieces(document_plan: Plan, writer: BodyWriter) -> Iterator[str]:
    front = document_plan.has_cover or document_plan.has_contents
    if document_plan.has_cover:
        yield from writer.cover(document_plan)
    if document_plan.has_contents:
        yield from writer.contents(document_plan, page_break=document_plan.has_cover)
    for article in document_plan.articles:
        first = article.number == 1
        page_break = (front and first) or (not first and document_plan.page_breaks)
        separator = not first and not document_plan.page_breaks
        yield from writer.article(article, page_break, separator)
