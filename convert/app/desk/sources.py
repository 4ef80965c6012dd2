"""Reading what a desk user adds: a web page by URL, uploaded files, a feed.

Everything runs in a job's thread. Addresses are fetched only when they are public (unless
the desk was started with ``--allow-private-addresses``), after every redirect too; an
uploaded file's name is a label and a format hint, never a path.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime
from pathlib import PurePosixPath

from ...media.fetch import fetch, is_url
from ...model import ir
from ...model.errors import BriefkitError, InputError
from .. import api, registry
from ..briefing import on_or_after, with_feed_meta
from .jobs import Progress

MAX_FEED_ENTRIES = 200
"""At most this many entries of one feed become cards."""


def suffix_of(label: str) -> str:
    """The lower-case extension of an uploaded file's name (a hint, never a path)."""
    suffix = PurePosixPath(label.replace("\\", "/")).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""


def format_for(label: str) -> str | None:
    """The reader an uploaded file's extension names, or None (then its bytes decide)."""
    suffix = suffix_of(label)
    if not suffix:
        return None
    try:
        return registry.for_path("reader", PurePosixPath("upload" + suffix)).name  # type: ignore[arg-type]
    except BriefkitError:
        return None


def read_upload(data: bytes, label: str) -> ir.Collection:
    return api.load(data, format_for(label), name=label)


def read_url(url: str, allow_private: bool) -> tuple[ir.Collection, bytes]:
    if not is_url(url):
        raise InputError("only http:// and https:// addresses can be added", where=url)
    try:
        data, final = fetch(url, allow_private=allow_private)
    except BriefkitError as exc:
        raise exc.at(url) from None
    return api.load(data, "html", name=final), data


def when_of(value: str) -> date | datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise InputError(f"since {value!r} is not a date like 2026-12-01") from None


def read_feed(
    data: bytes,
    label: str,
    since: date | datetime | None,
    limit: int | None,
    full: bool,
    allow_private: bool,
    progress: Progress,
) -> ir.Collection:
    """A feed's entries (``since``, then ``limit``), each page fetched with ``full``."""
    entries = list(api.load(data, "feed", name=label).articles)
    if since is not None:
        entries = [e for e in entries if on_or_after(e.meta.published, since)]
    entries = entries[: min(limit or MAX_FEED_ENTRIES, MAX_FEED_ENTRIES)]
    progress.total(len(entries))
    out = []
    for entry in entries:
        article = entry
        if full and entry.meta.url and is_url(entry.meta.url):
            try:
                page, _ = read_url(entry.meta.url, allow_private)
                if page.articles:
                    article = with_feed_meta(page.articles[0], entry)
            except BriefkitError as exc:  # the entry keeps the feed's own text
                note = ir.Dropped(entry.meta.url, f"page not fetched: {exc}")
                article = dataclasses.replace(entry, dropped=(*entry.dropped, note))
        out.append(article)
        progress.advance(article.meta.title or "")
    return ir.Collection(articles=tuple(out))
