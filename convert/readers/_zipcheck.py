"""Checks for untrusted zip containers (DOCX, EPUB) before anything is decompressed."""

from __future__ import annotations

import io
import zipfile
import zlib

from ..model.errors import InputError

MAX_ENTRIES = 10_000
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """Open ``data`` as a zip after checking entry count, total size and compression ratio.

    The sizes checked are the ones the archive declares; :func:`read_member` enforces them
    while decompressing, so a lying header cannot get past either.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(f"not a {kind} file (not a zip archive)") from None
    except (
        UnicodeDecodeError,
        ValueError,
        OSError,
        EOFError,
        OverflowError,
        NotImplementedError,
    ) as exc:
        # The central directory is there but damaged (a member name that is not UTF-8, ...).
        raise InputError(f"damaged {kind} archive ({type(exc).__name__})") from None
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise InputError(f"refusing {kind}: {len(infos)} entries (the limit is {MAX_ENTRIES})")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise InputError(
            f"refusing {kind}: it unpacks to {total} bytes (the limit is {MAX_TOTAL_BYTES})"
        )
    packed = sum(info.compress_size for info in infos) or 1
    if total > 10 * 1024 * 1024 and total / packed > MAX_RATIO:
        raise InputError(
            f"refusing {kind}: compression ratio {total // packed}:1 looks like a zip bomb"
        )
    return archive


def read_member(archive: zipfile.ZipFile, name: str, limit: int = MAX_TOTAL_BYTES) -> bytes:
    """One entry's bytes, stopping at ``limit`` whatever the header claims."""
    try:
        with archive.open(name) as handle:
            data = handle.read(limit + 1)
    except KeyError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        NotImplementedError,
        ValueError,
    ) as exc:
        # A flipped byte in a member: bad CRC, bad local header, broken deflate stream.
        reason = str(exc).split(" (")[0] or type(exc).__name__
        raise InputError(f"damaged archive member {name} ({reason})") from None
    if len(data) > limit:
        raise InputError(f"refusing entry {name}: larger than {limit} bytes")
    return data
