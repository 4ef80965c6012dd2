"""Fonts for the PDF writer: finding TrueType files, registering families, per-run fallback.

reportlab has no font fallback: a glyph missing from the current font becomes a black box,
silently. So text is split into runs by glyph coverage and each run gets the Latin or the CJK
family, in paragraphs (as ``<font>`` markup) and on the canvas (headers, footers) alike.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ...errors import BriefkitError
from ...styles import FontFiles, Style

SYSTEM_FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
)
_INSTALL_HINT = (
    "install it (Debian/Ubuntu: fonts-dejavu-core, fonts-wqy-zenhei) "
    "or name another file in the style's [font_files]"
)


@lru_cache(maxsize=1)
def _system_fonts() -> dict[str, Path]:
    """File name -> path of every font under the system font folders (first one wins)."""
    found: dict[str, Path] = {}
    for folder in SYSTEM_FONT_DIRS:
        if folder.is_dir():
            for root, _, files in sorted(os.walk(folder)):
                for name in sorted(files):
                    found.setdefault(name, Path(root) / name)
    return found


def find_font_file(name: str, search_dirs: tuple[Path, ...]) -> Path | None:
    """A font file by name: an absolute path, the style's font folders, then the system's."""
    candidate = Path(name)
    if candidate.is_absolute():
        return candidate if candidate.is_file() else None
    for folder in search_dirs:
        if (folder / name).is_file():
            return folder / name
    return _system_fonts().get(name)


@dataclass(frozen=True)
class Family:
    """One registered font family: reportlab names of its four faces and its glyph coverage."""

    name: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    coverage: frozenset[int]

    def face(self, bold: bool = False, italic: bool = False) -> str:
        """The reportlab font name for a weight and slant."""
        if bold and italic:
            return self.bold_italic
        return self.bold if bold else self.italic if italic else self.regular


_REGISTERED: dict[tuple[str, str], Family] = {}


def register_family(family: str, files: FontFiles, search_dirs: tuple[Path, ...]) -> Family:
    """Register a family's TrueType faces with reportlab (once per process and file set)."""
    key = (family, repr(files))
    if key in _REGISTERED:
        return _REGISTERED[key]
    slug = "BK-" + "".join(ch for ch in family if ch.isalnum())
    names: dict[str, str] = {}
    coverage: frozenset[int] = frozenset()
    for face in ("regular", "bold", "italic", "bold_italic"):
        file_name = getattr(files, face) or files.regular
        path = find_font_file(file_name, search_dirs)
        if path is None:
            raise BriefkitError(
                f"font file {file_name!r} for {family!r} not found; {_INSTALL_HINT}"
            )
        font_name = f"{slug}-{face}" if getattr(files, face) else f"{slug}-regular"
        if font_name not in pdfmetrics.getRegisteredFontNames():
            try:
                font = TTFont(font_name, str(path), subfontIndex=files.subfont)
            except Exception as exc:  # reportlab raises TTFError and others for unusable files
                raise BriefkitError(f"font {str(path)!r} cannot be used: {exc}") from None
            pdfmetrics.registerFont(font)
        names[face] = font_name
        if face == "regular":
            coverage = frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)
    pdfmetrics.registerFontFamily(
        names["regular"],
        normal=names["regular"],
        bold=names["bold"],
        italic=names["italic"],
        boldItalic=names["bold_italic"],
    )
    result = Family(
        family, names["regular"], names["bold"], names["italic"], names["bold_italic"], coverage
    )
    _REGISTERED[key] = result
    return result


class Fonts:
    """The style's families, registered lazily, with run splitting between Latin and CJK."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self._families: dict[str, Family] = {}

    def family(self, name: str) -> Family:
        if name not in self._families:
            files = self.style.font_files.get(name)
            if files is None:
                raise BriefkitError(
                    f"style {self.style.name!r} names font {name!r} "
                    "but has no [font_files] entry for it"
                )
            self._families[name] = register_family(name, files, self.style.search_dirs)
        return self._families[name]

    def pair(self, font: str) -> tuple[Family, Family]:
        """(Latin, CJK) families for a role's font: ``body``, ``heading`` or ``mono``."""
        fonts = self.style.fonts
        if font == "mono":
            return self.mono, self.family(fonts["body_cjk"])
        return self.family(fonts[f"{font}_latin"]), self.family(fonts[f"{font}_cjk"])

    @property
    def mono(self) -> Family:
        return self.family(self.style.fonts["mono"])

    @staticmethod
    def runs(text: str, latin: Family, cjk: Family) -> Iterator[tuple[Family, str]]:
        """``text`` cut into runs, each in the first family that has all its glyphs."""
        current: Family | None = None
        start = 0
        for index, ch in enumerate(text):
            code = ord(ch)
            if code in latin.coverage or ch.isspace():
                chosen = latin if current is None or current is latin or code < 0x80 else current
                if code >= 0x80 and ch.isspace():
                    chosen = current or latin
            elif code in cjk.coverage:
                chosen = cjk
            else:
                chosen = latin  # neither has it: keep the main font (a missing glyph, not a crash)
            if chosen is not current:
                if current is not None and index > start:
                    yield current, text[start:index]
                current, start = chosen, index
        if current is not None and start < len(text):
            yield current, text[start:]

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
        return any(
            f'name="{f.regular}"' in markup or f'name="{f.bold}"' in markup
            for f in self._families.values()
            if f.name in self._cjk_names
        )

    @property
    def _cjk_names(self) -> set[str]:
        return {self.style.fonts["body_cjk"], self.style.fonts["heading_cjk"]}

    def string_width(self, text: str, size: float, latin: Family, cjk: Family) -> float:
        """Width of mixed-script ``text`` on the canvas."""
        widths = (
            pdfmetrics.stringWidth(run, f.regular, size) for f, run in self.runs(text, latin, cjk)
        )
        return float(sum(widths))

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
        """Draw mixed-script ``text`` on the canvas at (x, y); ``align`` left, center or right."""
        latin, cjk = self.pair(font)
        width = self.string_width(text, size, latin, cjk)
        if align == "center":
            x -= width / 2
        elif align == "right":
            x -= width
        for family, run in self.runs(text, latin, cjk):
            canvas.setFont(family.regular, size)
            canvas.drawString(x, y, run)
            x += pdfmetrics.stringWidth(run, family.regular, size)
