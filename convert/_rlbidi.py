"""reportlab's right-to-left support, backed by python-bidi.

reportlab lays out right-to-left paragraphs (``wordWrap="RTL"``: lines broken in logical
order, words placed right to left, mixed Latin and numbers kept left to right) when a module
``rlbidi`` with a ``log2vis`` function can be imported; that module is not published on PyPI.
This adapter gives reportlab the same function from python-bidi's implementation of the
Unicode bidi algorithm (UAX #9), including the visual-to-logical index map reportlab uses to
keep words and their fonts together. :func:`install` registers it as ``rlbidi`` before
reportlab is first imported (``convert/__init__.py`` does that), unless a real ``rlbidi``
is installed.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from typing import Any


def log2vis(
    text: str,
    base_direction: str | None = None,
    clean: bool = True,
    positions_V_to_L: list[int] | None = None,
    **_: Any,
) -> str:
    """``text`` in display (visual) order; ``positions_V_to_L`` is filled with, for each
    visual position, the logical index it came from."""
    from bidi import algorithm

    storage = algorithm.get_empty_storage()
    base = {"RTL": "R", "LTR": "L"}.get((base_direction or "").upper())
    level = algorithm.PARAGRAPH_LEVELS[base] if base else algorithm.get_base_level(text)
    storage["base_level"] = level
    storage["base_dir"] = ("L", "R")[level]
    algorithm.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index  # follows the character through the reordering
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage, False)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    algorithm.reorder_resolved_levels(storage, False)
    algorithm.apply_mirroring(storage, False)
    chars = storage["chars"]
    if positions_V_to_L is not None:
        positions_V_to_L[:] = [char["index"] for char in chars]
    return "".join(char["ch"] for char in chars)


def install() -> None:
    """Make ``import rlbidi`` find this adapter (a real rlbidi, if installed, wins)."""
    if "rlbidi" in sys.modules or importlib.util.find_spec("rlbidi") is not None:
        return
    module = types.ModuleType("rlbidi", __doc__)
    module.log2vis = log2vis  # type: ignore[attr-defined]
    sys.modules["rlbidi"] = module
