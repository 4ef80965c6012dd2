"""Reader ``json``: briefkit IR JSON, validated strictly (see :mod:`convert.model.ir_json`).

A JSON Feed (https://jsonfeed.org) is read as a feed, one article per item.
"""

from __future__ import annotations

import re

from ..model import ir, ir_json
from ..model.errors import InputError
from . import feed

_JSON_FEED = re.compile(r'"version"\s*:\s*"https?:\\?/\\?/jsonfeed\.org\\?/version\\?/')


def read(data: bytes, *, name: str) -> ir.Collection:
    """Parse IR JSON bytes (UTF-8, with or without BOM)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"IR JSON must be UTF-8 ({exc.reason} at byte {exc.start})") from None
    if not text.strip():
        raise InputError("empty input: there is no JSON to read")
    if _JSON_FEED.search(text[:4096]):
        return feed.read(data, name=name)
    return ir_json.loads(text)
