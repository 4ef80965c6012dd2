"""Keep what libraries print to themselves: their log records, warnings and stray stderr.

stderr is for the user, one ``briefkit:`` line per problem. pypdf, pdfminer, trafilatura,
ebooklib and others log or warn about damaged input in their own words; while a reader runs,
those messages are collected here and become ``dropped`` entries of the article (so
``inspect`` shows them and ``-v`` prints them as warnings) instead of raw stderr lines.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from collections.abc import Iterator

from ..model import ir

_IGNORED = (DeprecationWarning, PendingDeprecationWarning, ResourceWarning)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:
            text = str(record.msg)
        self.messages.append((record.name.split(".")[0], text))


def _package(filename: str) -> str:
    """The top-level package a warning came from (``pypdf`` from ``.../pypdf/_reader.py``)."""
    parts = filename.replace("\\", "/").split("/")
    for marker in ("site-packages", "dist-packages"):
        if marker in parts and parts.index(marker) + 1 < len(parts):
            return parts[parts.index(marker) + 1].removesuffix(".py")
    return "python"


@contextlib.contextmanager
def captured() -> Iterator[list[ir.Dropped]]:
    """Collect library output while the block runs; the list is filled when it ends."""
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    stray = io.StringIO()
    found: list[ir.Dropped] = []
    try:
        with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stderr(stray):
            warnings.simplefilter("always")
            yield found
    finally:
        root.removeHandler(collector)
        messages = list(collector.messages)
        messages += [
            (_package(w.filename), str(w.message))
            for w in caught
            if not issubclass(w.category, _IGNORED)
        ]
        messages += [("stderr", line) for line in stray.getvalue().splitlines() if line.strip()]
        counts: dict[tuple[str, str], int] = {}
        for source, text in messages:
            counts[(source, text.strip())] = counts.get((source, text.strip()), 0) + 1
        for (source, text), count in counts.items():
            times = f" ({count} times)" if count > 1 else ""
            found.append(ir.Dropped(text[:500], f"message from {source}{times}, not an error"))
