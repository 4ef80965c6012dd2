"""Properties every writer shares: each handles every IR node type and fails loudly otherwise."""

from __future__ import annotations

import dataclasses
import io

import pytest
from hypothesis import HealthCheck, given, settings

import convert
from convert import ir, ir_json, registry

from .conftest import EVERY_NODE
from .strategies import collections

WRITERS = [fmt.name for fmt in registry.formats("writer") if fmt.builtin]


def test_the_fixture_uses_every_node_type() -> None:
    article = convert.load(EVERY_NODE).articles[0]
    blocks = set()
    inlines = set()

    def visit_inlines(nodes: tuple[ir.Inline, ...]) -> None:
        for node in nodes:
            inlines.add(type(node))
            if isinstance(node, (ir.Emph, ir.Strong, ir.Link, ir.Span)):
                visit_inlines(node.content)

    for block in ir.walk_blocks(article.blocks):
        blocks.add(type(block))
        if isinstance(block, (ir.Paragraph, ir.Heading)):
            visit_inlines(block.content)
        elif isinstance(block, ir.Image):
            visit_inlines(block.caption)
        elif isinstance(block, ir.Table):
            for row in block.rows:
                for cell in row:
                    visit_inlines(cell)
    assert blocks == set(ir.BLOCK_TYPES)
    assert inlines == set(ir.INLINE_TYPES)


@pytest.mark.parametrize("writer", WRITERS)
def test_every_writer_handles_every_node_type(writer: str) -> None:
    out = io.BytesIO()
    convert.write(convert.load(EVERY_NODE), out, format=writer)
    assert len(out.getvalue()) > 100


@dataclasses.dataclass(frozen=True)
class Marquee:
    """A block type no writer knows."""

    text: str


@pytest.mark.parametrize("writer", [w for w in WRITERS if w != "json"] + ["json"])
def test_an_unknown_node_is_an_error_not_a_silent_drop(writer: str) -> None:
    article = ir.Article(meta=ir.Meta(title="T"), blocks=(Marquee("scrolling"),))  # type: ignore[arg-type]
    with pytest.raises((TypeError, KeyError)):
        convert.write(article, io.BytesIO(), format=writer)


def test_compact_pieces_are_the_same_ir() -> None:
    collection = convert.load(EVERY_NODE)
    assert ir_json.loads("".join(ir_json.iter_compact(collection))) == collection


# Examples per writer: PDF layout is the slowest, so it gets fewer.
ROUND_TRIP_EXAMPLES = {"docx": 25, "epub": 25, "pdf": 15}


@pytest.mark.parametrize("writer", sorted(ROUND_TRIP_EXAMPLES))
def test_generated_irs_round_trip(writer: str) -> None:
    @settings(
        max_examples=ROUND_TRIP_EXAMPLES[writer],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(collections)
    def round_trip(collection: ir.Collection) -> None:
        buffer = io.BytesIO()
        convert.write(collection, buffer, format=writer)
        assert convert.load(buffer.getvalue(), format=writer) == collection

    round_trip()
