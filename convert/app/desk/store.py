"""The desk's workspace: one folder per briefing, its manifest the very file ``briefkit
build`` reads.

::

    WORKSPACE/
      <slug>/
        briefing.toml      the manifest: metadata, [outputs], [[section]] with sources
        sources/           one IR JSON per article (a card), its pictures in sources/media/
        originals/         what was uploaded or fetched, under generated names
        outputs/           what the last build wrote

Every source is an article read once (uploaded, fetched, or an entry of a feed) and kept as
IR JSON, so a restart loses nothing and a rebuild needs no network. A card is a source
entry of a section: its order is the section's ``sources`` order, its title and summary
overrides are the entry's ``title`` and ``summary`` keys.

Edits are made against a version, the manifest's digest: an edit made on a page showing an
older version is refused (:class:`ChangedElsewhere`). The manifest is replaced atomically, so
a server stopped at any moment leaves each briefing as its last finished edit left it.
Names from the browser are never paths: briefing folders are slugs made here, sources are
named by random identifiers.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import secrets
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import tomli_w

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

from ...media import pictures
from ...media.files import atomic_output
from ...model import ir, ir_json
from ...model.errors import BriefkitError
from .. import api
from ..briefing import MANIFEST_KEYS, fingerprint, summarize

MANIFEST = "briefing.toml"
OUTPUT_FORMATS = ("pdf", "docx", "epub", "html", "json")
"""What a build writes, in the order the download links show them."""
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
SOURCE_ID = re.compile(r"[a-f0-9]{12}")
META_KEYS = (
    "title", "subtitle", "issue", "date", "publisher", "editors", "marking", "language", "style",
)  # fmt: skip
"""The metadata the desk edits, in the manifest's order."""


class DeskError(BriefkitError):
    """An edit the desk cannot make (said to the user on the page)."""


class ChangedElsewhere(DeskError):
    """The briefing changed since the page making the edit was shown."""

    def __init__(self) -> None:
        super().__init__("changed elsewhere — reload to see the briefing as it is now")


class NotFound(DeskError):
    """No such briefing, section or card."""


def slugify(title: str) -> str:
    """A folder name from a title: ASCII letters and digits joined by hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:48].strip("-")
    return slug or "briefing"


@dataclasses.dataclass(frozen=True)
class Card:
    """One article of a section, as the desk shows it."""

    id: str
    """The source's identifier (its file is ``sources/<id>.json``)."""
    article: ir.Article
    """The article as read (before the overrides)."""
    title: str | None
    """The title override, if any."""
    summary: str | None
    """The summary override, if any."""
    duplicate_of: str | None = None
    """The title of an earlier card this one duplicates (a build keeps that one)."""
    generated: str = ""
    """The summary a build would make from the body (the source's own, or its first
    sentences)."""

    @property
    def shown_title(self) -> str:
        return self.title or self.article.meta.title or "(untitled)"

    @property
    def shown_summary(self) -> str:
        return self.summary or self.generated

    @property
    def picture_count(self) -> int:
        return sum(1 for block in ir.walk_blocks(self.article.blocks) if _has_picture(block))


def _has_picture(block: ir.Block) -> bool:
    return isinstance(block, ir.Image) and block.picture is not None


@dataclasses.dataclass(frozen=True)
class Section:
    title: str
    intro: str
    cards: tuple[Card, ...]


class Briefing:
    """One briefing's folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.slug = folder.name
        self.manifest_path = folder / MANIFEST
        self.sources = folder / "sources"
        self.originals = folder / "originals"
        self.outputs = folder / "outputs"
        self.lock = threading.Lock()
        self._read: dict[str, tuple[ir.Article, tuple[str, str], str]] = {}
        """Each source read once: its article, fingerprint and generated summary (a
        source's file never changes once written; its identifier is new each time)."""

    # the manifest

    def manifest_bytes(self) -> bytes:
        try:
            return self.manifest_path.read_bytes()
        except FileNotFoundError:
            raise NotFound(f"no briefing {self.slug!r}") from None

    def data(self) -> dict[str, Any]:
        loaded: dict[str, Any] = tomllib.loads(self.manifest_bytes().decode("utf-8"))
        return loaded

    def version(self) -> str:
        return hashlib.sha256(self.manifest_bytes()).hexdigest()[:16]

    def _save(self, data: dict[str, Any]) -> None:
        ordered = {key: data[key] for key in MANIFEST_KEYS if key in data and data[key] != ""}
        text = "# Made with the briefkit desk; `briefkit build` builds it as it is.\n"
        text += tomli_w.dumps(ordered)
        with atomic_output(self.manifest_path) as out:
            out.write(text.encode("utf-8"))

    def edit(self, version: str | None, change: Callable[[dict[str, Any]], None]) -> None:
        """Apply ``change`` to the manifest if it is still at ``version`` (None: whatever
        it is now, for work the desk does itself) and save it atomically."""
        with self.lock:
            if version is not None and version != self.version():
                raise ChangedElsewhere()
            data = self.data()
            change(data)
            self._save(data)

    def title(self) -> str:
        return str(self.data().get("title") or self.slug)

    # sections and cards

    def sections(self) -> list[Section]:
        data = self.data()
        seen: dict[tuple[str, str], str] = {}
        out = []
        for section in data.get("section", []):
            cards = []
            for source in section.get("sources", []):
                card = self._card(source)
                if card is None:
                    continue
                url, body = self._read[card.id][1]
                first = (seen.get(("url", url)) if url else None) or seen.get(("body", body))
                if first is not None:
                    card = dataclasses.replace(card, duplicate_of=first)
                else:
                    if url:
                        seen[("url", url)] = card.shown_title
                    seen[("body", body)] = card.shown_title
                cards.append(card)
            out.append(Section(section.get("title", ""), section.get("intro", ""), tuple(cards)))
        return out

    def _card(self, source: dict[str, Any]) -> Card | None:
        path = str(source.get("path", ""))
        match = re.fullmatch(r"sources/([a-f0-9]{12})\.json", path)
        if match is None:
            return None  # a source the desk did not add (edited by hand): built, not shown
        source_id = match.group(1)
        if source_id not in self._read:
            try:
                collection = api.load(self.folder / path, "json", images="none")
            except BriefkitError:
                return None
            if not collection.articles:
                return None
            article = collection.articles[0]
            summarized = summarize(article)
            self._read[source_id] = (
                article,
                fingerprint(summarized),
                summarized.meta.summary or "",
            )
        article, _, generated = self._read[source_id]
        return Card(
            source_id, article, source.get("title"), source.get("summary"), generated=generated
        )

    def keep_original(self, data: bytes, suffix: str) -> None:
        """Keep what was uploaded or fetched, under a generated name."""
        self.originals.mkdir(parents=True, exist_ok=True)
        token = secrets.token_hex(6)
        safe_suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ".bin"
        with atomic_output(self.originals / f"{token}{safe_suffix}") as out:
            out.write(data)

    def add_articles(self, collection: ir.Collection, original: bytes, suffix: str) -> list[str]:
        """Keep ``original`` and each article of ``collection`` as a source; their ids."""
        self.sources.mkdir(parents=True, exist_ok=True)
        self.keep_original(original, suffix)
        return [self._store(article) for article in collection.articles]

    def _store(self, article: ir.Article) -> str:
        source_id = secrets.token_hex(6)
        one = ir.Collection(articles=(article,))
        if any(True for _ in pictures.distinct(one)):
            pictures.extract(one, str(self.sources / "media"))
            one = pictures.with_sources(one, lambda p: "media/" + pictures.file_name(p))
        with atomic_output(self.sources / f"{source_id}.json") as out:
            out.write(ir_json.dumps(one).encode("utf-8") + b"\n")
        return source_id


class Workspace:
    """The folder holding the briefings."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._open: dict[str, Briefing] = {}

    def briefings(self) -> list[Briefing]:
        found = [
            self.briefing(folder.name)
            for folder in sorted(self.root.iterdir())
            if SLUG.fullmatch(folder.name) and (folder / MANIFEST).is_file()
        ]
        return found

    def briefing(self, slug: str) -> Briefing:
        if not SLUG.fullmatch(slug):
            raise NotFound(f"no briefing {slug!r}")
        with self._lock:
            if slug not in self._open:
                self._open[slug] = Briefing(self.root / slug)
        found = self._open[slug]
        if not found.manifest_path.is_file():
            raise NotFound(f"no briefing {slug!r}")
        return found

    def create(
        self, meta: dict[str, Any], sections: list[dict[str, Any]] | None = None
    ) -> Briefing:
        """A new briefing with ``meta`` (checked by :func:`clean_meta`)."""
        base = slugify(str(meta.get("title", "")))
        with self._lock:
            slug, n = base, 1
            while (self.root / slug).exists():
                n += 1
                slug = f"{base}-{n}"
            folder = self.root / slug
            folder.mkdir()
        briefing = Briefing(folder)
        outputs = {fmt: f"outputs/{slug}.{fmt}" for fmt in OUTPUT_FORMATS}
        data = {**meta, "outputs": outputs, "section": sections or []}
        briefing._save(data)
        with self._lock:
            self._open[slug] = briefing
        return briefing


def clean_meta(form: dict[str, str], styles: list[str]) -> dict[str, Any]:
    """The metadata fields of a form, checked; a one-line DeskError otherwise."""
    meta: dict[str, Any] = {}
    title = form.get("title", "").strip()
    if not title:
        raise DeskError("a briefing needs a title")
    for key in META_KEYS:
        value = " ".join(form.get(key, "").split())
        if len(value) > 500:
            raise DeskError(f"{key} is too long (at most 500 characters)")
        if not value:
            continue
        if key == "date":
            try:
                meta[key] = date.fromisoformat(value)
            except ValueError:
                try:
                    meta[key] = datetime.fromisoformat(value)
                except ValueError:
                    raise DeskError(f"date {value!r} is not a date like 2026-12-04") from None
        elif key == "editors":
            meta[key] = [name.strip() for name in value.split(",") if name.strip()]
        elif key == "style":
            if value not in styles:
                raise DeskError(f"unknown style {value!r} (known: {', '.join(styles)})")
            meta[key] = value
        elif key == "language":
            if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
                raise DeskError(f"language {value!r} is not a language tag like en or zh-CN")
            meta[key] = value
        else:
            meta[key] = value
    return meta


def find_card(sections: list[dict[str, Any]], card_id: str) -> tuple[int, int]:
    """(section index, source index) of a card in the manifest's sections."""
    if not SOURCE_ID.fullmatch(card_id):
        raise NotFound("no such article")
    path = f"sources/{card_id}.json"
    for s, section in enumerate(sections):
        for i, source in enumerate(section.get("sources", [])):
            if source.get("path") == path:
                return s, i
    raise NotFound("no such article (it may have been removed elsewhere)")


def iter_sources(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for section in data.get("section", []):
        yield from section.get("sources", [])
