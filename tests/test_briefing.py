"""``briefkit build``: a briefing from a manifest, in DOCX, PDF and EPUB alike."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

import convert
from convert.app.briefing import summarize
from convert.app.cli import main
from convert.model import ir

from .conftest import FIXTURES, SEED, libreoffice_pdf, normalise_space, pdf_text, require_tool

MANIFEST = FIXTURES / "briefing" / "briefing.toml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("briefing")
    result = CliRunner().invoke(main, ["build", str(MANIFEST), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_every_output_has_the_same_collection_and_identifier(built: tuple[Path, str]) -> None:
    out, _ = built
    collections = [
        convert.load(out / f"morning-briefing.{f}") for f in ("docx", "pdf", "epub", "json")
    ]
    assert all(c == collections[0] for c in collections)
    briefing = collections[0]
    assert briefing.identifier and briefing.identifier.startswith("urn:uuid:")
    assert briefing.issue == "No. 42" and briefing.marking == "FOR INTERNAL USE"
    assert [(s.title, s.count) for s in briefing.sections] == [
        ("Leadership", 2),
        ("World", 2),
        ("Notes", 1),
        ("Press releases", 2),
    ]
    assert briefing.sections[0].intro.startswith("Provincial leaders")


def test_a_duplicate_source_is_kept_once_and_reported(built: tuple[Path, str]) -> None:
    _, output = built
    warnings = [line for line in output.splitlines() if "warning" in line]
    # Both places are named: the same file in two sections of the manifest.
    assert warnings == [
        f"briefkit: warning: {FIXTURES / 'text' / 'xinhua-en.txt'} (section 'Notes'): the same "
        f"article as {FIXTURES / 'text' / 'xinhua-en.txt'} (section 'World'); kept once, there"
    ]


def test_summaries_are_given_or_generated_and_say_which(built: tuple[Path, str]) -> None:
    briefing = convert.load(built[0] / "morning-briefing.json")
    origins = {a.meta.title: dict(a.meta.extra)["summary_origin"] for a in briefing.articles}
    chinese = next(a for a in briefing.articles if a.meta.language == "zh")
    assert chinese.meta.summary == "The Chinese original of the Guizhou report."
    assert origins[chinese.meta.title] == "given"
    seed = next(a for a in briefing.articles if (a.meta.title or "").startswith("Chen Yiqin"))
    assert origins[seed.meta.title] == "generated"
    assert len(seed.meta.summary or "") <= 300 and (seed.meta.summary or "").endswith(".")


def test_a_generated_summary_cuts_chinese_at_a_sentence_end() -> None:
    article = ir.Article(meta=ir.Meta(title="T"), blocks=(ir.paragraph("第一句话。" * 80),))
    summary = summarize(article).meta.summary or ""
    assert summary.endswith("。") and len(summary) <= 300 and summary.startswith("第一句话。")


def test_the_pdf_has_a_marked_cover_two_level_outline_and_right_contents(
    built: tuple[Path, str],
) -> None:
    path = built[0] / "morning-briefing.pdf"
    reader = PdfReader(path)
    top = [i for i in reader.outline if not isinstance(i, list)]
    assert [i.title for i in top] == ["Leadership", "World", "Notes", "Press releases"]
    children = [i for i in reader.outline if isinstance(i, list)]
    assert [len(c) for c in children] == [2, 2, 1, 2]
    cover = pdf_text(path, first=1)
    # the masthead band (publisher, title, issue and date), the marking, the sections
    assert cover.lstrip().startswith("Press Office")
    assert "No. 42 · 20 March 2021" in cover and "FOR INTERNAL USE" in cover
    for section in ("Leadership — 2 articles", "World — 2 articles", "Notes — 1 article"):
        assert section in cover
    pages = pdf_text(path).split("\f")[:-1]
    assert all("FOR INTERNAL USE" in page for page in pages)  # every page is marked
    for group in children:  # the contents numbers are the outline's pages
        for item in group:
            page = reader.get_destination_page_number(item) + 1
            assert normalise_space(item.title[:30]) in normalise_space(pages[page - 1])


def test_the_docx_has_section_headings_for_the_navigation_pane_and_opens_in_libreoffice(
    built: tuple[Path, str], tmp_path: Path
) -> None:
    from lxml import etree

    path = built[0] / "morning-briefing.docx"
    with zipfile.ZipFile(path) as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
        body = archive.read("word/document.xml").decode()
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    levels = {
        s.find(f"{w}name").get(f"{w}val"): s.find(f"{w}pPr/{w}outlineLvl").get(f"{w}val")
        for s in styles.iter(f"{w}style")
        if s.find(f"{w}pPr/{w}outlineLvl") is not None
    }
    assert levels["Section Title"] == "0" and levels["Title"] == "1"
    assert body.count('<w:pStyle w:val="SectionTitle"/>') == 4
    text = pdf_text(libreoffice_pdf([path], tmp_path)[0])
    assert "Leadership" in text and "FOR INTERNAL USE" in text


def test_the_epub_has_a_two_level_nav_and_passes_epubcheck(built: tuple[Path, str]) -> None:
    path = built[0] / "morning-briefing.epub"
    java = require_tool("java")
    checked = subprocess.run(
        [java, "-jar", "/usr/share/java/epubcheck.jar", str(path)], capture_output=True, text=True
    )
    assert "0 fatals / 0 errors / 0 warnings" in checked.stdout + checked.stderr
    with zipfile.ZipFile(path) as book:
        nav = book.read("EPUB/nav.xhtml").decode()
        assert 'href="text/section-001.xhtml">Leadership' in nav
        assert (
            "section-003.xhtml" in book.namelist()[-20:]
            or "EPUB/text/section-003.xhtml" in book.namelist()
        )


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ('title = "T"\nbogus = 1\n', "bogus: unknown key"),
        ('title = "T"\n[outputs]\npdf = "x.pdf"\n', "section: a briefing needs at least one"),
        (
            'date = "yesterday"\n[outputs]\npdf = "x.pdf"\n[[section]]\ntitle = "A"\nsources = ["a.txt"]\n',
            "date: not an ISO 8601 date",
        ),
        (
            '[outputs]\npdf = "x.pdf"\n[[section]]\ntitle = "A"\nsources = []\n',
            "section[0].sources: empty section",
        ),
        (
            '[outputs]\npdf = "x.pdf"\n[[section]]\ntitle = "A"\nsources = ["missing.txt"]\n',
            "briefing.toml: section[0].sources[0]: ",
        ),
        (
            '[outputs]\nodt = "x.odt"\n[[section]]\ntitle = "A"\nsources = ["a.txt"]\n',
            "outputs.odt: unknown format",
        ),
        (
            '[outputs]\npdf = "x.pdf"\n[[section]]\ntitle = "A"\nsources = [{ path = "a.txt", colour = "red" }]\n',
            "section[0].sources[0].colour: unknown key",
        ),
    ],
)
def test_a_bad_manifest_is_one_line_naming_the_file_and_key_and_touches_no_output(
    tmp_path: Path, manifest: str, message: str
) -> None:
    (tmp_path / "a.txt").write_text(SEED.read_text("utf-8"), "utf-8")
    path = tmp_path / "briefing.toml"
    path.write_text(manifest, "utf-8")
    result = CliRunner().invoke(main, ["build", str(path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefkit: error: ") and message in lines[0]
    assert str(tmp_path) in lines[0]
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("fmt", ["docx", "pdf", "epub"])
def test_append_adds_articles_to_a_section_keeping_metadata_and_identifier(
    built: tuple[Path, str], tmp_path: Path, fmt: str
) -> None:
    import shutil

    path = tmp_path / f"briefing.{fmt}"
    shutil.copy(built[0] / f"morning-briefing.{fmt}", path)
    before = convert.load(path)
    late = tmp_path / "late.txt"
    late.write_text("Late news from the harbour\n\nThe ferry ran late tonight.\n", "utf-8")
    result = CliRunner().invoke(main, ["append", str(path), str(late), "--section", "World"])
    assert result.exit_code == 0, result.output
    after = convert.load(path)
    assert after.identifier == before.identifier and after.title == before.title
    assert after.marking == before.marking and after.issue == before.issue
    assert [(s.title, s.count) for s in after.sections] == [
        ("Leadership", 2),
        ("World", 3),
        ("Notes", 1),
        ("Press releases", 2),
    ]
    assert after.articles[4].meta.title == "Late news from the harbour"
    result = CliRunner().invoke(main, ["append", str(path), str(late), "--section", "Sport"])
    assert [s.title for s in convert.load(path).sections][-1] == "Sport"


def test_append_refuses_a_file_briefkit_did_not_write(tmp_path: Path) -> None:

    from convert.plan.styles import load_style

    foreign = tmp_path / "foreign.epub"
    style = load_style(None)
    import dataclasses
    from types import MappingProxyType

    bare = dataclasses.replace(style, layout=MappingProxyType({**style.layout, "embed_ir": False}))
    convert.write(convert.load(SEED), foreign, style=bare)
    before = foreign.read_bytes()
    result = CliRunner().invoke(main, ["append", str(foreign), str(SEED)])
    assert result.exit_code == 1
    assert result.output.startswith(f"briefkit: error: {foreign}: briefkit did not write this file")
    assert foreign.read_bytes() == before
