"""Reproducible zip containers (DOCX, EPUB): fixed entry times, fixed attributes, streaming."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import BinaryIO, TypeVar


def zip_date_time(when: datetime) -> tuple[int, int, int, int, int, int]:
    """A zip entry time for ``when`` in UTC (zip cannot store dates before 1980)."""
    stamp = max(when.astimezone(timezone.utc), datetime(1980, 1, 1, tzinfo=timezone.utc))
    year, month, day, hour, minute, second = stamp.timetuple()[:6]
    return (year, month, day, hour, minute, second)


_Zip = TypeVar("_Zip", bound="FixedTimeZip")


class FixedTimeZip:
    """A zip writer that stamps every entry with one time, so equal input gives equal bytes."""

    def __init__(self, out: BinaryIO, when: datetime) -> None:
        self.zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
        self.date_time = zip_date_time(when)

    def _entry(self, name: str, stored: bool) -> zipfile.ZipInfo:
        entry = zipfile.ZipInfo(name, date_time=self.date_time)
        entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        entry.create_system = 3
        return entry

    def write(self, name: str, data: bytes, *, stored: bool = False) -> None:
        """Add one entry (``stored`` leaves it uncompressed, as EPUB's mimetype must be)."""
        self.zip.writestr(self._entry(name, stored), data, compresslevel=None if stored else 6)

    def write_pieces(self, name: str, pieces: Iterable[str]) -> None:
        """Add one entry from text pieces, encoded as UTF-8 and compressed as they come."""
        buffer: list[str] = []
        size = 0
        with self.zip.open(self._entry(name, False), "w") as entry:
            for piece in pieces:
                buffer.append(piece)
                size += len(piece)
                if size > 1 << 16:
                    entry.write("".join(buffer).encode("utf-8"))
                    buffer, size = [], 0
            entry.write("".join(buffer).encode("utf-8"))

    def close(self) -> None:
        """Finish the archive."""
        self.zip.close()

    def __enter__(self: _Zip) -> _Zip:
        return self

    def __exit__(self, *exc: object) -> None:
        # Closed on errors too (a writer that fails halfway leaves no open zip behind; the
        # caller discards the half-written output).
        self.close()
