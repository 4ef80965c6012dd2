"""The wall around reportlab: every use of its private API by the PDF writer is in here.

The rest of the writer uses reportlab's public API and what this package exports. Nothing
here changes a reportlab module, class or setting: each change is a subclass of a reportlab
class that only this writer instantiates, or a function built from reportlab's own code
with a namespace of its own. Another program in the same process keeps reportlab exactly
as it was (tested: a stock reportlab program writes the same bytes after a digest was
built, and while one is built in another thread).

- :mod:`._canvas`: the canvas (text objects, stream compression, tagging hooks), pictures,
  the grid table.
- :mod:`._hooks`: the text object, paragraph line ends, binary images, list bullets.
- :mod:`._lines`: line breaking for the common paragraph, without reportlab's per-word
  overhead.
- :mod:`._markup`: the writer's paragraph markup to reportlab fragments without its HTML
  tokenizer.
- :mod:`._subsets`: TrueType subsets with fast string coding and widths.
- :mod:`._shaping`: HarfBuzz shaping and right-to-left lines.
- :mod:`._switch`: ``BRIEFKIT_PDF_FAST=0`` turns every speed-up off (the equivalence tests).

The reportlab releases this was written against are the range pinned in
``pyproject.toml``; ``make test-newest`` runs the tests on the newest release.
"""

from ._canvas import FAST, EngineCanvas, GridTable, draw_drawing, draw_picture, flate_stream
from ._hooks import TaggedBullets, TextObject, draw_paragraph, image_xobject
from ._lines import FastParagraph, hyphenator, kinsoku_lines, leave_on, simple_lines
from ._markup import fragments
from ._shaping import ShapedFont, display_order, display_runs, right_to_left
from ._subsets import SubsetFont
from ._switch import end_build, fast, start_build

__all__ = [
    "FAST",
    "EngineCanvas",
    "FastParagraph",
    "GridTable",
    "ShapedFont",
    "SubsetFont",
    "TaggedBullets",
    "TextObject",
    "display_order",
    "display_runs",
    "draw_drawing",
    "draw_paragraph",
    "draw_picture",
    "end_build",
    "fast",
    "flate_stream",
    "fragments",
    "hyphenator",
    "image_xobject",
    "kinsoku_lines",
    "leave_on",
    "right_to_left",
    "simple_lines",
    "start_build",
]
