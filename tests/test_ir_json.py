"""The versioned JSON form: round trips and strict rejection."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convert.model import ir, ir_json
from convert.model.errors import InputError

from .conftest import IR_FIXTURES
from .strategies import collections

_STANDARD = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(collections)
def test_json_round_trip_is_lossless(collection: ir.Collection) -> None:
    text = ir_json.dumps(collection)
    assert ir_json.loads(text) == collection
    assert ir_json.dumps(ir_json.loads(text)) == text
    # The embedded IR is written with orjson; its text must stay what json's encoder writes.
    compact = "".join(ir_json.iter_compact(collection))
    assert compact == _STANDARD.encode(json.loads(compact))
    assert ir_json.loads(compact) == collection


@pytest.mark.parametrize("path", sorted(IR_FIXTURES.glob("*.json")), ids=lambda p: p.name)
def test_an_ir_file_read_and_written_again_says_the_same(path: Path) -> None:
    """Every node and field of the fixtures (``every-node.json`` has them all), written by
    an older version: the same document in the current version, and written the same way
    again; the compact form (the embedded IR) is the same JSON."""
    text = path.read_text("utf-8")
    collection = ir_json.loads(text)
    again = ir_json.dumps(collection)
    written, original = json.loads(again), json.loads(text)
    assert written.pop("ir_version") == ir.IR_VERSION
    original.pop("ir_version")
    assert written == original
    assert ir_json.loads(again) == collection and ir_json.dumps(ir_json.loads(again)) == again
    assert json.loads("".join(ir_json.iter_compact(collection))) == json.loads(again)


def test_dates_keep_an_offset_only_when_given() -> None:
    cases = {
        datetime(2021, 3, 20, 13, 21): "2021-03-20T13:21",
        datetime(2021, 3, 20, 13, 21, 5): "2021-03-20T13:21:05",
        datetime(
            2021, 3, 20, 13, 21, tzinfo=timezone(timedelta(hours=8))
        ): "2021-03-20T13:21+08:00",
        date(2021, 3, 20): "2021-03-20",
    }
    for value, text in cases.items():
        assert ir_json.when_to_iso(value) == text
        assert ir_json.iso_to_when(text) == value
    assert ir_json.iso_to_when("2021-03-20T05:21:00Z") == datetime(
        2021, 3, 20, 5, 21, tzinfo=timezone.utc
    )


def _doc(**overrides: object) -> str:
    doc: dict[str, object] = {
        "ir_version": 1,
        "collection": None,
        "articles": [{"meta": {"title": "T"}, "blocks": []}],
    }
    doc.update(overrides)
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_doc(ir_version=4), "unsupported ir_version 4 (this briefkit reads versions 1, 2 and 3)"),
        (_doc(ir_version=True), "unsupported ir_version True"),
        ('{"articles": []}', 'not briefkit IR JSON (no "ir_version" key)'),
        ('{"ir_version": 1, "articles": [], "articles": []}', "duplicate key 'articles'"),
        (
            '{"ir_version": 1, "articles": [{"meta": {"title": NaN}, "blocks": []}]}',
            "NaN is not allowed",
        ),
        ('{"ir_version": 1, "x": Infinity, "articles": []}', "Infinity is not allowed"),
        (
            '{"ir_version": 1, "articles": [{"meta": {"title": "\\ud800"}, "blocks": []}]}',
            "invalid IR JSON at $.articles[0].meta.title: lone surrogate U+D800",
        ),
        ('{"ir_version": 1, "articles": [', "invalid JSON"),
        ("[1, 2]", "top level must be an object"),
        (_doc(articles=[{"meta": {"title": 5}, "blocks": []}]), "$.articles[0].meta.title"),
        (_doc(articles=[{"meta": {"colour": "red"}, "blocks": []}]), "colour"),
        (_doc(articles=[{"meta": {"published": "March 3"}, "blocks": []}]), "published"),
        (_doc(articles=[{"meta": {}, "blocks": [{"type": "marquee"}]}]), "blocks[0]"),
        (
            _doc(
                articles=[{"meta": {}, "blocks": [{"type": "heading", "level": 9, "content": []}]}]
            ),
            "blocks[0]",
        ),
        ("[" * 100000 + "]" * 100000, "nested too deeply"),
    ],
)
def test_bad_json_is_refused_with_a_clear_reason(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        ir_json.loads(text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_every_node_type_has_a_json_name() -> None:
    for node_type in (*ir.BLOCK_TYPES, *ir.INLINE_TYPES):
        assert node_type in ir_json._NODE_NAMES


def test_the_schema_file_ships_inside_the_package() -> None:
    assert ir_json.schema()["properties"]["ir_version"] == {"enum": [1, 2, 3]}


def test_version_1_documents_still_load_and_version_2_adds_issue_marking_sections() -> None:
    old = ir_json.loads(_doc())
    assert old.sections == () and old.articles
    briefing = ir.Collection(
        title="Morning briefing",
        issue="No. 42",
        marking="FOR INTERNAL USE",
        sections=(ir.Section("World", 2, intro="Abroad."), ir.Section("Economy", 1)),
        articles=tuple(ir.Article(meta=ir.Meta(title=t)) for t in "ABC"),
    )
    text = ir_json.dumps(briefing)
    assert json.loads(text)["ir_version"] == ir.IR_VERSION == 3
    assert ir_json.loads(text) == briefing
    assert ir_json.loads("".join(ir_json.iter_compact(briefing))) == briefing
    assert [[a.meta.title for a in arts] for _, arts in ir.section_spans(briefing)] == [
        ["A", "B"],
        ["C"],
    ]


def test_sections_that_do_not_add_up_are_refused() -> None:
    doc = json.loads(_doc())
    doc["ir_version"] = 2
    doc["collection"] = {"title": "T", "sections": [{"title": "World", "count": 5}]}
    with pytest.raises(InputError, match="the sections hold 5 articles but the collection has 1"):
        ir_json.loads(json.dumps(doc))


def test_fixture_json_files_are_valid() -> None:
    from .conftest import FIXTURES

    files = sorted((FIXTURES / "ir").glob("*.json"))
    assert files
    for path in files:
        assert ir_json.loads(path.read_text("utf-8")).articles


def test_version_3_adds_an_images_picture_and_version_2_images_still_load() -> None:
    picture = ir.Picture("sha256:" + "ab" * 32, "image/png", 640, 480)
    article = ir.Article(blocks=(ir.Image("a.png", "A chart", (), picture),))
    text = ir_json.dumps(ir.Collection(articles=(article,)))
    assert json.loads(text)["articles"][0]["blocks"][0]["picture"] == {
        "digest": "sha256:" + "ab" * 32,
        "media_type": "image/png",
        "width": 640,
        "height": 480,
    }
    assert ir_json.loads(text).articles[0] == article
    old = json.loads(text)
    old["ir_version"] = 2
    del old["articles"][0]["blocks"][0]["picture"]
    assert ir_json.loads(json.dumps(old)).articles[0].blocks[0] == ir.Image("a.png", "A chart")
    drawing = text.replace('"image/png"', '"image/svg+xml"')  # a drawing made safe
    assert ir_json.loads(drawing).articles[0].blocks[0].picture.media_type == "image/svg+xml"
    bad = text.replace('"image/png"', '"image/gif"')  # a checked picture is never a GIF
    with pytest.raises(InputError, match="invalid IR JSON"):
        ir_json.loads(bad)


@given(st.text(), st.integers(-(2**63), 2**64 - 1))
def test_compact_strings_and_numbers(text: str, number: int) -> None:
    # Any text a cleaned IR can hold (and some it cannot: every control character).
    value = {"t": text, "n": number, "l": [text, None, True, False], text: {}}
    assert ir_json._compact(value) == _STANDARD.encode(value)


def test_compact_falls_back_for_what_orjson_refuses() -> None:
    huge = {"n": 10**30}
    assert ir_json._compact(huge) == '{"n":1000000000000000000000000000000}'


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2021-03-20", date(2021, 3, 20)),
        ("2021-03-20T13:21", datetime(2021, 3, 20, 13, 21)),
        ("2021-03-20T13:21Z", datetime(2021, 3, 20, 13, 21, tzinfo=timezone.utc)),
        ("2021-03-20T13:21+05:45",
         datetime(2021, 3, 20, 13, 21, tzinfo=timezone(timedelta(hours=5, minutes=45)))),
        ("2021-03-20T13:21:05.5-03:30",
         datetime(2021, 3, 20, 13, 21, 5, 500000,
                  tzinfo=timezone(-timedelta(hours=3, minutes=30)))),
    ],
)  # fmt: skip
def test_times_are_read_with_their_offsets_to_the_minute(text: str, value: object) -> None:
    read = ir_json.iso_to_when(text)
    assert read == value and getattr(read, "tzinfo", None) == getattr(value, "tzinfo", None)


def test_a_time_that_is_not_iso_8601_is_named() -> None:
    with pytest.raises(ValueError) as refused:
        ir_json.iso_to_when("20/03/2021")
    assert str(refused.value) == "not an ISO 8601 date or time: '20/03/2021'"


def test_a_collections_date_is_written_and_read_in_iso_8601() -> None:
    for when, written in (
        (date(2021, 3, 20), "2021-03-20"),
        (datetime(2021, 3, 20, 6, 0, tzinfo=timezone(timedelta(hours=8))), "2021-03-20T06:00+08:00"),
    ):  # fmt: skip
        collection = ir.Collection(title="Week", date=when, articles=(ir.Article(ir.Meta()),))
        text = ir_json.dumps(collection)
        assert json.loads(text)["collection"]["date"] == written
        assert ir_json.loads(text).date == when


def test_an_ir_file_is_indented_and_keeps_its_characters() -> None:
    collection = ir.Collection(articles=(ir.Article(ir.Meta(title="谌贻琴：奋力实现")),))
    text = ir_json.dumps(collection)
    assert '"title": "谌贻琴：奋力实现"' in text
    assert text.splitlines()[:2] == ["{", '  "ir_version": 3,']
    assert "\n" not in ir_json.dumps(collection, indent=None)


def test_what_another_program_leaves_out_takes_its_default() -> None:
    def text(value: str) -> list[dict[str, str]]:
        return [{"type": "text", "text": value}]

    document = {
        "ir_version": 3,
        "collection": {},
        "articles": [
            {
                "meta": {},
                "blocks": [
                    {"type": "list", "ordered": True, "items": [[{"type": "paragraph",
                                                                  "content": text("a")}]]},
                    {"type": "table", "rows": [[text("x")]]},
                    {"type": "image", "src": "a.png"},
                    {"type": "div", "attr": {"classes": ["box"]}, "blocks": []},
                ],
            }
        ],
    }  # fmt: skip
    listing, table, image, box = ir_json.loads(json.dumps(document)).articles[0].blocks
    assert isinstance(listing, ir.ListBlock) and listing.start == 1
    assert isinstance(table, ir.Table) and table.header_rows == 0
    assert isinstance(image, ir.Image) and image.alt == ""
    assert isinstance(box, ir.Div) and box.attr == ir.Attr(classes=("box",))
    start = json.loads(json.dumps(document))
    start["articles"][0]["blocks"][0]["start"] = 7
    first = ir_json.loads(json.dumps(start)).articles[0].blocks[0]
    assert isinstance(first, ir.ListBlock) and first.start == 7


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "invalid JSON: nested too deeply"),
        ("[1, 2]", "not briefkit IR JSON: the top level must be an object"),
        ('{"articles": []}', 'not briefkit IR JSON (no "ir_version" key); briefkit reads its '
                             "own IR JSON and JSON Feed"),
        ('{"ir_version": 9}', "unsupported ir_version 9 (this briefkit reads versions 1, 2 and 3)"),
        ('{"ir_version": 3, "collection": {"title": "\\uDC00"}, "articles": []}',
         "invalid IR JSON at $.collection.title: lone surrogate U+DC00 at character 0"),
    ],
)  # fmt: skip
def test_what_is_not_ir_json_is_refused_with_its_reason(text: str, message: str) -> None:
    with pytest.raises(InputError) as refused:
        ir_json.loads(text)
    assert str(refused.value) == message


@pytest.mark.parametrize("length", [148, 149, 300])
def test_a_long_schema_complaint_is_cut_to_one_readable_line(length: int) -> None:
    key = "k" * length  # a field name another program made up, quoted back in the complaint
    document = {"ir_version": 3, "collection": {}, "articles": [{"meta": {key: 1}, "blocks": []}]}
    with pytest.raises(InputError) as refused:
        ir_json.loads(json.dumps(document))
    complaint = str(refused.value).removeprefix("invalid IR JSON at ")
    whole = "$.articles[0].meta must not contain {'" + key + "'} properties"
    if len(whole) < 200:  # 199 characters: shown whole
        assert complaint == whole
    else:
        assert complaint == whole[:197] + "..."
