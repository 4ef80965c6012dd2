"""Hooks into reportlab's drawing, scoped to the objects this writer makes.

- :class:`TextObject`: the canvas's text object, with the ActualText spans of shaped text
  and a rise that can start a piece of text (see :mod:`._shaping`).
- :func:`draw_paragraph`: ``Paragraph.drawPara`` run with line drawers that end every line
  but a paragraph's last with a space in tagged documents (see :data:`LINE_DRAWERS`).
- :func:`image_xobject`: an image object whose data is binary, never ASCII85 text, whatever
  ``rl_config.useA85`` says.
- :class:`TaggedBullets`: a list whose bullets are drawn as artifacts.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from typing import Any

from reportlab.lib.rl_accel import asciiBase85Decode, fp_str
from reportlab.pdfbase.pdfdoc import PDFImageXObject
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import ListFlowable, Paragraph
from reportlab.platypus import paragraph as _paragraph
from reportlab.platypus.flowables import BulletDrawer
from reportlab.platypus.paragraph import _SplitWordHY, _SplitWordLL

from .._tags import artifact, tags_of
from ._shaping import ShapedText, actual_text_begin

# --------------------------------------------------------------------------- text objects


class TextObject(PDFTextObject):  # type: ignore[misc]
    """reportlab's text object as the writer's canvas makes it (``Canvas.beginText``)."""

    def _formatText(self, text: str) -> str:
        operators: str = super()._formatText(text)
        # Every piece of text of every PDF comes through here: a type test, not an attribute
        # look-up.
        if type(text) is not ShapedText or text.actual is None or not operators:
            return operators
        return f"{actual_text_begin(text.actual)} {operators} EMC"

    def setRise(self, rise: float) -> None:
        # reportlab's shaped-text output starts each piece of text with no operators at all
        # when the font is already set, and its setRise then reads the last operator of an
        # empty list (IndexError) for a piece whose first glyph is raised or lowered (a mark
        # in display order: Arabic kasra). With nothing to merge with, the rise is written.
        if self._code:
            super().setRise(rise)
            return
        self._rise = rise
        self._y -= rise
        self._code.append(f"{fp_str(rise)} Ts")


# --------------------------------------------------------------------------- line ends

# reportlab drops the space where it breaks a line, so the tagged text read in content order
# (what assistive technology and `pdfinfo -struct-text` get) ran the last word of a line
# into the next line's first. A space is written at the end of every line but the last (not
# after a line that ends in CJK text, which has no spaces), before reportlab's move to the
# next line: it draws nothing, and the next line starts where it did.
_NO_SPACE_AFTER = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\s-]$")


def _wants_space(tx: Any, last_text: str, last: int) -> bool:
    return (
        not last
        and bool(last_text)
        and tags_of(tx._canvas) is not None
        and not _NO_SPACE_AFTER.search(last_text)
    )


def _end_line_with_space(tx: Any, start: int) -> None:
    """Put the space before the line's move to the next line (its " T*"), which need not
    be the last operator: a justified line resets its word spacing after it."""
    code = tx._code
    for index in range(len(code) - 1, start - 1, -1):
        if code[index].endswith(" T*"):
            code[index] = code[index][: -len(" T*")]
            code.insert(index + 1, f"{tx._formatText(' ')} T*")
            return


# A word hyphenated at the end of a line ends in a soft hyphen (U+00AD, drawn as the
# hyphen): text extraction then knows the word goes on ("busi-" + "ness" -> "business"), as
# the PDF specification asks of line-end hyphens.
def _hyphenated(words: Any, tx: Any) -> bool:
    return (
        bool(words)
        # a hyphenated head, also when it ends the first part of a paragraph split at a
        # page break (reportlab makes it a _SplitWordLL then)
        and isinstance(words[-1], (_SplitWordHY, _SplitWordLL))
        and words[-1].endswith("-")
        and tags_of(tx._canvas) is not None
    )


def _spaced_words(draw: Callable[..., Any]) -> Callable[..., Any]:
    def draw_line(tx: Any, offset: float, extraspace: float, words: Any, last: int = 0) -> Any:
        start = len(tx._code)
        if _hyphenated(words, tx):
            return draw(tx, offset, extraspace, [*words[:-1], words[-1][:-1] + "\xad"], last)
        drawn = draw(tx, offset, extraspace, words, last)
        if words and _wants_space(tx, str(words[-1]), last):
            _end_line_with_space(tx, start)
        return drawn

    return draw_line


def _spaced_fragments(draw: Callable[..., Any]) -> Callable[..., Any]:
    def draw_line(tx: Any, offset: float, line: Any, last: int = 0) -> Any:
        start = len(tx._code)
        drawn = draw(tx, offset, line, last)
        fragments = [f for f in getattr(line, "words", ()) if hasattr(f, "text")]
        if fragments and _wants_space(tx, str(fragments[-1].text), last):
            _end_line_with_space(tx, start)
        return drawn

    return draw_line


LINE_DRAWERS = {
    "_leftDrawParaLine": _spaced_words,
    "_centerDrawParaLine": _spaced_words,
    "_rightDrawParaLine": _spaced_words,
    "_justifyDrawParaLine": _spaced_words,
    "_justifyDrawParaLineRTL": _spaced_words,
    "_leftDrawParaLineX": _spaced_fragments,
    "_centerDrawParaLineX": _spaced_fragments,
    "_rightDrawParaLineX": _spaced_fragments,
    "_justifyDrawParaLineX": _spaced_fragments,
    "_justifyDrawParaLineXRTL": _spaced_fragments,
}
"""The module functions ``Paragraph.drawPara`` draws one line with, and how each is wrapped.
(The two right-to-left justified drawers call the left-to-right ones through reportlab's
own module, which stays as it is: wrapping them too gives each line one space.)"""


def _draw_para_with(wrappers: dict[str, Callable[..., Any]]) -> Callable[..., None]:
    plain = Paragraph.drawPara
    namespace = dict(vars(_paragraph))
    for name, wrap in wrappers.items():
        namespace[name] = wrap(namespace[name])
    # reportlab's own code, looking its line drawers up in this namespace instead of the
    # module's: the module and Paragraph are untouched.
    return types.FunctionType(  # type: ignore[no-any-return]
        plain.__code__, namespace, plain.__name__, plain.__defaults__, plain.__closure__
    )


draw_paragraph = _draw_para_with(LINE_DRAWERS)
"""``Paragraph.drawPara(paragraph, debug=0)`` with the spaced line ends."""


# --------------------------------------------------------------------------- images


def _binary(image: Any) -> None:
    """Undo reportlab's ASCII85 layer, added when the process's ``useA85`` is on."""
    filters = getattr(image, "_filters", ())
    if filters and filters[0] == "ASCII85Decode":
        image.streamContent = asciiBase85Decode(image.streamContent)
        image._filters = tuple(filters[1:])


def image_xobject(name: str, reader: Any, mask: str | None) -> Any:
    """reportlab's image XObject of ``reader``, its data (and soft mask's) binary."""
    image = PDFImageXObject(name, reader, mask=mask)
    _binary(image)
    soft_mask = getattr(image, "_smask", None)
    if soft_mask is not None:
        _binary(soft_mask)
    return image


# --------------------------------------------------------------------------- lists


class _ArtifactBullet(BulletDrawer):  # type: ignore[misc]
    """A list's bullet or number: furniture, the LI elements carry the structure."""

    def drawOn(self, indenter: Any, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        tags = tags_of(canvas)
        if tags is None or tags.open:
            super().drawOn(indenter, canvas, x, y, _sW)
            return
        with artifact(canvas, "Layout"):
            super().drawOn(indenter, canvas, x, y, _sW)


class TaggedBullets(ListFlowable):  # type: ignore[misc]
    """reportlab's list, its bullets drawn as artifacts."""

    def _makeBullet(self, value: Any, params: Any = None) -> Any:
        bullet = super()._makeBullet(value, params)
        bullet.__class__ = _ArtifactBullet  # made just now, for this list only
        return bullet
