"""Reader ``feed``: an RSS, Atom or JSON feed, each entry one article (via feedparser).

An entry's title, link, publication and update times, authors, summary, categories and id
become its metadata; the feed's title is the source. The entry's full content (or, when the
feed carries only a summary, the summary) becomes the body through the shared XHTML walk.
feedparser is given the bytes, never a URL, so reading a feed never touches the network;
fetching each entry's page is the briefing's ``full = true`` and goes through
:mod:`convert.media.fetch`.
"""

from __future__ import annotations

import calendar
import email.utils
import io
import json
import re
import urllib.parse
import warnings
from datetime import datetime, timezone
from typing import Any

from lxml import html

from ..model import ir
from ..model.errors import InputError
from ..model.ir_json import iso_to_when
from ..model.language import language_tag
from ._decode import xml_safe
from ._language import identify
from ._news_cues import take_wire_dateline
from ._xhtml import Walk, text_of

EXTENSIONS = (".rss", ".atom")
MAX_TAGS = 100_000
_FEED_ROOT = re.compile(rb"<(?:[\w-]+:)?(rss|feed|RDF)\b")


def looks_like_feed(data: bytes) -> bool:
    """True when the first element of ``data`` is an RSS, Atom or RSS 1.0 (RDF) root."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return re.search(rb'"version"\s*:\s*"https?:\\?/\\?/jsonfeed\.org', head) is not None
    if not head.startswith(b"<"):
        return False
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.S).lstrip()
    return _FEED_ROOT.match(head) is not None


def _fragment(markup: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return html.fragment_fromstring(xml_safe(markup), create_parent="div")


def _plain(markup: str | None) -> str | None:
    if not markup or not markup.strip():
        return None
    text = text_of(_fragment(markup)) if "<" in markup else re.sub(r"\s+", " ", markup).strip()
    return text or None


def _when(raw: str | None, parsed: Any) -> ir.When | None:
    """The entry's time with its printed offset (feedparser's own value is UTC-only)."""
    if raw:
        try:
            return iso_to_when(raw.strip())
        except ValueError:
            pass
        try:
            moment = email.utils.parsedate_to_datetime(raw.strip())
        except (TypeError, ValueError, IndexError):
            moment = None
        if moment is not None:
            return moment
    if parsed:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)
    return None


def _names(entry: Any) -> tuple[str, ...]:
    names: list[str] = []
    for author in entry.get("authors") or []:
        name = str((author.get("name") if isinstance(author, dict) else author) or "").strip()
        if name and name not in names:
            names.append(name)
    if not names and entry.get("author"):
        names.append(str(entry["author"]).strip())
    return tuple(names)


def _without_dateline(
    blocks: tuple[ir.Block, ...],
) -> tuple[tuple[ir.Block, ...], tuple[str, str | None] | None]:
    """The entry's body without its wire dateline, and (dateline, agency) when it had one."""
    kept, wire = take_wire_dateline(list(blocks))
    return tuple(kept), wire


def _entry(entry: Any, feed_title: str | None, feed_language: str | None, base: str) -> ir.Article:
    walk = Walk()
    contents = entry.get("content") or []
    # feedparser leaves a key present but None when a damaged feed names an empty element
    body_markup = (contents[0].get("value") if contents else entry.get("summary")) or ""
    blocks = walk.blocks(_fragment(body_markup)) if body_markup.strip() else ()
    blocks, wire = _without_dateline(blocks)
    title = _plain(entry.get("title"))
    summary = _plain(entry.get("summary"))
    text = ir.plain_text(blocks)
    language = language_tag(entry.get("language")) or feed_language
    meta = ir.Meta(
        title=title,
        source=(wire[1] if wire and wire[1] else None) or feed_title,
        dateline=wire[0] if wire else None,
        published=_when(entry.get("published"), entry.get("published_parsed")),
        # dict.get: feedparser's own get() answers "updated" with the publication time
        updated=_when(dict.get(entry, "updated"), dict.get(entry, "updated_parsed")),
        authors=_names(entry),
        language=identify(f"{title or ''} {text}", language),
        url=urllib.parse.urljoin(base, entry["link"]) if entry.get("link") else None,
        identifier=entry.get("id") or None,
        keywords=tuple(t["term"] for t in entry.get("tags") or [] if t.get("term")),
        summary=summary if contents else None,  # a summary that is the body is no summary
        rights=_plain(entry.get("rights")),
        extra=(("summary_origin", "source"),) if summary and contents else (),
    )
    return ir.Article(meta=meta, blocks=blocks, dropped=tuple(walk.dropped))


def _json_feed(data: bytes, name: str) -> ir.Collection:
    """A JSON Feed (versions 1 and 1.1): the same article fields as an RSS or Atom entry."""

    try:
        feed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"not a readable JSON Feed ({str(exc).split(';')[0]})") from None
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        raise InputError('not a readable JSON Feed (no "items" list)')

    def text(value: Any) -> str | None:
        return value.strip() or None if isinstance(value, str) else None

    def people(owner: dict[str, Any]) -> tuple[str, ...]:
        found = owner.get("authors") or ([owner["author"]] if owner.get("author") else [])
        if not isinstance(found, list):
            return ()
        return tuple(
            p["name"].strip()
            for p in found
            if isinstance(p, dict) and isinstance(p.get("name"), str) and p["name"].strip()
        )

    feed_title = text(feed.get("title"))
    feed_language = language_tag(text(feed.get("language")))
    base = name if name.lower().startswith(("http://", "https://")) else ""
    articles = []
    for item in feed["items"]:
        if not isinstance(item, dict):
            continue
        walk = Walk()
        markup = text(item.get("content_html"))
        if markup:
            blocks = walk.blocks(_fragment(markup))
        else:
            body = text(item.get("content_text")) or text(item.get("summary")) or ""
            blocks = tuple(ir.paragraph(p) for p in re.split(r"\n\s*\n", body) if p.strip())
        blocks, wire = _without_dateline(blocks)
        summary = text(item.get("summary"))
        has_body = bool(markup or text(item.get("content_text")))
        title = _plain(text(item.get("title")))
        url = text(item.get("url"))
        tags: list[Any] = item["tags"] if isinstance(item.get("tags"), list) else []
        meta = ir.Meta(
            title=title,
            source=(wire[1] if wire and wire[1] else None) or feed_title,
            dateline=wire[0] if wire else None,
            published=_when(text(item.get("date_published")), None),
            updated=_when(text(item.get("date_modified")), None),
            authors=people(item) or people(feed),
            language=identify(
                f"{title or ''} {ir.plain_text(blocks)}",
                language_tag(text(item.get("language"))) or feed_language,
            ),
            url=urllib.parse.urljoin(base, url) if url else None,
            identifier=str(item["id"]) if item.get("id") is not None else None,
            keywords=tuple(t for t in tags if isinstance(t, str) and t.strip()),
            summary=_plain(summary) if has_body else None,
            extra=(("summary_origin", "source"),) if summary and has_body else (),
        )
        articles.append(ir.Article(meta=meta, blocks=blocks, dropped=tuple(walk.dropped)))
    if not articles:
        raise InputError("the feed has no entries")
    return ir.Collection(
        title=feed_title,
        publisher=feed_title,
        description=text(feed.get("description")),
        language=feed_language,
        articles=tuple(articles),
    )


def read(data: bytes, *, name: str) -> ir.Collection:
    """Parse a feed; each entry becomes one article, in the feed's order."""
    # Imported here: feedparser costs ~40 ms of start-up; only this path needs it.
    import feedparser

    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _json_feed(data, name)
    if data.count(b"<") > MAX_TAGS:  # feedparser's sanitiser takes ~40 µs a tag
        raise InputError(f"refusing feed: more than {MAX_TAGS} tags of markup")
    if not looks_like_feed(data):
        raise InputError(
            "not an RSS, Atom or JSON feed (no <rss>, <feed> or <rdf:RDF> root, no JSON Feed "
            "version)"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f": {str(reason).splitlines()[0]}" if reason else ""
        raise InputError(f"not a readable RSS or Atom feed{detail}")
    feed = parsed.feed
    feed_title = _plain(feed.get("title"))
    feed_language = language_tag(feed.get("language"))
    base = name if name.lower().startswith(("http://", "https://")) else ""
    articles = tuple(_entry(e, feed_title, feed_language, base) for e in parsed.entries)
    if not articles:
        raise InputError("the feed has no entries")
    return ir.Collection(
        title=feed_title,
        publisher=_plain(feed.get("publisher")) or feed_title,
        description=_plain(feed.get("subtitle")),
        language=feed_language,
        date=_when(dict.get(feed, "updated"), dict.get(feed, "updated_parsed")),
        articles=articles,
    )
