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

import functools
from collections.abc import Callable, Iterator
from typing import Any

from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont, stringWidth
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import (
    FragLine,
    ParaLines,
    _handleBulletWidth,
    _hyphenateWord,
    _processed_frags,
    _SplitWordH,
    imgNormV,
    imgVRange,
    strip,
)
from reportlab.rl_config import _FUZZ

from ._subsets import SubsetFont
from ._switch import fast

_SOFT_HYPHEN = "\xad"
_NO_BREAK_SPACE = "\xa0"


@functools.lru_cache(maxsize=32)
def hyphenator(language: str, left: int, right: int) -> Callable[[str], Iterator[tuple[str, str]]]:
    """reportlab's hyphenation callable for a pyphen dictionary (``hyphenationLang`` takes
    it; a language name there would load the dictionary again for every paragraph)."""
    import pyphen  # type: ignore[import-untyped]

    iterate: Callable[[str], Iterator[tuple[str, str]]]
    iterate = pyphen.Pyphen(lang=language, left=left, right=right).iterate
    return iterate


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
        or (isinstance(getattr(style, "hyphenationLang", ""), str) and style.hyphenationLang)
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

    # The loop of Paragraph.breakLines's one-fragment case, with no forced splits but its
    # hyphenation; a line is kept as the words it has.
    hyphenate = getattr(style, "hyphenationLang", None) or None
    shortest = getattr(style, "hyphenationMinWordLength", 5)
    space_width = measure(" ", font_size, encoding)
    shrink = style.spaceShrinkage * space_width
    last = len(max_widths) - 1
    line_number = 0
    max_width = max_widths[0]
    widest = 0
    hyphenations = 0
    lines: list[tuple[float, list[str]]] = []
    line: list[str] = []
    current = -space_width  # no space before the first word
    tail: tuple[str, float] | None = None  # the rest of a word hyphenated at a line end
    index, count = 0, len(words)
    while True:
        if tail is not None:
            word, word_width = tail
            tail = None
        elif index < count:
            word, word_width = words[index], widths[index]
            index += 1
        else:
            break
        new_width = current + space_width + word_width
        limit = max_width + shrink * len(line)
        if new_width <= limit or not line:
            current = new_width
            line.append(word)
            continue
        if hyphenate is not None and not isinstance(word, _SplitWordH):
            split = _hyphenateWord(
                hyphenate, font_name, font_size, word, word_width, new_width, limit, 0, 0,
                shortest,
            )  # fmt: skip
            if split:
                head, rest = split
                current += space_width + measure(head, font_size, encoding)
                if current > widest:
                    widest = current
                line.append(head)
                lines.append((max_width - current, line))
                hyphenations += 1
                line, current = [], -space_width
                line_number += 1
                max_width = max_widths[min(last, line_number)]
                tail = (rest, measure(rest, font_size, encoding))
                continue
        if current > widest:
            widest = current
        lines.append((max_width - current, line))
        line, current = [word], word_width
        line_number += 1
        max_width = max_widths[min(last, line_number)]
    if current > widest:
        widest = current
    lines.append((max_width - current, line))

    leave_on(paragraph, widest)
    paragraph._hyphenations = hyphenations
    ascent, descent = getAscentDescent(font_name, font_size)
    return fragment.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=font_size)


# --------------------------------------------------------------------------- CJK lines

CANNOT_START = frozenset(
    "、。，．,.：；:;！？!?」』）》】〕〉］｝〗〙〛）)]}”’…‥・ー"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ々〻゛゜ゝゞヽヾ%％‰℃°′″"
)
"""Characters no line may start with (Chinese and Japanese line-breaking rules, kinsoku):
closing punctuation, small kana, iteration marks, the prolonged sound mark, units."""
CANNOT_END = frozenset("「『（《【〔〈［｛〖〘〚（([{“‘")
"""Characters no line may end with: opening punctuation."""
HANG_AT_MOST = 2
"""Closing marks that may hang past a line's end (``。”``) before a character is moved down
with them instead."""


def kinsoku_lines(
    chars: str, widths: list[float], max_widths: list[float], forced: frozenset[int] = frozenset()
) -> list[tuple[int, int, float]]:
    """Where lines of CJK text start and end: (start, end, width) per line.

    Fills each line greedily; a line never ends with an opening mark, and the next never
    starts with a closing one: up to :data:`HANG_AT_MOST` closing marks stay on the line
    (hanging into the margin, as in print), more move down together with the character
    before them. A run of Latin letters is not cut where a space or CJK character before it
    allows a break. ``forced``: indexes of characters that end a line (line breaks).
    """
    lines: list[tuple[int, int, float]] = []
    count = len(chars)
    start = 0
    while start < count:
        limit = max_widths[min(len(lines), len(max_widths) - 1)]
        used, end = 0.0, start
        while end < count:
            if used + widths[end] > limit + _FUZZ and end > start:
                break
            used += widths[end]
            end += 1
            if end - 1 in forced:
                break
        if end < count and end - 1 not in forced:
            end = _kinsoku_end(chars, start, end)
        width = sum(widths[start:end])
        lines.append((start, end, width))
        start = end
    return lines


def _kinsoku_end(chars: str, start: int, end: int) -> int:
    """The end of a line that would end at ``end`` (exclusive), moved to obey the rules."""
    if ord(chars[end]) < 0x3000 and not chars[end].isspace():
        # inside a Latin word: break after the last space or CJK character in the line's
        # second half
        for back in range(end - 1, (start + end) // 2, -1):
            if chars[back].isspace() or ord(chars[back]) >= 0x3000:
                end = back + 1
                break
    hung = 0
    while end < len(chars) and chars[end] in CANNOT_START and hung < HANG_AT_MOST:
        end += 1
        hung += 1
    while end < len(chars) and chars[end] in CANNOT_START and end - 1 > start:
        end -= 1  # too many to hang: the character before them goes down with them
        while end - 1 > start and chars[end] in CANNOT_START:
            end -= 1
    while end - 1 > start and chars[end - 1] in CANNOT_END:
        end -= 1
    return end


def cjk_lines(paragraph: Any, max_widths: float | list[float]) -> Any:
    """``breakLinesCJK`` with the line-breaking rules of :func:`kinsoku_lines` (reportlab's
    own hangs one closing mark and knows neither the full-width comma nor opening marks)."""
    widths_at = list(max_widths) if isinstance(max_widths, (list, tuple)) else [max_widths]
    style = paragraph.style
    paragraph.height = 0
    _handleBulletWidth(paragraph.bulletText, style, widths_at)
    frags = paragraph.frags
    if hasattr(paragraph, "blPara") and getattr(paragraph, "_splitpara", False):
        return paragraph.blPara  # the rest of a paragraph split across pages
    if not frags or style.endDots:
        return None
    # A character per unit, with the fragment it belongs to and its width (measured once per
    # character and fragment: a megabyte of Chinese repeats a few thousand characters).
    chars: list[str] = []
    owners: list[Any] = []
    widths: list[float] = []
    for fragment in frags:
        text = fragment.text if hasattr(fragment, "text") else "".join(fragment.words)
        if not text:  # a line break, an anchor or a picture: a unit of its own
            chars.append("\0")
            owners.append(fragment)
            definition = getattr(fragment, "cbDefn", None)
            widths.append(getattr(definition, "width", 0) if definition is not None else 0)
            continue
        measured: dict[str, float] = {}
        for character in text:
            width = measured.get(character)
            if width is None:
                width = measured[character] = stringWidth(
                    character, fragment.fontName, fragment.fontSize
                )
            widths.append(width)
        chars.extend(text)
        owners.extend([fragment] * len(text))
    forced = frozenset(i for i, owner in enumerate(owners) if hasattr(owner, "lineBreak"))
    text = "".join(chars)
    autoleading = getattr(paragraph, "autoLeading", getattr(style, "autoLeading", ""))
    bounds = autoleading not in ("", "off")
    lines = []
    for number, (start, end, width) in enumerate(kinsoku_lines(text, widths, widths_at, forced)):
        limit = widths_at[min(number, len(widths_at) - 1)]
        line = _cjk_line(chars, owners, start, end, bounds)
        line.update(maxWidth=limit, currentWidth=width, extraSpace=limit - width,
                    lineBreak=end - 1 in forced)  # fmt: skip
        lines.append(FragLine(**line))
    return ParaLines(kind=1, lines=lines)


def _cjk_line(chars: list[str], owners: list[Any], start: int, end: int, bounds: bool) -> Any:
    """reportlab's CJK line (``makeCJKParaLine``) from characters and the fragments they
    belong to: a word per run of one fragment, measured once per run."""
    words = []
    size = ascent = descent = 0.0
    index = start
    while index < end:
        owner = owners[index]
        stop = index + 1
        while stop < end and owners[stop] is owner:
            stop += 1
        font_size = owner.fontSize
        definition: Any = getattr(owner, "cbDefn", None)
        if bounds and definition is not None and definition.width:
            low, high = imgVRange(imgNormV(definition.height, font_size), definition.valign,
                                  font_size)  # fmt: skip
        else:
            high, low = getAscentDescent(owner.fontName, font_size)
        size, ascent, descent = max(size, font_size), max(ascent, high), min(descent, low)
        word = owner.clone()
        word.text = "".join(chars[index:stop]).replace("\0", "")
        words.append(word)
        index = stop
    return {"kind": 1, "wordCount": 1, "words": words, "fontSize": size, "ascent": ascent,
            "descent": descent}  # fmt: skip


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

    def breakLinesCJK(self, maxWidths: float | list[float]) -> Any:
        lines = cjk_lines(self, maxWidths)
        return super().breakLinesCJK(maxWidths) if lines is None else lines
