"""The library API: read, write, atomic output."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

import pytest

import convert
from convert.app import api, registry
from convert.model import ir
from convert.model.errors import OutputError

from .conftest import SEED


def test_read_and_write_round_trip(tmp_path: Path) -> None:
    articles = convert.read(SEED)
    out = tmp_path / "a.json"
    convert.write(articles, out)
    assert convert.read(out) == articles
    buffer = io.BytesIO()
    convert.write(articles[0], buffer, format="json")
    assert convert.read(buffer.getvalue()) == articles


def test_read_accepts_file_objects_and_bytes() -> None:
    with SEED.open("rb") as handle:
        from_handle = convert.read(handle)
    assert from_handle == convert.read(SEED.read_bytes()) == convert.read(str(SEED))


def test_write_refuses_nothing() -> None:
    with pytest.raises(OutputError, match="no articles"):
        convert.write([], io.BytesIO(), format="json")


def test_a_failing_writer_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(collection: ir.Collection, out: BinaryIO, style: object) -> None:
        out.write(b"half a file")
        raise RuntimeError("writer crashed")

    fmt = registry.find("writer", "json")
    articles = convert.read(SEED)
    monkeypatch.setattr(registry.Format, "load", lambda self: broken)
    target = tmp_path / "out.json"
    target.write_bytes(b"previous content")
    with pytest.raises(RuntimeError):
        convert.write(articles, target, format=fmt.name)
    assert target.read_bytes() == b"previous content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_output_into_a_missing_folder_creates_it(tmp_path: Path) -> None:
    """One folder rule everywhere: convert, build and batch create the output's folder."""
    convert.write(convert.read(SEED), tmp_path / "no" / "such" / "out.json")
    assert (tmp_path / "no" / "such" / "out.json").is_file()
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match=r"(?i)not a (folder|directory)"):
        convert.write(convert.read(SEED), tmp_path / "file" / "out.json")


def test_combine_keeps_the_first_collection_metadata() -> None:
    a = ir.Collection(title="First", articles=(ir.Article(),))
    b = ir.Collection(title="Second", articles=(ir.Article(meta=ir.Meta(title="x")),))
    combined = api.combine([ir.Collection(articles=(ir.Article(),)), a, b])
    assert combined.title == "First" and len(combined.articles) == 3


def test_a_named_pipe_is_read_to_its_end(tmp_path: Path) -> None:
    # A pipe (bash's <(...), a FIFO) has no size to trust: reading goes on to its end,
    # over more than one read of the pipe's buffer.
    import os
    import threading

    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    text = SEED.read_text("utf-8")
    padding = "\n\n" + "A long closing paragraph of the piped article. " * 40_000  # ~2 MB
    payload = (text.replace("(Editor in charge", padding + "\n\n(Editor in charge", 1)).encode()

    def feed() -> None:
        with open(fifo, "wb") as pipe:
            pipe.write(payload)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        [article] = convert.read(fifo)
    finally:
        writer.join()
    [expected] = convert.read(payload)
    assert article == expected and article.meta.editors == ("Cao Miao", "Xie Lei")
    assert len(ir.plain_text(article.blocks)) > 1_880_000


def test_bytes_of_no_name_are_read_by_what_they_are(tmp_path: Path) -> None:
    """stdin and an upload without an extension: the first bytes tell the format."""
    seed = convert.read(SEED)[0]
    for fmt in ("pdf", "docx", "epub", "json", "html"):
        written = tmp_path / f"seed.{fmt}"
        convert.write([seed], written)
        assert convert.read(written.read_bytes())[0].meta.title == seed.meta.title, fmt
    xhtml = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        b"<head><title>Harbour reopens</title></head><body><article><h1>Harbour reopens</h1>"
        b"<p>The harbour reopened on Friday morning, three days after the storm.</p>"
        b"</article></body></html>"
    )
    assert convert.read(xhtml)[0].meta.title == "Harbour reopens"
    feed = (Path(__file__).parent.parent / "fixtures" / "feed" / "press-office.rss").read_bytes()
    assert convert.read(feed)[0].meta.title == "Guizhou opens new logistics hub"
    assert api._sniff(b"PK\x03\x04" + b"\0" * 60) is None  # a ZIP of neither kind
