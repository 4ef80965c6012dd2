"""EPUB collections: epubcheck 0/0, metadata, navigation, round trips, determinism, safety."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from lxml import etree

import convert
from convert.app.cli import main
from convert.model import ir
from convert.model.errors import InputError

from .conftest import (
    EVERY_NODE,
    SEED,
    THREE,
    ZH,
    build,
    normalise_typeset,
    require_pandoc,
    require_tool,
)
from .strategies import collections

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def epubcheck(path: Path) -> str:
    """Run epubcheck; return its summary line ("N fatals / N errors / N warnings / N infos")."""
    jar = Path("/usr/share/java/epubcheck.jar")
    if jar.exists():
        command = [require_tool("java"), "-jar", str(jar)]
    else:
        command = [require_tool("epubcheck")]
    proc = subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=300)
    output = proc.stdout + proc.stderr
    match = re.search(r"Messages: (\d+ fatals / \d+ errors / \d+ warnings / \d+ infos)", output)
    assert match, output
    return match.group(1) + (
        "" if match.group(1).startswith("0 fatals / 0 errors / 0 warnings") else "\n" + output
    )


CLEAN = "0 fatals / 0 errors / 0 warnings / 0 infos"


def _xml(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def _write(tmp_path: Path, name: str, articles: list[ir.Article], **collection: object) -> Path:
    path = tmp_path / name
    convert.write(ir.Collection(articles=tuple(articles), **collection), path)  # type: ignore[arg-type]
    return path


def test_three_article_collection_passes_epubcheck_with_full_metadata(tmp_path: Path) -> None:
    path = build(
        tmp_path,
        THREE,
        "week.epub",
        "-M",
        "title=Week 12",
        "-M",
        "publisher=Briefing Desk",
        "-M",
        "editors=Ann Editor",
        "-M",
        "date=2021-03-21",
        "-M",
        "description=Three stories",
    )
    assert epubcheck(path) == CLEAN
    opf = _xml(path, "EPUB/content.opf")
    metadata = opf.find(f"{OPF}metadata")
    assert metadata.findtext(f"{DC}title") == "Week 12"
    assert metadata.findtext(f"{DC}publisher") == "Briefing Desk"
    assert metadata.findtext(f"{DC}description") == "Three stories"
    assert metadata.findtext(f"{DC}date") == "2021-03-21T00:00:00Z"
    assert metadata.findtext(f"{DC}identifier").startswith("urn:uuid:")
    assert [c.text for c in metadata.findall(f"{DC}creator")] == ["Xu Shaoting", "许邵庭"]
    assert [c.text for c in metadata.findall(f"{DC}contributor")] == ["Ann Editor"]
    metas = {(m.get("property"), m.get("refines")): m.text for m in metadata.findall(f"{OPF}meta")}
    assert metas[("role", "#creator1")] == "aut" and metas[("role", "#creator2")] == "aut"
    assert metas[("role", "#contributor1")] == "edt"
    assert metas[("belongs-to-collection", None)] == "Week 12"
    assert metas[("schema:accessMode", None)] == "textual"
    assert metas[("schema:accessibilityHazard", None)] == "none"
    assert metas[("dcterms:modified", None)] == "2023-11-14T22:13:20Z"
    nav = _xml(path, "EPUB/nav.xhtml")
    titles = [a.text for a in nav.iter(f"{XHTML}a")]
    assert titles == [a.meta.title for p in THREE for a in convert.read(p)]


def test_each_chapter_shows_its_articles_metadata(tmp_path: Path) -> None:
    path = build(tmp_path, THREE, "week.epub")
    articles = [a for p in THREE for a in convert.read(p)]
    for number, article in enumerate(articles, start=1):
        doc = _xml(path, f"EPUB/text/article-{number:04d}.xhtml")
        text = normalise_typeset("".join(doc.itertext()))  # the text as set, marks undone
        meta = article.meta
        assert doc.get("{http://www.w3.org/XML/1998/namespace}lang") == meta.language
        for shown in (
            meta.title,
            meta.source,
            *meta.authors,
            *meta.editors,
            meta.original_title or "",
        ):
            assert normalise_typeset(shown or "") in text
        time = doc.find(f".//{XHTML}time")
        assert time is not None and time.get("datetime") == convert.model.ir_json.when_to_iso(
            meta.published
        )
        heads = {m.get("name"): m.get("content") for m in doc.iter(f"{XHTML}meta") if m.get("name")}
        assert heads["dcterms.title"] == meta.title
        assert heads["dcterms.publisher"] == meta.source
        for block in article.blocks:
            assert normalise_typeset(ir.plain_text((block,))) in text


def test_single_article_book_uses_the_articles_metadata(tmp_path: Path) -> None:
    path = build(tmp_path, [SEED], "seed.epub")
    assert epubcheck(path) == CLEAN
    metadata = _xml(path, "EPUB/content.opf").find(f"{OPF}metadata")
    article = convert.read(SEED)[0]
    assert metadata.findtext(f"{DC}title") == article.meta.title
    assert [c.text for c in metadata.findall(f"{DC}creator")] == ["Xu Shaoting"]
    assert [c.text for c in metadata.findall(f"{DC}contributor")] == ["Cao Miao", "Xie Lei"]
    roles = {
        m.get("refines"): m.text
        for m in metadata.findall(f"{OPF}meta")
        if m.get("property") == "role"
    }
    assert roles == {"#creator1": "aut", "#contributor1": "edt", "#contributor2": "edt"}
    assert metadata.findtext(f"{DC}date") == "2021-03-20T05:21:00Z"
    assert metadata.findtext(f"{DC}language") == "en"
    assert metadata.findtext(f"{DC}publisher") == "Guizhou Daily"


def test_chinese_and_english_in_one_book(tmp_path: Path) -> None:
    path = build(tmp_path, [ZH, SEED], "mixed.epub")
    assert epubcheck(path) == CLEAN
    assert _xml(path, "EPUB/text/article-0001.xhtml").get("lang") == "zh"
    assert _xml(path, "EPUB/text/article-0002.xhtml").get("lang") == "en"


def test_awkward_articles_pass_epubcheck(tmp_path: Path) -> None:
    awkward = [
        ir.Article(blocks=(ir.paragraph("No title, no date, no source."),)),
        ir.Article(meta=ir.Meta(title="Café / Straße: é and / in a title"), blocks=()),
        convert.read(
            b"A < B & C\n\nControl\x07 characters \x0b and <script>alert(1)</script> & more.\n"
        )[0],
        convert.load(EVERY_NODE).articles[0],
    ]
    path = _write(tmp_path, "awkward.epub", awkward)
    assert epubcheck(path) == CLEAN
    nav = _xml(path, "EPUB/nav.xhtml")
    labels = [a.text for a in nav.iter(f"{XHTML}a")]
    assert all(labels) and labels[0] == "Article 1"
    assert convert.read(path) == awkward


def test_two_hundred_articles(tmp_path: Path) -> None:
    seed = convert.read(SEED)[0]
    articles = [
        dataclasses.replace(seed, meta=dataclasses.replace(seed.meta, title=f"Story {n}"))
        for n in range(200)
    ]
    path = _write(tmp_path, "many.epub", articles, title="Two hundred")
    assert epubcheck(path) == CLEAN
    assert len(convert.read(path)) == 200


def test_nav_is_flat_without_sections(tmp_path: Path) -> None:
    articles = [
        ir.Article(meta=ir.Meta(title=f"T{n}"), blocks=(ir.paragraph("x"),)) for n in range(3)
    ]
    path = _write(tmp_path, "flat.epub", articles)
    nav = _xml(path, "EPUB/nav.xhtml")
    assert not list(nav.iter(f"{XHTML}span"))
    assert [a.text for a in nav.iter(f"{XHTML}a")] == ["T0", "T1", "T2"]


def test_inspect_equals_inspect_of_the_inputs(tmp_path: Path) -> None:
    path = build(tmp_path, THREE, "week.epub")
    runner = CliRunner()
    assert (
        runner.invoke(main, ["inspect", str(path)]).stdout
        == runner.invoke(main, ["inspect", *map(str, THREE)]).stdout
    )


def test_builds_are_byte_identical_and_well_formed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = build(tmp_path, THREE, "a.epub")
    second = build(tmp_path, THREE, "b.epub")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
        assert all(i.date_time == (2023, 11, 14, 22, 13, 20) for i in infos)
    assert first.read_bytes()[30:58] == b"mimetypeapplication/epub+zip"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert build(tmp_path, THREE, "c.epub").read_bytes() != first.read_bytes()


def test_identifier_is_stable_and_content_derived(tmp_path: Path) -> None:
    a = (
        _xml(build(tmp_path, [SEED], "a.epub"), "EPUB/content.opf")
        .find(f"{OPF}metadata")
        .findtext(f"{DC}identifier")
    )
    b = (
        _xml(build(tmp_path, [ZH], "b.epub"), "EPUB/content.opf")
        .find(f"{OPF}metadata")
        .findtext(f"{DC}identifier")
    )
    again = (
        _xml(build(tmp_path, [SEED], "c.epub"), "EPUB/content.opf")
        .find(f"{OPF}metadata")
        .findtext(f"{DC}identifier")
    )
    assert a == again != b
    given_id = build(tmp_path, [SEED, ZH], "d.epub", "-M", "identifier=urn:isbn:9780000000000")
    assert (
        _xml(given_id, "EPUB/content.opf").find(f"{OPF}metadata").findtext(f"{DC}identifier")
        == "urn:isbn:9780000000000"
    )


# epubcheck takes seconds per book: a few examples, and no shrinking (a failure is reported
# with the generated book as it is).
@settings(
    max_examples=4,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(collections)
def test_generated_books_pass_epubcheck(tmp_path: Path, collection: ir.Collection) -> None:
    path = tmp_path / "generated.epub"
    convert.write(collection, path)
    assert epubcheck(path) == CLEAN


def test_pandoc_reads_the_bodies(tmp_path: Path) -> None:
    pandoc = require_pandoc()
    path = build(tmp_path, THREE, "week.epub")
    out = subprocess.run(
        [pandoc, "-f", "epub", "-t", "plain", "--wrap=none", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    text = normalise_typeset(out.stdout)
    for source in THREE:
        for article in convert.read(source):
            for block in article.blocks:
                assert normalise_typeset(ir.plain_text((block,))) in text


def test_foreign_epub_reads_best_effort(tmp_path: Path) -> None:
    pandoc = require_pandoc()
    source = tmp_path / "note.md"
    source.write_text(
        "# First chapter\n\nSome *emphasis* and a [link](https://example.org).\n\n"
        "- one\n- two\n\n# Second chapter\n\nMore text.\n",
        "utf-8",
    )
    path = tmp_path / "foreign.epub"
    subprocess.run(
        [
            pandoc,
            str(source),
            "-o",
            str(path),
            "--metadata",
            "title=Foreign book",
            "--metadata",
            "lang=en-GB",
            "--metadata",
            "author=Jane Roe",
        ],
        check=True,
    )
    collection = convert.load(path)
    assert collection.title == "Foreign book" and collection.language == "en-GB"
    titles = [a.meta.title for a in collection.articles]
    assert "First chapter" in titles and "Second chapter" in titles
    first = next(a for a in collection.articles if a.meta.title == "First chapter")
    assert (
        ir.Paragraph(
            (
                ir.Text("Some "),
                ir.Emph((ir.Text("emphasis"),)),
                ir.Text(" and a "),
                ir.Link("https://example.org", (ir.Text("link"),)),
                ir.Text("."),
            )
        )
        in first.blocks
    )
    assert any(isinstance(b, ir.ListBlock) and len(b.items) == 2 for b in first.blocks)


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_is_refused_before_decompressing() -> None:
    bomb = _zip({"mimetype": b"application/epub+zip", "EPUB/huge.bin": b"\0" * (100 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024
    with pytest.raises(InputError, match="zip bomb"):
        convert.read(bomb, format="epub")
    many = _zip({f"f{i}": b"" for i in range(10_001)}, zipfile.ZIP_STORED)
    with pytest.raises(InputError, match="entries"):
        convert.read(many, format="epub")


_CONTAINER = (
    b'<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">'
    b'<rootfiles><rootfile full-path="OEBPS/book.opf" '
    b'media-type="application/oebps-package+xml"/></rootfiles></container>'
)


def _book(
    documents: dict[str, bytes | None],
    ir_file: bytes | bool | None = False,
    metadata: str = "",
    unknown_in_spine: bool = False,
) -> bytes:
    """An EPUB whose spine lists ``documents`` in order (None: listed, not in the ZIP); with
    ``ir_file`` other than False, a briefkit IR item too (None: listed, not in the ZIP);
    ``unknown_in_spine``: the spine also names an item the manifest lacks."""
    items = "".join(
        f'<item id="d{n}" href="{name.removeprefix("OEBPS/")}" media-type="application/xhtml+xml"/>'
        for n, name in enumerate(documents)
    )
    if ir_file is not False:
        items += '<item id="briefkit-ir" href="ir.json" media-type="application/json"/>'
    spine = "".join(f'<itemref idref="d{n}"/>' for n in range(len(documents)))
    spine += '<itemref idref="nowhere"/>' if unknown_in_spine else ""
    opf = (
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        f"{metadata}<manifest>{items}</manifest><spine>{spine}</spine></package>"
    )
    entries = {"mimetype": b"application/epub+zip", "META-INF/container.xml": _CONTAINER,
               "OEBPS/book.opf": opf.encode()}  # fmt: skip
    entries |= {name: data for name, data in documents.items() if data is not None}
    if isinstance(ir_file, bytes):
        entries["OEBPS/ir.json"] = ir_file
    return _zip(entries)


def test_a_book_of_damaged_and_unknown_spine_entries_keeps_what_it_can_read() -> None:
    page = (
        b"<html xmlns='http://www.w3.org/1999/xhtml'><head><title>Harbour</title></head>"
        b"<body><h1>Harbour reopens</h1><p>Ships sail again.</p></body></html>"
    )
    data = _book(
        {
            "OEBPS/empty.xhtml": b"",  # not readable: said in the first article's dropped
            "OEBPS/frameset.xhtml": b"<html xmlns='http://www.w3.org/1999/xhtml'><head/></html>",
            "OEBPS/blank.xhtml": b"<html><body><p> </p></body></html>",  # a blank page
            "OEBPS/harbour.xhtml": page,
        },
        metadata="<!-- no metadata element -->",
        unknown_in_spine=True,
    )
    articles = convert.read(data, format="epub")
    assert [(a.meta.title, ir.plain_text(a.blocks)) for a in articles] == [
        ("Harbour reopens", "Ships sail again.\n")
    ]
    assert [(d.text, d.reason.split(" (")[0]) for d in articles[0].dropped] == [
        ("OEBPS/empty.xhtml", "spine document not readable")
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip at all", "not a EPUB file|not an EPUB file"),
        (_zip({"mimetype": b"application/epub+zip"}), "no META-INF/container.xml"),
        (_zip({"mimetype": b"text/plain"}), "wrong mimetype"),
        (
            _zip({"mimetype": b"application/epub+zip", "META-INF/container.xml": b"<container/>"}),
            "container.xml names no package document",
        ),
        (_book({"OEBPS/a.xhtml": None}), "broken EPUB: spine document OEBPS/a.xhtml is missing"),
        (_book({}, ir_file=None), "broken briefkit EPUB: OEBPS/ir.json is missing"),
        (_book({}, ir_file=b"\xff\xfe{}"), "broken briefkit EPUB: OEBPS/ir.json is not UTF-8"),
        (_book({"OEBPS/a.xhtml": b""}), "the EPUB has no readable documents in its spine"),
    ],
)
def test_broken_epubs_are_clear_errors(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        convert.read(data, format="epub")
