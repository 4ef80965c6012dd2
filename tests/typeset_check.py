"""A typography checker for built PDFs: what a careful reader of the printed page notices.

Reads a PDF as poppler lays it out (``pdftotext -bbox-layout``: pages, blocks, lines, words
with their boxes) and its tagged text (``pdfinfo -struct-text``), and counts:

- ``straight_quotes``: ``"`` and ``'`` left in the text of Latin-script pages;
- ``widows`` and ``orphans``: a paragraph's last line alone at the top of a page, or its
  first line alone at the bottom (a block of one line that continues across the break);
- ``kinsoku``: lines starting with closing CJK punctuation or ending with opening;
- ``hyphenated``: lines ending in a hyphen (a soft hyphen or ``-``);
- ``right_edge_spread``: for justified text, the widest difference (points) between the right
  edges of lines that are not a paragraph's last, page by page (pages of Latin-script text:
  CJK lines have no spaces to stretch);
- ``glued``: words of the tagged text that are two words of the document run together
  (``mainleading``), found against the words the layout shows.

    .venv/bin/python -m tests.typeset_check briefing.pdf [...]
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

from lxml import etree

CLOSING = "、。，．,.」』）》】〕〉！？：；…・ー"
OPENING = "「『（《【〔〈"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_WORD = re.compile(r"\w+")


@dataclasses.dataclass
class Line:
    text: str
    left: float
    right: float
    top: float
    bottom: float


@dataclasses.dataclass
class Block:
    lines: list[Line]


@dataclasses.dataclass
class Counts:
    straight_quotes: int = 0
    widows: int = 0
    orphans: int = 0
    kinsoku: int = 0
    hyphenated: int = 0
    right_edge_spread: float = 0.0
    glued: int = 0
    glued_examples: list[str] = dataclasses.field(default_factory=list)

    def line(self) -> str:
        return (
            f"straight quotes {self.straight_quotes}, widows {self.widows}, orphans "
            f"{self.orphans}, kinsoku breaks {self.kinsoku}, hyphenated line ends "
            f"{self.hyphenated}, right-edge spread {self.right_edge_spread:.2f} pt, glued "
            f"words {self.glued}"
        )


def pages(pdf: Path) -> list[list[Block]]:
    """The PDF's pages as poppler's blocks of lines."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    tree = etree.fromstring(out, etree.XMLParser(recover=True, huge_tree=True))
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    result = []
    for page in tree.iterfind(".//x:page", ns):
        blocks = []
        for block in page.iterfind(".//x:block", ns):
            lines = []
            for line in block.iterfind("x:line", ns):
                words = [w.text or "" for w in line.iterfind("x:word", ns)]
                lines.append(
                    Line(
                        " ".join(words),
                        float(line.get("xMin")),
                        float(line.get("xMax")),
                        float(line.get("yMin")),
                        float(line.get("yMax")),
                    )
                )
            if lines:
                blocks.append(Block(lines))
        result.append(blocks)
    return result


def _body_blocks(page: list[Block]) -> list[Block]:
    """The page without its running header and footer (the first and last blocks when they
    are a single short line at the page's top or bottom edge)."""
    blocks = list(page)
    if blocks and len(blocks[0].lines) == 1 and blocks[0].lines[0].top < 60:
        blocks = blocks[1:]
    last = blocks[-1].lines if blocks else []
    if len(last) == 1 and re.search(r"\d+\s*$", last[0].text) and last[0].bottom > 780:
        blocks = blocks[:-1]
    return blocks


def breaks_at_page_end(blocks: list[Block], following: list[list[Block]]) -> tuple[int, int]:
    """(widows, orphans) where a page of ``blocks`` ends and the next page (``following``,
    empty for the last page) begins: a paragraph that runs on (its last line on the page
    reaches the column's edge without ending a sentence) carrying one line over, or leaving
    one line behind."""
    if not blocks or not following or not following[0]:
        return 0, 0
    last, first = blocks[-1], following[0][0]
    edge = max(line.right for block in blocks for line in block.lines)
    runs_on = last.lines[-1].right > edge - 2 and not re.search(
        r"[.!?。！？”\"’)]\s*$", last.lines[-1].text
    )
    if not runs_on:
        return 0, 0
    return int(len(first.lines) == 1), int(len(last.lines) == 1 and len(blocks) > 1)


def check(pdf: Path) -> Counts:
    counts = Counts()
    laid_out = [_body_blocks(page) for page in pages(pdf)]
    shown_words: set[str] = set()
    for page_number, blocks in enumerate(laid_out):
        text = " ".join(line.text for block in blocks for line in block.lines)
        cjk_page = len(_CJK.findall(text)) > len(text) / 4
        if not cjk_page:
            counts.straight_quotes += text.count('"') + text.count("'")
        right_edges = []
        for block in blocks:
            for index, line in enumerate(block.lines):
                shown_words.update(w.casefold() for w in _WORD.findall(line.text))
                stripped = line.text.strip()
                starts = index > 0 and stripped[:1] in CLOSING  # not a paragraph's first line
                ends = index < len(block.lines) - 1 and stripped[-1:] in OPENING
                if stripped and (starts or ends):
                    counts.kinsoku += 1
                if stripped.endswith(("-", "\xad")) and index < len(block.lines) - 1:
                    counts.hyphenated += 1
                    # the word hyphenated across the line end, as a reader reads it
                    head = _WORD.findall(stripped)[-1:]
                    tail = _WORD.findall(block.lines[index + 1].text)[:1]
                    if head and tail:
                        shown_words.add((head[0] + tail[0]).casefold())
                if index < len(block.lines) - 1 and len(block.lines) > 2:
                    right_edges.append(line.right)
        # The right edges of a page's justified lines: the text column's edge, lines
        # within 12 pt of it (ragged text and narrower columns are not justified text).
        # Contents pages (ragged summaries) are not running text.
        contents_page = bool(blocks) and (
            blocks[0].lines[0].text.strip() in ("Contents", "目录", "目次")
            or any(re.search(r"\.{4,}\s*\d+$", line.text) for b in blocks for line in b.lines)
        )
        if right_edges and not contents_page and not cjk_page:  # CJK lines have no spaces
            edge = max(right_edges)
            justified = [r for r in right_edges if edge - r < 12]
            if len(justified) >= 3:
                spread = edge - min(justified)
                counts.right_edge_spread = max(counts.right_edge_spread, spread)
        if not contents_page:
            widows, orphans = breaks_at_page_end(blocks, laid_out[page_number + 1 :][:1])
            counts.widows += widows
            counts.orphans += orphans
    # glued words: a word of the tagged text that the layout never shows, made of two words
    # it does show
    struct = subprocess.run(
        ["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True
    ).stdout
    for word in set(_WORD.findall(struct)):
        folded = word.casefold()
        if folded in shown_words or len(folded) < 4 or _CJK.search(folded):
            continue
        for cut in range(2, len(folded) - 1):
            if folded[:cut] in shown_words and folded[cut:] in shown_words:
                counts.glued += 1
                counts.glued_examples.append(word)
                break
    return counts


def main() -> None:
    for name in sys.argv[1:]:
        counts = check(Path(name))
        print(f"{name}: {counts.line()}")
        if counts.glued_examples:
            print(f"  glued: {', '.join(sorted(counts.glued_examples)[:10])}")


if __name__ == "__main__":
    main()
