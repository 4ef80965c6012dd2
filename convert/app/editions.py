"""Editions: a briefing that comes out again and again, and remembers what it printed.

``briefkit build briefing.toml --edition`` (or an ``[edition]`` table in the manifest) makes
the next edition: the next number (``number_format``, ``No. {n}``), feeds read since the
previous edition, every article printed in an earlier edition left out (listed in the
edition's ``dropped``) unless its text changed — then it is printed again, marked as
updated with the earlier edition's number. The state is an SQLite database beside the
manifest (``.briefkit/editions.sqlite``, its schema versioned and migrated); each edition's
files are kept in ``editions/NNNN/`` with the IR they were made from (``edition.json``), so
an old edition can be rebuilt byte for byte; an Atom feed (``editions.atom``) and an HTML
index list them.

Safe to run from cron: a lock file keeps two runs apart (the second says so and stops, or
waits with ``wait``); an edition's files are made in a hidden folder and renamed into
place before the database records the edition in one transaction, so a run killed at any
moment leaves the database and the archive as they were, and the next run cleans up and
succeeds.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np

from ..media.files import atomic_output
from ..model import ir
from ..model.errors import BriefkitError
from ..model.xmltext import escape, quoteattr
from ..plan.layout import ALSO_REPORTED, UPDATED_FROM
from . import api, stories
from .briefing import Manifest, NoArticles, collect, identified

STATE_FOLDER = ".briefkit"
DATABASE = "editions.sqlite"
ARCHIVE = "editions"
SCHEMA_VERSION = 3
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE edition (
            number INTEGER PRIMARY KEY,
            created TEXT NOT NULL,
            manifest_hash TEXT NOT NULL,
            folder TEXT NOT NULL
        )""",
        """CREATE TABLE article (
            edition INTEGER NOT NULL REFERENCES edition(number),
            url TEXT,
            title TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            section TEXT NOT NULL
        )""",
    ),
    2: (
        "ALTER TABLE edition ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE edition ADD COLUMN outputs TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE article ADD COLUMN updated_from INTEGER",
        "CREATE INDEX article_url ON article(url)",
        "CREATE INDEX article_fingerprint ON article(fingerprint)",
    ),
    3: (
        # The body's shingles (convert.app.stories): a later edition leaves out the same
        # story told by another source.
        "ALTER TABLE article ADD COLUMN shingles BLOB",
        """CREATE TABLE also_reported (
            edition INTEGER NOT NULL REFERENCES edition(number),
            lead_title TEXT NOT NULL,
            source TEXT NOT NULL,
            title TEXT NOT NULL,
            url TEXT,
            published TEXT
        )""",
    ),
}
"""Schema version -> the statements that bring the previous version to it."""

NOTHING_NEW = 3
"""Exit code: every article was printed before (no edition made)."""
LOCKED = 4
"""Exit code: another run of the same briefing holds the lock."""


class EditionError(BriefkitError):
    """An edition that cannot be made (the message says why)."""

    exit_code = 1


class NothingNew(EditionError):
    exit_code = NOTHING_NEW


class Locked(EditionError):
    exit_code = LOCKED


@dataclasses.dataclass(frozen=True)
class Settings:
    """The manifest's ``[edition]`` table."""

    number_format: str = "No. {n}"
    keep: int = 30
    repeat_after_days: int | None = None


def settings_of(table: dict[str, Any] | None, where: str) -> Settings:
    table = dict(table or {})
    known = {"number_format": str, "keep": int, "repeat_after_days": int}
    for key, value in table.items():
        if key not in known:
            problem = f"[edition] {key}: unknown key (known: {', '.join(known)})"
            raise EditionError(problem, where=where)
        if not isinstance(value, known[key]) or isinstance(value, bool):
            raise EditionError(f"[edition] {key}: expected {known[key].__name__}", where=where)
    number_format = table.get("number_format", Settings.number_format)
    if "{n" not in number_format:
        raise EditionError("[edition] number_format must contain {n}", where=where)
    keep = table.get("keep", Settings.keep)
    if keep < 1:
        raise EditionError("[edition] keep must be at least 1", where=where)
    return Settings(number_format, keep, table.get("repeat_after_days"))


# --------------------------------------------------------------------------- the state


def connect(folder: Path) -> sqlite3.Connection:
    """The editions database of the briefing whose manifest is in ``folder``, migrated."""
    state = folder / STATE_FOLDER
    state.mkdir(exist_ok=True)
    connection = sqlite3.connect(state / DATABASE, isolation_level=None)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.execute("PRAGMA synchronous=FULL")
    migrate(connection)
    return connection


def migrate(connection: sqlite3.Connection) -> None:
    """Bring the schema to :data:`SCHEMA_VERSION`, one version at a time, atomically."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise EditionError(
            f"the editions database is from a newer briefkit (schema {version}; this one "
            f"knows {SCHEMA_VERSION})"
        )
    while version < SCHEMA_VERSION:
        version += 1
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[version]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {version}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


@contextlib.contextmanager
def locked(folder: Path, wait: bool) -> Iterator[None]:
    """Only one run at a time per briefing (cron and a person may meet)."""
    state = folder / STATE_FOLDER
    state.mkdir(exist_ok=True)
    with open(state / "lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise Locked(
                "another edition of this briefing is being made; try again when it ends "
                "(or pass --wait)",
                where=str(folder),
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def content_fingerprint(article: ir.Article) -> str:
    """What decides whether an article's text changed: its title and words."""
    text = " ".join(f"{article.meta.title or ''} {ir.plain_text(article.blocks)}".split())
    return hashlib.sha256(text.casefold().encode("utf-8")).hexdigest()


@dataclasses.dataclass(frozen=True)
class Edition:
    number: int
    created: datetime
    folder: str
    outputs: dict[str, str]
    epoch: int


def editions(connection: sqlite3.Connection) -> list[Edition]:
    rows = connection.execute(
        "SELECT number, created, folder, outputs, epoch FROM edition ORDER BY number"
    ).fetchall()
    return [Edition(n, datetime.fromisoformat(c), f, json.loads(o), e) for n, c, f, o, e in rows]


# --------------------------------------------------------------------------- one edition


@dataclasses.dataclass
class Outcome:
    number: int
    issue: str
    collection: ir.Collection
    left_out: list[str]
    updated: list[str]
    folder: Path | None


def _since_previous(manifest: Manifest, previous: Edition | None) -> Manifest:
    """Feed sources without ``since`` read entries since the previous edition."""
    if previous is None:
        return manifest
    sections = tuple(
        (title, intro, tuple(
            {**source, "since": previous.created} if "feed" in source and "since" not in source
            else source
            for source in sources
        ))
        for title, intro, sources in manifest.sections
    )  # fmt: skip
    return dataclasses.replace(manifest, sections=sections)


def _formatted(settings: Settings, number: int) -> str:
    return settings.number_format.format(n=number)


def make(
    manifest: Manifest,
    settings: Settings,
    *,
    dry_run: bool = False,
    wait: bool = False,
    warn: Callable[[str], None] | None = None,
    images: str = "local",
) -> Outcome:
    """Make the next edition of ``manifest`` (or, with ``dry_run``, say what it would hold)."""
    warn = warn or (lambda message: None)
    folder = manifest.path.parent
    with locked(folder, wait):
        connection = connect(folder)
        try:
            return _make(connection, manifest, settings, dry_run, warn, images)
        finally:
            connection.close()


def _make(
    connection: sqlite3.Connection,
    manifest: Manifest,
    settings: Settings,
    dry_run: bool,
    warn: Callable[[str], None],
    images: str,
) -> Outcome:
    folder = manifest.path.parent
    archive = folder / ARCHIVE
    _clean_up(connection, archive)
    history = editions(connection)
    previous = history[-1] if history else None
    number = previous.number + 1 if previous else 1
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or time.time())
    created = datetime.fromtimestamp(epoch, timezone.utc)
    issue = _formatted(settings, number)
    try:
        collection = collect(_since_previous(manifest, previous), warn, images, True)
    except NoArticles:
        collection = ir.Collection()
    labels = {e.number: _formatted(settings, e.number) for e in history}
    created_of = {e.number: e.created for e in history}
    kept: list[tuple[str, ir.Article]] = []
    left_out: list[ir.Dropped] = []
    updated: list[str] = []
    # each article's shingles, made once: compared with the history, then stored with it
    shingled = [stories.article_shingles(a) for a in collection.articles]
    told_before = _told_before(connection, shingled) if manifest.group_stories else {}
    kept_shingles = []
    for position, (section, article) in enumerate(_with_sections(collection)):
        fingerprint = content_fingerprint(article)
        url = article.meta.url
        earlier = None
        if url:
            earlier = connection.execute(
                "SELECT edition, fingerprint FROM article WHERE url = ? ORDER BY edition DESC",
                (url,),
            ).fetchone()
        if earlier is None:
            earlier = connection.execute(
                "SELECT edition, fingerprint FROM article WHERE fingerprint = ? "
                "ORDER BY edition DESC",
                (fingerprint,),
            ).fetchone()
        before: tuple[int, str] | None = None  # (edition, how) when printed before as it is
        if earlier is not None:
            edition_number, printed = earlier
            if printed != fingerprint:
                extra = (*article.meta.extra, (UPDATED_FROM, labels[edition_number]))
                article = dataclasses.replace(
                    article, meta=dataclasses.replace(article.meta, extra=extra)
                )
                updated.append(article.meta.title or "")
            else:
                before = (edition_number, "printed in")
        elif position in told_before:
            edition_number, told_title = told_before[position]
            before = (edition_number, f"the same story as {told_title!r}, printed in")
        if before is not None:
            edition_number, how = before
            printed_at = created_of[edition_number]
            repeat = settings.repeat_after_days is not None and created - printed_at >= timedelta(
                days=settings.repeat_after_days
            )
            if not repeat:
                title = article.meta.title or url or ""
                reason = f"{how} {labels[edition_number]} ({printed_at.date().isoformat()})"
                left_out.append(ir.Dropped(title, reason))
                warn(f"{title}: left out, {reason}")
                continue
        kept.append((section, article))
        kept_shingles.append(shingled[position])
    if not kept:
        raise NothingNew(
            f"nothing new since {labels[previous.number] if previous else 'the start'}: every "
            "article was printed before",
            where=str(manifest.path),
        )
    first_section, first = kept[0]
    kept[0] = (first_section, dataclasses.replace(first, dropped=(*first.dropped, *left_out)))
    collection = _regrouped(collection, kept, issue)
    outcome = Outcome(number, issue, collection, [d.text for d in left_out], updated, None)
    if dry_run:
        return outcome
    outcome.folder = _publish(connection, manifest, settings, collection, number, created,
                              epoch, kept, kept_shingles)  # fmt: skip
    _prune(connection, archive, settings.keep)
    _write_feed(connection, manifest, settings, folder)
    return outcome


def _told_before(
    connection: sqlite3.Connection, current: list[np.ndarray]
) -> dict[int, tuple[int, str]]:
    """Article position -> (edition, title) of the earlier article telling the same story
    (another source's telling: the same address or text is an exact repeat, found apart);
    ``current`` holds the articles' shingles."""
    rows = connection.execute(
        "SELECT edition, title, shingles FROM article WHERE shingles IS NOT NULL"
    ).fetchall()
    if not rows or not current:
        return {}
    earlier = [stories.unpack(blob) for _, _, blob in rows]
    matches = stories.earlier_matches(current, earlier)
    return {i: (rows[j][0], rows[j][1]) for i, (j, _) in matches.items()}


def _with_sections(collection: ir.Collection) -> Iterator[tuple[str, ir.Article]]:
    if not collection.sections:
        for article in collection.articles:
            yield "", article
        return
    for section, articles in ir.section_spans(collection):
        for article in articles:
            yield section.title, article


def _regrouped(
    collection: ir.Collection, kept: list[tuple[str, ir.Article]], issue: str
) -> ir.Collection:
    intros = {s.title: s.intro for s in collection.sections}
    order: dict[str, list[ir.Article]] = {}
    for section, article in kept:
        order.setdefault(section, []).append(article)
    sections = tuple(ir.Section(t, len(a), intros.get(t)) for t, a in order.items())
    articles = tuple(a for arts in order.values() for a in arts)
    return dataclasses.replace(
        collection,
        articles=articles,
        sections=sections if collection.sections else (),
        issue=issue,
        identifier=None,
    )


@contextlib.contextmanager
def build_time(epoch: int) -> Iterator[None]:
    """The outputs' build time is the edition's (so a rebuild gives the same bytes)."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def write_edition(
    collection: ir.Collection, manifest: Manifest, target: Path, epoch: int
) -> dict[str, str]:
    """Every output the manifest names, and ``edition.json``, into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    outputs: dict[str, str] = {}
    with build_time(epoch):
        final = identified(collection)
        for fmt, path in manifest.outputs.items():
            api.write(final, target / path.name, fmt, manifest.style)
            outputs[fmt] = path.name
        api.write(final, target / "edition.json", "json")
    return outputs


def _publish(
    connection: sqlite3.Connection,
    manifest: Manifest,
    settings: Settings,
    collection: ir.Collection,
    number: int,
    created: datetime,
    epoch: int,
    kept: list[tuple[str, ir.Article]],
    kept_shingles: list[np.ndarray],
) -> Path:
    archive = manifest.path.parent / ARCHIVE
    name = f"{number:04d}"
    temporary = archive / f".tmp-{name}"
    shutil.rmtree(temporary, ignore_errors=True)
    outputs = write_edition(collection, manifest, temporary, epoch)
    final = archive / name
    os.replace(temporary, final)
    manifest_hash = hashlib.sha256(manifest.path.read_bytes()).hexdigest()
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute(
            "INSERT INTO edition (number, created, manifest_hash, folder, epoch, outputs) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (number, created.isoformat(), manifest_hash, f"{ARCHIVE}/{name}", epoch,
             json.dumps(outputs, sort_keys=True)),
        )  # fmt: skip
        for (section, article), shingles in zip(kept, kept_shingles, strict=True):
            earlier = dict(article.meta.extra).get(UPDATED_FROM)
            connection.execute(
                "INSERT INTO article (edition, url, title, fingerprint, section, updated_from, "
                "shingles) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (number, article.meta.url, article.meta.title or "", content_fingerprint(article),
                 section, earlier, stories.pack(shingles)),
            )  # fmt: skip
            for other in json.loads(dict(article.meta.extra).get(ALSO_REPORTED) or "[]"):
                connection.execute(
                    "INSERT INTO also_reported (edition, lead_title, source, title, url, "
                    "published) VALUES (?, ?, ?, ?, ?, ?)",
                    (number, article.meta.title or "", other["source"], other["title"],
                     other["url"] or None, other["published"]),
                )  # fmt: skip
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return final


def _clean_up(connection: sqlite3.Connection, archive: Path) -> None:
    """What a killed run left: a hidden folder, or an edition folder the database never
    recorded."""
    if not archive.is_dir():
        return
    recorded = {e.folder for e in editions(connection)}
    for entry in archive.iterdir():
        left_over = entry.name.startswith(".tmp-")
        unrecorded = entry.name.isdigit() and f"{ARCHIVE}/{entry.name}" not in recorded
        if entry.is_dir() and (left_over or unrecorded):
            shutil.rmtree(entry, ignore_errors=True)


def _prune(connection: sqlite3.Connection, archive: Path, keep: int) -> None:
    """Files of editions older than the last ``keep`` go (the database remembers them)."""
    for edition in editions(connection)[:-keep]:
        shutil.rmtree(archive.parent / edition.folder, ignore_errors=True)


def _write_feed(
    connection: sqlite3.Connection, manifest: Manifest, settings: Settings, folder: Path
) -> None:
    """``editions.atom`` and ``editions/index.html``: one entry per edition kept."""
    title = manifest.collection.title or manifest.path.stem
    kept = [e for e in editions(connection) if (folder / e.folder).is_dir()]
    updated = kept[-1].created if kept else datetime.fromtimestamp(0, timezone.utc)
    where = hashlib.sha256(str(manifest.path.resolve()).encode()).hexdigest()[:16]
    base = f"urn:briefkit:editions:{where}"
    entries = []
    for edition in reversed(kept):
        label = _formatted(settings, edition.number)
        links = "".join(
            f'<link rel="enclosure" href={quoteattr(f"{edition.folder}/{name}")} '
            f"title={quoteattr(fmt.upper())}/>"
            for fmt, name in sorted(edition.outputs.items())
        )
        entries.append(
            f"<entry><id>{base}:{edition.number}</id>"
            f"<title>{escape(f'{title} {label}')}</title>"
            f"<updated>{edition.created.isoformat()}</updated>{links}"
            f'<link rel="alternate" href={quoteattr(edition.folder + "/")}/></entry>'
        )
    feed = (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>{base}</id><title>{escape(title)}</title>"
        f"<updated>{updated.isoformat()}</updated><author><name>"
        f"{escape(manifest.collection.publisher or 'briefkit')}</name></author>"
        + "".join(entries)
        + "</feed>\n"
    )
    with atomic_output(folder / "editions.atom") as out:
        out.write(feed.encode("utf-8"))
    rows = []
    for edition in reversed(kept):
        here = edition.folder.split("/", 1)[1]  # the index sits in the archive folder
        links = ", ".join(
            f"<a href={quoteattr(here + '/' + name)}>{fmt.upper()}</a>"
            for fmt, name in sorted(edition.outputs.items())
        )
        label = escape(_formatted(settings, edition.number))
        rows.append(f"<li>{label} ({edition.created.date().isoformat()}): {links}</li>")
    page = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>'
        f"{escape(title)}: editions</title></head><body><main><h1>{escape(title)}</h1>"
        f"<ul>{''.join(rows)}</ul></main></body></html>\n"
    )
    (folder / ARCHIVE).mkdir(exist_ok=True)
    with atomic_output(folder / ARCHIVE / "index.html") as out:
        out.write(page.encode("utf-8"))


def rebuild(manifest: Manifest, number: int, target: Path) -> dict[str, str]:
    """An archived edition's files made again from its stored IR, byte for byte."""
    folder = manifest.path.parent
    connection = connect(folder)
    try:
        found = next((e for e in editions(connection) if e.number == number), None)
    finally:
        connection.close()
    if found is None:
        raise EditionError(f"no edition {number}", where=str(manifest.path))
    stored = folder / found.folder / "edition.json"
    if not stored.is_file():
        raise EditionError(f"edition {number} was pruned (keep)", where=str(manifest.path))
    collection = api.load(stored)
    return write_edition(collection, manifest, target, found.epoch)
