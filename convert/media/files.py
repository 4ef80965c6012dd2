"""Files written as users expect: atomically, through links, in place for special files."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..model.errors import OutputError


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A file object whose content replaces ``path`` only if the block finishes.

    The one rule for every file briefkit writes:

    - a regular file (or a new one) is replaced atomically: written to a temporary file
      beside it, then renamed over it; on any error it is removed and ``path`` is left as
      it was. A missing folder is created.
    - a symbolic link is followed: its target is replaced (the link stays a link).
    - a FIFO, a device or another special file (``/dev/stdout``) is written in place, once
      the whole document is made, never replaced by a regular file.
    """
    where = str(path)
    try:
        info = os.stat(path)  # follows a symbolic link
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", where=where) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError("is a directory", where=where)
    if info is not None and not stat.S_ISREG(info.st_mode):
        with _in_place(path) as out:
            yield out
        return
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except FileExistsError:
        raise OutputError(f"{str(folder)!r} is not a folder", where=where) from None
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", where=where) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
        mode = 0o666 & ~_umask()
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _in_place(path: Path) -> Iterator[BinaryIO]:
    """The document made in memory, then written into the special file ``path`` at once."""
    buffer = io.BytesIO()
    yield buffer
    try:
        with open(path, "wb") as out:
            out.write(buffer.getbuffer())
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", where=str(path)) from None


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
