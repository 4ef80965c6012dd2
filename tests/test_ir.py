"""The IR module: immutability, the cleaning step, helpers."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import pytest

from convert.model import ir


def test_it_is_frozen() -> None:
    meta = ir.Meta(title="T")
    with pytest.raises(dataclasses.FrozenInstanceError):
        meta.title = "other"  # type: ignore[misc]


def test_every_field_has_a_docstring() -> None:
    source = Path(ir.__file__).read_text("utf-8")
    for cls in (
        ir.Meta,
        ir.Article,
        ir.Collection,
        ir.Dropped,
        ir.Attr,
        *ir.BLOCK_TYPES,
        *ir.INLINE_TYPES,
    ):
        for f in dataclasses.fields(cls):
            # each field declaration line is followed by a docstring line
            lines = source.splitlines()
            decl = next(
                i
                for i, line in enumerate(lines)
                if line.strip().startswith(f"{f.name}:") and _in_class(lines, i, cls.__name__)
            )
            assert lines[decl + 1].strip().startswith('"""'), f"{cls.__name__}.{f.name}"


def _in_class(lines: list[str], index: int, name: str) -> bool:
    for j in range(index, -1, -1):
        if lines[j].startswith("class "):
            return lines[j].startswith(f"class {name}(") or lines[j].startswith(f"class {name}:")
    return False


def test_clean_text_normalises_newlines_and_removes_illegal_characters() -> None:
    removed: dict[str, int] = {}
    assert (
        ir.clean_text("a\r\nb\rc\x00d\x07e\x0bf\x0cg\ufffeh\uffff\ti", removed) == "a\nb\ncdefgh\ti"
    )
    assert removed == {"\x00": 1, "\x07": 1, "\x0b": 1, "\x0c": 1, "\ufffe": 1, "\uffff": 1}


def test_clean_text_rejects_lone_surrogates() -> None:
    with pytest.raises(ir.LoneSurrogateError, match="U\\+D800"):
        ir.clean_text("ok \ud800 bad")
    assert not ir.is_clean_text("ok \ud800 bad")  # not clean, and no crash asking


def test_clean_article_reports_what_it_removed() -> None:
    article = ir.Article(
        meta=ir.Meta(title="A\x07B", authors=("X\x00Y",)),
        blocks=(ir.Paragraph((ir.Text("p\x0bq"), ir.Emph((ir.Text("r\r\ns"),)))),),
    )
    cleaned = ir.clean_article(article)
    assert cleaned.meta.title == "AB"
    assert cleaned.meta.authors == ("XY",)
    assert cleaned.blocks == (ir.Paragraph((ir.Text("pq"), ir.Emph((ir.Text("r\ns"),)))),)
    assert len(cleaned.dropped) == 1
    assert cleaned.dropped[0].reason == "XML-illegal control characters removed"
    assert "U+0007 ×1" in cleaned.dropped[0].text and "U+000B ×1" in cleaned.dropped[0].text


def test_clean_article_leaves_clean_articles_alone() -> None:
    article = ir.Article(meta=ir.Meta(title="Fine"), blocks=(ir.paragraph("text"),))
    assert ir.clean_article(article) == article


def test_plain_text_covers_every_block_type() -> None:
    blocks = (
        ir.Heading(1, (ir.Text("H"),)),
        ir.Paragraph(
            (ir.Text("a"), ir.LineBreak(), ir.Link("https://x", (ir.Strong((ir.Text("b"),)),)))
        ),
        ir.Quote((ir.paragraph("q"),)),
        ir.ListBlock(True, ((ir.paragraph("i1"),), (ir.paragraph("i2"),))),
        ir.Image("p.png", "alt", (ir.Text("cap"),)),
        ir.Table((((ir.Text("c1"),), (ir.Code("c2"),)),)),
        ir.Rule(),
        ir.Div(ir.Attr(classes=("x",)), (ir.paragraph("d"),)),
    )
    assert ir.plain_text(blocks) == "H\na\nb\nq\ni1\ni2\ncap\nc1\tc2\nd\n"
    assert {type(b) for b in blocks} == set(ir.BLOCK_TYPES)


def test_walk_blocks_visits_nested_blocks() -> None:
    inner = ir.paragraph("deep")
    blocks = (ir.Quote((ir.ListBlock(False, ((inner,),)),)),)
    assert inner in list(ir.walk_blocks(blocks))


def test_collection_knows_whether_it_has_metadata() -> None:
    assert not ir.Collection(articles=(ir.Article(),)).has_metadata()
    assert ir.Collection(title="Week").has_metadata()


def test_cleaning_an_article_keeps_its_times_and_removes_only_the_controls() -> None:
    published = datetime.fromisoformat("2021-03-20T13:21:00+08:00")
    article = ir.Article(
        meta=ir.Meta(title="Harbour\x0b reopens", published=published, updated=date(2021, 3, 21)),
        blocks=(ir.paragraph("Ships\x07 sail again."),),
    )
    cleaned = ir.clean_article(article)
    assert cleaned.meta.title == "Harbour reopens" and cleaned.meta.published == published
    assert cleaned.meta.updated == date(2021, 3, 21)
    assert ir.plain_text(cleaned.blocks) == "Ships sail again.\n"
    assert [d.text for d in cleaned.dropped] == ["U+0007 ×1, U+000B ×1"]


def test_the_plain_text_of_a_picture_is_its_caption_alone() -> None:
    bare = ir.Image("harbour.jpg", "The quay")
    captioned = ir.Image("harbour.jpg", "The quay", caption=(ir.Text("Boats at dawn."),))
    assert ir.plain_text((bare,)) == ""
    assert ir.plain_text((captioned, ir.paragraph("After."))) == "Boats at dawn.\nAfter.\n"


def test_sections_take_their_articles_in_order_and_no_sections_is_one_untitled() -> None:
    articles = tuple(ir.Article(ir.Meta(title=t)) for t in "ABCDE")
    sectioned = ir.Collection(
        articles=articles,
        sections=(ir.Section("One", 2), ir.Section("Two", 1), ir.Section("Three", 2)),
    )
    spans = [
        (s.title, [a.meta.title for a in members]) for s, members in ir.section_spans(sectioned)
    ]
    assert spans == [("One", ["A", "B"]), ("Two", ["C"]), ("Three", ["D", "E"])]
    plain = ir.Collection(articles=articles)
    assert ir.section_spans(plain) == [(ir.Section(title="", count=5), articles)]


def test_empty_text_fields_are_no_collection_metadata() -> None:
    assert not ir.Collection(title="", articles=(ir.Article(ir.Meta()),)).has_metadata()
    assert ir.Collection(title="Week", articles=()).has_metadata()
