"""Print typography decided once for every writer: which languages hyphenate, and the
typographic punctuation text is rendered with.

The IR keeps text as it was read; :func:`typeset_blocks` and :func:`typeset_text` make the
rendered copy: straight quotes and apostrophes become the language's marks (English “ ” ‘ ’,
German „ “ ‚ ‘, French « » with narrow no-break spaces, Russian and Ukrainian « » „ “ ...),
``---`` an em dash, ``--`` an en dash, ``...`` an ellipsis. Code spans, link addresses and
URLs written in the text are left as they are; Chinese, Japanese and Korean text keeps its
own marks.
"""

from __future__ import annotations

import dataclasses
import re

from ..model import ir
from .words import base_language

NO_HYPHENATION = frozenset(
    {"zh", "ja", "ko", "th", "lo", "km", "my", "bo", "as", "bn", "gu", "hi", "kn", "ml", "mr",
     "ne", "or", "pa", "sa", "si", "ta", "te", "ar", "fa", "he", "ur", "yi"}
)  # fmt: skip
"""Languages never hyphenated: written without spaces (Chinese, Japanese, Thai...), or in
scripts whose words are shaped (Indic, Arabic, Hebrew), where a hyphen would break a glyph
cluster."""


def hyphenation_language(tag: str | None) -> str | None:
    """The pyphen dictionary for text in ``tag`` (``en`` -> ``en``, ``pt-BR`` ->
    ``pt_BR``), or None when the language is not hyphenated or has no dictionary."""
    if not tag or base_language(tag) in NO_HYPHENATION:
        return None
    import pyphen  # type: ignore[import-untyped]

    found: str | None = pyphen.language_fallback(tag.replace("-", "_"))
    return found


# --------------------------------------------------------------------------- punctuation

_NARROW_NO_BREAK = "\u202f"


@dataclasses.dataclass(frozen=True)
class Marks:
    """A language's quotation marks."""

    open_double: str
    close_double: str
    open_single: str
    close_single: str
    inner_space: str = ""
    """Between a guillemet and the words it encloses (French: a narrow no-break space)."""


_ENGLISH = Marks("“", "”", "‘", "’")
_GERMAN = Marks("„", "“", "‚", "‘")
_GUILLEMETS = Marks("«", "»", "„", "“")
MARKS: dict[str, Marks] = {
    "en": _ENGLISH, "nl": _ENGLISH, "pt": _ENGLISH, "id": _ENGLISH, "ms": _ENGLISH,
    "tr": _ENGLISH, "ga": _ENGLISH, "vi": _ENGLISH,
    "de": _GERMAN, "cs": _GERMAN, "sk": _GERMAN, "sl": _GERMAN, "lt": _GERMAN,
    "is": _GERMAN, "bg": _GERMAN, "et": _GERMAN,
    "fr": Marks("«", "»", "“", "”", _NARROW_NO_BREAK),
    "ru": _GUILLEMETS, "uk": _GUILLEMETS, "be": _GUILLEMETS,
    "es": Marks("«", "»", "“", "”"), "ca": Marks("«", "»", "“", "”"),
    "it": Marks("«", "»", "“", "”"), "el": Marks("«", "»", "“", "”"),
    "pl": Marks("„", "”", "‚", "’"), "hu": Marks("„", "”", "»", "«"),
    "ro": Marks("„", "”", "«", "»"), "hr": Marks("„", "”", "‚", "’"),
    "sv": Marks("”", "”", "’", "’"), "fi": Marks("”", "”", "’", "’"),
    "da": Marks("»", "«", "›", "‹"), "nb": Marks("«", "»", "‘", "’"),
    "no": Marks("«", "»", "‘", "’"),
}  # fmt: skip
"""Languages whose straight quotes become marks; others keep straight quotes (dashes and
ellipses are still set)."""

LEFT_ALONE = frozenset({"zh", "ja", "ko"})
"""Languages whose text is rendered exactly as read."""

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_OPENS_AFTER = frozenset(" \t\n\u00a0\u202f([{<“‘«„‚‹—–-/")
_LETTER = re.compile(r"\w")


def typeset_text(text: str, language: str | None, before: str = " ") -> str:
    """``text`` with typographic punctuation; ``before`` is the character rendered just
    before it (a quote at the start of a run opens or closes by what precedes it)."""
    base = base_language(language)
    if base in LEFT_ALONE or not ('"' in text or "'" in text or "--" in text or "..." in text):
        return text
    marks = MARKS.get(base)
    out: list[str] = []
    position = 0
    # the address pattern is slow on long text: only where an address can be
    addresses = "://" in text or "www." in text or "@" in text
    for url in _URL.finditer(text) if addresses else ():
        out.append(_set(text[position : url.start()], marks, before if not out else "x"))
        out.append(url.group(0))
        position = url.end()
    out.append(_set(text[position:], marks, before if not out else "x"))
    result = "".join(out)
    if marks is not None and marks.inner_space:
        result = re.sub(rf"{marks.open_double}[ \u00a0]*", marks.open_double + marks.inner_space,
                        result)  # fmt: skip
        result = re.sub(rf"[ \u00a0]*{marks.close_double}", marks.inner_space + marks.close_double,
                        result)  # fmt: skip
    return result


_QUOTE = re.compile("[\"']")


def _set(text: str, marks: Marks | None, before: str) -> str:
    if not text:
        return text
    text = text.replace("...", "…").replace("---", "—").replace("--", "–")
    if marks is None or ('"' not in text and "'" not in text):
        return text
    out: list[str] = []
    position = 0
    single_open = False  # a single quotation mark opened earlier in this run
    for found in _QUOTE.finditer(text):
        index = found.start()
        char = text[index]
        out.append(text[position:index])
        written = out[-1][-1:] or (out[-2][-1:] if len(out) > 1 else "")
        previous = written or before[-1:] or " "
        # at the end of a run the next run goes on (a quote before emphasis opens)
        following = text[index + 1] if index + 1 < len(text) else "x"
        opens = previous in _OPENS_AFTER and not following.isspace()
        if char == '"':
            shown = marks.open_double if opens else marks.close_double
        elif _LETTER.match(previous) and _LETTER.match(following):
            shown = "’"  # an apostrophe inside a word: don't, l'homme
        elif opens and not following.isdigit():
            shown, single_open = marks.open_single, True
        elif marks.close_single != "’" and single_open:
            shown, single_open = marks.close_single, False
        else:  # a closing mark, or an apostrophe: the boys' books, '90s
            shown = "’"
        out.append(shown)
        position = index + 1
    out.append(text[position:])
    return "".join(out)


class _Typesetter:
    """Walks inlines in reading order, carrying the last rendered character across nodes."""

    def __init__(self, language: str | None) -> None:
        self.language = language
        self.before = " "

    def inlines(self, nodes: tuple[ir.Inline, ...]) -> tuple[ir.Inline, ...]:
        return tuple(self.inline(node) for node in nodes)

    def inline(self, node: ir.Inline) -> ir.Inline:
        match node:
            case ir.Text():
                text = typeset_text(node.text, self.language, self.before)
                self.before = text[-1:] or self.before
                return node if text == node.text else ir.Text(text)
            case ir.Code():
                self.before = node.text[-1:] or self.before
                return node
            case ir.LineBreak():
                self.before = " "
                return node
            case ir.Emph() | ir.Strong() | ir.Link() | ir.Span():
                return dataclasses.replace(node, content=self.inlines(node.content))
            case _:
                return node

    def block(self, node: ir.Block) -> ir.Block:
        self.before = " "
        match node:
            case ir.Paragraph() | ir.Heading():
                return dataclasses.replace(node, content=self.inlines(node.content))
            case ir.Quote() | ir.Div():
                return dataclasses.replace(node, blocks=tuple(self.block(b) for b in node.blocks))
            case ir.ListBlock():
                items = tuple(tuple(self.block(b) for b in item) for item in node.items)
                return dataclasses.replace(node, items=items)
            case ir.Image():
                return dataclasses.replace(node, caption=self.inlines(node.caption))
            case ir.Table():
                rows = []
                for row in node.rows:
                    cells = []
                    for cell in row:
                        self.before = " "
                        cells.append(self.inlines(cell))
                    rows.append(tuple(cells))
                return dataclasses.replace(node, rows=tuple(rows))
            case _:
                return node


def typeset_blocks(blocks: tuple[ir.Block, ...], language: str | None) -> tuple[ir.Block, ...]:
    """The blocks as rendered: typographic punctuation in ``language`` (the IR's blocks are
    returned as they are when nothing changes)."""
    if base_language(language) in LEFT_ALONE:
        return blocks
    setter = _Typesetter(language)
    typeset = tuple(setter.block(b) for b in blocks)
    return blocks if typeset == blocks else typeset


def typeset_inlines(nodes: tuple[ir.Inline, ...], language: str | None) -> tuple[ir.Inline, ...]:
    """One line's inlines with typographic punctuation."""
    if base_language(language) in LEFT_ALONE:
        return nodes
    return _Typesetter(language).inlines(nodes)
