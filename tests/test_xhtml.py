"""The shared (X)HTML walk: nothing a reader sees is lost, what has no IR form is reported."""

from __future__ import annotations

from lxml import html

from convert.model import ir
from convert.readers._xhtml import Walk


def _walk(markup: str) -> tuple[tuple[ir.Block, ...], Walk]:
    walk = Walk()
    body = html.fromstring(f"<html><body>{markup}</body></html>").find(".//body")
    return walk.blocks(body), walk


def test_loose_text_in_divs_is_kept_as_paragraphs() -> None:
    blocks, _ = _walk(
        "<div>April is the cruellest month, breeding<br/>Lilacs out of the dead land"
        "<br/><br/>Winter kept us warm</div><div><span>Second stanza</span></div>"
    )
    texts = [ir.plain_text(b.content) for b in blocks if isinstance(b, ir.Paragraph)]
    assert texts == [
        "April is the cruellest month, breeding\nLilacs out of the dead land",
        "Winter kept us warm",
        "Second stanza",
    ]


def test_tables_definition_lists_figures_and_fallbacks() -> None:
    blocks, walk = _walk(
        "<table><caption>Prices</caption><thead><tr><th>Item</th><th>Cost</th></tr></thead>"
        "<tbody><tr><td>Tea</td><td>3</td></tr><tr><td>Rice</td></tr></tbody></table>"
        "<dl><dt>IR</dt><dd>intermediate representation</dd></dl>"
        "<figure><img src='a.png' alt='A map'/><figcaption>The <em>route</em></figcaption></figure>"
        "<object data='x.svg'><p>Fallback text</p></object>"
        "<svg><title>Logo</title></svg><video src='v.mp4'></video>"
        "<p>E = <math alttext='mc^2'><mi>m</mi></math></p>"
    )
    table = next(b for b in blocks if isinstance(b, ir.Table))
    assert table.header_rows == 1 and len(table.rows) == 3 and len(table.rows[2]) == 2
    assert ir.plain_text(blocks[0].content) == "Prices"  # type: ignore[union-attr]
    assert any(isinstance(b, ir.Div) and "definition" in b.attr.classes for b in blocks)
    image = next(b for b in blocks if isinstance(b, ir.Image))
    assert (image.src, image.alt, ir.plain_text(image.caption)) == ("a.png", "A map", "The route")
    text = ir.plain_text(blocks)
    assert "Fallback text" in text and "intermediate representation" in text
    assert "E = mc^2" in text
    reasons = sorted(d.reason for d in walk.dropped)
    assert reasons == ["SVG drawing (no IR form)", "embedded video (no IR form)"]
