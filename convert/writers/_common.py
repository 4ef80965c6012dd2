"""What every writer shares besides the document plan and the metadata table.

The plan (:mod:`convert.plan.layout`) decides what is shown and the table
(:mod:`convert.plan.metadata`) where each field goes; this module holds the rule every rendering
applies to links: which become live. (An IR node a writer does not know is
:func:`convert.model.ir.unknown_node`, a loud error that mypy also catches.)
"""

from __future__ import annotations

SAFE_SCHEMES = ("http://", "https://", "mailto:")
"""The only link targets writers turn into live links (no javascript:, file:, data:...)."""


def is_safe_link(href: str) -> bool:
    """True for http, https and mailto targets."""
    return href.lower().startswith(SAFE_SCHEMES)
