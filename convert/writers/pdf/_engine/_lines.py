"""reportlab's line breaking for the common paragraph, without its per-word overhead.

``Paragraph.breakLines`` measures each word through three calls (``stringWidth`` →
``getFont`` → the face) and takes words off the front of a list, inside a loop that also
serves hyphenation, soft hyphens, split words, bidi and shaping: about a fifth of a digest's
time, most of it on body paragraphs that need none of those. :func:`simple_lines` breaks
such a paragraph (one font run, nothing to hyphenate or split) with the same arithmetic in
the same order, so the lines, their widths and the paragraph's attributes are the same
floats; any other paragraph gets ``None`` and goes to reportlab.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import _processed_frags, strip

from ._subsets import SubsetFont
from ._switch import fast

_SOFT_HYPHEN = "\xad"
_NO_BREAK_SPACE = "\xa0"


def _words(fragment: Any) -> list[str] | None:
    """The words of a one-run paragraph, as reportlab would split them; None when reportlab
    would treat any of them specially (soft hyphens, split or bidi words, empty words)."""
    if hasattr(fragment, "text"):
        text = fragment.text
        # A no-break space makes reportlab split on its own whitespace set.
        if type(text) is not str or _NO_BREAK_SPACE in text or _SOFT_HYPHEN in text:
            return None
        return strip(text).split()  # type: ignore[no-any-return]
    words = fragment.words  # the rest of a paragraph split across pages
    if type(words) is not list:  # a BidiList
        return None
    for word in words:
        if type(word) is not str or not word or _SOFT_HYPHEN in word:
            return None
    return list(words)


def leave_on(paragraph: Any, widest: float) -> None:
    """What ``breakLines`` leaves on a paragraph it broke without splitting or hyphenating
    any word, the widest line being ``widest``."""
    paragraph._width_max = widest
    paragraph.height = 0
    paragraph._splitLongWordCount = paragraph._hyphenations = 0


def simple_lines(paragraph: Any, width: float | list[float] | tuple[float, ...]) -> Any:
    """``paragraph.breakLines(width)``'s result and side effects for a plain one-run
    paragraph, or None (nothing changed) for any other."""
    style = paragraph.style
    frags = paragraph.frags
    if (
        len(frags) != 1
        or paragraph.bulletText  # narrows the first line
        or style.endDots
        or style.wordWrap  # bidi (CJK paragraphs never get here)
        or style.shaping
        or getattr(style, "hyphenationLang", "")
        or style.uriWasteReduce
        or style.embeddedHyphenation
        or _processed_frags(frags)
    ):
        return None
    fragment = frags[0]
    if hasattr(fragment, "cbDefn") or hasattr(fragment, "backColor"):
        return None
    words = _words(fragment)
    if not words:  # reportlab's own empty result
        return None
    max_widths = list(width) if isinstance(width, (tuple, list)) else [width]
    font_name, font_size = fragment.fontName, fragment.fontSize
    font = getFont(font_name)
    measure = font.stringWidth
    encoding = paragraph.encoding
    if isinstance(font, SubsetFont):
        widths = font.widths(words, font_size)
    else:
        widths = [measure(word, font_size, encoding) for word in words]
    if style.splitLongWords and max(widths) > min(max_widths):
        return None  # a word wider than a line is cut by reportlab

    # The loop of Paragraph.breakLines's one-fragment case, with no forced splits; a line is
    # kept as where it starts in ``words`` and how many words it has.
    space_width = measure(" ", font_size, encoding)
    shrink = style.spaceShrinkage * space_width
    last = len(max_widths) - 1
    line_number = 0
    max_width = max_widths[0]
    widest = 0
    lines: list[tuple[float, list[str]]] = []
    start = count = 0
    current = -space_width  # no space before the first word
    for index, word_width in enumerate(widths):
        new_width = current + space_width + word_width
        if new_width <= max_width + shrink * count or not count:
            current = new_width
            count += 1
        else:
            if current > widest:
                widest = current
            lines.append((max_width - current, words[start:index]))
            start, count = index, 1
            current = word_width
            line_number += 1
            max_width = max_widths[min(last, line_number)]
    if current > widest:
        widest = current
    lines.append((max_width - current, words[start:]))

    leave_on(paragraph, widest)
    ascent, descent = getAscentDescent(font_name, font_size)
    return fragment.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=font_size)


class FastParagraph(Paragraph):  # type: ignore[misc]
    """reportlab's paragraph broken into lines by :func:`simple_lines` where it can be."""

    _bk_broken: tuple[object, object, Any, float] | None = None
    """The last line breaking :func:`simple_lines` did: widths, fragments, lines, widest."""

    def breakLines(self, width: float | list[float]) -> Any:
        # reportlab wraps a paragraph again at the same width (a frame that could not take
        # it, a KeepTogether measuring its parts): the same words give the same lines.
        if not fast():
            return super().breakLines(width)
        key = tuple(width) if isinstance(width, (list, tuple)) else (width,)
        kept = self._bk_broken
        if kept is not None and kept[0] == key and kept[1] is self.frags:
            leave_on(self, kept[3])
            return kept[2]
        lines = simple_lines(self, width)
        if lines is None:
            return super().breakLines(width)
        self._bk_broken = (key, self.frags, lines, self._width_max)
        return lines
