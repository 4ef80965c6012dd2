"""Documented limits tested at their edge: just under is accepted, just over is refused with
its one-line message, so a changed number fails a test."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import convert
from convert.model.errors import InputError
from convert.readers import _zipcheck
from convert.readers.html import MAX_DEPTH
from convert.readers.markdown import MAX_FRONT_MATTER_NODES


def _front_matter(items: int) -> bytes:
    # root mapping, two keys, a title and a list: five values, then the list's items
    values = ", ".join(["1"] * items)
    return f"---\ntitle: T\nn: [{values}]\n---\n\nText.\n".encode()


def test_yaml_front_matter_values_at_the_limit() -> None:
    assert MAX_FRONT_MATTER_NODES == 10_000
    article = convert.read(_front_matter(MAX_FRONT_MATTER_NODES - 5), format="markdown")[0]
    assert article.meta.title == "T"
    with pytest.raises(InputError, match="expands to more than 10000 values"):
        convert.read(_front_matter(MAX_FRONT_MATTER_NODES - 4), format="markdown")


def _nested(levels: int) -> bytes:
    inner = "<p>Deep text, deep inside the page, as far down as it goes.</p>"
    opened = "<html><body>" + "<div>" * (levels - 2)
    return (opened + inner + "</div>" * (levels - 2) + "</body></html>").encode()


def test_html_nesting_at_the_limit() -> None:
    assert MAX_DEPTH == 512
    convert.read(_nested(MAX_DEPTH), format="html")
    with pytest.raises(InputError, match="HTML nested too deeply \\(more than 512 levels\\)"):
        convert.read(_nested(MAX_DEPTH + 1), format="html")


def _zip(entries: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for n in range(entries):
            archive.writestr(f"e{n}", b"")
    return buffer.getvalue()


def test_zip_entries_at_the_limit() -> None:
    assert _zipcheck.MAX_ENTRIES == 10_000
    assert len(_zipcheck.open_zip(_zip(10_000), "EPUB").infolist()) == 10_000
    with pytest.raises(InputError, match="refusing EPUB: 10001 entries \\(the limit is 10000\\)"):
        _zipcheck.open_zip(_zip(10_001), "EPUB")


def _declared(total: int, packed_each: int = 1 << 20, entries: int = 1) -> bytes:
    """A stored zip whose central directory declares ``total`` unpacked bytes spread over
    ``entries`` members of ``packed_each`` bytes each (sizes patched; nothing is big)."""
    import struct

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for n in range(entries):
            archive.writestr(f"e{n}", b"x" * 16)
    data = bytearray(buffer.getvalue())
    at = 0
    each = total // entries
    while (at := data.find(b"PK\x01\x02", at)) != -1:  # central directory entries
        struct.pack_into("<II", data, at + 20, packed_each, each)
        at += 4
    return bytes(data)


def test_zip_unpacked_size_and_ratio_at_the_limit() -> None:
    limit, ratio = _zipcheck.MAX_TOTAL_BYTES, _zipcheck.MAX_RATIO
    assert (limit, ratio) == (512 * 1024 * 1024, 200)
    packed = 4 << 20
    _zipcheck.open_zip(_declared(limit, packed_each=packed // 2, entries=2), "DOCX")
    with pytest.raises(InputError, match=f"unpacks to {limit + 2} bytes"):
        _zipcheck.open_zip(_declared(limit + 2, packed_each=packed // 2, entries=2), "DOCX")
    total = 100 << 20  # over the 10 MiB below which the ratio is not looked at
    _zipcheck.open_zip(_declared(total, packed_each=total // ratio), "DOCX")
    with pytest.raises(InputError, match="compression ratio 201:1 looks like a zip bomb"):
        _zipcheck.open_zip(_declared(total, packed_each=total // 201 - 10), "DOCX")


def _feed_with_tags(tags: int) -> bytes:
    head = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<link>https://example.org/</link><description>d</description><item><title>One"
        b"</title><description>Text.</description></item>"
    )
    tail = b"</channel></rss>"
    fixed = head.count(b"<") + tail.count(b"<")
    return head + b"<x/>" * (tags - fixed) + tail


def test_feed_tags_at_the_limit() -> None:
    from convert.readers.feed import MAX_TAGS

    assert MAX_TAGS == 100_000
    assert convert.read(_feed_with_tags(MAX_TAGS), format="feed")[0].meta.title == "One"
    with pytest.raises(InputError, match="more than 100000 tags"):
        convert.read(_feed_with_tags(MAX_TAGS + 1), format="feed")


def test_fetch_size_and_redirects_at_the_limit() -> None:
    from convert.media.fetch import MAX_REDIRECTS, fetch

    from .conftest import local_server, static_pages

    assert MAX_REDIRECTS == 5
    size = 1000
    pages = {
        "/exact": (200, "text/plain", b"x" * size),
        "/over": (200, "text/plain", b"x" * (size + 1)),
    }
    for n in range(MAX_REDIRECTS + 1):
        pages[f"/r{n}"] = (302, "text/plain", b"")
    import http.server

    base = static_pages(pages)

    class Redirects(base):  # type: ignore[misc,valid-type]
        def do_GET(self) -> None:
            if self.path.startswith("/r"):
                n = int(self.path[2:])
                self.send_response(302)
                self.send_header("Location", f"/r{n + 1}" if n + 1 <= MAX_REDIRECTS else "/exact")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            super().do_GET()

    assert issubclass(Redirects, http.server.BaseHTTPRequestHandler)
    with local_server(Redirects) as server:
        assert fetch(f"{server}/exact", max_bytes=size)[0] == b"x" * size
        with pytest.raises(InputError, match="too large"):
            fetch(f"{server}/over", max_bytes=size)
        # /r1 ... /r5 then /exact: five redirects are followed
        assert fetch(f"{server}/r1", max_bytes=size)[1].endswith("/exact")
        with pytest.raises(InputError, match="redirect"):  # /r0 needs six
            fetch(f"{server}/r0", max_bytes=size)


def test_yaml_front_matter_size_at_the_limit() -> None:
    from convert.readers.markdown import MAX_FRONT_MATTER

    assert MAX_FRONT_MATTER == 64 * 1024

    def page(size: int) -> bytes:
        # "title: T\n" and a comment filling the front matter to exactly ``size`` characters
        filler = "#" + "x" * (size - len("title: T\n") - 1)
        return f"---\ntitle: T\n{filler}\n---\n\nText.\n".encode()

    assert convert.read(page(MAX_FRONT_MATTER), format="markdown")[0].meta.title == "T"
    with pytest.raises(InputError, match="front matter larger than 65536 characters"):
        convert.read(page(MAX_FRONT_MATTER + 1), format="markdown")


@pytest.mark.slow
def test_html_page_size_at_the_limit() -> None:
    from convert.readers.html import MAX_BYTES

    assert MAX_BYTES == 20 * 1024 * 1024
    head = b"<html><head><title>Big page</title></head><body><p>Text of the page.</p>"
    exact = head + b" " * (MAX_BYTES - len(head))
    assert len(exact) == MAX_BYTES
    assert convert.read(exact, format="html")[0].meta.title == "Big page"
    with pytest.raises(InputError, match="HTML page too large"):
        convert.read(exact + b" ", format="html")


def test_desk_request_size_at_the_limit() -> None:
    import asyncio

    from starlette.exceptions import HTTPException
    from starlette.requests import Request

    from convert.app.desk.web import MAX_REQUEST_BYTES, _form

    assert MAX_REQUEST_BYTES == 100 * 1024 * 1024

    async def status(length: int) -> int:
        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b"", "more_body": False}

        scope = {
            "type": "http", "method": "POST", "path": "/", "query_string": b"",
            "headers": [(b"content-length", str(length).encode()),
                        (b"content-type", b"application/x-www-form-urlencoded")],
        }  # fmt: skip
        try:
            await _form(Request(scope, receive))
        except HTTPException as refused:
            return refused.status_code
        return 200

    # exactly the cap: read (then refused for its missing CSRF token, not for its size)
    assert asyncio.run(status(MAX_REQUEST_BYTES)) != 413
    assert asyncio.run(status(MAX_REQUEST_BYTES + 1)) == 413


def test_fetch_timeout_just_under_and_over() -> None:
    import http.server
    import time

    from convert.media.fetch import TIMEOUT_SECONDS, fetch

    from .conftest import local_server

    assert TIMEOUT_SECONDS == 20.0

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(0.6)
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except BrokenPipeError:  # the client that gave up has gone
                pass

        def log_message(self, *args: object) -> None:
            pass

    with local_server(Slow) as server:
        assert fetch(f"{server}/", timeout=1.2)[0] == b"ok"  # answered within the timeout
        with pytest.raises(InputError, match=r"no answer within 0\.3 seconds"):
            fetch(f"{server}/", timeout=0.3)


@pytest.mark.slow
def test_pdf_pages_at_the_limit(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    from convert.readers.pdf import MAX_PAGES

    assert MAX_PAGES == 20_000  # the limit the guide states
    for pages in (MAX_PAGES, MAX_PAGES + 1):
        writer = PdfWriter()
        for _ in range(pages):
            writer.add_blank_page(612, 792)
        writer.write(tmp_path / f"{pages}.pdf")
    with pytest.raises(InputError) as accepted:  # read to the end: blank pages, no text
        convert.read(tmp_path / "20000.pdf")
    assert str(accepted.value).endswith("no text to read: the PDF has no text on any page")
    with pytest.raises(InputError) as refused:
        convert.read(tmp_path / "20001.pdf")
    assert str(refused.value) == (
        f"{tmp_path / '20001.pdf'}: refusing PDF with 20001 pages (the limit is 20000)"
    )


def test_a_damaged_member_or_directory_of_a_document_is_one_line(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + b"<w:p/>" * 2000 + b"</w:document>")
    data = bytearray(buffer.getvalue())
    body = data.index(b"word/document.xml") + len("word/document.xml")
    data[body + 40 : body + 60] = bytes(20)  # the packed text damaged, the sizes intact
    with pytest.raises(InputError) as damaged:
        convert.read(bytes(data), format="docx")
    assert str(damaged.value).startswith("<bytes>: damaged archive member word/document.xml (")
    named = bytearray(buffer.getvalue())
    at = named.rindex(b"word/document.xml")  # the central directory's copy of the name
    named[at : at + 4] = b"\xff\xfe\xfd\xfc"
    flags = named.rindex(b"PK\x01\x02") + 8  # mark the name as UTF-8 (bit 11): it is not
    named[flags + 1] |= 0x08
    with pytest.raises(InputError) as broken:
        convert.read(bytes(named), format="docx")
    assert str(broken.value) == "<bytes>: damaged DOCX archive (UnicodeDecodeError)"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe{}", "IR JSON must be UTF-8 (invalid start byte at byte 0)"),
        (b"\xef\xbb\xbf  \n", "empty input: there is no JSON to read"),
    ],
)
def test_json_that_is_not_utf_8_or_is_empty_is_one_line(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as refused:
        convert.read(data, format="json")
    assert str(refused.value) == f"<bytes>: {message}"
