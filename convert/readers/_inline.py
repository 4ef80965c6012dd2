"""The one inline tidy every reader uses: adjacent text runs joined, whitespace collapsed
where the source format says it is not significant, the block's edges trimmed.

The rules, by source:

- markup (HTML, XHTML, trafilatura's XML): runs of the markup's white space (space, tab,
  CR, LF, FF, with any no-break spaces beside them) become one space; a no-break space
  alone is kept; the block's first and last text lose their white space at the edge, and
  line breaks at its edges go;
- DOCX and Markdown: text is kept as written (a DOCX ``w:t`` is literal; Markdown's
  parser already turned soft line breaks into spaces), only joined and emptied runs
  dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import ir

MARKUP_SPACE = re.compile(r"[ \t\r\n\f\xa0]*[ \t\r\n\f][ \t\r\n\f\xa0]*")
"""A run of white space as HTML and XML collapse it: space, tab, CR, LF, FF, and no-break
spaces beside them. A no-break space alone between two characters is text and is kept (the
French one before a colon, a number and its unit)."""


def tidy(
    nodes: Iterable[ir.Inline], *, collapse: bool = True, edges: bool = True
) -> tuple[ir.Inline, ...]:
    """``nodes`` with adjacent text joined and empty text dropped; with ``collapse``, markup
    white space runs made one space; with ``edges`` (and ``collapse``), the block's edges
    trimmed (white space, and line breaks at either end)."""
    merged: list[ir.Inline] = []
    for node in nodes:
        if isinstance(node, ir.Text) and merged and isinstance(merged[-1], ir.Text):
            merged[-1] = ir.Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    if collapse:
        merged = [
            ir.Text(MARKUP_SPACE.sub(" ", n.text)) if isinstance(n, ir.Text) else n for n in merged
        ]
        if edges:
            while merged and isinstance(merged[0], ir.LineBreak):
                merged.pop(0)
            while merged and isinstance(merged[-1], ir.LineBreak):
                merged.pop()
            if merged and isinstance(merged[0], ir.Text):
                merged[0] = ir.Text(merged[0].text.lstrip())
            if merged and isinstance(merged[-1], ir.Text):
                merged[-1] = ir.Text(merged[-1].text.rstrip())
    return tuple(n for n in merged if not (isinstance(n, ir.Text) and not n.text))
