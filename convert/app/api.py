"""The library API: :func:`read`, :func:`load`, :func:`write` and :func:`convert`.

Everything the CLI does goes through here; the CLI only parses arguments and prints errors.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import io
import os
import stat
import sys
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, BinaryIO

from ..media import pictures
from ..media.fetch import fetch, is_url
from ..media.files import atomic_output
from ..model import ir
from ..model.errors import BriefkitError, InputError, OutputError
from ..model.ir_json import iso_to_when
from ..plan.styles import Style, load_style
from ..readers import library_output
from ..readers.containers import container_for
from . import registry

Source = str | os.PathLike[str] | bytes | IO[bytes]
Destination = str | os.PathLike[str] | IO[bytes]
MAX_INPUT_BYTES = 512 * 1024 * 1024


def _sniff(data: bytes) -> str | None:
    """A format name guessed from the first bytes, or None."""
    head = data[:64].lstrip(b" \t\r\n")
    if head.startswith((b"{", b"\xef\xbb\xbf{")):
        return "json"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith(b"<"):
        # Imported here: the feed reader costs ~7 ms of start-up; only markup is sniffed.
        from ..readers.feed import looks_like_feed

        if looks_like_feed(data):
            return "feed"
        if b"<html" in data[:4096].lower():
            return "html"
    if data.startswith(b"PK\x03\x04"):
        if b"word/document.xml" in data:
            return "docx"
        if data[30:58] == b"mimetypeapplication/epub+zip":
            return "epub"
    return None


def _read_path(path: Path) -> bytes:
    where = str(path)
    try:
        # One open, one fstat and a read of the whole file, no file object: a third of the
        # time of Path.stat() then Path.read_bytes() (a thousand inputs are read per run).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise InputError("is a directory, not a file", where=where)
            if info.st_size > MAX_INPUT_BYTES:
                raise InputError(
                    f"too large ({info.st_size} bytes; the limit is {MAX_INPUT_BYTES})",
                    where=where,
                )
            chunks: list[bytes] = []
            # Until the end of the file (a pipe or a file that grows has no size to trust).
            while chunk := os.read(fd, info.st_size + 1 if not chunks else _READ_CHUNK):
                chunks.append(chunk)
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise InputError("no such file", where=where) from None
    except PermissionError:
        raise InputError("permission denied", where=where) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", where=where) from None


_READ_CHUNK = 1 << 20


def _gunzip(data: bytes) -> bytes:
    """The content of a gzip file, stopping at the input size limit whatever it claims."""

    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            content = stream.read(MAX_INPUT_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"broken gzip file ({exc})") from None
    if len(content) > MAX_INPUT_BYTES:
        raise InputError(f"refusing gzip file: it unpacks to more than {MAX_INPUT_BYTES} bytes")
    return content


def _reader_for(format: str | None, path: Path | None, data: bytes) -> registry.Format:
    if format:
        return registry.find("reader", format)
    if path is not None and path.suffix:
        with contextlib.suppress(BriefkitError):
            return registry.for_path("reader", path)
    sniffed = _sniff(data)
    return registry.find("reader", sniffed or "text")


def load(
    source: Source,
    format: str | None = None,
    images: str = pictures.DEFAULT_POLICY,
    *,
    name: str | None = None,
) -> ir.Collection:
    """Read ``source`` (a path, ``"-"`` for standard input, a URL, bytes or a binary file
    object) into a cleaned collection.

    ``name`` names bytes or a file object in messages; an http(s) URL given as ``name`` is
    where the bytes came from (a page fetched elsewhere: its URL and relative pictures).

    The format comes from ``format``, else the file extension, else the first bytes, else
    plain text. Problems raise :class:`~convert.model.errors.BriefkitError` naming the source.
    ``images`` says which pictures are resolved into the articles' media: ``"none"``,
    ``"local"`` (files beside the input, its own pictures, ``data:`` URIs; the default) or
    ``"all"`` (also http(s) URLs); a picture that cannot be had is a warning.
    """
    pictures.check_policy(images)  # before anything is read
    path: Path | None = None
    page_url: str | None = None
    if is_url(source):
        assert isinstance(source, str)
        try:
            data, page_url = fetch(source)
            where = source
        except BriefkitError as exc:
            raise exc.at(source) from None
        format = format or "html"
    elif isinstance(source, (bytes, bytearray)):
        data, where = bytes(source), name or "<bytes>"
        page_url = name if is_url(name) else None
    elif isinstance(source, (str, os.PathLike)) and os.fspath(source) == STDIO:
        data, where = sys.stdin.buffer.read(), "<stdin>"
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        data, where = _read_path(path), str(path)
    else:
        data, where = source.read(), str(name or getattr(source, "name", "<stream>"))
        page_url = name if is_url(name) else None
    try:
        if data[:2] == b"\x1f\x8b":  # gzip: a saved page.html.gz, a feed.xml.gz
            data = _gunzip(data)
            if path is not None and path.suffix.lower() in (".gz", ".gzip"):
                path = path.with_suffix("")
        reader = _reader_for(format, path, data)
        with library_output.captured() as messages:
            collection: ir.Collection = reader.load()(data, name=where)
        as_read = collection
        if messages and collection.articles:
            first = collection.articles[0]
            first = dataclasses.replace(first, dropped=first.dropped + tuple(messages))
            collection = dataclasses.replace(collection, articles=(first, *collection.articles[1:]))
        if images != "none":
            container = container_for(reader.name, data)
            origin = pictures.Origin(
                # A document's pictures are inside it: a DOCX's, an EPUB's or a briefkit
                # PDF's relative references never name files beside it.
                folder=path.parent if path is not None and container is None else None,
                url=page_url,
                container=container,
            )
            collection = pictures.resolve(collection, origin, images, where)
        if reader.cleans_text and collection is as_read:
            return collection  # only the reader's own text, which it cleaned itself
        return ir.clean_collection(collection)
    except BriefkitError as exc:
        raise exc.at(where) from None
    except ir.LoneSurrogateError as exc:
        raise InputError(str(exc), where=where) from None
    except RecursionError:
        raise InputError("structure nested too deeply to read", where=where) from None
    except UnicodeDecodeError as exc:  # a damaged part that must be text
        raise InputError(f"damaged file: text that is not {exc.encoding}", where=where) from None


def read(
    source: Source, format: str | None = None, images: str = pictures.DEFAULT_POLICY
) -> list[ir.Article]:
    """The articles in ``source`` (see :func:`load` for the format and ``images``)."""
    return list(load(source, format, images).articles)


def combine(collections: Sequence[ir.Collection]) -> ir.Collection:
    """One collection of all articles; collection metadata from the first input that has any.

    Sections are kept when any input has them (articles of an input without sections go
    into an untitled section).
    """
    articles = tuple(a for c in collections for a in c.articles)
    sections: tuple[ir.Section, ...] = ()
    if any(c.sections for c in collections):
        sections = tuple(
            section for c in collections for section, _ in ir.section_spans(c) if section.count
        )
    for collection in collections:
        if collection.has_metadata():
            return dataclasses.replace(collection, articles=articles, sections=sections)
    return ir.Collection(articles=articles, sections=sections)


def apply_metadata(collection: ir.Collection, metadata: Mapping[str, str]) -> ir.Collection:
    """Set collection metadata from ``key=value`` strings (lists are comma-separated)."""
    changes: dict[str, Any] = {}
    for key, value in metadata.items():
        if key not in ir.COLLECTION_META_FIELDS or key == "sections":
            known = ", ".join(k for k in ir.COLLECTION_META_FIELDS if k != "sections")
            raise BriefkitError(f"unknown metadata key {key!r} (known: {known})", where="-M")
        if key == "editors":
            changes[key] = tuple(v.strip() for v in value.split(",") if v.strip())
        elif key == "date":
            try:
                changes[key] = iso_to_when(value)
            except ValueError as exc:
                raise BriefkitError(str(exc), where="-M date") from None
        else:
            changes[key] = value
    return ir.clean_collection(dataclasses.replace(collection, **changes))


def _as_collection(articles: ir.Collection | ir.Article | Sequence[ir.Article]) -> ir.Collection:
    if isinstance(articles, ir.Collection):
        return articles
    if isinstance(articles, ir.Article):
        return ir.Collection(articles=(articles,))
    return ir.Collection(articles=tuple(articles))


STDIO = "-"
"""The name that means standard input (as an input) or standard output (as ``-o``)."""


@contextlib.contextmanager
def _standard_output() -> Iterator[BinaryIO]:
    """The document made in memory, then written to standard output (nothing on error)."""
    buffer = io.BytesIO()
    yield buffer
    stream = sys.stdout.buffer
    stream.write(buffer.getbuffer())
    stream.flush()


def check_extension(path: Path, format: str, force: bool = False) -> None:
    """Refuse to write ``format`` to a path whose extension names another format (a PDF
    named ``.epub``), unless ``force``. An extension no writer claims is accepted."""
    if force or not path.suffix:
        return
    try:
        named = registry.for_path("writer", path)
    except BriefkitError:
        return
    wanted = registry.find("writer", format)
    if named.name != wanted.name:
        raise OutputError(
            f"the extension {path.suffix!r} is for {named.name}, not {wanted.name}: "
            f"name the file .{wanted.extensions[0].lstrip('.')} (or pass --force)",
            where=str(path),
        )


def write(
    articles: ir.Collection | ir.Article | Sequence[ir.Article],
    dest: Destination,
    format: str | None = None,
    style: str | os.PathLike[str] | Style | None = None,
    metadata: Mapping[str, str] | None = None,
    force: bool = False,
) -> None:
    """Write articles (or a collection) to ``dest``, a path or a binary file object.

    The format comes from ``format`` or the path's extension (an extension naming another
    format than ``format`` is refused unless ``force``); ``style`` is a bundled style
    name, a path to a style file or a loaded :class:`~convert.plan.styles.Style`; ``metadata``
    sets collection fields (``title``, ``date``, ``editors``...). A path is written
    atomically (see :func:`atomic_output`): an error leaves no partial file behind. ``"-"``
    is standard output.
    """
    collection = _as_collection(articles)
    if metadata:
        collection = apply_metadata(collection, metadata)
    if not collection.articles:
        raise OutputError("nothing to write: no articles")
    loaded_style = style if isinstance(style, Style) else load_style(style)
    if isinstance(dest, (str, os.PathLike)) and os.fspath(dest) == STDIO:
        writer = _output_format(dest, format, force).load()
        with _standard_output() as out:
            _run_writer(writer, collection, out, loaded_style)
        return
    if isinstance(dest, (str, os.PathLike)):
        path = Path(dest)
        writer = _output_format(path, format, force).load()
        try:
            with atomic_output(path) as out:
                _run_writer(writer, collection, out, loaded_style)
        except BriefkitError as exc:
            raise exc.at(str(path)) from None
        return
    fmt = registry.find("writer", format or "json")
    buffer = io.BytesIO()
    _run_writer(fmt.load(), collection, buffer, loaded_style)
    dest.write(buffer.getvalue())


def _output_format(
    dest: str | os.PathLike[str], format: str | None, force: bool
) -> registry.Format:
    """The writer for ``dest`` (``"-"``: standard output, which needs ``format``): ``format``
    when given (an extension naming another is refused unless ``force``), else the one the
    extension names."""
    if os.fspath(dest) == STDIO:
        if not format:
            raise OutputError("standard output has no extension: give the format (-t)", where="-")
        return registry.find("writer", format)
    path = Path(dest)
    if format:
        check_extension(path, format, force)
        return registry.find("writer", format)
    return registry.for_path("writer", path)


def _run_writer(writer: Any, collection: ir.Collection, out: BinaryIO, style: Style) -> None:
    try:
        writer(collection, out, style)
    except RecursionError:
        raise OutputError(
            "the document is nested too deeply to write (lists or quotes inside each other "
            "hundreds of levels deep)"
        ) from None


def convert(
    inputs: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    from_format: str | None = None,
    to_format: str | None = None,
    style: str | os.PathLike[str] | None = None,
    metadata: Mapping[str, str] | None = None,
    on_read: Callable[[int, int], None] | None = None,
    images: str = pictures.DEFAULT_POLICY,
    force: bool = False,
) -> ir.Collection:
    """Read every input, combine them into one collection and write it to ``output``.

    Refuses to write over any input. Returns the collection that was written. ``on_read`` is
    called with (inputs read, total) after each input, for progress displays; ``images`` is
    :func:`load`'s picture policy; ``force`` lets ``to_format`` differ from the format the
    output's extension names. ``"-"`` as an input is standard input, as ``output`` standard
    output.
    """
    out_path = Path(output)
    for source in inputs:
        if not is_url(source) and source != STDIO and _same_file(Path(source), out_path):
            raise OutputError(
                "output is the same file as an input; refusing to overwrite it", where=str(out_path)
            )
    _output_format(output, to_format, force)  # a bad format fails before anything is read
    loaded_style = load_style(style)
    loaded = []
    for source in inputs:
        loaded.append(load(source, from_format, images))
        if on_read is not None:
            on_read(len(loaded), len(inputs))
    collection = combine(loaded)
    if metadata:
        collection = apply_metadata(collection, metadata)
    write(collection, output, to_format, loaded_style, force=force)
    return collection


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
