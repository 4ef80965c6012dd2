"""Watch terms: a section keeps only the articles that concern it, its terms marked.

A manifest section may say ``match = ["Guizhou", "investment promotion", "招商"]`` and
``exclude = [...]``. Terms are looked for in the title and the body, ignoring case and
character width (NFKC, case folding); a term in a spaced script matches whole words only
(``port`` is not in ``report``), a term in Chinese, Japanese or Korean script matches
anywhere (those scripts have no spaces between words). An article is kept when it matches
a ``match`` term (or the section has none) and no ``exclude`` term. The terms found are
listed in ``extra["matched"]`` and every occurrence in the body's text is wrapped in a span
of class ``match``, which each writer shows as a highlight.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Sequence

from ..model import ir
from ..model.contracts import MATCH_CLASS

MATCHED = "matched"
"""The ``extra`` key listing the terms an article matched (comma-separated)."""
_CJK = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` width- and case-folded, and for each folded character its index in
    ``text`` (a character may fold to several)."""
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char).casefold()
        out.append(folded)
        where.extend([index] * len(folded))
    return "".join(out), where


class Terms:
    """Compiled watch terms."""

    def __init__(self, terms: Sequence[str]) -> None:
        self.terms = tuple(t for t in terms if t.strip())
        patterns = []
        for term in self.terms:
            folded = re.escape(_folded(" ".join(term.split()))[0]).replace("\\ ", r"\s+")
            patterns.append(folded if _CJK.search(term) else rf"(?<!\w){folded}(?!\w)")
        self._each = [re.compile(p) for p in patterns]
        # With no terms, a pattern that matches nothing.
        self._any = re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)")

    def __bool__(self) -> bool:
        return bool(self.terms)

    def found(self, text: str) -> list[str]:
        """The terms (as given) that ``text`` contains."""
        folded = _folded(text)[0]
        return [term for term, pattern in zip(self.terms, self._each, strict=True)
                if pattern.search(folded)]  # fmt: skip

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) in ``text`` of every occurrence of a term."""
        folded, where = _folded(text)
        # A term is never empty (NFKC maps no character to nothing), nor is a match.
        return [
            (where[match.start()], where[match.end() - 1] + 1)
            for match in self._any.finditer(folded)
        ]


def _marked_inlines(nodes: tuple[ir.Inline, ...], terms: Terms) -> tuple[ir.Inline, ...]:
    out: list[ir.Inline] = []
    for node in nodes:
        match node:
            case ir.Text():
                start = 0
                for begin, end in terms.spans(node.text):
                    if begin > start:
                        out.append(ir.Text(node.text[start:begin]))
                    marked = ir.Text(node.text[begin:end])
                    out.append(ir.Span(ir.Attr(classes=(MATCH_CLASS,)), (marked,)))
                    start = end
                if start < len(node.text):
                    out.append(ir.Text(node.text[start:]))
            case ir.Span() if MATCH_CLASS in node.attr.classes:
                out.append(node)  # marked already: an article watched twice
            case ir.Emph() | ir.Strong() | ir.Link() | ir.Span():
                out.append(dataclasses.replace(node, content=_marked_inlines(node.content, terms)))
            case _:
                out.append(node)  # code and line breaks are shown as they are
    return tuple(out)


def _marked_blocks(blocks: tuple[ir.Block, ...], terms: Terms) -> tuple[ir.Block, ...]:
    out: list[ir.Block] = []
    for block in blocks:
        match block:
            case ir.Paragraph() | ir.Heading():
                out.append(
                    dataclasses.replace(block, content=_marked_inlines(block.content, terms))
                )
            case ir.Quote() | ir.Div():
                out.append(dataclasses.replace(block, blocks=_marked_blocks(block.blocks, terms)))
            case ir.ListBlock():
                items = tuple(_marked_blocks(item, terms) for item in block.items)
                out.append(dataclasses.replace(block, items=items))
            case ir.Table():
                rows = tuple(tuple(_marked_inlines(cell, terms) for cell in row)
                             for row in block.rows)  # fmt: skip
                out.append(dataclasses.replace(block, rows=rows))
            case _:
                out.append(block)
    return tuple(out)


def watched(article: ir.Article, match: Terms, exclude: Terms) -> ir.Article | None:
    """``article`` with its watch terms marked and listed, or None when the section does
    not want it."""
    text = f"{article.meta.title or ''}\n{ir.plain_text(article.blocks)}"
    if exclude and exclude.found(text):
        return None
    if not match:
        return article
    found = match.found(text)
    if not found:
        return None
    extra = tuple((k, v) for k, v in article.meta.extra if k != MATCHED)
    meta = dataclasses.replace(article.meta, extra=(*extra, (MATCHED, ", ".join(found))))
    return dataclasses.replace(article, meta=meta, blocks=_marked_blocks(article.blocks, match))
