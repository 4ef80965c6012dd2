"""Fonts for the PDF writer: finding TrueType files, registering families, per-run fallback.

reportlab has no font fallback: a glyph missing from the current font becomes a black box,
silently. So text is split into runs by glyph coverage and each run gets the first family
that has its glyphs — the style's Latin family, its CJK family, then the style's
``[script_fonts]`` in order (Noto Sans Arabic, Hebrew, Devanagari, Thai... in the bundled
styles; those not installed are skipped) — in paragraphs (as ``<font>`` markup) and on the
canvas (headers, footers) alike. Runs of complex scripts (Arabic, Hebrew, Indic, Thai...) use
a shaped family (:class:`._shaping.ShapedFont`: HarfBuzz joins Arabic letters and orders
Indic vowel signs); Latin and CJK text is not shaped (it needs no shaping and stays fast).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from ...media.fonts import find_font_file
from ...model.errors import BriefkitError
from ...model.xmltext import escape
from ...plan.styles import FontFiles, Style
from ._engine import ShapedFont, SubsetFont, display_runs, right_to_left

_COMPLEX_RANGES = (
    "\u0590-\u08ff"  # Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic, Arabic Ext.
    "\u0900-\u0dff"  # Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, ...
    "\u0e00-\u0fff"  # Thai, Lao, Tibetan
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\ua8e0-\ua8ff\ufb1d-\ufdff\ufe70-\ufefe"  # Devanagari Ext., presentation forms
)
_COMPLEX = re.compile(f"[{_COMPLEX_RANGES}]")
_INSTALL_HINT = (
    "install it (Debian/Ubuntu: fonts-dejavu-core, fonts-wqy-zenhei) "
    "or name another file in the style's [font_files]"
)


@dataclass(frozen=True, eq=False)
class Family:
    """One font family: reportlab names of its four faces and its glyph coverage.

    Its faces are registered with reportlab when its coverage is first read (reading a CJK
    face costs a quarter of a second and ~40 MB, and most digests never need it); a family
    is only ever drawn with after a look at its coverage, or after :meth:`Fonts.family`,
    which reads it at once.
    """

    name: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    load: Callable[[], frozenset[int]] = field(repr=False)
    """Registers the faces with reportlab (once) and returns the regular face's coverage."""
    shaped: bool = False
    """True for a twin registered for complex-script runs (reportlab shapes it)."""

    @cached_property
    def coverage(self) -> frozenset[int]:
        """Code points the regular face has a glyph for."""
        return self.load()

    def registered(self) -> Family:
        """This family, its faces registered with reportlab now (for drawing without a look
        at its coverage first)."""
        self.coverage  # noqa: B018 (reading it registers the faces)
        return self

    def face(self, bold: bool = False, italic: bool = False) -> str:
        """The reportlab font name for a weight and slant."""
        if bold and italic:
            return self.bold_italic
        return self.bold if bold else self.italic if italic else self.regular


_CJK_SCRIPT_OF = {
    "ja": "japanese",
    "ko": "korean",
    "zh": "chinese_simplified",
    "zh-cn": "chinese_simplified",
    "zh-sg": "chinese_simplified",
    "zh-hans": "chinese_simplified",
    "zh-tw": "chinese_traditional",
    "zh-hk": "chinese_traditional",
    "zh-mo": "chinese_traditional",
    "zh-hant": "chinese_traditional",
}
"""Article language -> the ``[script_fonts]`` key naming the CJK family for it."""
_REGISTERED: dict[tuple[str, str], Family] = {}
SHAPED_FACE = "-shaped"
"""Part of the reportlab name of every face registered for shaping (see :class:`ShapedFont`)."""
_SHAPED_FACE_IN = re.compile(f'name="[^"]*{SHAPED_FACE}-')


def shaped_font_in(markup: str) -> bool:
    """True when paragraph ``markup`` made by :meth:`Fonts.markup` uses a shaped face."""
    return _SHAPED_FACE_IN.search(markup) is not None


def register_family(
    family: str, files: FontFiles, search_dirs: tuple[Path, ...], shaped: bool = False
) -> Family:
    """A family's TrueType faces, registered with reportlab when its coverage is first read
    (once per process and file set); a missing file is an error at once."""
    found: dict[str, Path] = {}
    for face in ("regular", "bold", "italic", "bold_italic"):
        file_name = getattr(files, face) or files.regular
        path = find_font_file(file_name, search_dirs)
        if path is None:
            raise BriefkitError(
                f"font file {file_name!r} for {family!r} not found; {_INSTALL_HINT}"
            )
        found[face] = path
    # reportlab's font registry is the process's: the names say which files they are, so two
    # styles giving one family name other files each get their own faces (the name is not
    # written into the PDF).
    identity = repr((family, sorted(found.items()), files, shaped))
    key = (family, identity)
    if key in _REGISTERED:
        return _REGISTERED[key]
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:10]
    alnum = "".join(ch for ch in family if ch.isalnum())
    slug = f"BK-{alnum}-{digest}" + (SHAPED_FACE if shaped else "")
    names: dict[str, str] = {}
    paths: dict[str, Path] = {}
    for face, path in found.items():
        names[face] = f"{slug}-{face}" if getattr(files, face) else f"{slug}-regular"
        paths[names[face]] = path

    def load() -> frozenset[int]:
        for font_name, path in paths.items():
            if font_name in pdfmetrics.getRegisteredFontNames():
                continue
            try:
                kind = ShapedFont if shaped else SubsetFont
                font = kind(font_name, str(path), subfontIndex=files.subfont)
            except Exception as exc:  # reportlab raises TTFError and others for unusable files
                raise BriefkitError(f"font {str(path)!r} cannot be used: {exc}") from None
            if shaped:  # reportlab shares one font object per face name: give the twin its own
                font.face.name = font.face.name + b"-Shaped"
            pdfmetrics.registerFont(font)
        pdfmetrics.registerFontFamily(
            names["regular"],
            normal=names["regular"],
            bold=names["bold"],
            italic=names["italic"],
            boldItalic=names["bold_italic"],
        )
        return frozenset(pdfmetrics.getFont(names["regular"]).face.charToGlyph)

    result = Family(
        family,
        names["regular"],
        names["bold"],
        names["italic"],
        names["bold_italic"],
        load,
        shaped,
    )
    _REGISTERED[key] = result
    return result


_OUTSIDE: dict[str, re.Pattern[str]] = {}


def _outside(family: Family) -> re.Pattern[str]:
    """A pattern finding a character ``family`` lacks, or one that needs shaping."""
    key = family.regular
    if key not in _OUTSIDE:
        codes = sorted(c for c in family.coverage if not _COMPLEX.match(chr(c)) and c > 0x20)
        ranges: list[str] = []
        start = previous = None
        for code in codes:
            if previous is not None and code == previous + 1:
                previous = code
                continue
            if start is not None:
                ranges.append(_char_range(start, previous))  # type: ignore[arg-type]
            start = previous = code
        if start is not None:
            ranges.append(_char_range(start, previous))  # type: ignore[arg-type]
        _OUTSIDE[key] = re.compile(f"[^\\s{''.join(ranges)}]")
    return _OUTSIDE[key]


def _char_range(start: int, end: int) -> str:
    first, last = re.escape(chr(start)), re.escape(chr(end))
    return first if start == end else f"{first}-{last}"


class Fonts:
    """The style's families, registered lazily, with run splitting between Latin and CJK."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self._families: dict[str, Family] = {}
        self._shaped: dict[str, Family] = {}
        self._fallbacks: dict[str, Family | None] = {}
        self._by_language: dict[str, Family | None] = {}
        """Article language -> its ``[script_fonts]`` CJK family (None: the style's)."""
        self.missing: set[str] = set()
        """Characters no installed font covers (they print as missing glyphs)."""

    def family(self, name: str, lazy: bool = False) -> Family:
        """The style's family ``name``, registered with reportlab (unless ``lazy``: then
        when its coverage is first read)."""
        if name not in self._families:
            files = self.style.font_files.get(name)
            if files is None:
                raise BriefkitError(
                    f"style {self.style.name!r} names font {name!r} "
                    "but has no [font_files] entry for it"
                )
            self._families[name] = register_family(name, files, self.style.search_dirs)
        family = self._families[name]
        return family if lazy else family.registered()

    def pair(self, font: str, language: str | None = None) -> tuple[Family, Family]:
        """(Latin, CJK) families for a role's font: ``body``, ``heading`` or ``mono``; in an
        article in ``language``, the style's ``[script_fonts]`` family for that language's
        Han, kana or Hangul (``japanese``, ``korean``, ``chinese_traditional``,
        ``chinese_simplified``), when named and installed, replaces the CJK family."""
        fonts = self.style.fonts
        named = self._cjk_for(language) if language else None
        # The CJK family is read only when a character needs it (see Family).
        if font == "mono":
            return self.mono, named or self.family(fonts["body_cjk"], lazy=True)
        cjk = named or self.family(fonts[f"{font}_cjk"], lazy=True)
        return self.family(fonts[f"{font}_latin"]), cjk

    def _cjk_for(self, language: str) -> Family | None:
        if language not in self._by_language:
            key = language.lower()
            script = _CJK_SCRIPT_OF.get(key) or _CJK_SCRIPT_OF.get(key.split("-")[0])
            name = self.style.script_fonts.get(script) if script else None
            self._by_language[language] = (
                self._register_fallback(name, shaped=False) if name else None
            )
        return self._by_language[language]

    @property
    def mono(self) -> Family:
        return self.family(self.style.fonts["mono"])

    def runs(self, text: str, latin: Family, cjk: Family) -> Iterator[tuple[Family, str]]:
        """``text`` cut into runs, each in the first family that has all its glyphs."""
        if text and _outside(latin).search(text) is None:
            yield latin, text  # the common case, found by one regex search instead of a loop
            return
        current: Family | None = None
        start = 0
        for index, ch in enumerate(text):
            code = ord(ch)
            if (0x590 <= code <= 0x17FF or 0xA8E0 <= code <= 0xFEFE) and _COMPLEX.match(ch):
                chosen = self._complex(ch, latin, cjk)
            elif ch.isspace() and current is not None and current.shaped:
                chosen = current  # spaces between Arabic words stay in the shaped run
            elif code in latin.coverage or ch.isspace():
                chosen = latin if current is None or current is latin or code < 0x80 else current
                if code >= 0x80 and ch.isspace():
                    chosen = current or latin
            elif code in cjk.coverage:
                chosen = cjk
            else:
                chosen = self._fallback(ch) or latin  # nothing has it: a missing glyph
            if chosen is not current:
                if current is not None and index > start:
                    yield current, text[start:index]
                current, start = chosen, index
        if current is not None and start < len(text):
            yield current, text[start:]

    def _complex(self, ch: str, latin: Family, cjk: Family) -> Family:
        """The shaped twin of the first family covering a complex-script character."""
        code = ord(ch)
        base = latin if code in latin.coverage else cjk if code in cjk.coverage else None
        return self.shaped_twin(base or self._fallback(ch) or latin)

    def shaped_twin(self, family: Family) -> Family:
        """``family`` registered again with HarfBuzz shaping on (itself if it already is)."""
        if family.shaped:
            return family
        if family.name not in self._shaped:
            files = self.style.font_files[family.name]
            self._shaped[family.name] = register_family(
                family.name, files, self.style.search_dirs, shaped=True
            )
        return self._shaped[family.name].registered()

    def _fallback(self, ch: str) -> Family | None:
        """The first of the style's ``[script_fonts]`` families that has ``ch`` (those whose
        files are not installed are skipped)."""
        code = ord(ch)
        for name in self.style.script_fonts.values():
            if name not in self._fallbacks:
                self._fallbacks[name] = self._register_fallback(name)
            family = self._fallbacks[name]
            if family is not None and code in family.coverage:
                return family
        self.missing.add(ch)
        return None

    def _register_fallback(self, name: str, shaped: bool = True) -> Family | None:
        named = self.style.font_files[name]
        found = {
            face: find_font_file(file_name, self.style.search_dirs)
            for face in ("regular", "bold", "italic", "bold_italic")
            if (file_name := getattr(named, face))
        }
        if found.get("regular") is None:
            return None
        files = FontFiles(
            **{face: str(path) for face, path in found.items() if path is not None},
            subfont=named.subfont,
        )
        return register_family(name, files, self.style.search_dirs, shaped=shaped)

    def markup(
        self, text: str, latin: Family, cjk: Family, bold: bool = False, italic: bool = False
    ) -> str:
        """Paragraph markup for plain ``text``: escaped, with a ``<font>`` tag per run.

        The tag names the exact face (bold, italic), since a ``<font>`` tag overrides the
        weight that surrounding ``<b>`` tags or the paragraph style would give.
        """
        return "".join(
            f'<font name="{family.face(bold, italic)}">{escape(run)}</font>'
            for family, run in self.runs(text, latin, cjk)
        )

    def cjk_font_in(self, markup: str) -> bool:
        """True when paragraph ``markup`` made by :meth:`markup` uses a CJK family."""
        fonts = self.style.fonts
        cjk = [
            f
            for f in self._families.values()
            if f.name in (fonts["body_cjk"], fonts["heading_cjk"])
        ]
        cjk += [f for f in self._by_language.values() if f is not None]
        return any(f'name="{f.regular}"' in markup or f'name="{f.bold}"' in markup for f in cjk)

    def draw(
        self,
        canvas: Canvas,
        x: float,
        y: float,
        text: str,
        size: float,
        align: str = "left",
        font: str = "heading",
    ) -> None:
        """Draw mixed-script ``text`` on the canvas at (x, y); ``align`` left, center or right.
        Complex-script runs are shaped and right-to-left text is put in display order."""
        latin, cjk = self.pair(font)
        pieces = [(family.regular, run) for family, run in self.runs(text, latin, cjk)]
        rtl = right_to_left(text)
        if rtl is not None or any(pdfmetrics.getFont(name).shapable for name, _ in pieces):
            runs = display_runs(pieces, rtl=bool(rtl))
            pieces = [(pieces[run.piece][0], run.text) for run in runs]
        widths = [pdfmetrics.stringWidth(run, name, size) for name, run in pieces]
        if align == "center":
            x -= sum(widths) / 2
        elif align == "right":
            x -= sum(widths)
        for (name, run), width in zip(pieces, widths, strict=True):
            canvas.setFont(name, size)
            canvas.drawString(x, y, run)
            x += width
