"""The metadata table: every field has a row, every format fills the slots it names."""

from __future__ import annotations

import dataclasses
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

import convert
from convert.app.cli import main
from convert.app.mapping_report import EMBEDDED, mapping
from convert.model import ir
from convert.plan import metadata

from .conftest import EVERY_NODE, IR_FIXTURES

THREE_IR = [
    IR_FIXTURES / f"{n}.json"
    for n in ("people-daily-guizhou-2021-03-20", "people-daily-zh", "xinhua-en")
]


def test_every_ir_field_has_exactly_one_row() -> None:
    article_fields = [r.field for r in metadata.ARTICLE_ROWS]
    collection_fields = [r.field for r in metadata.COLLECTION_ROWS]
    assert sorted(article_fields) == sorted(ir.META_FIELDS)
    assert sorted(collection_fields) == sorted(ir.COLLECTION_META_FIELDS)


def test_every_slot_is_named_in_its_formats_vocabulary() -> None:
    prefixes = {"docx": ("core:", "custom:"), "pdf": ("info:", "catalog:", "xmp:"),
                "epub": ("opf:", "xhtml:")}  # fmt: skip
    for row in metadata.ROWS:
        for fmt, allowed in prefixes.items():
            for slot in getattr(row, fmt):
                assert slot.startswith(allowed), (row.field, slot)


def test_iso_utc_is_the_one_date_form() -> None:
    beijing = timezone(timedelta(hours=8))
    assert metadata.iso_utc(datetime(2021, 3, 20, 13, 21, tzinfo=beijing)) == "2021-03-20T05:21:00Z"


def _written(tmp_path: Path, collection: ir.Collection, fmt: str) -> Path:
    path = tmp_path / f"out.{fmt}"
    convert.write(collection, path)
    return path


def test_reporters_are_the_creators_and_editors_the_contributors_everywhere(tmp_path: Path) -> None:
    collection = convert.combine([convert.load(p) for p in THREE_IR])
    collection = dataclasses.replace(collection, title="Week", editors=("Desk Editor",))
    reporters = list(metadata.unique([n for a in collection.articles for n in a.meta.authors]))
    assert reporters  # the fixtures have bylines
    from docx import Document
    from pypdf import PdfReader

    core = Document(str(_written(tmp_path, collection, "docx"))).core_properties
    assert core.author.split("; ") == reporters
    assert (
        PdfReader(_written(tmp_path, collection, "pdf")).metadata["/Author"].split("; ")
        == reporters
    )
    with zipfile.ZipFile(_written(tmp_path, collection, "epub")) as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert [e.text for e in opf.iter(f"{dc}creator")] == reporters
    assert [e.text for e in opf.iter(f"{dc}contributor")] == ["Desk Editor"]


@pytest.mark.parametrize("fmt", ["docx", "pdf", "epub"])
def test_the_mapping_report_finds_every_set_field_in_a_one_article_file(
    tmp_path: Path, fmt: str
) -> None:
    collection = convert.load(EVERY_NODE)
    entries = mapping(_written(tmp_path, collection, fmt))
    meta = collection.articles[0].meta
    set_fields = {name for name in ir.META_FIELDS if metadata.field_value(meta, name)}
    assert {e.field for e in entries} == set_fields
    assert {e.scope for e in entries} == {"document"}
    by_field: dict[str, list[metadata.Row]] = {}
    for row in metadata.ARTICLE_ROWS:
        by_field.setdefault(row.field, []).append(row)
    for entry in entries:
        row = by_field[entry.field][0]
        if entry.slot == EMBEDDED:
            # Only a field with no slot in this format may live in the embedded IR alone.
            assert not getattr(row, fmt), (fmt, entry)
        else:
            assert entry.slot in getattr(row, fmt) or any(
                s.endswith(".*") and entry.slot.startswith(s[:-1]) for s in getattr(row, fmt)
            )
    title = next(e for e in entries if e.field == "title")
    assert title.value == meta.title


@pytest.mark.parametrize("fmt", ["docx", "pdf", "epub"])
def test_the_mapping_report_of_a_collection_names_each_article(tmp_path: Path, fmt: str) -> None:
    collection = convert.combine([convert.load(p) for p in THREE_IR])
    collection = dataclasses.replace(collection, title="Week 12", publisher="Press Office")
    entries = mapping(_written(tmp_path, collection, fmt))
    document = {(e.field, e.slot): e.value for e in entries if e.scope == "document"}
    assert "Week 12" in {v for (f, _), v in document.items() if f == "title"}
    assert "Press Office" in {v for (f, _), v in document.items() if f == "publisher"}
    titles = [e for e in entries if e.field == "title" and e.scope.startswith("article")]
    assert [e.scope for e in titles] == ["article 1", "article 2", "article 3"]
    if fmt == "epub":  # each article's head carries its fields
        assert all(e.slot == "xhtml:dcterms.title" for e in titles)
    else:
        assert all(e.slot == EMBEDDED for e in titles)


def test_inspect_mapping_on_the_command_line(tmp_path: Path) -> None:
    path = _written(tmp_path, convert.load(EVERY_NODE), "docx")
    result = CliRunner().invoke(main, ["inspect", "--mapping", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["scope", "field", "slot", "value"]
    assert any(line.split()[1:3] == ["title", "core:title"] for line in lines[1:])
    assert any(line.split()[1:3] == ["original_title", "custom:original_title"] for line in lines)


def test_inspect_mapping_refuses_other_formats_in_one_line(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("Title\n\nBody.\n", "utf-8")
    result = CliRunner().invoke(main, ["inspect", "--mapping", str(text)])
    assert result.exit_code == 1
    assert (
        result.output.strip()
        == f"briefkit: error: {text}: --mapping reads DOCX, PDF and EPUB files"
    )


def test_the_docx_custom_properties_come_from_the_table(tmp_path: Path) -> None:
    path = _written(tmp_path, convert.load(EVERY_NODE), "docx")
    with zipfile.ZipFile(path) as archive:
        custom = etree.fromstring(archive.read("docProps/custom.xml"))
    names = {p.get("name") for p in custom}
    expected = {
        s.removeprefix("custom:")
        for row in metadata.ARTICLE_ROWS
        for s in row.docx
        if s.startswith("custom:") and not s.endswith(".*")
    }
    assert expected <= names  # the fixture fills every field, so every slot is written
    assert "extra.desk" in names


def _core(path: Path) -> object:
    from docx import Document

    return Document(str(path)).core_properties


def _at(published: ir.When, offset: str | None = None, **fields: object) -> ir.Collection:
    extra = (("timezone", offset),) if offset else ()
    meta = ir.Meta(title="Harbour reopens", published=published, extra=extra, **fields)  # type: ignore[arg-type]
    return ir.Collection(articles=(ir.Article(meta=meta),))


@pytest.mark.parametrize(
    ("offset", "utc"),
    [
        ("+08:00", datetime(2021, 3, 20, 5, 21)),  # Beijing time, printed without saying so
        ("-05:30", datetime(2021, 3, 20, 18, 51)),
        (None, datetime(2021, 3, 20, 13, 21)),  # no offset known: taken as UTC
    ],
)
def test_a_time_printed_in_local_time_is_written_in_utc(
    tmp_path: Path, offset: str | None, utc: datetime
) -> None:
    path = tmp_path / "a.docx"
    convert.write(_at(datetime(2021, 3, 20, 13, 21), offset), path)
    assert _core(path).created == utc.replace(tzinfo=timezone.utc)  # type: ignore[attr-defined]
    epub = tmp_path / "a.epub"
    convert.write(_at(datetime(2021, 3, 20, 13, 21), offset), epub)
    with zipfile.ZipFile(epub) as archive:
        opf = archive.read("EPUB/content.opf").decode("utf-8")
    assert f"<dc:date>{utc:%Y-%m-%dT%H:%M:%S}Z</dc:date>" in opf


def test_dates_are_utc_whatever_the_machines_time_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A desk in Tokyo writes the same times as one in London."""
    import time

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")  # 2020-09-13 12:26:40 UTC
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        path = tmp_path / "a.docx"
        aware = datetime(2021, 3, 20, 13, 21, tzinfo=timezone(timedelta(hours=2)))
        convert.write(_at(aware), path)
        core = _core(path)
        pdf = tmp_path / "a.pdf"
        convert.write(_at(aware), pdf)
    finally:
        monkeypatch.undo()
        time.tzset()
    utc = timezone.utc
    assert core.created == datetime(2021, 3, 20, 11, 21, tzinfo=utc)  # type: ignore[attr-defined]
    assert core.modified == datetime(2020, 9, 13, 12, 26, 40, tzinfo=utc)  # type: ignore[attr-defined]
    import pikepdf

    with pikepdf.open(pdf) as document:
        xmp = document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        assert xmp["xmp:ModifyDate"] == "2020-09-13T12:26:40Z"
        assert "2021-03-20T11:21:00Z" in str(xmp["dc:date"])


def test_an_untitled_article_is_untitled_where_readers_show_a_title(tmp_path: Path) -> None:
    meta = ir.Meta(authors=("Lin Wei",))
    collection = ir.Collection(articles=(ir.Article(meta=meta),))
    path = tmp_path / "a.docx"
    convert.write(collection, path)
    assert _core(path).title == "Untitled"  # type: ignore[attr-defined]
    with zipfile.ZipFile(path) as archive:
        custom = archive.read("docProps/custom.xml").decode("utf-8")
    assert "Untitled" not in custom  # briefkit's own slots keep the field as it is: unset


def test_a_collection_gathers_its_articles_reporters_keywords_and_sections(
    tmp_path: Path,
) -> None:
    def article(
        authors: tuple[str, ...], keywords: tuple[str, ...], section: tuple[str, ...]
    ) -> ir.Article:
        return ir.Article(
            meta=ir.Meta(title="T", authors=authors, keywords=keywords, section=section)
        )

    collection = ir.Collection(
        articles=(
            article(("Lin Wei",), ("harbour", "storm"), ("News", "Region", "Coast")),
            article(("Ann Lee", "Lin Wei"), ("storm",), ("News", "World")),
        )
    )
    path = tmp_path / "two.docx"
    convert.write(collection, path)
    core = _core(path)
    assert core.author == "Lin Wei; Ann Lee"  # type: ignore[attr-defined]
    assert core.keywords == "harbour, storm"  # type: ignore[attr-defined]
    assert core.category == "Coast, World"  # the last part of each section
    with zipfile.ZipFile(path) as archive:
        custom = archive.read("docProps/custom.xml").decode("utf-8")
    assert 'name="article_count"><vt:lpwstr>2</vt:lpwstr>' in custom


def test_extra_keys_become_meta_names_a_browser_accepts(tmp_path: Path) -> None:
    meta = ir.Meta(title="T", extra=(("Night desk/Asia", "Lin"),))
    path = tmp_path / "a.epub"
    convert.write(ir.Collection(articles=(ir.Article(meta=meta),)), path)
    with zipfile.ZipFile(path) as archive:
        page = archive.read("EPUB/text/article-0001.xhtml").decode("utf-8")
    assert '<meta name="briefkit.extra.Night-desk-Asia" content="Lin"/>' in page


def test_fields_as_one_line_of_text_as_the_documentation_gives_them() -> None:
    from convert.plan.metadata import field_value

    meta = ir.Meta(extra=(("timezone", "+08:00"), ("desk", "night")), section=("World", "Asia"))
    assert field_value(meta, "extra") == "timezone=+08:00; desk=night"
    assert field_value(meta, "section") == "World > Asia"
    collection = ir.Collection(sections=(ir.Section("World", 2), ir.Section("Notes", 1)))
    assert field_value(collection, "sections") == "World (2); Notes (1)"


def test_only_the_timezone_entry_gives_an_articles_offset() -> None:
    from convert.plan.metadata import source_offset

    assert source_offset(ir.Meta(extra=(("note", "+05:00"),))) is None
    offset = source_offset(ir.Meta(extra=(("note", "+05:00"), ("timezone", "-03:30"))))
    assert offset == timezone(-timedelta(hours=3, minutes=30))


def test_a_build_without_source_date_epoch_is_stamped_now_in_utc_whole_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from convert.plan.metadata import build_time

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = datetime.now(timezone.utc).replace(microsecond=0)
    stamp = build_time()
    assert stamp.tzinfo is timezone.utc and stamp.microsecond == 0
    assert before <= stamp <= datetime.now(timezone.utc)


def test_a_collection_of_no_language_and_no_title_is_an_english_briefing() -> None:
    from convert.plan.metadata import collection_language, display_title
    from convert.plan.words import words_for

    nothing = ir.Collection(articles=(ir.Article(meta=ir.Meta()), ir.Article(meta=ir.Meta())))
    assert (collection_language(nothing), display_title(nothing)) == ("en", "Briefing")
    chinese = ir.Collection(
        articles=(ir.Article(meta=ir.Meta(language="zh")), ir.Article(meta=ir.Meta()))
    )
    assert display_title(chinese) == words_for("zh").briefing != "Briefing"
