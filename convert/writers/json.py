"""Writer ``json``: the IR as versioned JSON, UTF-8, two-space indent, trailing newline."""

from __future__ import annotations

from typing import BinaryIO

from ..model import ir, ir_json
from ..plan.styles import Style


def write(collection: ir.Collection, out: BinaryIO, style: Style) -> None:
    """Write ``collection`` as IR JSON (the style is not used: JSON has no typography)."""
    out.write(ir_json.dumps(collection).encode("utf-8") + b"\n")
