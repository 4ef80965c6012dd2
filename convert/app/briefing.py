"""``briefkit build briefing.toml``: a press office's briefing from a manifest.

The manifest names the collection metadata (title, subtitle, issue, date, publisher, editors,
marking, language, identifier, description), the style, the outputs, and ``[[section]]``
tables, each with a title, an optional intro and an ordered list of sources (files, globs,
URLs, feeds; a source may be a table with ``path``/``url``/``feed`` and overrides ``title``,
``summary``, ``section``; a feed also takes ``full``, ``limit`` and ``since``). Paths are
relative to the manifest. Every output gets the same collection metadata and the same
identifier. Errors name the file, the key and the problem.
"""

from __future__ import annotations

import dataclasses
import glob
import hashlib
import os
import re
import sys
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..media.fetch import is_url
from ..media.pictures import DEFAULT_POLICY
from ..model import ir, ir_json
from ..model.contracts import DOCX_IR_PART, EPUB_IR_PATH, PDF_IR_ATTACHMENT
from ..model.errors import BriefkitError, InputError
from . import api
from .mapping_report import epub_slots
from .watch import Terms, watched

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

OUTPUT_FORMATS = ("docx", "pdf", "epub", "html", "json")
MANIFEST_KEYS = {
    "title": str, "subtitle": str, "issue": str, "date": (str, date, datetime),
    "publisher": str, "editors": list, "marking": str, "language": str, "identifier": str,
    "description": str, "style": str, "outputs": dict, "section": list, "edition": dict,
    "group_stories": bool,
}  # fmt: skip
SECTION_KEYS = {"title": str, "intro": str, "sources": list, "match": list, "exclude": list}
SOURCE_KEYS: dict[str, type | tuple[type, ...]] = {
    "path": str, "url": str, "feed": str, "title": str, "summary": str, "section": str,
    "full": bool, "limit": int, "since": (str, date, datetime),
}  # fmt: skip
_FEED_ONLY = ("full", "limit", "since")
KEY_MEANINGS = {
    "title": "the briefing's title (cover, header, metadata)",
    "subtitle": "a line under the title",
    "issue": 'the issue number as printed, e.g. "No. 42"',
    "date": "the briefing's date (ISO 8601 date or time)",
    "publisher": "the issuing office",
    "editors": "the editors' names (a list)",
    "marking": 'a handling marking on the cover and every page, e.g. "FOR INTERNAL USE"',
    "language": 'the briefing\'s language (BCP 47), e.g. "en"',
    "identifier": "the identifier of every output (default: derived from the content)",
    "description": "a description on the cover and in the metadata",
    "style": "a bundled style name or a style file (relative to the manifest)",
    "outputs": "format = file name, for any of docx, pdf, epub, html, json (relative to the "
    "manifest)",
    "section": "the sections, in order ([[section]] tables)",
    "edition": 'makes every build an edition: number_format ("No. {n}"), keep (30 editions\' '
    "files), repeat_after_days",
    "group_stories": "print a story several sources reported once, naming the others "
    "(default true)",
    "intro": "a paragraph under the section's title",
    "match": "watch terms: the section keeps only articles naming one (marked in the text)",
    "exclude": "terms that keep an article out of the section",
    "sources": "files, globs, URLs, or tables with path, url or feed",
    "path": "a file or glob, relative to the manifest",
    "url": "a web page, fetched when the briefing is built",
    "feed": "an RSS, Atom or JSON feed (a file or a URL): one article per entry",
    "summary": "the article's summary, instead of its own or the generated one",
    "full": "feeds: fetch each entry's page for its full text",
    "limit": "feeds: at most this many entries (after since)",
    "since": "feeds: only entries published or updated on or after this date or time",
}
"""What each manifest key means (the manifest reference is generated from these tables)."""
SUMMARY_LIMIT = 300
_SENTENCE = re.compile(r"(?<=[.!?。！？])[\"”’」』)]?\s*")


class ManifestError(BriefkitError):
    """The manifest is not one briefkit can build."""


class NoArticles(ManifestError):
    """Every source was read and none gave an article."""


@dataclass(frozen=True)
class Manifest:
    """A validated manifest."""

    path: Path
    """The manifest file."""
    collection: ir.Collection
    """The collection metadata (no articles yet)."""
    style: str | None
    """Style name or path (relative paths resolved against the manifest)."""
    outputs: dict[str, Path]
    """Format -> output path."""
    sections: tuple[tuple[str, str | None, tuple[dict[str, Any], ...]], ...]
    """(title, intro, sources) per section; each source a dict with ``path``, ``url`` or
    ``feed`` (``since`` already parsed to a date or datetime)."""
    edition: dict[str, Any] | None = None
    """The ``[edition]`` table, when every build of this manifest is an edition."""
    watch: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = dataclasses.field(
        default_factory=dict
    )
    """Section title -> its ``match`` and ``exclude`` terms (see :mod:`.watch`)."""
    group_stories: bool = True
    """Near-duplicate articles (one story, several sources) printed once (see :mod:`.stories`)."""


def _error(path: Path, key: str, problem: str) -> ManifestError:
    return ManifestError(f"{key}: {problem}", where=str(path))


def _check(path: Path, key: str, value: Any, expected: type | tuple[type, ...]) -> None:
    if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
        names = (
            expected.__name__
            if isinstance(expected, type)
            else " or ".join(t.__name__ for t in expected)
        )
        raise _error(path, key, f"must be {names}, not {type(value).__name__}")


def load_manifest(path: Path) -> Manifest:
    """Read and validate a manifest; a one-line :class:`ManifestError` otherwise."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise InputError("no such file", where=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", where=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"invalid TOML: {exc}", where=str(path)) from None
    for key, value in data.items():
        if key not in MANIFEST_KEYS:
            raise _error(path, key, f"unknown key (known: {', '.join(MANIFEST_KEYS)})")
        _check(path, key, value, MANIFEST_KEYS[key])  # type: ignore[arg-type]
    when: ir.When | None = None
    if "date" in data:
        raw = data["date"]
        try:
            when = ir_json.iso_to_when(raw) if isinstance(raw, str) else raw
        except ValueError:
            raise _error(path, "date", f"not an ISO 8601 date: {raw!r}") from None
    editors = data.get("editors", [])
    for index, name in enumerate(editors):
        _check(path, f"editors[{index}]", name, str)
    base = path.parent
    outputs: dict[str, Path] = {}
    for fmt, name in data.get("outputs", {}).items():
        if fmt not in OUTPUT_FORMATS:
            raise _error(
                path, f"outputs.{fmt}", f"unknown format (known: {', '.join(OUTPUT_FORMATS)})"
            )
        _check(path, f"outputs.{fmt}", name, str)
        for other, taken in outputs.items():
            if os.path.normpath(taken) == os.path.normpath(base / name):
                raise _error(path, f"outputs.{fmt}", f"{name!r} is also the {other} output")
        outputs[fmt] = base / name
    if not outputs:
        raise _error(path, "outputs", "name at least one of " + ", ".join(OUTPUT_FORMATS))
    sections = []
    watch: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    if not data.get("section"):
        raise _error(path, "section", "a briefing needs at least one [[section]]")
    for number, section in enumerate(data["section"]):
        where = f"section[{number}]"
        _check(path, where, section, dict)
        for key, value in section.items():
            if key not in SECTION_KEYS:
                known = ", ".join(SECTION_KEYS)
                raise _error(path, f"{where}.{key}", f"unknown key (known: {known})")
            _check(path, f"{where}.{key}", value, SECTION_KEYS[key])
            if key in ("match", "exclude"):
                for index, term in enumerate(value):
                    _check(path, f"{where}.{key}[{index}]", term, str)
        if not section.get("title"):
            raise _error(path, f"{where}.title", "missing")
        if not section.get("sources"):
            raise _error(path, f"{where}.sources", "empty section: name at least one source")
        sources = []
        for index, source in enumerate(section["sources"]):
            at = f"{where}.sources[{index}]"
            entry: dict[str, Any] = {"path": source} if isinstance(source, str) else source
            _check(path, at, entry, dict)
            for key, value in entry.items():
                if key not in SOURCE_KEYS:
                    raise _error(
                        path, f"{at}.{key}", f"unknown key (known: {', '.join(SOURCE_KEYS)})"
                    )
                _check(path, f"{at}.{key}", value, SOURCE_KEYS[key])
            if sum(key in entry for key in ("path", "url", "feed")) != 1:
                raise _error(path, at, "give one of path, url or feed")
            if "path" in entry and entry["path"].startswith(("http://", "https://")):
                entry = {**entry, "url": entry.pop("path")}
            for key in _FEED_ONLY:
                if key in entry and "feed" not in entry:
                    raise _error(path, f"{at}.{key}", "only a feed source takes this key")
            if entry.get("limit", 1) < 1:
                raise _error(path, f"{at}.limit", "must be 1 or more")
            if isinstance(entry.get("since"), str):
                try:
                    entry = {**entry, "since": ir_json.iso_to_when(entry["since"])}
                except ValueError:
                    raise _error(
                        path, f"{at}.since", f"not an ISO 8601 date: {entry['since']!r}"
                    ) from None
            sources.append(entry)
        sections.append((section["title"], section.get("intro"), tuple(sources)))
        if section.get("match") or section.get("exclude"):
            watch[section["title"]] = (
                tuple(section.get("match", ())),
                tuple(section.get("exclude", ())),
            )
    collection = ir.Collection(
        title=data.get("title"),
        subtitle=data.get("subtitle"),
        editors=tuple(editors),
        publisher=data.get("publisher"),
        date=when,
        identifier=data.get("identifier"),
        language=data.get("language"),
        description=data.get("description"),
        issue=data.get("issue"),
        marking=data.get("marking"),
    )
    style = data.get("style")
    if style and (style.endswith(".toml") or "/" in style):
        style = str(base / style)
    edition = data.get("edition")
    return Manifest(
        path, collection, style, outputs, tuple(sections), edition, watch,
        data.get("group_stories", True),
    )  # fmt: skip


# --------------------------------------------------------------------------- summaries


def summarize(article: ir.Article, limit: int = SUMMARY_LIMIT) -> ir.Article:
    """The article with a summary and its origin in ``extra["summary_origin"]``.

    A given summary stays (``given``); else the first sentences of the body up to about
    ``limit`` characters, cut at a sentence end (Chinese and Japanese sentence ends too),
    marked ``generated`` so it is never mistaken for the source's own.
    """
    extra = dict(article.meta.extra)
    if article.meta.summary:
        origin = extra.get("summary_origin", "given")
        return _with(article, article.meta.summary, origin)
    text = " ".join(
        ir.plain_text(b.content).strip() for b in article.blocks if isinstance(b, ir.Paragraph)
    ).strip()
    if not text:
        return article
    summary = ""
    for piece in _sentences(text):
        if summary and len(summary) + len(piece) > limit:
            break
        summary += piece
    if len(summary) > limit or not summary:
        summary = text[: limit - 1].rstrip() + "…"
    return _with(article, summary.strip(), "generated")


def _sentences(text: str) -> list[str]:
    pieces, start = [], 0
    for match in _SENTENCE.finditer(text):
        pieces.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _with(article: ir.Article, summary: str, origin: str) -> ir.Article:
    extra = tuple((k, v) for k, v in article.meta.extra if k != "summary_origin")
    meta = dataclasses.replace(
        article.meta, summary=summary, extra=(*extra, ("summary_origin", origin))
    )
    return dataclasses.replace(article, meta=meta)


# --------------------------------------------------------------------------- duplicates


def fingerprint(article: ir.Article) -> tuple[str, str]:
    """(canonical URL, title + body hash): two articles sharing either are one article."""
    url = (article.meta.url or "").split("#")[0].rstrip("/").lower()
    body = re.sub(r"\s+", " ", ir.plain_text(article.blocks)).strip().lower()
    title = (article.meta.title or "").strip().lower()
    return url, hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()


# --------------------------------------------------------------------------- the build


def collect(
    manifest: Manifest,
    warn: Callable[[str], None] | None = None,
    images: str = DEFAULT_POLICY,
    tolerate_failures: bool = False,
) -> ir.Collection:
    """Read every source and lay the sections out: the collection :func:`build` writes
    (the desk's preview shows it too).

    ``images`` is the picture policy every source is read with (see :mod:`convert.media.pictures`).
    With ``tolerate_failures`` (an edition), a source that cannot be read is a warning, and
    an error only when every source failed.
    """

    warn = warn or (lambda message: None)
    base = manifest.path.parent
    placed: dict[str, list[ir.Article]] = {title: [] for title, _, _ in manifest.sections}
    origins: dict[str, list[str]] = {title: [] for title in placed}  # where each came from
    intros = {title: intro for title, intro, _ in manifest.sections}
    seen: dict[tuple[str, str], tuple[str, str, int]] = {}  # -> (where, section, index)
    failed = total = 0
    terms = {t: (Terms(m), Terms(x)) for t, (m, x) in manifest.watch.items()}
    unwatched: dict[str, int] = {}
    for section_index, (title, _, sources) in enumerate(manifest.sections):
        for source_index, source in enumerate(sources):
            total += 1
            try:
                read = _read_source(source, base, api, warn, images)
            except BriefkitError as exc:
                # The manifest and the key that named the source come first.
                key = f"section[{section_index}].sources[{source_index}]"
                named = ManifestError(f"{key}: {exc}", where=str(manifest.path))
                if not tolerate_failures:
                    raise named from None
                failed += 1
                warn(f"{named}; the edition comes out without it")
                continue
            for where, article in read:
                if "title" in source:
                    article = _retitled(article, source["title"])
                if "summary" in source:
                    article = _with(article, source["summary"], "given")
                if title in terms:
                    wanted = watched(article, *terms[title])
                    if wanted is None:
                        unwatched[title] = unwatched.get(title, 0) + 1
                        continue
                    article = wanted
                article = summarize(article)
                url, body = fingerprint(article)
                first = seen.get(("url", url)) if url else None
                first = first or seen.get(("body", body))
                if first is not None:
                    first_where, first_section, index = first
                    warn(
                        f"{where} (section {title!r}): the same article as {first_where} "
                        f"(section {first_section!r}); kept once, there"
                    )
                    kept = placed[first_section][index]
                    record = ir.Dropped(
                        f"{where}: {article.meta.title or ''}".rstrip(": "),
                        f"duplicate of this article (from {first_where}); kept once",
                    )
                    placed[first_section][index] = dataclasses.replace(
                        kept, dropped=(*kept.dropped, record)
                    )
                    continue
                target = source.get("section", title)
                placed.setdefault(target, [])
                origins.setdefault(target, [])
                intros.setdefault(target, None)
                position = (where, target, len(placed[target]))
                if url:
                    seen[("url", url)] = position
                seen[("body", body)] = position
                placed[target].append(article)
                origins[target].append(where)
    if total and failed == total:
        raise ManifestError("every source failed: no edition", where=str(manifest.path))
    for title, count in unwatched.items():
        warn(f"{title}: {count} article{'s' if count != 1 else ''} left out (no watch term)")
    if manifest.group_stories:
        placed = _one_story_once(placed, origins, warn)
    sections = tuple(ir.Section(t, len(a), intros.get(t)) for t, a in placed.items() if a)
    articles = tuple(a for t, arts in placed.items() for a in arts)
    if not articles:
        raise NoArticles("no articles: every source was empty", where=str(manifest.path))
    collection = dataclasses.replace(manifest.collection, sections=sections, articles=articles)
    return identified(collection)


def _one_story_once(
    placed: dict[str, list[ir.Article]],
    origins: dict[str, list[str]],
    warn: Callable[[str], None],
) -> dict[str, list[ir.Article]]:
    """Each story several sources reported printed once: the fullest telling, naming the
    others ("Also reported by"), which are recorded in its ``dropped``."""
    # every article in briefing order, with its section and where it was read from
    flat = [
        (title, article, where)
        for title, articles in placed.items()
        for article, where in zip(articles, origins[title], strict=True)
    ]
    if len(flat) < 2:
        return placed
    from . import stories  # numpy and, for large briefings, datasketch: only when grouping

    lead_of = stories.group([stories.article_shingles(article) for _, article, _ in flat])
    if not lead_of:
        return placed
    others: dict[int, list[int]] = {}
    for member, lead in sorted(lead_of.items()):
        others.setdefault(lead, []).append(member)
    shown = [article for _, article, _ in flat]
    for lead, members in others.items():
        title, article, where = flat[lead]
        told = [(flat[m][1], flat[m][2]) for m in members]
        shown[lead] = stories.with_others(article, told)
        names = ", ".join(w for _, w in told)
        warn(
            f"{where} (section {title!r}): the same story as {names}; "
            "printed once, naming the other sources"
        )
    result: dict[str, list[ir.Article]] = {title: [] for title in placed}
    for number, (title, _, _) in enumerate(flat):
        if number not in lead_of:
            result[title].append(shown[number])
    return result


def identified(collection: ir.Collection) -> ir.Collection:
    """``collection`` with an identifier: its own, else one derived from its content (the
    same in every output, and again when the same content is built again)."""
    if collection.identifier:
        return collection
    digest = hashlib.sha256("".join(ir_json.iter_compact(collection)).encode()).hexdigest()
    identifier = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'briefkit:' + digest)}"
    return dataclasses.replace(collection, identifier=identifier)


def build(
    manifest: Manifest,
    outdir: Path | None = None,
    warn: Callable[[str], None] | None = None,
    images: str = DEFAULT_POLICY,
) -> tuple[ir.Collection, dict[str, Path]]:
    """Read every source, lay the sections out, write every output; returns what was built.

    ``images`` is the picture policy every source is read with (see :mod:`convert.media.pictures`).
    """
    collection = collect(manifest, warn, images)
    written: dict[str, Path] = {}
    for fmt, path in manifest.outputs.items():
        destination = (outdir / path.name) if outdir is not None else path
        destination.parent.mkdir(parents=True, exist_ok=True)
        api.write(collection, destination, fmt, manifest.style)
        written[fmt] = destination
    return collection, written


def _retitled(article: ir.Article, title: str) -> ir.Article:
    return dataclasses.replace(article, meta=dataclasses.replace(article.meta, title=title))


def _read_source(
    source: dict[str, Any], base: Path, api: Any, warn: Callable[[str], None], images: str
) -> list[tuple[str, ir.Article]]:
    if "url" in source:
        return [(source["url"], a) for a in api.load(source["url"], images=images).articles]
    if "feed" in source:
        return _read_feed(source, base, api, warn, images)
    pattern = source["path"]
    full = Path(os.path.normpath(base / pattern))
    if glob.has_magic(pattern):
        matches = sorted(Path(m) for m in glob.glob(str(full), recursive=True))
        if not matches:
            raise InputError("no file matches this glob", where=str(full))
    else:
        if not full.is_file():
            raise InputError("missing source: no such file", where=str(full))
        matches = [full]
    return [(str(m), a) for m in matches for a in api.load(m, images=images).articles]


def _read_feed(
    source: dict[str, Any], base: Path, api: Any, warn: Callable[[str], None], images: str
) -> list[tuple[str, ir.Article]]:
    """A feed's entries, filtered by ``since`` then ``limit``, fetched in full on request."""

    target = source["feed"]
    where = target if is_url(target) else str(Path(os.path.normpath(base / target)))
    entries = api.load(where, "feed", images).articles
    since = source.get("since")
    if since is not None:
        entries = tuple(
            a for a in entries if on_or_after(a.meta.updated or a.meta.published, since)
        )
    entries = entries[: source.get("limit", len(entries))]
    out = []
    for number, entry in enumerate(entries, 1):
        label = f"{where} (entry {number})"
        if source.get("full") and entry.meta.url and is_url(entry.meta.url):
            try:
                page = api.load(entry.meta.url, "html", images).articles[0]
            except BriefkitError as exc:
                warn(f"{exc}; kept the feed's own text")
            else:
                entry = with_feed_meta(page, entry)
        out.append((label, entry))
    return out


def on_or_after(when: ir.When | None, since: ir.When) -> bool:
    """True when ``when`` is not before ``since`` (an entry without a date never is)."""
    if when is None:
        return False
    if isinstance(when, datetime) and isinstance(since, datetime):
        if (when.tzinfo is None) != (since.tzinfo is None):
            when, since = when.replace(tzinfo=None), since.replace(tzinfo=None)
        return when >= since
    day = when.date() if isinstance(when, datetime) else when
    since_day = since.date() if isinstance(since, datetime) else since
    return day >= since_day


def with_feed_meta(page: ir.Article, entry: ir.Article) -> ir.Article:
    """The fetched page's body and metadata, with what the feed states for sure on top."""
    feed, found = entry.meta, page.meta
    meta = dataclasses.replace(
        found,
        title=feed.title or found.title,
        url=feed.url,
        published=feed.published or found.published,
        updated=feed.updated or found.updated,
        authors=feed.authors or found.authors,
        keywords=feed.keywords or found.keywords,
        summary=feed.summary or found.summary,
        identifier=feed.identifier or found.identifier,
        source=found.source or feed.source,
        language=found.language or feed.language,
        extra=(*((k, v) for k, v in found.extra if k != "summary_origin"), *feed.extra),
    )
    return dataclasses.replace(page, meta=meta)


# --------------------------------------------------------------------------- append


def has_embedded_ir(path: Path) -> bool:
    """True when ``path`` is a DOCX, PDF or EPUB that briefkit wrote (it carries the IR)."""

    suffix = path.suffix.lower()
    try:
        if suffix in (".docx", ".epub"):
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
            wanted = DOCX_IR_PART.lstrip("/") if suffix == ".docx" else EPUB_IR_PATH
            return any(name == wanted or name.endswith("/" + wanted) for name in names)
        if suffix == ".json":
            with path.open("rb") as stream:
                head = stream.read(4096)
            return b'"ir_version"' in head
        if suffix == ".pdf":
            # Imported here: pypdf costs ~70 ms of start-up; only this path needs it.
            from pypdf import PdfReader

            return PDF_IR_ATTACHMENT in PdfReader(path).attachments
    except Exception:  # unreadable: not one of ours
        return False
    return False


def _epub_identifier(path: Path) -> str | None:
    """The book's ``dc:identifier``, read as ``inspect --mapping`` reads package metadata."""

    package, _ = epub_slots(path.read_bytes(), str(path))
    return package.get("opf:dc:identifier")


def append(
    existing: Path,
    inputs: list[str],
    section: str | None = None,
    style: str | None = None,
    images: str = DEFAULT_POLICY,
    output: Path | None = None,
) -> ir.Collection:
    """Rebuild ``existing`` (a briefkit DOCX, PDF, EPUB or JSON) with the articles of
    ``inputs`` added, keeping its collection metadata and identifier; returns the new
    collection. It is written to ``output`` when given (its extension picks the format),
    else over ``existing``. Its own pictures come back from inside it; ``images`` is the
    policy for the inputs'."""

    if not existing.is_file():
        raise InputError("no such file", where=str(existing))
    if not has_embedded_ir(existing):
        raise InputError(
            "briefkit did not write this file (it carries no briefkit IR), so it cannot be "
            "appended to; convert its articles together with the new ones instead",
            where=str(existing),
        )
    collection = api.load(existing)
    if not collection.identifier and existing.suffix.lower() == ".epub":
        # The book's identifier was derived from its content: keep it as it was.
        collection = dataclasses.replace(collection, identifier=_epub_identifier(existing))
    new = tuple(summarize(a) for source in inputs for a in api.load(source, images=images).articles)
    if not new:
        raise InputError("nothing to append: the inputs hold no articles", where=str(existing))
    sections = list(collection.sections)
    if section is not None or sections:
        if not sections:
            sections = [ir.Section("", len(collection.articles))]
        name = section if section is not None else sections[-1].title
        index = next((i for i, s in enumerate(sections) if s.title == name), None)
        articles = list(collection.articles)
        if index is None:
            sections.append(ir.Section(name, len(new)))
            articles += new
        else:
            at = sum(s.count for s in sections[: index + 1])
            articles[at:at] = new
            sections[index] = dataclasses.replace(
                sections[index], count=sections[index].count + len(new)
            )
        collection = dataclasses.replace(
            collection, articles=tuple(articles), sections=tuple(s for s in sections if s.count)
        )
    else:
        collection = dataclasses.replace(collection, articles=collection.articles + new)
    if output is None:
        api.write(collection, existing, existing.suffix.lower().lstrip("."), style)
    else:
        api.write(collection, output, None if str(output) != api.STDIO else "json", style)
    return collection
