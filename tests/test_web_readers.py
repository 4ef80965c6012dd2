"""Readers for real-world input: HTML pages, Markdown notes, URLs, and the corpus scores."""

from __future__ import annotations

import http.server
import importlib.util
import json
import socket
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

import convert
from convert.app.cli import main
from convert.media import fetch
from convert.model import ir
from convert.model.errors import InputError

from .conftest import FIXTURES, ROOT, SHARED, local_server, require_file

HTML = FIXTURES / "html"
CORPUS = SHARED / "corpus"


def test_people_daily_page_cues() -> None:
    article = convert.read(HTML / "people-daily-zh.html")[0]
    meta = article.meta
    assert meta.title == "全省春耕备耕工作有序推进"
    assert meta.section == ("人民网", "时政")
    assert meta.source == "贵州日报"
    assert meta.published == datetime(2021, 3, 20, 13, 21)
    assert meta.authors == ("王小明", "李华")
    assert meta.editors == ("张三", "李四")
    assert meta.language == "zh-CN"
    body = ir.plain_text(article.blocks)
    assert body.startswith("记者从省农业农村厅获悉")  # the byline left the paragraph
    assert "责编" not in body
    dropped = " ".join(d.text for d in article.dropped)
    assert "扫一扫关注人民网微信" in dropped and "分享到微信" in dropped


def test_english_page_keeps_structure_and_separates_editors() -> None:
    article = convert.read(HTML / "wire-en.html")[0]
    meta = article.meta
    assert meta.title == "Harbour reopens after storm"
    assert meta.section == ("Home", "World", "Europe")
    assert meta.site == "Example Wire" and meta.authors == ("Jane Roe",)
    assert meta.editors == ("Ed Itor", "Al Ternate")
    kinds = [type(b) for b in article.blocks]
    assert kinds == [ir.Paragraph, ir.Paragraph, ir.Heading, ir.ListBlock, ir.Quote]
    assert ir.Emph((ir.Text("early on Monday"),)) in article.blocks[0].content  # type: ignore[union-attr]
    links = [n for n in article.blocks[1].content if isinstance(n, ir.Link)]  # type: ignore[union-attr]
    assert links and links[0].href == "https://example.org/port"
    assert any("Follow us on Twitter" in d.text for d in article.dropped)


def test_markdown_front_matter_and_sanitising() -> None:
    article = convert.read(FIXTURES / "markdown" / "harbour-note.md")[0]
    meta = article.meta
    assert meta.title == "Harbour notes"
    assert meta.authors == ("Jane Roe", "John Doe") and meta.editors == ("Ed Itor",)
    assert meta.keywords == ("shipping", "weather") and meta.language == "en-GB"
    assert meta.published is not None and meta.published.utcoffset() is not None
    assert meta.extra == (("mood", "calm"),)
    dumped = json.dumps(
        convert.model.ir_json.to_dict(convert.model.ir.Collection(articles=(article,)))
    )
    assert "<script" not in dumped and "onclick" not in dumped and "alert('x')" not in dumped
    links = [
        n
        for b in article.blocks
        if isinstance(b, ir.Paragraph)
        for n in b.content
        if isinstance(n, ir.Link)
    ]
    assert [link.href for link in links] == ["https://example.org"]
    assert any(isinstance(b, ir.Table) and b.header_rows == 1 for b in article.blocks)


@pytest.mark.parametrize(
    "markdown",
    [
        "# T\n\n<img src=x onerror=alert(1)>\n\nText.\n",
        "# T\n\n[click](javascript:alert(1))\n",
        '# T\n\n<a href="javascript:alert(1)">x</a> and <span onmouseover="steal()">y</span>\n',
        "# T\n\n<script>document.cookie</script>\n",
    ],
)
def test_markdown_never_passes_markup_through(markdown: str) -> None:
    article = convert.read(markdown.encode(), format="markdown")[0]
    dumped = json.dumps(
        convert.model.ir_json.to_dict(convert.model.ir.Collection(articles=(article,)))
    )
    for bad in ("onerror", 'javascript:alert(1)"', "onmouseover", "document.cookie", "<script"):
        if bad == 'javascript:alert(1)"':
            assert '"href": "javascript' not in dumped
        else:
            assert bad not in dumped


def test_untrusted_html_is_refused_or_read_quickly() -> None:
    deep = b"<html><body>" + b"<div>" * 100_000 + b"x" + b"</div>" * 100_000 + b"</body></html>"
    start = time.monotonic()
    with pytest.raises(InputError, match="nested too deeply"):
        convert.read(deep, format="html")
    assert time.monotonic() - start < 5
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;'
        b'&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'
        b'&lol2;">]><html><body><p>&lol3;</p><p>A plain paragraph of article text.</p></body></html>'
    )
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b"<html><body><p>&xxe;</p><p>A plain paragraph of article text.</p></body></html>"
    )
    for data in (bomb, xxe):
        start = time.monotonic()
        article = convert.read(data, format="html")[0]
        everything = ir.plain_text(article.blocks) + " ".join(d.text for d in article.dropped)
        assert "lollollol" not in everything and "root:" not in everything
        assert time.monotonic() - start < 5
    with pytest.raises(InputError, match="not an HTML page"):
        convert.read(b"just some words, no markup at all", format="html")


# --------------------------------------------------------------------------- URL input


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/page":
            body = (HTML / "wire-en.html").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", f"/loop{len(self.path)}")
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(3)
            self.send_response(200)
            self.end_headers()
        elif self.path == "/big":
            self.send_response(200)
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
        else:
            self.send_error(404, "Not Found")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with local_server(_Handler) as url:
        yield url


def test_url_input_is_fetched_and_read_as_html(server: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["convert", f"{server}/page", "-o", str(tmp_path / "page.json")]
    )
    assert result.exit_code == 0, result.output
    article = convert.read(tmp_path / "page.json")[0]
    assert article.meta.title == "Harbour reopens after storm"
    assert article.meta.url == f"{server}/page"


@pytest.mark.parametrize(
    ("path", "message", "options"),
    [
        ("/missing", "HTTP 404", {}),
        ("/loop", "redirect", {}),
        ("/slow", "no answer within", {"timeout": 0.5}),
        ("/big", "too large", {}),
    ],
)
def test_fetch_failures_are_clear(
    server: str, path: str, message: str, options: dict[str, float]
) -> None:
    with pytest.raises(InputError, match=message):
        fetch.fetch(server + path, **options)  # type: ignore[arg-type]


def test_offline_fetch_is_a_clear_one_line_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(main, ["inspect", f"http://127.0.0.1:{port}/x"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"briefkit: error: http://127.0.0.1:{port}/x: cannot fetch")
    assert len(result.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------- the corpus


def _evaluation() -> object:
    spec = importlib.util.spec_from_file_location(
        "reader_eval", ROOT / "benchmarks" / "reader_eval.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores() -> dict[str, object]:
    require_file(CORPUS / "manifest.json", "the shared real-article corpus")
    return _evaluation().evaluate(CORPUS)  # type: ignore[attr-defined,no-any-return]


def test_scores_do_not_regress_and_beat_plain_trafilatura(
    scores: dict[str, dict[str, dict[str, float]]],
) -> None:
    floor = json.loads((ROOT / "benchmarks" / "reader_scores.json").read_text("utf-8"))
    for field, value in floor["ours"].items():
        assert scores["ours"][field]["all"] >= value - 0.005, (
            field,
            scores["ours"][field]["all"],
            value,
        )
    for field, by_language in scores["trafilatura"].items():
        assert scores["ours"][field]["all"] >= by_language["all"], field


def test_xinhua_editors_are_editors_not_authors(scores: dict[str, object]) -> None:
    article = convert.read(CORPUS / "trafilatura" / "xinhuanet.com.c_1125597921.html")[0]
    assert article.meta.editors == ("焦鹏",)
    assert "焦鹏" not in article.meta.authors
    assert article.meta.source
    cases = [c for c in scores["cases"] if c["lang"] == "zh"]  # type: ignore[index]
    assert all(c["ours"]["source"] for c in cases)


@pytest.mark.parametrize(
    ("title", "h1", "expected"),
    [
        (
            "武汉的声音：有英勇的你，才有英雄的城！-新华网",
            "武汉的声音：有英勇的你，才有英雄的城！",
            "武汉的声音：有英勇的你，才有英雄的城！",
        ),
        (
            "NEWS WEB EASY|子どもへの体罰を禁止する法律ができる",
            "子どもへの体罰を禁止する法律ができる",
            "子どもへの体罰を禁止する法律ができる",
        ),
        ("Chronik: Lotte Tobisch ist tot", "Lotte Tobisch ist tot", "Lotte Tobisch ist tot"),
    ],
)
def test_the_h1_decides_the_headline(title: str, h1: str, expected: str) -> None:
    page = (
        f"<html><head><title>{title}</title></head><body><h1>{h1}</h1>"
        "<p>"
        + "A paragraph of article text that is long enough to be the main content. "
        * 4
        + "</p>"
        "</body></html>"
    ).encode()
    assert convert.read(page, format="html")[0].meta.title == expected


def test_an_h1_without_a_separator_leaves_the_title_alone() -> None:
    from lxml import html as lxml_html

    from convert.readers.html import _headline

    page = lxml_html.fromstring("<html><body><h1>Harbour reopens</h1></body></html>")
    assert _headline("Harbour reopens after storm", page) == "Harbour reopens after storm"
    assert _headline(None, page) == "Harbour reopens"


def test_a_second_headline_restating_the_title_leaves_the_body() -> None:
    from convert.readers.html import restates

    assert restates("Harbour reopens after the storm, officials say", "Harbour reopens after storm")
    assert restates("HARBOUR REOPENS AFTER STORM", "Harbour reopens after storm")
    assert not restates("Repairs will take a month", "Harbour reopens after storm")
    page = (
        "<html><head><title>Harbour reopens after storm</title></head><body><article>"
        "<h1>Harbour reopens after storm</h1>"
        "<h2>The harbour reopens after the storm, three days on</h2>"
        "<p>The harbour reopened on Friday morning, three days after the storm closed it to "
        "all traffic, port officials said in a statement.</p>"
        "<h2>Repairs will take a month</h2><p>The breakwater needs another month of work, "
        "the port authority said on Friday.</p></article></body></html>"
    )
    article = convert.read(page.encode(), format="html")[0]
    headings = [ir.plain_text(b.content) for b in article.blocks if isinstance(b, ir.Heading)]
    assert "The harbour reopens after the storm, three days on" not in headings
    assert "Repairs will take a month" in headings
    assert any(d.reason == "a heading restating the title" for d in article.dropped)


def test_a_first_paragraph_equal_to_the_standfirst_is_printed_once() -> None:
    standfirst = "Freight volumes on the new line rose again in the third quarter."
    rest = "<p>Operators added two trains a day in September and more in October.</p>" * 3

    def page(first: str) -> bytes:
        return (
            "<!DOCTYPE html><html lang='en'><head><title>Freight rises</title>"
            f'<meta name="description" content="{standfirst}"></head><body><article>'
            f"<h1>Freight rises</h1><p>{first}</p>{rest}</article></body></html>"
        ).encode()

    article = convert.read(page(standfirst), format="html")[0]
    assert article.meta.summary == standfirst
    assert standfirst not in ir.plain_text(article.blocks)
    assert any("standfirst" in d.reason for d in article.dropped)
    # a real first paragraph that merely begins like the summary stays
    longer = standfirst + " Operators said demand from the ports drove it."
    kept = convert.read(page(longer), format="html")[0]
    assert longer in ir.plain_text(kept.blocks)
