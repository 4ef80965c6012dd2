"""Reader ``json``: briefkit IR JSON, validated strictly (see :mod:`convert.ir_json`)."""

from __future__ import annotations

from .. import ir, ir_json
from ..errors import InputError


def read(data: bytes, *, name: str) -> ir.Collection:
    """Parse IR JSON bytes (UTF-8, with or without BOM)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"IR JSON must be UTF-8 ({exc.reason} at byte {exc.start})") from None
    if not text.strip():
        raise InputError("empty input: there is no JSON to read")
    return ir_json.loads(text)
