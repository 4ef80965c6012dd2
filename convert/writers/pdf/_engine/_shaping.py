"""Complex scripts in the PDF: HarfBuzz shaping and right-to-left lines, done per drawn line.

reportlab (5.x) shapes only words of one font and reorders right-to-left text only in
paragraphs of a single run, so an Arabic paragraph with a Latin full stop came out with its
words left to right, and no paragraph was shaped at all. Here the layout stays in logical
order (line breaking measures each run with its shaped width: :class:`ShapedFont`) and
each line is turned into display order when it is drawn (:func:`display_runs`): the
Unicode bidi algorithm (UAX #9, python-bidi) gives every character its level, the line is
cut into runs of one font and one level, the runs are reordered (rule L2), and each run in
a complex-script font is shaped by HarfBuzz in its direction (which also mirrors brackets).

What text extraction gets back: every shaped glyph's ToUnicode entry is the text it was
shaped from (:class:`ShapedFont`), so right-to-left glyphs, written in display order as
every PDF producer writes them, are put back in logical order by the reader's own bidi
pass. Left-to-right complex runs (Indic vowel signs drawn before their consonant, Thai
marks) are also drawn inside a ``/Span << /ActualText >>`` sequence holding their
characters in logical order (:func:`actual_text_begin`); right-to-left runs are not, since
extraction tools take an ActualText's characters as display order and reverse them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any, NamedTuple

import uharfbuzz as hb
from bidi import algorithm
from bidi.algorithm import get_base_level
from bidi.mirror import MIRRORED
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, ShapeData, ShapedStr, TTFont
from reportlab.platypus.paragraph import FragLine, ParaLines

from ....model.language import has_right_to_left

_FEATURES = {"kern": True, "liga": True}
_PRIVATE_USE = range(0xE000, 0xF900)
"""Codes given to glyphs no character maps to (reportlab addresses glyphs by character)."""


class ShapedText(ShapedStr):  # type: ignore[misc]
    """A run shaped by HarfBuzz: one character per glyph, in display order, with the glyph
    positions reportlab writes; ``actual`` is the run's text in logical order, written as
    its ActualText (None: none written)."""

    actual: str | None

    def __new__(cls, glyphs: str, positions: list[ShapeData], actual: str) -> ShapedText:
        self: ShapedText = super().__new__(cls, glyphs, shapeData=positions)
        self.actual = actual
        return self

    @property
    def units(self) -> float:
        """Advance width in thousandths of the font size."""
        return float(sum(position.x_advance for position in self.__shapeData__))


class ShapedFont(TTFont):  # type: ignore[misc]
    """A TrueType face used for complex-script runs: measured and drawn shaped.

    reportlab addresses glyphs by character, and its ToUnicode map gives each code the
    character it was addressed by. A shaped glyph that does not stand for exactly its own
    character (a joined Arabic form, a conjunct, a ligature) gets a private-use character
    of its own whose ToUnicode entry is the text it was shaped from: extraction reads
    "ل", not the presentation form "ﻟ" nor a private code.
    """

    def __init__(self, name: str, filename: str, **kwargs: Any) -> None:
        super().__init__(name, filename, shapable=True, **kwargs)
        self._hb_font: hb.Font | None = None
        self._private: dict[tuple[int, str], int] = {}
        self._texts: dict[int, str] = {}
        """Private-use character -> the text its glyph stands for."""
        self._free_codes = (code for code in _PRIVATE_USE if code not in self.face.charToGlyph)
        self._widths: dict[str, float] = {}

    def stringWidth(self, text: str, size: float, encoding: str = "utf8") -> float:
        """The width of ``text`` as it will be drawn: shaped (reportlab's line breaking and
        the canvas call this)."""
        if isinstance(text, ShapedText):
            return text.units * size / 1000
        units = self._widths.get(text)
        if units is None:
            units = self.shape(text, rtl=False).units if text else 0.0
            if len(self._widths) > 50_000:
                self._widths.clear()
            self._widths[text] = units
        return units * size / 1000

    def shape(self, text: str, rtl: bool) -> ShapedText:
        """``text`` shaped in one direction: glyphs in display order."""
        if self._hb_font is None:
            self._hb_font = hb.Font(hb.Face(hb.Blob(self.face._ttf_data)))
        buffer = hb.Buffer()
        # str(): reportlab hands over words as str subclasses (a word with a soft hyphen),
        # which HarfBuzz's Cython binding refuses.
        buffer.add_str(str(text))
        buffer.guess_segment_properties()
        buffer.direction = "rtl" if rtl else "ltr"
        # Marks join their base's cluster (graphemes), so that the base glyph can carry them.
        buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_GRAPHEMES
        hb.shape(self._hb_font, buffer, _FEATURES)
        infos, placements = buffer.glyph_infos, buffer.glyph_positions
        starts = [*sorted({info.cluster for info in infos}), len(text)]
        ends = dict(itertools.pairwise(starts))
        # Each cluster's widest glyph (its base, not a mark drawn over it) carries the
        # cluster's text, the others none: extraction tools place a zero-width mark by its
        # position, on either side of its letter.
        carriers: dict[int, int] = {}
        for index, (info, placement) in enumerate(zip(infos, placements, strict=True)):
            best = carriers.get(info.cluster)
            if best is None or placement.x_advance > placements[best].x_advance:
                carriers[info.cluster] = index
        scale = self.face._pdfScale
        widths = self.face.charWidths
        glyphs: list[str] = []
        positions: list[ShapeData] = []
        for index, (info, placement) in enumerate(zip(infos, placements, strict=True)):
            cluster = info.cluster
            meaning = text[cluster : ends[cluster]] if carriers[cluster] == index else ""
            if rtl:
                # Extraction tools reverse right-to-left words character by character, the
                # characters of one glyph included: those are given in display order.
                meaning = meaning[::-1]
            code = self._code(info.codepoint, meaning)
            glyphs.append(chr(code))
            positions.append(
                ShapeData(
                    cluster,
                    scale(placement.x_advance),
                    scale(placement.y_advance),
                    scale(placement.x_offset),
                    scale(placement.y_offset),
                    widths[code],
                )
            )
        return ShapedText("".join(glyphs), positions, text)

    def _code(self, glyph: int, meaning: str) -> int:
        """The character reportlab addresses ``glyph`` by, when it stands for ``meaning``."""
        chars = self.face.glyphToChar.get(glyph, ())
        if len(meaning) == 1 and ord(meaning) in chars:
            return ord(meaning)
        code = self._private.get((glyph, meaning))
        if code is None:
            code = next(self._free_codes, None)
            if code is None:  # the private-use area is used up: the glyph's own character
                return int(chars[0]) if chars else 0
            assert self._hb_font is not None
            self._private[glyph, meaning] = code
            self._texts[code] = meaning
            self.face.charToGlyph[code] = glyph
            self.face.charWidths[code] = self.face._pdfScale(
                self._hb_font.get_glyph_h_advance(glyph)
            )
        return code

    def addObjects(self, doc: Any) -> None:
        """reportlab's font objects, the ToUnicode maps giving private-use characters the
        text their glyphs stand for."""
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state is not None else []
        super().addObjects(doc)  # forgets the document's subsets
        if not self._texts:
            return
        for index, subset in enumerate(subsets):
            if not any(code in self._texts for code in subset):
                continue
            prefix = (SUBSETN(index), b"+", self.face.name, self.face.subfontNameX)
            name = b"".join(prefix).decode("pdfdoc")
            stream = doc.idToObject["toUnicodeCMap:" + name]
            stream.content = _to_unicode(name, subset, self._texts)


def _to_unicode(name: str, subset: list[int], texts: dict[int, str]) -> str:
    """reportlab's ToUnicode CMap for ``subset`` with several-character and empty entries."""

    def target(code: int) -> str:
        text = texts.get(code, chr(code))
        return text.encode("utf-16-be").hex().upper()

    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({name})",
            f"/Ordering ({name})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{name} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *(f"<{index:02X}> <{target(code)}>" for index, code in enumerate(subset)),
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


class Run(NamedTuple):
    """A piece of a line in display order: which logical piece it came from, its text as
    drawn (a :class:`ShapedText` in a shaped font, reversed and mirrored in another font at
    an odd level) and its bidi level (odd: right to left)."""

    piece: int
    text: str
    level: int


def right_to_left(text: str) -> bool | None:
    """True when ``text``'s first strong letter is right-to-left (a right-to-left paragraph),
    False when it only holds right-to-left runs, None when it has no right-to-left letter."""
    if not has_right_to_left(text):
        return None

    return bool(get_base_level(text) == 1)


def display_runs(pieces: Sequence[tuple[str | None, str]], rtl: bool) -> list[Run]:
    """One line given as (font name, text) pieces in logical order, as runs in display
    order; ``rtl`` is the paragraph's direction. A piece without a font (an inline object)
    is kept as it is."""
    text = "".join(piece for _, piece in pieces)
    owners = [index for index, (_, piece) in enumerate(pieces) for _ in piece]
    levels = _levels(text, rtl)
    spans: list[tuple[int, int, int]] = []  # (start, end, level) of one piece and level
    for index, level in enumerate(levels):
        if spans and spans[-1][2] == level and owners[spans[-1][0]] == owners[index]:
            spans[-1] = (spans[-1][0], index + 1, level)
        else:
            spans.append((index, index + 1, level))
    for level in range(max(levels, default=0), 0, -1):  # rule L2
        index = 0
        while index < len(spans):
            if spans[index][2] >= level:
                end = index
                while end < len(spans) and spans[end][2] >= level:
                    end += 1
                spans[index:end] = spans[index:end][::-1]
                index = end
            index += 1
    runs = []
    for start, end, level in spans:
        piece = owners[start]
        font_name, chunk = pieces[piece][0], text[start:end]
        drawn = chunk if font_name is None else _drawn(chunk, font_name, level % 2 == 1)
        runs.append(Run(piece, drawn, level))
    return runs


def display_order(laid_out: Any, rtl: bool) -> Any:
    """A paragraph's laid-out lines (reportlab's ``blPara``, kept in logical order so that
    splitting across pages works on the text) as lines of fragments in display order."""
    if laid_out.kind == 0:  # one font: lines of words
        lines = [
            FragLine(
                extraSpace=space,
                wordCount=len(words),
                words=[laid_out.clone(text=" ".join(words))],
                fontSize=laid_out.fontSize,
                ascent=laid_out.ascent,
                descent=laid_out.descent,
                lineBreak=False,
            )
            for space, words in laid_out.lines
        ]
    else:
        lines = laid_out.lines
    return ParaLines(kind=1, lines=[_display_line(line, rtl) for line in lines])


def _display_line(line: Any, rtl: bool) -> Any:
    fragments = line.words
    pieces = [(None, "\ufffc") if hasattr(f, "cbDefn") else (f.fontName, f.text) for f in fragments]
    runs = display_runs(pieces, rtl)
    shown = []
    width_change = 0.0
    for run in runs:
        fragment = fragments[run.piece]
        if hasattr(fragment, "cbDefn"):
            shown.append(fragment)
            continue
        shown.append(fragment.clone(text=run.text))
        width_change += pdfmetrics.stringWidth(run.text, fragment.fontName, fragment.fontSize)
    width_change -= sum(
        pdfmetrics.stringWidth(f.text, f.fontName, f.fontSize)
        for f in fragments
        if not hasattr(f, "cbDefn")
    )
    return line.clone(words=shown, extraSpace=line.extraSpace - width_change)


def _drawn(text: str, font_name: str, rtl: bool) -> str:
    font = pdfmetrics.getFont(font_name)
    if isinstance(font, ShapedFont):
        shaped = font.shape(text, rtl)
        if rtl:
            # Extraction puts right-to-left glyphs back in logical order by their ToUnicode
            # characters; an ActualText would be taken as display order and reversed.
            shaped.actual = None
        return shaped
    if rtl:  # a run in a font that is not shaped (Latin punctuation): reversed, mirrored
        return "".join(MIRRORED.get(ch, ch) for ch in reversed(text))
    return text


def _levels(text: str, rtl: bool) -> list[int]:
    """Each character's embedding level (rules P-I and L1 of UAX #9) for one line."""

    base = 1 if rtl else 0
    storage = algorithm.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = "R" if rtl else "L"
    algorithm.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index  # rule X9 drops embedding controls and joiners (ZWNJ) below
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage, False)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    resolved = {char["index"]: char["level"] for char in storage["chars"]}
    levels: list[int] = []
    for index in range(len(text)):  # a dropped character takes the level before it
        levels.append(resolved.get(index, levels[-1] if levels else base))
    end = len(text)
    while end and text[end - 1].isspace():  # L1: trailing white space takes the base level
        end -= 1
        levels[end] = base
    return levels


def actual_text_begin(actual: str) -> str:
    """The operator opening a marked-content span whose ActualText is ``actual``."""
    encoded = ("\ufeff" + actual).encode("utf-16-be").hex().upper()
    return f"/Span <</ActualText <{encoded}>>> BDC"
