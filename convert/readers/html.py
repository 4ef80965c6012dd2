"""Reader ``html``: a saved news page (or a fetched URL) to one article.

trafilatura finds the main text and the page metadata (title, author, date, site name,
categories, tags, description, language, URL). Our news cues then correct what they know
better on People's Daily / Xinhua style pages: the breadcrumb, ``来源：`` source, ``（记者 …）``
reporters, ``（责编：…）`` / ``责任编辑：`` editors (never authors) and their English
equivalents. Every page line that did not make it into the article is listed in ``dropped``.
"""

from __future__ import annotations

import base64
import re
import warnings
from collections.abc import Callable
from typing import Any

from lxml import etree, html

from ..model import ir, ir_json
from ..model.contracts import HTML_IR_ID, HTML_PICTURE_FOLDER
from ..model.errors import InputError
from ..model.ir_json import iso_to_when
from ..model.language import language_tag
from ._bylines import BODY_BYLINE, collect_credit_sources, end_byline, page_credits
from ._decode import decode_text, xml_safe
from ._inline import tidy
from ._language import identify
from ._news_cues import (
    EDITOR_LINE,
    EN_BYLINE,
    ZH_BYLINE,
    parse_date_line,
    split_names,
    take_wire_dateline,
)
from ._page_pictures import article_pictures

MAX_BYTES = 20 * 1024 * 1024
_LOOKS_HTML = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|meta|title|div|p|article|section)\b", re.I
)
_SOURCE = re.compile(
    r"(?:来源|來源)\s*[:：]\s*([^\s|｜丨/]{2,30})"
    r"|\bSource\s*:\s*([A-Z][\w .&'-]{1,40}?)(?:\s{2,}|\s*\||$)"
)
_EDITORS = re.compile(
    r"(?:责任编辑|責任編輯|责编|網絡編輯|网络编辑)\s*[:：]\s*"
    r"([\u4e00-\u9fff·]{2,5}(?:[ \t\u3000]*[、，, \t\u3000][ \t\u3000]*[\u4e00-\u9fff·]{2,5})*)"
    r"|(?:Editor in charge|Editors in charge|Web editor|Responsible editor)s?\s*:\s*"
    r"([A-Z][\w .'-]+?(?:\s*(?:,|and)\s*[A-Z][\w .'-]+?)*)\s*[)\]]"
)
_REPORTERS = re.compile(
    r"[（(]\s*((?:本报)?(?:记者|通讯员)[^（）()]{2,40}?)\s*[）)]|\(\s*reporters?\s+([^()]{2,80}?)\s*\)",
    re.I,
)
_CRUMB_CLASS = re.compile(r"bread|crumb|position|location|navpath|where|curpos|route", re.I)
_PRINTED_DATE = re.compile(
    r"\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}[:：]\d{2}|\d{4}-\d{2}-\d{2}\s+\d{2}:\d{2}"
    r"|At \d{1,2}:\d{2} on [A-Z][a-z]+\.? \d{1,2}, \d{4}"
    r"|\d{1,2}:\d{2}, [A-Z][a-z]+\.? \d{1,2}, \d{4}"
)
_CRUMB_SPLIT = re.compile(r"\s*(?:>>|>|»|›|＞|→|/)\s*")
_SAFE_HREF = ("http://", "https://", "mailto:", "/", "#", "./", "../")
MAX_DEPTH = 512
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr", "p", "li", "td", "tr", "th", "option", "dt", "dd")
)  # fmt: skip


def _check_depth(text: str) -> None:
    """Refuse absurdly deep nesting before a parser has to (it would drop the content)."""
    depth = 0
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in _VOID:
            continue
        depth += -1 if closing else 1
        if depth > MAX_DEPTH:
            raise InputError(f"HTML nested too deeply (more than {MAX_DEPTH} levels)")
        depth = max(depth, 0)


def _inlines(element: Any, top: bool = True) -> tuple[ir.Inline, ...]:
    """trafilatura's inline markup (hi, ref, lb, code) to IR inlines.

    Whitespace is collapsed everywhere but trimmed only at the block's edges: a space inside
    ``<hi> word</hi>`` separates words.
    """
    out: list[ir.Inline] = []
    if element.text:
        out.append(ir.Text(element.text))
    for child in element:
        inner = _inlines(child, top=False)
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "lb":
            out.append(ir.LineBreak())
        elif tag == "hi":
            rend = child.get("rend", "")
            if "#b" in rend:
                out.append(ir.Strong(inner))
            elif "#i" in rend:
                out.append(ir.Emph(inner))
            elif "#t" in rend:
                out.append(ir.Code(ir.plain_text(inner)))
            else:
                out.extend(inner)
        elif tag == "ref":
            target = child.get("target", "")
            if target.lower().startswith(_SAFE_HREF) and inner:
                out.append(ir.Link(target, inner))
            else:
                out.extend(inner)
        elif tag == "code":
            out.append(ir.Code(child.xpath("string()")))
        else:
            out.extend(inner)
        if child.tail:
            out.append(ir.Text(child.tail))
    return tidy(out, edges=top)


def _blocks(element: Any) -> list[ir.Block]:
    """trafilatura's body XML (p, head, list, quote, table, graphic, code) to IR blocks."""
    out: list[ir.Block] = []
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "p":
            content = _inlines(child)
            if ir.plain_text(content).strip():
                out.append(ir.Paragraph(content))
        elif tag == "head":
            level = (
                int(child.get("rend", "h2")[1:] or 2)
                if re.fullmatch(r"h[1-6]", child.get("rend", "h2"))
                else 2
            )
            content = _inlines(child)
            if content:
                out.append(ir.Heading(max(level - 1, 1), content))
        elif tag == "list":
            items = []
            for item in child:
                if item.tag != "item":
                    continue
                nested = _blocks(item)
                text = _inlines(item) if not nested else ()
                items.append(tuple(nested) if nested else (ir.Paragraph(text),))
            if items:
                ordered = child.get("rend", "").startswith("ol")
                out.append(ir.ListBlock(ordered, tuple(items)))
        elif tag == "quote":
            inner = _blocks(child) or [ir.Paragraph(_inlines(child))]
            out.append(ir.Quote(tuple(inner)))
        elif tag == "table":
            rows = []
            for row in child.iter("row"):
                cells = tuple(_inlines(cell) for cell in row if cell.tag == "cell")
                if any(ir.plain_text(c).strip() for c in cells):
                    rows.append(cells)
            if rows:
                out.append(
                    ir.Table(tuple(rows), 1 if child.find("row[@role='head']") is not None else 0)
                )
        elif tag == "graphic":
            src = child.get("src", "")
            if src:
                out.append(ir.Image(src, child.get("alt", "") or child.get("title", "")))
        elif tag == "code":
            lines = child.xpath("string()").split("\n")
            code: list[ir.Inline] = []
            for index, line in enumerate(lines):
                if index:
                    code.append(ir.LineBreak())
                code.append(ir.Code(line))
            out.append(ir.Paragraph(tuple(code)))
        elif tag in ("div", "section"):
            out.extend(_blocks(child))
    return out


def _page_lines(document: Any) -> list[str]:
    for bad in document.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    body = document.find("body")
    text = (body if body is not None else document).text_content()
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]


_TITLE_SEPARATOR = re.compile(r"^[-_|｜–—·:：]|[-_|｜–—·:：]$")


def _headline(title: str | None, document: Any) -> str | None:
    """The page's ``<h1>`` when the extracted title is that headline plus a site name or kicker.

    Titles such as ``Headline-新华网``, ``NEWS WEB EASY|Headline`` or ``Kicker: Headline``
    carry the headline whole; the ``<h1>`` says which part it is.
    """
    headings = [re.sub(r"\s+", " ", h.text_content()).strip() for h in document.iter("h1")][:3]
    if not title:
        return next((h for h in headings if h), None)
    for heading in headings:
        if len(heading) >= 4 and heading != title and heading in title:
            rest = title.replace(heading, "", 1).strip()
            if rest and _TITLE_SEPARATOR.search(rest):
                return heading
    return title


def _breadcrumb(document: Any) -> tuple[str, ...]:
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        marker = f"{element.get('class', '')} {element.get('id', '')}"
        if not _CRUMB_CLASS.search(marker):
            continue
        text = re.sub(r"\s+", " ", element.text_content()).strip()
        if not 3 <= len(text) <= 160 or not re.search(r">|»|›|＞|→", text):
            continue
        text = re.sub(r"^(?:当前位置|您的位置|你的位置|位置|You are here)\s*[:：]?\s*", "", text)
        parts = tuple(p for p in (s.strip() for s in _CRUMB_SPLIT.split(text)) if p)
        if 2 <= len(parts) <= 6 and all(len(p) <= 40 for p in parts):
            return parts
    return ()


def _without_cue_lines(blocks: list[ir.Block]) -> list[ir.Block]:
    """Editor lines leave the body, and a leading byline leaves the first paragraph."""
    out: list[ir.Block] = []
    for block in blocks:
        if isinstance(block, ir.Paragraph) and EDITOR_LINE.match(
            ir.plain_text(block.content).strip()
        ):
            continue
        out.append(block)
    for index, block in enumerate(out[:2]):
        if not (
            isinstance(block, ir.Paragraph)
            and block.content
            and isinstance(block.content[0], ir.Text)
        ):
            continue
        first = block.content[0].text
        match = ZH_BYLINE.match(first) or EN_BYLINE.match(first)
        if match:
            rest = first[match.end() :].lstrip()
            content = ((ir.Text(rest),) if rest else ()) + block.content[1:]
            if content:
                out[index] = ir.Paragraph(content)
            else:
                del out[index]
            break
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _supported(block: ir.Block, reference: str) -> ir.Block | None:
    """``block`` trimmed to what trafilatura's plain extraction also has as article text."""
    if isinstance(block, (ir.Paragraph, ir.Heading)):
        # Sentence by sentence: the rich extraction sometimes glues a dateline to a paragraph.
        parts = [_squash(p) for p in re.split(r"(?<=[.!?。！？:：])", ir.plain_text(block.content))]
        total = sum(len(p) for p in parts)
        covered = sum(len(p) for p in parts if p and p in reference)
        return block if total and covered >= 0.5 * total else None
    if isinstance(block, ir.Table):
        cells = [_squash(ir.plain_text(c)) for row in block.rows for c in row]
        return block if any(c and c in reference for c in cells) else None
    if isinstance(block, ir.Quote):
        kept = tuple(b for b in (_supported(c, reference) for c in block.blocks) if b is not None)
        return ir.Quote(kept) if kept else None
    if isinstance(block, ir.ListBlock):
        items = []
        for item in block.items:
            kept = tuple(b for b in (_supported(c, reference) for c in item) if b is not None)
            if kept:
                items.append(kept)
        return ir.ListBlock(block.ordered, tuple(items), block.start) if items else None
    return block  # images and rules carry no article text of their own


def _extract(trafilatura: Any, text: str, url: str | None) -> tuple[Any, list[ir.Block]]:
    """trafilatura's richest extraction that loses no text, and its blocks.

    With formatting, links, images and tables asked for, trafilatura sometimes drops a passage
    or takes in a gallery caption. Its plain extraction is the reference for what the article
    text is: blocks it does not contain are left out, and when the rich extraction lost text,
    the same options without formatting are used.
    """

    def run(**options: bool) -> Any:
        return trafilatura.bare_extraction(
            text, url=url, with_metadata=True, output_format="python", **options
        )

    rich = run(
        include_formatting=True, include_links=True, include_images=True, include_tables=True
    )
    plain = run()
    if rich is None or rich.body is None:
        return plain, []
    if plain is None or not plain.text:
        return rich, _blocks(rich.body)
    reference = _squash(plain.text)
    candidates = _blocks(rich.body)
    # Compare with the text of our blocks: rich.text carries Markdown-like emphasis markers.
    rich_text = _squash(ir.plain_text(tuple(candidates)))
    # Plain text marks list items, quotes and headings ("- ", "> ", "# "); compare without them.
    lines = (
        _squash(re.sub(r"^\s*(?:[-*•>#]+|\d+\.)\s+", "", line)) for line in plain.text.splitlines()
    )
    lost = [line for line in lines if len(line) > 30 and line not in rich_text]
    if lost:
        fallback = run(include_links=True, include_images=True, include_tables=True)
        if fallback is not None and fallback.body is not None:
            rich, candidates = fallback, _blocks(fallback.body)
    blocks = [b for b in (_supported(block, reference) for block in candidates) if b is not None]
    return rich, blocks


def _take_body_byline(
    blocks: list[ir.Block], site_names: list[str]
) -> tuple[list[ir.Block], str | None]:
    """The blocks without a paragraph that is only a byline (among the first two or the
    last three paragraphs), and that byline."""
    paragraphs = [i for i, b in enumerate(blocks) if isinstance(b, ir.Paragraph)]
    for index in paragraphs[:2] + paragraphs[-3:]:
        text = ir.plain_text(blocks[index].content).strip()  # type: ignore[union-attr]
        if len(text) <= 100 and BODY_BYLINE.match(text):
            return blocks[:index] + blocks[index + 1 :], text
    # Many papers (Vietnamese, Spanish, Italian, regional ones) print the author as the
    # last paragraph: "(Lan Anh)", "— Maria Rossi", or the name alone in bold.
    if len(paragraphs) > 1 and paragraphs[-1] == len(blocks) - 1:
        last = blocks[-1]
        assert isinstance(last, ir.Paragraph)
        content = [n for n in last.content if not (isinstance(n, ir.Text) and not n.text.strip())]
        bold = bool(content) and all(isinstance(n, ir.Strong) for n in content)
        names = end_byline(ir.plain_text(last.content), bold, site_names)
        if names is not None:
            return blocks[:-1], names
    return blocks, None


_EMBEDDED_IR = re.compile(
    rb'<script type="application/json" id="' + HTML_IR_ID.encode() + rb'">(.*?)</script>', re.S
)
_PICTURE = re.compile(
    rb'<img data-briefkit-picture="([^"]+)" src="data:[\w/+.-]+;base64,([A-Za-z0-9+/=]*)"'
)


def _words(text: str | None) -> list[str]:
    return re.findall(r"\w+", (text or "").casefold())


def restates(heading: str, title: str) -> bool:
    """True when a heading says what the title says: the same words, one inside the other,
    or most of their words shared (a second, longer headline)."""
    a, b = _words(heading), _words(title)
    if not a or not b:
        return False
    if " ".join(a) in " ".join(b) or " ".join(b) in " ".join(a):
        return True
    shared = set(a) & set(b)
    return len(shared) / len(set(a) | set(b)) >= 0.5 and len(shared) >= 3


def _same_words(a: str, b: str) -> bool:
    return _words(a) == _words(b)


def _without_repeats(
    blocks: list[ir.Block], title: str | None, summary: str | None = None
) -> tuple[list[ir.Block], list[ir.Dropped]]:
    """The body without the headings at its top that restate the title (the title again,
    a second, longer headline), and without a first paragraph that is the standfirst
    (the page's description, printed as the summary under the head): recorded in
    ``dropped``. A paragraph that merely begins like the summary stays."""
    dropped: list[ir.Dropped] = []
    while title and len(dropped) < 2 and blocks and isinstance(blocks[0], ir.Heading):
        heading = ir.plain_text(blocks[0].content)
        if not restates(heading, title):
            break
        dropped.append(ir.Dropped(heading, "a heading restating the title"))
        blocks = blocks[1:]
    first = next((i for i, b in enumerate(blocks[:3]) if isinstance(b, ir.Paragraph)), None)
    if summary and first is not None and len(blocks) > first + 1:
        text = ir.plain_text(blocks[first].content)  # type: ignore[union-attr]
        if _same_words(text, summary):
            dropped.append(ir.Dropped(text[:500], "the standfirst, printed as the summary"))
            blocks = blocks[:first] + blocks[first + 1 :]
    return blocks, dropped


def embedded_ir(data: bytes) -> ir.Collection | None:
    """The IR a briefkit HTML page carries, or None for any other page."""
    match = _EMBEDDED_IR.search(data)
    return None if match is None else ir_json.loads(match.group(1).decode("utf-8"))


def pictures(data: bytes) -> Callable[[str], bytes | None] | None:
    """A briefkit HTML page's pictures by the names its embedded IR gives them."""
    if _EMBEDDED_IR.search(data) is None:
        return None

    def lookup(name: str) -> bytes | None:
        for match in _PICTURE.finditer(data):
            if HTML_PICTURE_FOLDER + match.group(1).decode("utf-8") == name:
                return base64.b64decode(match.group(2), validate=True)
        return None

    return lookup


def read(data: bytes, *, name: str) -> ir.Collection:
    """Read one saved news page (``name`` is its URL when it was fetched); a page briefkit
    wrote gives back the IR it carries."""
    if len(data) > MAX_BYTES:
        raise InputError(f"HTML page too large ({len(data)} bytes; the limit is {MAX_BYTES})")
    embedded = embedded_ir(data)
    if embedded is not None:
        return embedded
    # Imported here: trafilatura costs ~180 ms of start-up; only this path needs it.
    import trafilatura

    text = xml_safe(decode_text(data))
    if not _LOOKS_HTML.search(data[:65536]):
        raise InputError("not an HTML page (no HTML tags at its start)")
    _check_depth(text)
    url = name if name.startswith(("http://", "https://")) else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            document = html.fromstring(
                text.encode("utf-8"), parser=html.HTMLParser(encoding="utf-8", no_network=True)
            )
        except (etree.ParserError, ValueError) as exc:
            raise InputError(f"cannot parse HTML: {exc}") from None
        extracted, blocks = _extract(trafilatura, text, url)

    def get(key: str) -> Any:
        return getattr(extracted, key, None) if extracted is not None else None

    article_text = ir.plain_text(tuple(blocks))
    credit_sources = collect_credit_sources(document)  # before _page_lines drops the scripts
    page_lines = _page_lines(document)
    page_text = "\n".join(page_lines)

    source_match = _SOURCE.search(page_text)
    source = (source_match.group(1) or source_match.group(2)).strip() if source_match else None
    editors: tuple[str, ...] = ()
    editor_match = _EDITORS.search(page_text)
    if editor_match:
        editors = split_names(editor_match.group(1) or editor_match.group(2))
    reporters: tuple[str, ...] = ()
    byline = None
    reporter_match = _REPORTERS.search(page_text)
    if reporter_match:
        byline = reporter_match.group(0)
        reporters = split_names(reporter_match.group(1) or reporter_match.group(2))
    site_names = [n for n in (get("sitename"), source, get("hostname")) if n]
    blocks, body_byline = _take_body_byline(blocks, site_names)
    credits = page_credits(credit_sources, site_names, get("author"), body_byline, page_lines)
    byline = byline or body_byline
    blocks, wire = take_wire_dateline(blocks)
    if wire is not None and wire[1]:
        credits.add(wire[1], "agency")
        # The agency a dateline names is where the copy comes from.
        source = source or wire[1]
    # A person is the author; an agency credit only when no person is named (newspapers
    # print it as the byline) and not beside the paper itself, else it is the source.
    agency_authors = () if credits.paper_and_agency else tuple(credits.agencies)
    authors = tuple(credits.people) or agency_authors
    if credits.agencies and (credits.people or credits.paper_and_agency) and source is None:
        source = " / ".join(credits.agencies)
    # An "author" that is really the editor in charge (common on Xinhua pages) is an editor.
    authors = tuple(
        a for a in authors if a not in editors and not re.search(r"责任编辑|责编|编辑", a)
    )
    authors = reporters or authors
    date_text = get("date")
    published = None
    printed = _PRINTED_DATE.search(page_text)
    parsed = parse_date_line(printed.group(0)) if printed else None
    if parsed is not None:  # a time printed on the page beats trafilatura's guess
        published = parsed[0]
    elif date_text:
        try:
            published = iso_to_when(str(date_text)[:10])
        except ValueError:
            published = None
    declared = language_tag(get("language")) or language_tag(document.get("lang"))
    language = identify(article_text or page_text, declared)
    title = _headline(get("title") or None, document)
    extra: list[tuple[str, str]] = []
    for key in ("hostname", "pagetype", "license", "image"):
        value = get(key)
        if value:
            extra.append((key, str(value)))
    meta = ir.Meta(
        title=title,
        section=_breadcrumb(document) or tuple(get("categories") or ()),
        site=get("sitename") or None,
        source=source or get("sitename") or None,
        published=published,
        authors=authors,
        editors=editors,
        language=language,
        url=get("url") or url,
        keywords=tuple(get("tags") or ()),
        summary=get("description") or None,
        byline=byline,
        dateline=wire[0] if wire is not None else None,
        rights=get("license") or None,
        extra=tuple(extra),
    )
    lead_alt = document.xpath('string(//meta[@property="og:image:alt"]/@content)') or None
    blocks, left_out = article_pictures(
        blocks, document, authors, get("image"), lead_alt, get("url") or url
    )
    blocks = _without_cue_lines(blocks)
    blocks, repeated = _without_repeats(blocks, title, meta.summary)
    left_out = [*left_out, *repeated]
    article_text = ir.plain_text(tuple(blocks))
    kept = re.sub(r"\s+", "", article_text + (title or ""))
    dropped = tuple(
        ir.Dropped(line[:500], "page boilerplate (not in the article text)")
        for line in page_lines
        if re.sub(r"\s+", "", line) not in kept
    ) + tuple(left_out)
    return ir.Collection(articles=(ir.Article(meta=meta, blocks=tuple(blocks), dropped=dropped),))
