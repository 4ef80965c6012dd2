"""Shared test helpers: fixture paths and the external-validator policy."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
TEXT = FIXTURES / "text"
SEED = TEXT / "people-daily-guizhou-2021-03-20.txt"
ZH = TEXT / "people-daily-zh.txt"
SHARED = ROOT.parent / "shared"


def require_tool(*names: str) -> str:
    """The path of the first of ``names`` on PATH; skip without it, fail under CI=true."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"validator {' / '.join(names)} is not installed (run 'make test' to install it)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def require_file(path: str | Path, why: str) -> Path:
    """``path`` if it exists; skip without it, fail under CI=true."""
    path = Path(path)
    if path.exists():
        return path
    message = f"{path} is missing ({why})"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
