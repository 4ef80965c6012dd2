"""What every writer shares besides the document plan and the metadata table.

The plan (:mod:`convert.layout`) decides what is shown and the table
(:mod:`convert.metadata`) where each field goes; this module holds the two rules every
rendering applies: which links become live, and that an IR node a writer does not know is a
loud error, never a silent drop.
"""

from __future__ import annotations

from typing import NoReturn

SAFE_SCHEMES = ("http://", "https://", "mailto:")
"""The only link targets writers turn into live links (no javascript:, file:, data:...)."""


def is_safe_link(href: str) -> bool:
    """True for http, https and mailto targets."""
    return href.lower().startswith(SAFE_SCHEMES)


class UnknownNodeError(TypeError):
    """A writer met an IR node type it has no rendering for."""

    def __init__(self, writer: str, node: object) -> None:
        self.writer = writer
        self.node_type = type(node).__name__
        super().__init__(f"the {writer} writer does not know the IR node {self.node_type}")


def unknown_node(node: NoReturn, writer: str) -> NoReturn:
    """The last arm of a writer's ``match`` over IR nodes.

    Typed as taking ``NoReturn`` so that mypy reports a writer whose ``match`` misses a node
    type (the node would then reach this call with a real type); at run time it raises.
    """
    raise UnknownNodeError(writer, node)
