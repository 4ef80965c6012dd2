"""Keep what libraries print to themselves: their log records, warnings and stray stderr.

stderr is for the user, one ``briefkit:`` line per problem. pypdf, pdfminer, trafilatura,
ebooklib and others log or warn about damaged input in their own words; while a reader runs,
those messages are collected here and become ``dropped`` entries of the article (so
``inspect`` shows them and ``-v`` prints them as warnings) instead of raw stderr lines.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import warnings
from collections.abc import Iterator
from typing import Any, TextIO

from ..model import ir

_IGNORED = (DeprecationWarning, PendingDeprecationWarning, ResourceWarning)


class _Capture:
    """What one reader run in one thread has collected."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []
        self.stray: list[str] = []


# Log handlers, warnings and stderr are process-wide: one dispatcher is installed while any
# thread captures, and hands each message to the capture of the thread that made it; a
# message from a thread that captures nothing goes where it would have gone (another
# thread's build keeps its own warnings, and no reader takes them for its own).
_lock = threading.Lock()
_captures: dict[int, _Capture] = {}
_saved: dict[str, Any] = {}


class _Dispatcher(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        capture = _captures.get(record.thread or 0)
        if capture is None:
            return
        try:
            text = record.getMessage()
        except Exception:
            text = str(record.msg)
        capture.messages.append((record.name.split(".")[0], text))


class _Stderr:
    """sys.stderr while captures run: a capturing thread's writes are kept, others pass."""

    def __init__(self, real: TextIO) -> None:
        self.real = real

    def write(self, text: str) -> int:
        capture = _captures.get(threading.get_ident())
        if capture is None:
            return self.real.write(text)
        capture.stray.append(text)
        return len(text)

    def flush(self) -> None:
        self.real.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


_DISPATCHER = _Dispatcher()


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    capture = _captures.get(threading.get_ident())
    if capture is None:
        _saved["showwarning"](message, category, filename, lineno, file, line)
    elif not issubclass(category, _IGNORED):
        capture.messages.append((_package(filename), str(message)))


def _start(capture: _Capture) -> None:
    with _lock:
        if not _captures:
            _saved.update(
                showwarning=warnings.showwarning,
                stderr=sys.stderr,
                filters=list(warnings.filters),
            )
            warnings.showwarning = _show_warning
            warnings.simplefilter("always")  # every message, not the first per place
            sys.stderr = _Stderr(sys.stderr)  # type: ignore[assignment]
            logging.getLogger().addHandler(_DISPATCHER)
        _captures[threading.get_ident()] = capture


def _stop() -> None:
    with _lock:
        _captures.pop(threading.get_ident(), None)
        if not _captures:
            logging.getLogger().removeHandler(_DISPATCHER)
            sys.stderr = _saved["stderr"]
            warnings.filters[:] = _saved["filters"]  # type: ignore[index]
            warnings.showwarning = _saved["showwarning"]
            _saved.clear()


def _package(filename: str) -> str:
    """The top-level package a warning came from (``pypdf`` from ``.../pypdf/_reader.py``)."""
    parts = filename.replace("\\", "/").split("/")
    for marker in ("site-packages", "dist-packages"):
        if marker in parts and parts.index(marker) + 1 < len(parts):
            return parts[parts.index(marker) + 1].removesuffix(".py")
    return "python"


@contextlib.contextmanager
def captured() -> Iterator[list[ir.Dropped]]:
    """Collect this thread's library output while the block runs; the list is filled when
    it ends."""
    capture = _Capture()
    found: list[ir.Dropped] = []
    _start(capture)
    try:
        yield found
    finally:
        _stop()
        messages = list(capture.messages)
        stray = "".join(capture.stray)
        messages += [("stderr", line) for line in stray.splitlines() if line.strip()]
        counts: dict[tuple[str, str], int] = {}
        for source, text in messages:
            counts[(source, text.strip())] = counts.get((source, text.strip()), 0) + 1
        for (source, text), count in counts.items():
            times = f" ({count} times)" if count > 1 else ""
            found.append(ir.Dropped(text[:500], f"message from {source}{times}, not an error"))
