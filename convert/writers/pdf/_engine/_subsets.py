"""A TrueType face that measures and codes text it has seen before at C speed.

reportlab's line breaking measures every word of every paragraph with ``stringWidth``, whose
C helper looks the face's width table up afresh on each call; the words of a digest repeat,
so each string's width at size 1 is kept and multiplied by the size asked for (the
helper's own last step, so the widths are the same floats).

reportlab draws TrueType text as one-byte codes in 256-glyph subsets; ``TTFont.splitString``
finds each character's code in a Python loop, one character at a time, for every string the
canvas draws (several per line of a digest). Once a character has a code it keeps
it, so a string whose characters all have codes in one subset is coded with ``str.translate``
instead: same codes, same bytes, new characters and mixed subsets left to reportlab.
"""

from __future__ import annotations

import itertools
import re
import weakref
from typing import Any

from reportlab.pdfbase.ttfonts import TTFont

from ._switch import fast

_MEASURED = 100_000
"""Strings whose width a face keeps (then it starts again)."""
_BASE = 0xF0000
"""Codes are translated into plane 15 (private use): ``chr(_BASE + code)``."""
_PRINTABLE_ASCII = re.compile("[ -~]+")
_SUBSETS = 4
"""Subsets with a fast path (the first few, where a digest's text lives)."""
_SUBSET = [
    re.compile(f"[{chr(_BASE + s * 256)}-{chr(_BASE + s * 256 + 255)}]+") for s in range(_SUBSETS)
]
"""Per subset: a string of codes all in that subset."""


class _Table:
    """The translate table of one document's codes, brought up to date as codes are added."""

    def __init__(self) -> None:
        self.seen = 0
        self.ascii = False
        """Whether printable ASCII is coded as itself (reportlab's ``asciiReadable``)."""
        # A character of the text that looks like a translated code is translated to NUL
        # unless it has a code itself, so it can never pass for one.
        self.map: dict[int, int] = dict.fromkeys(range(_BASE, _BASE + 256 * _SUBSETS), 0)

    def update(self, assignments: dict[int, int]) -> None:
        # reportlab only ever adds codes, in order: read the new ones.
        for char, code in itertools.islice(assignments.items(), self.seen, None):
            self.map[char] = _BASE + code
        self.seen = len(assignments)
        self.ascii = all(assignments.get(n) == n for n in range(32, 127))
        if 32 in assignments:
            self.map[0xA0] = _BASE + assignments[32]  # reportlab draws a no-break space as 32


class SubsetFont(TTFont):  # type: ignore[misc]
    """``TTFont`` with a fast path in :meth:`splitString` (see the module docstring)."""

    def __init__(self, name: str, filename: str, **kwargs: Any) -> None:
        # Not shapable: complex scripts are drawn with :class:`._shaping.ShapedFont`.
        super().__init__(name, filename, shapable=False, **kwargs)
        self._tables: weakref.WeakKeyDictionary[Any, _Table] = weakref.WeakKeyDictionary()
        self._units: dict[str | bytes, float] = {}

    def stringWidth(self, text: str | bytes, size: float, encoding: str = "utf8") -> float:
        if not fast():
            return super().stringWidth(text, size, encoding)  # type: ignore[no-any-return]
        units = self._units.get(text)
        if units is None:
            # reportlab's helper returns float(sum * 0.001) * size: at size 1 that factor.
            units = super().stringWidth(text, 1, encoding)
            if len(self._units) >= _MEASURED:
                self._units.clear()
            self._units[text] = units
        return units * size

    def widths(self, words: list[str], size: float) -> list[float]:
        """``[self.stringWidth(word, size) for word in words]``, faster."""
        units = self._units
        try:
            return [unit * size for unit in map(units.__getitem__, words)]
        except KeyError:  # a word not measured yet: one at a time, measuring the new ones
            return [self.stringWidth(word, size) for word in words]

    def splitString(
        self, text: str | bytes, doc: Any, encoding: str = "utf-8"
    ) -> list[tuple[int, bytes]]:
        if not fast():
            return super().splitString(text, doc, encoding)  # type: ignore[no-any-return]
        if isinstance(text, str) and text and (state := self.state.get(doc)) is not None:
            table = self._tables.get(state)
            if table is None:
                table = self._tables[state] = _Table()
            if table.seen != len(state.assignments):
                table.update(state.assignments)
            if table.ascii and _PRINTABLE_ASCII.fullmatch(text):
                return [(0, text.encode("ascii"))]
            coded = text.translate(table.map)
            subset = (ord(coded[0]) - _BASE) >> 8
            if 0 <= subset < _SUBSETS and _SUBSET[subset].fullmatch(coded):
                return [(subset, coded.encode("utf-32-le")[::4])]
        return super().splitString(text, doc, encoding)  # type: ignore[no-any-return]
