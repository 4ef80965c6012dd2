"""Paragraph markup to reportlab fragments without reportlab's HTML tokenizer.

reportlab reads a paragraph's markup with ``html.parser`` (about 8 % of a digest's time).
The markup this writer makes has few shapes: ``<font name="...">``, ``<a href="..."
color="...">``, their end tags, ``<br/>``, the entities of
:func:`convert.model.xmltext.escape` and ``&nbsp;``. Such markup is cut here into the tuple
tree that reportlab's parser also takes (``ParaParser.tt_parse``): the same tag handlers then run on
the same pieces of text, one piece per text run and per entity as ``html.parser`` hands them
over, so the fragments, and the file, are the ones reportlab's own parse gives (tested).
Markup of any other shape is left to that parse.

Most paragraphs are one font run of text: reportlab's text handler makes each piece of such
a run a copy of the run's fragment with the piece as its text, so that fragment is made once
per style and font, and copied.
"""

from __future__ import annotations

import copy
import html
import re
import weakref
from typing import Any

from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser

_TOKEN = re.compile(
    r'<font name="(?P<font>[^"<>&]*)">'
    r"|</(?P<close>font|a)>"
    r"|(?P<br><br/>)"
    r'|<a href="(?P<href>[^"<>]*)"(?: color="(?P<color>[^"<>&]*)")?>'
    r"|&(?P<entity>amp|lt|gt|quot|nbsp);"
    r"|(?P<text>[^<&]+)"
)
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "nbsp": "\xa0"}
"""The entities :func:`convert.model.xmltext.escape` writes, and the no-break space of an empty
contents line, as reportlab's parser reads them."""

Tree = list[Any]
"""``[tag, attributes, children]``; a child is text or another tree."""


def tree(markup: str) -> Tree | None:
    """``markup`` (already cleaned as reportlab cleans it) as a ``para`` tree, or None when it
    holds anything but the shapes this writer makes."""
    root: Tree = ["para", {}, []]
    open_: list[Tree] = [root]
    position = 0
    for match in _TOKEN.finditer(markup):
        if match.start() != position:
            return None
        position = match.end()
        children = open_[-1][2]
        if (text := match["text"]) is not None:
            children.append(text)
        elif (entity := match["entity"]) is not None:
            children.append(_ENTITIES[entity])
        elif (font := match["font"]) is not None:
            node: Tree = ["font", {"name": font}, []]
            children.append(node)
            open_.append(node)
        elif (href := match["href"]) is not None:
            attributes = {"href": html.unescape(href)}
            if match["color"] is not None:
                attributes["color"] = match["color"]
            node = ["a", attributes, []]
            children.append(node)
            open_.append(node)
        elif match["br"] is not None:
            children.append(["br", {}, None])
        else:
            if len(open_) == 1 or open_[-1][0] != match["close"]:
                return None
            open_.pop()
    if position != len(markup) or len(open_) != 1:
        return None
    return root


MANY_PIECES = 64
"""More pieces of text than this in one run are laid out as one fragment."""


def fragments(markup: str, style: Any) -> tuple[str, Any, list[Any]] | None:
    """(the cleaned markup, the style, the fragments) as ``Paragraph(markup, style)`` would
    make them, or None for markup this module leaves to reportlab."""
    cleaned = cleanBlockQuotedText(markup)
    parsed = tree(cleaned)
    if parsed is None:
        return None
    runs = parsed[2]
    if len(runs) == 1 and runs[0][0] == "font" and runs[0][2] and _all_text(runs[0][2]):
        # One font run of text: each piece of text is a copy of the run's fragment with its
        # text, as reportlab's handle_data makes it.
        template = _font_fragment(style, runs[0][1]["name"])
        if template is not None:
            pieces = runs[0][2]
            if len(pieces) > MANY_PIECES:
                # Text thick with entities (a page of "&lt;b&gt;"): reportlab's fragment per
                # piece makes its line breaking handle every character as a word of several
                # fragments (40 s for 750 KB); one fragment of the same text and look is
                # laid out as any plain run.
                pieces = ["".join(pieces)]
            copies = []
            for text in pieces:
                frag = copy.copy(template)
                frag.text = text
                copies.append(frag)
            textTransformFrags(copies, style)
            return cleaned, style, copies
    parsed_style, frags, bullet_frags = _parse(parsed, style)
    if frags is None or bullet_frags:
        return None  # reportlab's own parse reports the problem
    textTransformFrags(frags, parsed_style)
    return cleaned, parsed_style, frags


def _all_text(children: list[Any]) -> bool:
    return all(type(child) is str for child in children)


def _parse(parsed: Tree, style: Any) -> tuple[Any, list[Any] | None, list[Any] | None]:
    parser = ParaParser()
    parser.caseSensitive = 1  # as Paragraph sets it
    return parser.tt_parse(parsed, style)  # type: ignore[no-any-return]


_FONT_FRAGMENTS: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()
"""Per paragraph style, the fragment of a run of each font (its text to be replaced)."""


def _font_fragment(style: Any, font: str) -> Any:
    """The fragment reportlab makes of text in a ``<font name=font>`` run of ``style``, or
    None when it makes anything else of it."""
    kept = _FONT_FRAGMENTS.setdefault(style, {})
    if font not in kept:
        parsed_style, frags, bullet_frags = _parse(
            ["para", {}, [["font", {"name": font}, ["x"]]]], style
        )
        usable = parsed_style is style and not bullet_frags
        kept[font] = frags[0] if usable and frags is not None and len(frags) == 1 else None
    return kept[font]
