"""Properties every writer shares: each handles every IR node type and fails loudly otherwise."""

from __future__ import annotations

import dataclasses
import io
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

import convert
from convert.app import registry
from convert.model import ir, ir_json
from convert.model.ir import UnknownNodeError
from convert.writers import _zip

from .conftest import EVERY_NODE, pdf_text
from .strategies import collections

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

WRITERS = [fmt.name for fmt in registry.formats("writer") if fmt.builtin]


def test_the_fixture_uses_every_node_type() -> None:
    article = convert.load(EVERY_NODE).articles[0]
    blocks = set()
    inlines = set()

    def visit_inlines(nodes: tuple[ir.Inline, ...]) -> None:
        for node in nodes:
            inlines.add(type(node))
            if isinstance(node, (ir.Emph, ir.Strong, ir.Link, ir.Span)):
                visit_inlines(node.content)

    for block in ir.walk_blocks(article.blocks):
        blocks.add(type(block))
        if isinstance(block, (ir.Paragraph, ir.Heading)):
            visit_inlines(block.content)
        elif isinstance(block, ir.Image):
            visit_inlines(block.caption)
        elif isinstance(block, ir.Table):
            for row in block.rows:
                for cell in row:
                    visit_inlines(cell)
    assert blocks == set(ir.BLOCK_TYPES)
    assert inlines == set(ir.INLINE_TYPES)


@pytest.mark.parametrize("writer", WRITERS)
def test_every_writer_handles_every_node_type(writer: str) -> None:
    out = io.BytesIO()
    convert.write(convert.load(EVERY_NODE), out, format=writer)
    assert len(out.getvalue()) > 100


@dataclasses.dataclass(frozen=True)
class Marquee:
    """A block type no writer knows."""

    text: str


@pytest.mark.parametrize("writer", [w for w in WRITERS if w != "json"])
@pytest.mark.parametrize("where", ["block", "inline", "nested"])
def test_an_unknown_node_is_the_writers_own_error_not_a_silent_drop(
    writer: str, where: str
) -> None:
    node = Marquee("scrolling")
    blocks = {
        "block": (node,),
        "inline": (ir.Paragraph((ir.Text("a "), node)),),
        "nested": (ir.Quote((ir.ListBlock(False, ((node,),)),)),),
    }[where]
    article = ir.Article(meta=ir.Meta(title="T"), blocks=blocks)  # type: ignore[arg-type]
    with pytest.raises(UnknownNodeError) as caught:
        convert.write(article, io.BytesIO(), format=writer)
    assert caught.value.writer == writer and caught.value.node_type == "Marquee"


def test_the_json_writer_refuses_an_unknown_node_too() -> None:
    article = ir.Article(meta=ir.Meta(title="T"), blocks=(Marquee("scrolling"),))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Marquee"):
        convert.write(article, io.BytesIO(), format="json")


# One marker text per node type; the article below holds each in its node.
MARKERS: dict[str, str] = {
    "Text": "qtextmarker", "Emph": "qemphmarker", "Strong": "qstrongmarker",
    "Link": "qlinkmarker", "Code": "qcodemarker", "LineBreak": "qafterbreak",
    "Span": "qspanmarker", "Heading": "qheadingmarker", "Paragraph": "qparagraphmarker",
    "Quote": "qquotemarker", "ListBlock": "qlistmarker", "Image": "qimagemarker",
    "Table": "qtablemarker", "Rule": "qafterrule", "Div": "qdivmarker",
}  # fmt: skip
T = ir.Text
MARKED = ir.Article(
    meta=ir.Meta(title="Markers", language="en"),
    blocks=(
        ir.Heading(2, (T(MARKERS["Heading"]),)),
        ir.Paragraph((
            T(MARKERS["Text"] + " "), ir.Emph((T(MARKERS["Emph"]),)), T(" "),
            ir.Strong((T(MARKERS["Strong"]),)), T(" "),
            ir.Link("https://example.org/", (T(MARKERS["Link"]),)), T(" "),
            ir.Code(MARKERS["Code"]), T(" qbeforebreak"), ir.LineBreak(), T(MARKERS["LineBreak"]),
            T(" "), ir.Span(ir.Attr(classes=("x",)), (T(MARKERS["Span"]),)),
        )),
        ir.paragraph(MARKERS["Paragraph"]),
        ir.Quote((ir.paragraph(MARKERS["Quote"]),)),
        ir.ListBlock(True, ((ir.paragraph(MARKERS["ListBlock"]),),)),
        ir.Image("https://example.org/a.jpg", alt=MARKERS["Image"]),
        ir.Table(((((T("head"),), (T("col"),))), ((T(MARKERS["Table"]),), (T("2"),))), 1),
        ir.paragraph("qbeforerule"),
        ir.Rule(),
        ir.paragraph(MARKERS["Rule"]),
        ir.Div(ir.Attr(classes=("pull-quote",)), (ir.paragraph(MARKERS["Div"]),)),
    ),
)  # fmt: skip


def test_the_marker_article_uses_every_node_type() -> None:
    names = {type(b).__name__ for b in ir.walk_blocks(MARKED.blocks)}
    names |= {type(i).__name__ for i in MARKED.blocks[1].content}  # type: ignore[union-attr]
    assert names == {t.__name__ for t in (*ir.BLOCK_TYPES, *ir.INLINE_TYPES)} == set(MARKERS)


def _without_ir(writer: str, tmp_path: Path) -> Path:
    style = convert.load_style(None)
    style = dataclasses.replace(style, layout=MappingProxyType({**style.layout, "embed_ir": False}))
    path = tmp_path / f"markers.{writer}"
    convert.write(ir.Collection(articles=(MARKED,)), path, style=style)
    return path


def _client_text(writer: str, path: Path) -> tuple[str, str]:
    """(text, raw structure) as the format's own client sees it, with the IR not embedded."""
    if writer == "docx":
        with zipfile.ZipFile(path) as archive:
            assert not any(n.startswith("customXml/") for n in archive.namelist())
            xml = archive.read("word/document.xml")
        root = etree.fromstring(xml)
        text = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p"))
        return text, xml.decode()
    if writer == "epub":
        with zipfile.ZipFile(path) as archive:
            assert not any(n.endswith(".json") for n in archive.namelist())
            xml = archive.read("EPUB/text/article-0001.xhtml")
        return "".join(etree.fromstring(xml).itertext()), xml.decode()
    if writer == "html":
        raw = path.read_text(encoding="utf-8")
        assert "briefkit-ir" not in raw
        from lxml import html as lxml_html

        return lxml_html.fromstring(raw).text_content(), raw
    from pypdf import PdfReader

    reader = PdfReader(path)
    assert "/Names" not in reader.trailer["/Root"] and "/AF" not in reader.trailer["/Root"]
    content = b"".join(page.get_contents().get_data() for page in reader.pages)
    return pdf_text(path), content.decode("latin-1")


@pytest.mark.parametrize("writer", ["docx", "epub", "html", "pdf"])
def test_every_node_type_shows_through_the_real_client_without_the_embedded_ir(
    writer: str, tmp_path: Path
) -> None:
    text, raw = _client_text(writer, _without_ir(writer, tmp_path))
    flat = " ".join(text.split())
    for node, marker in MARKERS.items():
        assert marker in flat, f"{writer} lost the {node} node"
    # The two nodes without text of their own show as structure.
    if writer == "docx":
        assert "<w:br/>" in raw and "<w:pBdr><w:bottom" in raw
    elif writer in ("epub", "html"):
        assert "<br/>" in raw and "<hr/>" in raw
    else:
        lines = [line.strip() for line in text.splitlines()]
        assert lines.index(MARKERS["LineBreak"] + " " + MARKERS["Span"]) > lines.index(
            next(x for x in lines if x.endswith("qbeforebreak"))
        )
        assert " l\n" in raw or " l S" in raw or "\nS\n" in raw  # the rule is a stroked line


def test_compact_pieces_are_the_same_ir() -> None:
    collection = convert.load(EVERY_NODE)
    assert ir_json.loads("".join(ir_json.iter_compact(collection))) == collection


# Examples per writer: PDF layout is the slowest, so it gets fewer.
ROUND_TRIP_EXAMPLES = {"docx": 25, "epub": 25, "html": 25, "pdf": 15}


@pytest.mark.parametrize("writer", sorted(ROUND_TRIP_EXAMPLES))
def test_generated_irs_round_trip(writer: str) -> None:
    @settings(
        max_examples=ROUND_TRIP_EXAMPLES[writer],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(collections)
    def round_trip(collection: ir.Collection) -> None:
        buffer = io.BytesIO()
        convert.write(collection, buffer, format=writer)
        assert convert.load(buffer.getvalue(), format=writer) == collection

    round_trip()


# --------------------------------------------------------------------------- zip containers


def _zip_bytes(
    write: Callable[[_zip.FixedTimeZip], None], ahead: _zip.Deflater | None = None
) -> bytes:
    buffer = io.BytesIO()
    with _zip.FixedTimeZip(buffer, datetime(2021, 3, 20, tzinfo=timezone.utc), ahead) as out:
        write(out)
    return buffer.getvalue()


_TEXT = [f"<w:p>paragraph {n}: {'新闻 ' * (n % 7)}text</w:p>" for n in range(4000)]


def test_a_part_streamed_through_the_worker_is_what_compressing_in_place_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    in_place = _zip_bytes(lambda z: z.write("word/document.xml", "".join(_TEXT).encode()))
    monkeypatch.setattr(_zip, "CHUNK", 5_000)  # dozens of chunks through the worker
    streamed = _zip_bytes(lambda z: z.write_pieces("word/document.xml", iter(_TEXT)))
    assert streamed == in_place
    assert (
        zipfile.ZipFile(io.BytesIO(streamed)).read("word/document.xml") == "".join(_TEXT).encode()
    )


def _write_parts(out: _zip.FixedTimeZip, *parts: tuple[str, bytes]) -> None:
    for name, data in parts:
        out.write(name, data)


def test_parts_deflated_ahead_are_used_and_give_the_same_bytes() -> None:
    parts = {f"EPUB/text/a{n}.xhtml": "".join(_TEXT[n::9]).encode() for n in range(9)}

    def write_all(out: _zip.FixedTimeZip) -> None:
        out.write("mimetype", b"application/epub+zip", stored=True)
        for name, data in parts.items():
            out.write(name, data)

    with _zip.Deflater() as ahead:
        for name, data in list(parts.items())[:-1]:  # the last one is compressed in place
            ahead.add(name, data)
        ahead.add("never/written.xhtml", b"dropped when the deflater is left")
        assert _zip_bytes(write_all, ahead) == _zip_bytes(write_all)

    # The zip takes the deflate stream it is given: one made at another level shows in the size.
    name, data = next(iter(parts.items()))
    fast = zlib.compressobj(1, zlib.DEFLATED, -15)
    stream = fast.compress(data) + fast.flush()
    with _zip.Deflater() as ahead:
        ahead.add(name, data)
        ahead._parts[name].run = lambda: None  # type: ignore[method-assign]
        ahead._parts[name].compressed = stream
        ahead._parts[name].done.set()
        packed = zipfile.ZipFile(io.BytesIO(_zip_bytes(lambda z: z.write(name, data), ahead)))
    assert packed.getinfo(name).compress_size == len(stream)
    assert packed.read(name) == data  # checksum and size are zipfile's own, from the data

    # A part the worker fails to deflate is compressed in place, and the parts after it still
    # come from the worker (a failed job must not leave the zip waiting for it).
    real = zlib.compressobj
    failures: list[str] = []

    def fails_once(*args: Any) -> Any:
        if not failures:
            failures.append("failed")
            raise MemoryError
        return real(*args)

    first, second = list(parts.items())[:2]
    with _zip.Deflater() as ahead:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(zlib, "compressobj", fails_once)
            ahead.add(*first)
            ahead.add(*second)
            assert ahead._parts[second[0]].done.wait(timeout=10)
        assert ahead._parts[first[0]].compressed is None and failures
        both = _zip_bytes(lambda z: _write_parts(z, first, second), ahead)
    assert both == _zip_bytes(lambda z: _write_parts(z, first, second))

    # Other bytes under the same name are compressed in place, never swapped for the added ones.
    with _zip.Deflater() as ahead:
        ahead.add(name, data)
        other = _zip_bytes(lambda z: z.write(name, data + b"!"), ahead)
    assert zipfile.ZipFile(io.BytesIO(other)).read(name) == data + b"!"


class _FailingStream(io.BytesIO):
    def __init__(self, after: int) -> None:
        super().__init__()
        self.after = after

    def write(self, data: Any) -> int:
        if self.after and self.tell() + len(data) > self.after:
            self.after = 0  # fails once: only the worker sees it, closing the zip succeeds
            raise OSError(28, "No space left on device")
        return super().write(data)


def test_an_error_on_the_worker_reaches_the_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_zip, "CHUNK", 5_000)
    noise = [f"{n * 7919 % 100003:x}" * 9 for n in range(40_000)]  # compresses badly
    when = datetime(2021, 1, 1, tzinfo=timezone.utc)
    stream = _FailingStream(after=100_000)
    with _zip.FixedTimeZip(stream, when) as out, pytest.raises(OSError, match="No space left"):
        out.write_pieces("big.xml", iter(noise))
    assert stream.after == 0  # the failure happened, on the worker thread
    assert not [t for t in threading.enumerate() if t.name == "briefkit-zip"]


def test_an_error_while_rendering_stops_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_zip, "CHUNK", 5_000)

    def pieces() -> Iterator[str]:
        yield from _TEXT
        raise UnknownNodeError("docx", object())

    with pytest.raises(UnknownNodeError):
        _zip_bytes(lambda z: z.write_pieces("word/document.xml", pieces()))
    assert not [t for t in threading.enumerate() if t.name == "briefkit-zip"]
