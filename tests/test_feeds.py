"""RSS/Atom feeds: the ``feed`` reader and feed sources in a briefing manifest."""

from __future__ import annotations

import http.server
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

import convert
from convert.app.cli import main
from convert.model import ir

from .conftest import FIXTURES, local_server
from .test_epub import CLEAN, epubcheck

FEED = FIXTURES / "feed" / "press-office.rss"
ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Harbour News</title>
  <updated>2021-03-21T08:00:00+08:00</updated>
  <id>urn:example:harbour</id>
  <entry>
    <title type="html">Harbour &lt;b&gt;reopens&lt;/b&gt;</title>
    <link href="/page"/>
    <id>urn:example:harbour:1</id>
    <published>2021-03-21T07:30:00+08:00</published>
    <updated>2021-03-21T09:00:00+08:00</updated>
    <author><name>Li Wei</name></author>
    <author><name>Anna Berg</name></author>
    <summary>The harbour reopened.</summary>
  </entry>
  <entry>
    <title>Missing page</title>
    <link href="/gone"/>
    <id>urn:example:harbour:2</id>
    <published>2021-03-20T07:30:00+08:00</published>
    <summary>This page no longer exists.</summary>
  </entry>
</feed>
"""


def test_an_rss_feed_is_read_entry_by_entry_with_metadata() -> None:
    collection = convert.load(FEED)
    assert collection.title == "Provincial Press Office"
    first, second, _ = collection.articles
    assert first.meta.title == "Guizhou opens new logistics hub"
    assert first.meta.url == "https://press.example.org/2021/03/logistics-hub"
    assert first.meta.published == datetime(
        2021, 3, 20, 13, 21, tzinfo=timezone(timedelta(hours=8))
    )
    assert first.meta.authors == ("Xu Shaoting",) and first.meta.keywords == (
        "Economy",
        "Logistics",
    )
    assert first.meta.summary == "A hub for rail and road freight opened on Saturday."
    assert dict(first.meta.extra)["summary_origin"] == "source"
    assert [ir.plain_text(b.content) for b in first.blocks] == [  # type: ignore[union-attr]
        "A hub for rail and road freight opened in Guiyang on Saturday.",
        "Officials said it would cut costs for local firms.",
    ]
    assert isinstance(first.blocks[1].content[1], ir.Emph)  # type: ignore[union-attr]
    # an entry with only a description: the description is its body, not a summary
    assert second.meta.summary is None
    assert ir.plain_text(second.blocks).startswith("Farmers in the south")


def test_a_feed_is_recognised_by_its_content_and_an_atom_feed_too(tmp_path: Path) -> None:
    path = tmp_path / "harbour.xml"
    path.write_bytes(ATOM)
    collection = convert.load(path)
    entry = collection.articles[0]
    assert entry.meta.title == "Harbour reopens" and entry.meta.authors == ("Li Wei", "Anna Berg")
    assert entry.meta.updated is not None and entry.meta.updated != entry.meta.published
    assert entry.meta.language == "en"


def test_a_json_feed_is_read_like_any_feed() -> None:
    from .conftest import SHARED, require_file

    path = require_file(SHARED / "realworld" / "files" / "119-feed.json", "shared documents")
    collection = convert.load(path)
    first = collection.articles[0]
    assert collection.title == "Technology" and len(collection.articles) == 25
    assert first.meta.title == "Keller Rinaudo: How can delivery drones save lives?"
    assert first.meta.authors == ("Manoush Zomorodi",)
    assert first.meta.published == datetime(
        2021, 10, 29, 10, 26, tzinfo=timezone(timedelta(hours=-4))
    )
    assert first.meta.summary and first.blocks


def test_a_file_that_is_not_a_feed_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "news.rss"
    path.write_text("<html><body><p>not a feed</p></body></html>", "utf-8")
    result = CliRunner().invoke(main, ["inspect", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"briefkit: error: {path}: not an RSS, Atom or JSON feed (no <rss>, <feed> or <rdf:RDF> "
        "root, no JSON Feed version)"
    )


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        bodies = {
            "/feed.atom": (ATOM, "application/atom+xml"),
            "/page": ((FIXTURES / "html" / "wire-en.html").read_bytes(), "text/html"),
        }
        if self.path not in bodies:
            self.send_error(404, "Not Found")
            return
        body, kind = bodies[self.path]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with local_server(_Handler) as url:
        yield url


def _build(tmp_path: Path, sources: str) -> tuple[CliRunner, object]:
    manifest = tmp_path / "briefing.toml"
    manifest.write_text(
        'title = "Feeds"\n[outputs]\njson = "out.json"\nepub = "out.epub"\n'
        f'[[section]]\ntitle = "Wire"\nsources = [{sources}]\n',
        "utf-8",
    )
    runner = CliRunner()
    return runner, runner.invoke(main, ["build", str(manifest)])


def test_feed_sources_take_limit_and_since(tmp_path: Path) -> None:
    (tmp_path / "office.rss").write_bytes(FEED.read_bytes())
    _, result = _build(tmp_path, '{ feed = "office.rss", since = "2021-03-01", limit = 1 }')
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    briefing = convert.load(tmp_path / "out.json")
    assert [a.meta.title for a in briefing.articles] == ["Guizhou opens new logistics hub"]
    _, result = _build(tmp_path, '{ feed = "office.rss", since = 2021-03-01 }')
    assert [a.meta.title for a in convert.load(tmp_path / "out.json").articles] == [
        "Guizhou opens new logistics hub",
        "Spring planting begins early",
    ]


def test_a_feed_url_with_full_fetches_each_page_from_a_local_server(
    server: str, tmp_path: Path
) -> None:
    _, result = _build(tmp_path, f'{{ feed = "{server}/feed.atom", full = true }}')
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code == 0, output  # type: ignore[attr-defined]
    warnings = [line for line in output.splitlines() if "warning" in line]
    assert warnings == [
        f"briefkit: warning: {server}/gone: cannot fetch: HTTP 404 Not Found; "
        "kept the feed's own text"
    ]
    harbour, missing = convert.load(tmp_path / "out.json").articles
    assert harbour.meta.title == "Harbour reopens"  # the feed's title wins
    assert harbour.meta.url == f"{server}/page" and harbour.meta.authors == ("Li Wei", "Anna Berg")
    assert "storm" in ir.plain_text(harbour.blocks)  # the body is the fetched page's
    assert ir.plain_text(missing.blocks).strip() == "This page no longer exists."
    assert epubcheck(tmp_path / "out.epub") == CLEAN


def test_duplicates_are_recorded_in_the_json_form(tmp_path: Path) -> None:
    (tmp_path / "office.rss").write_bytes(FEED.read_bytes())
    _, result = _build(tmp_path, '{ feed = "office.rss" }, { feed = "office.rss", limit = 1 }')
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    first = convert.load(tmp_path / "out.json").articles[0]
    assert [d.reason for d in first.dropped] == [
        f"duplicate of this article (from {tmp_path / 'office.rss'} (entry 1)); kept once"
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            '{ path = "office.rss", limit = 2 }',
            "sources[0].limit: only a feed source takes this key",
        ),
        ('{ feed = "office.rss", limit = 0 }', "sources[0].limit: must be 1 or more"),
        ('{ feed = "office.rss", since = "last week" }', "sources[0].since: not an ISO 8601 date"),
        ('{ feed = "office.rss", full = "yes" }', "sources[0].full: must be bool, not str"),
        ('{ feed = "not-a-feed.txt" }', "not-a-feed.txt: not an RSS, Atom or JSON feed"),
    ],
)
def test_bad_feed_sources_are_one_line_errors(tmp_path: Path, source: str, message: str) -> None:
    (tmp_path / "office.rss").write_bytes(FEED.read_bytes())
    (tmp_path / "not-a-feed.txt").write_text("just words", "utf-8")
    _, result = _build(tmp_path, source)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    lines = result.output.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("briefkit: error: ") and message in lines[0]
    assert not (tmp_path / "out.json").exists()


def test_entries_with_empty_or_missing_fields_are_read() -> None:
    from convert.readers.feed import _entry

    article = _entry({"summary": None, "authors": [{"name": None}, "Li Wei"]}, None, None, "")
    assert article.blocks == () and article.meta.authors == ("Li Wei",)
