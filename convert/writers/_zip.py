"""Reproducible zip containers (DOCX, EPUB): fixed entry times, fixed attributes, streaming.

Compression runs beside the writer: zlib lets go of the GIL while it deflates, so a second
core compresses while the writer renders. Two ways, both giving the bytes that compressing in
place gives (zipfile's own zlib settings, and deflate's output does not depend on how its
input is cut into calls; ``tests/test_writers.py`` compares):

- :meth:`FixedTimeZip.write_pieces` streams a big part (a briefing's ``document.xml``, the
  embedded IR) through a worker thread that checksums, compresses and writes each chunk
  while the writer renders the next;
- a :class:`Deflater` takes whole parts as soon as a writer has them (an EPUB's chapters,
  rendered long before ebooklib writes its zip), and :meth:`FixedTimeZip.write` uses the
  data it deflated meanwhile.
"""

from __future__ import annotations

import functools
import itertools
import queue
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from typing import BinaryIO, TypeVar

LEVEL = 6
"""zlib level of every deflated entry (zipfile's ``compresslevel``)."""

CHUNK = 1 << 20
"""Characters of a streamed part handed to the worker at a time: big enough that the worker
deflates for milliseconds each time it takes the GIL back, small enough to bound memory."""

BACKLOG = 2
"""Chunks of a streamed part that may wait for the worker before the writer waits too."""


def zip_date_time(when: datetime) -> tuple[int, int, int, int, int, int]:
    """A zip entry time for ``when`` in UTC (zip cannot store dates before 1980)."""
    stamp = max(when.astimezone(timezone.utc), datetime(1980, 1, 1, tzinfo=timezone.utc))
    year, month, day, hour, minute, second = stamp.timetuple()[:6]
    return (year, month, day, hour, minute, second)


class _Worker:
    """One daemon thread running jobs in the order given.

    :meth:`submit` waits while ``backlog`` jobs are queued (0: never) and raises the error of
    an earlier job; after an error the remaining jobs are skipped. :meth:`finish` waits for
    the rest and raises that error; :meth:`abandon` skips what is left (the writer's own
    error is the one that matters then).
    """

    def __init__(self, backlog: int = 0) -> None:
        self._jobs: queue.Queue[Callable[[], object] | None] = queue.Queue(backlog)
        self._error: BaseException | None = None
        self._skip = False
        self._thread = threading.Thread(target=self._run, name="briefkit-zip", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self._skip:
                continue
            try:
                job()
            except BaseException as exc:  # raised again in the writer's thread
                self._error, self._skip = exc, True

    def submit(self, job: Callable[[], object]) -> None:
        if self._error is not None:
            self.finish()
        self._jobs.put(job)

    def _join(self) -> None:
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()

    def finish(self) -> None:
        self._join()
        if self._error is not None:
            raise self._error

    def abandon(self) -> None:
        self._skip = True
        self._join()


class _Deflated:
    """One part's bytes and, once the worker got to it, their raw deflate stream."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.compressed: bytes | None = None
        self.done = threading.Event()

    def run(self) -> None:
        try:
            # What zipfile's compressor for ZIP_DEFLATED at this level produces.
            deflate = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
            self.compressed = deflate.compress(self.data) + deflate.flush()
        except Exception:  # never stops the worker: the zip compresses this part in place,
            self.compressed = None  # and whatever went wrong is raised there, to the writer
        finally:
            self.done.set()


class Deflater:
    """Deflates parts on a worker thread ahead of the zip that will hold them.

    A writer hands each big part over with :meth:`add` as soon as it has the bytes and goes
    on rendering; the :class:`FixedTimeZip` given this deflater writes the ready data (or
    compresses in place a part it was not given, or given with other bytes). Use it as a
    context manager: leaving it drops work not yet done.
    """

    def __init__(self) -> None:
        self._parts: dict[str, _Deflated] = {}
        self._worker: _Worker | None = None

    def add(self, name: str, data: bytes) -> None:
        """Deflate ``data``, the future content of the zip entry ``name``."""
        part = _Deflated(data)
        self._parts[name] = part
        if self._worker is None:
            self._worker = _Worker()
        self._worker.submit(part.run)

    def take(self, name: str, data: bytes) -> bytes | None:
        """The deflated ``data`` of entry ``name`` (waiting for it), or None if not added."""
        part = self._parts.pop(name, None)
        if part is None or part.data is not data:
            return None
        part.done.wait()
        return part.compressed

    def __enter__(self) -> Deflater:
        return self

    def __exit__(self, *exc: object) -> None:
        self._parts.clear()
        if self._worker is not None:
            self._worker.abandon()
            self._worker = None


class _Ready:
    """Stands in for zipfile's compressor when the deflate stream is already made."""

    def __init__(self, compressed: bytes) -> None:
        self._compressed = compressed

    def compress(self, data: bytes) -> bytes:
        return b""

    def flush(self) -> bytes:
        return self._compressed


def _encoded_chunks(pieces: Iterable[str]) -> Iterator[bytes]:
    """``pieces`` joined into UTF-8 chunks of about :data:`CHUNK` characters (at least one)."""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size > CHUNK:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    yield "".join(buffer).encode("utf-8")


_Zip = TypeVar("_Zip", bound="FixedTimeZip")


class FixedTimeZip:
    """A zip writer that stamps every entry with one time, so equal input gives equal bytes."""

    def __init__(self, out: BinaryIO, when: datetime, ahead: Deflater | None = None) -> None:
        self.zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
        self.date_time = zip_date_time(when)
        self.ahead = ahead
        """Where parts deflated beforehand are taken from, if anywhere."""

    def _entry(self, name: str, stored: bool) -> zipfile.ZipInfo:
        entry = zipfile.ZipInfo(name, date_time=self.date_time)
        entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        entry.create_system = 3
        return entry

    def write(self, name: str, data: bytes, *, stored: bool = False) -> None:
        """Add one entry (``stored`` leaves it uncompressed, as EPUB's mimetype must be)."""
        entry = self._entry(name, stored)
        ready = None if stored or self.ahead is None else self.ahead.take(name, data)
        if ready is None:
            self.zip.writestr(entry, data, compresslevel=None if stored else LEVEL)
            return
        entry.file_size = len(data)  # as writestr sets it: zipfile decides on zip64 by it
        with self.zip.open(entry, "w") as handle:
            # zipfile still counts and checksums the data; only the deflating is done. (A
            # zipfile without this attribute would compress again: slower, same bytes.)
            handle._compressor = _Ready(ready)  # type: ignore[attr-defined]
            handle.write(data)

    def write_pieces(self, name: str, pieces: Iterable[str]) -> None:
        """Add one entry from text pieces, encoded as UTF-8 and compressed as they come.

        A part bigger than one chunk is checksummed, compressed and written on a worker
        thread while the next chunk is rendered.
        """
        chunks = _encoded_chunks(pieces)
        with self.zip.open(self._entry(name, False), "w") as entry:
            first = next(chunks)
            second = next(chunks, None)
            if second is None:
                entry.write(first)
                return
            worker = _Worker(BACKLOG)
            try:
                for chunk in itertools.chain((first, second), chunks):
                    worker.submit(functools.partial(entry.write, chunk))
                worker.finish()
            except BaseException:
                worker.abandon()
                raise

    def close(self) -> None:
        """Finish the archive."""
        self.zip.close()

    def __enter__(self: _Zip) -> _Zip:
        return self

    def __exit__(self, *exc: object) -> None:
        # Closed on errors too (a writer that fails halfway leaves no open zip behind; the
        # caller discards the half-written output).
        self.close()
