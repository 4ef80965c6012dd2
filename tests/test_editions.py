"""Editions: numbers that move, nothing printed twice, updated articles marked, an archive
with an Atom feed, a lock, a kill at any moment survived, an old database migrated."""

from __future__ import annotations

import html
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest

from convert.app import editions

from .conftest import local_server, require_tool, static_pages

BASE = datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc)


def _item(slug: str, title: str, text: str, when: datetime, updated: datetime | None = None) -> str:
    extra = f"<atom:updated>{updated.isoformat()}</atom:updated>" if updated else ""
    return (
        f"<item><title>{title}</title><link>https://press.example.org/{slug}</link>"
        f"<guid>https://press.example.org/{slug}</guid><pubDate>{format_datetime(when)}</pubDate>"
        f"{extra}<description>{text}</description></item>"
    )


STORIES = Path(__file__).resolve().parent.parent / "fixtures" / "stories"


def _told(name: str, skip: int = 0) -> str:
    """A real article's paragraphs (fixtures/stories) as an escaped feed description."""
    text = (STORIES / f"{name}.md").read_text("utf-8").split("---", 2)[2]
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()][skip:]
    return html.escape("".join(f"<p>{html.escape(p)}</p>" for p in paragraphs))


def _feed(items: list[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Press Office</title>'
        "<link>https://press.example.org/</link><description>Releases</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


class Feed:
    """A feed on 127.0.0.1 (at ``/feed.rss``) whose items the test changes between editions."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, str | bytes]] = {}
        self.items = []

    @property
    def items(self) -> list[str]:
        return self._items

    @items.setter
    def items(self, items: list[str]) -> None:
        self._items = items
        self.pages["/feed.rss"] = (200, "application/rss+xml", _feed(items))

    def handler(self) -> type:
        return static_pages(self.pages)


def _manifest(folder: Path, url: str) -> Path:
    path = folder / "briefing.toml"
    path.write_text(
        textwrap.dedent(
            f"""
            title = "Morning Briefing"
            publisher = "Press Office"
            [edition]
            number_format = "No. {{n}}"
            keep = 2
            [outputs]
            pdf = "morning.pdf"
            epub = "morning.epub"
            json = "morning.json"
            [[section]]
            title = "Releases"
            sources = [{{ feed = "{url}/feed.rss" }}]
            """
        ),
        encoding="utf-8",
    )
    return path


def _run(manifest: Path, epoch: int, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    return subprocess.run(
        [sys.executable, "-m", "convert", "build", str(manifest), *extra],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip


def _dump(folder: Path) -> list[str]:
    connection = sqlite3.connect(folder / ".briefkit" / "editions.sqlite")
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def connection_rows(folder: Path, query: str) -> list[tuple[object, ...]]:
    connection = editions.connect(folder)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


def test_three_editions_in_a_row(tmp_path: Path) -> None:
    import feedparser

    feed = Feed()
    day = timedelta(days=1)
    first = _item("hub", "Logistics hub opens", "A hub for rail freight opened.", BASE - day)
    planting = _item("planting", "Spring planting begins", "Farmers began planting.", BASE - day)
    feed.items = [first, planting]
    with local_server(feed.handler()) as url:
        manifest = _manifest(tmp_path, url)
        one = _run(manifest, int(BASE.timestamp()))
        assert one.returncode == 0, one.stderr
        assert "made No. 1" in one.stderr
        # the feed gains an entry and edits one
        edited = _item("hub", "Logistics hub opens", "A hub for rail and road freight opened.",
                       BASE - day, updated=BASE + day / 2)  # fmt: skip
        # the planting entry says it was updated, but its text is the same: left out
        touched = _item("planting", "Spring planting begins", "Farmers began planting.",
                        BASE - day, updated=BASE + day / 2)  # fmt: skip
        # one story from two sources: a press release and a magazine's reprint of it
        release = _item("release", "Deeply shaken", _told("djv-press-release"), BASE + day / 2)
        reprint = _item("reprint", "Calls for a swift inquiry", _told("djz-reprint"),
                        BASE + day / 2)  # fmt: skip
        feed.items = [edited, touched, _item("museum", "Museum reopens", "It reopened.",
                                             BASE + day / 2), release, reprint]  # fmt: skip
        dry = _run(manifest, int((BASE + day).timestamp()), "--dry-run")
        assert dry.returncode == 0 and "No. 2 would hold 3 articles" in dry.stdout, dry.stdout
        assert "left out, printed before: Spring planting begins" in dry.stdout
        two = _run(manifest, int((BASE + day).timestamp()))
        assert two.returncode == 0, two.stderr
        assert "the same story as" in two.stderr
        # a third telling of that story, a day later, from yet another source: printed before
        retold = _item("retold", "Shaken, again", _told("djv-press-release", skip=1),
                       BASE + day * 1.5)  # fmt: skip
        feed.items = [edited, touched, _item("dam", "Dam inspected", "Engineers inspected it.",
                                             BASE + day * 1.5), retold]  # fmt: skip
        three = _run(manifest, int((BASE + 2 * day).timestamp()))
        assert three.returncode == 0, three.stderr
        nothing = _run(manifest, int((BASE + 3 * day).timestamp()))
        assert nothing.returncode == editions.NOTHING_NEW, nothing.stderr
        assert "nothing new since No. 3" in nothing.stderr
    connection = editions.connect(tmp_path)
    rows = connection.execute(
        "SELECT edition, title, updated_from FROM article ORDER BY edition, rowid"
    ).fetchall()
    connection.close()
    assert rows == [
        (1, "Logistics hub opens", None),
        (1, "Spring planting begins", None),
        (2, "Logistics hub opens", "No. 1"),
        (2, "Museum reopens", None),
        (2, "Calls for a swift inquiry", None),  # the fuller telling leads
        (3, "Dam inspected", None),
    ]
    assert connection_rows(tmp_path, "SELECT edition, lead_title, title FROM also_reported") == [
        (2, "Calls for a swift inquiry", "Deeply shaken")
    ]
    pdftotext = require_tool("pdftotext")
    text = subprocess.run([pdftotext, str(tmp_path / "editions/0002/morning.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "Updated; first printed in No. 1" in text and "No. 2" in text
    assert "Spring planting" not in text  # printed in No. 1, unchanged
    assert "Also reported by: Press Office" in " ".join(text.split())
    assert "Deeply shaken" not in text  # the shorter telling is named, not printed
    import convert

    second = convert.load(tmp_path / "editions/0002/morning.json")
    assert second.issue == "No. 2"
    dropped = [d.reason for a in second.articles for d in a.dropped]
    assert any("printed in No. 1" in reason for reason in dropped)
    assert any("the same story as this article" in reason for reason in dropped)
    third = convert.load(tmp_path / "editions/0003/morning.json")
    assert [a.meta.title for a in third.articles] == ["Dam inspected"]
    assert any(
        "the same story as 'Calls for a swift inquiry', printed in No. 2" in d.reason
        for a in third.articles for d in a.dropped
    )  # fmt: skip
    epub = convert.load(tmp_path / "editions/0002/morning.epub")
    assert dict(epub.articles[0].meta.extra).get("updated_from_edition") == "No. 1"
    # keep = 2: the first edition's files are pruned, its articles remembered
    assert not (tmp_path / "editions/0001").exists() and (tmp_path / "editions/0003").is_dir()
    atom = feedparser.parse((tmp_path / "editions.atom").read_bytes())
    assert not atom.bozo and [e.title for e in atom.entries] == [
        "Morning Briefing No. 3",
        "Morning Briefing No. 2",
    ]
    assert "0003/morning.pdf" in (tmp_path / "editions" / "index.html").read_text("utf-8")
    # an old edition rebuilt byte for byte
    rebuilt = subprocess.run(
        [sys.executable, "-m", "convert", "editions", "rebuild", str(manifest), "2",
         "-o", str(tmp_path / "rebuilt")], capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert rebuilt.returncode == 0, rebuilt.stderr
    for name in ("morning.pdf", "morning.epub", "morning.json"):
        assert (tmp_path / "rebuilt" / name).read_bytes() == (
            tmp_path / "editions/0002" / name
        ).read_bytes(), name
    listed = subprocess.run([sys.executable, "-m", "convert", "editions", "list", str(manifest)],
                            capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "No. 1" in listed and "pruned" in listed and "editions/0003" in listed
    shown = subprocess.run([sys.executable, "-m", "convert", "editions", "show", str(manifest),
                            "2"], capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert shown.splitlines() == [
        "Releases: Logistics hub opens  (updated; first in No. 1)  <https://press.example.org/hub>",
        "Releases: Museum reopens  <https://press.example.org/museum>",
        "Releases: Calls for a swift inquiry  <https://press.example.org/reprint>",
    ]
    missing = subprocess.run([sys.executable, "-m", "convert", "editions", "show", str(manifest),
                              "9"], capture_output=True, text=True)  # fmt: skip
    assert (missing.returncode, missing.stdout) == (1, "")
    assert missing.stderr == f"briefkit: error: {manifest}: no edition 9\n"


def test_a_run_killed_midway_changes_nothing_and_the_next_run_succeeds(tmp_path: Path) -> None:
    feed = Feed()
    feed.items = [_item(f"a{n}", f"Article {n}", f"Text {n}. " * 200, BASE) for n in range(3)]
    with local_server(feed.handler()) as url:
        disturbed, calm = tmp_path / "disturbed", tmp_path / "calm"
        for folder in (disturbed, calm):
            folder.mkdir()
            assert _run(_manifest(folder, url), int(BASE.timestamp())).returncode == 0
        feed.items += [_item(f"b{n}", f"Later {n}", f"More {n}. " * 400, BASE + timedelta(hours=n + 1))
                       for n in range(30)]  # fmt: skip
        before = _dump(disturbed)
        epoch = int((BASE + timedelta(days=1)).timestamp())
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
        process = subprocess.Popen(
            [sys.executable, "-m", "convert", "build", str(disturbed / "briefing.toml")],
            env=env, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not list((disturbed / "editions").glob(".tmp-*/*")):
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert _dump(disturbed) == before
        assert not (disturbed / "editions" / "0002").exists()
        again = _run(disturbed / "briefing.toml", epoch)
        assert again.returncode == 0, again.stderr
        undisturbed = _run(calm / "briefing.toml", epoch)
        assert undisturbed.returncode == 0, undisturbed.stderr
    for name in ("morning.pdf", "morning.epub", "morning.json"):
        assert (disturbed / "editions/0002" / name).read_bytes() == (
            calm / "editions/0002" / name
        ).read_bytes()
    assert not list((disturbed / "editions").glob(".tmp-*"))


def test_a_second_run_waits_or_says_so(tmp_path: Path) -> None:
    with (
        editions.locked(tmp_path, wait=False),
        pytest.raises(editions.Locked, match="another edition"),
        editions.locked(tmp_path, wait=False),
    ):
        pass
    with editions.locked(tmp_path, wait=False):
        pass  # released


def test_an_older_database_is_migrated(tmp_path: Path) -> None:
    state = tmp_path / ".briefkit"
    state.mkdir()
    old = sqlite3.connect(state / "editions.sqlite", isolation_level=None)
    for statement in editions.MIGRATIONS[1]:
        old.execute(statement)
    old.execute("PRAGMA user_version = 1")
    old.execute("INSERT INTO edition VALUES (1, '2026-12-01T06:00:00+00:00', 'x', 'editions/0001')")
    old.execute("INSERT INTO article VALUES (1, 'https://a', 'A', 'f', 'S')")
    old.close()
    connection = editions.connect(tmp_path)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == editions.SCHEMA_VERSION
    (found,) = editions.editions(connection)
    assert found.number == 1 and found.outputs == {} and found.epoch == 0
    assert connection.execute("SELECT url, updated_from FROM article").fetchall() == [
        ("https://a", None)
    ]
    connection.execute(f"PRAGMA user_version = {editions.SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(editions.EditionError, match="newer briefkit"):
        editions.connect(tmp_path)


def test_a_failed_source_is_a_warning_unless_every_source_failed(tmp_path: Path) -> None:
    feed = Feed()
    feed.items = [_item("a", "Only one", "Text.", BASE)]
    with local_server(feed.handler()) as url:
        manifest = _manifest(tmp_path, url)
        text = manifest.read_text("utf-8").replace(
            'sources = [{ feed = "',
            'sources = [{ feed = "http://127.0.0.1:9/down.rss" }, { feed = "',
        )
        manifest.write_text(text, encoding="utf-8")
        made = _run(manifest, int(BASE.timestamp()))
        assert made.returncode == 0, made.stderr
        assert "the edition comes out without it" in made.stderr
    failed = _run(manifest, int(BASE.timestamp()) + 86400)  # the feed server is gone too
    assert failed.returncode == 1 and "every source failed" in failed.stderr
