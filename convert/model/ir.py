"""The article intermediate representation (IR): what every reader fills and every writer reads.

An :class:`Article` is metadata (:class:`Meta`) plus a list of blocks plus the input lines the
reader chose not to use (:class:`Dropped`), so nothing is thrown away silently. A
:class:`Collection` is a set of articles with metadata of its own.

Blocks and inlines are small closed sets of frozen dataclasses (see ``BLOCK_TYPES`` and
``INLINE_TYPES``); :class:`Div` and :class:`Span` carry :class:`Attr` for whatever no type
names. Text always lives in the ``text`` field of an inline node (:class:`Text`,
:class:`Code`).

This module does no I/O. Its only logic is the text-cleaning step at the IR boundary
(:func:`clean_text`, :func:`clean_collection`): readers hand their result through it so
that writers never meet XML-illegal characters, stray carriage returns or lone surrogates.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NoReturn, TypeAlias

IR_VERSION = 3
"""The version stamped into the JSON form. Version 2 added the collection's ``issue``,
``marking`` and ``sections``, version 3 an image's ``picture``; versions 1 and 2 (subsets)
still load; others are refused."""
READABLE_VERSIONS = (1, 2, 3)
"""The JSON versions this briefkit reads."""


# --------------------------------------------------------------------------- media


class Media(Mapping[str, bytes]):
    """An immutable mapping from a picture's digest to its checked bytes."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, bytes] | None = None) -> None:
        self._items: dict[str, bytes] = dict(items or {})

    def __getitem__(self, digest: str) -> bytes:
        return self._items[digest]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def merged(self, other: Mapping[str, bytes]) -> Media:
        """This media with ``other``'s items added."""
        return Media({**self._items, **other}) if other else self


EMPTY_MEDIA = Media()


# --------------------------------------------------------------------------- attributes


@dataclass(frozen=True, slots=True)
class Attr:
    """Identifier, classes and key-value pairs, as on an HTML element."""

    id: str = ""
    """An identifier, unique within the article, or empty."""
    classes: tuple[str, ...] = ()
    """Class names such as ``"pull-quote"``; writers map known ones to styles."""
    attributes: tuple[tuple[str, str], ...] = ()
    """Other key-value pairs, in input order."""


# --------------------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True)
class Text:
    """A run of plain text."""

    text: str
    """The characters, already cleaned (no control characters, newlines only as LineBreak)."""


@dataclass(frozen=True, slots=True)
class Emph:
    """Emphasised (usually italic) content."""

    content: tuple[Inline, ...]
    """The emphasised inlines."""


@dataclass(frozen=True, slots=True)
class Strong:
    """Strongly emphasised (usually bold) content."""

    content: tuple[Inline, ...]
    """The strong inlines."""


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink."""

    href: str
    """The target URL as given by the input; writers decide which schemes they honour."""
    content: tuple[Inline, ...]
    """The link text."""


@dataclass(frozen=True, slots=True)
class Code:
    """Inline code or other literal text shown in a monospace font."""

    text: str
    """The literal characters."""


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break inside a block."""


@dataclass(frozen=True, slots=True)
class Span:
    """Generic inline container for what no other inline type names."""

    attr: Attr
    """Identifier, classes and key-values describing the span."""
    content: tuple[Inline, ...]
    """The contained inlines."""


Inline: TypeAlias = Text | Emph | Strong | Link | Code | LineBreak | Span
INLINE_TYPES: tuple[type, ...] = (Text, Emph, Strong, Link, Code, LineBreak, Span)
"""Every inline type; a writer must handle each of them."""


# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading inside the article body (the article title lives in :class:`Meta`)."""

    level: int
    """1 for the highest body heading, up to 6."""
    content: tuple[Inline, ...]
    """The heading text."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of running text."""

    content: tuple[Inline, ...]
    """The paragraph's inlines."""


@dataclass(frozen=True, slots=True)
class Quote:
    """A block quotation."""

    blocks: tuple[Block, ...]
    """The quoted blocks."""


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bulleted or numbered list."""

    ordered: bool
    """True for a numbered list."""
    items: tuple[tuple[Block, ...], ...]
    """One tuple of blocks per item."""
    start: int = 1
    """The first number of an ordered list."""


@dataclass(frozen=True, slots=True)
class Picture:
    """What is known of an image's bytes once they were fetched and checked."""

    digest: str
    """``"sha256:"`` and the hex digest of the checked bytes: the key into
    :attr:`Article.media`."""
    media_type: str
    """The checked bytes' type: ``"image/jpeg"``, ``"image/png"`` or ``"image/svg+xml"`` (a
    drawing made safe)."""
    width: int
    """Width in pixels."""
    height: int
    """Height in pixels."""


@dataclass(frozen=True, slots=True)
class Image:
    """A reference to an image; the bytes, once resolved, are in :attr:`Article.media`."""

    src: str
    """Where the image is (a URL, a ``data:`` URI or a path relative to the input)."""
    alt: str = ""
    """Alternative text for readers who cannot see the image."""
    caption: tuple[Inline, ...] = ()
    """The caption shown with the image, if any."""
    picture: Picture | None = None
    """The resolved picture, or None while it is only a reference (not fetched, broken)."""


@dataclass(frozen=True, slots=True)
class Table:
    """A simple table: rows of cells, each cell a run of inlines."""

    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    """The rows, top to bottom; each row is a tuple of cells."""
    header_rows: int = 0
    """How many of the first rows are header rows."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A thematic break (horizontal rule)."""


@dataclass(frozen=True, slots=True)
class Div:
    """Generic block container for what no other block type names (e.g. a pull quote)."""

    attr: Attr
    """Identifier, classes and key-values describing the container."""
    blocks: tuple[Block, ...]
    """The contained blocks."""


Block: TypeAlias = Heading | Paragraph | Quote | ListBlock | Image | Table | Rule | Div
BLOCK_TYPES: tuple[type, ...] = (Heading, Paragraph, Quote, ListBlock, Image, Table, Rule, Div)
"""Every block type; a writer must handle each of them."""


# --------------------------------------------------------------------------- metadata

When: TypeAlias = datetime | date
"""A moment or a calendar day. A naive datetime is local time at the source, as printed."""


@dataclass(frozen=True, slots=True)
class Meta:
    """Everything known about an article besides its body. Field names are a public interface."""

    title: str | None = None
    """The headline as shown."""
    subtitle: str | None = None
    """A sub-headline or kicker."""
    original_title: str | None = None
    """The headline under which the article first appeared (``Original title:``, ``原标题：``)."""
    section: tuple[str, ...] = ()
    """Breadcrumb parts, outermost first, e.g. ``("CPC News Network", "Leadership activities")``."""
    site: str | None = None
    """The site or publication the article was taken from."""
    source: str | None = None
    """The outlet that first published it (``Source:``, ``来源：``)."""
    published: When | None = None
    """First publication; timezone-aware only when the input gave an offset."""
    updated: When | None = None
    """Last update, same rules as ``published``."""
    authors: tuple[str, ...] = ()
    """Reporters and writers, in byline order."""
    editors: tuple[str, ...] = ()
    """Editors (``Editor in charge``, ``责编``); never mixed into ``authors``."""
    language: str | None = None
    """BCP 47 language tag, e.g. ``en`` or ``zh-CN``."""
    url: str | None = None
    """Where the article lives on the web."""
    identifier: str | None = None
    """A stable identifier (DOI, URN, the source's own id)."""
    keywords: tuple[str, ...] = ()
    """Keywords or tags."""
    summary: str | None = None
    """A short description or standfirst."""
    byline: str | None = None
    """The byline phrase exactly as printed, e.g. ``News from our newspaper (reporter X)``."""
    dateline: str | None = None
    """The dateline phrase as printed, e.g. ``新华社北京12月1日电``."""
    rights: str | None = None
    """Copyright or licence statement."""
    extra: tuple[tuple[str, str], ...] = ()
    """Any other metadata as string pairs, in input order, so nothing is thrown away."""


@dataclass(frozen=True, slots=True)
class Dropped:
    """An input line the reader did not put into metadata or blocks, and why."""

    text: str
    """The line as read (cleaned)."""
    reason: str
    """Why it was left out, e.g. ``"share boilerplate"``."""
    line: int | None = None
    """1-based line number in the input, when the input has lines."""


@dataclass(frozen=True, slots=True)
class Article:
    """One news article."""

    meta: Meta = field(default_factory=Meta)
    """What is known about the article."""
    blocks: tuple[Block, ...] = ()
    """The body, in reading order."""
    dropped: tuple[Dropped, ...] = ()
    """What the reader left out, with reasons."""
    media: Media = field(default_factory=lambda: EMPTY_MEDIA, compare=False, repr=False)
    """The bytes of the article's resolved pictures by digest (like pandoc's MediaBag).
    Not part of the JSON form, which records each picture's :class:`Picture` instead."""

    def picture_data(self, image: Image) -> bytes | None:
        """The checked bytes of ``image``'s picture when this article has them, else None
        (the picture is then shown as a described link)."""
        picture = image.picture
        return self.media.get(picture.digest) if picture is not None else None


@dataclass(frozen=True, slots=True)
class Section:
    """A named part of a collection: the next ``count`` articles, under one heading."""

    title: str
    """The section's heading, e.g. ``"Economy"``; empty for articles outside any section."""
    count: int
    """How many articles belong to it: the ones after the previous section's, in order."""
    intro: str | None = None
    """An introductory paragraph printed under the heading."""


@dataclass(frozen=True, slots=True)
class Collection:
    """A set of articles published together (a digest, a week's reading, a briefing)."""

    title: str | None = None
    """The collection's title."""
    subtitle: str | None = None
    """A subtitle."""
    editors: tuple[str, ...] = ()
    """Who compiled the collection."""
    publisher: str | None = None
    """The issuing organisation."""
    date: When | None = None
    """The collection's date."""
    identifier: str | None = None
    """A stable identifier for the collection."""
    language: str | None = None
    """Main BCP 47 language of the collection."""
    description: str | None = None
    """A short description."""
    issue: str | None = None
    """The issue's number or name, e.g. ``"No. 42"``."""
    marking: str | None = None
    """A handling marking printed on the cover and every page, e.g. ``"FOR INTERNAL USE"``."""
    sections: tuple[Section, ...] = ()
    """The sections, in order; their counts add up to the number of articles (or none)."""
    articles: tuple[Article, ...] = ()
    """The articles, in order."""

    def has_metadata(self) -> bool:
        """True when any field besides ``articles`` is set."""
        return any(
            getattr(self, f.name) not in (None, (), "")
            for f in dataclasses.fields(self)
            if f.name != "articles"
        )


COLLECTION_META_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(Collection) if f.name != "articles"
)
META_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Meta))


def section_spans(collection: Collection) -> list[tuple[Section, tuple[Article, ...]]]:
    """Each section with its articles. Without sections: one untitled section holding all.

    Raises ValueError when the section counts do not add up to the number of articles.
    """
    if not collection.sections:
        return [(Section(title="", count=len(collection.articles)), collection.articles)]
    total = sum(section.count for section in collection.sections)
    if total != len(collection.articles) or any(s.count < 0 for s in collection.sections):
        raise ValueError(
            f"the sections hold {total} articles but the collection has {len(collection.articles)}"
        )
    spans, start = [], 0
    for section in collection.sections:
        spans.append((section, collection.articles[start : start + section.count]))
        start += section.count
    return spans


# --------------------------------------------------------------------------- text cleaning


class LoneSurrogateError(ValueError):
    """Text holds a lone UTF-16 surrogate, which no output format can represent."""


# Characters XML 1.0 forbids (and python-docx / ebooklib choke on): C0 controls except tab and
# newline, plus U+FFFE/U+FFFF. DEL and C1 controls are legal XML but invisible junk; drop them too.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NEEDS_CLEANING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str, removed: dict[str, int] | None = None) -> str:
    """Return ``text`` with newlines normalised to ``\\n`` and XML-illegal characters removed.

    Counts of removed characters are added to ``removed`` (keyed by the character) when given.
    Raises :class:`LoneSurrogateError` for a lone surrogate: it cannot be written anywhere and
    silently replacing it would hide a broken input.
    """
    # isprintable() runs at C speed and is True for most titles and paragraphs.
    if text.isprintable() or not _NEEDS_CLEANING.search(text):
        return text
    bad = _SURROGATE.search(text)
    if bad:
        raise LoneSurrogateError(
            f"lone surrogate U+{ord(bad.group()):04X} at character {bad.start()}"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if removed is not None:
        for ch in _ILLEGAL.findall(text):
            removed[ch] = removed.get(ch, 0) + 1
    return _ILLEGAL.sub("", text)


# Every UTF-8 byte but those that start a character clean_text changes: the C0 controls
# (tab and newline excepted), DEL, and the lead bytes of C1 controls (0xC2), surrogates
# (0xED) and U+FFFE/U+FFFF (0xEF).
_UTF8_CLEAN_BYTES = bytes(
    b
    for b in range(256)
    if b in (9, 10) or (32 <= b < 127) or (b >= 128 and b not in (0xC2, 0xED, 0xEF))
)


def is_clean_text(text: str) -> bool:
    """True when :func:`clean_text` would return ``text`` as it is (and raise nothing).

    For a whole article at once: deleting the UTF-8 bytes that cannot start a change is a C
    loop over the bytes; only text with a lead byte shared by a changed character (0xC2 for
    the C1 controls and Latin-1 signs, 0xEF for U+FFFE and the full-width forms, 0xED for
    surrogates and some Hangul) is looked at by the pattern.
    """
    left = text.encode("utf-8", "surrogatepass").translate(None, _UTF8_CLEAN_BYTES)
    if not left:
        return True
    if left.translate(None, b"\xc2\xed\xef"):  # what is left besides lead bytes: a control
        return False
    return _NEEDS_CLEANING.search(text) is None


def _clean_value(value: Any, removed: dict[str, int]) -> Any:
    # Called for every node and string of every article read: the common cases (clean text,
    # nothing changed) return the value itself without building anything.
    kind = type(value)
    if kind is str:
        return value if value.isprintable() else clean_text(value, removed)
    if kind is Text:  # the most common node: checked without the generic field loop
        text = value.text
        if text.isprintable():
            return value
        cleaned = clean_text(text, removed)
        return value if cleaned is text else Text(cleaned)
    if kind is Paragraph:  # the most common block
        content = value.content
        new_content = _clean_value(content, removed)
        return value if new_content is content else Paragraph(new_content)
    if kind in _ATOMS:
        return value
    if isinstance(value, str):  # a str subclass
        return clean_text(value, removed)
    if isinstance(value, tuple):
        for index, item in enumerate(value):
            new = _clean_value(item, removed)
            if new is not item:
                rest = (_clean_value(v, removed) for v in value[index + 1 :])
                return (*value[:index], new, *rest)
        return value
    names = _field_names(kind)
    if names:
        changes = {}
        for name in names:
            old = getattr(value, name)
            new = _clean_value(old, removed)
            if new is not old:
                changes[name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


_ATOMS = frozenset({type(None), bool, int, float, bytes})
"""Value types that hold no text (left as they are by the cleaning walk)."""


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """Field names of an IR dataclass (cached: the cleaning walk visits every node)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        is_node = dataclasses.is_dataclass(cls)
        names = tuple(f.name for f in dataclasses.fields(cls)) if is_node else ()
        _FIELD_NAMES[cls] = names
    return names


def _removed_report(removed: dict[str, int]) -> tuple[Dropped, ...]:
    listing = ", ".join(f"U+{ord(ch):04X} ×{n}" for ch, n in sorted(removed.items()))
    return (Dropped(text=listing, reason="XML-illegal control characters removed"),)


def clean_article(article: Article) -> Article:
    """Clean every string in ``article``; removed characters are reported in ``dropped``."""
    removed: dict[str, int] = {}
    cleaned: Article = _clean_value(article, removed)
    if removed:
        cleaned = dataclasses.replace(cleaned, dropped=cleaned.dropped + _removed_report(removed))
    return cleaned


def clean_collection(collection: Collection) -> Collection:
    """Clean the collection metadata and every article (see :func:`clean_article`)."""
    removed: dict[str, int] = {}
    meta = {
        name: _clean_value(getattr(collection, name), removed) for name in COLLECTION_META_FIELDS
    }
    articles = tuple(clean_article(a) for a in collection.articles)
    if removed and articles:
        first = articles[0]
        articles = (
            dataclasses.replace(first, dropped=first.dropped + _removed_report(removed)),
            *articles[1:],
        )
    return Collection(**meta, articles=articles)


# --------------------------------------------------------------------------- helpers


class UnknownNodeError(TypeError):
    """A walk over the IR met a node type it has no case for (a writer, the JSON form...)."""

    def __init__(self, walker: str, node: object) -> None:
        self.writer = walker
        """Who met it: a writer's name (``docx``, ``pdf``, ``epub``, ``json``) or a helper's."""
        self.node_type = type(node).__name__
        """The unknown node's class name."""
        super().__init__(f"the {walker} writer does not know the IR node {self.node_type}")


def unknown_node(node: NoReturn, walker: str) -> NoReturn:
    """The last arm of every ``match`` over IR nodes.

    Typed as taking ``NoReturn`` so that mypy reports a walk whose ``match`` misses a node
    type (the node would then reach this call with a real type); at run time it raises
    :class:`UnknownNodeError`, so a new node type is never dropped silently.
    """
    raise UnknownNodeError(walker, node)


def plain_text(content: tuple[Inline, ...] | tuple[Block, ...]) -> str:
    """The text of inlines or blocks with markup removed (blocks separated by newlines)."""
    parts: list[str] = []
    for node in content:
        match node:
            case Text() | Code():
                parts.append(node.text)
            case LineBreak():
                parts.append("\n")
            case Emph() | Strong() | Link() | Span():
                parts.append(plain_text(node.content))
            case Heading() | Paragraph():
                parts.append(plain_text(node.content) + "\n")
            case Quote() | Div():
                parts.append(plain_text(node.blocks))
            case ListBlock():
                parts.extend(plain_text(item) for item in node.items)
            case Image():
                parts.append(plain_text(node.caption) + "\n" if node.caption else "")
            case Table():
                parts.extend("\t".join(plain_text(c) for c in row) + "\n" for row in node.rows)
            case Rule():
                pass
            case _:
                unknown_node(node, "plain-text")
    return "".join(parts)


def walk_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block in ``blocks``, depth first, containers before their content."""
    for block in blocks:
        yield block
        if isinstance(block, (Quote, Div)):
            yield from walk_blocks(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from walk_blocks(item)


def paragraph(text: str) -> Paragraph:
    """A paragraph holding one plain text run."""
    return Paragraph((Text(text),))
