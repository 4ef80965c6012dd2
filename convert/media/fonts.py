"""Font files: found by name in a style's folders, then in the system's font folders."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

SYSTEM_FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
)


@lru_cache(maxsize=1)
def _system_fonts() -> dict[str, Path]:
    """File name -> path of every font under the system font folders (first one wins)."""
    found: dict[str, Path] = {}
    for folder in SYSTEM_FONT_DIRS:
        if folder.is_dir():
            for root, _, files in sorted(os.walk(folder)):
                for name in sorted(files):
                    found.setdefault(name, Path(root) / name)
    return found


def find_font_file(name: str, search_dirs: tuple[Path, ...]) -> Path | None:
    """A font file by name: an absolute path, the style's font folders, then the system's."""
    candidate = Path(name)
    if candidate.is_absolute():
        return candidate if candidate.is_file() else None
    for folder in search_dirs:
        if (folder / name).is_file():
            return folder / name
    return _system_fonts().get(name)
